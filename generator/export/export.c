#include "export/export.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/digest.h"
#include "core/file.h"
#include "core/interrupt.h"
#include "core/log.h"
#include "core/mime.h"
#include "core/progress.h"
#include "db/db.h"
#include "db/stream.h"
#include "export/copy_row.h"
#include "export/datasets.h"
#include "publish/target.h"

#define ZSTD_LEVEL 3
#define READERS 2   /* COPY streams of one dataset read at once (the server scans them in parallel) */

/* One partition of one dataset: what the database says, and what this run did with it. */
typedef struct {
    const export_dataset *ds;
    char *key;                   /* "2026-11-23", or "" */
    long long version;
    bool write;                  /* changed: read and written by this run */
    bool written;                /* rows arrived and its file is staged */
    long long rows, bytes;
    char sha256[65];
    char *rel;                   /* its file, relative to the target root */
} partition;

typedef struct {
    catlog_ctx *ctx;
    const export_options *o;
    partition *parts;
    size_t nparts;
    cJSON *old;                  /* the target's manifest, or NULL */
    char *staging;
    progress bar;
    long long done;
    target *t;
} export_state;

/* ---------------------------------------------------------------- the plan */

static void partition_rel(const export_dataset *ds, const char *key, buf *out)
{
    buf_reset(out);
    if (ds->hive_key) buf_printf(out, "%s/%s=%s/part-00000.parquet", ds->name, ds->hive_key, key);
    else buf_printf(out, "%s/part-00000.parquet", ds->name);
}

/* What identifies a dataset's file layout: a change of columns rewrites every partition. */
static void columns_signature(const export_dataset *ds, char out[17])
{
    buf s = BUF_INIT;
    buf_puts(&s, "catlog-export-1");
    for (int i = 0; i < ds->ncolumns; i++) {
        const parquet_column *c = &ds->columns[i];
        buf_printf(&s, "|%s:%d:%d:%d", c->name, (int)c->type, c->precision, c->scale);   /* DECIMAL(p,s) too */
    }
    char hex[65];
    digest_sha256_hex(s.data, s.len, hex);
    memcpy(out, hex, 16);
    out[16] = '\0';
    buf_free(&s);
}

static const export_dataset *dataset_named(const char *name)
{
    for (int i = 0; i < EXPORT_NUM_DATASETS; i++)
        if (strcmp(EXPORT_DATASETS[i].name, name) == 0) return &EXPORT_DATASETS[i];
    return NULL;
}

/* The manifest's entry of a partition, or NULL. */
static cJSON *old_entry(const export_state *s, const export_dataset *ds, const char *key)
{
    cJSON *d = s->old ? cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItem(s->old, "datasets"), ds->name) : NULL;
    char sig[17];
    columns_signature(ds, sig);
    cJSON *cs = cJSON_GetObjectItemCaseSensitive(d, "columns");
    if (!cJSON_IsString(cs) || strcmp(cs->valuestring, sig) != 0) return NULL;
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItem(d, "partitions"), key);
}

static int plan(export_state *s)
{
    buf found = BUF_INIT;
    int rc = db_query_text(s->ctx, "checking the schema", "SELECT to_regclass('\"ExportVersions\"')::text", 0, NULL,
                           &found);
    bool tracked = found.len > 0;
    buf_free(&found);
    if (rc != 0) return -1;
    if (!tracked) {
        log_error("export: this database does not track changes for the export yet: run `catlog db migrate`");
        return -1;
    }
    PGresult *r = db_query(s->ctx, "reading which partitions changed",
                           "SELECT dataset, partition, version FROM \"ExportVersions\" ORDER BY dataset, partition",
                           0, NULL);
    if (!r) return -1;
    s->parts = xcalloc((size_t)PQntuples(r) + 1, sizeof *s->parts);
    for (int i = 0; i < PQntuples(r); i++) {
        const export_dataset *ds = dataset_named(PQgetvalue(r, i, 0));
        if (!ds) continue;
        partition *p = &s->parts[s->nparts++];
        p->ds = ds;
        p->key = xstrdup(PQgetvalue(r, i, 1));
        p->version = atoll(PQgetvalue(r, i, 2));
        cJSON *e = old_entry(s, ds, p->key);
        cJSON *v = cJSON_GetObjectItemCaseSensitive(e, "version");
        p->write = s->o->full || !cJSON_IsNumber(v) || (long long)v->valuedouble != p->version;
        if (!p->write) {   /* unchanged: the manifest's figures stand */
            cJSON *f = cJSON_GetObjectItemCaseSensitive(e, "file");
            cJSON *sha = cJSON_GetObjectItemCaseSensitive(e, "sha256");
            p->written = cJSON_IsString(f);
            p->rel = cJSON_IsString(f) ? xstrdup(f->valuestring) : NULL;
            p->rows = (long long)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(e, "rows"));
            p->bytes = (long long)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(e, "bytes"));
            if (cJSON_IsString(sha)) snprintf(p->sha256, sizeof p->sha256, "%s", sha->valuestring);
        }
    }
    PQclear(r);
    return 0;
}

