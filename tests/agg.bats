#!/usr/bin/env bats
# stream-agg: exact cases, bad records, --partial/--merge, snapshots, and
# differential tests against GNU datamash.
load helpers

setup() {
	[ -x "$BIN/stream-agg" ] || skip "stream-agg not built yet"
}

IN='host,bytes
a,10
b,5
a,7
c,
b,3'

@test "agg: groups in first-seen order, default names" {
	check 0 'host,count,sum_bytes,mean_bytes,max_bytes
a,2,17,8.5,10
b,2,8,4,5
c,1,,,
' '' -- sh -c "printf '%s\n' '$IN' | stream-agg -g host 'count, sum(bytes), mean(bytes), max(bytes)'"
}

@test "agg: no -g gives one row" {
	check 0 'count,sum_bytes
5,25
' '' -- sh -c "printf '%s\n' '$IN' | stream-agg 'count, sum(bytes)'"
}

@test "agg: the seed example: share, --sort -share, --top" {
	check 0 'host,bytes,share
a,17,0.68
b,8,0.32
' '' -- sh -c "printf '%s\n' '$IN' | stream-agg -g host 'sum(bytes) as bytes, share(bytes) as share' --sort -share --top 2"
}

@test "agg: --sort ascending by a key" {
	check 0 'host,count
a,2
b,2
c,1
' '' -- sh -c "printf 'host\nc\nb\na\nb\na\n' | stream-agg -g host count --sort host"
}

@test "agg: a non-number is a bad record, none of its aggregates updated" {
	check 1 'k,count,sum_x
a,2,3
' 'stream-agg: stdin:3: x: not a number: "12x"
stream-agg: 1 bad record skipped' -- sh -c "printf 'k,x\na,1\na,12x\na,2\n' | stream-agg -g k 'count, sum(x)'"
}

@test "agg: --on-error skip" {
	printf 'x\n1\nzz\n2\n' | check 0 'count,sum_x
2,3
' '' -- stream-agg --on-error skip 'count, sum(x)'
}

@test "agg: exact integer sums up to 2^63" {
	check 0 'sum_x
9223372036854775806
' '' -- sh -c "printf 'x\n9223372036854775807\n-1\n' | stream-agg 'sum(x)'"
}

@test "agg: unknown aggregate is a located program error" {
	check 2 '' "stream-agg: 1:8: unknown aggregate 'summ' (did you mean 'sum'?)
  count, summ(x)
         ^^^^^^^" -- stream-agg 'count, summ(x)' </dev/null
}

@test "agg: --partial then --merge of random splits equals one run" {
	aggs='count, sum(x), mean(x), min(x), max(x), median(x), p90(x), var(x), pstddev(x), mode(x), first(x), last(x), distinct(x), approx_distinct(x), approx_p(x, 0.5), share(x)'
	awk 'BEGIN{srand(11); print "g,x"; for(i=0;i<3000;i++){r=rand();
		printf "%d,%s\n", int(rand()*40), (r<0.1?"":(r<0.5? int(rand()*1000)-500 : sprintf("%.3f", rand()*1e5)))}}' >"$BATS_TEST_TMPDIR/in.csv"
	stream-agg -g g "$aggs" "$BATS_TEST_TMPDIR/in.csv" | sort >"$BATS_TEST_TMPDIR/one"
	slurp one "$BATS_TEST_TMPDIR/one"
	for seed in 1 2 3 4 5; do
		rm -f "$BATS_TEST_TMPDIR"/part.*
		# 1..8 parts cut at random points, each with the header
		awk -v seed=$seed -v dir="$BATS_TEST_TMPDIR" 'BEGIN{srand(seed); n=1+int(rand()*8)}
			NR==1{h=$0; next}
			{ if (NR==2 || rand() < (n-1)/3000.0) { p++; f=dir "/part." p; print h > f } print > f }' \
			"$BATS_TEST_TMPDIR/in.csv"
		for f in "$BATS_TEST_TMPDIR"/part.*; do
			stream-agg -g g "$aggs" --partial "$f" >"$f.st"
		done
		check 0 "$one" '' -- bash -o pipefail -c 'stream-agg -g g "$1" --merge "$2"/part.*.st | sort' sh "$aggs" "$BATS_TEST_TMPDIR"
	done
}

