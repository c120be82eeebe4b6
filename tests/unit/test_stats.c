/* Unit tests for analytics/stats: incomplete beta, Student t, least squares, stddev,
 * Pearson. Reference values come from tests/fixtures/analytics/exact.py (closed forms in
 * 60-digit decimals, exact fractions), not from the algorithms under test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>

#include "analytics/stats.h"

#define PI 3.14159265358979323846

/* |got - want| <= rel * |want| (exact match for 0 and infinities). */
static void near(double got, double want, double rel, const char *what)
{
    if (isinf(want) || want == 0) {
        if (got != want) fail_msg("%s: got %.17g, want %.17g", what, got, want);
        return;
    }
    if (!(fabs(got - want) <= rel * fabs(want)))
        fail_msg("%s: got %.17g, want %.17g (rel err %.3g)", what, got, want, fabs(got - want) / fabs(want));
}

static const struct { double t; int df; double p; } T_TABLE[] = {
    {2.0, 10, 7.33880347707403656179e-2},
    {2.0, 1, 2.95167235300866548351e-1},
    {0.5, 1, 7.04832764699133451649e-1},
    {2.0, 2, 1.83503419072273967268e-1},
    {-1.5, 2, 2.72393124891001079443e-1},
    {1.0, 3, 3.91002218955770641911e-1},
    {2.5, 5, 5.44900993423762411155e-2},
    {1.96, 30, 5.93423128960504719719e-2},
    {3.0, 7, 1.99421261319925379220e-2},
    {0.1, 88, 9.20571791748096928567e-1},
    {2.2, 28, 3.62254847788378427593e-2},
    {4.5, 40, 5.73446657751581284073e-5},
    {10, 20, 3.16378175871438816231e-9},
    {25, 88, 9.49928937645455249900e-42},
    {0.0001, 5, 9.99924078662187343789e-1},
    {1.3, 57, 1.98833475431760707073e-1},
    {7.0, 4, 2.19212980669293899165e-3},
    {2.05, 87, 4.33749581427788833578e-2},
};

static const struct { int a, b; double x, v; } BETA_TABLE[] = {
    {2, 3, 0.4, 5.24800000000000000000e-1},
    {5, 5, 0.5, 5.00000000000000000000e-1},
    {1, 7, 0.1, 5.21703100000000000000e-1},
    {10, 3, 0.9, 8.89130022255000000000e-1},
    {30, 40, 0.45, 6.44748008558568043644e-1},
    {44, 1, 0.99, 6.42611602084718408664e-1},
    {3, 50, 0.02, 8.59341029813361663044e-2},
    {20, 20, 0.3, 4.33693213478431059922e-3},
    {100, 2, 0.97, 1.90210031701623044645e-1},
};

static void t_pvalues_match_exact_closed_forms(void **state)
{
    (void)state;
    char what[64];
    for (size_t i = 0; i < sizeof T_TABLE / sizeof T_TABLE[0]; i++) {
        snprintf(what, sizeof what, "p2(t=%g, df=%d)", T_TABLE[i].t, T_TABLE[i].df);
        near(stats_t_p2(T_TABLE[i].t, T_TABLE[i].df), T_TABLE[i].p, 1e-12, what);
    }
}

static void t_cdf_small_df_closed_forms(void **state)
{
    (void)state;
    char what[64];
    for (double t = -40; t <= 40; t += 0.37) {
        snprintf(what, sizeof what, "cauchy cdf(%g)", t);
        near(stats_t_cdf(t, 1), 0.5 + atan(t) / PI, 1e-12, what);
        snprintf(what, sizeof what, "df2 cdf(%g)", t);
        near(stats_t_cdf(t, 2), 0.5 + t / (2 * sqrt(2 + t * t)), 1e-12, what);
        snprintf(what, sizeof what, "symmetry(%g)", t);
        near(stats_t_cdf(-t, 7) + stats_t_cdf(t, 7), 1.0, 1e-14, what);
    }
    assert_true(stats_t_cdf(0, 5) == 0.5);
    assert_true(stats_t_p2(0, 5) == 1.0);
    assert_true(stats_t_p2(INFINITY, 5) == 0.0);
    assert_true(stats_t_cdf(-INFINITY, 5) == 0.0);
    assert_true(isnan(stats_t_p2(NAN, 5)));
    assert_true(isnan(stats_t_p2(1.0, 0)));
    /* Well-known two-sided 5% critical values. */
    near(stats_t_p2(12.706204736174707, 1), 0.05, 1e-9, "t975 df1");
    near(stats_t_p2(2.2281388519649385, 10), 0.05, 1e-9, "t975 df10");
    near(stats_t_p2(1.959963984540054, 1e9), 0.05, 1e-6, "normal limit");
}

