/* stream: reading results too large to hold at once. A query through a cursor, fetched in
 * batches (the next batch is asked for while the caller works on the current one), and
 * COPY ... TO STDOUT queries read in parallel on connections that share ctx->db's snapshot,
 * line by line. */
#ifndef CATLOG_STREAM_H
#define CATLOG_STREAM_H

#include <libpq-fe.h>
#include <stdbool.h>

#include "core/ctx.h"

/* One batch of rows; returns 0 to go on, or -1 (after printing why) to stop. A FETCH is in
 * flight meanwhile: it must not use ctx->db. */
typedef int (*db_stream_batch_fn)(const PGresult *batch, void *ud);

/* Runs `select` (parameters as db_query's) through a NO SCROLL cursor, FETCH batch_rows at a
 * time, in binary when `binary` (PQgetvalue gives the raw bytes), and hands fn each batch
 * that has rows, and the first batch even when it is empty (so the columns of an empty result
 * are known). Inside the caller's transaction when ctx->db is in one, else in its own.
 * Returns 0, or -1 after printing the error (step names it) or after fn's -1. */
int db_stream_batches(catlog_ctx *ctx, const char *step, const char *select, int nparams,
                      const char *const *params, int batch_rows, bool binary, db_stream_batch_fn fn,
                      void *ud);

/* One line of COPY text output (ending in '\n') of copy_sql[query]; returns 0 to go on, or
 * -1 (after printing why) to stop. */
typedef int (*db_stream_line_fn)(int query, const char *line, int len, void *ud);

/* Runs n "COPY (...) TO STDOUT" queries at once: each but the last on a connection of its
 * own that imports ctx->db's snapshot, the last on ctx->db, so the server scans them in
 * parallel; lines of one query arrive in order. A connection that cannot open (or import
 * the snapshot) leaves its query to ctx->db, after the others: slower, the same lines. For one
 * snapshot, ctx->db must be inside a REPEATABLE READ transaction; parallel connections run
 * with JIT off (bulk reads). Returns 0, or -1 after printing the error. */
int db_stream_copy(catlog_ctx *ctx, const char *step, const char *const *copy_sql, int n,
                   db_stream_line_fn fn, void *ud);

#endif
