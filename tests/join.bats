#!/usr/bin/env bats
# stream-join: inner, --left and --anti joins against a lookup table, exact
# outputs; and agreement with a join written from the man page and with
# Miller's join on seeded random tables and streams (tests/oracle/join.py).

load helpers

setup() {
	T=$BATS_TEST_TMPDIR
	printf 'ip,customer,plan\n10.0.0.1,acme,gold\n10.0.0.2,globex,free\n10.0.0.1,acme-eu,gold\n' > "$T/cust.csv"
	printf 'src_ip,bytes\n10.0.0.1,300\n10.0.0.9,50\n10.0.0.2,100\n' > "$T/flows.csv"
}

@test "join: inner: one record per matching row, in table order" {
	check 0 'src_ip,bytes,customer,plan
10.0.0.1,300,acme,gold
10.0.0.1,300,acme-eu,gold
10.0.0.2,100,globex,free
' '' -- stream-join -f "$T/cust.csv" -k src_ip=ip "$T/flows.csv"
	# long options, the stream on stdin
	check 0 'src_ip,bytes,customer,plan
10.0.0.2,100,globex,free
' '' -- bash -c "sed -n '1p;4p' '$T/flows.csv' | stream-join --table '$T/cust.csv' --key src_ip=ip"
}

@test "join: --left keeps the unmatched records, the table's fields empty" {
	check 0 'src_ip,bytes,customer,plan
10.0.0.1,300,acme,gold
10.0.0.1,300,acme-eu,gold
10.0.0.9,50,,
10.0.0.2,100,globex,free
' '' -- stream-join --left -f "$T/cust.csv" -k src_ip=ip "$T/flows.csv"
}

@test "join: --anti writes only the unmatched records, as they came" {
	printf 'src_ip,bytes\n10.0.0.1,300\n"10.0.0.9", 50\n' > "$T/q.csv"
	check 0 'src_ip,bytes
"10.0.0.9", 50
' '' -- stream-join --anti -f "$T/cust.csv" -k src_ip=ip "$T/q.csv"
}

@test "join: composite keys, by name and by position" {
	printf 'h,p,svc\na,80,web\na,443,tls\nb,80,web2\n' > "$T/svc.csv"
	printf 'host,port,n\na,443,1\nb,443,2\nb,80,3\n' > "$T/conn.csv"
	check 0 'host,port,n,svc
a,443,1,tls
b,80,3,web2
' '' -- stream-join -f "$T/svc.csv" -k host,port=h,p "$T/conn.csv"
	check 0 'host,port,n,svc
a,443,1,tls
b,80,3,web2
' '' -- stream-join -f "$T/svc.csv" -k '$1,2=h,$2' "$T/conn.csv"
	# the fields cannot run into each other: (a,b c) is not (a b,c)
	printf 'x,y,v\n"a,b",c,1\n' > "$T/t.csv"
	printf 'x,y\na,"b,c"\n"a,b",c\n' > "$T/s.csv"
	check 0 'x,y,v
"a,b",c,1
' '' -- stream-join -f "$T/t.csv" -k x,y "$T/s.csv"
	check 2 '' "stream-join: -k a,b=x: 2 stream key fields but 1 table ones
Try 'stream-join --help' for more information." -- stream-join -f "$T/t.csv" -k a,b=x "$T/s.csv"
}

@test "join: a key repeated in the table gives one record per row, also under --left" {
	printf 'k,v\n1,a\n2,b\n1,c\n1,d\n' > "$T/t.csv"
	printf 'k,n\n1,x\n3,y\n' > "$T/s.csv"
	check 0 'k,n,v
1,x,a
1,x,c
1,x,d
3,y,
' '' -- stream-join --left -f "$T/t.csv" -k k "$T/s.csv"
	check 0 'k,n,v
1,x,a
1,x,c
1,x,d
' '' -- stream-join -f "$T/t.csv" -k k "$T/s.csv"
}

