/* interrupt: SIGINT and SIGTERM turned into a flag that long work checks at safe points
 * (between pages, uploads, build steps, in HTTP transfers and retry sleeps), so a stopped
 * run ends as it would on an error: its log row FAILED "interrupted", locks released,
 * staging removed. The flag is the one piece of state a signal handler may touch. */
#ifndef CATLOG_INTERRUPT_H
#define CATLOG_INTERRUPT_H

#include <stdbool.h>

/* Installs the handlers (without SA_RESTART, so blocking waits return early). */
void interrupt_install(void);

/* A stop was asked for. */
bool interrupt_requested(void);

/* In a forked worker: the default actions again (the parent decides what to do). */
void interrupt_default(void);

/* Sleeps up to `seconds`, returning early when a stop is asked for. */
void interrupt_sleep(double seconds);

#endif
