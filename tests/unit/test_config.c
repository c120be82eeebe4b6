/* Unit tests for core/config (flags, environment, YAML file, precedence, errors), core/url
 * and the settings table of every command. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "cmd/settings.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/file.h"
#include "core/url.h"

static const conf_setting TABLE[] = {
    {"site.url", "site-url", NULL, "TEST_SITE_URL", CONF_TEXT, NULL, 0, 0, "URL", "address", 1},
    {"build.jobs", "jobs", NULL, "TEST_JOBS", CONF_INT, "4", 1, 16, "N", "workers", 1},
    {"publish.delete", "delete", NULL, NULL, CONF_BOOL, "false", 0, 0, NULL, "remove", 1},
    {"build.as_of", "as-of", NULL, NULL, CONF_DATE, NULL, 0, 0, "DATE", "date", 1},
    {"build.out", "out", NULL, NULL, CONF_PATH, "output", 0, 0, "DIR", "out", 1},
    {"jikan.retries", "jikan-retries", "retries", NULL, CONF_INT, "3", 0, 20, "N", "retries", 1},
};
enum { T_URL, T_JOBS, T_DELETE, T_AS_OF, T_OUT, T_RETRIES, T_COUNT };
static const conf_command CMD = {"test", NULL, 0, 0, 1, "A test command.\n"};

/* Loads argv (NULL-terminated, without argv[0]) with file text (NULL: no file). */
static int load(config *c, const char *yaml, const char *const *args)
{
    char *argv[16] = {"test"};
    int argc = 1;
    for (; args && args[argc - 1]; argc++) argv[argc] = (char *)args[argc - 1];
    char path[] = "/tmp/catlog-test-config-XXXXXX/catlog.yaml";
    char dir[] = "/tmp/catlog-test-config-XXXXXX";
    if (yaml) {
        assert_non_null(mkdtemp(dir));
        snprintf(path, sizeof path, "%s/catlog.yaml", dir);
        assert_int_equal(file_write_atomic(path, yaml, strlen(yaml)), 0);
    }
    config_init(c, TABLE, T_COUNT);
    int rc = config_load(c, &CMD, yaml ? path : NULL, argc, argv);
    if (yaml) {
        unlink(path);
        rmdir(dir);
    }
    return rc;
}

static void defaults_then_file_env_flag(void **state)
{
    (void)state;
    config c;
    unsetenv("TEST_JOBS");
    assert_int_equal(load(&c, NULL, NULL), -1);
    assert_int_equal(config_int(&c, T_JOBS), 4);
    assert_false(config_is_set(&c, T_URL));
    assert_int_equal(config_source(&c, T_JOBS), CONF_FROM_DEFAULT);
    config_free(&c);

    assert_int_equal(load(&c, "# comment\nbuild:\n  jobs: 2\n  out: site\nsite:\n  url: https://a.example\n", NULL), -1);
    assert_int_equal(config_int(&c, T_JOBS), 2);
    assert_int_equal(config_source(&c, T_JOBS), CONF_FROM_FILE);
    char origin[256];
    config_origin(&c, T_JOBS, origin, sizeof origin);
    assert_non_null(strstr(origin, "catlog.yaml:3"));
    assert_string_equal(config_text(&c, T_URL), "https://a.example");
    /* a relative path in the file is relative to the file's directory */
    assert_non_null(strstr(config_text(&c, T_OUT), "/site"));
    assert_true(config_text(&c, T_OUT)[0] == '/');
    config_free(&c);

    setenv("TEST_JOBS", "5", 1);
    assert_int_equal(load(&c, "build:\n  jobs: 2\n", NULL), -1);
    assert_int_equal(config_int(&c, T_JOBS), 5);
    assert_int_equal(config_source(&c, T_JOBS), CONF_FROM_ENV);
    config_free(&c);

    const char *args[] = {"--jobs", "7", "--delete", "--retries", "9", NULL};
    assert_int_equal(load(&c, "build:\n  jobs: 2\npublish:\n  delete: false\n", args), -1);
    assert_int_equal(config_int(&c, T_JOBS), 7);
    assert_true(config_bool(&c, T_DELETE));
    assert_int_equal(config_int(&c, T_RETRIES), 9);   /* the alias */
    config_free(&c);
    const char *off[] = {"--no-delete", NULL};
    assert_int_equal(load(&c, "publish:\n  delete: yes\n", off), -1);
    assert_false(config_bool(&c, T_DELETE));
    config_free(&c);
    unsetenv("TEST_JOBS");
}

