/* http: every HTTP client of catlog (object storage, the purge hook, alerts) on one engine over
 * libcurl's multi interface: many requests at once over kept-alive connections, retries with
 * exponential backoff and jitter (or the server's Retry-After, capped at 30 s) on connection
 * errors, 5xx, 429 and 408, and one error line per failed request that never shows a header.
 *
 * A client hands the engine a batch of jobs (http_jobs): `prepare` fills each request,
 * `headers` gives the headers of each attempt (a signature needs a fresh date), `finish`
 * receives the outcome. Optional hooks let a client refine what is retried and what a failed
 * answer said, and stop the whole batch (http_stop) when no later request could succeed. */
#ifndef CATLOG_HTTP_H
#define CATLOG_HTTP_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/buf.h"

typedef struct {
    int parallel;          /* requests in flight (at least 1) */
    int max_retries;       /* retries per request after the first attempt */
    double backoff_base;   /* first retry delay in seconds, doubled each time, +-50% jitter */
    long timeout_s;        /* whole-request timeout */
    bool verbose;          /* one line per attempt on stderr: what, status, time */
    const char *name;      /* prefix of the verbose lines ("s3") */
} http_options;

/* One request. A client may ask for a larger struct (http_jobs.request_size) that starts with
 * this one, for what it needs per request; the engine zeroes it and frees it. */
typedef struct http_request {
    size_t job;                     /* which job of the batch */
    const char *method;             /* "GET", "PUT", "POST", "DELETE" */
    buf url;                        /* scheme://host[:port], or a whole URL */
    buf path;                       /* appended to url, encoded */
    buf query;                      /* encoded, without '?' */
    buf body;
    const char *capture;            /* a response header to keep in .captured, or NULL */
    /* the last attempt */
    int attempt;                    /* attempts made */
    CURLcode result;
    long status;                    /* HTTP status, 0 when none came */
    buf response;
    char date[64], last_modified[64], captured[256];
    char curl_error[CURL_ERROR_SIZE];
    /* the engine's */
    double retry_after, due, started;
    CURL *easy;
    struct curl_slist *sent_headers;
} http_request;

typedef struct {
    size_t n;                       /* jobs */
    void *ud;
    size_t request_size;            /* 0: sizeof(http_request) */
    /* Fills x (method, url, path, query, body). -1 with err: the job fails unsent. */
    int (*prepare)(void *ud, http_request *x, buf *err);
    /* Optional: the headers of one attempt (appended to *list). */
    void (*headers)(void *ud, const http_request *x, struct curl_slist **list);
    /* Optional: whether a failed attempt is worth another (given the engine's default). */
    bool (*retryable)(void *ud, const http_request *x, bool by_default);
    /* Optional: on a final failure, appends what the answer said (" Code: message") and may
     * call http_stop(). */
    void (*failed)(void *ud, const http_request *x, buf *detail);
    /* Optional: "METHOD where" for messages; default the method and the URL with its
     * password and query values hidden. */
    void (*describe)(void *ud, const http_request *x, buf *out);
    /* The outcome: err NULL after a 2xx answer, else one line. */
    void (*finish)(void *ud, http_request *x, const char *err);
} http_jobs;

typedef struct http_client http_client;

http_client *http_open(const http_options *o);
void http_close(http_client *c);

/* Runs every job to its outcome (after a stop, the rest finish "not completed: REASON" or
 * "not attempted: REASON"). Stops early on SIGINT/SIGTERM (reason "interrupted"). */
void http_run(http_client *c, const http_jobs *jobs);

/* Stops the batch: the first reason wins; takes ownership of the malloc'd line. */
void http_stop(http_client *c, char *reason);
/* The reason that stopped everything, or NULL. */
const char *http_stopped(const http_client *c);
long long http_request_count(const http_client *c);
long long http_retry_count(const http_client *c);

/* An HTTP date ("Sun, 06 Nov 1994 08:49:37 GMT") as time_t; 0 when absent or malformed. */
time_t http_date_parse(const char *s);

/* POSTs a JSON body to url, with "Authorization: Bearer <bearer>" unless bearer is NULL or "", retrying as
 * above. 0 after a 2xx answer; -1 with "HTTP 503" or the connection error in err. */
int http_post_json(const char *url, const char *bearer, const char *body, const http_options *o, buf *err);

#endif
