#!/usr/bin/env python3
"""The lists of the code against the documentation, by whole word.

    man_walk.py TOP BIN BUILD CHECK

prints what differs to stderr and exits 1. CHECK is one of:

  options     every getopt_long table (each tool's long options and short
              letters, with the common ones of sk_tool.h) against the
              options its --help and its man page define, both ways: the
              same options, the short letter beside its long name, an
              argument shown exactly when the option takes one; each name
              a whole word of the rendered page; and no --option named
              anywhere in the --help or the page, nor -x in the --help
              before its examples, that the tool lacks
  functions   the function table against the functions stream-expr(7)
              defines, both ways
  aggregates  the aggregate table against those stream-agg(1) defines and
              stream-agg --help lists, both ways
  formats     the format table against the lists of -i and -o in --help,
              in the man pages and in the messages for an unknown format,
              in the table's order, and against the paragraphs of FORMATS
  tools       the tools against their man pages and streamkit(7)

Where the tables come from: the getopt tables are read from the C source
(src/stream-*.c, src/lib/sk_tool.h), as a compiler would: the one struct
option table of each tool, its macros expanded, and the short option
string passed with it (to getopt_long or a wrapper). They are static in
each tool's main, so no program can list them, and a hook in the tools to
print them would be one more option or variable that users see. The
function, aggregate and format tables come from BUILD/sk-lists, which
prints them from the library itself (the man pages and the completion take
them from there too), so nothing parses their rows, whose layout may
change. The man pages are the built ones (BUILD/man): definitions are the
.TP tags of the roff, the words those of mandoc's rendering (mandoc never
hyphenates).
"""
import os
import re
import subprocess
import sys

TOP, BIN, BUILD, CHECK = sys.argv[1:5]
errors = []


def err(msg):
    errors.append(msg)


def run(cmd, want_status=0):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != want_status:
        sys.exit("%s: exit %d: %s" % (" ".join(cmd), p.returncode,
                                      p.stderr.decode(errors="replace")))
    return p.stdout.decode(), p.stderr.decode()


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def sk_lists(*args):
    return run([os.path.join(BUILD, "sk-lists")] + list(args))[0].split()


def tools():
    src = sorted(f[:-2] for f in os.listdir(os.path.join(TOP, "src"))
                 if f.startswith("stream-") and f.endswith(".c"))
    if not src:
        sys.exit("no src/stream-*.c")
    return src


# --- the getopt tables, from the C source ---------------------------------

def strip_comments(c):
    return re.sub(r"/\*.*?\*/|//[^\n]*", " ", c, flags=re.S)


def defines(c):
    """#define NAME body (continuation lines joined)."""
    out = {}
    c = c.replace("\\\n", " ")
    for m in re.finditer(r"^[ \t]*#[ \t]*define[ \t]+(\w+)[ \t]+(.*)$", c, re.M):
        out[m.group(1)] = m.group(2).strip()
    return out


def string_expr(expr, env, what):
    """The value of adjacent string literals and macros naming them."""
    s = ""
    for tok in re.findall(r'"(?:[^"\\]|\\.)*"|\w+|\S', expr):
        if tok.startswith('"'):
            s += tok[1:-1]
        elif tok in env:
            s += string_expr(env[tok], env, what)
        else:
            sys.exit("%s: cannot read %r in %r" % (what, tok, expr))
    return s


def char_consts(c):
    """NAME = 'x' in the enums: the long options that have a short letter."""
    return {m.group(1): m.group(2)
            for m in re.finditer(r"\b(\w+)\s*=\s*'(.)'", c)}


