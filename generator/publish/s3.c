#include "publish/s3.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/digest.h"
#include "core/file.h"
#include "core/http.h"
#include "publish/sigv4.h"

#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define DELETE_BATCH 1000

struct s3_client {
    s3_config cfg;
    char *bucket, *region, *akid, *secret, *token;
    char *origin;        /* scheme://host[:port], for URLs */
    char *host;          /* Host header (default port omitted) */
    char *base_path;     /* "" (virtual-hosted) or "[/endpoint-path]/bucket" (path-style) */
    char *where;         /* "s3://bucket" or "s3://bucket at http://endpoint" */
    char *endpoint_name; /* the endpoint as the user named it, for messages */
    http_client *http;   /* the request engine: parallelism, retries, the stop reason */
};

/* One S3 request: the HTTP request and what its signature covers. */
typedef struct {
    http_request http;   /* first: the engine allocates an s3_xfer and hands back &http */
    char sha256[65];
    char md5_b64[32];    /* "" = no Content-MD5 */
    const char *content_type, *cache_control, *meta_name, *meta_value;
} s3_xfer;

/* One batch of S3 requests: the client, and the operation's own prepare/finish. */
typedef struct {
    s3_client *c;
    void *op;
    int (*prepare)(void *op, s3_xfer *x, buf *err);
    void (*finish)(void *op, s3_xfer *x, const char *err);
} s3_batch;

/* ---------------------------------------------------------------- setup */

static char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return (char *)(v && *v ? v : fallback);
}

void s3_config_from_env(s3_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->endpoint = env_or("AWS_ENDPOINT_URL_S3", env_or("AWS_ENDPOINT_URL", NULL));
    cfg->region = env_or("AWS_REGION", env_or("AWS_DEFAULT_REGION", "us-east-1"));
    cfg->access_key_id = env_or("AWS_ACCESS_KEY_ID", NULL);
    cfg->secret_access_key = env_or("AWS_SECRET_ACCESS_KEY", NULL);
    cfg->session_token = env_or("AWS_SESSION_TOKEN", NULL);
    cfg->parallel = 16;
    cfg->max_retries = 4;
    cfg->backoff_base = 0.25;
    cfg->timeout_s = 120;
}

