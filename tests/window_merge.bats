#!/usr/bin/env bats
# stream-window --partial/--merge: exact cases for each window kind, the
# refusal of partials made with other options, the usage errors, and
# random splits merged against one run (tests/windows/merge.py).

load helpers

setup() {
	cd "$BATS_TEST_TMPDIR"
	printf 'ts,k,x\n1,a,1\n5,b,2\n12,a,3\n' >p1
	printf 'ts,k,x\n8,a,4\n15,b,5\n31,a,6\n' >p2
}

sw() { stream-window "$@"; }

# parts PARTIAL-ARGS...: p1 and p2 through --partial, into p1.st, p2.st
parts() {
	sw "$@" --partial p1 >p1.st && sw "$@" --partial p2 >p2.st
}

@test "window merge: --partial writes every window's state with its options" {
	check 0 'window_start,window_end,window,k,count,sum_x
0,10000000000,tumbling size=10000000000 offset=0 in=epoch time=ts,a,B2NvdW50KCkB,BnN1bSh4KQEBAAA=
0,10000000000,tumbling size=10000000000 offset=0 in=epoch time=ts,b,B2NvdW50KCkB,BnN1bSh4KQECAAA=
10000000000,20000000000,tumbling size=10000000000 offset=0 in=epoch time=ts,a,B2NvdW50KCkB,BnN1bSh4KQEDAAA=
' '' -- sw -t ts --tumbling 10s -g k 'count, sum(x)' --partial p1
}

@test "window merge: --partial keeps windows its own watermark would close" {
	# one run would reject 2 (behind the watermark 61): a part keeps it
	check 0 'window_start,window_end,window,count
0,60000000000,tumbling size=60000000000 offset=0 in=epoch time=ts,B2NvdW50KCkC
60000000000,120000000000,tumbling size=60000000000 offset=0 in=epoch time=ts,B2NvdW50KCkB
' '' -- sw -t ts --tumbling 1m count --partial <<<$'ts\n1\n61\n2'
}

@test "window merge: tumbling, the same window and key from two parts are one" {
	parts -t ts --tumbling 10s -g k 'count, sum(x), first(x), last(x), share(x)'
	check 0 'window_start,window_end,k,count,sum_x,first_x,last_x,share_x
0,10,a,2,5,1,4,0.7142857142857143
0,10,b,1,2,2,2,0.2857142857142857
10,20,a,1,3,3,3,0.375
10,20,b,1,5,5,5,0.625
30,40,a,1,6,6,6,1
' '' -- sw -t ts --tumbling 10s -g k 'count, sum(x), first(x), last(x), share(x)' --merge p1.st p2.st
}

@test "window merge: sliding, with --offset, partials catenated on stdin" {
	parts -t ts --sliding 10s,5s --offset 2s -g k 'count, max(x)'
	check 0 'window_start,window_end,k,count,max_x
-8,2,a,1,1
-3,7,a,1,1
-3,7,b,1,2
2,12,a,1,4
2,12,b,1,2
7,17,a,2,4
7,17,b,1,5
12,22,a,1,3
12,22,b,1,5
22,32,a,1,6
27,37,a,1,6
' '' -- bash -o pipefail -c 'cat p1.st p2.st | stream-window -t ts --sliding 10s,5s --offset 2s -g k "count, max(x)" --merge'
}

@test "window merge: sessions of a key that overlap or touch across parts become one" {
	printf 'ts,u,x\n0,a,1\n10,a,2\n100,b,1\n' >q1
	printf 'ts,u,x\n30,a,3\n40,a,4\n120,b,9\n' >q2
	printf 'ts,u,x\n20,a,7\n' >q3
	for q in q1 q2 q3; do
		sw -t ts --session 10s -g u 'count, sum(x), first(x), last(x)' --partial $q >$q.st
	done
	check 0 'window_start,window_end,u,count,sum_x,first_x,last_x
0,20,a,2,3,1,2
30,50,a,2,7,3,4
100,110,b,1,1,1,1
120,130,b,1,9,9,9
' '' -- sw -t ts --session 10s -g u 'count, sum(x), first(x), last(x)' --merge q1.st q2.st
	# 20 touches the session ending at 20 and the one starting at 30;
	# first and last follow the parts' order (q3 came last)
	check 0 'window_start,window_end,u,count,sum_x,first_x,last_x
0,50,a,5,17,1,7
100,110,b,1,1,1,1
120,130,b,1,9,9,9
' '' -- sw -t ts --session 10s -g u 'count, sum(x), first(x), last(x)' --merge q1.st q2.st q3.st
}

