#!/usr/bin/env bats
# stream-map's field options, TSV and lines formats, conversion, live pipes.

load helpers

@test "map: --select, --exclude, --rename" {
	check 0 $'c,a\n3,1\n6,4\n' '' -- stream-map -s c,a "$DATA/plain.csv"
	check 0 $'a,c\n1,3\n4,6\n' '' -- stream-map -x b "$DATA/plain.csv"
	check 0 $'A,b,C\n1,2,3\n4,5,6\n' '' -- stream-map -r a:A,c:C "$DATA/plain.csv"
	check 0 $'B,a\n2,1\n5,4\n' '' -- stream-map -s b,a -r b:B "$DATA/plain.csv"
}

@test "map: selecting a field no record has gives the others" {
	check 0 $'a\n1\n4\n' '' -- stream-map -s nope,a "$DATA/plain.csv"
}

@test "map: bad option values are usage errors" {
	check 2 '' "stream-map: --rename takes OLD:NEW, not 'a'
Try 'stream-map --help' for more information." -- stream-map -r a "$DATA/plain.csv"
	check 2 '' "stream-map: unknown output format 'xml' (one of: csv tsv jsonl logfmt lines table markdown bar)
Try 'stream-map --help' for more information." -- stream-map -o xml
	check 2 '' "stream-map: --on-error takes warn, skip or fail, not 'never'
Try 'stream-map --help' for more information." -- stream-map --on-error never
	check 2 '' "stream-map: unrecognized option '--frobnicate'
Try 'stream-map --help' for more information." -- stream-map --frobnicate
}

@test "map: --help goes to stdout and exits 0; --version" {
	# the first line; tests/man.bats checks the options of the rest
	check 0 $'Usage: stream-map [OPTIONS] [PROGRAM] [FILE...]\n' '' -- bash -o pipefail -c 'stream-map --help | sed -n 1p'
	# the versions are those of the libraries on this machine: N here
	check 0 'stream-map (streamkit) 0.1.0
libraries: libcsv N, PCRE2 N, xxHash N, zlib N, libzstd N, libbz2 N, liblzma N
' '' -- bash -o pipefail -c "stream-map --version | sed -E '2s/ [0-9][0-9.]*(,|\$)/ N\1/g'"
}

@test "tsv: escapes are read and written" {
	printf 'a\tb\nx\\ty\tl1\\nl2\\\\\n' > "$BATS_TEST_TMPDIR/e.tsv"
	check 0 $'b\ta\nl1\\nl2\\\\\tx\\ty\n' '' -- stream-map -s b,a "$BATS_TEST_TMPDIR/e.tsv"
	check 0 $'b,a\n"l1\nl2\\",x\ty\n' '' -- stream-map -i tsv -o csv -s b,a "$BATS_TEST_TMPDIR/e.tsv"
}

@test "tsv: auto-detected by a tab in the first line; ragged rows rejected" {
	printf 'a\tb\n1\t2\n3\n' | check 1 $'a,b\n1,2\n' 'stream-map: stdin:3: expected 2 fields, got 1
stream-map: 1 bad record skipped' -- stream-map -o csv
}

@test "tsv: CRLF and no final newline" {
	printf 'a\tb\r\n1\t2' | check 0 $'b\n2\n' '' -- stream-map -s b
}

@test "round trip: csv -> tsv -> csv gives back the input" {
	printf 'a,b,c\n"x,y","q""q",\n"multi\nline",tab\there,back\\\\slash\n,,\né ü 漢,2,3\n' > "$BATS_TEST_TMPDIR/in.csv"
	slurp want "$BATS_TEST_TMPDIR/in.csv"
	check 0 "$want" '' -- bash -o pipefail -c 'stream-map -o tsv "$1" | stream-map -i tsv -o csv' sh "$BATS_TEST_TMPDIR/in.csv"
}

@test "lines: one field 'line'; output joins changed records with a space" {
	printf 'hello  world\nx\n' | check 0 $'hello  world\nx\n' '' -- stream-map -i lines
	printf 'hello  world\n' | check 0 $'line\nhello  world\n' '' -- stream-map -i lines -o csv
	printf 'a b\n' | check 0 $'a b\n' '' -- stream-map -i lines -s line
}

@test "live: a record written into a pipe that stays open comes out at once" {
	fifo="$BATS_TEST_TMPDIR/in"
	mkfifo "$fifo"
	out="$BATS_TEST_TMPDIR/out"
	stream-map -s b < "$fifo" > "$out" 2> "$out.err" &
	pid=$!
	exec 7> "$fifo"
	printf 'a,b\n1,2\n' >&7
	for i in $(seq 50); do
		[ "$(cat "$out")" = $'b\n2' ] && break
		sleep 0.1
	done
	# the input is still open
	check 0 $'b\n2\n' '' -- cat "$out"
	exec 7>&-
	wait "$pid"
	check 0 '' '' -- cat "$out.err"
}

@test "closed stdout ends the tool quietly" {
	seq 1 200000 | sed 's/^/x,/' | { echo 'a,b'; cat; } > "$BATS_TEST_TMPDIR/big.csv"
	check 0 $'b\n1\n0\n' '' -- bash -c "stream-map -s b '$BATS_TEST_TMPDIR/big.csv' | head -n 2; echo \"\${PIPESTATUS[0]}\""
}

@test "memory stays flat: 10 million lines through stream-map" {
	command -v /usr/bin/time >/dev/null || skip "GNU time is not installed"
	seq 1 10000000 | /usr/bin/time -f '%M' -o "$BATS_TEST_TMPDIR/rss" stream-map -N -i csv > /dev/null
	rss=$(cat "$BATS_TEST_TMPDIR/rss")
	if [ -z "${SAN_FLAGS:-}" ]; then
		[ "$rss" -lt 10000 ] || { echo "peak RSS ${rss} KB"; false; }
	else
		# The sanitizers' own memory is most of it: flat is no more
		# than a run over 100,000 lines, plus a megabyte.
		seq 1 100000 | /usr/bin/time -f '%M' -o "$BATS_TEST_TMPDIR/rss0" stream-map -N -i csv > /dev/null
		rss0=$(cat "$BATS_TEST_TMPDIR/rss0")
		[ "$rss" -lt $((rss0 + 1024)) ] || { echo "peak RSS ${rss} KB, ${rss0} KB for 100,000 lines"; false; }
	fi
}

@test "round trip: csv -> jsonl -> csv gives back the input" {
	printf 'a,b,c\n"x,y","q""q",\n"multi\nline",tab\there,back\\\\slash\n,,\né ü 漢,2,-1.5e3\n' > "$BATS_TEST_TMPDIR/in.csv"
	slurp want "$BATS_TEST_TMPDIR/in.csv"
	check 0 "$want" '' -- bash -o pipefail -c 'stream-map -o jsonl "$1" | stream-map -i jsonl -o csv' sh "$BATS_TEST_TMPDIR/in.csv"
}

@test "convert: csv to jsonl writes numbers bare and strings quoted" {
	printf 'a,b,c\n007,1.5,x\n' | check 0 $'{"a":"007","b":1.5,"c":"x"}\n' '' -- stream-map -o jsonl
}
