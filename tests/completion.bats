#!/usr/bin/env bats
# Shell completion (completion/, built into build/completion/): options and
# their values, aggregate and function names, and field names read from
# the header of the FILE operands on the command line.

load helpers

TOP="$BATS_TEST_DIRNAME/.."
COMPDIR="${BUILD:-$TOP/build}/completion"

# comp CWORD WORD...: the bash completions for the word at CWORD, one line.
comp() {
	bash -c 'source "$1"; shift; c=$1; shift
		COMP_WORDS=("$@"); COMP_CWORD=$c; COMPREPLY=()
		_streamkit_bash; [ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
		_ "$COMPDIR/streamkit.bash" "$@"
}

setup() {
	T=$BATS_TEST_TMPDIR
	printf 'host,status,bytes\na,200,10\n' > "$T/h.csv"
	gzip -c "$T/h.csv" > "$T/h.csv.gz"
	printf '{"user":"u","latency_ms":3}\n' > "$T/h.jsonl"
}

@test "completion: bash loads it for every tool" {
	check 0 'complete -F _streamkit_bash stream-filter
complete -F _streamkit_bash stream-map
complete -F _streamkit_bash stream-agg
complete -F _streamkit_bash stream-window
complete -F _streamkit_bash stream-join
complete -F _streamkit_bash stream-partition
' '' -- bash -c "source '$COMPDIR/streamkit.bash' && complete -p stream-filter stream-map stream-agg stream-window stream-join stream-partition"
}

@test "completion: options from the tool's --help" {
	check 0 '--group-by ' '' -- comp 1 stream-agg --gr
	check 0 '--tumbling ' '' -- comp 1 stream-window --tum
	check 0 '--ofmt --on-error --output-format ' '' -- comp 3 stream-map -s a --o
	check 0 '--every ' '' -- comp 1 stream-agg --ev
}

@test "completion: option values: formats, --on-error modes, durations" {
	check 0 'bar csv jsonl lines logfmt markdown table tsv ' '' -- comp 2 stream-agg -o ''
	check 0 'auto clf csv jsonl lines logfmt tsv ' '' -- comp 2 stream-filter -i ''
	check 0 'fail skip warn ' '' -- comp 2 stream-map --on-error ''
	check 0 '10s 15m 1d 1h 1m 1s 250ms 30s 5m ' '' -- comp 2 stream-window --tumbling ''
	check 0 '10s 15m 1d 1h 1m 1s ' '' -- comp 2 stream-agg --interval 1
	check 0 '10s 15m 1d 1h 1m 1s ' '' -- comp 2 stream-map --checkpoint 1
	check 0 '--checkpoint ' '' -- comp 1 stream-map --che
	check 0 "$T/h.csv $T/h.csv.gz " '' -- comp 2 stream-map --state "$T/h.c"
	check 0 'close update ' '' -- comp 2 stream-window --emit ''
	check 0 '' '' -- comp 2 stream-agg --top ''
}

@test "completion: field names from the header of the FILE on the line" {
	check 0 'host ' '' -- comp 2 stream-agg -g ho "$T/h.csv"
	check 0 'bytes host status ' '' -- comp 2 stream-agg -g '' "$T/h.csv"
	check 0 'host,bytes host,status ' '' -- comp 2 stream-agg -g host, "$T/h.csv"
	check 0 'host,status,bytes ' '' -- comp 2 stream-agg -g host,status, "$T/h.csv"
	check 0 'status ' '' -- comp 4 stream-agg count "$T/h.csv" -g st
	check 0 '-bytes -host -status ' '' -- comp 2 stream-agg --sort - "$T/h.csv"
	# compressed, JSON Lines, and CLF with its -i
	check 0 'host ' '' -- comp 2 stream-map -s h "$T/h.csv.gz"
	check 0 'latency_ms ' '' -- comp 2 stream-window -t l "$T/h.jsonl"
	check 0 'host ' '' -- comp 4 stream-agg -i clf -g ho "$DATA/access_sample.log"
	# no file yet: nothing to offer
	check 0 '' '' -- comp 2 stream-agg -g ho
}

@test "completion: the first operand: aggregates, or functions and fields" {
	check 0 'count count_if ' '' -- comp 3 stream-agg -g host cou
	check 0 'p50 p90 p95 p99 pstddev pvar ' '' -- comp 1 stream-window p
	check 0 'split_part sqrt startswith status strftime strptime sub substr ' '' -- comp 1 stream-filter s "$T/h.csv"
	# after the expression: files
	check 0 "$T/h.csv $T/h.csv.gz " '' -- comp 2 stream-filter true "$T/h.c"
}

@test "completion: stream-partition: its options, then COMMAND and its own words" {
	check 0 '--copies ' '' -- comp 1 stream-partition --cop
	check 0 'csv jsonl lines logfmt tsv ' '' -- comp 2 stream-partition -o ''
	check 0 'stream-agg ' '' -- comp 3 stream-partition -k host stream-ag
	check 0 'stream-agg ' '' -- comp 4 stream-partition -n 2 -- stream-ag
	check 0 '' '' -- comp 2 stream-partition -n ''
	# COMMAND's options are its own: stream-agg's --every, not offered as ours
	check 0 '--every ' '' -- comp 4 stream-partition -k host stream-agg --ev
}

@test "completion: stream-join: its options, -k fields, files for -f and the operands" {
	check 0 '--table --table-format ' '' -- comp 1 stream-join --tab
	check 0 'auto clf csv jsonl lines logfmt tsv ' '' -- comp 2 stream-join --table-format ''
	check 0 'host ' '' -- comp 2 stream-join -k ho "$T/h.csv"
	check 0 "$T/h.csv $T/h.csv.gz " '' -- comp 2 stream-join -f "$T/h.c"
	check 0 "$T/h.csv $T/h.csv.gz " '' -- comp 5 stream-join -f "$T/h.csv" -k host "$T/h.c"
}

@test "completion: every function offered is one the language knows" {
	fns=$(sed -n 's/^_streamkit_functions="\(.*\)"$/\1/p' "$COMPDIR/streamkit.bash")
	[ "$(wc -w <<<"$fns")" -ge 30 ]
	for f in $fns; do
		st=0
		stream-filter "$f()" /dev/null >"$T/out" 2>"$T/err" || st=$?
		# a known name runs (now()), gives its arity error, whose text
		# differs from one function to the next, or says it is for
		# stream-map: a pattern of these, where an unknown name would say
		# so (below)
		[ "$st" -eq 0 ] && [ ! -s "$T/out" ] && [ ! -s "$T/err" ] && continue
		[ "$st" -eq 2 ]
		[ ! -s "$T/out" ]
		read -r line <"$T/err"
		case $line in
		"stream-filter: 1:1: $f takes "*" not 0 ($f("*"))") ;;
		"stream-filter: 1:1: $f() is only available in stream-map programs") ;;
		*) echo "$f: $line"; false ;;
		esac
	done
	check 2 '' "stream-filter: 1:1: unknown function 'nosuchfn'
  nosuchfn()
  ^^^^^^^^" -- stream-filter 'nosuchfn()' /dev/null
}

