#!/usr/bin/env python3
"""stream-join against a join written here from its man page, and against
Miller's join, on seeded random tables and streams.

usage: join.py oracle|mlr|cidr SEED

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
cidr: --cidr against a longest-prefix match written here with Python's
ipaddress module from the man page: 1000 prefixes (IPv4 and IPv6, nested,
/0, /32, /128, bare addresses, host bits set, IPv4-mapped IPv6 prefixes
that are the same networks as IPv4 ones, prefixes repeated) and 10000
stream values (addresses in and out of them, IPv4-mapped addresses, zone
ids, text that is no address), inner, --left and --anti, the records in
the oracle's order.
Prints one line per disagreement and exits 1 if there is any.
"""
import collections
import csv
import io
import ipaddress
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


MAPPED = int(ipaddress.IPv6Address('::ffff:0:0'))


def as_v6(net):
    """A prefix in the one 128-bit space: a.b.c.d/n is ::ffff:a.b.c.d/96+n."""
    if net.version == 4:
        return (MAPPED | int(net.network_address), 96 + net.prefixlen)
    return (int(net.network_address), net.prefixlen)


def rand_v4(rng):
    return ipaddress.IPv4Address(rng.getrandbits(32))


def rand_v6(rng):
    return ipaddress.IPv6Address(rng.getrandbits(128))


def cidr_gen(rng):
    """1000 table prefixes (text) and 10000 stream values (text)."""
    seeds4 = [rand_v4(rng) for _ in range(30)]
    seeds6 = [rand_v6(rng) for _ in range(30)]
    # each of the prefixes that hold a whole family in half of the tables,
    # so that some streams have unmatched addresses and some none
    whole = [w for w in ['0.0.0.0/0', '::/0', '::ffff:0:0/96']
             if rng.random() < 0.5]
    nets = []
    for _ in range(1000):
        c = rng.random()
        if c < 0.45:    # nested around a few IPv4 addresses
            a = rng.choice(seeds4)
            n = rng.choice([8, 12, 16, 20, 24, 28, 31, 32, rng.randint(1, 32)])
            text = '%s/%d' % (ipaddress.ip_network((a, n), strict=False)
                              .network_address if rng.random() < 0.7 else a, n)
        elif c < 0.8:   # nested around a few IPv6 addresses
            a = rng.choice(seeds6)
            n = rng.choice([16, 32, 48, 64, 96, 127, 128, rng.randint(1, 128)])
            text = '%s/%d' % (ipaddress.ip_network((a, n), strict=False)
                              .network_address if rng.random() < 0.7 else a, n)
        elif c < 0.9:   # an IPv4 network written as IPv4-mapped IPv6
            a = rng.choice(seeds4)
            n = rng.choice([8, 16, 24, 32, rng.randint(1, 32)])
            net = ipaddress.ip_network((a, n), strict=False)
            text = '::ffff:%s/%d' % (net.network_address, 96 + n)
        elif c < 0.95:  # bare addresses
            text = str(rng.choice(seeds4 + seeds6))
        else:
            text = rng.choice(whole + ['%s/32' % rng.choice(seeds4),
                               '%s/128' % rng.choice(seeds6)])
        nets.append(text)
    vals = []
    for _ in range(10000):
        c = rng.random()
        if c < 0.4:     # near an IPv4 seed: shares a random prefix with it
            a = int(rng.choice(seeds4)) ^ (rng.getrandbits(32) >> rng.randint(0, 32))
            vals.append(str(ipaddress.IPv4Address(a)))
        elif c < 0.7:
            a = int(rng.choice(seeds6)) ^ (rng.getrandbits(128) >> rng.randint(0, 128))
            vals.append(str(ipaddress.IPv6Address(a)))
        elif c < 0.8:   # IPv4-mapped
            a = int(rng.choice(seeds4)) ^ (rng.getrandbits(32) >> rng.randint(0, 32))
            vals.append('::ffff:%s' % ipaddress.IPv4Address(a))
        elif c < 0.85:  # with a zone id
            vals.append('%s%%eth%d' % (rand_v6(rng), rng.randint(0, 3)))
        elif c < 0.95:
            vals.append(str(rng.choice([rand_v4, rand_v6])(rng)))
        else:           # not an address
            vals.append(rng.choice(['nope', '10.0.0.1/8', '1.2.3', '256.1.1.1',
                                    '::g', '010.0.0.1', '-', '1.2.3.4 ']))
    return nets, vals


def cidr_oracle(nets, vals, names):
    """For each stream value, the indices of the table rows it matches
    (the longest prefix holding it), or None if it is no address."""
    rows = collections.defaultdict(list)
    for i, text in enumerate(nets):
        rows[as_v6(ipaddress.ip_network(text, strict=False))].append(i)
    lens = sorted({n for _, n in rows}, reverse=True)
    out = []
    for v in vals:
        try:
            if '/' in v or v != v.strip():
                raise ValueError(v)
            a = ipaddress.ip_address(v.split('%')[0] if ':' in v else v)
        except ValueError:
            out.append(None)
            continue
        if a.version == 4:
            x, least = MAPPED | int(a), 96
        else:
            x, least = int(a), 0
        hit = []
        for n in lens:
            if n < least:
                break
            k = (x >> (128 - n) << (128 - n) if n else 0, n)
            if k in rows:
                hit = rows[k]
                break
        out.append(hit)
    return out


def check_cidr(seed, bad):
    rng = random.Random(seed)
    nets, vals = cidr_gen(rng)
    names = ['n%d' % i for i in range(len(nets))]
    tfile = os.path.join(TMP, 'join_cidr.csv')
    with open(tfile, 'w') as f:
        f.write(csv_text(['net', 'name'],
                         [{'net': t, 'name': n} for t, n in zip(nets, names)]))
    stream = [{'ip': v, 'i': str(i)} for i, v in enumerate(vals)]
    sdata = csv_text(['ip', 'i'], stream)
    match = cidr_oracle(nets, vals, names)
    for mode in ['inner', 'left', 'anti']:
        want = []
        for rec, m in zip(stream, match):
            if mode == 'anti':
                if not m:
                    want.append(rec)
            elif m:
                want += [dict(rec, name=names[r]) for r in m]
            elif mode == 'left':
                want.append(dict(rec, name=''))
        args = [tool('stream-join'), '--cidr', '-k', 'ip=net', '-o', 'csv',
                '--on-error', 'skip']
        if mode != 'inner':
            args.append('--' + mode)
        st, out, err = run(args, tfile, sdata)
        got = parse(out, 'csv') if st == 0 else None
        if st != 0 or err or got != want:
            diff = ''
            if got:
                for k, (g, w) in enumerate(zip(got, want)):
                    if g != w:
                        diff = 'first difference at %d: got %r, want %r' % (k, g, w)
                        break
                else:
                    diff = 'got %d records, want %d' % (len(got), len(want))
            bad.append('seed %s cidr %s: status %d, stderr %r, %s'
                       % (seed, mode, st, err[:300], diff))


def main():
    what, seed = sys.argv[1], int(sys.argv[2])
    bad = []
    {'oracle': check_oracle, 'mlr': check_mlr, 'cidr': check_cidr}[what](seed, bad)
    for b in bad:
        print(b)
    sys.exit(1 if bad else 0)


main()