def option_table(tool):
    """{long or -x: (short, long, takes_arg)} of the tool's getopt_long."""
    hdr = strip_comments(read(os.path.join(TOP, "src/lib/sk_tool.h")))
    c = strip_comments(read(os.path.join(TOP, "src", tool + ".c")))
    env = defines(hdr)
    env.update(defines(c))
    consts = char_consts(hdr)
    consts.update(char_consts(c))
    tables = re.findall(r"\bstruct\s+option\s+(\w+)\s*\[\s*\]\s*=\s*\{(.*?)\}\s*;",
                        c, re.S)
    if len(tables) != 1:
        sys.exit("%s.c: %d struct option tables, not 1" % (tool, len(tables)))
    table, body = tables[0]
    # the short options: the argument before the table in the call that
    # takes both (getopt_long, or a wrapper of it)
    calls = re.findall(r"[(,]((?:\s*(?:\"(?:[^\"\\]|\\.)*\"|\w+))+)\s*,\s*%s\s*[,)]"
                       % re.escape(table), c)
    if len(calls) != 1:
        sys.exit("%s.c: %d calls with %s, not 1" % (tool, len(calls), table))
    short_expr = calls[0].strip()
    m = re.search(r"\bstatic\s+const\s+char\s+%s\s*\[\s*\]\s*=\s*(.*?);"
                  % re.escape(short_expr), c, re.S)
    shorts = string_expr(m.group(1) if m else short_expr, env, tool)
    for _ in range(5):  # macros such as SK_COMMON_LONGOPTS
        body = re.sub(r"\b([A-Z_][A-Z0-9_]*)\b(?=\s*,|\s*$)",
                      lambda k: env.get(k.group(1), k.group(1)), body)
    opts = {}
    entries = re.findall(r'\{\s*(?:"([^"]*)"|NULL|0)\s*,\s*(\w+)\s*,\s*\w+\s*,\s*'
                         r"('.'|\w+)\s*\}", body)
    for name, has_arg, val in entries:
        if not name:
            continue
        short = val[1] if val.startswith("'") else consts.get(val)
        if has_arg not in ("no_argument", "required_argument"):
            sys.exit("%s: --%s: %s (the check knows no_argument and "
                     "required_argument)" % (tool, name, has_arg))
        opts["--" + name] = (short and "-" + short, "--" + name,
                             has_arg == "required_argument")
    if len(entries) < 10:
        sys.exit("%s.c: only %d long options read" % (tool, len(entries)))
    letters = re.findall(r"([A-Za-z0-9])(:?)", shorts)
    for letter, colon in letters:
        if not any(o[0] == "-" + letter for o in opts.values()):
            opts["-" + letter] = ("-" + letter, None, colon == ":")
    for short, long, arg in list(opts.values()):
        if short and (short[1], ":" if arg else "") not in letters:
            err("%s: %s is %s in the long options but not in the short "
                "option string %r" % (tool, long, short, shorts))
    return opts


# --- roff -----------------------------------------------------------------

ESCAPES = [(r"\(dq", '"'), (r"\(aq", "'"), (r"\(em", "--"), (r"\(en", "-"),
           (r"\(mc", "u"), (r"\[u2026]", "..."), (r"\e", "\\"), (r"\-", "-"),
           (r"\ ", " "), (r"\~", " "), (r"\&", ""), (r"\|", ""), (r"\^", "")]


def unescape(s):
    s = re.sub(r"\\f(\[\w*\]|.)", "", s)
    for a, b in ESCAPES:
        s = s.replace(a, b)
    return s


def roff_args(s):
    args = []
    for m in re.finditer(r'"((?:[^"]|"")*)"?|(\S+)', s):
        args.append(m.group(1).replace('""', '"') if m.group(1) is not None
                    else m.group(2))
    return args


def roff_text(line):
    """The text of one line of roff (font macros joined as printed)."""
    m = re.match(r"\.(B|I|SM|BR|RB|BI|IB|IR|RI)\s+(.*)", line)
    if m:
        args = roff_args(m.group(2))
        line = (" " if len(m.group(1)) == 1 or m.group(1) == "SM" else "").join(args)
    elif line.startswith("."):
        return ""
    return unescape(line)


def sections(page):
    """{".SH name": [lines]} of a built man page."""
    out, cur = {}, None
    for line in read(page).split("\n"):
        m = re.match(r'\.SH\s+"?([^"]*)"?', line)
        if m:
            cur = out.setdefault(m.group(1), [])
        elif cur is not None:
            cur.append(line)
    return out


def tags(lines):
    """The .TP tags of lines, each with the text of its body."""
    out = []
    for i, line in enumerate(lines):
        if line == ".TP" and i + 1 < len(lines):
            body = []
            for b in lines[i + 2:]:
                if re.match(r"\.(TP|SS|SH|PP|LP|P|RS|RE|IP)\b", b):
                    break
                body.append(roff_text(b))
            out.append((roff_text(lines[i + 1]), " ".join(body)))
    return out


def rendered(page):
    """The page as mandoc prints it (mandoc never hyphenates)."""
    p = subprocess.run(["mandoc", "-T", "ascii", page], stdout=subprocess.PIPE)
    if p.returncode != 0:
        sys.exit("mandoc %s: exit %d" % (page, p.returncode))
    return subprocess.run(["col", "-b"], input=p.stdout,
                          stdout=subprocess.PIPE).stdout.decode()


def words(text):
    """The whole words of text, '-' and '_' inside a word."""
    return set(re.findall(r"(?<![\w-])[\w][\w.-]*\w|(?<![\w-])[\w]", text)) | \
        set(re.findall(r"(?<![\w-])--?[A-Za-z][\w-]*", text))


