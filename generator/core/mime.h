/* mime: the one table of media types, by file extension. The site writer records them in
 * the manifest and the publisher sends them; text types carry "; charset=utf-8". */
#ifndef CATLOG_MIME_H
#define CATLOG_MIME_H

#include <stdbool.h>

/* The type of path by its extension (case-insensitive), e.g. "text/css; charset=utf-8";
 * "application/octet-stream" when unknown. */
const char *mime_type(const char *path);

/* A textual type (text/..., JSON, XML, SVG, JavaScript), which wants a charset. */
bool mime_is_text(const char *type);

#endif
