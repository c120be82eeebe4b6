#include "etl/etl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/file.h"
#include "core/interrupt.h"
#include "core/log.h"
#include "core/progress.h"
#include "db/db.h"
#include "db/runs.h"
#include "etl/quality.h"
#include "etl/transform.h"

typedef struct {
    catlog_ctx *ctx;
    const etl_options *opt;
    etl_summary *sum;
    char date_s[11];
    const char *first_reject;   /* why the first rejected record was rejected */
} etl_run_state;

static int log_start(etl_run_state *s)
{
    const char *p[1] = {s->sum->run_id};
    if (runs_begin(s->ctx, "EtlLogs", s->sum->run_id) != 0) return -1;
    PGresult *r = db_query(s->ctx, "recording the run start",
                           "INSERT INTO \"EtlLogs\" (\"runId\", \"status\", \"pipelineStep\") VALUES ($1, 'RUNNING', 'EXTRACT')",
                           1, p);
    if (!r) {
        runs_end(s->ctx, s->sum->run_id);
        return -1;
    }
    PQclear(r);
    return 0;
}

static void log_step(etl_run_state *s, const char *step)
{
    const char *p[2] = {s->sum->run_id, step};
    PGresult *r = db_query(s->ctx, "recording the run step",
                           "UPDATE \"EtlLogs\" SET \"pipelineStep\" = $2 WHERE \"runId\" = $1", 2, p);
    PQclear(r);
}

/* Marks the run FAILED at `step` and tells the user why, in one line. */
static int fail(etl_run_state *s, const char *step, const char *why)
{
    s->sum->failed_step = step;
    log_error("etl run %s failed at %s: %s", s->sum->run_id, step, why);
    char rows[24], requests[16];
    snprintf(rows, sizeof rows, "%lld", s->sum->accepted);
    snprintf(requests, sizeof requests, "%d", s->sum->requests);
    const char *p[5] = {s->sum->run_id, step, why, rows, requests};
    PGresult *r = db_query(s->ctx, "recording the failed run",
                           "UPDATE \"EtlLogs\" SET \"status\" = 'FAILED', \"pipelineStep\" = $2, \"errorMessage\" = $3,"
                           " \"rowsProcessed\" = $4, \"apiRequestCount\" = $5, \"endTime\" = CURRENT_TIMESTAMP"
                           " WHERE \"runId\" = $1", 5, p);
    PQclear(r);
    return -1;
}

static int archive_page(etl_run_state *s, int page, const buf *body, buf *err)
{
    buf path = BUF_INIT;
    buf_printf(&path, "%s/%s", s->opt->raw_dir, s->date_s);
    int rc = file_mkdirs(buf_cstr(&path));
    buf_printf(&path, "/top-anime-p%d.json", page);
    if (rc == 0) rc = file_write_atomic(buf_cstr(&path), body->data ? body->data : "", body->len);
    if (rc != 0) buf_printf(err, "cannot write %s: %s (set --raw-dir to a writable directory)", buf_cstr(&path), strerror(errno));
    buf_free(&path);
    return rc;
}

