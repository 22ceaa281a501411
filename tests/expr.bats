#!/usr/bin/env bats
# The expression language: every operator, precedence rule and function,
# evaluated by stream-map on one record (tests/data/expr.csv):
#   a=10 b=9 s=abc e=(empty) f=3.5 n=-7 big=2^63-1 ip=10.1.2.3
#   t=2020-01-02T03:04:05Z ws=" x " z=0

load helpers

# table: lines "EXPR<TAB>WANT"; each EXPR is evaluated as r = EXPR and
# printed as TSV, exit status 0 and nothing on stderr; all mismatches are
# listed.
table() {
	local bad=0 expr want
	while IFS=$'\t' read -r expr want; do
		[ -n "$expr" ] || continue
		if ! check 0 "$want"$'\n' '' -- stream-map -e "r = $expr" -s r --no-output-header -o tsv "$DATA/expr.csv"; then
			printf 'in expr: %s\n' "$expr"
			bad=1
		fi
	done
	return $bad
}

@test "expr: arithmetic, exact integers, overflow to double" {
	table <<'T'
a + b	19
a - b * 2	-8
(a - b) * 2	2
a / 4	2.5
a / 5	2
a % 3	1
-a % 3	-1
f * 2	7
f % 2	1.5
big + 1	9.223372036854776e+18
big * 2	1.8446744073709552e+19
-big - 2	-9.223372036854776e+18
big - 1	9223372036854775806
0.1 + 0.2	0.30000000000000004
1 / 3	0.3333333333333333
-1.5e3	-1500
2.5e-3 * 2	0.005
1e308 * 10	inf
-1e308 * 10	-inf
1e-320 / 1e10	0
-(-a)	10
+a	10
T
}

@test "expr: division by zero and non-numbers give empty" {
	table <<'T'
a / 0	
a % 0	
f / 0.0	
s + 1	
e + 1	
nope * 2	
-s	
"12" + 1	13
" 12 " + 1	13
T
}

@test "expr: NaN and infinities from fields and results" {
	printf 'x,y\nnan,inf\n' > "$BATS_TEST_TMPDIR/n.csv"
	check 0 $'nan\tinf\t-inf\tfalse\ttrue\n' '' -- stream-map -o tsv --no-output-header \
		-e 'p = x + 1; q = y * 2; m = -y; eq = x == x; ne = x != x' -s p,q,m,eq,ne "$BATS_TEST_TMPDIR/n.csv"
}

@test "expr: comparison is numeric for numbers and fields, bytes for string literals" {
	table <<'T'
a < b	false
a > b	true
a == 10.0	true
a == "10"	true
a < "9"	true
"10" < "9"	true
10 < 9	false
f >= 3.5	true
s < "abd"	true
s == "abc"	true
s != "abc"	false
"abc" < "abcd"	true
e == ""	true
nope == ""	true
nope < 1	true
e > 0	false
true == 1	true
false == 0	true
true == "true"	true
a <= 10 && a >= 10	true
T
}

@test "expr: logic, not, ternary, in" {
	table <<'T'
true && false	false
true || false	true
true and false or true	true
!true	false
not false	true
!a	false
!z	true
!e	true
!"0"	false
not a == 10	false
!a == 10	false
a > 5 ? "big" : "small"	big
a > 50 ? "big" : a > 5 ? "mid" : "small"	mid
z ? 1 : 2	2
"0" ? 1 : 2	1
a in [1, 10]	true
a in [1, 2]	false
s in ["x", "abc"]	true
a + 1 in [11]	true
a in []	false
false || a in [10] && s == "abc"	true
T
}

@test "expr: precedence: .. binds tightest, then unary minus, * / %, + -" {
	table <<'T'
a .. b	109
a .. b == 109	true
a .. b .. s	109abc
1 + 2 .. 3	24
-a .. b	-109
2 * 3 .. 4	68
1 + 2 * 3	7
(1 + 2) * 3	9
10 - 2 - 3	5
2 * 3 % 4	2
1 < 2 == true	true
a .. "" == "10"	true
T
}

@test "expr: regex match" {
	table <<'T'
a =~ "^1"	true
s !~ "b"	false
s =~ "^a.c$"	true
s =~ "B"	false
s =~ "(?i)B"	true
ip =~ "^\d+\.\d+"	true
s =~ s	true
s =~ "a" .. "b"	true
"a\tb" =~ "\t"	true
T
}

