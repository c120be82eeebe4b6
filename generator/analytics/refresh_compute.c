/* Computing for the refresh: from the grouped window, the rows of every statistical table,
 * each into its binary COPY buffer (momentum, trend fits, volatility, correlations,
 * genre percentiles), with PostgreSQL's rules for ranks and percentiles. */
#include "analytics/refresh_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/stats.h"
#include "core/alloc.h"

/* Thresholds of the analytics specification. */
#define MIN_COMMON_DATES 10     /* genre pairs */
#define MIN_SCORE_CHANGES 10    /* market correlation */
#define ALPHA 0.05              /* significance level of the trend fits */

typedef struct {
    long long *sum;   /* [genre * W90 + day + 89]: hundredths */
    int *count;
} genre_days;

static void emit_trend(bincopy *out, date_day as_of, int mal_id, const char *metric, int window,
                       const stats_fit *f)
{
    bincopy *c = &out[STAT_SIGNIFICANCE];
    bool significant = !isnan(f->p_value) && f->p_value < ALPHA;
    bincopy_row(c, 13);
    bincopy_date(c, as_of);
    bincopy_int(c, mal_id);
    bincopy_text(c, metric);
    bincopy_int(c, window);
    bincopy_int(c, f->n);
    bincopy_double(c, f->slope);
    bincopy_double(c, f->intercept);
    bincopy_double(c, f->r_squared);
    bincopy_double(c, f->std_err);
    bincopy_double(c, f->t_stat);
    bincopy_double(c, f->p_value);
    bincopy_bool(c, significant);
    bincopy_text(c, !significant ? "flat" : f->slope > 0 ? "up" : "down");
}

/* Per anime: momentum, trend fits, volatility, W30 score changes (summed into the market)
 * and W90 scores (summed into each of its genres' daily means). */
static void compute_anime(refresh_state *st, bincopy *out, date_day as_of, genre_days *gd,
                          long long market_sum[W30], int market_count[W30])
{
    size_t cap = (size_t)(st->n_anime ? st->n_anime : 1) * (W30 - 1);
    st->change_days = xrealloc(NULL, sizeof(int) * cap);
    st->change_vals = xrealloc(NULL, sizeof(int) * cap);
    static const struct {
        series_metric metric;
        const char *name;
        int window;
    } fits[] = {
        {SERIES_SCORE, "score", W30}, {SERIES_SCORE, "score", W90},
        {SERIES_RANK, "rank", W30},   {SERIES_RANK, "rank", W90},
    };
    for (int a = 0; a < st->n_anime; a++) {
        anime_rec *rec = &st->anime[a];
        const series_point *p = st->points + rec->first;
        int n = rec->count;

        series_momentum m;
        if (series_momentum_of(p, n, W30, &m)) {
            bincopy *c = &out[STAT_MOMENTUM];
            bincopy_row(c, 9);
            bincopy_date(c, as_of);
            bincopy_int(c, rec->mal_id);
            bincopy_int_or_null(c, m.first_rank, SERIES_NULL);
            bincopy_int_or_null(c, m.last_rank, SERIES_NULL);
            bincopy_int_or_null(c, m.rank_momentum, SERIES_NULL);
            bincopy_double(c, m.avg_rank);
            bincopy_double(c, m.rank_volatility);
            bincopy_hundredths_or_null(c, m.score_momentum, SERIES_NULL);
            bincopy_int(c, m.n_days);
            rec->momentum = m.rank_momentum;
        }

        for (size_t i = 0; i < sizeof fits / sizeof fits[0]; i++) {
            stats_fit f;
            if (series_trend(p, n, fits[i].window, fits[i].metric, &f))
                emit_trend(out, as_of, rec->mal_id, fits[i].name, fits[i].window, &f);
        }

        rec->vol7 = series_rank_volatility(p, n, W7);
        rec->vol30 = series_rank_volatility(p, n, W30);
        rec->vol90 = series_rank_volatility(p, n, W90);

        /* One snapshot a day: at most W30 - 1 changes in the window. */
        int *days = st->change_days + st->n_changes, *vals = st->change_vals + st->n_changes;
        int k = series_score_changes(p, n, W30, days, vals);
        for (int i = 0; i < k; i++) {
            market_sum[days[i] + W30 - 1] += vals[i];
            market_count[days[i] + W30 - 1]++;
        }
        rec->change_first = (int)st->n_changes;
        rec->change_count = k;
        st->n_changes += k;

        const int *genres = st->anime_genres + rec->genre_first;
        for (int i = 0; i < n; i++) {
            if (p[i].day <= -W90 || p[i].day > 0 || p[i].score == SERIES_NULL) continue;
            size_t d = (size_t)(p[i].day + W90 - 1);
            for (int g = 0; g < rec->genre_count; g++) {
                gd->sum[(size_t)genres[g] * W90 + d] += p[i].score;
                gd->count[(size_t)genres[g] * W90 + d]++;
            }
        }
    }
}

typedef struct {
    double v;
    int mal_id;
    int anime;
} vol_entry;

