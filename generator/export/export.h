/* export: catlog's tables as Hive-partitioned Parquet for lake engines (DuckDB, Athena,
 * Trino, BigQuery external tables, Spark), in a directory or under an s3:// prefix:
 *
 *   daily_rankings/snapshot_date=YYYY-MM-DD/part-00000.parquet   one partition per day
 *   anime/part-00000.parquet, etl_logs/part-00000.parquet         current tables
 *   rolling_momentum/as_of_date=YYYY-MM-DD/..., and the other statistical tables, trending/
 *   _catlog_export.json                                           what was written, and from what
 *
 * Incremental: "ExportVersions" (kept by triggers) says which partitions changed since the
 * manifest's versions; only those are read and written (--full: all). Each file appears
 * whole (written beside, then renamed; one PUT on S3), the manifest last; partitions that
 * lost their rows are removed after it. The datasets are declared in export/datasets.c. */
#ifndef CATLOG_EXPORT_H
#define CATLOG_EXPORT_H

#include <stdbool.h>

#include "core/ctx.h"

#define EXPORT_MANIFEST "_catlog_export.json"

typedef struct {
    const char *target;          /* a directory or s3://BUCKET[/PREFIX] */
    bool full;                   /* rewrite every partition */
    long row_group_rows;         /* 0: 1,048,576 */
    int parallel, retries;       /* object storage requests */
    bool verbose, progress;
} export_options;

typedef struct {
    long long partitions_written, partitions_unchanged, partitions_removed;
    long long rows, bytes;
    double seconds;
} export_summary;

/* Returns 0; 1 when something failed (one line said what; the target keeps the previous
 * manifest, so the next run writes what is missing); 2 for a target it cannot use. */
int export_run(catlog_ctx *ctx, const export_options *o, export_summary *out);

#endif
