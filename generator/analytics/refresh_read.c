/* Reading for the refresh: the 90-day window (two COPY streams in parallel), grouped by
 * anime and ordered by day, members on the as-of date, and the genres numbered in byte order. */
#include "analytics/refresh_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/log.h"
#include "db/copy.h"
#include "db/db.h"
#include "db/stream.h"

#define WINDOW_STEP "reading the 90-day ranking window"

static unsigned slot_of(uint32_t h, int cap)
{
    return (h * 2654435761u) & (unsigned)(cap - 1);
}

static void map_grow(refresh_state *st)
{
    int cap = st->cap ? st->cap * 2 : 1 << 12;
    int *slots = xrealloc(NULL, sizeof(int) * (size_t)cap);
    for (int i = 0; i < cap; i++) slots[i] = -1;
    for (int a = 0; a < st->n_anime; a++) {
        unsigned s = slot_of((uint32_t)st->anime[a].mal_id, cap);
        while (slots[s] >= 0) s = (s + 1) & (unsigned)(cap - 1);
        slots[s] = a;
    }
    free(st->slots);
    st->slots = slots;
    st->cap = cap;
}

/* Anime index of mal_id; -1 when absent and !add. */
static int anime_index(refresh_state *st, int mal_id, bool add)
{
    if (!st->cap) {
        if (!add) return -1;
        map_grow(st);
    }
    unsigned s = slot_of((uint32_t)mal_id, st->cap);
    while (st->slots[s] >= 0) {
        if (st->anime[st->slots[s]].mal_id == mal_id) return st->slots[s];
        s = (s + 1) & (unsigned)(st->cap - 1);
    }
    if (!add) return -1;
    if (st->n_anime == st->cap_anime) {
        st->cap_anime = st->cap_anime ? st->cap_anime * 2 : 1024;
        st->anime = xrealloc(st->anime, sizeof(anime_rec) * (size_t)st->cap_anime);
    }
    int a = st->n_anime++;
    st->anime[a] = (anime_rec){.mal_id = mal_id, .vol7 = NAN, .vol30 = NAN, .vol90 = NAN,
                               .momentum = SERIES_NULL, .score_as_of = SERIES_NULL,
                               .members_as_of = SERIES_NULL};
    st->slots[s] = a;
    if (st->n_anime * 2 > st->cap) map_grow(st);
    return a;
}

void refresh_state_free(refresh_state *st)
{
    free(st->slots);
    free(st->anime);
    free(st->raw[0].rows);
    free(st->raw[1].rows);
    free(st->points);
    for (int g = 0; g < st->n_genres; g++) free(st->genre_names[g]);
    free(st->genre_names);
    free(st->anime_genres);
    free(st->change_days);
    free(st->change_vals);
}

/* One COPY text row: malId, day, rank, score. */
static int add_row(raw_rows *raw, const char *line, int len)
{
    const char *s = line, *end = line + len;
    int mal_id, day, rank, score;
    bool ok = true;
    s = copy_parse_int(s, end, SERIES_NULL, &mal_id, &ok);
    if (s < end && *s == '\t') s++; else ok = false;
    s = copy_parse_int(s, end, SERIES_NULL, &day, &ok);
    if (s < end && *s == '\t') s++; else ok = false;
    s = copy_parse_int(s, end, SERIES_NULL, &rank, &ok);
    if (s < end && *s == '\t') s++; else ok = false;
    s = copy_parse_hundredths(s, end, SERIES_NULL, &score, &ok);
    if (!ok || mal_id == SERIES_NULL || day == SERIES_NULL || s >= end || *s != '\n') return -1;
    if (raw->n == raw->cap) {
        raw->cap = raw->cap ? raw->cap * 2 : 1 << 16;
        raw->rows = xrealloc(raw->rows, sizeof(raw_row) * (size_t)raw->cap);
    }
    raw->rows[raw->n++] = (raw_row){mal_id, {day, rank, score}};
    return 0;
}

/* One line of the window: rows of query 0 (the older half) into raw[0], of query 1 into raw[1]. */
static int window_line(int query, const char *line, int len, void *ud)
{
    refresh_state *st = ud;
    if (add_row(&st->raw[query], line, len) == 0) return 0;
    log_error(WINDOW_STEP ": unexpected row '%.*s'", len > 80 ? 80 : len, line);
    return -1;
}

