/* catlog demo-data: deterministic synthetic rankings for demos, tests and benchmarks. */
#include <stdio.h>

#include "cmd/cmd.h"
#include "cmd/settings.h"
#include "core/progress.h"
#include "etl/demo.h"

static int run_demo_data(catlog_ctx *ctx)
{
    const config *c = ctx->cfg;
    demo_options o = {
        .anime = (int)config_int(c, S_ANIME),
        .days = (int)config_int(c, S_DAYS),
        .end = config_is_set(c, S_END) ? (date_day)config_int(c, S_END) : date_today_utc(),
        .seed = (uint64_t)config_int(c, S_SEED),
        .replace = config_bool(c, S_REPLACE),
        .progress = ctx->stdout_is_tty,
    };
    double t0 = progress_now();
    demo_summary s;
    if (demo_load(ctx, &o, &s) != 0) return EXIT_FAIL;
    char first[11], last[11];
    date_format(o.end - (o.days - 1), first);
    date_format(o.end, last);
    printf("loaded %d anime, %lld daily rankings (%s .. %s) in %.1f s\n", s.anime, s.ranking_rows,
           first, last, progress_now() - t0);
    return EXIT_OK;
}

const command CMD_DEMO_DATA = {
    {"demo-data", NULL, 0, 0, G_DB | G_DEMO,
     "Fills \"ProcessedAnime\", \"DailyRankings\" and \"EtlLogs\" with synthetic rankings.\n"},
    "load deterministic synthetic rankings",
    run_demo_data,
};
