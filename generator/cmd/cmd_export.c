/* catlog export: the tables as Hive-partitioned Parquet in a directory or under s3:// */
#include <stdio.h>

#include "cmd/cmd.h"
#include "cmd/settings.h"
#include "core/interrupt.h"
#include "export/export.h"

static int run_export(catlog_ctx *ctx)
{
    export_options o;
    settings_export(ctx->cfg, &o, ctx->stdout_is_tty);
    interrupt_install();
    export_summary s;
    int rc = export_run(ctx, &o, &s);
    if (rc == 0)
        printf("exported to %s: %lld partition%s written (%lld rows, %.1f MB), %lld unchanged, %lld removed in %.1f s\n",
               o.target, s.partitions_written, s.partitions_written == 1 ? "" : "s", s.rows, (double)s.bytes / 1e6,
               s.partitions_unchanged, s.partitions_removed, s.seconds);
    return rc == 0 ? EXIT_OK : rc == 2 ? EXIT_USAGE : EXIT_FAIL;
}

const command CMD_EXPORT = {
    {"export", NULL, 0, 0, G_DB | G_EXPORT,
     "Writes the rankings, the current anime, the ETL log, the statistical tables and the trending\n"
     "lists as Hive-partitioned Parquet (ZSTD, min/max statistics) that DuckDB, Athena, Trino,\n"
     "BigQuery and Spark read in place:\n"
     "  daily_rankings/snapshot_date=YYYY-MM-DD/part-00000.parquet, anime/part-00000.parquet,\n"
     "  etl_logs/, rolling_momentum/as_of_date=.../ (and every statistical table), trending/,\n"
     "  _catlog_export.json (the partitions written, their versions and SHA-256).\n"
     "Only partitions whose rows changed since the last export are written (--full: all); each file\n"
     "appears whole, the manifest last. s3:// uses the AWS_* variables as catlog publish does.\n"
     "Exit 0 when everything was exported, 1 otherwise, 2 on bad usage.\n"},
    "write the tables as Hive-partitioned Parquet to a directory or S3",
    run_export,
};
