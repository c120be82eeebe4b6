/* catlog analytics trending | analytics refresh: trending lists and the statistical tables,
 * computed for an as-of date (default: the latest snapshot date). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/asof.h"
#include "analytics/refresh.h"
#include "analytics/trending.h"
#include "cmd/cmd.h"
#include "core/args.h"
#include "core/log.h"
#include "core/progress.h"

static const char usage[] =
    "usage: catlog analytics trending [--as-of YYYY-MM-DD] [--pretty]\n"
    "       catlog analytics refresh [--as-of YYYY-MM-DD]\n"
    "Everything is computed for the as-of date (default: the latest \"snapshotDate\");\n"
    "snapshots after it are ignored.\n"
    "  trending   print the trending lists (climbers, score surges, new to the top 50,\n"
    "             longest top-10 runs) as one JSON document\n"
    "  refresh    fill \"RollingMomentumAnalysis\", \"TrendSignificance\", \"VolatilityRankings\",\n"
    "             \"GenrePercentiles\" and \"TrendCorrelation\" for the as-of date, replacing\n"
    "             that date's rows\n"
    "Run catlog analytics <subcommand> --help for its options.\n";

static const char trending_usage[] =
    "usage: catlog analytics trending [--as-of YYYY-MM-DD] [--pretty]\n"
    "Prints the trending lists for the as-of date as one JSON document:\n"
    "{\"asOf\", \"biggestClimbersWeek\", \"biggestClimbersMonth\", \"newToTop50\",\n"
    " \"scoreSurgingWeek\", \"scoreSurgingMonth\", \"longestRunning\", \"availability\"}.\n"
    "A list whose history is too short is empty; \"availability\" says why.\n"
    "  --as-of DATE   compute as of DATE (default: the latest snapshot date)\n"
    "  --pretty       indent the JSON\n";

static const char refresh_usage[] =
    "usage: catlog analytics refresh [--as-of YYYY-MM-DD]\n"
    "Computes the statistical tables for the as-of date and replaces that date's rows\n"
    "(one transaction): \"RollingMomentumAnalysis\", \"TrendSignificance\",\n"
    "\"VolatilityRankings\", \"GenrePercentiles\", \"TrendCorrelation\".\n"
    "  --as-of DATE   compute as of DATE (default: the latest snapshot date)\n";

/* Parses [--as-of DATE] [--pretty] [--help]. Returns -1 to continue, else an exit code. */
static int parse(int argc, char **argv, const char *help, bool allow_pretty, date_day *as_of,
                 bool *has_as_of, bool *pretty)
{
    static const struct option opts[] = {
        {"as-of", required_argument, NULL, 'a'},
        {"pretty", no_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'a':
            if (!args_date("--as-of", optarg, as_of)) return EXIT_USAGE;
            *has_as_of = true;
            break;
        case 'p':
            if (!allow_pretty) goto unknown;
            *pretty = true;
            break;
        case 'h': fputs(help, stdout); return EXIT_OK;
        default:
        unknown:
            fprintf(stderr, "catlog analytics %s: unknown or incomplete option '%s'\n", argv[0],
                    argv[optind - 1]);
            fputs(help, stderr);
            return EXIT_USAGE;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "catlog analytics %s: unexpected argument '%s'\n", argv[0], argv[optind]);
        fputs(help, stderr);
        return EXIT_USAGE;
    }
    return -1;
}

static int run_trending(int argc, char **argv, catlog_ctx *ctx)
{
    date_day as_of = 0;
    bool has_as_of = false, pretty = false;
    int rc = parse(argc, argv, trending_usage, true, &as_of, &has_as_of, &pretty);
    if (rc >= 0) return rc;
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

static int run_refresh(int argc, char **argv, catlog_ctx *ctx)
{
    date_day as_of = 0;
    bool has_as_of = false, pretty = false;
    int rc = parse(argc, argv, refresh_usage, false, &as_of, &has_as_of, &pretty);
    if (rc >= 0) return rc;
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

int cmd_analytics(int argc, char **argv, catlog_ctx *ctx)
{
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(usage, stdout);
        return EXIT_OK;
    }
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "trending")) return run_trending(argc - 1, argv + 1, ctx);
    if (!strcmp(argv[1], "refresh")) return run_refresh(argc - 1, argv + 1, ctx);
    fprintf(stderr, "catlog: unknown analytics command '%s'\n", argv[1]);
    fputs(usage, stderr);
    return EXIT_USAGE;
}
