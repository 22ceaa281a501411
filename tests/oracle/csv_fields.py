#!/usr/bin/env python3
"""Random CSV read both by Python's csv module and by stream-map.

Writes a seeded random CSV (quoted fields with "" escapes, delimiters and
newlines inside quotes, bare quotes inside unquoted fields, CRLF or LF) to
the file named by argv[1], and the fields Python's csv module reads from
it, as TSV with the \\t \\n \\r \\\\ escapes, to stdout: what
`stream-map -o tsv FILE` must write.
"""
import csv
import io
import random
import sys

rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 7)
ALPHA = 'ab z09.-é,"\n\r\t\\'


def field():
    kind = rng.randrange(4)
    if kind == 0:
        return ''.join(rng.choice('ab z9.-é"\t\\') for _ in range(rng.randrange(6))), None
    text = ''.join(rng.choice(ALPHA) for _ in range(rng.randrange(8)))
    return text, '"' + text.replace('"', '""') + '"'


def row(ncol):
    vals, raw = [], []
    for _ in range(ncol):
        v, quoted = field()
        if quoted is None:
            # An unquoted field: no delimiter, CR or LF, and no quote at
            # its start (a quote elsewhere is data).
            v = v.replace(',', '').lstrip('"')
            quoted = v
        vals.append(v)
        raw.append(quoted)
    return vals, ','.join(raw)


def tsv(v):
    return (v.replace('\\', '\\\\').replace('\t', '\\t')
             .replace('\n', '\\n').replace('\r', '\\r'))


ncol = rng.randrange(2, 6)
eol = rng.choice(['\n', '\r\n'])
lines = [','.join('c%d' % i for i in range(ncol))]
for _ in range(300):
    vals, raw = row(ncol)
    if all(v == '' for v in vals) and not raw.startswith('"'):
        continue  # a line of empty unquoted fields: not worth the doubt
    lines.append(raw)
text = eol.join(lines) + eol
with open(sys.argv[1], 'w', newline='', encoding='utf-8') as f:
    f.write(text)

out = sys.stdout
for r in csv.reader(io.StringIO(text, newline=''), strict=True):
    out.write('\t'.join(tsv(v) for v in r) + '\n')
