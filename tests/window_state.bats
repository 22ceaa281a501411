#!/usr/bin/env bats
# stream-window --state: runs over a growing, rotating log whose outputs,
# one after the other, are one run's (every window once, by the run that
# closes it), --drain, signals, SIGKILL with --checkpoint, the states
# refused, the usage errors, and random splits against one run
# (tests/windows/state.py).

load helpers
load state_helpers

setup() {
	[ -x "$BIN/stream-window" ] || skip "stream-window not built yet"
	T=$BATS_TEST_TMPDIR
	AGGS='count, sum(v), first(v), last(v), share(v), p90(v), distinct(k)'
}

sw() { stream-window "$@"; }

# gen SEED N (this file's own, for state_helpers' has no times): N
# logfmt lines, times about 0.7 s apart from 1700000000,
# some up to 4 s out of order, keys a, b, c.
gen() {
	awk -v seed="$1" -v n="$2" 'BEGIN { srand(seed)
		for (i = 0; i < n; i++) {
			t = 1700000000 + i * 0.7 + int(rand() * 6) - 4
			printf "ts=%.1f k=%s v=%d\n", t, substr("abc", 1 + int(rand() * 3), 1), int(rand() * 1000)
		} }'
}

# cron WINDOW-ARGS...: the log written in 10 steps of 300 lines (the
# last line of step 3 half written; logrotate's rename and create at step
# 4, copytruncate at step 7), a --state run after each step, then one with
# --drain; their outputs, one after the other, must be one run's over all
# the lines, row for row.
cron() {
	rm -f "$T/st" "$T/app.log".*
	: >"$T/app.log"
	: >"$T/all.log"
	: >"$T/runs"
	gen 1 3000 >"$T/lines"
	for step in 1 2 3 4 5 6 7 8 9 10; do
		chunk=$(sed -n "$(( step * 300 - 299 )),$(( step * 300 ))p" "$T/lines")$'\n'
		case $step in
		3)	put "${chunk%?????}"
			sw --state "$T/st" "$@" "$T/app.log" >>"$T/runs" 2>"$T/err3" || return
			put "${chunk: -5}" ;;
		4)	put "$(head -n 100 <<<"$chunk")"$'\n'
			mv "$T/app.log" "$T/app.log.1"
			: >"$T/app.log"
			put "$(tail -n +101 <<<"$chunk")"$'\n' ;;
		7)	put "$(head -n 200 <<<"$chunk")"$'\n'
			mv "$T/app.log.1" "$T/app.log.2"
			cp "$T/app.log" "$T/app.log.1"
			: >"$T/app.log"
			put "$(tail -n +201 <<<"$chunk")"$'\n' ;;
		*)	put "$chunk" ;;
		esac
		sw --state "$T/st" "$@" "$T/app.log" >>"$T/runs" 2>"$T/err$step" || return
	done
	sw --state "$T/st" --drain "$@" "$T/app.log" >>"$T/runs" 2>"$T/err11" || return
	sw "$@" "$T/all.log" >"$T/one" || return
	[ "$(wc -l <"$T/all.log")" -eq 3000 ]
	cmp "$T/one" "$T/runs" || { diff "$T/one" "$T/runs" | head -20; return 1; }
	[ "$(wc -l <"$T/one")" -gt 20 ]
	grep -q "^stream-window: $T/app.log: rotated; finished $T/app.log.1 from byte [0-9]*\$" "$T/err4"
	grep -q "^stream-window: $T/app.log: truncated in place; finished $T/app.log.1 from byte [0-9]*\$" "$T/err7"
	for s in 1 2 3 5 6 8 9 10 11; do [ ! -s "$T/err$s" ] || { cat "$T/err$s"; return 1; }; done
}

# once: no window and key written twice in $T/runs.
once() {
	[ -z "$(sed 's/ count=.*//' "$T/runs" | sort | uniq -d)" ]
}

