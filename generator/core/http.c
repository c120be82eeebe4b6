#include "core/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/interrupt.h"
#include "core/progress.h"
#include "core/rng.h"
#include "core/url.h"

struct http_client {
    http_options o;
    CURLM *multi;
    CURL **idle;         /* easy handles not in use, kept for their connections */
    int nidle;
    rng jitter;
    char *stopped;
    long long requests, retries;
};

http_client *http_open(const http_options *o)
{
    http_client *c = xcalloc(1, sizeof *c);
    c->o = *o;
    if (c->o.parallel < 1) c->o.parallel = 1;
    if (c->o.max_retries < 0) c->o.max_retries = 0;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    c->multi = curl_multi_init();
    curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)c->o.parallel);
    curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS, (long)c->o.parallel + 2);
    c->idle = xcalloc((size_t)c->o.parallel, sizeof *c->idle);
    rng_seed(&c->jitter, (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 20));
    return c;
}

void http_close(http_client *c)
{
    if (!c) return;
    for (int i = 0; i < c->nidle; i++) curl_easy_cleanup(c->idle[i]);
    free(c->idle);
    curl_multi_cleanup(c->multi);
    curl_global_cleanup();
    free(c->stopped);
    free(c);
}

void http_stop(http_client *c, char *reason)
{
    if (c->stopped) free(reason);
    else c->stopped = reason;
}

const char *http_stopped(const http_client *c) { return c->stopped; }
long long http_request_count(const http_client *c) { return c->requests; }
long long http_retry_count(const http_client *c) { return c->retries; }

time_t http_date_parse(const char *s)
{
    if (!s || !*s) return 0;
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = strptime(s, "%a, %d %b %Y %H:%M:%S", &tm);
    return end ? timegm(&tm) : 0;
}

/* ---------------------------------------------------------------- one attempt */

static size_t S_on_body(char *p, size_t size, size_t n, void *ud)
{
    buf_append(&((http_request *)ud)->response, p, size * n);
    return size * n;
}

static void S_copy_value(const char *p, size_t len, char *out, size_t cap)
{
    while (len && (*p == ' ' || *p == '\t')) p++, len--;
    while (len && (p[len - 1] == '\r' || p[len - 1] == '\n' || p[len - 1] == ' ')) len--;
    if (len >= cap) len = cap - 1;
    memcpy(out, p, len);
    out[len] = '\0';
}

static bool S_header_is(const char *p, size_t nlen, const char *name)
{
    return name && strlen(name) == nlen && strncasecmp(p, name, nlen) == 0;
}

static size_t S_on_header(char *p, size_t size, size_t n, void *ud)
{
    http_request *x = ud;
    size_t len = size * n;
    const char *colon = memchr(p, ':', len);
    if (!colon) return len;
    size_t nlen = (size_t)(colon - p);
    const char *v = colon + 1;
    size_t vlen = len - nlen - 1;
    if (S_header_is(p, nlen, "Date")) S_copy_value(v, vlen, x->date, sizeof x->date);
    else if (S_header_is(p, nlen, "Last-Modified")) S_copy_value(v, vlen, x->last_modified, sizeof x->last_modified);
    else if (S_header_is(p, nlen, "Retry-After")) {
        char tmp[32];
        S_copy_value(v, vlen, tmp, sizeof tmp);
        char *end;
        double s = strtod(tmp, &end);
        if (end != tmp && s >= 0) x->retry_after = s > 30 ? 30 : s;
    } else if (S_header_is(p, nlen, x->capture)) {
        S_copy_value(v, vlen, x->captured, sizeof x->captured);
    }
    return len;
}

static CURL *S_easy_get(http_client *c)
{
    if (c->nidle > 0) {
        CURL *e = c->idle[--c->nidle];
        curl_easy_reset(e);
        return e;
    }
    return curl_easy_init();
}

static void S_easy_put(http_client *c, CURL *e)
{
    if (c->nidle < c->o.parallel) c->idle[c->nidle++] = e;
    else curl_easy_cleanup(e);
}

/* Hands x to the multi handle with this attempt's headers. */
static void S_start(http_client *c, const http_jobs *J, http_request *x)
{
    struct curl_slist *l = NULL;
    if (J->headers) J->headers(J->ud, x, &l);
    l = curl_slist_append(l, "Expect:");   /* no 100-continue round trip */
    l = curl_slist_append(l, "Accept:");
    x->sent_headers = l;

    buf url = BUF_INIT;
    buf_printf(&url, "%s%s", buf_cstr(&x->url), buf_cstr(&x->path));
    if (x->query.len) buf_printf(&url, "?%s", buf_cstr(&x->query));
    CURL *e = x->easy = S_easy_get(c);
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
    curl_easy_setopt(e, CURLOPT_TIMEOUT, c->o.timeout_s);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->curl_error);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, S_on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, S_on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(e, CURLOPT_PRIVATE, x);
    x->curl_error[0] = '\0';
    buf_reset(&x->response);
    x->date[0] = x->last_modified[0] = x->captured[0] = '\0';
    x->retry_after = -1;
    x->status = 0;
    x->started = progress_now();
    c->requests++;
    curl_multi_add_handle(c->multi, e);
}

