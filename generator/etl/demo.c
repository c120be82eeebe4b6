#include "etl/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/digest.h"
#include "core/log.h"
#include "core/progress.h"
#include "core/rng.h"
#include "db/copy.h"
#include "db/db.h"
#include "db/history.h"

/* Real MyAnimeList genre names and studios, so pages and genre analytics look real. */
static const char *const GENRES[] = {
    "Action", "Adventure", "Avant Garde", "Award Winning", "Boys Love", "Comedy", "Drama",
    "Fantasy", "Girls Love", "Gourmet", "Horror", "Mystery", "Romance", "Sci-Fi",
    "Slice of Life", "Sports", "Supernatural", "Suspense",
};
static const char *const STUDIOS[] = {
    "Madhouse", "Bones", "Sunrise", "Kyoto Animation", "Wit Studio", "MAPPA", "Production I.G",
    "ufotable", "A-1 Pictures", "Toei Animation", "Shaft", "J.C.Staff", "Trigger",
    "CloverWorks", "David Production", "White Fox", "Studio Ghibli", "P.A. Works",
};
static const char *const TITLE_A[] = {
    "Shining", "Silent", "Crimson", "Eternal", "Hidden", "Broken", "Golden", "Wandering",
    "Last", "Azure", "Midnight", "Iron", "Frozen", "Burning", "Quiet", "Endless", "Lost",
    "Scarlet", "Hollow", "Starlit", "Restless", "Phantom", "Gentle", "Savage",
};
static const char *const TITLE_B[] = {
    "Blade", "Garden", "Horizon", "Requiem", "Academy", "Chronicle", "Symphony", "Alchemist",
    "Frontier", "Shrine", "Voyage", "Hunter", "Kingdom", "Melody", "Detective", "Witch",
    "Samurai", "Pilot", "Bakery", "Lighthouse", "Orchestra", "Tournament", "Ghost", "Station",
};
static const char *const TITLE_SUFFIX[] = {
    "", "", "", "", " Season 2", " Season 3", ": Final Act", ": The Movie", " 2nd Season",
    " Kōhen", ": Brotherhood", " Zero",
};
static const char *const RATINGS[] = {
    "G - All Ages", "PG - Children", "PG-13 - Teens 13 or older",
    "R - 17+ (violence & profanity)", "R+ - Mild Nudity",
};
static const char *const SEASONS[] = {"winter", "spring", "summer", "fall"};

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define COPY_CHUNK (1 << 20)   /* bytes handed to COPY at a time */

typedef struct {
    int mal_id;
    int enter_day, leave_day;     /* present on days [enter_day, leave_day) */
    int unscored_until;           /* score (and so rank) NULL before this day */
    int score;                    /* hundredths */
    int bias;                     /* -1 falling, 0 drifting, 1 rising, 2 hyped */
    double members;
    int genre_count;
    const char *genres[4];
    char title[96];
    char title_english[104];   /* "The " + title */
    const char *studio;
    int year;                     /* 0 = NULL (movies, specials) */
    int season;                   /* -1 = NULL */
    int episodes;                 /* 0 = NULL */
    int rating;
    /* per-day state */
    int rank, popularity;         /* 0 = NULL */
    bool present, scored;
    unsigned char *points;        /* its "AnimeHistory" row, filled as the days go by */
    int npoints, last_day;
} demo_anime;

