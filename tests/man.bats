#!/usr/bin/env bats
# Every option a tool's --help lists is documented in its man page, and every
# tool has a page.

load helpers

MANDIR="$BATS_TEST_DIRNAME/../${BUILD_REL:-build}/man"
[ -n "${BUILD:-}" ] && MANDIR="$BUILD/man"

@test "man: every tool has a man page" {
	for t in "$BIN"/stream-*; do
		name=$(basename "$t")
		[ -f "$MANDIR/$name.1" ] || { echo "no man page for $name"; false; }
	done
}

@test "man: every option in --help is in the man page" {
	for t in "$BIN"/stream-*; do
		name=$(basename "$t")
		page=$(man -l "$MANDIR/$name.1" 2>/dev/null | col -b)
		for opt in $("$t" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
			grep -q -- "$opt" <<<"$page" || { echo "$name: $opt missing from $name.1"; false; }
		done
	done
}
