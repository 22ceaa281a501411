#!/usr/bin/env bash
# tests/static.sh (make check-static): the static tools of make static run
# in an empty chroot, with no libc, /dev, /etc or /tmp, and give on the
# bundled log exactly what the dynamic build gives (stdout, stderr, exit
# status). Ends with "N passed, N failed".
set -u
: "${BIN:?}" "${SBIN:?}" "${LOG:?}"
if [ "$(id -u)" != 0 ]; then
	echo "check-static: skipped: chroot(8) needs root"
	exit 0
fi
root=$(mktemp -d)
out=$(mktemp -d)
trap 'rm -rf "$root" "$out"' EXIT
cp "$SBIN"/stream-* "$root"/
cp "$LOG" "$root/access.log"
gzip -c "$LOG" > "$root/access.log.gz"
pass=0 fail=0
ok() { echo "ok $((pass + fail + 1)) $1"; pass=$((pass + 1)); }
notok() { echo "not ok $((pass + fail + 1)) $1"; fail=$((fail + 1)); }

for t in "$SBIN"/stream-*; do
	name=$(basename "$t")
	if readelf -l "$t" | grep -q INTERP || readelf -d "$t" 2>/dev/null | grep -q NEEDED; then
		notok "$name is not static"
	else
		ok "$name has no interpreter and no shared library"
	fi
done

# same NAME TOOL ARGS...: the tool in the chroot and the dynamic one agree.
same() {
	local name=$1 tool=$2
	shift 2
	local st=0 dst=0
	chroot "$root" "/$tool" "$@" > "$out/s.out" 2> "$out/s.err" || st=$?
	(cd "$root" && "$BIN/$tool" "$@") > "$out/d.out" 2> "$out/d.err" || dst=$?
	if [ "$st" != "$dst" ] || ! cmp -s "$out/s.out" "$out/d.out" ||
	   ! cmp -s "$out/s.err" "$out/d.err" || [ ! -s "$out/s.out" ]; then
		notok "$name"
		diff "$out/d.out" "$out/s.out" | head -5
		diff "$out/d.err" "$out/s.err" | head -5
		echo "# status: dynamic $dst, static $st"
	else
		ok "$name"
	fi
}

same "filter: 4xx and 5xx under /blog (PCRE2)" stream-filter -i clf \
	'status >= 400 && path =~ "^/blog/"' access.log
same "map: CLF to JSON Lines" stream-map -i clf -o jsonl -s host,time,status,bytes access.log
same "agg: traffic share, gzip input, table" stream-agg -i clf -g host \
	'sum(bytes) as bytes, share(bytes) as share' --sort -share --top 10 -o table access.log.gz
same "agg: sketches and percentiles" stream-agg -i clf -g status \
	'count, approx_distinct(host), p99(bytes), top(path, 2)' access.log
same "window: requests and 5xx rate per hour" stream-window -i clf -t time --tumbling 1h \
	'count as requests, mean(status >= 500) as rate_5xx' access.log
same "--version names the same libraries" stream-agg --version

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