static void window_sql(buf *sql, const char *as_of, int from_day, int to_day)
{
    buf_printf(sql,
               "COPY (SELECT \"malId\", \"snapshotDate\" - DATE '%s', \"rank\", \"score\""
               " FROM \"DailyRankings\""
               " WHERE \"snapshotDate\" BETWEEN DATE '%s' + %d AND DATE '%s' + %d) TO STDOUT",
               as_of, as_of, from_day, as_of, to_day);
}

/* Streams the 90-day window A-89..A: the older and the newer half in parallel on two
 * connections sharing one snapshot (the server scans both at once). */
static int read_window(catlog_ctx *ctx, refresh_state *st, const char *as_of)
{
    const int split = -(W90 / 2);   /* older half: A-89 .. A-46, newer: A-45 .. A */
    buf older = BUF_INIT, newer = BUF_INIT;
    window_sql(&older, as_of, -(W90 - 1), split - 1);
    window_sql(&newer, as_of, split, 0);
    const char *sql[2] = {buf_cstr(&older), buf_cstr(&newer)};
    int rc = db_stream_copy(ctx, WINDOW_STEP, sql, 2, window_line, st);
    buf_free(&older);
    buf_free(&newer);
    st->n_raw = st->raw[0].n + st->raw[1].n;
    return rc;
}

static int cmp_point_day(const void *a, const void *b)
{
    int x = ((const series_point *)a)->day, y = ((const series_point *)b)->day;
    return (x > y) - (x < y);
}

/* Groups the rows by anime (in order of first appearance), each slice ordered by day:
 * the older half's rows first, each stream arriving in date order (checked). */
static int group_rows(refresh_state *st)
{
    for (int h = 0; h < 2; h++)
        for (long long i = 0; i < st->raw[h].n; i++) {
            int a = anime_index(st, st->raw[h].rows[i].mal_id, true);   /* may move st->anime */
            st->anime[a].count++;
        }
    int off = 0;
    for (int a = 0; a < st->n_anime; a++) {
        st->anime[a].first = off;
        off += st->anime[a].count;
        st->anime[a].count = 0;
    }
    st->points = xrealloc(NULL, sizeof(series_point) * (size_t)st->n_raw);
    for (int h = 0; h < 2; h++) {
        for (long long i = 0; i < st->raw[h].n; i++) {
            anime_rec *a = &st->anime[anime_index(st, st->raw[h].rows[i].mal_id, false)];
            st->points[a->first + a->count++] = st->raw[h].rows[i].p;
        }
        free(st->raw[h].rows);
        st->raw[h] = (raw_rows){NULL, 0, 0};
    }
    for (int a = 0; a < st->n_anime; a++) {
        anime_rec *rec = &st->anime[a];
        series_point *p = st->points + rec->first;
        int n = rec->count;
        bool sorted = true;
        for (int i = 1; i < n && sorted; i++) sorted = p[i - 1].day < p[i].day;
        if (!sorted) qsort(p, (size_t)n, sizeof *p, cmp_point_day);
        for (int i = 1; i < n; i++)
            if (p[i - 1].day == p[i].day) {
                log_error(WINDOW_STEP ": malId %d has two snapshots on one date",
                          rec->mal_id);
                return -1;
            }
        if (n > 0 && p[n - 1].day == 0) {
            rec->on_as_of = true;
            rec->score_as_of = p[n - 1].score;
        }
    }
    return 0;
}

/* Members on A, for the percentiles. */
static int read_members(catlog_ctx *ctx, refresh_state *st, const char *as_of)
{
    const char *p[1] = {as_of};
    PGresult *r = db_query(ctx, "reading members on the as-of date",
                           "SELECT \"malId\", \"members\" FROM \"DailyRankings\" WHERE \"snapshotDate\" = $1::date",
                           1, p);
    if (!r) return -1;
    for (int i = 0; i < PQntuples(r); i++) {
        int a = anime_index(st, atoi(PQgetvalue(r, i, 0)), false);
        if (a >= 0 && !PQgetisnull(r, i, 1)) st->anime[a].members_as_of = atoi(PQgetvalue(r, i, 1));
    }
    PQclear(r);
    return 0;
}

