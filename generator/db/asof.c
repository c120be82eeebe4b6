#include "db/asof.h"

#include <stdlib.h>

#include "db/db.h"

int asof_latest(catlog_ctx *ctx, date_day *out, bool *found)
{
    PGresult *r = db_query(ctx, "finding the latest snapshot date",
                           "SELECT max(\"snapshotDate\") - DATE '1970-01-01' FROM \"DailyRankings\"",
                           0, NULL);
    if (!r) return -1;
    *found = !PQgetisnull(r, 0, 0);
    if (*found) *out = atoi(PQgetvalue(r, 0, 0));
    PQclear(r);
    return 0;
}
