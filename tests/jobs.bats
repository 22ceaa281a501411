#!/usr/bin/env bats
# -j N (sk_par): stream-filter, stream-map and stream-agg on threads give
# what one thread gives, byte for byte: stdout, stderr, exit status and
# --rejects, on seeded random files (tests/oracle/jobs_gen.py) cut into
# many small chunks (SK_PAR_MIN_BYTES, SK_PAR_CHUNK); and stream-agg's
# table against Miller's and a Python model's.

load helpers

GEN="$BATS_TEST_DIRNAME/oracle/jobs_gen.py"

setup() {
	cd "$BATS_TEST_TMPDIR"
	python3 "$GEN" csv 11 4000 >t.csv
	python3 "$GEN" quoted 12 3000 >q.csv
	python3 "$GEN" blocks 13 3000 >b.csv
	python3 "$GEN" jsonl 14 4000 >t.jsonl
	python3 "$GEN" int 15 5000 >i.csv
}

# par CMD...: CMD with -j worth it on any file, in chunks of 4 KiB.
par() {
	SK_PAR_MIN_BYTES=${MIN:-1} SK_PAR_CHUNK=${CHUNK:-4096} "$@"
}

# same_as_one TOOL ARGS...: TOOL -j 2, -j 3 and -j 7 write what TOOL -j 1
# writes, say what it says and exit as it does; a --rejects file named
# rej is the same too.
same_as_one() {
	local tool=$1 st=0 want err j
	shift
	rm -f rej one.rej
	par "$tool" -j 1 "$@" >one.out 2>one.err || st=$?
	[ ! -e rej ] || mv rej one.rej
	slurp want one.out
	err=$(cat one.err)
	for j in 2 3 7; do
		rm -f rej
		check "$st" "$want" "$err" -- par "$tool" -j "$j" "$@"
		if [ -e one.rej ]; then
			check 0 '' '' -- cmp one.rej rej
		fi
	done
}

# runs CMD...: "RUNS REDONE" as SK_PAR_TRACE says them for CMD -j 3, or
# nothing when one thread read the input.
runs() {
	SK_PAR_TRACE=1 par "$@" 2>&1 >/dev/null |
		sed -n 's/^[a-z-]*: -j: \([0-9]*\) runs, \([0-9]*\) read again$/\1 \2/p'
}

# threaded MIN_REDONE CMD...: CMD read its input on threads, in more than
# one run, and read at least MIN_REDONE of them again.
threaded() {
	local min=$1 n r
	shift
	read -r n r < <(runs "$@")
	[ "${n:-0}" -gt 1 ] && [ "${r:-0}" -ge "$min" ]
}

@test "jobs: -j takes a number of threads from 1 to 1024" {
	for tool in stream-filter stream-map stream-agg; do
		arg=true
		[ "$tool" = stream-agg ] && arg=count
		for bad in 0 x '' -1 1025; do
			check 2 '' "$tool: -j takes a number of threads from 1 to 1024, not '$bad'
Try '$tool --help' for more information." -- "$tool" -j "$bad" "$arg" t.csv
		done
		check 2 '' "$tool: -j takes a number of threads from 1 to 1024, not '0'
Try '$tool --help' for more information." -- "$tool" --jobs 0 "$arg" t.csv
	done
}

@test "jobs: filter: CRLF, quoted newlines, ragged rows, no final newline: warn, skip, fail, --rejects" {
	check 0 '' '' -- threaded 0 stream-filter -j 3 'bytes > 500' t.csv
	same_as_one stream-filter 'bytes > 500' t.csv
	same_as_one stream-filter --on-error skip 'bytes > 500' t.csv
	same_as_one stream-filter --on-error fail 'bytes > 500' t.csv
	same_as_one stream-filter --rejects rej 'status == 404' t.csv
	same_as_one stream-filter -o jsonl 'note =~ "two"' t.csv
	same_as_one stream-filter -o tsv -v 'bytes > 500' t.csv
}

@test "jobs: filter: --max stops where one thread stops; -c counts the same" {
	for n in 1 7 500 100000; do
		same_as_one stream-filter -n "$n" 'bytes > 500' t.csv
		same_as_one stream-filter -c -n "$n" 'bytes > 500' t.csv
	done
	same_as_one stream-filter -c 'bytes > 500' t.csv
	same_as_one stream-filter -c false t.csv
}

