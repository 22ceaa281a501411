#!/usr/bin/env bats
# SIGINT, SIGTERM and SIGHUP: every tool writes what it has, then exits
# with 128 + the signal; a second signal exits at once.
load helpers

# watchdog PID: kills PID after 20 s (its status 137 then fails the
# test) unless the watchdog, $dog, is killed first.
watchdog() {
	( trap 'kill $s 2>/dev/null; exit 0' TERM
	  sleep 20 & s=$!
	  wait $s && kill -KILL $1 2>/dev/null ) 3>&- 8>&- 9>&- &
	dog=$!
}

# run_signal SIG TOOL ARGS...: feeds the three records of x ($feed, when
# set, instead) through a FIFO that stays open, waits until the tool has
# read them, sends SIG, and leaves the status in $st and the output in
# $BATS_TEST_TMPDIR/res.
run_signal() {
	local sig=$1 fifo="$BATS_TEST_TMPDIR/fifo"
	shift
	rm -f "$fifo"
	mkfifo "$fifo"
	"$@" <"$fifo" >"$BATS_TEST_TMPDIR/res" 2>"$BATS_TEST_TMPDIR/reserr" &
	local pid=$!
	exec 8>"$fifo"
	local data
	data=$(printf "${feed:-x\\n1\\n2\\n3\\n}"; echo .)
	data=${data%.}
	printf '%s' "$data" >&8
	# until it has read them (rchar counts the bytes of its reads)
	for _ in $(seq 100); do
		[ "$(awk '/^rchar/{print $2}' /proc/$pid/io 2>/dev/null)" -ge ${#data} ] 2>/dev/null && break
		sleep 0.1
	done
	sleep 0.2
	kill -"$sig" $pid
	# a tool that would not stop is killed: status 137 fails the test
	watchdog $pid
	st=0
	wait $pid || st=$?
	kill $dog 2>/dev/null || true
	exec 8>&-
}

@test "signals: stream-agg writes the table, exits 130, 143, 129" {
	for s in INT:130 TERM:143 HUP:129; do
		run_signal ${s%:*} stream-agg -g x count
		[ "$st" = "${s#*:}" ] || { echo "$s: status $st"; false; }
		check 0 'x,count
1,1
2,1
3,1
' '' -- cat "$BATS_TEST_TMPDIR/res"
		check 0 '' '' -- cat "$BATS_TEST_TMPDIR/reserr"
	done
}

@test "signals: stream-window writes its open window, exits 143" {
	run_signal TERM stream-window --count 10 'count, sum(x)'
	[ "$st" = 143 ]
	# a count window's bounds are the clock's times of its first and last
	# records: masked as T
	check 0 'window_start,window_end,count,sum_x
T,T,3,6
' '' -- sed -E '2,$s/^[^,]*,[^,]*,/T,T,/' "$BATS_TEST_TMPDIR/res"
	check 0 '' '' -- cat "$BATS_TEST_TMPDIR/reserr"
}

@test "signals: stream-filter and stream-map write every record read, exit 129, 130" {
	run_signal HUP stream-filter '$x > 1'
	[ "$st" = 129 ]
	check 0 'x
2
3
' '' -- cat "$BATS_TEST_TMPDIR/res"
	check 0 '' '' -- cat "$BATS_TEST_TMPDIR/reserr"
	run_signal INT stream-map 'y = x * 2'
	[ "$st" = 130 ]
	check 0 'x,y
1,2
2,4
3,6
' '' -- cat "$BATS_TEST_TMPDIR/res"
	check 0 '' '' -- cat "$BATS_TEST_TMPDIR/reserr"
}

@test "signals: a second SIGINT exits at once, while the table is written" {
	# 200k groups into a pipe nobody reads: the table blocks in write
	awk 'BEGIN{print "x"; for(i=0;i<200000;i++) print i}' >"$BATS_TEST_TMPDIR/in"
	fifo="$BATS_TEST_TMPDIR/fifo2"
	mkfifo "$fifo"
	stream-agg -g x count <"$BATS_TEST_TMPDIR/in" >"$fifo" &
	pid=$!
	exec 9<"$fifo"  # opened, never read
	sleep 1
	kill -INT $pid
	sleep 0.5
	kill -INT $pid
	watchdog $pid
	st=0
	wait $pid || st=$?
	kill $dog 2>/dev/null || true
	exec 9<&-
	[ "$st" = 130 ]
}

@test "signals: a line the signal cuts short is no record" {
	# The input is still open: the 4 has no newline yet, and may be the
	# first bytes of 42. Every format drops it, and says nothing.
	feed='x\n1\n2\n3\n4' run_signal TERM stream-filter true
	[ "$st" = 143 ] || { echo "status $st"; false; }
	check 0 'x
1
2
3
' '' -- cat "$BATS_TEST_TMPDIR/res" "$BATS_TEST_TMPDIR/reserr"
	feed='x,y\n1,a\n2,b\n3' run_signal INT stream-map -s x
	[ "$st" = 130 ] || { echo "status $st"; false; }
	check 0 'x
1
2
' '' -- cat "$BATS_TEST_TMPDIR/res" "$BATS_TEST_TMPDIR/reserr"
	# a quoted field open over a newline, cut short
	feed='x,y\n1,a\n2,"b\nc' run_signal TERM stream-agg 'count, last(y)'
	[ "$st" = 143 ] || { echo "status $st"; false; }
	check 0 'count,last_y
1,a
' '' -- cat "$BATS_TEST_TMPDIR/res" "$BATS_TEST_TMPDIR/reserr"
	feed='{"x":1}\n{"x":2}\n{"x"' run_signal HUP stream-window -t x --count 10 'sum(x)'
	[ "$st" = 129 ] || { echo "status $st"; false; }
	check 0 '{"window_start":1,"window_end":2,"sum_x":3}
' '' -- cat "$BATS_TEST_TMPDIR/res" "$BATS_TEST_TMPDIR/reserr"
}