@test "window state: cron, rotated twice: tumbling with --max-delay equals one run, each window once" {
	cron -t ts --tumbling 10s --max-delay 3s --late drop -g k "$AGGS"
	once
}

@test "window state: cron, rotated twice: sliding with --max-delay equals one run, each window once" {
	cron -t ts --sliding 30s,10s --max-delay 3s --late drop -g k "$AGGS"
	once
}

@test "window state: cron, rotated twice: sessions with --max-delay equal one run, each once" {
	cron -t ts --session 2s --max-delay 3s --late drop -g k "$AGGS"
	once
}

@test "window state: cron, rotated twice: count windows equal one run, each once" {
	cron -t ts --count 7,3 -g k "$AGGS"
	once
}

@test "window state: cron with --update-late: the windows written again are one run's" {
	cron -t ts --tumbling 10s --update-late 5s --late drop -g k "$AGGS"
	# late records did re-emit windows, in the runs as in one run
	[ -n "$(sed 's/ count=.*//' "$T/one" | sort | uniq -d)" ]
}

@test "window state: cron with --update-late: sliding and sessions" {
	cron -t ts --sliding 20s,5s --max-delay 1s --update-late 4s --late drop -g k "$AGGS"
	cron -t ts --session 1s --update-late 3s --late drop -g k 'count, first(v), last(v)'
}

@test "window state: a window that spans runs is written once, by the run that closes it" {
	printf 'ts=1 k=a\nts=4 k=a\n' >"$T/l"
	check 0 '' '' -- sw --state "$T/st" -t ts --tumbling 10s -g k count "$T/l"
	printf 'ts=9 k=b\n' >>"$T/l"
	check 0 '' '' -- sw --state "$T/st" -t ts --tumbling 10s -g k count "$T/l"
	printf 'ts=10 k=a\n' >>"$T/l"
	check 0 'window_start=0 window_end=10 k=a count=2
window_start=0 window_end=10 k=b count=1
' '' -- sw --state "$T/st" -t ts --tumbling 10s -g k count "$T/l"
	check 0 '' '' -- sw --state "$T/st" -t ts --tumbling 10s -g k count "$T/l"
	check 0 'window_start=10 window_end=20 k=a count=1
' '' -- sw --state "$T/st" --drain -t ts --tumbling 10s -g k count "$T/l"
	check 0 '' '' -- sw --state "$T/st" --drain -t ts --tumbling 10s -g k count "$T/l"
}

@test "window state: a record behind the saved watermark is late in the next run, as in one run" {
	printf 'ts,k\n5,a\n25,a\n' >"$T/l.csv"
	check 0 $'window_start,window_end,k,count\n0,10,a,1\n' '' -- \
		sw --state "$T/st" -t ts --tumbling 10s -g k count "$T/l.csv"
	printf '7,a\n26,b\n' >>"$T/l.csv"
	check 1 '' "stream-window: $T/l.csv:4: late record: time 7 is behind the watermark 25
stream-window: 1 late record dropped" -- sw --state "$T/st" -t ts --tumbling 10s -g k count "$T/l.csv"
	check 0 $'window_start,window_end,k,count\n20,30,a,1\n20,30,b,1\n' '' -- \
		sw --state "$T/st" --drain -t ts --tumbling 10s -g k count "$T/l.csv"
	# after --drain the watermark is the end of the last window written:
	# 21 is behind it; 31 is not
	printf '21,a\n31,a\n' >>"$T/l.csv"
	check 1 '' "stream-window: $T/l.csv:6: late record: time 21 is behind the watermark 30
stream-window: 1 late record dropped" -- sw --state "$T/st" -t ts --tumbling 10s -g k count "$T/l.csv"
	check 0 $'window_start,window_end,k,count\n30,40,a,1\n' '' -- \
		sw --state "$T/st" --drain -t ts --tumbling 10s -g k count "$T/l.csv"
}

