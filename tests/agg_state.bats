#!/usr/bin/env bats
# stream-agg --state: incremental runs over growing, rotating logs (each
# run's output equals one run over everything written so far), and the
# states refused (another aggregate list or keys, garbage, damage).
load helpers
load state_helpers

setup() {
	[ -x "$BIN/stream-agg" ] || skip "stream-agg not built yet"
	T=$BATS_TEST_TMPDIR
	AGGS='count, sum(bytes), mean(bytes), max(bytes), p90(bytes), distinct(host), first(host)'
}

inc() { stream-agg --state "$T/st" -g level "$AGGS" "$T/app.log"; }

@test "agg state: cron over a log appended in 10 steps, rotated twice, equals one run" {
	: >"$T/app.log"
	for step in 1 2 3 4 5 6 7 8 9 10; do
		chunk=$(gen "$step" 300; printf x)
		chunk=${chunk%x}
		case $step in
		3)	# the last line is still being written: held back
			put "${chunk%?????}"
			inc >/dev/null 2>"$T/err3" || return
			put "${chunk: -5}" ;;
		4)	# logrotate: rename, create; written to before and after
			put "$(head -n 100 <<<"$chunk")"$'\n'
			mv "$T/app.log" "$T/app.log.1"
			: >"$T/app.log"
			put "$(tail -n +101 <<<"$chunk")"$'\n' ;;
		7)	# copytruncate: the copy, then the file emptied in place
			put "$(head -n 200 <<<"$chunk")"$'\n'
			mv "$T/app.log.1" "$T/app.log.2"
			cp "$T/app.log" "$T/app.log.1"
			: >"$T/app.log"
			put "$(tail -n +201 <<<"$chunk")"$'\n' ;;
		*)	put "$chunk" ;;
		esac
		inc >"$T/out" 2>"$T/err$step" || return
	done
	[ ! -s "$T/err3" ]
	want=$(stream-agg -g level "$AGGS" "$T/all.log")
	slurp got "$T/out"
	[ "$got" = "$want"$'\n' ] || { diff <(echo "$want") "$T/out"; return 1; }
	[ "$(wc -l <"$T/all.log")" -eq 3000 ]
	grep -q "^stream-agg: $T/app.log: rotated; finished $T/app.log.1 from byte [0-9]*\$" "$T/err4"
	grep -q "^stream-agg: $T/app.log: truncated in place; finished $T/app.log.1 from byte [0-9]*\$" "$T/err7"
	for s in 1 2 3 5 6 8 9 10; do [ ! -s "$T/err$s" ]; done
}

@test "agg state: a run with nothing new gives the same output and state" {
	gen 1 50 >"$T/app.log"
	inc >"$T/out1"
	cp "$T/st" "$T/st1"
	slurp want "$T/out1"
	check 0 "$want" '' -- inc
	cmp "$T/st" "$T/st1"
}

@test "agg state: a save removes the temporary files of killed runs, not a live one's" {
	gen 1 50 >"$T/app.log"
	dead=$(sh -c 'echo $$')
	: >"$T/st.tmp.$dead"
	: >"$T/st.tmp.$$"
	: >"$T/st.tmp.x1"
	inc >/dev/null
	check 0 "st.tmp.$$
st.tmp.x1
" '' -- bash -c "cd '$T' && ls st.tmp.*"
}

@test "agg state: a csv file goes on past its header; line numbers go on" {
	printf 'k,v\na,1\nb,2\n' >"$T/x.csv"
	check 0 $'k,count,sum_v\na,1,1\nb,1,2\n' '' -- stream-agg --state "$T/st" -g k 'count, sum(v)' "$T/x.csv"
	printf 'a,5\nb,x\n' >>"$T/x.csv"
	check 1 $'k,count,sum_v\na,2,6\nb,1,2\n' "stream-agg: $T/x.csv:5: v: not a number: \"x\"
stream-agg: 1 bad record skipped" -- stream-agg --state "$T/st" -g k 'count, sum(v)' "$T/x.csv"
}

