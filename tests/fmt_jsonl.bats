#!/usr/bin/env bats
# JSON Lines reading and writing through stream-map: flattening, escapes,
# bad records, ugly bytes.

load helpers

@test "jsonl: nested objects flatten to a.b, arrays to a.0" {
	printf '{"a":{"b":1,"c":[10,"x",{"d":true}]},"e":[[1,2],[]],"f":{}}\n' |
		check 0 $'a.b,a.c.0,a.c.1,a.c.2.d,e.0.0,e.0.1,e.1,f\n1,10,x,true,1,2,[],{}\n' '' -- stream-map -o csv
	printf '{"a":{"b":1,"c":[10,"x",{"d":true}]},"e":[[1,2],[]],"f":{}}\n' |
		check 0 $'{"a.b":1,"a.c.0":10,"a.c.1":"x","a.c.2.d":true,"e.0.0":1,"e.0.1":2,"e.1":[],"f":{}}\n' '' -- stream-map -s a.b,a.c.0,a.c.1,a.c.2.d,e.0.0,e.0.1,e.1,f
}

@test "jsonl: unchanged records pass through byte for byte, spaces and all" {
	printf '{ "a" : 1 ,"b":[ ] }\n{"a":"\\u00e9"}\n' |
		check 0 $'{ "a" : 1 ,"b":[ ] }\n{"a":"\\u00e9"}\n' '' -- stream-map
}

@test "jsonl: the writer is compact, in field order, keys flat" {
	printf '{ "b" : "x y", "a" : { "c" : -1.5e3 } , "n": null}\n' |
		check 0 $'{"a.c":-1.5e3,"b":"x y","n":null}\n' '' -- stream-map -s a.c,b,n
}

@test "jsonl: string escapes, \\u escapes and surrogate pairs" {
	printf '{"s":"q\\" b\\\\ s\\/ \\b\\f\\n\\r\\t","u":"\\u00e9\\u6f22\\ud83d\\ude00","U":"\\u00C9"}\n' |
		check 0 $'s,u,U\n"q"" b\\ s/ \b\f\n\r\t",é漢😀,É\n' '' -- stream-map -o csv
	printf '{"s":"q\\" b\\\\ s\\/ \\b\\f\\n\\r\\t","u":"\\u00e9\\u6f22\\ud83d\\ude00","U":"\\u00C9"}\n' |
		check 0 $'{"s":"q\\" b\\\\ s/ \\b\\f\\n\\r\\t","u":"é漢😀","U":"É"}\n' '' -- stream-map -s s,u,U
}

@test "jsonl: null reads as empty and writes back as null" {
	printf '{"a":null,"b":""}\n' | check 0 $'a,b\n,\n' '' -- stream-map -o csv
	printf '{"a":null,"b":""}\n' | check 0 $'{"b":"","a":null}\n' '' -- stream-map -s b,a
	printf '{"a":null,"b":""}\n' | check 0 $'a  b\n-  -\n' '' -- stream-map -o table
}

@test "jsonl: numbers and literals keep their text; strings stay strings" {
	printf '{"i":007,"n":"007"}\n' | check 1 '' \
		'stream-map: stdin:1: bad JSON: bad number at column 6
stream-map: 1 bad record skipped' -- stream-map -s n
	printf '{"i":-0.5E+2,"n":"12","t":false}\n' |
		check 0 $'{"t":false,"n":"12","i":-0.5E+2}\n' '' -- stream-map -s t,n,i
}

@test "jsonl: text from csv is a number only in JSON's grammar, a boolean as true/false" {
	printf 'a,b,c,d,e,f,g,h,i,j\n007,1.5,-0,+1,.5,1e3,true,,false,True\n' |
		check 0 $'{"a":"007","b":1.5,"c":-0,"d":"+1","e":".5","f":1e3,"g":true,"h":"","i":false,"j":"True"}\n' '' -- stream-map -o jsonl
}

@test "jsonl: control bytes are escaped on output; other bytes pass" {
	printf 'a\n"x\x01\x1f\x7f\ty"\n' | check 0 $'{"a":"x\\u0001\\u001f\x7f\\ty"}\n' '' -- stream-map -o jsonl
}

@test "jsonl: NUL bytes pass through, escaped or raw" {
	printf '{"a":"x\\u0000y"}\n' | check 0 $'{"a":"x\\u0000y"}\n' '' -- stream-map -s a
	printf '{"a":"x\\u0000y"}\n' | check 0 $'   a  \\n   x  \\0   y  \\n\n' '' -- od_c stream-map -o csv
	printf '{"a":"x\0y"}\n' | check 0 $'{"a":"x\\u0000y"}\n' '' -- stream-map -s a
}

@test "jsonl: invalid UTF-8 passes through" {
	printf '{"a":"\xff\xc3("}\n' | check 0 $'{"a":"\xff\xc3("}\n' '' -- stream-map -s a
	printf '{"a":"\xff\xc3("}\n' | check 0 $'a\n\xff\xc3(\n' '' -- stream-map -o csv
}

