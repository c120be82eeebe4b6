/* svgchart: inline SVG charts (rank and score histories, histograms, correlation heatmaps)
 * with <title>/<desc> for screen readers, ticks at round values, light gridlines, axis titles
 * and <title> tooltips, sized so that their text stays readable on a phone. Text is escaped
 * here; callers pass plain strings. */
#ifndef CATLOG_SVGCHART_H
#define CATLOG_SVGCHART_H

#include <stdbool.h>

#include "core/buf.h"

typedef struct {
    const char *id;       /* unique within the page: ids of <title>/<desc> */
    const char *title;
    const char *desc;
    const int *day;       /* x: day numbers (core/date), ascending */
    const double *value;  /* y; NAN = no value that day (the line breaks) */
    int n;
    bool invert;          /* ranks: 1 at the top */
    int decimals;         /* values in tooltips */
    const char *y_title;  /* y-axis title; before any " (", the value's name in tooltips. NULL: "Value" */
} svgchart_spec;

/* Appends one <svg> element. With no values, a chart saying "no data". */
void svgchart_line(buf *out, const svgchart_spec *spec);

/* A bar chart: one bar per label (a histogram when labels are bins), with axis titles. */
void svgchart_bars(buf *out, const char *id, const char *title, const char *desc, const char *x_title,
                   const char *y_title, const char *const *labels, const double *values, int n);

/* A heatmap of an n x n matrix in [-1, 1] (correlations), row-major; NAN = blank cell. Drawn at
 * its own pixel size (not scaled to the page: put it in a box that scrolls), with a legend. */
void svgchart_heatmap(buf *out, const char *id, const char *title, const char *desc,
                      const char *const *labels, const double *matrix, int n);

/* Axis ticks at round values (1, 2 or 5 times a power of ten) covering [lo, hi]: at most max
 * (2..16) ticks into ticks[]; returns their count and sets *step. ticks[0] <= lo and the last
 * tick >= hi. */
int svgchart_ticks(double lo, double hi, int max, double *ticks, double *step);

/* Date ticks within [first, last] (day numbers): month starts every 1, 2, 3, 6 or 12 months,
 * or for short spans every 1, 2, 7 (Mondays) or 14 days; at most max (2..16). Returns their
 * count; *monthly says which kind. */
int svgchart_date_ticks(int first, int last, int max, int *ticks, bool *monthly);

/* A tick's label: "Sep", "Jan 2026" (January or with_year) for month ticks, "Sep 8" for days. */
void svgchart_date_label(int day, bool monthly, bool with_year, char out[16]);

#endif
