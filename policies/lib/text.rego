# METADATA
# title: Personal data and credentials in text (CKV_IM_10, CKV_IM_11)
# description: |
#   RULES.md, CKV_IM_10 and CKV_IM_11, as checks/ckv_im/sensitive_text.py reads
#   them: e-mail addresses, E.164 phone numbers, and URLs carrying a password
#   or a credential query parameter. Every description masks the value it is
#   about, so a CI log does not repeat the address, number, password or token.
#   Go's regular expressions have no look-around: the phone number's
#   boundaries are checked on the text around each match instead.
package incident_manager.lib.text

import rego.v1

import data.incident_manager.lib.util

# A string built partly from values known only later (`owner ${Team}@example.com`) is scanned with
# this character in place of each unresolved part: it is never part of an e-mail address, and a
# phone number that touches it could be part of a longer number, so it is not reported.
unresolved_part := "\u0000"

# --- the strings of a value ------------------------------------------------------------------------

# [path, text, is a key] for every string value (interpolations masked) and every object key
# in a value, skipping Checkov's own `__x__` keys and what is under them. `shown_path` writes
# a path for a details line (only for the strings with a finding: it costs more).
strings_in(value) := array.concat(
	[[node[0], _masked(node[1]), false] | some node in nodes; is_string(node[1])],
	[[array.concat(node[0], [key]), key, true] | some node in nodes; is_object(node[1]); some key, _ in node[1]],
) if {
	# one walk; paths through internal keys only looked for when the value has one
	not contains(json.marshal(value), `"__`)
	nodes := [[path, node] | walk(value, [path, node])]
} else := array.concat(
	[[node[0], _masked(node[1]), false] | some node in nodes; is_string(node[1])],
	[[array.concat(node[0], [key]), key, true] |
		some node in nodes
		is_object(node[1])
		some key, _ in node[1]
		not _internal_key(key)
	],
) if {
	nodes := [[path, node] | walk(value, [path, node]); not _under_internal_key(path)]
}

_masked(text) := regex.replace(text, `\$\{[^}]*\}`, unresolved_part) if contains(text, "${")

else := text

# Cheap tests before the scans: text that cannot hold a finding.
may_hold_personal_data(text) if regex.match(`[@+]`, text)

may_hold_url_credentials(text) if contains(text, "://")

# `tags.Owner`, `tags.Owner (key)`, `incident_template[0].title`, `tags["Cost Center"]`
shown_path(root, path, true) := sprintf("%s (key)", [_shown_path(root, path)])

shown_path(root, path, false) := _shown_path(root, path)

_internal_key(key) if {
	is_string(key)
	count(key) >= 4
	startswith(key, "__")
	endswith(key, "__")
}

_under_internal_key(path) if {
	some key in path
	_internal_key(key)
}

# `tags.Owner`, `incident_template[0].title`, `tags["Cost Center"]`: a one-element list around a
# scalar (as blocks are written) adds no index; a key that could itself hold personal data or a
# credential is redacted.
_shown_path(root, path) := trim_prefix(concat("", [_shown_step(object.get({"root": root}, array.concat(["root"], array.slice(path, 0, i)), null), path[i]) |
	some i in numbers.range(0, count(path) - 1)
]), ".")

_shown_step(container, index) := "" if {
	is_array(container)
	count(container) == 1
	not is_array(container[0])
	not is_object(container[0])
} else := sprintf("[%d]", [index]) if {
	is_array(container)
} else := sprintf(".%s", [index]) if {
	regex.match(`^[A-Za-z0-9_\-:/.\[\]]+$`, index)
} else := "[<redacted key>]" if {
	_sensitive(index)
} else := sprintf("[%s]", [json.marshal(index)])

_sensitive(text) if count(personal_data(text)) > 0

_sensitive(text) if count(url_credentials(text)) > 0

# --- e-mail addresses and phone numbers ------------------------------------------------------------

# RULES.md: [A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}
_email := `([A-Za-z0-9._%+-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})`

# "+" then 8 to 15 digits, optionally separated by single spaces, dots or hyphens; its boundaries
# (no digit or "+" before, no digit or separator and digit after) are checked around each match.
_phone := `\+[0-9](?:[ .-]?[0-9]){7,14}`

