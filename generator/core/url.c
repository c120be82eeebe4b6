#include "core/url.h"

#include <string.h>
#include <strings.h>

/* Where the authority starts (after "scheme://") and ends; NULL when url has no scheme. */
static const char *S_authority(const char *url, const char **end)
{
    const char *p = strstr(url, "://");
    if (!p) return NULL;
    p += 3;
    *end = p + strcspn(p, "/?#");
    return p;
}

static bool S_secret_name(const char *name, size_t n)
{
    static const char *const words[] = {"pass", "token", "secret", "key", "sig", "auth", "credential"};
    char low[64];
    if (n >= sizeof low) n = sizeof low - 1;
    for (size_t i = 0; i < n; i++) low[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
    low[n] = '\0';
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strstr(low, words[i])) return true;
    return false;
}

void url_redact(buf *out, const char *url)
{
    const char *end = NULL, *auth = S_authority(url, &end);
    const char *p = url;
    if (auth) {
        const char *at = memchr(auth, '@', (size_t)(end - auth));
        const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
        if (colon) {
            buf_append(out, url, (size_t)(colon + 1 - url));
            buf_puts(out, "***");
            p = at;
        }
    }
    const char *q = strchr(p, '?');
    if (!q) {
        buf_puts(out, p);
        return;
    }
    buf_append(out, p, (size_t)(q + 1 - p));
    for (p = q + 1; *p;) {
        size_t n = strcspn(p, "&#");
        const char *eq = memchr(p, '=', n);
        if (eq && S_secret_name(p, (size_t)(eq - p))) {
            buf_append(out, p, (size_t)(eq + 1 - p));
            buf_puts(out, "***");
        } else {
            buf_append(out, p, n);
        }
        p += n;
        if (*p == '#') {
            buf_puts(out, p);
            break;
        }
        if (*p) buf_putc(out, *p++);
    }
}

bool url_has_password(const char *url)
{
    const char *end = NULL, *auth = S_authority(url, &end);
    if (auth) {
        const char *at = memchr(auth, '@', (size_t)(end - auth));
        if (at && memchr(auth, ':', (size_t)(at - auth))) return true;
    }
    const char *q = strchr(url, '?');
    for (const char *p = q; p && *p; p = strchr(p + 1, '&'))
        if (strncasecmp(p + 1, "password=", 9) == 0) return true;
    return false;
}

bool url_is_local(const char *url)
{
    if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0) return true;
    const char *end = NULL, *auth = S_authority(url, &end);
    const char *at = memchr(auth, '@', (size_t)(end - auth));
    const char *host = at ? at + 1 : auth;
    size_t n;
    if (*host == '[') {   /* IPv6 literal */
        n = strcspn(host, "]");
        return (n == 4 && strncmp(host, "[::1", 4) == 0) || (n == 3 && strncmp(host, "[::", 3) == 0);
    }
    n = strcspn(host, ":/?#");
    if (n == 0) return true;
    char h[256];
    if (n >= sizeof h) return false;
    memcpy(h, host, n);
    h[n] = '\0';
    if (h[n - 1] == '.') h[--n] = '\0';
    if (strncmp(h, "127.", 4) == 0 || strcmp(h, "0.0.0.0") == 0) return true;
    if (strcasecmp(h, "localhost") == 0) return true;
    if (n > 10 && strcasecmp(h + n - 10, ".localhost") == 0) return true;
    return strchr(h, '.') == NULL;
}
