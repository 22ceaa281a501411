#!/usr/bin/env bats
# --state over compressed files (stream-agg, stream-map): compressed FILE
# operands read whole, once, under any name logrotate gives them; a log
# rotated into a compressed file (logrotate's compress, with and without
# delaycompress) finished from where the last run stopped; each run's
# totals equal one run over every line written so far.
load helpers
load state_helpers

setup() {
	[ -x "$BIN/stream-agg" ] || skip "stream-agg not built yet"
	T=$BATS_TEST_TMPDIR
	AGGS='count, sum(bytes), first(host), last(host)'
	PROG='n = rownum(); c = cumsum(bytes); p = prev(host)'
}

# shift_gz: app.log.N.gz becomes app.log.N+1.gz, as logrotate renames them.
shift_gz() {
	local i
	for i in 8 7 6 5 4 3 2 1; do
		[ ! -e "$T/app.log.$i.gz" ] || mv "$T/app.log.$i.gz" "$T/app.log.$((i + 1)).gz"
	done
}

@test "state compressed: .gz operands are read whole once across three runs, renamed or not" {
	gen 1 100 | gzip >"$T/app.log.1.gz"
	gen 2 80 | gzip >"$T/app.log.2.gz"
	stream-agg --state "$T/st" -g level "$AGGS" "$T/"app.log.*.gz >"$T/out1"
	{ gen 1 100; gen 2 80; } | stream-agg -g level "$AGGS" >"$T/want"
	cmp "$T/want" "$T/out1"
	# nothing new
	check 0 "$(cat "$T/want")"$'\n' '' -- stream-agg --state "$T/st" -g level "$AGGS" "$T/"app.log.*.gz
	# logrotate: each one renamed, a new one in front
	shift_gz
	gen 3 60 | gzip >"$T/app.log.1.gz"
	{ gen 1 100; gen 2 80; gen 3 60; } | stream-agg -g level "$AGGS" >"$T/want"
	slurp want "$T/want"
	check 0 "$want" '' -- stream-agg --state "$T/st" -g level "$AGGS" "$T/"app.log.*.gz
	# the oldest removed: forgotten, nothing else changes
	rm "$T/app.log.3.gz"
	check 0 "$want" '' -- stream-agg --state "$T/st" -g level "$AGGS" "$T/"app.log.*.gz
}

@test "state compressed: one changed in place is said and not read again; another file at its path is read" {
	gen 1 10 | gzip >"$T/a.gz"
	stream-agg --state "$T/st" count "$T/a.gz" >/dev/null
	gen 2 5 | gzip >>"$T/a.gz"
	check 0 'count=10
' "stream-agg: $T/a.gz: compressed, read whole by an earlier run and changed in place since: not read again" \
		-- stream-agg --state "$T/st" count "$T/a.gz"
	# said once: its new identity is the one finished
	check 0 'count=10
' '' -- stream-agg --state "$T/st" count "$T/a.gz"
	gen 3 7 | gzip >"$T/b.gz"
	mv "$T/b.gz" "$T/a.gz"
	check 0 'count=17
' '' -- stream-agg --state "$T/st" count "$T/a.gz"
}

@test "state compressed: a damaged .gz operand: its lines before the damage once, said, not read again" {
	gen 1 2000 | gzip >"$T/full.gz"
	head -c 4000 "$T/full.gz" >"$T/a.gz"
	stream-agg --state "$T/st" count "$T/a.gz" >"$T/out1" 2>"$T/err1" && return 1
	grep -q "^stream-agg: $T/a.gz: " "$T/err1"
	n=$(sed -n 's/^count=//p' "$T/out1")
	[ "$n" -gt 0 ] && [ "$n" -lt 2000 ]
	check 0 "count=$n
" '' -- stream-agg --state "$T/st" count "$T/a.gz"
}

