#include "etl/jikan.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/alloc.h"
#include "core/interrupt.h"
#include "core/progress.h"
#include "core/url.h"

#define RING 256   /* enough history for any per-minute limit we accept */
/* Requests arrive at the server a little closer together than they leave (network and
 * scheduling jitter): keep this much extra distance so the server never sees the limit broken. */
#define GUARD_S 0.02

struct jikan_client {
    jikan_options opt;
    CURL *curl;
    rng jitter;
    double sent[RING];      /* send times, ring buffer */
    int nsent;
    int requests, retries;
    double retry_after;     /* from the last response, seconds; < 0 when absent */
};

void jikan_default_options(jikan_options *o)
{
    o->base_url = NULL;
    o->max_retries = 0;
    o->timeout_s = 0;
    o->max_body = 0;
    o->min_interval = 1.0;
    o->per_minute = 60;
    o->backoff_base = 1.0;
}

static void sleep_s(double s) { interrupt_sleep(s); }

/* Aborts a transfer when a stop is asked for. */
static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow)
{
    (void)ud, (void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
    return interrupt_requested();
}

/* Where a response body goes: bytes past the limit (counted after decompression, as they
 * arrive) stop the transfer, so a gzip bomb or an endless body costs at most the limit. */
typedef struct {
    buf *out;
    size_t start, limit;
    bool over;
} body_sink;

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    body_sink *sink = ud;
    if (sink->out->len - sink->start + size * n > sink->limit) {
        sink->over = true;
        return 0;   /* curl stops with CURLE_WRITE_ERROR */
    }
    buf_append(sink->out, p, size * n);
    return size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    jikan_client *c = ud;
    size_t len = size * n;
    if (len > 12 && strncasecmp(p, "Retry-After:", 12) == 0) {
        char tmp[64];
        size_t k = len - 12 < sizeof tmp - 1 ? len - 12 : sizeof tmp - 1;
        memcpy(tmp, p + 12, k);
        tmp[k] = '\0';
        char *end;
        double v = strtod(tmp, &end);
        if (end != tmp && v >= 0) c->retry_after = v > 120 ? 120 : v;   /* HTTP-date form: ignored */
    }
    return len;
}

jikan_client *jikan_open(const jikan_options *o, unsigned long long jitter_seed)
{
    jikan_client *c = xcalloc(1, sizeof *c);
    c->opt = *o;
    if (c->opt.per_minute > RING) c->opt.per_minute = RING;
    rng_seed(&c->jitter, jitter_seed);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    c->curl = curl_easy_init();
    if (!c->curl) {
        free(c);
        return NULL;
    }
    curl_easy_setopt(c->curl, CURLOPT_USERAGENT, "catlog/1.0 (+https://github.com/catlog-pages)");
    curl_easy_setopt(c->curl, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, c->opt.timeout_s);
    curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c->curl, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, c);
    curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c->curl, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c->curl, CURLOPT_NOPROGRESS, 0L);
    return c;
}

void jikan_close(jikan_client *c)
{
    if (!c) return;
    curl_easy_cleanup(c->curl);
    curl_global_cleanup();
    free(c);
}

int jikan_request_count(const jikan_client *c) { return c->requests; }
int jikan_retry_count(const jikan_client *c) { return c->retries; }

/* Blocks until one more request fits both limits, then records it. */
static void rate_limit(jikan_client *c)
{
    double now = progress_now();
    if (c->nsent > 0) {
        double last = c->sent[(c->nsent - 1) % RING];
        sleep_s(last + c->opt.min_interval + GUARD_S - now);
    }
    if (c->opt.per_minute > 0 && c->nsent >= c->opt.per_minute) {
        double oldest = c->sent[(c->nsent - c->opt.per_minute) % RING];
        sleep_s(oldest + 60.0 + GUARD_S - progress_now());
    }
    c->sent[c->nsent % RING] = progress_now();
    c->nsent++;
}

static double backoff(jikan_client *c, int attempt)
{
    if (c->retry_after >= 0) return c->retry_after;
    double d = c->opt.backoff_base * (double)(1 << (attempt < 10 ? attempt : 10));
    return d * (0.5 + rng_unit(&c->jitter));   /* jitter: 50%..150% */
}

int jikan_get(jikan_client *c, const char *path, buf *out, buf *err)
{
    buf url = BUF_INIT, full = BUF_INIT;
    buf_printf(&full, "%s%s", c->opt.base_url, path);
    curl_easy_setopt(c->curl, CURLOPT_URL, buf_cstr(&full));
    url_redact(&url, buf_cstr(&full));   /* what messages show: without user-info or tokens */
    body_sink sink = {out, out->len, c->opt.max_body, false};
    curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c->curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)c->opt.max_body);
    int rc = -1;
    size_t start = out->len;
    for (int attempt = 0;; attempt++) {
        out->len = start;
        if (out->data) out->data[start] = '\0';
        sink.over = false;
        c->retry_after = -1;
        rate_limit(c);
        c->requests++;
        CURLcode res = curl_easy_perform(c->curl);
        long status = 0;
        curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
        int retryable;
        buf_reset(err);
        if (interrupt_requested()) {
            buf_printf(err, "GET %s: interrupted", buf_cstr(&url));
            break;
        } else if (sink.over || res == CURLE_FILESIZE_EXCEEDED) {
            /* the same answer would come again: not retried */
            buf_printf(err, "GET %s: the response is larger than %zu MiB (jikan.max_response, --max-response)",
                       buf_cstr(&url), c->opt.max_body >> 20);
            out->len = start;
            if (out->data) out->data[start] = '\0';
            break;
        } else if (res != CURLE_OK) {
            buf_printf(err, "GET %s: %s", buf_cstr(&url), curl_easy_strerror(res));
            retryable = 1;
        } else if (status == 200) {
            rc = 0;
            break;
        } else {
            buf_printf(err, "GET %s: HTTP %ld", buf_cstr(&url), status);
            retryable = status == 429 || status >= 500;
        }
        if (!retryable || attempt >= c->opt.max_retries) {
            buf_printf(err, " (after %d attempt%s)", attempt + 1, attempt ? "s" : "");
            break;
        }
        c->retries++;
        sleep_s(backoff(c, attempt));
        if (interrupt_requested()) {
            buf_reset(err);
            buf_printf(err, "GET %s: interrupted", buf_cstr(&url));
            break;
        }
    }
    buf_free(&url);
    buf_free(&full);
    return rc;
}
