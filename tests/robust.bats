#!/usr/bin/env bats
# Hostile input: what fuzzing found, each pinned to its exact outcome.
load helpers

# --- a column past the row's end (headerless CSV) ---------------------------

@test "robust: headerless CSV, a group column past a short row's end is empty" {
	check 0 $'b,1\n,1\n' '' -- sh -c "printf 'a,b\nc\n' | stream-agg -N -g 2 count"
}

@test "robust: headerless CSV, \${N} past this row's end is absent, not an earlier row's" {
	check 0 '' '' -- sh -c "printf 'a\n' | stream-filter -N '\${12} == \"x\"'"
	check 0 $'a,b,c,c|\n\nd,|\n' '' -- sh -c "printf 'a,b,c\nd\n' | stream-map -N 'x = \${3} .. \"|\"'"
	check 0 $'d\n' '' -- sh -c "printf 'a,b,c\nd\n' | stream-filter -N 'len(\${3}) == 0'"
}
