#include "core/file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"

int file_read_all(const char *path, buf *out)
{
    int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    for (;;) {
        buf_grow(out, 65536);
        ssize_t n = read(fd, out->data + out->len, out->cap - out->len - 1);
        if (n < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            if (fd != STDIN_FILENO) close(fd);
            errno = e;
            return -1;
        }
        if (n == 0) break;
        out->len += (size_t)n;
        out->data[out->len] = '\0';
    }
    if (fd != STDIN_FILENO) close(fd);
    return 0;
}

static int write_all(int fd, const char *p, size_t len)
{
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int file_write_atomic(const char *path, const void *data, size_t len)
{
    size_t plen = strlen(path);
    char *tmp = xmalloc(plen + 16);
    memcpy(tmp, path, plen);
    memcpy(tmp + plen, ".tmpXXXXXX", 11);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        free(tmp);
        return -1;
    }
    int rc = write_all(fd, data, len);
    if (rc == 0) rc = fchmod(fd, 0644);
    if (close(fd) != 0) rc = -1;
    if (rc == 0) rc = rename(tmp, path);
    if (rc != 0) {
        int e = errno;
        unlink(tmp);
        errno = e;
    }
    free(tmp);
    return rc;
}

int file_mkdirs(const char *path)
{
    if (!*path) return 0;
    char *p = xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') continue;
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    int rc = mkdir(p, 0755);
    free(p);
    return (rc != 0 && errno != EEXIST) ? -1 : 0;
}

bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    return (type == FTW_DP ? rmdir(path) : unlink(path)) == 0 || errno == ENOENT ? 0 : -1;
}

int file_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) return errno == ENOENT ? 0 : -1;
    return nftw(path, remove_entry, 32, FTW_DEPTH | FTW_PHYS);
}

int file_copy_tree(const char *src, const char *dst)
{
    struct stat st;
    if (stat(src, &st) != 0) return -1;
    if (!S_ISDIR(st.st_mode)) {
        buf data = BUF_INIT;
        int rc = file_read_all(src, &data);
        if (rc == 0) rc = file_write_atomic(dst, data.data ? data.data : "", data.len);
        buf_free(&data);
        return rc;
    }
    if (file_mkdirs(dst) != 0) return -1;
    DIR *d = opendir(src);
    if (!d) return -1;
    int rc = 0;
    struct dirent *e;
    buf from = BUF_INIT, to = BUF_INIT;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        buf_reset(&from);
        buf_reset(&to);
        buf_printf(&from, "%s/%s", src, e->d_name);
        buf_printf(&to, "%s/%s", dst, e->d_name);
        rc = file_copy_tree(buf_cstr(&from), buf_cstr(&to));
    }
    int saved = errno;
    closedir(d);
    buf_free(&from);
    buf_free(&to);
    errno = saved;
    return rc;
}

static int S_walk(buf *path, size_t root_len, int (*fn)(const char *rel, void *ud), void *ud)
{
    DIR *d = opendir(buf_cstr(path));
    if (!d) return errno == ENOENT ? 0 : -1;
    int rc = 0;
    struct dirent *e;
    size_t len = path->len;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;   /* ., .., and hidden files such as .keep */
        path->len = len;
        buf_printf(path, "/%s", e->d_name);
        struct stat st;
        if (stat(buf_cstr(path), &st) != 0) {
            if (errno == ENOENT) continue;   /* a dangling symlink: nothing to copy */
            rc = -1;
        }
        else if (S_ISDIR(st.st_mode)) rc = S_walk(path, root_len, fn, ud);
        else if (S_ISREG(st.st_mode)) rc = fn(buf_cstr(path) + root_len + 1, ud);
    }
    path->len = len;
    path->data[len] = '\0';
    closedir(d);
    return rc;
}

int file_walk(const char *dir, int (*fn)(const char *rel, void *ud), void *ud)
{
    buf path = BUF_INIT;
    buf_puts(&path, dir);
    int rc = S_walk(&path, path.len, fn, ud);
    buf_free(&path);
    return rc;
}
