/* One page per anime, streamed: a cursor over the anime (with their analytics) merged
 * with one COPY of every ranking snapshot in (malId, date) order on a second connection,
 * so the build holds one anime's history at a time, never the whole table. */
#include <libpq-fe.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "db/copy.h"
#include "db/db.h"
#include "render/svgchart.h"
#include "site/build_internal.h"

typedef struct {
    int *day;
    double *rank, *score;
    long long *members;
    int n, cap;
} history;

typedef struct {
    PGconn *conn;
    char *line;          /* current COPY line (owned by libpq) */
    int mal_id;          /* of the current line; -1 at the end */
    int done;
} history_stream;

static const char ANIME_SQL[] =
    "DECLARE anime_pages NO SCROLL CURSOR FOR "
    "WITH m AS (SELECT \"malId\", json_build_object('firstRank', \"firstRank\", 'lastRank', \"lastRank\","
    "   'rankMomentum', \"rankMomentum\", 'avgRank', round(\"avgRank\"::numeric, 2), 'rankVolatility',"
    "   round(\"rankVolatility\"::numeric, 3), 'scoreMomentum', \"scoreMomentum\", 'nDays', \"nDays\") AS j"
    "   FROM \"RollingMomentumAnalysis\" WHERE \"asOf\" = $1::date),"
    " v AS (SELECT \"malId\", json_build_object('volatility7', round(volatility7::numeric, 3), 'volatility30',"
    "   round(volatility30::numeric, 3), 'volatility90', round(volatility90::numeric, 3), 'stabilityRank', \"stabilityRank\","
    "   'class', class) AS j FROM \"VolatilityRankings\" WHERE \"asOf\" = $1::date),"
    " t AS (SELECT \"malId\", json_agg(json_build_object('metric', metric, 'windowDays', \"windowDays\", 'n', n,"
    "   'slope', round(slope::numeric, 5), 'pValue', CASE WHEN \"pValue\" IS NULL THEN NULL ELSE trim(to_char(\"pValue\", '9.999EEEE')) END,"
    "   'significant', significant, 'direction', direction) ORDER BY metric, \"windowDays\") AS j"
    "   FROM \"TrendSignificance\" WHERE \"asOf\" = $1::date GROUP BY \"malId\"),"
    " g AS (SELECT \"malId\", json_agg(json_build_object('genre', genre, 'scorePercentile', round(\"scorePercentile\"::numeric, 3),"
    "   'membersPercentile', round(\"membersPercentile\"::numeric, 3), 'momentumPercentile',"
    "   round(\"momentumPercentile\"::numeric, 3)) ORDER BY genre) AS j"
    "   FROM \"GenrePercentiles\" WHERE \"asOf\" = $1::date AND \"malId\" IS NOT NULL GROUP BY \"malId\")"
    " SELECT a.\"malId\", json_build_object('malId', a.\"malId\", 'title', a.title, 'titleEnglish', a.\"titleEnglish\","
    "   'genres', a.genres, 'studios', a.studios, 'score', a.score, 'scoredBy', a.\"scoredBy\", 'rank', a.rank,"
    "   'popularity', a.popularity, 'members', a.members, 'favorites', a.favorites, 'episodes', a.episodes,"
    "   'status', a.status, 'season', a.season, 'year', a.year, 'rating', a.rating, 'imageUrl', a.\"imageUrl\","
    "   'synopsis', a.synopsis, 'seasonSlug', CASE WHEN a.season IN ('winter', 'spring', 'summer', 'fall') AND a.year IS NOT NULL"
    "   THEN a.year || '-' || a.season END)::text,"
    "   CASE WHEN m.j IS NULL AND v.j IS NULL AND t.j IS NULL AND g.j IS NULL THEN NULL"
    "   ELSE json_build_object('momentum', m.j, 'volatility', v.j, 'trends', t.j, 'percentiles', g.j)::text END"
    " FROM \"ProcessedAnime\" a LEFT JOIN m USING (\"malId\") LEFT JOIN v USING (\"malId\")"
    " LEFT JOIN t USING (\"malId\") LEFT JOIN g USING (\"malId\") ORDER BY a.\"malId\"";

