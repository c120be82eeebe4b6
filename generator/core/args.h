/* args: checked conversions of option values, each failing with one line that names the flag. */
#ifndef CATLOG_ARGS_H
#define CATLOG_ARGS_H

#include <stdbool.h>

#include "core/date.h"

bool args_int(const char *flag, const char *value, long long min, long long max, long long *out);
bool args_date(const char *flag, const char *value, date_day *out);

/* Prints "catlog CMD: WHAT 'ARG'" and the command's usage to stderr; returns the usage
 * exit code (2). For unknown options and stray operands. */
int args_usage_error(const char *cmd, const char *usage, const char *what, const char *arg);

#endif
