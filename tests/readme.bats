#!/usr/bin/env bats
# The README's tour: every command, run in the bundled data directory,
# gives exactly the output printed under it.

load helpers

TOP="$BATS_TEST_DIRNAME/.."

# tour DIR CMD: CMD run by bash in DIR, stderr among stdout as the README
# shows them (as on a terminal).
tour() (
	cd "$1" && COLUMNS=72 bash -c "$2" 2>&1
)

@test "readme: the tour's commands give the outputs shown" {
	data="$TOP/../shared/data"
	[ -f "$data/access/apache_combined_10k.log" ] || skip "no bundled data in $data"
	# Each example: "    $ cmd" (with "\" continuation lines), then its
	# output up to the next blank line; \036 ends one, \037 parts it.
	awk '/^## A tour on the bundled data/ { on = 1; next } on && /^## / { exit }
		!on { next }
		/^    \$ cd / { next }
		/^    \$ / { cmd = substr($0, 7); incmd = 1; out = ""; if (cmd !~ /\\$/) incmd = 0; next }
		incmd { cmd = cmd "\n" substr($0, 5); if ($0 !~ /\\$/) incmd = 0; next }
		cmd != "" && /^    / { out = out substr($0, 5) "\n"; next }
		cmd != "" { printf "%s\037%s\036", cmd, out; cmd = "" }' "$TOP/README.md" > "$BATS_TEST_TMPDIR/ex"
	n=0
	while IFS=$'\037' read -r -d $'\036' cmd want; do
		# a tool that skipped a bad record exits 1 (--on-error warn)
		st=0
		case $want in *" bad record skipped"$'\n'* | *" bad records skipped"$'\n'*) st=1 ;; esac
		check "$st" "$want" '' -- tour "$data" "$cmd" || { printf 'command: %s\n' "$cmd"; false; }
		n=$((n + 1))
	done < "$BATS_TEST_TMPDIR/ex"
	[ "$n" -ge 8 ]
}
