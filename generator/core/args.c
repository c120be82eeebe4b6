#include "core/args.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/ctx.h"
#include "core/log.h"

bool args_int(const char *flag, const char *value, long long min, long long max, long long *out)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(value, &end, 10);
    if (errno || end == value || *end || v < min || v > max) {
        log_error("%s expects a whole number from %lld to %lld, got '%s'", flag, min, max, value);
        return false;
    }
    *out = v;
    return true;
}

bool args_date(const char *flag, const char *value, date_day *out)
{
    if (date_parse(value, out)) return true;
    log_error("%s expects a date as YYYY-MM-DD, got '%s'", flag, value);
    return false;
}

int args_usage_error(const char *cmd, const char *usage, const char *what, const char *arg)
{
    fprintf(stderr, "catlog %s: %s '%s'\n", cmd, what, arg);
    fputs(usage, stderr);
    return EXIT_USAGE;
}
