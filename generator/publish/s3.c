#include "publish/s3.h"

#include <curl/curl.h>
#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/digest.h"
#include "core/file.h"
#include "core/interrupt.h"
#include "core/progress.h"
#include "core/rng.h"
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
    CURLM *multi;
    CURL **idle;         /* easy handles not in use */
    int nidle;
    rng jitter;
    char *fatal;
    long long requests, retries;
};

/* One request in flight (or waiting for its retry). */
typedef struct xfer {
    size_t job;
    const char *method;
    buf path;            /* URI path as sent (encoded), also the canonical URI */
    buf query;           /* encoded, pairs already sorted, no '?' */
    buf body;
    char sha256[65];
    char md5_b64[32];    /* "" = no Content-MD5 */
    const char *content_type, *cache_control, *meta_name, *meta_value;
    const char *capture_meta;   /* x-amz-meta-<name> to capture from the answer */
    int attempt;
    double due;
    double started;
    CURL *easy;
    struct curl_slist *hdrs;
    char errbuf[CURL_ERROR_SIZE];
    CURLcode res;
    long status;
    buf resp;
    char date[64], last_modified[64], meta[256];
    double retry_after;
} xfer;

typedef struct {
    size_t n;
    void *ud;
    /* Fills x (method, path, query, body, headers). -1 with err: the job fails unsent. */
    int (*prepare)(void *ud, size_t job, xfer *x, buf *err);
    /* The final outcome: err NULL for a 2xx answer, else one line. */
    void (*finish)(void *ud, size_t job, xfer *x, const char *err);
} engine_jobs;

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
    curl_global_init(CURL_GLOBAL_DEFAULT);
    c->multi = curl_multi_init();
    curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)c->cfg.parallel);
    curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS, (long)c->cfg.parallel + 2);
    c->idle = xcalloc((size_t)c->cfg.parallel, sizeof *c->idle);
    rng_seed(&c->jitter, (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 20));
    return c;
}

void s3_close(s3_client *c)
{
    if (!c) return;
    for (int i = 0; i < c->nidle; i++) curl_easy_cleanup(c->idle[i]);
    free(c->idle);
    if (c->multi) {
        curl_multi_cleanup(c->multi);
        curl_global_cleanup();
    }
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
    free(c->fatal);
    free(c);
}

const char *s3_fatal(const s3_client *c) { return c->fatal; }
long long s3_request_count(const s3_client *c) { return c->requests; }
long long s3_retry_count(const s3_client *c) { return c->retries; }

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

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    buf_append(&((xfer *)ud)->resp, p, size * n);
    return size * n;
}

static void copy_value(const char *p, size_t len, char *out, size_t cap)
{
    while (len && (*p == ' ' || *p == '\t')) p++, len--;
    while (len && (p[len - 1] == '\r' || p[len - 1] == '\n' || p[len - 1] == ' ')) len--;
    if (len >= cap) len = cap - 1;
    memcpy(out, p, len);
    out[len] = '\0';
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    xfer *x = ud;
    size_t len = size * n;
    const char *colon = memchr(p, ':', len);
    if (!colon) return len;
    size_t nlen = (size_t)(colon - p);
    const char *v = colon + 1;
    size_t vlen = len - nlen - 1;
    if (nlen == 4 && !strncasecmp(p, "Date", 4)) copy_value(v, vlen, x->date, sizeof x->date);
    else if (nlen == 13 && !strncasecmp(p, "Last-Modified", 13)) copy_value(v, vlen, x->last_modified, sizeof x->last_modified);
    else if (nlen == 11 && !strncasecmp(p, "Retry-After", 11)) {
        char tmp[32];
        copy_value(v, vlen, tmp, sizeof tmp);
        char *end;
        double s = strtod(tmp, &end);
        if (end != tmp && s >= 0) x->retry_after = s > 30 ? 30 : s;
    } else if (x->capture_meta && nlen == 11 + strlen(x->capture_meta) && !strncasecmp(p, "x-amz-meta-", 11) &&
               !strncasecmp(p + 11, x->capture_meta, nlen - 11)) {
        copy_value(v, vlen, x->meta, sizeof x->meta);
    }
    return len;
}

static CURL *easy_get(s3_client *c)
{
    if (c->nidle > 0) {
        CURL *e = c->idle[--c->nidle];
        curl_easy_reset(e);
        return e;
    }
    return curl_easy_init();
}

