/* Seasons (the seed's top_anime_by_season) and genres (its genre_trends). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "site/build_internal.h"
#include "site/cells.h"
#include "site/sqljson.h"

/* SQL for one table cell; link cells carry href relative to the site root. */
#define LINK(x, href) "json_build_object('text', " x ", 'href', " href ")"
#define ANIME_LINK LINK("a.title", "'anime/' || a.\"malId\" || '/index.html'")

static const char SEASON_ORDER[] =
    "CASE a.season WHEN 'winter' THEN 1 WHEN 'spring' THEN 2 WHEN 'summer' THEN 3 WHEN 'fall' THEN 4 END";

static cJSON *table_object(const char *caption, const char *const *columns, int ncols, cJSON *rows)
{
    cJSON *t = cJSON_CreateObject();
    cJSON_AddStringToObject(t, "caption", caption);
    cJSON_AddItemToObject(t, "columns", cJSON_CreateStringArray(columns, ncols));
    cJSON_AddItemToObject(t, "rows", rows);
    return t;
}

static cJSON *table_page(const char *heading, const char *intro)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "heading", heading);
    if (intro) cJSON_AddStringToObject(doc, "intro", intro);
    cJSON_AddArrayToObject(doc, "tables");
    return doc;
}

/* The seasons index as a grid, for the page only (the API keeps the list): a row per year,
 * newest first, a column per season, each cell the season's anime count linking to its page.
 * links is the list, newest first, each {href: "seasons/YEAR-SEASON/index.html", note}. */
static cJSON *season_grid(const cJSON *links)
{
    static const char *const SEASONS[] = {"winter", "spring", "summer", "fall"};
    static const char *const LABELS[] = {"Winter", "Spring", "Summer", "Fall"};
    cJSON *grid = cJSON_CreateObject();
    cJSON_AddStringToObject(grid, "caption", "Anime per season: a row per year, a column per season");
    cJSON_AddItemToObject(grid, "seasons", cJSON_CreateStringArray(LABELS, 4));
    cJSON *years = cJSON_AddArrayToObject(grid, "years");
    cJSON *row = NULL, *cells[4] = {0};
    int year = 0;
    const cJSON *l;
    cJSON_ArrayForEach(l, links) {
        const char *href = cJSON_GetObjectItem(l, "href")->valuestring;   /* seasons/YYYY-season/... */
        int y = atoi(href + strlen("seasons/"));
        const char *season = strchr(href + strlen("seasons/"), '-');
        if (!season) continue;
        season++;
        if (!row || y != year) {
            year = y;
            row = cJSON_CreateObject();
            cJSON_AddNumberToObject(row, "year", y);
            cJSON *cs = cJSON_AddArrayToObject(row, "cells");
            for (int k = 0; k < 4; k++) {
                cells[k] = cJSON_CreateObject();
                cJSON_AddItemToArray(cs, cells[k]);
            }
            cJSON_AddItemToArray(years, row);
        }
        for (int k = 0; k < 4; k++) {
            if (strncmp(season, SEASONS[k], strlen(SEASONS[k])) != 0 || season[strlen(SEASONS[k])] != '/') continue;
            char label[48];
            snprintf(label, sizeof label, " in %s %d", LABELS[k], y);
            cJSON_AddStringToObject(cells[k], "href", href);
            cJSON_AddStringToObject(cells[k], "count", cJSON_GetObjectItem(l, "note")->valuestring);
            cJSON_AddStringToObject(cells[k], "label", label);
        }
    }
    return grid;
}

/* The page listing `links` (consumed, as is extra), unless what came before failed (rc). */
static int list_page(site_build_state *b, int rc, const char *path, const char *heading, const char *intro,
                     cJSON *links, cJSON *extra)
{
    if (rc != 0) {
        cJSON_Delete(links);
        cJSON_Delete(extra);
        return rc;
    }
    cJSON *doc = table_page(heading, intro);
    cJSON_AddItemToObject(doc, "links", links);
    return site_page_extra(b, path, "pages/table", doc, NULL, extra);
}

