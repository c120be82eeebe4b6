#include "analytics/refresh.h"

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "analytics/series.h"
#include "analytics/stats.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/progress.h"
#include "db/copy.h"
#include "db/db.h"

/* Windows (days ending at A) and thresholds of the analytics specification. */
enum { W7 = 7, W30 = 30, W90 = 90 };
#define MIN_COMMON_DATES 10     /* genre pairs */
#define MIN_SCORE_CHANGES 10    /* market correlation */
#define ALPHA 0.05              /* significance level of the trend fits */
/* Serialises concurrent refreshes (any constant works; this spells "CATR"). */
#define REFRESH_LOCK_KEY "1128354898"

typedef struct {
    int mal_id;
    int first, count;               /* slice of refresh_state.points, ordered by day */
    int genre_first, genre_count;   /* slice of refresh_state.anime_genres, distinct ids */
    int change_first, change_count; /* slice of the W30 score changes */
    double vol7, vol30, vol90;
    int momentum;                   /* "rankMomentum" at A, or SERIES_NULL */
    bool on_as_of;                  /* has a snapshot on A */
    int score_as_of, members_as_of; /* its values on A, or SERIES_NULL */
} anime_rec;

typedef struct {
    int mal_id;
    series_point p;
} raw_row;

/* The rows of one COPY stream, in the order they arrived. */
typedef struct {
    raw_row *rows;
    long long n, cap;
} raw_rows;

typedef struct {
    int *slots;                     /* malId -> anime index (open addressing), -1 = empty */
    int cap;
    anime_rec *anime;
    int n_anime, cap_anime;
    raw_rows raw[2];                /* older half of the window, newer half */
    long long n_raw;
    series_point *points;
    char **genre_names;             /* byte order */
    int n_genres;
    int *anime_genres;
    int *change_days, *change_vals;
    long long n_changes;
} refresh_state;

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

static void state_free(refresh_state *st)
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

/* --- reading ------------------------------------------------------------------------- */

/* A NUMERIC with at most two decimals ("8.12", "-0.5", "7") as hundredths, or \N. */
static const char *parse_hundredths(const char *s, const char *end, int *out, bool *ok)
{
    if (end - s >= 2 && s[0] == '\\' && s[1] == 'N') {
        *out = SERIES_NULL;
        return s + 2;
    }
    bool neg = s < end && *s == '-';
    if (neg) s++;
    long long v = 0;
    const char *start = s;
    while (s < end && *s >= '0' && *s <= '9' && v < 100000000LL) v = v * 10 + (*s++ - '0');
    if (s == start) *ok = false;
    int frac = 0, digits = 0;
    if (s < end && *s == '.') {
        s++;
        while (s < end && *s >= '0' && *s <= '9') {
            if (digits < 2) frac = frac * 10 + (*s - '0');
            else if (*s != '0') *ok = false;   /* finer than hundredths */
            digits++;
            s++;
        }
    }
    if (digits == 1) frac *= 10;
    v = v * 100 + frac;
    if (v > 2147483647LL) *ok = false;
    *out = (int)(neg ? -v : v);
    return s;
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
    s = parse_hundredths(s, end, &score, &ok);
    if (!ok || mal_id == SERIES_NULL || day == SERIES_NULL || s >= end || *s != '\n') return -1;
    if (raw->n == raw->cap) {
        raw->cap = raw->cap ? raw->cap * 2 : 1 << 16;
        raw->rows = xrealloc(raw->rows, sizeof(raw_row) * (size_t)raw->cap);
    }
    raw->rows[raw->n++] = (raw_row){mal_id, {day, rank, score}};
    return 0;
}

/* One COPY ... TO STDOUT being read without blocking. */
typedef struct {
    PGconn *conn;
    raw_rows *into;
    bool active;
} copy_stream;

/* "step: first line of the message" for a connection other than ctx->db. */
static void report_conn(PGconn *conn, const char *step, const PGresult *res)
{
    const char *msg = res ? PQresultErrorMessage(res) : "";
    if (!*msg) msg = PQerrorMessage(conn);
    if (strncmp(msg, "ERROR:  ", 8) == 0) msg += 8;
    const char *nl = strchr(msg, '\n');
    log_error("%s: %.*s", step, nl ? (int)(nl - msg) : (int)strlen(msg), msg);
}

