/* catlog nightly: etl -> quality gate -> analytics -> build -> publish -> export, one at a time
 * (a PostgreSQL advisory lock), each step timed and logged, the first failure stopping
 * the chain with an exit code that names it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "analytics/refresh.h"
#include "cmd/cmd.h"
#include "cmd/settings.h"
#include "core/buf.h"
#include "core/interrupt.h"
#include "core/log.h"
#include "core/progress.h"
#include "core/webhook.h"
#include "db/db.h"
#include "db/runs.h"
#include "etl/etl.h"
#include "publish/publish.h"
#include "site/site.h"

enum { EXIT_LOCKED = 3, EXIT_ETL = 4, EXIT_QUALITY = 5, EXIT_ANALYTICS = 6, EXIT_BUILD = 7, EXIT_PUBLISH = 8, EXIT_EXPORT = 9 };

/* pg_advisory_lock key for "one nightly at a time" (spells "CLNT"). */
#define NIGHTLY_LOCK_KEY "1129073748"

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

/* A stop asked for between steps fails the step that would come next. */
static void stop_before(nightly_run *n, const char *step, int code, int *exit_code)
{
    if (*exit_code != EXIT_OK || !interrupt_requested()) return;
    n->failed_step = step;
    *exit_code = code;
    buf_puts(&n->error, "interrupted");
    record_step(n, step, "FAILED", 0, 0);
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

typedef struct {
    etl_options etl;
    site_options site;
    publish_options publish;    /* target NULL: build only */
    export_options export;      /* target NULL: no export */
    const char *webhook;
    bool wait;
    int step_retries, retry_delay;
} nightly_plan;

/* The steps that are safe to repeat (publish, export), behind one signature. */
typedef struct {
    catlog_ctx *ctx;
    nightly_plan *p;
    publish_summary publish;
    export_summary export;
} repeatable;

static int publish_step(repeatable *r) { return publish_run(&r->p->publish, &r->publish); }
static int export_step(repeatable *r) { return export_run(r->ctx, &r->p->export, &r->export); }

/* Runs step until it succeeds, at most step_retries more times after the first: not after a
 * stop, nor when it answers 2 (a target it cannot use: retrying cannot help). */
static int run_retried(repeatable *r, const char *name, int (*step)(repeatable *), int *attempts)
{
    for (*attempts = 1;; ++*attempts) {
        int rc = step(r);
        if (rc == 0 || rc == 2 || *attempts > r->p->step_retries || interrupt_requested()) return rc;
        log_warn("nightly: %s incomplete; retrying in %d s", name, r->p->retry_delay);
        interrupt_sleep(r->p->retry_delay);
    }
}

/* The whole chain, once the lock is ours. */
static int nightly_steps(catlog_ctx *ctx, nightly_plan *p)
{
    if (db_connect(ctx) != 0) return EXIT_FAIL;
    db_exec(ctx, "naming the session", "SET application_name = 'catlog nightly'");
    int locked = take_lock(ctx, p->wait);
    if (locked < 0) return EXIT_FAIL;
    if (locked > 0) return EXIT_LOCKED;

    nightly_run n = {ctx, {0}, cJSON_CreateArray(), BUF_INIT, NULL, progress_now()};
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    snprintf(n.run_id, sizeof n.run_id, "nightly-%04d%02d%02d-%02d%02d%02d-%05d", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)getpid() % 100000);
    if (runs_begin(ctx, "PipelineRuns", n.run_id) != 0) {
        cJSON_Delete(n.steps);
        db_exec(ctx, "releasing the nightly lock", "SELECT pg_advisory_unlock(" NIGHTLY_LOCK_KEY ")");
        return EXIT_FAIL;
    }
    save_run(&n, "RUNNING", 0, NULL);
    int exit_code = EXIT_OK;
    etl_summary es = {0};

    /* 1-2. ETL and its quality gate: extract failures are retried, a failed gate is not. */
    double t = progress_now();
    int attempt = 0, rc;
    for (;;) {
        attempt++;
        rc = etl_run(ctx, &p->etl, &es);
        if (rc == 0 || (es.failed_step && strcmp(es.failed_step, "QUALITY") == 0) || attempt > p->step_retries ||
            interrupt_requested())
            break;
        log_warn("nightly: ETL failed at %s; retrying in %d s", es.failed_step ? es.failed_step : "start", p->retry_delay);
        interrupt_sleep(p->retry_delay);
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
    stop_before(&n, "analytics", EXIT_ANALYTICS, &exit_code);
    if (exit_code == EXIT_OK) {
        t = progress_now();
        refresh_summary rs;
        if (refresh_run(ctx, p->etl.date, &rs) != 0) {
            n.failed_step = "analytics";
            exit_code = EXIT_ANALYTICS;
            buf_printf(&n.error, "analytics refresh failed: %s", why.len ? buf_cstr(&why) : "see the log");
        }
        record_step(&n, "analytics", exit_code ? "FAILED" : "ok", progress_now() - t, 1);
    }

    /* 4. build: deterministic, so a failure is not retried */
    buf_reset(&why);
    stop_before(&n, "build", EXIT_BUILD, &exit_code);
    if (exit_code == EXIT_OK) {
        t = progress_now();
        p->site.as_of = p->etl.date;
        site_summary ss;
        if (site_build(ctx, &p->site, &ss) != 0) {
            n.failed_step = "build";
            exit_code = EXIT_BUILD;
            buf_printf(&n.error, "site build failed (%s); %s is unchanged", why.len ? buf_cstr(&why) : "see the log", p->site.out_dir);
        }
        record_step(&n, "build", exit_code ? "FAILED" : "ok", progress_now() - t, 1);
    }

    /* 5. publish: safe to repeat, so retried */
    buf_reset(&why);
    repeatable rep = {ctx, p, {0}, {0}};
    if (p->publish.target) stop_before(&n, "publish", EXIT_PUBLISH, &exit_code);
    if (exit_code == EXIT_OK && p->publish.target) {
        t = progress_now();
        rc = run_retried(&rep, "publish", publish_step, &attempt);
        const publish_summary ps = rep.publish;
        if (rc != 0) {
            n.failed_step = "publish";
            exit_code = EXIT_PUBLISH;
            buf_printf(&n.error, "publish to %s failed: ", p->publish.target);
            if (ps.failed > 0) buf_printf(&n.error, "%lld object(s) not published%s", ps.failed, why.len ? ": " : "");
            buf_puts(&n.error, why.len ? buf_cstr(&why) : ps.failed > 0 ? "" : "see the log");
        }
        record_step(&n, "publish", exit_code ? "FAILED" : "ok", progress_now() - t, attempt);
    }

    /* 6. export: incremental, so a retry writes only what is missing */
    if (p->export.target) stop_before(&n, "export", EXIT_EXPORT, &exit_code);
    if (exit_code == EXIT_OK && p->export.target) {
        t = progress_now();
        rc = run_retried(&rep, "export", export_step, &attempt);
        if (rc != 0) {
            n.failed_step = "export";
            exit_code = EXIT_EXPORT;
            buf_printf(&n.error, "export to %s failed: %s", p->export.target, why.len ? buf_cstr(&why) : "see the log");
        }
        record_step(&n, "export", exit_code ? "FAILED" : "ok", progress_now() - t, attempt);
    }

    log_keep_first_error(NULL);
    buf_free(&why);
    double total = progress_now() - n.started;
    save_run(&n, exit_code ? "FAILED" : "SUCCESS", exit_code, es.run_id);
    buf msg = BUF_INIT;
    char date_s[11];
    date_format(p->etl.date, date_s);
    if (exit_code == EXIT_OK)
        buf_printf(&msg, "CatLog nightly %s: SUCCESS in %.0f s, %lld anime loaded for %s (%d API requests)%s%s",
                   n.run_id, total, es.accepted, date_s, es.requests, p->publish.target ? ", published to " : "",
                   p->publish.target ? p->publish.target : "");
    else
        buf_printf(&msg, "CatLog nightly %s: FAILED at step %s after %.0f s (exit %d): %s", n.run_id, n.failed_step,
                   total, exit_code, buf_cstr(&n.error));
    printf("%s\n", buf_cstr(&msg));
    webhook_send(p->webhook, buf_cstr(&msg));
    buf_free(&msg);
    buf_free(&n.error);
    cJSON_Delete(n.steps);
    runs_end(ctx, n.run_id);
    db_exec(ctx, "releasing the nightly lock", "SELECT pg_advisory_unlock(" NIGHTLY_LOCK_KEY ")");
    return exit_code;
}


static int run_nightly(catlog_ctx *ctx)
{
    const config *cfg = ctx->cfg;
    nightly_plan p = {
        .webhook = config_text(cfg, S_WEBHOOK),
        .wait = config_bool(cfg, S_WAIT),
        .step_retries = (int)config_int(cfg, S_STEP_RETRIES),
        .retry_delay = (int)config_int(cfg, S_RETRY_DELAY),
    };
    settings_etl(cfg, &p.etl, ctx->stdout_is_tty);
    settings_publish(cfg, &p.publish, ctx->stdout_is_tty);
    settings_export(cfg, &p.export, ctx->stdout_is_tty);
    if (p.export.target && !*p.export.target) p.export.target = NULL;
    if (settings_site(cfg, &p.site, ctx->stdout_is_tty) != 0) return EXIT_FAIL;
    p.site.have_as_of = true;   /* the ETL's date */
    interrupt_install();
    int exit_code;
    if (p.publish.target && publish_refuses_site_url(p.publish.target, p.site.site_url, p.publish.allow_local_url))
        exit_code = EXIT_USAGE;
    else
        exit_code = nightly_steps(ctx, &p);
    site_options_free(&p.site);
    return exit_code;
}

const command CMD_NIGHTLY = {
    {"nightly", NULL, 0, 0, G_DB | G_SITE | G_OUT | G_BUILD | G_DATA | G_JIKAN | G_ETL | G_ETL_DATE | G_PUBLISH | G_ALERT | G_NIGHTLY | G_EXPORT,
     "Runs etl -> quality gate -> analytics -> build -> publish (when a target is set) -> export\n"
     "(when --export-to is set). The first\n"
     "failing step stops the chain (nothing half-updated is published) and sets the exit code:\n"
     "  2 bad usage or configuration; a site for a local address bound for s3://\n"
     "  3 another nightly holds the lock (or wait for it with --wait)\n"
     "  4 ETL  5 quality gate  6 analytics  7 build  8 publish  9 export\n"
     "Extract, publish and export are retried --step-retries times after --retry-delay seconds; the gate,\n"
     "analytics and build are not. The webhook gets a Slack-compatible {\"text\": ...} on success\n"
     "and failure.\n"},
    "etl -> quality -> analytics -> build -> publish -> export, one at a time",
    run_nightly,
};
