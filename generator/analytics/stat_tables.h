/* stat_tables: the statistical tables `catlog analytics refresh` fills for an as-of date,
 * declared once: each one's SQL name, the slug of its page and report, the columns refresh
 * writes and the order of its full report. Refresh (what it clears and copies in), the site
 * (analytics/<slug>/ pages, reports/analytics-<slug>.csv and .json, the reports index) and
 * `catlog analytics refresh --help` follow this list. */
#ifndef CATLOG_STAT_TABLES_H
#define CATLOG_STAT_TABLES_H

typedef enum {
    STAT_MOMENTUM,
    STAT_SIGNIFICANCE,
    STAT_VOLATILITY,
    STAT_PERCENTILES,
    STAT_CORRELATION,
    STAT_NUM_TABLES
} stat_table_id;

typedef struct {
    const char *name;           /* SQL name, unquoted: "RollingMomentumAnalysis" */
    const char *slug;           /* "momentum": analytics/momentum/, reports/analytics-momentum.* */
    const char *columns;        /* quoted, in the order refresh writes them, "asOf" first */
    const char *report_order;   /* ORDER BY of the full report (every row of the as-of date) */
} stat_table;

/* Indexed by stat_table_id. */
extern const stat_table STAT_TABLES[];

#endif