static int copy_send(copy_stream *s, const char *step, const char *as_of, int from_day, int to_day)
{
    buf sql = BUF_INIT;
    buf_printf(&sql,
               "COPY (SELECT \"malId\", \"snapshotDate\" - DATE '%s', \"rank\", \"score\""
               " FROM \"DailyRankings\""
               " WHERE \"snapshotDate\" BETWEEN DATE '%s' + %d AND DATE '%s' + %d) TO STDOUT",
               as_of, as_of, from_day, as_of, to_day);
    int ok = PQsendQuery(s->conn, buf_cstr(&sql));
    buf_free(&sql);
    if (!ok) {
        report_conn(s->conn, step, NULL);
        return -1;
    }
    PGresult *r = PQgetResult(s->conn);
    ok = PQresultStatus(r) == PGRES_COPY_OUT;
    if (!ok) report_conn(s->conn, step, r);
    PQclear(r);
    if (!ok) {
        while ((r = PQgetResult(s->conn)) != NULL) PQclear(r);
        return -1;
    }
    s->active = true;
    return 0;
}

/* Drains whatever rows have arrived. Returns 1 when the stream ended, 0 to wait, -1 on error. */
static int copy_drain(copy_stream *s, const char *step)
{
    if (!PQconsumeInput(s->conn)) {
        report_conn(s->conn, step, NULL);
        return -1;
    }
    char *line;
    int len;
    while ((len = PQgetCopyData(s->conn, &line, 1)) > 0) {
        int bad = add_row(s->into, line, len);
        if (bad) log_error("%s: unexpected row '%.*s'", step, len > 80 ? 80 : len, line);
        PQfreemem(line);
        if (bad) return -1;
    }
    if (len == 0) return 0;
    if (len == -2) {
        report_conn(s->conn, step, NULL);
        return -1;
    }
    int rc = 1;
    PGresult *r;
    while ((r = PQgetResult(s->conn)) != NULL) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK) {
            if (rc == 1) report_conn(s->conn, step, r);
            rc = -1;
        }
        PQclear(r);
    }
    return rc;
}

/* Reads the streams to their ends, waiting on their sockets. */
static int copy_read_all(copy_stream *streams, int n, const char *step)
{
    int rc = 0, active = n;
    while (active > 0 && rc == 0) {
        struct pollfd fds[2];
        int nfds = 0;
        for (int i = 0; i < n && rc == 0; i++) {
            if (!streams[i].active) continue;
            int d = copy_drain(&streams[i], step);
            if (d != 0) {
                streams[i].active = false;
                active--;
                if (d < 0) rc = -1;
            } else {
                fds[nfds].fd = PQsocket(streams[i].conn);
                fds[nfds].events = POLLIN;
                nfds++;
            }
        }
        if (rc == 0 && nfds > 0 && poll(fds, (nfds_t)nfds, -1) < 0 && errno != EINTR) {
            log_error("%s: poll: %s", step, strerror(errno));
            rc = -1;
        }
    }
    return rc;
}

/* A second connection reading in the same snapshot as ctx->db, or NULL (then ctx->db
 * reads everything: slower, same result). */
static PGconn *open_reader(catlog_ctx *ctx, const char *snapshot)
{
    PGconn *c = PQconnectdb(ctx->database_url ? ctx->database_url : "");
    if (!c || PQstatus(c) != CONNECTION_OK) {
        PQfinish(c);
        return NULL;
    }
    buf sql = BUF_INIT;
    buf_printf(&sql, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '%s';"
                     " SET LOCAL jit = off", snapshot);
    PGresult *r = PQexec(c, buf_cstr(&sql));
    buf_free(&sql);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (!ok) {
        PQfinish(c);
        return NULL;
    }
    return c;
}

/* Streams the 90-day window A-89..A: the older and the newer half in parallel on two
 * connections sharing one snapshot (the server scans both at once). */
