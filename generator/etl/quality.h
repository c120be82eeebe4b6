/* quality: the data-quality expectations evaluated on a staged batch (the temporary
 * table "etl_batch", shaped like a day's snapshot) before it becomes visible, and
 * stored in "QualityResults". Which expectations are critical is decided here. */
#ifndef CATLOG_QUALITY_H
#define CATLOG_QUALITY_H

#include <stdbool.h>

#include "core/buf.h"
#include "core/ctx.h"
#include "core/date.h"

typedef struct {
    char *expectation;   /* e.g. expect_column_values_to_be_unique */
    char *column;
    bool critical;
    bool success;
    char *observed;      /* e.g. "1 duplicate" */
    char *details;
} quality_result;

typedef struct {
    quality_result *items;
    int count;
    int failed;
    int critical_failed;
} quality_report;

/* What the batch should hold: records fetched from the API, records rejected by the
 * transform, and pages fetched (for the rank range). */
typedef struct {
    date_day date;
    long long fetched;
    long long rejected;
    int pages;
} quality_expect;

/* Creates the "etl_batch" temporary table (dropped at commit). */
int quality_create_batch(catlog_ctx *ctx);

/* Fills "etl_batch" from the committed snapshot of `date` (for `catlog quality`); sets
 * exp->fetched/pages from the data when the ETL log has no better figure. */
int quality_batch_from_snapshot(catlog_ctx *ctx, quality_expect *exp, buf *run_id);

/* Evaluates every expectation on "etl_batch". Returns 0 (results in rep) or -1 (query failed). */
int quality_evaluate(catlog_ctx *ctx, const quality_expect *exp, quality_report *rep);

/* Writes the report to "QualityResults" (its own statement; call outside a failed transaction). */
int quality_store(catlog_ctx *ctx, const char *run_id, date_day date, const quality_report *rep);

/* "15 expectations, 14 passed, 1 failed: expect_...(col): observed; ..." */
void quality_summary(const quality_report *rep, buf *out);

void quality_report_free(quality_report *rep);

#endif