static int cmp_vol(const void *a, const void *b)
{
    const vol_entry *x = a, *y = b;
    if (x->v != y->v) return x->v < y->v ? -1 : 1;
    return (x->mal_id > y->mal_id) - (x->mal_id < y->mal_id);
}

/* "VolatilityRankings" for the anime with at least two ranked snapshots in W90;
 * stabilityRank = rank() by volatility30 ascending (exact ties share a rank). */
static void compute_volatility(refresh_state *st, bincopy *out, date_day as_of)
{
    size_t n = (size_t)(st->n_anime ? st->n_anime : 1);
    vol_entry *e = xrealloc(NULL, sizeof(vol_entry) * n);
    int *stability = xrealloc(NULL, sizeof(int) * n), k = 0;
    for (int a = 0; a < st->n_anime; a++) {
        stability[a] = SERIES_NULL;
        if (!isnan(st->anime[a].vol30)) e[k++] = (vol_entry){st->anime[a].vol30, st->anime[a].mal_id, a};
    }
    qsort(e, (size_t)k, sizeof *e, cmp_vol);
    for (int i = 0; i < k; i++)
        stability[e[i].anime] = i > 0 && e[i].v == e[i - 1].v ? stability[e[i - 1].anime] : i + 1;
    for (int a = 0; a < st->n_anime; a++) {
        const anime_rec *rec = &st->anime[a];
        if (isnan(rec->vol90)) continue;
        bincopy *c = &out[STAT_VOLATILITY];
        bincopy_row(c, 7);
        bincopy_date(c, as_of);
        bincopy_int(c, rec->mal_id);
        bincopy_double(c, rec->vol7);
        bincopy_double(c, rec->vol30);
        bincopy_double(c, rec->vol90);
        bincopy_int_or_null(c, stability[a], SERIES_NULL);
        bincopy_text(c, isnan(rec->vol30) ? NULL : rec->vol30 < 1.0 ? "stable"
                                             : rec->vol30 < 5.0 ? "moderate" : "volatile");
    }
    free(e);
    free(stability);
}

/* "TrendCorrelation", kind market: an anime's W30 score changes against the mean change of
 * every anime with one on the same date. */
static void compute_market(refresh_state *st, bincopy *out, date_day as_of,
                           const long long market_sum[W30], const int market_count[W30])
{
    double market[W30], xs[W30], ys[W30];
    for (int d = 0; d < W30; d++)
        market[d] = market_count[d] ? (double)market_sum[d] / market_count[d] : NAN;
    for (int a = 0; a < st->n_anime; a++) {
        const anime_rec *rec = &st->anime[a];
        if (rec->change_count < MIN_SCORE_CHANGES) continue;
        for (int i = 0; i < rec->change_count; i++) {
            xs[i] = st->change_vals[rec->change_first + i];
            ys[i] = market[st->change_days[rec->change_first + i] + W30 - 1];
        }
        bincopy *c = &out[STAT_CORRELATION];
        bincopy_row(c, 7);
        bincopy_date(c, as_of);
        bincopy_text(c, "market");
        bincopy_null(c);
        bincopy_null(c);
        bincopy_int(c, rec->mal_id);
        bincopy_double(c, stats_pearson(xs, ys, rec->change_count));
        bincopy_int(c, rec->change_count);
    }
}

/* "TrendCorrelation", kind genre_pair: two genres' daily mean scores over W90, on the
 * dates where both have one. */
static void compute_genre_pairs(refresh_state *st, bincopy *out, date_day as_of, const genre_days *gd)
{
    double xs[W90], ys[W90];
    for (int ga = 0; ga < st->n_genres; ga++) {
        for (int gb = ga + 1; gb < st->n_genres; gb++) {
            int n = 0;
            for (int d = 0; d < W90; d++) {
                size_t ia = (size_t)ga * W90 + (size_t)d, ib = (size_t)gb * W90 + (size_t)d;
                if (!gd->count[ia] || !gd->count[ib]) continue;
                xs[n] = (double)gd->sum[ia] / gd->count[ia] / 100.0;
                ys[n] = (double)gd->sum[ib] / gd->count[ib] / 100.0;
                n++;
            }
            if (n < MIN_COMMON_DATES) continue;
            bincopy *c = &out[STAT_CORRELATION];
            bincopy_row(c, 7);
            bincopy_date(c, as_of);
            bincopy_text(c, "genre_pair");
            bincopy_text(c, st->genre_names[ga]);
            bincopy_text(c, st->genre_names[gb]);
            bincopy_null(c);
            bincopy_double(c, stats_pearson(xs, ys, n));
            bincopy_int(c, n);
        }
    }
}

/* PostgreSQL's percent_rank() of v among the sorted non-null values: (rank - 1) / (n - 1),
 * rank counting from 1 with ties sharing the lowest; 0 for a single value. */
static double percent_rank_of(const int *sorted, int n, int v)
{
    if (v == SERIES_NULL) return NAN;
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (sorted[mid] < v) lo = mid + 1;
        else hi = mid;
    }
    return n > 1 ? (double)lo / (double)(n - 1) : 0.0;
}

