/* alloc: the one allocation policy (cmark's and Redis' way): running out of memory is reported
 * in one line and aborts, so no caller checks for NULL and no path half-handles it. */
#ifndef CATLOG_ALLOC_H
#define CATLOG_ALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
