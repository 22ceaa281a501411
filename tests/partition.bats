#!/usr/bin/env bats
# stream-partition: records routed by key to copies of a command, their
# outputs merged with one header; copies that fail, signals, bad input;
# and seeded random input against what the tool promises
# (tests/oracle/partition.py).

load helpers

setup() {
	T=$BATS_TEST_TMPDIR
	printf 'k,v\na,1\nb,2\na,3\nc,4\nd,5\nb,6\n' > "$T/kv.csv"
}

# sorted CMD...: CMD's first line, then its other lines sorted; CMD's
# exit status. The copies' outputs interleave in no set order.
sorted() {
	local st=0
	"$@" > "$T/sorted.out" || st=$?
	head -n 1 "$T/sorted.out"
	tail -n +2 "$T/sorted.out" | LC_ALL=C sort
	return $st
}

@test "partition: group-by in the copies: one run's rows, one header" {
	check 0 'k,count,sum_v
a,2,4
b,2,8
c,1,4
d,1,5
' '' -- sorted bash -c "stream-partition -k k -n 3 -- stream-agg -g k 'count(), sum(v)' < '$T/kv.csv'"
	# long options; COMMAND's options are its own without --
	check 0 'k,count
a,2
b,2
c,1
d,1
' '' -- sorted bash -c "stream-partition --key k --copies 2 stream-agg -g k 'count()' < '$T/kv.csv'"
}

@test "partition: -n 1 keeps the input's order; the header goes to every copy" {
	check 0 'k,v
a,1
b,2
a,3
c,4
d,5
b,6
' '' -- bash -c "stream-partition -k k -n 1 -- cat < '$T/kv.csv'"
	check 0 'k,v
k,v
k,v
' '' -- bash -o pipefail -c "head -1 '$T/kv.csv' | stream-partition -k k -n 3 -o lines -- cat"
}

@test "partition: a header-only input gives the header; an empty one, each copy's output" {
	check 0 'k,count
' '' -- bash -o pipefail -c "printf 'k,v\n' | stream-partition -k k -n 2 -- stream-agg -g k 'count()'"
	check 0 '' '' -- bash -c "stream-partition -k k -n 2 -- cat < /dev/null"
}

@test "partition: the copies' environment names their part" {
	check 0 '0/3
1/3
2/3
' '' -- bash -o pipefail -c "stream-partition -k k -n 3 -o lines -- sh -c 'cat > /dev/null; echo \$STREAMKIT_PART/\$STREAMKIT_PARTS' < '$T/kv.csv' | LC_ALL=C sort"
}

@test "partition: a CSV record with newlines in quotes stays whole, both ways" {
	printf 'k,v\na,"x\ny"\nb,"p""q"\nc,"1,\r\n2"\n' > "$T/q.csv"
	check 0 'k,v
a,"x
y"
' '' -- bash -c "stream-partition -k k -n 2 -- stream-filter 'k == \"a\"' < '$T/q.csv'"
	# by key: which copy's output comes first is up to the scheduler
	check 0 'k,count,first_v
a,1,"x
y"
' '' -- bash -o pipefail -c "stream-partition -k k -n 3 -- cat < '$T/q.csv' | stream-agg -g k --sort k 'count(), first(v)' 2>&1 | head -3"
}

@test "partition: JSON Lines through, a key missing, null or empty is one key" {
	printf '{"k":1,"v":2}\n{"k":"1","v":3}\n{"v":4}\n{"k":null,"v":5}\n{"k":"","v":6}\n' > "$T/j.jsonl"
	check 0 '{"k":"","count":3}
{"k":1,"count":2}
' '' -- bash -o pipefail -c "stream-partition -k k -n 4 -- stream-agg -g k 'count()' < '$T/j.jsonl' | LC_ALL=C sort"
}

@test "partition: -N: no header in, none taken from the copies" {
	check 0 '1,a,y
1,c,y
2,b,y
' '' -- bash -o pipefail -c "printf '1,a\n2,b\n1,c\n' | stream-partition -N -k 1 -n 2 -- stream-map -N 'x = \"y\"' | LC_ALL=C sort"
	check 0 'a,1
b,2
' '' -- bash -o pipefail -c "printf 'k,v\na,1\nb,2\n' | stream-partition --no-output-header -k k -n 2 -- cat | LC_ALL=C sort"
}

