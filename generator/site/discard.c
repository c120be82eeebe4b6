/* Deleting a site of 60,000 files costs ext4 longer than writing it (13 s against 9 s for
 * the whole build here), and nobody needs to wait for it: the new site is already in place.
 * So the previous site is handed to a detached process. Should that process be killed, its
 * renamed trees are found and removed by the next build, like the staging directories of
 * builds that died. */
#include "site/discard.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/file.h"
#include "core/interrupt.h"

#define MAX_TREES 64

/* True for "<base>.staging-PID" / "<base>.old-PID" when no process PID exists. */
static int is_leftover(const char *name, const char *base)
{
    size_t n = strlen(base);
    if (strncmp(name, base, n) != 0) return 0;
    const char *rest = name + n;
    if (strncmp(rest, ".staging-", 9) == 0) rest += 9;
    else if (strncmp(rest, ".old-", 5) == 0) rest += 5;
    else return 0;
    char *end;
    long pid = strtol(rest, &end, 10);
    if (*end == '-') strtol(end + 1, &end, 10);   /* "<base>.old-PID-N": the Nth tree of one discard */
    if (end == rest || *end || pid <= 0 || pid == (long)getpid()) return 0;
    return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* Fills trees[] with `tree` and the leftovers next to out_dir; returns how many. */
static int collect(const char *out_dir, const char *tree, char **trees)
{
    int n = 0;
    if (tree) trees[n++] = xstrdup(tree);
    buf dir = BUF_INIT;
    const char *slash = strrchr(out_dir, '/');
    const char *base = slash ? slash + 1 : out_dir;
    if (slash) buf_append(&dir, out_dir, (size_t)(slash - out_dir) + 1);
    DIR *d = opendir(dir.len ? buf_cstr(&dir) : ".");
    struct dirent *e;
    while (d && n < MAX_TREES && (e = readdir(d)) != NULL) {
        if (!is_leftover(e->d_name, base)) continue;
        buf path = BUF_INIT;
        buf_printf(&path, "%s%s", dir.len ? buf_cstr(&dir) : "", e->d_name);
        if (!tree || strcmp(buf_cstr(&path), tree) != 0) trees[n++] = xstrdup(buf_cstr(&path));
        buf_free(&path);
    }
    if (d) closedir(d);
    buf_free(&dir);
    return n;
}

static void remove_trees(char **trees, int n)
{
    for (int i = 0; i < n; i++) file_remove_tree(trees[i]);
}

void discard_trees(const char *out_dir, const char *tree)
{
    char *trees[MAX_TREES];
    int n = collect(out_dir, tree, trees);
    if (n == 0) return;
    int ready[2];
    int have_pipe = pipe(ready) == 0;
    pid_t child = have_pipe ? fork() : -1;
    if (child == 0) {
        setsid();
        pid_t grandchild = fork();
        if (grandchild < 0) {   /* cannot detach: remove them here, then let the build go on */
            remove_trees(trees, n);
            _exit(0);
        }
        if (grandchild > 0) _exit(0);   /* the grandchild is adopted by init: no zombie for us */
        interrupt_default();
        /* hold nothing of the build's: not its output pipes (a caller reading them would
         * wait for us), not its database connection */
        int null = open("/dev/null", O_RDWR);
        for (int fd = 0; fd < 3; fd++) dup2(null, fd);
        for (int fd = 3; fd < 1024; fd++)
            if (fd != ready[1]) close(fd);
        /* claim every tree under this process's pid, then let the build go on */
        buf name = BUF_INIT;
        for (int i = 0; i < n; i++) {
            buf_reset(&name);
            buf_printf(&name, "%s.old-%d", out_dir, (int)getpid());
            if (i) buf_printf(&name, "-%d", i);
            if (rename(trees[i], buf_cstr(&name)) == 0) {
                free(trees[i]);
                trees[i] = xstrdup(buf_cstr(&name));
            }
        }
        buf_free(&name);
        if (write(ready[1], "k", 1) < 0) { /* the build stopped waiting: nothing to tell */ }
        close(ready[1]);
        remove_trees(trees, n);
        _exit(0);
    }
    if (child > 0) {
        close(ready[1]);
        char c;
        while (read(ready[0], &c, 1) < 0 && errno == EINTR) {}
        close(ready[0]);
        while (waitpid(child, NULL, 0) < 0 && errno == EINTR) {}
    } else {
        if (have_pipe) {
            close(ready[0]);
            close(ready[1]);
        }
        remove_trees(trees, n);
    }
    for (int i = 0; i < n; i++) free(trees[i]);
}
