#!/usr/bin/env bats
# The man pages and --help against the code's own lists (tests/man_walk.py:
# getopt tables, functions, aggregates, formats, tools), by whole word and
# both ways; mandoc -Tlint; and the recipes of streamkit(7) run as printed.

load helpers

TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
: "${BUILD:=$TOP/build}"
MANDIR="$BUILD/man"

walk() {
	python3 "$BATS_TEST_DIRNAME/man_walk.py" "$TOP" "$BIN" "$BUILD" "$1"
}

@test "man: every getopt option is in its tool's --help and page, and no other" {
	check 0 '' '' -- walk options
}

@test "man: every function is in stream-expr(7), and no other" {
	check 0 '' '' -- walk functions
}

@test "man: every aggregate is in stream-agg(1) and its --help, and no other" {
	check 0 '' '' -- walk aggregates
}

@test "man: the format lists of --help, the pages and the messages are the table's" {
	check 0 '' '' -- walk formats
}

@test "man: every tool has its page and is named in streamkit(7)" {
	check 0 '' '' -- walk tools
}

# lists LINE...: the lines through sk-lists man, its output dropped.
lists() {
	printf '%s\n' "$@" | "$BUILD/sk-lists" man >/dev/null
}

@test "man: sk-lists refuses a note for a format the table lacks, or away from its list" {
	check 1 '' 'sk-lists: a note for a format the table does not have: xml' -- \
		lists '@OUTPUT_FORMATS@' '.\" note xml (XML)'
	check 1 '' 'sk-lists: a note away from its list: .\" note bar (a chart)' -- \
		lists '.TP' '.\" note bar (a chart)'
}

@test "man: every page is mandoc -Tlint clean" {
	command -v mandoc >/dev/null || skip "mandoc is not installed (make deps installs it)"
	n=0
	for m in "$MANDIR"/*.[17]; do
		check 0 '' '' -- mandoc -Tlint "$m"
		n=$((n + 1))
	done
	[ "$n" -ge 6 ]
}

# Each .EX block of streamkit(7), unescaped, continuation lines joined.
recipes() {
	awk '/^\.EX/ { inex = 1; next } /^\.EE/ { inex = 0; print "\036"; next }
		inex { gsub(/\\-/, "-"); gsub(/\\\(aq/, "\047"); gsub(/\\e/, "\\"); print }' \
		"$MANDIR/streamkit.7"
}

@test "man: every recipe in streamkit(7) runs on a sample as printed" {
	command -v parallel >/dev/null || skip "GNU parallel is not installed (make deps installs it)"
	cd "$BATS_TEST_TMPDIR"
	cp "$DATA/access_sample.log" access.log
	# one server error, for the 5xx recipe
	tail -1 access.log | sed 's/" 200 /" 503 /' >> access.log
	gzip -c access.log > access.log.1.gz
	printf '%s\n' \
		'Dec 10 06:55:48 h sshd[1]: Failed password for invalid user x from 10.0.0.1 port 3892 ssh2' \
		'Dec 10 06:55:49 h sshd[1]: Accepted password for y from 10.0.0.2 port 3893 ssh2' \
		'Dec 10 06:55:50 h sshd[2]: Failed password for root from 10.0.0.1 port 3894 ssh2' > auth.log
	recipes | sed -e 's#/var/log/auth.log#auth.log#; s#/var/lib/traffic.state#traffic.state#' \
		-e 's/^\(tail -F\)/# &/' > all
	n=0
	while IFS= read -r -d $'\036' block; do
		cmd=$(printf '%s\n' "$block" | grep -v '^#')
		[ -n "${cmd//[[:space:]]/}" ] || continue
		out=$(bash -o pipefail -c "$cmd" 2>err) || { echo "failed: $cmd"; cat err; false; }
		[ -s err ] && { echo "stderr from: $cmd"; cat err; false; }
		[ -n "$out" ] || { echo "no output: $cmd"; false; }
		n=$((n + 1))
	done < all
	[ "$n" -ge 9 ]
}
