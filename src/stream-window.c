/* stream-window: aggregates inside tumbling, sliding, session and count
 * windows, in event or processing time. Options and the run loop only:
 * the windows are sk_window, their options, times and rows sk_winrun. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include "sk_err.h"
#include "sk_tool.h"
#include "sk_winrun.h"
#include "sk_winstate.h"

static void usage(int status)
{
	if (status != SK_EXIT_OK)
		sk_try_help(status);
	printf(
"Usage: stream-window [OPTIONS] AGGREGATES [FILE...]\n"
"Aggregates per key inside tumbling, sliding, session or count windows, in\n"
"event time (-t) or processing time. AGGREGATES as in stream-agg:\n"
"'count, sum(bytes), p99(bytes) as slow'.\n"
"\n"
"Windows (one of):\n"
"      --tumbling SIZE      fixed windows [start, start+SIZE) (1m, 5s)\n"
"      --sliding SIZE,SLIDE windows of SIZE every SLIDE (SLIDE <= SIZE)\n"
"      --session GAP        per key, records less than or exactly GAP apart\n"
"      --count N[,SLIDE]    per key, every N records (the last N every SLIDE)\n"
"      --offset DUR         shift the alignment (-8h: days of UTC+8)\n"
"  -g, --group-by KEYS      windows per key (comma list of fields: name,\n"
"                           $name, ${any name}, $3 or 3)\n"
"      --sort [-]COL        sort the rows of each fired window by a column\n"
"                           (- descending)\n"
"      --top N              only the first N rows of each fired window\n"
"      --partial            write every window's mergeable state per key\n"
"                           instead of results (no window fires)\n"
"      --merge              read --partial output of any number of runs and\n"
"                           write what one run over all of it would (give the\n"
"                           same window, -t, -g and AGGREGATES; not --count)\n"
"\n"
"Time:\n"
"  -t, --time FIELD         event time from FIELD (epoch s/ms/us/ns, ISO 8601,\n"
"                           CLF, syslog); without -t, processing time\n"
"      --time-format FMT    parse FIELD with strptime(3) FMT instead\n"
"      --time-out FORM      window times as epoch, epoch_ms or iso (default:\n"
"                           as in the input; iso in processing time)\n"
"      --max-delay DUR      watermark = max event time - DUR (default 0)\n"
"      --update-late DUR    keep fired windows DUR longer: a late record\n"
"                           re-emits its window with the new totals\n"
"                           --max-delay delays the one emission; --update-late\n"
"                           re-emits afterwards\n"
"      --late MODE          reject (default: counted, reported, to --rejects)\n"
"                           or drop records too late for every window\n"
"      --emit MODE          close (default): one row per window; update: a\n"
"                           row for every change (a window it replaces is\n"
"                           retracted by a row with empty aggregates)\n"
"      --idle DUR           after DUR without input, event time advances at\n"
"                           wall-clock speed (default: off)\n"
"\n"
"Incremental runs (cron over growing, rotating logs; event time only):\n"
"      --state FILE         keep the open windows, the watermark and where\n"
"                           each FILE was read to in FILE; the next run reads\n"
"                           only what came since, and a window is written\n"
"                           once, by the run whose records close it (the end\n"
"                           of input fires nothing)\n"
"      --drain              with --state: at the end also fire every open\n"
"                           window, as a run without --state does\n"
"      --rotated GLOB       where rotated FILEs also go (FILE.1 and FILE-* are\n"
"                           looked at always)\n"
"      --checkpoint DUR     also write the --state FILE every DUR (250ms, 5s)\n"
"                           while reading: a run killed (SIGKILL, a crash)\n"
"                           loses nothing, but the windows it wrote after the\n"
"                           last checkpoint are written again by the next run\n"
"\n");
	sk_tool_usage_common(stdout);
	printf(
"\n"
"Output: window_start, window_end, the keys, the aggregates. Windows fire\n"
"when the watermark reaches their end (sessions: passes it); end of input\n"
"and SIGINT/SIGTERM flush the open ones by end, start, then key (with\n"
"--state a signal stops the reading and saves them instead).\n"
"SK_TEST_CLOCK=EPOCH_SECONDS starts the clock there (for tests).\n"
"\n"
"Examples:\n"
"  stream-window -i clf -t time --tumbling 1m -g path 'count, p99(bytes)'\n"
"  stream-window -t ts --sliding 10m,1m --max-delay 30s 'mean(latency)'\n"
"  stream-window -t ts --session 30m -g user 'count, first(page)'\n"
"  tail -f app.log | stream-window -i logfmt --tumbling 10s -g level count\n"
"  stream-window --state /var/lib/app.win -t ts --tumbling 5m count app.log\n"
"\n"
"Exit status: 0 fine, 1 bad data (or late records) or I/O error, 2 usage\n"
"error; after SIGINT, SIGTERM or SIGHUP (open windows fire) 130, 143, 129.\n");
	exit(status);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		SK_COMMON_LONGOPTS,
		{ "group-by", required_argument, NULL, 'g' },
		{ "time", required_argument, NULL, 't' },
		{ "tumbling", required_argument, NULL, SK_WOPT_TUMBLING },
		{ "sliding", required_argument, NULL, SK_WOPT_SLIDING },
		{ "session", required_argument, NULL, SK_WOPT_SESSION },
		{ "count", required_argument, NULL, SK_WOPT_COUNT },
		{ "offset", required_argument, NULL, SK_WOPT_OFFSET },
		{ "time-format", required_argument, NULL, SK_WOPT_TIME_FORMAT },
		{ "time-out", required_argument, NULL, SK_WOPT_TIME_OUT },
		{ "max-delay", required_argument, NULL, SK_WOPT_MAX_DELAY },
		{ "update-late", required_argument, NULL, SK_WOPT_UPDATE_LATE },
		{ "late", required_argument, NULL, SK_WOPT_LATE },
		{ "emit", required_argument, NULL, SK_WOPT_EMIT },
		{ "idle", required_argument, NULL, SK_WOPT_IDLE },
		{ "sort", required_argument, NULL, SK_WOPT_SORT },
		{ "top", required_argument, NULL, SK_WOPT_TOP },
		{ "partial", no_argument, NULL, SK_WOPT_PARTIAL },
		{ "merge", no_argument, NULL, SK_WOPT_MERGE },
		{ "state", required_argument, NULL, SK_WSOPT_STATE },
		{ "rotated", required_argument, NULL, SK_WSOPT_ROTATED },
		{ "checkpoint", required_argument, NULL, SK_WSOPT_CHECKPOINT },
		{ "drain", no_argument, NULL, SK_WSOPT_DRAIN },
		{ NULL, 0, NULL, 0 },
	};
	static sk_tool t;
	static sk_winrun w;
	static sk_winstate st;
	sk_tool_init(&t, argc, argv, usage);
	sk_winrun_init(&w, &t);
	int c;
	while ((c = getopt_long(argc, argv, SK_COMMON_SHORTOPTS "g:t:",
				longopts, NULL)) != -1)
		if (!sk_tool_opt(&t, c, optarg) && !sk_winrun_opt(&w, c, optarg) &&
		    !sk_winstate_opt(&st, c, optarg))
			usage(SK_EXIT_USAGE);
	sk_winstate_check(&st, &w);
	sk_winrun_setup(&w, optind < argc ? argv[optind++] : NULL);
	t.state_path = st.rs.path;
	sk_tool_start(&t, argc, argv, optind, &sk_stdout);
	if (st.rs.path)
		sk_winstate_open(&st, &w);
	sk_tool_catch_signals();
	sk_winrun_start(&w);
	while (sk_tool_next(&t)) {
		if (w.merge)
			sk_winrun_merge_record(&w, &t.rec);
		else
			sk_winrun_record(&w, &t.rec);
		if (!st.rs.path)
			continue;
		/* a signal: the state is taken where this record ends */
		if (sk_stop_flag)
			break;
		sk_winstate_checkpoint(&st);
	}
	/* stopped by a signal, --state fires nothing more: the windows
	 * still open stay in the state for the next run */
	if (!(st.rs.path && sk_stop_flag))
		sk_winrun_finish(&w);
	int sterr = st.rs.path ? sk_winstate_end(&st) : 0;
	sk_winrun_free(&w);
	int status = sk_tool_finish(&t);
	return status ? status : sterr;
}
