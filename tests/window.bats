#!/usr/bin/env bats
# stream-window: one case per rule of the SPEC's Windows section, exact
# output; live pipes; a differential test against mawk; flat memory.

load helpers

setup() { cd "$BATS_TEST_TMPDIR"; }

sw() { stream-window "$@"; }

@test "window: a record exactly at end goes to the next window" {
	check 0 $'window_start,window_end,count\n0,60,2\n60,120,1\n' '' -- \
		sw -t ts --tumbling 1m count <<<$'ts\n0\n59\n60'
}

@test "window: negative times floor to the window below" {
	check 0 $'window_start,window_end,count\n-60,0,1\n0,60,1\n' '' -- \
		sw -t ts --tumbling 1m count <<<$'ts\n-1\n0'
}

@test "window: one global watermark closes other keys' windows" {
	# b's record at 61 closes a's window [0,60): a's record at 2 is late
	check 1 $'window_start,window_end,k,count\n0,60,a,1\n60,120,b,1\n' \
		'stream-window: stdin:4: late record: time 2 is behind the watermark 61
stream-window: 1 late record dropped' -- \
		sw -t ts --tumbling 1m -g k count <<<$'ts,k\n1,a\n61,b\n2,a'
}

@test "window: empty windows are not emitted" {
	check 0 $'window_start,window_end,count\n0,10,1\n30,40,1\n' '' -- \
		sw -t ts --tumbling 10s count <<<$'ts\n1\n35'
}

@test "window: flush order is window_end, window_start, key bytes" {
	check 0 $'window_start,window_end,k,count\n0,10,a,1\n0,10,ab,1\n0,10,b,1\n10,20,a,1\n' '' -- \
		sw -t ts --tumbling 10s -g k count <<<$'ts,k\n1,b\n2,a\n3,ab\n11,a'
}

@test "window: sliding, slide divides size" {
	check 0 $'window_start,window_end,count,max_x\n-5,5,1,5\n0,10,2,7\n5,15,2,7\n10,20,1,3\n' '' -- \
		sw -t ts --sliding 10s,5s 'count, max(x)' <<<$'ts,x\n1,5\n6,7\n12,3'
}

@test "window: sliding, slide does not divide size (exact min and max)" {
	check 0 $'window_start,window_end,min_x,max_x\n-8,2,5,5\n-4,6,5,5\n0,10,3,5\n4,14,3,3\n8,18,3,3\n' '' -- \
		sw -t ts --sliding 10s,4s 'min(x), max(x)' <<<$'ts,x\n1,5\n9,3'
}

@test "window: sliding record late for one window but not another is kept" {
	check 0 $'window_start,window_end,count\n5,15,2\n10,20,1\n' '' -- \
		sw -t ts --sliding 10s,5s count <<<$'ts\n12\n7'
}

@test "window: session: records exactly GAP apart are one session" {
	check 0 $'window_start,window_end,count\n0,20,2\n' '' -- \
		sw -t ts --session 10s count <<<$'ts\n0\n10'
	check 0 $'window_start,window_end,count\n0,10,1\n11,21,1\n' '' -- \
		sw -t ts --session 10s count <<<$'ts\n0\n11'
}

@test "window: session: an out-of-order record bridges two sessions" {
	check 0 $'window_start,window_end,count,sum_x\n0,30,3,6\n' '' -- \
		sw -t ts --session 10s --max-delay 10s 'count, sum(x)' <<<$'ts,x\n0,1\n20,2\n10,3'
}

@test "window: session fires when wm > end, per key" {
	check 0 $'window_start,window_end,k,count\n0,10,a,1\n10,21,b,2\n' '' -- \
		sw -t ts --session 10s -g k count <<<$'ts,k\n0,a\n10,b\n11,b'
}

@test "window: late within --max-delay accepted, beyond rejected byte for byte" {
	printf 'ts,k\n1,a\n14,a\n8,a\n16,a\n7,"a"\n' >in.csv
	check 1 $'window_start,window_end,count\n0,10,2\n10,20,2\n' \
		'stream-window: in.csv:6: late record: time 7 is behind the watermark 11
stream-window: 1 late record dropped' -- \
		sw -t ts --tumbling 10s --max-delay 5s --rejects rej.csv count in.csv
	check 0 $'7,"a"\n' '' -- cat rej.csv
}