@test "window state: after --drain a record for a drained window or session is late, --update-late aside" {
	printf 'ts,k,v\n5,a,1\n12,a,2\n' >"$T/l.csv"
	check 0 $'window_start,window_end,k,sum_v\n0,10,a,1\n10,20,a,2\n' '' -- \
		sw --state "$T/st" --drain -t ts --tumbling 10s --update-late 1m -g k 'sum(v)' "$T/l.csv"
	printf '13,a,4\n' >>"$T/l.csv"
	check 1 '' "stream-window: $T/l.csv:4: late record: time 13 is behind the watermark 20
stream-window: 1 late record dropped" -- sw --state "$T/st" -t ts --tumbling 10s --update-late 1m -g k 'sum(v)' "$T/l.csv"
	printf 'ts,k,v\n5,a,1\n9,a,2\n' >"$T/s.csv"
	check 0 $'window_start,window_end,k,sum_v\n5,14,a,3\n' '' -- \
		sw --state "$T/ss" --drain -t ts --session 5s --update-late 1m -g k 'sum(v)' "$T/s.csv"
	printf '14,a,4\n18,b,8\n' >>"$T/s.csv"
	check 1 $'window_start,window_end,k,sum_v\n18,23,b,8\n' "stream-window: $T/s.csv:4: late record: time 14 is behind the watermark 14
stream-window: 1 late record dropped" -- sw --state "$T/ss" --drain -t ts --session 5s --update-late 1m -g k 'sum(v)' "$T/s.csv"
}

@test "window state: under --update-late a record in the next run writes its fired window again" {
	printf 'ts,k,v\n5,a,1\n12,a,2\n' >"$T/l.csv"
	check 0 $'window_start,window_end,k,sum_v\n0,10,a,1\n' '' -- \
		sw --state "$T/st" -t ts --tumbling 10s --update-late 5s -g k 'sum(v)' "$T/l.csv"
	printf '8,a,10\n' >>"$T/l.csv"
	check 0 $'window_start,window_end,k,sum_v\n0,10,a,11\n' '' -- \
		sw --state "$T/st" -t ts --tumbling 10s --update-late 5s -g k 'sum(v)' "$T/l.csv"
	printf '3,a,100\n' >>"$T/l.csv"
	check 0 $'window_start,window_end,k,sum_v\n0,10,a,111\n' '' -- \
		sw --state "$T/st" -t ts --tumbling 10s --update-late 5s -g k 'sum(v)' "$T/l.csv"
}

@test "window state: empty input, then lines; a run with nothing new writes nothing and keeps the state" {
	: >"$T/l"
	check 0 '' '' -- sw --state "$T/st" -t ts --tumbling 10s count "$T/l"
	[ -s "$T/st" ]
	printf 'ts=1\nts=12\n' >>"$T/l"
	check 0 $'window_start=0 window_end=10 count=1\n' '' -- sw --state "$T/st" -t ts --tumbling 10s count "$T/l"
	cp "$T/st" "$T/st1"
	check 0 '' '' -- sw --state "$T/st" -t ts --tumbling 10s count "$T/l"
	cmp "$T/st" "$T/st1"
}

@test "window state: a last line without a newline is left for the next run" {
	printf 'ts=1 v=1\nts=12 v=2\nts=2' >"$T/l"
	check 0 $'window_start=0 window_end=10 sum_v=1\n' '' -- sw --state "$T/st" -t ts --tumbling 10s 'sum(v)' "$T/l"
	# the line was "ts=2" so far: it is "ts=25 v=4" now, and closes 10..20
	printf '5 v=4\n' >>"$T/l"
	check 0 $'window_start=10 window_end=20 sum_v=2\n' '' -- sw --state "$T/st" -t ts --tumbling 10s 'sum(v)' "$T/l"
	check 0 $'window_start=20 window_end=30 sum_v=4\n' '' -- sw --state "$T/st" --drain -t ts --tumbling 10s 'sum(v)' "$T/l"
}

