#include "publish/policy.h"

#include <string.h>
#include <strings.h>

static const struct {
    const char *ext;
    const char *type;
} types[] = {
    {"html", "text/html"},         {"htm", "text/html"},
    {"css", "text/css"},           {"js", "text/javascript"},
    {"mjs", "text/javascript"},    {"json", "application/json"},
    {"map", "application/json"},   {"webmanifest", "application/manifest+json"},
    {"xml", "application/xml"},    {"rss", "application/rss+xml"},
    {"atom", "application/atom+xml"}, {"svg", "image/svg+xml"},
    {"csv", "text/csv"},           {"txt", "text/plain"},
    {"md", "text/markdown"},       {"png", "image/png"},
    {"jpg", "image/jpeg"},         {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},          {"webp", "image/webp"},
    {"avif", "image/avif"},        {"ico", "image/x-icon"},
    {"woff2", "font/woff2"},       {"woff", "font/woff"},
    {"ttf", "font/ttf"},           {"otf", "font/otf"},
    {"pdf", "application/pdf"},    {"wasm", "application/wasm"},
    {"gz", "application/gzip"},    {"zip", "application/zip"},
};

const char *policy_guess_type(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    if (dot) {
        for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
            if (strcasecmp(dot + 1, types[i].ext) == 0) return types[i].type;
    }
    return "application/octet-stream";
}

static bool is_text(const char *type)
{
    static const char *const textual[] = {"application/json", "application/manifest+json", "application/xml",
                                          "application/rss+xml", "application/atom+xml", "image/svg+xml",
                                          "application/javascript"};
    if (strncasecmp(type, "text/", 5) == 0) return true;
    size_t n = strcspn(type, "; ");
    for (size_t i = 0; i < sizeof textual / sizeof textual[0]; i++)
        if (strlen(textual[i]) == n && strncasecmp(type, textual[i], n) == 0) return true;
    return false;
}

void policy_content_type(const char *path, const char *declared, buf *out)
{
    const char *t = declared && *declared ? declared : policy_guess_type(path);
    buf_puts(out, t);
    if (is_text(t) && !strcasestr(t, "charset=")) buf_puts(out, "; charset=utf-8");
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
