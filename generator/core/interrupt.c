#include "core/interrupt.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>

static volatile sig_atomic_t S_requested;

static void S_on_signal(int sig)
{
    (void)sig;
    S_requested = 1;
}

void interrupt_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = S_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

bool interrupt_requested(void) { return S_requested != 0; }

void interrupt_default(void)
{
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
}

void interrupt_sleep(double seconds)
{
    /* in slices, so a stop is seen even when the signal arrived before the sleep began */
    while (seconds > 0 && !S_requested) {
        double slice = seconds < 0.2 ? seconds : 0.2;
        struct timespec ts = {(time_t)slice, (long)((slice - (double)(time_t)slice) * 1e9)};
        nanosleep(&ts, NULL);
        seconds -= slice;
    }
}
