/* datadir: where catlog's built-in templates/, assets/, content/ and vendored browser
 * libraries (vendor/) are, without depending on the working directory. */
#ifndef CATLOG_DATADIR_H
#define CATLOG_DATADIR_H

#include "core/buf.h"

/* The file that marks a data directory. */
#define DATADIR_MARK "templates/layouts/base.mustache"

/* Into out: `given` ($CATLOG_DATA_DIR or --data-dir) when set, else the directory next to
 * the executable: <bin>/../share/catlog when installed (so a moved or DESTDIR tree still
 * works), the checkout when run as build/catlog or build/asan/catlog. Returns 0, or -1
 * after one line saying what is missing. */
int datadir_find(const char *given, buf *out);

#endif
