/* workers: the jobs of one parallel task run by worker processes, one per core (see
 * workers.c). It knows nothing of what a job does or produces: the task says it through
 * the hooks below, and workers.c keeps to processes, pipes and failures. */
#ifndef CATLOG_WORKERS_H
#define CATLOG_WORKERS_H

#include <stdbool.h>

#include "core/buf.h"

typedef struct {
    void *ud;
    int njobs;
    /* In a worker, before its first job: drop what belongs to the parent (its database
     * connection) and count finished units in *shared_count (the parent sees the sum). */
    int (*enter)(void *ud, long long *shared_count);
    /* One job, 0 <= job < njobs: 0 or -1 after printing the error. */
    int (*run)(void *ud, int job);
    /* In a worker after its last job: the lines to hand to the parent. */
    void (*report)(const void *ud, buf *out);
    /* In a worker, last: release what enter() opened. */
    void (*leave)(void *ud);
    /* In the parent, for each worker that finished: its report (NUL-terminated). */
    int (*merge)(void *ud, char *report);
    /* In the parent while the workers run; NULL for nothing. */
    int (*meanwhile)(void *ud);
    /* In the parent as the shared count grows; `final` once, when every worker is done. */
    void (*progress)(void *ud, long long shared_count, bool final);
} workers_task;

/* Runs jobs 0..njobs-1 of t in up to `workers` processes while the parent runs meanwhile(),
 * then merges every worker's report. The first failure stops the others. */
int workers_run(const workers_task *t, int workers);

#endif
