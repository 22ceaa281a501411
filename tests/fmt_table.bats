#!/usr/bin/env bats
# The table writer: aligned columns for a terminal.

load helpers

@test "table: columns padded to the widest cell, two spaces apart" {
	printf 'name,n,note\nalpha,1,x\nb,12345,\n' |
		check 0 $'name   n      note\nalpha  1      x\nb      12345  -\n' '' -- stream-map -o table
}

@test "table: widths count UTF-8 code points, not bytes" {
	printf 'k,v\né漢字,1\nab,2\n' |
		check 0 $'k    v\né漢字  1\nab   2\n' '' -- stream-map -o table
}

@test "table: control bytes cannot break the layout" {
	printf 'a,b\n"x\ty\nz\r",\x01\n' |
		check 0 $'a          b\nx\\ty\\nz\\r  ?\n' '' -- stream-map -o table
}

@test "table: a new field set starts a new block" {
	printf '{"a":1,"b":2}\n{"a":3,"b":4}\n{"c":"long value"}\n{"a":5,"b":6}\n' |
		check 0 $'a  b\n1  2\n3  4\n\nc\nlong value\n\na  b\n5  6\n' '' -- stream-map -o table
}

@test "table: --no-output-header prints the rows only" {
	printf 'a,b\n1,2\n333,4\n' |
		check 0 $'1    2\n333  4\n' '' -- stream-map -o table --no-output-header
}

@test "table: empty input and empty records print nothing" {
	check 0 '' '' -- stream-map -o table /dev/null
	printf '{}\n{}\n' | check 0 '' '' -- stream-map -i jsonl -o table
}

@test "table: from clf" {
	head -3 "$DATA/access_sample.log" |
		check 0 $'host          status  bytes\n83.149.9.216  200     203023\n83.149.9.216  200     171717\n83.149.9.216  200     26185\n' '' -- stream-map -i clf -o table -s host,status,bytes
}
