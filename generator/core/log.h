/* log: the one-line messages a user sees. Errors say what failed, where, and what to do. */
#ifndef CATLOG_LOG_H
#define CATLOG_LOG_H

void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