@test "window state: CRLF csv split over runs gives one run's rows" {
	printf 'ts,k,v\r\n1,a,1\r\n4,b,2\r\n11,a,3\r\n' >"$T/l.csv"
	sw --state "$T/st" -t ts --tumbling 5s -g k 'count, sum(v), first(k)' "$T/l.csv" >"$T/runs"
	printf '13,b,4\r\n22,a,5\r\n' >>"$T/l.csv"
	sw --state "$T/st" -t ts --tumbling 5s -g k 'count, sum(v), first(k)' "$T/l.csv" | tail -n +2 >>"$T/runs"
	sw --state "$T/st" --drain -t ts --tumbling 5s -g k 'count, sum(v), first(k)' "$T/l.csv" | tail -n +2 >>"$T/runs"
	slurp want <(sw -t ts --tumbling 5s -g k 'count, sum(v), first(k)' "$T/l.csv")
	check 0 "$want" '' -- cat "$T/runs"
	[ "$(wc -l <"$T/runs")" -eq 6 ]
}

@test "window state: the input's time form and JSON key kinds carry over" {
	printf '{"ts":"2026-01-01T00:00:01Z","k":"200"}\n{"ts":"2026-01-01T00:00:12Z","k":200}\n' >"$T/l"
	check 0 '{"window_start":"2026-01-01T00:00:00Z","window_end":"2026-01-01T00:00:10Z","k":"200","count":1}
' '' -- sw --state "$T/st" -t ts --tumbling 10s -g k count "$T/l"
	printf '{"ts":1767225625,"k":"200"}\n' >>"$T/l"
	check 0 '{"window_start":"2026-01-01T00:00:10Z","window_end":"2026-01-01T00:00:20Z","k":"200","count":1}
{"window_start":"2026-01-01T00:00:20Z","window_end":"2026-01-01T00:00:30Z","k":"200","count":1}
' '' -- sw --state "$T/st" --drain -t ts --tumbling 10s -g k count "$T/l"
}

@test "window state: a state of stream-agg, of other window options, keys or aggregates is refused and left" {
	printf 'ts=1 k=a\nts=12 k=a\n' >"$T/l"
	stream-agg --state "$T/agg" count "$T/l" >/dev/null
	cp "$T/agg" "$T/agg1"
	check 2 '' "stream-window: --state $T/agg: made by stream-agg, not stream-window; not used (it is left as it is)" -- \
		sw --state "$T/agg" -t ts --tumbling 10s count "$T/l"
	cmp "$T/agg" "$T/agg1"
	sw --state "$T/st" -t ts --tumbling 10s -g k count "$T/l" >/dev/null
	cp "$T/st" "$T/st1"
	made='tumbling size=10000000000 offset=0 max-delay=0 update-late=0 late=reject emit=close time=ts; count() as count; -g ${k}; -i auto'
	check 2 '' "stream-window: --state $T/st: made for '$made', not 'tumbling size=20000000000 offset=0 max-delay=0 update-late=0 late=reject emit=close time=ts; count() as count; -g \${k}; -i auto'; not used (it is left as it is)" -- \
		sw --state "$T/st" -t ts --tumbling 20s -g k count "$T/l"
	check 2 '' "stream-window: --state $T/st: made for '$made', not 'tumbling size=10000000000 offset=0 max-delay=1000000000 update-late=0 late=reject emit=close time=ts; count() as count; -g \${k}; -i auto'; not used (it is left as it is)" -- \
		sw --state "$T/st" -t ts --tumbling 10s --max-delay 1s -g k count "$T/l"
	check 2 '' "stream-window: --state $T/st: made for '$made', not 'session gap=10000000000 max-delay=0 update-late=0 late=reject emit=close time=ts; count() as count; -g \${k}; -i auto'; not used (it is left as it is)" -- \
		sw --state "$T/st" -t ts --session 10s -g k count "$T/l"
	check 2 '' "stream-window: --state $T/st: made for '$made', not 'tumbling size=10000000000 offset=0 max-delay=0 update-late=0 late=reject emit=close time=ts; count() as count, sum(v) as sum_v; -g \${k}; -i auto'; not used (it is left as it is)" -- \
		sw --state "$T/st" -t ts --tumbling 10s -g k 'count, sum(v)' "$T/l"
	check 2 '' "stream-window: --state $T/st: made for '$made', not 'tumbling size=10000000000 offset=0 max-delay=0 update-late=0 late=reject emit=close time=ts; count() as count; -g ; -i auto'; not used (it is left as it is)" -- \
		sw --state "$T/st" -t ts --tumbling 10s count "$T/l"
	cmp "$T/st" "$T/st1"
	# the output options may change between runs
	printf 'ts=25 k=a\n' >>"$T/l"
	check 0 $'window_start,window_end,k,count\n1970-01-01T00:00:10Z,1970-01-01T00:00:20Z,a,1\n' '' -- \
		sw --state "$T/st" -t ts --tumbling 10s -g k count --time-out iso -o csv "$T/l"
}

