#!/usr/bin/env bats
# Differential tests on seeded generated JSON Lines and CSV (booleans,
# nulls, empty and missing fields, quoted numbers, changing fields):
# stream-filter, stream-map -g and stream-agg -g against an oracle written
# from the SPEC (tests/oracle/diff.py), and the round trip
# `X -o csv | Y -i csv` == `X | Y` for every pair of tools.

load helpers

setup() {
	command -v python3 >/dev/null || skip "no python3"
}

@test "differential: filter, map -g and agg -g agree with the SPEC oracle" {
	for seed in 1 2 3; do
		check 0 '' '' -- python3 "$BATS_TEST_DIRNAME/oracle/diff.py" oracle "$seed"
	done
}

@test "differential: X -o csv | Y -i csv equals X | Y for every pair of tools" {
	for seed in 1 2; do
		check 0 '' '' -- python3 "$BATS_TEST_DIRNAME/oracle/diff.py" roundtrip "$seed"
	done
}