# cron_compress DELAY TOOL ARGS...: the live log appended in 9 steps and
# rotated after steps 3 and 6 as logrotate's compress does (without
# DELAY=delay: app.log to app.log.1.gz at once; with it: to app.log.1,
# then to app.log.2.gz a rotation later), one TOOL --state run after each
# step; the last output in $T/out, the outputs one after another in
# $T/runs, stderr of step N in $T/errN.
cron_compress() {
	local delay=$1 tool=$2
	shift 2
	: >"$T/app.log"
	: >"$T/runs"
	for step in 1 2 3 4 5 6 7 8 9; do
		put "$(gen "$step" 200)"$'\n'
		if [ "$step" = 4 ] || [ "$step" = 7 ]; then
			shift_gz
			if [ "$delay" = delay ]; then
				[ ! -e "$T/app.log.1" ] || { gzip -c "$T/app.log.1" >"$T/app.log.2.gz"; rm "$T/app.log.1"; }
				mv "$T/app.log" "$T/app.log.1"
			else
				gzip -c "$T/app.log" >"$T/app.log.1.gz"
				rm "$T/app.log"
			fi
			: >"$T/app.log"
			put "$(gen "$((step + 100))" 50)"$'\n'
		fi
		"$tool" --state "$T/st" "$@" "$T/app.log" >"$T/out" 2>"$T/err$step" || { cat "$T/err$step"; return 1; }
		cat "$T/out" >>"$T/runs"
	done
}

@test "state compressed: logrotate compress: app.log rotated into app.log.1.gz is finished from the offset" {
	cron_compress nodelay stream-agg -g level "$AGGS"
	stream-agg -g level "$AGGS" "$T/all.log" >"$T/want"
	cmp "$T/want" "$T/out"
	grep -q "^stream-agg: $T/app.log: .*; finished $T/app.log.1.gz from byte [0-9]*\$" "$T/err4"
	grep -q "^stream-agg: $T/app.log: .*; finished $T/app.log.1.gz from byte [0-9]*\$" "$T/err7"
	for s in 1 2 3 5 6 8 9; do [ ! -s "$T/err$s" ] || { cat "$T/err$s"; return 1; }; done
}

@test "state compressed: logrotate compress with delaycompress, and the .gz files named too: every line once" {
	cron_compress delay stream-agg -g level "$AGGS"
	stream-agg -g level "$AGGS" "$T/all.log" >"$T/want"
	cmp "$T/want" "$T/out"
	grep -q "^stream-agg: $T/app.log: .*; finished $T/app.log.1 from byte [0-9]*\$" "$T/err7"
	# the compressed ones named as well, as "app.log*" does: none twice
	rm -f "$T/st" "$T/all.log" "$T"/app.log*
	cron_compress nodelay stream-agg -g level "$AGGS" --rotated "$T/app.log.*.gz"
	stream-agg -g level "$AGGS" "$T/all.log" >"$T/want"
	cmp "$T/want" "$T/out"
}

@test "state compressed: the .gz files named before the live log, across rotations: every line once" {
	shopt -s nullglob
	: >"$T/app.log"
	for step in 1 2 3 4 5 6; do
		put "$(gen "$step" 100)"$'\n'
		if [ $((step % 2)) = 0 ]; then
			shift_gz
			gzip -c "$T/app.log" >"$T/app.log.1.gz"
			rm "$T/app.log"
			: >"$T/app.log"
		fi
		stream-agg --state "$T/st" -g level "$AGGS" "$T/"app.log.*.gz "$T/app.log" >"$T/out" 2>"$T/err" || { cat "$T/err"; return 1; }
	done
	stream-agg -g level "$AGGS" "$T/all.log" >"$T/want"
	cmp "$T/want" "$T/out"
	# and from nothing, over all of them at once: the same totals
	stream-agg --state "$T/st2" -g level --sort level 'count, sum(bytes)' "$T/"app.log.*.gz "$T/app.log" >"$T/out2"
	stream-agg -g level --sort level 'count, sum(bytes)' "$T/all.log" >"$T/want"
	cmp "$T/want" "$T/out2"
}

@test "state compressed: stream-map over logrotate compress: the runs' outputs are one run's" {
	cron_compress nodelay stream-map -g level "$PROG"
	stream-map -g level "$PROG" "$T/all.log" >"$T/want"
	cmp "$T/want" "$T/runs"
	[ "$(wc -l <"$T/runs")" -eq 1900 ]
}

