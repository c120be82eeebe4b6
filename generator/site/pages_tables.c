/* Table pages over the statistical tables, data quality and pipeline runs, each with a
 * full CSV and JSON report under reports/. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/stat_tables.h"
#include "core/alloc.h"
#include "db/db.h"
#include "db/stream.h"
#include "render/svgchart.h"
#include "site/build_internal.h"
#include "site/cells.h"
#include "site/jsonout.h"
#include "site/sqljson.h"

/* ---- reports: RFC 4180 CSV + JSON of one query */

#define REPORT_BATCH_ROWS 1000

static int is_numeric_type(Oid t)
{
    /* int2, int4, int8, float4, float8, numeric, oid */
    return t == 21 || t == 23 || t == 20 || t == 700 || t == 701 || t == 1700 || t == 26;
}

/* Text cells that a spreadsheet would run as a formula get a leading apostrophe. */
static void csv_cell(buf *out, const char *v, int numeric)
{
    int formula = !numeric && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r');
    int quote = formula || strpbrk(v, ",\"\r\n") != NULL;
    if (quote) buf_putc(out, '"');
    if (formula) buf_putc(out, '\'');
    for (; *v; v++) {
        if (*v == '"') buf_putc(out, '"');
        buf_putc(out, *v);
    }
    if (quote) buf_putc(out, '"');
}

/* One cell as a JSON value: numbers and booleans typed, everything else a string. */
static void json_cell(buf *out, const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col)) {
        buf_puts(out, "null");
        return;
    }
    const char *v = PQgetvalue(r, row, col);
    Oid t = PQftype(r, col);
    if (t == 16) buf_puts(out, v[0] == 't' ? "true" : "false");
    else if (is_numeric_type(t) && strcmp(v, "NaN") && strcmp(v, "Infinity") && strcmp(v, "-Infinity")) buf_puts(out, v);
    else if (is_numeric_type(t)) buf_puts(out, "null");
    else jsonout_string(out, v);
}

/* One report being written: its CSV and JSON, and the columns' names as JSON strings. */
typedef struct {
    buf csv, json;
    bool have_header;
    char **names;
    int cols;
    long long rows;
} report;

/* The CSV header and the JSON names, from the first batch's columns. */
static void report_header(report *rp, const PGresult *r)
{
    buf name = BUF_INIT;
    rp->have_header = true;
    rp->cols = PQnfields(r);
    rp->names = xcalloc((size_t)rp->cols, sizeof(char *));
    for (int c = 0; c < rp->cols; c++) {
        if (c) buf_putc(&rp->csv, ',');
        csv_cell(&rp->csv, PQfname(r, c), 0);
        buf_reset(&name);
        jsonout_string(&name, PQfname(r, c));
        rp->names[c] = xstrdup(buf_cstr(&name));
    }
    buf_free(&name);
    buf_puts(&rp->csv, "\r\n");
}

static int report_batch(const PGresult *r, void *ud)
{
    report *rp = ud;
    if (!rp->have_header) report_header(rp, r);
    for (int i = 0; i < PQntuples(r); i++, rp->rows++) {
        buf_puts(&rp->json, rp->rows ? ",{" : "{");
        for (int c = 0; c < rp->cols; c++) {
            if (c) buf_putc(&rp->csv, ',');
            if (!PQgetisnull(r, i, c)) csv_cell(&rp->csv, PQgetvalue(r, i, c), is_numeric_type(PQftype(r, c)));
            if (c) buf_putc(&rp->json, ',');
            buf_puts(&rp->json, rp->names[c]);
            buf_putc(&rp->json, ':');
            json_cell(&rp->json, r, i, c);
        }
        buf_puts(&rp->csv, "\r\n");
        buf_putc(&rp->json, '}');
    }
    return 0;
}

/* reports/NAME.csv and reports/NAME.json from one query, streamed through a cursor a batch
 * at a time, so even the largest table never sits in memory as a result set or a JSON tree. */
