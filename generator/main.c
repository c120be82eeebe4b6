/* catlog: global options, the configuration file, argv -> one command; nothing else. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/settings.h"
#include "core/ctx.h"
#include "core/file.h"
#include "core/version.h"

#define CONFIG_NAME "catlog.yaml"

static void usage(FILE *out)
{
    fputs("usage: catlog [-C DIR] [--config FILE] <command> [options]   (catlog <command> --help for details)\n"
          "       catlog --version\n\ncommands:\n", out);
    for (size_t i = 0; i < NUM_COMMANDS; i++)
        fprintf(out, "  %-19s %s\n", COMMANDS[i]->spec.name, COMMANDS[i]->summary);
    fputs("\n  -C DIR         run in DIR (a site project: its catlog.yaml, templates/, assets/, content/)\n"
          "  --config FILE  the configuration file (default: catlog.yaml here, else $CATLOG_CONFIG)\n"
          "\nexit codes: 0 success, 1 failure, 2 bad usage or configuration; catlog nightly adds 3-9.\n"
          "environment: every setting's variable (catlog config lists them), DATABASE_URL or libpq's\n"
          "PG* variables, AWS_* for publishing, CATLOG_DATA_DIR for the built-in templates.\n", out);
}

/* The commands whose name starts with `word` (e.g. "etl"), for a group's usage. */
static void group_usage(const char *word, FILE *out)
{
    size_t n = strlen(word);
    for (size_t i = 0; i < NUM_COMMANDS; i++)
        if (strncmp(COMMANDS[i]->spec.name, word, n) == 0 && COMMANDS[i]->spec.name[n] == ' ')
            fprintf(out, "usage: catlog %s [options]   %s\n", COMMANDS[i]->spec.name, COMMANDS[i]->summary);
}

/* The command named by argv[0] (and argv[1] for two-word commands); *words: how many. */
static const command *find_command(int argc, char **argv, int *words)
{
    for (size_t i = 0; i < NUM_COMMANDS; i++) {
        const char *name = COMMANDS[i]->spec.name, *space = strchr(name, ' ');
        if (!space && strcmp(argv[0], name) == 0) {
            *words = 1;
            return COMMANDS[i];
        }
        if (space && argc > 1 && strlen(argv[0]) == (size_t)(space - name) &&
            strncmp(argv[0], name, (size_t)(space - name)) == 0 && strcmp(argv[1], space + 1) == 0) {
            *words = 2;
            return COMMANDS[i];
        }
    }
    return NULL;
}

/* --config, else $CATLOG_CONFIG, else catlog.yaml in the current directory when present. */
static const char *config_file(const char *given)
{
    if (given) return given;
    const char *env = getenv("CATLOG_CONFIG");
    if (env && *env) return env;
    return file_exists(CONFIG_NAME) ? CONFIG_NAME : NULL;
}

int main(int argc, char **argv)
{
    const char *config_path = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return EXIT_OK;
        } else if (!strcmp(a, "--version")) {
            printf("catlog %s\n", version_string());
            return EXIT_OK;
        } else if ((!strcmp(a, "-C") || !strcmp(a, "--config")) && i + 1 < argc) {
            if (a[1] == 'C' && chdir(argv[i + 1]) != 0) {
                fprintf(stderr, "catlog: error: cannot change to %s: %s\n", argv[i + 1], strerror(errno));
                return EXIT_USAGE;
            }
            if (a[1] == '-') config_path = argv[i + 1];
            i++;
        } else {
            fprintf(stderr, "catlog: unknown option '%s'\n\n", a);
            usage(stderr);
            return EXIT_USAGE;
        }
    }
    if (i == argc) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[i], "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    int words = 0;
    const command *cmd = find_command(argc - i, argv + i, &words);
    if (!cmd) {
        bool group = false;
        for (size_t k = 0; k < NUM_COMMANDS && !group; k++)
            group = strncmp(COMMANDS[k]->spec.name, argv[i], strlen(argv[i])) == 0 &&
                    COMMANDS[k]->spec.name[strlen(argv[i])] == ' ';
        bool help = group && i + 1 < argc && (!strcmp(argv[i + 1], "--help") || !strcmp(argv[i + 1], "-h"));
        if (group) {
            if (!help && i + 1 < argc) fprintf(stderr, "catlog: unknown %s command '%s'\n", argv[i], argv[i + 1]);
            group_usage(argv[i], help ? stdout : stderr);
            return help ? EXIT_OK : EXIT_USAGE;
        }
        fprintf(stderr, "catlog: unknown command '%s'\n\n", argv[i]);
        usage(stderr);
        return EXIT_USAGE;
    }
    config cfg;
    config_init(&cfg, SETTINGS, S__COUNT);
    /* render and init need no site: a broken catlog.yaml must not stop them */
    const char *file = (cmd->spec.groups & G_PERSISTENT & ~G_DATA) ? config_file(config_path) : NULL;
    int rc = config_load(&cfg, &cmd->spec, file, argc - i - words + 1, argv + i + words - 1);
    if (rc < 0) {
        catlog_ctx ctx;
        ctx_init(&ctx, &cfg, config_text(&cfg, S_DATABASE_URL));
        rc = cmd->run(&ctx);
        ctx_close(&ctx);
    }
    config_free(&cfg);
    fflush(stdout);
    return rc;
}
