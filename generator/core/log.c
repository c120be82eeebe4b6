#include "core/log.h"

#include <stdarg.h>
#include <stdio.h>

/* The one piece of state here: where log_keep_first_error() asked to keep a message. */
static buf *kept;

void log_keep_first_error(buf *into) { kept = into; }

void log_kept_error(const char *msg)
{
    if (kept && kept->len == 0) buf_puts(kept, msg);
}

static void log_line(const char *prefix, const char *fmt, va_list ap)
{
    fputs(prefix, stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void log_error(const char *fmt, ...)
{
    va_list ap;
    if (kept && kept->len == 0) {
        va_start(ap, fmt);
        buf_vprintf(kept, fmt, ap);
        va_end(ap);
    }
    va_start(ap, fmt);
    log_line("catlog: error: ", fmt, ap);
    va_end(ap);
}

void log_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_line("catlog: warning: ", fmt, ap);
    va_end(ap);
}

void log_info(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_line("catlog: ", fmt, ap);
    va_end(ap);
}