static void make_anime(demo_anime *a, int i, int prev_mal_id, int days, date_day end, rng *r)
{
    memset(a, 0, sizeof *a);
    a->mal_id = prev_mal_id + 1 + (int)rng_below(r, 40);
    (void)i;
    a->enter_day = 0;
    a->leave_day = days;
    if (rng_below(r, 100) < 15) a->enter_day = 1 + (int)rng_below(r, (uint32_t)(days > 1 ? days - 1 : 1));
    if (rng_below(r, 100) < 5) a->leave_day = a->enter_day + 1 + (int)rng_below(r, (uint32_t)(days - a->enter_day));
    a->unscored_until = a->enter_day > 0 ? a->enter_day + (int)rng_below(r, 5) : 0;
    /* Scores cluster like MAL's top list: many around 7.5-8.3, few above 9. */
    a->score = 650 + (int)(rng_unit(r) * rng_unit(r) * 260) + (int)rng_below(r, 30);
    if (a->score > 995) a->score = 995;
    a->bias = (int)rng_below(r, 3) - 1;
    a->members = 5000 + rng_unit(r) * rng_unit(r) * rng_unit(r) * 3.5e6;
    a->genre_count = 1 + (int)rng_below(r, 4);
    int first = (int)rng_below(r, NELEM(GENRES));
    for (int g = 0; g < a->genre_count; g++)   /* distinct: consecutive steps of a stride */
        a->genres[g] = GENRES[(first + g * 5) % NELEM(GENRES)];
    snprintf(a->title, sizeof a->title, "%s %s%s", TITLE_A[rng_below(r, NELEM(TITLE_A))],
             TITLE_B[rng_below(r, NELEM(TITLE_B))], TITLE_SUFFIX[rng_below(r, NELEM(TITLE_SUFFIX))]);
    if (rng_below(r, 100) < 60)
        snprintf(a->title_english, sizeof a->title_english, "The %s", a->title);
    a->studio = STUDIOS[rng_below(r, NELEM(STUDIOS))];
    int end_y, end_m, end_d;
    date_to_ymd(end, &end_y, &end_m, &end_d);
    if (rng_below(r, 100) < 8) {
        a->year = 0;
        a->season = -1;
        a->episodes = 1;
    } else {
        a->year = end_y - (int)(rng_unit(r) * rng_unit(r) * 30);
        a->season = (int)rng_below(r, 4);
        static const int EPISODES[] = {12, 13, 24, 25, 26, 50, 64};
        a->episodes = a->year >= end_y ? 0 : EPISODES[rng_below(r, NELEM(EPISODES))];
    }
    a->rating = (int)rng_below(r, NELEM(RATINGS));
}

/* One day of change: score moves in 0.01 steps (biased by the anime's current trend),
 * members grow, and the trend itself sometimes turns. */
static void step_day(demo_anime *a, rng *r)
{
    if (rng_below(r, 30) == 0) a->bias = (int)rng_below(r, 5) - 2;
    int up = 30 + 10 * a->bias, down = 30 - 10 * a->bias;
    if (down < 5) down = 5;
    int roll = (int)rng_below(r, 100);
    if (roll < up) a->score += 1;
    else if (roll < up + down) a->score -= 1;
    if (a->score > 999) a->score = 999;
    if (a->score < 100) a->score = 100;
    a->members += a->members * (0.0004 + 0.0016 * rng_unit(r)) + (double)rng_below(r, 50);
}

typedef struct {
    demo_anime *anime;
    int n;
} demo_world;

/* Orders by score desc, then members desc, then malId asc. Unscored/absent anime sort last. */
static int rank_cmp(const demo_anime *x, const demo_anime *y)
{
    int xs = x->present && x->scored, ys = y->present && y->scored;
    if (xs != ys) return ys - xs;
    if (x->score != y->score) return y->score - x->score;
    if ((long)x->members != (long)y->members) return (long)y->members > (long)x->members ? 1 : -1;
    return x->mal_id - y->mal_id;
}

static int popularity_cmp(const demo_anime *x, const demo_anime *y)
{
    if (x->present != y->present) return y->present - x->present;
    if ((long)x->members != (long)y->members) return (long)y->members > (long)x->members ? 1 : -1;
    return x->mal_id - y->mal_id;
}

/* Yesterday's order is almost today's: insertion sort is close to linear here. */
static void insertion_sort(int *order, int n, const demo_anime *a,
                           int (*cmp)(const demo_anime *, const demo_anime *))
{
    for (int i = 1; i < n; i++) {
        int v = order[i], j = i - 1;
        while (j >= 0 && cmp(&a[order[j]], &a[v]) > 0) {
            order[j + 1] = order[j];
            j--;
        }
        order[j + 1] = v;
    }
}

