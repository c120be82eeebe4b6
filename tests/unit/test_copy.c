/* Unit tests for db/copy: COPY text-format escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/digest.h"
#include "db/copy.h"
#include "db/history.h"

static void escapes_text(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    copy_text(&b, "a\tb\nc\\d\"e");
    assert_string_equal(buf_cstr(&b), "a\\tb\\nc\\\\d\"e");
    buf_reset(&b);
    copy_text(&b, NULL);
    assert_string_equal(buf_cstr(&b), "\\N");
    buf_free(&b);
}

static void writes_arrays(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    const char *items[] = {"Slice of Life", "a\"b", "c\\d"};
    copy_text_array(&b, items, 3);
    /* Array literal {"Slice of Life","a\"b","c\\d"}, then COPY-escaped backslashes. */
    assert_string_equal(buf_cstr(&b), "{\"Slice of Life\",\"a\\\\\"b\",\"c\\\\\\\\d\"}");
    buf_reset(&b);
    copy_text_array(&b, items, 0);
    assert_string_equal(buf_cstr(&b), "{}");
    buf_free(&b);
}

static void writes_numbers(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    copy_int(&b, 0); buf_putc(&b, ' ');
    copy_int(&b, -42); buf_putc(&b, ' ');
    copy_int(&b, 9223372036854775807LL); buf_putc(&b, ' ');
    copy_hundredths(&b, 912); buf_putc(&b, ' ');
    copy_hundredths(&b, 5); buf_putc(&b, ' ');
    copy_hundredths(&b, -120);
    assert_string_equal(buf_cstr(&b), "0 -42 9223372036854775807 9.12 0.05 -1.20");
    buf_free(&b);
}

static void parses_integer_fields(void **state)
{
    (void)state;
    const char *line = "42\t-7\t\\N\t99999999999\tx\n";
    const char *s = line, *end = line + strlen(line);
    int v;
    bool ok = true;
    s = copy_parse_int(s, end, -1, &v, &ok);
    assert_true(ok);
    assert_int_equal(v, 42);
    assert_int_equal(*s, '\t');
    s = copy_parse_int(s + 1, end, -1, &v, &ok);
    assert_int_equal(v, -7);
    s = copy_parse_int(s + 1, end, -1, &v, &ok);
    assert_true(ok);
    assert_int_equal(v, -1);   /* \N gives the caller's null value */
    s = copy_parse_int(s + 1, end, -1, &v, &ok);
    assert_false(ok);          /* does not fit an int */
    ok = true;
    copy_parse_int(s + 1, end, -1, &v, &ok);
    assert_false(ok);          /* not a number */
}

static void parses_hundredths(void **state)
{
    (void)state;
    const char *line = "8.12\t-0.5\t7\t\\N\t1.234\t1.230\n";
    const char *s = line, *end = line + strlen(line);
    int v;
    bool ok = true;
    s = copy_parse_hundredths(s, end, -1, &v, &ok);
    assert_int_equal(v, 812);
    s = copy_parse_hundredths(s + 1, end, -1, &v, &ok);
    assert_int_equal(v, -50);
    s = copy_parse_hundredths(s + 1, end, -1, &v, &ok);
    assert_int_equal(v, 700);
    s = copy_parse_hundredths(s + 1, end, -1, &v, &ok);
    assert_int_equal(v, -1);   /* \N */
    assert_true(ok);
    s = copy_parse_hundredths(s + 1, end, -1, &v, &ok);
    assert_false(ok);          /* finer than hundredths */
    ok = true;
    s = copy_parse_hundredths(s + 1, end, -1, &v, &ok);
    assert_true(ok);           /* trailing zeros are fine */
    assert_int_equal(v, 123);
    assert_int_equal(*s, '\n');
}

/* The packed point matches catlog_history_point() in SQL (migration 007), byte for byte. */
static void packs_history_points(void **state)
{
    (void)state;
    unsigned char raw[HISTORY_POINT_SIZE];
    char hex[2 * HISTORY_POINT_SIZE + 1];
    history_point p = {20543, 12, 921, 1000000}, back;   /* 2026-03-31, rank 12, 9.21 */
    history_point_encode(raw, &p);
    digest_hex(raw, sizeof raw, hex);
    assert_string_equal(hex, "0000503f0000000c0399000f4240");
    history_point_decode(raw, &back);
    assert_memory_equal(&p, &back, sizeof p);
    history_point nulls = {-3, -1, -1, -1};   /* NULLs are -1; days before 1970 stay negative */
    history_point_encode(raw, &nulls);
    digest_hex(raw, sizeof raw, hex);
    assert_string_equal(hex, "fffffffdffffffffffffffffffff");
    history_point_decode(raw, &back);
    assert_memory_equal(&nulls, &back, sizeof nulls);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escapes_text),
        cmocka_unit_test(writes_arrays),
        cmocka_unit_test(writes_numbers),
        cmocka_unit_test(parses_integer_fields),
        cmocka_unit_test(parses_hundredths),
        cmocka_unit_test(packs_history_points),
    };
    return cmocka_run_group_tests_name("copy", tests, NULL, NULL);
}
