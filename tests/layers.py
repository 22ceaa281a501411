#!/usr/bin/env python3
"""The layers of src/lib, checked: exit 0 and no output when they hold.

Two graphs, each of which must have no cycle:

  includes  file -> file, from the '#include "..."' lines of src/lib/*.[ch]
            (a header that includes itself through others cannot be
            read alone);
  calls     module -> module, from the objects of the build under test:
            `nm` lists what each build/lib/*.o defines (T, D, B, R, C)
            and what it leaves undefined (U); A calls B when A uses a
            symbol that B defines. The formats (sk_fmt_*.o) count as one
            module with their registry sk_fmt.o, which lists them.

Then the expression engine is held to its layers, one way:
lexer -> parser (a tree of names) -> compiler (names resolved, calls
checked) -> functions and evaluator -> values. A module of the engine
may call only the modules of the engine that LOWER allows it.

Each broken rule is one line: "include cycle: a.h -> b.h -> a.h",
"call cycle: sk_a -> sk_b -> sk_a", "layer: sk_parse calls sk_eval
(sk_num_value)". Usage: layers.py [BUILD] (default build).
"""
import collections
import glob
import os
import re
import subprocess
import sys

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(top, "build")
lib = os.path.join(top, "src", "lib")

# The engine's modules and which of them each may call. sk_lex is the
# bottom: its program-error value (sk_src_err) is every stage's.
LOWER = {
    "sk_value": set(),
    "sk_lex": set(),
    "sk_parse": {"sk_lex"},
    "sk_eval": {"sk_lex", "sk_value"},
    "sk_func": {"sk_lex", "sk_eval", "sk_value"},
    "sk_compile": {"sk_lex", "sk_parse", "sk_func", "sk_eval", "sk_value"},
    "sk_prog": {"sk_lex", "sk_parse", "sk_compile", "sk_func", "sk_eval",
                "sk_value"},
    "sk_agg_list": {"sk_compile", "sk_eval", "sk_value"},
}

bad = []


def cycles(graph):
    """Every cycle found by a depth-first search, each once, as a path."""
    found, seen, onpath, path = [], set(), set(), []

    def visit(n):
        seen.add(n)
        onpath.add(n)
        path.append(n)
        for m in sorted(graph.get(n, ())):
            if m in onpath:
                found.append(path[path.index(m):] + [m])
            elif m not in seen:
                visit(m)
        path.pop()
        onpath.discard(n)

    for n in sorted(graph):
        if n not in seen:
            visit(n)
    return found


inc = collections.defaultdict(set)
for f in sorted(glob.glob(os.path.join(lib, "*.[ch]"))):
    name = os.path.basename(f)
    with open(f) as fh:
        for line in fh:
            m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
            if m and os.path.exists(os.path.join(lib, m.group(1))):
                inc[name].add(m.group(1))
for c in cycles(inc):
    bad.append("include cycle: " + " -> ".join(c))


def module(obj):
    m = os.path.basename(obj)[:-2]
    return "sk_fmt" if m.startswith("sk_fmt_") else m


objs = sorted(glob.glob(os.path.join(build, "lib", "*.o")))
if not objs:
    print("layers: no objects in %s/lib: build first" % build)
    sys.exit(1)
defs, uses = {}, collections.defaultdict(set)
for o in objs:
    m = module(o)
    out = subprocess.run(["nm", o], capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        p = line.split()
        if len(p) == 3 and p[1] in "TDBRC":
            defs[p[2]] = m
        elif len(p) == 2 and p[0] == "U":
            uses[m].add(p[1])
calls = collections.defaultdict(set)
why = {}
for m, syms in uses.items():
    for s in sorted(syms):
        d = defs.get(s)
        if d and d != m:
            calls[m].add(d)
            why.setdefault((m, d), s)
for c in cycles(calls):
    bad.append("call cycle: " + " -> ".join(c))
for m in sorted(LOWER):
    for d in sorted(calls.get(m, ())):
        if d in LOWER and d not in LOWER[m]:
            bad.append("layer: %s calls %s (%s)" % (m, d, why[(m, d)]))

for b in bad:
    print(b)
sys.exit(1 if bad else 0)