static void run_id_for(date_day day, char out[24])
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    snprintf(out, 24, "demo-%04d%02d%02d", y, m, d);
}

static int stream_rankings(catlog_ctx *ctx, const demo_options *opt, demo_world *w, rng *r,
                           long long *rows_out, int *rows_per_day)
{
    const char *step = "loading demo rankings";
    if (db_copy_begin(ctx, step,
                      "COPY \"DailyRankings\" (\"id\", \"malId\", \"snapshotDate\", \"rank\", \"popularity\","
                      " \"score\", \"scoredBy\", \"members\", \"favorites\", \"genres\", \"etlRunId\")"
                      " FROM STDIN WITH (FREEZE)") != 0)
        return -1;
    for (int i = 0; i < w->n; i++) {
        demo_anime *a = &w->anime[i];
        int present = (a->leave_day < opt->days ? a->leave_day : opt->days) - (a->enter_day > 0 ? a->enter_day : 0);
        a->points = xmalloc((size_t)(present > 0 ? present : 1) * HISTORY_POINT_SIZE);
    }
    int *by_rank = xmalloc(sizeof(int) * (size_t)w->n);
    int *by_pop = xmalloc(sizeof(int) * (size_t)w->n);
    for (int i = 0; i < w->n; i++) by_rank[i] = by_pop[i] = i;
    progress bar;
    progress_start(&bar, "demo-data", opt->days, opt->progress);
    buf out = BUF_INIT;
    long long id = 0;
    int rc = 0;
    for (int day = 0; day < opt->days && rc == 0; day++) {
        date_day date = opt->end - (opt->days - 1) + day;
        char date_s[11], run_id[24];
        date_format(date, date_s);
        run_id_for(date, run_id);
        for (int i = 0; i < w->n; i++) {
            demo_anime *a = &w->anime[i];
            if (day > 0) step_day(a, r);
            a->present = day >= a->enter_day && day < a->leave_day;
            a->scored = day >= a->unscored_until;
        }
        insertion_sort(by_rank, w->n, w->anime, rank_cmp);
        insertion_sort(by_pop, w->n, w->anime, popularity_cmp);
        for (int i = 0; i < w->n; i++) {
            demo_anime *a = &w->anime[by_rank[i]];
            a->rank = a->present && a->scored ? i + 1 : 0;
            w->anime[by_pop[i]].popularity = w->anime[by_pop[i]].present ? i + 1 : 0;
        }
        int rows = 0;
        for (int i = 0; i < w->n; i++) {
            demo_anime *a = &w->anime[i];
            if (!a->present) continue;
            long members = (long)a->members;
            copy_int(&out, ++id); buf_putc(&out, '\t');
            copy_int(&out, a->mal_id); buf_putc(&out, '\t');
            buf_append(&out, date_s, 10); buf_putc(&out, '\t');
            if (a->rank) copy_int(&out, a->rank); else copy_null(&out);
            buf_putc(&out, '\t');
            copy_int(&out, a->popularity); buf_putc(&out, '\t');
            if (a->scored) copy_hundredths(&out, a->score); else copy_null(&out);
            buf_putc(&out, '\t');
            if (a->scored) copy_int(&out, members * 3 / 5); else copy_null(&out);
            buf_putc(&out, '\t');
            copy_int(&out, members); buf_putc(&out, '\t');
            copy_int(&out, members / 40); buf_putc(&out, '\t');
            copy_text_array(&out, a->genres, (size_t)a->genre_count); buf_putc(&out, '\t');
            buf_puts(&out, run_id); buf_putc(&out, '\n');
            history_point pt = {date, a->rank ? a->rank : -1, a->scored ? a->score : -1, (int)members};
            history_point_encode(a->points + (size_t)a->npoints++ * HISTORY_POINT_SIZE, &pt);
            a->last_day = date;
            rows++;
            if ((rc = db_copy_flush(ctx, step, &out, COPY_CHUNK)) != 0) break;
        }
        rows_per_day[day] = rows;
        *rows_out += rows;
        progress_update(&bar, day + 1);
    }
    rc = db_copy_finish(ctx, step, &out, rc);
    free(by_rank);
    free(by_pop);
    progress_finish(&bar);
    if (rc == 0) {
        char next[32];
        snprintf(next, sizeof next, "%lld", id + 1);
        const char *p[1] = {next};
        PGresult *res = db_query(ctx, step,
                                 "SELECT setval(pg_get_serial_sequence('\"DailyRankings\"', 'id'), $1, false)",
                                 1, p);
        if (!res) rc = -1;
        PQclear(res);
    }
    return rc;
}

