#!/usr/bin/env bats
# Input and output across files: a fatal error keeps the output produced
# before it; an unreadable FILE is reported and the next one read (cat).

load helpers

setup() {
	T=$BATS_TEST_TMPDIR
	long=$(head -c 2000 /dev/zero | tr '\0' 9)
	printf 'v\n1\n2\n%s\n3\n' "$long" > "$T/long.csv"
	printf 'v\n1\n2\n' > "$T/ok.csv"
	printf 't,v\n1,1\n2,1\n15,1\n%s\n' "$long" > "$T/w.csv"
}

@test "io: --max-record on a later line keeps the records before it (filter, map)" {
	check 1 $'v\n1\n2\n' "stream-filter: $T/long.csv:4: record longer than 1024 bytes (--max-record)" -- \
		stream-filter --max-record 1K true "$T/long.csv"
	check 1 $'v,w\n1,2\n2,4\n' "stream-map: $T/long.csv:4: record longer than 1024 bytes (--max-record)" -- \
		stream-map --max-record 1K 'w = v * 2' "$T/long.csv"
}

@test "io: --max-record keeps -o table rows and fired windows" {
	check 1 $'v\n1\n2\n' "stream-filter: $T/long.csv:4: record longer than 1024 bytes (--max-record)" -- \
		stream-filter -o table --max-record 1K true "$T/long.csv"
	check 1 $'window_start,window_end,sum_v\n0,10,2\n' "stream-window: $T/w.csv:5: record longer than 1024 bytes (--max-record)" -- \
		stream-window --tumbling 10s -t t --max-record 1K 'sum(v)' "$T/w.csv"
}

@test "io: a bad CSV header in a later file keeps the output of the earlier ones" {
	printf '"v\n' > "$T/badh.csv"
	check 1 $'v,w\n1,1\n2,1\n' "stream-map: $T/badh.csv:1: bad header: bad CSV: unterminated quoted field at end of input" -- \
		stream-map 'w = 1' "$T/ok.csv" "$T/badh.csv"
}

@test "io: a directory operand is reported and the next FILE read (every tool)" {
	check 1 $'v\n1\n2\n1\n2\n' "stream-filter: $T: Is a directory" -- \
		stream-filter true "$T/ok.csv" "$T" "$T/ok.csv"
	check 1 $'v\n1\n2\n1\n2\n' "stream-map: $T: Is a directory" -- \
		stream-map -s v "$T/ok.csv" "$T" "$T/ok.csv"
	check 1 $'count\n4\n' "stream-agg: $T: Is a directory" -- \
		stream-agg count "$T/ok.csv" "$T" "$T/ok.csv"
	printf 't\n1\n2\n15\n' > "$T/t.csv"
	check 1 $'window_start,window_end,count\n0,10,2\n10,20,1\n' "stream-window: $T: Is a directory" -- \
		stream-window --tumbling 10s -t t count "$T" "$T/t.csv"
}

@test "io: a missing FILE is reported, the others read, exit 1 at the end" {
	check 1 $'v\n1\n2\n1\n2\n' "stream-filter: /nonexistent.csv: No such file or directory" -- \
		stream-filter true "$T/ok.csv" /nonexistent.csv "$T/ok.csv"
	check 1 $'2\n' "stream-filter: /nonexistent.csv: No such file or directory" -- \
		stream-filter -c true /nonexistent.csv "$T/ok.csv"
	check 1 '' $'stream-filter: /no1: No such file or directory\nstream-filter: /no2: No such file or directory' -- \
		stream-filter true /no1 /no2
}

@test "io: an unreadable FILE is reported with its reason" {
	# root reads every file: as root, the tool runs as nobody, on files
	# in a directory nobody can enter
	local as=()
	if [ "$(id -u)" = 0 ]; then
		command -v setpriv >/dev/null || skip "root reads every file, and no setpriv"
		as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
		T=$(mktemp -d /tmp/sk-io.XXXXXX)
		chmod 755 "$T"
		cp "$BATS_TEST_TMPDIR/ok.csv" "$T/ok.csv"
		chmod 644 "$T/ok.csv"
	fi
	printf 'v\n9\n' > "$T/secret.csv"
	chmod 000 "$T/secret.csv"
	st=0
	check 1 $'v\n1\n2\n' "stream-filter: $T/secret.csv: Permission denied" -- \
		"${as[@]}" stream-filter true "$T/secret.csv" "$T/ok.csv" || st=$?
	[ "$T" = "$BATS_TEST_TMPDIR" ] || rm -rf "$T"
	return $st
}

@test "io: -i auto looks at the first line that is not blank" {
	printf '\n\n{"a":1}\n\n{"a":2}\n' | check 0 $'a\n1\n2\n' '' -- stream-map -o csv
	printf ' \t\r\n{"a":1}\n' | check 0 $'a\n1\n' '' -- stream-map -o csv
	printf '\r\n\na=1 b=2\n' | check 0 $'a,b\n1,2\n' '' -- stream-map -o csv
	printf '\n\na\tb\n1\t2\n' | check 0 $'a,b\n1,2\n' '' -- stream-map -o csv
	printf '\xef\xbb\xbf\n\n{"a":2}\n' | check 0 $'a\n2\n' '' -- stream-map -o csv
	printf '\n' > "$T/blank"
	printf '{"a":1}\n' > "$T/j"
	check 0 $'a\n1\n' '' -- stream-map -o csv "$T/blank" "$T/j"
}

@test "io: a file that is only a UTF-8 byte order mark is empty input, in every format" {
	for f in auto csv tsv jsonl logfmt clf lines; do
		printf '\xef\xbb\xbf' | check 0 '' '' -- stream-map -i "$f" -o jsonl
	done
	printf '\xef\xbb\xbf' | check 0 $'0\n' '' -- stream-filter -c -i lines true
	printf '\xef\xbb\xbf\n' | check 0 $'1\n' '' -- stream-filter -c -i lines true
}