static void S_request_free(http_request *x)
{
    if (!x) return;
    buf_free(&x->url);
    buf_free(&x->path);
    buf_free(&x->query);
    buf_free(&x->body);
    buf_free(&x->response);
    curl_slist_free_all(x->sent_headers);
    free(x);
}

static http_request *S_request_new(const http_jobs *J, size_t job)
{
    http_request *x = xcalloc(1, J->request_size > sizeof *x ? J->request_size : sizeof *x);
    x->job = job;
    return x;
}

/* ---------------------------------------------------------------- outcomes */

static bool S_curl_retryable(CURLcode res)
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

static void S_describe(const http_jobs *J, const http_request *x, buf *out)
{
    if (J->describe) {
        J->describe(J->ud, x, out);
        return;
    }
    buf whole = BUF_INIT;
    buf_printf(&whole, "%s%s", buf_cstr(&x->url), buf_cstr(&x->path));
    if (x->query.len) buf_printf(&whole, "?%s", buf_cstr(&x->query));
    buf_printf(out, "%s ", x->method);
    url_redact(out, buf_cstr(&whole));
    buf_free(&whole);
}

static double S_backoff(http_client *c, const http_request *x)
{
    if (x->retry_after >= 0) return x->retry_after;
    int k = x->attempt - 1;
    double d = c->o.backoff_base * (double)(1 << (k < 8 ? k : 8));
    return d * (0.5 + rng_unit(&c->jitter));
}

static void S_trace(http_client *c, const http_jobs *J, const http_request *x)
{
    buf what = BUF_INIT;
    S_describe(J, x, &what);
    if (x->result != CURLE_OK)
        fprintf(stderr, "%s: %s: %s (attempt %d, %.0f ms)\n", c->o.name ? c->o.name : "http", buf_cstr(&what),
                curl_easy_strerror(x->result), x->attempt, (progress_now() - x->started) * 1000);
    else
        fprintf(stderr, "%s: %s: %ld (attempt %d, %.0f ms)\n", c->o.name ? c->o.name : "http", buf_cstr(&what),
                x->status, x->attempt, (progress_now() - x->started) * 1000);
    buf_free(&what);
}

/* An answer came back (or the transfer failed). Returns true when x waits for a retry. */
static bool S_conclude(http_client *c, const http_jobs *J, http_request *x)
{
    x->attempt++;
    if (c->o.verbose) S_trace(c, J, x);
    if (x->result == CURLE_OK && x->status >= 200 && x->status < 300) {
        J->finish(J->ud, x, NULL);
        return false;
    }
    bool retryable = x->result != CURLE_OK ? S_curl_retryable(x->result)
                                           : (x->status >= 500 || x->status == 429 || x->status == 408);
    if (J->retryable) retryable = J->retryable(J->ud, x, retryable);
    if (retryable && x->attempt <= c->o.max_retries && !c->stopped) {
        x->due = progress_now() + S_backoff(c, x);
        c->retries++;
        return true;
    }
    buf detail = BUF_INIT, line = BUF_INIT;
    if (J->failed) J->failed(J->ud, x, &detail);
    S_describe(J, x, &line);
    if (x->result != CURLE_OK)
        buf_printf(&line, ": %s", x->curl_error[0] ? x->curl_error : curl_easy_strerror(x->result));
    else
        buf_printf(&line, ": HTTP %ld%s", x->status, buf_cstr(&detail));
    if (x->attempt > 1) buf_printf(&line, " (after %d attempts)", x->attempt);
    J->finish(J->ud, x, buf_cstr(&line));
    buf_free(&line);
    buf_free(&detail);
    return false;
}

/* After a stop: what is in flight, waiting or not yet started finishes with the reason. */
static void S_abandon(http_client *c, const http_jobs *J, http_request **inflight, int nfly, http_request **waiting,
                      int nwait, size_t next)
{
    buf line = BUF_INIT;
    buf_printf(&line, "not completed: %s", c->stopped);
    for (int i = 0; i < nfly; i++) {
        curl_multi_remove_handle(c->multi, inflight[i]->easy);
        S_easy_put(c, inflight[i]->easy);
        inflight[i]->easy = NULL;
        J->finish(J->ud, inflight[i], buf_cstr(&line));
        S_request_free(inflight[i]);
    }
    for (int i = 0; i < nwait; i++) {
        J->finish(J->ud, waiting[i], buf_cstr(&line));
        S_request_free(waiting[i]);
    }
    buf_reset(&line);
    buf_printf(&line, "not attempted: %s", c->stopped);
    while (next < J->n) {
        http_request *x = S_request_new(J, next++);
        J->finish(J->ud, x, buf_cstr(&line));
        S_request_free(x);
    }
    buf_free(&line);
}