# Matches with where they start and end (in characters): the text before each match is captured.
_located(pattern, text) := [{"start": start, "end": start + count(match[2]), "groups": array.slice(match, 2, count(match))} |
	matches := regex.find_all_string_submatch_n(sprintf(`(?s)(.*?)(%s)`, [pattern]), text, -1)
	some i, match in matches
	start := sum([count(previous[0]) | some previous in array.slice(matches, 0, i)]) + count(match[1])
]

_emails(text) := [{"start": m.start, "end": m.end, "text": sprintf("e-mail address %s***@%s", [substring(m.groups[1], 0, 1), m.groups[2]])} |
	contains(text, "@")
	some m in _located(_email, text)
]

_phones(text, emails) := [{"start": m.start, "end": m.end, "text": sprintf("phone number %s", [_masked_phone(m.groups[0])])} |
	contains(text, "+")
	some m in _located(_phone, text)
	not regex.match(`[0-9+]$`, substring(text, 0, m.start))
	not regex.match(`^(?:[0-9]|[ .-][0-9])`, substring(text, m.end, 2))
	not _inside_an_email(m, emails)
	not contains(concat("", [substring(text, max([m.start - 1, 0]), _one_if_after_start(m.start)), substring(text, m.end, 2)]), unresolved_part)
]

_one_if_after_start(start) := 1 if start > 0

else := 0

_inside_an_email(match, emails) if {
	some email in emails
	email.start < match.end
	match.start < email.end
}

# The canonical E.164 form, masked: neither the separators nor the length show.
_masked_phone(number) := sprintf("%s ******** %s", [substring(canonical, 0, 3), substring(canonical, count(canonical) - 2, 2)]) if {
	canonical := concat("", ["+", concat("", regex.find_n(`[0-9]`, number, -1))])
}

# One masked description per e-mail address or phone number in the text, in order of appearance.
personal_data(text) := [found.text | some found in sort_by_start] if {
	emails := _emails(text)
	found_all := array.concat(emails, _phones(text, emails))
	sort_by_start := [found_all[pair[1]] | some pair in sort([[f.start, i] | some i, f in found_all])]
}

# --- credentials in URLs ---------------------------------------------------------------------------

_credential_parameters := [
	"token", "access_token", "password", "passwd", "pwd", "secret", "client_secret", "api_key", "apikey",
	"api-key", "access_key", "auth", "signature", "sig", "x-amz-signature", "x-amz-credential",
	"x-amz-security-token",
]

# scheme://... up to white space (as Python's \s counts it), a quote, "<" or ">".
_url := sprintf("[A-Za-z][A-Za-z0-9+.-]*://[^%s\"'`<>]+", [util.python_space])

_max_url_shown := 200

_mask := "***"

# One masked description per credential a URL in the text carries: a non-empty password in its
# user-info, or a query parameter named (URL-decoded, case-insensitively) like a credential.
url_credentials(text) := [finding |
	contains(text, "://")
	some url in regex.find_n(_url, text, -1)
	_may_carry_credentials(url)
	parts := _split_url(url)
	password := _has_password(parts.netloc)
	names := _credential_names(parts)
	shown := replace(_shown_url(parts, password), unresolved_part, "${...}")
	some finding in array.concat(
		[sprintf("URL %s carries a password in its user-info", [shown]) | password],
		[sprintf("URL %s carries credentials in query parameter \"%s\"", [shown, name]) | some name in names],
	)
]

_may_carry_credentials(url) if contains(url, "@")

_may_carry_credentials(url) if contains(url, "?")

# scheme, netloc, path, query and fragment (null when there is no "?" / "#") of scheme://...
_split_url(url) := {
	"scheme": lower(scheme),
	"netloc": netloc,
	"path": path,
	"query": query,
	"fragment": fragment,
} if {
	[scheme, rest] := _partition(url, "://")
	[before_fragment, fragment] := _optional_part(rest, "#")
	[before_query, query] := _optional_part(before_fragment, "?")
	[netloc, path] := _netloc_and_path(before_query)
}

_partition(text, separator) := [substring(text, 0, i), substring(text, i + count(separator), -1)] if {
	i := indexof(text, separator)
	i >= 0
} else := [text, null]

