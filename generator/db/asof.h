/* asof: the as-of date every analytics figure and every page is computed for; by default the
 * latest "snapshotDate" in the database, so a build over the same data is reproducible. The
 * one query for it: analytics, trending, quality and the site builder all ask here. */
#ifndef CATLOG_ASOF_H
#define CATLOG_ASOF_H

#include <stdbool.h>

#include "core/ctx.h"
#include "core/date.h"

/* Latest "snapshotDate" in "DailyRankings"; *found is false on an empty table.
 * Returns 0, or -1 after reporting a database error. */
int asof_latest(catlog_ctx *ctx, date_day *out, bool *found);

#endif
