/* The page registry: every step of a build, where it runs, the nav links to its pages and
 * how many pages it makes (for the progress bar). A new page kind is a pages_X function and
 * one row here; the build, the workers, the nav and the progress total follow. */
#include "site/build_internal.h"

const site_step SITE_STEPS[] = {
    /* one shard of the anime pages per worker: the most work, so first */
    {"anime", pages_anime, STEP_SHARDED, -1, {{0}}},
    /* database-heavy pages, each a job for a worker */
    {"analytics", pages_analytics, STEP_WORKER, 8, {{"analytics/index.html", "Analytics", 5}}},
    /* the all-anime index, a page per INDEX_PER_PAGE, and the search index */
    {"index", pages_anime_index, STEP_WORKER, 1, {{"anime/index.html", "All anime", 2}}},
    {"genres", pages_genres, STEP_WORKER, 25, {{"genres/index.html", "Genres", 4}}},
    {"seasons", pages_seasons, STEP_WORKER, 20, {{"seasons/index.html", "Seasons", 3}}},
    {"operations", pages_operations, STEP_WORKER, 3,
     {{"quality/index.html", "Quality", 6}, {"pipeline/index.html", "Pipeline", 7}}},
    /* pages made from the trending document, in the building process */
    {"home", pages_home, STEP_PARENT, 1, {{0}}},
    {"trending", pages_trending, STEP_PARENT, 1, {{"trending/index.html", "Trending", 1}}},
    {"docs", pages_docs, STEP_PARENT, 2, {{"docs/index.html", "Docs", 8}}},
    {"widgets", pages_widgets, STEP_PARENT, 0, {{0}}},
    /* the API's description, with examples read from the documents written above */
    {"api", pages_api, STEP_LAST, 1, {{SITE_API_REFERENCE, "API", 9}}},
    /* the sitemap lists every page: last */
    {"feeds", pages_feeds, STEP_LAST, 1, {{0}}},
};
const size_t SITE_NUM_STEPS = sizeof SITE_STEPS / sizeof SITE_STEPS[0];

cJSON *site_nav(void)
{
    cJSON *nav = cJSON_CreateArray();
    for (int order = 1;; order++) {
        const site_nav_link *found = NULL;
        for (size_t i = 0; i < SITE_NUM_STEPS && !found; i++)
            for (size_t k = 0; k < SITE_NAV_PER_STEP && !found; k++)
                if (SITE_STEPS[i].nav[k].order == order) found = &SITE_STEPS[i].nav[k];
        if (!found) return nav;
        cJSON *l = cJSON_CreateObject();
        cJSON_AddStringToObject(l, "href", found->href);
        cJSON_AddStringToObject(l, "label", found->label);
        cJSON_AddItemToArray(nav, l);
    }
}

long long site_expected_pages(long long anime)
{
    long long n = 0;
    for (size_t i = 0; i < SITE_NUM_STEPS; i++) n += SITE_STEPS[i].pages < 0 ? anime : SITE_STEPS[i].pages;
    return n;
}
