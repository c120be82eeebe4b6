#include "core/config.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/log.h"
#include "core/url.h"

/* getopt_long values: the setting's index plus one of these. */
enum { OPT_SET = 1000, OPT_UNSET = 100000 };

static char *S_dup(const char *s)
{
    char *d = xstrdup(s);
    return d;
}

static void S_range(buf *out, const conf_setting *s)
{
    switch (s->type) {
    case CONF_INT: buf_printf(out, "a whole number from %lld to %lld", s->min, s->max); break;
    case CONF_BOOL: buf_puts(out, "true or false"); break;
    case CONF_DATE: buf_puts(out, "a date as YYYY-MM-DD"); break;
    default: buf_puts(out, "a value"); break;
    }
}

static bool S_parse_bool(const char *t, long long *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"}, *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(t, yes[i]) == 0) return *out = 1, true;
        if (strcasecmp(t, no[i]) == 0) return *out = 0, true;
    }
    return false;
}

/* Converts text for setting id; false when it is not of the setting's type. */
static bool S_convert(const conf_setting *s, const char *text, long long *num)
{
    char *end = NULL;
    date_day d;
    switch (s->type) {
    case CONF_INT:
        errno = 0;
        *num = strtoll(text, &end, 10);
        return !errno && end != text && !*end && *num >= s->min && *num <= s->max;
    case CONF_BOOL: return S_parse_bool(text, num);
    case CONF_DATE:
        if (!date_parse(text, &d)) return false;
        *num = d;
        return true;
    default: *num = 0; return true;
    }
}

static void S_store(conf_value *v, const char *text, long long num, conf_source from, int line, int col)
{
    free(v->text);
    v->text = text ? S_dup(text) : NULL;
    v->num = num;
    v->from = from;
    v->line = line;
    v->col = col;
}

/* Sets id from `from`; `who` names the source in the error ("--jobs", "CATLOG_JOBS",
 * "catlog.yaml:3:9: build.jobs"). */
static int S_assign(config *c, size_t id, const char *text, conf_source from, int line, int col, const char *who)
{
    const conf_setting *s = &c->table[id];
    long long num = 0;
    if (!S_convert(s, text, &num)) {
        buf want = BUF_INIT;
        S_range(&want, s);
        log_error("%s expects %s, got '%s'", who, buf_cstr(&want), text);
        buf_free(&want);
        return -1;
    }
    S_store(&c->v[id], text, num, from, line, col);
    return 0;
}

void config_init(config *c, const conf_setting *table, size_t n)
{
    memset(c, 0, sizeof *c);
    c->table = table;
    c->n = n;
    c->v = xcalloc(n, sizeof *c->v);
    for (size_t i = 0; i < n; i++) {
        long long num = 0;
        if (table[i].def && !S_convert(&table[i], table[i].def, &num)) abort();   /* a bad table */
        S_store(&c->v[i], table[i].def, num, CONF_FROM_DEFAULT, 0, 0);
    }
}

void config_free(config *c)
{
    for (size_t i = 0; c->v && i < c->n; i++) free(c->v[i].text);
    free(c->v);
    free(c->file);
    free(c->project_dir);
    memset(c, 0, sizeof *c);
}

/* ---- the file ------------------------------------------------------------------------ */

int config_file_value(config *c, const char *key, const char *text, int line, int col)
{
    for (size_t i = 0; i < c->n; i++) {
        const conf_setting *s = &c->table[i];
        if (!s->key || strcmp(s->key, key) != 0) continue;
        buf who = BUF_INIT, joined = BUF_INIT;
        buf_printf(&who, "%s:%d:%d: %s", c->file, line, col, key);
        /* relative paths in the file are relative to the project, not to where catlog runs */
        if (s->type == CONF_PATH && text[0] != '/' && c->project_dir && strcmp(c->project_dir, ".") != 0) {
            buf_printf(&joined, "%s/%s", c->project_dir, text);
            text = buf_cstr(&joined);
        }
        int rc = S_assign(c, i, text, CONF_FROM_FILE, line, col, buf_cstr(&who));
        buf_free(&who);
        buf_free(&joined);
        return rc;
    }
    log_error("%s:%d:%d: unknown key '%s' (catlog config --help lists the keys)", c->file, line, col, key);
    return -1;
}

/* ---- the command line ---------------------------------------------------------------- */

static bool S_takes(const conf_command *cmd, const conf_setting *s)
{
    return s->flag && (s->groups & cmd->groups);
}

/* Does cmd already take `name` as the primary flag of another setting? */
static bool S_flag_taken(const config *c, const conf_command *cmd, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (S_takes(cmd, &c->table[i]) && strcmp(c->table[i].flag, name) == 0) return true;
    return false;
}

/* The getopt_long table of cmd: each setting's flag, its alias where free, --no-FLAG for
 * booleans (to turn off what the file or the environment turned on), --help. */