int pages_seasons(site_build_state *b)
{
    char sql[2048];
    snprintf(sql, sizeof sql,
             "SELECT a.year, a.season, a.year || '-' || a.season AS slug, count(*) AS anime,"
             " round(avg(a.score), 2) AS \"avgScore\" FROM \"ProcessedAnime\" a"
             " WHERE a.season IN " SITE_SEASONS_SQL " AND a.year IS NOT NULL GROUP BY a.year, a.season"
             " ORDER BY a.year DESC, %s DESC", SEASON_ORDER);
    cJSON *seasons = sqljson_rows(b->ctx, "listing seasons", sql, 0, NULL);
    if (!seasons) return -1;
    cJSON *links = cJSON_CreateArray();
    const cJSON *s;
    int rc = 0;
    cJSON_ArrayForEach(s, seasons) {
        const char *slug = cJSON_GetObjectItem(s, "slug")->valuestring;
        char href[96], text[64], note[64];
        snprintf(href, sizeof href, "seasons/%s/index.html", slug);
        snprintf(text, sizeof text, "%s %d", cJSON_GetObjectItem(s, "season")->valuestring,
                 cJSON_GetObjectItem(s, "year")->valueint);
        snprintf(note, sizeof note, "%d anime", cJSON_GetObjectItem(s, "anime")->valueint);
        cJSON *l = cJSON_CreateObject();
        cJSON_AddStringToObject(l, "href", href);
        cJSON_AddStringToObject(l, "text", text);
        cJSON_AddStringToObject(l, "note", note);
        cJSON_AddItemToArray(links, l);

        char year[16];
        snprintf(year, sizeof year, "%d", cJSON_GetObjectItem(s, "year")->valueint);
        const char *p[2] = {year, cJSON_GetObjectItem(s, "season")->valuestring};
        cJSON *rows = sqljson_rows(b->ctx, "season page",
            "SELECT json_build_array(" CELL_NUM(FMT_INT("row_number() OVER (ORDER BY a.score DESC NULLS LAST, a.members DESC NULLS LAST, a.\"malId\")"))
            ", " ANIME_LINK ", " CELL_NUM(FMT_SCORE("a.score")) ", " CELL_NUM(FMT_INT("a.members")) ", " CELL_NUM(FMT_INT("a.rank")) ") AS cells"
            " FROM \"ProcessedAnime\" a WHERE a.year = $1::int AND a.season = $2"
            " ORDER BY a.score DESC NULLS LAST, a.members DESC NULLS LAST, a.\"malId\"", 2, p);
        if (!rows) {
            rc = -1;
            break;
        }
        char heading[96];
        snprintf(heading, sizeof heading, "Top anime of %s", text);
        cJSON *doc = table_page(heading, "Ranked by score, then members.");
        static const char *const COLS[] = {"#", "Title", "Score", "Members", "MAL rank"};
        cJSON_AddItemToArray(cJSON_GetObjectItem(doc, "tables"), table_object(heading, COLS, 5, rows));
        char path[96];
        snprintf(path, sizeof path, "seasons/%s/index.html", slug);
        if ((rc = site_page(b, path, "pages/table", doc, NULL)) != 0) break;
    }
    cJSON_Delete(seasons);
    cJSON *extra = NULL;
    if (rc == 0) {
        extra = cJSON_CreateObject();
        cJSON_AddItemToObject(extra, "grid", season_grid(links));
    }
    return list_page(b, rc, "seasons/index.html", "Seasons", "Every season with anime in the catalogue, newest first.",
                     links, extra);
}

/* A genre's pages: its API document holds every anime; its HTML pages SITE_PER_PAGE of
 * them each, the first with the table by year. doc is consumed. */
static int genre_pages(site_build_state *b, const char *slug, const char *name, cJSON *doc)
{
    buf dir = BUF_INIT, api = BUF_INIT, path = BUF_INIT;
    buf_printf(&dir, "genres/%s", slug);
    buf_printf(&api, "api/genres/%s.json", slug);
    int rc = site_write_json(b, buf_cstr(&api), doc);
    cJSON *tables = cJSON_GetObjectItem(doc, "tables");
    cJSON *anime = cJSON_GetArrayItem(tables, 1);
    cJSON *rows = cJSON_GetObjectItem(anime, "rows");
    int n = cJSON_GetArraySize(rows);
    int pages = n ? (n + SITE_PER_PAGE - 1) / SITE_PER_PAGE : 1;
    bool consumed = false;
    for (int p = 1; rc == 0 && p <= pages; p++) {
        cJSON *page;
        if (p == pages) page = doc;   /* the last page: what is left of the document */
        else {
            page = table_page(name, cJSON_GetObjectItem(doc, "intro")->valuestring);
            cJSON *t = cJSON_CreateObject();
            cJSON_AddItemToObject(t, "caption", cJSON_Duplicate(cJSON_GetObjectItem(anime, "caption"), 1));
            cJSON_AddItemToObject(t, "columns", cJSON_Duplicate(cJSON_GetObjectItem(anime, "columns"), 1));
            cJSON *part = cJSON_AddArrayToObject(t, "rows");
            for (int i = 0; i < SITE_PER_PAGE && rows->child; i++)
                cJSON_AddItemToArray(part, cJSON_DetachItemFromArray(rows, 0));
            /* the table by year: on page 1 only */
            if (p == 1) cJSON_AddItemToArray(cJSON_GetObjectItem(page, "tables"), cJSON_DetachItemFromArray(tables, 0));
            cJSON_AddItemToArray(cJSON_GetObjectItem(page, "tables"), t);
        }
        if (pages > 1) {
            if (p > 1) {
                char heading[64];
                snprintf(heading, sizeof heading, ", page %d of %d", p, pages);
                buf h = BUF_INIT;
                buf_printf(&h, "%s%s", name, heading);
                cJSON_ReplaceItemInObject(page, "heading", cJSON_CreateString(buf_cstr(&h)));
                buf_free(&h);
            }
        }
        cJSON *extra = cJSON_CreateObject();
        cJSON_AddStringToObject(extra, "api", buf_cstr(&api));
        site_pagination(extra, buf_cstr(&dir), p, pages);
        buf_reset(&path);
        site_page_path(&path, buf_cstr(&dir), p);
        consumed = page == doc;
        rc = site_page_extra(b, buf_cstr(&path), "pages/table", page, "", extra);
    }
    if (!consumed) cJSON_Delete(doc);
    buf_free(&dir);
    buf_free(&api);
    buf_free(&path);
    return rc;
}