static int read_window(catlog_ctx *ctx, refresh_state *st, const char *as_of)
{
    const char *step = "reading the 90-day ranking window";
    const int split = -(W90 / 2);   /* older half: A-89 .. A-46, newer: A-45 .. A */
    PGresult *r = db_query(ctx, step, "SELECT pg_export_snapshot()", 0, NULL);
    if (!r) return -1;
    PGconn *aux = open_reader(ctx, PQgetvalue(r, 0, 0));
    PQclear(r);
    copy_stream streams[2] = {{aux ? aux : ctx->db, &st->raw[0], false}, {ctx->db, &st->raw[1], false}};
    int rc;
    if (aux) {
        rc = copy_send(&streams[0], step, as_of, -(W90 - 1), split - 1);
        if (rc == 0) rc = copy_send(&streams[1], step, as_of, split, 0);
        if (rc == 0) rc = copy_read_all(streams, 2, step);
        PGresult *end = PQexec(aux, "COMMIT");
        PQclear(end);
        PQfinish(aux);
    } else {
        rc = copy_send(&streams[0], step, as_of, -(W90 - 1), split - 1);
        if (rc == 0) rc = copy_read_all(streams, 1, step);
        if (rc == 0) rc = copy_send(&streams[1], step, as_of, split, 0);
        if (rc == 0) rc = copy_read_all(streams + 1, 1, step);
    }
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
                log_error("reading the 90-day ranking window: malId %d has two snapshots on one date",
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

static int cmp_int(const void *a, const void *b)
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
        qsort(g, (size_t)rec->genre_count, sizeof(int), cmp_int);
        for (int i = 0; i < rec->genre_count; i++)
            if (i == 0 || g[i] != g[i - 1]) g[k++] = g[i];
        rec->genre_count = k;
    }
    free(renumber);
    free(owner);
    free(gid);
    return 0;
}

/* --- COPY binary output ---------------------------------------------------------------- */

/* PostgreSQL's binary COPY format: exact doubles, and nothing to format or parse. */
typedef struct {
    buf b;
    long long rows;
} bincopy;

static void be16(buf *b, uint16_t v)
{
    unsigned char c[2] = {(unsigned char)(v >> 8), (unsigned char)v};
    buf_append(b, c, 2);
}

static void be32(buf *b, uint32_t v)
{
    unsigned char c[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
                          (unsigned char)v};
    buf_append(b, c, 4);
}

static void be64(buf *b, uint64_t v)
{
    be32(b, (uint32_t)(v >> 32));
    be32(b, (uint32_t)v);
}

static void bc_start(bincopy *c)
{
    buf_append(&c->b, "PGCOPY\n\377\r\n\0", 11);
    be32(&c->b, 0);   /* flags */
    be32(&c->b, 0);   /* header extension length */
}

static void bc_row(bincopy *c, int fields)
{
    be16(&c->b, (uint16_t)fields);
    c->rows++;
}

static void bc_null(bincopy *c) { be32(&c->b, 0xFFFFFFFFu); }

static void bc_int(bincopy *c, int v)
{
    if (v == SERIES_NULL) {
        bc_null(c);
        return;
    }
    be32(&c->b, 4);
    be32(&c->b, (uint32_t)v);
}

static void bc_double(bincopy *c, double v)
{
    if (isnan(v)) {
        bc_null(c);
        return;
    }
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    be32(&c->b, 8);
    be64(&c->b, u);
}

static void bc_date(bincopy *c, date_day d)
{
    be32(&c->b, 4);
    be32(&c->b, (uint32_t)(d - 10957));   /* days since 2000-01-01 */
}

static void bc_text(bincopy *c, const char *s)
{
    if (!s) {
        bc_null(c);
        return;
    }
    size_t n = strlen(s);
    be32(&c->b, (uint32_t)n);
    buf_append(&c->b, s, n);
}

static void bc_bool(bincopy *c, bool v)
{
    be32(&c->b, 1);
    buf_putc(&c->b, v ? 1 : 0);
}

