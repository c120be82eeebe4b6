/* The dashboard and the trending page. */
#include <stdio.h>
#include <string.h>

#include "analytics/trending.h"
#include "site/build_internal.h"
#include "site/cells.h"
#include "site/sqljson.h"

/* [{key, label, explain, items, message, availableInDays}] from the trending document;
 * `limit` items per metric (0 = all). */
static cJSON *metric_views(const cJSON *trending, int limit)
{
    cJSON *out = cJSON_CreateArray();
    const cJSON *avail = cJSON_GetObjectItemCaseSensitive(trending, "availability");
    const trending_metric *tm;
    for (size_t i = 0; (tm = trending_metric_at(i)) != NULL; i++) {
        cJSON *m = cJSON_CreateObject();
        cJSON_AddStringToObject(m, "key", tm->key);
        cJSON_AddStringToObject(m, "label", tm->title);
        cJSON_AddStringToObject(m, "explain", tm->explain);
        cJSON *items = cJSON_AddArrayToObject(m, "items");
        const cJSON *it;
        int n = 0;
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(trending, tm->key)) {
            if (limit && n++ >= limit) break;
            cJSON_AddItemToArray(items, cJSON_Duplicate(it, 1));
        }
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(avail, tm->key);
        const cJSON *msg = cJSON_GetObjectItemCaseSensitive(a, "message");
        const cJSON *days = cJSON_GetObjectItemCaseSensitive(a, "availableInDays");
        if (cJSON_IsString(msg)) cJSON_AddStringToObject(m, "message", msg->valuestring);
        if (cJSON_IsNumber(days)) cJSON_AddNumberToObject(m, "availableInDays", days->valuedouble);
        cJSON_AddItemToArray(out, m);
    }
    return out;
}

int pages_home(site_build_state *b)
{
    char days[16];
    snprintf(days, sizeof days, "%d", b->days_of_history);
    const char *p[2] = {b->as_of_s, days};
    cJSON *doc = cJSON_CreateObject();
    cJSON *figures = sqljson_value(b->ctx, "dashboard figures",
        "SELECT json_build_object("
        " 'animeTracked', (SELECT count(*) FROM \"ProcessedAnime\"),"
        " 'daysOfHistory', $2::int,"
        " 'qualityEvaluated', EXISTS (SELECT 1 FROM \"QualityResults\" WHERE \"snapshotDate\" <= $1::date),"
        " 'qualityPassRate', (SELECT round(100.0 * count(*) FILTER (WHERE success) / nullif(count(*), 0), 1)"
        "    FROM \"QualityResults\" WHERE \"runId\" = (SELECT \"runId\" FROM \"QualityResults\" WHERE \"snapshotDate\" <= $1::date"
        "    ORDER BY \"snapshotDate\" DESC, id DESC LIMIT 1)),"
        " 'lastRun', (SELECT json_build_object('runId', \"runId\", 'status', status, 'step', \"pipelineStep\","
        "    'startTime', to_char(\"startTime\", 'YYYY-MM-DD HH24:MI') || ' UTC')"
        "    FROM \"EtlLogs\" WHERE \"startTime\" < $1::date + 1 ORDER BY \"startTime\" DESC, id DESC LIMIT 1))",
        2, p);
    cJSON *rows = sqljson_rows(b->ctx, "dashboard top 10",
        "SELECT d.rank, d.\"malId\", a.title, d.score, d.members, " FMT_SCORE("d.score") " AS \"scoreText\", "
        FMT_INT("d.members") " AS \"membersText\" FROM \"DailyRankings\" d"
        " JOIN \"ProcessedAnime\" a USING (\"malId\") WHERE d.\"snapshotDate\" = $1::date AND d.rank <= 10"
        " ORDER BY d.rank, d.\"malId\"", 1, p);
    if (!figures || !rows) {
        cJSON_Delete(figures);
        cJSON_Delete(rows);
        cJSON_Delete(doc);
        return -1;
    }
    cJSON_AddItemToObject(doc, "figures", figures);
    cJSON *top = cJSON_AddObjectToObject(doc, "top10");
    cJSON_AddStringToObject(top, "caption", "Top 10 on the latest snapshot");
    cJSON_AddItemToObject(top, "rows", rows);
    cJSON_AddItemToObject(doc, "trending", metric_views(b->trending, 3));
    return site_page(b, "index.html", "pages/index", doc, NULL);
}

int pages_trending(site_build_state *b)
{
    if (site_write_json(b, "api/trending-now.json", b->trending) != 0) return -1;
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "asOf", b->as_of_s);
    cJSON_AddItemToObject(doc, "metrics", metric_views(b->trending, 0));
    return site_page(b, "trending/index.html", "pages/trending", doc, NULL);
}