/* The packed histories, written directly: the insert trigger is off for the bulk load,
 * as repacking ten million rows in SQL would cost more than the load itself. */
static int load_history(catlog_ctx *ctx, demo_world *w)
{
    const char *step = "loading demo ranking histories";
    if (db_copy_begin(ctx, step, "COPY \"AnimeHistory\" (\"malId\", \"lastDay\", \"points\") FROM STDIN WITH (FREEZE)") != 0)
        return -1;
    buf out = BUF_INIT;
    int rc = 0;
    for (int i = 0; i < w->n && rc == 0; i++) {
        demo_anime *a = &w->anime[i];
        if (a->npoints == 0) continue;
        char day[11];
        date_format(a->last_day, day);
        copy_int(&out, a->mal_id);
        buf_putc(&out, '\t');
        buf_append(&out, day, 10);
        buf_puts(&out, "\t\\\\x");
        size_t bytes = (size_t)a->npoints * HISTORY_POINT_SIZE;
        buf_grow(&out, 2 * bytes + 1);
        digest_hex(a->points, bytes, out.data + out.len);
        out.len += 2 * bytes;
        buf_putc(&out, '\n');
        if (rc == 0) rc = db_copy_flush(ctx, step, &out, COPY_CHUNK);
    }
    return db_copy_finish(ctx, step, &out, rc);
}

static int load_anime(catlog_ctx *ctx, const demo_options *opt, const demo_world *w)
{
    const char *step = "loading demo anime";
    if (db_copy_begin(ctx, step,
                      "COPY \"ProcessedAnime\" (\"id\", \"malId\", \"title\", \"titleEnglish\", \"genres\","
                      " \"score\", \"scoredBy\", \"rank\", \"popularity\", \"members\", \"favorites\","
                      " \"episodes\", \"status\", \"season\", \"year\", \"rating\", \"studios\","
                      " \"imageUrl\", \"synopsis\", \"processedAt\", \"etlRunId\") FROM STDIN WITH (FREEZE)") != 0)
        return -1;
    char end_s[11], run_id[24];
    date_format(opt->end, end_s);
    run_id_for(opt->end, run_id);
    int end_y, end_m, end_d;
    date_to_ymd(opt->end, &end_y, &end_m, &end_d);
    buf out = BUF_INIT, synopsis = BUF_INIT;
    int rc = 0;
    for (int i = 0; i < w->n && rc == 0; i++) {
        const demo_anime *a = &w->anime[i];
        long members = (long)a->members;
        copy_int(&out, i + 1); buf_putc(&out, '\t');
        copy_int(&out, a->mal_id); buf_putc(&out, '\t');
        copy_text(&out, a->title); buf_putc(&out, '\t');
        copy_text(&out, a->title_english[0] ? a->title_english : NULL); buf_putc(&out, '\t');
        copy_text_array(&out, a->genres, (size_t)a->genre_count); buf_putc(&out, '\t');
        if (a->scored) copy_hundredths(&out, a->score); else copy_null(&out);
        buf_putc(&out, '\t');
        if (a->scored) copy_int(&out, members * 3 / 5); else copy_null(&out);
        buf_putc(&out, '\t');
        if (a->rank) copy_int(&out, a->rank); else copy_null(&out);
        buf_putc(&out, '\t');
        if (a->popularity) copy_int(&out, a->popularity); else copy_null(&out);
        buf_putc(&out, '\t');
        copy_int(&out, members); buf_putc(&out, '\t');
        copy_int(&out, members / 40); buf_putc(&out, '\t');
        if (a->episodes) copy_int(&out, a->episodes); else copy_null(&out);
        buf_putc(&out, '\t');
        copy_text(&out, a->year >= end_y ? "Currently Airing" : "Finished Airing"); buf_putc(&out, '\t');
        copy_text(&out, a->season >= 0 ? SEASONS[a->season] : NULL); buf_putc(&out, '\t');
        if (a->year) copy_int(&out, a->year); else copy_null(&out);
        buf_putc(&out, '\t');
        copy_text(&out, RATINGS[a->rating]); buf_putc(&out, '\t');
        copy_text_array(&out, &a->studio, 1); buf_putc(&out, '\t');
        copy_null(&out);   /* synthetic anime have no cover art; never point at a real one */
        buf_putc(&out, '\t');
        buf_reset(&synopsis);
        buf_printf(&synopsis, "A %s story from %s about a %s who must face the %s.",
                   a->genres[0], a->studio, TITLE_B[a->mal_id % NELEM(TITLE_B)],
                   TITLE_A[a->mal_id % NELEM(TITLE_A)]);
        copy_text(&out, buf_cstr(&synopsis)); buf_putc(&out, '\t');
        buf_printf(&out, "%s 03:00:00\t%s\n", end_s, run_id);
        if (rc == 0) rc = db_copy_flush(ctx, step, &out, COPY_CHUNK);
    }
    buf_free(&synopsis);
    return db_copy_finish(ctx, step, &out, rc);
}

