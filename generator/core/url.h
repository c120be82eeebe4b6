/* url: what catlog needs to know about a URL without fetching it: whether it carries a
 * password, whether it names this machine, and how to print it without its secrets. */
#ifndef CATLOG_URL_H
#define CATLOG_URL_H

#include <stdbool.h>

#include "core/buf.h"

/* Appends url with the user-info password and secret-looking query values
 * (password, token, secret, key, signature...) replaced by "***". */
void url_redact(buf *out, const char *url);

/* "scheme://user:PASSWORD@host" or a password= query parameter. */
bool url_has_password(const char *url);

/* A URL for this machine or a private name: loopback (127.0.0.0/8, ::1, localhost,
 * *.localhost), 0.0.0.0, a host without a dot, or not http(s) at all (file://, a bare path). */
bool url_is_local(const char *url);

#endif
