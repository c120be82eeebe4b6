#include "analytics/series.h"

#include <math.h>

/* Index of the first point inside a window of window_days ending at day 0. */
static int window_start(const series_point *p, int n, int window_days)
{
    int lo = 0, hi = n;   /* days increase: binary search for day > -window_days */
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (p[mid].day > -window_days) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

/* Index one past the last point with day <= 0. */
static int window_end(const series_point *p, int n)
{
    while (n > 0 && p[n - 1].day > 0) n--;
    return n;
}

bool series_momentum_of(const series_point *p, int n, int window_days, series_momentum *out)
{
    if (window_days < 1 || window_days > SERIES_MAX_WINDOW) return false;
    int end = window_end(p, n), i0 = window_start(p, end, window_days);
    if (end - i0 < 2) return false;
    series_momentum m = {.n_days = end - i0, .first_rank = SERIES_NULL, .last_rank = SERIES_NULL,
                         .rank_momentum = SERIES_NULL, .avg_rank = NAN, .rank_volatility = NAN,
                         .score_momentum = SERIES_NULL};
    int changes[SERIES_MAX_WINDOW] = {0}, nchanges = 0, nranks = 0;
    int first_score = SERIES_NULL, last_score = SERIES_NULL, nscores = 0;
    long long rank_sum = 0;
    for (int i = i0; i < end; i++) {
        int r = p[i].rank, s = p[i].score;
        if (r != SERIES_NULL) {
            if (m.first_rank == SERIES_NULL) m.first_rank = r;
            m.last_rank = r;
            rank_sum += r;
            nranks++;
            if (i > i0 && p[i - 1].rank != SERIES_NULL && nchanges < SERIES_MAX_WINDOW)
                changes[nchanges++] = r - p[i - 1].rank;
        }
        if (s != SERIES_NULL) {
            if (first_score == SERIES_NULL) first_score = s;
            last_score = s;
            nscores++;
        }
    }
    if (nranks >= 1) m.avg_rank = (double)rank_sum / nranks;
    if (nranks >= 2) m.rank_momentum = m.first_rank - m.last_rank;
    m.rank_volatility = stats_stddev_int(changes, nchanges);
    if (nscores >= 2) m.score_momentum = last_score - first_score;
    *out = m;
    return true;
}

bool series_trend(const series_point *p, int n, int window_days, series_metric metric,
                  stats_fit *out)
{
    if (window_days < 1 || window_days > SERIES_MAX_WINDOW) return false;
    int end = window_end(p, n), i0 = window_start(p, end, window_days);
    int xs[SERIES_MAX_WINDOW], ys[SERIES_MAX_WINDOW], k = 0;
    for (int i = i0; i < end && k < SERIES_MAX_WINDOW; i++) {
        int v = metric == SERIES_SCORE ? p[i].score : p[i].rank;
        if (v == SERIES_NULL) continue;
        xs[k] = p[i].day + window_days - 1;
        ys[k] = v;
        k++;
    }
    stats_fit f;
    if (stats_fit_int(xs, ys, k, &f) != 0) return false;
    if (metric == SERIES_SCORE) {   /* hundredths -> score units; t, r^2 and p are unchanged */
        f.slope /= 100.0;
        f.intercept /= 100.0;
        f.std_err /= 100.0;
    }
    *out = f;
    return true;
}

double series_rank_volatility(const series_point *p, int n, int window_days)
{
    if (window_days < 1 || window_days > SERIES_MAX_WINDOW) return NAN;
    int end = window_end(p, n), i0 = window_start(p, end, window_days);
    int ranks[SERIES_MAX_WINDOW], k = 0;
    for (int i = i0; i < end && k < SERIES_MAX_WINDOW; i++)
        if (p[i].rank != SERIES_NULL) ranks[k++] = p[i].rank;
    return stats_stddev_int(ranks, k);
}

int series_score_changes(const series_point *p, int n, int window_days, int *days, int *changes)
{
    if (window_days < 1 || window_days > SERIES_MAX_WINDOW) return 0;
    int end = window_end(p, n), i0 = window_start(p, end, window_days), k = 0;
    for (int i = i0 + 1; i < end && k < SERIES_MAX_WINDOW; i++) {
        if (p[i].score == SERIES_NULL || p[i - 1].score == SERIES_NULL) continue;
        days[k] = p[i].day;
        changes[k] = p[i].score - p[i - 1].score;
        k++;
    }
    return k;
}
