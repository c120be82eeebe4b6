/* Unit tests for analytics/series: the per-anime statistics on hand-made histories with
 * gaps, NULL ranks and scores, window edges and snapshots after the as-of date. Fit
 * references from tests/fixtures/analytics/exact.py (exact fractions). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>

#include "analytics/series.h"

#define N SERIES_NULL

static void near(double got, double want, double rel, const char *what)
{
    if (!(fabs(got - want) <= rel * fabs(want)))
        fail_msg("%s: got %.17g, want %.17g", what, got, want);
}

/* day (A = 0), rank, score in hundredths */
static const series_point H[] = {
    {-40, 50, 700},   /* in W90 only */
    {-29, 40, N},     /* first day of W30 */
    {-20, N, 710},
    {-10, 30, 705},
    {-3, 35, 720},    /* W7 starts at -6 */
    {0, 20, N},
    {2, 1, 999},      /* after A: ignored everywhere */
};
#define HN ((int)(sizeof H / sizeof H[0]))

static void momentum_uses_non_null_ranks_and_scores(void **state)
{
    (void)state;
    series_momentum m;
    assert_true(series_momentum_of(H, HN, 30, &m));
    assert_int_equal(m.n_days, 5);
    assert_int_equal(m.first_rank, 40);
    assert_int_equal(m.last_rank, 20);
    assert_int_equal(m.rank_momentum, 20);          /* positive = climbing */
    assert_true(m.avg_rank == 31.25);
    /* Changes only between consecutive snapshots that both have a rank: +5, -15. */
    near(m.rank_volatility, 20 / sqrt(2.0), 1e-15, "rank volatility");
    assert_int_equal(m.score_momentum, 720 - 710);
}

static void momentum_window_edges_and_small_histories(void **state)
{
    (void)state;
    series_momentum m;
    /* Day -30 is outside W30: one snapshot left, no row. */
    const series_point edge[] = {{-30, 5, 800}, {0, 4, 801}};
    assert_false(series_momentum_of(edge, 2, 30, &m));
    const series_point two[] = {{-29, 5, 800}, {0, 9, N}};
    assert_true(series_momentum_of(two, 2, 30, &m));
    assert_int_equal(m.n_days, 2);
    assert_int_equal(m.rank_momentum, -4);          /* falling */
    assert_true(isnan(m.rank_volatility));          /* one change: needs 3 snapshots */
    assert_int_equal(m.score_momentum, SERIES_NULL);/* one non-null score */
    const series_point unranked[] = {{-5, N, N}, {-1, N, 700}, {0, 7, 702}};
    assert_true(series_momentum_of(unranked, 3, 30, &m));
    assert_int_equal(m.first_rank, 7);
    assert_int_equal(m.last_rank, 7);
    assert_int_equal(m.rank_momentum, SERIES_NULL);
    assert_true(m.avg_rank == 7);
    assert_int_equal(m.score_momentum, 2);
    const series_point none[] = {{-5, N, N}, {0, N, N}};
    assert_true(series_momentum_of(none, 2, 30, &m));
    assert_int_equal(m.first_rank, SERIES_NULL);
    assert_true(isnan(m.avg_rank));
    assert_false(series_momentum_of(H, 0, 30, &m));  /* empty history */
    const series_point ties[] = {{-2, 3, 800}, {-1, 3, 800}, {0, 3, 800}};
    assert_true(series_momentum_of(ties, 3, 30, &m));
    assert_true(m.rank_volatility == 0);
    assert_int_equal(m.rank_momentum, 0);
    assert_int_equal(m.score_momentum, 0);
}

