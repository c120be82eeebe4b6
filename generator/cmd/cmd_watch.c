/* catlog watch: LISTEN for catlog_etl_done (sent by `catlog etl run` or any external ETL)
 * and rebuild (analytics refresh + build + optional publish) after each burst of
 * notifications; survives database restarts; stops cleanly on SIGINT/SIGTERM. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>

#include "db/asof.h"
#include "analytics/refresh.h"
#include "cmd/cmd.h"
#include "cmd/settings.h"
#include "core/interrupt.h"
#include "core/log.h"
#include "core/progress.h"
#include "core/webhook.h"
#include "db/db.h"
#include "publish/publish.h"
#include "site/site.h"

/* Waits up to `seconds` for input on the connection; 1 when a notification arrived,
 * 0 on timeout or a signal, -1 when the connection is gone. */
static int drain_notifies(PGconn *c)
{
    int got = 0;
    PGnotify *note;
    while ((note = PQnotifies(c)) != NULL) {
        got = 1;
        PQfreemem(note);
    }
    return got;
}

static int wait_notify(PGconn *c, double seconds)
{
    /* Notifications that arrived while a rebuild ran its queries on this connection are
     * already queued inside libpq: the socket will not signal them again. */
    if (!PQconsumeInput(c)) return -1;
    if (drain_notifies(c)) return 1;
    int fd = PQsocket(c);
    if (fd < 0) return -1;
    fd_set fds;
    FD_ZERO(&fds);
    FD_SET(fd, &fds);
    struct timeval tv = {(time_t)seconds, (suseconds_t)((seconds - (double)(time_t)seconds) * 1e6)};
    int n = select(fd + 1, &fds, NULL, NULL, &tv);
    if (n < 0) return errno == EINTR ? 0 : -1;
    if (n == 0) return 0;
    if (!PQconsumeInput(c)) return -1;
    return drain_notifies(c);
}

static int listen_again(catlog_ctx *ctx)
{
    ctx_close(ctx);
    if (db_connect(ctx) != 0) return -1;
    if (db_exec(ctx, "listening for ETL runs", "LISTEN catlog_etl_done") == 0) return 0;
    ctx_close(ctx);   /* connected but not listening is no use: reconnect next time */
    return -1;
}

static int rebuild(catlog_ctx *ctx, site_options *so, const publish_options *po, const char *webhook)
{
    double t0 = progress_now();
    date_day as_of;
    bool found = false;
    if (asof_latest(ctx, &as_of, &found) != 0) return -1;
    if (!found) {
        log_warn("watch: no snapshots yet; nothing to build");
        return 0;
    }
    refresh_summary rs;
    site_summary ss;
    so->as_of = as_of;
    so->have_as_of = true;
    const char *failed = NULL;
    buf why = BUF_INIT;   /* the failing step's first error line, for the alert */
    log_keep_first_error(&why);
    if (refresh_run(ctx, as_of, &rs) != 0) failed = "analytics";
    else if (site_build(ctx, so, &ss) != 0) failed = "build";
    else if (po->target) {
        publish_summary ps;
        if (publish_run(po, &ps) != 0) failed = "publish";
    }
    log_keep_first_error(NULL);
    char date_s[11];
    date_format(as_of, date_s);
    buf msg = BUF_INIT;
    if (failed) {
        buf_printf(&msg, "CatLog watch: rebuild for %s FAILED at step %s", date_s, failed);
        if (why.len) buf_printf(&msg, ": %s", buf_cstr(&why));
    } else {
        buf_printf(&msg, "CatLog watch: rebuilt the site for %s in %.1f s", date_s, progress_now() - t0);
    }
    printf("%s\n", buf_cstr(&msg));
    fflush(stdout);
    if (failed && !interrupt_requested()) webhook_send(webhook, buf_cstr(&msg));   /* not for our own stop */
    buf_free(&msg);
    buf_free(&why);
    return failed ? -1 : 0;
}

/* Listens until SIGINT or SIGTERM, rebuilding after each quiet burst of notifications. */
static int watch_loop(catlog_ctx *ctx, site_options *so, const publish_options *po, const char *webhook, long long quiet)
{
    interrupt_install();   /* no SA_RESTART: select() returns so the loop sees the flag */

    if (listen_again(ctx) != 0) return EXIT_FAIL;
    printf("watch: listening for catlog_etl_done\n");
    fflush(stdout);
    int backoff = 1, pending = 0;
    double last_note = 0;
    while (!interrupt_requested()) {
        int got = wait_notify(ctx->db, pending ? 0.2 : 1.0);
        if (got < 0) {   /* connection lost: reconnect with backoff, then catch up once */
            log_warn("watch: database connection lost; reconnecting in %d s", backoff);
            for (int i = 0; i < backoff * 10 && !interrupt_requested(); i++) {
                struct timespec ts = {0, 100000000};
                nanosleep(&ts, NULL);
            }
            if (interrupt_requested()) break;
            if (listen_again(ctx) != 0) {
                backoff = backoff < 30 ? backoff * 2 : 30;
                continue;
            }
            printf("watch: reconnected\n");
            fflush(stdout);
            backoff = 1;
            /* an ETL run may have finished while we were away: rebuild once to catch up */
            pending = 1;
            last_note = progress_now();
            continue;
        }
        if (got > 0) {
            pending = 1;
            last_note = progress_now();
        }
        /* Coalesce a burst: build once it has been quiet for the quiet period. */
        if (pending && progress_now() - last_note >= (double)quiet) {
            pending = 0;
            rebuild(ctx, so, po, webhook);
        }
    }
    printf("watch: stopped\n");
    return EXIT_OK;
}

static int run_watch(catlog_ctx *ctx)
{
    const char *webhook = config_text(ctx->cfg, S_WEBHOOK);
    long long quiet = config_int(ctx->cfg, S_QUIET_PERIOD);
    site_options so;
    publish_options po;
    settings_publish(ctx->cfg, &po, false);
    if (settings_site(ctx->cfg, &so, false) != 0) return EXIT_FAIL;
    int rc = EXIT_USAGE;
    if (!po.target || !publish_refuses_site_url(po.target, so.site_url, po.allow_local_url))
        rc = watch_loop(ctx, &so, &po, webhook, quiet);
    site_options_free(&so);
    return rc;
}

const command CMD_WATCH = {
    {"watch", NULL, 0, 0, G_DB | G_SITE | G_OUT | G_BUILD | G_DATA | G_PUBLISH | G_ALERT | G_WATCH,
     "Waits for NOTIFY catlog_etl_done; after a burst of notifications has been quiet for the quiet\n"
     "period it refreshes the analytics, rebuilds the site and publishes it when a target is set.\n"
     "Reconnects when the database restarts. Stops on SIGINT or SIGTERM.\n"},
    "rebuild and publish after each ETL run (LISTEN catlog_etl_done)",
    run_watch,
};