static bool dns_compatible(const char *b)
{
    size_t n = strlen(b);
    if (n < 3 || n > 63) return false;
    for (size_t i = 0; i < n; i++) {
        char ch = b[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-')) return false;
    }
    return true;
}

s3_client *s3_open(const s3_config *cfg, buf *err)
{
    if (!cfg->access_key_id || !cfg->secret_access_key) {
        buf_printf(err, "no credentials for s3://%s: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", cfg->bucket);
        return NULL;
    }
    s3_client *c = xcalloc(1, sizeof *c);
    c->cfg = *cfg;
    if (c->cfg.parallel < 1) c->cfg.parallel = 1;
    if (c->cfg.max_retries < 0) c->cfg.max_retries = 0;
    c->bucket = xstrdup(cfg->bucket);
    c->region = xstrdup(cfg->region && *cfg->region ? cfg->region : "us-east-1");
    c->akid = xstrdup(cfg->access_key_id);
    c->secret = xstrdup(cfg->secret_access_key);
    c->token = cfg->session_token && *cfg->session_token ? xstrdup(cfg->session_token) : NULL;
    buf b = BUF_INIT;
    if (cfg->endpoint && *cfg->endpoint) {
        const char *ep = cfg->endpoint;
        const char *sep = strstr(ep, "://");
        if (!sep || (strncasecmp(ep, "http://", 7) != 0 && strncasecmp(ep, "https://", 8) != 0) || !sep[3]) {
            buf_printf(err, "AWS_ENDPOINT_URL '%s' is not an http:// or https:// URL", ep);
            s3_close(c);
            return NULL;
        }
        bool https = strncasecmp(ep, "https://", 8) == 0;
        const char *hp = sep + 3;
        size_t hlen = strcspn(hp, "/?#");
        const char *rest = hp + hlen;
        size_t plen = strcspn(rest, "?#");
        while (plen > 0 && rest[plen - 1] == '/') plen--;
        c->origin = xstrndup(ep, (size_t)(hp + hlen - ep));
        char *host = xstrndup(hp, hlen);
        const char *dflt = https ? ":443" : ":80";
        size_t dl = strlen(dflt);
        if (hlen > dl && strcmp(host + hlen - dl, dflt) == 0) host[hlen - dl] = '\0';
        c->host = host;
        buf_append(&b, rest, plen);
        buf_putc(&b, '/');
        sigv4_uri_encode(&b, c->bucket, false);
        c->base_path = buf_detach(&b);
        buf_printf(&b, "s3://%s at %s", c->bucket, ep);
        c->where = buf_detach(&b);
        c->endpoint_name = xstrdup(ep);
    } else {
        if (dns_compatible(c->bucket)) {
            buf_printf(&b, "%s.s3.%s.amazonaws.com", c->bucket, c->region);
            c->host = buf_detach(&b);
            c->base_path = xstrdup("");
        } else {
            buf_printf(&b, "s3.%s.amazonaws.com", c->region);
            c->host = buf_detach(&b);
            buf_putc(&b, '/');
            sigv4_uri_encode(&b, c->bucket, false);
            c->base_path = buf_detach(&b);
        }
        buf_printf(&b, "https://%s", c->host);
        c->origin = buf_detach(&b);
        buf_printf(&b, "s3://%s", c->bucket);
        c->where = buf_detach(&b);
        buf_printf(&b, "https://s3.%s.amazonaws.com", c->region);
        c->endpoint_name = buf_detach(&b);
    }
    http_options ho = {c->cfg.parallel, c->cfg.max_retries, c->cfg.backoff_base, c->cfg.timeout_s, c->cfg.verbose, "s3"};
    c->http = http_open(&ho);
    return c;
}

void s3_close(s3_client *c)
{
    if (!c) return;
    http_close(c->http);
    if (c->secret) OPENSSL_cleanse(c->secret, strlen(c->secret));
    if (c->token) OPENSSL_cleanse(c->token, strlen(c->token));
    free(c->bucket);
    free(c->region);
    free(c->akid);
    free(c->secret);
    free(c->token);
    free(c->origin);
    free(c->host);
    free(c->base_path);
    free(c->where);
    free(c->endpoint_name);
    free(c);
}

const char *s3_fatal(const s3_client *c) { return c->http ? http_stopped(c->http) : NULL; }
long long s3_request_count(const s3_client *c) { return c->http ? http_request_count(c->http) : 0; }
long long s3_retry_count(const s3_client *c) { return c->http ? http_retry_count(c->http) : 0; }

/* ---------------------------------------------------------------- XML */

static void xml_decode(const char *s, size_t n, buf *out)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '&') {
            buf_putc(out, s[i]);
            continue;
        }
        const char *semi = memchr(s + i, ';', n - i);
        if (!semi) {
            buf_putc(out, '&');
            continue;
        }
        size_t len = (size_t)(semi - (s + i)) + 1;
        if (len == 5 && !strncmp(s + i, "&amp;", 5)) buf_putc(out, '&');
        else if (len == 4 && !strncmp(s + i, "&lt;", 4)) buf_putc(out, '<');
        else if (len == 4 && !strncmp(s + i, "&gt;", 4)) buf_putc(out, '>');
        else if (len == 6 && !strncmp(s + i, "&quot;", 6)) buf_putc(out, '"');
        else if (len == 6 && !strncmp(s + i, "&apos;", 6)) buf_putc(out, '\'');
        else if (len > 3 && s[i + 1] == '#') {
            unsigned long cp = s[i + 2] == 'x' ? strtoul(s + i + 3, NULL, 16) : strtoul(s + i + 2, NULL, 10);
            char u[4];
            int k;
            if (cp < 0x80) { u[0] = (char)cp; k = 1; }
            else if (cp < 0x800) { u[0] = (char)(0xC0 | (cp >> 6)); u[1] = (char)(0x80 | (cp & 63)); k = 2; }
            else if (cp < 0x10000) {
                u[0] = (char)(0xE0 | (cp >> 12)); u[1] = (char)(0x80 | ((cp >> 6) & 63));
                u[2] = (char)(0x80 | (cp & 63)); k = 3;
            } else {
                u[0] = (char)(0xF0 | (cp >> 18)); u[1] = (char)(0x80 | ((cp >> 12) & 63));
                u[2] = (char)(0x80 | ((cp >> 6) & 63)); u[3] = (char)(0x80 | (cp & 63)); k = 4;
            }
            buf_append(out, u, (size_t)k);
        } else {
            buf_append(out, s + i, len);
        }
        i += len - 1;
    }
}

