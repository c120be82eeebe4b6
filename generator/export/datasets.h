/* datasets: every table `catlog export` writes, declared once: its directory, how it is
 * partitioned, the SQL that reads it and its Parquet columns. The dataset names are also the
 * "ExportVersions" names the change triggers use (db/sql/008_export_versions.sql). */
#ifndef CATLOG_EXPORT_DATASETS_H
#define CATLOG_EXPORT_DATASETS_H

#include "export/parquet.h"

typedef struct {
    const char *name;            /* directory and "ExportVersions".dataset: "daily_rankings" */
    const char *hive_key;        /* partition column in paths ("snapshot_date"); NULL: one file */
    const char *key_sql;         /* the partition key as an SQL date expression; NULL when none */
    const char *select_sql;      /* one expression per column, in the order of `columns`: dates
                                  * as days since 1970-01-01, decimals unscaled, timestamps as
                                  * microseconds, so every number arrives as an integer */
    const char *from_sql;        /* "FROM ..." with any joins */
    const char *order_sql;       /* ORDER BY inside a partition; NULL: the scan's order */
    const parquet_column *columns;
    int ncolumns;
    const char *about;           /* one line for the docs */
} export_dataset;

extern const export_dataset EXPORT_DATASETS[];
extern const int EXPORT_NUM_DATASETS;

#endif
