#!/usr/bin/env bats
# Messages: the summary of bad records, late records, usage errors and
# suggestions for misspelt names.

load helpers

@test "messages: the summary names the kind of error whole" {
	# the first ten are said one by one
	f=$BATS_TEST_TMPDIR/r.csv
	{ echo a,b; for i in $(seq 12); do echo 1; done; } > "$f"
	check 1 $'a,b\n' "$(for i in $(seq 2 11); do echo "stream-filter: $f:$i: expected 2 fields, got 1"; done)
stream-filter: 2 more records rejected: wrong number of fields
stream-filter: 12 bad records skipped" -- stream-filter true "$f"
	f=$BATS_TEST_TMPDIR/j
	for i in $(seq 13); do echo '{"a":'; done > "$f"
	check 1 '' "$(for i in $(seq 10); do echo "stream-filter: $f:$i: bad JSON: unexpected end of line at column 6"; done)
stream-filter: 3 more records rejected: bad JSON
stream-filter: 13 bad records skipped" -- stream-filter true "$f"
	f=$BATS_TEST_TMPDIR/l
	for i in $(seq 11); do echo 'a="x'; done > "$f"
	check 1 '' "$(for i in $(seq 10); do echo "stream-filter: $f:$i: bad logfmt: unterminated quoted value at column 3"; done)
stream-filter: 1 more record rejected: bad logfmt
stream-filter: 11 bad records skipped" -- stream-filter -i logfmt true "$f"
}

@test "messages: late records are summed up as late, apart from bad ones" {
	printf 't\n10\n1\n2\nx\n' | check 1 $'window_start,window_end,count\n10,12,1\n' \
		$'stream-window: stdin:3: late record: time 1 is behind the watermark 10\nstream-window: stdin:4: late record: time 2 is behind the watermark 10\nstream-window: stdin:5: t: not a time: "x"\nstream-window: 1 bad record skipped\nstream-window: 2 late records dropped' -- \
		stream-window -t t --tumbling 2 count
	printf 't\n10\n1\n' | check 1 $'window_start,window_end,count\n10,12,1\n' \
		$'stream-window: stdin:3: late record: time 1 is behind the watermark 10\nstream-window: 1 late record dropped' -- \
		stream-window -t t --tumbling 2 count
}

@test "messages: stream-map '' is a usage error" {
	echo x | check 2 '' $'stream-map: empty PROGRAM (-e \'\' is a program that does nothing)\nTry \'stream-map --help\' for more information.' -- stream-map ''
	echo x | check 0 $'x\n' '' -- stream-map -e ''
}

@test "messages: an unknown aggregate or function suggests the nearest name" {
	check 2 '' $'stream-agg: 1:1: unknown aggregate \'summ\' (did you mean \'sum\'?)\n  summ(x)\n  ^^^^^^^' -- stream-agg 'summ(x)'
	check 2 '' $'stream-agg: 1:9: unknown aggregate \'cuont\' (did you mean \'count\'?)\n  sum(x), cuont\n          ^^^^^' -- stream-agg 'sum(x), cuont'
	check 2 '' $'stream-window: 1:1: unknown aggregate \'medain\' (did you mean \'median\'?)\n  medain(x)\n  ^^^^^^^^^' -- stream-window --tumbling 1s 'medain(x)'
	check 2 '' $'stream-filter: 1:1: unknown function \'lenn\' (did you mean \'len\'?)\n  lenn(x) > 1\n  ^^^^' -- stream-filter 'lenn(x) > 1'
	check 2 '' $'stream-map: 1:5: unknown function \'cumsun\' (did you mean \'cumsum\'?)\n  a = cumsun(x)\n      ^^^^^^' -- stream-map 'a = cumsun(x)'
	# nothing near: no guess; program-only functions are not offered outside programs
	check 2 '' $'stream-agg: 1:1: unknown aggregate \'xyzzy\'\n  xyzzy\n  ^^^^^' -- stream-agg xyzzy
	check 2 '' $'stream-filter: 1:1: unknown function \'cumsun\'\n  cumsun(x)\n  ^^^^^^' -- stream-filter 'cumsun(x)'
}

@test "messages: an empty FILE operand is named '' (as cat names it)" {
	echo x | check 1 $'x\n' "stream-filter: '': No such file or directory" -- stream-filter true - ''
}