static void trend_leaves_out_nulls_and_counts_days_from_window_start(void **state)
{
    (void)state;
    stats_fit f;
    /* rank, W30: x = day + 29 -> (0,40) (19,30) (26,35) (29,20) */
    assert_true(series_trend(H, HN, 30, SERIES_RANK, &f));
    assert_int_equal(f.n, 4);
    near(f.slope, -4.96070726915520628684e-1, 1e-12, "rank slope");
    near(f.intercept, 4.04273084479371316306e+1, 1e-12, "rank intercept");
    near(f.r_squared, 5.72607353353915239966e-1, 1e-12, "rank r2");
    near(f.std_err, 3.03049564850733777625e-1, 1e-12, "rank stderr");
    near(f.t_stat, -1.63692934903192779342e+0, 1e-12, "rank t");
    near(f.p_value, 2.43291764711183257519e-1, 1e-12, "rank p");
    /* score, W90: x = day + 89 -> (49,7.00) (69,7.10) (79,7.05) (86,7.20), in score units */
    assert_true(series_trend(H, HN, 90, SERIES_SCORE, &f));
    assert_int_equal(f.n, 4);
    near(f.slope, 4.23237850016092693917e-3, 1e-12, "score slope");
    near(f.intercept, 6.78805922111361441905e+0, 1e-12, "score intercept");
    near(f.std_err, 2.26375645620929334270e-3, 1e-12, "score stderr");
    near(f.t_stat, 1.86962625266153039351e+0, 1e-12, "score t");
    near(f.p_value, 2.02462523749394570182e-1, 1e-12, "score p");
    /* score, W30: only 710, 705, 720 are non-null -> n = 3 */
    assert_true(series_trend(H, HN, 30, SERIES_SCORE, &f));
    assert_int_equal(f.n, 3);
    /* Fewer than 3 values: no fit. */
    const series_point two[] = {{-2, 1, N}, {-1, N, 800}, {0, 2, 801}};
    assert_false(series_trend(two, 3, 30, SERIES_RANK, &f));
    assert_false(series_trend(two, 3, 30, SERIES_SCORE, &f));
    /* Constant metric: slope 0, intercept the constant (in score units). */
    const series_point flat[] = {{-9, 5, 812}, {-4, 6, 812}, {0, 7, 812}};
    assert_true(series_trend(flat, 3, 30, SERIES_SCORE, &f));
    assert_true(f.constant && f.slope == 0 && f.intercept == 8.12 && f.std_err == 0);
    assert_true(isnan(f.p_value) && isnan(f.t_stat) && isnan(f.r_squared));
}

static void volatility_per_window(void **state)
{
    (void)state;
    near(series_rank_volatility(H, HN, 7), 15 / sqrt(2.0), 1e-15, "W7");             /* 35, 20 */
    near(series_rank_volatility(H, HN, 30), 8.539125638299666, 1e-15, "W30");        /* 40 30 35 20 */
    near(series_rank_volatility(H, HN, 90), 11.180339887498949, 1e-15, "W90");       /* + 50 */
    const series_point one[] = {{0, 3, 800}};
    assert_true(isnan(series_rank_volatility(one, 1, 90)));
    assert_true(isnan(series_rank_volatility(H, 0, 90)));
}

static void score_changes_need_both_scores_inside_the_window(void **state)
{
    (void)state;
    int days[SERIES_MAX_WINDOW], ch[SERIES_MAX_WINDOW];
    /* W30: -29 (NULL) -20 (710) -10 (705) -3 (720) 0 (NULL) */
    int k = series_score_changes(H, HN, 30, days, ch);
    assert_int_equal(k, 2);
    assert_int_equal(days[0], -10);
    assert_int_equal(ch[0], -5);
    assert_int_equal(days[1], -3);
    assert_int_equal(ch[1], 15);
    /* The previous snapshot must be inside the window: -31 does not count for -29. */
    const series_point p[] = {{-31, 1, 700}, {-29, 1, 705}, {-28, 1, 704}};
    k = series_score_changes(p, 3, 30, days, ch);
    assert_int_equal(k, 1);
    assert_int_equal(days[0], -28);
    assert_int_equal(ch[0], -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(momentum_uses_non_null_ranks_and_scores),
        cmocka_unit_test(momentum_window_edges_and_small_histories),
        cmocka_unit_test(trend_leaves_out_nulls_and_counts_days_from_window_start),
        cmocka_unit_test(volatility_per_window),
        cmocka_unit_test(score_changes_need_both_scores_inside_the_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
