#include "render/svgchart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "render/escape.h"

/* Line and bar charts scale with the page (viewBox W x H): W is narrow enough that 12-unit text
 * still renders at 11 CSS px or more in a 358 px wide column (a 390 px phone). */
enum { W = 380, H = 210, RIGHT = 12, TOP = 10, BOTTOM = 40, MAX_POINTS = 160, MAX_TIPS = 12 };
#define CHAR_W 6.8   /* a 12 px label's average character width, for layout */

static void text(buf *out, const char *s) { esc_html(out, s, strlen(s)); }

/* x with one decimal, without printf: charts print thousands of coordinates per page. */
static void fixed1(buf *out, double x)
{
    long v = lround(x * 10);
    char tmp[24];
    int n = sizeof tmp;
    int neg = v < 0;
    if (neg) v = -v;
    tmp[--n] = (char)('0' + v % 10);
    tmp[--n] = '.';
    v /= 10;
    do {
        tmp[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (neg) tmp[--n] = '-';
    buf_append(out, tmp + n, sizeof tmp - (size_t)n);
}

/* A number as a reader reads it: 12,345 or 7.25 (thousands separated). */
static int number(char *out, size_t size, double v, int decimals)
{
    char raw[48];
    int n = snprintf(raw, sizeof raw, "%.*f", decimals, v);
    if (n < 0 || (size_t)n >= sizeof raw) n = 0;
    raw[n] = 0;
    const char *digits = raw[0] == '-' ? raw + 1 : raw;
    size_t int_len = strcspn(digits, ".");
    size_t o = 0;
    if (digits != raw && o + 1 < size) out[o++] = '-';
    for (size_t i = 0; digits[i] && o + 1 < size; i++) {
        if (i > 0 && i < int_len && (int_len - i) % 3 == 0 && o + 2 < size) out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = 0;
    return (int)o;
}

static int utf8_chars(const char *s)
{
    int n = 0;
    for (; *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

int svgchart_ticks(double lo, double hi, int max, double *ticks, double *step)
{
    if (max < 2) max = 2;
    if (max > 16) max = 16;
    if (!(hi > lo)) hi = lo + 1;
    double raw = (hi - lo) / (max - 1);
    double mag = pow(10, floor(log10(raw)));
    static const double NICE[] = {1, 2, 5, 10, 20, 50, 100};
    for (size_t k = 0; k < sizeof NICE / sizeof NICE[0]; k++) {
        double s = NICE[k] * mag;
        double t0 = floor(lo / s + 1e-9), t1 = ceil(hi / s - 1e-9);
        int n = (int)(t1 - t0) + 1;
        if (n > max) continue;
        for (int i = 0; i < n; i++) ticks[i] = (t0 + i) * s;
        *step = s;
        return n;
    }
    ticks[0] = lo;
    ticks[1] = hi;
    *step = hi - lo;
    return 2;
}

static int step_decimals(double step)
{
    int d = (int)-floor(log10(step) + 1e-9);
    return d < 0 ? 0 : d > 6 ? 6 : d;
}

int svgchart_date_ticks(int first, int last, int max, int *ticks, bool *monthly)
{
    if (max < 2) max = 2;
    if (max > 16) max = 16;
    if (last < first) last = first;
    int y0, m0, d0, y1, m1, d1;
    date_to_ymd(first, &y0, &m0, &d0);
    date_to_ymd(last, &y1, &m1, &d1);
    int mfirst = y0 * 12 + m0 - 1 + (d0 > 1), mlast = y1 * 12 + m1 - 1;   /* month starts inside */
    static const int MONTHS[] = {1, 2, 3, 6, 12, 24, 60, 120, 240, 600};
    if (mlast - mfirst >= 1) {
        for (size_t k = 0; k < sizeof MONTHS / sizeof MONTHS[0]; k++) {
            int s = MONTHS[k], n = 0;
            for (int m = mfirst; m <= mlast; m++)
                if (m % s == 0) n++;
            if (n > max) continue;
            if (n < 2 && k > 0) break;
            n = 0;
            for (int m = mfirst; m <= mlast; m++)
                if (m % s == 0) ticks[n++] = date_from_ymd(m / 12, m % 12 + 1, 1);
            *monthly = true;
            if (n >= 2) return n;
            break;
        }
    }
    static const int DAYS[] = {1, 2, 7, 14, 28};
    *monthly = false;
    for (size_t k = 0; k < sizeof DAYS / sizeof DAYS[0]; k++) {
        int s = DAYS[k], n = 0;
        /* day 4 (1970-01-05) is a Monday: weeks start on Mondays */
        int start = first + (((4 - first) % s) + s) % s;
        for (int d = start; d <= last; d += s) n++;
        if (n > max) continue;
        n = 0;
        for (int d = start; d <= last; d += s) ticks[n++] = d;
        return n;
    }
    ticks[0] = first;
    ticks[1] = last;
    return last > first ? 2 : 1;
}

void svgchart_date_label(int day, bool monthly, bool with_year, char out[16])
{
    static const char *const MON[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    if (!monthly) snprintf(out, 16, "%s %d", MON[m - 1], d);
    else if (m == 1 || with_year) snprintf(out, 16, "%s %d", MON[m - 1], y);
    else snprintf(out, 16, "%s", MON[m - 1]);
}

static void open_svg(buf *out, const char *cls, const char *id, const char *title, const char *desc, int w, int h)
{
    buf_printf(out, "<svg class=\"%s\" viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"%s-t %s-d\" "
                    "xmlns=\"http://www.w3.org/2000/svg\"><title id=\"%s-t\">", cls, w, h, id, id, id);
    text(out, title);
    buf_printf(out, "</title><desc id=\"%s-d\">", id);
    text(out, desc);
    buf_puts(out, "</desc>");
}

/* The y axis: tick labels right-aligned left of the plot, and the axis title turned upright. */
static void y_axis(buf *out, int left, const double *ypos, char labels[][32], int n, const char *title, double mid)
{
    buf_puts(out, "<g class=\"chart-label\" text-anchor=\"end\">");
    for (int i = 0; i < n; i++) {
        buf_printf(out, "<text x=\"%d\" y=\"", left - 5);
        fixed1(out, ypos[i] + 4);
        buf_printf(out, "\">%s</text>", labels[i]);
    }
    buf_puts(out, "</g><text class=\"chart-axis\" text-anchor=\"middle\" transform=\"translate(13 ");
    fixed1(out, mid);
    buf_puts(out, ") rotate(-90)\">");
    text(out, title);
    buf_puts(out, "</text>");
}

/* A label centred on x, kept inside [0, w]. */
static void x_label(buf *out, double x, int y, const char *label, int w)
{
    double half = utf8_chars(label) * CHAR_W / 2;
    const char *anchor = x - half < 2 ? "start" : x + half > w - 2 ? "end" : NULL;
    if (anchor) x = anchor[0] == 's' ? (x - half < 2 ? 2 : x) : (x + half > w - 2 ? w - 2 : x);
    buf_puts(out, "<text x=\"");
    fixed1(out, x);
    buf_printf(out, "\" y=\"%d\"", y);
    if (anchor) buf_printf(out, " text-anchor=\"%s\"", anchor);
    buf_putc(out, '>');
    text(out, label);
    buf_puts(out, "</text>");
}

static void x_title(buf *out, double mid, const char *title)
{
    buf_puts(out, "<text class=\"chart-axis\" text-anchor=\"middle\" x=\"");
    fixed1(out, mid);
    buf_printf(out, "\" y=\"%d\">", H - 4);
    text(out, title);
    buf_puts(out, "</text>");
}

/* A number of tenths, without a trailing ".0". */
static void tenths(buf *out, long v)
{
    if (v % 10) fixed1(out, v / 10.0);
    else buf_printf(out, "%ld", v / 10);
}

/* Relative path steps ("l" with implicit repeats): a point costs 4 to 9 bytes. */
static void rel_pair(buf *out, long dx, long dy)
{
    tenths(out, dx);
    if (dy >= 0) buf_putc(out, ' ');
    tenths(out, dy);
}

void svgchart_line(buf *out, const svgchart_spec *s)
{
    double lo = INFINITY, hi = -INFINITY;
    int first = -1, last = -1, valid = 0;
    for (int i = 0; i < s->n; i++) {
        if (isnan(s->value[i])) continue;
        if (s->value[i] < lo) lo = s->value[i];
        if (s->value[i] > hi) hi = s->value[i];
        if (first < 0) first = i;
        last = i;
        valid++;
    }
    open_svg(out, "chart", s->id, s->title, s->desc, W, H);
    if (first < 0) {
        buf_printf(out, "<rect class=\"chart-bg\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>", 20, TOP,
                   W - 20 - RIGHT, H - TOP - BOTTOM);
        buf_printf(out, "<text class=\"chart-empty\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">no data</text></svg>",
                   W / 2, H / 2);
        return;
    }
    if (hi - lo < 1e-9) {   /* flat line: give it some room */
        hi += 1;
        lo -= 1;
    }
    double ticks[17], step;
    int nt = svgchart_ticks(lo, hi, 5, ticks, &step);
    double ylo = ticks[0], yhi = ticks[nt - 1];
    if (s->invert && ylo < 1) {   /* ranks start at 1: no rank 0 at the top */
        ylo = 1;
        int k = 0;
        if (step >= 5) ticks[k++] = 1;
        for (int i = 0; i < nt; i++)
            if (ticks[i] >= 1 && !(step >= 5 && ticks[i] == 1)) ticks[k++] = ticks[i];
        nt = k;
    }
    int dec = step_decimals(step);
    char labels[17][32];
    int widest = 0;
    for (int i = 0; i < nt; i++) {
        int len = number(labels[i], sizeof labels[i], ticks[i], dec);
        if (len > widest) widest = len;
    }
    int left = 22 + (int)(widest * CHAR_W) + 6;
    double pw = W - left - RIGHT, ph = H - TOP - BOTTOM;
    double x0 = s->day[first], x1 = s->day[last];
    if (x1 - x0 < 1) x1 = x0 + 1;
#define XPOS(d) (left + ((d) - x0) / (x1 - x0) * pw)
#define YPOS(v) (TOP + (s->invert ? ((v) - ylo) : (yhi - (v))) / (yhi - ylo) * ph)
    buf_printf(out, "<rect class=\"chart-bg\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>", left, TOP, (int)pw,
               (int)ph);
    int dt[17];
    bool monthly;
    int ndt = svgchart_date_ticks((int)x0, s->day[last], 5, dt, &monthly);
    /* gridlines: one path, horizontal at the value ticks, vertical at the date ticks */
    double ypos[17];
    buf_puts(out, "<path class=\"chart-grid\" d=\"");
    for (int i = 0; i < nt; i++) {
        ypos[i] = YPOS(ticks[i]);
        buf_printf(out, "M%d ", left);
        fixed1(out, ypos[i]);
        buf_printf(out, "h%d", (int)pw);
    }
    for (int i = 0; i < ndt; i++) {
        buf_putc(out, 'M');
        fixed1(out, XPOS(dt[i]));
        buf_printf(out, " %dv%d", TOP, (int)ph);
    }
    buf_puts(out, "\"/>");
    /* the line; long histories are thinned to at most MAX_POINTS, keeping the last point */
    int stride = (last - first) / MAX_POINTS + 1;
    buf_puts(out, "<path class=\"chart-line\" fill=\"none\" d=\"");
    int pen_down = 0;
    long px = 0, py = 0;
    for (int i = first; i <= last; i += (i + stride > last && i != last) ? (last - i) : stride) {
        if (isnan(s->value[i])) {
            pen_down = 0;
            continue;
        }
        long qx = lround(XPOS(s->day[i]) * 10), qy = lround(YPOS(s->value[i]) * 10);
        if (!pen_down) {
            buf_putc(out, 'M');
            rel_pair(out, qx, qy);
        } else {
            if (pen_down == 1) buf_putc(out, 'l');
            else if (qx >= px) buf_putc(out, ' ');   /* else the '-' separates the numbers */
            rel_pair(out, qx - px, qy - py);
        }
        pen_down = pen_down ? 2 : 1;
        px = qx;
        py = qy;
        if (i == last) break;
    }
    buf_puts(out, "\"/>");
    /* a dot on the latest value */
    buf_puts(out, "<circle class=\"chart-dot\" r=\"3\" cx=\"");
    fixed1(out, px / 10.0);
    buf_puts(out, "\" cy=\"");
    fixed1(out, py / 10.0);
    buf_puts(out, "\"/>");
    const char *ytitle = s->y_title ? s->y_title : "Value";
    y_axis(out, left, ypos, labels, nt, ytitle, TOP + ph / 2);
    buf_puts(out, "<g class=\"chart-label\" text-anchor=\"middle\">");
    for (int i = 0; i < ndt; i++) {
        char lab[16];
        svgchart_date_label(dt[i], monthly, i == 0, lab);
        x_label(out, XPOS(dt[i]), TOP + (int)ph + 16, lab, W);
    }
    buf_puts(out, "</g>");
    int ya, yb, mo, da;
    date_to_ymd((int)x0, &ya, &mo, &da);
    date_to_ymd(s->day[last], &yb, &mo, &da);
    char xt[40];
    if (ya == yb) snprintf(xt, sizeof xt, "Date (%d)", ya);
    else snprintf(xt, sizeof xt, "Date (%d\xe2\x80\x93%d)", ya, yb);
    x_title(out, left + pw / 2, xt);
    /* tooltips: one band per point, or per group of consecutive points for longer series */
    int span = last - first + 1, bands = valid <= MAX_TIPS ? span : MAX_TIPS;
    buf_puts(out, "<g class=\"chart-hit\">");
    for (int k = 0; k < bands; k++) {
        int a = first + (int)((long)span * k / bands), b = first + (int)((long)span * (k + 1) / bands) - 1;
        double vlo = INFINITY, vhi = -INFINITY;
        int da_ = -1, db_ = -1;
        for (int i = a; i <= b; i++) {
            if (isnan(s->value[i])) continue;
            if (s->value[i] < vlo) vlo = s->value[i];
            if (s->value[i] > vhi) vhi = s->value[i];
            if (da_ < 0) da_ = i;
            db_ = i;
        }
        if (da_ < 0) continue;
        double xa = a == first ? left : (XPOS(s->day[a - 1]) + XPOS(s->day[a])) / 2;
        double xb = b == last ? left + pw : (XPOS(s->day[b]) + XPOS(s->day[b + 1])) / 2;
        buf_puts(out, "<rect x=\"");
        fixed1(out, xa);
        buf_puts(out, "\" width=\"");
        fixed1(out, xb - xa);
        buf_printf(out, "\" y=\"%d\" height=\"%d\"><title>", TOP, (int)ph);
        char d1[11], d2[11], v1[32], v2[32];
        date_format(s->day[da_], d1);
        date_format(s->day[db_], d2);
        number(v1, sizeof v1, vlo, s->decimals);
        number(v2, sizeof v2, vhi, s->decimals);
        buf_puts(out, d1);
        if (db_ != da_) buf_printf(out, " to %s", d2);
        buf_puts(out, ": ");
        esc_html(out, ytitle, strcspn(ytitle, "("));   /* "Rank (1 = top)": "Rank " */
        if (!strchr(ytitle, '(')) buf_putc(out, ' ');
        buf_puts(out, v1);
        if (strcmp(v1, v2) != 0) buf_printf(out, "\xe2\x80\x93%s", v2);
        buf_puts(out, "</title></rect>");
    }
    buf_puts(out, "</g></svg>");
#undef XPOS
#undef YPOS
}

void svgchart_bars(buf *out, const char *id, const char *title, const char *desc, const char *x_title_s,
                   const char *y_title, const char *const *labels, const double *values, int n)
{
    open_svg(out, "chart", id, title, desc, W, H);
    double hi = 0;
    for (int i = 0; i < n; i++)
        if (values[i] > hi) hi = values[i];
    double ticks[17], step;
    int nt = svgchart_ticks(0, hi > 0 ? hi : 1, 5, ticks, &step);
    if (step < 1) {   /* counts: whole numbers */
        step = 1;
        nt = 2;
        ticks[0] = 0;
        ticks[1] = 1;
    }
    double yhi = ticks[nt - 1];
    char tl[17][32];
    int widest = 0;
    for (int i = 0; i < nt; i++) {
        int len = number(tl[i], sizeof tl[i], ticks[i], 0);
        if (len > widest) widest = len;
    }
    int left = 22 + (int)(widest * CHAR_W) + 6;
    double pw = W - left - RIGHT, ph = H - TOP - BOTTOM, bw = n ? pw / n : pw;
    buf_printf(out, "<rect class=\"chart-bg\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>", left, TOP, (int)pw,
               (int)ph);
    double ypos[17];
    buf_puts(out, "<path class=\"chart-grid\" d=\"");
    for (int i = 0; i < nt; i++) {
        ypos[i] = TOP + (yhi - ticks[i]) / yhi * ph;
        buf_printf(out, "M%d ", left);
        fixed1(out, ypos[i]);
        buf_printf(out, "h%d", (int)pw);
    }
    buf_puts(out, "\"/>");
    for (int i = 0; i < n; i++) {
        double h = values[i] / yhi * ph;
        char v[32];
        number(v, sizeof v, values[i], 0);
        buf_printf(out, "<rect class=\"chart-bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>",
                   left + i * bw + 1, TOP + ph - h, bw - 2, h);
        text(out, labels[i]);
        buf_printf(out, ": %s</title></rect>", v);
    }
    y_axis(out, left, ypos, tl, nt, y_title, TOP + ph / 2);
    buf_puts(out, "<g class=\"chart-label\" text-anchor=\"middle\">");
    for (int i = 0; i < n; i++) x_label(out, left + (i + 0.5) * bw, TOP + (int)ph + 16, labels[i], W);
    buf_puts(out, "</g>");
    x_title(out, left + pw / 2, x_title_s);
    buf_puts(out, "</svg>");
}

void svgchart_heatmap(buf *out, const char *id, const char *title, const char *desc,
                      const char *const *labels, const double *matrix, int n)
{
    enum { CELL = 28, LEGEND = 64 };
    int widest = 4;
    for (int i = 0; i < n; i++)
        if (utf8_chars(labels[i]) > widest) widest = utf8_chars(labels[i]);
    int lw = (int)(widest * CHAR_W) + 10;                 /* row labels, right-aligned */
    int top = (int)(widest * CHAR_W * 0.87) + 14;          /* column labels turned by 60 degrees */
    int cells = (n ? n : 1) * CELL;
    int right = (int)(widest * CHAR_W * 0.5) - CELL / 2 + 8;
    if (right < 8) right = 8;
    int w = lw + cells + right, h = top + cells + LEGEND;
    if (w < 260) w = 260;
    buf_printf(out, "<svg class=\"chart-fixed\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
                    "aria-labelledby=\"%s-t %s-d\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"%s-t\">",
               w, h, w, h, id, id, id);
    text(out, title);
    buf_printf(out, "</title><desc id=\"%s-d\">", id);
    text(out, desc);
    buf_printf(out, "</desc><defs><linearGradient id=\"%s-g\"><stop offset=\"0\" stop-color=\"#b3261e\"/>"
                    "<stop offset=\".5\" stop-color=\"#b3261e\" stop-opacity=\"0\"/><stop offset=\".5\" "
                    "stop-color=\"#2451b7\" stop-opacity=\"0\"/><stop offset=\"1\" stop-color=\"#2451b7\"/>"
                    "</linearGradient></defs>", id);
    buf_puts(out, "<g class=\"chart-label\">");
    for (int i = 0; i < n; i++) {
        buf_printf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", lw - 4, top + i * CELL + 18);
        text(out, labels[i]);
        buf_printf(out, "</text><text transform=\"translate(%d %d) rotate(-60)\">", lw + i * CELL + 16, top - 4);
        text(out, labels[i]);
        buf_puts(out, "</text>");
    }
    buf_puts(out, "</g>");
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double r = matrix[i * n + j];
            if (isnan(r)) continue;
            /* blue for positive, red for negative; opacity by strength */
            buf_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" fill-opacity=\"%.2f\"><title>",
                       lw + j * CELL, top + i * CELL, CELL - 1, CELL - 1, r >= 0 ? "#2451b7" : "#b3261e", fabs(r));
            text(out, labels[i]);
            buf_puts(out, " / ");
            text(out, labels[j]);
            buf_printf(out, ": r = %.2f</title></rect>", r);
        }
    /* the colour legend: -1 (red) through 0 (blank) to +1 (blue) */
    int ly = top + cells + 14, lx = lw, lwid = cells < 180 ? 180 : cells;
    if (lx + lwid > w - 8) lwid = w - 8 - lx;
    buf_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"12\" fill=\"url(#%s-g)\" stroke=\"#8888\">"
                    "<title>Colour scale: r from -1 (red) to +1 (blue)</title></rect>", lx, ly, lwid, id);
    buf_printf(out, "<g class=\"chart-label\"><text x=\"%d\" y=\"%d\" text-anchor=\"start\">\xe2\x88\x92" "1</text>"
                    "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">0</text>"
                    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">+1</text></g>",
               lx, ly + 27, lx + lwid / 2, ly + 27, lx + lwid, ly + 27);
    buf_printf(out, "<text class=\"chart-axis\" x=\"%d\" y=\"%d\" text-anchor=\"end\">Pearson r</text></svg>",
               lx - 6, ly + 11);
}
