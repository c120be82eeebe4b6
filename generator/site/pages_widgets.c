/* Embeddable widgets for the CatLog web app: four self-contained HTML fragments (scoped
 * CSS, no scripts, no external requests, absolute links) and a host page embedding them.
 * What they show grows with the history: the current top under 7 days, the week's
 * movers under 30 days, the full set from 30 days. */
#include <stdio.h>
#include <string.h>

#include "analytics/trending.h"
#include "core/file.h"
#include "core/log.h"
#include "db/db.h"
#include "site/build_internal.h"
#include "site/sqljson.h"

#define ROTATE_SECONDS 5

static cJSON *widget_doc(site_build_state *b)
{
    char days_s[16];
    snprintf(days_s, sizeof days_s, "%d", b->days_of_history);
    const char *p[2] = {b->as_of_s, days_s};
    cJSON *doc = sqljson_value(b->ctx, "widget data",
        "SELECT json_build_object('daysOfHistory', $2::int, 'top', (SELECT coalesce(json_agg(t ORDER BY t.rank, t.\"malId\"), '[]')"
        " FROM (SELECT d.rank, d.\"malId\", a.title, d.score FROM \"DailyRankings\" d JOIN \"ProcessedAnime\" a USING (\"malId\")"
        " WHERE d.\"snapshotDate\" = $1::date AND d.rank <= 5) t))", 2, p);
    if (!doc) return NULL;
    int days = b->days_of_history;
    cJSON_AddStringToObject(doc, "siteUrl", b->site_url);
    cJSON_AddStringToObject(doc, "asOf", b->as_of_s);
    cJSON_AddStringToObject(doc, "stage", days < 7 ? "early" : days < 30 ? "week" : "full");
    if (days < 7) cJSON_AddNumberToObject(doc, "trendsInDays", 7 - days);
    if (days >= 7 && days < 30) cJSON_AddNumberToObject(doc, "fullInDays", 30 - days);
    cJSON *metrics = cJSON_AddArrayToObject(doc, "metrics");
    cJSON *slides = cJSON_AddArrayToObject(doc, "slides");
    int index = 0;
    const trending_metric *tm;
    for (int order = 1; (tm = trending_metric_in_widgets(order)) != NULL; order++) {
        if (days < tm->widget_min_days) continue;
        const cJSON *list = cJSON_GetObjectItem(b->trending, tm->key);
        cJSON *m = cJSON_CreateObject();
        cJSON_AddStringToObject(m, "key", tm->key);
        cJSON_AddStringToObject(m, "label", tm->widget_label);
        cJSON_AddNumberToObject(m, "index", ++index);
        cJSON_AddBoolToObject(m, "first", index == 1);
        cJSON *items = cJSON_AddArrayToObject(m, "items");
        const cJSON *it;
        int n = 0;
        cJSON_ArrayForEach(it, list) {
            if (n++ >= 5) break;
            cJSON_AddItemToArray(items, cJSON_Duplicate(it, 1));
            if (n == 1) {   /* the rotating widget shows each metric's leader */
                cJSON *s = cJSON_Duplicate(it, 1);
                cJSON_AddStringToObject(s, "label", tm->widget_label);
                cJSON_AddItemToArray(slides, s);
            }
        }
        cJSON_AddItemToArray(metrics, m);
    }
    /* CSS animation timing for the rotating widget: each slide shows for ROTATE_SECONDS. */
    int nslides = cJSON_GetArraySize(slides);
    cJSON_AddNumberToObject(doc, "rotateTotal", nslides * ROTATE_SECONDS);
    /* keyframe stops as text: a CSS percentage must be a plain decimal */
    char show[16], hide[16];
    double slice = nslides ? 100.0 / nslides : 100;
    snprintf(show, sizeof show, "%.3f%%", slice);
    snprintf(hide, sizeof hide, "%.3f%%", slice + 0.001);
    cJSON_AddStringToObject(doc, "rotateShowUntil", show);
    cJSON_AddStringToObject(doc, "rotateHideFrom", hide);
    int k = 0;
    cJSON *s;
    cJSON_ArrayForEach(s, slides) cJSON_AddNumberToObject(s, "delay", (k++) * ROTATE_SECONDS);
    return doc;
}

int pages_widgets(site_build_state *b)
{
    static const char *const NAMES[] = {"trending-tabs", "trending-rotating", "trending-compact", "trending-cards"};
    cJSON *doc = widget_doc(b);
    if (!doc) return -1;
    if (site_write_json(b, "api/widgets.json", doc) != 0) {
        cJSON_Delete(doc);
        return -1;
    }
    cJSON *fragments = cJSON_CreateObject();
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof NAMES / sizeof NAMES[0]; i++) {
        char path[64], tmpl[64];
        snprintf(path, sizeof path, "widgets/%s.html", NAMES[i]);
        snprintf(tmpl, sizeof tmpl, "widgets/%s", NAMES[i]);
        buf out = BUF_INIT, err = BUF_INIT;
        mst_template *t = mst_load(b->ld, tmpl, &err);
        rc = t ? mst_render(t, doc, b->ld, &out, &err) : -1;
        if (rc == 0) rc = writer_put(b->w, path, out.data ? out.data : "", out.len);
        else log_error("rendering %s: %s", path, buf_cstr(&err));
        if (rc == 0) cJSON_AddStringToObject(fragments, NAMES[i], buf_cstr(&out));
        buf_free(&out);
        buf_free(&err);
    }
    cJSON_Delete(doc);
    if (rc != 0) {
        cJSON_Delete(fragments);
        return rc;
    }
    /* widgets/demo.html: a host page with its own hostile-ish styles around the fragments */
    cJSON *host = cJSON_CreateObject();
    cJSON_AddItemToObject(host, "fragments", fragments);
    return site_render_file(b, "widgets/demo.html", "widgets/demo", host);
}
