#!/usr/bin/env bats
# Number output: --ofmt (every tool, as Miller's), the readable numbers of
# -o table, and -o markdown.

load helpers

setup() {
	T=$BATS_TEST_TMPDIR
	printf 'a,b,c\n1,3.14159265,x\n2,0.1,1e-9\n3,2.5,0.30000000000000004\n' > "$T/n.csv"
}

# Seeded random CSV: integers, fractions of every length, exponents, text
# and empty cells, for the comparison with Miller.
gen() {
	mawk 'BEGIN { srand(7); print "id,x,y,name"
		for (i = 0; i < 400; i++) {
			k = int(rand() * 6)
			if (k == 0) x = int(rand() * 2000) - 1000
			else if (k == 1) x = sprintf("%.*f", 1 + int(rand() * 9), rand() * 2e4 - 1e4)
			else if (k == 2) x = sprintf("%.*f", 1 + int(rand() * 9), rand() * 2 - 1)
			else if (k == 3) x = sprintf("%de%d", 1 + int(rand() * 9), int(rand() * 11) - 5)
			else if (k == 4) x = "abc"
			else x = ""
			printf "%d,%s,%.10f,n%d\n", i, x, rand(), i
		} }'
}

@test "ofmt: every non-integer number of the output, as Miller's --ofmt (seeded random input)" {
	gen > "$T/r.csv"
	for f in %.3f %.4e %10.2lf %.2lf %.0f; do
		mlr --icsv --ocsv --ofmt "$f" cat "$T/r.csv" > "$T/want"
		slurp want "$T/want"
		check 0 "$want" '' -- stream-filter --ofmt "$f" true "$T/r.csv"
	done
}

@test "ofmt: input numbers, computed fields and aggregates, in every tool" {
	check 0 $'a,b,c\n1,3.14,x\n2,0.10,0.00\n3,2.50,0.30\n' '' -- stream-filter --ofmt %.2f true "$T/n.csv"
	check 0 $'a,b,c,d\n1,3.1,x,1.6\n2,0.1,0.0,0.1\n3,2.5,0.3,1.2\n' '' -- stream-map --ofmt %.1f 'd = b / 2' "$T/n.csv"
	check 0 $'mean_b,count\n1.914e+00,3\n' '' -- stream-agg --ofmt %.3e 'mean(b), count' "$T/n.csv"
	printf 't,v\n1,0.25\n2,0.5\n11,1\n' > "$T/w.csv"
	check 0 $'window_start,window_end,mean_v\n0,10,0.38\n10,20,1\n' '' -- \
		stream-window --ofmt %.2f --tumbling 10s -t t 'mean(v)' "$T/w.csv"
}

@test "ofmt: C printf's meaning (%g: 6 significant digits), text around the number kept" {
	check 0 $'a,b,c\n1,3.14159 ms,x\n2,0.1 ms,1e-09 ms\n3,2.5 ms,0.3 ms\n' '' -- stream-filter --ofmt '%g ms' true "$T/n.csv"
}

@test "ofmt: JSON numbers stay numbers, JSON strings are text and kept" {
	check 0 $'{"x":3.14,"s":"2.71828","i":7}\n' '' -- stream-map --ofmt %.2f -i jsonl -s x,s,i <<< '{"x":3.14159,"s":"2.71828","i":7}'
}

@test "ofmt: integers, nan, inf and numbers with blanks are left alone" {
	printf 'v\n42\n-7\nnan\ninf\n 1.5\n1.0\n' > "$T/v.csv"
	check 0 $'v\n42\n-7\nnan\ninf\n 1.5\n1.00\n' '' -- stream-filter --ofmt %.2f true "$T/v.csv"
}

@test "ofmt: a format that is not one floating conversion is a usage error" {
	for f in %d %s '%.2f %.2f' 'no conversion' '%*f' '%n' '%' '%.123f' '%5000f' '%lld'; do
		check 2 '' "stream-filter: --ofmt takes a printf format with one floating conversion, such as %.3f or %.2e, not '$f'
Try 'stream-filter --help' for more information." -- stream-filter --ofmt "$f" true "$T/n.csv"
	done
	check 0 $'a,b,c\n1,3.14%,x\n2,0.10%,0.00%\n3,2.50%,0.30%\n' '' -- stream-filter --ofmt '%.2f%%' true "$T/n.csv"
}

@test "table: fractions longer than 6 decimals are rounded, short ones kept" {
	check 0 $'a  b         c\n1  3.141593  x\n2  0.1       1e-9\n3  2.5       0.3\n' '' -- stream-filter -o table true "$T/n.csv"
	printf 'v\n0.0000001234\n-0.00000000001\n1.23456789012e+20\n2.50000000\n123456.1234567\n-1.9999999999\n0.1234567\n' > "$T/v.csv"
	check 0 $'v\n1.234e-07\n-1e-11\n1.23457e+20\n2.5\n123456.123457\n-2\n0.123457\n' '' -- stream-filter -o table true "$T/v.csv"
	# the rounding is the shown form only: csv keeps every digit
	check 0 $'mean_b\n1.6207963250000001\n' '' -- stream-agg 'mean(b)' <(head -3 "$T/n.csv")
	check 0 $'mean_b\n1.620796\n' '' -- stream-agg -o table 'mean(b)' <(head -3 "$T/n.csv")
}

@test "table: --ofmt decides instead of the readable form" {
	check 0 $'a  b           c\n1  3.14159265  x\n2  0.10000000  0.00000000\n3  2.50000000  0.30000000\n' '' -- \
		stream-filter -o table --ofmt %.8f true "$T/n.csv"
}

@test "markdown: a GitHub table per field set, cells escaped, numbers readable" {
	check 0 $'| a | b | c |\n| --- | --- | --- |\n| 1 | 3.141593 | x |\n| 2 | 0.1 | 1e-9 |\n| 3 | 2.5 | 0.3 |\n' '' -- \
		stream-filter -o markdown true "$T/n.csv"
	check 0 $'| a\\|b | c |\n| --- | --- |\n| x\\|y\\\\z<br>w | 2 |\n| ? |  |\n' '' -- \
		stream-filter -o markdown true <<< $'a|b,c\n"x|y\\z\nw",2\n"\r",'
	check 0 $'| a |\n| --- |\n| 1 |\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n' '' -- \
		stream-map -i jsonl -o markdown <<< $'{"a":1}\n{"a":1,"b":2}'
	check 0 $'| host | n |\n| --- | --- |\n| 83.149.9.216 | 23 |\n' '' -- \
		stream-agg -i clf -g host 'count() as n' --sort -n --top 1 -o markdown "$DATA/access_sample.log"
}
