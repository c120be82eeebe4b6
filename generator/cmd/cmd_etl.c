/* catlog etl run | etl logs */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/args.h"
#include "etl/etl.h"

static const char usage[] =
    "usage: catlog etl run [--pages N] [--date YYYY-MM-DD] [--raw-dir DIR] [--retries N]\n"
    "                      [--timeout SECS] [--keep-raw-days N] [--keep-log-days N]\n"
    "       catlog etl logs [--limit N]\n"
    "run:  fetches GET $JIKAN_BASE_URL/top/anime?page=P&limit=25 for P = 1..N (default 4 = top 100),\n"
    "      archives each page under DIR/YYYY-MM-DD/ (default data/raw), and loads the day's snapshot\n"
    "      in one transaction behind the quality gate. At most 1 request/s and 60/min.\n"
    "      --date defaults to today (UTC); --retries (default 3) per request on 429/5xx/timeouts;\n"
    "      raw rows older than --keep-raw-days (90) and logs older than --keep-log-days (365) are removed.\n"
    "logs: the most recent runs (default 20).\n";

static int bad_usage(const char *msg, const char *arg)
{
    return args_usage_error("etl", usage, msg, arg);
}

static int etl_run_cmd(int argc, char **argv, catlog_ctx *ctx)
{
    static const struct option opts[] = {
        {"pages", required_argument, NULL, 'p'},         {"date", required_argument, NULL, 'd'},
        {"raw-dir", required_argument, NULL, 'r'},       {"retries", required_argument, NULL, 'R'},
        {"timeout", required_argument, NULL, 't'},       {"keep-raw-days", required_argument, NULL, 'k'},
        {"keep-log-days", required_argument, NULL, 'l'}, {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    etl_options o;
    etl_default_options(&o, ctx->stdout_is_tty);
    long long v;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'p': if (!args_int("--pages", optarg, 1, 5000, &v)) return EXIT_USAGE; o.pages = (int)v; break;
        case 'd': if (!args_date("--date", optarg, &o.date)) return EXIT_USAGE; break;
        case 'r': o.raw_dir = optarg; break;
        case 'R': if (!args_int("--retries", optarg, 0, 20, &v)) return EXIT_USAGE; o.http.max_retries = (int)v; break;
        case 't': if (!args_int("--timeout", optarg, 1, 600, &v)) return EXIT_USAGE; o.http.timeout_s = (long)v; break;
        case 'k': if (!args_int("--keep-raw-days", optarg, 1, 100000, &v)) return EXIT_USAGE; o.keep_raw_days = (int)v; break;
        case 'l': if (!args_int("--keep-log-days", optarg, 1, 100000, &v)) return EXIT_USAGE; o.keep_log_days = (int)v; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: return bad_usage("unknown or incomplete option", argv[optind - 1]);
        }
    }
    if (optind != argc) return bad_usage("unexpected argument", argv[optind]);
    etl_summary s;
    int rc = etl_run(ctx, &o, &s);
    if (rc != 0) return EXIT_FAIL;
    printf("etl run %s: %d page%s, %lld anime loaded, %lld rejected, %d request%s (%d retr%s), "
           "quality %d warning%s\n",
           s.run_id, s.pages_fetched, s.pages_fetched == 1 ? "" : "s", s.accepted, s.rejected, s.requests,
           s.requests == 1 ? "" : "s", s.retries, s.retries == 1 ? "y" : "ies", s.quality_failed,
           s.quality_failed == 1 ? "" : "s");
    return EXIT_OK;
}

static int etl_logs_cmd(int argc, char **argv, catlog_ctx *ctx)
{
    static const struct option opts[] = {
        {"limit", required_argument, NULL, 'n'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
    };
    long long limit = 20;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'n': if (!args_int("--limit", optarg, 1, 100000, &limit)) return EXIT_USAGE; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: return bad_usage("unknown or incomplete option", argv[optind - 1]);
        }
    }
    if (optind != argc) return bad_usage("unexpected argument", argv[optind]);
    return etl_print_logs(ctx, (int)limit) == 0 ? EXIT_OK : EXIT_FAIL;
}

int cmd_etl(int argc, char **argv, catlog_ctx *ctx)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(usage, stdout);
        return EXIT_OK;
    }
    if (!strcmp(argv[1], "run")) return etl_run_cmd(argc - 1, argv + 1, ctx);
    if (!strcmp(argv[1], "logs")) return etl_logs_cmd(argc - 1, argv + 1, ctx);
    return bad_usage("unknown etl command", argv[1]);
}