@test "state compressed: zstd, bzip2 and xz rotated files, found as FILE.1.zst, FILE-* and --rotated" {
	for z in zstd bzip2 xz; do command -v "$z" >/dev/null || skip "$z not installed"; done
	: >"$T/app.log"
	i=0
	for how in zst dash xz; do
		i=$((i + 1))
		put "$(gen "$i" 100)"$'\n'
		stream-agg --state "$T/st" -g level "$AGGS" "$T/app.log" >/dev/null
		put "$(gen "$((i + 10))" 30)"$'\n'
		case $how in
		zst)	zstd -q "$T/app.log" -o "$T/app.log.1.zst" ;;
		dash)	bzip2 -c "$T/app.log" >"$T/app.log-20260102.bz2" ;;
		xz)	mkdir -p "$T/old"; xz -c "$T/app.log" >"$T/old/app.xz" ;;
		esac
		rm "$T/app.log"
		put "$(gen "$((i + 20))" 20)"$'\n'
		stream-agg --state "$T/st" --rotated "$T/old/*" -g level "$AGGS" "$T/app.log" >"$T/out" 2>"$T/err"
		stream-agg -g level "$AGGS" "$T/all.log" >"$T/want"
		cmp "$T/want" "$T/out" || { echo "$how"; cat "$T/err"; return 1; }
		rm -f "$T"/app.log.1.zst "$T"/app.log-*.bz2 "$T"/old/*
	done
}

@test "state compressed: runs killed (SIGKILL) while reading .gz operands and the live log: every line once" {
	gen 12 150000 | gzip >"$T/app.log.2.gz"
	gen 13 150000 >"$T/app.log"
	seed=${SK_KILL_SEED:-$RANDOM}
	RANDOM=$seed
	for i in $(seq 15); do
		stream-agg --state "$T/st" --checkpoint 5ms -g level "$AGGS" "$T/app.log.2.gz" "$T/app.log" >/dev/null 2>"$T/err" 3>&- &
		pid=$!
		sleep "$(printf '0.%03d' $((RANDOM % 400)))"
		kill -KILL "$pid" 2>/dev/null || true
		st=0
		wait "$pid" 2>/dev/null || st=$?
		[ "$st" -eq 0 ] || [ "$st" -eq 137 ] || { echo "seed $seed, run $i: exit $st"; cat "$T/err"; return 1; }
	done
	stream-agg --state "$T/st" -g level "$AGGS" "$T/app.log.2.gz" "$T/app.log" >"$T/out"
	{ gen 12 150000; gen 13 150000; } | stream-agg -g level "$AGGS" >"$T/want"
	cmp "$T/want" "$T/out" || { echo "seed $seed (SK_KILL_SEED repeats it)"; diff "$T/want" "$T/out"; return 1; }
}

# rotate_real OPTS: logrotate itself, forced, with compress and OPTS.
rotate_real() {
	printf '%s {\n  rotate 9\n  compress\n%s  missingok\n}\n' "$T/app.log" "$1" >"$T/lr.conf"
	logrotate -f -s "$T/lr.status" "$T/lr.conf" || return
	[ -e "$T/app.log" ] || : >"$T/app.log"
}

@test "state compressed: real logrotate runs, compress with and without delaycompress, create and copytruncate" {
	command -v logrotate >/dev/null || skip "logrotate is not installed (apt-get install logrotate)"
	for opts in '' $'  delaycompress\n' $'  copytruncate\n' $'  delaycompress\n  copytruncate\n'; do
		rm -f "$T"/app.log* "$T/st" "$T/all.log" "$T/lr.status"
		: >"$T/app.log"
		for step in 1 2 3 4 5 6 7; do
			put "$(gen "$step" 150)"$'\n'
			[ $((step % 2)) = 1 ] || rotate_real "$opts"
			put "$(gen "$((step + 50))" 20)"$'\n'
			stream-agg --state "$T/st" -g level "$AGGS" "$T/app.log" >"$T/out" 2>"$T/err" || { echo "$opts"; cat "$T/err"; return 1; }
		done
		stream-agg -g level "$AGGS" "$T/all.log" >"$T/want"
		cmp "$T/want" "$T/out" || { echo "logrotate with: $opts"; ls "$T"; cat "$T/err"; return 1; }
		ls "$T"/app.log.*.gz >/dev/null
	done
}