@test "agg state: another aggregate list, other keys, other input options are refused; the state is left" {
	gen 2 20 >"$T/app.log"
	inc >/dev/null
	cp "$T/st" "$T/st1"
	made="count() as count, sum(bytes) as sum_bytes, mean(bytes) as mean_bytes, max(bytes) as max_bytes, p90(bytes) as p90_bytes, distinct(host) as distinct_host, first(host) as first_host; -g \${level}; -i auto"
	check 2 '' "stream-agg: --state $T/st: made for '$made', not 'count() as count; -g \${level}; -i auto'; not used (it is left as it is)" -- \
		stream-agg --state "$T/st" -g level count "$T/app.log"
	check 2 '' "stream-agg: --state $T/st: made for '$made', not '${made%; -g*}; -g \${host}; -i auto'; not used (it is left as it is)" -- \
		stream-agg --state "$T/st" -g host "$AGGS" "$T/app.log"
	check 2 '' "stream-agg: --state $T/st: made for '$made', not '${made%; -i*}; -i logfmt'; not used (it is left as it is)" -- \
		stream-agg --state "$T/st" -i logfmt -g level "$AGGS" "$T/app.log"
	cmp "$T/st" "$T/st1"
}

@test "agg state: garbage, a directory and an unreadable state are refused with exit 2" {
	gen 3 5 >"$T/app.log"
	echo garbage >"$T/g"
	check 2 '' "stream-agg: --state $T/g: not a streamkit state file; not used (it is left as it is)" -- \
		stream-agg --state "$T/g" count "$T/app.log"
	check 2 '' "stream-agg: --state $T: not a regular file; not used (it is left as it is)" -- \
		stream-agg --state "$T" count "$T/app.log"
	: >"$T/empty"
	check 2 '' "stream-agg: --state $T/empty: not a streamkit state file; not used (it is left as it is)" -- \
		stream-agg --state "$T/empty" count "$T/app.log"
	[ "$(cat "$T/g")" = garbage ]
}

@test "agg state: a flipped byte or a cut state is refused, the file left as it was" {
	gen 4 5 >"$T/app.log"
	stream-agg --state "$T/st" -g host count "$T/app.log" >/dev/null
	n=$(wc -c <"$T/st")
	head -c $((n - 1)) "$T/st" >"$T/cut"
	cp "$T/cut" "$T/cut1"
	check 2 '' "stream-agg: --state $T/cut: damaged: checksum mismatch (truncated or changed); not used (it is left as it is)" -- \
		stream-agg --state "$T/cut" -g host count "$T/app.log"
	cmp "$T/cut" "$T/cut1"
	{ head -c 40 "$T/st"; printf '\377'; tail -c +42 "$T/st"; } >"$T/flip"
	check 2 '' "stream-agg: --state $T/flip: damaged: checksum mismatch (truncated or changed); not used (it is left as it is)" -- \
		stream-agg --state "$T/flip" -g host count "$T/app.log"
	{ head -c 16 "$T/st"; printf '\2'; tail -c +18 "$T/st"; } >"$T/v2"
	check 2 '' "stream-agg: --state $T/v2: state format version 2, not 1 (made by another streamkit?); not used (it is left as it is)" -- \
		stream-agg --state "$T/v2" -g host count "$T/app.log"
}

@test "agg state: standard input, '-', a file twice, a pipe and --rotated alone are usage errors" {
	gen 5 5 >"$T/app.log"
	check 2 '' "stream-agg: --state needs FILE operands: standard input cannot be read from where the last run stopped
Try 'stream-agg --help' for more information." -- sh -c "stream-agg --state '$T/st' count < '$T/app.log'"
	check 2 '' "stream-agg: --state: standard input ('-') cannot be read from where the last run stopped
Try 'stream-agg --help' for more information." -- stream-agg --state "$T/st" count - "$T/app.log"
	check 2 '' "stream-agg: $T/app.log: given twice (--state keeps one offset a file)" -- \
		stream-agg --state "$T/st" count "$T/app.log" "$T/app.log"
	mkfifo "$T/fifo"
	check 2 '' "stream-agg: $T/fifo: not a regular file (--state follows regular files only)" -- \
		stream-agg --state "$T/st" count "$T/fifo"
	check 2 '' "stream-agg: --rotated is for --state
Try 'stream-agg --help' for more information." -- stream-agg --rotated '*.old' count "$T/app.log"
	[ ! -e "$T/st" ]
}