@test "partition: a copy's other header is written as it came, said" {
	check 0 'h0
h1
' 'stream-partition: copy 2 of 2 wrote another header than the first; its first line is written as it came' -- \
		bash -c "stream-partition -k k -n 2 -- sh -c 'cat > /dev/null; [ \$STREAMKIT_PART = 1 ] && sleep 0.5; echo h\$STREAMKIT_PART' < '$T/kv.csv'"
}

@test "partition: a failing copy is said; the others end; the worst status" {
	check 3 'k,v
' 'stream-partition: copy 1 of 1 (sh) exited with status 3' -- \
		bash -c "stream-partition -k k -n 1 -- sh -c 'head -1; exit 3' < '$T/kv.csv'"
	check 137 '' 'stream-partition: copy 1 of 1 (sh) was killed by signal 9 (Killed)' -- \
		bash -c "stream-partition -k k -n 1 -- sh -c 'kill -9 \$\$' < '$T/kv.csv'"
	# one of two fails at once: the other still writes all it was sent
	seq 1 200000 | sed '1i k' > "$T/big.csv"
	check 5 '' 'stream-partition: copy 2 of 2 (sh) exited with status 5' -- \
		bash -o pipefail -c "stream-partition -k k -n 2 -o lines -- sh -c '[ \$STREAMKIT_PART = 1 ] && exit 5; wc -l | tr -d \" \" > $T/n0' < '$T/big.csv'"
	[ "$(cat "$T/n0")" -ge 2 ]
}

@test "partition: a copy that stops reading, as head does, is no failure" {
	check 0 'k,v
a,1
' '' -- bash -c "stream-partition -k k -n 1 -- head -2 < '$T/kv.csv'"
	seq 1 300000 | sed '1i k' > "$T/big.csv"
	check 0 '3
' '' -- bash -o pipefail -c "stream-partition -k k -n 2 -- head -2 < '$T/big.csv' | wc -l | tr -d ' '"
}

@test "partition: a COMMAND that cannot be run: 127, 126" {
	check 127 '' 'stream-partition: no-such-command-x: No such file or directory' -- \
		bash -c "stream-partition -k k -n 2 -- no-such-command-x < '$T/kv.csv'"
	check 126 '' "stream-partition: $T: Permission denied" -- \
		bash -c "stream-partition -k k -n 2 -- '$T' < '$T/kv.csv'"
}

@test "partition: usage errors" {
	local try="Try 'stream-partition --help' for more information."
	check 2 '' "stream-partition: missing -k KEYS
$try" -- stream-partition -- cat
	check 2 '' "stream-partition: missing COMMAND
$try" -- stream-partition -k k
	check 2 '' "stream-partition: -n 0: a count of copies, 1 to 256
$try" -- stream-partition -k k -n 0 cat
	check 2 '' "stream-partition: -n 257: a count of copies, 1 to 256
$try" -- stream-partition -k k -n 257 cat
	check 2 '' "stream-partition: unknown output format 'table' for the copies (one of: csv tsv jsonl logfmt lines)
$try" -- stream-partition -k k -o table cat
	check 2 '' "stream-partition: unrecognized option '--ofmt'
$try" -- stream-partition --ofmt %.2f -k k cat
}

