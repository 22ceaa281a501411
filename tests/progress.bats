#!/usr/bin/env bats
# --progress: a status line on stderr only when it is a terminal (under
# script(1) here), erased before other output and at the end.

load helpers

setup() {
	T=$BATS_TEST_TMPDIR
	printf 'a,b\n1,2\n3,4\n' > "$T/in.csv"
}

# ontty STATUS CMD: runs CMD (a shell string) with stdin, stdout and
# stderr on a pseudo-terminal, and fails unless it exits STATUS; what the
# terminal got goes to $T/tty.
ontty() {
	local st=0
	script -qec "$2" /dev/null < /dev/null > "$T/tty" || st=$?
	[ "$st" = "$1" ] || { echo "status: want $1, got $st"; return 1; }
}

# tty_seen: what the terminal got, control characters shown as cat -v shows
# them, with what depends on the clock masked: the record count and rates
# (shown once the run is 0.1 s old; "1 record" before) as RECORDS, the
# percent done as P (a line drawn by the clock before the first read says
# 0%) and the time left as T.
tty_seen() {
	cat -v "$T/tty" | sed -E 's/: (1 record|[0-9.]+k? records, [^,]+\/s, [^,]+\/s)/: RECORDS/g; s/, [0-9]+%/, P%/g; s/ETA [-:0-9]+/ETA T/g'
}

@test "progress: off when stderr is not a terminal, for every tool" {
	check 0 $'a,b\n1,2\n3,4\n' '' -- stream-filter --progress true "$T/in.csv"
	check 0 $'a,b\n1,2\n3,4\n' '' -- stream-map --progress -s a,b "$T/in.csv"
	check 0 $'count\n2\n' '' -- stream-agg --progress count "$T/in.csv"
	check 0 $'window_start,window_end,count\n0,10,2\n' '' -- stream-window --progress -t a --tumbling 10s count "$T/in.csv"
}

@test "progress: on a terminal: records, percent of a regular file, erased at the end" {
	ontty 0 "stream-filter --progress true '$T/in.csv' > '$T/out'"
	slurp want "$T/in.csv"
	check 0 "$want" '' -- cat "$T/out"
	check 0 '^Mstream-filter: RECORDS, P%, ETA T^[[K^M^[[K' '' -- tty_seen
}

@test "progress: a pipe has no percent; a compressed file counts compressed bytes" {
	ontty 0 "cat '$T/in.csv' | stream-agg --progress count > '$T/out'"
	check 0 $'count\n2\n' '' -- cat "$T/out"
	check 0 '^Mstream-agg: RECORDS^[[K^M^[[K' '' -- tty_seen
	gzip -c "$T/in.csv" > "$T/in.csv.gz"
	ontty 0 "stream-map --progress -s a,b '$T/in.csv.gz' > '$T/out'"
	slurp want "$T/in.csv"
	check 0 "$want" '' -- cat "$T/out"
	check 0 '^Mstream-map: RECORDS, P%, ETA T^[[K^M^[[K' '' -- tty_seen
}

@test "progress: the line is erased before a message and before output to the terminal" {
	printf 'a,b\n1,2\n3\n' > "$T/bad.csv"
	ontty 1 "stream-filter --progress true '$T/bad.csv'"
	# the line, erased, the record before the bad one, then the message
	check 0 "^Mstream-filter: RECORDS, P%, ETA T^[[K^M^[[Ka,b^M
1,2^M
stream-filter: $T/bad.csv:3: expected 2 fields, got 1^M
stream-filter: 1 bad record skipped^M
" '' -- tty_seen
}
