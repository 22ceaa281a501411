#!/usr/bin/env bats
# Fields in options (-g, -s, -x, -r, -t) take every form the language
# has; output column names are unique.

load helpers

@test "fields: -g takes \$N and N as the language's \$N (-N csv)" {
	printf 'a,1\nb,2\na,3\n' > "$BATS_TEST_TMPDIR/n.csv"
	for g in '$1' 1 '$01'; do
		check 0 $'a,2\nb,1\n' '' -- stream-agg -N -g "$g" count "$BATS_TEST_TMPDIR/n.csv"
	done
	check 0 $'a,2,4\nb,1,2\n' '' -- stream-agg -N -g '$1' 'count, sum($2)' "$BATS_TEST_TMPDIR/n.csv"
	# with a header, a position is the field there; its column is named by the number
	printf 'ip,b\na,1\nb,2\na,3\n' |
		check 0 $'1,sum_b\na,4\nb,2\n' '' -- stream-agg -g '$1' 'sum(b)'
	# and agrees with awk on the first word of lines
	printf 'GET /a x\nPOST /b y\nGET /c z\n' > "$BATS_TEST_TMPDIR/l"
	want=$(awk '{n[$1]++} END {for (k in n) print k, n[k]}' "$BATS_TEST_TMPDIR/l" | sort)
	check 0 "$want"$'\n' '' -- bash -o pipefail -c 'stream-agg -i lines -o tsv --no-output-header -g 1 count "$1" | tr "\t" " " | sort' sh "$BATS_TEST_TMPDIR/l"
	check 0 $'GET\t/a\t1\nPOST\t/b\t1\nGET\t/c\t1\n' '' -- \
		stream-agg -i lines -o tsv --no-output-header -g '$1,$2' count "$BATS_TEST_TMPDIR/l"
}

@test "fields: \${name with spaces} and \$name in -g, -s, -x, -r" {
	printf '{"user agent":"x","a,b":1,"c":2}\n{"user agent":"x","a,b":3,"c":4}\n' > "$BATS_TEST_TMPDIR/j"
	check 0 $'{"user agent":"x","sum_c":6}\n' '' -- stream-agg -g '${user agent}' 'sum(c)' "$BATS_TEST_TMPDIR/j"
	check 0 $'{"a,b":1,"count":1}\n{"a,b":3,"count":1}\n' '' -- stream-agg -g '${a,b}' count "$BATS_TEST_TMPDIR/j"
	check 0 $'{"a,b":1,"c":2,"count":1}\n{"a,b":3,"c":4,"count":1}\n' '' -- stream-agg -g '${a,b},$c' count "$BATS_TEST_TMPDIR/j"
	check 0 $'{"a,b":1,"c":2}\n{"a,b":3,"c":4}\n' '' -- stream-map -s '${a,b},$3' "$BATS_TEST_TMPDIR/j"
	check 0 $'{"a,b":1}\n{"a,b":3}\n' '' -- stream-map -x '$1,c' "$BATS_TEST_TMPDIR/j"
	check 0 $'{"ua":"x","a,b":1,"d":2}\n{"ua":"x","a,b":3,"d":4}\n' '' -- stream-map -r '${user agent}:ua,$3:d' "$BATS_TEST_TMPDIR/j"
	check 0 $'{"user agent":"x","a,b":1,"c":2,"n":1}\n{"user agent":"x","a,b":3,"c":4,"n":2}\n' '' -- \
		stream-map -g '$1' 'n = rownum()' "$BATS_TEST_TMPDIR/j"
	# a lines record's words become fields named by their number
	printf 'GET /a x\n' | check 0 $'{"1":"GET","3":"x"}\n' '' -- stream-map -i lines -o jsonl -s '1,$3'
	printf 'GET /a x\n' | check 0 $'{"line":"GET /a x","method":"GET"}\n' '' -- stream-map -i lines -o jsonl -r '1:method'
}

@test "fields: stream-window -t and -g take every form" {
	printf '1,5\n2,3\n3,1\n' |
		check 0 $'0,2,5\n2,4,4\n' '' -- stream-window -N -t '$1' --tumbling 2 'sum($2)'
	printf '1,5\n2,3\n3,1\n' |
		check 0 $'0,2,5\n2,4,4\n' '' -- stream-window -N -t 1 --tumbling 2 'sum($2)'
	printf '{"t s":1,"v":5}\n' |
		check 0 $'{"window_start":0,"window_end":2,"sum_v":5}\n' '' -- stream-window -t '${t s}' --tumbling 2 'sum(v)'
	printf '1 GET\n2 POST\n3 GET\n' |
		check 0 $'{"window_start":1,"window_end":3,"2":"GET","count":2}\n{"window_start":2,"window_end":2,"2":"POST","count":1}\n' '' -- \
		stream-window -i lines -o jsonl -t 1 -g 2 --count 2 count
}

@test "fields: bad field lists are usage errors" {
	check 2 '' $'stream-agg: -g: no field $0 ($1 is the first; $0, the whole record, is not a field)\nTry \'stream-agg --help\' for more information.' -- stream-agg -g '$0' count
	check 2 '' $'stream-agg: -g: empty field name in \'a,,b\'\nTry \'stream-agg --help\' for more information.' -- stream-agg -g 'a,,b' count
	check 2 '' $'stream-map: -s: \'${a\': ${ without its closing }\nTry \'stream-map --help\' for more information.' -- stream-map -s '${a'
	check 2 '' $'stream-map: -x: empty field name in \'$\'\nTry \'stream-map --help\' for more information.' -- stream-map -x '$'
	check 2 '' $'stream-window: -t: empty field name in \'${}\'\nTry \'stream-window --help\' for more information.' -- stream-window -t '${}' --tumbling 1s count
}

@test "fields: duplicate output columns are a program error (exit 2)" {
	check 2 '' $'stream-agg: 1:8: duplicate output column \'count\'\n  count, sum(x) as count\n         ^^^^^^' -- stream-agg 'count, sum(x) as count'
	check 2 '' $'stream-agg: 1:1: duplicate output column \'x\'\n  sum(x) as x\n  ^^^^^^' -- stream-agg -g x 'sum(x) as x'
	check 2 '' $'stream-agg: 1:8: duplicate output column \'count\' (name it with \'as\')\n  count, count\n         ^^^^^' -- stream-agg 'count, count'
	check 2 '' $'stream-agg: 1:1: duplicate output column \'time\'\n  count as time\n  ^^^^^' -- stream-agg --every 5 'count as time'
	check 2 '' $'stream-agg: -g: duplicate output column \'a\'\nTry \'stream-agg --help\' for more information.' -- stream-agg -g 'a,$a' count
	check 2 '' $'stream-window: 1:1: duplicate output column \'window_start\'\n  sum(x) as window_start\n  ^^^^^^' -- \
		stream-window --tumbling 1s 'sum(x) as window_start'
	check 2 '' $'stream-window: 1:10: duplicate output column \'k\'\n  count,   count as k\n           ^^^^^' -- \
		stream-window --tumbling 1s -g k 'count,   count as k'
	# distinct names are fine, and nothing is read before the check
	printf 'x\n1\n' | check 0 $'count,count2\n1,1\n' '' -- stream-agg 'count, count as count2'
}

@test "fields: -s naming a field twice keeps it once" {
	printf '{"a":1,"b":2}\n' | check 0 $'{"a":1,"b":2}\n' '' -- stream-map -s 'a,b,$1,a'
}