static void incbeta_matches_exact_values(void **state)
{
    (void)state;
    char what[64];
    for (size_t i = 0; i < sizeof BETA_TABLE / sizeof BETA_TABLE[0]; i++) {
        snprintf(what, sizeof what, "I_%g(%d, %d)", BETA_TABLE[i].x, BETA_TABLE[i].a, BETA_TABLE[i].b);
        near(stats_incbeta(BETA_TABLE[i].a, BETA_TABLE[i].b, BETA_TABLE[i].x), BETA_TABLE[i].v, 1e-12, what);
    }
}

static void incbeta_identities(void **state)
{
    (void)state;
    char what[64];
    for (double x = 0.01; x < 1; x += 0.07) {
        for (double a = 0.5; a < 60; a *= 1.9) {
            snprintf(what, sizeof what, "I_%g(%g, 1)", x, a);
            near(stats_incbeta(a, 1, x), pow(x, a), 1e-12, what);
            snprintf(what, sizeof what, "I_%g(1, %g)", x, a);
            near(stats_incbeta(1, a, x), -expm1(a * log1p(-x)), 1e-12, what);
            snprintf(what, sizeof what, "symmetry %g %g", x, a);
            near(stats_incbeta(a, 2.5, x) + stats_incbeta(2.5, a, 1 - x), 1.0, 1e-13, what);
            snprintf(what, sizeof what, "I_0.5(%g, %g)", a, a);
            near(stats_incbeta(a, a, 0.5), 0.5, 1e-13, what);
        }
        snprintf(what, sizeof what, "arcsine %g", x);
        near(stats_incbeta(0.5, 0.5, x), 2 / PI * asin(sqrt(x)), 1e-13, what);
    }
    assert_true(stats_incbeta(3, 4, 0) == 0.0);
    assert_true(stats_incbeta(3, 4, 1) == 1.0);
    assert_true(isnan(stats_incbeta(3, 4, 1.5)));
    assert_true(isnan(stats_incbeta(-1, 4, 0.5)));
    assert_true(isnan(stats_incbeta(3, 0, 0.5)));
    /* y = 1 - x passed separately keeps precision where 1 - x would round to 0. */
    near(stats_incbeta_xy(2, 1, 1.0, 1e-20), 1.0, 1e-15, "x ~ 1");
    near(stats_incbeta_xy(3, 1, 1e-12, 1.0 - 1e-12), 1e-36, 1e-12, "tiny tail");
    near(stats_incbeta_xy(0.5, 44, 1e-30, 1.0 - 1e-30), 7.4635875738268345523e-15, 1e-12, "tiny x, large b");
}

static const double FIT_TABLE[][6] = {
    /* noisy_up */ {8.66666666666666666667e-1, 2.80000000000000000000e+0, 9.09936368086147821831e-1, 9.63998407308294930530e-2, 8.99033297250562011299e+0, 1.86781643413669564772e-5},
    /* gappy_down */ {-8.67912900575184880855e-1, 1.19881265406737880033e+2, 9.53440458900196599483e-1, 8.57726244244102627089e-2, -1.01187634912589104099e+1, 1.61533293162150499814e-4},
    /* weak */ {1.71428571428571428571e-1, 1.02380952380952380952e+1, 7.01298701298701298701e-2, 3.12113706822360747507e-1, 5.49250377927618075222e-1, 6.12055238565704882025e-1},
    /* three */ {-1.90476190476190476190e-1, 8.13809523809523809524e+2, 1.75824175824175824176e-1, 4.12393049421161260364e-1, -4.61880215351700611607e-1, 7.24541323365056774201e-1},
};