@test "expr: fields: bare, \$name, \${...}, \$N, \$0, missing" {
	printf 'first name,a.b,x\nAda,1,2\n' > "$BATS_TEST_TMPDIR/f.csv"
	check 0 $'Ada\t1\t2\tAda\t3\t\tAda,1,2\n' '' -- stream-map -o tsv --no-output-header \
		-e 'p = ${first name}; q = a.b; r = $x; s = $1; t = $2 + $3; u = $9; v = $0' \
		-s p,q,r,s,t,u,v "$BATS_TEST_TMPDIR/f.csv"
}

@test "expr: string literals and escapes" {
	table <<'T'
len("a\tb")	3
'it\'s'	it's
"q\"q"	q"q
'\x41\x42'	AB
len("\d")	2
len("a\0b")	3
"\\"	\\
T
}

@test "expr: string functions" {
	table <<'T'
len(s)	3
len(e)	0
len(a)	2
len(nope)	0
upper(s)	ABC
lower("AbC")	abc
trim(ws) .. "|"	x|
trim("  ")	
substr(s, 2)	bc
substr(s, 0, 2)	a
substr(s, 2, 1)	b
substr(s, 2, 100)	bc
substr(s, 5)	
substr(s, -1, 3)	a
contains(s, "bc")	true
contains(s, "")	true
contains(s, "x")	false
startswith(s, "ab")	true
startswith(s, "b")	false
endswith(s, "bc")	true
endswith("c", "bc")	false
replace("aXbXc", "X", "--")	a--b--c
replace(s, "", "x")	abc
replace(s, "abc", "")	
sub(s, "b", "[$0]")	a[b]c
sub("aaa", "a", "b")	baa
gsub("banana", "a", "o")	bonono
gsub("k=v, k2=v2", "(\w+)=(\w+)", "$2:$1")	v:k, v2:k2
gsub(s, "x", "y")	abc
split_part("a:b:c", ":", 2)	b
split_part("a:b:c", ":", -1)	c
split_part("a:b:c", ":", 4)	
split_part("a::c", "::", 2)	c
T
}

@test "expr: math functions" {
	table <<'T'
abs(n)	7
abs(-2.5)	2.5
ceil(f)	4
ceil(-3.5)	-3
floor(f)	3
floor(-3.5)	-4
round(f)	4
round(-2.5)	-3
round(3.14159, 2)	3.14
round(1234, -2)	1200
sqrt(16)	4
sqrt(2)	1.4142135623730951
sqrt(-1)	
log(1)	0
log(0)	
exp(0)	1
exp(1)	2.718281828459045
min(a, b, 3)	3
max(a, b, f)	10
min(s, a)	10
max(s)	
int(-3.9)	-3
int(3.9)	3
int("12")	12
int(s)	
T
}

@test "expr: if, coalesce, has, hash" {
	table <<'T'
if(a > 1, "y", "n")	y
if(e, "y", "n")	n
if(true, 1, 1 / 0)	1
coalesce(e, nope, s)	abc
coalesce(e, nope)	
coalesce(z, 1)	0
has(e)	true
has(nope)	false
has("a")	true
hash("abc")	8696274497037089104
hash(a) == hash("10")	true
hash(s) % 16	0
T
}

@test "expr: time functions" {
	table <<'T'
time(t)	1577934245
time("2020-01-02T03:04:05.25Z")	1577934245.25
time("10/Oct/2000:13:55:36 -0700")	971211336
time(1577934245)	1577934245
time("soon")	
strftime(time(t), "%Y/%m/%d %H")	2020/01/02 03
strftime(t, "%H:%M")	03:04
strptime("2020-01-02", "%Y-%m-%d")	1577923200
strptime("junk", "%Y-%m-%d")	
floor_time(time(t), "1h")	1577934000
floor_time(t, "5m")	1577934000
floor_time(t, "1d")	1577923200
T
	# the test clock runs on from its start: a bound, not its value
	SK_TEST_CLOCK=1600000000 check 0 $'true\n' '' -- stream-map -e 'r = int(now()) - 1600000000 < 5' -s r --no-output-header "$DATA/expr.csv"
}