static struct option *S_options(const config *c, const conf_command *cmd, buf *names)
{
    struct option *o = xcalloc(c->n * 3 + 2, sizeof *o);
    size_t k = 0;
    /* names are written into one buffer first; pointers are fixed up once it stops moving */
    size_t *offsets = xcalloc(c->n * 3 + 2, sizeof *offsets);
    for (size_t i = 0; i < c->n; i++) {
        const conf_setting *s = &c->table[i];
        if (!S_takes(cmd, s)) continue;
        int has_arg = s->type == CONF_BOOL ? no_argument : required_argument;
        offsets[k] = names->len;
        buf_puts(names, s->flag);
        buf_putc(names, '\0');
        o[k++] = (struct option){NULL, has_arg, NULL, OPT_SET + (int)i};
        if (s->alias && s->alias[1] && !S_flag_taken(c, cmd, s->alias)) {
            offsets[k] = names->len;
            buf_puts(names, s->alias);
            buf_putc(names, '\0');
            o[k++] = (struct option){NULL, has_arg, NULL, OPT_SET + (int)i};
        }
        if (s->type == CONF_BOOL) {
            offsets[k] = names->len;
            buf_printf(names, "no-%s", s->flag);
            buf_putc(names, '\0');
            o[k++] = (struct option){NULL, no_argument, NULL, OPT_UNSET + (int)i};
        }
    }
    offsets[k] = names->len;
    buf_puts(names, "help");
    buf_putc(names, '\0');
    o[k++] = (struct option){NULL, no_argument, NULL, 'h'};
    for (size_t j = 0; j < k; j++) o[j].name = names->data + offsets[j];
    free(offsets);
    return o;
}

static int S_usage_error(const config *c, const conf_command *cmd, const char *what, const char *arg)
{
    fprintf(stderr, "catlog %s: %s '%s'\n", cmd->name, what, arg);
    config_help(c, cmd, stderr);
    return 2;
}

typedef struct {
    const char *text;   /* NULL: not given */
    bool given;
} S_flag_value;

static int S_read_env(config *c)
{
    for (size_t i = 0; i < c->n; i++) {
        const conf_setting *s = &c->table[i];
        const char *v = s->env ? getenv(s->env) : NULL;
        if (v && *v && S_assign(c, i, v, CONF_FROM_ENV, 0, 0, s->env) != 0) return -1;
    }
    return 0;
}

/* The setting whose one-letter alias is ch, for cmd; -1 when none. */
static int S_short(const config *c, const conf_command *cmd, int ch)
{
    for (size_t i = 0; i < c->n; i++) {
        const conf_setting *s = &c->table[i];
        if (S_takes(cmd, s) && s->alias && s->alias[0] == ch && !s->alias[1]) return (int)i;
    }
    return -1;
}

