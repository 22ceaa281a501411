# Shared by every tests/*.bats file: the tools under test, and check, the
# runner every test goes through (tests/style.bats keeps it so).

: "${BIN:=$BATS_TEST_DIRNAME/../bin}"
export PATH="$BIN:$PATH"
DATA="$BATS_TEST_DIRNAME/data"

# check STATUS EXPECTED_STDOUT EXPECTED_STDERR -- CMD...: exact outputs,
# with a hexdump of both sides on a mismatch.
check() {
	local want_status=$1 want_out=$2 want_err=$3
	shift 4
	# dot names: tests keep their own files named out and err here
	local outf="$BATS_TEST_TMPDIR/.check.out" errf="$BATS_TEST_TMPDIR/.check.err"
	local st=0
	"$@" >"$outf" 2>"$errf" || st=$?
	local got_out got_err
	got_out=$(cat "$outf"; printf x)
	got_out=${got_out%x}
	got_err=$(cat "$errf")
	if [ "$got_out" != "$want_out" ]; then
		echo "stdout differs; want:"; printf '%s' "$want_out" | od -c | head -40
		echo "got:"; printf '%s' "$got_out" | od -c | head -40
		return 1
	fi
	if [ "$got_err" != "$want_err" ]; then
		printf 'stderr differs; want:\n%s\ngot:\n%s\n' "$want_err" "$got_err"
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
# Bytes after a NUL are not kept: compare such output through od.
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
