/* sigv4: AWS Signature Version 4 (canonical request, string to sign, signing key,
 * Authorization header) on OpenSSL's SHA-256 and HMAC. Pure functions: the clock and the
 * credentials are passed in, so AWS's published test vectors check it directly. */
#ifndef CATLOG_SIGV4_H
#define CATLOG_SIGV4_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "core/buf.h"

typedef struct {
    const char *name;   /* any case; canonicalized to lower case */
    const char *value;  /* trimmed, inner runs of spaces collapsed when canonicalized */
} sigv4_header;

typedef struct {
    const char *method;            /* "GET", "PUT", ... */
    const char *path;              /* URI path exactly as sent, already URI-encoded ("" = "/") */
    const char *query;             /* query exactly as sent, already URI-encoded, no '?'; "" or NULL */
    const sigv4_header *headers;   /* every header to sign, host and x-amz-date included */
    size_t nheaders;
    const char *payload_sha256;    /* lower-case hex SHA-256 of the body */
} sigv4_request;

typedef struct {
    const char *access_key_id;
    const char *secret_access_key;
    const char *region;            /* "us-east-1" */
    const char *service;           /* "s3" */
} sigv4_key;

/* Standard base64 of n bytes; out needs 4*((n+2)/3)+1 bytes. */
void sigv4_base64(const unsigned char *bytes, size_t n, char *out);

/* AWS URI encoding: unreserved A-Z a-z 0-9 - . _ ~ stay, everything else is %XX (upper
 * case); '/' stays when keep_slash (object key paths) and is %2F otherwise (query values). */
void sigv4_uri_encode(buf *out, const char *s, bool keep_slash);

/* "YYYYMMDDTHHMMSSZ" for t (UTC). */
void sigv4_amz_date(time_t t, char out[17]);

/* The canonical request (the query pairs sorted by key, then value, as botocore does). */
void sigv4_canonical_request(const sigv4_request *r, buf *out);
/* The string to sign for a canonical request at amz_date. */
void sigv4_string_to_sign(const sigv4_key *k, const char *amz_date, const char *canonical_request, buf *out);
/* Signature (hex) of a string to sign. */
void sigv4_signature(const sigv4_key *k, const char *amz_date, const char *string_to_sign, char out[65]);
/* "name1;name2;..." of the request's headers (lower case, sorted, unique). */
void sigv4_signed_headers(const sigv4_request *r, buf *out);
/* The whole Authorization header value:
 * "AWS4-HMAC-SHA256 Credential=AKID/DATE/REGION/SERVICE/aws4_request, SignedHeaders=..., Signature=...". */
void sigv4_authorization(const sigv4_request *r, const sigv4_key *k, const char *amz_date, buf *out);

#endif
