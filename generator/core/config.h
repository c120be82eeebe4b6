/* config: settings declared once, in a caller's table (YAML key, flag, environment variable,
 * type, default, help), resolved flag > environment > file > default. Each value remembers
 * where it came from, for `catlog config` and for error messages. The same table drives the
 * option parsing and the --help text of every command (cmd/settings.c holds catlog's). */
#ifndef CATLOG_CONFIG_H
#define CATLOG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum { CONF_TEXT, CONF_PATH, CONF_INT, CONF_BOOL, CONF_DATE } conf_type;

typedef struct {
    const char *key;        /* YAML key, dotted ("site.url"); NULL: not in the file */
    const char *flag;       /* long option without dashes ("site-url"); NULL: not a flag */
    const char *alias;      /* another flag name, accepted where it names nothing else; one
                             * letter: a short option ("v" for -v, booleans only) */
    const char *env;        /* environment variable; NULL: none */
    conf_type type;
    const char *def;        /* default as text; NULL: unset */
    long long min, max;     /* CONF_INT bounds */
    const char *metavar;    /* "URL", "N", "DIR"; unused for CONF_BOOL */
    const char *help;
    unsigned groups;        /* the commands that take it as a flag (the caller's bits) */
} conf_setting;

typedef enum { CONF_FROM_DEFAULT, CONF_FROM_FILE, CONF_FROM_ENV, CONF_FROM_FLAG } conf_source;

typedef struct {
    char *text;             /* NULL: unset */
    long long num;          /* CONF_INT, CONF_BOOL (0/1), CONF_DATE (a date_day) */
    conf_source from;
    int line, col;          /* CONF_FROM_FILE */
} conf_value;

/* What a command tells the parser about itself. */
typedef struct {
    const char *name;       /* "build", "etl run" */
    const char *operands;   /* synopsis after [options], e.g. "TEMPLATE [DATA.json]"; NULL: none */
    int min_operands, max_operands;
    unsigned groups;        /* settings it takes as flags */
    const char *about;      /* the paragraph of its --help, lines ending in \n */
} conf_command;

typedef struct {
    const conf_setting *table;
    size_t n;
    conf_value *v;
    char *file;             /* the configuration file read; NULL: none */
    char *project_dir;      /* the directory holding it; NULL: no site project */
    char **operands;        /* borrowed from argv */
    int noperands;
} config;

/* Every value at its default. */
void config_init(config *c, const conf_setting *table, size_t n);
void config_free(config *c);

/* Parses argv (argv[0] = the command's last word) for cmd, then layers the file (when
 * `file` is not NULL), the environment and the flags on top of the defaults. Returns -1
 * when the command should run; otherwise the exit code: 0 after --help (printed), 2 after
 * one line naming the bad flag, variable, or file:line:col and key. */
int config_load(config *c, const conf_command *cmd, const char *file, int argc, char **argv);

/* The --help text of cmd. */
void config_help(const config *c, const conf_command *cmd, FILE *out);

/* `catlog config`: every setting with a key or a variable, its value and where it came from.
 * URLs are shown without their user-info password. */
void config_print(const config *c, FILE *out);

/* Values by table index. config_text is NULL when unset. */
const char *config_text(const config *c, int id);
long long config_int(const config *c, int id);
bool config_bool(const config *c, int id);
bool config_is_set(const config *c, int id);
conf_source config_source(const config *c, int id);

/* The YAML reader (config_file.c): reads path, a mapping of mappings of scalars, into c
 * through config_file_value (dotted key, text, position). Both return 0, or -1 after one
 * line "FILE:LINE:COL: ..." naming the key. */
int config_read_yaml(config *c, const char *path);
int config_file_value(config *c, const char *key, const char *text, int line, int col);

/* "catlog.yaml:3" / "env CATLOG_SITE_URL" / "--site-url" / "default": where id came from. */
void config_origin(const config *c, int id, char *out, size_t n);

#endif
