/* buf: a growable byte buffer, always NUL-terminated.
 * Owns every piece of text the program builds up (SQL, HTML, JSON, COPY data). */
#ifndef CATLOG_BUF_H
#define CATLOG_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct {
    char *data;   /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t cap;
} buf;

#define BUF_INIT {NULL, 0, 0}

void buf_init(buf *b);
void buf_free(buf *b);
void buf_reset(buf *b);                    /* len = 0, keeps memory */
void buf_grow(buf *b, size_t extra);       /* ensure room for extra more bytes */
void buf_append(buf *b, const void *data, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc_slow(buf *b, char c);
/* Inline: the hottest call when text is built character by character. */
static inline void buf_putc(buf *b, char c)
{
    if (b->len + 1 < b->cap) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
    } else {
        buf_putc_slow(b, c);
    }
}
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap);
const char *buf_cstr(const buf *b);        /* "" when empty, never NULL */
char *buf_detach(buf *b);                  /* caller frees; buffer becomes empty */

#endif
