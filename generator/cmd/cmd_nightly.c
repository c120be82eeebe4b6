/* catlog nightly: etl -> quality gate -> analytics -> build -> publish, one at a time
 * (a PostgreSQL advisory lock), each step timed and logged, the first failure stopping
 * the chain with an exit code that names it. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "analytics/refresh.h"
#include "cmd/cmd.h"
#include "core/args.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/progress.h"
#include "core/webhook.h"
#include "db/db.h"
#include "etl/etl.h"
#include "publish/publish.h"
#include "site/site.h"

enum { EXIT_LOCKED = 3, EXIT_ETL = 4, EXIT_QUALITY = 5, EXIT_ANALYTICS = 6, EXIT_BUILD = 7, EXIT_PUBLISH = 8 };

/* pg_advisory_lock key for "one nightly at a time" (spells "CLNT"). */
#define NIGHTLY_LOCK_KEY "1129073748"

static const char usage[] =
    "usage: catlog nightly [--publish-to s3://BUCKET[/PREFIX] | DIR] [--out DIR] [--pages N]\n"
    "                      [--date YYYY-MM-DD] [--site-url URL] [--webhook URL] [--wait]\n"
    "                      [--step-retries N] [--retry-delay SECS] [--raw-dir DIR] [--templates DIR]\n"
    "Runs etl -> quality gate -> analytics -> build -> publish. The first failing step stops the\n"
    "chain (nothing half-updated is published) and sets the exit code:\n"
    "  3 another nightly holds the lock (or wait for it with --wait)\n"
    "  4 ETL  5 quality gate  6 analytics  7 build  8 publish\n"
    "Extract and publish are retried --step-retries times (default 1) after --retry-delay seconds\n"
    "(default 60); the gate, analytics and build are not. --webhook (or $CATLOG_WEBHOOK_URL) gets a\n"
    "Slack-compatible {\"text\": ...} on success and failure.\n";

typedef struct {
    catlog_ctx *ctx;
    char run_id[64];
    cJSON *steps;
    buf error;
    const char *failed_step;
    double started;
} nightly_run;

static int take_lock(catlog_ctx *ctx, int wait)
{
    PGresult *r = db_query(ctx, "taking the nightly lock",
                           wait ? "SELECT pg_advisory_lock(" NIGHTLY_LOCK_KEY ")::text, true"
                                : "SELECT '', pg_try_advisory_lock(" NIGHTLY_LOCK_KEY ")", 0, NULL);
    if (!r) return -1;
    int got = strcmp(PQgetvalue(r, 0, 1), "t") == 0;
    PQclear(r);
    if (got) return 0;
    r = db_query(ctx, "finding the lock holder",
                 "SELECT a.pid, coalesce(nullif(a.application_name, ''), '?'), coalesce(a.client_addr::text, 'local socket'),"
                 " to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS') FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
                 " WHERE l.locktype = 'advisory' AND l.granted AND l.objid = " NIGHTLY_LOCK_KEY "::bigint % 4294967296",
                 0, NULL);
    if (r && PQntuples(r) > 0)
        log_error("another nightly is running (server pid %s, %s from %s, connected since %s); "
                  "try again later or pass --wait", PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2),
                  PQgetvalue(r, 0, 3));
    else
        log_error("another nightly is running; try again later or pass --wait");
    PQclear(r);
    return 1;
}

static void record_step(nightly_run *n, const char *step, const char *status, double seconds, int attempts)
{
    cJSON *s = cJSON_CreateObject();
    cJSON_AddStringToObject(s, "step", step);
    cJSON_AddStringToObject(s, "status", status);
    cJSON_AddNumberToObject(s, "seconds", (double)(long)(seconds * 100) / 100);
    cJSON_AddNumberToObject(s, "attempts", attempts);
    cJSON_AddItemToArray(n->steps, s);
    printf("nightly: %-9s %-7s %.1f s%s\n", step, status, seconds, attempts > 1 ? " (retried)" : "");
    fflush(stdout);
}