bool s3_xml_next(const char *xml, const char *tag, size_t *pos, buf *out)
{
    char open[80], close[80];
    snprintf(open, sizeof open, "<%s>", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    const char *a = strstr(xml + *pos, open);
    if (!a) return false;
    a += strlen(open);
    const char *b = strstr(a, close);
    if (!b) return false;
    buf_reset(out);
    xml_decode(a, (size_t)(b - a), out);
    if (!out->data) buf_puts(out, "");
    *pos = (size_t)(b - xml) + strlen(close);
    return true;
}

static void xml_escape(buf *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': buf_puts(out, "&amp;"); break;
        case '<': buf_puts(out, "&lt;"); break;
        case '>': buf_puts(out, "&gt;"); break;
        case '"': buf_puts(out, "&quot;"); break;
        case '\'': buf_puts(out, "&apos;"); break;
        default: buf_putc(out, *s);
        }
    }
}

/* ---------------------------------------------------------------- requests */

static void object_path(const s3_client *c, const char *key, buf *out)
{
    buf_puts(out, c->base_path);
    buf_putc(out, '/');
    sigv4_uri_encode(out, key, true);
}

static void bucket_path(const s3_client *c, buf *out)
{
    buf_puts(out, c->base_path);
    buf_putc(out, '/');
}


static void add_header(struct curl_slist **l, const char *name, const char *value)
{
    buf h = BUF_INIT;
    buf_printf(&h, "%s: %s", name, value);
    *l = curl_slist_append(*l, buf_cstr(&h));
    OPENSSL_cleanse(h.data, h.len);
    buf_free(&h);
}

/* The headers of one attempt, signed with a fresh x-amz-date. */
static void signed_headers(void *ud, const http_request *hx, struct curl_slist **l)
{
    const s3_client *c = ((const s3_batch *)ud)->c;
    const s3_xfer *x = (const s3_xfer *)hx;
    char amz_date[17];
    sigv4_amz_date(time(NULL), amz_date);
    sigv4_header h[9];
    size_t nh = 0;
    h[nh++] = (sigv4_header){"host", c->host};
    h[nh++] = (sigv4_header){"x-amz-date", amz_date};
    h[nh++] = (sigv4_header){"x-amz-content-sha256", x->sha256};
    if (x->md5_b64[0]) h[nh++] = (sigv4_header){"content-md5", x->md5_b64};
    if (x->content_type) h[nh++] = (sigv4_header){"content-type", x->content_type};
    if (x->cache_control) h[nh++] = (sigv4_header){"cache-control", x->cache_control};
    char meta_header[96];
    if (x->meta_name && x->meta_value) {
        snprintf(meta_header, sizeof meta_header, "x-amz-meta-%s", x->meta_name);
        h[nh++] = (sigv4_header){meta_header, x->meta_value};
    }
    if (c->token) h[nh++] = (sigv4_header){"x-amz-security-token", c->token};
    sigv4_key key = {c->akid, c->secret, c->region, "s3"};
    sigv4_request r = {hx->method, buf_cstr(&hx->path), buf_cstr(&hx->query), h, nh, x->sha256};
    buf auth = BUF_INIT;
    sigv4_authorization(&r, &key, amz_date, &auth);
    for (size_t i = 0; i < nh; i++) add_header(l, h[i].name, h[i].value);
    add_header(l, "Authorization", buf_cstr(&auth));
    OPENSSL_cleanse(auth.data, auth.len);
    buf_free(&auth);
}

