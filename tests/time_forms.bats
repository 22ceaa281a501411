#!/usr/bin/env bats
# Time forms: ctime / Apache error log, ISO with a spaced Z, strptime's %f,
# strftime in a named time zone; checked against Python's datetime and
# zoneinfo.

load helpers

APACHE=/work/shared/data/loghub/Apache_2k.log_structured.csv

@test "time: the ctime / Apache error log form auto-parses" {
	printf 'a\nSun Dec 04 04:47:44 2005\n[Sun Dec  4 04:47:44 2005]\nSun Dec 4 04:47:44 2005\nWed Oct 11 14:32:52.123456 2000\nMon Dec 04 04:47:44 2005\nSun Dec 04 04:47:44 05\n' |
		check 0 $'a,t\nSun Dec 04 04:47:44 2005,1133671664\n[Sun Dec  4 04:47:44 2005],1133671664\nSun Dec 4 04:47:44 2005,1133671664\nWed Oct 11 14:32:52.123456 2000,971274772.123456\nMon Dec 04 04:47:44 2005,\nSun Dec 04 04:47:44 05,\n' '' -- \
		stream-map 't = time(a)'
}

@test "time: every time of the Apache error log agrees with Python's strptime" {
	[ -r "$APACHE" ] || skip "no $APACHE"
	want=$(python3 -c '
import csv, sys, datetime
for r in csv.DictReader(open(sys.argv[1])):
    t = datetime.datetime.strptime(r["Time"], "%a %b %d %H:%M:%S %Y")
    print(int(t.replace(tzinfo=datetime.timezone.utc).timestamp()))' "$APACHE")
	check 0 "$want"$'\n' '' -- stream-map -s t -o tsv --no-output-header 't = time(Time)' "$APACHE"
	# windows on it, in the input's own form
	want=$(python3 -c '
import csv, sys, datetime, collections
n = collections.Counter()
for r in csv.DictReader(open(sys.argv[1])):
    t = datetime.datetime.strptime(r["Time"], "%a %b %d %H:%M:%S %Y")
    n[(t.date(), r["Level"])] += 1
for (d, l), c in sorted(n.items()):
    e = d + datetime.timedelta(days=1)
    print("%s,%s,%s,%d" % (d.strftime("%a %b %d 00:00:00 %Y"), e.strftime("%a %b %d 00:00:00 %Y"), l, c))' "$APACHE")
	check 0 "$want"$'\n' '' -- stream-window -t Time --tumbling 1d -g Level --no-output-header count "$APACHE"
}

@test "time: ISO with a space before Z, as the man page says" {
	printf 'a\n2024-05-17 10:20:30 Z\n2024-05-17T10:20:30 z\n2024-05-17 10:20:30 +02:00\n2024-05-17 10:20:30  Z\n' |
		check 0 $'a,t\n2024-05-17 10:20:30 Z,1715941230\n2024-05-17T10:20:30 z,1715941230\n2024-05-17 10:20:30 +02:00,1715934030\n2024-05-17 10:20:30  Z,\n' '' -- \
		stream-map 't = time(a)'
}

@test "time: strptime takes %f, as Python's" {
	python3 - > "$BATS_TEST_TMPDIR/in" <<'PY'
import random, datetime
r = random.Random(18)
print("s")
for i in range(300):
    t = datetime.datetime(2000, 1, 1) + datetime.timedelta(seconds=r.randrange(0, 10**9), microseconds=r.randrange(0, 10**6))
    print(t.strftime("%Y-%m-%d %H:%M:%S.%f")[: 21 + r.randrange(0, 6)])
PY
	want=$(python3 -c '
import csv, sys, datetime
print("t")
for r in csv.DictReader(open(sys.argv[1])):
    t = datetime.datetime.strptime(r["s"], "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc)
    s = int(t.timestamp()); us = t.microsecond
    print(s if us == 0 else ("%d.%06d" % (s, us)).rstrip("0"))' "$BATS_TEST_TMPDIR/in")
	check 0 "$want"$'\n' '' -- stream-map -s t 't = strptime(s, "%Y-%m-%d %H:%M:%S.%f")' "$BATS_TEST_TMPDIR/in"
	printf 's\n10:20:30.\n10:20:30.x\n10:20:30.1234567891\n' |
		check 0 $'s,t\n10:20:30.,\n10:20:30.x,\n10:20:30.1234567891,\n' '' -- stream-map 't = strptime(s, "%H:%M:%S.%f")'
	# and strftime writes it: microseconds, six digits
	printf 't\n1715941230.25\n' | check 0 $'t,s\n1715941230.25,10:20:30.250000\n' '' -- stream-map 's = strftime(t, "%H:%M:%S.%f")'
}

@test "time: strftime in a named time zone agrees with zoneinfo (DST too)" {
	python3 - > "$BATS_TEST_TMPDIR/in" <<'PY'
import random
r = random.Random(5)
zones = ["America/New_York", "Europe/Paris", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"]
print("t,z")
for i in range(300):
    print("%d,%s" % (r.randrange(0, 2 * 10**9), r.choice(zones)))
PY
	want=$(python3 -c '
import csv, sys, datetime, zoneinfo
print("s")
for r in csv.DictReader(open(sys.argv[1])):
    t = datetime.datetime.fromtimestamp(int(r["t"]), zoneinfo.ZoneInfo(r["z"]))
    print(t.strftime("%Y-%m-%d %H:%M:%S %Z %z"))' "$BATS_TEST_TMPDIR/in")
	check 0 "$want"$'\n' '' -- stream-map -s s 's = strftime(t, "%Y-%m-%d %H:%M:%S %Z %z", z)' "$BATS_TEST_TMPDIR/in"
	printf 't\n1715941230\n' |
		check 0 $'t,p,u\n1715941230,12:20:30 CEST,10:20:30\n' '' -- stream-map 'p = strftime(t, "%H:%M:%S %Z", "Europe/Paris"); u = strftime(t, "%H:%M:%S")'
	# an unknown constant zone is a program error; an unknown field value is empty
	check 2 '' $'stream-map: 1:23: strftime: unknown time zone \'Mars/Olympus\' (a TZ database name such as Europe/Paris, or UTC)\n  s = strftime(t, "%H", "Mars/Olympus")\n                        ^^^^^^^^^^^^^^' -- \
		stream-map 's = strftime(t, "%H", "Mars/Olympus")'
	printf 't,z\n1,Mars/Olympus\n1,../../etc/passwd\n1,\n' |
		check 0 $'t,z,s\n1,Mars/Olympus,\n1,../../etc/passwd,\n1,,\n' '' -- stream-map 's = strftime(t, "%H", z)'
}
