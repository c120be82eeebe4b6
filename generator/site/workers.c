/* workers: the database-heavy steps of a build run by worker processes, one per core.
 *
 * Each worker opens its own database connection, claims jobs from a counter in shared
 * memory until none are left, writes its files straight into the staging directory and,
 * when done, reports them to the parent over a pipe: one line per file for the manifest
 * ("F ..."), per sitemap entry ("S path") and its page count ("N n"). Pages count up in
 * shared memory as they are rendered, for the progress bar. The first worker to fail
 * stops the others; the build then fails as a whole and the staging directory goes. A
 * failing worker reports its first error line ("E message") so the parent can say why. */
#include "site/workers.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/interrupt.h"
#include "core/log.h"
#include "db/db.h"

#define MAX_WORKERS 16

typedef struct {
    long long next_job;
    long long pages_done;
} shared_counters;

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* The parent's connection belongs to the parent: close this copy of its socket and free
 * the struct before anything else can reuse the descriptor, then connect afresh. */
static int reconnect(catlog_ctx *ctx)
{
    if (ctx->db) {
        close(PQsocket(ctx->db));
        PQfinish(ctx->db);
        ctx->db = NULL;
    }
    return db_connect(ctx);
}

static int worker_main(site_build_state *b, int fd, shared_counters *shared, int njobs, site_job run, pid_t parent)
{
    /* the parent's handlers (catlog watch stops gracefully on SIGTERM) are not ours: a
     * worker told to stop, stops */
    interrupt_default();
    prctl(PR_SET_PDEATHSIG, SIGTERM);   /* never outlive a parent that was killed */
    if (getppid() != parent) return -1;   /* it died before the line above */
    size_t files_before = writer_count(b->w);
    buf_reset(&b->sitemap);
    b->html_pages = 0;
    b->shared_pages = &shared->pages_done;
    b->bar.enabled = false;
    buf first_error = BUF_INIT;
    log_keep_first_error(&first_error);
    int rc = reconnect(b->ctx);
    while (rc == 0) {
        long long job = __atomic_fetch_add(&shared->next_job, 1, __ATOMIC_RELAXED);
        if (job >= njobs) break;
        rc = run(b, (int)job);
    }
    if (rc == 0) {
        buf report = BUF_INIT;
        writer_export(b->w, files_before, &report);
        for (size_t i = 0; i < b->sitemap.len;) {
            const char *nl = memchr(b->sitemap.data + i, '\n', b->sitemap.len - i);
            size_t end = nl ? (size_t)(nl - b->sitemap.data) : b->sitemap.len;
            buf_puts(&report, "S ");
            buf_append(&report, b->sitemap.data + i, end - i);
            buf_putc(&report, '\n');
            i = end + 1;
        }
        buf_printf(&report, "N %lld\n", b->html_pages);
        if (write_all(fd, report.data, report.len) != 0) rc = -1;
        buf_free(&report);
    } else if (first_error.len) {
        buf line = BUF_INIT;
        buf_puts(&line, "E ");
        for (size_t i = 0; i < first_error.len; i++) buf_putc(&line, first_error.data[i] == '\n' ? ' ' : first_error.data[i]);
        buf_putc(&line, '\n');
        if (write_all(fd, line.data, line.len) != 0) { /* the parent is gone or stopped reading */ }
        buf_free(&line);
    }
    close(fd);
    ctx_close(b->ctx);
    return rc;
}

static int import_report(site_build_state *b, buf *report)
{
    int rc = 0;
    buf_putc(report, '\0');   /* so the last line ends for sure */
    char *save = NULL;
    for (char *line = strtok_r(report->data, "\n", &save); rc == 0 && line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == 'F') rc = writer_import(b->w, line);
        else if (line[0] == 'S' && line[1] == ' ') {
            buf_puts(&b->sitemap, line + 2);
            buf_putc(&b->sitemap, '\n');
        } else if (line[0] == 'N' && line[1] == ' ') b->html_pages += atoll(line + 2);
        else if (line[0]) {
            log_error("a build worker sent a malformed report line: %.80s", line);
            rc = -1;
        }
    }
    return rc;
}

