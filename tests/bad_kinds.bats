#!/usr/bin/env bats
# The bad-data channel: every kind of bad record, its message and the
# summary line that counts it (the first ten of a kind said, the rest
# counted by kind), and the errors that end the input (a record over
# --max-record, a bad CSV header) whatever --on-error says.

load helpers

# warned PROG SRC FIRST N MSG: what is said of N bad records of one kind
# on lines FIRST, FIRST+1, ... of SRC, each said as MSG, under --on-error
# warn: the first ten (the rest are counted at the end).
warned() {
	local prog=$1 src=$2 first=$3 n=$4 msg=$5 i
	for ((i = 0; i < n && i < 10; i++)); do
		printf '%s\n' "$prog: $src:$((first + i)): $msg"
	done
}

# rows N LINE: LINE, N times.
rows() {
	local i
	for ((i = 0; i < $1; i++)); do
		printf '%s\n' "$2"
	done
}

@test "bad kinds: bad CSV" {
	rows 12 '"x"y' | sed '1i a' > "$BATS_TEST_TMPDIR/in"
	check 1 $'a\n' "$(warned stream-filter stdin 2 12 'bad CSV: text after a closing quote')
stream-filter: 2 more records rejected: bad CSV
stream-filter: 12 bad records skipped" -- stream-filter true <"$BATS_TEST_TMPDIR/in"
	check 1 $'a\n' 'stream-filter: stdin:2: bad CSV: unterminated quoted field at end of input
stream-filter: 1 bad record skipped' -- stream-filter true <<<$'a\n"x'
}

@test "bad kinds: wrong number of fields, csv and tsv" {
	rows 11 '1,2' | sed '1i a' > "$BATS_TEST_TMPDIR/in"
	check 1 $'a\n' "$(warned stream-filter stdin 2 11 'expected 1 fields, got 2')
stream-filter: 1 more record rejected: wrong number of fields
stream-filter: 11 bad records skipped" -- stream-filter true <"$BATS_TEST_TMPDIR/in"
	rows 11 1 | sed '1i a\tb' > "$BATS_TEST_TMPDIR/in"
	check 1 $'a\tb\n' "$(warned stream-filter stdin 2 11 'expected 2 fields, got 1')
stream-filter: 1 more record rejected: wrong number of fields
stream-filter: 11 bad records skipped" -- stream-filter true <"$BATS_TEST_TMPDIR/in"
}

@test "bad kinds: bad JSON, bad logfmt, bad CLF" {
	rows 12 '{"a":' > "$BATS_TEST_TMPDIR/in"
	check 1 '' "$(warned stream-filter stdin 1 12 'bad JSON: unexpected end of line at column 6')
stream-filter: 2 more records rejected: bad JSON
stream-filter: 12 bad records skipped" -- stream-filter true <"$BATS_TEST_TMPDIR/in"
	rows 12 'a="x' > "$BATS_TEST_TMPDIR/in"
	check 1 '' "$(warned stream-filter stdin 1 12 'bad logfmt: unterminated quoted value at column 3')
stream-filter: 2 more records rejected: bad logfmt
stream-filter: 12 bad records skipped" -- stream-filter -i logfmt true <"$BATS_TEST_TMPDIR/in"
	rows 12 x > "$BATS_TEST_TMPDIR/in"
	check 1 '' "$(warned stream-filter stdin 1 12 "bad CLF: expected '[' at column 2")
stream-filter: 2 more records rejected: bad CLF
stream-filter: 12 bad records skipped" -- stream-filter -i clf true <"$BATS_TEST_TMPDIR/in"
}

