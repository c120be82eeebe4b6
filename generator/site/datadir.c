#include "site/datadir.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/file.h"
#include "core/log.h"

static bool S_is_datadir(const char *dir)
{
    buf mark = BUF_INIT;
    buf_printf(&mark, "%s/%s", dir, DATADIR_MARK);
    bool ok = file_exists(buf_cstr(&mark));
    buf_free(&mark);
    return ok;
}

int datadir_find(const char *given, buf *out)
{
    buf_reset(out);
    if (given && *given) {
        if (S_is_datadir(given)) {
            buf_puts(out, given);
            return 0;
        }
        log_error("%s is not a catlog data directory (no %s): check CATLOG_DATA_DIR or --data-dir", given, DATADIR_MARK);
        return -1;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        log_error("cannot find the catlog executable (%s): set CATLOG_DATA_DIR to its data directory", strerror(errno));
        return -1;
    }
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash) *slash = '\0';   /* the bin directory */
    /* installed, a checkout's build/, a checkout's build/asan/ */
    static const char *const RELATIVE[] = {"/../share/catlog", "/..", "/../.."};
    for (size_t i = 0; i < sizeof RELATIVE / sizeof RELATIVE[0]; i++) {
        buf_reset(out);
        buf_printf(out, "%s%s", exe, RELATIVE[i]);
        char real[PATH_MAX];
        if (realpath(buf_cstr(out), real) && S_is_datadir(real)) {
            buf_reset(out);
            buf_puts(out, real);
            return 0;
        }
    }
    buf_reset(out);
    log_error("catlog's templates are not installed next to %s (looked for ../share/catlog/%s): "
              "reinstall, or set CATLOG_DATA_DIR", exe, DATADIR_MARK);
    return -1;
}