/* NUMERIC from hundredths: base-10000 digits, weight of the first, sign, 2 decimals. */
static void bc_hundredths(bincopy *c, int v)
{
    if (v == SERIES_NULL) {
        bc_null(c);
        return;
    }
    uint32_t u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
    uint32_t ip = u / 100, frac = u % 100;
    uint16_t digits[4];
    int n = 0, weight = -1;
    uint16_t int_digits[3];
    int ni = 0;
    for (uint32_t x = ip; x; x /= 10000) int_digits[ni++] = (uint16_t)(x % 10000);
    for (int i = ni - 1; i >= 0; i--) digits[n++] = int_digits[i];
    if (ni) weight = ni - 1;
    if (frac) digits[n++] = (uint16_t)(frac * 100);
    if (!n) weight = 0;
    be32(&c->b, (uint32_t)(8 + 2 * n));
    be16(&c->b, (uint16_t)n);
    be16(&c->b, (uint16_t)(int16_t)weight);
    be16(&c->b, v < 0 ? 0x4000 : 0x0000);
    be16(&c->b, 2);
    for (int i = 0; i < n; i++) be16(&c->b, digits[i]);
}

static void bc_finish(bincopy *c) { be16(&c->b, 0xFFFF); }

typedef struct {
    bincopy momentum, trend, volatility, percentiles, correlation;
} outputs;

/* --- computing ------------------------------------------------------------------------- */

typedef struct {
    long long *sum;   /* [genre * W90 + day + 89]: hundredths */
    int *count;
} genre_days;

static void emit_trend(outputs *o, date_day as_of, int mal_id, const char *metric, int window,
                       const stats_fit *f)
{
    bincopy *c = &o->trend;
    bool significant = !isnan(f->p_value) && f->p_value < ALPHA;
    bc_row(c, 13);
    bc_date(c, as_of);
    bc_int(c, mal_id);
    bc_text(c, metric);
    bc_int(c, window);
    bc_int(c, f->n);
    bc_double(c, f->slope);
    bc_double(c, f->intercept);
    bc_double(c, f->r_squared);
    bc_double(c, f->std_err);
    bc_double(c, f->t_stat);
    bc_double(c, f->p_value);
    bc_bool(c, significant);
    bc_text(c, !significant ? "flat" : f->slope > 0 ? "up" : "down");
}

/* Per anime: momentum, trend fits, volatility, W30 score changes (summed into the market)
 * and W90 scores (summed into each of its genres' daily means). */
static void compute_anime(refresh_state *st, outputs *o, date_day as_of, genre_days *gd,
                          long long market_sum[W30], int market_count[W30])
{
    size_t cap = (size_t)(st->n_anime ? st->n_anime : 1) * (W30 - 1);
    st->change_days = xrealloc(NULL, sizeof(int) * cap);
    st->change_vals = xrealloc(NULL, sizeof(int) * cap);
    static const struct {
        series_metric metric;
        const char *name;
        int window;
    } fits[] = {
        {SERIES_SCORE, "score", W30}, {SERIES_SCORE, "score", W90},
        {SERIES_RANK, "rank", W30},   {SERIES_RANK, "rank", W90},
    };
    for (int a = 0; a < st->n_anime; a++) {
        anime_rec *rec = &st->anime[a];
        const series_point *p = st->points + rec->first;
        int n = rec->count;

        series_momentum m;
        if (series_momentum_of(p, n, W30, &m)) {
            bincopy *c = &o->momentum;
            bc_row(c, 9);
            bc_date(c, as_of);
            bc_int(c, rec->mal_id);
            bc_int(c, m.first_rank);
            bc_int(c, m.last_rank);
            bc_int(c, m.rank_momentum);
            bc_double(c, m.avg_rank);
            bc_double(c, m.rank_volatility);
            bc_hundredths(c, m.score_momentum);
            bc_int(c, m.n_days);
            rec->momentum = m.rank_momentum;
        }

        for (size_t i = 0; i < sizeof fits / sizeof fits[0]; i++) {
            stats_fit f;
            if (series_trend(p, n, fits[i].window, fits[i].metric, &f))
                emit_trend(o, as_of, rec->mal_id, fits[i].name, fits[i].window, &f);
        }

        rec->vol7 = series_rank_volatility(p, n, W7);
        rec->vol30 = series_rank_volatility(p, n, W30);
        rec->vol90 = series_rank_volatility(p, n, W90);

        /* One snapshot a day: at most W30 - 1 changes in the window. */
        int *days = st->change_days + st->n_changes, *vals = st->change_vals + st->n_changes;
        int k = series_score_changes(p, n, W30, days, vals);
        for (int i = 0; i < k; i++) {
            market_sum[days[i] + W30 - 1] += vals[i];
            market_count[days[i] + W30 - 1]++;
        }
        rec->change_first = (int)st->n_changes;
        rec->change_count = k;
        st->n_changes += k;

        const int *genres = st->anime_genres + rec->genre_first;
        for (int i = 0; i < n; i++) {
            if (p[i].day <= -W90 || p[i].day > 0 || p[i].score == SERIES_NULL) continue;
            size_t d = (size_t)(p[i].day + W90 - 1);
            for (int g = 0; g < rec->genre_count; g++) {
                gd->sum[(size_t)genres[g] * W90 + d] += p[i].score;
                gd->count[(size_t)genres[g] * W90 + d]++;
            }
        }
    }
}

