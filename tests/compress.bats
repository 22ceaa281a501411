#!/usr/bin/env bats
# Compressed input: gzip, zstd, bzip2 and xz, recognised by their magic
# bytes on file operands and stdin, read as the plain data would be.

load helpers

LOG="$DATA/access_sample.log"

setup() {
	T=$BATS_TEST_TMPDIR
	# The plain answer every compressed copy must give.
	WANT=$'status,n\n200,195\n301,1\n304,2\n404,2\n'
}

agg() {
	stream-agg -i clf -g status 'count() as n' --sort status "$@"
}

compress() { # FORMAT < plain > compressed
	case $1 in
	gzip) gzip -c ;;
	zstd) zstd -q -c ;;
	bzip2) bzip2 -c ;;
	xz) xz -c ;;
	esac
}

@test "compress: each format reads as the plain log, as a file and on stdin" {
	for f in gzip zstd bzip2 xz; do
		compress $f < "$LOG" > "$T/log.$f"
		check 0 "$WANT" '' -- agg "$T/log.$f"
		check 0 "$WANT" '' -- agg < "$T/log.$f"
	done
}

@test "compress: the magic decides, not the name" {
	gzip -c "$LOG" > "$T/access.log"
	cp "$LOG" "$T/plain.gz"
	check 0 "$WANT" '' -- agg "$T/access.log"
	check 0 "$WANT" '' -- agg "$T/plain.gz"
}

@test "compress: concatenated streams read as one (multi-member gzip, zstd frames, bzip2, xz)" {
	for f in gzip zstd bzip2 xz; do
		head -50 "$LOG" | compress $f > "$T/cat.$f"
		tail -n +51 "$LOG" | compress $f >> "$T/cat.$f"
		check 0 "$WANT" '' -- agg "$T/cat.$f"
	done
}

@test "compress: rotated logs, plain and compressed, in one run" {
	head -100 "$LOG" > "$T/access.log"
	tail -n +101 "$LOG" | head -50 | gzip -c > "$T/access.log.1.gz"
	tail -n +151 "$LOG" | xz -c > "$T/access.log.2.xz"
	check 0 "$WANT" '' -- agg "$T/access.log" "$T/access.log.1.gz" "$T/access.log.2.xz"
}

@test "compress: line numbers in messages count decompressed lines" {
	printf 'a,b\n1,2\n3\n' | gzip -c > "$T/bad.csv.gz"
	check 1 $'a,b\n1,2\n' $'stream-filter: '"$T"$'/bad.csv.gz:3: expected 2 fields, got 1\nstream-filter: 1 bad record skipped' -- stream-filter true "$T/bad.csv.gz"
}

@test "compress: empty compressed input is empty input" {
	for f in gzip zstd bzip2 xz; do
		compress $f < /dev/null > "$T/empty.$f"
		check 0 '' '' -- stream-filter -i lines true "$T/empty.$f"
	done
}

@test "compress: text that begins like a magic stays text" {
	printf 'BZh\nBZh91AY\n\x1f\n(\xb5/\n' > "$T/odd"
	slurp want "$T/odd"
	check 0 "$want" '' -- stream-filter -i lines true "$T/odd"
	printf 'BZh9' | check 0 $'BZh9\n' '' -- stream-filter -i lines true
}

# The lines a truncated stream gave before the bad data are
# written, whole lines only, then the error names the file.
prefix_ok() { # got full
	local n
	n=$(wc -l < "$1")
	[ "$n" -gt 0 ] || { echo "no lines before the error"; return 1; }
	head -n "$n" "$2" | cmp - "$1"
	[ -z "$(tail -c 1 "$1")" ] || { echo "a partial line was written"; return 1; }
}

@test "compress: a truncated stream of each format is an error after its good lines" {
	seq 1 600000 > "$T/full"
	for f in gzip zstd bzip2 xz; do
		compress $f < "$T/full" > "$T/z"
		head -c $(( $(wc -c < "$T/z") / 2 )) "$T/z" > "$T/cut.$f"
		check 1 '' "stream-filter: $T/cut.$f: truncated $f data" -- \
			sh -c 'stream-filter -i lines true "$1" >"$2"' sh "$T/cut.$f" "$T/got"
		# how many lines come before the error depends on the library's
		# block and buffer sizes: a property of them
		prefix_ok "$T/got" "$T/full"
		# on stdin the same lines, and the message names stdin
		slurp got "$T/got"
		check 1 "$got" "stream-filter: stdin: truncated $f data" -- stream-filter -i lines true < "$T/cut.$f"
	done
}

@test "compress: corrupt data is an error naming the file and the problem" {
	seq 1 200000 > "$T/full"
	gzip -c "$T/full" > "$T/c.gz"
	printf '\xff\xff\xff\xff\xff\xff\xff\xff' | dd of="$T/c.gz" bs=1 seek=100000 conv=notrunc 2>/dev/null
	st=0
	stream-filter -i lines true "$T/c.gz" > "$T/got" 2> "$T/err" || st=$?
	[ "$st" -eq 1 ]
	# zlib's words for the damage depend on its version: a pattern
	[[ "$(cat "$T/err")" == "stream-filter: $T/c.gz: corrupt gzip data ("*")" ]]
	# Deflate notices damage only some way after it (the CRC is at the
	# end), so the lines next to it may be wrong; those well before are not.
	head -n 1000 "$T/full" | cmp - <(head -n 1000 "$T/got")
	[ -z "$(tail -c 1 "$T/got")" ]
	# data after the end of a gzip stream that is not another member
	{ gzip -c "$T/full"; printf 'trailing junk\n'; } > "$T/j.gz"
	slurp full "$T/full"
	check 1 "$full" "stream-filter: $T/j.gz: corrupt gzip data (incorrect header check)" -- \
		stream-filter -i lines true "$T/j.gz"
}

@test "compress: a damaged file is said and the next FILE read, exit 1 (as zcat)" {
	gzip -c "$LOG" | head -c 5000 > "$T/cut.gz"
	# how many lines come before the error depends on zlib: a property
	n=$(stream-filter -i lines -c true "$T/cut.gz" 2>/dev/null) || true
	[ "$n" -gt 0 ]
	[ "$n" -lt 200 ]
	check 1 "count"$'\n'"$((n + 200))"$'\n' "stream-agg: $T/cut.gz: truncated gzip data" -- \
		stream-agg -i clf count "$T/cut.gz" "$LOG"
	check 1 "$n"$'\n' "stream-filter: $T/cut.gz: truncated gzip data" -- stream-filter -i lines -c true "$T/cut.gz"
}

@test "compress: --version names the decompression libraries" {
	# the versions are those of the libraries on this machine: N here
	check 0 'stream-filter (streamkit) 0.1.0
libraries: libcsv N, PCRE2 N, xxHash N, zlib N, libzstd N, libbz2 N, liblzma N
' '' -- bash -o pipefail -c "stream-filter --version | sed -E '2s/ [0-9][0-9.]*(,|\$)/ N\1/g'"
}
