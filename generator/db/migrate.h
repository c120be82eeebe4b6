/* migrate: versioned schema migrations (generator/db/sql/NNN_name.sql, embedded at build
 * time), each applied in its own transaction and recorded in "SchemaMigrations". */
#ifndef CATLOG_MIGRATE_H
#define CATLOG_MIGRATE_H

#include "core/ctx.h"

typedef struct {
    int version;
    const char *name;
    const char *sql;
} db_migration;

extern const db_migration db_migrations[];
extern const int db_migration_count;

/* Applies every migration not yet recorded. Prints one line per applied migration
 * unless quiet. Returns 0 or -1. */
int db_migrate(catlog_ctx *ctx, int quiet);

/* Prints applied and pending migrations. */
int db_status(catlog_ctx *ctx);

#endif