static int load_etl_logs(catlog_ctx *ctx, const demo_options *opt, const int *rows_per_day)
{
    const char *step = "loading demo ETL logs";
    if (db_copy_begin(ctx, step,
                      "COPY \"EtlLogs\" (\"id\", \"runId\", \"startTime\", \"endTime\", \"status\","
                      " \"pipelineStep\", \"rowsProcessed\", \"errorMessage\", \"apiRequestCount\","
                      " \"createdAt\") FROM STDIN WITH (FREEZE)") != 0)
        return -1;
    buf out = BUF_INIT;
    for (int day = 0; day < opt->days; day++) {
        date_day date = opt->end - (opt->days - 1) + day;
        char date_s[11], run_id[24];
        date_format(date, date_s);
        run_id_for(date, run_id);
        int rows = rows_per_day[day], requests = (rows + 24) / 25;
        /* A run starts at 03:00 and takes about one second per request (the API's limit). */
        int end_s = 3 * 3600 + requests;
        buf_printf(&out, "%d\t%s\t%s 03:00:00\t%s %02d:%02d:%02d\tSUCCESS\tCOMPLETE\t%d\t\\N\t%d\t%s 03:00:00\n",
                   day + 1, run_id, date_s, date_s, end_s / 3600, end_s / 60 % 60, end_s % 60,
                   rows, requests, date_s);
    }
    int rc = db_copy_finish(ctx, step, &out, 0);
    return rc;
}

static const char *const INDEXES_DROP =
    "DROP INDEX IF EXISTS \"DailyRankings_snapshotDate_idx\";"
    "DROP INDEX IF EXISTS \"DailyRankings_snapshotDate_rank_idx\";"
    "ALTER TABLE \"DailyRankings\" DROP CONSTRAINT IF EXISTS \"DailyRankings_malId_snapshotDate_key\";"
    "ALTER TABLE \"DailyRankings\" DROP CONSTRAINT IF EXISTS \"DailyRankings_pkey\";";
/* Same definitions as migrations 001 and 006: building indexes once after the load is much
 * faster than maintaining them row by row. */
static const char *const INDEXES_CREATE =
    "SET LOCAL maintenance_work_mem = '256MB';"
    "ALTER TABLE \"DailyRankings\" ADD CONSTRAINT \"DailyRankings_pkey\" PRIMARY KEY (\"id\");"
    "ALTER TABLE \"DailyRankings\" ADD CONSTRAINT \"DailyRankings_malId_snapshotDate_key\" UNIQUE (\"malId\", \"snapshotDate\")"
    " INCLUDE (\"rank\", \"score\", \"members\");"
    "CREATE INDEX \"DailyRankings_snapshotDate_idx\" ON \"DailyRankings\" (\"snapshotDate\");"
    "CREATE INDEX \"DailyRankings_snapshotDate_rank_idx\" ON \"DailyRankings\" (\"snapshotDate\", \"rank\");";

