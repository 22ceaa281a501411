"""A reference model of stream-window's windows, written from the SPEC's
Windows section and stream-window(1), sharing no code with the tool.

Times are integers in nanoseconds. A record is (line, t, key, vals): line
is its line number in the input (for the rejects), key a tuple of byte
strings, vals a dict of field -> text. run() returns the rows (each a list
of output fields as text, window times formatted by fmt), the line
numbers of the late records, and those of the bad ones: records with a
window (its start, its end plus --update-late) or a watermark outside the
int64 ns range, which is "a window that cannot be represented".
"""

import datetime
import math

NS = 10**9
I64_MIN, I64_MAX = -(2**63), 2**63 - 1


def fmt_epoch(ns, per):
    """ns in units of `per` ns, exact, a fraction only when there is one."""
    neg = ns < 0
    a = -ns if neg else ns
    q, r = divmod(a, per)
    s = str(q)
    if r:
        digits = len(str(per)) - 1
        s += "." + str(r).rjust(digits, "0").rstrip("0")
    return ("-" if neg else "") + s


def fmt_iso(ns):
    secs, frac = divmod(ns, NS)
    d = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=secs)
    s = d.strftime("%Y-%m-%dT%H:%M:%S")
    s = "%04d%s" % (d.year, s[s.index("-"):])
    if frac:
        s += "." + str(frac).rjust(9, "0").rstrip("0")
    return s + "Z"


# ---- aggregates: computed from the window's records in arrival order ----

def num(text):
    """The number of a field's text, or None when empty."""
    if text == "":
        return None
    return float(text) if any(c in text for c in ".eE") else int(text)


def fmt_num(x):
    if isinstance(x, int):
        return str(x)
    if x == int(x) and abs(x) < 2**53:
        return str(int(x))
    return repr(x)


def percentile(xs, q):
    """Hyndman-Fan type 7."""
    xs = sorted(xs)
    h = (len(xs) - 1) * q
    lo = math.floor(h)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (h - lo) * (xs[hi] - xs[lo])


def aggregate(func, arg, recs):
    """One aggregate over records in arrival order, as output text."""
    if func == "count":
        return str(len(recs))
    vals = [r[3][arg] for r in recs if r[3][arg] != ""]
    if func == "first":
        return vals[0] if vals else ""
    if func == "last":
        return vals[-1] if vals else ""
    xs = [num(v) for v in vals]
    if func == "sum":
        return fmt_num(sum(xs)) if xs else ""  # no value: empty, as in SQL
    if not xs:
        return ""
    if func == "min":
        return fmt_num(min(xs))
    if func == "max":
        return fmt_num(max(xs))
    if func == "mean":
        return fmt_num(math.fsum(xs) / len(xs))
    if func.startswith("p"):
        return fmt_num(percentile(xs, float(func[1:]) / 100))
    raise ValueError(func)


