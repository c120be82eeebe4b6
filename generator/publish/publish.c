#include "publish/publish.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/alloc.h"
#include "core/digest.h"
#include "core/file.h"
#include "core/http.h"
#include "core/interrupt.h"
#include "core/log.h"
#include "core/progress.h"
#include "core/url.h"
#include "publish/manifest.h"
#include "publish/target.h"

#define POLICY_META "catlog-policy"
#define MAX_LISTED_FAILURES 20

typedef enum { FILE_SAME, FILE_NEW, FILE_CHANGED } file_state;

typedef struct {
    const manifest_entry *e;   /* NULL for the manifest itself */
    const char *path;
    file_state state;
    policy_stage stage;
    char *src;                 /* site_dir/path */
    char *content_type;
    const char *cache_control;
    bool ok, attempted;
    char *error;
    long long bytes;
} upload;

typedef struct {
    char *path;                /* relative to the target root */
    bool asset;
    bool remove;               /* false: kept for --asset-grace */
    bool ok;
} removal;

typedef struct {
    const publish_options *o;
    publish_summary *s;
    target *t;                  /* where it goes (publish/target.h) */
    const char *display;        /* t's name for messages */
    manifest local;
    buf local_bytes;
    manifest remote;
    bool have_remote;
    buf remote_bytes;
    double remote_age;          /* seconds since the published manifest went up; <0 unknown */
    char remote_policy[256];
    char policy_fp[17];
    target_listing listing;
    bool listed;
    upload *up;
    size_t nup;
    removal *rm;
    size_t nrm;
    /* progress */
    progress bar;
    char label[96];
    long long done_files, done_bytes, total_bytes;
} publish_state;

bool publish_refuses_site_url(const char *target, const char *site_url, bool allow_local_url)
{
    const target_type *type = target_type_for(target);
    if (allow_local_url || !type || !type->scheme) return false;   /* a directory is local anyway */
    if (site_url && !url_is_local(site_url)) return false;
    log_error("publish: the site was built for %s, which readers of %s cannot reach: build it with "
              "site.url (or --site-url) set to the address it is served from, or pass --allow-local-url",
              site_url ? site_url : "an unknown address", target);
    return true;
}

bool publish_parse_s3(const char *target, char **bucket, char **prefix)
{
    *bucket = *prefix = NULL;
    if (strncasecmp(target, "s3://", 5) != 0) return false;
    const char *b = target + 5;
    size_t blen = strcspn(b, "/");
    if (blen == 0) return true;
    *bucket = xstrndup(b, blen);
    const char *p = b + blen;
    while (*p == '/') p++;
    size_t plen = strlen(p);
    while (plen > 0 && p[plen - 1] == '/') plen--;
    *prefix = xstrndup(p, plen);
    return true;
}

static void human_bytes(long long n, char out[32])
{
    if (n >= 1000000) snprintf(out, 32, "%.1f MB", (double)n / 1e6);
    else if (n >= 1000) snprintf(out, 32, "%.1f KB", (double)n / 1e3);
    else snprintf(out, 32, "%lld B", n);
}

static char *content_type_of(const char *path, const char *declared)
{
    buf b = BUF_INIT;
    policy_content_type(path, declared, &b);
    return buf_detach(&b);
}

/* ---------------------------------------------------------------- remote state */

static int read_remote_manifest(publish_state *r)
{
    buf err = BUF_INIT;
    int rc = r->t->type->get(r->t, MANIFEST_NAME, POLICY_META, &r->remote_bytes, &r->remote_age, r->remote_policy, &err);
    if (rc < 0) {
        if (r->t->type->fatal(r->t)) log_error("publish: %s", r->t->type->fatal(r->t));
        else log_error("publish: reading the published manifest of %s failed: %s", r->display, buf_cstr(&err));
        buf_free(&err);
        return -1;
    }
    if (rc == 0) {
        buf_reset(&err);
        if (manifest_parse(buf_cstr(&r->remote_bytes), r->remote_bytes.len, "published manifest", &r->remote, &err) == 0) {
            r->have_remote = true;
        } else {
            log_warn("publish: %s at %s: comparing with the listing instead", buf_cstr(&err), r->display);
        }
    }
    buf_free(&err);
    return 0;
}