static int write_report(site_build_state *b, const char *name, const char *select, int np, const char *const *p)
{
    const char *ap[1] = {b->as_of_s};
    report rp = {BUF_INIT, BUF_INIT, false, NULL, 0, 0};
    /* generatedAt: when the data was produced (the last ETL run up to as-of), not the wall
     * clock, so a rebuild gives the same bytes. */
    buf generated = BUF_INIT;
    int rc = db_query_text(b->ctx, "report time",
                           "SELECT to_char(coalesce(max(coalesce(\"endTime\", \"startTime\")), $1::date::timestamp),"
                           " 'YYYY-MM-DD\"T\"HH24:MI:SS') FROM \"EtlLogs\" WHERE \"startTime\" < $1::date + 1 AND status = 'SUCCESS'",
                           1, ap, &generated);
    buf_puts(&rp.json, "{\"table\":");
    jsonout_string(&rp.json, name);
    buf_printf(&rp.json, ",\"asOf\":\"%s\",\"generatedAt\":\"%s\",\"rows\":[", b->as_of_s, buf_cstr(&generated));
    buf_free(&generated);
    if (rc == 0) rc = db_stream_batches(b->ctx, name, select, np, p, REPORT_BATCH_ROWS, false, report_batch, &rp);
    for (int c = 0; c < rp.cols; c++) free(rp.names[c]);
    free(rp.names);
    buf_puts(&rp.json, "]}\n");
    buf path = BUF_INIT;
    buf_printf(&path, "reports/%s.csv", name);
    if (rc == 0) rc = writer_put(b->w, buf_cstr(&path), rp.csv.data ? rp.csv.data : "", rp.csv.len);
    buf_reset(&path);
    buf_printf(&path, "reports/%s.json", name);
    if (rc == 0) rc = writer_put(b->w, buf_cstr(&path), rp.json.data, rp.json.len);
    buf_free(&rp.csv);
    buf_free(&rp.json);
    buf_free(&path);
    return rc;
}

/* ---- table page helpers */

static cJSON *page(const char *heading, const char *intro, const char *report)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "heading", heading);
    if (intro) cJSON_AddStringToObject(doc, "intro", intro);
    cJSON_AddArrayToObject(doc, "tables");
    if (report) {   /* the template lists [{name}] */
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", report);
        cJSON_AddItemToArray(cJSON_AddArrayToObject(doc, "reports"), o);
    }
    return doc;
}

static int add_table(site_build_state *b, cJSON *doc, const char *caption, const char *const *cols, int ncols,
                     const char *select, int np, const char *const *p)
{
    cJSON *rows = sqljson_rows(b->ctx, caption, select, np, p);
    if (!rows) return -1;
    cJSON *t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "caption", caption);
    cJSON_AddItemToObject(t, "columns", cJSON_CreateStringArray(cols, ncols));
    cJSON_AddItemToObject(t, "rows", rows);
    cJSON_AddItemToArray(cJSON_GetObjectItem(doc, "tables"), t);
    return 0;
}

static void add_chart(cJSON *doc, const char *caption, const buf *svg)
{
    cJSON *charts = cJSON_GetObjectItem(doc, "charts");
    if (!charts) charts = cJSON_AddArrayToObject(doc, "charts");
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "caption", caption);
    cJSON_AddStringToObject(c, "svg", buf_cstr(svg));
    cJSON_AddItemToArray(charts, c);
}

#define ANIME_CELL "json_build_object('text', a.title, 'href', 'anime/' || t.\"malId\" || '/index.html')"

static const char *const MOM_COLS[] = {"Title", "First rank", "Last rank", "Momentum", "Avg rank", "Volatility", "Score momentum", "Days"};
static const char *const SIG_COLS[] = {"Title", "Metric", "Window", "n", "Slope", "R²", "p-value", "Trend"};
static const char *const VOL_COLS[] = {"Stability rank", "Title", "7 days", "30 days", "90 days", "Class"};
static const char *const PCT_COLS[] = {"Genre", "p25", "p50", "p75", "p90"};
static const char *const COR_COLS[] = {"Genre A", "Genre B", "r", "Common days"};

/* A trend fitted through fewer snapshots says little (3 points give R² = 1, p = 0): the page
 * ranks only fits with at least this many; the table and the report keep every one. */
#define SITE_MIN_FIT_POINTS "10"