typedef struct {
    double v;
    int mal_id;
    int anime;
} vol_entry;

static int cmp_vol(const void *a, const void *b)
{
    const vol_entry *x = a, *y = b;
    if (x->v != y->v) return x->v < y->v ? -1 : 1;
    return (x->mal_id > y->mal_id) - (x->mal_id < y->mal_id);
}

/* "VolatilityRankings" for the anime with at least two ranked snapshots in W90;
 * stabilityRank = rank() by volatility30 ascending (exact ties share a rank). */
static void compute_volatility(refresh_state *st, outputs *o, date_day as_of)
{
    size_t n = (size_t)(st->n_anime ? st->n_anime : 1);
    vol_entry *e = xrealloc(NULL, sizeof(vol_entry) * n);
    int *stability = xrealloc(NULL, sizeof(int) * n), k = 0;
    for (int a = 0; a < st->n_anime; a++) {
        stability[a] = SERIES_NULL;
        if (!isnan(st->anime[a].vol30)) e[k++] = (vol_entry){st->anime[a].vol30, st->anime[a].mal_id, a};
    }
    qsort(e, (size_t)k, sizeof *e, cmp_vol);
    for (int i = 0; i < k; i++)
        stability[e[i].anime] = i > 0 && e[i].v == e[i - 1].v ? stability[e[i - 1].anime] : i + 1;
    for (int a = 0; a < st->n_anime; a++) {
        const anime_rec *rec = &st->anime[a];
        if (isnan(rec->vol90)) continue;
        bincopy *c = &o->volatility;
        bc_row(c, 7);
        bc_date(c, as_of);
        bc_int(c, rec->mal_id);
        bc_double(c, rec->vol7);
        bc_double(c, rec->vol30);
        bc_double(c, rec->vol90);
        bc_int(c, stability[a]);
        bc_text(c, isnan(rec->vol30) ? NULL : rec->vol30 < 1.0 ? "stable"
                                             : rec->vol30 < 5.0 ? "moderate" : "volatile");
    }
    free(e);
    free(stability);
}

/* "TrendCorrelation", kind market: an anime's W30 score changes against the mean change of
 * every anime with one on the same date. */
static void compute_market(refresh_state *st, outputs *o, date_day as_of,
                           const long long market_sum[W30], const int market_count[W30])
{
    double market[W30], xs[W30], ys[W30];
    for (int d = 0; d < W30; d++)
        market[d] = market_count[d] ? (double)market_sum[d] / market_count[d] : NAN;
    for (int a = 0; a < st->n_anime; a++) {
        const anime_rec *rec = &st->anime[a];
        if (rec->change_count < MIN_SCORE_CHANGES) continue;
        for (int i = 0; i < rec->change_count; i++) {
            xs[i] = st->change_vals[rec->change_first + i];
            ys[i] = market[st->change_days[rec->change_first + i] + W30 - 1];
        }
        bincopy *c = &o->correlation;
        bc_row(c, 7);
        bc_date(c, as_of);
        bc_text(c, "market");
        bc_null(c);
        bc_null(c);
        bc_int(c, rec->mal_id);
        bc_double(c, stats_pearson(xs, ys, rec->change_count));
        bc_int(c, rec->change_count);
    }
}

