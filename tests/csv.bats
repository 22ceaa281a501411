#!/usr/bin/env bats
# CSV reading and writing through stream-map: RFC 4180 and the ugly cases.

load helpers

@test "csv: plain records pass through byte for byte" {
	check 0 $'a,b,c\n1,2,3\n4,5,6\n' '' -- stream-map "$DATA/plain.csv"
}

@test "csv: quoted fields with commas, quotes and newlines pass through" {
	printf 'a,b\n"x,y","he said ""hi"""\n"multi\nline",2\n' > "$BATS_TEST_TMPDIR/q.csv"
	check 0 $'a,b\n"x,y","he said ""hi"""\n"multi\nline",2\n' '' -- stream-map "$BATS_TEST_TMPDIR/q.csv"
}

@test "csv: a changed record is quoted only where it must be" {
	printf 'a,b,c\n"1","x,y","q""q"\n' > "$BATS_TEST_TMPDIR/q.csv"
	check 0 $'c,b,a\n"q""q","x,y",1\n' '' -- stream-map -s c,b,a "$BATS_TEST_TMPDIR/q.csv"
}

@test "csv: CRLF input is read, and kept as read when unchanged" {
	printf 'a,b\r\n1,2\r\n' > "$BATS_TEST_TMPDIR/crlf.csv"
	check 0 $'a,b\r\n1,2\r\n' '' -- stream-map "$BATS_TEST_TMPDIR/crlf.csv"
	check 0 $'b\n2\n' '' -- stream-map -s b "$BATS_TEST_TMPDIR/crlf.csv"
}

@test "csv: a UTF-8 byte order mark is skipped" {
	printf '\xef\xbb\xbfa,b\n1,2\n' > "$BATS_TEST_TMPDIR/bom.csv"
	check 0 $'a\n1\n' '' -- stream-map -s a "$BATS_TEST_TMPDIR/bom.csv"
}

@test "csv: no final newline" {
	printf 'a,b\n1,2' > "$BATS_TEST_TMPDIR/nonl.csv"
	check 0 $'a,b\n1,2\n' '' -- stream-map "$BATS_TEST_TMPDIR/nonl.csv"
}

@test "csv: empty input gives nothing; a header and no record gives the header" {
	check 0 '' '' -- stream-map /dev/null
	check 0 '' '' -- stream-filter true /dev/null
	printf '"a",b\n' > "$BATS_TEST_TMPDIR/h.csv"
	check 0 $'"a",b\n' '' -- stream-map "$BATS_TEST_TMPDIR/h.csv"
	check 0 $'"a",b\n' '' -- stream-filter true "$BATS_TEST_TMPDIR/h.csv"
	check 0 $'a,b,c\n' '' -- stream-map -e 'filter a == 5; c = 1' "$BATS_TEST_TMPDIR/h.csv"
	check 0 $'b\tc\n' '' -- stream-map -o tsv -x a 'c = a .. b' "$BATS_TEST_TMPDIR/h.csv"
	check 0 $'a  b\n' '' -- stream-filter -o table true "$BATS_TEST_TMPDIR/h.csv"
	check 0 $'| a | b |\n| --- | --- |\n' '' -- stream-filter -o markdown true "$BATS_TEST_TMPDIR/h.csv"
	check 0 '' '' -- stream-filter -o jsonl true "$BATS_TEST_TMPDIR/h.csv"
	check 0 '' '' -- stream-filter --no-output-header true "$BATS_TEST_TMPDIR/h.csv"
	check 0 '' '' -- stream-filter -N true /dev/null
	printf 'a\tb\n' | check 0 $'a\tb\n' '' -- stream-filter true
}

@test "csv: a filter that keeps nothing still writes the header" {
	printf 'a,b\n1,2\n3,4\n' | check 0 $'a,b\n' '' -- stream-filter 'a > 10'
	printf 'a,b\n1,2\n' | check 0 $'a,c\n' '' -- stream-map -r b:c 'filter a > 10'
	printf 'a,b\n1,2\n' | check 0 $'0\n' '' -- stream-filter -c 'a > 10'
	printf 'a,b\n1,2\n' | check 0 '' '' -- stream-filter -o jsonl 'a > 10'
}

@test "csv: blank lines are not records" {
	printf 'a,b\n\n1,2\n\n' > "$BATS_TEST_TMPDIR/bl.csv"
	check 0 $'a,b\n1,2\n' '' -- stream-map "$BATS_TEST_TMPDIR/bl.csv"
}

@test "csv: ragged rows are rejected with file and line, the rest kept" {
	printf 'a,b\n1,2\n3\n4,5,6\n7,8\n' > "$BATS_TEST_TMPDIR/r.csv"
	f="$BATS_TEST_TMPDIR/r.csv"
	check 1 $'a,b\n1,2\n7,8\n' "stream-map: $f:3: expected 2 fields, got 1
stream-map: $f:4: expected 2 fields, got 3
stream-map: 2 bad records skipped" -- stream-map "$f"
}