@test "window state: a flipped byte, a cut state, garbage are refused with exit 2, the file left" {
	printf 'ts=1 k=a\nts=12 k=a\n' >"$T/l"
	sw --state "$T/st" -t ts --tumbling 10s -g k count "$T/l" >/dev/null
	n=$(wc -c <"$T/st")
	head -c $((n - 1)) "$T/st" >"$T/cut"
	cp "$T/cut" "$T/cut1"
	check 2 '' "stream-window: --state $T/cut: damaged: checksum mismatch (truncated or changed); not used (it is left as it is)" -- \
		sw --state "$T/cut" -t ts --tumbling 10s -g k count "$T/l"
	cmp "$T/cut" "$T/cut1"
	{ head -c 40 "$T/st"; printf '\377'; tail -c +42 "$T/st"; } >"$T/flip"
	check 2 '' "stream-window: --state $T/flip: damaged: checksum mismatch (truncated or changed); not used (it is left as it is)" -- \
		sw --state "$T/flip" -t ts --tumbling 10s -g k count "$T/l"
	echo garbage >"$T/g"
	check 2 '' "stream-window: --state $T/g: not a streamkit state file; not used (it is left as it is)" -- \
		sw --state "$T/g" -t ts --tumbling 10s -g k count "$T/l"
}

@test "window state: the usage errors" {
	printf 'ts=1\n' >"$T/l"
	u="Try 'stream-window --help' for more information."
	check 2 '' "stream-window: --state keeps event-time windows: give -t
$u" -- sw --state "$T/st" --tumbling 10s count "$T/l"
	check 2 '' "stream-window: --state and --partial do not go together
$u" -- sw --state "$T/st" -t ts --tumbling 10s --partial count "$T/l"
	check 2 '' "stream-window: --state and --merge do not go together
$u" -- sw --state "$T/st" -t ts --tumbling 10s --merge count "$T/l"
	check 2 '' "stream-window: --state and --idle do not go together: --idle is for live input, --state for files read again later
$u" -- sw --state "$T/st" -t ts --tumbling 10s --idle 1s count "$T/l"
	for o in --drain '--checkpoint 1s' '--rotated *.old'; do
		check 2 '' "stream-window: ${o%% *} is for --state
$u" -- sw $o -t ts --tumbling 10s count "$T/l"
	done
	check 2 '' "stream-window: --checkpoint takes a duration (250ms, 5s), not '0s'
$u" -- sw --state "$T/st" --checkpoint 0s -t ts --tumbling 10s count "$T/l"
	check 2 '' "stream-window: --state needs FILE operands: standard input cannot be read from where the last run stopped
$u" -- sh -c "stream-window --state '$T/st' -t ts --tumbling 10s count < '$T/l'"
	check 2 '' "stream-window: --state: standard input ('-') cannot be read from where the last run stopped
$u" -- sw --state "$T/st" -t ts --tumbling 10s count - "$T/l"
	[ ! -e "$T/st" ]
}

