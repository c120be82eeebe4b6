#include "core/version.h"

#ifndef CATLOG_VERSION
#define CATLOG_VERSION "unknown"
#endif

const char *version_string(void) { return CATLOG_VERSION; }
