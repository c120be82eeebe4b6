/* cmd: one function per subcommand, each in its own file (cmd_<name>.c).
 * Each takes the subcommand's argv (argv[0] = subcommand name) and returns an exit code. */
#ifndef CATLOG_CMD_H
#define CATLOG_CMD_H

#include "core/ctx.h"

int cmd_analytics(int argc, char **argv, catlog_ctx *ctx);
int cmd_build(int argc, char **argv, catlog_ctx *ctx);
int cmd_db(int argc, char **argv, catlog_ctx *ctx);
int cmd_demo_data(int argc, char **argv, catlog_ctx *ctx);
int cmd_etl(int argc, char **argv, catlog_ctx *ctx);
int cmd_publish(int argc, char **argv, catlog_ctx *ctx);
int cmd_nightly(int argc, char **argv, catlog_ctx *ctx);
int cmd_quality(int argc, char **argv, catlog_ctx *ctx);
int cmd_render(int argc, char **argv, catlog_ctx *ctx);

int cmd_watch(int argc, char **argv, catlog_ctx *ctx);

#endif
