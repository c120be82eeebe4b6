/* One page per anime, streamed: a cursor over the anime with their analytics and their
 * packed ranking history ("AnimeHistory", one row per anime), fetched in binary batches;
 * the next batch is requested before the current one is rendered, so PostgreSQL prepares
 * it meanwhile. The build holds one batch at a time, never the whole table. */
#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/log.h"
#include "db/history.h"
#include "db/stream.h"
#include "render/svgchart.h"
#include "site/build_internal.h"
#include "site/cells.h"

typedef struct {
    int *day;
    double *rank, *score;
    long long *members;
    int n, cap;
} history;

static const char ANIME_SQL[] =
    "WITH m AS (SELECT \"malId\", json_build_object('firstRank', \"firstRank\", 'lastRank', \"lastRank\","
    "   'rankMomentum', \"rankMomentum\", 'avgRank', round(\"avgRank\"::numeric, 2), 'rankVolatility',"
    "   round(\"rankVolatility\"::numeric, 3), 'scoreMomentum', \"scoreMomentum\", 'nDays', \"nDays\") AS j"
    "   FROM \"RollingMomentumAnalysis\" WHERE \"asOf\" = $1::date AND abs(\"malId\" % $2::int) = $3::int),"
    " v AS (SELECT \"malId\", json_build_object('volatility7', round(volatility7::numeric, 3), 'volatility30',"
    "   round(volatility30::numeric, 3), 'volatility90', round(volatility90::numeric, 3), 'stabilityRank', \"stabilityRank\","
    "   'class', class) AS j FROM \"VolatilityRankings\" WHERE \"asOf\" = $1::date AND abs(\"malId\" % $2::int) = $3::int),"
    " t AS (SELECT \"malId\", json_agg(json_build_object('metric', metric, 'windowDays', \"windowDays\", 'n', n,"
    "   'slope', round(slope::numeric, 5), 'pValue', CASE WHEN \"pValue\" IS NULL THEN NULL ELSE trim(to_char(\"pValue\", '9.999EEEE')) END,"
    "   'pText', CASE WHEN \"pValue\" < 0.001 THEN '< 0.001' ELSE '= ' || to_char(\"pValue\", 'FM0.000') END,"
    "   'significant', significant, 'direction', direction, 'trend', " SITE_TREND_WORDS_SQL("metric", "direction") ")"
    "   ORDER BY metric, \"windowDays\") AS j"
    "   FROM \"TrendSignificance\" WHERE \"asOf\" = $1::date AND abs(\"malId\" % $2::int) = $3::int GROUP BY \"malId\"),"
    " g AS (SELECT \"malId\", json_agg(json_build_object('genre', genre, 'scorePercentile', round(\"scorePercentile\"::numeric, 3),"
    "   'membersPercentile', round(\"membersPercentile\"::numeric, 3), 'momentumPercentile',"
    "   round(\"momentumPercentile\"::numeric, 3), 'scoreShare', " FMT_SHARE("\"scorePercentile\"") ","
    "   'membersShare', " FMT_SHARE("\"membersPercentile\"") ") ORDER BY genre) AS j"
    "   FROM \"GenrePercentiles\" WHERE \"asOf\" = $1::date AND \"malId\" IS NOT NULL AND abs(\"malId\" % $2::int) = $3::int GROUP BY \"malId\")"
    " SELECT json_build_object('malId', a.\"malId\", 'title', a.title, 'titleEnglish', a.\"titleEnglish\","
    "   'genres', array_remove(a.genres, NULL), 'studios', array_remove(a.studios, NULL), 'score', a.score, 'scoreText', " FMT_SCORE("a.score") ","
    "   'scoredBy', a.\"scoredBy\", 'rank', a.rank, 'membersText', " FMT_INT("a.members") ","
    "   'popularity', a.popularity, 'members', a.members, 'favorites', a.favorites, 'episodes', a.episodes,"
    "   'status', a.status, 'season', CASE WHEN a.season IN " SITE_SEASONS_SQL " THEN a.season END, 'year', a.year, 'rating', a.rating, 'imageUrl', " SITE_SAFE_IMAGE_SQL("a.\"imageUrl\"") ","
    "   'synopsis', a.synopsis, 'seasonSlug', CASE WHEN a.season IN " SITE_SEASONS_SQL " AND a.year IS NOT NULL"
    "   THEN a.year || '-' || a.season END)::text,"
    "   CASE WHEN m.j IS NULL AND v.j IS NULL AND t.j IS NULL AND g.j IS NULL THEN NULL"
    "   ELSE json_build_object('momentum', m.j, 'volatility', v.j, 'trends', t.j, 'percentiles', g.j)::text END,"
    "   hx.points"
    " FROM \"ProcessedAnime\" a LEFT JOIN m USING (\"malId\") LEFT JOIN v USING (\"malId\")"
    " LEFT JOIN t USING (\"malId\") LEFT JOIN g USING (\"malId\")"
    " LEFT JOIN \"AnimeHistory\" hx USING (\"malId\")"
    " WHERE abs(a.\"malId\" % $2::int) = $3::int ORDER BY a.\"malId\"";

