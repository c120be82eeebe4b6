/* catlog etl run | etl logs */
#include <stdio.h>

#include "cmd/cmd.h"
#include "cmd/settings.h"
#include "core/interrupt.h"
#include "etl/etl.h"

static int run_etl(catlog_ctx *ctx)
{
    etl_options o;
    settings_etl(ctx->cfg, &o, ctx->stdout_is_tty);
    etl_summary s;
    interrupt_install();
    if (etl_run(ctx, &o, &s) != 0) return EXIT_FAIL;
    printf("etl run %s: %d page%s, %lld anime loaded, %lld rejected, %d request%s (%d retr%s), "
           "quality %d warning%s\n",
           s.run_id, s.pages_fetched, s.pages_fetched == 1 ? "" : "s", s.accepted, s.rejected, s.requests,
           s.requests == 1 ? "" : "s", s.retries, s.retries == 1 ? "y" : "ies", s.quality_failed,
           s.quality_failed == 1 ? "" : "s");
    return EXIT_OK;
}

static int run_logs(catlog_ctx *ctx)
{
    return etl_print_logs(ctx, (int)config_int(ctx->cfg, S_LIMIT)) == 0 ? EXIT_OK : EXIT_FAIL;
}

const command CMD_ETL_RUN = {
    {"etl run", NULL, 0, 0, G_DB | G_JIKAN | G_ETL | G_ETL_DATE,
     "Fetches GET JIKAN/top/anime?page=P&limit=25 for P = 1..pages, archives each page as received,\n"
     "and loads the day's snapshot in one transaction behind the quality gate. At most 1 request/s\n"
     "and 60/min. Exit 1 when the run failed or the gate blocked the snapshot.\n"},
    "fetch Jikan rankings into PostgreSQL behind the quality gate",
    run_etl,
};

const command CMD_ETL_LOGS = {
    {"etl logs", NULL, 0, 0, G_DB | G_LOGS, "Lists the most recent ETL runs.\n"},
    "list recent ETL runs",
    run_logs,
};
