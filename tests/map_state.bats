#!/usr/bin/env bats
# stream-map --state: incremental runs over growing, rotating logs (the
# outputs of the runs, one after the other, are one run's output over
# everything written, and the stateful functions go on across them), the
# states refused, and runs killed: output at least once, state exactly
# once.
load helpers
load state_helpers

setup() {
	[ -x "$BIN/stream-map" ] || skip "stream-map not built yet"
	T=$BATS_TEST_TMPDIR
	PROG='n = rownum(); c = cumsum(bytes); p = prev(host); d = delta(bytes); e = ewma(bytes, 0.3)'
}

# cron ARGS...: ten appended steps (a line half written at step 3, a
# rename+create at 4, a copytruncate at 7), one stream-map --state ARGS
# run after each, their outputs one after the other in $T/runs.
cron() {
	: >"$T/app.log"
	: >"$T/runs"
	for step in 1 2 3 4 5 6 7 8 9 10; do
		chunk=$(gen "$step" 300; printf x)
		chunk=${chunk%x}
		case $step in
		3)	put "${chunk%?????}"
			stream-map --state "$T/st" "$@" "$T/app.log" >>"$T/runs" 2>"$T/err3" || return
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
		stream-map --state "$T/st" "$@" "$T/app.log" >>"$T/runs" 2>"$T/err$step" || return
	done
	[ "$(wc -l <"$T/all.log")" -eq 3000 ]
	grep -q "^stream-map: $T/app.log: rotated; finished $T/app.log.1 from byte [0-9]*\$" "$T/err4"
	grep -q "^stream-map: $T/app.log: truncated in place; finished $T/app.log.1 from byte [0-9]*\$" "$T/err7"
	for s in 1 2 3 5 6 8 9 10; do [ ! -s "$T/err$s" ] || { cat "$T/err$s"; return 1; }; done
}

@test "map state: cron over a log appended in 10 steps, rotated twice, equals one run" {
	cron "$PROG"
	stream-map "$PROG" "$T/all.log" >"$T/want"
	cmp "$T/want" "$T/runs" || { diff "$T/want" "$T/runs" | head; return 1; }
	[ "$(tail -n 1 "$T/runs" | sed 's/.* n=\([0-9]*\) .*/\1/')" = 3000 ]
}

@test "map state: the same with -g, and as JSON Lines" {
	cron -g level -o jsonl "$PROG"
	stream-map -g level -o jsonl "$PROG" "$T/all.log" >"$T/want"
	cmp "$T/want" "$T/runs" || { diff "$T/want" "$T/runs" | head; return 1; }
	[ "$(wc -l <"$T/runs")" -eq 3000 ]
}

@test "map state: the same with a filter, -s and -r, over CSV with its header each run" {
	: >"$T/app.log"
	printf 'level,host,bytes\n' >"$T/all.log"
	cp "$T/all.log" "$T/app.log"
	: >"$T/runs"
	for step in 1 2 3; do
		gen "$step" 200 | sed 's/level=//; s/ host=/,/; s/ bytes=/,/' >"$T/chunk"
		cat "$T/chunk" >>"$T/app.log"
		cat "$T/chunk" >>"$T/all.log"
		stream-map --state "$T/st" -g host -s host,n,c -r c:total \
			'filter level != "debug"; n = rownum(); c = cumsum(bytes)' "$T/app.log" |
			sed 1d >>"$T/runs"
	done
	stream-map -g host -s host,n,c -r c:total \
		'filter level != "debug"; n = rownum(); c = cumsum(bytes)' "$T/all.log" | sed 1d >"$T/want"
	cmp "$T/want" "$T/runs"
	[ "$(wc -l <"$T/want")" -gt 300 ]
}

@test "map state: a program with no stateful function reads only what was appended" {
	printf 'a=1\na=2\n' >"$T/app.log"
	check 0 'a=1 b=2
a=2 b=4
' '' -- stream-map --state "$T/st" 'b = a * 2' "$T/app.log"
	printf 'a=3\n' >>"$T/app.log"
	check 0 'a=3 b=6
' '' -- stream-map --state "$T/st" 'b = a * 2' "$T/app.log"
	check 0 '' '' -- stream-map --state "$T/st" 'b = a * 2' "$T/app.log"
	printf 'a=4\n' >>"$T/app.log"
	check 0 'a=1
a=2
a=3
a=4
' '' -- stream-map --state "$T/st2" -s a "$T/app.log" --checkpoint 1s
	printf 'a=5 z=1\n' >>"$T/app.log"
	check 0 'a=5
' '' -- stream-map --state "$T/st2" -s a "$T/app.log" --checkpoint 1s
}

