/* catlog db migrate | db status */
#include "cmd/cmd.h"
#include "cmd/settings.h"
#include "db/migrate.h"

static int run_migrate(catlog_ctx *ctx) { return db_migrate(ctx, 0) == 0 ? EXIT_OK : EXIT_FAIL; }
static int run_status(catlog_ctx *ctx) { return db_status(ctx) == 0 ? EXIT_OK : EXIT_FAIL; }

const command CMD_DB_MIGRATE = {
    {"db migrate", NULL, 0, 0, G_DB, "Creates or upgrades the schema (idempotent; each migration in one transaction).\n"},
    "create or upgrade the schema",
    run_migrate,
};

const command CMD_DB_STATUS = {
    {"db status", NULL, 0, 0, G_DB, "Lists applied and pending migrations.\n"},
    "list applied and pending migrations",
    run_status,
};
