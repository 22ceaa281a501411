#!/usr/bin/env python3
"""stream-join against a join written here from its man page, and against
Miller's join, on seeded random tables and streams.

usage: join.py oracle|mlr SEED

oracle: inner, --left and --anti, one key and two, the table in CSV or
JSON Lines under a CSV stream and the reverse; keys repeat in the table
(one record per match, in table order), some are missing from it, values
hold commas, quotes and are empty. The output must be the oracle's
records in the oracle's order (parsed back, so quoting does not matter).

mlr: `mlr join -j k -f TABLE` (inner), `--ur` (the unpaired records of
the stream, which is Miller's right side: our --left) and `--np --ur`
(our --anti). Miller writes the key first and an unpaired record without
the table's fields, so records are compared as multisets of field sets,
the empty fields of an unmatched record dropped.
Prints one line per disagreement and exits 1 if there is any.
"""
import collections
import csv
import io
import json
import os
import random
import subprocess
import sys

BIN = os.environ.get('BIN', '')
TMP = os.environ.get('BATS_TEST_TMPDIR', '/tmp')


def tool(name):
    return os.path.join(BIN, name) if BIN else name


def csv_text(cols, rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator='\n')
    w.writerow(cols)
    for r in rows:
        w.writerow([r.get(c, '') for c in cols])
    return out.getvalue()


def jsonl_text(cols, rows):
    return ''.join(json.dumps({c: r[c] for c in cols if c in r}) + '\n'
                   for r in rows)


def parse(text, fmt):
    if fmt == 'csv':
        rd = csv.reader(io.StringIO(text))
        hdr = next(rd, None)
        return [dict(zip(hdr, row)) for row in rd] if hdr else []
    return [{k: v if isinstance(v, str) else json.dumps(v)
             for k, v in json.loads(line).items()}
            for line in text.splitlines()]


def gen(rng, nkeys, plain):
    """A table and a stream over keys k1[,k2]."""
    vals = ['v%d' % i for i in range(6)]
    if not plain:
        vals += ['', 'a,b', 'q"r']
    kvals = ['%d' % i for i in range(8)]
    tkeys = ['tk1', 'tk2'][:nkeys]
    skeys = ['k1', 'k2'][:nkeys]
    tcols = tkeys + ['name', 'plan']
    scols = skeys + ['bytes']
    table = [dict(zip(tcols, [rng.choice(kvals) for _ in tkeys] +
                      [rng.choice(vals) for _ in range(2)]))
             for _ in range(rng.randint(0, 12))]
    stream = [dict(zip(scols, [rng.choice(kvals) for _ in skeys] +
                       [rng.choice(vals)]))
              for _ in range(rng.randint(0, 30))]
    return tkeys, tcols, table, skeys, scols, stream


def oracle(mode, tkeys, tcols, table, skeys, stream, tfmt):
    # the columns: a CSV table's header; a JSON Lines one has none
    # before its first row
    extra = [c for c in tcols if c not in tkeys
             and (tfmt == 'csv' or table)]
    index = collections.defaultdict(list)
    for row in table:
        index[tuple(row[k] for k in tkeys)].append(row)
    out = []
    for rec in stream:
        rows = index.get(tuple(rec[k] for k in skeys), [])
        if mode == 'anti':
            if not rows:
                out.append(dict(rec))
            continue
        for row in rows:
            out.append(dict(rec, **{c: row[c] for c in extra}))
        if not rows and mode == 'left':
            out.append(dict(rec, **{c: '' for c in extra}))
    return out


def run(args, tfile, sdata):
    p = subprocess.run(args + ['-f', tfile], input=sdata.encode(),
                       capture_output=True)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def check_oracle(seed, bad):
    rng = random.Random(seed)
    for case in range(40):
        nkeys = rng.choice([1, 2])
        tfmt, sfmt = rng.choice([('csv', 'csv'), ('jsonl', 'csv'),
                                 ('csv', 'jsonl'), ('jsonl', 'jsonl')])
        tkeys, tcols, table, skeys, scols, stream = gen(rng, nkeys, False)
        text = {'csv': csv_text, 'jsonl': jsonl_text}
        tfile = os.path.join(TMP, 'join_table.' + tfmt)
        with open(tfile, 'w') as f:
            f.write(text[tfmt](tcols, table))
        sdata = text[sfmt](scols, stream)
        k = ','.join(skeys) + '=' + ','.join(tkeys)
        for mode in ['inner', 'left', 'anti']:
            args = [tool('stream-join'), '-k', k, '-o', 'csv']
            if mode != 'inner':
                args.append('--' + mode)
            st, out, err = run(args, tfile, sdata)
            want = oracle(mode, tkeys, tcols, table, skeys, stream, tfmt)
            got = parse(out, 'csv') if st == 0 else None
            if st != 0 or err or got != want:
                bad.append('seed %s case %d %s (table %s, stream %s): '
                           'status %d, stderr %r, got %r, want %r'
                           % (seed, case, mode, tfmt, sfmt, st, err, got, want))


def mset(recs):
    return collections.Counter(tuple(sorted(r.items())) for r in recs)


def check_mlr(seed, bad):
    rng = random.Random(seed)
    for case in range(20):
        tkeys, tcols, table, skeys, scols, stream = gen(rng, 1, True)
        # Miller joins on one name in both: the table's key is k1 too
        tcols = ['k1'] + tcols[1:]
        table = [dict(r, k1=r.pop('tk1')) for r in table]
        tfile = os.path.join(TMP, 'join_table.csv')
        with open(tfile, 'w') as f:
            f.write(csv_text(tcols, table))
        sdata = csv_text(scols, stream)
        for mode, mflags in [('inner', []), ('left', ['--ur']),
                             ('anti', ['--np', '--ur'])]:
            args = [tool('stream-join'), '-k', 'k1', '-o', 'jsonl']
            if mode != 'inner':
                args.append('--' + mode)
            st, out, err = run(args, tfile, sdata)
            ours = [{k: v for k, v in r.items() if v != ''}
                    for r in parse(out, 'jsonl')]
            p = subprocess.run(['mlr', '-S', '--icsv', '--ojsonl', 'join'] +
                               mflags + ['-j', 'k1', '-f', tfile],
                               input=sdata.encode(), capture_output=True)
            theirs = parse(p.stdout.decode(), 'jsonl')
            if st != 0 or err or p.returncode != 0 or mset(ours) != mset(theirs):
                bad.append('seed %s case %d %s: status %d, stderr %r, '
                           'ours %r, mlr %r' % (seed, case, mode, st, err,
                                                ours, theirs))


def main():
    what, seed = sys.argv[1], int(sys.argv[2])
    bad = []
    {'oracle': check_oracle, 'mlr': check_mlr}[what](seed, bad)
    for b in bad:
        print(b)
    sys.exit(1 if bad else 0)


main()