@test "csv: --on-error skip is silent and exits 0; --rejects keeps the bytes" {
	printf 'a,b\n1,2\n3\n"x\n' > "$BATS_TEST_TMPDIR/r.csv"
	check 0 $'a,b\n1,2\n' '' -- stream-map --on-error skip --rejects "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/r.csv"
	check 0 $'3\n"x\n' '' -- cat "$BATS_TEST_TMPDIR/rej"
}

@test "csv: --on-error fail stops at the first bad record after writing what came before" {
	printf 'a,b\n1,2\n3\n4,5\n' | check 1 $'a,b\n1,2\n' 'stream-map: stdin:3: expected 2 fields, got 1' -- stream-map --on-error fail
}

@test "csv: unterminated quote at end of input is a bad record" {
	printf 'a,b\n1,2\n3,"open\nmore\n' | check 1 $'a,b\n1,2\n' 'stream-map: stdin:3: bad CSV: unterminated quoted field at end of input
stream-map: 1 bad record skipped' -- stream-map
}

@test "csv: a quote inside an unquoted field is data (csv-spectrum location_coordinates)" {
	printf 'Contact Employee ID,Location,City\n2095257564,37\xc2\xb036\x2737.8"N,Modesto\n' |
		check 0 $'{"Contact Employee ID":2095257564,"Location":"37\xc2\xb036\x2737.8\\"N","City":"Modesto"}\n' '' -- stream-map -o jsonl
	printf 'a,b\n1,x"y\n2,"q""r"\n3,x""\n' | check 0 $'b\nx"y\nq"r\nx""\n' '' -- stream-map -o tsv -s b
	printf 'a,b\n1,x"y\n' | check 0 $'a,b\n1,x"y\n' '' -- stream-filter true
	printf 'a,b\n1,x"y\n' | check 0 $'b,a\n"x""y",1\n' '' -- stream-map -s b,a
	printf 'a,b\n1,x"y\n"2",3\n' | check 0 $'1\n' '' -- stream-filter -c 'a == 2'
}

@test "csv: text after a closing quote is a bad record" {
	printf 'a,b\n1,"x"y\n2,3\n' | check 1 $'a,b\n2,3\n' 'stream-map: stdin:2: bad CSV: text after a closing quote
stream-map: 1 bad record skipped' -- stream-map
}

@test "csv: NUL bytes and invalid UTF-8 pass through" {
	printf 'a,b\n1,x\0y\n2,\xff\xfe\n' > "$BATS_TEST_TMPDIR/nul.csv"
	check 0 "$(printf 'b,a\nx\0y,1\n\xff\xfe,2\n' | od -An -c)"$'\n' '' -- od_c stream-map -s b,a "$BATS_TEST_TMPDIR/nul.csv"
}

@test "csv: a 10 MB line passes through" {
	head -c 10000000 /dev/zero | tr '\0' x > "$BATS_TEST_TMPDIR/big"
	{ printf 'a,b\n1,'; cat "$BATS_TEST_TMPDIR/big"; printf '\n2,y\n'; } > "$BATS_TEST_TMPDIR/big.csv"
	{ printf 'b\n'; cat "$BATS_TEST_TMPDIR/big"; printf '\ny\n'; } > "$BATS_TEST_TMPDIR/want"
	slurp want "$BATS_TEST_TMPDIR/want"
	check 0 "$want" '' -- stream-map -s b "$BATS_TEST_TMPDIR/big.csv"
}

@test "csv: a record over --max-record is an error naming file and line" {
	printf 'a\n%s\n' "$(head -c 5000 /dev/zero | tr '\0' x)" | check 1 '' 'stream-map: stdin:2: record longer than 4096 bytes (--max-record)' -- stream-map --max-record 4K
}

@test "csv: -d sets the delimiter" {
	printf 'a;b\n1;"x;y"\n' | check 0 $'b;a\n"x;y";1\n' '' -- stream-map -d ';' -s b,a
}

@test "csv: -N reads and writes no header; fields are named 1..n" {
	printf '1,2,3\n4,5,6\n' | check 0 $'3,1\n6,4\n' '' -- stream-map -N -s 3,1
	printf '1,2\n' | check 0 $'1,2\n1,2\n' '' -- stream-map -N --header -s 1,2
}

@test "csv: --no-output-header" {
	printf 'a,b\n1,2\n' | check 0 $'1,2\n' '' -- stream-map --no-output-header
}

@test "csv: empty and repeated header names get their column number and a suffix" {
	printf 'a,,a\n1,2,3\n' | check 0 $'a_2,2,a\n3,2,1\n' '' -- stream-map -s a_2,2,a
}

@test "csv: an empty field alone is written quoted so it stays a record" {
	printf 'a,b\n,1\n' | check 0 $'a\n""\n' '' -- stream-map -s a
}

