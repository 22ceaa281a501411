#!/usr/bin/env bats
# Hostile input: what fuzzing found, each pinned to its exact outcome.
load helpers

# --- a column past the row's end (headerless CSV) ---------------------------

@test "robust: headerless CSV, a group column past a short row's end is empty" {
	check 0 $'b,1\n,1\n' '' -- sh -c "printf 'a,b\nc\n' | stream-agg -N -g 2 count"
}

@test "robust: headerless CSV, \${N} past this row's end is absent, not an earlier row's" {
	check 0 '' '' -- sh -c "printf 'a\n' | stream-filter -N '\${12} == \"x\"'"
	check 0 $'a,b,c,c|\nd,|\n' '' -- sh -c "printf 'a,b,c\nd\n' | stream-map -N 'x = \${3} .. \"|\"'"
	check 0 $'d\n' '' -- sh -c "printf 'a,b,c\nd\n' | stream-filter -N 'len(\${3}) == 0'"
}

# --- deep expressions --------------------------------------------------------

deep() { # deep KIND: a program nested 1001 levels (one past the limit) or more
	case $1 in
	parens) printf '%.0s(' $(seq 3200); printf a; printf '%.0s)' $(seq 3200) ;;
	sum) printf a; printf '%.0s+a' $(seq 9999) ;;
	not) printf '%.0s!' $(seq 60000); printf a ;;
	neg) printf 'a > '; printf '%.0s-' $(seq 60000); printf 1 ;;
	plus) printf 'a > '; printf '%.0s+' $(seq 60000); printf 1 ;;
	call) printf '%.0sabs(' $(seq 1001); printf a; printf '%.0s)' $(seq 1001) ;;
	at) printf 'a'; printf '%.0s+a' $(seq "$2") ;;
	esac
}

# nested TOOL COLUMN PROGRAM [CARETS]: TOOL's message for PROGRAM nested too
# deeply at COLUMN: the program line and the caret under it.
nested() {
	printf '%s: 1:%d: expression nested too deeply (more than 1000 levels)\n  %s\n  %*s%s' \
		"$1" "$2" "$3" $(($2 - 1)) '' "${4:-^}"
}

@test "robust: 3,200 nested parentheses are a program error, not a crash" {
	e=$(deep parens)
	check 2 '' "stream-filter: 1:1001: expression nested too deeply (more than 1000 levels)
  ${e:0:10000}
  $(printf '%1000s^')" -- stream-filter "$e" /dev/null
}

@test "robust: a 10,000-term sum, 60k '!', '-' and '+' are program errors with their column" {
	e=$(deep sum)
	check 2 '' "$(nested stream-filter 2001 "$e")" -- stream-filter "$e" /dev/null
	e=$(deep not)
	check 2 '' "$(nested stream-filter 1000 "$e")" -- stream-filter "$e" /dev/null
	e=$(deep neg)
	check 2 '' "$(nested stream-filter 1004 "$e")" -- stream-filter "$e" /dev/null
	e=$(deep plus)
	check 2 '' "$(nested stream-filter 1004 "$e")" -- stream-filter "$e" /dev/null
	e=$(deep call)
	check 2 '' "$(nested stream-filter 4001 "$e" ^^^)" -- stream-filter "$e" /dev/null
}

@test "robust: 1,000 levels are fine; the limit is the same in programs and aggregates" {
	printf 'a\n1\n' | check 0 $'a\n1\n' '' -- stream-filter "$(deep at 998) == 999"
	check 0 $'a,x\n1,1000\n' '' -- sh -c "printf 'a\n1\n' | stream-map 'x = $(deep at 999)'"
	e="x = $(deep sum)"
	check 2 '' "$(nested stream-map 2005 "$e")" -- stream-map "$e" /dev/null
	e="count, sum($(deep sum))"
	check 2 '' "$(nested stream-agg 2012 "$e")" -- stream-agg "$e" /dev/null
	e="sum($(deep not))"
	check 2 '' "$(nested stream-window 1004 "$e")" -- stream-window -t a --tumbling 1m "$e" /dev/null
}

# --- regex engine errors -----------------------------------------------------

@test "robust: =~ over a 2,000-byte field matches (the JIT has a large stack)" {
	ab=$(printf '%.0sab' $(seq 1000))
	check 0 $'1\n' '' -- sh -c "printf 's\n%s\n' $ab | stream-filter -c 's =~ \"^(a|b)*\$\"'"
	check 0 $'1\n' '' -- sh -c "printf 's\n%s\n' $ab | stream-filter -c 'sub(s, \"^(a|b)*\$\", \"y\") == \"y\"'"
}