# The log of the signal tests: 300000 lines, made once.
biglog() {
	[ -s "$BATS_FILE_TMPDIR/big.log" ] || gen 7 300000 >"$BATS_FILE_TMPDIR/big.log"
	cp "$BATS_FILE_TMPDIR/big.log" "$T/app.log"
}

W=(-t ts --tumbling 10s --max-delay 3s --late drop -g k 'count, sum(v), first(v), last(v)')

@test "window state: SIGTERM stops between records and saves: nothing lost, nothing written twice" {
	biglog
	want=$(sw "${W[@]}" "$T/app.log")
	seed=${SK_KILL_SEED:-$RANDOM}
	RANDOM=$seed
	stopped=0
	for i in 1 2 3 4 5; do
		rm -f "$T/st"
		stream-window --state "$T/st" "${W[@]}" "$T/app.log" >"$T/runs" 2>"$T/err" &
		pid=$!
		sleep "$(printf '0.%03d' $((RANDOM % 200)))"
		kill -TERM "$pid" 2>/dev/null || true
		st=0
		wait "$pid" || st=$?
		[ "$st" -eq 0 ] || [ "$st" -eq 143 ] || { echo "seed $seed: exit $st"; cat "$T/err"; return 1; }
		[ "$st" -eq 0 ] || stopped=$((stopped + 1))
		[ ! -s "$T/err" ]
		sw --state "$T/st" --drain "${W[@]}" "$T/app.log" >>"$T/runs"
		[ "$(cat "$T/runs")" = "$want" ] || { echo "seed $seed (SK_KILL_SEED repeats it):"; diff <(echo "$want") "$T/runs" | head; return 1; }
	done
	[ "$stopped" -ge 1 ]
}

@test "window state: 30 runs killed (SIGKILL) with --checkpoint: every window is written, again at most since a checkpoint" {
	biglog
	sw "${W[@]}" "$T/app.log" >"$T/one"
	seed=${SK_KILL_SEED:-$RANDOM}
	RANDOM=$seed
	killed=0
	: >"$T/union"
	for i in $(seq 30); do
		stream-window --state "$T/st" --checkpoint 5ms "${W[@]}" "$T/app.log" >"$T/out" 2>"$T/err" 3>&- &
		pid=$!
		sleep "$(printf '0.%03d' $((RANDOM % 40)))"
		kill -KILL "$pid" 2>/dev/null || true
		st=0
		wait "$pid" 2>/dev/null || st=$?
		[ "$st" -eq 0 ] || [ "$st" -eq 137 ] || { echo "seed $seed, run $i: exit $st"; cat "$T/err"; return 1; }
		[ "$st" -ne 137 ] || killed=$((killed + 1))
		# a killed run's last line may be cut short
		if [ -n "$(tail -c 1 "$T/out")" ]; then
			sed '$d' "$T/out" >>"$T/union"
		else
			cat "$T/out" >>"$T/union"
		fi
	done
	sw --state "$T/st" --drain "${W[@]}" "$T/app.log" >>"$T/union"
	# each window and key once, keeping the last row: one run's rows
	tac "$T/union" | awk '!seen[$1 FS $2 FS $3]++' | tac | sort >"$T/dedup"
	sort "$T/one" >"$T/one.sorted"
	cmp "$T/one.sorted" "$T/dedup" || { echo "seed $seed ($killed killed; SK_KILL_SEED=$seed repeats it)"; diff "$T/one.sorted" "$T/dedup" | head; return 1; }
	[ "$killed" -ge 5 ] || { echo "seed $seed: only $killed of 30 runs were killed while reading"; return 1; }
}

@test "window state: random splits into 2 to 6 runs equal one run (tests/windows/state.py)" {
	check 0 $'300 cases, 0 disagree\n' '' -- \
		python3 "$BATS_TEST_DIRNAME/windows/state.py" -n 300 -s 1 --bin "$BIN"
}
