#include "analytics/trending.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/buf.h"
#include "db/asof.h"
#include "db/db.h"

#define LIST_SIZE "10"

/* $1 = A. recent: latest snapshot in A-7..A; before: latest in A-$2..A-$3. */
static const char CLIMBERS_SQL[] =
    "WITH recent AS ("
    "  SELECT DISTINCT ON (\"malId\") \"malId\", \"rank\" FROM \"DailyRankings\""
    "  WHERE \"snapshotDate\" BETWEEN $1::date - 7 AND $1::date"
    "  ORDER BY \"malId\", \"snapshotDate\" DESC),"
    " before AS ("
    "  SELECT DISTINCT ON (\"malId\") \"malId\", \"rank\" FROM \"DailyRankings\""
    "  WHERE \"snapshotDate\" BETWEEN $1::date - $2::int AND $1::date - $3::int"
    "  ORDER BY \"malId\", \"snapshotDate\" DESC)"
    " SELECT r.\"malId\", p.\"title\", r.\"rank\", b.\"rank\", b.\"rank\" - r.\"rank\" AS change"
    " FROM recent r JOIN before b ON b.\"malId\" = r.\"malId\""
    " LEFT JOIN \"ProcessedAnime\" p ON p.\"malId\" = r.\"malId\""
    " WHERE b.\"rank\" - r.\"rank\" > 0"
    " ORDER BY change DESC, r.\"rank\", r.\"malId\" LIMIT " LIST_SIZE;

/* $1 = A. recent: latest non-null score in A-$2..A; before: in A-$3..A-$4; keep > $5. */
static const char SURGING_SQL[] =
    "WITH recent AS ("
    "  SELECT DISTINCT ON (\"malId\") \"malId\", \"score\" FROM \"DailyRankings\""
    "  WHERE \"snapshotDate\" BETWEEN $1::date - $2::int AND $1::date AND \"score\" IS NOT NULL"
    "  ORDER BY \"malId\", \"snapshotDate\" DESC),"
    " before AS ("
    "  SELECT DISTINCT ON (\"malId\") \"malId\", \"score\" FROM \"DailyRankings\""
    "  WHERE \"snapshotDate\" BETWEEN $1::date - $3::int AND $1::date - $4::int AND \"score\" IS NOT NULL"
    "  ORDER BY \"malId\", \"snapshotDate\" DESC),"
    " changes AS ("
    "  SELECT r.\"malId\", r.\"score\" AS cur, b.\"score\" AS prev, round(r.\"score\" - b.\"score\", 2) AS change"
    "  FROM recent r JOIN before b ON b.\"malId\" = r.\"malId\")"
    " SELECT c.\"malId\", p.\"title\", c.cur, c.prev, c.change"
    " FROM changes c LEFT JOIN \"ProcessedAnime\" p ON p.\"malId\" = c.\"malId\""
    " WHERE c.change > $5::numeric"
    " ORDER BY c.change DESC, c.\"malId\" LIMIT " LIST_SIZE;

/* $1 = A. In the top 50 on some date in A-7..A (one index probe per date), never on a
 * date in A-90..A-7 (one index range per candidate). One row per anime: its rank at its
 * latest snapshot in A-7..A and its first top-50 date there. */