static int cmp_listed(const void *a, const void *b)
{
    return strcmp(((const target_object *)a)->rel, ((const target_object *)b)->rel);
}

static int list_remote(publish_state *r)
{
    buf err = BUF_INIT;
    if (r->t->type->list(r->t, &r->listing, &err) != 0) {
        if (r->t->type->fatal(r->t)) log_error("publish: %s", r->t->type->fatal(r->t));
        else log_error("publish: listing %s failed: %s", r->display, buf_cstr(&err));
        buf_free(&err);
        return -1;
    }
    buf_free(&err);
    qsort(r->listing.v, r->listing.n, sizeof *r->listing.v, cmp_listed);
    r->listed = true;
    return 0;
}

static const target_object *find_listed(const publish_state *r, const char *rel)
{
    target_object key = {(char *)rel, 0, {0}};
    return r->listed ? bsearch(&key, r->listing.v, r->listing.n, sizeof key, cmp_listed) : NULL;
}

/* Is the listed copy of e the same bytes as the local file? (no published manifest to ask) */
static bool same_as_listed(const publish_state *r, const manifest_entry *e, const target_object *o)
{
    if (o->size != e->size) return false;
    buf src = BUF_INIT;
    buf_printf(&src, "%s/%s", r->o->site_dir, e->path);
    bool same = r->t->type->same(r->t, o, buf_cstr(&src), e->sha256);
    buf_free(&src);
    return same;
}

/* ---------------------------------------------------------------- plan */

static int cmp_upload(const void *a, const void *b)
{
    const upload *x = a, *y = b;
    if (x->stage != y->stage) return x->stage < y->stage ? -1 : 1;
    /* within a stage, files that never existed go first: a changed page may link to them */
    if (x->state != y->state) return x->state == FILE_NEW ? -1 : 1;
    return strcmp(x->path, y->path);
}

static void plan_transfers(publish_state *r)
{
    const publish_options *o = r->o;
    bool policy_same = !r->t->type->keeps_metadata || strcmp(r->remote_policy, r->policy_fp) == 0;
    bool use_manifest = r->have_remote && !o->full;
    r->up = xcalloc(r->local.n + 1, sizeof *r->up);
    for (size_t i = 0; i < r->local.n; i++) {
        const manifest_entry *e = &r->local.v[i];
        file_state st;
        if (use_manifest) {
            const manifest_entry *p = manifest_find(&r->remote, e->path);
            if (!p) {
                st = FILE_NEW;
            } else {
                char *a = content_type_of(e->path, e->content_type), *b = content_type_of(p->path, p->content_type);
                bool same = !strcmp(p->sha256, e->sha256) && p->size == e->size && p->cache == e->cache && !strcmp(a, b) &&
                            policy_same;
                free(a);
                free(b);
                st = same ? FILE_SAME : FILE_CHANGED;
            }
        } else {
            const target_object *lo = find_listed(r, e->path);
            st = !lo ? FILE_NEW : same_as_listed(r, e, lo) ? FILE_SAME : FILE_CHANGED;
        }
        if (st == FILE_SAME) {
            r->s->unchanged++;
            continue;
        }
        upload *u = &r->up[r->nup++];
        u->e = e;
        u->path = e->path;
        u->state = st;
        u->stage = policy_stage_of(e->path);
        buf src = BUF_INIT;
        buf_printf(&src, "%s/%s", o->site_dir, e->path);
        u->src = buf_detach(&src);
        u->content_type = content_type_of(e->path, e->content_type);
        u->cache_control = policy_cache_control(&o->cache, e->cache);
        r->total_bytes += e->size;
    }
    /* the manifest goes up whenever anything else does, or when the published one differs */
    bool manifest_differs = !r->have_remote || r->remote_bytes.len != r->local_bytes.len ||
                            memcmp(buf_cstr(&r->remote_bytes), buf_cstr(&r->local_bytes), r->local_bytes.len) != 0 ||
                            !policy_same;
    if (r->nup > 0 || manifest_differs) {
        upload *u = &r->up[r->nup++];
        u->path = MANIFEST_NAME;
        u->state = r->have_remote ? FILE_CHANGED : FILE_NEW;
        u->stage = POLICY_STAGE_MANIFEST;
        buf src = BUF_INIT;
        buf_printf(&src, "%s/%s", o->site_dir, MANIFEST_NAME);
        u->src = buf_detach(&src);
        u->content_type = content_type_of(MANIFEST_NAME, NULL);
        u->cache_control = o->cache.page;
        r->total_bytes += (long long)r->local_bytes.len;
    }
    qsort(r->up, r->nup, sizeof *r->up, cmp_upload);

    if (!o->delete_removed) return;
    r->rm = xcalloc(r->listing.n ? r->listing.n : 1, sizeof *r->rm);
    for (size_t i = 0; i < r->listing.n; i++) {
        const char *rel = r->listing.v[i].rel;
        if (!*rel || !strcmp(rel, MANIFEST_NAME) || manifest_find(&r->local, rel)) continue;
        removal *d = &r->rm[r->nrm++];
        d->path = xstrdup(rel);
        d->asset = policy_stage_of(rel) == POLICY_STAGE_ASSET;
        /* A page cached at the edge may still point at an asset the site just dropped: keep
         * assets until --asset-grace has passed since the publish that retired them. Those
         * in the published manifest retire now; the others retired when it went up. */
        bool retiring_now = !r->have_remote || manifest_find(&r->remote, rel) != NULL;
        d->remove = !d->asset || o->asset_grace_s <= 0 ||
                    (!retiring_now && r->remote_age >= 0 && r->remote_age >= o->asset_grace_s);
        if (!d->remove) r->s->kept++;
    }
}