static void stop_all(const pid_t *pids, int n)
{
    for (int i = 0; i < n; i++)
        if (pids[i] > 0) kill(pids[i], SIGTERM);
}

int workers_run(site_build_state *b, int workers, int njobs, site_job run, int (*meanwhile)(site_build_state *))
{
    if (workers > MAX_WORKERS) workers = MAX_WORKERS;
    if (workers > njobs) workers = njobs;
    shared_counters *shared = mmap(NULL, sizeof *shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED) {
        log_error("cannot set up build workers: %s", strerror(errno));
        return -1;
    }
    memset(shared, 0, sizeof *shared);
    pid_t pids[MAX_WORKERS] = {0};
    int fds[MAX_WORKERS];
    buf reports[MAX_WORKERS];
    int started = 0, rc = 0;
    fflush(stdout);
    fflush(stderr);
    pid_t self = getpid();
    for (; started < workers; started++) {
        int p[2];
        if (pipe(p) != 0) {
            log_error("cannot start build workers: %s", strerror(errno));
            rc = -1;
            break;
        }
        pid_t pid = fork();
        if (pid == 0) {
            close(p[0]);
            for (int i = 0; i < started; i++) close(fds[i]);
            _exit(worker_main(b, p[1], shared, njobs, run, self) == 0 ? 0 : 1);
        }
        close(p[1]);
        if (pid < 0) {
            close(p[0]);
            log_error("cannot start build workers: %s", strerror(errno));
            rc = -1;
            break;
        }
        pids[started] = pid;
        fds[started] = p[0];
        reports[started] = (buf)BUF_INIT;
    }
    if (rc == 0 && meanwhile) rc = meanwhile(b);
    if (rc != 0) stop_all(pids, started);

    /* Collect the reports; a worker's exit status says whether it finished. */
    int open_pipes = started;
    char chunk[65536];
    while (open_pipes > 0) {
        struct pollfd pf[MAX_WORKERS];
        int map[MAX_WORKERS], n = 0;
        for (int i = 0; i < started; i++)
            if (fds[i] >= 0) {
                pf[n] = (struct pollfd){fds[i], POLLIN, 0};
                map[n++] = i;
            }
        if (interrupt_requested() && rc == 0) {
            log_error("site build interrupted");
            stop_all(pids, started);
            rc = -1;
        }
        if (poll(pf, (nfds_t)n, 100) < 0) {
            if (errno == EINTR) continue;
            log_error("waiting for build workers: %s", strerror(errno));
            stop_all(pids, started);
            rc = -1;
            break;
        }
        for (int k = 0; k < n; k++) {
            if (!(pf[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            int i = map[k];
            ssize_t got = read(fds[i], chunk, sizeof chunk);
            if (got > 0) {
                buf_append(&reports[i], chunk, (size_t)got);
                continue;
            }
            if (got < 0 && errno == EINTR) continue;
            close(fds[i]);
            fds[i] = -1;
            open_pipes--;
            int status = 0;
            while (waitpid(pids[i], &status, 0) < 0 && errno == EINTR) {}
            pids[i] = 0;
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                if (rc == 0 && WIFSIGNALED(status))
                    log_error("a build worker was stopped by signal %d", WTERMSIG(status));
                if (rc == 0) stop_all(pids, started);
                rc = -1;
            }
        }
        progress_update(&b->bar, b->pages_done + __atomic_load_n(&shared->pages_done, __ATOMIC_RELAXED));
    }
    for (int i = 0; i < started; i++) {
        if (fds[i] >= 0) close(fds[i]);
        while (pids[i] > 0 && waitpid(pids[i], NULL, 0) < 0 && errno == EINTR) {}
        if (rc == 0) rc = import_report(b, &reports[i]);
        else if (reports[i].len > 2 && memcmp(reports[i].data, "E ", 2) == 0) {
            buf_putc(&reports[i], '\0');
            char *nl = strchr(reports[i].data, '\n');
            if (nl) *nl = '\0';
            log_kept_error(reports[i].data + 2);   /* already printed by the worker */
        }
        buf_free(&reports[i]);
    }
    b->pages_done += shared->pages_done;
    munmap(shared, sizeof *shared);
    return rc;
}
