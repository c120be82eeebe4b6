/* workers: the database-heavy steps of a build run by worker processes, one per core.
 *
 * Each worker sets itself up (the site build: its own database connection), claims jobs
 * from a counter in shared memory until none are left and, when done, hands the parent its
 * report over a pipe (the site build: the files it wrote, its sitemap entries, its page
 * count). Units of work count up in shared memory as they finish, for the progress bar.
 * The first worker to fail stops the others; the task then fails as a whole. A failing
 * worker sends its first error line ("E message") instead, so the parent can say why. */
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

#define MAX_WORKERS 16

typedef struct {
    long long next_job;
    long long units_done;
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

static int worker_main(const workers_task *t, int fd, shared_counters *shared, pid_t parent)
{
    /* the parent's handlers (catlog watch stops gracefully on SIGTERM) are not ours: a
     * worker told to stop, stops */
    interrupt_default();
    prctl(PR_SET_PDEATHSIG, SIGTERM);   /* never outlive a parent that was killed */
    if (getppid() != parent) return -1;   /* it died before the line above */
    buf first_error = BUF_INIT;
    log_keep_first_error(&first_error);
    int rc = t->enter(t->ud, &shared->units_done);
    while (rc == 0) {
        long long job = __atomic_fetch_add(&shared->next_job, 1, __ATOMIC_RELAXED);
        if (job >= t->njobs) break;
        rc = t->run(t->ud, (int)job);
    }
    if (rc == 0) {
        buf report = BUF_INIT;
        t->report(t->ud, &report);
        if (write_all(fd, report.data ? report.data : "", report.len) != 0) rc = -1;
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
    t->leave(t->ud);
    return rc;
}

static void stop_all(const pid_t *pids, int n)
{
    for (int i = 0; i < n; i++)
        if (pids[i] > 0) kill(pids[i], SIGTERM);
}

int workers_run(const workers_task *t, int workers)
{
    int njobs = t->njobs;
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
            _exit(worker_main(t, p[1], shared, self) == 0 ? 0 : 1);
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
    if (rc == 0 && t->meanwhile) rc = t->meanwhile(t->ud);
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
        t->progress(t->ud, __atomic_load_n(&shared->units_done, __ATOMIC_RELAXED), false);
    }
    for (int i = 0; i < started; i++) {
        if (fds[i] >= 0) close(fds[i]);
        while (pids[i] > 0 && waitpid(pids[i], NULL, 0) < 0 && errno == EINTR) {}
        if (rc == 0) {
            buf_putc(&reports[i], '\0');   /* so the last line ends for sure */
            rc = t->merge(t->ud, reports[i].data);
        }
        else if (reports[i].len > 2 && memcmp(reports[i].data, "E ", 2) == 0) {
            buf_putc(&reports[i], '\0');
            char *nl = strchr(reports[i].data, '\n');
            if (nl) *nl = '\0';
            log_kept_error(reports[i].data + 2);   /* already printed by the worker */
        }
        buf_free(&reports[i]);
    }
    t->progress(t->ud, shared->units_done, true);
    munmap(shared, sizeof *shared);
    return rc;
}
