#!/usr/bin/env bats
# The group table's rows (sk_group): --sort and --top in stream-agg and
# stream-window, with the edge cases of each: empty keys and values, ties,
# a sketch that has nothing, the leading columns.
load helpers

setup() {
	[ -x "$BIN/stream-agg" ] || skip "stream-agg not built yet"
}

AGG_IN='k,v
b,3
,2
a,
c,3
b,1
nan,x'

@test "group: stream-agg --sort: an aggregate with no value goes last either way" {
	check 1 'k,count,m
b,2,1
,1,2
c,1,3
a,1,
' 'stream-agg: stdin:7: v: not a number: "x"
stream-agg: 1 bad record skipped' -- stream-agg -g k 'count, min(v) as m' --sort m <<<"$AGG_IN"
	check 1 'k,count,m
c,1,3
,1,2
b,2,1
a,1,
' 'stream-agg: stdin:7: v: not a number: "x"
stream-agg: 1 bad record skipped' -- stream-agg -g k 'count, min(v) as m' --sort -m <<<"$AGG_IN"
}

@test "group: stream-agg --sort on a key: an empty key is a value, bytes order" {
	check 1 'k,count,m
,1,2
a,1,
b,2,1
c,1,3
' 'stream-agg: stdin:7: v: not a number: "x"
stream-agg: 1 bad record skipped' -- stream-agg -g k 'count, min(v) as m' --sort k <<<"$AGG_IN"
	check 1 'k,count,m
c,1,3
b,2,1
a,1,
,1,2
' 'stream-agg: stdin:7: v: not a number: "x"
stream-agg: 1 bad record skipped' -- stream-agg -g k 'count, min(v) as m' --sort -k <<<"$AGG_IN"
}

@test "group: stream-agg --top alone, --top after --sort, ties in first-seen order" {
	check 0 'k,count
b,2
,1
' '' -- stream-agg -g k count --top 2 <<<"$AGG_IN"
	check 0 'k,count
b,2
,1
' '' -- stream-agg -g k count --sort -count --top 2 <<<"$AGG_IN"
	check 0 'k,count
,1
a,1
c,1
nan,1
b,2
' '' -- stream-agg -g k count --sort +count <<<"$AGG_IN"
}

@test "group: stream-agg --sort: an empty top() is a value; time is no output column" {
	check 0 'k,count,t
a,1,
b,2,1:1
,1,2:1
c,1,3:1
nan,1,x:1
' '' -- stream-agg -g k 'count, top(v, 1) as t' --sort t <<<"$AGG_IN"
	check 2 '' "stream-agg: --sort: no output column 'time'
Try 'stream-agg --help' for more information." -- stream-agg -g k count --every 3 --sort time <<<"$AGG_IN"
}

WIN_IN='ts,k,v
1,b,3
2,,2
3,a,
4,c,3
5,b,1
12,a,5
13,b,'

@test "group: stream-window --sort: every empty field goes last, keys too" {
	check 0 'window_start,window_end,k,count,m
0,10,a,1,
0,10,b,2,1
0,10,c,1,3
0,10,,1,2
10,20,a,1,5
10,20,b,1,
' '' -- stream-window -t ts --tumbling 10s -g k 'count, min(v) as m' --sort k <<<"$WIN_IN"
	check 0 'window_start,window_end,k,count,m
0,10,c,1,3
0,10,b,2,1
0,10,a,1,
0,10,,1,2
10,20,b,1,
10,20,a,1,5
' '' -- stream-window -t ts --tumbling 10s -g k 'count, min(v) as m' --sort -k <<<"$WIN_IN"
	check 0 'window_start,window_end,k,count,t
0,10,b,2,1:1
0,10,,1,2:1
0,10,c,1,3:1
0,10,a,1,
10,20,a,1,5:1
10,20,b,1,
' '' -- stream-window -t ts --tumbling 10s -g k 'count, top(v, 1) as t' --sort t <<<"$WIN_IN"
}

@test "group: stream-window --sort, --top per fired window; the window columns sort too" {
	check 0 'window_start,window_end,k,count,m
0,10,c,1,3
0,10,,1,2
10,20,a,1,5
10,20,b,1,
' '' -- stream-window -t ts --tumbling 10s -g k 'count, min(v) as m' --sort -m --top 2 <<<"$WIN_IN"
	check 0 'window_start,window_end,k,count
0,10,,1
10,20,a,1
' '' -- stream-window -t ts --tumbling 10s -g k count --top 1 <<<"$WIN_IN"
	check 0 'window_start,window_end,k,count
-5,5,,1
-5,5,a,1
0,10,,1
0,10,a,1
5,15,a,1
5,15,b,2
10,20,a,1
10,20,b,1
' '' -- stream-window -t ts --sliding 10s,5s -g k count --sort -window_start --top 2 <<<"$WIN_IN"
}

@test "group: stream-window --sort: NaN after every number either way, as in stream-agg" {
	in='ts,k,v
1,a,3
2,b,nan
3,c,1
4,d,
5,e,2
6,f,nan
7,g,-1'
	check 0 'window_start,window_end,k,m
0,10,g,-1
0,10,c,1
0,10,e,2
0,10,a,3
0,10,b,nan
0,10,f,nan
0,10,d,
' '' -- stream-window -t ts --tumbling 10s -g k 'first(v) as m' --sort m <<<"$in"
	check 0 'window_start,window_end,k,m
0,10,a,3
0,10,e,2
0,10,c,1
0,10,g,-1
0,10,b,nan
0,10,f,nan
0,10,d,
' '' -- stream-window -t ts --tumbling 10s -g k 'first(v) as m' --sort -m <<<"$in"
	check 0 'k,m
g,-1
c,1
e,2
a,3
b,nan
f,nan
d,
' '' -- stream-agg -g k 'first(v) as m' --sort m <<<"$in"
}