@test "jobs: a chunk boundary inside a quoted field: the chunk is read again from the record's end" {
	check 0 '' '' -- threaded 1 stream-filter -j 3 true q.csv
	check 0 '' '' -- threaded 1 stream-agg -j 3 -g k count q.csv
	same_as_one stream-filter 't != "plain"' q.csv
	same_as_one stream-map 'n = len(t)' q.csv
	same_as_one stream-agg -g k 'count, sum(v), first(t), last(t)' q.csv
	CHUNK=1 same_as_one stream-filter true q.csv
}

@test "jobs: csv header blocks: a chunk under a later block's header is read under it" {
	check 0 '' '' -- threaded 1 stream-map -j 3 'z = 1' b.csv
	same_as_one stream-map 'z = 1' b.csv
	same_as_one stream-filter 'b > 50' b.csv
	same_as_one stream-agg -g a 'count, sum(b)' b.csv
	sed 's/,/\t/g' b.csv >b.tsv
	same_as_one stream-map 'z = 1' b.tsv
}

@test "jobs: jsonl: bad JSON and fields that come and go, to jsonl and logfmt" {
	check 0 '' '' -- threaded 0 stream-map -j 3 'x = bytes * 2' t.jsonl
	same_as_one stream-filter 'bytes > 500' t.jsonl
	same_as_one stream-map 'x = bytes * 2' t.jsonl
	same_as_one stream-map -o logfmt -s host,bytes t.jsonl
	same_as_one stream-map --rejects rej --on-error fail 'x = 1' t.jsonl
	same_as_one stream-agg -g host 'count, sum(bytes), first(s), last(s)' t.jsonl
	same_as_one stream-filter --max-record 40 true t.jsonl
}

@test "jobs: map: computed fields, positions, --select, --exclude, --rename" {
	same_as_one stream-map 'kb = bytes / 1024; filter kb > 10' t.csv
	same_as_one stream-map -s '$3,host' t.csv
	same_as_one stream-map -x note -r host:h t.csv
	same_as_one stream-map -o jsonl 'big = if(bytes > 90000, 1, "")' t.csv
}

@test "jobs: agg: share, p99, first, last, distinct, --sort and --top as one thread" {
	check 0 '' '' -- threaded 0 stream-agg -j 3 count t.csv
	same_as_one stream-agg -g host,status 'count, sum(bytes), share(bytes) as sh, p99(lat), first(note), last(note), distinct(bytes), mean(lat)' t.csv
	same_as_one stream-agg -g status 'count, sum(bytes)' --sort -count --top 3 t.csv
	same_as_one stream-agg --rejects rej -g host 'count, sum(bytes)' t.csv
	same_as_one stream-agg --on-error fail -g host 'count, sum(bytes)' t.csv
	same_as_one stream-agg --partial -g host 'count, sum(bytes), p99(bytes)' t.csv
	same_as_one stream-agg 'count, min(x), max(x), approx_distinct(key)' i.csv
}

@test "jobs: agg: fractional sums and variances agree with one thread to the printed precision" {
	same_as_one stream-agg -g host --ofmt %.6f 'sum(lat), mean(lat), var(lat), stddev(lat)' t.csv
}

@test "jobs: agg against Miller and a Python model on integers" {
	mlr --icsv --ocsv stats1 -a count,sum,min,max -f x -g key i.csv |
		tail -n +2 >mlr.out
	python3 -c '
import csv, sys
g = {}
for r in csv.DictReader(open("i.csv")):
    x = int(r["x"])
    s = g.setdefault(r["key"], [0, 0, x, x, x, x])
    s[0] += 1; s[1] += x; s[2] = min(s[2], x); s[3] = max(s[3], x); s[5] = x
for k, s in g.items():
    print(",".join([k] + [str(v) for v in s]))' >py.out
	check 0 '' '' -- cmp mlr.out <(cut -d, -f1-5 py.out)
	slurp want py.out
	for j in 1 2 3 7; do
		par stream-agg -j "$j" -g key 'count, sum(x), min(x), max(x), first(x), last(x)' i.csv >sa.out
		check 0 "$want" '' -- tail -n +2 sa.out
	done
}

@test "jobs: empty files, a header-only file, several FILEs each with its header" {
	: >empty.csv
	printf 'a,b\n' >hdr.csv
	printf '\xef\xbb\xbfa,b\n1,2\n3,4' >bom.csv
	same_as_one stream-map 'z = 1' empty.csv hdr.csv bom.csv
	same_as_one stream-filter 'b > 5' hdr.csv
	same_as_one stream-map 'z = 1' hdr.csv
	same_as_one stream-agg -g a count empty.csv hdr.csv
	same_as_one stream-filter true t.csv q.csv bom.csv t.csv
	same_as_one stream-map 'z = 1' t.csv i.csv q.csv
	same_as_one stream-agg -g status 'count, sum(bytes)' t.csv t.csv empty.csv
	same_as_one stream-filter true empty.csv
}

