#include "etl/quality.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/log.h"
#include "db/db.h"

/* Every expectation is one query over "etl_batch" returning (success, observed, details).
 * Parameters: $1 snapshot date, $2 records fetched, $3 records rejected, $4 pages,
 * $5 latest plausible year. Critical ones block the snapshot; the others warn, because
 * real data has quirks (rank ties and gaps, null scores, null seasons). */
typedef struct {
    const char *expectation;
    const char *column;
    bool critical;
    const char *sql;
} expectation;

#define COUNT_WHERE(cond, what) \
    "SELECT count(*) FILTER (WHERE " cond ") = 0, " \
    "count(*) FILTER (WHERE " cond ") || ' " what "', " \
    "'of ' || count(*) || ' rows' FROM etl_batch"

static const expectation EXPECTATIONS[] = {
    {"expect_table_row_count_to_be_greater_than", NULL, true,
     "SELECT count(*) > 0, count(*) || ' rows', 'a snapshot needs at least one row' FROM etl_batch"},
    {"expect_table_row_count_to_equal", NULL, true,
     "SELECT count(*) = $2::bigint - $3::bigint, count(*) || ' rows', "
     "$2::bigint || ' fetched - ' || $3::bigint || ' rejected = ' || ($2::bigint - $3::bigint) || ' expected' FROM etl_batch"},
    {"expect_rejected_records_to_be_at_most", "records", true,
     "SELECT $3::bigint <= greatest(1, $2::bigint / 10), $3::bigint || ' rejected', "
     "'at most 10% of ' || $2::bigint || ' fetched records may lack mal_id or title'"},
    {"expect_column_values_to_not_be_null", "malId", true, COUNT_WHERE("\"malId\" IS NULL", "null")},
    {"expect_column_values_to_not_be_null", "title", true,
     COUNT_WHERE("\"title\" IS NULL OR \"title\" = ''", "null or empty")},
    /* Critical, on what would be published (one row per malId): a few duplicates happen when
     * ranks shift while the pages are fetched, but a batch under 90% distinct would publish
     * far fewer anime than were fetched. */
    {"expect_column_proportion_of_unique_values_to_be_at_least", "malId", true,
     "SELECT count(*) = 0 OR count(DISTINCT \"malId\") >= 0.9 * count(*), count(DISTINCT \"malId\") || ' distinct of ' "
     "|| count(*) || ' rows', 'at least 90% of the fetched records must be distinct anime' FROM etl_batch"},
    /* Critical: MyAnimeList ranks start at 1; a 0 or negative rank is a broken answer. */
    {"expect_column_values_to_be_at_least", "rank", true, COUNT_WHERE("\"rank\" < 1", "below 1")},
    /* Critical: the share of NULL scores may grow by at most 25 points over the previous
     * snapshot (at most 50% with none): scores vanishing at once mean the answer changed shape. */
    {"expect_column_null_proportion_to_not_grow", "score", true,
     "WITH prev AS (SELECT avg((\"score\" IS NULL)::int) AS share FROM \"DailyRankings\" WHERE \"snapshotDate\" = "
     "(SELECT max(\"snapshotDate\") FROM \"DailyRankings\" WHERE \"snapshotDate\" < $1::date)), "
     "cur AS (SELECT avg((\"score\" IS NULL)::int) AS share FROM etl_batch) "
     "SELECT coalesce(cur.share, 0) <= coalesce(prev.share + 0.25, 0.5), round(100 * coalesce(cur.share, 0)) || '% null', "
     "'previous snapshot ' || coalesce(round(100 * prev.share) || '% null', 'none') || '; allowed up to ' || "
     "round(100 * coalesce(prev.share + 0.25, 0.5)) || '%' FROM cur, prev"},
    {"expect_column_values_to_be_unique", "malId", false,
     "SELECT count(*) = count(DISTINCT \"malId\"), (count(*) - count(DISTINCT \"malId\")) || ' duplicate', "
     "'the first occurrence of each malId is kept' FROM etl_batch"},
    {"expect_column_values_to_be_between", "score", true,
     /* NUMERIC(3,2) holds at most 9.99: anything above would abort the load */
     COUNT_WHERE("\"score\" < 0 OR \"score\" > 9.99", "outside 0..9.99")},
    {"expect_column_values_to_be_between", "members", true, COUNT_WHERE("\"members\" < 0", "negative")},
    {"expect_column_values_to_be_equal", "snapshotDate", true,
     COUNT_WHERE("\"snapshotDate\" IS DISTINCT FROM $1::date", "on another date")},
    {"expect_column_values_to_be_of_type", "mal_id", true,
     COUNT_WHERE("\"rawJson\" IS NOT NULL AND jsonb_typeof(\"rawJson\"->'mal_id') IS DISTINCT FROM 'number'", "not a number")},
    {"expect_column_values_to_be_of_type", "score", false,
     COUNT_WHERE("\"rawJson\" IS NOT NULL AND coalesce(jsonb_typeof(\"rawJson\"->'score'), 'null') NOT IN ('number', 'null')", "not a number")},
    {"expect_column_values_to_be_of_type", "members", false,
     COUNT_WHERE("\"rawJson\" IS NOT NULL AND coalesce(jsonb_typeof(\"rawJson\"->'members'), 'null') NOT IN ('number', 'null')", "not a number")},
    {"expect_column_values_to_be_between", "year", false,
     COUNT_WHERE("\"year\" < 1900 OR \"year\" > $5::int", "outside 1900..current+5")},
    {"expect_column_values_to_be_in_set", "season", false,
     COUNT_WHERE("\"season\" NOT IN ('winter', 'spring', 'summer', 'fall')", "not winter/spring/summer/fall")},
    {"expect_column_values_to_be_in_set", "status", false,
     COUNT_WHERE("\"status\" NOT IN ('Finished Airing', 'Currently Airing', 'Not yet aired')", "unknown")},
    {"expect_column_values_to_be_unique", "rank", false,
     "SELECT count(\"rank\") = count(DISTINCT \"rank\"), (count(\"rank\") - count(DISTINCT \"rank\")) || ' tied', "
     "'MyAnimeList gives equal scores the same rank' FROM etl_batch"},
    {"expect_column_values_to_be_between", "rank", false,
     COUNT_WHERE("\"rank\" < 1 OR \"rank\" > $4::int * 25", "outside 1..pages*25")},
    {"expect_column_values_to_cover_range", "rank", false,
     "SELECT count(*) = 0, count(*) || ' missing', 'ranks absent from 1..' || "
     "(SELECT coalesce(max(\"rank\"), 0) FROM etl_batch WHERE \"rank\" <= $4::int * 25) "
     "FROM generate_series(1, (SELECT coalesce(max(\"rank\"), 0) FROM etl_batch WHERE \"rank\" <= $4::int * 25)) r "
     "WHERE NOT EXISTS (SELECT 1 FROM etl_batch b WHERE b.\"rank\" = r)"},
    {"expect_column_proportion_of_nonempty_values_to_be_at_least", "genres", false,
     "SELECT count(*) = 0 OR count(*) FILTER (WHERE cardinality(\"genres\") > 0) >= 0.9 * count(*), "
     "count(*) FILTER (WHERE cardinality(\"genres\") = 0) || ' without genres', 'at least 90% need a genre' FROM etl_batch"},
    {"expect_column_values_to_not_be_null", "score", false,
     "SELECT count(*) = 0 OR count(\"score\") >= 0.9 * count(*), (count(*) - count(\"score\")) || ' null', "
     "'at least 90% need a score' FROM etl_batch"},
    {"expect_column_values_to_be_between", "scoredBy/favorites/popularity", false,
     COUNT_WHERE("\"scoredBy\" < 0 OR \"favorites\" < 0 OR \"popularity\" < 1", "out of range")},
    {"expect_column_change_to_be_within", "score", false,
     "SELECT count(*) = 0, count(*) || ' changed by more than 1.00', "
     "'score vs the previous snapshot' FROM etl_batch b JOIN \"DailyRankings\" d ON d.\"malId\" = b.\"malId\" "
     "AND d.\"snapshotDate\" = (SELECT max(\"snapshotDate\") FROM \"DailyRankings\" WHERE \"snapshotDate\" < $1::date) "
     "WHERE abs(b.\"score\" - d.\"score\") > 1.00"},
};