# --- options --------------------------------------------------------------

DEF = re.compile(r"(?:(-[A-Za-z0-9])(?:, (--[a-z][\w-]*))?|(--[a-z][\w-]*))"
                 r"(?: ([\[A-Z][^\sa-z]*))?(?:\s|$)")


def definition(text):
    """(short, long, takes_arg) of an option definition "-n, --max N"."""
    m = DEF.match(text)
    if not m:
        return None
    return (m.group(1), m.group(2) or m.group(3), m.group(4) is not None)


def compare_defs(tool, where, table, defs):
    seen = {}
    for d in defs:
        key = d[1] or d[0]
        if key in seen:
            err("%s: %s defines %s twice" % (tool, where, key))
        seen[key] = d
        if key not in table:
            err("%s: %s defines %s, which the tool does not have"
                % (tool, where, key))
        elif table[key] != d:
            err("%s: %s defines %s, the table says %s"
                % (tool, where, show(d), show(table[key])))
    for key, t in table.items():
        if key not in seen:
            err("%s: %s lacks %s" % (tool, where, show(t)))


def show(d):
    s = ", ".join(x for x in d[:2] if x)
    return s + (" ARG" if d[2] else "")


# Options of other programs that the pages name (Miller's, jq's, tail's...)
# in their prose, never as one of the tool's.
FOREIGN = {"--opprint", "--pipe"}


def mentions(tool, where, text, table, short_text=""):
    """Every --option named in text is one of the tool's, and every -x of
    short_text (the man pages share text that names other tools' letters,
    and examples quote other programs: tail -f). An --option after another
    tool's name on its line (stream-agg --merge, in an example that runs
    it) is that tool's, and must be one of its."""
    names = set(table) | {t[0] for t in table.values() if t[0]}
    others = set(tools()) - {tool}
    tok = re.compile(r"(?<![\w-])--[a-z][\w-]*|\bstream-[a-z]+\b")
    found = set()
    for line in text.split("\n"):
        owner = None
        for w in tok.findall(line):
            if w.startswith("stream-"):
                owner = w if w in others else None
            elif owner:
                if w not in option_names(owner):
                    err("%s: %s names %s %s, which %s does not have"
                        % (tool, where, owner, w, owner))
            else:
                found.add(w)
    found |= set(re.findall(r"(?<![\w-])-[A-Za-z](?![\w-])", short_text))
    for w in sorted(found):
        if w not in names and w not in FOREIGN:
            err("%s: %s names %s, which the tool does not have"
                % (tool, where, w))


def option_names(tool):
    """The long and short names of the tool's options."""
    table = option_table(tool)
    return set(table) | {t[0] for t in table.values() if t[0]}


def check_options():
    for tool in tools():
        table = option_table(tool)
        helptext = run([os.path.join(BIN, tool), "--help"])[0]
        # the options are defined before the examples, which quote some
        defs = [definition(line.strip())
                for line in helptext.split("\nExamples:\n")[0].split("\n")
                if re.match(r"  (-\w|    --\w)", line)]
        compare_defs(tool, "--help", table, defs)
        mentions(tool, "--help", helptext, table,
                 helptext.split("\nExamples:\n")[0])
        page = os.path.join(BUILD, "man", tool + ".1")
        opts = sections(page).get("OPTIONS", [])
        defs = [definition(t) for t, _ in tags(opts) if t.startswith("-")]
        compare_defs(tool, tool + ".1", table, defs)
        text = rendered(page)
        mentions(tool, tool + ".1", text, table)
        have = words(text)
        for t in table.values():
            for name in t[:2]:
                if name and name not in have:
                    err("%s: %s is not a word of %s.1" % (tool, name, tool))


# --- functions, aggregates ------------------------------------------------

CALL = re.compile(r"\b([A-Za-z_]\w*)\(")


def compare_names(what, where, table, doc):
    for n in table:
        if n not in doc:
            err("%s %s is not in %s" % (what, n, where))
    for n in doc:
        if n not in table:
            err("%s defines %s %s, which the table does not have"
                % (where, what, n))


def check_functions():
    table = sk_lists("functions")
    secs = sections(os.path.join(BUILD, "man", "stream-expr.7"))
    doc = []
    for sec in ("FUNCTIONS", "STREAM-MAP PROGRAMS"):
        for tag, _ in tags(secs.get(sec, [])):
            doc += CALL.findall(tag)
    compare_names("function", "stream-expr(7)", table, doc)
    have = words(rendered(os.path.join(BUILD, "man", "stream-expr.7")))
    for n in table:
        if n not in have:
            err("function %s is not a word of stream-expr(7)" % n)