static void save_run(nightly_run *n, const char *status, int exit_code, const char *etl_run_id)
{
    char *steps = cJSON_PrintUnformatted(n->steps);
    char code[16];
    snprintf(code, sizeof code, "%d", exit_code);
    const char *p[7] = {n->run_id, status, n->failed_step, code, steps, n->error.len ? buf_cstr(&n->error) : NULL,
                        etl_run_id && *etl_run_id ? etl_run_id : NULL};
    PGresult *r = db_query(n->ctx, "recording the nightly run",
                           "INSERT INTO \"PipelineRuns\" (\"runId\", status, \"failedStep\", \"exitCode\", steps, \"errorMessage\","
                           " \"etlRunId\") VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (\"runId\") DO UPDATE SET"
                           " status = $2, \"failedStep\" = $3, \"exitCode\" = $4, steps = $5, \"errorMessage\" = $6,"
                           " \"etlRunId\" = $7, \"endTime\" = CASE WHEN $2 = 'RUNNING' THEN NULL ELSE CURRENT_TIMESTAMP END",
                           7, p);
    PQclear(r);
    cJSON_free(steps);
}

static void sleep_seconds(int s)
{
    while (s-- > 0) sleep(1);
}

static void last_etl_error(catlog_ctx *ctx, const char *run_id, buf *out)
{
    const char *p[1] = {run_id};
    PGresult *r = db_query(ctx, "reading the ETL error", "SELECT coalesce(\"errorMessage\", '') FROM \"EtlLogs\" WHERE \"runId\" = $1", 1, p);
    if (r && PQntuples(r) == 1) {
        buf_reset(out);
        buf_puts(out, PQgetvalue(r, 0, 0));
    }
    PQclear(r);
}