@test "robust: a match past the engine's limits is a bad record, never a silent no-match" {
	printf 's\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\naab\nb\n' > "$BATS_TEST_TMPDIR/a.csv"
	f="$BATS_TEST_TMPDIR/a.csv"
	check 1 $'s\nb\n' "stream-filter: $f:2: regex: match limit exceeded
stream-filter: 1 bad record skipped" -- stream-filter 's =~ "^(a+)+$" || s == "b"' "$f"
	check 1 $'s\nb\n' "stream-filter: $f:2: regex: match limit exceeded
stream-filter: 1 bad record skipped" -- stream-filter -v 's !~ "^(a+)+$" && s != "b"' "$f"
	check 1 $'s,x\naab,aab\nb,b\n' "stream-map: $f:2: regex: match limit exceeded
stream-map: 1 bad record skipped" -- stream-map 'x = sub(s, "^(a+)+$", "y")' "$f"
	check 1 $'s,x\naab,aab\nb,b\n' "stream-map: $f:2: regex: match limit exceeded
stream-map: 1 bad record skipped" -- stream-map 'x = gsub(s, "^(a+)+$", "y")' "$f"
	check 1 $'s,m,x\naab,,false\nb,,false\n' "stream-map: $f:2: regex: match limit exceeded
stream-map: 1 bad record skipped" -- stream-map 'x = extract(s, "^(?<m>(a+)+)$")' "$f"
	check 1 $'count,n\n2,0\n' "stream-agg: $f:2: s =~ \"^(a+)+\$\": regex: match limit exceeded
stream-agg: 1 bad record skipped" -- stream-agg 'count, count_if(s =~ "^(a+)+$") as n' "$f"
	check 1 '' "stream-filter: $f:2: regex: match limit exceeded" -- stream-filter --on-error fail 's =~ "^(a+)+$"' "$f"
	check 0 $'s\n' '' -- stream-filter --on-error skip 's =~ "^(a+)+$"' "$f"
}

@test "robust: a regex too deep even for the interpreter's heap is a bad record" {
	{ echo s; head -c 10000000 /dev/zero | tr '\0' a; echo; echo ab; } > "$BATS_TEST_TMPDIR/big.csv"
	f="$BATS_TEST_TMPDIR/big.csv"
	check 1 $'1\n' "stream-filter: $f:2: regex: heap limit exceeded
stream-filter: 1 bad record skipped" -- stream-filter -c 's =~ "^(a|b)*$"' "$f"
}

@test "robust: a replacement naming a missing group is a bad record, not an empty value" {
	check 1 $'s,x\n' 'stream-map: stdin:2: regex: unknown substring
stream-map: 1 bad record skipped' -- sh -c "printf 's\nab\n' | stream-map 'x = sub(s, \"a\", \"\$9\")'"
}

# --- big and repetitive headers ------------------------------------------------

@test "robust: repeated and empty header names get the same suffixes, in csv and tsv" {
	check 0 '{"a":1,"a_2":2,"3":3,"a_2_2":4,"a_3":5,"b":6,"b_2":7,"8":8,"3_2":9}
' '' -- sh -c "printf 'a,a,,a_2,a,b,b,,3\n1,2,3,4,5,6,7,8,9\n' | stream-map -o jsonl"
	check 0 '{"a":1,"a_2":2,"3":3,"a_2_2":4,"a_3":5}
' '' -- sh -c "printf 'a\ta\t\ta_2\ta\n1\t2\t3\t4\t5\n' | stream-map -o jsonl"
}

@test "robust: a header of 8,000 copies of one name, and one of 400k names" {
	{ printf 'a'; printf '%.0s,a' $(seq 7999); echo; printf '1'; printf '%.0s,1' $(seq 7999); echo; } > "$BATS_TEST_TMPDIR/rep.csv"
	check 0 $'a_7999,a_8000,a\n1,1,1\n' '' -- stream-map -s a_7999,a_8000,a "$BATS_TEST_TMPDIR/rep.csv"
	seq 400000 | sed 's/^/c/' | paste -sd, > "$BATS_TEST_TMPDIR/wide.csv"
	seq 400000 | paste -sd, >> "$BATS_TEST_TMPDIR/wide.csv"
	check 0 $'c400000,c1\n400000,1\n' '' -- stream-map -s c400000,c1 "$BATS_TEST_TMPDIR/wide.csv"
}

# --- stream-map: PROGRAM or FILE -----------------------------------------------

@test "robust: stream-map's first operand is a program that compiles even when a file of that name exists" {
	cd "$BATS_TEST_TMPDIR"
	printf 'a,b\n1,2\n' > 'x=a+b'
	printf 'a,b\n3,4\n' > data.csv
	printf 'a\n5\n' > 'del a'
	check 0 $'a,b,x\n3,4,7\n' '' -- stream-map 'x=a+b' data.csv
	check 0 $'b\n4\n' '' -- stream-map 'del a' data.csv
	check 0 $'a,b,x\n3,4,7\n' '' -- sh -c "stream-map 'x=a+b' < data.csv"
	# A file of that name is read with -e, or by another name for it.
	check 0 $'a,b\n1,2\n' '' -- stream-map ./x=a+b
	check 0 $'a,b,y\n1,2,1\n' '' -- stream-map -e 'y = 1' 'x=a+b'
	# An operand that is no program is a file; one that looks like a
	# program and is not a file is a program with its error.
	check 0 $'a,b\n3,4\n' '' -- stream-map data.csv
	check 1 '' 'stream-map: nosuch.csv: No such file or directory' -- stream-map nosuch.csv
	check 2 '' 'stream-map: 1:5: syntax error: expected a value, not end of input
  x = 
      ^' -- stream-map 'x = ' data.csv
	# A file whose name parses but does nothing ("a b": two bare names)
	# stays a file.
	printf 'a\n6\n' > 'a b'
	check 0 $'a\n6\n' '' -- stream-map 'a b'
}

# --- --merge state found by the state harness ------------------------------------

@test "robust: --merge of counts near 2^63 stays at INT64_MAX, a state that reads back" {
	s=B2NvdW50KCmAgICAgICAgEA=   # count() with n = 2^62
	check 0 $'count\n9223372036854775807\n' '' -- sh -c "printf 'count\n$s\n$s\n$s\n' | stream-agg --merge count"
}