const site_stat_page SITE_STAT_PAGES[] = {
    [STAT_MOMENTUM] = {"Rolling momentum (30 days)", "Rank gained over the last 30 days; the 100 biggest climbers.",
     MOM_COLS, 8,
     "SELECT json_build_array(" ANIME_CELL ", " CELL_NUM(FMT_INT("t.\"firstRank\"")) ", " CELL_NUM(FMT_INT("t.\"lastRank\"")) ", " CELL_NUM(FMT_INT("t.\"rankMomentum\""))
     ", " CELL_NUM(FMT_DEC("t.\"avgRank\"", ".0")) ", " CELL_NUM(FMT_DEC("t.\"rankVolatility\"", ".00")) ", " CELL_NUM(FMT_SCORE("t.\"scoreMomentum\""))
     ", " CELL_NUM(FMT_INT("t.\"nDays\"")) ") AS cells FROM \"RollingMomentumAnalysis\" t JOIN \"ProcessedAnime\" a USING (\"malId\")"
     " WHERE t.\"asOf\" = $1::date ORDER BY t.\"rankMomentum\" DESC NULLS LAST, t.\"malId\" LIMIT 100"},
    [STAT_SIGNIFICANCE] = {"Trend significance",
     "Least-squares trends with two-sided p-values; the 100 most significant of the fits with at least "
     SITE_MIN_FIT_POINTS " points (fewer mean little; the report keeps every fit).",
     SIG_COLS, 8,
     "SELECT json_build_array(" ANIME_CELL ", " CELL("t.metric") ", " CELL_NUM(FMT_INT("t.\"windowDays\"")) ", " CELL_NUM(FMT_INT("t.n"))
     ", " CELL_NUM(FMT_DEC("t.slope", ".0000")) ", " CELL_NUM(FMT_DEC("t.\"rSquared\"", ".000")) ", " CELL_NUM(FMT_P("t.\"pValue\""))
     ", " CELL(SITE_TREND_WORDS_SQL("t.metric", "t.direction")) ") AS cells FROM \"TrendSignificance\" t JOIN \"ProcessedAnime\" a USING (\"malId\")"
     " WHERE t.\"asOf\" = $1::date AND t.significant AND t.n >= " SITE_MIN_FIT_POINTS
     " ORDER BY t.\"pValue\", t.\"malId\", t.metric, t.\"windowDays\" LIMIT 100"},
    [STAT_VOLATILITY] = {"Volatility rankings", "Sample standard deviation of rank; the 100 most stable.",
     VOL_COLS, 6,
     "SELECT json_build_array(" CELL_NUM(FMT_INT("t.\"stabilityRank\"")) ", " ANIME_CELL ", " CELL_NUM(FMT_DEC("t.volatility7", ".00"))
     ", " CELL_NUM(FMT_DEC("t.volatility30", ".00")) ", " CELL_NUM(FMT_DEC("t.volatility90", ".00")) ", " CELL("t.class")
     ") AS cells FROM \"VolatilityRankings\" t JOIN \"ProcessedAnime\" a USING (\"malId\")"
     " WHERE t.\"asOf\" = $1::date AND t.\"stabilityRank\" IS NOT NULL ORDER BY t.\"stabilityRank\", t.\"malId\" LIMIT 100"},
    [STAT_PERCENTILES] = {"Genre percentiles", "Score quantiles per genre; per-anime percentiles are in the report and on anime pages.",
     PCT_COLS, 5,
     "SELECT json_build_array(json_build_object('text', t.genre), " CELL_NUM(FMT_SCORE("t.p25")) ", " CELL_NUM(FMT_SCORE("t.p50"))
     ", " CELL_NUM(FMT_SCORE("t.p75")) ", " CELL_NUM(FMT_SCORE("t.p90")) ") AS cells FROM \"GenrePercentiles\" t"
     " WHERE t.\"asOf\" = $1::date AND t.\"malId\" IS NULL ORDER BY t.genre"},
    [STAT_CORRELATION] = {"Trend correlation", "Pearson r of genre mean scores over 90 days; per-anime market correlation in the report.",
     COR_COLS, 4,
     "SELECT json_build_array(" CELL("t.\"genreA\"") ", " CELL("t.\"genreB\"") ", " CELL_NUM(FMT_DEC("t.r", ".000")) ", " CELL_NUM(FMT_INT("t.n"))
     ") AS cells FROM \"TrendCorrelation\" t WHERE t.\"asOf\" = $1::date AND t.kind = 'genre_pair'"
     " ORDER BY abs(t.r) DESC NULLS LAST, t.\"genreA\", t.\"genreB\""},
};
_Static_assert(sizeof SITE_STAT_PAGES / sizeof SITE_STAT_PAGES[0] == STAT_NUM_TABLES,
               "one page in SITE_STAT_PAGES for each statistical table");

/* The names of the reports: one per statistical table, then the operations reports. */
#define REPORT_QUALITY "quality-results"
#define REPORT_ETL_LOGS "etl-logs"
#define REPORT_ANIME "anime"

