#!/usr/bin/env bats
# The tests' own style: every test goes through check (tests/helpers.bash),
# which compares exit status, stdout and stderr exactly; a test does not
# capture output with bats' run to match a part of it.

load helpers

@test "style: no test captures with run or asserts with bats-assert" {
	cd "$BATS_TEST_DIRNAME"
	# grep finds nothing: status 1
	check 1 '' '' -- grep -n -E '^\s*run\s|\<(assert|refute)_[a-z]+' -- *.bats helpers.bash
}