static void print_plan(const publish_state *r)
{
    const char *pfx = r->t->prefix, *slash = *pfx ? "/" : "";
    for (size_t i = 0; i < r->nup; i++)
        printf("  %-8s %s%s%s\n", r->up[i].state == FILE_NEW ? "new" : "changed", pfx, slash, r->up[i].path);
    for (size_t i = 0; i < r->nrm; i++)
        printf("  %-8s %s%s%s%s\n", r->rm[i].remove ? "delete" : "keep", pfx, slash, r->rm[i].path,
               r->rm[i].remove ? "" : " (retired asset, kept for --asset-grace)");
    long long ndel = 0;
    for (size_t i = 0; i < r->nrm; i++) ndel += r->rm[i].remove;
    char b[32];
    human_bytes(r->total_bytes, b);
    printf("dry run for %s: would upload %zu file%s (%s), unchanged %lld, would delete %lld, keep %lld\n", r->display,
           r->nup, r->nup == 1 ? "" : "s", b, r->s->unchanged, ndel, r->s->kept);
}

/* ---------------------------------------------------------------- execution */

static void tick(publish_state *r, long long bytes)
{
    r->done_files++;
    r->done_bytes += bytes;
    snprintf(r->label, sizeof r->label, "publishing %.1f/%.1f MB", (double)r->done_bytes / 1e6,
             (double)r->total_bytes / 1e6);
    progress_update(&r->bar, r->done_files);
}

typedef struct {
    publish_state *r;
    upload *first;        /* items[i] is first[i] */
    target_put *items;
} stage_ctx;

static void on_put_done(void *ud, size_t i)
{
    stage_ctx *sc = ud;
    upload *u = &sc->first[i];
    const target_put *it = &sc->items[i];
    u->attempted = true;
    u->ok = it->ok;
    u->bytes = it->bytes;
    if (!it->ok) u->error = xstrdup(it->error ? it->error : "failed");
    tick(sc->r, it->ok ? it->bytes : 0);
}