@test "window: --late drop says nothing" {
	check 0 $'window_start,window_end,count\n0,10,1\n10,20,1\n' '' -- \
		sw -t ts --tumbling 10s --late drop count <<<$'ts\n1\n12\n3'
}

@test "window: --update-late re-emits, then rejects" {
	check 1 $'window_start,window_end,count\n0,10,1\n0,10,2\n10,20,1\n20,30,1\n' \
		'stream-window: stdin:6: late record: time 4 is behind the watermark 20
stream-window: 1 late record dropped' -- \
		sw -t ts --tumbling 10s --update-late 5s count <<<$'ts\n1\n12\n3\n20\n4'
}

@test "window: --emit update writes a row per change" {
	check 0 $'window_start,window_end,k,count,max_x\n0,10,a,1,4\n0,10,a,2,9\n0,10,b,1,1\n10,20,a,1,1\n' '' -- \
		sw -t ts --tumbling 10s -g k --emit update 'count, max(x)' \
		<<<$'ts,k,x\n1,a,4\n2,a,9\n3,b,1\n11,a,1'
}

@test "window: count windows, with a partial one at end of input" {
	check 0 $'window_start,window_end,k,count\n1,3,a,3\n4,6,a,3\n2,2,b,1\n7,7,a,1\n' '' -- \
		sw -t ts --count 3 -g k count <<<$'ts,k\n1,a\n2,a\n2,b\n3,a\n4,a\n5,a\n6,a\n7,a'
	check 0 $'window_start,window_end,sum_x\n1,2,3\n1,4,10\n3,6,18\n5,7,18\n' '' -- \
		sw -t ts --count 4,2 'sum(x)' <<<$'ts,x\n1,1\n2,2\n3,3\n4,4\n5,5\n6,6\n7,7'
}

@test "window: --offset shifts the alignment" {
	check 0 $'window_start,window_end,count\n-7,3,1\n3,13,2\n13,23,1\n' '' -- \
		sw -t ts --tumbling 10s --offset 3s count <<<$'ts\n2\n3\n12\n13'
}

@test "window: times keep the input's form; --time-out changes it" {
	in=$'ts\n2024-03-01T10:00:05Z\n2024-03-01T10:01:30.5+01:00'
	check 0 $'window_start,window_end,count\n2024-03-01T09:01:00Z,2024-03-01T09:02:00Z,1\n2024-03-01T10:00:00Z,2024-03-01T10:01:00Z,1\n' '' -- \
		sw -t ts --tumbling 1m --max-delay 2h count <<<"$in"
	check 0 $'window_start,window_end,count\n1709283660,1709283720,1\n1709287200,1709287260,1\n' '' -- \
		sw -t ts --tumbling 1m --max-delay 2h --time-out epoch count <<<"$in"
	check 0 $'window_start,window_end,count\n1709287200000,1709287260000,1\n' '' -- \
		sw -t ts --tumbling 1m --time-out epoch_ms count <<<$'ts\n1709287205123'
}

@test "window: CLF times from an access log" {
	check 0 $'window_start,window_end,path,count\n10/Oct/2000:13:55:00 +0000,10/Oct/2000:13:56:00 +0000,/a,2\n' '' -- \
		sw -i clf -t time --tumbling 1m -g path count <<'EOF'
127.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET /a HTTP/1.0" 200 2326
127.0.0.1 - - [10/Oct/2000:13:55:37 +0000] "GET /a HTTP/1.0" 200 100
EOF
}

@test "window: an unparseable or missing time is a bad record" {
	check 1 $'window_start,window_end,count\n0,10,1\n' \
		'stream-window: stdin:3: ts: not a time: "xyz"
stream-window: stdin:4: ts: not a time: ""
stream-window: 2 bad records skipped' -- \
		sw -t ts --tumbling 10s count <<<$'ts,k\n1,a\nxyz,a\n,a'
}

@test "window: a non-numeric value is a bad record" {
	check 1 $'window_start,window_end,sum_x\n0,10,1\n' \
		'stream-window: stdin:3: x: not a number: "1z"
stream-window: 1 bad record skipped' -- \
		sw -t ts --tumbling 10s 'sum(x)' <<<$'ts,x\n1,1\n2,1z'
}

