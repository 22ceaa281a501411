#!/usr/bin/env bats
# stream-map programs: assignments, del, filter, stateful functions per key,
# extract, and how they combine with -s/-x/-r.

load helpers

setup() {
	IN="$BATS_TEST_TMPDIR/in.csv"
	printf 'k,v,s\na,1,x\nb,10,y\na,4,z\nb,5,w\na,x,q\n' > "$IN"
}

@test "map program: assignment appends or replaces; later statements see earlier ones" {
	check 0 $'k,v,s,w,t\na,2,x,4,a-2\nb,20,y,40,b-20\na,8,z,16,a-8\nb,10,w,20,b-10\na,,q,,a-\n' '' -- stream-map 'v = v * 2; w = v * 2; t = k .. "-" .. v' "$IN"
}

@test "map program: del, filter, newlines and ';' as separators, comments" {
	check 0 $'k,n\nb,10\nb,5\n' '' -- stream-map 'filter k == "b"
		n = v   # a comment
		del v, s' "$IN"
	# awk: "x" is not a number, so it compares as a string: "x" > "5"
	check 0 $'k,v,s\nb,10,y\na,x,q\n' '' -- stream-map 'filter v > 5;;' "$IN"
	# $N is the N-th field of the record as it is now
	check 0 $'v,k\n1,1\n10,10\n4,4\n5,5\nx,x\n' '' -- stream-map 'del s, k; k = "" .. $1' "$IN"
}

@test "map program: types: numbers, booleans and strings in jsonl" {
	printf '{"a":"3","b":2}\n' | check 0 $'{"a":"3","b":2,"n":5,"t":true,"s":"32","e":""}\n' '' -- \
		stream-map -i jsonl 'n = a + b; t = b > 1; s = a .. b; e = nope'
}

@test "map program: stateful functions, one state without -g" {
	check 0 $'k,v,n,p,d,c,e\na,1,1,,,1,1\nb,10,2,1,9,11,5.5\na,4,3,10,-6,15,4.75\nb,5,4,4,1,20,4.875\na,x,5,5,,20,4.875\n' '' -- \
		stream-map -x s 'n = rownum(); p = prev(v); d = delta(v); c = cumsum(v); e = ewma(v, 0.5)' "$IN"
}

@test "map program: -g keeps the state per key" {
	check 0 $'k,v,n,p,d,c\na,1,1,,,1\nb,10,1,,,10\na,4,2,1,3,5\nb,5,2,10,-5,15\na,x,3,4,,5\n' '' -- \
		stream-map -g k -x s 'n = rownum(); p = prev(v); d = delta(v); c = cumsum(v)' "$IN"
	check 0 $'k,v,s,n\na,1,x,1\nb,10,y,1\na,4,z,1\nb,5,w,1\na,x,q,1\n' '' -- \
		stream-map --group-by k,s 'n = rownum()' "$IN"
}

@test "map program: cumsum stays exact past 2^53 and goes to double past 2^63" {
	printf 'v\n9007199254740993\n1\n9223372036854775800\n' | check 0 $'v,c\n9007199254740993,9007199254740993\n1,9007199254740994\n9223372036854775800,9.232379236109517e+18\n' '' -- stream-map 'c = cumsum(v)'
}

@test "map program: extract sets a field per named group" {
	printf 'msg\nuser=ann id=7\nnothing here\n' | check 0 $'{"msg":"user=ann id=7","user":"ann","id":7,"ok":true}\n{"msg":"nothing here","user":"","id":"","ok":false}\n' '' -- \
		stream-map -o jsonl 'ok = extract(msg, "user=(?<user>\w+) id=(?<id>\d+)")'
	check 2 '' "stream-map: 1:12: extract(): the regex has no named group such as (?<name>...)
  extract(s, \"(a)\")
             ^^^^^" -- stream-map 'extract(s, "(a)")' "$IN"
}

@test "map program: extract sets every named group, so a CSV output keeps one header" {
	printf 'msg\nuser=ann id=7\nnothing here\nuser=bo\n' | check 0 $'msg,user,id\nuser=ann id=7,ann,7\nnothing here,,\nuser=bo,bo,\n' '' -- \
		stream-map 'extract(msg, "user=(?<user>\w+)( id=(?<id>\d+))?")'
}

@test "map program: program first, then --select/--exclude/--rename" {
	check 0 $'t,K\n2,a\n20,b\n8,a\n10,b\n,a\n' '' -- stream-map -s t,k -r k:K 't = v * 2' "$IN"
	check 0 $'t\n2\n20\n8\n10\n""\n' '' -- stream-map -e 't = v * 2' -s t "$IN"
}

@test "map program: operands: a file name is a file, a program has = ; ( blank or quotes" {
	check 0 $'k,v,s\na,1,x\nb,10,y\na,4,z\nb,5,w\na,x,q\n' '' -- stream-map "$IN"
	check 1 '' "stream-map: /nonexistent.csv: No such file or directory" -- stream-map /nonexistent.csv
	check 0 $'k\na\nb\na\nb\na\n' '' -- stream-map -e 'del v; del s' "$IN"
}

@test "map program: errors are located; --strict-fields ignores assigned fields" {
	check 2 '' "stream-map: 1:7: syntax error: expected ';' or a newline, not 'b'
  x = a b
        ^" -- stream-map 'x = a b' "$IN"
	check 2 '' "stream-map: 1:1: cannot assign to or delete a positional field; use a name
  \$1 = 2
  ^^" -- stream-map '$1 = 2' "$IN"
	check 2 '' "stream-map: 1:13: ewma: alpha must be a number in (0, 1]
  e = ewma(v, 2)
              ^" -- stream-map 'e = ewma(v, 2)' "$IN"
	check 0 $'k,v,s,t,u\na,1,x,1,1\n' '' -- stream-map --strict-fields 'filter k == "a" && v < 2; t = v; u = t' "$IN"
	check 2 '' "stream-map: 1:5: unknown field 'vv' (not in the first record; --strict-fields)
  t = vv
      ^^" -- stream-map --strict-fields 't = vv' "$IN"
}

@test "map program: the access log: filter status >= 300; kb = bytes / 1024" {
	# mawk's answer, every digit of kb (n / 1024 is exact in a double)
	want=$(mawk '$9 >= 300 { b = $10 == "-" ? "" : $10
		printf "%s,%s,%s\n", $9, b, b == "" ? "" : sprintf("%.17g", b / 1024) }' "$DATA/access_sample.log")
	[ "$(wc -l <<<"$want")" -eq 5 ]
	check 0 "status,bytes,kb"$'\n'"$want"$'\n' '' -- \
		stream-map -i clf -s status,bytes,kb 'filter status >= 300; kb = bytes / 1024' "$DATA/access_sample.log"
	check 0 '' '' -- stream-map -i clf -s status,kb 'filter status >= 500; kb = bytes / 1024' "$DATA/access_sample.log"
	check 0 $'status,bytes,kb\n404,294,0.287109375\n404,324,0.31640625\n' '' -- \
		stream-map -i clf -s status,bytes,kb 'filter status == 404; kb = bytes / 1024' "$DATA/access_sample.log"
}