int config_load(config *c, const conf_command *cmd, const char *file, int argc, char **argv)
{
    buf names = BUF_INIT;
    struct option *opts = S_options(c, cmd, &names);
    char shorts[64] = ":h";   /* one-letter aliases: booleans only */
    for (size_t i = 0, k = 2; i < c->n && k < sizeof shorts - 1; i++) {
        const conf_setting *s = &c->table[i];
        if (S_takes(cmd, s) && s->alias && !s->alias[1] && s->type == CONF_BOOL) shorts[k++] = s->alias[0];
    }
    S_flag_value *flags = xcalloc(c->n, sizeof *flags);
    int rc = -1, ch;
    optind = 1;
    opterr = 0;
    while (rc < 0 && (ch = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
        int letter = ch > 0 && ch < 128 && ch != 'h' && ch != ':' && ch != '?' ? S_short(c, cmd, ch) : -1;
        if (letter >= 0) ch = OPT_SET + letter;
        if (ch == 'h') {
            config_help(c, cmd, stdout);
            rc = 0;
        } else if (ch >= OPT_UNSET) {
            flags[ch - OPT_UNSET] = (S_flag_value){"false", true};
        } else if (ch >= OPT_SET) {
            const conf_setting *s = &c->table[ch - OPT_SET];
            flags[ch - OPT_SET] = (S_flag_value){s->type == CONF_BOOL ? "true" : optarg, true};
        } else {
            rc = S_usage_error(c, cmd, ch == ':' ? "option needs a value" : "unknown option", argv[optind - 1]);
        }
    }
    if (rc < 0) {
        c->operands = argv + optind;
        c->noperands = argc - optind;
        if (c->noperands < cmd->min_operands)
            rc = S_usage_error(c, cmd, "missing operand after", argv[argc - 1]);
        else if (c->noperands > cmd->max_operands)
            rc = S_usage_error(c, cmd, "unexpected argument", argv[optind + cmd->max_operands]);
    }
    if (rc < 0 && file) {
        c->file = S_dup(file);
        const char *slash = strrchr(file, '/');
        c->project_dir = slash ? xstrndup(file, (size_t)(slash - file) + (slash == file)) : S_dup(".");
        if (config_read_yaml(c, file) != 0) rc = 2;
    }
    if (rc < 0 && S_read_env(c) != 0) rc = 2;
    for (size_t i = 0; rc < 0 && i < c->n; i++) {
        if (!flags[i].given) continue;
        char who[80];
        snprintf(who, sizeof who, "--%s", c->table[i].flag);
        if (S_assign(c, i, flags[i].text, CONF_FROM_FLAG, 0, 0, who) != 0) rc = 2;
    }
    free(flags);
    free(opts);
    buf_free(&names);
    return rc;
}

/* ---- help and printing --------------------------------------------------------------- */

/* Prints text from column `at` (the cursor is there), wrapped at 100 columns. */
static void S_wrapped(FILE *out, const char *text, int at)
{
    enum { WIDTH = 100 };
    int col = at;
    while (*text) {
        size_t n = strcspn(text, " ");
        if (col > at && col + 1 + (int)n > WIDTH) {
            fprintf(out, "\n%*s", at, "");
            col = at;
        } else if (col > at) {
            fputc(' ', out);
            col++;
        }
        fwrite(text, 1, n, out);
        col += (int)n;
        text += n;
        while (*text == ' ') text++;
    }
    fputc('\n', out);
}

void config_help(const config *c, const conf_command *cmd, FILE *out)
{
    enum { HELP_AT = 27 };
    fprintf(out, "usage: catlog %s%s%s [options]\n", cmd->name, cmd->operands ? " " : "",
            cmd->operands ? cmd->operands : "");
    if (cmd->about) fputs(cmd->about, out);
    fputs("options:\n", out);
    buf line = BUF_INIT;
    for (size_t i = 0; i < c->n; i++) {
        const conf_setting *s = &c->table[i];
        if (!S_takes(cmd, s)) continue;
        buf_reset(&line);
        buf_printf(&line, "  --%s", s->flag);
        if (s->type != CONF_BOOL) buf_printf(&line, " %s", s->metavar ? s->metavar : "VALUE");
        fprintf(out, "%-*s", HELP_AT - 1, buf_cstr(&line));
        if ((int)line.len >= HELP_AT - 1) fprintf(out, "\n%*s", HELP_AT - 1, "");
        buf_reset(&line);
        buf_puts(&line, s->help);
        if (s->def && s->type != CONF_BOOL) buf_printf(&line, " (default %s)", s->def);
        const char *sep = " [";
        if (s->key) buf_printf(&line, "%sfile: %s", sep, s->key), sep = "; ";
        if (s->env) buf_printf(&line, "%senv: %s", sep, s->env), sep = "; ";
        if (s->alias && !S_flag_taken(c, cmd, s->alias))
            buf_printf(&line, "%salso -%s%s", sep, s->alias[1] ? "-" : "", s->alias), sep = "; ";
        if (s->type == CONF_BOOL) buf_printf(&line, "%s--no-%s turns it off", sep, s->flag), sep = "; ";
        if (sep[0] == ';') buf_putc(&line, ']');
        fputc(' ', out);
        S_wrapped(out, buf_cstr(&line), HELP_AT);
    }
    fprintf(out, "%-*s show this help\n", HELP_AT - 1, "  --help");
    buf_free(&line);
}

void config_origin(const config *c, int id, char *out, size_t n)
{
    const conf_setting *s = &c->table[id];
    const conf_value *v = &c->v[id];
    switch (v->from) {
    case CONF_FROM_FILE: snprintf(out, n, "%s:%d", c->file, v->line); break;
    case CONF_FROM_ENV: snprintf(out, n, "env %s", s->env); break;
    case CONF_FROM_FLAG: snprintf(out, n, "--%s%s", s->type == CONF_BOOL && !v->num ? "no-" : "", s->flag); break;
    default: snprintf(out, n, "default"); break;
    }
}

void config_print(const config *c, FILE *out)
{
    if (c->file) fprintf(out, "# configuration file: %s\n", c->file);
    else fputs("# no configuration file (catlog.yaml here, -C DIR, --config FILE or $CATLOG_CONFIG)\n", out);
    buf shown = BUF_INIT;
    for (size_t i = 0; i < c->n; i++) {
        const conf_setting *s = &c->table[i];
        if (!s->key && !s->env) continue;
        char origin[512];
        config_origin(c, (int)i, origin, sizeof origin);
        buf_reset(&shown);
        if (c->v[i].text) url_redact(&shown, c->v[i].text);
        fprintf(out, "%-24s %-44s # %s\n", s->key ? s->key : s->env, c->v[i].text ? buf_cstr(&shown) : "(unset)",
                origin);
    }
    buf_free(&shown);
}

/* ---- values -------------------------------------------------------------------------- */

const char *config_text(const config *c, int id) { return c->v[id].text; }
long long config_int(const config *c, int id) { return c->v[id].num; }
bool config_bool(const config *c, int id) { return c->v[id].num != 0; }
bool config_is_set(const config *c, int id) { return c->v[id].text != NULL; }
conf_source config_source(const config *c, int id) { return c->v[id].from; }