static void easy_put(s3_client *c, CURL *e)
{
    if (c->nidle < c->cfg.parallel) c->idle[c->nidle++] = e;
    else curl_easy_cleanup(e);
}

static void add_header(struct curl_slist **l, const char *name, const char *value)
{
    buf h = BUF_INIT;
    buf_printf(&h, "%s: %s", name, value);
    *l = curl_slist_append(*l, buf_cstr(&h));
    OPENSSL_cleanse(h.data, h.len);
    buf_free(&h);
}

/* Signs x for this attempt (fresh x-amz-date) and hands it to the multi handle. */
static void start(s3_client *c, xfer *x)
{
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
    sigv4_request r = {x->method, buf_cstr(&x->path), buf_cstr(&x->query), h, nh, x->sha256};
    buf auth = BUF_INIT;
    sigv4_authorization(&r, &key, amz_date, &auth);

    struct curl_slist *l = NULL;
    for (size_t i = 0; i < nh; i++) add_header(&l, h[i].name, h[i].value);
    add_header(&l, "Authorization", buf_cstr(&auth));
    OPENSSL_cleanse(auth.data, auth.len);
    buf_free(&auth);
    l = curl_slist_append(l, "Expect:");   /* no 100-continue round trip */
    l = curl_slist_append(l, "Accept:");
    x->hdrs = l;

    buf url = BUF_INIT;
    buf_printf(&url, "%s%s", c->origin, buf_cstr(&x->path));
    if (x->query.len) buf_printf(&url, "?%s", buf_cstr(&x->query));
    CURL *e = x->easy = easy_get(c);
    curl_easy_setopt(e, CURLOPT_URL, buf_cstr(&url));
    buf_free(&url);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, l);
    if (strcmp(x->method, "GET") == 0) {
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    } else {
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, x->body.data ? x->body.data : "");
        curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)x->body.len);
        if (strcmp(x->method, "POST") != 0) curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, x->method);
    }
    curl_easy_setopt(e, CURLOPT_USERAGENT, "catlog/1.0");
    curl_easy_setopt(e, CURLOPT_TIMEOUT, c->cfg.timeout_s);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(e, CURLOPT_PRIVATE, x);
    x->errbuf[0] = '\0';
    buf_reset(&x->resp);
    x->date[0] = x->last_modified[0] = x->meta[0] = '\0';
    x->retry_after = -1;
    x->status = 0;
    x->started = progress_now();
    c->requests++;
    curl_multi_add_handle(c->multi, e);
}

static void xfer_free(xfer *x)
{
    if (!x) return;
    buf_free(&x->path);
    buf_free(&x->query);
    buf_free(&x->body);
    buf_free(&x->resp);
    curl_slist_free_all(x->hdrs);
    free(x);
}

static bool curl_retryable(CURLcode res)
{
    switch (res) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_OUT_OF_MEMORY:
        return false;
    default:
        return true;
    }
}

/* The S3 error code of an XML error answer into code ("" when none). */
static void error_code(const xfer *x, buf *code, buf *message)
{
    size_t pos = 0;
    if (!x->resp.len || !s3_xml_next(buf_cstr(&x->resp), "Code", &pos, code)) buf_reset(code);
    pos = 0;
    if (!x->resp.len || !s3_xml_next(buf_cstr(&x->resp), "Message", &pos, message)) buf_reset(message);
}

static void describe(const s3_client *c, const xfer *x, buf *out)
{
    /* METHOD s3://bucket/key, never the query's values or any header */
    const char *p = buf_cstr(&x->path) + strlen(c->base_path);
    buf_printf(out, "%s s3://%s%s", x->method, c->bucket, p);
}

/* A fatal answer stops the whole run: no later request could succeed either. */
static void set_fatal(s3_client *c, const xfer *x, const char *code, const char *msg)
{
    if (c->fatal) return;
    buf f = BUF_INIT;
    buf what = BUF_INIT;
    describe(c, x, &what);
    if (x->res != CURLE_OK) {
        if (x->res == CURLE_COULDNT_RESOLVE_HOST)
            buf_printf(&f, "cannot resolve the host of %s (%s, %d attempts): check AWS_ENDPOINT_URL and the network",
                       c->endpoint_name, x->errbuf[0] ? x->errbuf : curl_easy_strerror(x->res), x->attempt);
        else
            buf_printf(&f, "cannot reach %s for %s (%s, %d attempts): is the server up? check AWS_ENDPOINT_URL",
                       c->endpoint_name, c->bucket, x->errbuf[0] ? x->errbuf : curl_easy_strerror(x->res), x->attempt);
    } else if (x->status == 403) {
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
    } else if (x->status == 404) {
        buf_printf(&f, "%s: no such bucket (404 NoSuchBucket): create bucket '%s' or fix --to", c->where, c->bucket);
    } else {
        buf_printf(&f, "%s: wrong region or endpoint for bucket '%s' (%ld %s%s%s): set AWS_REGION (now %s) or AWS_ENDPOINT_URL",
                   c->where, c->bucket, x->status, code, *msg ? ": " : "", msg, c->region);
    }
    c->fatal = buf_detach(&f);
    buf_free(&what);
}