@test "jobs: standard input from a file is read on threads; a pipe stays one live reader" {
	check 0 '' '' -- threaded 0 stream-filter -j 3 true - <t.csv
	stream-filter -j 1 'bytes > 500' t.csv >one.out 2>one.err || true
	slurp want one.out
	err=$(sed 's/t\.csv:/stdin:/' one.err)
	check 1 "$want" "$err" -- par stream-filter -j 3 'bytes > 500' <t.csv
	check 1 "$want" "$err" -- sh -c 'cat t.csv | SK_PAR_MIN_BYTES=1 stream-filter -j 3 "bytes > 500"'
	check 0 '' '' -- test -z "$(cat t.csv | runs stream-filter -j 3 true)"
	mkfifo in.fifo
	par stream-filter -j 4 'x > 1' <in.fifo >out 2>err &
	pid=$!
	exec 4>in.fifo
	printf 'x\n1\n2\n' >&4
	for i in $(seq 50); do [ -s out ] && break; sleep 0.1; done
	check 0 $'x\n2\n' '' -- cat out
	exec 4>&-
	wait $pid
	check 0 '' '' -- cat err
}

@test "jobs: one thread, silently, where threads could change the answer" {
	for cmd in "stream-map n=rownum() t.csv" "stream-map -g host d=delta(bytes) t.csv" \
		   "stream-filter --strict-fields true t.csv" \
		   "stream-filter -o table true t.csv" "stream-filter -o csv true t.jsonl" \
		   "stream-agg top(host,3) t.csv" "stream-agg approx_p(bytes,0.5) t.csv" \
		   "stream-agg --every 100 count t.csv" "stream-filter -n 0 true t.csv" \
		   "stream-agg --merge count t.csv" "stream-map --state st.map x=1 t.csv"; do
		# shellcheck disable=SC2086
		check 0 '' '' -- test -z "$(runs $cmd -j 3)"
	done
	check 0 '' '' -- test -z "$(runs stream-filter -j 3 true t.csv -j 1)"
	check 0 '' '' -- test -z "$(MIN=100000000 runs stream-filter -j 3 true t.csv)"
	gzip -c t.csv >t.csv.gz
	check 0 '' '' -- test -z "$(runs stream-filter -j 3 true t.csv.gz)"
}

@test "jobs: a closed standard output ends a run on threads quietly with status 0" {
	check 0 $'host,status,bytes,lat,note\r\n' '' -- bash -c \
		'SK_PAR_MIN_BYTES=1 SK_PAR_CHUNK=4096 stream-filter -j 3 --on-error skip true t.csv t.csv t.csv | head -1; exit ${PIPESTATUS[0]}'
}

# prefix_run SIG CMD...: CMD in the background, sent SIG soon after it
# starts; "cut" if it exited 128 + SIG with its output a prefix of whole
# records of the output of an uncut run (full.out), "whole" if it ended
# first with all of it, else what went wrong.
prefix_run() {
	local sig=$1 st=0 n
	shift
	"$@" >cut.out 2>cut.err &
	local pid=$!
	sleep 0.05
	kill -"$sig" "$pid" 2>/dev/null || true
	wait "$pid" || st=$?
	n=$(wc -c <cut.out)
	if [ "$st" = 0 ] && cmp -s cut.out full.out; then
		echo whole
	elif [ "$st" = $((128 + $(kill -l "$sig"))) ] && cmp -s -n "$n" cut.out full.out &&
		{ [ "$n" = 0 ] || [ "$(tail -c 1 cut.out | od -An -c | tr -d ' ')" = '\n' ]; }; then
		echo cut
	else
		echo "status $st, $n bytes"
		cat cut.err
	fi
}

@test "jobs: SIGINT and SIGTERM: the records before where the threads stopped, in input order, then 130 or 143" {
	for i in $(seq 40); do tail -n +2 t.csv; echo; done >body
	{ head -1 t.csv; cat body; } >big.csv
	par stream-filter -j 1 --on-error skip true big.csv >full.out
	for sig in INT TERM; do
		for j in 2 3; do
			r=$(prefix_run "$sig" env SK_PAR_MIN_BYTES=1 SK_PAR_CHUNK=4096 \
				stream-filter -j "$j" --on-error skip true big.csv)
			case $r in cut | whole) ;; *) check 0 cut '' -- echo "$r" ;; esac
		done
	done
}