#define NEXPECT ((int)(sizeof EXPECTATIONS / sizeof EXPECTATIONS[0]))

int quality_create_batch(catlog_ctx *ctx)
{
    return db_exec(ctx, "creating the staging batch",
                   "CREATE TEMP TABLE IF NOT EXISTS etl_batch ("
                   " \"page\" INTEGER, \"position\" INTEGER, \"malId\" INTEGER, \"title\" TEXT,"
                   " \"titleEnglish\" TEXT, \"genres\" TEXT[], \"score\" NUMERIC, \"scoredBy\" INTEGER,"
                   " \"rank\" INTEGER, \"popularity\" INTEGER, \"members\" INTEGER, \"favorites\" INTEGER,"
                   " \"episodes\" INTEGER, \"status\" TEXT, \"season\" TEXT, \"year\" INTEGER, \"rating\" TEXT,"
                   " \"studios\" TEXT[], \"imageUrl\" TEXT, \"synopsis\" TEXT, \"rawJson\" JSONB,"
                   " \"snapshotDate\" DATE) ON COMMIT DROP");
}

int quality_batch_from_snapshot(catlog_ctx *ctx, quality_expect *exp, buf *run_id)
{
    char date_s[11];
    date_format(exp->date, date_s);
    const char *p[1] = {date_s};
    if (quality_create_batch(ctx) != 0) return -1;
    PGresult *r = db_query(ctx, "staging the snapshot",
        "INSERT INTO etl_batch SELECT 0, row_number() OVER (ORDER BY d.\"rank\" NULLS LAST, d.\"malId\"),"
        " d.\"malId\", a.\"title\", a.\"titleEnglish\", d.\"genres\", d.\"score\", d.\"scoredBy\", d.\"rank\","
        " d.\"popularity\", d.\"members\", d.\"favorites\", a.\"episodes\", a.\"status\", a.\"season\", a.\"year\","
        " a.\"rating\", a.\"studios\", a.\"imageUrl\", a.\"synopsis\","
        " (SELECT w.\"rawJson\" FROM \"RawAnimeData\" w WHERE w.\"malId\" = d.\"malId\" AND w.\"etlRunId\" = d.\"etlRunId\" LIMIT 1),"
        " d.\"snapshotDate\""
        " FROM \"DailyRankings\" d LEFT JOIN \"ProcessedAnime\" a USING (\"malId\") WHERE d.\"snapshotDate\" = $1",
        1, p);
    if (!r) return -1;
    long long rows = atoll(PQcmdTuples(r));
    PQclear(r);
    r = db_query(ctx, "reading the run of the snapshot",
                 "SELECT d.\"etlRunId\", l.\"rowsProcessed\", l.\"apiRequestCount\" FROM \"DailyRankings\" d"
                 " LEFT JOIN \"EtlLogs\" l ON l.\"runId\" = d.\"etlRunId\""
                 " WHERE d.\"snapshotDate\" = $1 AND d.\"etlRunId\" IS NOT NULL LIMIT 1", 1, p);
    if (!r) return -1;
    exp->fetched = rows;
    exp->rejected = 0;
    exp->pages = (int)((rows + 24) / 25);
    /* A manual evaluation is its own run: storing it under the ETL run's id would list
     * every expectation twice for that run. */
    buf_printf(run_id, "quality-%s-%ld-%d", date_s, (long)time(NULL), (int)getpid());
    if (PQntuples(r) == 1) {
        if (!PQgetisnull(r, 0, 1)) exp->fetched = atoll(PQgetvalue(r, 0, 1));
        exp->rejected = exp->fetched > rows ? exp->fetched - rows : 0;
        if (!PQgetisnull(r, 0, 2) && atoi(PQgetvalue(r, 0, 2)) > exp->pages) exp->pages = atoi(PQgetvalue(r, 0, 2));
    }
    PQclear(r);
    return 0;
}