static void stat_report_name(char *out, size_t size, stat_table_id t)
{
    snprintf(out, size, "analytics-%s", STAT_TABLES[t].slug);
}

static int volatility_chart(site_build_state *b, buf *svg)
{
    static const char *const LABELS[] = {"0–1", "1–2", "2–5", "5–10", "10–20", "20–50", "50+"};
    static const double EDGES[] = {1, 2, 5, 10, 20, 50, INFINITY};
    double counts[7] = {0};
    const char *p[1] = {b->as_of_s};
    PGresult *r = db_query(b->ctx, "volatility distribution",
                           "SELECT volatility30 FROM \"VolatilityRankings\" WHERE \"asOf\" = $1::date AND volatility30 IS NOT NULL", 1, p);
    if (!r) return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        double v = atof(PQgetvalue(r, i, 0));
        int k = 0;
        while (v >= EDGES[k]) k++;
        counts[k]++;
    }
    PQclear(r);
    svgchart_bars(svg, "volatility-dist", "Distribution of 30-day rank volatility",
                  "Number of anime per band of the standard deviation of rank over 30 days.",
                  "Standard deviation of rank over 30 days", "Anime", LABELS, counts, 7);
    return 0;
}

static int correlation_heatmap(site_build_state *b, buf *svg)
{
    const char *p[1] = {b->as_of_s};
    PGresult *r = db_query(b->ctx, "genre correlation",
                           "SELECT \"genreA\", \"genreB\", r FROM \"TrendCorrelation\" WHERE \"asOf\" = $1::date"
                           " AND kind = 'genre_pair' ORDER BY \"genreA\", \"genreB\"", 1, p);
    if (!r) return -1;
    const char *labels[64];
    int n = 0;
    for (int i = 0; i < PQntuples(r); i++)
        for (int c = 0; c < 2; c++) {
            const char *g = PQgetvalue(r, i, c);
            int known = 0;
            for (int k = 0; k < n; k++) known |= strcmp(labels[k], g) == 0;
            if (!known && n < 64) labels[n++] = g;
        }
    for (int i = 1; i < n; i++)   /* sort names (insertion sort; n is small) */
        for (int j = i; j > 0 && strcmp(labels[j - 1], labels[j]) > 0; j--) {
            const char *t = labels[j];
            labels[j] = labels[j - 1];
            labels[j - 1] = t;
        }
    double *m = xmalloc(sizeof(double) * (size_t)(n ? n * n : 1));
    for (int i = 0; i < n * n; i++) m[i] = NAN;
    for (int i = 0; i < n; i++) m[i * n + i] = 1;
    for (int i = 0; i < PQntuples(r); i++) {
        if (PQgetisnull(r, i, 2)) continue;
        int a = -1, c = -1;
        for (int k = 0; k < n; k++) {
            if (strcmp(labels[k], PQgetvalue(r, i, 0)) == 0) a = k;
            if (strcmp(labels[k], PQgetvalue(r, i, 1)) == 0) c = k;
        }
        if (a >= 0 && c >= 0) m[a * n + c] = m[c * n + a] = atof(PQgetvalue(r, i, 2));
    }
    svgchart_heatmap(svg, "genre-corr", "Genre correlation heatmap",
                     "Pearson correlation of daily mean scores between genres over 90 days; blue positive, red negative.",
                     labels, m, n);
    free(m);
    PQclear(r);
    return 0;
}

