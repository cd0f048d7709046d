# METADATA
# title: Personal data and credentials in text (CKV_IM_10, CKV_IM_11)
# description: |
#   RULES.md, CKV_IM_10 and CKV_IM_11, as checks/ckv_im/sensitive_text.py reads
#   them: e-mail addresses, E.164 phone numbers, and URLs (URLs inside URLs
#   too) carrying a password or a credential query or fragment parameter, in
#   text read as its reader sees it (`as_read`; all but Python's NFKC folding).
#   Every description masks the secrets of what it shows, so a CI log does not
#   repeat an address, number, password or token.
#   Go's regular expressions have no look-around: the phone number's
#   boundaries are checked on the text around each match instead.
package incident_manager.lib.text

import rego.v1

import data.incident_manager.lib.util

# A string built partly from values known only later (`owner ${Team}@example.com`) is scanned with
# this character in place of each unresolved part: it is never part of an e-mail address, and a
# phone number that touches it could be part of a longer number, so it is not reported.
unresolved_part := "\u0000"

# --- text as its reader sees it --------------------------------------------------------------------
# JSON escapes left in a string that holds JSON text ("https:\/\/", "\u0040") are undone and
# characters that render as nothing (zero-width spaces and joiners, bidirectional controls, the soft
# hyphen, variation selectors) removed, so that none of them hides a finding. Python also folds
# compatibility forms (fullwidth "＠", "：", digits) by NFKC, which no Rego builtin does: text that
# NFKC changes may hold a finding only Python reports.
_json_escape := `\\(?:/|u[0-9A-Fa-f]{4})`

_invisible := `[\x{ad}\x{34f}\x{61c}\x{115f}\x{1160}\x{17b4}\x{17b5}\x{180b}-\x{180f}\x{200b}-\x{200f}\x{202a}-\x{202e}\x{2060}-\x{206f}\x{3164}\x{fe00}-\x{fe0f}\x{feff}\x{ffa0}\x{fff9}-\x{fffb}]`

as_read(text) := regex.replace(_json_unescaped(text), _invisible, "")

_json_unescaped(text) := text if not contains(text, "\\")

else := concat("", array.concat(
	[concat("", [pieces[i], _unescaped(escape)]) | some i, escape in escapes],
	[pieces[count(escapes)]],
)) if {
	escapes := regex.find_n(_json_escape, text, -1)
	pieces := regex.split(_json_escape, text)
}

_unescaped(escape) := "/" if escape == "\\/"

else := json.unmarshal(sprintf(`"%s"`, [escape]))

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

# Cheap tests before the scans: text that cannot hold a finding (as read: an escape or a
# non-ASCII character may hide one).
may_hold_personal_data(text) if regex.match(`[@+\\]|[^\x00-\x7f]`, text)