static char *dup_value(const PGresult *r, int col)
{
    return PQgetisnull(r, 0, col) ? NULL : xstrdup(PQgetvalue(r, 0, col));
}

int quality_evaluate(catlog_ctx *ctx, const quality_expect *exp, quality_report *rep)
{
    memset(rep, 0, sizeof *rep);
    rep->items = xcalloc(NEXPECT, sizeof(quality_result));
    char date_s[11], fetched[24], rejected[24], pages[16], max_year[16];
    date_format(exp->date, date_s);
    snprintf(fetched, sizeof fetched, "%lld", exp->fetched);
    snprintf(rejected, sizeof rejected, "%lld", exp->rejected);
    snprintf(pages, sizeof pages, "%d", exp->pages);
    int y, m, d;
    date_to_ymd(exp->date, &y, &m, &d);
    snprintf(max_year, sizeof max_year, "%d", y + 5);
    const char *params[5] = {date_s, fetched, rejected, pages, max_year};
    /* date, int8, int8, int4, int4: typed so that a query may leave some unused. */
    const Oid types[5] = {1082, 20, 20, 23, 23};
    for (int i = 0; i < NEXPECT; i++) {
        const expectation *e = &EXPECTATIONS[i];
        PGresult *r = PQexecParams(ctx->db, e->sql, 5, types, params, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
            buf step = BUF_INIT;
            buf_printf(&step, "quality expectation %s(%s)", e->expectation, e->column ? e->column : "table");
            db_report(ctx, buf_cstr(&step), r);
            buf_free(&step);
            PQclear(r);
            return -1;
        }
        quality_result *q = &rep->items[rep->count++];
        q->expectation = xstrdup(e->expectation);
        q->column = e->column ? xstrdup(e->column) : NULL;
        q->critical = e->critical;
        q->success = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
        q->observed = dup_value(r, 1);
        q->details = dup_value(r, 2);
        if (!q->success) {
            rep->failed++;
            if (q->critical) rep->critical_failed++;
        }
        PQclear(r);
    }
    return 0;
}