/* Before the first object it describes changes, the published manifest is withdrawn: it
 * describes the bucket only until then (deletions of objects no longer in the site do not
 * make it wrong). A publish that is interrupted (killed, stopped, failed) thus leaves
 * no manifest, and the next one compares with the listing instead of trusting a manifest the
 * objects no longer match. The new manifest goes up last, as before. */
static int withdraw_manifest(publish_state *r)
{
    if (!r->have_remote) return 0;
    buf err = BUF_INIT;
    char *rel = MANIFEST_NAME;
    bool ok = false;
    int rc = r->t->type->delete_many(r->t, &rel, 1, &ok, &err) == 0 && ok ? 0 : -1;
    if (rc != 0) log_error("publish: cannot withdraw the published manifest of %s: %s", r->display, buf_cstr(&err));
    buf_free(&err);
    return rc;
}

/* Uploads up[from, to) (one stage). Returns how many failed. */
static size_t upload_range(publish_state *r, size_t from, size_t to)
{
    size_t n = to - from;
    target_put *items = xcalloc(n ? n : 1, sizeof *items);
    for (size_t i = 0; i < n; i++) {
        const upload *u = &r->up[from + i];
        items[i].rel = u->path;
        items[i].src = u->src;
        items[i].sha256 = u->e ? u->e->sha256 : NULL;
        items[i].content_type = u->content_type;
        items[i].cache_control = u->cache_control;
        if (!u->e) {   /* the manifest carries the upload policy's fingerprint */
            items[i].meta_name = POLICY_META;
            items[i].meta_value = r->policy_fp;
        }
    }
    stage_ctx sc = {r, &r->up[from], items};
    size_t failed = r->t->type->put_many(r->t, items, n, on_put_done, &sc);
    for (size_t i = 0; i < n; i++) free(items[i].error);
    free(items);
    return failed;
}

static size_t run_removals(publish_state *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nrm; i++) n += r->rm[i].remove;
    if (n == 0) return 0;
    char **keys = xcalloc(n, sizeof *keys);
    removal **map = xcalloc(n, sizeof *map);
    bool *ok = xcalloc(n, sizeof *ok);
    size_t k = 0;
    for (size_t i = 0; i < r->nrm; i++) {
        if (!r->rm[i].remove) continue;
        map[k] = &r->rm[i];
        keys[k++] = r->rm[i].path;
    }
    buf err = BUF_INIT;
    size_t failed = r->t->type->delete_many(r->t, keys, n, ok, &err);
    if (failed) log_error("publish: %zu deletion%s failed on %s: %s", failed, failed == 1 ? "" : "s", r->display,
                          buf_cstr(&err));
    for (size_t i = 0; i < n; i++) {
        map[i]->ok = ok[i];
        if (ok[i]) r->s->deleted++;
        tick(r, 0);
    }
    buf_free(&err);
    free(keys);
    free(map);
    free(ok);
    return failed;
}

/* POST {"target": ..., "paths": [...]} to the purge hook: pages that changed or went away. */
static int purge(publish_state *r)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "target", r->display);
    cJSON *paths = cJSON_AddArrayToObject(root, "paths");
    int n = 0;
    buf p = BUF_INIT;
    for (size_t i = 0; i < r->nup; i++) {
        const upload *u = &r->up[i];
        if (!u->ok || u->state != FILE_CHANGED || (u->e && u->e->cache == MANIFEST_CACHE_IMMUTABLE)) continue;
        buf_reset(&p);
        buf_printf(&p, "/%s", u->path);
        cJSON_AddItemToArray(paths, cJSON_CreateString(buf_cstr(&p)));
        n++;
        size_t len = strlen(u->path);
        if (len >= 10 && !strcmp(u->path + len - 10, "index.html")) {
            buf_reset(&p);
            buf_printf(&p, "/%.*s", (int)(len - 10), u->path);
            cJSON_AddItemToArray(paths, cJSON_CreateString(buf_cstr(&p)));
        }
    }
    for (size_t i = 0; i < r->nrm; i++) {
        if (!r->rm[i].remove || !r->rm[i].ok) continue;
        buf_reset(&p);
        buf_printf(&p, "/%s", r->rm[i].path);
        cJSON_AddItemToArray(paths, cJSON_CreateString(buf_cstr(&p)));
        n++;
    }
    buf_free(&p);
    if (n == 0) {
        cJSON_Delete(root);
        return 0;
    }
    char *body = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    /* three attempts, half a second apart then a second */
    http_options ho = {.parallel = 1, .max_retries = 2, .backoff_base = 0.5, .timeout_s = 30, .name = "purge"};
    buf why = BUF_INIT;
    int rc = http_post_json(r->o->purge_url, r->o->purge_token, body, &ho, &why);
    if (rc != 0) {
        buf shown = BUF_INIT;   /* the hook's URL may carry a token: never printed */
        url_redact(&shown, r->o->purge_url);
        log_error("publish: the purge hook %s failed: %s: the CDN serves cached pages until they expire",
                  buf_cstr(&shown), buf_cstr(&why));
        buf_free(&shown);
    } else if (r->o->verbose) {
        log_info("publish: purge hook told about %d path%s", n, n == 1 ? "" : "s");
    }
    buf_free(&why);
    free(body);
    return rc;
}

