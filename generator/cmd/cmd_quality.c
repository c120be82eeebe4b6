/* catlog quality: the data-quality expectations on a committed snapshot. */
#include <stdio.h>

#include "cmd/cmd.h"
#include "cmd/settings.h"
#include "db/asof.h"
#include "db/db.h"
#include "etl/quality.h"

static int run_quality(catlog_ctx *ctx)
{
    quality_expect exp = {0};
    int have_date = config_is_set(ctx->cfg, S_QUALITY_DATE);
    exp.date = (date_day)config_int(ctx->cfg, S_QUALITY_DATE);
    if (db_connect(ctx) != 0) return EXIT_FAIL;
    if (!have_date) {
        bool found = false;
        if (asof_latest(ctx, &exp.date, &found) != 0) return EXIT_FAIL;
        if (!found) {
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

const command CMD_QUALITY = {
    {"quality", NULL, 0, 0, G_DB | G_QUALITY,
     "Evaluates the data-quality expectations on a committed snapshot, stores the results in\n"
     "\"QualityResults\" and exits 1 when a critical expectation fails.\n"},
    "run the data-quality expectations on a snapshot",
    run_quality,
};
