/* catlog db migrate | db status */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "db/migrate.h"

static const char usage[] =
    "usage: catlog db migrate   create or upgrade the schema (idempotent)\n"
    "       catlog db status    list applied and pending migrations\n"
    "Connects to DATABASE_URL (else libpq's PG* defaults).\n";

int cmd_db(int argc, char **argv, catlog_ctx *ctx)
{
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(usage, stdout);
        return EXIT_OK;
    }
    if (argc != 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[1], "migrate")) return db_migrate(ctx, 0) == 0 ? EXIT_OK : EXIT_FAIL;
    if (!strcmp(argv[1], "status")) return db_status(ctx) == 0 ? EXIT_OK : EXIT_FAIL;
    fprintf(stderr, "catlog: unknown db command '%s'\n", argv[1]);
    fputs(usage, stderr);
    return EXIT_USAGE;
}