@test "window: processing time with the test clock" {
	SK_TEST_CLOCK=1000 check 0 $'window_start,window_end,count\n1970-01-01T00:00:00Z,1970-01-01T01:00:00Z,2\n' '' -- \
		sw --tumbling 1h count <<<$'x\n1\n2'
}

@test "window: usage errors" {
	check 2 '' "stream-window: --sliding 1m,2m: SLIDE is larger than SIZE
Try 'stream-window --help' for more information." -- sw --sliding 1m,2m count
	check 2 '' "stream-window: give a window: --tumbling, --sliding, --session or --count
Try 'stream-window --help' for more information." -- sw count
}

@test "window: --help says how --max-delay and --update-late differ" {
	# the passage of the help on the two options
	check 0 '      --max-delay DUR      watermark = max event time - DUR (default 0)
      --update-late DUR    keep fired windows DUR longer: a late record
                           re-emits its window with the new totals
                           --max-delay delays the one emission; --update-late
                           re-emits afterwards
' '' -- bash -o pipefail -c "stream-window --help | sed -n '/^ *--max-delay DUR/,/re-emits afterwards\$/p'"
}

# Reads what the tool wrote so far while its input pipe is still open.
live() { # SECONDS_BEFORE_READ CMD...: stdin is kept open 5 s
	local wait=$1
	shift
	{ cat; sleep 5; } | "$@" >live.out &
	sleep "$wait"
	cat live.out
	kill %1 2>/dev/null || true
	wait 2>/dev/null || true
}

@test "window: live: a processing-time window fires while the pipe stays open" {
	check 0 $'window_start,window_end,count\n1970-01-01T00:16:40Z,1970-01-01T00:16:41Z,1\n' '' -- \
		live 2.5 env SK_TEST_CLOCK=1000 stream-window --tumbling 1s count <<<$'x\n1'
}

@test "window: live: --idle closes an event-time window while the pipe stays open" {
	check 0 $'window_start,window_end,count\n0,10,2\n' '' -- \
		live 2.5 stream-window -t ts --tumbling 10s --idle 1s count <<<$'ts\n1\n9'
}

@test "window: live: --idle before any good time leaves the watermark where it is" {
	# The idle watermark came from the largest time seen, which was none:
	# it jumped to the year 2262 and every later record was late.
	check 1 $'window_start,window_end,count\n2024-01-01T00:00:00Z,2024-01-01T00:00:01Z,1\n' \
		'stream-window: stdin:2: ts: not a time: "bad"
stream-window: 1 bad record skipped' -- \
		bash -c "{ printf 'ts\nbad\n'; sleep 0.6; printf '2024-01-01T00:00:00Z\n'; } |
			stream-window -t ts --tumbling 1s --max-delay 1s --idle 100ms count"
}

@test "window: SIGTERM flushes the open windows" {
	mkfifo in.fifo
	stream-window -t ts --tumbling 10s count <in.fifo >sig.out 2>sig.err &
	pid=$!
	exec 4>in.fifo
	printf 'ts\n1\n' >&4
	sleep 1
	kill -TERM "$pid"
	for i in 1 2 3 4 5 6; do kill -0 "$pid" 2>/dev/null && sleep 0.5; done
	running=0
	kill -0 "$pid" 2>/dev/null && running=1 && kill -KILL "$pid"
	exec 4>&-
	st=0
	wait "$pid" || st=$?
	[ "$running" = 0 ]
	[ "$st" = 143 ]
	check 0 $'window_start,window_end,count\n0,10,1\n' '' -- cat sig.out
	check 0 '' '' -- cat sig.err
}

@test "window: tumbling counts and sums equal mawk's floor(ts/size) buckets" {
	mawk 'BEGIN { srand(7); print "ts,k,x"; t = 1700000000;
		for (i = 0; i < 20000; i++) { t += int(rand() * 3);
			printf "%d,k%d,%d\n", t, int(rand() * 13), int(rand() * 1000) } }' >gen.csv
	mawk -F, 'NR > 1 { b = int($1 / 300) * 300; key = b "," b + 300 "," $2;
		n[key]++; s[key] += $3 } END { for (k in n) print k "," n[k] "," s[k] }' gen.csv |
		sort >want
	[ "$(wc -l <want)" -gt 100 ]
	slurp want want
	check 0 "$want" '' -- bash -o pipefail -c "stream-window -t ts --tumbling 5m -g k 'count, sum(x)' --no-output-header gen.csv | sort"
}