static void fits_match_exact_least_squares(void **state)
{
    (void)state;
    static const int x0[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, y0[] = {3, 4, 4, 6, 5, 8, 7, 9, 11, 10};
    static const int x1[] = {0, 3, 4, 9, 15, 22, 29}, y1[] = {120, 118, 119, 110, 104, 100, 97};
    static const int x2[] = {0, 1, 2, 3, 4, 5}, y2[] = {10, 12, 9, 11, 10, 12};
    static const int x3[] = {2, 5, 11}, y3[] = {812, 815, 811};
    const struct { const int *x, *y; int n; } cases[] = {{x0, y0, 10}, {x1, y1, 7}, {x2, y2, 6}, {x3, y3, 3}};
    static const char *const names[] = {"slope", "intercept", "r_squared", "std_err", "t_stat", "p_value"};
    for (int c = 0; c < 4; c++) {
        stats_fit f;
        assert_int_equal(stats_fit_int(cases[c].x, cases[c].y, cases[c].n, &f), 0);
        assert_int_equal(f.n, cases[c].n);
        assert_false(f.constant);
        double got[6] = {f.slope, f.intercept, f.r_squared, f.std_err, f.t_stat, f.p_value};
        for (int k = 0; k < 6; k++) {
            char what[64];
            snprintf(what, sizeof what, "case %d %s", c, names[k]);
            near(got[k], FIT_TABLE[c][k], 1e-12, what);
        }
    }
}

static void fit_degenerate_cases(void **state)
{
    (void)state;
    stats_fit f;
    const int x[] = {0, 1, 2, 3}, line[] = {5, 7, 9, 11}, flat[] = {42, 42, 42, 42}, fall[] = {9, 6, 3, 0};
    assert_int_equal(stats_fit_int(x, flat, 4, &f), 0);
    assert_true(f.constant);
    assert_true(f.slope == 0 && f.intercept == 42 && f.std_err == 0);
    assert_true(isnan(f.r_squared) && isnan(f.t_stat) && isnan(f.p_value));
    assert_int_equal(stats_fit_int(x, line, 4, &f), 0);
    assert_false(f.constant);
    assert_true(f.slope == 2 && f.intercept == 5 && f.std_err == 0 && f.r_squared == 1);
    assert_true(isinf(f.t_stat) && f.t_stat > 0 && f.p_value == 0);
    assert_int_equal(stats_fit_int(x, fall, 4, &f), 0);
    assert_true(f.slope == -3 && isinf(f.t_stat) && f.t_stat < 0 && f.p_value == 0);
    /* Too few points, or no spread in x. */
    assert_int_equal(stats_fit_int(x, line, 2, &f), -1);
    const int same_x[] = {3, 3, 3};
    assert_int_equal(stats_fit_int(same_x, line, 3, &f), -1);
    const int far_x[] = {0, 1, 1 << 21};
    assert_int_equal(stats_fit_int(far_x, line, 3, &f), -1);
}

static void fit_extreme_values_stay_finite(void **state)
{
    (void)state;
    /* Sums far beyond 64 bits: no overflow (UBSan would trap), sensible answers. */
    int x[90], y[90];
    for (int i = 0; i < 90; i++) {
        x[i] = i;
        y[i] = INT_MAX - 1000 * i - (i % 7);
    }
    stats_fit f;
    assert_int_equal(stats_fit_int(x, y, 90, &f), 0);
    near(f.slope, -1000.0, 1e-4, "huge slope");
    assert_true(f.p_value >= 0 && f.p_value < 1e-100);
    for (int i = 0; i < 90; i++) y[i] = (i % 2 ? INT_MAX : INT_MIN);
    assert_int_equal(stats_fit_int(x, y, 90, &f), 0);
    assert_true(fabs(f.slope) < 1e8 && f.p_value > 0.5);
}

static void stddev_is_exact_for_ties(void **state)
{
    (void)state;
    const int a[] = {1, 2, 3}, b[] = {1005, 1006, 1007}, c[] = {7, 5, 6}, d[] = {2, 4, 4, 4, 5, 5, 7, 9};
    assert_true(stats_stddev_int(a, 3) == 1.0);
    assert_true(stats_stddev_int(a, 3) == stats_stddev_int(b, 3));
    assert_true(stats_stddev_int(b, 3) == stats_stddev_int(c, 3));
    near(stats_stddev_int(d, 8), sqrt(32.0 / 7.0), 1e-15, "sample stddev");
    const int e[] = {10, 20, 30, 40}, f[] = {-40, -30, -20, -10};
    assert_true(stats_stddev_int(e, 4) == stats_stddev_int(f, 4));
    assert_true(isnan(stats_stddev_int(a, 1)));
    assert_true(isnan(stats_stddev_int(a, 0)));
    const int same[] = {4, 4, 4};
    assert_true(stats_stddev_int(same, 3) == 0.0);
}

static void pearson_known_values(void **state)
{
    (void)state;
    const double x[] = {1, 2, 3, 4, 5}, up[] = {2, 4, 6, 8, 10}, down[] = {5, 4, 3, 2, 1};
    const double y[] = {2, 1, 4, 3, 5}, flat[] = {0.1, 0.1, 0.1, 0.1, 0.1};
    assert_true(stats_pearson(x, up, 5) == 1.0);
    assert_true(stats_pearson(x, down, 5) == -1.0);
    near(stats_pearson(x, y, 5), 0.8, 1e-15, "r");   /* cov 2, var 2.5 each */
    assert_true(isnan(stats_pearson(x, flat, 5)));
    assert_true(isnan(stats_pearson(flat, x, 5)));
    assert_true(isnan(stats_pearson(x, y, 1)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_pvalues_match_exact_closed_forms),
        cmocka_unit_test(t_cdf_small_df_closed_forms),
        cmocka_unit_test(incbeta_matches_exact_values),
        cmocka_unit_test(incbeta_identities),
        cmocka_unit_test(fits_match_exact_least_squares),
        cmocka_unit_test(fit_degenerate_cases),
        cmocka_unit_test(fit_extreme_values_stay_finite),
        cmocka_unit_test(stddev_is_exact_for_ties),
        cmocka_unit_test(pearson_known_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
