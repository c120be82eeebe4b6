/* Unit tests for core/: buf, date, rng, file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/file.h"
#include "core/rng.h"
#include "core/text.h"

static void buf_appends_and_formats(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    assert_string_equal(buf_cstr(&b), "");
    buf_puts(&b, "rank ");
    buf_printf(&b, "%d of %s", 7, "top");
    buf_putc(&b, '!');
    assert_string_equal(buf_cstr(&b), "rank 7 of top!");
    assert_int_equal(b.len, 14);
    buf_reset(&b);
    assert_int_equal(b.len, 0);
    for (int i = 0; i < 1000; i++) buf_printf(&b, "%04d", i);   /* growth across printf */
    assert_int_equal(b.len, 4000);
    assert_memory_equal(b.data + 3996, "0999", 4);
    char *s = buf_detach(&b);
    assert_null(b.data);
    free(s);
}

static void date_roundtrips_and_validates(void **state)
{
    (void)state;
    date_day d;
    assert_true(date_parse("1970-01-01", &d));
    assert_int_equal(d, 0);
    assert_true(date_parse("2024-02-29", &d));
    char s[11];
    date_format(d + 1, s);
    assert_string_equal(s, "2024-03-01");
    date_format(d - 60, s);
    assert_string_equal(s, "2023-12-31");
    assert_false(date_parse("2023-02-29", &d));
    assert_false(date_parse("2023-13-01", &d));
    assert_false(date_parse("2023-1-01", &d));
    assert_false(date_parse("2023-01-01x", &d));
    assert_false(date_parse("", &d));
    for (date_day x = -800000; x < 800000; x += 997) {   /* every era, both directions */
        int y, m, dd;
        date_to_ymd(x, &y, &m, &dd);
        assert_int_equal(date_from_ymd(y, m, dd), x);
    }
}

static void rng_is_deterministic(void **state)
{
    (void)state;
    rng a, b;
    rng_seed(&a, 42);
    rng_seed(&b, 42);
    for (int i = 0; i < 1000; i++) assert_true(rng_next(&a) == rng_next(&b));
    rng_seed(&b, 43);
    assert_false(rng_next(&a) == rng_next(&b));
    for (int i = 0; i < 10000; i++) {
        assert_true(rng_below(&a, 7) < 7);
        double u = rng_unit(&a);
        assert_true(u >= 0 && u < 1);
    }
}

static void file_writes_atomically(void **state)
{
    (void)state;
    char dir[] = "/tmp/catlog-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/a/b/c.txt", dir);
    char sub[256];
    snprintf(sub, sizeof sub, "%s/a/b", dir);
    assert_int_equal(file_mkdirs(sub), 0);
    assert_int_equal(file_mkdirs(sub), 0);
    assert_int_equal(file_write_atomic(path, "hello", 5), 0);
    assert_int_equal(file_write_atomic(path, "replaced", 8), 0);
    buf b = BUF_INIT;
    assert_int_equal(file_read_all(path, &b), 0);
    assert_string_equal(buf_cstr(&b), "replaced");
    buf_free(&b);
    assert_int_equal(file_read_all("/nonexistent/file", &b), -1);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static void text_utf8_and_xml(void **state)
{
    (void)state;
    assert_true(text_utf8_valid("caf\xc3\xa9 \xe2\x9c\x93", 9));
    assert_false(text_utf8_valid("\xc3", 1));               /* truncated */
    assert_false(text_utf8_valid("\xc0\xaf", 2));           /* overlong */
    assert_false(text_utf8_valid("\xed\xa0\x80", 3));       /* surrogate */
    assert_false(text_utf8_valid("\xf4\x90\x80\x80", 4));   /* above U+10FFFF */
    const char *s = "ab\xe2\x9c\x93";   /* a b check-mark: 5 bytes */
    assert_int_equal(text_utf8_cut(s, 5, 4), 2);   /* never splits the check-mark */
    assert_int_equal(text_utf8_cut(s, 5, 5), 5);
    assert_int_equal(text_utf8_cut(s, 5, 2), 2);
    buf b = BUF_INIT;
    const char *dirty = "a\x01" "b\tc\xef\xbf\xbe" "d\xef\xbf\xbf" "e\xff" "f\xc3\xa9";
    text_xml_clean(&b, dirty, strlen(dirty));
    assert_string_equal(buf_cstr(&b), "ab\tcde\xef\xbf\xbd" "f\xc3\xa9");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_utf8_and_xml),
        cmocka_unit_test(buf_appends_and_formats),
        cmocka_unit_test(date_roundtrips_and_validates),
        cmocka_unit_test(rng_is_deterministic),
        cmocka_unit_test(file_writes_atomically),
    };
    return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