@test "window: memory stays flat: 10x the stream, same peak" {
	[ -x /usr/bin/time ] || skip "no /usr/bin/time"
	[ -z "${SAN_FLAGS:-}" ] || skip "ASan's quarantine holds freed memory"
	gen() { mawk -v n="$1" 'BEGIN { print "ts,k,x"; for (i = 0; i < n; i++)
		printf "%d,k%d,%d\n", 1700000000 + int(i / 50), i % 1000, i % 97 }'; }
	gen 50000 >small.csv
	gen 500000 >big.csv
	/usr/bin/time -f %M -o small.rss stream-window -t ts --tumbling 1m -g k 'count, p99(x)' small.csv >/dev/null
	/usr/bin/time -f %M -o big.rss stream-window -t ts --tumbling 1m -g k 'count, p99(x)' big.csv >/dev/null
	small=$(tail -1 small.rss) big=$(tail -1 big.rss)
	echo "peak RSS: small $small KiB, big $big KiB"
	[ "$big" -lt $((small + 4096)) ]
}

@test "window: negative times with a fraction, in every time form and in messages" {
	check 1 $'window_start,window_end,count\n-1.3,-1.2,1\n5,5.1,1\n' \
		'stream-window: stdin:3: late record: time -1.35 is behind the watermark -1.25
stream-window: 1 late record dropped' -- \
		sw -t ts --tumbling 100ms count <<<$'ts\n-1.25\n-1.35\n5'
	check 0 $'window_start,window_end,count\n-1.3,-1.2,1\n' '' -- \
		sw -t ts --tumbling 100ms --time-out epoch count <<<$'ts\n-1.25'
	check 0 $'window_start,window_end,count\n-1300,-1200,1\n' '' -- \
		sw -t ts --tumbling 100ms --time-out epoch_ms count <<<$'ts\n-1.25'
	check 0 $'window_start,window_end,count\n-1.5,-0.5,1\n' '' -- \
		sw -t ts --tumbling 1s --offset 500ms count <<<$'ts\n-1.25'
}

@test "window: first and last follow arrival order in sliding windows and merged sessions" {
	check 0 $'window_start,window_end,count,first_v,last_v\n0,10,2,1,2\n5,15,1,1,1\n' '' -- \
		sw -t ts --sliding 10s,5s 'count,first(v),last(v)' <<<$'ts,v\n7,1\n3,2'
	check 0 $'window_start,window_end,count,first_v,last_v\n0,15,3,1,3\n' '' -- \
		sw -t ts --session 5s --max-delay 20s 'count,first(v),last(v)' <<<$'ts,v\n10,1\n0,2\n5,3'
	# an empty value is skipped: the first non-empty one in arrival order
	check 0 $'window_start,window_end,first_v,last_v\n-2,2,b,b\n0,4,b,c\n2,6,a,c\n4,8,a,a\n' '' -- \
		sw -t ts --sliding 4s,2s 'first(v),last(v)' --max-delay 10s <<<$'ts,v\n3,\n5,a\n1,b\n3,c'
}

@test "window: a session of its own within --update-late is kept, as in tumbling" {
	check 0 $'window_start,window_end,k,count\n1,6,a,1\n3,8,b,1\n12,17,a,1\n' '' -- \
		sw -t ts -g k --session 5s --update-late 5s count <<<$'ts,k\n1,a\n12,a\n3,b'
	# beyond it: late
	check 1 $'window_start,window_end,k,count\n1,6,a,1\n14,19,a,1\n' \
		'stream-window: stdin:4: late record: time 3 is behind the watermark 14
stream-window: 1 late record dropped' -- \
		sw -t ts -g k --session 5s --update-late 5s count <<<$'ts,k\n1,a\n14,a\n3,b'
}

@test "window: --emit update retracts the sessions a merge replaces" {
	check 0 $'window_start,window_end,k,count\n0,10,a,1\n20,30,a,1\n0,10,a,\n20,30,a,\n0,30,a,3\n' '' -- \
		sw -t ts --session 10s --max-delay 100s -g k count --emit update <<<$'ts,k\n0,a\n20,a\n10,a'
	# a session that grows retracts its old bounds; equal bounds need none
	check 0 $'window_start,window_end,count,last_v\n0,5,1,x\n0,5,2,y\n0,5,,\n0,8,3,z\n' '' -- \
		sw -t ts --session 5s --emit update 'count, last(v)' <<<$'ts,v\n0,x\n0,y\n3,z'
}