/* The S3 error code and message of an XML error answer ("" when none). */
static void error_code(const http_request *x, buf *code, buf *message)
{
    size_t pos = 0;
    if (!x->response.len || !s3_xml_next(buf_cstr(&x->response), "Code", &pos, code)) buf_reset(code);
    pos = 0;
    if (!x->response.len || !s3_xml_next(buf_cstr(&x->response), "Message", &pos, message)) buf_reset(message);
}

/* METHOD s3://bucket/key, never the query's values or any header. */
static void describe(void *ud, const http_request *x, buf *out)
{
    const s3_client *c = ((const s3_batch *)ud)->c;
    const char *p = buf_cstr(&x->path) + strlen(c->base_path);
    buf_printf(out, "%s s3://%s%s", x->method, c->bucket, p);
}

/* S3 asks for a retry of a slow upload with 400 RequestTimeout. */
static bool retryable(void *ud, const http_request *x, bool by_default)
{
    (void)ud;
    if (by_default || x->result != CURLE_OK || x->status != 400) return by_default;
    buf code = BUF_INIT, msg = BUF_INIT;
    error_code(x, &code, &msg);
    bool again = !strcmp(buf_cstr(&code), "RequestTimeout");
    buf_free(&code);
    buf_free(&msg);
    return again;
}

/* The line that stops the whole run when no later request could succeed either, or NULL. */
static char *fatal_reason(const s3_client *c, const http_request *x, const char *code, const char *msg)
{
    buf f = BUF_INIT, what = BUF_INIT;
    describe(&(s3_batch){(s3_client *)c, NULL, NULL, NULL}, x, &what);
    const char *cerr = x->curl_error[0] ? x->curl_error : curl_easy_strerror(x->result);
    if (x->result == CURLE_COULDNT_RESOLVE_HOST || x->result == CURLE_COULDNT_RESOLVE_PROXY)
        buf_printf(&f, "cannot resolve the host of %s (%s, %d attempts): check AWS_ENDPOINT_URL and the network",
                   c->endpoint_name, cerr, x->attempt);
    else if (x->result == CURLE_COULDNT_CONNECT)
        buf_printf(&f, "cannot reach %s for %s (%s, %d attempts): is the server up? check AWS_ENDPOINT_URL",
                   c->endpoint_name, c->bucket, cerr, x->attempt);
    else if (x->result != CURLE_OK)
        ;   /* a transfer error: this request failed, the others may not */
    else if (x->status == 403) {
        if (!strcmp(code, "InvalidAccessKeyId"))
            buf_printf(&f, "%s: access key id '%s' is not known there (403 InvalidAccessKeyId on %s): check AWS_ACCESS_KEY_ID",
                       c->where, c->akid, buf_cstr(&what));
        else if (!strcmp(code, "SignatureDoesNotMatch"))
            buf_printf(&f, "%s: the signature made with access key id '%s' was refused (403 SignatureDoesNotMatch on %s): "
                       "check AWS_SECRET_ACCESS_KEY", c->where, c->akid, buf_cstr(&what));
        else if (!strcmp(code, "RequestTimeTooSkewed"))
            buf_printf(&f, "%s: this machine's clock is too far from the server's (403 RequestTimeTooSkewed): fix the clock",
                       c->where);
        else if (!strcmp(code, "ExpiredToken") || !strcmp(code, "InvalidToken") || !strcmp(code, "TokenRefreshRequired"))
            buf_printf(&f, "%s: the session token for access key id '%s' is refused (403 %s): renew AWS_SESSION_TOKEN",
                       c->where, c->akid, code);
        else
            buf_printf(&f, "%s: access key id '%s' may not do %s (403 %s%s%s): grant it s3:GetObject, s3:PutObject, "
                       "s3:ListBucket and s3:DeleteObject on bucket %s", c->where, c->akid, buf_cstr(&what),
                       *code ? code : "Forbidden", *msg ? ": " : "", msg, c->bucket);
    } else if (x->status == 404 && !strcmp(code, "NoSuchBucket")) {
        buf_printf(&f, "%s: no such bucket (404 NoSuchBucket): create bucket '%s' or fix --to", c->where, c->bucket);
    } else if (x->status == 301 || (x->status == 400 && (!strcmp(code, "AuthorizationHeaderMalformed") ||
                                                          !strcmp(code, "IllegalLocationConstraintException")))) {
        buf_printf(&f, "%s: wrong region or endpoint for bucket '%s' (%ld %s%s%s): set AWS_REGION (now %s) or AWS_ENDPOINT_URL",
                   c->where, c->bucket, x->status, code, *msg ? ": " : "", msg, c->region);
    }
    buf_free(&what);
    if (!f.len) {
        buf_free(&f);
        return NULL;
    }
    return buf_detach(&f);
}