static int stream_next(history_stream *s)
{
    if (s->line) PQfreemem(s->line);
    s->line = NULL;
    if (s->done) return 0;
    int n = PQgetCopyData(s->conn, &s->line, 0);
    if (n < 0) {
        s->done = 1;
        s->mal_id = -1;
        s->line = NULL;
        PGresult *r;
        int ok = 1;
        while ((r = PQgetResult(s->conn)) != NULL) {
            if (PQresultStatus(r) != PGRES_COMMAND_OK) {
                log_error("reading ranking history: %s", PQresultErrorMessage(r));
                ok = 0;
            }
            PQclear(r);
        }
        return ok ? 0 : -1;
    }
    s->mal_id = atoi(s->line);
    return 0;
}

/* The next integer field of a COPY text line: NAN for \N (and for anything malformed). */
static double next_field(const char **p)
{
    const char *s = *p, *end = s + strcspn(s, "\t\n");
    *p = *end ? end + 1 : end;
    int v;
    bool ok = true;
    copy_parse_int(s, end, INT_MIN, &v, &ok);
    return ok && v != INT_MIN ? (double)v : NAN;
}

static void history_push(history *h, const char *line)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 512;
        h->day = realloc(h->day, sizeof(int) * (size_t)h->cap);
        h->rank = realloc(h->rank, sizeof(double) * (size_t)h->cap);
        h->score = realloc(h->score, sizeof(double) * (size_t)h->cap);
        h->members = realloc(h->members, sizeof(long long) * (size_t)h->cap);
    }
    const char *p = strchr(line, '\t') + 1;   /* skip malId */
    h->day[h->n] = (int)next_field(&p);
    h->rank[h->n] = next_field(&p);
    h->score[h->n] = next_field(&p) / 100;   /* sent as hundredths: integers parse fastest */
    double m = next_field(&p);
    h->members[h->n] = isnan(m) ? -1 : (long long)m;
    h->n++;
}

static void add_num_or_null(cJSON *o, const char *key, double v)
{
    if (isnan(v)) cJSON_AddNullToObject(o, key);
    else cJSON_AddNumberToObject(o, key, v);
}

static void chart(buf *svg, const char *id, const char *what, const char *range, const char *title,
                  const history *h, int from, const double *values, int invert)
{
    char label[512], desc[512];
    int decimals = invert ? 0 : 2;
    double lo = INFINITY, hi = -INFINITY, last = NAN;
    for (int i = from; i < h->n; i++)
        if (!isnan(values[i])) {
            if (values[i] < lo) lo = values[i];
            if (values[i] > hi) hi = values[i];
            last = values[i];
        }
    snprintf(label, sizeof label, "%s of %s, %s", what, title, range);
    if (isnan(last))
        snprintf(desc, sizeof desc, "No %s data in this period.", what);
    else
        snprintf(desc, sizeof desc, "%s ranged from %.*f to %.*f; latest %.*f. The table below lists the values.",
                 what, decimals, lo, decimals, hi, decimals, last);
    svgchart_spec spec = {id, label, desc, h->day + from, values + from, h->n - from, invert != 0, decimals};
    buf_reset(svg);
    svgchart_line(svg, &spec);
}

static int render_anime(site_build_state *b, const char *info_json, const char *analytics_json, const history *h)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *anime = cJSON_Parse(info_json);
    if (!anime) {
        cJSON_Delete(doc);
        log_error("anime pages: the database returned JSON that does not parse");
        return -1;
    }
    int mal_id = cJSON_GetObjectItem(anime, "malId")->valueint;
    const char *title = cJSON_GetObjectItem(anime, "title")->valuestring;
    /* genre links need slugs */
    cJSON *links = cJSON_CreateArray();
    const cJSON *g;
    buf slug = BUF_INIT;
    cJSON_ArrayForEach(g, cJSON_GetObjectItem(anime, "genres")) {
        buf_reset(&slug);
        site_slug(&slug, g->valuestring);
        cJSON *l = cJSON_CreateObject();
        cJSON_AddStringToObject(l, "name", g->valuestring);
        cJSON_AddStringToObject(l, "slug", buf_cstr(&slug));
        cJSON_AddItemToArray(links, l);
    }
    buf_free(&slug);
    cJSON_AddItemToObject(anime, "genreLinks", links);
    cJSON_AddItemToObject(doc, "anime", anime);
    if (analytics_json) cJSON_AddItemToObject(doc, "analytics", cJSON_Parse(analytics_json));

    /* the last 30 snapshots, newest first */
    cJSON *rows = cJSON_AddArrayToObject(doc, "history");
    for (int i = h->n - 1; i >= 0 && i >= h->n - 30; i--) {
        cJSON *r = cJSON_CreateObject();
        char d[11];
        date_format(h->day[i], d);
        cJSON_AddStringToObject(r, "date", d);
        add_num_or_null(r, "rank", h->rank[i]);
        add_num_or_null(r, "score", h->score[i]);
        add_num_or_null(r, "members", h->members[i] < 0 ? NAN : (double)h->members[i]);
        cJSON_AddItemToArray(rows, r);
    }
    int from90 = 0;
    while (from90 < h->n && h->day[from90] < b->as_of - 89) from90++;

    cJSON *extra = cJSON_CreateObject();
    cJSON *charts = cJSON_AddObjectToObject(extra, "charts");
    buf svg = BUF_INIT;
    chart(&svg, "rank90", "Rank", "last 90 days", title, h, from90, h->rank, 1);
    cJSON_AddStringToObject(charts, "rank90", buf_cstr(&svg));
    chart(&svg, "rankall", "Rank", "all time", title, h, 0, h->rank, 1);
    cJSON_AddStringToObject(charts, "rankAll", buf_cstr(&svg));
    chart(&svg, "score90", "Score", "last 90 days", title, h, from90, h->score, 0);
    cJSON_AddStringToObject(charts, "score90", buf_cstr(&svg));
    chart(&svg, "scoreall", "Score", "all time", title, h, 0, h->score, 0);
    cJSON_AddStringToObject(charts, "scoreAll", buf_cstr(&svg));
    buf_free(&svg);

    char path[64], api[64];
    snprintf(path, sizeof path, "anime/%d/index.html", mal_id);
    snprintf(api, sizeof api, "api/anime/%d.json", mal_id);
    return site_page_extra(b, path, "pages/anime", doc, api, extra);
}

