#!/usr/bin/env bats
# Program errors where two could be reported: the one met first in the
# source is, whichever stage (lexer, parser, compiler) finds it; and the
# errors of constant arguments, each located. Exact messages.

load helpers

@test "program errors: a function's name is checked before the syntax after it" {
	check 2 '' $'stream-filter: 1:1: unknown function \'foo\'\n  foo(1 +\n  ^^^' -- stream-filter 'foo(1 +' "$DATA/expr.csv"
}

@test "program errors: a syntax error inside the arguments of a known function" {
	check 2 '' $'stream-filter: 1:9: syntax error: expected \',\' or \')\', not end of input\n  len(1, 2\n          ^' -- stream-filter 'len(1, 2' "$DATA/expr.csv"
}

@test "program errors: the count of arguments is checked at ')', before what follows" {
	check 2 '' $'stream-filter: 1:1: len takes 1 argument, not 2 (len(s))\n  len(1, 2) +\n  ^^^^^^^^^' -- stream-filter 'len(1, 2) +' "$DATA/expr.csv"
}

@test "program errors: names are checked before constant regexes" {
	check 2 '' $'stream-filter: 1:13: unknown function \'lenn\' (did you mean \'len\'?)\n  a =~ "(" && lenn(s)\n              ^^^^' -- stream-filter 'a =~ "(" && lenn(s)' "$DATA/expr.csv"
}

@test "program errors: a syntax error before any regex is compiled" {
	check 2 '' $'stream-filter: 1:11: syntax error: expected a value, not end of input\n  a =~ "(" +\n            ^' -- stream-filter 'a =~ "(" +' "$DATA/expr.csv"
}

@test "program errors: a stream-map-only function is refused at its name" {
	check 2 '' $'stream-filter: 1:1: prev() is only available in stream-map programs\n  prev(a) +\n  ^^^^' -- stream-filter 'prev(a) +' "$DATA/expr.csv"
}

@test "program errors: at most 32 arguments" {
	check 2 '' $'stream-filter: 1:1: len: too many arguments\n  len(1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33)\n  ^^^' -- stream-filter 'len(1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33)' "$DATA/expr.csv"
}

@test "program errors: an unknown name before too many arguments" {
	check 2 '' $'stream-filter: 1:1: unknown function \'foo\'\n  foo(1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33)\n  ^^^' -- stream-filter 'foo(1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33)' "$DATA/expr.csv"
}

@test "program errors: a constant time zone is checked" {
	check 2 '' $'stream-filter: 1:19: strftime: unknown time zone \'Mars/Olympus\' (a TZ database name such as Europe/Paris, or UTC)\n  strftime(t, "%Y", "Mars/Olympus")\n                    ^^^^^^^^^^^^^^' -- stream-filter 'strftime(t, "%Y", "Mars/Olympus")' "$DATA/expr.csv"
}

@test "program errors: a constant duration is checked" {
	check 2 '' $'stream-filter: 1:15: invalid duration \'5x\' (e.g. 250ms, 10s, 5m, 1h30m)\n  floor_time(t, "5x")\n                ^^^^' -- stream-filter 'floor_time(t, "5x")' "$DATA/expr.csv"
}

@test "program errors: a constant network is checked" {
	check 2 '' $'stream-filter: 1:9: invalid network \'300.1.1.1/8\'\n  cidr(a, "300.1.1.1/8")\n          ^^^^^^^^^^^^^' -- stream-filter 'cidr(a, "300.1.1.1/8")' "$DATA/expr.csv"
}

@test "program errors: has() takes a field name" {
	check 2 '' $'stream-filter: 1:5: has() takes a field name\n  has(1)\n      ^' -- stream-filter 'has(1)' "$DATA/expr.csv"
}

@test "program errors: a name error before a later statement error" {
	check 2 '' $'stream-map: 1:5: unknown function \'foo\'\n  x = foo(1); $1 = 2\n      ^^^' -- stream-map '-e' 'x = foo(1); $1 = 2' "$DATA/expr.csv"
}

@test "program errors: a syntax error in a later statement before a regex" {
	check 2 '' $'stream-map: 1:19: unknown function \'foo\'\n  x = a =~ "("; y = foo(\n                    ^^^' -- stream-map '-e' 'x = a =~ "("; y = foo(' "$DATA/expr.csv"
}

@test "program errors: a constant alpha is checked" {
	check 2 '' $'stream-map: 1:13: ewma: alpha must be a number in (0, 1]\n  x = ewma(a, 2)\n              ^' -- stream-map '-e' 'x = ewma(a, 2)' "$DATA/expr.csv"
}

@test "program errors: extract() needs a named group" {
	check 2 '' $'stream-map: 1:16: extract(): the regex has no named group such as (?<name>...)\n  x = extract(s, "x")\n                 ^^^' -- stream-map '-e' 'x = extract(s, "x")' "$DATA/expr.csv"
}

@test "program errors: an argument is compiled before the aggregates after it are read" {
	check 2 '' $'stream-agg: 1:12: invalid regex: missing closing parenthesis\n  sum(a =~ "("), foo(\n             ^' -- stream-agg 'sum(a =~ "("), foo(' "$DATA/expr.csv"
}

@test "program errors: a bad format in an argument before a later syntax error" {
	check 2 '' $'stream-agg: 1:17: invalid strftime format: bad conversion \'%Q\'\n  sum(strftime(t, "%Q")), sum(\n                  ^^^^' -- stream-agg 'sum(strftime(t, "%Q")), sum(' "$DATA/expr.csv"
}

@test "program errors: the count of a call's arguments before a later syntax error" {
	check 2 '' $'stream-agg: 1:5: len takes 1 argument, not 2 (len(s))\n  sum(len(1, 2)), (\n      ^^^^^^^^^' -- stream-agg 'sum(len(1, 2)), (' "$DATA/expr.csv"
}

@test "program errors: a stream-map-only function in an aggregate's argument" {
	check 2 '' $'stream-agg: 1:5: prev() is only available in stream-map programs\n  sum(prev(a))\n      ^^^^' -- stream-agg 'sum(prev(a))' "$DATA/expr.csv"
}

# stream-map's operand is a program, not a FILE of that name, when it
# compiles to a program with an assignment, del or filter statement.
@test "program errors: an operand that is also a file is a program only if it compiles to one" {
	cd "$BATS_TEST_TMPDIR"
	for f in 'x = 1' 'a b' 'len(a)' 'x = lenn(a)' 'x = strftime(a, "%Q")'; do
		printf 'a\nfile\n' > "$f"
	done
	echo 'a' | check 0 $'a,x\n' '' -- stream-map 'x = 1'
	echo 'a' | check 0 $'a\nfile\n' '' -- stream-map 'a b'
	echo 'a' | check 0 $'a\nfile\n' '' -- stream-map 'len(a)'
	echo 'a' | check 0 $'a\nfile\n' '' -- stream-map 'x = lenn(a)'
	echo 'a' | check 0 $'a\nfile\n' '' -- stream-map 'x = strftime(a, "%Q")'
}
