/* series: the per-anime statistics of one ranking history ending at the as-of date A:
 * rolling momentum, trend fits, rank volatility and day-over-day score changes over a
 * trailing window. Pure C over date-ordered points, no database. */
#ifndef CATLOG_SERIES_H
#define CATLOG_SERIES_H

#include <limits.h>
#include <stdbool.h>

#include "analytics/stats.h"

/* A NULL rank or score. */
#define SERIES_NULL INT_MIN
/* Longest trailing window the functions accept (days). */
#define SERIES_MAX_WINDOW 366

/* One snapshot of one anime. day = snapshotDate - A (so <= 0); score in hundredths
 * (NUMERIC(3,2) 8.12 -> 812). Arrays are ordered by strictly increasing day. A window of
 * W days holds the points with day > -W, i.e. dates A-(W-1) .. A. */
typedef struct {
    int day;
    int rank;
    int score;
} series_point;

typedef enum { SERIES_SCORE, SERIES_RANK } series_metric;

/* "RollingMomentumAnalysis" for one anime. Rank figures use the snapshots with a rank;
 * day-over-day changes exist between consecutive snapshots that both have one. */
typedef struct {
    int n_days;            /* snapshots in the window */
    int first_rank;        /* first / last non-null rank; SERIES_NULL if none */
    int last_rank;
    int rank_momentum;     /* first_rank - last_rank; SERIES_NULL below 2 ranks */
    double avg_rank;       /* NAN if no rank */
    double rank_volatility;/* sample stddev of the rank changes; NAN below 2 changes */
    int score_momentum;    /* hundredths: last - first non-null score; SERIES_NULL below 2 */
} series_momentum;

/* Returns false (out untouched) when the window holds fewer than 2 snapshots. */
bool series_momentum_of(const series_point *p, int n, int window_days, series_momentum *out);

/* Least squares of the metric on x = day + window_days - 1 (days since the window's first
 * calendar day), leaving out NULLs. Scores are fitted in score units (not hundredths).
 * Returns false when fewer than 3 points have the metric. */
bool series_trend(const series_point *p, int n, int window_days, series_metric metric,
                  stats_fit *out);

/* Sample stddev of the non-null ranks in the window; NAN below 2. */
double series_rank_volatility(const series_point *p, int n, int window_days);

/* Day-over-day score changes inside the window: for each snapshot after the window's
 * first, its score minus the score at the previous snapshot, when both are non-null.
 * Writes up to SERIES_MAX_WINDOW (day, change in hundredths) pairs; returns the count. */
int series_score_changes(const series_point *p, int n, int window_days, int *days,
                         int *changes);

#endif
