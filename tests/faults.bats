#!/usr/bin/env bats
# Faults around the data: a full disk under --help, --version and
# --rejects, an output that is an input, closed standard descriptors,
# sizes and counts that overflow.
load helpers

@test "faults: --help and --version to a full disk fail with exit 1" {
	for t in stream-agg stream-filter stream-map stream-window; do
		check 1 '' "$t: write error: No space left on device" -- sh -c "$t --help >/dev/full"
		check 1 '' "$t: write error: No space left on device" -- sh -c "$t --version >/dev/full"
	done
}

@test "faults: --rejects naming an input is refused before it is truncated" {
	f="$BATS_TEST_TMPDIR/x.csv"
	printf 'x\n1\nz\n' >"$f"
	check 2 '' "stream-agg: --rejects $f is the input $f" -- stream-agg --rejects "$f" 'sum(x)' "$f"
	check 2 '' "stream-filter: --rejects $f is the input stdin" -- sh -c "stream-filter --rejects '$f' true <'$f'"
	# the same file by another name
	ln "$f" "$BATS_TEST_TMPDIR/y.csv"
	check 2 '' "stream-map: --rejects $BATS_TEST_TMPDIR/y.csv is the input $f" -- \
		stream-map --rejects "$BATS_TEST_TMPDIR/y.csv" 'y = 1' "$f"
	check 0 'x
1
z
' '' -- cat "$f"
}

@test "faults: standard output appended to an input, or as --rejects, is refused" {
	f="$BATS_TEST_TMPDIR/x.csv"
	printf 'x\n1\n' >"$f"
	check 2 '' "stream-filter: standard output is the input $f" -- sh -c "stream-filter true '$f' >>'$f'"
	check 2 '' "stream-agg: --rejects $BATS_TEST_TMPDIR/o is standard output" -- \
		sh -c "stream-agg --rejects '$BATS_TEST_TMPDIR/o' count '$f' >'$BATS_TEST_TMPDIR/o'"
	check 0 'x
1
' '' -- cat "$f"
}

@test "faults: with standard output closed, records do not go into --rejects" {
	r="$BATS_TEST_TMPDIR/rej.csv"
	check 1 '' 'stream-agg: stdin:3: x: not a number: "z"
stream-agg: write error: Bad file descriptor' -- sh -c "printf 'x\n1\nz\n' | stream-agg --rejects '$r' 'sum(x)' >&-"
	check 0 'z
' '' -- cat "$r"
	check 1 '' 'stream-filter: write error: Bad file descriptor' -- \
		sh -c "printf 'x\n1\n' | stream-filter --rejects '$r' true >&-"
	check 0 '' '' -- cat "$r"
	# closed standard input reads as an error, not as a file opened later
	check 1 'count
0
' 'stream-agg: stdin: Bad file descriptor' -- sh -c "stream-agg --rejects '$r' count <&-"
}

@test "faults: a failed write to --rejects is reported, --on-error fail too" {
	check 1 '' 'stream-agg: stdin:3: x: not a number: "z"
stream-agg: /dev/full: No space left on device' -- \
		sh -c "printf 'x\n1\nz\n' | stream-agg --on-error fail --rejects /dev/full 'sum(x)'"
	check 1 'sum_x
1
' 'stream-agg: stdin:3: x: not a number: "z"
stream-agg: /dev/full: No space left on device' -- \
		sh -c "printf 'x\n1\nz\n' | stream-agg --rejects /dev/full 'sum(x)'"
}

@test "faults: sizes and counts that overflow are usage errors" {
	for v in 17179869184G 1025G 0 -1 ' 5' 5T 1.5M 18446744073709551616; do
		check 2 '' "stream-filter: --max-record takes a size from 1 to 1024G, such as 64M, not '$v'
Try 'stream-filter --help' for more information." -- stream-filter --max-record "$v" true
	done
	check 0 '' '' -- stream-filter --max-record 1024G true </dev/null
	check 2 '' "stream-agg: --top takes a positive integer, not '18446744073709551616'
Try 'stream-agg --help' for more information." -- stream-agg --top 18446744073709551616 count
	check 2 '' "stream-agg: --every takes a positive integer, not ' -1'
Try 'stream-agg --help' for more information." -- stream-agg --every ' -1' count
	check 2 '' "stream-window: --count takes N or N,SLIDE (positive integers), not '99999999999999999999'
Try 'stream-window --help' for more information." -- stream-window --count 99999999999999999999 count
	check 2 '' "stream-window: --count takes N or N,SLIDE (positive integers), not '5,-1'
Try 'stream-window --help' for more information." -- stream-window --count 5,-1 count
	check 2 '' "stream-agg: --interval takes a duration (10s, 1m), not '2562048h'
Try 'stream-agg --help' for more information." -- stream-agg --interval 2562048h count
	# the longest interval there is: no snapshot, and no overflow
	printf 'x\n1\n' | SK_TEST_CLOCK=1700000000 check 0 'time,count
2023-11-14T22:13:20Z,1
' '' -- stream-agg --interval 2562047h count
}
