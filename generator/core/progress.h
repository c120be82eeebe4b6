/* progress: a one-line progress bar on a terminal (done/total, percent, ETA), redrawn at
 * most ten times a second. Silent when disabled, so callers need not check. */
#ifndef CATLOG_PROGRESS_H
#define CATLOG_PROGRESS_H

#include <stdbool.h>

typedef struct {
    const char *label;
    long long total;
    bool enabled;
    double started;
    double last_draw;
} progress;

void progress_start(progress *p, const char *label, long long total, bool enabled);
void progress_update(progress *p, long long done);
void progress_finish(progress *p);

double progress_now(void);  /* monotonic seconds */

#endif