static const char NEW_TOP50_SQL[] =
    "WITH top AS ("
    "  SELECT r.\"malId\", min(r.\"snapshotDate\") AS first"
    "  FROM generate_series(0, 7) AS g(k)"
    "  JOIN \"DailyRankings\" r ON r.\"snapshotDate\" = $1::date - g.k AND r.\"rank\" <= 50"
    "  GROUP BY r.\"malId\")"
    " SELECT t.\"malId\", p.\"title\", c.\"rank\", t.first - DATE '1970-01-01'"
    " FROM top t"
    " LEFT JOIN LATERAL ("
    "  SELECT 1 AS hit FROM \"DailyRankings\" o"
    "  WHERE o.\"malId\" = t.\"malId\" AND o.\"snapshotDate\" BETWEEN $1::date - 90 AND $1::date - 7"
    "  AND o.\"rank\" <= 50 LIMIT 1) prior ON true"
    " CROSS JOIN LATERAL ("
    "  SELECT d.\"rank\" FROM \"DailyRankings\" d"
    "  WHERE d.\"malId\" = t.\"malId\" AND d.\"snapshotDate\" BETWEEN $1::date - 7 AND $1::date"
    "  ORDER BY d.\"snapshotDate\" DESC LIMIT 1) c"
    " LEFT JOIN \"ProcessedAnime\" p ON p.\"malId\" = t.\"malId\""
    " WHERE prior.hit IS NULL"
    " ORDER BY c.\"rank\" NULLS LAST, t.\"malId\" LIMIT " LIST_SIZE;

/* $1 = A. Snapshot dates (any row in "DailyRankings") numbered 1..K up to A, found with
 * one index probe each; runs of consecutive numbers with rank <= 10 per anime. */
static const char LONGEST_SQL[] =
    "WITH RECURSIVE days(d) AS ("
    "  SELECT min(\"snapshotDate\") FROM \"DailyRankings\" WHERE \"snapshotDate\" <= $1::date"
    "  UNION ALL"
    "  SELECT (SELECT min(\"snapshotDate\") FROM \"DailyRankings\""
    "          WHERE \"snapshotDate\" > days.d AND \"snapshotDate\" <= $1::date)"
    "  FROM days WHERE days.d IS NOT NULL),"
    " numbered AS (SELECT d, row_number() OVER (ORDER BY d) AS k FROM days WHERE d IS NOT NULL),"
    " last AS (SELECT max(k) AS k FROM numbered),"
    " top AS ("
    "  SELECT r.\"malId\", n.k, n.k - row_number() OVER (PARTITION BY r.\"malId\" ORDER BY n.k) AS grp"
    "  FROM numbered n JOIN \"DailyRankings\" r ON r.\"snapshotDate\" = n.d AND r.\"rank\" <= 10),"
    " runs AS ("
    "  SELECT \"malId\", count(*) AS len, max(k) = (SELECT k FROM last) AS ongoing"
    "  FROM top GROUP BY \"malId\", grp),"
    " best AS ("
    "  SELECT DISTINCT ON (\"malId\") \"malId\", len, ongoing FROM runs"
    "  ORDER BY \"malId\", len DESC, ongoing DESC)"
    " SELECT b.\"malId\", p.\"title\", b.len, b.ongoing"
    " FROM best b LEFT JOIN \"ProcessedAnime\" p ON p.\"malId\" = b.\"malId\""
    " ORDER BY b.len DESC, b.ongoing DESC, b.\"malId\" LIMIT " LIST_SIZE;

typedef enum { COL_INT, COL_TEXT, COL_NUMBER, COL_BOOL, COL_DATE } col_type;

typedef struct {
    const char *name;
    col_type type;
} column;

static const column CLIMBER_COLS[] = {{"malId", COL_INT}, {"title", COL_TEXT}, {"currentRank", COL_INT},
                                      {"previousRank", COL_INT}, {"rankChange", COL_INT}, {NULL, 0}};
static const column SURGING_COLS[] = {{"malId", COL_INT}, {"title", COL_TEXT}, {"currentScore", COL_NUMBER},
                                      {"previousScore", COL_NUMBER}, {"scoreChange", COL_NUMBER}, {NULL, 0}};
static const column NEW_TOP50_COLS[] = {{"malId", COL_INT}, {"title", COL_TEXT}, {"currentRank", COL_INT},
                                        {"firstAppearance", COL_DATE}, {NULL, 0}};
static const column LONGEST_COLS[] = {{"malId", COL_INT}, {"title", COL_TEXT}, {"daysInTop10", COL_INT},
                                      {"ongoing", COL_BOOL}, {NULL, 0}};