/* ---------------------------------------------------------------- reading and writing */

/* One COPY stream: the partition it is filling and its writer. */
typedef struct {
    export_state *s;
    const export_dataset *ds;
    partition *part;             /* NULL before the first row */
    parquet_writer *w;
    buf scratch, err;
    int failed;
} stream;

static partition *find_partition(export_state *s, const export_dataset *ds, const char *key)
{
    for (size_t i = 0; i < s->nparts; i++)
        if (s->parts[i].ds == ds && s->parts[i].write && strcmp(s->parts[i].key, key) == 0) return &s->parts[i];
    return NULL;
}

/* Encodes the stream's partition and stages its file. */
static int stage_partition(stream *st)
{
    if (!st->w) return 0;
    partition *p = st->part;
    buf bytes = BUF_INIT, err = BUF_INIT, rel = BUF_INIT, path = BUF_INIT;
    p->rows = parquet_rows(st->w);
    int rc = parquet_finish(st->w, &bytes, &err);
    st->w = NULL;
    if (rc != 0) log_error("export: %s: %s", p->ds->name, buf_cstr(&err));
    partition_rel(p->ds, p->key, &rel);
    buf_printf(&path, "%s/%s", st->s->staging, buf_cstr(&rel));
    char *slash = strrchr(path.data, '/');
    *slash = '\0';
    if (rc == 0 && file_mkdirs(path.data) != 0) rc = -1;
    *slash = '/';
    if (rc == 0 && file_write_atomic(buf_cstr(&path), bytes.data, bytes.len) != 0) rc = -1;
    if (rc == 0) {
        digest_sha256_hex(bytes.data, bytes.len, p->sha256);
        p->bytes = (long long)bytes.len;
        free(p->rel);
        p->rel = buf_detach(&rel);
        p->written = true;
        progress_update(&st->s->bar, ++st->s->done);
    } else if (!err.len) {
        log_error("export: cannot write %s: %m", buf_cstr(&path));
    }
    buf_free(&bytes);
    buf_free(&err);
    buf_free(&rel);
    buf_free(&path);
    return rc;
}

static int on_line(int query, const char *line, int len, void *ud)
{
    stream *st = &((stream *)ud)[query];
    const char *row = line;
    size_t n = (size_t)len;
    if (st->ds->hive_key) {   /* the key comes first: a new key starts the next partition */
        copy_row_first_field(line, n, &st->scratch);
        if (!st->part || strcmp(st->part->key, buf_cstr(&st->scratch)) != 0) {
            if (stage_partition(st) != 0) return -1;
            st->part = find_partition(st->s, st->ds, buf_cstr(&st->scratch));
            if (!st->part) {
                log_error("export: %s: rows for partition %s, which was not asked for", st->ds->name,
                          buf_cstr(&st->scratch));
                return -1;
            }
        }
        const char *tab = memchr(line, '\t', n);
        n -= (size_t)(tab + 1 - line);
        row = tab + 1;
    } else if (!st->part) {
        st->part = find_partition(st->s, st->ds, "");
    }
    if (!st->w) st->w = parquet_open(st->ds->columns, st->ds->ncolumns, st->s->o->row_group_rows, ZSTD_LEVEL);
    buf_reset(&st->err);
    if (copy_row_to_parquet(st->w, st->ds->columns, st->ds->ncolumns, row, n, &st->scratch, &st->err) != 0) {
        log_error("export: %s: %s", st->ds->name, buf_cstr(&st->err));
        return -1;
    }
    return 0;
}

/* Whether the sorted date keys [from, to) are consecutive days. */
static bool consecutive_days(char **keys, size_t from, size_t to)
{
    date_day first, last;
    return date_parse(keys[from], &first) && date_parse(keys[to - 1], &last) &&
           last - first == (date_day)(to - from - 1);
}

