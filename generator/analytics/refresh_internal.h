/* refresh_internal: what the three parts of `catlog analytics refresh` share (analytics/
 * only): the window constants and the in-memory state. refresh_read.c fills the state from
 * the database, refresh_compute.c turns it into the rows of each statistical table,
 * refresh.c drives both in one transaction and writes the rows. */
#ifndef CATLOG_REFRESH_INTERNAL_H
#define CATLOG_REFRESH_INTERNAL_H

#include <stdbool.h>

#include "analytics/series.h"
#include "analytics/stat_tables.h"
#include "core/ctx.h"
#include "core/date.h"
#include "db/bincopy.h"

/* Windows (days ending at A) of the analytics specification. */
enum { W7 = 7, W30 = 30, W90 = 90 };

typedef struct {
    int mal_id;
    int first, count;               /* slice of refresh_state.points, ordered by day */
    int genre_first, genre_count;   /* slice of refresh_state.anime_genres, distinct ids */
    int change_first, change_count; /* slice of the W30 score changes */
    double vol7, vol30, vol90;
    int momentum;                   /* "rankMomentum" at A, or SERIES_NULL */
    bool on_as_of;                  /* has a snapshot on A */
    int score_as_of, members_as_of; /* its values on A, or SERIES_NULL */
} anime_rec;

typedef struct {
    int mal_id;
    series_point p;
} raw_row;

/* The rows of one COPY stream, in the order they arrived. */
typedef struct {
    raw_row *rows;
    long long n, cap;
} raw_rows;

typedef struct {
    int *slots;                     /* malId -> anime index (open addressing), -1 = empty */
    int cap;
    anime_rec *anime;
    int n_anime, cap_anime;
    raw_rows raw[2];                /* older half of the window, newer half */
    long long n_raw;
    series_point *points;
    char **genre_names;             /* byte order */
    int n_genres;
    int *anime_genres;
    int *change_days, *change_vals;
    long long n_changes;
} refresh_state;

/* Reads the 90-day window ending at as_of ("YYYY-MM-DD"), members on as_of and the genres
 * into st (zeroed before), grouped by anime. Returns 0, or -1 after printing the error. */
int refresh_read(catlog_ctx *ctx, refresh_state *st, const char *as_of);
void refresh_state_free(refresh_state *st);

/* Appends the rows of every statistical table for as_of to out (started). */
void refresh_compute(refresh_state *st, bincopy out[STAT_NUM_TABLES], date_day as_of);

/* qsort comparison of ints. */
int refresh_cmp_int(const void *a, const void *b);

#endif
