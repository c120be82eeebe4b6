/* sqljson: page documents straight from SQL. PostgreSQL builds the JSON (json_agg /
 * json_build_object keep numerics exact, e.g. 9.12), cJSON parses it once. */
#ifndef CATLOG_SQLJSON_H
#define CATLOG_SQLJSON_H

#include <cjson/cJSON.h>

#include "core/ctx.h"

/* Runs a query returning one row, one json/jsonb column; returns the parsed value (caller
 * deletes) or NULL after reporting the error. A NULL result is returned as JSON null. */
cJSON *sqljson_value(catlog_ctx *ctx, const char *step, const char *sql, int nparams, const char *const *params);

/* Wraps `select` as SELECT coalesce(json_agg(t), '[]') FROM (select) t: an array of row
 * objects keyed by column name. */
cJSON *sqljson_rows(catlog_ctx *ctx, const char *step, const char *select, int nparams, const char *const *params);

#endif
