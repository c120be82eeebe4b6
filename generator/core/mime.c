#include "core/mime.h"

#include <string.h>
#include <strings.h>

#define UTF8 "; charset=utf-8"

static const struct {
    const char *ext;
    const char *type;
} S_TYPES[] = {
    {"html", "text/html" UTF8},
    {"htm", "text/html" UTF8},
    {"css", "text/css" UTF8},
    {"js", "text/javascript" UTF8},
    {"mjs", "text/javascript" UTF8},
    {"json", "application/json" UTF8},
    {"parquet", "application/vnd.apache.parquet"},
    {"map", "application/json" UTF8},
    {"webmanifest", "application/manifest+json" UTF8},
    {"xml", "application/xml" UTF8},
    {"rss", "application/rss+xml" UTF8},
    {"atom", "application/atom+xml" UTF8},
    {"svg", "image/svg+xml" UTF8},
    {"csv", "text/csv" UTF8},
    {"txt", "text/plain" UTF8},
    {"md", "text/markdown" UTF8},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"avif", "image/avif"},
    {"ico", "image/x-icon"},
    {"woff2", "font/woff2"},
    {"woff", "font/woff"},
    {"ttf", "font/ttf"},
    {"otf", "font/otf"},
    {"pdf", "application/pdf"},
    {"wasm", "application/wasm"},
    {"gz", "application/gzip"},
    {"zip", "application/zip"},
    {"parquet", "application/vnd.apache.parquet"},
};

const char *mime_type(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    if (dot)
        for (size_t i = 0; i < sizeof S_TYPES / sizeof S_TYPES[0]; i++)
            if (strcasecmp(dot + 1, S_TYPES[i].ext) == 0) return S_TYPES[i].type;
    return "application/octet-stream";
}

bool mime_is_text(const char *type)
{
    static const char *const TEXTUAL[] = {"application/json", "application/manifest+json", "application/xml",
                                          "application/rss+xml", "application/atom+xml", "image/svg+xml",
                                          "application/javascript"};
    if (strncasecmp(type, "text/", 5) == 0) return true;
    size_t n = strcspn(type, "; ");
    for (size_t i = 0; i < sizeof TEXTUAL / sizeof TEXTUAL[0]; i++)
        if (strlen(TEXTUAL[i]) == n && strncasecmp(type, TEXTUAL[i], n) == 0) return true;
    return false;
}
