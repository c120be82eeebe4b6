#include "render/svgchart.h"

#include <math.h>
#include <string.h>

#include "core/date.h"
#include "render/escape.h"

enum { W = 640, H = 220, LEFT = 48, RIGHT = 12, TOP = 12, BOTTOM = 28, MAX_POINTS = 200 };

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

void svgchart_line(buf *out, const svgchart_spec *s)
{
    double lo = INFINITY, hi = -INFINITY;
    int first = -1, last = -1;
    for (int i = 0; i < s->n; i++) {
        if (isnan(s->value[i])) continue;
        if (s->value[i] < lo) lo = s->value[i];
        if (s->value[i] > hi) hi = s->value[i];
        if (first < 0) first = i;
        last = i;
    }
    buf_printf(out, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"%s-t %s-d\" "
                    "xmlns=\"http://www.w3.org/2000/svg\"><title id=\"%s-t\">", W, H, s->id, s->id, s->id);
    text(out, s->title);
    buf_printf(out, "</title><desc id=\"%s-d\">", s->id);
    text(out, s->desc);
    buf_puts(out, "</desc>");
    buf_printf(out, "<rect class=\"chart-bg\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>", LEFT, TOP,
               W - LEFT - RIGHT, H - TOP - BOTTOM);
    if (first < 0) {
        buf_printf(out, "<text class=\"chart-empty\" x=\"%d\" y=\"%d\">no data</text></svg>", W / 2 - 24, H / 2);
        return;
    }
    if (hi - lo < 1e-9) {   /* flat line: give it some room */
        hi += 1;
        lo -= 1;
    }
    double x0 = s->day[first], x1 = s->day[last];
    if (x1 - x0 < 1) x1 = x0 + 1;
    double pw = W - LEFT - RIGHT, ph = H - TOP - BOTTOM;
    /* Long histories are thinned to at most MAX_POINTS, keeping the last point. */
    int step = (last - first) / MAX_POINTS + 1;
    buf_puts(out, "<path class=\"chart-line\" fill=\"none\" d=\"");
    int pen_down = 0;
    for (int i = first; i <= last; i += (i + step > last && i != last) ? (last - i) : step) {
        if (isnan(s->value[i])) {
            pen_down = 0;
            continue;
        }
        double fx = (s->day[i] - x0) / (x1 - x0), fy = (s->value[i] - lo) / (hi - lo);
        if (!s->invert) fy = 1 - fy;
        buf_putc(out, pen_down ? 'L' : 'M');
        fixed1(out, LEFT + fx * pw);
        buf_putc(out, ' ');
        fixed1(out, TOP + fy * ph);
        buf_putc(out, ' ');
        pen_down = 1;
        if (i == last) break;
    }
    buf_puts(out, "\"/>");
    /* axis labels: best and worst value, first and last date */
    char d0[11], d1[11];
    date_format(s->day[first], d0);
    date_format(s->day[last], d1);
    double top = s->invert ? lo : hi, bottom = s->invert ? hi : lo;
    buf_printf(out, "<text class=\"chart-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%.*f</text>", LEFT - 6, TOP + 10,
               s->decimals, top);
    buf_printf(out, "<text class=\"chart-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%.*f</text>", LEFT - 6, H - BOTTOM,
               s->decimals, bottom);
    buf_printf(out, "<text class=\"chart-label\" x=\"%d\" y=\"%d\">%s</text>", LEFT, H - 8, d0);
    buf_printf(out, "<text class=\"chart-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text></svg>", W - RIGHT,
               H - 8, d1);
}

static void open_svg(buf *out, const char *id, const char *title, const char *desc, int w, int h)
{
    buf_printf(out, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"%s-t %s-d\" "
                    "xmlns=\"http://www.w3.org/2000/svg\"><title id=\"%s-t\">", w, h, id, id, id);
    text(out, title);
    buf_printf(out, "</title><desc id=\"%s-d\">", id);
    text(out, desc);
    buf_puts(out, "</desc>");
}

void svgchart_bars(buf *out, const char *id, const char *title, const char *desc,
                   const char *const *labels, const double *values, int n)
{
    open_svg(out, id, title, desc, W, H);
    double hi = 0;
    for (int i = 0; i < n; i++)
        if (values[i] > hi) hi = values[i];
    if (hi <= 0) hi = 1;
    double pw = W - LEFT - RIGHT, ph = H - TOP - BOTTOM, bw = n ? pw / n : pw;
    for (int i = 0; i < n; i++) {
        double h = values[i] / hi * ph;
        buf_printf(out, "<rect class=\"chart-bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>",
                   LEFT + i * bw + 1, TOP + ph - h, bw - 2, h);
        text(out, labels[i]);
        buf_printf(out, ": %.0f</title></rect>", values[i]);
        buf_printf(out, "<text class=\"chart-label\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", LEFT + (i + 0.5) * bw, H - 8);
        text(out, labels[i]);
        buf_puts(out, "</text>");
    }
    buf_printf(out, "<text class=\"chart-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%.0f</text></svg>", LEFT - 6, TOP + 10, hi);
}

void svgchart_heatmap(buf *out, const char *id, const char *title, const char *desc,
                      const char *const *labels, const double *matrix, int n)
{
    enum { CELL = 28, LABEL = 110 };
    int size = LABEL + (n ? n : 1) * CELL + 4;
    open_svg(out, id, title, desc, size, size);
    for (int i = 0; i < n; i++) {
        buf_printf(out, "<text class=\"chart-label\" x=\"%d\" y=\"%d\" text-anchor=\"end\">", LABEL - 4, LABEL + i * CELL + 18);
        text(out, labels[i]);
        buf_printf(out, "</text><text class=\"chart-label\" transform=\"translate(%d %d) rotate(-60)\">", LABEL + i * CELL + 16, LABEL - 4);
        text(out, labels[i]);
        buf_puts(out, "</text>");
        for (int j = 0; j < n; j++) {
            double r = matrix[i * n + j];
            if (isnan(r)) continue;
            /* blue for positive, red for negative; opacity by strength */
            buf_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" fill-opacity=\"%.2f\"><title>",
                       LABEL + j * CELL, LABEL + i * CELL, CELL - 1, CELL - 1, r >= 0 ? "#2451b7" : "#b3261e", fabs(r));
            text(out, labels[i]);
            buf_puts(out, " / ");
            text(out, labels[j]);
            buf_printf(out, ": r = %.2f</title></rect>", r);
        }
    }
    buf_puts(out, "</svg>");
}