@test "agg: --merge refuses state of another aggregate list" {
	printf 'x\n1\n' | stream-agg 'sum(x)' --partial >"$BATS_TEST_TMPDIR/p"
	check 1 '' "stream-agg: $BATS_TEST_TMPDIR/p:2: sum_x: state of 'sum(x)', not 'max(x)'" -- \
		stream-agg 'max(x) as sum_x' --merge --on-error fail "$BATS_TEST_TMPDIR/p"
}

@test "agg: --merge refuses partials made with another -g" {
	printf 'ip,bytes\na,1\nb,2\n' | stream-agg -g ip 'sum(bytes)' --partial >"$BATS_TEST_TMPDIR/p"
	check 1 '' "stream-agg: $BATS_TEST_TMPDIR/p:2: no key column 'bytes': not --partial output of -g bytes" -- \
		stream-agg -g bytes 'sum(bytes)' --merge --on-error fail "$BATS_TEST_TMPDIR/p"
	check 1 '' "stream-agg: $BATS_TEST_TMPDIR/p:2: 2 columns, not 1: not --partial output of these keys and aggregates" -- \
		stream-agg 'sum(bytes)' --merge --on-error fail "$BATS_TEST_TMPDIR/p"
	check 1 '' "stream-agg: $BATS_TEST_TMPDIR/p:2: 2 columns, not 3: not --partial output of these keys and aggregates" -- \
		stream-agg -g ip,bytes 'sum(bytes)' --merge --on-error fail "$BATS_TEST_TMPDIR/p"
	printf 'bytes\n1\n' | stream-agg 'sum(bytes)' --partial >"$BATS_TEST_TMPDIR/q"
	check 1 '' "stream-agg: $BATS_TEST_TMPDIR/q:2: 1 column, not 2: not --partial output of these keys and aggregates" -- \
		stream-agg -g ip 'sum(bytes)' --merge --on-error fail "$BATS_TEST_TMPDIR/q"
	# keys in another order are the same keys
	printf 'a,b,x\n1,2,3\n' | stream-agg -g a,b 'sum(x)' --partial >"$BATS_TEST_TMPDIR/r"
	check 0 $'b,a,sum_x\n2,1,3\n' '' -- stream-agg -g b,a 'sum(x)' --merge "$BATS_TEST_TMPDIR/r"
}

@test "agg: --every N snapshots with a time column" {
	printf 'x\n1\n2\n3\n' | SK_TEST_CLOCK=1715941230 check 0 'time,count,sum_x
2024-05-17T10:20:30Z,2,3
2024-05-17T10:20:30Z,3,6
' '' -- stream-agg --every 2 'count, sum(x)'
}

@test "agg: --interval 1s emits while the input pipe is open and idle" {
	out="$BATS_TEST_TMPDIR/out"
	(printf 'x\n1\n1\n'; sleep 2.5) | SK_TEST_CLOCK=1715941230 stream-agg count --interval 1s >"$out" 2>"$out.err" &
	pid=$!
	sleep 1.6
	cp "$out" "$out.1"
	wait $pid
	# one snapshot by 1.6 s, made 1 s after the start of the test clock
	check 0 $'time,count\n2024-05-17T10:20:31Z,2\n' '' -- cat "$out.1"
	check 0 '' '' -- cat "$out.err"
}

@test "agg: SIGTERM flushes the table and exits" {
	# 124: timeout's status when it had to send the signal
	check 124 $'count\n3\n' '' -- sh -c "(printf 'x\n1\n1\n1\n'; sleep 3) | timeout -s TERM 1 stream-agg count"
}