/* A final failure: " Code: message" for the line, and a stop when nothing else could work. */
static void failed(void *ud, const http_request *x, buf *detail)
{
    s3_client *c = ((s3_batch *)ud)->c;
    buf code = BUF_INIT, msg = BUF_INIT;
    if (x->result == CURLE_OK) error_code(x, &code, &msg);
    if (code.len) buf_printf(detail, " %s", buf_cstr(&code));
    if (msg.len) buf_printf(detail, ": %s", buf_cstr(&msg));
    char *reason = fatal_reason(c, x, buf_cstr(&code), buf_cstr(&msg));
    if (reason) http_stop(c->http, reason);
    buf_free(&code);
    buf_free(&msg);
}

static int batch_prepare(void *ud, http_request *hx, buf *err)
{
    s3_batch *b = ud;
    s3_xfer *x = (s3_xfer *)hx;
    memcpy(x->sha256, EMPTY_SHA256, 65);
    buf_puts(&hx->url, b->c->origin);
    return b->prepare(b->op, x, err);
}

static void batch_finish(void *ud, http_request *hx, const char *err)
{
    s3_batch *b = ud;
    b->finish(b->op, (s3_xfer *)hx, err);
}

/* Runs n requests of one operation through the engine. */
static void run_batch(s3_client *c, size_t n, void *op, int (*prepare)(void *, s3_xfer *, buf *),
                   void (*finish)(void *, s3_xfer *, const char *))
{
    s3_batch b = {c, op, prepare, finish};
    http_jobs J = {n, &b, sizeof(s3_xfer), batch_prepare, signed_headers, retryable, failed, describe, batch_finish};
    http_run(c->http, &J);
}

/* ---------------------------------------------------------------- operations */
typedef struct {
    s3_client *c;
    const char *key;
    const char *capture;   /* x-amz-meta-<name>, or NULL */
    const char *query;     /* for listings */
    buf *body;
    s3_object_info *info;
    buf *err;
    int rc;
} get_job;

static int get_prepare(void *op, s3_xfer *x, buf *err)
{
    (void)err;
    get_job *g = op;
    x->http.method = "GET";
    if (g->key) object_path(g->c, g->key, &x->http.path);
    else bucket_path(g->c, &x->http.path);
    if (g->query) buf_puts(&x->http.query, g->query);
    x->http.capture = g->capture;
    return 0;
}

static void get_finish(void *op, s3_xfer *sx, const char *err)
{
    get_job *g = op;
    const http_request *x = &sx->http;
    if (g->info) {
        g->info->status = x->status;
        g->info->last_modified = http_date_parse(x->last_modified);
        g->info->server_date = http_date_parse(x->date);
        snprintf(g->info->meta, sizeof g->info->meta, "%s", x->captured);
    }
    if (!err) {
        buf_append(g->body, x->response.data ? x->response.data : "", x->response.len);
        g->rc = 0;
        return;
    }
    if (x->result == CURLE_OK && x->status == 404 && g->key && !s3_fatal(g->c)) {
        g->rc = 1;   /* no such key: a first publish */
        return;
    }
    buf_puts(g->err, err);
    g->rc = -1;
}

int s3_get(s3_client *c, const char *key, const char *meta_name, buf *body, s3_object_info *info, buf *err)
{
    if (info) memset(info, 0, sizeof *info);
    char capture[96];
    snprintf(capture, sizeof capture, "x-amz-meta-%s", meta_name ? meta_name : "");
    get_job g = {c, key, meta_name ? capture : NULL, NULL, body, info, err, -1};
    run_batch(c, 1, &g, get_prepare, get_finish);
    return g.rc;
}