int pages_analytics(site_build_state *b)
{
    const char *p[1] = {b->as_of_s};
    cJSON *index = page("Statistical analytics", "Computed by catlog analytics refresh for the as-of date.", NULL);
    cJSON *links = cJSON_AddArrayToObject(index, "links");
    for (int i = 0; i < STAT_NUM_TABLES; i++) {
        const stat_table *st = &STAT_TABLES[i];
        const site_stat_page *t = &SITE_STAT_PAGES[i];
        char path[96], report[64];
        snprintf(path, sizeof path, "analytics/%s/index.html", st->slug);
        stat_report_name(report, sizeof report, (stat_table_id)i);
        cJSON *l = cJSON_CreateObject();
        cJSON_AddStringToObject(l, "href", path);
        cJSON_AddStringToObject(l, "text", t->heading);
        cJSON_AddItemToArray(links, l);
        buf sql = BUF_INIT;
        buf_printf(&sql, "SELECT * FROM \"%s\" WHERE \"asOf\" = $1::date ORDER BY %s", st->name, st->report_order);
        int rc = write_report(b, report, buf_cstr(&sql), 1, p);
        buf_free(&sql);
        if (rc != 0) goto fail;
        cJSON *doc = page(t->heading, t->intro, report);
        cJSON_AddStringToObject(doc, "empty", "No rows for this date yet: catlog analytics refresh (run by catlog nightly) "
                                              "computes them from the day's snapshot.");
        if (add_table(b, doc, t->heading, t->cols, t->ncols, t->view_sql, 1, p) != 0) {
            cJSON_Delete(doc);
            goto fail;
        }
        if (site_page(b, path, "pages/table", doc, NULL) != 0) goto fail;
    }
    buf svg = BUF_INIT;
    int rc = volatility_chart(b, &svg);
    if (rc == 0) add_chart(index, "Volatility distribution", &svg);
    buf_reset(&svg);
    if (rc == 0) rc = correlation_heatmap(b, &svg);
    if (rc == 0) add_chart(index, "Genre correlation", &svg);
    buf_free(&svg);
    if (rc != 0) goto fail;
    return site_page(b, "analytics/index.html", "pages/table", index, NULL);
fail:
    cJSON_Delete(index);
    return -1;
}

static const char *const Q_COLS[] = {"Result", "Severity", "Expectation", "Column", "Observed", "Details"};
static const char *const QH_COLS[] = {"Date", "Run", "Passed", "Failed", "Pass rate %"};
static const char *const RUN_COLS[] = {"Run", "Status", "Step", "Started (UTC)", "Seconds", "Rows", "Requests", "Error"};
static const char *const NIGHTLY_COLS[] = {"Nightly run", "Status", "Failed step", "Exit", "Started (UTC)", "Seconds", "Steps", "Error"};

