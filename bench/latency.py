#!/usr/bin/env python3
# bench/latency.py: time for one record to cross a live pipeline, end to end.
#
# latency.py N 'SHELL PIPELINE'
#
# Starts the pipeline, writes a CSV header, then N records one at a time
# (status 500, bytes 1000+i), and after each waits until a line appears on
# the pipeline's output that holds both the running count i and the running
# sum of bytes as fields: the pipeline must end in a running aggregate
# (stream-agg --every 1 'count, sum(bytes)' or an awk equivalent). Prints
# the median and the 90th percentile in milliseconds, or "n/a" and exit 1
# if the pipeline fails or a record takes more than 5 s.
import os
import re
import select
import subprocess
import sys
import time


def main():
    n = int(sys.argv[1])
    cmd = sys.argv[2]
    p = subprocess.Popen(cmd, shell=True, stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         bufsize=0)
    fin, fout = p.stdin.fileno(), p.stdout.fileno()
    os.write(fin, b"ts,src_ip,dst_ip,port,proto,bytes,status\n")
    buf = b""
    lat = []
    total = 0
    split = re.compile(rb"[,\t ]")
    for i in range(1, n + 1):
        b = 1000 + i
        total += b
        want = (str(i).encode(), str(total).encode())
        rec = ("%d.000,192.0.2.%d,10.0.1.1,443,tcp,%d,500\n"
               % (1700000000 + i, i % 250 + 1, b)).encode()
        t0 = time.perf_counter()
        os.write(fin, rec)
        found = False
        while not found:
            left = 5.0 - (time.perf_counter() - t0)
            if left <= 0 or not select.select([fout], [], [], left)[0]:
                break
            chunk = os.read(fout, 65536)
            if not chunk:
                break
            buf += chunk
            lines = buf.split(b"\n")
            buf = lines.pop()
            for ln in lines:
                f = split.split(ln.strip().strip(b'"'))
                if want[0] in f and want[1] in f:
                    found = True
        if not found:
            print("n/a")
            p.kill()
            return 1
        lat.append(time.perf_counter() - t0)
        time.sleep(0.002)
    p.stdin.close()
    p.wait()
    lat.sort()
    print("%.3f %.3f" % (lat[len(lat) // 2] * 1e3,
                         lat[int(len(lat) * 0.9)] * 1e3))
    return 0


if __name__ == "__main__":
    sys.exit(main())