typedef struct {
    trending_metric about;    /* what it is, for pages, widgets and feeds */
    int need_days;            /* ready when the earliest snapshot is on or before A - need_days */
    const char *sql;
    const column *cols;
    const char *timeframe;    /* NULL: no "timeframe" field */
    int nparams;              /* after $1 = A */
    const char *params[4];
} metric;

/* In the order of the document. */
static const metric METRICS[] = {
    {{"biggestClimbersWeek", "Biggest climbers this week", "Rank gained against the latest snapshot 7 to 14 days ago.",
      "Climbing this week", 1, 7, 1, "Biggest climber this week", "rankChange", "places"},
     14, CLIMBERS_SQL, CLIMBER_COLS, "week", 2, {"14", "7"}},
    {{"biggestClimbersMonth", "Biggest climbers this month", "Rank gained against the latest snapshot 30 to 37 days ago.",
      "Climbing this month", 5, 30, 3, "Biggest climber this month", "rankChange", "places"},
     37, CLIMBERS_SQL, CLIMBER_COLS, "month", 2, {"37", "30"}},
    {{"newToTop50", "New to the top 50", "Entered the top 50 this week, after 90 days without a day in it; the number is today's rank.",
      "New in the top 50", 3, 7, 0, NULL, NULL, NULL},
     90, NEW_TOP50_SQL, NEW_TOP50_COLS, NULL, 0, {NULL}},
    {{"scoreSurgingWeek", "Score surging this week", "Score gained against 7 to 10 days ago (more than 0.02).",
      "Score surging", 2, 7, 2, "Score surging", "scoreChange", "points"},
     10, SURGING_SQL, SURGING_COLS, "week", 4, {"3", "10", "7", "0.02"}},
    {{"scoreSurgingMonth", "Score surging this month", "Score gained against 30 to 37 days ago (more than 0.05).",
      "Surging this month", 6, 30, 0, NULL, NULL, NULL},
     37, SURGING_SQL, SURGING_COLS, "month", 4, {"7", "37", "30", "0.05"}},
    {{"longestRunning", "Longest top-10 streaks", "Consecutive snapshot days in the top 10.",
      "Top-10 streaks", 4, 7, 0, NULL, NULL, NULL},
     0, LONGEST_SQL, LONGEST_COLS, NULL, 0, {NULL}},
};
#define N_METRICS (sizeof METRICS / sizeof METRICS[0])

const trending_metric *trending_metric_at(size_t i)
{
    return i < N_METRICS ? &METRICS[i].about : NULL;
}

const trending_metric *trending_metric_in_widgets(int order)
{
    for (size_t i = 0; i < N_METRICS; i++)
        if (METRICS[i].about.widget_order == order) return &METRICS[i].about;
    return NULL;
}

const trending_metric *trending_metric_in_feed(int order)
{
    for (size_t i = 0; i < N_METRICS; i++)
        if (order > 0 && METRICS[i].about.feed_order == order) return &METRICS[i].about;
    return NULL;
}

static cJSON *cell(const PGresult *r, int row, int col, col_type type)
{
    if (PQgetisnull(r, row, col)) return cJSON_CreateNull();
    const char *v = PQgetvalue(r, row, col);
    switch (type) {
    case COL_INT:
    case COL_NUMBER: return cJSON_CreateNumber(strtod(v, NULL));
    case COL_BOOL: return cJSON_CreateBool(v[0] == 't');
    case COL_DATE: {
        char d[11];
        date_format(atoi(v), d);
        return cJSON_CreateString(d);
    }
    case COL_TEXT:
    default: return cJSON_CreateString(v);
    }
}

