#include "core/date.h"

#include <stdio.h>
#include <time.h>

/* Howard Hinnant's days_from_civil / civil_from_days. */
date_day date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void date_to_ymd(date_day z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

bool date_parse(const char *s, date_day *out)
{
    int y, m, d, n = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 || s[10] != '\0')
        return false;
    if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1) return false;
    date_day day = date_from_ymd(y, m, d);
    int y2, m2, d2;
    date_to_ymd(day, &y2, &m2, &d2);
    if (y2 != y || m2 != m || d2 != d) return false;   /* e.g. 2026-02-30 */
    *out = day;
    return true;
}

void date_format(date_day day, char out[11])
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    /* Bounded fields keep the compiler's truncation analysis (and the output) exact. */
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
}

date_day date_today_utc(void)
{
    return (date_day)(time(NULL) / 86400);
}
