/* version: catlog's version, from the file VERSION at the root of the checkout (compiled
 * in by the Makefile): catlog --version, and info.version of the site's API description. */
#ifndef CATLOG_VERSION_H
#define CATLOG_VERSION_H

const char *version_string(void);

#endif
