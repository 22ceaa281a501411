#!/usr/bin/env python3
"""stream-window --state against one run: the seeded random streams and
options of check.py (every window kind, --offset, --max-delay,
--update-late, --late, --emit, --sort, --top, --time-out, late and
out-of-range records; in three cases of ten other aggregates: share,
distinct, sketches), the input file written in K steps cut at random
record boundaries (now and then in the middle of a line, which a run
leaves for the next), stream-window --state after each step and a last
run with --drain. The rows of all runs, one after the other, must be
one run's rows over the whole file, byte for byte and in the same order
(a window fires in the run whose records close it, in the order one run
fires it; --drain fires the rest as one run's end of input does); each
run's output starts with the header; the rejects of all runs, one after
the other, are one run's; the exit status is 1 if any run's is, as one
run's is.

    state.py [-n CASES] [-s SEED] [--bin DIR] [-v]

Prints each disagreement with a directory that reproduces it (the input,
the steps' files, the command), then "N cases, M disagree"; exits 1 if
any disagree.
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check import gen_case, shell_quote  # noqa: E402


def run(tool, args):
    try:
        p = subprocess.run([tool] + args, capture_output=True, timeout=20)
    except subprocess.TimeoutExpired:
        return -1, b"", b"hangs: killed after 20 s"
    return p.returncode, p.stdout, p.stderr


def cuts(rng, text, k):
    """k - 1 cut points in text: at line ends, or (one in five) anywhere."""
    ends = [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    pts = []
    for _ in range(k - 1):
        if rng.random() < 0.2:
            pts.append(rng.randint(0, len(text)))
        else:
            pts.append(rng.choice([0] + ends))
    return sorted(pts) + [len(text)]


# Aggregates check.py's model does not have: their states must carry
# over too (share's totals over the keys of a window, sets, sketches).
MORE = ["share(v)", "distinct(w)", "approx_distinct(w)", "top(w, 2)",
        "var(v)", "p99(v)", "first(w)", "last(w)", "count"]


def colname(a):
    f, _, rest = a.partition("(")
    return f if not rest else "%s_%s" % (f, rest.split(",")[0].rstrip(")"))


def one_case(tool, rng, d):
    c, args, text, records, header, lines = gen_case(rng)
    if "--sort" not in args and rng.random() < 0.3:
        aggs = rng.sample(MORE, rng.randint(2, 5))
        header = header[:len(header) - len(c["aggs"])] + [colname(a) for a in aggs]
        args = args[:-1] + [", ".join(aggs)]
    hdr = (",".join(header) + "\n").encode()
    whole = os.path.join(d, "whole.csv")
    with open(whole, "w") as f:
        f.write(text)
    st1, want, err1 = run(tool, args + ["--rejects", os.path.join(d, "rej1"),
                                        whole])
    with open(os.path.join(d, "rej1"), "rb") as f:
        want_rej = f.read()
    log = os.path.join(d, "app.csv")
    state = os.path.join(d, "st")
    open(log, "w").close()
    k = rng.randint(2, 6)
    got, got_rej, worst, problems = b"", b"", 0, []
    done = 0
    for i, cut in enumerate(cuts(rng, text, k)):
        with open(log, "a") as f:
            f.write(text[done:cut])
        done = cut
        last = i == k - 1
        rj = os.path.join(d, "rej.%d" % i)
        st, out, err = run(tool, args + ["--state", state, "--rejects", rj] +
                           (["--drain"] if last else []) + [log])
        with open(rj, "rb") as f:
            got_rej += f.read()
        worst = max(worst, st)
        if st not in (0, 1):
            problems.append("run %d: exit %d: %s" % (i, st, err.decode()))
        if out:
            if not out.startswith(hdr):
                problems.append("run %d: no header: %r" % (i, out[:80]))
            got += out[len(hdr):]
    if want.startswith(hdr):
        want = want[len(hdr):]
    if got != want:
        problems.append("rows differ:\n--- one run\n%s--- runs\n%s" %
                        (want.decode(), got.decode()))
    if got_rej != want_rej:
        problems.append("rejects differ: %r, one run %r" % (got_rej, want_rej))
    if worst != st1:
        problems.append("exit status %d, one run %d: %s" % (worst, st1,
                                                             err1.decode()))
    return args, k, problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=300)
    ap.add_argument("-s", "--seed", type=int, default=1)
    ap.add_argument("--bin", default=os.environ.get("BIN", "bin"))
    ap.add_argument("-v", action="store_true")
    o = ap.parse_args()
    tool = os.path.join(o.bin, "stream-window")
    bad = 0
    for case in range(o.n):
        rng = random.Random(o.seed * 1000003 + case)
        d = tempfile.mkdtemp(prefix="winstate.")
        args, k, problems = one_case(tool, rng, d)
        if problems:
            bad += 1
            print("case %d (seed %d, %d runs) disagrees: %s; stream-window %s"
                  % (case, o.seed, k, d, " ".join(shell_quote(a) for a in args)))
            for p in problems:
                print("  " + p if o.v else "  " + p[:400])
        else:
            shutil.rmtree(d)
            if o.v:
                print("case %d ok" % case)
    print("%d cases, %d disagree" % (o.n, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