@test "bad kinds: not a number, in stream-agg and stream-window" {
	rows 11 x | sed '1i v' > "$BATS_TEST_TMPDIR/in"
	check 1 $'sum_v\n""\n' "$(warned stream-agg stdin 2 11 'v: not a number: "x"')
stream-agg: 1 more record rejected: not a number
stream-agg: 11 bad records skipped" -- stream-agg 'sum(v)' <"$BATS_TEST_TMPDIR/in"
	rows 11 1,x | sed '1i t,v' > "$BATS_TEST_TMPDIR/in"
	check 1 $'window_start,window_end,sum_v\n' "$(warned stream-window stdin 2 11 'v: not a number: "x"')
stream-window: 1 more record rejected: not a number
stream-window: 11 bad records skipped" -- stream-window -t t --tumbling 2 'sum(v)' <"$BATS_TEST_TMPDIR/in"
}

@test "bad kinds: not a time, a window out of range" {
	rows 11 x | sed '1i t' > "$BATS_TEST_TMPDIR/in"
	check 1 $'window_start,window_end,count\n' "$(warned stream-window stdin 2 11 't: not a time: "x"')
stream-window: 1 more record rejected: not a time
stream-window: 11 bad records skipped" -- stream-window -t t --tumbling 2 count <"$BATS_TEST_TMPDIR/in"
	rows 11 2262-04-11T23:00:00Z | sed '1i ts' > "$BATS_TEST_TMPDIR/in"
	check 1 $'window_start,window_end,count\n' "$(warned stream-window stdin 2 11 'ts: time 2262-04-11T23:00:00Z: its window does not fit in the time range (1677-09-21 to 2262-04-11)')
stream-window: 1 more record rejected: window out of range
stream-window: 11 bad records skipped" -- stream-window -t ts --tumbling 1h count <"$BATS_TEST_TMPDIR/in"
}

@test "bad kinds: a regex past the engine's limits" {
	rows 11 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab | sed '1i s' > "$BATS_TEST_TMPDIR/in"
	check 1 $'s\n' "$(warned stream-filter stdin 2 11 'regex: match limit exceeded')
stream-filter: 1 more record rejected: regex
stream-filter: 11 bad records skipped" -- stream-filter 's =~ "^(a+)+$"' <"$BATS_TEST_TMPDIR/in"
}

@test "bad kinds: late records are counted apart from bad ones" {
	{ echo t; echo 100; rows 12 1; rows 11 x; } > "$BATS_TEST_TMPDIR/in"
	check 1 $'window_start,window_end,count\n100,102,1\n' "$(warned stream-window stdin 3 12 'late record: time 1 is behind the watermark 100')
$(warned stream-window stdin 15 11 't: not a time: "x"')
stream-window: 2 more records rejected: late record
stream-window: 1 more record rejected: not a time
stream-window: 11 bad records skipped
stream-window: 12 late records dropped" -- stream-window -t t --tumbling 2 count <"$BATS_TEST_TMPDIR/in"
}

@test "bad kinds: the summary lists the kinds in the order they were first met" {
	{ echo a; rows 11 '"x"y'; rows 11 1,2; } > "$BATS_TEST_TMPDIR/in"
	check 1 $'a\n' "$(warned stream-filter stdin 2 11 'bad CSV: text after a closing quote')
$(warned stream-filter stdin 13 11 'expected 1 fields, got 2')
stream-filter: 1 more record rejected: bad CSV
stream-filter: 1 more record rejected: wrong number of fields
stream-filter: 22 bad records skipped" -- stream-filter true <"$BATS_TEST_TMPDIR/in"
	{ echo a; rows 11 1,2; rows 11 '"x"y'; } > "$BATS_TEST_TMPDIR/in"
	check 1 $'a\n' "$(warned stream-filter stdin 2 11 'expected 1 fields, got 2')
$(warned stream-filter stdin 13 11 'bad CSV: text after a closing quote')
stream-filter: 1 more record rejected: wrong number of fields
stream-filter: 1 more record rejected: bad CSV
stream-filter: 22 bad records skipped" -- stream-filter true <"$BATS_TEST_TMPDIR/in"
}

