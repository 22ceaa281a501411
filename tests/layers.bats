#!/usr/bin/env bats
# The layers of src/lib (tests/layers.py): no include cycle, no call cycle
# between modules, and the expression engine one way (lexer, parser,
# compiler, functions and evaluator, values).

load helpers

@test "layers: no include or call cycle in src/lib; the expression engine one way" {
	check 0 "" "" -- python3 "$BATS_TEST_DIRNAME/layers.py" "${BUILD:-$BATS_TEST_DIRNAME/../build}"
}
