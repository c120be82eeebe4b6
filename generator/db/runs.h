/* runs: the rows of runs in progress in "EtlLogs" and "PipelineRuns". While a run runs, its
 * session holds an advisory lock named after its id; a RUNNING row whose lock is free
 * belongs to a process that is gone (killed, crashed, its machine rebooted) and is marked
 * FAILED by the next run of the same kind. */
#ifndef CATLOG_RUNS_H
#define CATLOG_RUNS_H

#include "core/ctx.h"

/* What such a row's "errorMessage" becomes. */
#define RUNS_ABANDONED "interrupted: the run ended without finishing (its process is gone)"

/* Marks the abandoned RUNNING rows of `table` ("EtlLogs" or "PipelineRuns") FAILED, then
 * takes run_id's lock for this session. Call before inserting run_id's RUNNING row. */
int runs_begin(catlog_ctx *ctx, const char *table, const char *run_id);

/* Releases run_id's lock (the end of the session releases it too). */
void runs_end(catlog_ctx *ctx, const char *run_id);

#endif
