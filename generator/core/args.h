/* args: checked conversions of option values, each failing with one line that names the flag. */
#ifndef CATLOG_ARGS_H
#define CATLOG_ARGS_H

#include <stdbool.h>

#include "core/date.h"

bool args_int(const char *flag, const char *value, long long min, long long max, long long *out);
bool args_date(const char *flag, const char *value, date_day *out);

#endif
