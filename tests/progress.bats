#!/usr/bin/env bats
# --progress: a status line on stderr only when it is a terminal (under
# script(1) here), erased before other output and at the end.

load helpers

setup() {
	T=$BATS_TEST_TMPDIR
	printf 'a,b\n1,2\n3,4\n' > "$T/in.csv"
}

# ontty CMD: runs CMD (a shell string) with stdin, stdout and stderr on a
# pseudo-terminal; what the terminal got goes to $T/tty.
ontty() {
	script -qec "$1" /dev/null < /dev/null > "$T/tty" || true
}

@test "progress: off when stderr is not a terminal, for every tool" {
	check 0 $'a,b\n1,2\n3,4\n' '' -- stream-filter --progress true "$T/in.csv"
	check 0 $'a,b\n1,2\n3,4\n' '' -- stream-map --progress -s a,b "$T/in.csv"
	check 0 $'count\n2\n' '' -- stream-agg --progress count "$T/in.csv"
	check 0 $'window_start,window_end,count\n0,10,2\n' '' -- stream-window --progress -t a --tumbling 10s count "$T/in.csv"
}

@test "progress: on a terminal: records, percent of a regular file, erased at the end" {
	ontty "stream-filter --progress true '$T/in.csv' > '$T/out'"
	cmp "$T/out" "$T/in.csv"
	run cat -v "$T/tty"
	assert_output --regexp '^\^Mstream-filter: (1 record|[0-9.k]+ records, .*/s), 100%, ETA [-:0-9]+\^\[\[K(.*)\^M\^\[\[K$'
}

@test "progress: a pipe has no percent; a compressed file counts compressed bytes" {
	ontty "cat '$T/in.csv' | stream-agg --progress count > '$T/out'"
	run cat -v "$T/tty"
	assert_output --regexp '^\^Mstream-agg: 1 record.*\^\[\[K\^M\^\[\[K$'
	refute_output --partial '%'
	gzip -c "$T/in.csv" > "$T/in.csv.gz"
	ontty "stream-map --progress -s a,b '$T/in.csv.gz' > '$T/out'"
	cmp "$T/out" "$T/in.csv"
	run cat -v "$T/tty"
	assert_output --partial ', 100%, ETA'
}

@test "progress: the line is erased before a message and before output to the terminal" {
	printf 'a,b\n1,2\n3\n' > "$T/bad.csv"
	ontty "stream-filter --progress true '$T/bad.csv'"
	run cat -v "$T/tty"
	# the line, erased, the record before the bad one, then the message
	assert_line --index 0 --regexp '^\^Mstream-filter: 1 record.*\^\[\[K\^M\^\[\[Ka,b\^M$'
	assert_line --index 1 '1,2^M'
	assert_line --index 2 "stream-filter: $T/bad.csv:3: expected 2 fields, got 1^M"
	assert_line --index 3 'stream-filter: 1 bad record skipped^M'
}
