#include "core/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *S_checked(void *p, size_t n)
{
    if (!p && n) {
        fprintf(stderr, "catlog: error: out of memory (%zu bytes)\n", n);
        abort();
    }
    return p;
}

void *xmalloc(size_t n) { return S_checked(malloc(n ? n : 1), n ? n : 1); }
void *xcalloc(size_t count, size_t size) { return S_checked(calloc(count ? count : 1, size ? size : 1), count * size + 1); }
void *xrealloc(void *p, size_t n) { return S_checked(realloc(p, n ? n : 1), n ? n : 1); }
char *xstrdup(const char *s) { return S_checked(strdup(s), strlen(s) + 1); }
char *xstrndup(const char *s, size_t n) { return S_checked(strndup(s, n), n + 1); }