may_hold_url_credentials(text) if regex.match(`://|(?i:%3A%2F%2F)|\\|[^\x00-\x7f]`, text)

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
personal_data(raw) := [found.text | some found in sort_by_start] if {
	text := as_read(raw)
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

# Findings per text: the verdict is FAILED already; more lines tell nothing new.
_max_findings := 50

# One masked description per credential a URL in the text carries: a non-empty password in its
# user-info, or a query or fragment parameter named (URL-decoded, case-insensitively) like a
# credential. A URL inside another one (`https://h/?next=https://u:p@x`, `a://x,b://u:p@y`) is a
# URL too, percent-encoded or not. Each line once, in order.
url_credentials(raw) := _first_of_each(array.slice(found, 0, _max_findings)) if {
	text := _with_urls(as_read(raw))
	found := [finding |
		contains(text, "://")
		some run in regex.find_n(_url, text, -1)
		some finding in _run_findings(run)
	]
}

# A text holding a URL written percent-encoded as a whole is read decoded.
_with_urls(text) := text if contains(text, "://")

else := _unquoted(text) if contains(upper(text), "%3A%2F%2F")

else := text

# Python's unquote: each run of %XX escapes decoded, anything else (a lone "%", "+") as written.
_percent_runs := `(?:%[0-9A-Fa-f]{2})+`

_unquoted(text) := text if not contains(text, "%")

else := concat("", array.concat(
	[concat("", [pieces[i], urlquery.decode(escaped)]) | some i, escaped in runs],
	[pieces[count(runs)]],
)) if {
	runs := regex.find_n(_percent_runs, text, -1)
	pieces := regex.split(_percent_runs, text)
}

_run_findings(run) := array.concat(
	array.concat(_findings_in_url(run), _inner_url_findings(run)),
	[finding | contains(run, "%"); some finding in _inner_url_findings(_unquoted(run))],
)

# Where a URL starts inside another: a scheme at the start of a run of scheme characters (its
# leading digits, "+", "." and "-" left out); the run's own scheme, at 0, is not one. Each inner
# URL runs to the next one's scheme. Split, not located, so that many schemes are read in linear time.
_scheme := `[0-9+.-]*([A-Za-z][A-Za-z0-9+.-]*://)`

_inner_url_findings(run) := [finding |
	schemes := regex.find_all_string_submatch_n(_scheme, run, -1)
	pieces := regex.split(_scheme, run)
	some i, scheme in schemes
	_inner(i, pieces)
	url := concat("", [scheme[1], pieces[i + 1], _leading(schemes, i + 1)])
	some finding in _findings_in_url(url)
]

_inner(i, _) if i > 0

_inner(0, pieces) if pieces[0] != ""

# The digits, "+", "." and "-" before a scheme's first letter (none after the last scheme).
_leading(schemes, i) := trim_suffix(schemes[i][0], schemes[i][1]) if i < count(schemes)

else := ""

_findings_in_url(url) := [finding |
	_may_carry_credentials(url)
	parts := _split_url(url)
	password := _has_password(parts.netloc)
	names := _credential_names(parts.query)
	fragment_names := _credential_names(_fragment_fields(parts.fragment))
	_any_found(password, names, fragment_names)
	shown := replace(_shown_url(parts, password), unresolved_part, "${...}")
	some finding in array.concat(
		array.concat(
			[sprintf("URL %s carries a password in its user-info", [shown]) | password],
			[sprintf("URL %s carries credentials in query parameter \"%s\"", [shown, name]) | some name in names],
		),
		[sprintf("URL %s carries credentials in fragment parameter \"%s\"", [shown, name]) | some name in fragment_names],
	)
]

_any_found(true, _, _)

_any_found(_, names, _) if count(names) > 0

_any_found(_, _, names) if count(names) > 0

# A fragment's fields as a query's ("#a=1?access_token=x").
_fragment_fields(fragment) := replace(fragment, "?", "&") if is_string(fragment)

else := null

_may_carry_credentials(url) if contains(url, "@")

_may_carry_credentials(url) if contains(url, "?")

_may_carry_credentials(url) if contains(url, "#")

# The first of each equal line, in order (sorting keeps it O(n log n)).
_first_of_each(lines) := [lines[index] | some index in sort(firsts)] if {
	order := sort([[line, i] | some i, line in lines])
	firsts := [entry[1] | some k, entry in order; _first_in_order(order, k)]
}

_first_in_order(_, 0)

_first_in_order(order, k) if order[k - 1][0] != order[k][0]

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

# Credential parameter names of a query, URL-decoded, each once (as first written), in order.
_credential_names(query) := [name |
	names := [decoded |
		is_string(query)
		some field in regex.split(`[&;]`, query)
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

# The URL with every password, the values of credential parameters, e-mail addresses and phone
# numbers masked (as a whole, so that a cut never leaves part of a secret), cut to 200 characters.
_shown_url(parts, mask_password) := _cut(_masked_text(concat("", [parts.scheme, "://", _shown_netloc(parts.netloc, mask_password), masked]))) if {
	rest := concat("", [parts.path, _joined("?", parts.query), _joined("#", parts.fragment)])
	masked := regex.replace(rest, _credential_value, concat("", ["${1}", _mask]))
}

_joined(separator, part) := "" if part == null

else := concat("", [separator, part])

_shown_netloc(netloc, true) := concat("", [user, ":", _mask, "@", host]) if {
	[user_info, host] := _user_info(netloc)
	[user, _] := _partition(user_info, ":")
}

_shown_netloc(netloc, false) := netloc

_cut(shown) := concat("", [substring(shown, 0, _max_url_shown - 3), "..."]) if {
	count(shown) > _max_url_shown
} else := shown

# A password in any user-info (inner URLs too), e-mail addresses and phone numbers, masked.
_shown_password := sprintf(`(://[^/?#@:%s]*:)[^/?#@%s]+@`, [util.python_space, util.python_space])

_masked_text(text) := _phones_masked(_emails_masked(regex.replace(text, _shown_password, concat("", ["${1}", _mask, "@"]))))

_emails_masked(text) := text if not contains(text, "@")

else := regex.replace(text, `([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})`, concat("", ["${1}", _mask, "@${2}"]))

# Phone numbers masked where their boundaries hold (no digit or "+" before, no digit or separator
# and digit after); split, not located, so that many numbers are read in linear time.
_phones_masked(text) := text if not contains(text, "+")

else := concat("", array.concat(
	[concat("", [pieces[i], _phone_shown(number, pieces, i)]) | some i, number in numbers],
	[pieces[count(numbers)]],
)) if {
	numbers := regex.find_n(_phone, text, -1)
	pieces := regex.split(_phone, text)
}

_phone_shown(number, pieces, i) := _masked_phone(number) if {
	_free_before(pieces, i)
	not regex.match(`^(?:[0-9]|[ .-][0-9])`, substring(pieces[i + 1], 0, 2))
} else := number

_free_before(pieces, i) if {
	pieces[i] != ""
	not regex.match(`[0-9+]$`, pieces[i])
}

_free_before(pieces, 0) if pieces[0] == "" # the text starts with it

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
