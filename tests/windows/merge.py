#!/usr/bin/env python3
"""stream-window --partial/--merge against one run: seeded random inputs
with no late record (times never go back), split into 2 to 4 parts, as
contiguous chunks or by key; each part through --partial, every part
through one --merge; the result must be one run's over the whole input,
byte for byte but for numbers, which may differ by 1e-9 (sums of
fractions added in another order).

    merge.py [-n CASES] [-s SEED] [--bin DIR] [-v]

Prints each disagreement with the files that reproduce it, then
"N cases, M disagree"; exits 1 if any disagree.
"""

import argparse
import csv
import io
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check import same_field  # noqa: E402  (one rule for numbers)

NS = 10**9
AGGS = ["count", "sum(v)", "mean(v)", "min(v)", "max(v)", "first(w)",
        "last(w)", "p99(v)", "distinct(w)", "share(v)"]


def dur(ns):
    for unit, per in (("s", NS), ("ms", 10**6), ("us", 1000)):
        if ns % per == 0:
            return "%d%s" % (ns // per, unit)
    return "%dns" % ns


def gen_case(rng):
    kind = rng.choice(["tumbling", "sliding", "session"])
    base = rng.choice([10**6, NS, NS, 60 * NS])
    if kind == "tumbling":
        win = ["--tumbling", dur(base * rng.randint(1, 6))]
        if rng.random() < 0.4:
            win += ["--offset", dur(base * rng.randint(-3, 3) or base // 2)]
    elif kind == "sliding":
        size = base * rng.randint(1, 8)
        slide = base * rng.randint(1, size // base)
        win = ["--sliding", dur(size) + "," + dur(slide)]
        if rng.random() < 0.4:
            win += ["--offset", dur(rng.randint(1, 5 * base))]
    else:
        win = ["--session", dur(base * rng.randint(1, 5))]
    nkeys = rng.choice([0, 1, 1, 2])
    kcols = ["k", "j"][:nkeys]
    aggs = rng.sample(AGGS, rng.randint(2, len(AGGS)))
    n = rng.randint(1, 60)
    t = rng.choice([0, -50 * base, 1700000000 * NS // base * base])
    iso = rng.random() < 0.2 and base >= NS
    rows = []
    for i in range(n):
        if rng.random() < 0.1:
            t += rng.randint(3, 40) * base
        else:
            t += rng.randint(0, 3) * base // 2
        key = [rng.choice(["a", "b", "ab", "c", ""]) for _ in kcols]
        v = rng.choice(["", str(rng.randint(-50, 50)),
                        "%d.%d" % (rng.randint(-9, 9), rng.randint(0, 99))])
        w = rng.choice(["", "w%d" % i, "x", "y"])
        q, r = divmod(abs(t), NS)
        ts = ("-" if t < 0 else "") + ("%d.%09d" % (q, r) if r else str(q))
        if iso:
            import datetime
            ts = (datetime.datetime(1970, 1, 1) +
                  datetime.timedelta(seconds=t // NS)).strftime("%Y-%m-%dT%H:%M:%SZ")
        rows.append([ts] + key + [v, w])
    args = ["-t", "ts"] + win + (["-g", ",".join(kcols)] if kcols else []) + \
        [", ".join(aggs)]
    return args, ["ts"] + kcols + ["v", "w"], rows, nkeys


def split(rng, rows, nkeys):
    nparts = rng.randint(2, 4)
    if nkeys and rng.random() < 0.5:
        owner = {}
        parts = [[] for _ in range(nparts)]
        for r in rows:
            k = tuple(r[1:1 + nkeys])
            owner.setdefault(k, rng.randrange(nparts))
            parts[owner[k]].append(r)
        return "by key", parts
    cuts = sorted(rng.randint(0, len(rows)) for _ in range(nparts - 1))
    edges = [0] + cuts + [len(rows)]
    return "chunks", [rows[a:b] for a, b in zip(edges, edges[1:])]


def csv_text(header, rows):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header] + rows)
    return out.getvalue()


def same(got, want):
    g = list(csv.reader(io.StringIO(got)))
    w = list(csv.reader(io.StringIO(want)))
    return len(g) == len(w) and all(
        len(a) == len(b) and all(same_field(x, y) for x, y in zip(a, b))
        for a, b in zip(g, w))


def run(tool, args, text=None):
    p = subprocess.run([tool] + args, input=text, capture_output=True,
                       text=True, timeout=20)
    return p.returncode, p.stdout, p.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=100)
    ap.add_argument("-s", type=int, default=1)
    ap.add_argument("--bin", default="bin")
    ap.add_argument("-v", action="store_true")
    o = ap.parse_args()
    tool = os.path.join(o.bin, "stream-window")
    rng = random.Random(o.s)
    bad = 0
    for case in range(o.n):
        args, header, rows, nkeys = gen_case(rng)
        how, parts = split(rng, rows, nkeys)
        d = tempfile.mkdtemp(prefix="winmerge.")
        whole = csv_text(header, rows)
        with open(os.path.join(d, "input.csv"), "w") as f:
            f.write(whole)
        st1, want, err1 = run(tool, args, whole)
        files = []
        ok = st1 == 0 and not err1
        for i, p in enumerate(parts):
            fn = os.path.join(d, "part%d.csv" % i)
            with open(fn, "w") as f:
                f.write(csv_text(header, p))
            st, out, err = run(tool, args + ["--partial", fn])
            ok = ok and st == 0 and not err
            with open(fn + ".st", "w") as f:
                f.write(out)
            files.append(fn + ".st")
        st2, got, err2 = run(tool, args + ["--merge"] + files)
        if not (ok and st2 == 0 and not err2 and same(got, want)):
            bad += 1
            print("case %d (%s, %d parts) disagrees: %s; stream-window %s"
                  % (case, how, len(parts), d,
                     " ".join("'%s'" % a for a in args)))
            if o.v:
                print("one run:\n%s%s--merge:\n%s%s" % (want, err1, got, err2))
        else:
            for fn in os.listdir(d):
                os.unlink(os.path.join(d, fn))
            os.rmdir(d)
    print("%d cases, %d disagree" % (o.n, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