/* "TrendCorrelation", kind genre_pair: two genres' daily mean scores over W90, on the
 * dates where both have one. */
static void compute_genre_pairs(refresh_state *st, outputs *o, date_day as_of, const genre_days *gd)
{
    double xs[W90], ys[W90];
    for (int ga = 0; ga < st->n_genres; ga++) {
        for (int gb = ga + 1; gb < st->n_genres; gb++) {
            int n = 0;
            for (int d = 0; d < W90; d++) {
                size_t ia = (size_t)ga * W90 + (size_t)d, ib = (size_t)gb * W90 + (size_t)d;
                if (!gd->count[ia] || !gd->count[ib]) continue;
                xs[n] = (double)gd->sum[ia] / gd->count[ia] / 100.0;
                ys[n] = (double)gd->sum[ib] / gd->count[ib] / 100.0;
                n++;
            }
            if (n < MIN_COMMON_DATES) continue;
            bincopy *c = &o->correlation;
            bc_row(c, 7);
            bc_date(c, as_of);
            bc_text(c, "genre_pair");
            bc_text(c, st->genre_names[ga]);
            bc_text(c, st->genre_names[gb]);
            bc_null(c);
            bc_double(c, stats_pearson(xs, ys, n));
            bc_int(c, n);
        }
    }
}

/* PostgreSQL's percent_rank() of v among the sorted non-null values: (rank - 1) / (n - 1),
 * rank counting from 1 with ties sharing the lowest; 0 for a single value. */
static double percent_rank_of(const int *sorted, int n, int v)
{
    if (v == SERIES_NULL) return NAN;
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (sorted[mid] < v) lo = mid + 1;
        else hi = mid;
    }
    return n > 1 ? (double)lo / (double)(n - 1) : 0.0;
}

/* PostgreSQL's percentile_cont(f) over sorted doubles (float8 linear interpolation). */
static double percentile_cont_of(const double *sorted, int n, double f)
{
    if (n == 0) return NAN;
    double pos = f * (n - 1);
    double lo = floor(pos), hi = ceil(pos);
    if (lo == hi) return sorted[(int)lo];
    double a = sorted[(int)lo], b = sorted[(int)hi];
    return a + ((pos - lo) * (b - a));
}

/* "GenrePercentiles": per genre, the anime with a snapshot on A. */
static void compute_percentiles(refresh_state *st, outputs *o, date_day as_of)
{
    size_t n_members = 0;
    int *start = xrealloc(NULL, sizeof(int) * (size_t)(st->n_genres + 1));
    memset(start, 0, sizeof(int) * (size_t)(st->n_genres + 1));
    for (int a = 0; a < st->n_anime; a++)
        if (st->anime[a].on_as_of)
            for (int i = 0; i < st->anime[a].genre_count; i++) {
                start[st->anime_genres[st->anime[a].genre_first + i] + 1]++;
                n_members++;
            }
    for (int g = 0; g < st->n_genres; g++) start[g + 1] += start[g];
    int *members = xrealloc(NULL, sizeof(int) * (n_members ? n_members : 1));
    int *fill = xrealloc(NULL, sizeof(int) * (size_t)(st->n_genres ? st->n_genres : 1));
    memcpy(fill, start, sizeof(int) * (size_t)st->n_genres);
    for (int a = 0; a < st->n_anime; a++)
        if (st->anime[a].on_as_of)
            for (int i = 0; i < st->anime[a].genre_count; i++)
                members[fill[st->anime_genres[st->anime[a].genre_first + i]]++] = a;
    size_t most = 1;
    for (int g = 0; g < st->n_genres; g++)
        if ((size_t)(start[g + 1] - start[g]) > most) most = (size_t)(start[g + 1] - start[g]);
    int *scores = xrealloc(NULL, sizeof(int) * most), *mem = xrealloc(NULL, sizeof(int) * most);
    int *mom = xrealloc(NULL, sizeof(int) * most);
    double *fscores = xrealloc(NULL, sizeof(double) * most);
    for (int g = 0; g < st->n_genres; g++) {
        int ns = 0, nm = 0, nk = 0, count = start[g + 1] - start[g];
        if (!count) continue;
        const int *list = members + start[g];
        for (int i = 0; i < count; i++) {
            const anime_rec *rec = &st->anime[list[i]];
            if (rec->score_as_of != SERIES_NULL) scores[ns++] = rec->score_as_of;
            if (rec->members_as_of != SERIES_NULL) mem[nm++] = rec->members_as_of;
            if (rec->momentum != SERIES_NULL) mom[nk++] = rec->momentum;
        }
        qsort(scores, (size_t)ns, sizeof(int), cmp_int);
        qsort(mem, (size_t)nm, sizeof(int), cmp_int);
        qsort(mom, (size_t)nk, sizeof(int), cmp_int);
        bincopy *c = &o->percentiles;
        for (int i = 0; i < count; i++) {
            const anime_rec *rec = &st->anime[list[i]];
            bc_row(c, 10);
            bc_date(c, as_of);
            bc_text(c, st->genre_names[g]);
            bc_int(c, rec->mal_id);
            bc_double(c, percent_rank_of(scores, ns, rec->score_as_of));
            bc_double(c, percent_rank_of(mem, nm, rec->members_as_of));
            bc_double(c, percent_rank_of(mom, nk, rec->momentum));
            for (int q = 0; q < 4; q++) bc_null(c);
        }
        for (int i = 0; i < ns; i++) fscores[i] = scores[i] / 100.0;   /* = score::float8 */
        bc_row(c, 10);
        bc_date(c, as_of);
        bc_text(c, st->genre_names[g]);
        for (int q = 0; q < 4; q++) bc_null(c);
        bc_double(c, percentile_cont_of(fscores, ns, 0.25));
        bc_double(c, percentile_cont_of(fscores, ns, 0.5));
        bc_double(c, percentile_cont_of(fscores, ns, 0.75));
        bc_double(c, percentile_cont_of(fscores, ns, 0.9));
    }
    free(start);
    free(members);
    free(fill);
    free(scores);
    free(mem);
    free(mom);
    free(fscores);
}