@test "jsonl: bad records are skipped with file, line, column and reason" {
	f="$BATS_TEST_TMPDIR/bad.jsonl"
	printf '%s\n' '{"a":1' '{"a":1}x' '{"a":"\q"}' '{"a":"\ud800"}' \
		'{"a":"\udc00\u0041"}' '[1,2]' '{"a":1,}' '{"a" 1}' '{"a":"x}' \
		'{"ok":1}' '{"a":tru}' '{"a":[1 2]}' '{"a":"\u12G4"}' > "$f"
	check 1 $'{"ok":1}\n' "stream-map: $f:1: bad JSON: unexpected end of line at column 7
stream-map: $f:2: bad JSON: trailing characters after the object at column 8
stream-map: $f:3: bad JSON: bad escape '\q' at column 7
stream-map: $f:4: bad JSON: lone surrogate \ud800 at column 7
stream-map: $f:5: bad JSON: lone surrogate \udc00 at column 7
stream-map: $f:6: bad JSON: expected '{' at column 1
stream-map: $f:7: bad JSON: expected '\"' at column 8
stream-map: $f:8: bad JSON: expected ':' at column 6
stream-map: $f:9: bad JSON: unterminated string at column 6
stream-map: $f:11: bad JSON: expected a value at column 6
stream-map: 2 more records rejected: bad JSON
stream-map: 12 bad records skipped" -- stream-map "$f"
}

@test "jsonl: --rejects keeps bad records byte for byte; fail stops at the first" {
	printf '{"a":1}\n{"a":\r\n{"a":2}\n' > "$BATS_TEST_TMPDIR/in"
	check 0 $'{"a":1}\n{"a":2}\n' '' -- stream-map --on-error skip --rejects "$BATS_TEST_TMPDIR/rej" "$BATS_TEST_TMPDIR/in"
	check 0 $'   {   "   a   "   :  \\r  \\n\n' '' -- od -An -c "$BATS_TEST_TMPDIR/rej"
	check 1 $'{"a":1}\n' "stream-map: $BATS_TEST_TMPDIR/in:2: bad JSON: unexpected end of line at column 6" \
		-- stream-map --on-error fail "$BATS_TEST_TMPDIR/in"
}

@test "jsonl: nesting deeper than 512 levels is a bad record, not a crash" {
	deep=$(printf '{"a":%.0s' $(seq 600))
	printf '%s\n{"b":1}\n' "$deep" | check 1 $'{"b":1}\n' \
		'stream-map: stdin:1: bad JSON: nested too deeply at column 2561
stream-map: 1 bad record skipped' -- stream-map -i jsonl
}

@test "jsonl: CRLF lines are read; unchanged ones keep their CR" {
	printf '{"a":1}\r\n{"a":2}\r\n' | check 0 $'{"a":1}\r\n{"a":2}\r\n' '' -- stream-map
	printf '{"a":1}\r\n{"a":"x"}\r\n' | check 0 $'a\n1\nx\n' '' -- stream-map -o csv
}

@test "jsonl: no final newline, blank lines, empty input, empty object" {
	printf '{"a":1}' | check 0 $'{"a":1}\n' '' -- stream-map -i jsonl
	printf '\n{"a":1}\n  \t\n\n{"a":2}\n' | check 0 $'a\n1\n2\n' '' -- stream-map -i jsonl -o csv
	check 0 '' '' -- stream-map -i jsonl /dev/null
	printf '{}\n' | check 0 $'{}\n' '' -- stream-map -i jsonl -s a
}

@test "jsonl: a duplicate key keeps its first place and its last value" {
	printf '{"a":1,"b":2,"a":3}\n' | check 0 $'a,b\n3,2\n' '' -- stream-map -o csv
	printf '{"a":{"x":1},"a.x":2}\n' | check 0 $'{"a.x":2}\n' '' -- stream-map -s a.x
}

@test "jsonl: escaped keys are unescaped; odd names are quoted back" {
	printf '{"a\\"b":1,"\\u00e9":2,"":3}\n' | check 0 $'{"a\\"b":1,"e":2,"":3}\n' '' -- stream-map -r é:e
}

@test "round trip: jsonl -> csv -> jsonl gives back strings and numbers" {
	printf '{"a":"x,y","b":12,"c":"q\\"q","d":-1.5,"e":"multi\\nline","f":"é"}\n{"a":"","b":0,"c":"t\\tt","d":1e-3,"e":" ","f":"\\\\"}\n' > "$BATS_TEST_TMPDIR/in"
	slurp want "$BATS_TEST_TMPDIR/in"
	check 0 "$want" '' -- bash -o pipefail -c 'stream-map -o csv "$1" | stream-map -i csv -o jsonl' sh "$BATS_TEST_TMPDIR/in"
}