static int existing_rows(catlog_ctx *ctx, long long *n)
{
    return db_query_int64(ctx, "checking for existing data",
                          "SELECT (SELECT count(*) FROM \"DailyRankings\") + (SELECT count(*) FROM \"ProcessedAnime\")",
                          0, NULL, n, NULL);
}

int demo_load(catlog_ctx *ctx, const demo_options *opt, demo_summary *out)
{
    if (db_connect(ctx) != 0) return -1;
    long long existing = 0;
    if (existing_rows(ctx, &existing) != 0) return -1;
    if (existing > 0 && !opt->replace) {
        log_error("the database already holds %lld anime/ranking rows; pass --replace to overwrite them", existing);
        return -1;
    }
    rng r;
    rng_seed(&r, opt->seed);
    demo_world w = {xcalloc((size_t)opt->anime, sizeof(demo_anime)), opt->anime};
    int *rows_per_day = xcalloc((size_t)opt->days, sizeof(int));
    int prev = 0;
    for (int i = 0; i < w.n; i++) {
        make_anime(&w.anime[i], i, prev, opt->days, opt->end, &r);
        prev = w.anime[i].mal_id;
    }
    long long rows = 0;
    int rc = db_exec(ctx, "starting the demo load", "BEGIN");
    if (rc == 0)
        rc = db_exec(ctx, "clearing old data",
                     "TRUNCATE \"DailyRankings\", \"ProcessedAnime\", \"EtlLogs\", \"RawAnimeData\","
                     /* and everything derived from them, which would describe data that is gone */
                     " \"QualityResults\", \"RollingMomentumAnalysis\", \"TrendSignificance\", \"VolatilityRankings\","
                     " \"GenrePercentiles\", \"TrendCorrelation\", \"TrendingSnapshots\", \"AnimeHistory\", \"AnimeHistoryStale\""
                     " RESTART IDENTITY");
    if (rc == 0) rc = db_exec(ctx, "dropping ranking indexes for the load", INDEXES_DROP);
    if (rc == 0)
        rc = db_exec(ctx, "loading demo rankings",
                     "ALTER TABLE \"DailyRankings\" DISABLE TRIGGER \"DailyRankings_history_insert\"");
    if (rc == 0) rc = stream_rankings(ctx, opt, &w, &r, &rows, rows_per_day);
    if (rc == 0)
        rc = db_exec(ctx, "loading demo rankings",
                     "ALTER TABLE \"DailyRankings\" ENABLE TRIGGER \"DailyRankings_history_insert\"");
    if (rc == 0) rc = load_history(ctx, &w);
    if (rc == 0) rc = db_exec(ctx, "indexing demo rankings", INDEXES_CREATE);
    if (rc == 0) rc = load_anime(ctx, opt, &w);
    if (rc == 0) rc = load_etl_logs(ctx, opt, rows_per_day);
    if (rc == 0)
        rc = db_exec(ctx, "finishing the demo load",
                     "SELECT setval(pg_get_serial_sequence('\"ProcessedAnime\"', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM \"ProcessedAnime\"), false);"
                     "SELECT setval(pg_get_serial_sequence('\"EtlLogs\"', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM \"EtlLogs\"), false);"
                     "COMMIT");
    if (rc != 0) db_exec(ctx, "rolling back", "ROLLBACK");
    else {
        db_exec(ctx, "analyzing", "ANALYZE \"DailyRankings\"; ANALYZE \"ProcessedAnime\"; ANALYZE \"EtlLogs\"");
        out->ranking_rows = rows;
        out->anime = opt->anime;
        out->days = opt->days;
    }
    for (int i = 0; i < w.n; i++) free(w.anime[i].points);
    free(w.anime);
    free(rows_per_day);
    return rc;
}