@test "agg state: a rotated file found by --rotated; one not found is said" {
	gen 6 10 >"$T/app.log"
	inc >/dev/null
	gen 7 10 >>"$T/app.log"
	mkdir "$T/old"
	mv "$T/app.log" "$T/old/app.log.20260101"
	gen 8 10 >"$T/app.log"
	stream-agg --state "$T/st" --rotated "$T/old/*" -g level "$AGGS" "$T/app.log" >"$T/out" 2>"$T/err"
	slurp err "$T/err"
	[ "$err" = "stream-agg: $T/app.log: rotated; finished $T/old/app.log.20260101 from byte $(gen 6 10 | wc -c)
stream-agg: $T/app.log: reading it from the start
" ]
	want=$( { gen 6 10; gen 7 10; gen 8 10; } | stream-agg -g level "$AGGS")
	[ "$(cat "$T/out")" = "$want" ]
	gen 9 10 >>"$T/app.log"
	mv "$T/app.log" "$T/elsewhere"
	gen 10 10 >"$T/app.log"
	check 1 "$( { gen 6 10; gen 7 10; gen 8 10; gen 10 10; } | stream-agg -g level "$AGGS")"$'\n' \
		"stream-agg: $T/app.log: rotated, and the old file is not among $T/app.log.1, $T/app.log-*: its lines after byte $(gen 8 10 | wc -c) are not read
stream-agg: $T/app.log: reading it from the start" -- inc
}

@test "agg state: --checkpoint without --state, or with no duration, is a usage error" {
	gen 11 5 >"$T/app.log"
	check 2 '' "stream-agg: --checkpoint is for --state
Try 'stream-agg --help' for more information." -- stream-agg --checkpoint 1s count "$T/app.log"
	check 2 '' "stream-agg: --checkpoint takes a duration (250ms, 5s), not '5x'
Try 'stream-agg --help' for more information." -- stream-agg --state "$T/st" --checkpoint 5x count "$T/app.log"
	check 2 '' "stream-agg: --checkpoint takes a duration (250ms, 5s), not '0s'
Try 'stream-agg --help' for more information." -- stream-agg --state "$T/st" --checkpoint 0s count "$T/app.log"
	[ ! -e "$T/st" ]
}

# The seeded log of the checkpoint tests: 300000 lines, made once.
biglog() {
	[ -s "$BATS_FILE_TMPDIR/big.log" ] || gen 12 300000 >"$BATS_FILE_TMPDIR/big.log"
	cp "$BATS_FILE_TMPDIR/big.log" "$T/app.log"
}

@test "agg state: --checkpoint writes a usable state while the run goes on" {
	biglog
	stream-agg --state "$T/st" --checkpoint 1ms -g level "$AGGS" "$T/app.log" >"$T/out" 2>"$T/err" 3>&- &
	pid=$!
	while [ ! -e "$T/st" ] && kill -0 "$pid" 2>/dev/null; do :; done
	# stopped while reading, the checkpoint there is taken away
	kill -STOP "$pid"
	cp "$T/st" "$T/mid"
	kill -CONT "$pid"
	wait "$pid"
	[ ! -s "$T/err" ]
	want=$(stream-agg -g level "$AGGS" "$T/app.log")
	[ "$(cat "$T/out")" = "$want" ]
	# a state from the middle: the run from it reads the rest, exactly
	! cmp -s "$T/mid" "$T/st"
	check 0 "$want"$'\n' '' -- stream-agg --state "$T/mid" -g level "$AGGS" "$T/app.log"
	cmp "$T/mid" "$T/st"
}

@test "agg state: 50 runs killed (SIGKILL) at random moments, then one to the end, count every line once" {
	biglog
	seed=${SK_KILL_SEED:-$RANDOM}
	RANDOM=$seed
	killed=0
	for i in $(seq 50); do
		stream-agg --state "$T/st" --checkpoint 5ms -g level "$AGGS" "$T/app.log" >/dev/null 2>"$T/err" 3>&- &
		pid=$!
		sleep "$(printf '0.%03d' $((RANDOM % 30)))"
		kill -KILL "$pid" 2>/dev/null || true
		st=0
		wait "$pid" 2>/dev/null || st=$?
		[ "$st" -eq 0 ] || [ "$st" -eq 137 ] || { echo "seed $seed, run $i: exit $st"; cat "$T/err"; return 1; }
		[ "$st" -ne 137 ] || killed=$((killed + 1))
	done
	want=$(stream-agg -g level "$AGGS" "$T/app.log")
	stream-agg --state "$T/st" -g level "$AGGS" "$T/app.log" >"$T/out" 2>"$T/err" || { echo "seed $seed"; cat "$T/err"; return 1; }
	[ "$(cat "$T/out")" = "$want" ] || { echo "seed $seed ($killed runs killed; SK_KILL_SEED=$seed repeats it):"; diff <(echo "$want") "$T/out"; return 1; }
	[ ! -s "$T/err" ]
	[ "$killed" -ge 10 ] || { echo "seed $seed: only $killed of 50 runs were killed while reading"; return 1; }
}

@test "agg state: a checkpoint taken while a rotated file is finished resumes in that file" {
	gen 13 100 >"$T/app.log"
	inc >/dev/null
	cp "$T/st" "$T/st0"
	cat "$BATS_FILE_TMPDIR/big.log" 2>/dev/null >>"$T/app.log" || gen 12 300000 >>"$T/app.log"
	mv "$T/app.log" "$T/app.log.1"
	gen 14 100 >"$T/app.log"
	stream-agg --state "$T/st" --checkpoint 1ms -g level "$AGGS" "$T/app.log" >"$T/out" 2>"$T/err" 3>&- &
	pid=$!
	while cmp -s "$T/st" "$T/st0" && kill -0 "$pid" 2>/dev/null; do :; done
	kill -STOP "$pid"
	cp "$T/st" "$T/mid"
	kill -CONT "$pid"
	wait "$pid"
	want=$(cat "$T/app.log.1" "$T/app.log" | stream-agg -g level "$AGGS")
	[ "$(cat "$T/out")" = "$want" ]
	! cmp -s "$T/mid" "$T/st"
	stream-agg --state "$T/mid" -g level "$AGGS" "$T/app.log" >"$T/out2" 2>"$T/err2"
	[ "$(cat "$T/out2")" = "$want" ]
	# the old file again, from a byte past the first run's end
	n=$(sed -n "s|^stream-agg: $T/app.log: rotated; finished $T/app.log.1 from byte \([0-9]*\)\$|\1|p" "$T/err2")
	[ "$n" -gt "$(gen 13 100 | wc -c)" ]
	[ "$(sed -n 2p "$T/err2")" = "stream-agg: $T/app.log: reading it from the start" ]
}

@test "agg, map and window state: --rejects naming the --state file is refused before either is touched" {
	printf 'level=info bytes=1\nlevel\nts=1 k=a\n' >"$T/app.log"
	stream-agg --state "$T/st" -g level count "$T/app.log" >/dev/null 2>&1 || true
	cp "$T/st" "$T/st.before"
	check 2 '' "stream-agg: --rejects $T/st is the --state file" -- \
		stream-agg --state "$T/st" --rejects "$T/st" -g level count "$T/app.log"
	cmp "$T/st.before" "$T/st"
	stream-map --state "$T/mst" 'n = rownum()' "$T/app.log" >/dev/null
	cp "$T/mst" "$T/mst.before"
	check 2 '' "stream-map: --rejects $T/mst is the --state file" -- \
		stream-map --state "$T/mst" --rejects "$T/mst" 'n = rownum()' "$T/app.log"
	cmp "$T/mst.before" "$T/mst"
	stream-window -t ts --tumbling 1m -g k count --state "$T/wst" "$T/app.log" >/dev/null 2>&1 || true
	cp "$T/wst" "$T/wst.before"
	check 2 '' "stream-window: --rejects $T/wst is the --state file" -- \
		stream-window -t ts --tumbling 1m -g k count --state "$T/wst" --rejects "$T/wst" "$T/app.log"
	cmp "$T/wst.before" "$T/wst"
}
