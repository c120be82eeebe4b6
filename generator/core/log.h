/* log: the one-line messages a user sees. Errors say what failed, where, and what to do. */
#ifndef CATLOG_LOG_H
#define CATLOG_LOG_H

#include "core/buf.h"

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* While `into` is set (NULL stops it), the first error logged is also kept there, without
 * its "catlog: error: " prefix: for reports that must say why a step failed (the nightly's
 * alert and "PipelineRuns"), not only which. */
void log_keep_first_error(buf *into);
/* Keeps msg as if it had been logged here: an error another process (a build worker)
 * printed already. */
void log_kept_error(const char *msg);

#endif
