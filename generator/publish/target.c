#include "publish/target.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* By scheme; the last row (no scheme) takes everything else. */
static const target_type *const TARGETS[] = {&TARGET_S3, &TARGET_DIRECTORY};

const target_type *target_type_for(const char *url)
{
    for (size_t i = 0; i < sizeof TARGETS / sizeof TARGETS[0]; i++) {
        const char *scheme = TARGETS[i]->scheme;
        if (scheme && strncasecmp(url, scheme, strlen(scheme)) == 0) return TARGETS[i];
        /* the fallback takes paths, not URLs of a scheme nobody serves */
        if (!scheme && !strstr(url, "://")) return TARGETS[i];
    }
    return NULL;
}

void target_listing_free(target_listing *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->v[i].rel);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}