static void report_failures(const publish_state *r)
{
    int listed = 0;
    long long more = 0;
    for (size_t i = 0; i < r->nup; i++) {
        const upload *u = &r->up[i];
        if (u->ok) continue;
        if (listed >= MAX_LISTED_FAILURES) {
            more++;
            continue;
        }
        listed++;
        if (u->attempted) fprintf(stderr, "catlog: not published: %s: %s\n", u->path, u->error ? u->error : "failed");
        else fprintf(stderr, "catlog: not published: %s: not attempted (an earlier stage failed)\n", u->path);
    }
    for (size_t i = 0; i < r->nrm; i++) {
        if (!r->rm[i].remove || r->rm[i].ok) continue;
        if (listed >= MAX_LISTED_FAILURES) {
            more++;
            continue;
        }
        listed++;
        fprintf(stderr, "catlog: not deleted: %s\n", r->rm[i].path);
    }
    if (more) fprintf(stderr, "catlog: ... and %lld more\n", more);
}

static void free_state(publish_state *r)
{
    for (size_t i = 0; i < r->nup; i++) {
        free(r->up[i].src);
        free(r->up[i].content_type);
        free(r->up[i].error);
    }
    free(r->up);
    for (size_t i = 0; i < r->nrm; i++) {
        free(r->rm[i].path);
    }
    free(r->rm);
    target_listing_free(&r->listing);
    manifest_free(&r->local);
    manifest_free(&r->remote);
    buf_free(&r->local_bytes);
    buf_free(&r->remote_bytes);
    if (r->t) r->t->type->close(r->t);
}