@test "csv: several files, one header" {
	printf 'a,b\n1,2\n' > "$BATS_TEST_TMPDIR/1.csv"
	printf 'a,b\n3,4\n' > "$BATS_TEST_TMPDIR/2.csv"
	check 0 $'a,b\n1,2\n3,4\n' '' -- stream-map "$BATS_TEST_TMPDIR/1.csv" "$BATS_TEST_TMPDIR/2.csv"
}

@test "csv: a missing file is an error" {
	check 1 '' 'stream-map: /nonexistent.csv: No such file or directory' -- stream-map /nonexistent.csv
}

@test "csv: what the writer writes when the fields change reads back as the same records" {
	printf '{"a":1}\n{"b":2}\n{"a":3}\n' | check 0 $'a\n1\n\n"b"\n2\n\n"a"\n3\n' '' -- stream-map -o csv
	printf '{"a":1}\n{"b":2}\n{"a":3}\n' | stream-map -o csv > "$BATS_TEST_TMPDIR/blocks.csv"
	check 0 $'count\n3\n' '' -- stream-agg count "$BATS_TEST_TMPDIR/blocks.csv"
	check 0 $'{"a":1}\n{"b":2}\n{"a":3}\n' '' -- stream-map -o jsonl "$BATS_TEST_TMPDIR/blocks.csv"
	check 0 $'a\n1\n\n"b"\n2\n\n"a"\n3\n' '' -- stream-filter true "$BATS_TEST_TMPDIR/blocks.csv"
	# (a pipeline under pipefail: each tool's status and stderr count)
	back() ( set -o pipefail; printf '{"a":"x,\\"y"}\n{"b c":2,"a":""}\n' | stream-map -o csv | stream-map -o jsonl )
	check 0 $'{"a":"x,\\"y"}\n{"b c":2,"a":""}\n' '' -- back
}

@test "csv: a stray blank line never makes a data row a header" {
	printf 'a,b\n1,2\n\n3,4\n\n\n5,6\n' | check 0 $'{"a":1,"b":2}\n{"a":3,"b":4}\n{"a":5,"b":6}\n' '' -- stream-map -o jsonl
	printf 'a\r\n1\r\n\r\n2\r\n' | check 0 $'{"a":1}\n{"a":2}\n' '' -- stream-map -o jsonl
	printf 'a,b\n1,2\n\n"3",4\n' | check 0 $'{"a":1,"b":2}\n{"a":3,"b":4}\n' '' -- stream-map -o jsonl
}

@test "csv: a file with every field quoted keeps its rows after a blank line (as Python's csv)" {
	printf '"a","b"\n"1","2"\n\n"3","4"\n"5","6"\n' | check 0 $'count,sum_a\n3,9\n' '' -- stream-agg 'count, sum(a)'
	printf '"a","b"\r\n"1","2"\r\n\r\n"3","4"\r\n' | check 0 $'{"a":1,"b":2}\n{"a":3,"b":4}\n' '' -- stream-map -o jsonl
	# its header is written back quoted only where needed, so the blocks a
	# program's changing fields make still read back
	printf '"a","b"\n"1","2"\n' | check 0 $'a,b\n"1","2"\n' '' -- stream-filter true
	# (a pipeline under pipefail: each tool's status and stderr count)
	back() ( set -o pipefail
		printf '"a"\n"1"\n"2"\n' | stream-map 'b = a == 2 ? 1 : ""; del a' | stream-map -o csv | stream-map -o jsonl )
	check 0 $'{"b":""}\n{"b":1}\n' '' -- back
}

@test "tsv: what the writer writes when the fields change reads back as the same records" {
	printf '{"a":1}\n{"b":2}\n{"a":3}\n' | check 0 $'a\n1\n\n"b"\n2\n\n"a"\n3\n' '' -- stream-map -o tsv
	# (a pipeline under pipefail: each tool's status and stderr count)
	back() ( set -o pipefail; printf '{"a":1}\n{"b\\tc":2}\n' | stream-map -o tsv | stream-map -i tsv -o jsonl )
	check 0 $'{"a":1}\n{"b\\tc":2}\n' '' -- back
	printf 'a\tb\n1\t2\n\n3\t4\n' | check 0 $'{"a":1,"b":2}\n{"a":3,"b":4}\n' '' -- stream-map -o jsonl
}

@test "csv: fields agree with Python's csv module on seeded random files (quotes, CRLF)" {
	command -v python3 >/dev/null || skip "no python3"
	for seed in 1 2 3 4 5 6; do
		python3 "$BATS_TEST_DIRNAME/oracle/csv_fields.py" "$BATS_TEST_TMPDIR/r.csv" "$seed" > "$BATS_TEST_TMPDIR/want"
		check 0 "$(cat "$BATS_TEST_TMPDIR/want")"$'\n' '' -- stream-map -o tsv "$BATS_TEST_TMPDIR/r.csv"
	done
}