@test "window merge: window times come out in the input's form, keys in their JSON kind" {
	printf '{"ts":"2026-01-01T00:00:01Z","s":"200","x":1.5}\n{"ts":"2026-01-01T00:01:02Z","s":404,"x":2}\n' >j
	check 0 '{"window_start":"2026-01-01T00:00:00Z","window_end":"2026-01-01T00:01:00Z","s":"200","sum_x":1.5}
{"window_start":"2026-01-01T00:01:00Z","window_end":"2026-01-01T00:02:00Z","s":404,"sum_x":2}
' '' -- bash -o pipefail -c 'stream-window -i jsonl -o jsonl -t ts --tumbling 1m -g s "sum(x)" --partial j |
		stream-window -i jsonl -o jsonl -t ts --tumbling 1m -g s "sum(x)" --merge'
}

@test "window merge: a header-only part writes the header, and merges to it" {
	check 0 $'window_start,window_end,window,k,count\n' '' -- \
		sw -t ts --tumbling 10s -g k count --partial <<<'ts,k'
	check 0 $'window_start,window_end,k,count\n' '' -- bash -o pipefail -c \
		'stream-window -t ts --tumbling 10s -g k count --partial <<<ts,k | stream-window -t ts --tumbling 10s -g k count --merge'
}

@test "window merge: partials of other window options or -t are refused" {
	sw -t ts --session 10s -g k count --partial p1 >s.st
	check 1 $'window_start,window_end,k,count\n' "stream-window: s.st:2: window \"session gap=10000000000 in=epoch time=ts\": not --partial output of these window options (\"session gap=20000000000 in=... time=ts\")
stream-window: s.st:3: window \"session gap=10000000000 in=epoch time=ts\": not --partial output of these window options (\"session gap=20000000000 in=... time=ts\")
stream-window: s.st:4: window \"session gap=10000000000 in=epoch time=ts\": not --partial output of these window options (\"session gap=20000000000 in=... time=ts\")
stream-window: 3 bad records skipped" -- sw -t ts --session 20s -g k count --merge s.st
	check 1 '' "stream-window: s.st:2: window \"session gap=10000000000 in=epoch time=ts\": not --partial output of these window options (\"session gap=10000000000 in=... time=when\")" -- \
		sw -t when --session 10s -g k count --merge --on-error fail s.st
	check 1 '' "stream-window: s.st:2: window \"session gap=10000000000 in=epoch time=ts\": not --partial output of these window options (\"tumbling size=10000000000 offset=0 in=... time=ts\")" -- \
		sw -t ts --tumbling 10s -g k count --merge --on-error fail s.st
	# an --offset of the same alignment is the same window
	sw -t ts --tumbling 10s --offset 3s count --partial p1 >o.st
	check 0 $'window_start,window_end,count\n-7,3,1\n3,13,2\n' '' -- \
		sw -t ts --tumbling 10s --offset -7s count --merge o.st
}

@test "window merge: partials of other keys or aggregates are refused" {
	sw -t ts --tumbling 10s -g k 'count, sum(x)' --partial p1 >t.st
	check 1 '' "stream-window: t.st:2: sum_x: state of 'sum(x)', not 'max(x)'" -- \
		sw -t ts --tumbling 10s -g k 'count, max(x) as sum_x' --merge --on-error fail t.st
	check 1 '' "stream-window: t.st:2: no key column 'x': not --partial output of these keys" -- \
		sw -t ts --tumbling 10s -g x 'count, sum(x)' --merge --on-error fail t.st
	check 1 '' "stream-window: t.st:2: 6 columns, not 5: not --partial output of these keys and aggregates" -- \
		sw -t ts --tumbling 10s 'count, sum(x)' --merge --on-error fail t.st
	check 1 '' "stream-window: t.st:2: no column 'n' (not --partial output of these aggregates?)" -- \
		sw -t ts --tumbling 10s -g k 'count as n, sum(x)' --merge --on-error fail t.st
	check 1 '' "stream-window: p1:2: 3 columns, not 6: not --partial output of these keys and aggregates" -- \
		sw -t ts --tumbling 10s -g k 'count, sum(x)' --merge --on-error fail p1
}

