#!/usr/bin/env bats
# Truth and JSON types: what is false in every truth test, and values that
# keep their JSON type when copied, grouped or aggregated.

load helpers

# Seeded JSON Lines with booleans, nulls, numbers, quoted numbers, empty
# strings and missing fields, one per line, to compare with jq.
gen_typed() {
	python3 - "$1" <<'EOF'
import json, random, sys
rnd = random.Random(int(sys.argv[1]))
vals = [True, False, None, 0, 1, 2.5, "200", "x", "", "false", "true", "0"]
for i in range(300):
    r = {}
    for k in ("a", "b", "s"):
        if rnd.random() < 0.85:
            r[k] = rnd.choice(vals)
    r["i"] = i
    print(json.dumps(r, separators=(",", ":")))
EOF
}

@test "truth: JSON false is false in stream-filter (jq select)" {
	printf '{"ok":true}\n{"ok":false}\n' |
		check 0 $'{"ok":true}\n' '' -- stream-filter ok
	printf '{"ok":true}\n{"ok":false}\n{"ok":null}\n{}\n' |
		check 0 $'{"ok":false}\n{"ok":null}\n{}\n' '' -- stream-filter '!ok'
}

@test "truth: false in every truth test (count_if, if, ?:, filter, !, &&, ||)" {
	in=$'{"ok":true,"n":1}\n{"ok":false,"n":2}\n'
	printf '%s' "$in" | check 0 $'{"count_if_ok":1,"count":2}\n' '' -- stream-agg 'count_if(ok), count'
	printf '%s' "$in" | check 0 $'{"ok":true,"n":1,"a":"y","b":"y","c":false,"d":true,"e":true}\n{"ok":false,"n":2,"a":"n","b":"n","c":true,"d":false,"e":true}\n' '' -- \
		stream-map 'a = if(ok, "y", "n"); b = ok ? "y" : "n"; c = !ok; d = ok && n; e = ok || n'
	printf '%s' "$in" | check 0 $'{"ok":true,"n":1}\n' '' -- stream-map 'filter ok'
	printf '%s' "$in" | check 0 $'{"ok":true,"n":1}\n' '' -- stream-filter 'ok && n'
	printf '%s' "$in" | check 0 $'{"ok":false,"n":2}\n' '' -- stream-filter 'not ok and n'
	printf '%s' "$in" | check 0 $'{"window_start":1,"window_end":2,"count_if_ok":1}\n' '' -- \
		stream-window -t n --count 2 'count_if(ok)'
}

@test "truth: empty, 0 and false are false in every format" {
	printf 'ok\ntrue\nfalse\n0\n0.0\n\nx\n"false"\n' |
		check 0 $'ok\ntrue\nx\n' '' -- stream-filter ok
	printf 'ok\ntrue\nfalse\n0\n\nx\n' |
		check 0 $'ok\ntrue\nx\n' '' -- stream-filter -i tsv ok
	printf 'ok=true\nok=false\nok=0\nok=\nok=x\n' |
		check 0 $'ok=true\nok=x\n' '' -- stream-filter -i logfmt ok
	printf 'true\nfalse\n0\nx\n' |
		check 0 $'true\nx\n' '' -- stream-filter -i lines '$1'
	# JSON strings: the same text rule
	printf '{"ok":"false"}\n{"ok":"0"}\n{"ok":""}\n{"ok":"no"}\n' |
		check 0 $'{"ok":"no"}\n' '' -- stream-filter ok
	# a literal is false only when empty, as in awk
	printf '{"a":1}\n' | check 0 $'{"a":1}\n' '' -- stream-filter '"false"'
	printf '{"a":1}\n' | check 0 $'{"a":1}\n' '' -- stream-filter '"0"'
	printf '{"a":1}\n' | check 0 '' '' -- stream-filter 'false'
	printf '{"a":1}\n' | check 0 '' '' -- stream-filter '""'
}

@test "truth: a boolean written as CSV reads back as the same boolean" {
	in=$'{"x":1}\n{"x":5}\n'
	# pipelines under pipefail: each tool's status and stderr count
	piped() ( set -o pipefail; printf '%s' "$in" | stream-map "$@" 'b = x > 1' | "${next[@]}" )
	next=(stream-filter b)
	check 0 $'{"x":5,"b":true}\n' '' -- piped
	next=(stream-filter -i csv -o jsonl b)
	check 0 $'{"x":5,"b":true}\n' '' -- piped -o csv
	next=(stream-agg -i csv -o jsonl -g b count)
	check 0 $'{"b":false,"count":1}\n{"b":true,"count":1}\n' '' -- piped -o csv
}

@test "truth: stream-filter, count_if and !, && agree with jq on booleans and nulls" {
	gen_typed 7 | jq -c 'select(.a | type == "boolean" or . == null)' > "$BATS_TEST_TMPDIR/in"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/in")" -gt 100 ]
	# jq's truth plus the rule for fields: empty, 0 and the text false
	t='def t: . != null and . != false and . != 0 and . != "" and . != "0" and . != "false";'
	while IFS='@' read -r e j; do
		jq -c "$t select($j)" "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/want"
		slurp want "$BATS_TEST_TMPDIR/want"
		check 0 "$want" '' -- stream-filter "$e" "$BATS_TEST_TMPDIR/in" || { echo "differs for $e"; return 1; }
	done <<'EOF'