/* PostgreSQL's percentile_cont(f) over sorted doubles (float8 linear interpolation). */
static double percentile_cont_of(const double *sorted, int n, double f)
{
    if (n == 0) return NAN;
    double pos = f * (n - 1);
    double lo = floor(pos), hi = ceil(pos);
    if (lo == hi) return sorted[(int)lo];
    double a = sorted[(int)lo], b = sorted[(int)hi];
    return a + ((pos - lo) * (b - a));
}

/* "GenrePercentiles": per genre, the anime with a snapshot on A. */
static void compute_percentiles(refresh_state *st, bincopy *out, date_day as_of)
{
    size_t n_members = 0;
    int *start = xrealloc(NULL, sizeof(int) * (size_t)(st->n_genres + 1));
    memset(start, 0, sizeof(int) * (size_t)(st->n_genres + 1));
    for (int a = 0; a < st->n_anime; a++)
        if (st->anime[a].on_as_of)
            for (int i = 0; i < st->anime[a].genre_count; i++) {
                start[st->anime_genres[st->anime[a].genre_first + i] + 1]++;
                n_members++;
            }
    for (int g = 0; g < st->n_genres; g++) start[g + 1] += start[g];
    int *members = xrealloc(NULL, sizeof(int) * (n_members ? n_members : 1));
    int *fill = xrealloc(NULL, sizeof(int) * (size_t)(st->n_genres ? st->n_genres : 1));
    memcpy(fill, start, sizeof(int) * (size_t)st->n_genres);
    for (int a = 0; a < st->n_anime; a++)
        if (st->anime[a].on_as_of)
            for (int i = 0; i < st->anime[a].genre_count; i++)
                members[fill[st->anime_genres[st->anime[a].genre_first + i]]++] = a;
    size_t most = 1;
    for (int g = 0; g < st->n_genres; g++)
        if ((size_t)(start[g + 1] - start[g]) > most) most = (size_t)(start[g + 1] - start[g]);
    int *scores = xrealloc(NULL, sizeof(int) * most), *mem = xrealloc(NULL, sizeof(int) * most);
    int *mom = xrealloc(NULL, sizeof(int) * most);
    double *fscores = xrealloc(NULL, sizeof(double) * most);
    for (int g = 0; g < st->n_genres; g++) {
        int ns = 0, nm = 0, nk = 0, count = start[g + 1] - start[g];
        if (!count) continue;
        const int *list = members + start[g];
        for (int i = 0; i < count; i++) {
            const anime_rec *rec = &st->anime[list[i]];
            if (rec->score_as_of != SERIES_NULL) scores[ns++] = rec->score_as_of;
            if (rec->members_as_of != SERIES_NULL) mem[nm++] = rec->members_as_of;
            if (rec->momentum != SERIES_NULL) mom[nk++] = rec->momentum;
        }
        qsort(scores, (size_t)ns, sizeof(int), refresh_cmp_int);
        qsort(mem, (size_t)nm, sizeof(int), refresh_cmp_int);
        qsort(mom, (size_t)nk, sizeof(int), refresh_cmp_int);
        bincopy *c = &out[STAT_PERCENTILES];
        for (int i = 0; i < count; i++) {
            const anime_rec *rec = &st->anime[list[i]];
            bincopy_row(c, 10);
            bincopy_date(c, as_of);
            bincopy_text(c, st->genre_names[g]);
            bincopy_int(c, rec->mal_id);
            bincopy_double(c, percent_rank_of(scores, ns, rec->score_as_of));
            bincopy_double(c, percent_rank_of(mem, nm, rec->members_as_of));
            bincopy_double(c, percent_rank_of(mom, nk, rec->momentum));
            for (int q = 0; q < 4; q++) bincopy_null(c);
        }
        for (int i = 0; i < ns; i++) fscores[i] = scores[i] / 100.0;   /* = score::float8 */
        bincopy_row(c, 10);
        bincopy_date(c, as_of);
        bincopy_text(c, st->genre_names[g]);
        for (int q = 0; q < 4; q++) bincopy_null(c);
        bincopy_double(c, percentile_cont_of(fscores, ns, 0.25));
        bincopy_double(c, percentile_cont_of(fscores, ns, 0.5));
        bincopy_double(c, percentile_cont_of(fscores, ns, 0.75));
        bincopy_double(c, percentile_cont_of(fscores, ns, 0.9));
    }
    free(start);
    free(members);
    free(fill);
    free(scores);
    free(mem);
    free(mom);
    free(fscores);
}

void refresh_compute(refresh_state *st, bincopy out[STAT_NUM_TABLES], date_day as_of)
{
    long long market_sum[W30] = {0};
    int market_count[W30] = {0};
    size_t cells = (size_t)(st->n_genres ? st->n_genres : 1) * W90;
    genre_days gd = {xcalloc(cells, sizeof *gd.sum), xcalloc(cells, sizeof *gd.count)};
    compute_anime(st, out, as_of, &gd, market_sum, market_count);
    compute_volatility(st, out, as_of);
    compute_market(st, out, as_of, market_sum, market_count);
    compute_genre_pairs(st, out, as_of, &gd);
    compute_percentiles(st, out, as_of);
    free(gd.sum);
    free(gd.count);
}
