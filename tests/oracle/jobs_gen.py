#!/usr/bin/env python3
"""jobs_gen.py KIND SEED ROWS: seeded random input for tests/jobs.bats, on
stdout. Kinds:
  csv     host,status,bytes,lat,note: notes with quoted newlines, quotes and
          commas, CRLF line ends, ragged rows, a bytes that is no number,
          and no newline after the last row
  quoted  k,v,t where every other t holds newlines (a chunk boundary
          falls inside a quoted field again and again)
  blocks  csv in header blocks: a blank line, then a quoted header of two
          or three columns, the rows after it as wide
  jsonl   objects with keys that come and go, and lines of bad JSON
  int     key,x of integers only (exact in any order)
"""
import random
import sys

kind, seed, rows = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rnd = random.Random(seed)
out = sys.stdout


def note():
    r = rnd.random()
    if r < 0.1:
        return '"two\nlines, ""quoted"""'
    if r < 0.2:
        return '"a,b"'
    return 'n%d' % rnd.randint(0, 9)


if kind == 'csv':
    eol = '\r\n'
    out.write('host,status,bytes,lat,note' + eol)
    for i in range(rows):
        r = rnd.random()
        end = '' if i == rows - 1 else eol
        if r < 0.003:
            out.write('h1,200' + end)
        elif r < 0.006:
            out.write('h2,404,lots,1.5,x' + end)
        else:
            out.write('h%d,%d,%d,%.3f,%s%s' % (
                rnd.randint(1, 40), rnd.choice([200, 200, 301, 404, 500]),
                rnd.randint(0, 100000), rnd.random() * 5, note(), end))
elif kind == 'quoted':
    out.write('k,v,t\n')
    for i in range(rows):
        t = '"x\ny\n\nz"' if i % 2 else 'plain'
        out.write('k%d,%d,%s\n' % (rnd.randint(1, 30), rnd.randint(0, 9), t))
elif kind == 'blocks':
    out.write('a,b\n')
    w = 2
    for blk in range(rows // 100):
        for i in range(rnd.randint(1, 200)):
            out.write(','.join([str(i)] + [str(rnd.randint(0, 99))
                                           for _ in range(w - 1)]) + '\n')
        w = 5 - w
        out.write('\n' + ','.join('"%s"' % c for c in 'abc'[:w]) + '\n')
elif kind == 'jsonl':
    for i in range(rows):
        r = rnd.random()
        if r < 0.004:
            out.write('{"host": "h1", bad\n')
        elif r < 0.05:
            out.write('{"host":"h%d","extra%d":true,"bytes":%d}\n' % (
                rnd.randint(1, 9), rnd.randint(1, 3), rnd.randint(0, 100)))
        else:
            out.write('{"host":"h%d","bytes":%d,"s":"%s"}\n' % (
                rnd.randint(1, 20), rnd.randint(0, 1000),
                rnd.choice(['x', 'y', 'a\\nb', '200'])))
elif kind == 'int':
    out.write('key,x\n')
    for i in range(rows):
        out.write('k%d,%d\n' % (rnd.randint(1, 300), rnd.randint(-10**12, 10**12)))
else:
    sys.exit('jobs_gen.py: unknown kind ' + kind)
