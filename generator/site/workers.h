/* workers: parallel build steps in worker processes (see workers.c). */
#ifndef CATLOG_WORKERS_H
#define CATLOG_WORKERS_H

#include "site/build_internal.h"

/* One job of a build, 0 <= job < njobs; 0 or -1 after printing the error. */
typedef int (*site_job)(site_build_state *b, int job);

/* Runs jobs 0..njobs-1 in `workers` processes while the parent runs `meanwhile` (may be
 * NULL), then merges the workers' files, sitemap entries and page counts into b. */
int workers_run(site_build_state *b, int workers, int njobs, site_job run, int (*meanwhile)(site_build_state *));

#endif