/* EXTRACT + TRANSFORM: every page fetched, archived and turned into staging rows. */
static int extract(etl_run_state *s, jikan_client *http, buf *rows)
{
    buf body = BUF_INIT, err = BUF_INIT, path = BUF_INIT;
    progress bar;
    progress_start(&bar, "fetching pages", s->opt->pages, s->opt->progress);
    int rc = 0;
    for (int page = 1; page <= s->opt->pages; page++) {
        if (interrupt_requested()) {
            rc = fail(s, "EXTRACT", "interrupted");
            break;
        }
        buf_reset(&body);
        buf_reset(&path);
        buf_printf(&path, "/top/anime?page=%d&limit=25", page);
        int got = jikan_get(http, buf_cstr(&path), &body, &err);
        s->sum->requests = jikan_request_count(http);
        s->sum->retries = jikan_retry_count(http);
        if (got != 0) {
            rc = fail(s, "EXTRACT", buf_cstr(&err));
            break;
        }
        transform_stats st;
        if (transform_page(body.data, body.len, page, rows, &st, &err) != 0) {
            rc = fail(s, "TRANSFORM", buf_cstr(&err));
            break;
        }
        /* only a page that was accepted is archived */
        if (archive_page(s, page, &body, &err) != 0) {
            rc = fail(s, "EXTRACT", buf_cstr(&err));
            break;
        }
        if (st.rejected && !s->first_reject) s->first_reject = st.first_reject;
        if (st.rejected) log_warn("page %d: %d record%s rejected (first: %s)", page, st.rejected,
                                  st.rejected == 1 ? "" : "s", st.first_reject);
        s->sum->pages_fetched = page;
        s->sum->fetched += st.records;
        s->sum->accepted += st.accepted;
        s->sum->rejected += st.rejected;
        if (!s->opt->progress)
            log_info("page %d/%d: %d anime (%d rejected)", page, s->opt->pages, st.accepted, st.rejected);
        progress_update(&bar, page);
        if (!st.has_next_page) break;   /* the end of the catalogue */
    }
    if (rc == 0) progress_finish(&bar);
    else if (s->opt->progress) fputs("\n", stdout);
    buf_free(&body);
    buf_free(&err);
    buf_free(&path);
    return rc;
}

static int exec_params(etl_run_state *s, const char *step, const char *sql, int n, const char *const *p)
{
    PGresult *r = db_query(s->ctx, step, sql, n, p);
    if (!r) return -1;
    PQclear(r);
    return 0;
}

/* Makes the staged batch the day's snapshot (inside the open transaction). */
static int publish_batch(etl_run_state *s)
{
    char keep_raw[16], keep_log[16], rows[24], requests[16];
    snprintf(keep_raw, sizeof keep_raw, "%d", s->opt->keep_raw_days);
    snprintf(keep_log, sizeof keep_log, "%d", s->opt->keep_log_days);
    snprintf(rows, sizeof rows, "%lld", s->sum->accepted);
    snprintf(requests, sizeof requests, "%d", s->sum->requests);
    const char *run[1] = {s->sum->run_id};
    const char *run_date[2] = {s->sum->run_id, s->date_s};
    const char *date[1] = {s->date_s};
    if (exec_params(s, "storing raw records",
                    "INSERT INTO \"RawAnimeData\" (\"malId\", \"rawJson\", \"endpoint\", \"etlRunId\")"
                    " SELECT \"malId\", \"rawJson\", 'top', $1 FROM etl_batch ORDER BY \"page\", \"position\"", 1, run) ||
        exec_params(s, "upserting anime",
                    "INSERT INTO \"ProcessedAnime\" (\"malId\", \"title\", \"titleEnglish\", \"genres\", \"score\","
                    " \"scoredBy\", \"rank\", \"popularity\", \"members\", \"favorites\", \"episodes\", \"status\","
                    " \"season\", \"year\", \"rating\", \"studios\", \"imageUrl\", \"synopsis\", \"processedAt\", \"etlRunId\")"
                    " SELECT DISTINCT ON (\"malId\") \"malId\", \"title\", \"titleEnglish\", \"genres\", \"score\","
                    " \"scoredBy\", \"rank\", \"popularity\", \"members\", \"favorites\", \"episodes\", \"status\","
                    " \"season\", \"year\", \"rating\", \"studios\", \"imageUrl\", \"synopsis\", CURRENT_TIMESTAMP, $1"
                    " FROM etl_batch ORDER BY \"malId\", \"page\", \"position\""
                    " ON CONFLICT (\"malId\") DO UPDATE SET \"title\" = EXCLUDED.\"title\","
                    " \"titleEnglish\" = EXCLUDED.\"titleEnglish\", \"genres\" = EXCLUDED.\"genres\","
                    " \"score\" = EXCLUDED.\"score\", \"scoredBy\" = EXCLUDED.\"scoredBy\", \"rank\" = EXCLUDED.\"rank\","
                    " \"popularity\" = EXCLUDED.\"popularity\", \"members\" = EXCLUDED.\"members\","
                    " \"favorites\" = EXCLUDED.\"favorites\", \"episodes\" = EXCLUDED.\"episodes\","
                    " \"status\" = EXCLUDED.\"status\", \"season\" = EXCLUDED.\"season\", \"year\" = EXCLUDED.\"year\","
                    " \"rating\" = EXCLUDED.\"rating\", \"studios\" = EXCLUDED.\"studios\","
                    " \"imageUrl\" = EXCLUDED.\"imageUrl\", \"synopsis\" = EXCLUDED.\"synopsis\","
                    " \"processedAt\" = EXCLUDED.\"processedAt\", \"etlRunId\" = EXCLUDED.\"etlRunId\"", 1, run) ||
        exec_params(s, "replacing the day's snapshot",
                    "DELETE FROM \"DailyRankings\" WHERE \"snapshotDate\" = $1", 1, date) ||
        exec_params(s, "writing the day's snapshot",
                    "INSERT INTO \"DailyRankings\" (\"malId\", \"snapshotDate\", \"rank\", \"popularity\", \"score\","
                    " \"scoredBy\", \"members\", \"favorites\", \"genres\", \"etlRunId\")"
                    " SELECT DISTINCT ON (\"malId\") \"malId\", $2, \"rank\", \"popularity\", \"score\", \"scoredBy\","
                    " \"members\", \"favorites\", \"genres\", $1 FROM etl_batch ORDER BY \"malId\", \"page\", \"position\"",
                    2, run_date))
        return -1;
    const char *ret[2] = {keep_raw, keep_log};
    if (exec_params(s, "applying retention",
                    "WITH raw AS (DELETE FROM \"RawAnimeData\" WHERE \"ingestedAt\" < CURRENT_TIMESTAMP - make_interval(days => $1::int))"
                    " DELETE FROM \"EtlLogs\" WHERE \"createdAt\" < CURRENT_TIMESTAMP - make_interval(days => $2::int)", 2, ret))
        return -1;
    const char *done[3] = {s->sum->run_id, rows, requests};
    if (exec_params(s, "recording the run",
                    "UPDATE \"EtlLogs\" SET \"status\" = 'SUCCESS', \"pipelineStep\" = 'COMPLETE', \"rowsProcessed\" = $2,"
                    " \"apiRequestCount\" = $3, \"endTime\" = CURRENT_TIMESTAMP, \"errorMessage\" = NULL WHERE \"runId\" = $1",
                    3, done))
        return -1;
    /* Delivered at COMMIT: listeners (catlog watch) only hear of visible snapshots. */
    return exec_params(s, "notifying listeners", "SELECT pg_notify('catlog_etl_done', $1)", 1, run);
}

