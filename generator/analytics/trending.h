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

/* What each trending list is, for every page, widget and feed that shows one: declared
 * once, in trending.c, next to the SQL that computes it. A new metric is one entry there. */
typedef struct {
    const char *key;            /* its key in the document, e.g. "biggestClimbersWeek" */
    const char *title;          /* "Biggest climbers this week" (dashboard, trending page) */
    const char *explain;        /* one sentence: how it is computed */
    const char *widget_label;   /* short, for the embeddable widgets */
    int widget_order;           /* position in the widgets, 1.. */
    int widget_min_days;        /* widgets show it from this many days of history */
    int feed_order;             /* position in a feed entry's summary, 1..; 0: not in the feed */
    const char *feed_label;     /* "Biggest climber this week" */
    const char *feed_field;     /* the item field the feed quotes, e.g. "rankChange" */
    const char *feed_unit;      /* "places" or "points" */
} trending_metric;

/* The i-th metric in the order of the document; NULL past the last. */
const trending_metric *trending_metric_at(size_t i);
/* The metric shown at position `order` (1..) by widget_order or feed_order; NULL: none. */
const trending_metric *trending_metric_in_widgets(int order);
const trending_metric *trending_metric_in_feed(int order);

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