@test "bad kinds: skip says nothing, fail stops at the first; both write --rejects" {
	{ echo a; echo 1; echo '"x"y'; echo 1,2; echo 2; } > "$BATS_TEST_TMPDIR/in"
	check 0 $'a\n1\n2\n' '' -- stream-filter --on-error skip --rejects "$BATS_TEST_TMPDIR/rej" true "$BATS_TEST_TMPDIR/in"
	check 0 $'"x"y\n1,2\n' '' -- cat "$BATS_TEST_TMPDIR/rej"
	check 1 $'a\n1\n' "stream-filter: $BATS_TEST_TMPDIR/in:3: bad CSV: text after a closing quote" -- \
		stream-filter --on-error fail --rejects "$BATS_TEST_TMPDIR/rej" true "$BATS_TEST_TMPDIR/in"
	check 0 $'"x"y\n' '' -- cat "$BATS_TEST_TMPDIR/rej"
}

@test "bad kinds: a record over --max-record ends the input whatever --on-error says" {
	long=$(head -c 2000 /dev/zero | tr '\0' x)
	check 1 '' 'stream-filter: stdin:1: record longer than 1024 bytes (--max-record)' -- \
		stream-filter --max-record 1K true <<<"$long"
	printf 'a,b\n1,2\n"x\n%s\ny",3\n4,5\n' "$long" > "$BATS_TEST_TMPDIR/in"
	check 1 $'a,b\n1,2\n' 'stream-filter: stdin:4: record longer than 1024 bytes (--max-record)' -- \
		stream-filter --max-record 1K true <"$BATS_TEST_TMPDIR/in"
	check 1 $'a,b\n1,2\n' 'stream-filter: stdin:4: record longer than 1024 bytes (--max-record)' -- \
		stream-filter --max-record 1K --on-error skip --rejects "$BATS_TEST_TMPDIR/rej" true <"$BATS_TEST_TMPDIR/in"
	check 0 '' '' -- cat "$BATS_TEST_TMPDIR/rej"
	printf '{"a":1}\n{"a":"%s"}\n{"a":2}\n' "$long" > "$BATS_TEST_TMPDIR/in"
	check 1 $'a\n1\n' 'stream-filter: stdin:2: record longer than 1024 bytes (--max-record)' -- \
		stream-filter -o table --max-record 1K --on-error fail true <"$BATS_TEST_TMPDIR/in"
	echo '{"a":0}' > "$BATS_TEST_TMPDIR/g"
	check 1 $'{"a":0}\n{"a":1}\n' "stream-filter: $BATS_TEST_TMPDIR/in:2: record longer than 1024 bytes (--max-record)" -- \
		stream-filter --max-record 1K true "$BATS_TEST_TMPDIR/g" "$BATS_TEST_TMPDIR/in" "$BATS_TEST_TMPDIR/g"
}

@test "bad kinds: a bad CSV header ends the input whatever --on-error says" {
	printf 'a\n1\n' > "$BATS_TEST_TMPDIR/g.csv"
	printf '"a\n' > "$BATS_TEST_TMPDIR/b.csv"
	printf 'a,"b"c\n1,2\n' > "$BATS_TEST_TMPDIR/c.csv"
	check 1 $'a\n1\n' "stream-filter: $BATS_TEST_TMPDIR/b.csv:1: bad header: bad CSV: unterminated quoted field at end of input" -- \
		stream-filter --on-error skip true "$BATS_TEST_TMPDIR/g.csv" "$BATS_TEST_TMPDIR/b.csv" "$BATS_TEST_TMPDIR/g.csv"
	check 1 '' "stream-filter: $BATS_TEST_TMPDIR/c.csv:1: bad header: bad CSV: text after a closing quote" -- \
		stream-filter --rejects "$BATS_TEST_TMPDIR/rej" true "$BATS_TEST_TMPDIR/c.csv"
	check 0 '' '' -- cat "$BATS_TEST_TMPDIR/rej"
}