static double backoff(s3_client *c, const xfer *x)
{
    if (x->retry_after >= 0) return x->retry_after;
    int k = x->attempt - 1;
    double d = c->cfg.backoff_base * (double)(1 << (k < 8 ? k : 8));
    return d * (0.5 + rng_unit(&c->jitter));
}

/* An answer came back (or the transfer failed). Returns true when x waits for a retry. */
static bool conclude(s3_client *c, engine_jobs *J, xfer *x)
{
    x->attempt++;
    bool ok = x->res == CURLE_OK && x->status >= 200 && x->status < 300;
    buf code = BUF_INIT, msg = BUF_INIT;
    if (!ok && x->res == CURLE_OK) error_code(x, &code, &msg);
    if (c->cfg.verbose) {
        buf what = BUF_INIT;
        describe(c, x, &what);
        if (x->res != CURLE_OK)
            fprintf(stderr, "s3: %s: %s (attempt %d, %.0f ms)\n", buf_cstr(&what), curl_easy_strerror(x->res), x->attempt,
                    (progress_now() - x->started) * 1000);
        else
            fprintf(stderr, "s3: %s: %ld%s%s (attempt %d, %.0f ms)\n", buf_cstr(&what), x->status, code.len ? " " : "",
                    buf_cstr(&code), x->attempt, (progress_now() - x->started) * 1000);
        buf_free(&what);
    }
    if (!ok) {
        bool retryable = x->res != CURLE_OK ? curl_retryable(x->res)
                                            : (x->status >= 500 || x->status == 429 || x->status == 408 ||
                                               !strcmp(buf_cstr(&code), "RequestTimeout"));
        if (retryable && x->attempt <= c->cfg.max_retries && !c->fatal) {
            x->due = progress_now() + backoff(c, x);
            c->retries++;
            buf_free(&code);
            buf_free(&msg);
            return true;
        }
        bool fatal = (x->res == CURLE_COULDNT_RESOLVE_HOST || x->res == CURLE_COULDNT_CONNECT ||
                      x->res == CURLE_COULDNT_RESOLVE_PROXY) ||
                     (x->res == CURLE_OK &&
                      (x->status == 403 || x->status == 301 || (x->status == 404 && !strcmp(buf_cstr(&code), "NoSuchBucket")) ||
                       (x->status == 400 && (!strcmp(buf_cstr(&code), "AuthorizationHeaderMalformed") ||
                                             !strcmp(buf_cstr(&code), "IllegalLocationConstraintException")))));
        if (fatal) set_fatal(c, x, buf_cstr(&code), buf_cstr(&msg));
        buf line = BUF_INIT;
        describe(c, x, &line);
        if (x->res != CURLE_OK)
            buf_printf(&line, ": %s", x->errbuf[0] ? x->errbuf : curl_easy_strerror(x->res));
        else
            buf_printf(&line, ": HTTP %ld%s%s%s%s", x->status, code.len ? " " : "", buf_cstr(&code), msg.len ? ": " : "",
                       buf_cstr(&msg));
        if (x->attempt > 1) buf_printf(&line, " (after %d attempts)", x->attempt);
        J->finish(J->ud, x->job, x, buf_cstr(&line));
        buf_free(&line);
    } else {
        J->finish(J->ud, x->job, x, NULL);
    }
    buf_free(&code);
    buf_free(&msg);
    return false;
}

