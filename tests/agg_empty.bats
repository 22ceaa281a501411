#!/usr/bin/env bats
# An aggregation over no record: one row without -g (as SQL and awk's
# END), no row with -g.

load helpers

@test "agg empty: without -g, no record still writes its one row" {
	printf 'a\n' | check 0 $'count\n0\n' '' -- stream-agg count
	printf '' | check 0 $'count\n0\n' '' -- stream-agg count
	: > "$BATS_TEST_TMPDIR/empty"
	check 0 $'count\n0\n' '' -- stream-agg count "$BATS_TEST_TMPDIR/empty"
	# awk agrees
	[ "$(awk 'END { print NR }' "$BATS_TEST_TMPDIR/empty")" = 0 ]
	# (a pipeline under pipefail: each tool's status and stderr count)
	nothing() ( set -o pipefail; printf '{"a":1}\n' | stream-filter 'a > 5' | stream-agg count )
	check 0 $'count\n0\n' '' -- nothing
	printf 'a\n' | check 0 $'{"count":0,"sum_a":"","count_if_a":0}\n' '' -- stream-agg -o jsonl 'count, sum(a), count_if(a)'
	merged() ( set -o pipefail; printf 'a\n' | stream-agg --partial 'count, sum(a)' | stream-agg --merge 'count, sum(a)' )
	check 0 $'count,sum_a\n0,\n' '' -- merged
}

@test "agg empty: the row agrees with SQL (sqlite) for every aggregate kind" {
	want=$(python3 -c '
import sqlite3
c = sqlite3.connect(":memory:")
c.execute("create table t (a)")
r = c.execute("select count(*), sum(a), avg(a), min(a), max(a), count(distinct a) from t").fetchone()
print(",".join("" if v is None else str(v) for v in r))')
	[ "$want" = '0,,,,,0' ]
	printf 'a\n' | check 0 "count,sum_a,mean_a,min_a,max_a,distinct_a"$'\n'"$want"$'\n' '' -- \
		stream-agg 'count, sum(a), mean(a), min(a), max(a), distinct(a)'
	# values that are all empty: the same (SQL's sum of NULLs is NULL)
	printf 'a,b\n,1\n,2\n' | check 0 $'count,sum_a,sum_b\n2,,3\n' '' -- stream-agg 'count, sum(a), sum(b)'
}

@test "agg empty: with -g there is no group and no row" {
	# no row, but the columns, as for any header-only input (DuckDB, xsv)
	printf 'a\n' | check 0 $'a,count\n' '' -- stream-agg -g a count
	printf 'a\tb\n' | check 0 $'b\tsum_a\n' '' -- stream-agg -g b 'sum(a)'
	printf 'a\n' | check 0 $'a  count\n' '' -- stream-agg -g a count -o table
	printf 'a\n' | check 0 '' '' -- stream-agg -g a count -o jsonl
	printf '' | check 0 '' '' -- stream-agg -g a count
	printf '' | check 0 '' '' -- stream-agg -o jsonl -g a count
}

@test "agg: snapshot times come from the shared clock (SK_TEST_CLOCK), ISO" {
	printf 'a\n1\n2\n3\n' | SK_TEST_CLOCK=1715941230 \
		check 0 $'time,count\n2024-05-17T10:20:30Z,2\n2024-05-17T10:20:30Z,3\n' '' -- stream-agg --every 2 count
	# a sub-second --interval stamps to the millisecond
	# the test clock runs on from its start: the milliseconds are not known
	check 0 $'time,count\n2024-05-17T10:20:30.mmmZ,1\n' '' -- bash -o pipefail -c "printf 'a\n1\n' |
		SK_TEST_CLOCK=1715941230.25 stream-agg --interval 250ms count | sed -E 's/30\.[0-9]{1,3}Z/30.mmmZ/'"
	printf 'a\n1\n' | SK_TEST_CLOCK=1715941230.25 \
		check 0 $'{"time":"2024-05-17T10:20:30Z","count":1}\n' '' -- stream-agg -o jsonl --interval 10s count
}

@test "agg: --every N: input ending on a snapshot writes it once" {
	printf 'a\n1\n2\n3\n4\n' | SK_TEST_CLOCK=1715941230 \
		check 0 $'time,count\n2024-05-17T10:20:30Z,2\n2024-05-17T10:20:30Z,4\n' '' -- stream-agg --every 2 count
	printf 'a\n1\n2\nx\n' | SK_TEST_CLOCK=1715941230 \
		check 0 $'time,sum_a\n2024-05-17T10:20:30Z,3\n' '' -- stream-agg --every 2 --on-error skip 'sum(a)'
}