int cmd_nightly(int argc, char **argv, catlog_ctx *ctx)
{
    static const struct option opts[] = {
        {"publish-to", required_argument, NULL, 'p'}, {"out", required_argument, NULL, 'o'},
        {"pages", required_argument, NULL, 'n'},      {"date", required_argument, NULL, 'd'},
        {"site-url", required_argument, NULL, 'u'},   {"webhook", required_argument, NULL, 'w'},
        {"wait", no_argument, NULL, 'W'},             {"step-retries", required_argument, NULL, 'r'},
        {"retry-delay", required_argument, NULL, 'D'}, {"raw-dir", required_argument, NULL, 'R'},
        {"templates", required_argument, NULL, 't'},  {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *env_hook = getenv("CATLOG_WEBHOOK_URL");
    const char *publish_to = NULL, *webhook = env_hook && *env_hook ? env_hook : NULL;
    int wait = 0, step_retries = 1, retry_delay = 60;
    etl_options eo;
    etl_default_options(&eo, ctx->stdout_is_tty);
    site_options so;
    site_default_options(&so, ctx->stdout_is_tty);
    so.have_as_of = true;   /* the ETL's date */
    long long v;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'p': publish_to = optarg; break;
        case 'o': so.out_dir = optarg; break;
        case 'n': if (!args_int("--pages", optarg, 1, 5000, &v)) return EXIT_USAGE; eo.pages = (int)v; break;
        case 'd': if (!args_date("--date", optarg, &eo.date)) return EXIT_USAGE; break;
        case 'u': so.site_url = optarg; break;
        case 'w': webhook = optarg; break;
        case 'W': wait = 1; break;
        case 'r': if (!args_int("--step-retries", optarg, 0, 10, &v)) return EXIT_USAGE; step_retries = (int)v; break;
        case 'D': if (!args_int("--retry-delay", optarg, 0, 3600, &v)) return EXIT_USAGE; retry_delay = (int)v; break;
        case 'R': eo.raw_dir = optarg; break;
        case 't': so.templates_dir = optarg; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default: return args_usage_error("nightly", usage, "unknown or incomplete option", argv[optind - 1]);
        }
    }
    if (optind != argc) return args_usage_error("nightly", usage, "unexpected argument", argv[optind]);
    if (db_connect(ctx) != 0) return EXIT_FAIL;
    db_exec(ctx, "naming the session", "SET application_name = 'catlog nightly'");
    int locked = take_lock(ctx, wait);
    if (locked < 0) return EXIT_FAIL;
    if (locked > 0) return EXIT_LOCKED;

    nightly_run n = {ctx, {0}, cJSON_CreateArray(), BUF_INIT, NULL, progress_now()};
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    snprintf(n.run_id, sizeof n.run_id, "nightly-%04d%02d%02d-%02d%02d%02d-%05d", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)getpid() % 100000);
    save_run(&n, "RUNNING", 0, NULL);
    int exit_code = EXIT_OK;
    etl_summary es = {0};

    /* 1-2. ETL and its quality gate: extract failures are retried, a failed gate is not. */
    double t = progress_now();
    int attempt = 0, rc;
    for (;;) {
        attempt++;
        rc = etl_run(ctx, &eo, &es);
        if (rc == 0 || (es.failed_step && strcmp(es.failed_step, "QUALITY") == 0) || attempt > step_retries) break;
        log_warn("nightly: ETL failed at %s; retrying in %d s", es.failed_step ? es.failed_step : "start", retry_delay);
        sleep_seconds(retry_delay);
    }
    if (rc != 0) {
        int gate = es.failed_step && strcmp(es.failed_step, "QUALITY") == 0;
        n.failed_step = gate ? "quality" : "etl";
        exit_code = gate ? EXIT_QUALITY : EXIT_ETL;
        last_etl_error(ctx, es.run_id, &n.error);
        record_step(&n, gate ? "quality" : "etl", "FAILED", progress_now() - t, attempt);
    } else {
        record_step(&n, "etl", "ok", progress_now() - t, attempt);
        record_step(&n, "quality", "ok", 0, 1);
    }

    /* the first error line of a failing step goes into the alert and "PipelineRuns" */
    buf why = BUF_INIT;
    log_keep_first_error(&why);

    /* 3. analytics for the new snapshot */
    if (exit_code == EXIT_OK) {
        t = progress_now();
        refresh_summary rs;
        if (refresh_run(ctx, eo.date, &rs) != 0) {
            n.failed_step = "analytics";
            exit_code = EXIT_ANALYTICS;
            buf_printf(&n.error, "analytics refresh failed: %s", why.len ? buf_cstr(&why) : "see the log");
        }
        record_step(&n, "analytics", exit_code ? "FAILED" : "ok", progress_now() - t, 1);
    }

    /* 4. build: deterministic, so a failure is not retried */
    buf_reset(&why);
    if (exit_code == EXIT_OK) {
        t = progress_now();
        so.as_of = eo.date;
        site_summary ss;
        if (site_build(ctx, &so, &ss) != 0) {
            n.failed_step = "build";
            exit_code = EXIT_BUILD;
            buf_printf(&n.error, "site build failed (%s); %s is unchanged", why.len ? buf_cstr(&why) : "see the log", so.out_dir);
        }
        record_step(&n, "build", exit_code ? "FAILED" : "ok", progress_now() - t, 1);
    }

    /* 5. publish: safe to repeat, so retried */
    buf_reset(&why);
    if (exit_code == EXIT_OK && publish_to) {
        t = progress_now();
        publish_options po;
        publish_default_options(&po, so.out_dir, publish_to, ctx->stdout_is_tty);
        publish_summary ps;
        attempt = 0;
        for (;;) {
            attempt++;
            rc = publish_run(&po, &ps);
            if (rc == 0 || attempt > step_retries) break;
            log_warn("nightly: publish incomplete (%lld failed); retrying in %d s", ps.failed, retry_delay);
            sleep_seconds(retry_delay);
        }
        if (rc != 0) {
            n.failed_step = "publish";
            exit_code = EXIT_PUBLISH;
            buf_printf(&n.error, "publish to %s failed: ", publish_to);
            if (ps.failed > 0) buf_printf(&n.error, "%lld object(s) not published%s", ps.failed, why.len ? ": " : "");
            buf_puts(&n.error, why.len ? buf_cstr(&why) : ps.failed > 0 ? "" : "see the log");
        }
        record_step(&n, "publish", exit_code ? "FAILED" : "ok", progress_now() - t, attempt);
    }

    log_keep_first_error(NULL);
    buf_free(&why);
    double total = progress_now() - n.started;
    save_run(&n, exit_code ? "FAILED" : "SUCCESS", exit_code, es.run_id);
    buf msg = BUF_INIT;
    char date_s[11];
    date_format(eo.date, date_s);
    if (exit_code == EXIT_OK)
        buf_printf(&msg, "CatLog nightly %s: SUCCESS in %.0f s, %lld anime loaded for %s (%d API requests)%s%s",
                   n.run_id, total, es.accepted, date_s, es.requests, publish_to ? ", published to " : "",
                   publish_to ? publish_to : "");
    else
        buf_printf(&msg, "CatLog nightly %s: FAILED at step %s after %.0f s (exit %d): %s", n.run_id, n.failed_step,
                   total, exit_code, buf_cstr(&n.error));
    printf("%s\n", buf_cstr(&msg));
    webhook_send(webhook, buf_cstr(&msg));
    buf_free(&msg);
    buf_free(&n.error);
    cJSON_Delete(n.steps);
    db_exec(ctx, "releasing the nightly lock", "SELECT pg_advisory_unlock(" NIGHTLY_LOCK_KEY ")");
    return exit_code;
}