/* The points of one packed history up to as_of (they are in date order). */
static void history_unpack(history *h, const unsigned char *points, size_t len, date_day as_of)
{
    size_t n = len / HISTORY_POINT_SIZE;
    if ((int)n > h->cap) {
        h->cap = (int)n;
        h->day = xrealloc(h->day, sizeof(int) * n);
        h->rank = xrealloc(h->rank, sizeof(double) * n);
        h->score = xrealloc(h->score, sizeof(double) * n);
        h->members = xrealloc(h->members, sizeof(long long) * n);
    }
    h->n = 0;
    for (size_t i = 0; i < n; i++) {
        history_point p;
        history_point_decode(points + i * HISTORY_POINT_SIZE, &p);
        if (p.day > as_of) break;
        h->day[h->n] = p.day;
        h->rank[h->n] = p.rank < 0 ? NAN : p.rank;
        h->score[h->n] = p.score < 0 ? NAN : p.score / 100.0;
        h->members[h->n] = p.members;
        h->n++;
    }
}

static void add_num_or_null(cJSON *o, const char *key, double v)
{
    if (isnan(v)) cJSON_AddNullToObject(o, key);
    else cJSON_AddNumberToObject(o, key, v);
}

/* The history row's score and members as a reader reads them (9.20, 1,772,922). */
static void add_display_numbers(cJSON *row, double score, long long members)
{
    char text[32];
    if (!isnan(score)) {
        snprintf(text, sizeof text, "%.2f", score);
        cJSON_AddStringToObject(row, "scoreText", text);
    }
    if (members >= 0) {
        buf b = BUF_INIT;
        site_format_int(&b, members);
        cJSON_AddStringToObject(row, "membersText", buf_cstr(&b));
        buf_free(&b);
    }
}

static void history_chart(buf *svg, const char *id, const char *what, const char *range, const char *title,
                  const history *h, int from, const double *values, int invert)
{
    buf label = BUF_INIT;
    char desc[512];   /* only numbers and our own words: never cut */
    int decimals = invert ? 0 : 2;
    double lo = INFINITY, hi = -INFINITY, last = NAN;
    for (int i = from; i < h->n; i++)
        if (!isnan(values[i])) {
            if (values[i] < lo) lo = values[i];
            if (values[i] > hi) hi = values[i];
            last = values[i];
        }
    buf_printf(&label, "%s of %s, %s", what, title, range);
    if (isnan(last))
        snprintf(desc, sizeof desc, "No %s data in this period.", what);
    else
        snprintf(desc, sizeof desc, "%s ranged from %.*f to %.*f; latest %.*f. The table below lists the values.",
                 what, decimals, lo, decimals, hi, decimals, last);
    svgchart_spec spec = {id, buf_cstr(&label), desc, h->day + from, values + from, h->n - from, invert != 0, decimals,
                          invert ? "Rank (1 = top)" : what};
    buf_reset(svg);
    svgchart_line(svg, &spec);
    buf_free(&label);
}

