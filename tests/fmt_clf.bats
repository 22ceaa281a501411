#!/usr/bin/env bats
# Apache/nginx common and combined log format through stream-map
# (tests/data/access_sample.log: the first 200 lines of elastic/examples'
# apache_logs, Apache License 2.0, see tests/data/LICENSE-apache-2.0.txt).

load helpers

@test "clf: a combined line gives the eleven fields" {
	head -1 "$DATA/access_sample.log" | check 0 '{"host":"83.149.9.216","ident":"-","user":"-","time":"17/May/2015:10:05:03 +0000","method":"GET","path":"/presentations/logstash-monitorama-2013/images/kibana-search.png","protocol":"HTTP/1.1","status":200,"bytes":203023,"referer":"http://semicomplete.com/presentations/logstash-monitorama-2013/","agent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/32.0.1700.77 Safari/537.36"}
' '' -- stream-map -i clf -o jsonl
}

@test "clf: every line of the sample agrees with awk's split" {
	awk 'BEGIN { OFS = "\t"; print "host", "time", "method", "path", "protocol", "status", "bytes" }
	{ b = $10 == "-" ? "" : $10; print $1, substr($4, 2) " " substr($5, 1, 5), substr($6, 2), $7, substr($8, 1, length($8) - 1), $9, b }' \
		"$DATA/access_sample.log" > "$BATS_TEST_TMPDIR/want"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/want")" -eq 201 ]
	slurp want "$BATS_TEST_TMPDIR/want"
	check 0 "$want" '' -- stream-map -i clf -o tsv -s host,time,method,path,protocol,status,bytes "$DATA/access_sample.log"
}

@test "clf: common format lines have empty referer and agent" {
	printf '%s\n' '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326' |
		check 0 $'host,ident,user,time,method,path,protocol,status,bytes,referer,agent\n127.0.0.1,-,frank,10/Oct/2000:13:55:36 -0700,GET,/apache_pb.gif,HTTP/1.0,200,2326,,\n' '' -- stream-map -i clf
}

@test "clf: bytes '-' is empty; other '-' fields stay '-'" {
	printf '%s\n' '1.2.3.4 - - [17/May/2015:11:05:11 +0000] "GET /robots.txt HTTP/1.1" 304 - "-" "-"' |
		check 0 $'{"ident":"-","user":"-","bytes":"","referer":"-","agent":"-"}\n' '' -- stream-map -i clf -o jsonl -s ident,user,bytes,referer,agent
}

@test "clf: odd request lines are kept in path, never rejected" {
	printf '%s\n' \
		'h - - [t] "-" 400 0 "-" "-"' \
		'h - - [t] "\x16\x03\x01\x00" 400 0 "-" "-"' \
		'h - - [t] "GET /old" 200 5 "-" "-"' \
		'h - - [t] "GET /a b c HTTP/1.1" 200 5 "-" "-"' \
		'h - - [t] "get / HTTP/1.1" 200 5 "-" "-"' \
		'h - - [t] "" 408 0 "-" "-"' |
		check 0 $'method,path,protocol\n,-,\n,\\x16\\x03\\x01\\x00,\nGET,/old,\nGET,/a b c,HTTP/1.1\n,get / HTTP/1.1,\n,,\n' '' -- stream-map -i clf -s method,path,protocol
}

@test "clf: escaped and stray quotes inside quoted fields" {
	printf '%s\n' \
		'h - - [t] "GET /q?a=\"x\" HTTP/1.1" 200 5 "-" "say \"hi\" \\ ok"' \
		'h - - [t] "GET / HTTP/1.1" 200 5 "http://x/"y"" "Bot "v1""' |
		check 0 $'path,referer,agent\n"/q?a=""x""",-,"say ""hi"" \\ ok"\n/,"http://x/""y""","Bot ""v1"""\n' '' -- stream-map -i clf -s path,referer,agent
}

@test "clf: fields after the agent (nginx extras) are ignored" {
	printf '%s\n' 'h - - [t] "GET / HTTP/1.1" 200 5 "-" "curl/8" "10.0.0.1" 0.003' |
		check 0 $'agent,bytes\ncurl/8,5\n' '' -- stream-map -i clf -s agent,bytes
}

@test "clf: bad lines are skipped with the column and reason" {
	f="$BATS_TEST_TMPDIR/bad.log"
	printf '%s\n' \
		'46.118.127.106 - - [20/May/2015:12:05:17 +0000] "GET /scripts/grok-py-test/configlib.py HTTP/1.1" 200 235 "-" "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html' \
		'not a log line' \
		'h - - [t "GET / HTTP/1.1" 200 5' \
		'h - - [t] GET / HTTP/1.1 200 5' \
		'h - - [t] "GET / HTTP/1.1" OK 5' \
		'h - - [t] "GET / HTTP/1.1" 200 5k' \
		'h - - [t] "GET / HTTP/1.1" 200 5 -' \
		'h - - [t] "GET / HTTP/1.1" 200 5 "-"' \
		'h - - [t] "GET / HTTP/1.1" 200 5' > "$f"
	check 1 $'status\n200\n' "stream-map: $f:1: bad CLF: unterminated quoted field at column 111
stream-map: $f:2: bad CLF: expected '[' at column 11
stream-map: $f:3: bad CLF: unterminated [time] at column 7
stream-map: $f:4: bad CLF: expected '\"' before the request at column 11
stream-map: $f:5: bad CLF: bad status at column 28
stream-map: $f:6: bad CLF: bad bytes at column 32
stream-map: $f:7: bad CLF: expected '\"' before the referer at column 34
stream-map: $f:8: bad CLF: expected '\"' before the agent at column 37
stream-map: 8 bad records skipped" -- stream-map -i clf -s status "$f"
}

@test "clf: CRLF, blank lines, no final newline, empty input" {
	printf 'h - - [t] "GET / HTTP/1.1" 200 5 "-" "a"\r\n\n   \nh - - [t] "GET /x HTTP/1.1" 404 -' |
		check 0 $'path,status,bytes,agent\n/,200,5,a\n/x,404,,\n' '' -- stream-map -i clf -s path,status,bytes,agent
	check 0 '' '' -- stream-map -i clf /dev/null
}

@test "clf: the output format defaults to csv; clf cannot be written" {
	head -2 "$DATA/access_sample.log" | check 0 'host,ident,user,time,method,path,protocol,status,bytes,referer,agent
83.149.9.216,-,-,17/May/2015:10:05:03 +0000,GET,/presentations/logstash-monitorama-2013/images/kibana-search.png,HTTP/1.1,200,203023,http://semicomplete.com/presentations/logstash-monitorama-2013/,"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/32.0.1700.77 Safari/537.36"
83.149.9.216,-,-,17/May/2015:10:05:43 +0000,GET,/presentations/logstash-monitorama-2013/images/kibana-dashboard3.png,HTTP/1.1,200,171717,http://semicomplete.com/presentations/logstash-monitorama-2013/,"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/32.0.1700.77 Safari/537.36"
' '' -- stream-map -i clf
	check 2 '' "stream-map: unknown output format 'clf' (one of: csv tsv jsonl logfmt lines table markdown bar)
Try 'stream-map --help' for more information." -- stream-map -i clf -o clf /dev/null
}
