#include "publish/sigv4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/digest.h"

void sigv4_base64(const unsigned char *bytes, size_t n, char *out)
{
    EVP_EncodeBlock((unsigned char *)out, bytes, (int)n);
}

static void hmac_sha256(const void *key, size_t keylen, const char *msg, size_t msglen, unsigned char out[32])
{
    unsigned int len = 32;
    HMAC(EVP_sha256(), key, (int)keylen, (const unsigned char *)msg, msglen, out, &len);
}

void sigv4_uri_encode(buf *out, const char *s, bool keep_slash)
{
    static const char digits[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
            c == '_' || c == '~' || (c == '/' && keep_slash)) {
            buf_putc(out, (char)c);
        } else {
            char esc[3] = {'%', digits[c >> 4], digits[c & 15]};
            buf_append(out, esc, 3);
        }
    }
}

void sigv4_amz_date(time_t t, char out[17])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

/* ---- canonical headers ---- */

typedef struct {
    char *name;      /* lower case */
    char *value;     /* trimmed, spaces collapsed */
    size_t order;    /* position in the request, for a stable sort */
} canon_header;

static int cmp_header(const void *a, const void *b)
{
    const canon_header *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c) return c;
    return x->order < y->order ? -1 : x->order > y->order;
}

static char *lower_dup(const char *s)
{
    size_t n = strlen(s);
    char *d = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++) d[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] + 32 : s[i]);
    d[n] = '\0';
    /* names are trimmed too */
    size_t a = 0;
    while (d[a] == ' ' || d[a] == '\t') a++;
    size_t e = strlen(d);
    while (e > a && (d[e - 1] == ' ' || d[e - 1] == '\t')) e--;
    memmove(d, d + a, e - a);
    d[e - a] = '\0';
    return d;
}

static char *trimall_dup(const char *s)
{
    size_t n = strlen(s);
    char *d = xmalloc(n + 1);
    size_t k = 0;
    bool space = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = k > 0;
            continue;
        }
        if (space) d[k++] = ' ';
        space = false;
        d[k++] = c;
    }
    d[k] = '\0';
    return d;
}

static canon_header *canon_headers(const sigv4_request *r)
{
    canon_header *h = xcalloc(r->nheaders ? r->nheaders : 1, sizeof *h);
    for (size_t i = 0; i < r->nheaders; i++) {
        h[i].name = lower_dup(r->headers[i].name);
        h[i].value = trimall_dup(r->headers[i].value ? r->headers[i].value : "");
        h[i].order = i;
    }
    qsort(h, r->nheaders, sizeof *h, cmp_header);
    return h;
}

static void free_headers(canon_header *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(h[i].name);
        free(h[i].value);
    }
    free(h);
}

static void put_signed_names(buf *out, const canon_header *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && strcmp(h[i].name, h[i - 1].name) == 0) continue;
        if (i > 0) buf_putc(out, ';');
        buf_puts(out, h[i].name);
    }
}

void sigv4_signed_headers(const sigv4_request *r, buf *out)
{
    canon_header *h = canon_headers(r);
    put_signed_names(out, h, r->nheaders);
    free_headers(h, r->nheaders);
}

/* ---- canonical query ---- */

typedef struct {
    const char *key;
    size_t klen;
    const char *value;
    size_t vlen;
} query_pair;

static int cmp_bytes(const char *a, size_t an, const char *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    if (c) return c;
    return an < bn ? -1 : an > bn;
}

static int cmp_pair(const void *a, const void *b)
{
    const query_pair *x = a, *y = b;
    int c = cmp_bytes(x->key, x->klen, y->key, y->klen);
    return c ? c : cmp_bytes(x->value, x->vlen, y->value, y->vlen);
}

