#include "cmd/cmd.h"

const command *const COMMANDS[] = {
    &CMD_INIT,     &CMD_CONFIG,   &CMD_DB_MIGRATE, &CMD_DB_STATUS,          &CMD_ETL_RUN,
    &CMD_ETL_LOGS, &CMD_QUALITY,  &CMD_DEMO_DATA,  &CMD_ANALYTICS_TRENDING, &CMD_ANALYTICS_REFRESH,
    &CMD_BUILD,    &CMD_PUBLISH,  &CMD_EXPORT,   &CMD_NIGHTLY,    &CMD_WATCH,              &CMD_RENDER,
};
const size_t NUM_COMMANDS = sizeof COMMANDS / sizeof COMMANDS[0];
