/* s3: an S3 client on libcurl's multi interface. SigV4-signed GET, ListObjectsV2, PUT and
 * DeleteObjects; many requests at once over kept-alive connections; retries with backoff
 * on 5xx, 429 and connection errors; one-line errors that name the bucket, the endpoint and
 * the access key id (never a secret, a signature or an Authorization header). */
#ifndef CATLOG_S3_H
#define CATLOG_S3_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/buf.h"

typedef struct {
    const char *endpoint;          /* AWS_ENDPOINT_URL: path-style URLs; NULL: AWS virtual-hosted */
    const char *bucket;
    const char *region;            /* AWS_REGION, default us-east-1 */
    const char *access_key_id;
    const char *secret_access_key;
    const char *session_token;     /* NULL when none */
    int parallel;                  /* requests in flight (default 16) */
    int max_retries;               /* retries per request (default 4) */
    double backoff_base;           /* first retry delay, seconds (default 0.25), doubled each time */
    long timeout_s;                /* whole-request timeout (default 120) */
    bool verbose;                  /* one line per request on stderr: method, key, status, time */
} s3_config;

typedef struct s3_client s3_client;

/* Fills region, parallel, retries, backoff and timeout defaults, and endpoint/region/keys
 * from the AWS_* environment variables. */
void s3_config_from_env(s3_config *cfg);

/* NULL with a one-line reason in err (missing credentials, malformed endpoint). */
s3_client *s3_open(const s3_config *cfg, buf *err);
void s3_close(s3_client *c);

/* The error that stopped everything (403, missing bucket, unreachable endpoint), or NULL. */
const char *s3_fatal(const s3_client *c);
long long s3_request_count(const s3_client *c);
long long s3_retry_count(const s3_client *c);

typedef struct {
    long status;                   /* HTTP status of the final answer */
    time_t last_modified;          /* 0 when absent */
    time_t server_date;            /* the server's Date header, 0 when absent */
    char meta[256];                /* value of the x-amz-meta-<meta_name> header asked for, or "" */
} s3_object_info;

/* GET key into body. 0: found; 1: no such key; -1: failed, one line in err. meta_name
 * (may be NULL) names a metadata header to capture into info->meta. */
int s3_get(s3_client *c, const char *key, const char *meta_name, buf *body, s3_object_info *info, buf *err);

typedef struct {
    char *key;
    long long size;
    char etag[33];                 /* MD5 hex for single-part uploads; "" otherwise */
} s3_object;

typedef struct {
    s3_object *v;
    size_t n;
} s3_listing;

/* Every key under prefix (ListObjectsV2, no delimiter), sorted. 0 or -1 with err. */
int s3_list(s3_client *c, const char *prefix, s3_listing *out, buf *err);
void s3_listing_free(s3_listing *l);

typedef struct {
    const char *key;
    const char *file;              /* local file holding the body */
    const char *sha256;            /* expected SHA-256 hex of the file, or NULL */
    const char *content_type;
    const char *cache_control;     /* NULL: none */
    const char *meta_name;         /* one x-amz-meta-<meta_name> header, or NULL */
    const char *meta_value;
    /* results */
    bool ok;
    long long bytes;               /* body size */
    char *error;                   /* malloc'd one line when !ok */
} s3_put;

typedef void (*s3_done_fn)(void *ud, const s3_put *item);

/* Uploads every item, at most cfg.parallel at once, each with Content-MD5 and the body's
 * SHA-256 (a file whose bytes no longer match item->sha256 is not sent). Calls done after
 * each item's final attempt. Returns how many failed; after a fatal error the items not
 * yet sent fail with "not attempted". */
size_t s3_put_all(s3_client *c, s3_put *items, size_t n, s3_done_fn done, void *ud);

/* Deletes keys in DeleteObjects batches of up to 1000. ok[i] tells each key's fate;
 * the first failure's reason goes to err. Returns how many failed. */
size_t s3_delete_all(s3_client *c, char *const *keys, size_t n, bool *ok, buf *err);

/* Reads the text of <tag>...</tag> starting at *pos (XML entities decoded) into out;
 * advances *pos past it. false when absent. Exposed for tests. */
bool s3_xml_next(const char *xml, const char *tag, size_t *pos, buf *out);

#endif