/* LOAD: stage, check, and publish in one transaction; a critical expectation failure
 * rolls everything back. */
static int load(etl_run_state *s, const buf *rows)
{
    catlog_ctx *ctx = s->ctx;
    log_step(s, "LOAD");
    quality_report rep = {0};
    const char *date[1] = {s->date_s};
    int rc = db_exec(ctx, "starting the load", "BEGIN");
    if (rc == 0) rc = quality_create_batch(ctx);
    buf copy_sql = BUF_INIT;
    buf_puts(&copy_sql, "COPY etl_batch (");
    transform_columns(&copy_sql);
    buf_puts(&copy_sql, ") FROM STDIN");
    if (rc == 0) rc = db_copy_begin(ctx, "staging rows", buf_cstr(&copy_sql));
    buf_free(&copy_sql);
    if (rc == 0) {
        rc = db_copy_put(ctx, "staging rows", rows->data ? rows->data : "", rows->len);
        if (db_copy_end(ctx, "staging rows") != 0) rc = -1;
    }
    if (rc == 0) rc = exec_params(s, "staging rows", "UPDATE etl_batch SET \"snapshotDate\" = $1", 1, date);
    quality_expect exp = {s->opt->date, s->sum->fetched, s->sum->rejected, s->sum->pages_fetched};
    if (rc == 0) rc = quality_evaluate(ctx, &exp, &rep);
    if (rc != 0) {
        db_exec(ctx, "rolling back", "ROLLBACK");
        quality_report_free(&rep);
        return fail(s, "LOAD", PQerrorMessage(ctx->db)[0] ? "database error (see above)" : "database error");
    }
    s->sum->quality_failed = rep.failed;
    s->sum->quality_critical = rep.critical_failed;
    buf summary = BUF_INIT;
    quality_summary(&rep, &summary);
    printf("quality: %s\n", buf_cstr(&summary));
    if (rep.critical_failed) {
        db_exec(ctx, "rolling back", "ROLLBACK");
        quality_store(ctx, s->sum->run_id, s->opt->date, &rep);
        buf why = BUF_INIT;
        buf_printf(&why, "quality gate: %d critical expectation(s) failed; the snapshot was not published (%s)",
                   rep.critical_failed, buf_cstr(&summary));
        rc = fail(s, "QUALITY", buf_cstr(&why));
        buf_free(&why);
    } else {
        rc = publish_batch(s);
        if (rc == 0) rc = db_exec(ctx, "committing the snapshot", "COMMIT");
        if (rc != 0) {
            db_exec(ctx, "rolling back", "ROLLBACK");
            rc = fail(s, "LOAD", "the snapshot could not be written (see the error above)");
        } else {
            quality_store(ctx, s->sum->run_id, s->opt->date, &rep);
        }
    }
    buf_free(&summary);
    quality_report_free(&rep);
    return rc;
}