@test "join: a stream record without a key field is bad (inner, anti) or unmatched (--left)" {
	printf '{"k":"1","n":1}\n{"n":2}\n{"k":"","n":3}\n' > "$T/s.jsonl"
	printf 'k,v\n1,a\n,empty\n' > "$T/t.csv"
	check 1 '{"k":"1","n":1,"v":"a"}
{"k":"","n":3,"v":"empty"}
' "stream-join: $T/s.jsonl:2: missing key field 'k'
stream-join: 1 bad record skipped" -- stream-join -f "$T/t.csv" -k k "$T/s.jsonl"
	check 1 '' "stream-join: $T/s.jsonl:2: missing key field 'k'
stream-join: 1 bad record skipped" -- stream-join --anti -f "$T/t.csv" -k k "$T/s.jsonl"
	check 0 '{"k":"1","n":1,"v":"a"}
{"n":2,"v":""}
{"k":"","n":3,"v":"empty"}
' '' -- stream-join --left -f "$T/t.csv" -k k "$T/s.jsonl"
	check 0 '{"k":"1","n":1,"v":"a"}
{"k":"","n":3,"v":"empty"}
' '' -- stream-join --on-error skip -f "$T/t.csv" -k k "$T/s.jsonl"
	printf '{"a":1}\n' > "$T/p.jsonl"
	check 1 '' "stream-join: $T/p.jsonl:1: missing key field '\$2'
stream-join: 1 bad record skipped" -- stream-join -f "$T/t.csv" -k 2=k "$T/p.jsonl"
}

@test "join: bad table rows follow --on-error, said with the table's name and line" {
	printf '{"ip":"10.0.0.2","c":"x"}\n{"c":"no key"}\nnot json\n{"ip":"10.0.0.1","c":"y"}\n' > "$T/t.jsonl"
	check 1 'src_ip,bytes,c
10.0.0.1,300,y
10.0.0.2,100,x
' "stream-join: $T/t.jsonl:2: missing key field 'ip'
stream-join: $T/t.jsonl:3: bad JSON: expected '{' at column 1
stream-join: 2 bad records skipped" -- stream-join -f "$T/t.jsonl" -k src_ip=ip "$T/flows.csv"
	check 0 'src_ip,bytes,c
10.0.0.1,300,y
10.0.0.2,100,x
' '' -- stream-join --on-error skip --rejects "$T/rej" -f "$T/t.jsonl" -k src_ip=ip "$T/flows.csv"
	slurp rej "$T/rej"
	check 0 '{"c":"no key"}
not json
' '' -- cat "$T/rej"
	check 1 '' "stream-join: $T/t.jsonl:2: missing key field 'ip'" -- \
		stream-join --on-error fail -f "$T/t.jsonl" -k src_ip=ip "$T/flows.csv"
	printf 'ip,c\n10.0.0.1,a,extra\n10.0.0.2,b\n' > "$T/r.csv"
	check 1 'src_ip,bytes,c
10.0.0.2,100,b
' "stream-join: $T/r.csv:2: expected 2 fields, got 3
stream-join: 1 bad record skipped" -- stream-join -f "$T/r.csv" -k src_ip=ip "$T/flows.csv"
}

