#!/usr/bin/env bats
# logfmt reading and writing through stream-map.

load helpers

@test "logfmt: pairs, quoted values, bare keys, empty values" {
	printf 'ts=2024-01-01T00:00:00Z level=info msg="hello world" flag url=/a?b=c e=\n' |
		check 0 $'{"ts":"2024-01-01T00:00:00Z","level":"info","msg":"hello world","flag":"","url":"/a?b=c","e":""}\n' '' -- stream-map -o jsonl
}

@test "logfmt: auto-detected by key= and passed through byte for byte" {
	printf 'a=1  b="x y" flag\n' | check 0 $'a=1  b="x y" flag\n' '' -- stream-map
	printf 'a=1\tb="x y"\n' | check 0 $'a=1\tb="x y"\n' '' -- stream-map -i logfmt
}

@test "logfmt: escapes inside quotes; backslashes elsewhere are literal" {
	printf '%s\n' 'q="say \"hi\" \\ \n\t\x" p=C:\dir' |
		check 0 $'q,p\n"say ""hi"" \\ \n\t\\x",C:\\dir\n' '' -- stream-map -o csv
}

@test "logfmt: the writer quotes only where it must" {
	printf 'a,b,c,d,e,f\n1,x y,k=v,"q""q",,"l1\nl2\\"\n' |
		check 0 $'a=1 b="x y" c="k=v" d="q\\"q" e="" f="l1\\nl2\\\\"\n' '' -- stream-map -o logfmt
}

@test "logfmt: blanks, '=' and quotes in keys become '_'" {
	printf '"a b",c=d,\n1,2,3\n' | check 0 $'a_b=1 c_d=2 3=3\n' '' -- stream-map -o logfmt
}

@test "logfmt: round trip through csv gives back what was written" {
	printf '%s\n' 'a=1 b="x y" c="q\"q" d="" e=é f="l1\nl2"' > "$BATS_TEST_TMPDIR/in"
	slurp want "$BATS_TEST_TMPDIR/in"
	check 0 "$want" '' -- bash -o pipefail -c 'stream-map -o csv "$1" | stream-map -i csv -o logfmt' sh "$BATS_TEST_TMPDIR/in"
}

@test "logfmt: bad records name the column" {
	f="$BATS_TEST_TMPDIR/bad"
	printf '%s\n' '=v a=1' 'a="open' 'a="x"y' 'a=1 "b"=2' 'ok=1' > "$f"
	check 1 $'ok=1\n' "stream-map: $f:1: bad logfmt: expected a key at column 1
stream-map: $f:2: bad logfmt: unterminated quoted value at column 3
stream-map: $f:3: bad logfmt: expected a space after the quoted value at column 6
stream-map: $f:4: bad logfmt: unexpected '\"' at column 5
stream-map: 4 bad records skipped" -- stream-map -i logfmt "$f"
}

@test "logfmt: CRLF, no final newline, blank lines, empty input, duplicates" {
	printf 'a=1\r\n\n  \na=2 b=3 a=4' | check 0 $'a\n1\n\n"a","b"\n4,3\n' '' -- stream-map -i logfmt -o csv
	check 0 '' '' -- stream-map -i logfmt /dev/null
}

@test "logfmt: NUL and invalid UTF-8 pass through" {
	printf 'a=x\0y b="\xff z"\n' | check 0 $'{"a":"x\\u0000y","b":"\xff z"}\n' '' -- stream-map -o jsonl
}

@test "logfmt: each line has its own keys" {
	printf 'a=1\nb=2\n' | check 0 $'{"a":1}\n{"b":2}\n' '' -- stream-map -o jsonl
}