@test "window merge: damaged window times are refused, the rest merges" {
	sw -t ts --tumbling 10s -g k count --partial p1 >t.st
	sed -e '2s/^0,/x,/' -e '3s/^0,10000000000/0,10000000001/' \
	    -e '4s/^10000000000,/10000000000000000000000,/' t.st >bad.st
	check 1 $'window_start,window_end,k,count\n' 'stream-window: bad.st:2: window_start: not a time in ns: "x"
stream-window: bad.st:3: window 0 to 10000000001: not a window of tumbling size=10000000000 offset=0
stream-window: bad.st:4: window_start: not a time in ns: "10000000000000000000000"
stream-window: 3 bad records skipped' -- sw -t ts --tumbling 10s -g k count --merge bad.st
	# CLF times have whole seconds: no run on them writes a 500ms window
	printf 'window_start,window_end,window,count\n0,500000000,tumbling size=500000000 offset=0 in=clf time=ts,B2NvdW50KCkB\n' >clf.st
	check 1 $'window_start,window_end,count\n' 'stream-window: clf.st:2: window "tumbling size=500000000 offset=0 in=clf time=ts": not --partial output of these window options ("tumbling size=500000000 offset=0 in=... time=ts")
stream-window: 1 bad record skipped' -- sw -t ts --tumbling 500ms count --merge clf.st
	check 0 $'window_start,window_end,count\n0,0.5,1\n' '' -- sw -t ts --tumbling 500ms count --merge --time-out epoch clf.st
	sw -t ts --session 5s count --partial p1 >s.st
	sed '2s/^1000000000,10000000000/10000000000,1000000000/' s.st >bad.st
	check 1 $'window_start,window_end,count\n12,17,1\n' 'stream-window: bad.st:2: window 10000000000 to 1000000000: not a window of session gap=5000000000
stream-window: 1 bad record skipped' -- sw -t ts --session 5s count --merge bad.st
}

@test "window merge: usage errors" {
	check 2 '' "stream-window: --partial and --merge do not go together
Try 'stream-window --help' for more information." -- sw -t ts --tumbling 1m count --partial --merge
	check 2 '' "stream-window: --partial: --count windows depend on the order of every record of a key: a split input puts other records together
Try 'stream-window --help' for more information." -- sw -t ts --count 3 count --partial
	check 2 '' "stream-window: --merge: --count windows depend on the order of every record of a key: a split input puts other records together
Try 'stream-window --help' for more information." -- sw -t ts --count 3 count --merge
	check 2 '' "stream-window: --partial needs event time (-t FIELD): processing time is the clock of each run
Try 'stream-window --help' for more information." -- sw --tumbling 1m count --partial
	check 2 '' "stream-window: --merge: --emit update writes each change as it comes: the parts' changes are not one run's
Try 'stream-window --help' for more information." -- sw -t ts --tumbling 1m --emit update count --merge
	for o in max-delay update-late idle; do
		check 2 '' "stream-window: --$o and --partial: windows fire at the end of --merge only: nothing is late
Try 'stream-window --help' for more information." -- sw -t ts --tumbling 1m --$o 1s count --partial
	done
	check 2 '' "stream-window: --late and --merge: windows fire at the end of --merge only: nothing is late
Try 'stream-window --help' for more information." -- sw -t ts --tumbling 1m --late drop count --merge
	check 2 '' "stream-window: --top: --partial writes every window's state: give it to --merge
Try 'stream-window --help' for more information." -- sw -t ts --tumbling 1m --top 1 count --partial
	check 2 '' "stream-window: -g window: the rows --merge reads have their own window column
Try 'stream-window --help' for more information." -- sw -t ts --tumbling 1m -g window count --merge
}

@test "window merge: --sort and --top act on the merged windows" {
	parts -t ts --tumbling 10s -g k 'sum(x)'
	check 0 $'window_start,window_end,k,sum_x\n0,10,a,5\n10,20,b,5\n30,40,a,6\n' '' -- \
		sw -t ts --tumbling 10s -g k 'sum(x)' --sort -sum_x --top 1 --merge p1.st p2.st
}

@test "window merge: random splits (chunks and by key) merge to one run" {
	check 0 $'200 cases, 0 disagree\n' '' -- \
		python3 "$BATS_TEST_DIRNAME/windows/merge.py" -n 200 -s 1 --bin "$BIN"
	check 0 $'200 cases, 0 disagree\n' '' -- \
		python3 "$BATS_TEST_DIRNAME/windows/merge.py" -n 200 -s 2 --bin "$BIN"
}