/* The COPY of the dataset's changed partitions, the keys [from, to) of keys, in key order:
 * a run of consecutive days as a range (the index gives the order, nothing to sort), other
 * sets by list. The key column comes out first, as the date's own text. */
static void copy_sql(const export_dataset *ds, char **keys, size_t from, size_t to, buf *out)
{
    buf_puts(out, "COPY (SELECT ");
    if (ds->key_sql) buf_printf(out, "%s, ", ds->key_sql);
    buf_printf(out, "%s %s", ds->select_sql, ds->from_sql);
    if (ds->key_sql && consecutive_days(keys, from, to)) {
        buf_printf(out, " WHERE %s BETWEEN '%s' AND '%s'", ds->key_sql, keys[from], keys[to - 1]);
    } else if (ds->key_sql) {
        buf_printf(out, " WHERE %s = ANY('{", ds->key_sql);
        for (size_t i = from; i < to; i++) buf_printf(out, "%s%s", i > from ? "," : "", keys[i]);
        buf_puts(out, "}'::date[])");
    }
    if (ds->key_sql) buf_printf(out, " ORDER BY %s%s%s", ds->key_sql, ds->order_sql ? ", " : "", ds->order_sql ? ds->order_sql : "");
    else if (ds->order_sql) buf_printf(out, " ORDER BY %s", ds->order_sql);
    buf_puts(out, ") TO STDOUT");
}

static int export_dataset_rows(export_state *s, const export_dataset *ds)
{
    char **keys = xcalloc(s->nparts + 1, sizeof *keys);
    size_t n = 0;
    for (size_t i = 0; i < s->nparts; i++) {
        partition *p = &s->parts[i];
        if (p->ds != ds || !p->write) continue;
        date_day day;   /* a partition key is written into SQL and paths: it must be a date */
        if (ds->key_sql && !date_parse(p->key, &day)) {
            log_error("export: %s: partition key '%s' is not a date", ds->name, p->key);
            free(keys);
            return -1;
        }
        keys[n++] = p->key;
    }
    int rc = 0;
    if (n > 0) {
        int nq = ds->key_sql && n >= READERS ? READERS : 1;
        buf sql[READERS] = {BUF_INIT, BUF_INIT};
        const char *sqls[READERS];
        stream streams[READERS];
        memset(streams, 0, sizeof streams);
        for (int q = 0; q < nq; q++) {   /* keys are sorted: each stream gets a run of them */
            copy_sql(ds, keys, n * (size_t)q / (size_t)nq, n * (size_t)(q + 1) / (size_t)nq, &sql[q]);
            sqls[q] = buf_cstr(&sql[q]);
            streams[q].s = s;
            streams[q].ds = ds;
        }
        buf step = BUF_INIT;
        buf_printf(&step, "export: reading %s", ds->name);
        rc = db_stream_copy(s->ctx, buf_cstr(&step), sqls, nq, on_line, streams);
        for (int q = 0; q < nq; q++) {
            if (rc == 0) rc = stage_partition(&streams[q]);
            parquet_free(streams[q].w);
            buf_free(&streams[q].scratch);
            buf_free(&streams[q].err);
            buf_free(&sql[q]);
        }
        buf_free(&step);
    }
    free(keys);
    return rc;
}

/* ---------------------------------------------------------------- the target */

/* What stopped the target (403, no bucket, unreachable) says more than one request's line. */
static const char *target_error(const export_state *s, const char *line)
{
    const char *fatal = s->t->type->fatal(s->t);
    return fatal ? fatal : line;
}

static void count_done(void *ud, size_t i)
{
    (void)ud;
    (void)i;
}

static cJSON *new_manifest(const export_state *s)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddNumberToObject(m, "format", 1);
    cJSON_AddStringToObject(m, "catlog", CATLOG_VERSION);
    cJSON *datasets = cJSON_AddObjectToObject(m, "datasets");
    for (int d = 0; d < EXPORT_NUM_DATASETS; d++) {
        const export_dataset *ds = &EXPORT_DATASETS[d];
        cJSON *o = cJSON_AddObjectToObject(datasets, ds->name);
        char sig[17];
        columns_signature(ds, sig);
        cJSON_AddStringToObject(o, "columns", sig);
        if (ds->hive_key) cJSON_AddStringToObject(o, "partitionedBy", ds->hive_key);
        cJSON *parts = cJSON_AddObjectToObject(o, "partitions");
        for (size_t i = 0; i < s->nparts; i++) {
            const partition *p = &s->parts[i];
            if (p->ds != ds) continue;
            cJSON *e = cJSON_AddObjectToObject(parts, p->key);
            cJSON_AddNumberToObject(e, "version", (double)p->version);
            if (p->written) {
                cJSON_AddStringToObject(e, "file", p->rel);
                cJSON_AddStringToObject(e, "sha256", p->sha256);
            } else {
                cJSON_AddNullToObject(e, "file");   /* no rows: no file */
            }
            cJSON_AddNumberToObject(e, "rows", (double)p->rows);
            cJSON_AddNumberToObject(e, "bytes", (double)p->bytes);
        }
    }
    return m;
}

