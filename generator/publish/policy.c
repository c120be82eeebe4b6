#include "publish/policy.h"

#include "core/mime.h"

#include <string.h>
#include <strings.h>

void policy_content_type(const char *path, const char *declared, buf *out)
{
    /* an unknown label (another tool's manifest) yields to catlog's own table */
    bool unknown = !declared || !*declared || strcmp(declared, "application/octet-stream") == 0;
    const char *t = unknown ? mime_type(path) : declared;
    buf_puts(out, t);
    if (mime_is_text(t) && !strcasestr(t, "charset=")) buf_puts(out, "; charset=utf-8");
}

const char *policy_cache_control(const policy_cache *c, manifest_cache cls)
{
    return cls == MANIFEST_CACHE_IMMUTABLE ? c->immutable : c->page;
}

policy_stage policy_stage_of(const char *path)
{
    if (strcmp(path, MANIFEST_NAME) == 0) return POLICY_STAGE_MANIFEST;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    bool top = base == path;
    if (top && (strncmp(base, "sitemap", 7) == 0 || strcmp(base, "robots.txt") == 0)) return POLICY_STAGE_INDEX;
    const char *dot = strrchr(base, '.');
    const char *ext = dot ? dot + 1 : "";
    if (strncmp(base, "feed.", 5) == 0 || strcasecmp(ext, "rss") == 0 || strcasecmp(ext, "atom") == 0)
        return POLICY_STAGE_INDEX;
    if (strcasecmp(ext, "json") == 0) return POLICY_STAGE_DATA;
    if (strcasecmp(ext, "html") == 0 || strcasecmp(ext, "htm") == 0) return POLICY_STAGE_PAGE;
    return POLICY_STAGE_ASSET;
}

const char *policy_stage_name(policy_stage s)
{
    switch (s) {
    case POLICY_STAGE_ASSET: return "assets";
    case POLICY_STAGE_DATA: return "data";
    case POLICY_STAGE_PAGE: return "pages";
    case POLICY_STAGE_INDEX: return "sitemap/feed";
    case POLICY_STAGE_MANIFEST: return "manifest";
    default: return "?";
    }
}