@test "join: a JSON Lines table under a CSV stream, and the reverse" {
	printf '{"ip":"10.0.0.1","customer":"acme","vip":true,"n":7}\n{"ip":"10.0.0.2","customer":"globex","site":{"city":"Oslo"}}\n' > "$T/t.jsonl"
	check 0 'src_ip,bytes,customer,vip,n,site.city
10.0.0.1,300,acme,true,7,
10.0.0.2,100,globex,,,Oslo
' '' -- stream-join -f "$T/t.jsonl" -k src_ip=ip "$T/flows.csv"
	# JSON keeps its types; the table's text fields are written as they read
	check 0 '{"src_ip":"10.0.0.1","bytes":300,"customer":"acme","vip":true,"n":7,"site.city":""}
' '' -- bash -c "printf '{\"src_ip\":\"10.0.0.1\",\"bytes\":300}\n' | stream-join -f '$T/t.jsonl' -k src_ip=ip"
	check 0 '{"src_ip":"10.0.0.1","bytes":1,"customer":"acme","plan":"gold"}
{"src_ip":"10.0.0.1","bytes":1,"customer":"acme-eu","plan":"gold"}
' '' -- bash -c "printf '{\"src_ip\":\"10.0.0.1\",\"bytes\":1}\n{\"src_ip\":\"10.0.0.3\",\"bytes\":2}\n' | stream-join -f '$T/cust.csv' -k src_ip=ip"
	# --table-format: the table's format, whatever the stream's is
	printf 'ip\tcustomer\n10.0.0.2\tglobex\n' > "$T/t.txt"
	check 0 'src_ip,bytes,customer
10.0.0.2,100,globex
' '' -- stream-join --table-format tsv -f "$T/t.txt" -k src_ip=ip "$T/flows.csv"
	check 2 '' "stream-join: unknown input format 'nope' (one of: auto csv tsv jsonl logfmt clf lines)" -- \
		stream-join --table-format nope -f "$T/t.txt" -k src_ip=ip "$T/flows.csv"
}

@test "join: keys compare as text, as stream-agg -g groups them" {
	printf 'code,text\n200,OK\n404,Not Found\n' > "$T/codes.csv"
	check 0 '{"status":200,"text":"OK"}
{"status":"200","text":"OK"}
{"status":"404","text":"Not Found"}
' '' -- bash -c "printf '{\"status\":200}\n{\"status\":\"200\"}\n{\"status\":200.0}\n{\"status\":\"404\"}\n' | stream-join -f '$T/codes.csv' -k status=code"
	check 0 '{"status":200,"count":2}
{"status":200.0,"count":1}
{"status":"404","count":1}
' '' -- bash -c "printf '{\"status\":200}\n{\"status\":\"200\"}\n{\"status\":200.0}\n{\"status\":\"404\"}\n' | stream-agg -g status count"
}

@test "join: a name in both the stream and the table is an error, unless --prefix" {
	printf 'src_ip,customer\n10.0.0.1,old\n' > "$T/s.csv"
	check 2 '' "stream-join: field 'customer' is in both the stream and the table (--prefix STR renames the table's)" -- \
		stream-join -f "$T/cust.csv" -k src_ip=ip "$T/s.csv"
	check 0 'src_ip,customer,t_customer,t_plan
10.0.0.1,old,acme,gold
10.0.0.1,old,acme-eu,gold
' '' -- stream-join --prefix t_ -f "$T/cust.csv" -k src_ip=ip "$T/s.csv"
	# also for the unmatched records of --left; not for --anti, which adds none
	printf 'src_ip,plan\n10.0.0.7,x\n' > "$T/u.csv"
	check 2 '' "stream-join: field 'plan' is in both the stream and the table (--prefix STR renames the table's)" -- \
		stream-join --left -f "$T/cust.csv" -k src_ip=ip "$T/u.csv"
	check 0 'src_ip,plan
10.0.0.7,x
' '' -- stream-join --anti -f "$T/cust.csv" -k src_ip=ip "$T/u.csv"
	# the key named the same in both is the stream's, not a clash
	printf 'ip,bytes\n10.0.0.2,1\n' > "$T/k.csv"
	check 0 'ip,bytes,customer,plan
10.0.0.2,1,globex,free
' '' -- stream-join -f "$T/cust.csv" -k ip "$T/k.csv"
}

@test "join: a header-only table and an empty one" {
	printf 'ip,customer\n' > "$T/ho.csv"
	: > "$T/empty"
	check 0 'src_ip,bytes,customer
' '' -- stream-join -f "$T/ho.csv" -k src_ip=ip "$T/flows.csv"
	check 0 'src_ip,bytes,customer
10.0.0.1,300,
10.0.0.9,50,
10.0.0.2,100,
' '' -- stream-join --left -f "$T/ho.csv" -k src_ip=ip "$T/flows.csv"
	check 0 'src_ip,bytes
' '' -- stream-join -f "$T/empty" -k src_ip=ip "$T/flows.csv"
	check 0 'src_ip,bytes
10.0.0.1,300
10.0.0.9,50
10.0.0.2,100
' '' -- stream-join --left -f "$T/empty" -k src_ip=ip "$T/flows.csv"
	check 0 'src_ip,bytes
10.0.0.1,300
10.0.0.9,50
10.0.0.2,100
' '' -- stream-join --anti -f "$T/empty" -k src_ip=ip "$T/flows.csv"
}

@test "join: an empty stream, and a header-only one" {
	check 0 '' '' -- stream-join -f "$T/cust.csv" -k src_ip=ip /dev/null
	printf 'src_ip,bytes\n' > "$T/ho.csv"
	check 0 'src_ip,bytes,customer,plan
' '' -- stream-join -f "$T/cust.csv" -k src_ip=ip "$T/ho.csv"
	check 0 'src_ip,bytes,customer,plan
' '' -- stream-join --left -f "$T/cust.csv" -k src_ip=ip "$T/ho.csv"
	check 0 'src_ip,bytes
' '' -- stream-join --anti -f "$T/cust.csv" -k src_ip=ip "$T/ho.csv"
}

@test "join: CRLF table and stream" {
	printf 'ip,c\r\n1,a\r\n2,b\r\n' > "$T/t.csv"
	printf 's,v\r\n1,x\r\n3,y\r\n' > "$T/s.csv"
	check 0 's,v,c
1,x,a
3,y,
' '' -- stream-join --left -f "$T/t.csv" -k s=ip "$T/s.csv"
	check 0 $'s,v\r\n3,y\r\n' '' -- stream-join --anti -f "$T/t.csv" -k s=ip "$T/s.csv"
}

@test "join: a table that cannot be read ends the run before the stream; a compressed one is read" {
	check 1 '' "stream-join: $T/nope.csv: No such file or directory" -- \
		stream-join -f "$T/nope.csv" -k src_ip=ip "$T/flows.csv"
	gzip -c "$T/cust.csv" > "$T/cust.csv.gz"
	check 0 'src_ip,bytes,customer,plan
10.0.0.1,300,acme,gold
10.0.0.1,300,acme-eu,gold
10.0.0.2,100,globex,free
' '' -- stream-join -f "$T/cust.csv.gz" -k src_ip=ip "$T/flows.csv"
}

@test "join: -N: no header in either, \$N keys, --prefix for the table's positions" {
	printf '1,a\n2,b\n' > "$T/t.csv"
	printf 'x,1\ny,3\nz,2\n' > "$T/s.csv"
	check 2 '' "stream-join: field '2' is in both the stream and the table (--prefix STR renames the table's)" -- \
		stream-join -N -f "$T/t.csv" -k '$2=$1' "$T/s.csv"
	check 0 'x,1,a
z,2,b
' '' -- stream-join -N --prefix t -f "$T/t.csv" -k '$2=$1' "$T/s.csv"
	check 0 '{"1":"x","2":1,"t2":"a"}
{"1":"y","2":3,"t2":""}
{"1":"z","2":2,"t2":"b"}
' '' -- stream-join -N --left --prefix t -o jsonl -f "$T/t.csv" -k 2=1 "$T/s.csv"
}

@test "join: -f - reads the table from standard input, the stream from a FILE" {
	check 0 'src_ip,bytes,customer,plan
10.0.0.1,300,acme,gold
10.0.0.1,300,acme-eu,gold
10.0.0.2,100,globex,free
' '' -- sh -c 'stream-join -f - -k src_ip=ip "$1" < "$2"' sh "$T/flows.csv" "$T/cust.csv"
	# both on standard input: the stream would be empty, the table eaten
	check 2 '' "stream-join: -f -: the stream is standard input too; give it as a FILE
Try 'stream-join --help' for more information." -- sh -c 'stream-join -f - -k src_ip=ip < "$1"' sh "$T/cust.csv"
	check 2 '' "stream-join: -f -: the stream is standard input too; give it as a FILE
Try 'stream-join --help' for more information." -- sh -c 'stream-join -f - -k src_ip=ip "$2" - < "$1"' sh "$T/cust.csv" "$T/flows.csv"
}

@test "join: usage errors" {
	check 2 '' "stream-join: missing -f TABLE
Try 'stream-join --help' for more information." -- stream-join -k a "$T/flows.csv"
	check 2 '' "stream-join: missing -k KEY
Try 'stream-join --help' for more information." -- stream-join -f "$T/cust.csv" "$T/flows.csv"
	check 2 '' "stream-join: --left and --anti do not go together
Try 'stream-join --help' for more information." -- stream-join --left --anti -f "$T/cust.csv" -k a "$T/flows.csv"
	check 2 '' "stream-join: --cidr: -k a,b: one key field only (an address)
Try 'stream-join --help' for more information." -- stream-join --cidr -f "$T/cust.csv" -k a,b "$T/flows.csv"
}

@test "join: agrees with a join written from the man page (seeded random tables)" {
	for seed in 1 2 3 4 5; do
		check 0 '' '' -- python3 "$BATS_TEST_DIRNAME/oracle/join.py" oracle "$seed"
	done
}

@test "join: agrees with mlr join, inner, --left (--ur) and --anti (--np --ur), as multisets" {
	command -v mlr >/dev/null || skip "Miller is not installed (make deps installs it)"
	for seed in 1 2 3; do
		check 0 '' '' -- python3 "$BATS_TEST_DIRNAME/oracle/join.py" mlr "$seed"
	done
}

@test "join: --cidr: the longest prefix, v4 and v6, mapped; bad prefixes and addresses" {
	printf 'net,name\n10.0.0.0/8,ten\n10.1.0.0/16,ten-one\n10.1.2.3,host\n::/0,any6\n2001:db8::/32,doc\n::ffff:10.1.0.0/112,m\nbogus,x\n' > "$T/t.csv"
	printf 'ip,n\n10.1.2.3,1\n10.1.9.9,2\n11.0.0.1,3\n::1,4\n::ffff:10.1.5.5,5\nnope,6\n' > "$T/s.csv"
	check 1 'ip,n,name
10.1.2.3,1,host
10.1.9.9,2,ten-one
10.1.9.9,2,m
::1,4,any6
::ffff:10.1.5.5,5,ten-one
::ffff:10.1.5.5,5,m
' "stream-join: $T/t.csv:8: not an IP address or prefix: 'bogus'
stream-join: $T/s.csv:7: not an IP address: 'nope'
stream-join: 2 bad records skipped" -- stream-join --cidr -f "$T/t.csv" -k ip=net "$T/s.csv"
	check 0 'ip,n
11.0.0.1,3
nope,6
' '' -- stream-join --cidr --anti --on-error skip -f "$T/t.csv" -k ip=net "$T/s.csv"
}

@test "join: --cidr agrees with a longest-prefix match written with Python's ipaddress" {
	for seed in 3 4 8; do
		check 0 '' '' -- python3 "$BATS_TEST_DIRNAME/oracle/join.py" cidr "$seed"
	done
}

@test "join: --cidr: CRLF table and stream, the key last: no \\r in the key" {
	printf 'name,net\r\nten,10.0.0.0/8\r\nsix,"2001:db8::/32"\r\nhost,10.1.2.3\r\n' > "$T/t.csv"
	printf 'n,ip\r\n1,10.1.2.3\r\n2,"10.2.0.1"\r\n3,2001:db8::1\r\n4,11.0.0.1\r\n' > "$T/s.csv"
	check 0 'n,ip,name
1,10.1.2.3,host
2,10.2.0.1,ten
3,2001:db8::1,six
' '' -- stream-join --cidr -f "$T/t.csv" -k ip=net "$T/s.csv"
	check 0 'n,ip,name
1,10.1.2.3,host
2,10.2.0.1,ten
3,2001:db8::1,six
4,11.0.0.1,
' '' -- stream-join --cidr --left -f "$T/t.csv" -k ip=net "$T/s.csv"
	check 0 $'n,ip\r\n4,11.0.0.1\r\n' '' -- stream-join --cidr --anti -f "$T/t.csv" -k ip=net "$T/s.csv"
}

@test "join: --cidr: a JSON Lines table and stream, prefixes and addresses as strings" {
	printf '{"net":"10.0.0.0/8","name":"ten"}\n{"net":"10.1.0.0/16","name":"ten-one"}\n{"net":"2001:db8::/32","name":"doc"}\n' > "$T/t.jsonl"
	printf '{"ip":"10.1.2.3","n":1}\n{"ip":"10.200.0.1","n":2}\n{"ip":"2001:db8::5","n":3}\n{"ip":"11.0.0.1","n":4}\n' > "$T/s.jsonl"
	check 0 '{"ip":"10.1.2.3","n":1,"name":"ten-one"}
{"ip":"10.200.0.1","n":2,"name":"ten"}
{"ip":"2001:db8::5","n":3,"name":"doc"}
' '' -- stream-join --cidr -f "$T/t.jsonl" -k ip=net "$T/s.jsonl"
	# a prefix that is a JSON number or null is a bad table row
	printf '{"net":10,"name":"num"}\n{"net":null,"name":"nul"}\n{"net":"10.0.0.0/8","name":"ten"}\n' > "$T/b.jsonl"
	check 1 '{"ip":"10.1.2.3","n":1,"name":"ten"}
{"ip":"10.200.0.1","n":2,"name":"ten"}
' "stream-join: $T/b.jsonl:1: not an IP address or prefix: '10'
stream-join: $T/b.jsonl:2: not an IP address or prefix: null
stream-join: 2 bad records skipped" -- stream-join --cidr -f "$T/b.jsonl" -k ip=net "$T/s.jsonl"
}

@test "join: --cidr: an address that is a JSON number, null or object: bad (inner, anti), unmatched (--left)" {
	printf '{"net":"10.0.0.0/8","name":"ten"}\n' > "$T/t.jsonl"
	printf '{"ip":"10.0.0.1","n":1}\n{"ip":167772161,"n":2}\n{"ip":null,"n":3}\n{"ip":{"v4":"10.0.0.1"},"n":4}\n{"ip":true,"n":5}\n' > "$T/s.jsonl"
	check 1 '{"ip":"10.0.0.1","n":1,"name":"ten"}
' "stream-join: $T/s.jsonl:2: not an IP address: '167772161'
stream-join: $T/s.jsonl:3: not an IP address: null
stream-join: $T/s.jsonl:4: missing key field 'ip'
stream-join: $T/s.jsonl:5: not an IP address: 'true'
stream-join: 4 bad records skipped" -- stream-join --cidr -f "$T/t.jsonl" -k ip=net "$T/s.jsonl"
	check 0 '{"ip":"10.0.0.1","n":1,"name":"ten"}
{"ip":167772161,"n":2,"name":""}
{"ip":null,"n":3,"name":""}
{"ip.v4":"10.0.0.1","n":4,"name":""}
{"ip":true,"n":5,"name":""}
' '' -- stream-join --cidr --left -f "$T/t.jsonl" -k ip=net "$T/s.jsonl"
	# --anti writes what no prefix holds; an object has no key field
	check 1 '{"ip":167772161,"n":2}
{"ip":null,"n":3}
{"ip":true,"n":5}
' "stream-join: $T/s.jsonl:4: missing key field 'ip'
stream-join: 1 bad record skipped" -- stream-join --cidr --anti -f "$T/t.jsonl" -k ip=net "$T/s.jsonl"
}

@test "join: --cidr: a quoted prefix in a CSV table; an IPv6 zone id in the stream" {
	printf 'net,name\n"10.0.0.0/8",ten\n"fe80::/10","link, local"\n' > "$T/t.csv"
	printf 'ip,n\n10.9.9.9,1\n"fe80::1%%eth0",2\n"fe80::3%%a,b",3\nfe80::4%%,4\n10.0.0.1%%eth0,5\n' > "$T/s.csv"
	check 1 'ip,n,name
10.9.9.9,1,ten
fe80::1%eth0,2,"link, local"
"fe80::3%a,b",3,"link, local"
' "stream-join: $T/s.csv:5: not an IP address: 'fe80::4%'
stream-join: $T/s.csv:6: not an IP address: '10.0.0.1%eth0'
stream-join: 2 bad records skipped" -- stream-join --cidr -f "$T/t.csv" -k ip=net "$T/s.csv"
	check 0 'ip,n,name
10.9.9.9,1,ten
fe80::1%eth0,2,"link, local"
"fe80::3%a,b",3,"link, local"
fe80::4%,4,
10.0.0.1%eth0,5,
' '' -- stream-join --cidr --left -f "$T/t.csv" -k ip=net "$T/s.csv"
}

@test "join: --cidr: an empty table and a header-only one" {
	: > "$T/empty"
	printf 'net,name\n' > "$T/ho.csv"
	printf 'ip,n\n10.0.0.1,1\n::1,2\n' > "$T/s.csv"
	check 0 'ip,n
' '' -- stream-join --cidr -f "$T/empty" -k ip=net "$T/s.csv"
	check 0 'ip,n
10.0.0.1,1
::1,2
' '' -- stream-join --cidr --left -f "$T/empty" -k ip=net "$T/s.csv"
	check 0 'ip,n
10.0.0.1,1
::1,2
' '' -- stream-join --cidr --anti -f "$T/empty" -k ip=net "$T/s.csv"
	check 0 'ip,n,name
' '' -- stream-join --cidr -f "$T/ho.csv" -k ip=net "$T/s.csv"
	check 0 'ip,n,name
10.0.0.1,1,
::1,2,
' '' -- stream-join --cidr --left -f "$T/ho.csv" -k ip=net "$T/s.csv"
	check 0 'ip,n
10.0.0.1,1
::1,2
' '' -- stream-join --cidr --anti -f "$T/ho.csv" -k ip=net "$T/s.csv"
	# an address that is none is bad whatever the table holds
	printf 'ip,n\nnope,1\n' > "$T/b.csv"
	check 1 'ip,n
' "stream-join: $T/b.csv:2: not an IP address: 'nope'
stream-join: 1 bad record skipped" -- stream-join --cidr -f "$T/empty" -k ip=net "$T/b.csv"
}

# --reload on a live pipe: live_start ARGS... starts stream-join --reload
# ARGS reading the fifo $T/in, its stdout and stderr in $T/out and
# $T/err (timeout: no test can hang); send N TEXT writes TEXT to the
# stream and waits (5 s at most) until the output has N lines; live_end
# ends the stream, writes the tool's stdout and stderr as its own and
# returns its status. A change is seen at the first record a second or
# more after the last look: the tests sleep 1.1 s after each.
live_start() {
	rm -f "$T/in" "$T/out" "$T/err"
	mkfifo "$T/in"
	# out and err made before the fifo is opened: send reads out at once
	timeout 20 stream-join --reload "$@" > "$T/out" 2> "$T/err" < "$T/in" 3>&- &
	live_pid=$!
	exec {live_fd}> "$T/in"
}

send() {
	printf '%s' "$2" >&"$live_fd"
	for _ in $(seq 100); do
		[ "$(wc -l < "$T/out")" -ge "$1" ] && return 0
		sleep 0.05
	done
	echo "no output line $1"
	exec {live_fd}>&-
	kill "$live_pid"
	return 1
}

live_end() {
	local st=0
	exec {live_fd}>&-
	wait "$live_pid" || st=$?
	cat "$T/out"
	cat "$T/err" >&2
	return "$st"
}

# The table file replaced whole, as mv does (a new inode).
replace() {
	printf "$2" > "$T/new"
	mv "$T/new" "$1"
}

reload_replaced() {
	printf 'k,v\n1,old\n2,two\n' > "$T/t.csv"
	live_start -f "$T/t.csv" -k k
	send 2 $'k,n\n1,a\n' || return
	replace "$T/t.csv" 'k,v\n1,new\n3,three\n'
	sleep 1.1
	send 3 $'1,b\n' || return
	send 4 $'2,c\n3,d\n' || return
	live_end
}

@test "join: --reload on a live pipe: a replaced table is used from the next look on, and said" {
	check 0 'k,n,v
1,a,old
1,b,new
3,d,three
' "stream-join: $T/t.csv: reloaded (2 rows)" -- reload_replaced
}

reload_columns() {
	printf 'k,v\n1,old\n' > "$T/t.csv"
	live_start -f "$T/t.csv" -k k
	send 2 $'k,n\n1,a\n' || return
	replace "$T/t.csv" 'k,w,v\n1,x,new\n'
	sleep 1.1
	send 3 $'1,b\n' || return
	# not changed since: not tried again
	sleep 1.1
	send 4 $'1,c\n' || return
	replace "$T/t.csv" 'k,v\n1,new\n'
	sleep 1.1
	send 5 $'1,d\n' || return
	live_end
}

@test "join: --reload: a table of other columns keeps the previous one, tried again once it changes" {
	check 0 'k,n,v
1,a,old
1,b,old
1,c,old
1,d,new
' "stream-join: $T/t.csv: reload failed, keeping the previous table: its columns are w,v, not v (the output's header is written)
stream-join: $T/t.csv: reloaded (1 row)" -- reload_columns
}

reload_missing() {
	printf '{"k":1,"v":"old"}\n' > "$T/t.jsonl"
	live_start --prefix t_ -f "$T/t.jsonl" -k k
	send 2 $'k,n\n1,a\n' || return
	rm "$T/t.jsonl"
	sleep 1.1
	send 3 $'1,b\n' || return
	printf '{"k":1,"v":"new"}\n{"k":1,"v":"newer"}\n' > "$T/t.jsonl"
	sleep 1.1
	send 5 $'1,c\n' || return
	live_end
}

@test "join: --reload: a table missing between a delete and a create keeps the previous one" {
	check 0 'k,n,t_v
1,a,old
1,b,old
1,c,new
1,c,newer
' "stream-join: $T/t.jsonl: reload failed, keeping the previous table: No such file or directory
stream-join: $T/t.jsonl: reloaded (2 rows)" -- reload_missing
}

reload_bad() {
	printf 'k,v\n1,old\n' > "$T/t.csv"
	live_start "$@" -f "$T/t.csv" -k k
	send 2 $'k,n\n1,a\n' || return
	replace "$T/t.csv" 'k,v\n1,new\n2,x,y\n'
	sleep 1.1
	send 3 $'1,b\n' || return
	live_end
}

reload_fatal() {
	printf 'k,v\n1,old\n' > "$T/t.csv"
	live_start -f "$T/t.csv" -k k
	send 2 $'k,n\n1,a\n' || return
	replace "$T/t.csv" 'k,"v\n1,new\n'
	sleep 1.1
	send 3 $'1,b\n' || return
	live_end
}

@test "join: --reload: bad rows are bad records as in the first load; under --on-error fail, and a fatal error, the reload fails" {
	check 1 'k,n,v
1,a,old
1,b,new
' "stream-join: $T/t.csv:3: expected 2 fields, got 3
stream-join: $T/t.csv: reloaded (1 row)
stream-join: 1 bad record skipped" -- reload_bad
	check 0 'k,n,v
1,a,old
1,b,old
' "stream-join: $T/t.csv: reload failed, keeping the previous table: $T/t.csv:3: expected 2 fields, got 3" -- reload_bad --on-error fail
	check 0 'k,n,v
1,a,old
1,b,old
' "stream-join: $T/t.csv: reload failed, keeping the previous table: $T/t.csv:1: bad header: bad CSV: unterminated quoted field at end of input" -- reload_fatal
}

@test "join: --reload needs a table it can read again: not -f -, a regular file" {
	check 2 '' "stream-join: --reload: -f -: standard input cannot be read again
Try 'stream-join --help' for more information." -- sh -c 'stream-join --reload -f - -k src_ip=ip "$1" < "$2"' sh "$T/flows.csv" "$T/cust.csv"
	mkfifo "$T/fifo"
	check 2 '' "stream-join: --reload: $T/fifo: not a regular file (it could not be read again)
Try 'stream-join --help' for more information." -- stream-join --reload -f "$T/fifo" -k src_ip=ip "$T/flows.csv"
	check 2 '' "stream-join: --reload: /dev/null: not a regular file (it could not be read again)
Try 'stream-join --help' for more information." -- stream-join --reload -f /dev/null -k src_ip=ip "$T/flows.csv"
	# a table that cannot be read at the start ends the run, as without it
	check 1 '' "stream-join: $T/nope.csv: No such file or directory" -- \
		stream-join --reload -f "$T/nope.csv" -k src_ip=ip "$T/flows.csv"
	# a file read whole before any look: the same output as without it
	check 0 'src_ip,bytes,customer,plan
10.0.0.1,300,acme,gold
10.0.0.1,300,acme-eu,gold
10.0.0.2,100,globex,free
' '' -- stream-join --reload -f "$T/cust.csv" -k src_ip=ip "$T/flows.csv"
}
