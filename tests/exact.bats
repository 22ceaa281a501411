#!/usr/bin/env bats
# Exact arithmetic: integer sums whatever the order, and rounding as
# printf rounds the double.

load helpers

@test "exact: integer sum does not depend on the order (intermediate overflow)" {
	for order in '9223372036854775807 1 -2' '1 -2 9223372036854775807' '-2 9223372036854775807 1'; do
		{ echo v; printf '%s\n' $order; } |
			check 0 $'sum_v\n9223372036854775806\n' '' -- stream-agg 'sum(v)'
	done
	# a sum beyond int64 is written exactly, as Python's int
	printf 'v\n9223372036854775807\n9223372036854775807\n' |
		check 0 $'sum_v\n18446744073709551614\n' '' -- stream-agg 'sum(v)'
	printf 'v\n-9223372036854775808\n-1\n1\n' |
		check 0 $'sum_v\n-9223372036854775808\n' '' -- stream-agg 'sum(v)'
	# -2^63 is an integer, as it reads; one less is not
	printf 'v\n-9223372036854775808\n' |
		check 0 $'v,a,b,c\n-9223372036854775808,-9223372036854775808,-9.223372036854776e+18,-9223372036854775807\n' '' -- \
		stream-map 'a = v + 0; b = v - 1; c = v + 1'
}

@test "exact: sum, mean and share of big integers agree with Python in any order" {
	python3 - > "$BATS_TEST_TMPDIR/in" <<'PY'
import random
r = random.Random(3)
big = [2**63 - 1, -2**63, 2**62, -(2**62), 2**63 - 5, 7, -3]
print("k,v")
for i in range(400):
    print("%s,%d" % ("ab"[i % 2], r.choice(big)))
PY
	python3 - "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/want" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
tot = sum(int(x["v"]) for x in rows)
print("k,sum_v,mean_v,share_v")
for k in "ab":
    v = [int(x["v"]) for x in rows if x["k"] == k]
    s = sum(v)
    print("%s,%d,%r,%r" % (k, s, s / len(v), s / tot))
PY
	slurp want "$BATS_TEST_TMPDIR/want"
	check 0 "$want" '' -- stream-agg -g k 'sum(v), mean(v), share(v)' "$BATS_TEST_TMPDIR/in"
	# reversed, and split into partials merged in another order
	{ head -1 "$BATS_TEST_TMPDIR/in"; tail -n +2 "$BATS_TEST_TMPDIR/in" | tac; } > "$BATS_TEST_TMPDIR/rev"
	check 0 "$want" '' -- stream-agg -g k --sort k 'sum(v), mean(v), share(v)' "$BATS_TEST_TMPDIR/rev"
	head -150 "$BATS_TEST_TMPDIR/in" | stream-agg -g k --partial 'sum(v), mean(v), share(v)' > "$BATS_TEST_TMPDIR/p1"
	{ head -1 "$BATS_TEST_TMPDIR/in"; tail -n +151 "$BATS_TEST_TMPDIR/in"; } |
		stream-agg -g k --partial 'sum(v), mean(v), share(v)' > "$BATS_TEST_TMPDIR/p2"
	cat "$BATS_TEST_TMPDIR/p2" "$BATS_TEST_TMPDIR/p1" |
		check 0 "$want" '' -- stream-agg -g k --sort k --merge 'sum(v), mean(v), share(v)'
}

@test "exact: window panes merge integer sums exactly" {
	printf 't,v\n0,9223372036854775807\n1,1\n2,-2\n3,0\n' |
		check 0 $'window_start,window_end,sum_v\n-2,2,9223372036854775808\n0,4,9223372036854775806\n2,6,-2\n' '' -- \
		stream-window -t t --sliding 4,2 'sum(v)'
}

@test "exact: cumsum is exact again after leaving int64 on the way" {
	printf 'v\n9223372036854775807\n1\n-2\n' |
		check 0 $'v,c\n9223372036854775807,9223372036854775807\n1,9.223372036854776e+18\n-2,9223372036854775806\n' '' -- \
		stream-map 'c = cumsum(v)'
}

@test "exact: round(x, n) rounds as printf rounds the double (Python's round)" {
	printf 'a\n1\n' | check 0 $'a,r1,r2,r3,r4,r5,r6\n1,2.67,1,0.12,0.38,-2.67,2\n' '' -- \
		stream-map 'r1 = round(2.675, 2); r2 = round(1.005, 2); r3 = round(0.125, 2); r4 = round(0.375, 2); r5 = round(-2.675, 2); r6 = round(2.5, 0)'
	# round(x) alone rounds halves away from zero, as SQL does
	printf 'a\n1\n' | check 0 $'a,r\n1,3\n' '' -- stream-map 'r = round(2.5)'
	# seeded values with 0 to 6 digits, against Python's round
	python3 - > "$BATS_TEST_TMPDIR/in" <<'PY'
import random
r = random.Random(16)
print("x,n")
for i in range(2000):
    d = r.randrange(0, 7)
    x = round(r.uniform(-1000, 1000), r.randrange(1, 9))
    if i % 3 == 0:  # a decimal tie in its shortest form: 2.675, 1.005
        x = float("%d.%0*d5" % (r.randrange(-50, 50), d, r.randrange(0, 10 ** d)))
    print("%r,%d" % (x, d))
PY
	python3 - "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/want" <<'PY'
import csv, sys
print("r")
for row in csv.DictReader(open(sys.argv[1])):
    v = round(float(row["x"]), int(row["n"]))
    s = repr(v)
    if v == int(v) and abs(v) < 1e16:
        s = str(int(v)) if not (v == 0 and s.startswith("-")) else "-0"
    print(s)
PY
	slurp want "$BATS_TEST_TMPDIR/want"
	check 0 "$want" '' -- stream-map 'r = round(x, n)' -s r "$BATS_TEST_TMPDIR/in"
}