class Model:
    """conf: kind (tumbling, sliding, session, count), size, slide, gap,
    count, cslide, offset, max_delay, update_late, emit (close, update),
    aggs: [(func, arg)], fmt: ns -> text."""

    def __init__(self, conf):
        self.c = conf
        self.rows = []
        self.late = []
        self.bad = []
        self.meta = []       # (batch, start, end) of each row
        self.batch = 0       # one per record, one for the end of input
        self.wm = None       # None: before any record
        self.maxt = None

    def row(self, start, end, key, recs):
        self.meta.append((self.batch, start, end))
        f = self.c["fmt"]
        out = [f(start), f(end)] + [k for k in key]
        if recs is None:  # a retraction: every aggregate empty
            out += ["" for _ in self.c["aggs"]]
        else:
            out += [aggregate(fn, arg, recs) for fn, arg in self.c["aggs"]]
        self.rows.append(out)

    def run(self, records):
        kind = self.c["kind"]
        ok = []
        for r in records:
            if self.out_of_range(r):
                self.bad.append(r[0])
            else:
                ok.append(r)
        records = ok
        if kind in ("tumbling", "sliding"):
            self.time_run(self.each(records))
        elif kind == "session":
            self.session_run(self.each(records))
        else:
            self.count_run(self.each(records))
        self.batch += 1
        if self.c.get("sort") is not None or self.c.get("top"):
            self.sort_top()
        return self.rows, self.late, self.bad

    def each(self, records):
        for r in records:
            self.batch += 1
            yield r

    def sort_top(self):
        """--sort COL and --top N within each fired window: the rows one
        record (or the end of input) writes for the same window."""
        col, desc, top = self.c.get("sort"), self.c.get("desc"), self.c.get("top")

        def key(r):
            v = r[col]
            try:
                x = float(v)
                isnum = v.strip() != "" and x == x
            except ValueError:
                isnum = False
            return v, isnum, (x if isnum else 0.0)

        def cmp(a, b):
            (va, na, xa), (vb, nb, xb) = key(a[1]), key(b[1])
            if (va == "") != (vb == ""):
                return 1 if va == "" else -1
            if na and nb:
                r = (xa > xb) - (xa < xb)
            else:
                ba, bb = va.encode(), vb.encode()
                r = (ba > bb) - (ba < bb)
            if desc:
                r = -r
            return r or (a[0] > b[0]) - (a[0] < b[0])

        import functools
        out, i = [], 0
        while i < len(self.rows):
            j = i
            while j < len(self.rows) and self.meta[j] == self.meta[i]:
                j += 1
            grp = sorted(enumerate(self.rows[i:j]), key=functools.cmp_to_key(cmp)) \
                if col is not None else list(enumerate(self.rows[i:j]))
            out += [r for _, r in grp[:top or None]]
            i = j
        self.rows = out

    def out_of_range(self, rec):
        """The record's windows or watermark do not fit (INT64_MAX itself
        is kept free: it means "never")."""
        c, t = self.c, rec[1]
        if t - c["max_delay"] <= I64_MIN:
            return True
        if c["kind"] in ("tumbling", "sliding"):
            last = t - (t - c["offset"]) % c["slide"]
            first = last
            while first - c["slide"] + c["size"] > t:
                first -= c["slide"]
            return first < I64_MIN or last + c["size"] + c["update_late"] >= I64_MAX
        if c["kind"] == "session":
            return t + c["gap"] + c["update_late"] >= I64_MAX
        return False

    def advance(self, t):
        if self.maxt is None or t > self.maxt:
            self.maxt = t
        wm = self.maxt - self.c["max_delay"]
        if self.wm is None or wm > self.wm:
            self.wm = wm
            return True
        return False

    # ---- tumbling and sliding ----

    def time_run(self, records):
        c = self.c
        size, slide, off, ul = c["size"], c["slide"], c["offset"], c["update_late"]
        win = {}          # (start, key) -> records in arrival order
        fired = set()     # (start, key) emitted on firing
        for rec in records:
            line, t, key, vals = rec
            last = t - (t - off) % slide      # the latest window holding t
            if self.wm is not None and last + size + ul <= self.wm:
                self.late.append(line)
                continue
            starts = []
            s = last
            while s + size > t:
                starts.append(s)
                s -= slide
            for s in reversed(starts):        # oldest first
                e = s + size
                if self.wm is not None and e + ul <= self.wm:
                    continue                  # purged: never re-created
                win.setdefault((s, key), []).append(rec)
                done = self.wm is not None and e <= self.wm
                if done:                      # fires now, and only now
                    fired.add((s, key))
                if done or c["emit"] == "update":
                    self.row(s, e, key, win[(s, key)])
            if self.advance(t):
                due = [(s + size, s, k) for (s, k) in win
                       if s + size <= self.wm and (s, k) not in fired]
                for e, s, k in sorted(due):
                    fired.add((s, k))
                    if c["emit"] == "close":
                        self.row(s, e, k, win[(s, k)])
                for (s, k) in list(win):
                    if s + size + ul <= self.wm:
                        del win[(s, k)]
                        fired.discard((s, k))
        if c["emit"] == "close":
            rest = [(s + size, s, k) for (s, k) in win if (s, k) not in fired]
            for e, s, k in sorted(rest):
                self.row(s, e, k, win[(s, k)])

    # ---- sessions ----

    def session_run(self, records):
        c = self.c
        gap, ul = c["gap"], c["update_late"]
        sess = {}   # key -> list of [start, end, recs, fired]
        for rec in records:
            line, t, key, vals = rec
            ss = sess.setdefault(key, [])
            touch = [x for x in ss if x[1] >= t and x[0] <= t + gap]
            if not touch and self.wm is not None and self.wm > t + gap + ul:
                self.late.append(line)
                continue
            start = min([t] + [x[0] for x in touch])
            end = max([t + gap] + [x[1] for x in touch])
            recs = sorted([r for x in touch for r in x[2]] + [rec],
                          key=lambda r: r[0])
            for x in touch:
                ss.remove(x)
            fired = self.wm is not None and self.wm > end
            new = [start, end, recs, fired]
            ss.append(new)
            ss.sort(key=lambda x: x[0])
            if c["emit"] == "update":
                for x in sorted(touch, key=lambda x: x[0]):
                    if (x[0], x[1]) != (start, end):
                        self.row(x[0], x[1], key, None)
            if fired or c["emit"] == "update":
                self.row(start, end, key, recs)
            if self.advance(t):
                due = []
                for k, ss2 in sess.items():
                    for x in ss2:
                        if not x[3] and self.wm > x[1]:
                            x[3] = True
                            due.append((x[1], x[0], k, x[2]))
                if c["emit"] == "close":
                    for e, s, k, r in sorted(due, key=lambda d: d[:3]):
                        self.row(s, e, k, r)
                for k in sess:
                    sess[k] = [x for x in sess[k] if not self.wm > x[1] + ul]
        if c["emit"] == "close":
            rest = [(x[1], x[0], k, x[2]) for k, ss in sess.items()
                    for x in ss if not x[3]]
            for e, s, k, r in sorted(rest, key=lambda d: d[:3]):
                self.row(s, e, k, r)

    # ---- count ----

    def count_run(self, records):
        c = self.c
        n, sl = c["count"], c["cslide"]
        seen = {}     # key -> records so far
        shown = {}    # key -> (window number, start, end) of the last update row
        for rec in records:
            line, t, key, vals = rec
            rs = seen.setdefault(key, [])
            rs.append(rec)
            k = len(rs)
            nxt = -(-k // sl) * sl            # the window this record fills
            w = rs[max(0, nxt - n):k]
            if c["emit"] == "update":
                prev = shown.get(key)
                if prev and prev[0] == nxt and prev[1:] != (w[0][1], w[-1][1]):
                    self.row(prev[1], prev[2], key, None)
                shown[key] = (nxt, w[0][1], w[-1][1])
                self.row(w[0][1], w[-1][1], key, w)
            elif k % sl == 0:
                self.row(w[0][1], w[-1][1], key, w)
        if c["emit"] == "close":
            rest = []
            for key, rs in seen.items():
                k = len(rs)
                if k % sl:
                    nxt = -(-k // sl) * sl
                    w = rs[max(0, nxt - n):k]
                    rest.append((w[-1][1], w[0][1], key, w))
            for e, s, key, w in sorted(rest, key=lambda d: d[:3]):
                self.row(s, e, key, w)
