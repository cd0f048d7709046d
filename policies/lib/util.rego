# METADATA
# title: Shared helpers
# description: |
#   Small helpers every view and rule library uses: typed access to input that may
#   have any shape (a plan comes from anywhere, so nothing here may raise or
#   conflict), and the marker for a value that cannot be resolved statically.
package incident_manager.lib.util

import rego.v1

# A value the view could not resolve statically, inside a structure that is
# otherwise known (a key policy with one unresolved principal). Fields of the
# view that are unresolved as a whole are simply left out of their object.
unresolved(text) := {"$unresolved": text}

# An unresolved string that will be a string at apply time (a template such as
# `arn:aws:iam::${var.account}:root`): a condition compares it literally.
unresolved_template(text) := {"$unresolved": text, "template": true}

is_unresolved(value) if is_string(value["$unresolved"])

# value as an array / object, or empty when it has another type
array_of(value) := value if is_array(value)

else := []

object_of(value) := value if is_object(value)

else := {}

# An IAM element may be one value or a list of values.
as_list(value) := value if is_array(value)

else := [value]

# Python's truth value of a JSON value (the Python adapter tests fields that way).
truthy(value) if {
	not value in {null, false, 0, "", [], {}}
	not _empty_set(value)
}

_empty_set(value) if {
	is_set(value)
	count(value) == 0
}

# An object from [key, value] pairs in which a key may repeat: the last pair wins,
# as in a Python dict. (An object comprehension with a repeated key and different
# values is a conflict error in OPA; junk plans repeat addresses.) Sorting keeps it
# O(n log n) for plans with many resources.
by_key(pairs) := {pair[0]: pair[1] | some pair in pairs} if {
	count({pair[0] | some pair in pairs}) == count(pairs)
} else := {key: pairs[index][1] |
	order := sort([[pair[0], i] | some i, pair in pairs])
	some k, entry in order
	not _repeated_later(order, k)
	key := entry[0]
	index := entry[1]
}

_repeated_later(order, k) if order[k + 1][0] == order[k][0]

# An object from [key, value] pairs: key -> the set of its values. Sorting keeps it O(n log n)
# (a lookup by key in a rule that iterates the pairs would scan them all for every key).
group_by(pairs) := {sorted[start][0]: {sorted[j][1] | some j in numbers.range(start, _group_end(starts, i, count(sorted)))} |
	sorted := sort(pairs)
	starts := [k | some k, _ in sorted; _starts_group(sorted, k)]
	some i, start in starts
}

_starts_group(_, k) if k == 0

_starts_group(sorted, k) if sorted[k - 1][0] != sorted[k][0]

_group_end(starts, i, total) := starts[i + 1] - 1 if i + 1 < count(starts)

else := total - 1

# Python's text.strip(): Unicode white space, including the separators \x1c-\x1f that Go's does not count.
strip(text) := regex.replace(text, sprintf(`^[%s]+|[%s]+$`, [python_space, python_space]), "")

# Python's \s in str patterns (Go's \s is ASCII only), for regular expressions.
python_space := `\t\n\x{0b}\f\r \x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}`