# --partial output of 'count, sum(x)' by g, its third line damaged
MERGE_IN='g,count,sum_x
a,B2NvdW50KCkB,BnN1bSh4KQEBAAA=
b,B2NvdW50KCkB,!!!!
a,B2NvdW50KCkB,BnN1bSh4KQEBAAA=
c,B2NvdW50KCkB,BnN1bSh4KQECAAA='

@test "group: --top takes digits only, in stream-window as in stream-agg" {
	for a in ' 5' '+5' 0 99999999999999999999; do
		check 2 '' "stream-agg: --top takes a positive integer, not '$a'
Try 'stream-agg --help' for more information." -- stream-agg -g k --top "$a" count /dev/null
		check 2 '' "stream-window: --top takes a positive integer, not '$a'
Try 'stream-window --help' for more information." -- stream-window -t ts --tumbling 10s --top "$a" count /dev/null
	done
}

@test "group: --merge: a bad partial is a bad record under --on-error warn (the default)" {
	printf '%s\n' "$MERGE_IN" >"$BATS_TEST_TMPDIR/m"
	check 1 'g,count,sum_x
a,2,2
c,1,2
' "stream-agg: $BATS_TEST_TMPDIR/m:3: sum_x: not an aggregate state
stream-agg: 1 bad record skipped" -- stream-agg -g g --merge 'count, sum(x)' "$BATS_TEST_TMPDIR/m"
	# the row merges nothing: its good count does not make a group b
	check 1 'g,count,sum_x
a,2,2
c,1,2
' "stream-agg: stdin:3: sum_x: not an aggregate state
stream-agg: 1 bad record skipped" -- stream-agg -g g --merge --on-error warn 'count, sum(x)' <<<"$MERGE_IN"
}

@test "group: --merge --on-error skip, fail and --rejects" {
	check 0 'g,count,sum_x
a,2,2
c,1,2
' '' -- stream-agg -g g --merge --on-error skip 'count, sum(x)' <<<"$MERGE_IN"
	check 1 '' 'stream-agg: stdin:3: sum_x: not an aggregate state' -- \
		stream-agg -g g --merge --on-error fail 'count, sum(x)' <<<"$MERGE_IN"
	check 0 'g,count,sum_x
a,2,2
c,1,2
' '' -- stream-agg -g g --merge --on-error skip --rejects "$BATS_TEST_TMPDIR/rej" 'count, sum(x)' <<<"$MERGE_IN"
	check 0 'b,B2NvdW50KCkB,!!!!
' '' -- cat "$BATS_TEST_TMPDIR/rej"
}

@test "group: --merge: partials of other keys or aggregates are bad records too" {
	printf 'ip,bytes\na,1\nb,2\n' | stream-agg -g ip 'sum(bytes)' --partial >"$BATS_TEST_TMPDIR/p"
	check 1 'bytes,sum_bytes
' "stream-agg: $BATS_TEST_TMPDIR/p:2: no key column 'bytes': not --partial output of -g bytes
stream-agg: $BATS_TEST_TMPDIR/p:3: no key column 'bytes': not --partial output of -g bytes
stream-agg: 2 bad records skipped" -- stream-agg -g bytes 'sum(bytes)' --merge "$BATS_TEST_TMPDIR/p"
	check 0 'sum_bytes
""
' '' -- stream-agg 'sum(bytes)' --merge --on-error skip "$BATS_TEST_TMPDIR/p"
	printf 'x\n1\n' | stream-agg 'sum(x)' --partial >"$BATS_TEST_TMPDIR/q"
	check 1 'sum_x
""
' "stream-agg: $BATS_TEST_TMPDIR/q:2: sum_x: state of 'sum(x)', not 'max(x)'
stream-agg: 1 bad record skipped" -- stream-agg 'max(x) as sum_x' --merge "$BATS_TEST_TMPDIR/q"
}

# --top N with --sort on a numeric aggregate ranks the groups by value
# before writing any row (sk_group.c top_groups); the answer must be the
# first N rows of the whole sorted table, ties and values-less groups
# included, for every aggregate that ranks so and one that does not.
@test "group: --sort COL --top N is the head of --sort COL, on seeded random groups" {
	python3 - "$BATS_TEST_TMPDIR/in.csv" <<'PY'
import random, sys
r = random.Random(7)
with open(sys.argv[1], "w") as f:
    f.write("k,v,w\n")
    for _ in range(3000):
        k = "g%d" % r.randrange(300)
        v = r.choice(["", "nan", "inf", "-inf", "-0", str(r.randrange(-5, 6)),
                      "%.3f" % r.uniform(-1e3, 1e3), "%.17g" % r.uniform(-1, 1)])
        w = r.choice(["", str(r.randrange(4)), "1e300", "-1e300"])
        f.write("%s,%s,%s\n" % (k, v, w))
PY
	cols='count as c, sum(v) as s, share(w) as sh, min(v) as mn, max(w) as mx, mean(v) as me, first(v) as f'
	bad=
	for col in c s sh mn mx me f; do
		for dir in - +; do
			all=$(stream-agg -g k "$cols" --sort "$dir$col" < "$BATS_TEST_TMPDIR/in.csv")
			for n in 1 2 7 150 299 300 301; do
				got=$(stream-agg -g k "$cols" --sort "$dir$col" --top "$n" < "$BATS_TEST_TMPDIR/in.csv")
				[ "$got" = "$(head -n $((n + 1)) <<<"$all")" ] || bad="$bad $dir$col/$n"
			done
		done
	done
	check 0 '' '' -- printf '%s' "$bad"
}