int etl_run(catlog_ctx *ctx, const etl_options *opt, etl_summary *out)
{
    memset(out, 0, sizeof *out);
    if (db_connect(ctx) != 0) return -1;
    etl_run_state s = {ctx, opt, out, {0}, NULL};
    date_format(opt->date, s.date_s);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    snprintf(out->run_id, sizeof out->run_id, "etl-%04d%02d%02d-%02d%02d%02d-%05d", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)getpid() % 100000);
    if (log_start(&s) != 0) return -1;
    jikan_client *http = jikan_open(&opt->http, (unsigned long long)now ^ (unsigned long long)getpid());
    if (!http) {
        runs_end(ctx, out->run_id);
        return fail(&s, "EXTRACT", "cannot initialise the HTTP client");
    }
    buf rows = BUF_INIT;
    int rc = extract(&s, http, &rows);
    jikan_close(http);
    if (rc == 0 && out->accepted == 0) {
        buf why = BUF_INIT;
        buf_printf(&why, "no usable anime records in the fetched pages (%lld rejected%s%s)", out->rejected,
                   s.first_reject ? "; first: " : "", s.first_reject ? s.first_reject : "");
        rc = fail(&s, "TRANSFORM", buf_cstr(&why));
        buf_free(&why);
    }
    if (rc == 0 && interrupt_requested()) rc = fail(&s, "TRANSFORM", "interrupted");
    if (rc == 0) {
        log_step(&s, "TRANSFORM");
        rc = load(&s, &rows);
    }
    buf_free(&rows);
    runs_end(ctx, out->run_id);
    return rc;
}

int etl_print_logs(catlog_ctx *ctx, int limit)
{
    char lim[16];
    snprintf(lim, sizeof lim, "%d", limit);
    const char *p[1] = {lim};
    PGresult *r = db_query(ctx, "reading ETL logs",
                           "SELECT \"runId\", \"status\", \"pipelineStep\", to_char(\"startTime\", 'YYYY-MM-DD HH24:MI:SS'),"
                           " coalesce(round(extract(epoch FROM \"endTime\" - \"startTime\"))::text, '-'),"
                           " \"rowsProcessed\", \"apiRequestCount\", coalesce(\"errorMessage\", '')"
                           " FROM \"EtlLogs\" ORDER BY \"startTime\" DESC, \"id\" DESC LIMIT $1", 1, p);
    if (!r) return -1;
    printf("%-28s %-8s %-9s %-19s %6s %7s %8s  %s\n", "run", "status", "step", "started (UTC)", "secs",
           "rows", "requests", "error");
    for (int i = 0; i < PQntuples(r); i++)
        printf("%-28s %-8s %-9s %-19s %6s %7s %8s  %.80s\n", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
               PQgetvalue(r, i, 2), PQgetvalue(r, i, 3), PQgetvalue(r, i, 4), PQgetvalue(r, i, 5),
               PQgetvalue(r, i, 6), PQgetvalue(r, i, 7));
    if (PQntuples(r) == 0) printf("(no runs yet: catlog etl run)\n");
    PQclear(r);
    return 0;
}
