/* date: calendar dates as day numbers (days since 1970-01-01, proleptic Gregorian),
 * which makes "A-7" and "consecutive days" plain integer arithmetic. */
#ifndef CATLOG_DATE_H
#define CATLOG_DATE_H

#include <stdbool.h>

typedef int date_day;

date_day date_from_ymd(int y, int m, int d);
void date_to_ymd(date_day day, int *y, int *m, int *d);
/* Strict YYYY-MM-DD with a real calendar day. */
bool date_parse(const char *s, date_day *out);
/* Writes YYYY-MM-DD plus NUL into out (11 bytes). */
void date_format(date_day day, char out[11]);
date_day date_today_utc(void);

#endif