int pages_genres(site_build_state *b)
{
    cJSON *genres = sqljson_rows(b->ctx, "listing genres",
        "SELECT g AS name, count(*) AS anime, round(avg(a.score), 2) AS \"avgScore\""
        " FROM \"ProcessedAnime\" a, unnest(a.genres) g WHERE g IS NOT NULL GROUP BY g ORDER BY g", 0, NULL);
    if (!genres) return -1;
    cJSON *links = cJSON_CreateArray();
    const cJSON *g;
    int rc = 0;
    buf slug = BUF_INIT, path = BUF_INIT;
    cJSON_ArrayForEach(g, genres) {
        const char *name = cJSON_GetObjectItem(g, "name")->valuestring;
        buf_reset(&slug);
        site_genre_slug(b, name, &slug);
        buf_reset(&path);
        buf_printf(&path, "genres/%s/index.html", buf_cstr(&slug));
        cJSON *l = cJSON_CreateObject();
        cJSON_AddStringToObject(l, "href", buf_cstr(&path));
        cJSON_AddStringToObject(l, "text", name);
        char note[64];
        snprintf(note, sizeof note, "%d anime", cJSON_GetObjectItem(g, "anime")->valueint);
        cJSON_AddStringToObject(l, "note", note);
        cJSON_AddItemToArray(links, l);

        const char *p[1] = {name};
        cJSON *years = sqljson_rows(b->ctx, "genre trends",
            "SELECT json_build_array(" CELL("a.year") ", " CELL_NUM(FMT_INT("count(*)")) ", " CELL_NUM(FMT_SCORE("avg(a.score)")) ") AS cells"
            " FROM \"ProcessedAnime\" a WHERE $1 = ANY(a.genres) AND a.year IS NOT NULL GROUP BY a.year ORDER BY a.year", 1, p);
        cJSON *anime = years ? sqljson_rows(b->ctx, "genre anime",
            "SELECT json_build_array(" ANIME_LINK ", " CELL_NUM(FMT_SCORE("a.score")) ", " CELL_NUM(FMT_INT("a.members")) ", " CELL("a.year") ") AS cells"
            " FROM \"ProcessedAnime\" a WHERE $1 = ANY(a.genres)"
            " ORDER BY a.score DESC NULLS LAST, a.members DESC NULLS LAST, a.\"malId\"", 1, p) : NULL;
        if (!anime) {
            cJSON_Delete(years);
            rc = -1;
            break;
        }
        static const char *const INTRO = "Anime count and average score by year, then every anime of the genre.";
        cJSON *doc = table_page(name, INTRO);
        static const char *const YCOLS[] = {"Year", "Anime", "Average score"};
        static const char *const ACOLS[] = {"Title", "Score", "Members", "Year"};
        cJSON *tables = cJSON_GetObjectItem(doc, "tables");
        cJSON_AddItemToArray(tables, table_object("By year", YCOLS, 3, years));
        cJSON_AddItemToArray(tables, table_object("Anime", ACOLS, 4, anime));
        if ((rc = genre_pages(b, buf_cstr(&slug), name, doc)) != 0) break;
    }
    buf_free(&slug);
    buf_free(&path);
    cJSON_Delete(genres);
    return list_page(b, rc, "genres/index.html", "Genres", "MyAnimeList genres with their anime.", links, NULL);
}