/* Row `row` of a batch: the anime's JSON, its analytics JSON (or NULL) and its history. */
static int render_anime(site_build_state *b, const PGresult *r, int row, const history *h)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *anime = cJSON_ParseWithLength(PQgetvalue(r, row, 0), (size_t)PQgetlength(r, row, 0));
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
        if (!cJSON_IsString(g)) continue;   /* a NULL element in the array */
        buf_reset(&slug);
        site_genre_slug(b, g->valuestring, &slug);
        cJSON *l = cJSON_CreateObject();
        cJSON_AddStringToObject(l, "name", g->valuestring);
        cJSON_AddStringToObject(l, "slug", buf_cstr(&slug));
        cJSON_AddItemToArray(links, l);
    }
    buf_free(&slug);
    cJSON_AddItemToObject(anime, "genreLinks", links);
    cJSON_AddItemToObject(doc, "anime", anime);
    if (!PQgetisnull(r, row, 1))
        cJSON_AddItemToObject(doc, "analytics", cJSON_ParseWithLength(PQgetvalue(r, row, 1), (size_t)PQgetlength(r, row, 1)));

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
        add_display_numbers(r, h->score[i], h->members[i]);
        cJSON_AddItemToArray(rows, r);
    }
    int from90 = 0;
    while (from90 < h->n && h->day[from90] < b->as_of - 89) from90++;

    cJSON *extra = cJSON_CreateObject();
    cJSON *charts = cJSON_AddObjectToObject(extra, "charts");
    buf svg = BUF_INIT;
    history_chart(&svg, "rank90", "Rank", "last 90 days", title, h, from90, h->rank, 1);
    cJSON_AddStringToObject(charts, "rank90", buf_cstr(&svg));
    history_chart(&svg, "rankall", "Rank", "all time", title, h, 0, h->rank, 1);
    cJSON_AddStringToObject(charts, "rankAll", buf_cstr(&svg));
    history_chart(&svg, "score90", "Score", "last 90 days", title, h, from90, h->score, 0);
    cJSON_AddStringToObject(charts, "score90", buf_cstr(&svg));
    history_chart(&svg, "scoreall", "Score", "all time", title, h, 0, h->score, 0);
    cJSON_AddStringToObject(charts, "scoreAll", buf_cstr(&svg));
    buf_free(&svg);

    char path[64], api[64];
    snprintf(path, sizeof path, "anime/%d/index.html", mal_id);
    snprintf(api, sizeof api, "api/anime/%d.json", mal_id);
    return site_page_extra(b, path, "pages/anime", doc, api, extra);
}

typedef struct {
    site_build_state *b;
    history h;
} anime_batch;

/* Renders one batch (binary: the history arrives as raw bytes, not hex). */
static int render_batch(const PGresult *r, void *ud)
{
    anime_batch *ab = ud;
    int rc = 0;
    for (int i = 0; rc == 0 && i < PQntuples(r); i++) {
        ab->h.n = 0;
        if (!PQgetisnull(r, i, 2))
            history_unpack(&ab->h, (const unsigned char *)PQgetvalue(r, i, 2), (size_t)PQgetlength(r, i, 2),
                           ab->b->as_of);
        rc = render_anime(ab->b, r, i, &ab->h);
    }
    return rc;
}

int pages_anime(site_build_state *b)
{
    char shards[16], shard[16];
    snprintf(shards, sizeof shards, "%d", b->shards > 0 ? b->shards : 1);
    snprintf(shard, sizeof shard, "%d", b->shards > 0 ? b->shard : 0);
    const char *p[3] = {b->as_of_s, shards, shard};
    anime_batch ab = {b, {0}};
    int rc = db_stream_batches(b->ctx, "anime pages", ANIME_SQL, 3, p, 500, true, render_batch, &ab);
    free(ab.h.day);
    free(ab.h.rank);
    free(ab.h.score);
    free(ab.h.members);
    return rc;
}
