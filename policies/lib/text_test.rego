package incident_manager_test.lib.text

import rego.v1

import data.incident_manager.lib.text

test_email_addresses_masked if {
	text.personal_data("Owner: jane.doe@example.com, backup ops@mail.example.co.uk") == [
		"e-mail address j***@example.com",
		"e-mail address o***@mail.example.co.uk",
	]
	text.personal_data("a@b.com.x@c.org") == ["e-mail address a***@b.com", "e-mail address .***@c.org"]
	text.personal_data("user@localhost") == []
}

test_phone_numbers_with_their_boundaries if {
	text.personal_data("call +44 20 7946 0958 now") == ["phone number +44 ******** 58"]
	text.personal_data("+1-212-555-0143") == ["phone number +12 ******** 43"]
	text.personal_data("+1234567") == [] # 7 digits
	text.personal_data("+1234567890123456") == [] # 16 digits: part of a longer number
	text.personal_data("1+12345678901") == [] # a digit before the +
	text.personal_data("++12345678901") == []
	text.personal_data("+12345678901-") == ["phone number +12 ******** 01"]
	text.personal_data("+123456789012345-6") == [] # 15 digits, then a separator and a digit
	text.personal_data("+1  2345678901") == [] # two spaces: the number ends after +1
}

test_phone_inside_an_email_is_reported_once_as_the_email if {
	text.personal_data("+4420794609@example.com") == ["e-mail address +***@example.com"]
	text.personal_data("a@b.com+12345678901") == ["e-mail address a***@b.com", "phone number +12 ******** 01"]
}

test_a_phone_number_touching_an_unresolved_part_is_not_reported if {
	text.personal_data(concat("", ["+44207946095", text.unresolved_part])) == []
	text.personal_data(concat("", [text.unresolved_part, "+44207946095"])) == []
	text.personal_data(concat("", [text.unresolved_part, "@example.com"])) == []
}

test_url_credentials if {
	text.url_credentials("see https://user:pa55@hooks.example.com/x?a=1") == ["URL https://user:***@hooks.example.com/x?a=1 carries a password in its user-info"]
	text.url_credentials("https://h.example.com/?token") == ["URL https://h.example.com/?token carries credentials in query parameter \"token\""]
	text.url_credentials("https://h.example.com/p?sig=1;Sig=2&X-Amz-Signature=3#frag") == [
		"URL https://h.example.com/p?sig=***;Sig=***&X-Amz-Signature=***#frag carries credentials in query parameter \"sig\"",
		"URL https://h.example.com/p?sig=***;Sig=***&X-Amz-Signature=***#frag carries credentials in query parameter \"X-Amz-Signature\"",
	]
	text.url_credentials("https://user@h.example.com/?q=1") == []
	text.url_credentials("https://user:@h.example.com/") == []
	text.url_credentials("https://h.example.com/#access_token=abc") == ["URL https://h.example.com/#access_token=*** carries credentials in fragment parameter \"access_token\""]
	text.url_credentials("no url here ?token=1") == []
}

test_long_urls_are_cut_and_stay_masked if {
	long := concat("", ["https://h.example.com/", concat("", ["a" | some _ in numbers.range(1, 300)]), "?token=secret"])
	[finding] := text.url_credentials(long)
	not contains(finding, "secret")
	contains(finding, "...")
}

test_strings_in_values_and_keys_with_their_paths if {
	value := {"tags": {"Cost Center": "1", "Owner": "x"}, "incident_template": [{"title": "t"}], "list": ["a", "b"], "__internal__": "skip"}
	strings := text.strings_in(value)
	{text.shown_path(value, path, is_key) | some [path, _, is_key] in strings} == {
		"tags[\"Cost Center\"]", "tags[\"Cost Center\"] (key)", "tags.Owner", "tags.Owner (key)", "tags (key)",
		"incident_template (key)", "incident_template[0].title", "incident_template[0].title (key)",
		"list (key)", "list[0]", "list[1]",
	}
}

test_text_is_read_as_its_reader_sees_it if {
	text.as_read(`https:\/\/h\u0040x`) == "https://h@x"
	text.as_read("j\u200bdoe@exa\u00admple.com") == "jdoe@example.com"
	text.as_read(`a\\u0040`) == `a\@`
	text.as_read(`\u00zz`) == `\u00zz`
}

test_finding_fragment_parameters if {
	text.url_credentials("https://h.example.com/#a=1?Access_Token=x&sig") == [
		"URL https://h.example.com/#a=1?Access_Token=***&sig carries credentials in fragment parameter \"Access_Token\"",
		"URL https://h.example.com/#a=1?Access_Token=***&sig carries credentials in fragment parameter \"sig\"",
	]
}

test_finding_inner_urls if {
	# the outer URL's user-info ends at its first "/": only the inner one carries a password
	text.url_credentials("a://x,b://u:p@y.example.com") == ["URL b://u:***@y.example.com carries a password in its user-info"]
	text.url_credentials("https%3A%2F%2Fu%3Ap%40h.example.com") == ["URL https://u:***@h.example.com carries a password in its user-info"]
}

test_finding_each_line_once if {
	text.url_credentials("https://u:p@h https://u:q@h") == ["URL https://u:***@h carries a password in its user-info"]
}

test_no_finding_inner_url_without_credentials if {
	text.url_credentials("https://h.example.com/?next=https%3A%2F%2Fx.example.com%2F%3Fq%3D1") == []
}

test_shown_urls_mask_every_secret if {
	[line] := text.url_credentials("https://h/?token=1&to=jane@example.com&n=+442079460958")
	line == "URL https://h/?token=***&to=j***@example.com&n=+44 ******** 58 carries credentials in query parameter \"token\""
}