/* Collects the finished transfers; the ones to retry join `waiting`. */
static void S_collect(http_client *c, const http_jobs *J, http_request **inflight, int *nfly, http_request **waiting,
                      int *nwait)
{
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(c->multi, &left))) {
        if (m->msg != CURLMSG_DONE) continue;
        http_request *x = NULL;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
        x->result = m->data.result;
        curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &x->status);
        curl_multi_remove_handle(c->multi, m->easy_handle);
        S_easy_put(c, x->easy);
        x->easy = NULL;
        curl_slist_free_all(x->sent_headers);
        x->sent_headers = NULL;
        for (int i = 0; i < *nfly; i++) {
            if (inflight[i] == x) {
                inflight[i] = inflight[--*nfly];
                break;
            }
        }
        if (S_conclude(c, J, x)) waiting[(*nwait)++] = x;
        else S_request_free(x);
    }
}

void http_run(http_client *c, const http_jobs *J)
{
    int cap = c->o.parallel;
    http_request **waiting = xcalloc((size_t)cap, sizeof *waiting);   /* retries keep their slot */
    http_request **inflight = xcalloc((size_t)cap, sizeof *inflight);
    int nwait = 0, nfly = 0;
    size_t next = 0;
    buf err = BUF_INIT;
    while (!c->stopped && (next < J->n || nfly > 0 || nwait > 0)) {
        if (interrupt_requested()) {
            http_stop(c, xstrdup("interrupted"));
            break;
        }
        double now = progress_now();
        for (int i = 0; i < nwait;) {
            if (waiting[i]->due <= now) {
                S_start(c, J, waiting[i]);
                inflight[nfly++] = waiting[i];
                waiting[i] = waiting[--nwait];
            } else {
                i++;
            }
        }
        while (nfly + nwait < cap && next < J->n) {
            http_request *x = S_request_new(J, next++);
            buf_reset(&err);
            if (J->prepare(J->ud, x, &err) != 0) {
                J->finish(J->ud, x, buf_cstr(&err));
                S_request_free(x);
                continue;
            }
            S_start(c, J, x);
            inflight[nfly++] = x;
        }
        int running = 0;
        curl_multi_perform(c->multi, &running);
        S_collect(c, J, inflight, &nfly, waiting, &nwait);
        if (c->stopped) break;
        double wait_s = 1.0;
        now = progress_now();
        for (int i = 0; i < nwait; i++) {
            double d = waiting[i]->due - now;
            if (d < wait_s) wait_s = d < 0 ? 0 : d;
        }
        if (nfly > 0) curl_multi_poll(c->multi, NULL, 0, (int)(wait_s * 1000) + 1, NULL);
        else if (nwait > 0 && wait_s > 0) interrupt_sleep(wait_s);
    }
    if (c->stopped) S_abandon(c, J, inflight, nfly, waiting, nwait, next);
    buf_free(&err);
    free(waiting);
    free(inflight);
}

/* ---------------------------------------------------------------- one JSON POST */

typedef struct {
    const char *url, *bearer, *body;
    buf *err;
    int rc;
} post_job;

static int S_post_prepare(void *ud, http_request *x, buf *err)
{
    (void)err;
    post_job *p = ud;
    x->method = "POST";
    buf_puts(&x->url, p->url);
    buf_puts(&x->body, p->body);
    return 0;
}

static void S_post_headers(void *ud, const http_request *x, struct curl_slist **list)
{
    (void)x;
    post_job *p = ud;
    *list = curl_slist_append(*list, "Content-Type: application/json");
    if (p->bearer && *p->bearer) {
        buf a = BUF_INIT;
        buf_printf(&a, "Authorization: Bearer %s", p->bearer);
        *list = curl_slist_append(*list, buf_cstr(&a));
        buf_free(&a);
    }
}

static void S_post_finish(void *ud, http_request *x, const char *err)
{
    post_job *p = ud;
    p->rc = err ? -1 : 0;
    if (!err) return;
    if (x->result != CURLE_OK) buf_puts(p->err, x->curl_error[0] ? x->curl_error : curl_easy_strerror(x->result));
    else if (x->status) buf_printf(p->err, "HTTP %ld", x->status);
    else buf_puts(p->err, err);
}

int http_post_json(const char *url, const char *bearer, const char *body, const http_options *o, buf *err)
{
    post_job p = {url, bearer, body, err, -1};
    http_jobs J = {.n = 1, .ud = &p, .prepare = S_post_prepare, .headers = S_post_headers, .finish = S_post_finish};
    http_client *c = http_open(o);
    http_run(c, &J);
    http_close(c);
    return p.rc;
}
