#!/usr/bin/env bats
# Edge cases a new user hits: infinities, the ends of ranges, odd inputs.
# Each answer is the one Python, awk or jq gives for the same input.

load helpers

@test "edge: a sum that reaches inf is inf, not nan (Python sum, awk)" {
	printf 'x\ninf\n1\n' |
		check 0 $'sum_x,mean_x\ninf,inf\n' '' -- stream-agg 'sum(x), mean(x)'
	# 1e308 + 1e308 leaves the double range: Python's sum() says inf
	printf 'x\n1e308\n1e308\n-1e308\n' |
		check 0 $'sum_x\ninf\n' '' -- stream-agg 'sum(x)'
	printf 'x\n-inf\n-1\n' |
		check 0 $'sum_x\n-inf\n' '' -- stream-agg 'sum(x)'
	# inf - inf is nan, as in Python
	printf 'x\n-inf\ninf\n' |
		check 0 $'sum_x\nnan\n' '' -- stream-agg 'sum(x)'
	# the same through --partial/--merge and sliding panes
	printf 'x\ninf\n1\n' | stream-agg --partial 'sum(x)' |
		check 0 $'sum_x\ninf\n' '' -- stream-agg --merge 'sum(x)'
	printf 't,x\n1,inf\n2,1\n' |
		check 0 $'window_start,window_end,sum_x\n-2,2,inf\n0,4,inf\n2,6,1\n' '' -- \
		stream-window -t t --sliding 4,2 'sum(x)'
}

@test "edge: --strict-fields: a field guarded by has() may be read" {
	printf 'a,b\n1,2\n' |
		check 0 $'a,b\n' '' -- stream-filter --strict-fields 'has(c) && c > 0'
	printf 'a,b\n1,2\n' |
		check 2 '' "stream-filter: 1:1: unknown field 'c' (not in the first record; --strict-fields)
  c > 0
  ^" -- stream-filter --strict-fields 'c > 0'
}