/* Files of the old manifest that the new one no longer has. */
static size_t removed_files(const export_state *s, cJSON *now, char ***out)
{
    size_t n = 0;
    *out = NULL;
    cJSON *ds;
    cJSON_ArrayForEach(ds, cJSON_GetObjectItem(s->old, "datasets")) {
        cJSON *e;
        cJSON_ArrayForEach(e, cJSON_GetObjectItem(ds, "partitions")) {
            cJSON *f = cJSON_GetObjectItemCaseSensitive(e, "file");
            if (!cJSON_IsString(f)) continue;
            bool kept = false;
            cJSON *nd, *ne;
            cJSON_ArrayForEach(nd, cJSON_GetObjectItem(now, "datasets")) {
                cJSON_ArrayForEach(ne, cJSON_GetObjectItem(nd, "partitions")) {
                    cJSON *nf = cJSON_GetObjectItemCaseSensitive(ne, "file");
                    kept |= cJSON_IsString(nf) && strcmp(nf->valuestring, f->valuestring) == 0;
                }
            }
            if (kept) continue;
            *out = xrealloc(*out, (n + 1) * sizeof **out);
            (*out)[n++] = f->valuestring;
        }
    }
    return n;
}

static int upload(export_state *s, export_summary *sum)
{
    size_t n = 0;
    target_put *items = xcalloc(s->nparts + 2, sizeof *items);
    buf *srcs = xcalloc(s->nparts + 2, sizeof *srcs);
    for (size_t i = 0; i < s->nparts; i++) {
        partition *p = &s->parts[i];
        if (!p->write || !p->written) continue;
        buf_printf(&srcs[n], "%s/%s", s->staging, p->rel);
        items[n] = (target_put){.rel = p->rel, .src = buf_cstr(&srcs[n]), .sha256 = p->sha256,
                                .content_type = mime_type(p->rel), .cache_control = "no-cache"};
        sum->rows += p->rows;
        sum->bytes += p->bytes;
        n++;
    }
    size_t failed = n ? s->t->type->put_many(s->t, items, n, count_done, NULL) : 0;
    for (size_t i = 0; i < n && failed; i++)
        if (!items[i].ok) {
            log_error("export: %s not written: %s", items[i].rel, target_error(s, items[i].error ? items[i].error : "failed"));
            break;
        }
    sum->partitions_written = (long long)(n - failed);
    int rc = failed ? -1 : 0;

    /* the manifest last, only when every file it names is in place */
    cJSON *m = new_manifest(s);
    if (rc == 0) {
        char *text = cJSON_Print(m);
        buf path = BUF_INIT;
        buf_printf(&path, "%s/%s", s->staging, EXPORT_MANIFEST);
        char sha[65];
        digest_sha256_hex(text, strlen(text), sha);
        rc = file_write_atomic(buf_cstr(&path), text, strlen(text));
        if (rc != 0) log_error("export: cannot write %s: %m", buf_cstr(&path));
        target_put mp = {.rel = EXPORT_MANIFEST, .src = buf_cstr(&path), .sha256 = sha,
                         .content_type = mime_type(EXPORT_MANIFEST), .cache_control = "no-cache"};
        if (rc == 0 && s->t->type->put_many(s->t, &mp, 1, count_done, NULL) != 0) {
            log_error("export: %s not written: %s", EXPORT_MANIFEST, target_error(s, mp.error ? mp.error : "failed"));
            rc = -1;
        }
        free(mp.error);
        cJSON_free(text);
        buf_free(&path);
    }
    if (rc == 0 && s->old) {   /* then what no partition needs any more */
        char **gone;
        size_t ng = removed_files(s, m, &gone);
        if (ng) {
            bool *ok = xcalloc(ng, sizeof *ok);
            buf err = BUF_INIT;
            if (s->t->type->delete_many(s->t, gone, ng, ok, &err) != 0) {
                log_error("export: removing partitions that lost their rows: %s", target_error(s, buf_cstr(&err)));
                rc = -1;
            }
            for (size_t i = 0; i < ng; i++) sum->partitions_removed += ok[i];
            buf_free(&err);
            free(ok);
        }
        free(gone);
    }
    cJSON_Delete(m);
    for (size_t i = 0; i < n; i++) {
        free(items[i].error);
        buf_free(&srcs[i]);
    }
    free(items);
    free(srcs);
    return rc;
}