static void engine_run(s3_client *c, engine_jobs *J)
{
    int cap = c->cfg.parallel;
    xfer **waiting = xcalloc((size_t)cap, sizeof *waiting);   /* retries: they keep their slot */
    xfer **inflight = xcalloc((size_t)cap, sizeof *inflight);
    int nwait = 0, nfly = 0;
    size_t next = 0;
    buf err = BUF_INIT;
    while (!c->fatal && (next < J->n || nfly > 0 || nwait > 0)) {
        if (interrupt_requested()) {
            c->fatal = xstrdup("interrupted");
            break;
        }
        double now = progress_now();
        for (int i = 0; i < nwait;) {
            if (waiting[i]->due <= now) {
                start(c, waiting[i]);
                inflight[nfly++] = waiting[i];
                waiting[i] = waiting[--nwait];
            } else {
                i++;
            }
        }
        while (nfly + nwait < cap && next < J->n) {
            xfer *x = xcalloc(1, sizeof *x);
            x->job = next++;
            memcpy(x->sha256, EMPTY_SHA256, 65);
            buf_reset(&err);
            if (J->prepare(J->ud, x->job, x, &err) != 0) {
                J->finish(J->ud, x->job, x, buf_cstr(&err));
                xfer_free(x);
                continue;
            }
            start(c, x);
            inflight[nfly++] = x;
        }
        int running = 0;
        curl_multi_perform(c->multi, &running);
        CURLMsg *m;
        int left;
        while ((m = curl_multi_info_read(c->multi, &left))) {
            if (m->msg != CURLMSG_DONE) continue;
            xfer *x = NULL;
            curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
            x->res = m->data.result;
            curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &x->status);
            curl_multi_remove_handle(c->multi, m->easy_handle);
            easy_put(c, x->easy);
            x->easy = NULL;
            curl_slist_free_all(x->hdrs);
            x->hdrs = NULL;
            for (int i = 0; i < nfly; i++) {
                if (inflight[i] == x) {
                    inflight[i] = inflight[--nfly];
                    break;
                }
            }
            if (conclude(c, J, x)) waiting[nwait++] = x;
            else xfer_free(x);
        }
        if (c->fatal) break;
        double wait_s = 1.0;
        now = progress_now();
        for (int i = 0; i < nwait; i++) {
            double d = waiting[i]->due - now;
            if (d < wait_s) wait_s = d < 0 ? 0 : d;
        }
        if (nfly > 0) {
            curl_multi_poll(c->multi, NULL, 0, (int)(wait_s * 1000) + 1, NULL);
        } else if (nwait > 0 && wait_s > 0) {
            interrupt_sleep(wait_s);
        }
    }
    if (c->fatal) {
        /* stop everything: what is in flight, waiting or not yet started fails with the reason */
        buf line = BUF_INIT;
        buf_printf(&line, "not completed: %s", c->fatal);
        for (int i = 0; i < nfly; i++) {
            curl_multi_remove_handle(c->multi, inflight[i]->easy);
            easy_put(c, inflight[i]->easy);
            inflight[i]->easy = NULL;
            J->finish(J->ud, inflight[i]->job, inflight[i], buf_cstr(&line));
            xfer_free(inflight[i]);
        }
        for (int i = 0; i < nwait; i++) {
            J->finish(J->ud, waiting[i]->job, waiting[i], buf_cstr(&line));
            xfer_free(waiting[i]);
        }
        buf_reset(&line);
        buf_printf(&line, "not attempted: %s", c->fatal);
        while (next < J->n) {
            xfer *x = xcalloc(1, sizeof *x);
            x->job = next++;
            J->finish(J->ud, x->job, x, buf_cstr(&line));
            xfer_free(x);
        }
        buf_free(&line);
    }
    buf_free(&err);
    free(waiting);
    free(inflight);
}

/* ---------------------------------------------------------------- operations */

static time_t http_date(const char *s)
{
    if (!s || !*s) return 0;
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = strptime(s, "%a, %d %b %Y %H:%M:%S", &tm);
    return end ? timegm(&tm) : 0;
}

typedef struct {
    s3_client *c;
    const char *key;
    const char *capture_meta;
    const char *query;     /* for listings */
    buf *body;
    s3_object_info *info;
    buf *err;
    int rc;
} get_job;

static int get_prepare(void *ud, size_t job, xfer *x, buf *err)
{
    (void)job;
    (void)err;
    get_job *g = ud;
    x->method = "GET";
    if (g->key) object_path(g->c, g->key, &x->path);
    else bucket_path(g->c, &x->path);
    if (g->query) buf_puts(&x->query, g->query);
    x->capture_meta = g->capture_meta;
    return 0;
}