static void put_canonical_query(buf *out, const char *q)
{
    if (!q || !*q) return;
    size_t n = 1;
    for (const char *p = q; *p; p++) n += *p == '&';
    query_pair *pairs = xcalloc(n, sizeof *pairs);
    size_t k = 0;
    const char *p = q;
    for (;;) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        pairs[k].key = p;
        pairs[k].klen = eq ? (size_t)(eq - p) : len;
        pairs[k].value = eq ? eq + 1 : p + len;
        pairs[k].vlen = eq ? len - pairs[k].klen - 1 : 0;
        k++;
        if (!amp) break;
        p = amp + 1;
    }
    qsort(pairs, k, sizeof *pairs, cmp_pair);
    for (size_t i = 0; i < k; i++) {
        if (i) buf_putc(out, '&');
        buf_append(out, pairs[i].key, pairs[i].klen);
        buf_putc(out, '=');
        buf_append(out, pairs[i].value, pairs[i].vlen);
    }
    free(pairs);
}

void sigv4_canonical_request(const sigv4_request *r, buf *out)
{
    buf_puts(out, r->method);
    buf_putc(out, '\n');
    buf_puts(out, r->path && *r->path ? r->path : "/");
    buf_putc(out, '\n');
    put_canonical_query(out, r->query);
    buf_putc(out, '\n');
    canon_header *h = canon_headers(r);
    for (size_t i = 0; i < r->nheaders; i++) {
        if (i > 0 && strcmp(h[i].name, h[i - 1].name) == 0) {
            buf_putc(out, ',');   /* a repeated header: values joined in request order */
        } else {
            if (i > 0) buf_putc(out, '\n');
            buf_puts(out, h[i].name);
            buf_putc(out, ':');
        }
        buf_puts(out, h[i].value);
    }
    buf_puts(out, "\n\n");
    put_signed_names(out, h, r->nheaders);
    buf_putc(out, '\n');
    buf_puts(out, r->payload_sha256);
    free_headers(h, r->nheaders);
}

static void put_scope(buf *out, const sigv4_key *k, const char *amz_date)
{
    buf_printf(out, "%.8s/%s/%s/aws4_request", amz_date, k->region, k->service);
}

void sigv4_string_to_sign(const sigv4_key *k, const char *amz_date, const char *canonical_request, buf *out)
{
    char hash[65];
    digest_sha256_hex(canonical_request, strlen(canonical_request), hash);
    buf_printf(out, "AWS4-HMAC-SHA256\n%s\n", amz_date);
    put_scope(out, k, amz_date);
    buf_printf(out, "\n%s", hash);
}

void sigv4_signature(const sigv4_key *k, const char *amz_date, const char *string_to_sign, char out[65])
{
    size_t slen = strlen(k->secret_access_key);
    char *key = xmalloc(slen + 5);
    memcpy(key, "AWS4", 4);
    memcpy(key + 4, k->secret_access_key, slen + 1);
    unsigned char kdate[32], kregion[32], kservice[32], ksigning[32], sig[32];
    hmac_sha256(key, slen + 4, amz_date, 8, kdate);
    hmac_sha256(kdate, 32, k->region, strlen(k->region), kregion);
    hmac_sha256(kregion, 32, k->service, strlen(k->service), kservice);
    hmac_sha256(kservice, 32, "aws4_request", 12, ksigning);
    hmac_sha256(ksigning, 32, string_to_sign, strlen(string_to_sign), sig);
    digest_hex(sig, 32, out);
    /* the secret and every key derived from it leave no copy behind */
    OPENSSL_cleanse(key, slen + 4);
    OPENSSL_cleanse(kdate, sizeof kdate);
    OPENSSL_cleanse(kregion, sizeof kregion);
    OPENSSL_cleanse(kservice, sizeof kservice);
    OPENSSL_cleanse(ksigning, sizeof ksigning);
    free(key);
}

void sigv4_authorization(const sigv4_request *r, const sigv4_key *k, const char *amz_date, buf *out)
{
    buf creq = BUF_INIT, sts = BUF_INIT;
    sigv4_canonical_request(r, &creq);
    sigv4_string_to_sign(k, amz_date, buf_cstr(&creq), &sts);
    char sig[65];
    sigv4_signature(k, amz_date, buf_cstr(&sts), sig);
    buf_printf(out, "AWS4-HMAC-SHA256 Credential=%s/", k->access_key_id);
    put_scope(out, k, amz_date);
    buf_puts(out, ", SignedHeaders=");
    sigv4_signed_headers(r, out);
    buf_printf(out, ", Signature=%s", sig);
    buf_free(&creq);
    buf_free(&sts);
}
