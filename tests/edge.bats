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
	merged() ( set -o pipefail; printf 'x\ninf\n1\n' | stream-agg --partial 'sum(x)' | stream-agg --merge 'sum(x)' )
	check 0 $'sum_x\ninf\n' '' -- merged
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

@test "edge: distinct, approx_distinct and top skip empty values, as SQL's COUNT(DISTINCT)" {
	printf 's\nx\n""\ny\nx\n' |
		check 0 $'distinct_s,approx_distinct_s,top_s,count\n2,2,x:2;y:1,4\n' '' -- \
		stream-agg 'distinct(s), approx_distinct(s), top(s, 3), count'
	printf '{"s":null}\n{"s":"x"}\n{}\n' |
		check 0 $'{"distinct_s":1,"top_s":"x:1","count":3}\n' '' -- \
		stream-agg 'distinct(s), top(s, 3), count'
	# sqlite3 would say the same: SELECT COUNT(DISTINCT s) over x, NULL, y, x is 2
	[ "$(printf 'x\n\ny\nx\n' | awk 'NF && !seen[$0]++' | wc -l)" = 2 ]
}

@test "edge: a strptime format with no year takes the clock's year, as syslog times do" {
	# the clock is 2023-11-14T22:13:20Z: December lines are last year's
	printf 'ts,v\nDec 10 06:55:46,1\nJan  2 00:00:01,2\n' | SK_TEST_CLOCK=1700000000 \
		check 0 $'window_start,window_end,count\n2022-12-10T06:00:00Z,2022-12-10T07:00:00Z,1\n2023-01-02T00:00:00Z,2023-01-02T01:00:00Z,1\n' '' -- \
		stream-window -t ts --time-format '%b %d %H:%M:%S' --tumbling 1h --time-out iso count
	# the same answer as the syslog form without --time-format
	printf 'ts,v\nDec 10 06:55:46,1\nJan  2 00:00:01,2\n' | SK_TEST_CLOCK=1700000000 \
		check 0 $'window_start,window_end,count\n2022-12-10T06:00:00Z,2022-12-10T07:00:00Z,1\n2023-01-02T00:00:00Z,2023-01-02T01:00:00Z,1\n' '' -- \
		stream-window -t ts --tumbling 1h --time-out iso count
	printf 'a\n1\n' | SK_TEST_CLOCK=1700000000 \
		check 0 $'{"a":1,"r":1670655346,"s":1670655346,"m":1668553200,"u":37230.25,"w":""}\n' '' -- \
		stream-map -o jsonl 'r = strptime("Dec 10 06:55:46", "%b %d %H:%M:%S"); s = time("Dec 10 06:55:46"); m = strptime("11/15 23:00", "%m/%d %H:%M"); u = strptime("10:20:30.25", "%H:%M:%S.%f"); w = strptime("Feb 29 00:00:00", "%b %d %H:%M:%S")'
	# GNU date agrees on the year: 2022-12-10T06:55:46Z
	[ "$(date -u -d @1670655346 +%Y-%m-%dT%H:%M:%S)" = 2022-12-10T06:55:46 ]
}

@test "edge: -d says it takes one byte (a two-byte character is refused as such)" {
	printf 'a\n1\n' |
		check 2 '' "stream-agg: -d takes one byte other than '\"', CR and LF (or 'tab'), not 'é'
Try 'stream-agg --help' for more information." -- stream-agg -d 'é' count
	printf 'a\n1\n' |
		check 2 '' "stream-filter: -d takes one byte other than '\"', CR and LF (or 'tab'), not ';;'
Try 'stream-filter --help' for more information." -- stream-filter -d ';;' true
	printf 'a;b\n1;2\n' | check 0 $'sum_b\n2\n' '' -- stream-agg -d ';' 'sum(b)'
}