def check_aggregates():
    table = sk_lists("aggregates")
    secs = sections(os.path.join(BUILD, "man", "stream-agg.1"))
    doc = []
    for tag, _ in tags(secs.get("AGGREGATES", [])):
        doc += CALL.findall(tag) or re.findall(r"^\w+$", tag)
    compare_names("aggregate", "stream-agg(1)", table, doc)
    helptext = run([os.path.join(BIN, "stream-agg"), "--help"])[0]
    listed = re.search(r"\nAggregates:\n(.*?)\n\n", helptext, re.S)
    doc = [re.match(r"  (\w+)", line).group(1)
           for line in (listed.group(1).split("\n") if listed else [])]
    compare_names("aggregate", "stream-agg --help", table, doc)


# --- formats --------------------------------------------------------------

def format_list(text):
    """The names of "csv (note), tsv, or lines." at the start of text."""
    text = re.sub(r"\([^()]*\)", "", text)
    m = re.match(r"\s*(\w+(?:\s*,\s*(?:or\s+)?\w+)*)", text)
    return re.findall(r"\w+", re.sub(r"\bor\b", "", m.group(1))) if m else []


# stream-partition's -o is the format of its copies' output, which it
# splits into records: the formats streamkit both reads and writes.
RECORD_OUTPUT = {"stream-partition"}


def check_formats():
    every = {"-i": sk_lists("formats", "r"), "-o": sk_lists("formats", "w")}
    if "csv" not in every["-i"] or "csv" not in every["-o"]:
        sys.exit("sk-lists formats: %r" % every)
    for tool in tools():
        lists = dict(every)
        if tool in RECORD_OUTPUT:
            lists["-o"] = [f for f in every["-o"] if f in every["-i"]]
        helptext = run([os.path.join(BIN, tool), "--help"])[0]
        for opt, want in lists.items():
            m = re.search(r"\n  %s, --\S+ FMT +(.*(?:\n {27}.*)*)" % opt, helptext)
            got = format_list(" ".join(m.group(1).split())) if m else []
            if got != want:
                err("%s --help: %s lists %s, the table %s"
                    % (tool, opt, " ".join(got), " ".join(want)))
            msg = run([os.path.join(BIN, tool), opt, "?"], 2)[1]
            m = re.search(r"\(one of: (.*)\)\n", msg)
            got = m.group(1).split() if m else []
            if got != want:
                err("%s %s ?: says %s, the table %s"
                    % (tool, opt, " ".join(got), " ".join(want)))
        page = os.path.join(BUILD, "man", tool + ".1")
        found = {}
        for tag, body in tags(sections(page).get("OPTIONS", [])):
            d = definition(tag)
            if d and d[0] in lists:
                found[d[0]] = format_list(body)
        for opt, want in lists.items():
            if found.get(opt) != want:
                err("%s.1: %s lists %s, the table %s"
                    % (tool, opt, " ".join(found.get(opt, [])), " ".join(want)))
    # every format has its paragraph in FORMATS
    for tool in tools():
        page = os.path.join(BUILD, "man", tool + ".1")
        lines = sections(page).get("FORMATS", [])
        # the formats come first, before "Compressed input" and the rest
        lines = lines[:next((i for i, x in enumerate(lines)
                             if x.startswith(".SS")), len(lines))]
        doc = [t for t, _ in tags(lines)]
        for n in sorted(set(every["-i"] + every["-o"]) - {"auto"}):
            if n not in doc:
                err("%s.1: FORMATS has no %s" % (tool, n))
        for n in doc:
            if n not in every["-i"] + every["-o"]:
                err("%s.1: FORMATS has %s, which the table does not have"
                    % (tool, n))


# --- tools ----------------------------------------------------------------

def check_tools():
    src = tools()
    bins = sorted(f for f in os.listdir(BIN) if f.startswith("stream-"))
    if bins != src:
        err("bin has %s, src %s" % (" ".join(bins), " ".join(src)))
    mandir = os.path.join(BUILD, "man")
    pages = sorted(f[:-2] for f in os.listdir(mandir) if f.endswith(".1"))
    if pages != src:
        err("man pages for %s, tools %s" % (" ".join(pages), " ".join(src)))
    have = rendered(os.path.join(mandir, "streamkit.7"))
    for t in src:
        if t + "(1)" not in have:
            err("streamkit(7) does not name %s(1)" % t)


{"options": check_options, "functions": check_functions,
 "aggregates": check_aggregates, "formats": check_formats,
 "tools": check_tools}[CHECK]()
for e in errors:
    print(e, file=sys.stderr)
sys.exit(1 if errors else 0)