@test "window: --emit update retracts a count window's rows as its bounds change" {
	check 0 $'window_start,window_end,count\n1,1,1\n1,1,\n1,2,2\n2,3,2\n2,3,\n2,4,3\n4,5,2\n' '' -- \
		sw -t ts --count 3,2 count --emit update <<<$'ts\n1\n2\n3\n4\n5'
}

@test "window: an --emit update changelog reduces to the --emit close rows" {
	# keep the last row per window and key; an empty-aggregates row deletes
	reduce() { mawk -F, 'NR > 1 { k = $1 "," $2 "," $3; if ($4 == "") delete r[k]; else r[k] = $0 }
		END { for (k in r) print r[k] }' | sort; }
	mawk 'BEGIN { srand(11); print "ts,k,x"; for (i = 0; i < 3000; i++)
		printf "%d,k%d,%d\n", int(rand() * 5000), int(rand() * 7), int(rand() * 100) }' >gen.csv
	for w in '--session 20s --max-delay 5000s' '--sliding 60s,20s --max-delay 5000s' '--count 5,2'; do
		stream-window -t ts $w -g k 'count, sum(x), first(x), last(x)' \
			gen.csv | mawk 'NR > 1' | sort >close
		[ "$(wc -l <close)" -gt 50 ]
		slurp want close
		check 0 "$want" '' -- bash -o pipefail -c "$(declare -f reduce)
			stream-window -t ts $w -g k 'count, sum(x), first(x), last(x)' --emit update gen.csv | reduce"
	done
}

@test "window: a window past an end of the time range makes its record bad; nothing hangs" {
	check 1 $'window_start,window_end,count\n2262-04-11T22:00:00Z,2262-04-11T23:00:00Z,1\n' \
		'stream-window: stdin:3: ts: time 2262-04-11T23:00:00Z: its window does not fit in the time range (1677-09-21 to 2262-04-11)
stream-window: 1 bad record skipped' -- \
		timeout 10 stream-window -t ts --tumbling 1h count <<<$'ts\n2262-04-11T22:30:00Z\n2262-04-11T23:00:00Z'
	check 0 $'window_start,window_end,count\n2262-04-11T23:00:00Z,2262-04-11T23:01:00Z,1\n' '' -- \
		timeout 10 stream-window -t ts --session 1m count <<<$'ts\n2262-04-11T23:00:00Z'
	check 1 $'window_start,window_end,count\n' \
		'stream-window: stdin:2: ts: time 2262-04-11T23:00:00Z: its window does not fit in the time range (1677-09-21 to 2262-04-11)
stream-window: 1 bad record skipped' -- \
		timeout 10 stream-window -t ts --session 1m --update-late 1h count <<<$'ts\n2262-04-11T23:00:00Z'
	check 0 $'window_start,window_end,count\n-9223372036,-9223372035,1\n-9223372035,-9223372034,1\n' '' -- \
		timeout 10 stream-window -t ts --tumbling 1s count <<<$'ts\n-9223372036\n-9223372035'
	check 1 $'window_start,window_end,count\n-9223372036,-9223372034,1\n-9223372035,-9223372033,1\n' \
		'stream-window: stdin:2: ts: time -9223372036: its window does not fit in the time range (1677-09-21 to 2262-04-11)
stream-window: 1 bad record skipped' -- \
		timeout 10 stream-window -t ts --sliding 2s,1s count <<<$'ts\n-9223372036\n-9223372035'
	# the watermark itself must fit
	check 1 $'window_start,window_end,count\n' \
		'stream-window: stdin:2: ts: time -9223372036: its window does not fit in the time range (1677-09-21 to 2262-04-11)
stream-window: 1 bad record skipped' -- \
		timeout 10 stream-window -t ts --tumbling 1s --max-delay 1s count <<<$'ts\n-9223372036'
	# the last windows that fit, near the top, flush without looping
	check 0 $'window_start,window_end,count\n9223372036.65,9223372036.72,1\n9223372036.7,9223372036.77,1\n' '' -- \
		timeout 10 stream-window -t ts --sliding 70ms,50ms count <<<$'ts\n9223372036.719775807'
}

