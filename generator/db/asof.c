#include "db/asof.h"

#include "db/db.h"

int asof_latest(catlog_ctx *ctx, date_day *out, bool *found)
{
    long long day;
    bool none;
    if (db_query_int64(ctx, "finding the latest snapshot date",
                       "SELECT max(\"snapshotDate\") - DATE '1970-01-01' FROM \"DailyRankings\"", 0, NULL,
                       &day, &none) != 0)
        return -1;
    *found = !none;
    if (*found) *out = (date_day)day;
    return 0;
}
