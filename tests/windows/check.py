#!/usr/bin/env python3
"""Differential test of stream-window against the reference model in
model.py: seeded random streams and options, every window kind, compared
row by row (window times and text exactly, numbers to 1e-9), with the
late records (--rejects) and the exit status. For --emit update it also
checks that the changelog reduces to the --emit close result.

    check.py [-n CASES] [-s SEED] [--bin DIR] [-v]

Prints each disagreement with a command that reproduces it, then
"N cases, M disagree"; exits 1 if any disagree.
"""

import argparse
import csv
import difflib
import io
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import model  # noqa: E402

NS = model.NS
MS = 10**6


def dur(ns):
    """A duration as stream-window reads it."""
    sign = "-" if ns < 0 else ""
    a = abs(ns)
    for unit, per in (("s", NS), ("ms", MS), ("us", 1000)):
        if a % per == 0:
            return "%s%d%s" % (sign, a // per, unit)
    return "%s%dns" % (sign, a)


def gen_case(rng):
    kind = rng.choice(["tumbling", "sliding", "session", "count"])
    base = rng.choice([MS, 10 * MS, 100 * MS, 250 * MS, NS, NS, NS, 60 * NS])
    c = {"kind": kind, "offset": 0, "max_delay": 0, "update_late": 0,
         "emit": rng.choice(["close", "close", "update"]), "size": 0,
         "slide": 0, "gap": 0, "count": 0, "cslide": 0}
    args = []
    if kind == "tumbling":
        c["size"] = c["slide"] = base * rng.randint(1, 6)
        args += ["--tumbling", dur(c["size"])]
    elif kind == "sliding":
        c["size"] = base * rng.randint(1, 8)
        c["slide"] = rng.randint(1, c["size"] // base) * base
        if rng.random() < 0.2:
            c["slide"] = rng.randint(1, c["size"])
        args += ["--sliding", dur(c["size"]) + "," + dur(c["slide"])]
    elif kind == "session":
        c["gap"] = base * rng.randint(1, 5)
        args += ["--session", dur(c["gap"])]
    else:
        c["count"] = rng.randint(1, 6)
        c["cslide"] = rng.randint(1, c["count"])
        spec = str(c["count"])
        if c["cslide"] != c["count"] or rng.random() < 0.3:
            spec += "," + str(c["cslide"])
        args += ["--count", spec]
    if kind in ("tumbling", "sliding") and rng.random() < 0.4:
        c["offset"] = rng.choice([base // 2, -base, base * rng.randint(-3, 3),
                                  rng.randint(-5 * base, 5 * base)])
        args += ["--offset", dur(c["offset"])]
    if kind != "count":
        if rng.random() < 0.5:
            c["max_delay"] = base * rng.randint(0, 6)
            args += ["--max-delay", dur(c["max_delay"])]
        if rng.random() < 0.4:
            c["update_late"] = base * rng.randint(0, 6)
            args += ["--update-late", dur(c["update_late"])]
        if rng.random() < 0.2:
            args += ["--late", "drop"]
    args += ["--emit", c["emit"]]

    # the stream
    n = rng.choice([0, 1, 2, 3, 5, 8, 12, 20, 30, 40])
    step = rng.choice([base // 4 or 1, base // 2 or 1, base, base, 3 * base // 2])
    t0 = rng.choice([0, 0, -50 * base, rng.randint(-100, 100) * base,
                     1700000000 * NS // base * base])
    if rng.random() < 0.05:  # at an end of the time range
        t0 = rng.choice([model.I64_MAX - rng.randint(0, 40) * base,
                         model.I64_MIN + rng.randint(0, 10) * base])
    pattern = rng.choice(["in-order", "jitter", "duplicates", "boundaries",
                          "gaps", "random"])
    times = []
    t = t0
    for _ in range(n):
        if pattern == "duplicates" and times and rng.random() < 0.5:
            t = times[-1]
        elif pattern == "boundaries":
            w = c["slide"] or c["gap"] or base
            t = t0 + rng.randint(-2, 12) * w + c["offset"] + rng.choice([0, 0, -1, 1])
        elif pattern == "gaps" and rng.random() < 0.3:
            t += rng.randint(5, 200) * base
        elif pattern == "random":
            t = t0 + rng.randint(-10 * base, 20 * base)
        else:
            t += rng.randint(0, 2) * step
        times.append(t)
    if pattern == "jitter":
        times = [x + rng.randint(-3, 3) * step for x in times]
    times = [min(max(x, model.I64_MIN), model.I64_MAX) for x in times]
    key_style = rng.choice(["none", "few", "few", "once", "two"])
    keys = []
    for i in range(n):
        if key_style == "few":
            keys.append((rng.choice(["a", "b", "ab", "c"]),))
        elif key_style == "once":
            keys.append(("k%d" % i,))
        elif key_style == "two":
            keys.append((rng.choice(["a", "b"]), rng.choice(["x", "", "y"])))
        else:
            keys.append(())
    iso = rng.random() < 0.1 and all(-10**9 * NS <= x <= 10**9 * NS for x in times)
    fmt_in = (lambda x: model.fmt_iso(x)) if iso else (lambda x: model.fmt_epoch(x, NS))
    tout = rng.choice([None, None, None, "epoch", "epoch_ms", "iso"])
    if tout:
        args += ["--time-out", tout]
    fmt_out = {None: fmt_in, "epoch": lambda x: model.fmt_epoch(x, NS),
               "epoch_ms": lambda x: model.fmt_epoch(x, MS),
               "iso": model.fmt_iso}[tout]
    c["fmt"] = fmt_out

    pool = [("count", None), ("sum", "v"), ("min", "v"), ("max", "v"),
            ("first", "w"), ("last", "w"), ("mean", "v"), ("p50", "v"),
            ("p90", "v")]
    aggs = rng.sample(pool, rng.randint(1, 5))
    c["aggs"] = aggs
    agg_src = ", ".join(f if a is None else "%s(%s)" % (f, a) for f, a in aggs)

    kcols = {0: [], 1: ["k"], 2: ["k", "j"]}[len(keys[0]) if keys else 0]
    if kcols:
        args += ["-g", ",".join(kcols)]
    lines = ["ts," + ",".join(kcols + ["v", "w"]) if kcols else "ts,v,w"]
    records = []
    for i in range(n):
        v = rng.choice(["", str(rng.randint(-50, 50)),
                        "%d.%d" % (rng.randint(-9, 9), rng.randint(0, 99)),
                        str(rng.randint(0, 3))])
        w = rng.choice(["", "w%d" % i, "w%d" % i, "x"])
        vals = {"v": v, "w": w}
        line = ",".join([fmt_in(times[i])] + list(keys[i]) + [v, w])
        lines.append(line)
        records.append((i + 2, times[i], keys[i], vals))
    text = "\n".join(lines) + "\n"
    header = ["window_start", "window_end"] + kcols + [
        f if a is None else "%s_%s" % (f, a) for f, a in aggs]
    if c["emit"] == "close" and rng.random() < 0.25:
        names = header[2:]
        if rng.random() < 0.8:
            col = rng.randrange(len(names))
            c["sort"], c["desc"] = 2 + col, rng.random() < 0.5
            args += ["--sort", ("-" if c["desc"] else "") + names[col]]
        if rng.random() < 0.6:
            c["top"] = rng.randint(1, 3)
            args += ["--top", str(c["top"])]
    args = ["-t", "ts"] + args + [agg_src]
    return c, args, text, records, header, lines


def same_field(a, b):
    if a == b:
        return True
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    return abs(x - y) <= 1e-9 * max(1.0, abs(x), abs(y))


def same_rows(got, want):
    return len(got) == len(want) and all(
        len(g) == len(w) and all(same_field(x, y) for x, y in zip(g, w))
        for g, w in zip(got, want))


def run_tool(binp, args, text, rejects):
    try:
        p = subprocess.run([os.path.join(binp, "stream-window")] + args +
                           ["--rejects", rejects],
                           input=text.encode(), capture_output=True, timeout=20)
    except subprocess.TimeoutExpired:
        return -1, [], "", "hangs: killed after 20 s"
    rows = list(csv.reader(io.StringIO(p.stdout.decode())))
    with open(rejects, "rb") as f:
        rej = f.read().decode()
    return p.returncode, rows, rej, p.stderr.decode()


def reduce_log(rows, naggs):
    """A changelog reduced: the last row per window and key; a row whose
    aggregates are all empty retracts its window."""
    out = {}
    for r in rows:
        k = tuple(r[:len(r) - naggs])
        if all(x == "" for x in r[len(r) - naggs:]):
            out.pop(k, None)
        else:
            out.pop(k, None)
            out[k] = r
    return sorted(out.values())


def shell_quote(s):
    return "'" + s.replace("'", "'\\''") + "'"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=300)
    ap.add_argument("-s", "--seed", type=int, default=1)
    ap.add_argument("--bin", default=os.environ.get("BIN", "bin"))
    ap.add_argument("-v", action="store_true")
    o = ap.parse_args()
    bad = 0
    tmp = tempfile.mkdtemp()
    rejects = os.path.join(tmp, "rejects")
    for case in range(o.n):
        rng = random.Random(o.seed * 1000003 + case)
        c, args, text, records, header, lines = gen_case(rng)
        rows, late, badrec = model.Model(c).run(records)
        drop = "drop" in args
        rejected = sorted(badrec + ([] if drop else late))
        want_rej = "".join(lines[i - 1] + "\n" for i in rejected)
        want_st = 1 if want_rej else 0
        st, got, rej, err = run_tool(o.bin, args, text, rejects)
        problems = []
        if not rows and not got:
            pass  # the header comes with the first row (as in Miller)
        elif not got or got[0] != header:
            problems.append("header %r, want %r" % (got[:1], header))
        elif not same_rows(got[1:], rows):
            diff = difflib.unified_diff([",".join(r) for r in rows],
                                        [",".join(r) for r in got[1:]],
                                        "model", "tool", lineterm="", n=2)
            problems.append("rows differ:\n    " + "\n    ".join(diff))
        if rej != want_rej:
            problems.append("late records differ: got %r, want %r" % (rej, want_rej))
        if st != want_st:
            problems.append("exit status %d, want %d: %s" % (st, want_st, err))
        # the changelog reduces to the --emit close result
        if c["emit"] == "update" and not problems and ("count", None) in c["aggs"]:
            dup_count = c["kind"] == "count" and len(
                {(r[2], r[1]) for r in records}) != len(records)
            if not dup_count and not (c["kind"] == "session" and c["update_late"]):
                cargs = [a if a != "update" else "close" for a in args]
                _, closed, _, _ = run_tool(o.bin, cargs, text, rejects)
                naggs = len(c["aggs"])
                if reduce_log(got[1:], naggs) != reduce_log(closed[1:], naggs):
                    problems.append("changelog does not reduce to --emit close:\n"
                                    "  update %s\n  close  %s" % (got[1:], closed[1:]))
        if problems:
            bad += 1
            print("case %d (seed %d): printf %s | stream-window %s" % (
                case, o.seed, shell_quote(text.replace("\n", "\\n")),
                " ".join(shell_quote(a) for a in args)))
            for p in problems:
                print("  " + p)
        elif o.v:
            print("case %d ok" % case)
    print("%d cases, %d disagree" % (o.n, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