static uint32_t hash_text(const char *s)
{
    uint32_t h = 2166136261u;   /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int refresh_cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Genres from "ProcessedAnime", numbered in byte order, attached to the anime in the window. */
static int read_genres(catlog_ctx *ctx, refresh_state *st)
{
    PGresult *r = db_query(ctx, "reading genres",
                           "SELECT \"malId\", unnest(\"genres\") FROM \"ProcessedAnime\"", 0, NULL);
    if (!r) return -1;
    int rows = PQntuples(r);
    int *owner = xrealloc(NULL, sizeof(int) * (size_t)rows);
    int *gid = xrealloc(NULL, sizeof(int) * (size_t)rows);
    /* Intern the names: open addressing over the genre ids. */
    int cap = 256, *slots = xrealloc(NULL, sizeof(int) * (size_t)cap);
    for (int i = 0; i < cap; i++) slots[i] = -1;
    for (int i = 0; i < rows; i++) {
        owner[i] = anime_index(st, atoi(PQgetvalue(r, i, 0)), false);
        gid[i] = -1;
        if (owner[i] < 0 || PQgetisnull(r, i, 1)) continue;
        const char *name = PQgetvalue(r, i, 1);
        unsigned s = slot_of(hash_text(name), cap);
        while (slots[s] >= 0 && strcmp(st->genre_names[slots[s]], name) != 0) s = (s + 1) & (unsigned)(cap - 1);
        if (slots[s] < 0) {
            st->genre_names = xrealloc(st->genre_names, sizeof(char *) * (size_t)(st->n_genres + 1));
            st->genre_names[st->n_genres] = xstrdup(name);
            slots[s] = st->n_genres++;
        }
        gid[i] = slots[s];
        if (st->n_genres * 2 > cap) {   /* keep the table at most half full */
            free(slots);
            cap *= 2;
            slots = xrealloc(NULL, sizeof(int) * (size_t)cap);
            for (int k = 0; k < cap; k++) slots[k] = -1;
            for (int g = 0; g < st->n_genres; g++) {
                unsigned t = slot_of(hash_text(st->genre_names[g]), cap);
                while (slots[t] >= 0) t = (t + 1) & (unsigned)(cap - 1);
                slots[t] = g;
            }
        }
        st->anime[owner[i]].genre_count++;
    }
    free(slots);
    PQclear(r);
    /* Renumber in byte order, so pairs (a < b) name genreA < genreB. */
    char **sorted = xrealloc(NULL, sizeof(char *) * (size_t)(st->n_genres ? st->n_genres : 1));
    if (st->n_genres) memcpy(sorted, st->genre_names, sizeof(char *) * (size_t)st->n_genres);
    qsort(sorted, (size_t)st->n_genres, sizeof(char *), cmp_name);
    int *renumber = xrealloc(NULL, sizeof(int) * (size_t)(st->n_genres ? st->n_genres : 1));
    for (int g = 0; g < st->n_genres; g++) {
        char **hit = bsearch(&st->genre_names[g], sorted, (size_t)st->n_genres, sizeof(char *), cmp_name);
        renumber[g] = (int)(hit - sorted);
    }
    free(st->genre_names);
    st->genre_names = sorted;
    int off = 0;
    for (int a = 0; a < st->n_anime; a++) {
        st->anime[a].genre_first = off;
        off += st->anime[a].genre_count;
        st->anime[a].genre_count = 0;
    }
    st->anime_genres = xrealloc(NULL, sizeof(int) * (size_t)(off ? off : 1));
    for (int i = 0; i < rows; i++) {
        if (gid[i] < 0) continue;
        anime_rec *a = &st->anime[owner[i]];
        st->anime_genres[a->genre_first + a->genre_count++] = renumber[gid[i]];
    }
    for (int a = 0; a < st->n_anime; a++) {   /* a genre listed twice counts once */
        anime_rec *rec = &st->anime[a];
        int *g = st->anime_genres + rec->genre_first, k = 0;
        qsort(g, (size_t)rec->genre_count, sizeof(int), refresh_cmp_int);
        for (int i = 0; i < rec->genre_count; i++)
            if (i == 0 || g[i] != g[i - 1]) g[k++] = g[i];
        rec->genre_count = k;
    }
    free(renumber);
    free(owner);
    free(gid);
    return 0;
}

int refresh_read(catlog_ctx *ctx, refresh_state *st, const char *as_of)
{
    int rc = read_window(ctx, st, as_of);
    if (rc == 0) rc = group_rows(st);
    if (rc == 0) rc = read_members(ctx, st, as_of);
    if (rc == 0) rc = read_genres(ctx, st);
    return rc;
}