int publish_run(const publish_options *o, publish_summary *s)
{
    memset(s, 0, sizeof *s);
    double t0 = progress_now();
    publish_state r;
    memset(&r, 0, sizeof r);
    r.o = o;
    r.s = s;
    r.remote_age = -1;
    int rc = 1;
    buf err = BUF_INIT;

    /* the fingerprint of the header policy: a change re-sends every object */
    buf fp = BUF_INIT;
    buf_printf(&fp, "v1\n%s\n%s", o->cache.immutable, o->cache.page);
    char fph[65];
    digest_sha256_hex(fp.data, fp.len, fph);
    memcpy(r.policy_fp, fph, 16);
    buf_free(&fp);

    const target_type *type = target_type_for(o->target);
    target_settings ts = {o->parallel, o->retries, o->verbose};
    if (!type) {
        log_error("publish: %s: unknown kind of target (s3://BUCKET[/PREFIX] or a directory)", o->target);
        rc = 2;
        goto out;
    }

    buf mpath = BUF_INIT;
    buf_printf(&mpath, "%s/%s", o->site_dir, MANIFEST_NAME);
    if (file_read_all(buf_cstr(&mpath), &r.local_bytes) != 0) {
        log_error("publish: no site to publish: cannot read %s: run `catlog build` first, or pass --out DIR",
                  buf_cstr(&mpath));
        buf_free(&mpath);
        goto out;
    }
    if (manifest_parse(buf_cstr(&r.local_bytes), r.local_bytes.len, buf_cstr(&mpath), &r.local, &err) != 0) {
        log_error("publish: %s", buf_cstr(&err));
        buf_free(&mpath);
        goto out;
    }
    buf_free(&mpath);
    if (publish_refuses_site_url(o->target, r.local.site_url, o->allow_local_url)) {
        rc = 2;
        goto out;
    }

    buf_reset(&err);
    r.t = type->open(o->target, &ts, &err);
    if (!r.t || err.len) {
        log_error("publish: %s", buf_cstr(&err));
        goto out;
    }
    r.display = r.t->display;

    if (read_remote_manifest(&r) != 0) goto out;
    if ((o->delete_removed || o->full || !r.have_remote) && list_remote(&r) != 0) goto out;
    plan_transfers(&r);

    if (o->dry_run) {
        print_plan(&r);
        rc = 0;
        goto out;
    }

    long long nremove = 0;
    for (size_t i = 0; i < r.nrm; i++) nremove += r.rm[i].remove;
    snprintf(r.label, sizeof r.label, "publishing 0.0/%.1f MB", (double)r.total_bytes / 1e6);
    progress_start(&r.bar, r.label, (long long)r.nup + nremove, o->progress && (r.nup + (size_t)nremove) > 0);

    /* stage by stage: a later stage starts only when every earlier object is in place */
    size_t changing = 0;   /* objects the published manifest describes that are about to change (new ones it does not) */
    for (size_t i = 0; i < r.nup; i++) changing += r.up[i].stage != POLICY_STAGE_MANIFEST && r.up[i].state == FILE_CHANGED;
    bool withdraw_failed = changing > 0 && withdraw_manifest(&r) != 0;   /* then nothing is sent */
    bool failed = withdraw_failed;
    for (size_t from = 0; from < r.nup && !failed;) {
        size_t to = from;
        while (to < r.nup && r.up[to].stage == r.up[from].stage) to++;
        if (upload_range(&r, from, to) > 0) failed = true;
        from = to;
    }
    if (!failed) run_removals(&r);
    progress_finish(&r.bar);

    for (size_t i = 0; i < r.nup; i++) {
        if (r.up[i].ok) {
            s->uploaded++;
            s->uploaded_bytes += r.up[i].bytes;
        } else {
            s->failed++;
        }
    }
    for (size_t i = 0; i < r.nrm; i++) s->failed += r.rm[i].remove && !r.rm[i].ok && !failed;
    const char *fatal = r.t->type->fatal(r.t);
    if (fatal) log_error("publish: %s", fatal);
    report_failures(&r);
    if (failed && r.nrm && !withdraw_failed)
        log_error("publish: nothing was deleted from %s because some uploads failed", r.display);
    int purge_rc = 0;
    if (!failed && s->failed == 0 && o->purge_url && *o->purge_url) purge_rc = purge(&r);

    r.t->type->counts(r.t, &s->requests, &s->retries);
    s->seconds = progress_now() - t0;
    char b[32];
    human_bytes(s->uploaded_bytes, b);
    printf("published %s: uploaded %lld (%s), unchanged %lld, deleted %lld, failed %lld, %.2f s\n", r.display,
           s->uploaded, b, s->unchanged, s->deleted, s->failed, s->seconds);
    if (s->kept)
        printf("kept %lld retired asset%s for --asset-grace (deleted by a later publish)\n", s->kept,
               s->kept == 1 ? "" : "s");
    if (o->verbose && s->requests)
        log_info("publish: %lld request%s, %lld retr%s", s->requests, s->requests == 1 ? "" : "s", s->retries,
                 s->retries == 1 ? "y" : "ies");
    rc = (s->failed == 0 && !fatal && purge_rc == 0) ? 0 : 1;
out:
    if (rc != 0 && o->dry_run == false && s->seconds == 0) s->seconds = progress_now() - t0;
    buf_free(&err);
    free_state(&r);
    return rc;
}