static void get_finish(void *ud, size_t job, xfer *x, const char *err)
{
    (void)job;
    get_job *g = ud;
    if (g->info) {
        g->info->status = x->status;
        g->info->last_modified = http_date(x->last_modified);
        g->info->server_date = http_date(x->date);
        snprintf(g->info->meta, sizeof g->info->meta, "%s", x->meta);
    }
    if (!err) {
        buf_append(g->body, x->resp.data ? x->resp.data : "", x->resp.len);
        g->rc = 0;
        return;
    }
    if (x->res == CURLE_OK && x->status == 404 && g->key && !g->c->fatal) {
        g->rc = 1;   /* no such key: a first publish */
        return;
    }
    buf_puts(g->err, err);
    g->rc = -1;
}

int s3_get(s3_client *c, const char *key, const char *meta_name, buf *body, s3_object_info *info, buf *err)
{
    if (info) memset(info, 0, sizeof *info);
    get_job g = {c, key, meta_name, NULL, body, info, err, -1};
    engine_jobs J = {1, &g, get_prepare, get_finish};
    engine_run(c, &J);
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
        engine_jobs J = {1, &g, get_prepare, get_finish};
        engine_run(c, &J);
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

static int put_prepare(void *ud, size_t job, xfer *x, buf *err)
{
    put_job *p = ud;
    s3_put *it = &p->items[job];
    if (file_read_all(it->file, &x->body) != 0) {
        buf_printf(err, "cannot read %s: %s: rebuild the site", it->file, strerror(errno));
        return -1;
    }
    digests(x->body.data ? x->body.data : "", x->body.len, x->sha256, x->md5_b64);
    if (it->sha256 && strcmp(it->sha256, x->sha256) != 0) {
        buf_printf(err, "%s changed after the manifest was written (SHA-256 differs): run `catlog build` again", it->file);
        return -1;
    }
    it->bytes = (long long)x->body.len;
    x->method = "PUT";
    object_path(p->c, it->key, &x->path);
    x->content_type = it->content_type;
    x->cache_control = it->cache_control;
    x->meta_name = it->meta_name;
    x->meta_value = it->meta_value;
    return 0;
}

static void put_finish(void *ud, size_t job, xfer *x, const char *err)
{
    (void)x;
    put_job *p = ud;
    s3_put *it = &p->items[job];
    it->ok = err == NULL;
    free(it->error);
    it->error = err ? xstrdup(err) : NULL;
    if (err) p->failed++;
    if (p->done) p->done(p->ud, it);
}

size_t s3_put_all(s3_client *c, s3_put *items, size_t n, s3_done_fn done, void *ud)
{
    put_job p = {c, items, done, ud, 0};
    engine_jobs J = {n, &p, put_prepare, put_finish};
    engine_run(c, &J);
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

static int delete_prepare(void *ud, size_t job, xfer *x, buf *err)
{
    (void)err;
    delete_job *d = ud;
    size_t from = job * DELETE_BATCH, to = from + DELETE_BATCH < d->n ? from + DELETE_BATCH : d->n;
    buf_puts(&x->body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Delete><Quiet>true</Quiet>");
    for (size_t i = from; i < to; i++) {
        buf_puts(&x->body, "<Object><Key>");
        xml_escape(&x->body, d->keys[i]);
        buf_puts(&x->body, "</Key></Object>");
    }
    buf_puts(&x->body, "</Delete>");
    digests(x->body.data, x->body.len, x->sha256, x->md5_b64);
    x->method = "POST";
    bucket_path(d->c, &x->path);
    buf_puts(&x->query, "delete=");
    x->content_type = "application/xml";
    return 0;
}

static void delete_finish(void *ud, size_t job, xfer *x, const char *err)
{
    delete_job *d = ud;
    size_t from = job * DELETE_BATCH, to = from + DELETE_BATCH < d->n ? from + DELETE_BATCH : d->n;
    if (err) {
        for (size_t i = from; i < to; i++) d->ok[i] = false;
        d->failed += to - from;
        if (!d->err->len) buf_puts(d->err, err);
        return;
    }
    for (size_t i = from; i < to; i++) d->ok[i] = true;
    /* Quiet mode: the answer lists only the keys that could not be deleted */
    const char *xml = buf_cstr(&x->resp);
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
    engine_jobs J = {(n + DELETE_BATCH - 1) / DELETE_BATCH, &d, delete_prepare, delete_finish};
    engine_run(c, &J);
    return d.failed;
}
