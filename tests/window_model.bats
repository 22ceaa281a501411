#!/usr/bin/env bats
# stream-window against the reference model of tests/windows/model.py, on
# seeded random streams and options (make check-windows N=... runs more).

load helpers

@test "window model: 500 seeded random cases agree with the tool" {
	check 0 $'500 cases, 0 disagree\n' '' -- \
		python3 "$BATS_TEST_DIRNAME/windows/check.py" -n 500 -s 1 --bin "$BIN"
}