a@.a
!a@.a | not
a && s@(.a | t) and (.s | t)
a || b@(.a | t) or (.b | t)
!(a && b) || s@((.a | t) and (.b | t) | not) or (.s | t)
s ? a : b@if (.s | t) then (.a | t) else (.b | t) end
EOF
	want=$(jq -s -c '{count_if_a: map(select(.a)) | length}' "$BATS_TEST_TMPDIR/in")
	check 0 "$want"$'\n' '' -- stream-agg 'count_if(a)' "$BATS_TEST_TMPDIR/in"
}

@test "types: a copied JSON value keeps its type" {
	printf '{"t":true,"s":"200"}\n' |
		check 0 $'{"t":true,"s":"200","h":true,"c":"200"}\n' '' -- stream-map 'h = t; c = s'
	printf '{"n":null,"f":false,"x":2.50,"o":{}}\n' |
		check 0 $'{"n":null,"f":false,"x":2.50,"o":{},"a":null,"b":false,"c":2.50,"d":{}}\n' '' -- \
		stream-map 'a = n; b = f; c = x; d = o'
	# through if, coalesce and ?:, and parts of a string stay strings
	printf '{"t":true,"s":"200","e":""}\n' |
		check 0 $'{"t":true,"s":"200","e":"","a":"200","b":"200","c":true,"d":"20","e2":"200"}\n' '' -- \
		stream-map 'a = if(t, s, 1); b = coalesce(e, s); c = t ? t : s; d = substr(s, 1, 2); e2 = trim(s)'
	# prev() keeps the type of what it saw
	printf '{"s":"200"}\n{"s":"300"}\n' |
		check 0 $'{"s":"200","p":""}\n{"s":"300","p":"200"}\n' '' -- stream-map 'p = prev(s)'
	# text from CSV is a number or a boolean, as it reads
	printf 's,t\n200,true\n' |
		check 0 $'{"s":200,"t":true,"c":200,"h":true}\n' '' -- stream-map -o jsonl 'c = s; h = t'
}

@test "types: copies agree with jq on seeded data" {
	gen_typed 11 > "$BATS_TEST_TMPDIR/in"
	jq -c '.h = (if has("a") then .a else "" end) | .c = (if has("s") then .s else "" end)' "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/want"
	slurp want "$BATS_TEST_TMPDIR/want"
	check 0 "$want" '' -- stream-map 'h = a; c = s' "$BATS_TEST_TMPDIR/in"
}

@test "types: group keys, first and last keep their JSON type" {
	in=$'{"k":true,"s":"200","n":200}\n{"k":false,"s":"200","n":200}\n'
	printf '%s' "$in" |
		check 0 $'{"k":true,"count":1,"first_s":"200","last_n":200}\n{"k":false,"count":1,"first_s":"200","last_n":200}\n' '' -- \
		stream-agg -g k 'count, first(s), last(n)'
	printf '%s' "$in" | check 0 $'{"s":"200","count":2}\n' '' -- stream-agg -g s count
	printf '%s' "$in" | check 0 $'{"n":200,"s":"200","count":2}\n' '' -- stream-agg -g n,s count
	printf '%s' "$in" | check 0 $'{"s":"200","first_k":true,"count":2}\n' '' -- stream-agg -g s --sort count 'first(k), count'
	# a JSON null key
	printf '{"k":null}\n' | check 0 $'{"k":null,"count":1}\n' '' -- stream-agg -g k count
	# through --partial and --merge
	merged() ( set -o pipefail; printf '%s' "$in" | stream-agg -g s --partial 'first(s), last(k)' | stream-agg -g s --merge 'first(s), last(k)' )
	check 0 $'{"s":"200","first_s":"200","last_k":false}\n' '' -- merged
	# and stream-window
	printf '%s' "$in" |
		check 0 $'{"window_start":200,"window_end":200,"s":"200","count":2,"first_s":"200","last_k":false}\n' '' -- \
		stream-window -t n --count 2 -g s 'count, first(s), last(k)'
}

@test "types: group keys and first agree with jq group_by on seeded data" {
	gen_typed 5 | jq -c 'select(.s | type == "string" and . != "")' > "$BATS_TEST_TMPDIR/in"
	jq -s -c 'group_by(.s) | map({s: .[0].s, count: length, first_a: (map(select(.a != null and .a != "")) | if length > 0 then .[0].a else "" end)}) | .[]' "$BATS_TEST_TMPDIR/in" > "$BATS_TEST_TMPDIR/want"
	slurp want "$BATS_TEST_TMPDIR/want"
	check 0 "$want" '' -- stream-agg -g s --sort s 'count, first(a)' "$BATS_TEST_TMPDIR/in"
}

@test "types: the mode of JSON strings is a string, of numbers a number" {
	printf '{"s":"200","n":5}\n{"s":"200","n":5}\n{"s":"300","n":6}\n' |
		check 0 $'{"mode_s":"200","mode_n":5,"p50_s":200}\n' '' -- stream-agg 'mode(s), mode(n), p50(s)'
	printf '{"s":"200"}\n{"s":200}\n' | check 0 $'{"mode_s":200}\n' '' -- stream-agg 'mode(s)'
	merged() ( set -o pipefail; printf '{"s":"200"}\n' | stream-agg --partial 'mode(s)' | stream-agg --merge 'mode(s)' )
	check 0 $'{"mode_s":"200"}\n' '' -- merged
}
