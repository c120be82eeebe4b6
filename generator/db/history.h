/* history: "AnimeHistory" (migration 007), each anime's ranking snapshots packed into one
 * bytea of fixed-size points, so a site build reads one row per anime. Triggers keep it in
 * step with "DailyRankings"; history_sync() repacks what they marked stale. */
#ifndef CATLOG_HISTORY_H
#define CATLOG_HISTORY_H

#include <stddef.h>

#include "core/ctx.h"

#define HISTORY_POINT_SIZE 14

/* One snapshot; -1 stands for NULL in rank, score and members. */
typedef struct {
    int day;       /* days since 1970-01-01 */
    int rank;
    int score;     /* hundredths */
    int members;
} history_point;

/* Big-endian int4 day, int4 rank, int2 score, int4 members: catlog_history_point() in SQL. */
void history_point_encode(unsigned char out[HISTORY_POINT_SIZE], const history_point *p);
void history_point_decode(const unsigned char in[HISTORY_POINT_SIZE], history_point *p);

/* Repacks every anime marked stale from "DailyRankings", holding writers off meanwhile so
 * no change slips between the read and the mark's removal. Returns 0, or -1 after printing
 * the error (a schema without the table: run catlog db migrate). */
int history_sync(catlog_ctx *ctx);

#endif