static cJSON *run_list(catlog_ctx *ctx, const metric *m, const char *as_of)
{
    const char *params[5] = {as_of};
    for (int i = 0; i < m->nparams; i++) params[i + 1] = m->params[i];
    buf step = BUF_INIT;
    buf_printf(&step, "trending %s as of %s", m->about.key, as_of);
    PGresult *r = db_query(ctx, buf_cstr(&step), m->sql, 1 + m->nparams, params);
    buf_free(&step);
    if (!r) return NULL;
    cJSON *list = cJSON_CreateArray();
    for (int i = 0; i < PQntuples(r); i++) {
        cJSON *o = cJSON_CreateObject();
        for (int c = 0; m->cols[c].name; c++) cJSON_AddItemToObject(o, m->cols[c].name, cell(r, i, c, m->cols[c].type));
        if (m->timeframe) cJSON_AddStringToObject(o, "timeframe", m->timeframe);
        cJSON_AddItemToArray(list, o);
    }
    PQclear(r);
    return list;
}

/* Fills doc; returns 0 or -1. */
static int fill_document(catlog_ctx *ctx, date_day as_of, cJSON *doc)
{
    bool have_as_of = as_of != TRENDING_LATEST;
    if (!have_as_of && asof_latest(ctx, &as_of, &have_as_of) != 0) return -1;
    char a[11] = "";
    int history = -1;   /* days between the earliest snapshot and A; -1: no snapshot */
    if (have_as_of) {
        date_format(as_of, a);
        const char *p[1] = {a};
        long long days;
        bool none;
        if (db_query_int64(ctx, "measuring the ranking history",
                           "SELECT $1::date - min(\"snapshotDate\") FROM \"DailyRankings\""
                           " WHERE \"snapshotDate\" <= $1::date", 1, p, &days, &none) != 0)
            return -1;
        if (!none) history = (int)days;
        cJSON_AddStringToObject(doc, "asOf", a);
    } else {
        cJSON_AddNullToObject(doc, "asOf");
    }
    cJSON *availability = cJSON_CreateObject();
    int rc = 0;
    for (size_t i = 0; i < N_METRICS; i++) {
        const metric *m = &METRICS[i];
        cJSON *state = cJSON_CreateObject();
        cJSON *list = NULL;
        if (history >= m->need_days) {
            list = rc == 0 ? run_list(ctx, m, a) : NULL;
            if (!list) {
                rc = -1;
                list = cJSON_CreateArray();
            }
            cJSON_AddTrueToObject(state, "ready");
            cJSON_AddNullToObject(state, "message");
            cJSON_AddNumberToObject(state, "availableInDays", 0);
        } else {
            list = cJSON_CreateArray();
            buf msg = BUF_INIT;
            cJSON_AddFalseToObject(state, "ready");
            if (history < 0) {
                if (have_as_of) buf_printf(&msg, "No snapshots on or before %s", a);
                else buf_puts(&msg, "No snapshots yet");
                cJSON_AddStringToObject(state, "message", buf_cstr(&msg));
                cJSON_AddNullToObject(state, "availableInDays");
            } else {
                buf_printf(&msg, "Need %d days of history, have %d", m->need_days, history);
                cJSON_AddStringToObject(state, "message", buf_cstr(&msg));
                cJSON_AddNumberToObject(state, "availableInDays", m->need_days - history);
            }
            buf_free(&msg);
        }
        cJSON_AddItemToObject(doc, m->about.key, list);
        cJSON_AddItemToObject(availability, m->about.key, state);
    }
    cJSON_AddItemToObject(doc, "availability", availability);
    return rc;
}

cJSON *trending_document(catlog_ctx *ctx, date_day as_of)
{
    if (db_connect(ctx) != 0) return NULL;
    bool own = PQtransactionStatus(ctx->db) == PQTRANS_IDLE;
    /* Short statements: compiling them (JIT) would cost more than it saves. */
    if (own && db_exec(ctx, "starting the trending read",
                       "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL jit = off") != 0)
        return NULL;
    cJSON *doc = cJSON_CreateObject();
    int rc = fill_document(ctx, as_of, doc);
    if (own) db_exec(ctx, "finishing the trending read", rc == 0 ? "COMMIT" : "ROLLBACK");
    if (rc != 0) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}
