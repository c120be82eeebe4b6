/* The configuration file: YAML (libyaml), nested mappings whose leaves are scalars; the
 * dotted path of each leaf ("site.url") is a key of the settings table. Credentials never
 * belong here: a secret-looking key, or a URL with a password, is an error. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/log.h"
#include "core/url.h"

typedef struct {
    config *c;
    yaml_parser_t parser;
    buf seen;               /* "\nkey1\nkey2\n": the keys read, to refuse duplicates */
} S_reader;

static int S_fail(S_reader *r, const yaml_mark_t *m, const char *key, const char *what)
{
    log_error("%s:%zu:%zu: %s%s%s", r->c->file, m->line + 1, m->column + 1, key ? key : "", key ? ": " : "", what);
    return -1;
}

static int S_next(S_reader *r, yaml_event_t *ev)
{
    if (yaml_parser_parse(&r->parser, ev)) return 0;
    const char *problem = r->parser.problem ? r->parser.problem : "unreadable";
    log_error("%s:%zu:%zu: not valid YAML: %s%s%s", r->c->file, r->parser.problem_mark.line + 1,
              r->parser.problem_mark.column + 1, problem, r->parser.context ? " " : "",
              r->parser.context ? r->parser.context : "");
    return -1;
}

static bool S_secret_key(const char *key)
{
    static const char *const words[] = {"password", "passwd", "secret", "token", "credential", "access_key", "private_key"};
    const char *last = strrchr(key, '.');
    last = last ? last + 1 : key;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcasestr(last, words[i])) return true;
    return false;
}

/* A plain ~, null or empty value: the key is there but sets nothing. */
static bool S_is_null(const yaml_event_t *ev)
{
    const char *v = (const char *)ev->data.scalar.value;
    return ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
           (!*v || strcmp(v, "~") == 0 || strcasecmp(v, "null") == 0);
}

static int S_leaf(S_reader *r, const char *key, const yaml_event_t *kev, const yaml_event_t *vev)
{
    buf probe = BUF_INIT;
    buf_printf(&probe, "\n%s\n", key);
    if (!r->seen.len) buf_putc(&r->seen, '\n');
    bool dup = strstr(buf_cstr(&r->seen), buf_cstr(&probe)) != NULL;
    buf_append(&r->seen, probe.data + 1, probe.len - 1);
    buf_free(&probe);
    if (dup) return S_fail(r, &kev->start_mark, key, "the key is given twice");
    if (S_secret_key(key))
        return S_fail(r, &kev->start_mark, key,
                      "looks like a secret; keep credentials in the environment (AWS_SECRET_ACCESS_KEY, "
                      "PGPASSWORD or ~/.pgpass), not in the file");
    if (S_is_null(vev)) return 0;
    const char *text = (const char *)vev->data.scalar.value;
    if (url_has_password(text))
        return S_fail(r, &vev->start_mark, key,
                      "holds a password; put it in PGPASSWORD or ~/.pgpass (or the environment), not in the file");
    return config_file_value(r->c, key, text, (int)kev->start_mark.line + 1, (int)kev->start_mark.column + 1);
}

/* Reads the entries of a mapping whose MAPPING_START was just consumed. */
static int S_mapping(S_reader *r, const char *prefix, int depth)
{
    for (;;) {
        yaml_event_t kev, vev;
        if (S_next(r, &kev) != 0) return -1;
        if (kev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&kev);
            return 0;
        }
        if (kev.type != YAML_SCALAR_EVENT) {
            int rc = S_fail(r, &kev.start_mark, prefix[0] ? prefix : NULL, "expected a key (name: value)");
            yaml_event_delete(&kev);
            return rc;
        }
        buf key = BUF_INIT;
        buf_printf(&key, "%s%s%s", prefix, prefix[0] ? "." : "", (const char *)kev.data.scalar.value);
        int rc = S_next(r, &vev);
        if (rc == 0) {
            if (vev.type == YAML_SCALAR_EVENT) rc = S_leaf(r, buf_cstr(&key), &kev, &vev);
            else if (vev.type == YAML_MAPPING_START_EVENT && depth < 8) rc = S_mapping(r, buf_cstr(&key), depth + 1);
            else if (vev.type == YAML_SEQUENCE_START_EVENT)
                rc = S_fail(r, &vev.start_mark, buf_cstr(&key), "expects a single value, not a list");
            else rc = S_fail(r, &vev.start_mark, buf_cstr(&key), "expects a single value");
            yaml_event_delete(&vev);
        }
        yaml_event_delete(&kev);
        buf_free(&key);
        if (rc != 0) return rc;
    }
}

int config_read_yaml(config *c, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        log_error("cannot read the configuration file %s: %s", path, strerror(errno));
        return -1;
    }
    S_reader r = {.c = c, .seen = BUF_INIT};
    yaml_parser_initialize(&r.parser);
    yaml_parser_set_input_file(&r.parser, f);
    int rc = 0;
    bool done = false;
    while (rc == 0 && !done) {
        yaml_event_t ev;
        if (S_next(&r, &ev) != 0) {
            rc = -1;
            break;
        }
        switch (ev.type) {
        case YAML_STREAM_END_EVENT: done = true; break;
        case YAML_MAPPING_START_EVENT: rc = S_mapping(&r, "", 0); break;
        case YAML_SCALAR_EVENT:
            if (!S_is_null(&ev)) rc = S_fail(&r, &ev.start_mark, NULL, "expected settings as key: value lines");
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_ALIAS_EVENT: rc = S_fail(&r, &ev.start_mark, NULL, "expected settings as key: value lines"); break;
        default: break;   /* stream and document markers */
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&r.parser);
    buf_free(&r.seen);
    fclose(f);
    return rc;
}