int pages_operations(site_build_state *b)
{
    const char *p[1] = {b->as_of_s};
    /* quality: the latest evaluation, then the pass-rate history */
    const char *latest = "(SELECT \"runId\" FROM \"QualityResults\" WHERE \"snapshotDate\" <= $1::date"
                         " ORDER BY \"snapshotDate\" DESC, id DESC LIMIT 1)";
    char sql[2048];
    cJSON *q = page("Data quality", "The expectations of the latest evaluated snapshot, then the pass rate of every evaluation.",
                    REPORT_QUALITY);
    cJSON_AddStringToObject(q, "empty", "No quality run for this date yet: the gate runs with each ETL (catlog etl run, "
                                        "catlog nightly), and catlog quality checks a snapshot on demand.");
    snprintf(sql, sizeof sql,
             "SELECT json_build_array(" CELL("CASE WHEN success THEN 'pass' ELSE 'FAIL' END") ", "
             CELL("CASE WHEN critical THEN 'critical' ELSE 'warning' END") ", " CELL("expectation") ", " CELL("\"column\"")
             ", " CELL("\"observedValue\"") ", " CELL("details") ") AS cells FROM \"QualityResults\" WHERE \"runId\" = %s ORDER BY id",
             latest);
    int rc = add_table(b, q, "Latest expectations", Q_COLS, 6, sql, 1, p);
    if (rc == 0)
        rc = add_table(b, q, "Pass rate history", QH_COLS, 5,
                       "SELECT json_build_array(" CELL("\"snapshotDate\"") ", " CELL("\"runId\"") ", " CELL_NUM(FMT_INT("count(*) FILTER (WHERE success)"))
                       ", " CELL_NUM(FMT_INT("count(*) FILTER (WHERE NOT success)")) ", " CELL_NUM(FMT_SHARE("count(*) FILTER (WHERE success)::numeric / count(*)"))
                       ") AS cells FROM \"QualityResults\" WHERE \"snapshotDate\" <= $1::date GROUP BY \"snapshotDate\", \"runId\""
                       " ORDER BY \"snapshotDate\" DESC, \"runId\" DESC LIMIT 120", 1, p);
    if (rc == 0)
        rc = write_report(b, REPORT_QUALITY,
                          "SELECT \"runId\", \"snapshotDate\", expectation, \"column\", critical, success, \"observedValue\", details"
                          " FROM \"QualityResults\" WHERE \"snapshotDate\" <= $1::date ORDER BY \"snapshotDate\", id", 1, p);
    if (rc != 0) {
        cJSON_Delete(q);
        return -1;
    }
    if (site_page(b, "quality/index.html", "pages/table", q, NULL) != 0) return -1;

    cJSON *runs = page("Pipeline runs", "The most recent ETL runs with their timing, rows and errors.", REPORT_ETL_LOGS);
    cJSON_AddStringToObject(runs, "empty", "No run recorded up to this date: runs appear here after catlog etl run or "
                                           "catlog nightly.");
    rc = add_table(b, runs, "Recent runs", RUN_COLS, 8,
                   "SELECT json_build_array(" CELL("\"runId\"") ", " CELL("status") ", " CELL("\"pipelineStep\"")
                   ", " CELL("to_char(\"startTime\", 'YYYY-MM-DD HH24:MI:SS')")
                   ", " CELL_NUM(FMT_INT("round(extract(epoch FROM \"endTime\" - \"startTime\"))")) ", " CELL_NUM(FMT_INT("\"rowsProcessed\""))
                   ", " CELL_NUM(FMT_INT("\"apiRequestCount\"")) ", " CELL("\"errorMessage\"") ") AS cells FROM \"EtlLogs\""
                   " WHERE \"startTime\" < $1::date + 1 ORDER BY \"startTime\" DESC, id DESC LIMIT 60", 1, p);
    if (rc == 0)
        rc = add_table(b, runs, "Nightly runs", NIGHTLY_COLS, 8,
                       "SELECT json_build_array(" CELL("\"runId\"") ", " CELL("status") ", " CELL("\"failedStep\"")
                       ", " CELL("\"exitCode\"") ", " CELL("to_char(\"startTime\", 'YYYY-MM-DD HH24:MI:SS')")
                       ", " CELL_NUM(FMT_INT("round(extract(epoch FROM \"endTime\" - \"startTime\"))"))
                       ", " CELL("(SELECT string_agg((s->>'step') || ' ' || (s->>'status') || ' ' || (s->>'seconds') || 's', ', ')"
                       " FROM jsonb_array_elements(steps) s)") ", " CELL("\"errorMessage\"") ") AS cells FROM \"PipelineRuns\""
                       " WHERE \"startTime\" < $1::date + 1 ORDER BY \"startTime\" DESC, id DESC LIMIT 30", 1, p);
    if (rc == 0)
        rc = write_report(b, REPORT_ETL_LOGS,
                          "SELECT \"runId\", \"startTime\", \"endTime\", status, \"pipelineStep\", \"rowsProcessed\","
                          " \"errorMessage\", \"apiRequestCount\" FROM \"EtlLogs\" WHERE \"startTime\" < $1::date + 1"
                          " ORDER BY \"startTime\", id", 1, p);
    if (rc == 0)
        rc = write_report(b, REPORT_ANIME,
                          "SELECT \"malId\", title, \"titleEnglish\", array_to_string(genres, '; ') AS genres, score,"
                          " \"scoredBy\", rank, popularity, members, favorites, episodes, status, season, year, rating,"
                          " array_to_string(studios, '; ') AS studios FROM \"ProcessedAnime\" ORDER BY \"malId\"", 0, NULL);
    if (rc != 0) {
        cJSON_Delete(runs);
        return -1;
    }
    if (site_page(b, "pipeline/index.html", "pages/table", runs, NULL) != 0) return -1;

    /* reports index */
    static const char *const OPERATIONS_REPORTS[] = {REPORT_QUALITY, REPORT_ETL_LOGS, REPORT_ANIME};
    cJSON *idx = page("Reports", "Every table as RFC 4180 CSV and as JSON.", NULL);
    cJSON *links = cJSON_AddArrayToObject(idx, "links");
    size_t n_ops = sizeof OPERATIONS_REPORTS / sizeof OPERATIONS_REPORTS[0];
    for (size_t i = 0; i < STAT_NUM_TABLES + n_ops; i++) {
        char name[64], href[96];
        if (i < STAT_NUM_TABLES) stat_report_name(name, sizeof name, (stat_table_id)i);
        else snprintf(name, sizeof name, "%s", OPERATIONS_REPORTS[i - STAT_NUM_TABLES]);
        snprintf(href, sizeof href, "reports/%s.csv", name);
        cJSON *l = cJSON_CreateObject();
        cJSON_AddStringToObject(l, "href", href);
        cJSON_AddStringToObject(l, "text", name);
        cJSON_AddStringToObject(l, "note", "(CSV; the same name with .json for JSON)");
        cJSON_AddItemToArray(links, l);
    }
    return site_page(b, "reports/index.html", "pages/table", idx, NULL);
}
