#!/usr/bin/env python3
# stream-partition against what it promises, on seeded random input:
#
#   partition.py BIN csv SEED N COPIES   CSV with quotes, commas, CRLF and
#       newlines inside fields, through "-- cat": the records that come out
#       are the records that went in (Python's csv module reads both), with
#       one header first.
#   partition.py BIN jsonl SEED N COPIES JSON Lines through a copy that
#       tags each line with its STREAMKIT_PART: every key went to one copy,
#       each copy's records of a key are in input order, more than one
#       copy was used, and nothing was lost.
#   partition.py BIN agg SEED N COPIES   stream-agg -g in the copies equals
#       one stream-agg (as a set of rows), header once.
#
# Prints nothing and exits 0 when all holds; else says what differs.
import csv
import io
import json
import os
import random
import subprocess
import sys


def run(argv, data):
    p = subprocess.run(argv, input=data, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    if p.returncode != 0:
        sys.exit("%s: exit %d: %s" % (" ".join(argv), p.returncode,
                                      p.stderr.decode(errors="replace")))
    return p.stdout


def field(rng, cr):
    pick = rng.random()
    if pick < 0.5:
        return str(rng.randint(0, 10 ** rng.randint(1, 6)))
    # a CR the writer does not quote (lines ending in LF) ends a record
    alphabet = "ab ,\"\n;x" + ("\r" if cr else "")
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))


def csv_input(rng, n):
    buf = io.StringIO()
    crlf = rng.random() < 0.5
    w = csv.writer(buf, lineterminator="\r\n" if crlf else "\n")
    w.writerow(["k", "a", "b"])
    rows = []
    for _ in range(n):
        r = ["k%d" % rng.randint(0, 60), field(rng, crlf), field(rng, crlf)]
        rows.append(r)
        w.writerow(r)
    return buf.getvalue().encode(), rows


def check_csv(bin_, seed, n, copies):
    rng = random.Random(seed)
    data, rows = csv_input(rng, n)
    out = run([os.path.join(bin_, "stream-partition"), "-k", "k", "-n",
               str(copies), "--", "cat"], data)
    got = list(csv.reader(io.StringIO(out.decode(), newline="")))
    if not got or got[0] != ["k", "a", "b"]:
        sys.exit("csv: the header is not first: %r" % got[:1])
    if any(r == ["k", "a", "b"] for r in got[1:]):
        sys.exit("csv: a header among the records")
    # cat writes the bytes it was sent: a field's \r\n stays as it is
    if sorted(got[1:]) != sorted(rows):
        sys.exit("csv: %d records in, %d out, or they differ"
                 % (len(rows), len(got) - 1))


def check_jsonl(bin_, seed, n, copies):
    rng = random.Random(seed)
    recs = []
    for i in range(n):
        k = rng.choice([rng.randint(0, 200), "s%d" % rng.randint(0, 50),
                        None, ""])
        recs.append({"k": k, "i": i} if rng.random() < 0.95 else {"i": i})
    data = "".join(json.dumps(r) + "\n" for r in recs).encode()
    out = run([os.path.join(bin_, "stream-partition"), "-k", "k", "-n",
               str(copies), "-o", "lines", "--", "sh", "-c",
               'sed "s/^/$STREAMKIT_PART /"'], data)
    part_of, seen = {}, {}
    for line in out.decode().splitlines():
        part, rec = line.split(" ", 1)
        r = json.loads(rec)
        # the key codec: missing, null and "" are one key; 1 and "1" too
        k = r.get("k")
        key = "" if k is None else str(k)
        if part_of.setdefault(key, part) != part:
            sys.exit("jsonl: key %r went to copies %s and %s"
                     % (key, part_of[key], part))
        seen.setdefault(part, []).append(r["i"])
    for part, idx in seen.items():
        if idx != sorted(idx):
            sys.exit("jsonl: copy %s got its records out of order" % part)
    if sorted(i for idx in seen.values() for i in idx) != list(range(n)):
        sys.exit("jsonl: records lost or doubled")
    if copies > 1 and len(seen) < 2:
        sys.exit("jsonl: one copy got everything")


def check_agg(bin_, seed, n, copies):
    rng = random.Random(seed)
    lines = ["ip,bytes"]
    for _ in range(n):
        lines.append("10.%d.%d.%d,%d" % (rng.randint(0, 3), rng.randint(0, 9),
                                         rng.randint(0, 30),
                                         rng.randint(0, 99999)))
    data = ("\n".join(lines) + "\n").encode()
    agg = [os.path.join(bin_, "stream-agg"), "-g", "ip",
           "count(), sum(bytes), p50(bytes), distinct(bytes)"]
    one = run(agg, data).decode().splitlines()
    many = run([os.path.join(bin_, "stream-partition"), "-k", "ip", "-n",
                str(copies), "--"] + agg, data).decode().splitlines()
    if many[:1] != one[:1] or sorted(many[1:]) != sorted(one[1:]):
        sys.exit("agg: %d rows from the copies, %d from one run, or they "
                 "differ" % (len(many) - 1, len(one) - 1))


def main():
    bin_, mode, seed, n, copies = sys.argv[1:6]
    {"csv": check_csv, "jsonl": check_jsonl, "agg": check_agg}[mode](
        bin_, int(seed), int(n), int(copies))


if __name__ == "__main__":
    main()