/* --- writing ------------------------------------------------------------------------- */

static int copy_in(catlog_ctx *ctx, const char *table, const char *columns, bincopy *data)
{
    buf sql = BUF_INIT, step = BUF_INIT;
    buf_printf(&sql, "COPY \"%s\" (%s) FROM STDIN (FORMAT binary)", table, columns);
    buf_printf(&step, "writing \"%s\"", table);
    bc_finish(data);
    int rc = db_copy_begin(ctx, buf_cstr(&step), buf_cstr(&sql));
    if (rc == 0) {
        rc = db_copy_put(ctx, buf_cstr(&step), data->b.data, data->b.len);
        if (db_copy_end(ctx, buf_cstr(&step)) != 0) rc = -1;
    }
    buf_free(&sql);
    buf_free(&step);
    return rc;
}

static int write_tables(catlog_ctx *ctx, const char *as_of, outputs *o)
{
    const char *params[1] = {as_of};
    static const char *const tables[] = {"RollingMomentumAnalysis", "TrendSignificance",
                                         "VolatilityRankings", "GenrePercentiles", "TrendCorrelation"};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
        buf sql = BUF_INIT, step = BUF_INIT;
        buf_printf(&sql, "DELETE FROM \"%s\" WHERE \"asOf\" = $1::date", tables[i]);
        buf_printf(&step, "clearing \"%s\" for %s", tables[i], as_of);
        PGresult *r = db_query(ctx, buf_cstr(&step), buf_cstr(&sql), 1, params);
        buf_free(&sql);
        buf_free(&step);
        if (!r) return -1;
        PQclear(r);
    }
    if (copy_in(ctx, "RollingMomentumAnalysis",
                "\"asOf\", \"malId\", \"firstRank\", \"lastRank\", \"rankMomentum\", \"avgRank\","
                " \"rankVolatility\", \"scoreMomentum\", \"nDays\"",
                &o->momentum) != 0)
        return -1;
    if (copy_in(ctx, "TrendSignificance",
                "\"asOf\", \"malId\", \"metric\", \"windowDays\", \"n\", \"slope\", \"intercept\","
                " \"rSquared\", \"stdErr\", \"tStat\", \"pValue\", \"significant\", \"direction\"",
                &o->trend) != 0)
        return -1;
    if (copy_in(ctx, "VolatilityRankings",
                "\"asOf\", \"malId\", \"volatility7\", \"volatility30\", \"volatility90\","
                " \"stabilityRank\", \"class\"",
                &o->volatility) != 0)
        return -1;
    if (copy_in(ctx, "GenrePercentiles",
                "\"asOf\", \"genre\", \"malId\", \"scorePercentile\", \"membersPercentile\","
                " \"momentumPercentile\", \"p25\", \"p50\", \"p75\", \"p90\"",
                &o->percentiles) != 0)
        return -1;
    if (copy_in(ctx, "TrendCorrelation", "\"asOf\", \"kind\", \"genreA\", \"genreB\", \"malId\", \"r\", \"n\"",
                &o->correlation) != 0)
        return -1;
    return 0;
}