int quality_store(catlog_ctx *ctx, const char *run_id, date_day date, const quality_report *rep)
{
    char date_s[11];
    date_format(date, date_s);
    for (int i = 0; i < rep->count; i++) {
        const quality_result *q = &rep->items[i];
        const char *p[8] = {run_id, date_s, q->expectation, q->column, q->critical ? "t" : "f",
                            q->success ? "t" : "f", q->observed, q->details};
        PGresult *r = db_query(ctx, "storing quality results",
                               "INSERT INTO \"QualityResults\" (\"runId\", \"snapshotDate\", \"expectation\", \"column\","
                               " \"critical\", \"success\", \"observedValue\", \"details\") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                               8, p);
        if (!r) return -1;
        PQclear(r);
    }
    return 0;
}

void quality_summary(const quality_report *rep, buf *out)
{
    buf_printf(out, "%d expectations, %d passed, %d failed", rep->count, rep->count - rep->failed, rep->failed);
    if (rep->failed && !rep->critical_failed) buf_puts(out, " (warnings only)");
    const char *sep = ": ";
    for (int i = 0; i < rep->count; i++) {
        const quality_result *q = &rep->items[i];
        if (q->success) continue;
        buf_printf(out, "%s%s%s(%s): %s", sep, q->critical ? "CRITICAL " : "", q->expectation,
                   q->column ? q->column : "table", q->observed ? q->observed : "");
        sep = "; ";
    }
}

void quality_report_free(quality_report *rep)
{
    for (int i = 0; i < rep->count; i++) {
        free(rep->items[i].expectation);
        free(rep->items[i].column);
        free(rep->items[i].observed);
        free(rep->items[i].details);
    }
    free(rep->items);
    memset(rep, 0, sizeof *rep);
}
