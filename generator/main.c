/* catlog: argv -> one cmd_* function; nothing else. */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "core/ctx.h"

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv, catlog_ctx *ctx);
    const char *summary;
} command;

static const command commands[] = {
    {"analytics", cmd_analytics, "analytics trending | analytics refresh: trending metrics, statistics"},
    {"build", cmd_build, "render the static site into output/"},
    {"db", cmd_db, "db migrate | db status: create or upgrade the schema"},
    {"demo-data", cmd_demo_data, "load deterministic synthetic rankings"},
    {"etl", cmd_etl, "etl run | etl logs: fetch Jikan rankings into PostgreSQL"},
    {"publish", cmd_publish, "upload what changed in the site to S3 or a directory"},
    {"nightly", cmd_nightly, "etl -> quality -> analytics -> build -> publish, one at a time"},
    {"quality", cmd_quality, "run the data-quality expectations on a snapshot"},
    {"render", cmd_render, "render one Mustache template to stdout"},
    {"watch", cmd_watch, "rebuild and publish after each ETL run (LISTEN catlog_etl_done)"},
};

static void usage(FILE *out)
{
    fputs("usage: catlog <command> [options]   (catlog <command> --help for details)\n\n"
          "commands:\n", out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fputs("\nenvironment: DATABASE_URL (else libpq's PG* defaults)\n", out);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) != 0) continue;
        catlog_ctx ctx;
        ctx_init(&ctx);
        int rc = commands[i].run(argc - 1, argv + 1, &ctx);
        ctx_close(&ctx);
        fflush(stdout);
        return rc;
    }
    fprintf(stderr, "catlog: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