static PGconn *second_connection(catlog_ctx *ctx)
{
    PGconn *c = PQconnectdb(ctx->database_url ? ctx->database_url : "");
    if (PQstatus(c) != CONNECTION_OK) {
        log_error("anime pages: second database connection failed: %s", PQerrorMessage(c));
        PQfinish(c);
        return NULL;
    }
    return c;
}

int pages_anime(site_build_state *b)
{
    history_stream hs = {0};
    hs.conn = second_connection(b->ctx);
    if (!hs.conn) return -1;
    char copy[512];
    snprintf(copy, sizeof copy,
             "COPY (SELECT \"malId\", \"snapshotDate\" - DATE '1970-01-01', rank, (score * 100)::int, members"
             " FROM \"DailyRankings\" WHERE \"snapshotDate\" <= DATE '%s' ORDER BY \"malId\", \"snapshotDate\") TO STDOUT",
             b->as_of_s);
    /* A plain ordered scan: compiling it (JIT) costs more than it saves. */
    PGresult *r = PQexec(hs.conn, "SET jit = off");
    PQclear(r);
    r = PQexec(hs.conn, copy);
    int rc = PQresultStatus(r) == PGRES_COPY_OUT ? 0 : -1;
    if (rc) log_error("reading ranking history: %s", PQresultErrorMessage(r));
    PQclear(r);
    if (rc == 0) rc = stream_next(&hs);

    const char *p[1] = {b->as_of_s};
    if (rc == 0) rc = db_exec(b->ctx, "anime pages", "BEGIN");
    if (rc == 0) {
        r = db_query(b->ctx, "anime pages", ANIME_SQL, 1, p);
        rc = r ? 0 : -1;
        PQclear(r);
    }
    history h = {0};
    while (rc == 0) {
        r = db_query(b->ctx, "anime pages", "FETCH 500 FROM anime_pages", 0, NULL);
        if (!r) {
            rc = -1;
            break;
        }
        int rows = PQntuples(r);
        for (int i = 0; rc == 0 && i < rows; i++) {
            int mal_id = atoi(PQgetvalue(r, i, 0));
            h.n = 0;
            while (rc == 0 && hs.mal_id >= 0 && hs.mal_id <= mal_id) {
                if (hs.mal_id == mal_id) history_push(&h, hs.line);
                rc = stream_next(&hs);
            }
            if (rc == 0)
                rc = render_anime(b, PQgetvalue(r, i, 1), PQgetisnull(r, i, 2) ? NULL : PQgetvalue(r, i, 2), &h);
        }
        PQclear(r);
        if (rows == 0) break;
    }
    db_exec(b->ctx, "anime pages", rc == 0 ? "COMMIT" : "ROLLBACK");
    free(h.day);
    free(h.rank);
    free(h.score);
    free(h.members);
    if (hs.line) PQfreemem(hs.line);
    PQfinish(hs.conn);   /* also abandons an unfinished COPY */
    return rc;
}
