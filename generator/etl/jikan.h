/* jikan: the HTTP client for the Jikan API. One kept-alive libcurl handle, a rate limit
 * (1 request/s and 60/min by default), and retries with exponential backoff and jitter on
 * 429 (honouring Retry-After), 5xx, timeouts and connection errors. */
#ifndef CATLOG_JIKAN_H
#define CATLOG_JIKAN_H

#include <stddef.h>

#include "core/buf.h"
#include "core/rng.h"

typedef struct {
    const char *base_url;       /* e.g. https://api.jikan.moe/v4 (the jikan.* settings) */
    int max_retries;            /* per request */
    double min_interval;        /* seconds between requests, default 1.0 */
    int per_minute;             /* requests in any 60 s, default 60 */
    long timeout_s;             /* whole-request timeout */
    size_t max_body;            /* bytes of a response after decompression; more is an error */
    double backoff_base;        /* first retry delay in seconds, default 1.0 */
} jikan_options;

typedef struct jikan_client jikan_client;

/* The rate limit and backoff Jikan asks for; base_url, max_retries, timeout_s and max_body
 * come from the settings (cmd/settings.c) and are left empty here. */
void jikan_default_options(jikan_options *o);
jikan_client *jikan_open(const jikan_options *o, unsigned long long jitter_seed);
void jikan_close(jikan_client *c);

/* GET {base}/path. On success appends the body to out and returns 0. On failure returns
 * -1 with a one-line reason in err (URL, status or curl error, attempts made). */
int jikan_get(jikan_client *c, const char *path, buf *out, buf *err);

/* Requests sent so far, retries included. */
int jikan_request_count(const jikan_client *c);
int jikan_retry_count(const jikan_client *c);

#endif
