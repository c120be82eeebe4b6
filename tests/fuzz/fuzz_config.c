/* libFuzzer target for the configuration file reader (core/config_file.c, libyaml): any
 * catlog.yaml a user could write, against catlog's own settings table. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cmd/settings.h"
#include "core/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("catlog.yaml", 0);
    if (fd < 0) return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    config c;
    config_init(&c, SETTINGS, S__COUNT);
    c.file = strdup(path);
    c.project_dir = strdup("/project");
    config_read_yaml(&c, path);
    config_free(&c);
    close(fd);
    return 0;
}