# Differential: datamash on the same generated data (many groups, negative,
# float, huge and empty values), results equal to 1e-9 relative.
@test "agg: differential against GNU datamash" {
	command -v datamash >/dev/null || skip "no datamash"
	awk 'BEGIN{srand(5); print "g,x"; for(i=0;i<20000;i++){r=rand();
		v = r<0.3 ? int(rand()*2000)-1000 : r<0.6 ? sprintf("%.5f", (rand()-0.5)*1e4) : r<0.65 ? sprintf("%.0f", rand()*1e15) : int(rand()*20);
		printf "%d,%s\n", int(rand()*300), v}}' >"$BATS_TEST_TMPDIR/d.csv"
	tail -n +2 "$BATS_TEST_TMPDIR/d.csv" | sort -t, -k1,1 -s |
		datamash -t, -g 1 count 2 sum 2 mean 2 min 2 max 2 median 2 perc:90 2 sstdev 2 pstdev 2 svar 2 countunique 2 mode 2 first 2 last 2 |
		sort >"$BATS_TEST_TMPDIR/dm"
	stream-agg -g g 'count, sum(x), mean(x), min(x), max(x), median(x), p90(x), stddev(x), pstddev(x), var(x), distinct(x), mode(x), first(x), last(x)' \
		--no-output-header "$BATS_TEST_TMPDIR/d.csv" | sort >"$BATS_TEST_TMPDIR/sa"
	awk -F, 'NR==FNR { for (i = 1; i <= NF; i++) a[FNR, i] = $i; n = FNR; next }
		{ for (i = 1; i <= NF; i++) { x = a[FNR, i]; y = $i
			if (x == y) continue
			d = x - y; if (d < 0) d = -d; m = (x < 0 ? -x : x)
			if (d > 1e-9 * m) { print "line " FNR " col " i ": " x " vs " y; bad = 1 } } }
		END { if (FNR != n) { print "rows differ"; bad = 1 } exit bad }' \
		"$BATS_TEST_TMPDIR/dm" "$BATS_TEST_TMPDIR/sa"
}

# The perf issue's bound: one block a group (key and states together) and
# a pointer a slot; 1M groups of count, sum(x) were 129 MB before.
@test "agg: a million groups of count, sum(x) peak under 100 MB" {
	[ -x /usr/bin/time ] || skip "no /usr/bin/time"
	[ -z "${SAN_FLAGS:-}" ] || skip "ASan's shadow memory and redzones"
	mawk 'BEGIN { print "key,x"; for (i = 0; i < 1000000; i++)
		printf "k%d,%d\n", i, i % 1000 }' >"$BATS_TEST_TMPDIR/g.csv"
	/usr/bin/time -f %M -o "$BATS_TEST_TMPDIR/rss" stream-agg -j 1 -g key \
		'count, sum(x)' "$BATS_TEST_TMPDIR/g.csv" >"$BATS_TEST_TMPDIR/out"
	rss=$(tail -1 "$BATS_TEST_TMPDIR/rss")
	echo "peak RSS: $rss KiB"
	[ "$rss" -lt 102400 ]
	check 0 'key,count,sum_x
k0,1,0
k999999,1,999
1000001
' '' -- sed -n '1p;2p;1000001p;$=' "$BATS_TEST_TMPDIR/out"
}

@test "agg: one group-key rule in every tool: a missing key field is the empty key" {
	in=$'{"k":""}\n{}\n{"k":""}\n'
	printf '%s' "$in" | check 0 $'{"k":"","count":3}\n' '' -- stream-agg -o jsonl -g k count
	printf '%s' "$in" | check 0 $'{"k":"","n":1}\n{"n":2}\n{"k":"","n":3}\n' '' -- stream-map -o jsonl -g k 'n = rownum()'
	printf '{"t":1,"k":""}\n{"t":2}\n{"t":3,"k":""}\n' |
		check 0 $'{"window_start":0,"window_end":10,"k":"","count":3}\n' '' -- stream-window -o jsonl -t t --tumbling 10s -g k count
	# several fields: never run into each other, NUL bytes kept
	in2=$'{"a":"x,y","b":"z"}\n{"a":"x","b":"y,z"}\n{"a":"n\\u0000","b":""}\n{"a":"n","b":"\\u0000"}\n{"a":"x","b":"y,z"}\n'
	printf '%s' "$in2" | check 0 $'{"a":"x,y","b":"z","count":1}\n{"a":"x","b":"y,z","count":2}\n{"a":"n\\u0000","b":"","count":1}\n{"a":"n","b":"\\u0000","count":1}\n' '' -- stream-agg -o jsonl -g a,b count
	printf '%s' "$in2" | check 0 $'{"a":"x,y","b":"z","n":1}\n{"a":"x","b":"y,z","n":1}\n{"a":"n\\u0000","b":"","n":1}\n{"a":"n","b":"\\u0000","n":1}\n{"a":"x","b":"y,z","n":2}\n' '' -- stream-map -o jsonl -g a,b 'n = rownum()'
}