@test "completion: zsh offers the same through bashcompinit" {
	command -v zsh >/dev/null || skip "zsh is not installed (make deps installs it)"
	# Under the sanitizer build, LeakSanitizer's exit-time thread stop
	# never returns in a tool that zsh starts with SIGPIPE ignored (it
	# spins at 100% CPU): the leak check is off for the tools this test
	# runs; every other test keeps it.
	local ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	export ASAN_OPTIONS
	check 0 $'host status bytes\n--group-by\n' '' -- zsh -f -c "autoload -U compinit && compinit -u -d '$T/zcd'
		fpath=('$COMPDIR' \$fpath); autoload -U +X _streamkit; _streamkit 2>/dev/null
		COMP_WORDS=(stream-agg -g '' '$T/h.csv'); COMP_CWORD=2; COMPREPLY=(); _streamkit_bash
		print -r -- \${(j: :)COMPREPLY}
		COMP_WORDS=(stream-agg --gr); COMP_CWORD=1; COMPREPLY=(); _streamkit_bash
		print -r -- \${(M)COMPREPLY:#--gr*}"
}

@test "completion: make install puts the bash and zsh files in place" {
	check 0 '' '' -- make -s -C "$TOP" install DESTDIR="$T/root" PREFIX=/usr BUILD="${BUILD:-build}" BIN="$BIN"
	[ -f "$T/root/usr/share/bash-completion/completions/stream-filter" ]
	# every other tool's completion is a link to it
	for t in "$BIN"/stream-*; do
		t=${t##*/}
		[ "$t" = stream-filter ] ||
			[ "$(readlink "$T/root/usr/share/bash-completion/completions/$t")" = stream-filter ]
	done
	cmp "$COMPDIR/_streamkit" "$T/root/usr/share/zsh/site-functions/_streamkit"
	[ -f "$T/root/usr/share/man/man7/streamkit.7" ]
}
