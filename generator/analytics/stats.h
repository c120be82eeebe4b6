/* stats: the numerical core of the analytics: regularised incomplete beta, Student t
 * distribution, least-squares fits on integer data (exact sums), sample stddev and
 * Pearson correlation. Pure functions, no database. "Undefined" results are NAN. */
#ifndef CATLOG_STATS_H
#define CATLOG_STATS_H

#include <stdbool.h>

/* Regularised incomplete beta I_x(a, b), a > 0, b > 0, 0 <= x <= 1. NAN outside. */
double stats_incbeta(double a, double b, double x);
/* The same with y = 1 - x supplied by the caller, for when x is close to 1 and 1 - x is
 * known more precisely than the subtraction would give. */
double stats_incbeta_xy(double a, double b, double x, double y);

/* Student t distribution with df > 0 degrees of freedom. */
double stats_t_cdf(double t, double df);
/* Two-sided p-value P(|T| >= |t|). */
double stats_t_p2(double t, double df);

/* Ordinary least squares of y on x, as scipy.stats.linregress reports it. */
typedef struct {
    int n;
    double slope, intercept;
    double r_squared;   /* NAN when y is constant */
    double std_err;     /* standard error of the slope; 0 for a constant or a perfect line */
    double t_stat;      /* slope / std_err; +-INFINITY for a perfect line; NAN when constant */
    double p_value;     /* two-sided, t with n - 2 degrees of freedom; NAN when constant */
    bool constant;      /* every y equal: slope 0, intercept = that value */
} stats_fit;

/* Fits integer data with exact integer sums, so only the final divisions and square
 * roots round. Needs n >= 3 points, x not all equal, |x| < 2^20 and n < 2^20; returns
 * -1 (out untouched) otherwise, else 0. */
int stats_fit_int(const int *x, const int *y, int n, stats_fit *out);

/* Sample standard deviation (n - 1 denominator) of integers, from exact sums: equal
 * variances give bit-identical results. NAN when n < 2. */
double stats_stddev_int(const int *v, int n);

/* Pearson correlation coefficient, clamped to [-1, 1]. NAN when n < 2 or either series
 * is constant. */
double stats_pearson(const double *a, const double *b, int n);

#endif
