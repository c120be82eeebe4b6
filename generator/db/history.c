#include "db/history.h"

#include <libpq-fe.h>
#include <stdint.h>

#include "core/log.h"
#include "db/db.h"

static void put32(unsigned char *p, int v)
{
    uint32_t u = (uint32_t)v;
    p[0] = (unsigned char)(u >> 24);
    p[1] = (unsigned char)(u >> 16);
    p[2] = (unsigned char)(u >> 8);
    p[3] = (unsigned char)u;
}

static int get32(const unsigned char *p)
{
    return (int)(int32_t)((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]);
}

void history_point_encode(unsigned char out[HISTORY_POINT_SIZE], const history_point *p)
{
    put32(out, p->day);
    put32(out + 4, p->rank);
    out[8] = (unsigned char)((uint16_t)p->score >> 8);
    out[9] = (unsigned char)(uint16_t)p->score;
    put32(out + 10, p->members);
}

void history_point_decode(const unsigned char in[HISTORY_POINT_SIZE], history_point *p)
{
    p->day = get32(in);
    p->rank = get32(in + 4);
    p->score = (int16_t)(uint16_t)((unsigned)in[8] << 8 | in[9]);
    p->members = get32(in + 10);
}

/* One statement, so the rows read and the marks removed come from one snapshot; the SHARE
 * lock taken first means no writer is mid-transaction either. Anime whose snapshots are
 * all gone lose their packed row. */
static const char REPACK_SQL[] =
    "WITH s AS (DELETE FROM \"AnimeHistoryStale\" RETURNING \"malId\"),"
    " p AS (SELECT d.\"malId\", max(d.\"snapshotDate\") AS last,"
    "   string_agg(catlog_history_point(d.\"snapshotDate\", d.rank, d.score, d.members), ''::bytea ORDER BY d.\"snapshotDate\") AS points"
    "   FROM \"DailyRankings\" d JOIN s USING (\"malId\") GROUP BY d.\"malId\"),"
    " u AS (INSERT INTO \"AnimeHistory\" AS h (\"malId\", \"lastDay\", \"points\") SELECT \"malId\", last, points FROM p"
    "   ON CONFLICT (\"malId\") DO UPDATE SET \"lastDay\" = EXCLUDED.\"lastDay\", \"points\" = EXCLUDED.\"points\")"
    " DELETE FROM \"AnimeHistory\" h USING s WHERE h.\"malId\" = s.\"malId\""
    "   AND NOT EXISTS (SELECT 1 FROM p WHERE p.\"malId\" = s.\"malId\")";

int history_sync(catlog_ctx *ctx)
{
    const char *step = "repacking ranking histories";
    PGresult *r = db_query(ctx, step, "SELECT to_regclass('\"AnimeHistoryStale\"') IS NOT NULL", 0, NULL);
    if (!r) return -1;
    int have = PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    if (!have) {
        log_error("the database schema predates this catlog (no \"AnimeHistory\" table): run catlog db migrate");
        return -1;
    }
    /* the common case (nothing stale) costs one index probe and no lock */
    r = db_query(ctx, step, "SELECT EXISTS (SELECT 1 FROM \"AnimeHistoryStale\")", 0, NULL);
    if (!r) return -1;
    int stale = PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    if (!stale) return 0;
    if (db_exec(ctx, step, "BEGIN; LOCK TABLE \"DailyRankings\" IN SHARE MODE; SET LOCAL jit = off") != 0) {
        db_exec(ctx, step, "ROLLBACK");
        return -1;
    }
    r = db_query(ctx, step, REPACK_SQL, 0, NULL);
    if (!r) {
        db_exec(ctx, step, "ROLLBACK");
        return -1;
    }
    PQclear(r);
    return db_exec(ctx, step, "COMMIT");
}
