/* catlog quality: the data-quality expectations on a committed snapshot. */
#include <getopt.h>
#include <stdio.h>

#include "cmd/cmd.h"
#include "core/args.h"
#include "db/db.h"
#include "etl/quality.h"

static const char usage[] =
    "usage: catlog quality [--date YYYY-MM-DD]\n"
    "Evaluates the data-quality expectations on the snapshot of DATE (default: the latest),\n"
    "stores the results in \"QualityResults\" and exits 1 when a critical expectation fails.\n";

static int latest_snapshot(catlog_ctx *ctx, date_day *out)
{
    PGresult *r = db_query(ctx, "finding the latest snapshot",
                           "SELECT max(\"snapshotDate\")::text FROM \"DailyRankings\"", 0, NULL);
    if (!r) return -1;
    int rc = PQgetisnull(r, 0, 0) || !date_parse(PQgetvalue(r, 0, 0), out) ? 1 : 0;
    PQclear(r);
    return rc;
}

int cmd_quality(int argc, char **argv, catlog_ctx *ctx)
{
    static const struct option opts[] = {
        {"date", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
    };
    quality_expect exp = {0};
    int have_date = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': if (!args_date("--date", optarg, &exp.date)) return EXIT_USAGE; have_date = 1; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: return args_usage_error("quality", usage, "unknown or incomplete option", argv[optind - 1]);
        }
    }
    if (optind != argc) return args_usage_error("quality", usage, "unexpected argument", argv[optind]);
    if (db_connect(ctx) != 0) return EXIT_FAIL;
    if (!have_date) {
        int rc = latest_snapshot(ctx, &exp.date);
        if (rc < 0) return EXIT_FAIL;
        if (rc > 0) {
            fprintf(stderr, "catlog: error: no snapshots yet; run catlog etl run (or catlog demo-data) first\n");
            return EXIT_FAIL;
        }
    }
    buf run_id = BUF_INIT;
    quality_report rep = {0};
    int rc = db_exec(ctx, "starting the quality check", "BEGIN");
    if (rc == 0) rc = quality_batch_from_snapshot(ctx, &exp, &run_id);
    if (rc == 0) rc = quality_evaluate(ctx, &exp, &rep);
    db_exec(ctx, "finishing the quality check", rc == 0 ? "COMMIT" : "ROLLBACK");
    if (rc == 0) rc = quality_store(ctx, buf_cstr(&run_id), exp.date, &rep);
    if (rc == 0) {
        char date_s[11];
        date_format(exp.date, date_s);
        for (int i = 0; i < rep.count; i++) {
            const quality_result *q = &rep.items[i];
            printf("%-4s %-8s %s(%s): %s\n", q->success ? "ok" : "FAIL", q->critical ? "critical" : "warning",
                   q->expectation, q->column ? q->column : "table", q->observed ? q->observed : "");
        }
        buf summary = BUF_INIT;
        quality_summary(&rep, &summary);
        printf("%s: %s\n", date_s, buf_cstr(&summary));
        buf_free(&summary);
    }
    int critical = rep.critical_failed;
    quality_report_free(&rep);
    buf_free(&run_id);
    if (rc != 0) return EXIT_FAIL;
    return critical ? EXIT_FAIL : EXIT_OK;
}