@test "window: SIGTERM flushes after records at the end of the time range" {
	mkfifo in.fifo
	stream-window -t ts --tumbling 1h count <in.fifo >sig.out 2>sig.err &
	pid=$!
	exec 4>in.fifo
	printf 'ts\n2262-04-11T23:00:00Z\n2262-04-11T22:30:00Z\n' >&4
	sleep 1
	kill -TERM "$pid"
	for i in 1 2 3 4 5 6; do kill -0 "$pid" 2>/dev/null && sleep 0.5; done
	running=0
	kill -0 "$pid" 2>/dev/null && running=1 && kill -KILL "$pid"
	exec 4>&-
	st=0
	wait "$pid" || st=$?
	[ "$running" = 0 ]
	[ "$st" = 143 ]
	check 0 $'window_start,window_end,count\n2262-04-11T22:00:00Z,2262-04-11T23:00:00Z,1\n' '' -- cat sig.out
	check 0 'stream-window: stdin:2: ts: time 2262-04-11T23:00:00Z: its window does not fit in the time range (1677-09-21 to 2262-04-11)
stream-window: 1 bad record skipped
' '' -- cat sig.err
}

@test "window: options that do nothing in a mode are usage errors" {
	try="Try 'stream-window --help' for more information."
	check 2 '' "stream-window: --offset aligns --tumbling and --sliding windows, not --session
$try" -- sw -t ts --session 1m --offset 1s count
	check 2 '' "stream-window: --offset aligns --tumbling and --sliding windows, not --count
$try" -- sw -t ts --count 5 --offset 1s count
	for o in '--max-delay 1s' '--update-late 1s' '--late drop' '--idle 1s'; do
		check 2 '' "stream-window: ${o% *}: --count windows have no watermark
$try" -- sw -t ts --count 5 $o count
	done
	check 2 '' "stream-window: --max-delay needs event time (-t FIELD): processing time is never late
$try" -- sw --tumbling 1m --max-delay 1s count
	check 2 '' "stream-window: --idle needs event time (-t FIELD): processing-time windows fire on the clock anyway
$try" -- sw --tumbling 1m --idle 1s count
	check 2 '' "stream-window: --sort: --emit update writes each change as its own row: nothing to sort or cut
$try" -- sw -t ts --tumbling 1m --emit update --sort count count
}

@test "window: --sort and --top act within each fired window" {
	in=$'ts,ip,b\n1,a,5\n2,b,50\n3,c,7\n4,b,1\n12,a,1\n13,c,3\n14,d,\n'
	check 0 $'window_start,window_end,ip,count,bytes\n0,10,b,2,51\n0,10,c,1,7\n10,20,c,1,3\n10,20,a,1,1\n' '' -- \
		sw -t ts --tumbling 10s -g ip 'count, sum(b) as bytes' --sort -bytes --top 2 <<<"$in"
	# empty values last either way; ties keep key order; --top alone
	check 0 $'window_start,window_end,ip,m\n0,10,a,5\n0,10,c,7\n0,10,b,50\n10,20,a,1\n10,20,c,3\n10,20,d,\n' '' -- \
		sw -t ts --tumbling 10s -g ip 'max(b) as m' --sort m <<<"$in"
	check 0 $'window_start,window_end,ip,count\n0,10,a,1\n10,20,a,1\n' '' -- \
		sw -t ts --tumbling 10s -g ip count --top 1 <<<"$in"
	# sliding and session windows: the rows that fire together
	check 0 $'window_start,window_end,ip,count\n-5,5,b,2\n0,10,b,2\n5,15,a,1\n10,20,a,1\n' '' -- \
		sw -t ts --sliding 10s,5s -g ip count --sort -count --top 1 <<<"$in"
	check 2 '' "stream-window: --sort: no output column 'nope'
Try 'stream-window --help' for more information." -- sw -t ts --tumbling 1m --sort nope count
	check 2 '' "stream-window: --top takes a positive integer, not '0'
Try 'stream-window --help' for more information." -- sw -t ts --tumbling 1m --top 0 count
}

