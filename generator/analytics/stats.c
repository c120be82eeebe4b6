#include "analytics/stats.h"

#include <float.h>
#include <math.h>

/* 128-bit integers hold the least-squares sums of any int data exactly. */
__extension__ typedef __int128 i128;

#define CF_MAX_ITER 10000
#define CF_TINY 1e-300

/* Continued fraction for I_x(a, b) (Numerical Recipes' betacf, modified Lentz),
 * converging fast for x < (a + 1) / (a + b + 2). */
static double beta_cf(double a, double b, double x)
{
    double qab = a + b, qap = a + 1.0, qam = a - 1.0;
    double c = 1.0, d = 1.0 - qab * x / qap;
    if (fabs(d) < CF_TINY) d = CF_TINY;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= CF_MAX_ITER; m++) {
        double m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if (fabs(d) < CF_TINY) d = CF_TINY;
        c = 1.0 + aa / c;
        if (fabs(c) < CF_TINY) c = CF_TINY;
        d = 1.0 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if (fabs(d) < CF_TINY) d = CF_TINY;
        c = 1.0 + aa / c;
        if (fabs(c) < CF_TINY) c = CF_TINY;
        d = 1.0 / d;
        double del = d * c;
        h *= del;
        if (fabs(del - 1.0) <= DBL_EPSILON) break;
    }
    return h;
}

double stats_incbeta_xy(double a, double b, double x, double y)
{
    if (!(a > 0) || !(b > 0) || !(x >= 0) || !(y >= 0) || isinf(a) || isinf(b)) return NAN;
    if (x == 0) return 0.0;
    if (y == 0) return 1.0;
    /* x^a y^b / B(a, b), in logs. */
    double lfront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(y);
    if (x < (a + 1.0) / (a + b + 2.0)) return exp(lfront) * beta_cf(a, b, x) / a;
    return 1.0 - exp(lfront) * beta_cf(b, a, y) / b;
}

double stats_incbeta(double a, double b, double x)
{
    if (!(x >= 0 && x <= 1)) return NAN;
    return stats_incbeta_xy(a, b, x, 1.0 - x);
}

double stats_t_p2(double t, double df)
{
    if (isnan(t) || !(df > 0)) return NAN;
    if (isinf(t)) return 0.0;
    /* P(|T| >= |t|) = I_x(df/2, 1/2) with x = df / (df + t^2). */
    double t2 = t * t, s = df + t2;
    return stats_incbeta_xy(df / 2.0, 0.5, df / s, t2 / s);
}

double stats_t_cdf(double t, double df)
{
    double p = stats_t_p2(t, df);
    if (isnan(p)) return NAN;
    return t < 0 ? p / 2.0 : 1.0 - p / 2.0;
}

/* a*d - b*c for doubles without cancellation (Kahan's algorithm with fma). */
static double diff_of_products(double a, double d, double b, double c)
{
    double w = b * c;
    double e = fma(-b, c, w);
    double f = fma(a, d, -w);
    return f + e;
}

int stats_fit_int(const int *x, const int *y, int n, stats_fit *out)
{
    if (n < 3 || n >= (1 << 20)) return -1;
    i128 sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    for (int i = 0; i < n; i++) {
        if (x[i] >= (1 << 20) || x[i] <= -(1 << 20)) return -1;
        i128 xi = x[i], yi = y[i];
        sx += xi;
        sy += yi;
        sxx += xi * xi;
        syy += yi * yi;
        sxy += xi * yi;
    }
    /* n times the centred sums of squares and products: exact. */
    i128 Sxx = (i128)n * sxx - sx * sx;
    i128 Syy = (i128)n * syy - sy * sy;
    i128 Sxy = (i128)n * sxy - sx * sy;
    if (Sxx <= 0) return -1;
    stats_fit f = {.n = n};
    double sxx_d = (double)Sxx, syy_d = (double)Syy, sxy_d = (double)Sxy;
    if (Syy == 0) {
        f.constant = true;
        f.slope = 0.0;
        f.intercept = (double)y[0];
        f.std_err = 0.0;
        f.r_squared = f.t_stat = f.p_value = NAN;
        *out = f;
        return 0;
    }
    f.slope = sxy_d / sxx_d;
    f.intercept = (double)(sy * sxx - sx * sxy) / sxx_d;
    /* D = Sxx*Syy - Sxy^2 (n^2 times the residual sum of squares times Sxx / n): exact
     * in 128 bits when the factors are below 2^62, else without cancellation in doubles. */
    const i128 lim = (i128)1 << 62;
    double D, denom;
    if (Sxx < lim && Syy < lim) {
        i128 prod = Sxx * Syy;
        D = (double)(prod - Sxy * Sxy);
        denom = (double)prod;
    } else {
        D = diff_of_products(sxx_d, syy_d, sxy_d, sxy_d);
        if (D < 0) D = 0;
        denom = sxx_d * syy_d;
    }
    double df = n - 2;
    f.r_squared = (sxy_d / sxx_d) * (sxy_d / syy_d);
    if (f.r_squared > 1.0) f.r_squared = 1.0;
    if (D == 0) {
        f.r_squared = 1.0;
        f.std_err = 0.0;
        f.t_stat = Sxy > 0 ? INFINITY : -INFINITY;
        f.p_value = 0.0;
    } else {
        double s = sqrt(D / df);
        f.std_err = s / sxx_d;
        f.t_stat = sxy_d / s;
        /* p = I_{1 - r^2}(df/2, 1/2), both arguments without cancellation. */
        f.p_value = stats_incbeta_xy(df / 2.0, 0.5, D / denom, f.r_squared);
    }
    *out = f;
    return 0;
}

double stats_stddev_int(const int *v, int n)
{
    if (n < 2) return NAN;
    i128 s = 0, ss = 0;
    for (int i = 0; i < n; i++) {
        s += v[i];
        ss += (i128)v[i] * v[i];
    }
    i128 num = (i128)n * ss - s * s;   /* n(n-1) times the sample variance */
    return sqrt((double)num / ((double)n * (double)(n - 1)));
}

double stats_pearson(const double *a, const double *b, int n)
{
    if (n < 2) return NAN;
    bool a_const = true, b_const = true;
    for (int i = 1; i < n; i++) {
        if (a[i] != a[0]) a_const = false;
        if (b[i] != b[0]) b_const = false;
    }
    if (a_const || b_const) return NAN;
    double ma = 0, mb = 0;
    for (int i = 0; i < n; i++) {
        ma += a[i];
        mb += b[i];
    }
    ma /= n;
    mb /= n;
    double saa = 0, sbb = 0, sab = 0;
    for (int i = 0; i < n; i++) {
        double da = a[i] - ma, db = b[i] - mb;
        saa += da * da;
        sbb += db * db;
        sab += da * db;
    }
    if (saa == 0 || sbb == 0) return NAN;
    double r = sab / sqrt(saa * sbb);
    if (r > 1.0) r = 1.0;
    if (r < -1.0) r = -1.0;
    return r;
}
