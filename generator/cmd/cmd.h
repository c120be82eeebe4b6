/* cmd: one file per command (cmd_<name>.c), each exporting its descriptor: its name, the
 * settings it takes as flags (cmd/settings.h), its help, and the function that runs it with
 * the settings resolved in ctx->cfg. cmd/commands.c lists them for main. */
#ifndef CATLOG_CMD_H
#define CATLOG_CMD_H

#include <stddef.h>

#include "core/config.h"
#include "core/ctx.h"

typedef struct {
    conf_command spec;      /* name ("etl run"), operands, groups of flags, --help text */
    const char *summary;    /* one line for catlog --help */
    int (*run)(catlog_ctx *ctx);
} command;

extern const command CMD_ANALYTICS_TRENDING, CMD_ANALYTICS_REFRESH, CMD_BUILD, CMD_CONFIG, CMD_DB_MIGRATE,
    CMD_DB_STATUS, CMD_DEMO_DATA, CMD_ETL_RUN, CMD_EXPORT, CMD_ETL_LOGS, CMD_INIT, CMD_NIGHTLY, CMD_PUBLISH, CMD_QUALITY,
    CMD_RENDER, CMD_WATCH;

/* Every command, in the order catlog --help lists them. */
extern const command *const COMMANDS[];
extern const size_t NUM_COMMANDS;

#endif