@test "expr: cidr, v4 and v6" {
	table <<'T'
cidr(ip, "10.0.0.0/8")	true
cidr(ip, "11.0.0.0/8")	false
cidr(ip, "10.1.2.3")	true
cidr("::1", "::/64")	true
cidr("2001:db8::5", "2001:db8::/32")	true
cidr("2001:db9::5", "2001:db8::/32")	false
cidr(s, "10.0.0.0/8")	false
T
}

# err EXPR WANT_STDERR: stream-filter EXPR must fail with status 2 and
# exactly this message (the program line and caret included).
err() {
	check 2 '' "$2" -- stream-filter "$1" "$DATA/expr.csv"
}

@test "expr errors: unknown function, arity, with column and caret" {
	err 'len(s) > lenn(s)' "stream-filter: 1:10: unknown function 'lenn' (did you mean 'len'?)
  len(s) > lenn(s)
           ^^^^"
	err 'substr(s)' "stream-filter: 1:1: substr takes 2 to 3 arguments, not 1 (substr(s, start[, len]))
  substr(s)
  ^^^^^^^^^"
	err 'len(s, 1)' "stream-filter: 1:1: len takes 1 argument, not 2 (len(s))
  len(s, 1)
  ^^^^^^^^^"
	err 'now(1)' "stream-filter: 1:1: now takes 0 arguments, not 1 (now())
  now(1)
  ^^^^^^"
}

@test "expr errors: syntax" {
	err 'a >' "stream-filter: 1:4: syntax error: expected a value, not end of input
  a >
     ^"
	err 'a > 1)' "stream-filter: 1:6: syntax error: unexpected ')'
  a > 1)
       ^"
	err 'a = 1' "stream-filter: 1:3: syntax error: '=' is assignment; compare with '=='
  a = 1
    ^"
	err '(a > 1' "stream-filter: 1:7: syntax error: expected ')', not end of input
  (a > 1
        ^"
	err 's == "abc' "stream-filter: 1:6: unterminated string
  s == \"abc
       ^^^^"
	err 'a in 1' "stream-filter: 1:6: syntax error: expected '[' after 'in', not '1'
  a in 1
       ^"
	err 'a & b' "stream-filter: 1:3: unexpected '&' (use && or 'and')
  a & b
    ^"
	err '12abc > 1' "stream-filter: 1:1: bad number
  12abc > 1
  ^^^"
	err 'a > $' "stream-filter: 1:5: expected a field name after '\$'
  a > \$
      ^"
}

@test "expr errors: invalid regex, time format, duration, network" {
	err 's =~ "a(b"' "stream-filter: 1:10: invalid regex: missing closing parenthesis
  s =~ \"a(b\"
           ^"
	err 'sub(s, "[", "")' "stream-filter: 1:10: invalid regex: missing terminating ] for character class
  sub(s, \"[\", \"\")
           ^"
	err 'strftime(t, "%Y %Q") != ""' "stream-filter: 1:13: invalid strftime format: bad conversion '%Q'
  strftime(t, \"%Y %Q\") != \"\"
              ^^^^^^^"
	err 'floor_time(t, "5x") > 0' "stream-filter: 1:15: invalid duration '5x' (e.g. 250ms, 10s, 5m, 1h30m)
  floor_time(t, \"5x\") > 0
                ^^^^"
	err 'cidr(ip, "10.0.0.0/33")' "stream-filter: 1:10: invalid network '10.0.0.0/33'
  cidr(ip, \"10.0.0.0/33\")
           ^^^^^^^^^^^^^"
	err 'prev(a) > 1' "stream-filter: 1:1: prev() is only available in stream-map programs
  prev(a) > 1
  ^^^^"
	err 'extract(s, "(?<x>a)")' "stream-filter: 1:1: extract() is only available in stream-map programs
  extract(s, \"(?<x>a)\")
  ^^^^^^^"
}

@test "expr: a regex given at run time; an invalid one is empty, not an error" {
	printf 're,s\n^a,abc\n(,abc\nc$,abc\n' > "$BATS_TEST_TMPDIR/r.csv"
	check 0 $'true\n\ntrue\n' '' -- stream-map -o tsv -e 'm = s =~ re' -s m --no-output-header "$BATS_TEST_TMPDIR/r.csv"
}
