#!/usr/bin/env python3
"""Differential test of stream-filter, stream-map -g and stream-agg -g
against an oracle written from the SPEC, on seeded generated JSON Lines
and CSV (booleans, nulls, empty and missing fields, quoted numbers,
fields that change from record to record); and the round trip
`X -o csv | Y -i csv` == `X | Y` for every pair of tools.

usage: diff.py oracle|roundtrip SEED
Prints one line per disagreement and exits 1 if there is any.
"""
import json
import os
import random
import subprocess
import sys

BIN = os.environ.get('BIN', '')


def tool(name):
    return os.path.join(BIN, name) if BIN else name


def run(args, data):
    p = subprocess.run(args, input=data, capture_output=True)
    return p.returncode, p.stdout, p.stderr


KEYS = ['"a"', '"b"', '""', 'true', 'false', '1', '"1"', 'null', None,
        '"x,y"', '"q\\"r"', '"true"']
VALS = ['1', '-3', '12', '"7"', '"-2"', '""', 'null', None, '0', '250',
        '9007199254740993']
OKS = ['true', 'false', '0', '1', '2', '""', '"x"', 'null', None]


def gen_jsonl(rng, n):
    lines = []
    for i in range(n):
        parts = ['"t":%d' % (i // 4)]
        for name, pool in (('k', KEYS), ('v', VALS), ('ok', OKS)):
            lit = rng.choice(pool)
            if lit is not None:
                parts.append('"%s":%s' % (name, lit))
        if rng.random() < 0.2:
            parts.append('"x":"extra, \\"quoted\\""')
        rng.shuffle(parts)
        lines.append('{' + ','.join(parts) + '}')
    return ('\n'.join(lines) + '\n').encode()


CSV_KEYS = ['a', 'b', '', '1', '"x,y"', '"q""r"', 'true']
CSV_VALS = ['1', '-3', '12', '""', '', '0', '250', '9007199254740993', '"7"']
CSV_OKS = ['0', '1', '2', '', 'x', '"0"']


def gen_csv(rng, n):
    lines = ['t,k,v,ok']
    for i in range(n):
        lines.append('%d,%s,%s,%s' % (i // 4, rng.choice(CSV_KEYS),
                                      rng.choice(CSV_VALS), rng.choice(CSV_OKS)))
    return ('\n'.join(lines) + '\n').encode()


def text(v):
    """A field's text as the SPEC reads it: null and missing are empty."""
    if v is None:
        return ''
    if v is True:
        return 'true'
    if v is False:
        return 'false'
    if isinstance(v, str):
        return v
    return None  # numbers: keep their literal (see records())


def records(data, fmt):
    """The input records as dicts of field -> (text, is_json_false)."""
    out = []
    if fmt == 'jsonl':
        for line in data.decode().splitlines():
            # the literal text of numbers, as written
            obj = json.loads(line, parse_int=str, parse_float=str)
            raw = json.loads(line)
            rec = {}
            for k, v in obj.items():
                rv = raw[k]
                t = text(v) if not isinstance(rv, (int, float)) or isinstance(rv, bool) else v
                rec[k] = (t, rv is False)
            out.append(rec)
    else:
        import csv
        import io
        rows = list(csv.reader(io.StringIO(data.decode(), newline='')))
        hdr = rows[0]
        for r in rows[1:]:
            out.append({h: (v, False) for h, v in zip(hdr, r)})
    return out


def number(s):
    try:
        if s.strip() != s or s == '':
            return None
        return int(s) if s.lstrip('-').isdigit() else float(s)
    except ValueError:
        return None


def truthy(f):
    """SPEC: empty, 0 and JSON false are false; everything else true."""
    if f is None:
        return False
    t, is_false = f
    if is_false or t == '':
        return False
    n = number(t)
    return not (n is not None and n == 0)


def norm(v):
    """An output value as text, whatever its JSON type."""
    t = text(v)
    return str(v) if t is None else t


def out_json(b):
    return [json.loads(l, parse_int=str, parse_float=str)
            for l in b.decode().splitlines()]


def oracle(seed):
    bad = []
    rng = random.Random(seed)
    for fmt in ('jsonl', 'csv'):
        data = gen_jsonl(rng, 300) if fmt == 'jsonl' else gen_csv(rng, 300)
        recs = records(data, fmt)
        lines = data.decode().splitlines(True)
        body = lines if fmt == 'jsonl' else lines[1:]
        # stream-filter ok: the records kept, byte for byte
        want = ''.join(l for l, r in zip(body, recs) if truthy(r.get('ok')))
        if fmt == 'csv':
            want = lines[0] + want
        st, got, err = run([tool('stream-filter'), '-i', fmt, 'ok'], data)
        if st != 0 or got.decode() != want:
            bad.append('%s: stream-filter ok: status %d, %d bytes, want %d: %s'
                       % (fmt, st, len(got), len(want), err.decode()[:200]))
        # stream-map -g k: rownum per key (a missing key is the empty key)
        st, got, err = run([tool('stream-map'), '-i', fmt, '-o', 'jsonl',
                            '-g', 'k', 'n = rownum()'], data)
        seen = {}
        want_n = []
        for r in recs:
            key = r.get('k', ('', False))[0]
            seen[key] = seen.get(key, 0) + 1
            want_n.append(str(seen[key]))
        got_n = [norm(o.get('n')) for o in out_json(got)] if st == 0 else []
        if got_n != want_n:
            bad.append('%s: stream-map -g k rownum: status %d, first difference at %s: %s'
                       % (fmt, st, next((i for i, (a, b) in enumerate(zip(got_n, want_n)) if a != b), min(len(got_n), len(want_n))), err.decode()[:200]))
        # stream-agg -g k: count, sum, count_if, in first-seen order
        groups = {}
        for r in recs:
            key = r.get('k', ('', False))[0]
            g = groups.setdefault(key, [0, None, 0])
            g[0] += 1
            v = r.get('v')
            n = number(v[0]) if v else None
            if n is not None:
                g[1] = (g[1] or 0) + n
            g[2] += truthy(r.get('ok'))
        want_rows = [(k, str(g[0]), '' if g[1] is None else str(g[1]), str(g[2]))
                     for k, g in groups.items()]
        st, got, err = run([tool('stream-agg'), '-i', fmt, '-o', 'jsonl', '-g', 'k',
                            'count, sum(v), count_if(ok)'], data)
        got_rows = [(norm(o.get('k')), norm(o.get('count')), norm(o.get('sum_v')),
                     norm(o.get('count_if_ok'))) for o in out_json(got)] if st == 0 else []
        if got_rows != want_rows:
            diff = [(a, b) for a, b in zip(got_rows, want_rows) if a != b][:2]
            bad.append('%s: stream-agg -g k: status %d, %d rows, want %d; %s %s'
                       % (fmt, st, len(got_rows), len(want_rows), diff, err.decode()[:200]))
    return bad


TOOLS = {
    'filter': ['stream-filter', 'ok'],
    'map': ['stream-map', '-g', 'k', 'n = rownum(); w = v .. "|" .. ok'],
    'agg': ['stream-agg', '-g', 'k', 'count, sum(v), first(ok) as ok, min(t) as t'],
    'window': ['stream-window', '-t', 't', '--tumbling', '10s', '-g', 'k', 'count, max(v) as v'],
}


def roundtrip(seed):
    bad = []
    rng = random.Random(seed)
    for fmt in ('jsonl', 'csv'):
        data = gen_jsonl(rng, 200) if fmt == 'jsonl' else gen_csv(rng, 200)
        for xn, x in TOOLS.items():
            xa = [tool(x[0]), '-i', fmt] + x[1:]
            st1, direct, e1 = run(xa + ['-o', 'jsonl'], data)
            st2, viacsv, e2 = run(xa + ['-o', 'csv'], data)
            for yn, y in TOOLS.items():
                ya = [tool(y[0])] + y[1:] + ['-o', 'jsonl']
                sa, a, ea = run(ya + ['-i', 'jsonl'], direct)
                sb, b, eb = run(ya + ['-i', 'csv'], viacsv)
                na = [{k: norm(v) for k, v in o.items()} for o in out_json(a)]
                nb = [{k: norm(v) for k, v in o.items()} for o in out_json(b)]
                if (sa, na) != (sb, nb):
                    bad.append('%s: %s | %s: direct status %d, %d records; via csv status %d, %d records; %s'
                               % (fmt, xn, yn, sa, len(na), sb, len(nb),
                                  [(p, q) for p, q in zip(na, nb) if p != q][:1]))
    return bad


if __name__ == '__main__':
    mode, seed = sys.argv[1], int(sys.argv[2])
    bad = oracle(seed) if mode == 'oracle' else roundtrip(seed)
    for b in bad:
        print(b)
    sys.exit(1 if bad else 0)
