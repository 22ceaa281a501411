#!/usr/bin/env bats
# stream-agg against Miller's stats1 on generated data: many groups,
# negative, float, exponent, huge (beyond 2^53, sums beyond 2^63) and empty
# values; every result equal to 1e-9 relative (or as text).
load helpers

# Miller 6 semantics, checked by hand and mapped here:
# - stats1 skips empty values in every accumulator, as our numeric
#   aggregates do; its x_count is therefore our count_if(x != ""), and our
#   count (records) is its count of a column never empty (id).
# - -i percentiles are Hyndman-Fan type 7 (R's default), like ours: on
#   1, 2.5, 3, 10 both give p90 = 7.9.
# - distinct_count counts distinct text ("1" and "1.0" differ), as our
#   distinct does.
# - mode: Miller's ties go to the first value seen, ours to the smallest
#   (datamash's rule), and Miller keeps the text where we give the number.
#   x gets a planted value in every 7th row, 10 or 11 a group, that wins
#   clearly; mode(h) is left
#   out: h has no repeats, so every value ties.
# - Miller 6.6 has no first/last accumulator: they are checked against
#   mlr filter + head/tail -g instead, byte for byte.

setup_file() {
	command -v mlr >/dev/null || return 0
	awk 'BEGIN {
		srand(7); print "id,g,x,h"
		for (i = 0; i < 30000; i++) {
			g = int(rand() * 400); r = rand()
			if (i % 7 == 0) {
				g = int(i / 7) % 400
				x = 1000 + 3 * g
			}
			else if (r < 0.25) x = int(rand() * 2000) - 1000
			else if (r < 0.50) x = sprintf("%.6f", (rand() - 0.5) * 1e5)
			else if (r < 0.55) x = sprintf("%.0f", (rand() - 0.3) * 2e15)
			else if (r < 0.65) x = ""
			else if (r < 0.70) x = sprintf("%.2e", (rand() - 0.5) * 1e8)
			else x = int(rand() * 20)
			r = rand()
			h = r < 0.1 ? "" : sprintf("%.0f", rand() * 4e18)
			if (r > 0.9) h = "-" h
			printf "%d,%d,%s,%s\n", i, g, x, h
		}
	}' >"$BATS_FILE_TMPDIR/d.csv"
}

setup() {
	[ -x "$BIN/stream-agg" ] || skip "stream-agg not built yet"
	command -v mlr >/dev/null || skip "no mlr"
	D=$BATS_FILE_TMPDIR
}

# same_table A B: the same rows (sorted by the first column), each cell
# equal as text or as numbers to 1e-9 relative; prints the differences.
same_table() {
	sort -t, -k1,1n "$1" >"$1.s"
	sort -t, -k1,1n "$2" >"$2.s"
	awk -F, '
	function abs(v) { return v < 0 ? -v : v }
	NR == FNR { for (i = 1; i <= NF; i++) a[FNR, i] = $i; nf[FNR] = NF; n = FNR; next }
	{
		if (NF != nf[FNR]) { print "line " FNR ": " nf[FNR] " vs " NF " fields"; bad = 1 }
		for (i = 1; i <= NF; i++) {
			x = a[FNR, i]; y = $i
			if (x "" == y "") continue
			if (x == "" || y == "" ||
			    abs(x - y) > 1e-9 * (abs(x) > abs(y) ? abs(x) : abs(y))) {
				print "line " FNR " col " i ": " x " vs " y; bad = 1
			}
		}
	}
	END { if (FNR != n) { print "rows: " n " vs " FNR; bad = 1 } exit bad }' \
		"$1.s" "$2.s"
}

@test "agg_mlr: the data has what it should (groups, empties, huge)" {
	check 0 $'400 1 1\n' '' -- awk -F, 'NR > 1 { g[$2]; if ($3 == "") e++; if ($4 + 0 > 2^53) h++ }
		END { n = 0; for (k in g) n++; print n, (e > 1000), (h > 1000) }' "$D/d.csv"
}

@test "agg_mlr: count sum mean min max var stddev median p50 p90 mode distinct equal mlr stats1 -i" {
	stream-agg -g g --no-output-header 'count, count_if(x != ""), sum(x),
		mean(x), min(x), max(x), var(x), stddev(x), median(x), p50(x),
		p90(x), mode(x), distinct(x), count_if(h != ""), sum(h), mean(h),
		min(h), max(h), var(h), stddev(h), median(h), p50(h), p90(h),
		distinct(h)' "$D/d.csv" >"$D/sk"
	acc=count,sum,mean,min,max,var,stddev,median,p50,p90,mode,distinct_count
	cols=g,id_count
	for f in x h; do
		for a in count sum mean min max var stddev median p50 p90 mode distinct_count; do
			[ "$f$a" = hmode ] || cols=$cols,${f}_$a
		done
	done
	mlr --icsv --ocsv --headerless-csv-output stats1 -i -a "$acc" -f id,x,h -g g \
		then cut -o -f "$cols" "$D/d.csv" >"$D/mlr"
	[ "$(wc -l <"$D/sk")" -eq 400 ]
	same_table "$D/sk" "$D/mlr"
}

@test "agg_mlr: first and last (non-empty, as written) equal mlr head/tail -g" {
	for f in x h; do
		for end in head tail; do
			mlr --icsv --ocsv --headerless-csv-output filter "is_not_empty(\$$f)" \
				then $end -n 1 -g g then cut -o -f g,$f "$D/d.csv" |
				LC_ALL=C sort -t, -k1,1 >"$D/$f.$end"
		done
	done
	export LC_ALL=C
	join -t, "$D/x.head" "$D/x.tail" | join -t, - "$D/h.head" |
		join -t, - "$D/h.tail" >"$D/mlr"
	[ "$(wc -l <"$D/mlr")" -eq 400 ]
	slurp want "$D/mlr"
	check 0 "$want" '' -- bash -o pipefail -c 'stream-agg -g g --no-output-header \
		"first(x), last(x), first(h), last(h)" "$1" | sort -t, -k1,1' sh "$D/d.csv"
}