@test "map state: a run with nothing new writes nothing and keeps the state" {
	gen 1 50 >"$T/app.log"
	stream-map --state "$T/st" -g level "$PROG" "$T/app.log" >/dev/null
	cp "$T/st" "$T/st1"
	check 0 '' '' -- stream-map --state "$T/st" -g level "$PROG" "$T/app.log"
	cmp "$T/st" "$T/st1"
}

@test "map state: ugly inputs: empty, no trailing newline, CRLF" {
	: >"$T/app.log"
	check 0 '' '' -- stream-map --state "$T/st" 'n = rownum()' "$T/app.log"
	printf 'a=1\r\na=2' >"$T/app.log"
	check 0 'a=1 n=1
' '' -- stream-map --state "$T/st" 'n = rownum()' "$T/app.log"
	printf '\r\na=3\r\n' >>"$T/app.log"
	check 0 'a=2 n=2
a=3 n=3
' '' -- stream-map --state "$T/st" 'n = rownum()' "$T/app.log"
}

@test "map state: a state made otherwise or damaged is refused, exit 2, and left as it is" {
	gen 1 20 >"$T/app.log"
	stream-map --state "$T/st" -g level "$PROG" "$T/app.log" >/dev/null
	cp "$T/st" "$T/st0"
	made="-e '$PROG'; -g \${level}; -i auto"
	check 2 '' "stream-map: --state $T/st: made for '$made', not '-e 'n = rownum()'; -g \${level}; -i auto'; not used (it is left as it is)" \
		-- stream-map --state "$T/st" -g level 'n = rownum()' "$T/app.log"
	check 2 '' "stream-map: --state $T/st: made for '$made', not '-e '$PROG'; -g \${host}; -i auto'; not used (it is left as it is)" \
		-- stream-map --state "$T/st" -g host "$PROG" "$T/app.log"
	check 2 '' "stream-map: --state $T/st: made for '$made', not '-e '$PROG'; -g \${level}; -s n; -i logfmt'; not used (it is left as it is)" \
		-- stream-map --state "$T/st" -g level -s n -i logfmt "$PROG" "$T/app.log"
	check 2 '' "stream-map: --state $T/st: made for '$made', not 'no program; -g ; -x n; -i auto'; not used (it is left as it is)" \
		-- stream-map --state "$T/st" -x n "$T/app.log"
	stream-agg --state "$T/agg" count "$T/app.log" >/dev/null
	check 2 '' "stream-map: --state $T/agg: made by stream-agg, not stream-map; not used (it is left as it is)" \
		-- stream-map --state "$T/agg" -g level "$PROG" "$T/app.log"
	head -c 100 "$T/st0" >"$T/st"
	check 2 '' "stream-map: --state $T/st: damaged: checksum mismatch (truncated or changed); not used (it is left as it is)" \
		-- stream-map --state "$T/st" -g level "$PROG" "$T/app.log"
	printf 'garbage\n' >"$T/st"
	check 2 '' "stream-map: --state $T/st: not a streamkit state file; not used (it is left as it is)" \
		-- stream-map --state "$T/st" -g level "$PROG" "$T/app.log"
	[ "$(cat "$T/st")" = garbage ]
	mkdir "$T/dir"
	check 2 '' "stream-map: --state $T/dir: not a regular file; not used (it is left as it is)" \
		-- stream-map --state "$T/dir" "$PROG" "$T/app.log"
}

@test "map state: usage errors: standard input, --rotated or --checkpoint without --state, a bad duration" {
	check 2 '' "stream-map: --state needs FILE operands: standard input cannot be read from where the last run stopped
Try 'stream-map --help' for more information." -- stream-map --state "$T/st" 'n = rownum()' </dev/null
	check 2 '' "stream-map: --state: standard input ('-') cannot be read from where the last run stopped
Try 'stream-map --help' for more information." -- stream-map --state "$T/st" 'n = rownum()' - </dev/null
	check 2 '' "stream-map: --rotated is for --state
Try 'stream-map --help' for more information." -- stream-map --rotated 'x*' 'n = rownum()' </dev/null
	check 2 '' "stream-map: --checkpoint is for --state
Try 'stream-map --help' for more information." -- stream-map --checkpoint 1s 'n = rownum()' </dev/null
	check 2 '' "stream-map: --checkpoint takes a duration (250ms, 5s), not 'soon'
Try 'stream-map --help' for more information." -- stream-map --state "$T/st" --checkpoint soon 'n = rownum()' x
	[ ! -e "$T/st" ]
}