@test "partition: bad input records: said with the stream's line; fail stops there" {
	printf '{"k":1}\nnot json\n{"k":2}\n' > "$T/bad.jsonl"
	check 1 '{"k":1}
{"k":2}
' 'stream-partition: stdin:2: bad JSON: expected '\''{'\'' at column 1
stream-partition: 1 bad record skipped' -- \
		bash -o pipefail -c "stream-partition -k k -n 2 -- cat < '$T/bad.jsonl' | LC_ALL=C sort"
	check 1 '{"k":1}
' 'stream-partition: stdin:2: bad JSON: expected '\''{'\'' at column 1' -- \
		bash -c "stream-partition --on-error fail -k k -n 2 -- cat < '$T/bad.jsonl'"
	check 0 '{"k":1}
{"k":2}
' '' -- bash -c "stream-partition --on-error skip --rejects '$T/rej' -k k -n 1 -- cat < '$T/bad.jsonl'"
	check 0 'not json
' '' -- cat "$T/rej"
}

@test "partition: a record over --max-record: the copies' output first, then the error" {
	{ printf 'k,v\na,1\n'; head -c 3000 /dev/zero | tr '\0' x; echo; } > "$T/long.csv"
	check 1 'k,v
a,1
' 'stream-partition: stdin:3: record longer than 1000 bytes (--max-record)' -- \
		bash -c "stream-partition --max-record 1000 -k k -n 2 -- cat < '$T/long.csv'"
}

@test "partition: a closed stdout is an error; a pipe that closes is not" {
	seq 1 100000 | sed '1i k' > "$T/big.csv"
	check 1 '' 'stream-partition: write error: Bad file descriptor' -- \
		bash -c "stream-partition -k k -n 2 -- cat < '$T/big.csv' >&-"
	check 0 'k
' '' -- bash -o pipefail -c "stream-partition -k k -n 2 -- cat < '$T/big.csv' | head -1"
}

@test "partition: a live record comes out before the input ends" {
	coproc P { stream-partition -k k -n 2 -- stream-map 'x = v * 2'; }
	printf 'k,v\na,21\n' >&"${P[1]}"
	local l1 l2
	read -r -t 10 -u "${P[0]}" l1
	read -r -t 10 -u "${P[0]}" l2
	printf 'b,1\n' >&"${P[1]}"
	local l3
	read -r -t 10 -u "${P[0]}" l3
	exec {P[1]}>&-
	wait "$P_PID"
	check 0 'k,v,x|a,21,42|b,1,2' '' -- echo -n "$l1|$l2|$l3"
}

@test "partition: SIGTERM goes to the copies, which write what they have: 143" {
	mkfifo "$T/fifo"
	{ printf 'k,v\na,1\nb,2\n'; sleep 5; } > "$T/fifo" &
	local feeder=$!
	stream-partition -k k -n 2 -- stream-agg -g k 'sum(v)' < "$T/fifo" > "$T/out" &
	local pid=$!
	for _ in $(seq 50); do
		[ -n "$(pgrep -P "$pid" | head -1)" ] && break
		sleep 0.1
	done
	sleep 0.3
	kill -TERM "$pid"
	local st=0
	wait "$pid" || st=$?
	kill "$feeder" 2>/dev/null || true
	check 0 '143 k,sum_v a,1 b,2' '' -- echo -n "$st $(head -1 "$T/out") $(tail -n +2 "$T/out" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')"
}

@test "partition: random CSV (quotes, CRLF, newlines in fields) through cat: the same records" {
	for seed in 1 2 3; do
		check 0 '' '' -- python3 "$BATS_TEST_DIRNAME/oracle/partition.py" "$BIN" csv "$seed" 20000 3
	done
}

@test "partition: random JSON Lines: each key to one copy, in order, none lost" {
	for seed in 1 2; do
		check 0 '' '' -- python3 "$BATS_TEST_DIRNAME/oracle/partition.py" "$BIN" jsonl "$seed" 20000 4
	done
}

@test "partition: random groups: the copies' stream-agg equals one run" {
	for seed in 1 2; do
		check 0 '' '' -- python3 "$BATS_TEST_DIRNAME/oracle/partition.py" "$BIN" agg "$seed" 30000 2
	done
}

@test "partition: a copy's open quote: past --max-record its output is written as it comes" {
	check 0 '100002
' 'stream-partition: copy 1 of 1 wrote more than --max-record bytes without the end of a record (an open quote?): written as it comes' -- \
		bash -o pipefail -c "printf 'k\na\n' | stream-partition --max-record 10000 -k k -n 1 -- sh -c 'cat >/dev/null; printf \"h\n\\\"open\n\"; seq 1 100000' | wc -l"
}