static int cmp_object(const void *a, const void *b)
{
    return strcmp(((const s3_object *)a)->key, ((const s3_object *)b)->key);
}

int s3_list(s3_client *c, const char *prefix, s3_listing *out, buf *err)
{
    out->v = NULL;
    out->n = 0;
    size_t cap = 0;
    buf token = BUF_INIT, query = BUF_INIT, page = BUF_INIT, item = BUF_INIT, field = BUF_INIT;
    int rc = 0;
    for (;;) {
        /* pairs in canonical order, values encoded as AWS canonicalizes them */
        buf_reset(&query);
        if (token.len) {
            buf_puts(&query, "continuation-token=");
            sigv4_uri_encode(&query, buf_cstr(&token), false);
            buf_putc(&query, '&');
        }
        buf_puts(&query, "list-type=2");
        if (prefix && *prefix) {
            buf_puts(&query, "&prefix=");
            sigv4_uri_encode(&query, prefix, false);
        }
        buf_reset(&page);
        get_job g = {c, NULL, NULL, buf_cstr(&query), &page, NULL, err, -1};
        run_batch(c, 1, &g, get_prepare, get_finish);
        if (g.rc != 0) {
            rc = -1;
            break;
        }
        const char *xml = buf_cstr(&page);
        size_t pos = 0;
        while (s3_xml_next(xml, "Contents", &pos, &item)) {
            size_t ip = 0;
            if (!s3_xml_next(buf_cstr(&item), "Key", &ip, &field)) continue;
            if (out->n == cap) {
                cap = cap ? cap * 2 : 1024;
                out->v = xrealloc(out->v, cap * sizeof *out->v);
            }
            s3_object *o = &out->v[out->n++];
            memset(o, 0, sizeof *o);
            o->key = xstrdup(buf_cstr(&field));
            ip = 0;
            if (s3_xml_next(buf_cstr(&item), "Size", &ip, &field)) o->size = strtoll(buf_cstr(&field), NULL, 10);
            ip = 0;
            if (s3_xml_next(buf_cstr(&item), "ETag", &ip, &field)) {
                const char *e = buf_cstr(&field);
                if (*e == '"') e++;
                size_t n = strcspn(e, "\"");
                if (n == 32 && strspn(e, "0123456789abcdef") >= 32) memcpy(o->etag, e, 32);
            }
        }
        pos = 0;
        bool truncated = s3_xml_next(xml, "IsTruncated", &pos, &field) && !strcmp(buf_cstr(&field), "true");
        pos = 0;
        if (!truncated) break;
        if (!s3_xml_next(xml, "NextContinuationToken", &pos, &token) || !token.len) {
            buf_printf(err, "%s: a truncated listing came without a continuation token", c->where);
            rc = -1;
            break;
        }
    }
    buf_free(&token);
    buf_free(&query);
    buf_free(&page);
    buf_free(&item);
    buf_free(&field);
    if (rc != 0) {
        s3_listing_free(out);
        return -1;
    }
    if (out->n) qsort(out->v, out->n, sizeof *out->v, cmp_object);
    return 0;
}

void s3_listing_free(s3_listing *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->v[i].key);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

typedef struct {
    s3_client *c;
    s3_put *items;
    s3_done_fn done;
    void *ud;
    size_t failed;
} put_job;

static void digests(const void *data, size_t len, char sha_hex[65], char md5_b64[32])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
    digest_hex(md, 32, sha_hex);
    EVP_Digest(data, len, md, &n, EVP_md5(), NULL);
    sigv4_base64(md, 16, md5_b64);
}

