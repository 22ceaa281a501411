#!/usr/bin/env bats
# The table writer: aligned columns for a terminal.

load helpers

@test "table: columns padded to the widest cell, two spaces apart" {
	printf 'name,n,note\nalpha,1,x\nb,12345,\n' |
		check 0 $'name   n      note\nalpha  1      x\nb      12345  -\n' '' -- stream-map -o table
}

@test "table: widths count UTF-8 code points, not bytes" {
	printf 'k,v\né漢字,1\nab,2\n' |
		check 0 $'k    v\né漢字  1\nab   2\n' '' -- stream-map -o table
}

@test "table: control bytes cannot break the layout" {
	printf 'a,b\n"x\ty\nz\r",\x01\n' |
		check 0 $'a          b\nx\\ty\\nz\\r  ?\n' '' -- stream-map -o table
}

@test "table: a new field set starts a new block" {
	printf '{"a":1,"b":2}\n{"a":3,"b":4}\n{"c":"long value"}\n{"a":5,"b":6}\n' |
		check 0 $'a  b\n1  2\n3  4\n\nc\nlong value\n\na  b\n5  6\n' '' -- stream-map -o table
}

@test "table: --no-output-header prints the rows only" {
	printf 'a,b\n1,2\n333,4\n' |
		check 0 $'1    2\n333  4\n' '' -- stream-map -o table --no-output-header
}

@test "table: empty input and empty records print nothing" {
	check 0 '' '' -- stream-map -o table /dev/null
	printf '{}\n{}\n' | check 0 '' '' -- stream-map -i jsonl -o table
}

@test "table: from clf" {
	head -3 "$DATA/access_sample.log" |
		check 0 $'host          status  bytes\n83.149.9.216  200     203023\n83.149.9.216  200     171717\n83.149.9.216  200     26185\n' '' -- stream-map -i clf -o table -s host,status,bytes
}

# wait_lines FILE N: waits (up to 10 s) until FILE has N lines.
wait_lines() {
	local i=0
	while [ "$(wc -l <"$1")" -lt "$2" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

@test "table: live: the rows so far show when the input would block, each block aligned on its own" {
	cd "$BATS_TEST_TMPDIR"
	mkfifo in.fifo
	stream-filter -o table true <in.fifo >out 2>err &
	pid=$!
	exec 4>in.fifo
	printf 'a,b\n1,22\n' >&4
	wait_lines out 2
	check 0 $'a  b\n1  22\n' '' -- cat out
	printf '333,4\n' >&4
	wait_lines out 5
	exec 4>&-
	wait $pid
	check 0 $'a  b\n1  22\n\na    b\n333  4\n' '' -- cat out
	check 0 '' '' -- cat err
}

@test "table: live: stream-agg snapshots and stream-window windows show at once" {
	cd "$BATS_TEST_TMPDIR"
	mkfifo in.fifo
	SK_TEST_CLOCK=1700000000 stream-agg -o table --every 2 -g k count <in.fifo >out 2>err &
	pid=$!
	exec 4>in.fifo
	printf 'k\nx\nyy\n' >&4
	wait_lines out 3
	check 0 $'time                  k   count\n2023-11-14T22:13:20Z  x   1\n2023-11-14T22:13:20Z  yy  1\n' '' -- cat out
	exec 4>&-
	wait $pid
	check 0 '' '' -- cat err
	mkfifo in2.fifo
	stream-window -o table -t t --tumbling 10s count <in2.fifo >out2 2>err &
	pid=$!
	exec 4>in2.fifo
	printf 't\n1\n2\n15\n' >&4
	wait_lines out2 2
	check 0 $'window_start  window_end  count\n0             10          2\n' '' -- cat out2
	exec 4>&-
	wait $pid
	check 0 '' '' -- cat err
}
