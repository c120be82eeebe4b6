/* trending: the seed platform's trending lists for an as-of date A (rank climbers, score
 * surges, new to the top 50, longest top-10 runs) and their history availability, as one
 * cJSON document in the seed's widget shape. Printed by `catlog analytics trending`,
 * embedded by the site builder. */
#ifndef CATLOG_TRENDING_H
#define CATLOG_TRENDING_H

#include <cjson/cJSON.h>
#include <limits.h>

#include "core/ctx.h"
#include "core/date.h"

/* as_of value meaning "the latest snapshotDate in the database". */
#define TRENDING_LATEST INT_MIN

/* Builds {"asOf", "biggestClimbersWeek", "biggestClimbersMonth", "newToTop50",
 * "scoreSurgingWeek", "scoreSurgingMonth", "longestRunning", "availability"} for as_of
 * (or the latest snapshot date: on an empty database "asOf" is null and nothing is
 * ready). Snapshots after as_of are ignored. Reads in one repeatable-read transaction
 * unless the caller already has one open. Returns NULL after printing one error line;
 * the caller cJSON_Delete()s the result. */
cJSON *trending_document(catlog_ctx *ctx, date_day as_of);

#endif
