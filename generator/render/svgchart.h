/* svgchart: inline SVG line charts (rank and score histories) with <title>/<desc> for
 * screen readers. Text is escaped here; callers pass plain strings. */
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
    int decimals;         /* axis labels */
} svgchart_spec;

/* Appends one <svg> element. With no values, a chart saying "no data". */
void svgchart_line(buf *out, const svgchart_spec *spec);

/* A bar chart: one bar per label (a histogram when labels are bins). */
void svgchart_bars(buf *out, const char *id, const char *title, const char *desc,
                   const char *const *labels, const double *values, int n);

/* A heatmap of an n x n matrix in [-1, 1] (correlations), row-major; NAN = blank cell. */
void svgchart_heatmap(buf *out, const char *id, const char *title, const char *desc,
                      const char *const *labels, const double *matrix, int n);

#endif