static int read_manifest(export_state *s)
{
    buf body = BUF_INIT, err = BUF_INIT;
    double age;
    char meta[256];
    int got = s->t->type->get(s->t, EXPORT_MANIFEST, NULL, &body, &age, meta, &err);
    int rc = 0;
    if (got == 0) {
        s->old = cJSON_ParseWithLength(body.data ? body.data : "", body.len);
        if (!s->old) log_warn("export: %s/%s is not JSON: everything is written again", s->t->display, EXPORT_MANIFEST);
    } else if (got < 0) {
        log_error("export: reading %s: %s", EXPORT_MANIFEST, target_error(s, buf_cstr(&err)));
        rc = -1;
    }
    buf_free(&body);
    buf_free(&err);
    return rc;
}

/* ---------------------------------------------------------------- the run */

int export_run(catlog_ctx *ctx, const export_options *o, export_summary *out)
{
    double t0 = progress_now();
    memset(out, 0, sizeof *out);
    if (!o->target || !*o->target) {
        log_error("export: no target: pass --to DIR or s3://BUCKET[/PREFIX] (or set export.target)");
        return 2;
    }
    const target_type *type = target_type_for(o->target);
    if (!type) {
        log_error("export: %s: unknown kind of target (s3://BUCKET[/PREFIX] or a directory)", o->target);
        return 2;
    }
    export_state s = {.ctx = ctx, .o = o};
    target_settings ts = {o->parallel, o->retries, o->verbose};
    buf err = BUF_INIT;
    s.t = type->open(o->target, &ts, &err);
    if (!s.t || err.len) {
        log_error("export: %s", buf_cstr(&err));
        buf_free(&err);
        if (s.t) type->close(s.t);
        return 2;
    }
    buf_free(&err);
    int rc = read_manifest(&s);
    if (rc == 0) rc = db_connect(ctx);
    /* one snapshot for the versions and every row read (the parallel readers import it) */
    if (rc == 0) rc = db_exec(ctx, "export: starting", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    bool in_tx = rc == 0;
    if (rc == 0) rc = plan(&s);
    const char *tmpdir = getenv("TMPDIR");
    buf staging = BUF_INIT;
    buf_printf(&staging, "%s/catlog-export.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    bool staged = rc == 0 && mkdtemp(staging.data) != NULL;
    if (rc == 0 && !staged) {
        log_error("export: cannot make a staging directory under %s: %m", tmpdir && *tmpdir ? tmpdir : "/tmp");
        rc = -1;
    }
    s.staging = staging.data;
    long long to_write = 0;
    for (size_t i = 0; i < s.nparts; i++) to_write += s.parts[i].write;
    progress_start(&s.bar, "exporting", to_write, o->progress);
    for (int d = 0; rc == 0 && d < EXPORT_NUM_DATASETS; d++) {
        if (interrupt_requested()) {
            log_error("export: interrupted");
            rc = -1;
        } else {
            rc = export_dataset_rows(&s, &EXPORT_DATASETS[d]);
        }
    }
    if (in_tx) db_exec(ctx, "export: finishing", rc == 0 ? "COMMIT" : "ROLLBACK");
    if (o->progress) progress_finish(&s.bar);
    double t_read = progress_now();
    if (rc == 0) rc = upload(&s, out);
    const char *trace = getenv("CATLOG_TRACE");   /* for profiling, as catlog build does */
    if (trace && *trace)
        fprintf(stderr, "export: read and encode %.2f s, put %.2f s\n", t_read - t0, progress_now() - t_read);
    for (size_t i = 0; i < s.nparts; i++) {
        out->partitions_unchanged += !s.parts[i].write;
        free(s.parts[i].key);
        free(s.parts[i].rel);
    }
    if (staged) file_remove_tree(s.staging);
    buf_free(&staging);
    free(s.parts);
    cJSON_Delete(s.old);
    s.t->type->close(s.t);
    out->seconds = progress_now() - t0;
    return rc == 0 ? 0 : 1;
}