@test "window: sub-second windows in time forms without a fraction" {
	# syslog and --time-format with %S: the fraction after the seconds
	check 0 $'window_start,window_end,count\nOct 10 13:55:36.5,Oct 10 13:55:36.75,1\nOct 10 13:55:37,Oct 10 13:55:37.25,1\n' '' -- \
		sw -t ts --tumbling 250ms count <<<$'ts\nOct 10 13:55:36.5\nOct 10 13:55:37'
	check 0 $'window_start,window_end,count\n2000-10-10 13:55:36.5,2000-10-10 13:55:36.75,1\n' '' -- \
		sw -t ts --time-format '%Y-%m-%d %H:%M:%S' --tumbling 250ms count <<<$'ts\n2000-10-10 13:55:36.5'
	# CLF and a format without %S cannot hold one: refused
	try="Try 'stream-window --help' for more information."
	check 2 '' "stream-window: --tumbling: CLF times have no fraction of a second to write sub-second windows in: use --time-out epoch, epoch_ms or iso
$try" -- sw -t ts --tumbling 250ms count <<<$'ts\n10/Oct/2000:13:55:36 +0000'
	check 2 '' "stream-window: --offset: CLF times have no fraction of a second to write sub-second windows in: use --time-out epoch, epoch_ms or iso
$try" -- sw -t ts --tumbling 1s --offset 500ms count <<<$'ts\n10/Oct/2000:13:55:36 +0000'
	check 2 '' "stream-window: --session: --time-format times without %S have no fraction of a second to write sub-second windows in: use --time-out epoch, epoch_ms or iso
$try" -- sw -t ts --time-format '%Y-%m-%d %H:%M' --session 1500ms count </dev/null
	check 0 $'window_start,window_end,count\n2000-10-10T13:55:36Z,2000-10-10T13:55:36.25Z,1\n' '' -- \
		sw -t ts --tumbling 250ms --time-out iso count <<<$'ts\n10/Oct/2000:13:55:36 +0000'
	# a size and a slide of whole seconds each: accepted
	check 0 $'window_start,window_end,count\n10/Oct/2000:13:54:00 +0000,10/Oct/2000:13:56:00 +0000,1\n10/Oct/2000:13:55:00 +0000,10/Oct/2000:13:57:00 +0000,1\n' '' -- \
		sw -t ts --sliding 2m,1m count <<<$'ts\n10/Oct/2000:13:55:36 +0000'
}

@test "window: --count N,SLIDE at end of input: the one window due next, as far as it got" {
	# windows fire at records 2, 4; at the end the one due at 6 holds 4..5
	check 0 $'window_start,window_end,count\n1,2,2\n2,4,3\n4,5,2\n' '' -- \
		sw -t ts --count 3,2 count <<<$'ts\n1\n2\n3\n4\n5'
	# nothing partial when the last record completed a window
	check 0 $'window_start,window_end,count\n1,2,2\n2,4,3\n' '' -- \
		sw -t ts --count 3,2 count <<<$'ts\n1\n2\n3\n4'
}

@test "window: a key with no window left is forgotten: ever new keys, flat memory" {
	[ -x /usr/bin/time ] || skip "no /usr/bin/time"
	[ -z "${SAN_FLAGS:-}" ] || skip "ASan's quarantine holds freed memory"
	gen() { mawk -v n="$1" 'BEGIN { print "ts,k"; for (i = 0; i < n; i++)
		printf "%.3f,k%d\n", i / 1000, i }'; }
	gen 30000 >small.csv
	gen 300000 >big.csv
	for w in '--session 180ms' '--tumbling 1s' '--sliding 1s,250ms --update-late 1s'; do
		/usr/bin/time -f %M -o small.rss stream-window -t ts $w -g k count small.csv >small.out
		/usr/bin/time -f %M -o big.rss stream-window -t ts $w -g k count big.csv >big.out
		small=$(tail -1 small.rss) big=$(tail -1 big.rss)
		echo "$w: peak RSS: small $small KiB, big $big KiB"
		[ "$(wc -l <big.out)" -gt 300000 ]
		[ "$big" -lt $((small + 4096)) ]
	done
}

@test "window: a header-only input writes the header of the output columns" {
	check 0 $'window_start,window_end,k,count\n' '' -- stream-window -t ts --tumbling 1m -g k count <<<'ts,k'
	check 0 $'window_start\twindow_end\tsum_v\n' '' -- stream-window -i tsv -t ts --session 1m 'sum(v)' <<<$'ts\tv'
	check 0 '' '' -- stream-window -t ts --tumbling 1m -o jsonl count <<<'ts,k'
	printf '' | check 0 '' '' -- stream-window -t ts --tumbling 1m count
}