int refresh_run(catlog_ctx *ctx, date_day as_of_day, refresh_summary *out)
{
    memset(out, 0, sizeof *out);
    if (db_connect(ctx) != 0) return -1;
    if (PQtransactionStatus(ctx->db) != PQTRANS_IDLE) {
        log_error("analytics refresh: the connection is already inside a transaction; refresh commits its own");
        return -1;
    }
    char as_of[11];
    date_format(as_of_day, as_of);
    refresh_state st;
    memset(&st, 0, sizeof st);
    outputs o;
    memset(&o, 0, sizeof o);
    bincopy *all[] = {&o.momentum, &o.trend, &o.volatility, &o.percentiles, &o.correlation};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) bc_start(all[i]);
    genre_days gd = {NULL, NULL};
    double t0 = progress_now();
    /* One snapshot of the data for reading and writing; one refresh at a time. Short
     * set-based statements: compiling them (JIT) costs more than it saves. */
    int rc = db_exec(ctx, "starting the analytics refresh",
                     "BEGIN ISOLATION LEVEL REPEATABLE READ;"
                     " SET LOCAL jit = off;"
                     " SELECT pg_advisory_xact_lock(" REFRESH_LOCK_KEY ")");
    if (rc != 0) return -1;
    rc = read_window(ctx, &st, as_of);
    long long rows = st.n_raw;
    if (rc == 0) rc = group_rows(&st);
    if (rc == 0) rc = read_members(ctx, &st, as_of);
    if (rc == 0) rc = read_genres(ctx, &st);
    double t1 = progress_now();
    if (rc == 0) {
        long long market_sum[W30] = {0};
        int market_count[W30] = {0};
        size_t cells = (size_t)(st.n_genres ? st.n_genres : 1) * W90;
        gd.sum = xrealloc(NULL, cells * sizeof *gd.sum);
        gd.count = xrealloc(NULL, cells * sizeof *gd.count);
        memset(gd.sum, 0, cells * sizeof *gd.sum);
        memset(gd.count, 0, cells * sizeof *gd.count);
        compute_anime(&st, &o, as_of_day, &gd, market_sum, market_count);
        compute_volatility(&st, &o, as_of_day);
        compute_market(&st, &o, as_of_day, market_sum, market_count);
        compute_genre_pairs(&st, &o, as_of_day, &gd);
        compute_percentiles(&st, &o, as_of_day);
    }
    double t2 = progress_now();
    if (rc == 0) rc = write_tables(ctx, as_of, &o);
    if (rc == 0) rc = db_exec(ctx, "committing the analytics refresh", "COMMIT");
    else db_exec(ctx, "rolling back the analytics refresh", "ROLLBACK");
    if (rc == 0) {
        out->snapshots = rows;
        out->anime = st.n_anime;
        out->genres = st.n_genres;
        out->momentum_rows = o.momentum.rows;
        out->trend_rows = o.trend.rows;
        out->volatility_rows = o.volatility.rows;
        out->percentile_rows = o.percentiles.rows;
        out->correlation_rows = o.correlation.rows;
        out->read_seconds = t1 - t0;
        out->compute_seconds = t2 - t1;
        out->write_seconds = progress_now() - t2;
    }
    free(gd.sum);
    free(gd.count);
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) buf_free(&all[i]->b);
    state_free(&st);
    return rc;
}