@test "map state: a rotated file found by --rotated" {
	gen 1 10 >"$T/app.log"
	stream-map --state "$T/st" "$PROG" "$T/app.log" >"$T/runs"
	gen 2 10 >>"$T/app.log"
	mkdir "$T/old"
	mv "$T/app.log" "$T/old/app.log.20260101"
	gen 3 10 >"$T/app.log"
	stream-map --state "$T/st" --rotated "$T/old/app.log.*" "$PROG" "$T/app.log" >>"$T/runs" 2>"$T/err"
	{ gen 1 10; gen 2 10; gen 3 10; } | stream-map "$PROG" >"$T/want"
	cmp "$T/want" "$T/runs"
	n=$(gen 1 10 | wc -c)
	slurp err "$T/err"
	[ "$err" = "stream-map: $T/app.log: rotated; finished $T/old/app.log.20260101 from byte $n
stream-map: $T/app.log: reading it from the start
" ]
}

biglog() {
	[ -s "$BATS_FILE_TMPDIR/big.log" ] || gen 12 200000 >"$BATS_FILE_TMPDIR/big.log"
	cp "$BATS_FILE_TMPDIR/big.log" "$T/app.log"
}

# seams FULL RUN...: each run's output is a stretch of FULL's lines (the
# last line of a killed run may be cut short), starting no later than
# where the runs before reached; together they reach FULL's end.
seams() {
	python3 - "$@" <<'PY'
import sys
full = open(sys.argv[1], 'rb').read().split(b'\n')[:-1]
at = {l: i for i, l in enumerate(full)}
assert len(at) == len(full), "lines of the full output are not unique"
reach = 0
for k, f in enumerate(sys.argv[2:]):
    data = open(f, 'rb').read()
    lines = data.split(b'\n')
    cut = lines.pop()          # b'' when the output ends with a newline
    if not lines:
        assert not cut or full[reach].startswith(cut), (k, 'cut first line')
        continue
    s = at.get(lines[0])
    assert s is not None, (k, 'a line not in one run', lines[0][:80])
    assert s <= reach, (k, 'lines lost before', s, reach)
    assert full[s:s + len(lines)] == lines, (k, 'not one stretch')
    e = s + len(lines)
    assert not cut or (e < len(full) and full[e].startswith(cut)), (k, 'cut line')
    reach = max(reach, e)
assert reach == len(full), ('the end not reached', reach, len(full))
PY
}

@test "map state: runs killed (SIGKILL) at random moments: every record written, the repeats at the seams, the state once" {
	biglog
	seed=${SK_KILL_SEED:-$RANDOM}
	RANDOM=$seed
	killed=0
	runs=()
	for i in $(seq 20); do
		stream-map --state "$T/st" --checkpoint 5ms -g level "$PROG" "$T/app.log" >"$T/run$i" 2>"$T/err" 3>&- &
		pid=$!
		# within 40 ms: a whole run takes about 0.4 s, so most runs
		# are still reading when the kill comes
		sleep "$(printf '0.%03d' $((RANDOM % 40)))"
		kill -KILL "$pid" 2>/dev/null || true
		st=0
		wait "$pid" 2>/dev/null || st=$?
		[ "$st" -eq 0 ] || [ "$st" -eq 137 ] || { echo "seed $seed, run $i: exit $st"; cat "$T/err"; return 1; }
		[ "$st" -ne 137 ] || killed=$((killed + 1))
		runs+=("$T/run$i")
	done
	stream-map --state "$T/st" -g level "$PROG" "$T/app.log" >"$T/last" 2>"$T/err" || { cat "$T/err"; return 1; }
	[ ! -s "$T/err" ]
	stream-map -g level "$PROG" "$T/app.log" >"$T/want"
	seams "$T/want" "${runs[@]}" "$T/last" || { echo "seed $seed ($killed killed; SK_KILL_SEED=$seed repeats it)"; return 1; }
	# the cells once: the next records go on from one run's
	gen 99 100 >>"$T/app.log"
	stream-map --state "$T/st" -g level "$PROG" "$T/app.log" >"$T/next"
	stream-map -g level "$PROG" "$T/app.log" | tail -n 100 >"$T/want"
	cmp "$T/want" "$T/next"
	[ "$killed" -ge 5 ] || { echo "seed $seed: only $killed of 20 runs were killed while reading"; return 1; }
}
