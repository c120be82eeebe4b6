/* catlog demo-data: deterministic synthetic rankings for demos, tests and benchmarks. */
#include <getopt.h>
#include <stdio.h>

#include "cmd/cmd.h"
#include "core/args.h"
#include "core/progress.h"
#include "etl/demo.h"

static const char usage[] =
    "usage: catlog demo-data [--anime N] [--days D] [--end YYYY-MM-DD] [--seed S] [--replace]\n"
    "Fills \"ProcessedAnime\", \"DailyRankings\" and \"EtlLogs\" with synthetic rankings.\n"
    "  --anime N      number of anime (default 500)\n"
    "  --days D       days of history ending at --end (default 120)\n"
    "  --end DATE     last snapshot date (default: today, UTC)\n"
    "  --seed S       random seed (default 1); same arguments give identical tables\n"
    "  --replace      overwrite data already in those tables\n";

int cmd_demo_data(int argc, char **argv, catlog_ctx *ctx)
{
    static const struct option opts[] = {
        {"anime", required_argument, NULL, 'a'}, {"days", required_argument, NULL, 'd'},
        {"end", required_argument, NULL, 'e'},   {"seed", required_argument, NULL, 's'},
        {"replace", no_argument, NULL, 'r'},     {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    demo_options o = {.anime = 500, .days = 120, .end = date_today_utc(), .seed = 1,
                      .replace = false, .progress = ctx->stdout_is_tty};
    long long v;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'a': if (!args_int("--anime", optarg, 1, 1000000, &v)) return EXIT_USAGE; o.anime = (int)v; break;
        case 'd': if (!args_int("--days", optarg, 1, 36500, &v)) return EXIT_USAGE; o.days = (int)v; break;
        case 'e': if (!args_date("--end", optarg, &o.end)) return EXIT_USAGE; break;
        case 's': if (!args_int("--seed", optarg, 0, 0x7fffffffffffffffLL, &v)) return EXIT_USAGE; o.seed = (uint64_t)v; break;
        case 'r': o.replace = true; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: return args_usage_error("demo-data", usage, "unknown or incomplete option", argv[optind - 1]);
        }
    }
    if (optind != argc) return args_usage_error("demo-data", usage, "unexpected argument", argv[optind]);
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
