/* catlog analytics trending | analytics refresh: trending lists and the statistical tables,
 * computed for an as-of date (default: the latest snapshot date). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/asof.h"
#include "analytics/refresh.h"
#include "analytics/trending.h"
#include "cmd/cmd.h"
#include "cmd/settings.h"
#include "core/log.h"
#include "core/progress.h"

static int run_trending(catlog_ctx *ctx)
{
    bool has_as_of = config_is_set(ctx->cfg, S_AS_OF), pretty = config_bool(ctx->cfg, S_PRETTY);
    date_day as_of = (date_day)config_int(ctx->cfg, S_AS_OF);
    cJSON *doc = trending_document(ctx, has_as_of ? as_of : TRENDING_LATEST);
    if (!doc) return EXIT_FAIL;
    char *text = pretty ? cJSON_Print(doc) : cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    if (!text) {
        log_error("analytics trending: out of memory printing the document");
        return EXIT_FAIL;
    }
    fputs(text, stdout);
    fputc('\n', stdout);
    free(text);
    return EXIT_OK;
}

static int run_refresh(catlog_ctx *ctx)
{
    bool has_as_of = config_is_set(ctx->cfg, S_AS_OF);
    date_day as_of = (date_day)config_int(ctx->cfg, S_AS_OF);
    double t0 = progress_now();
    if (!has_as_of) {
        if (asof_latest(ctx, &as_of, &has_as_of) != 0) return EXIT_FAIL;
        if (!has_as_of) {
            printf("no snapshots in \"DailyRankings\": nothing to refresh\n");
            return EXIT_OK;
        }
    }
    refresh_summary s;
    if (refresh_run(ctx, as_of, &s) != 0) return EXIT_FAIL;
    char a[11];
    date_format(as_of, a);
    printf("refreshed analytics as of %s: %d anime, %lld snapshots in 90 days -> %lld momentum, "
           "%lld trend fits, %lld volatility, %lld genre percentile, %lld correlation rows "
           "in %.2f s (read %.2f, compute %.2f, write %.2f)\n",
           a, s.anime, s.snapshots, s.momentum_rows, s.trend_rows, s.volatility_rows,
           s.percentile_rows, s.correlation_rows, progress_now() - t0, s.read_seconds,
           s.compute_seconds, s.write_seconds);
    return EXIT_OK;
}

const command CMD_ANALYTICS_TRENDING = {
    {"analytics trending", NULL, 0, 0, G_DB | G_AS_OF | G_PRETTY,
     "Prints the trending lists for the as-of date (default: the latest \"snapshotDate\"; later\n"
     "snapshots are ignored) as one JSON document: {\"asOf\", \"biggestClimbersWeek\",\n"
     "\"biggestClimbersMonth\", \"newToTop50\", \"scoreSurgingWeek\", \"scoreSurgingMonth\",\n"
     "\"longestRunning\", \"availability\"}. A list whose history is too short is empty;\n"
     "\"availability\" says why.\n"},
    "print the trending lists as JSON",
    run_trending,
};

const command CMD_ANALYTICS_REFRESH = {
    {"analytics refresh", NULL, 0, 0, G_DB | G_AS_OF,
     "Computes every statistical table for the as-of date (default: the latest snapshot) and\n"
     "replaces that date's rows in all of them in one transaction.\n"},
    "compute the statistical tables",
    run_refresh,
};
