#include "db/migrate.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/log.h"
#include "db/db.h"

/* Serialises concurrent `catlog db migrate` runs (any constant works; this spells "CATL"). */
#define MIGRATE_LOCK_KEY "1128355916"

static const char create_registry[] =
    "CREATE TABLE IF NOT EXISTS \"SchemaMigrations\" ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " \"appliedAt\" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP)";

/* Versions already applied, as a sorted list; a migration is pending when its version is
 * missing here (not merely above the highest), so one merged late still gets applied. */
static int applied_versions(catlog_ctx *ctx, int **out, int *n)
{
    PGresult *r = db_query(ctx, "reading applied migrations",
                           "SELECT version FROM \"SchemaMigrations\" ORDER BY version", 0, NULL);
    if (!r) return -1;
    *n = PQntuples(r);
    *out = xmalloc(sizeof(int) * (size_t)(*n ? *n : 1));
    for (int i = 0; i < *n; i++) (*out)[i] = atoi(PQgetvalue(r, i, 0));
    PQclear(r);
    return 0;
}

static int is_applied(const int *versions, int n, int v)
{
    for (int i = 0; i < n; i++)
        if (versions[i] == v) return 1;
    return 0;
}

static int apply_one(catlog_ctx *ctx, const db_migration *m)
{
    buf step = BUF_INIT;
    buf_printf(&step, "migration %s", m->name);
    char version[16];
    snprintf(version, sizeof version, "%d", m->version);
    const char *params[2] = {version, m->name};
    int rc = -1;
    if (db_exec(ctx, buf_cstr(&step), "BEGIN") != 0) goto out;
    if (db_exec(ctx, buf_cstr(&step), m->sql) != 0) goto rollback;
    PGresult *r = db_query(ctx, buf_cstr(&step),
                           "INSERT INTO \"SchemaMigrations\"(version, name) VALUES ($1, $2)", 2, params);
    if (!r) goto rollback;
    PQclear(r);
    if (db_exec(ctx, buf_cstr(&step), "COMMIT") != 0) goto out;
    rc = 0;
    goto out;
rollback:
    db_exec(ctx, "rollback", "ROLLBACK");
out:
    buf_free(&step);
    return rc;
}

int db_migrate(catlog_ctx *ctx, int quiet)
{
    if (db_connect(ctx) != 0) return -1;
    if (db_exec(ctx, "creating the migrations registry", create_registry) != 0) return -1;
    if (db_exec(ctx, "taking the migration lock", "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")") != 0)
        return -1;
    int *done = NULL, ndone = 0, applied = 0;
    int rc = applied_versions(ctx, &done, &ndone);
    for (int i = 0; rc == 0 && i < db_migration_count; i++) {
        const db_migration *m = &db_migrations[i];
        if (is_applied(done, ndone, m->version)) continue;
        rc = apply_one(ctx, m);
        if (rc == 0) {
            applied++;
            if (!quiet) printf("applied %s\n", m->name);
        }
    }
    free(done);
    db_exec(ctx, "releasing the migration lock", "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")");
    if (rc == 0 && !quiet)
        printf("schema is at version %d (%d applied now)\n",
               db_migration_count ? db_migrations[db_migration_count - 1].version : 0, applied);
    return rc;
}

int db_status(catlog_ctx *ctx)
{
    if (db_connect(ctx) != 0) return -1;
    if (db_exec(ctx, "creating the migrations registry", create_registry) != 0) return -1;
    int *done = NULL, ndone = 0;
    if (applied_versions(ctx, &done, &ndone) != 0) return -1;
    for (int i = 0; i < db_migration_count; i++)
        printf("%-8s %s\n", is_applied(done, ndone, db_migrations[i].version) ? "applied" : "pending",
               db_migrations[i].name);
    free(done);
    return 0;
}
