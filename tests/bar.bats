#!/usr/bin/env bats
# -o bar: a bar chart of the last numeric column by label, at a fixed
# width (COLUMNS), exact output.

load helpers

setup() {
	export COLUMNS=40
}

@test "bar: stream-agg counts by status, eighth blocks, width from COLUMNS" {
	check 0 'count by status
200  ███████████████████████████████ 195
404  ▍                               2
304  ▍                               2
301  ▏                               1
' '' -- stream-agg -i clf -g status count -o bar "$DATA/access_sample.log"
	COLUMNS=30 check 0 'count by status
200  █████████████████████ 195
404  ▎                     2
304  ▎                     2
301  ▏                     1
' '' -- stream-agg -i clf -g status count -o bar "$DATA/access_sample.log"
}

@test "bar: --ascii draws whole cells of '#'" {
	check 0 'bytes by host
83.149.9.216    ████████████████ 4379454
208.115.111.72  ▊                202801
' '' -- stream-agg -i clf -g host 'sum(bytes) as bytes' --sort -bytes --top 2 -o bar "$DATA/access_sample.log"
	check 0 'bytes by host
83.149.9.216    ################ 4379454
208.115.111.72  #                202801
' '' -- stream-agg -i clf -g host 'sum(bytes) as bytes' --sort -bytes --top 2 -o bar --ascii "$DATA/access_sample.log"
	check 2 '' "stream-agg: --ascii is for -o bar
Try 'stream-agg --help' for more information." -- stream-agg --ascii count "$DATA/access_sample.log"
}

@test "bar: a window series is labelled by window_start" {
	printf 't,v\n1,5\n12,10\n25,2.5\n' > "$BATS_TEST_TMPDIR/w.csv"
	check 0 'total by window_start
0   ████████████████                 5
10  ████████████████████████████████ 10
20  ████████                         2.5
' '' -- stream-window -t t --tumbling 10s 'sum(v) as total' -o bar "$BATS_TEST_TMPDIR/w.csv"
}

@test "bar: a label the same in every row goes to the title" {
	check 0 'n by host (day=mon)
a  █████████████████▌                  3
b  ███████████████████████████████████ 6
' '' -- stream-filter -o bar true <<< $'day,host,n\nmon,a,3\nmon,b,6'
}

@test "bar: no bar for a negative or non-numeric value; long labels clipped" {
	check 0 'n by host
a                                     -3
b                                     -
c                                     x
d  ██████████████████████████████████ 4
' '' -- stream-filter -o bar true <<< $'host,n\na,-3\nb,\nc,x\nd,4'
	check 0 'n by host
aaaaaaaaaaaaaaaaaaaaaaaaa…  █████      1
b                           ██████████ 2
' '' -- stream-filter -o bar true <<< $'host,n\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,1\nb,2'
}

@test "bar: numbers shown readable, or with --ofmt; --no-output-header drops the title" {
	COLUMNS=30 check 0 'n by host
a  █▏                 0.123457
b  ██████████████████ 2
' '' -- stream-filter -o bar true <<< $'host,n\na,0.123456789\nb,2'
	COLUMNS=30 check 0 'a  █▍                     0.12
b  ██████████████████████ 2
' '' -- stream-filter -o bar --ofmt %.2f --no-output-header true <<< $'host,n\na,0.123456789\nb,2'
}

@test "bar: without COLUMNS or a terminal, 80 columns" {
	unset COLUMNS
	# 75 cells: 37.5 of them for a, all of them for b
	check 0 "n by host
a  $(printf '█%.0s' $(seq 37))▌$(printf '%37s' '') 1
b  $(printf '█%.0s' $(seq 75)) 2
" '' -- stream-filter -o bar true <<< $'host,n\na,1\nb,2'
}

@test "bar: bar lengths agree with a model of the layout (seeded random values)" {
	mawk 'BEGIN { srand(3); print "k,v"; for (i = 0; i < 60; i++) printf "k%d,%d\n", i, int(rand() * 100000) }' > "$BATS_TEST_TMPDIR/r.csv"
	python3 - "$BATS_TEST_TMPDIR/r.csv" 73 > "$BATS_TEST_TMPDIR/want" <<'PY'
import sys, math
rows = [l.rstrip("\n").split(",") for l in open(sys.argv[1])][1:]
width = int(sys.argv[2])
labw = max(len(k) for k, v in rows)
valw = max(len(v) for k, v in rows)
cells = width - labw - valw - 3
top = max(float(v) for k, v in rows)
blocks = ["", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a", "\u2589"]
for k, v in rows:
    e = math.floor(float(v) / top * cells * 8 + 0.5)
    bar = "\u2588" * (e // 8) + blocks[e % 8]
    print(k.ljust(labw + 2) + bar.ljust(cells) + " " + v)
PY
	slurp want "$BATS_TEST_TMPDIR/want"
	COLUMNS=73 check 0 "$want" '' -- stream-filter -o bar --no-output-header true "$BATS_TEST_TMPDIR/r.csv"
}

@test "bar: live: each stream-agg snapshot is a chart below the last" {
	COLUMNS=30 SK_TEST_CLOCK=1700000000 check 0 's by k (time=2023-11-14T22:13:20Z)
a  ████████████▌             1
b  █████████████████████████ 2

s by k (time=2023-11-14T22:13:20Z)
a  █████████████████████████ 4
b  ████████████▌             2
c  ██████▎                   1
' '' -- stream-agg --every 2 -g k 'sum(v) as s' -o bar <<< $'k,v\na,1\nb,2\na,3\nc,1'
}

@test "bar: live: windows fired while the input waits are drawn at once" {
	# each window is a chart of its own, drawn while the input waits: the
	# input waits after each window it closes, and before its end
	COLUMNS=30 check 0 's by window_start
0  █████████████████████████ 5

s by window_start
10  ████████████████████████ 3

s by window_start
20  ████████████████████████ 1
' '' -- bash -c "{ printf 't,v\n1,5\n12,3\n'; sleep 0.5; printf '25,1\n'; sleep 0.5; } |
		stream-window -t t --tumbling 10s 'sum(v) as s' -o bar"
}
