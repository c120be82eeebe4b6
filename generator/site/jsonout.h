/* jsonout: JSON text of a cJSON value, compact for the site's files or indented for people,
 * numbers printed exactly as the templates print them (mst_format_number), so a page and its
 * API document show the same digits. */
#ifndef CATLOG_JSONOUT_H
#define CATLOG_JSONOUT_H

#include <cjson/cJSON.h>

#include "core/buf.h"

void jsonout_write(buf *out, const cJSON *v);
/* The same indented by two spaces a level, for people to read (the API reference's examples). */
void jsonout_pretty(buf *out, const cJSON *v);
/* A JSON string literal of s (quotes included). */
void jsonout_string(buf *out, const char *s);

#endif
