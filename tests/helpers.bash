# Shared by every tests/*.bats file: the tools under test, and check, the
# runner every test goes through (tests/style.bats keeps it so).

: "${BIN:=$BATS_TEST_DIRNAME/../bin}"
export PATH="$BIN:$PATH"
DATA="$BATS_TEST_DIRNAME/data"

# check STATUS EXPECTED_STDOUT EXPECTED_STDERR -- CMD...: runs CMD (a
# command or a function of the test) and fails unless its exit status,
# stdout and stderr are these. Stdout is compared byte for byte (a NUL
# byte in it is a difference, though a shell string cannot hold one);
# stderr without its trailing newlines, as "$(...)" gives it. On a
# mismatch: od of both stdouts from a little before the first byte that
# differs, or the lines of stderr that differ.
check() {
	local want_status=$1 want_out=$2 want_err=$3
	shift 4
	# dot names: tests keep their own files named out and err here
	local outf="$BATS_TEST_TMPDIR/.check.out" errf="$BATS_TEST_TMPDIR/.check.err"
	local wantf="$BATS_TEST_TMPDIR/.check.want"
	local st=0
	"$@" >"$outf" 2>"$errf" || st=$?
	printf '%s' "$want_out" >"$wantf"
	if ! cmp -s "$wantf" "$outf"; then
		local at from
		at=$(cmp "$wantf" "$outf" 2>&1 | sed -n 's/.* byte \([0-9]*\).*/\1/p')
		from=$(( ${at:-0} > 64 ? (${at:-0} - 64) / 16 * 16 : 0 ))
		echo "stdout differs at byte ${at:-?}; want (from byte $from):"
		od -A d -c -j "$from" -N 256 "$wantf"
		echo "got:"
		od -A d -c -j "$from" -N 256 "$outf"
		return 1
	fi
	local got_err
	got_err=$(cat "$errf")
	if [ "$got_err" != "$want_err" ]; then
		echo "stderr differs (< want, > got):"
		diff <(printf '%s\n' "$want_err") <(printf '%s\n' "$got_err") | cut -c1-300 | head -40
		return 1
	fi
	if [ "$st" != "$want_status" ]; then
		echo "status: want $want_status, got $st"
		return 1
	fi
}

# slurp VAR FILE: sets VAR to FILE's bytes, trailing newlines kept (a
# command substitution drops them), to hand a file's exact text to check:
#   slurp want "$T/want"; check 0 "$want" '' -- stream-x ...
# A NUL byte is dropped (a shell string cannot hold one): compare output
# with NUL bytes through od_c.
slurp() {
	local s
	s=$(cat "$2"; printf x) || return
	printf -v "$1" '%s' "${s%x}"
}

# od_c CMD...: runs CMD with its stdout shown by od -An -c, its stderr and
# exit status kept, for output check cannot hold (a NUL byte):
#   check 0 "$(printf 'x\0y\n' | od -An -c)"$'\n' '' -- od_c stream-x ...
od_c() {
	local st=0
	"$@" >"$BATS_TEST_TMPDIR/.od_c" || st=$?
	od -An -c "$BATS_TEST_TMPDIR/.od_c"
	return $st
}
