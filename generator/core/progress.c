#include "core/progress.h"

#include <stdio.h>
#include <time.h>

double progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_start(progress *p, const char *label, long long total, bool enabled)
{
    p->label = label;
    p->total = total > 0 ? total : 1;
    p->enabled = enabled;
    p->started = progress_now();
    p->last_draw = 0;
}

static void draw(progress *p, long long done)
{
    enum { WIDTH = 30 };
    double frac = (double)done / (double)p->total;
    if (frac > 1) frac = 1;
    int filled = (int)(frac * WIDTH);
    char bar[WIDTH + 1];
    for (int i = 0; i < WIDTH; i++) bar[i] = i < filled ? '#' : '.';
    bar[WIDTH] = '\0';
    double elapsed = progress_now() - p->started;
    double eta = frac > 0 ? elapsed / frac - elapsed : 0;
    fprintf(stdout, "\r%s [%s] %lld/%lld %3d%% ETA %ds ", p->label, bar, done, p->total,
            (int)(frac * 100), (int)(eta + 0.5));
    fflush(stdout);
}

void progress_update(progress *p, long long done)
{
    if (!p->enabled) return;
    double now = progress_now();
    if (now - p->last_draw < 0.1 && done < p->total) return;
    p->last_draw = now;
    draw(p, done);
}

void progress_finish(progress *p)
{
    if (!p->enabled) return;
    draw(p, p->total);
    fputs("\n", stdout);
    fflush(stdout);
}