_optional_part(text, separator) := _partition(text, separator)

_netloc_and_path(text) := [substring(text, 0, i), substring(text, i, -1)] if {
	i := indexof(text, "/")
	i >= 0
} else := [text, ""]

# user-info: everything before the last "@" of the netloc; a password after its first ":"
_user_info(netloc) := [substring(netloc, 0, at), substring(netloc, at + 1, -1)] if {
	at := max(indexof_n(netloc, "@"))
}

_has_password(netloc) := true if {
	[user_info, _] := _user_info(netloc)
	[_, password] := _partition(user_info, ":")
	is_string(password)
	password != ""
} else := false

# Credential parameter names of the query, URL-decoded, each once (as first written), in order.
_credential_names(parts) := [name |
	names := [decoded |
		is_string(parts.query)
		some field in regex.split(`[&;]`, parts.query)
		raw := _partition(field, "=")[0]
		regex.match(`^(?:[A-Za-z0-9_-]|%[0-9A-Fa-f]{2})+$`, raw)
		decoded := _decoded(raw)
		lower(decoded) in {name | some name in _credential_parameters}
	]
	some i, name in names
	not _named_before(names, i)
]

_decoded(raw) := urlquery.decode(raw) if contains(raw, "%")

else := raw

_named_before(names, i) if {
	some j, earlier in names
	j < i
	lower(earlier) == lower(names[i])
}

# The URL with its password and the values of credential parameters masked, cut to 200 characters.
_shown_url(parts, mask_password) := _cut(concat("", [parts.scheme, "://", _shown_netloc(parts.netloc, mask_password), masked]), count(visible) < count(rest)) if {
	rest := concat("", [parts.path, _joined("?", parts.query), _joined("#", parts.fragment)])
	visible := substring(rest, 0, _max_url_shown)
	masked := regex.replace(visible, _credential_value, concat("", ["${1}", _mask]))
}

_joined(separator, part) := "" if part == null

else := concat("", [separator, part])

_shown_netloc(netloc, true) := concat("", [user, ":", _mask, "@", host]) if {
	[user_info, host] := _user_info(netloc)
	[user, _] := _partition(user_info, ":")
}

_shown_netloc(netloc, false) := netloc

_cut(shown, truncated) := concat("", [substring(shown, 0, _max_url_shown - 3), "..."]) if {
	_too_long(shown, truncated)
} else := shown

_too_long(shown, _) if count(shown) > _max_url_shown

_too_long(_, truncated) if truncated == true

# The value of a credential parameter anywhere in path, query or fragment (`#access_token=...`).
_credential_value := sprintf(`(?i)([&;?#/](?:%s)=)[^&;#]*`, [concat("|", [_encodable(name) | some name in _credential_parameters])])

# A name as a query may write it: each character literal or %-encoded.
_encodable(name) := concat("", [sprintf("(?:%s|%%%s)", [_literal(character), _hex(character)]) | some character in split(name, "")])

_literal(character) := `\-` if character == "-"

else := character

_hex(character) := "2[dD]" if character == "-"

else := "5[fF]" if character == "_"

else := sprintf("(?:%s|%s)", [_letter_hex(character), _letter_hex(upper(character))])

_letter_hex(letter) := {
	"a": "61", "b": "62", "c": "63", "d": "64", "e": "65", "f": "66", "g": "67", "h": "68", "i": "69", "j": "6[aA]",
	"k": "6[bB]", "l": "6[cC]", "m": "6[dD]", "n": "6[eE]", "o": "6[fF]", "p": "70", "q": "71", "r": "72", "s": "73",
	"t": "74", "u": "75", "v": "76", "w": "77", "x": "78", "y": "79", "z": "7[aA]",
	"A": "41", "B": "42", "C": "43", "D": "44", "E": "45", "F": "46", "G": "47", "H": "48", "I": "49", "J": "4[aA]",
	"K": "4[bB]", "L": "4[cC]", "M": "4[dD]", "N": "4[eE]", "O": "4[fF]", "P": "50", "Q": "51", "R": "52", "S": "53",
	"T": "54", "U": "55", "V": "56", "W": "57", "X": "58", "Y": "59", "Z": "5[aA]",
}[letter]