static void bad_values_are_usage_errors(void **state)
{
    (void)state;
    config c;
    const char *bad_flag[] = {"--jobs", "0", NULL};
    assert_int_equal(load(&c, NULL, bad_flag), 2);
    config_free(&c);
    const char *bad_date[] = {"--as-of", "23/11/2026", NULL};
    assert_int_equal(load(&c, NULL, bad_date), 2);
    config_free(&c);
    const char *unknown[] = {"--nope", NULL};
    assert_int_equal(load(&c, NULL, unknown), 2);
    config_free(&c);
    const char *operand[] = {"extra", NULL};
    assert_int_equal(load(&c, NULL, operand), 2);
    config_free(&c);
    setenv("TEST_JOBS", "many", 1);
    assert_int_equal(load(&c, NULL, NULL), 2);
    config_free(&c);
    unsetenv("TEST_JOBS");
    static const char *const files[] = {
        "build:\n  jobs: many\n",             /* wrong type */
        "build:\n  jobz: 2\n",                /* unknown key */
        "build:\n  jobs: [1, 2]\n",           /* not a scalar */
        "build:\n  jobs: 2\n  jobs: 3\n",     /* twice */
        "build: {jobs: 2\n",                  /* syntax */
        "publish:\n  secret_access_key: x\n", /* a secret */
        "site:\n  url: https://u:pw@a.example\n",
        "- a\n- b\n",
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        assert_int_equal(load(&c, files[i], NULL), 2);
        config_free(&c);
    }
    /* --help wins over a broken file */
    const char *help[] = {"--help", NULL};
    assert_int_equal(load(&c, "build: {jobs: 2\n", help), 0);
    config_free(&c);
    /* an empty file and null values set nothing */
    assert_int_equal(load(&c, "", NULL), -1);
    config_free(&c);
    assert_int_equal(load(&c, "site:\n  url: ~\nbuild:\n", NULL), -1);
    assert_false(config_is_set(&c, T_URL));
    config_free(&c);
}

static void every_command_has_distinct_flags(void **state)
{
    (void)state;
    for (size_t k = 0; k < NUM_COMMANDS; k++) {
        const conf_command *cmd = &COMMANDS[k]->spec;
        for (size_t i = 0; i < S__COUNT; i++) {
            if (!SETTINGS[i].flag || !(SETTINGS[i].groups & cmd->groups)) continue;
            for (size_t j = i + 1; j < S__COUNT; j++) {
                if (!SETTINGS[j].flag || !(SETTINGS[j].groups & cmd->groups)) continue;
                if (strcmp(SETTINGS[i].flag, SETTINGS[j].flag) == 0)
                    fail_msg("catlog %s: --%s names two settings", cmd->name, SETTINGS[i].flag);
            }
        }
    }
    /* keys are unique too, and every persistent setting can be shown by catlog config */
    for (size_t i = 0; i < S__COUNT; i++)
        for (size_t j = i + 1; SETTINGS[i].key && j < S__COUNT; j++)
            if (SETTINGS[j].key && strcmp(SETTINGS[i].key, SETTINGS[j].key) == 0) fail_msg("key %s twice", SETTINGS[i].key);
    config c;
    config_init(&c, SETTINGS, S__COUNT);   /* aborts when a default does not parse */
    config_free(&c);
}

static void urls(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    url_redact(&b, "postgresql://u:secret@h/db?sslmode=require&password=x");
    assert_string_equal(buf_cstr(&b), "postgresql://u:***@h/db?sslmode=require&password=***");
    buf_reset(&b);
    url_redact(&b, "https://hook.example/p?token=abc&x=1#f");
    assert_string_equal(buf_cstr(&b), "https://hook.example/p?token=***&x=1#f");
    buf_reset(&b);
    url_redact(&b, "https://user@a.example/x");
    assert_string_equal(buf_cstr(&b), "https://user@a.example/x");
    buf_free(&b);
    assert_true(url_has_password("postgresql://u:p@h/db"));
    assert_true(url_has_password("postgresql:///db?host=/x&password=p"));
    assert_false(url_has_password("postgresql://u@h:5432/db"));
    static const char *const local[] = {"http://127.0.0.1:8000", "http://localhost/", "https://LOCALHOST:1",
                                        "http://[::1]:80/", "http://[::]:8000/", "http://0.0.0.0", "http://catlog/", "file:///x",
                                        "output", "http://a.localhost/"};
    for (size_t i = 0; i < sizeof local / sizeof local[0]; i++)
        if (!url_is_local(local[i])) fail_msg("%s should be local", local[i]);
    static const char *const public[] = {"https://catlog.example.org", "http://203.0.113.5:8080/x",
                                         "https://user@site.example/"};
    for (size_t i = 0; i < sizeof public / sizeof public[0]; i++)
        if (url_is_local(public[i])) fail_msg("%s should not be local", public[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_then_file_env_flag),
        cmocka_unit_test(bad_values_are_usage_errors),
        cmocka_unit_test(every_command_has_distinct_flags),
        cmocka_unit_test(urls),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