static int put_prepare(void *op, s3_xfer *x, buf *err)
{
    put_job *p = op;
    s3_put *it = &p->items[x->http.job];
    if (file_read_all(it->file, &x->http.body) != 0) {
        buf_printf(err, "cannot read %s: %s: rebuild the site", it->file, strerror(errno));
        return -1;
    }
    digests(x->http.body.data ? x->http.body.data : "", x->http.body.len, x->sha256, x->md5_b64);
    if (it->sha256 && strcmp(it->sha256, x->sha256) != 0) {
        buf_printf(err, "%s changed after the manifest was written (SHA-256 differs): run `catlog build` again", it->file);
        return -1;
    }
    it->bytes = (long long)x->http.body.len;
    x->http.method = "PUT";
    object_path(p->c, it->key, &x->http.path);
    x->content_type = it->content_type;
    x->cache_control = it->cache_control;
    x->meta_name = it->meta_name;
    x->meta_value = it->meta_value;
    return 0;
}

static void put_finish(void *op, s3_xfer *x, const char *err)
{
    put_job *p = op;
    s3_put *it = &p->items[x->http.job];
    it->ok = err == NULL;
    free(it->error);
    it->error = err ? xstrdup(err) : NULL;
    if (err) p->failed++;
    if (p->done) p->done(p->ud, it);
}

size_t s3_put_all(s3_client *c, s3_put *items, size_t n, s3_done_fn done, void *ud)
{
    put_job p = {c, items, done, ud, 0};
    run_batch(c, n, &p, put_prepare, put_finish);
    return p.failed;
}

typedef struct {
    s3_client *c;
    char *const *keys;
    size_t n;
    bool *ok;
    buf *err;
    size_t failed;
} delete_job;

static int delete_prepare(void *op, s3_xfer *sx, buf *err)
{
    (void)err;
    delete_job *d = op;
    http_request *x = &sx->http;
    size_t from = x->job * DELETE_BATCH, to = from + DELETE_BATCH < d->n ? from + DELETE_BATCH : d->n;
    buf_puts(&x->body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Delete><Quiet>true</Quiet>");
    for (size_t i = from; i < to; i++) {
        buf_puts(&x->body, "<Object><Key>");
        xml_escape(&x->body, d->keys[i]);
        buf_puts(&x->body, "</Key></Object>");
    }
    buf_puts(&x->body, "</Delete>");
    digests(x->body.data, x->body.len, sx->sha256, sx->md5_b64);
    x->method = "POST";
    bucket_path(d->c, &x->path);
    buf_puts(&x->query, "delete=");
    sx->content_type = "application/xml";
    return 0;
}

static void delete_finish(void *op, s3_xfer *x, const char *err)
{
    delete_job *d = op;
    size_t from = x->http.job * DELETE_BATCH, to = from + DELETE_BATCH < d->n ? from + DELETE_BATCH : d->n;
    if (err) {
        for (size_t i = from; i < to; i++) d->ok[i] = false;
        d->failed += to - from;
        if (!d->err->len) buf_puts(d->err, err);
        return;
    }
    for (size_t i = from; i < to; i++) d->ok[i] = true;
    /* Quiet mode: the answer lists only the keys that could not be deleted */
    const char *xml = buf_cstr(&x->http.response);
    size_t pos = 0;
    buf e = BUF_INIT, key = BUF_INIT, code = BUF_INIT;
    while (s3_xml_next(xml, "Error", &pos, &e)) {
        size_t ep = 0;
        if (!s3_xml_next(buf_cstr(&e), "Key", &ep, &key)) continue;
        ep = 0;
        if (!s3_xml_next(buf_cstr(&e), "Code", &ep, &code)) buf_reset(&code);
        for (size_t i = from; i < to; i++) {
            if (d->ok[i] && strcmp(d->keys[i], buf_cstr(&key)) == 0) {
                d->ok[i] = false;
                d->failed++;
                if (!d->err->len)
                    buf_printf(d->err, "DELETE s3://%s/%s: %s", d->c->bucket, d->keys[i], buf_cstr(&code));
                break;
            }
        }
    }
    buf_free(&e);
    buf_free(&key);
    buf_free(&code);
}

size_t s3_delete_all(s3_client *c, char *const *keys, size_t n, bool *ok, buf *err)
{
    delete_job d = {c, keys, n, ok, err, 0};
    run_batch(c, (n + DELETE_BATCH - 1) / DELETE_BATCH, &d, delete_prepare, delete_finish);
    return d.failed;
}
