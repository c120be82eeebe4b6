/* digest: SHA-256 (OpenSSL's libcrypto) and lower-case hex, shared by the site manifest
 * and the publisher's request signing. */
#ifndef CATLOG_DIGEST_H
#define CATLOG_DIGEST_H

#include <stddef.h>

/* Lower-case hex of n bytes into out (2n + 1 bytes, NUL-terminated). */
void digest_hex(const unsigned char *bytes, size_t n, char *out);
/* Lower-case hex SHA-256 of data into out (65 bytes). */
void digest_sha256_hex(const void *data, size_t len, char out[65]);

#endif
