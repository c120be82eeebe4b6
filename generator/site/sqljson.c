#include "site/sqljson.h"

#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "db/db.h"

cJSON *sqljson_value(catlog_ctx *ctx, const char *step, const char *sql, int nparams, const char *const *params)
{
    PGresult *r = db_query(ctx, step, sql, nparams, params);
    if (!r) return NULL;
    cJSON *v = NULL;
    if (PQntuples(r) != 1 || PQnfields(r) != 1) {
        log_error("%s: expected one JSON value, got %d rows", step, PQntuples(r));
    } else if (PQgetisnull(r, 0, 0)) {
        v = cJSON_CreateNull();
    } else {
        v = cJSON_ParseWithLength(PQgetvalue(r, 0, 0), (size_t)PQgetlength(r, 0, 0));
        if (!v) log_error("%s: the database returned JSON that does not parse", step);
    }
    PQclear(r);
    return v;
}

cJSON *sqljson_rows(catlog_ctx *ctx, const char *step, const char *select, int nparams, const char *const *params)
{
    buf sql = BUF_INIT;
    buf_printf(&sql, "SELECT coalesce(json_agg(t), '[]'::json) FROM (%s) t", select);
    cJSON *v = sqljson_value(ctx, step, buf_cstr(&sql), nparams, params);
    buf_free(&sql);
    return v;
}
