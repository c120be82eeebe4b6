/* Unit tests for etl/transform: Jikan pages -> staging rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/file.h"
#include "etl/transform.h"

/* Recorded Jikan responses; the tests run from the repository root. */
static void fixture_path(char *out, size_t n, const char *name)
{
    snprintf(out, n, "tests/fixtures/jikan/%s", name);
}

/* Returns field `col` (0-based) of row `row` of COPY text, in a static buffer. */
static const char *field(const char *rows, int row, int col)
{
    static char out[4096];
    const char *p = rows;
    for (int r = 0; r < row; r++) p = strchr(p, '\n') + 1;
    for (int c = 0; c < col; c++) p = strchr(p, '\t') + 1;
    size_t n = strcspn(p, "\t\n");
    if (n >= sizeof out) n = sizeof out - 1;
    memcpy(out, p, n);
    out[n] = '\0';
    return out;
}

static void transforms_recorded_page(void **state)
{
    (void)state;
    char path[512];
    fixture_path(path, sizeof path, "top-anime-page1.json");
    buf json = BUF_INIT, rows = BUF_INIT, err = BUF_INIT;
    assert_int_equal(file_read_all(path, &json), 0);
    transform_stats st;
    assert_int_equal(transform_page(json.data, json.len, 1, &rows, &st, &err), 0);
    assert_int_equal(st.records, 25);
    assert_int_equal(st.accepted, 25);
    assert_int_equal(st.rejected, 0);
    assert_true(st.has_next_page);
    assert_string_equal(field(rows.data, 0, 2), "5114");
    assert_string_equal(field(rows.data, 0, 3), "Fullmetal Alchemist: Brotherhood");
    assert_string_equal(field(rows.data, 0, 5), "{\"Action\",\"Adventure\",\"Drama\",\"Fantasy\"}");
    assert_string_equal(field(rows.data, 0, 6), "9.11");
    assert_string_equal(field(rows.data, 0, 8), "1");
    assert_string_equal(field(rows.data, 0, 14), "spring");
    assert_string_equal(field(rows.data, 0, 17), "{\"Bones\"}");
    assert_non_null(strstr(field(rows.data, 0, 18), "cdn.myanimelist.net"));
    buf_free(&json);
    buf_free(&rows);
    buf_free(&err);
}

static void nulls_become_null(void **state)
{
    (void)state;
    char path[512];
    fixture_path(path, sizeof path, "anime-search-naruto.json");
    buf json = BUF_INIT, rows = BUF_INIT, err = BUF_INIT;
    assert_int_equal(file_read_all(path, &json), 0);
    transform_stats st;
    assert_int_equal(transform_page(json.data, json.len, 1, &rows, &st, &err), 0);
    assert_int_equal(st.accepted, 10);
    int found = 0;
    for (int r = 0; r < st.accepted; r++) {
        if (strcmp(field(rows.data, r, 2), "53240") != 0) continue;
        found = 1;
        assert_string_equal(field(rows.data, r, 6), "\\N");   /* score */
        assert_string_equal(field(rows.data, r, 7), "\\N");   /* scored_by */
        assert_string_equal(field(rows.data, r, 19), "\\N");  /* synopsis */
    }
    assert_true(found);
    buf_free(&json);
    buf_free(&rows);
    buf_free(&err);
}

static void rejects_records_without_id_or_title(void **state)
{
    (void)state;
    const char *page = "{\"data\":[{\"mal_id\":1,\"title\":\"ok\\tab\"},{\"title\":\"no id\"},"
                       "{\"mal_id\":2,\"title\":null},{\"mal_id\":\"3\",\"title\":\"string id\"},7,"
                       "{\"mal_id\":4,\"title\":\"x\",\"score\":\"high\",\"members\":1.5,\"genres\":\"nope\"}],"
                       "\"pagination\":{\"has_next_page\":false}}";
    buf rows = BUF_INIT, err = BUF_INIT;
    transform_stats st;
    assert_int_equal(transform_page(page, strlen(page), 9, &rows, &st, &err), 0);
    assert_int_equal(st.records, 6);
    assert_int_equal(st.accepted, 2);
    assert_int_equal(st.rejected, 4);
    assert_false(st.has_next_page);
    assert_string_equal(field(rows.data, 0, 0), "9");
    assert_string_equal(field(rows.data, 0, 3), "ok\\tab");        /* tab escaped for COPY */
    assert_string_equal(field(rows.data, 1, 6), "\\N");            /* score of the wrong type */
    assert_string_equal(field(rows.data, 1, 10), "\\N");           /* members not an integer */
    assert_string_equal(field(rows.data, 1, 5), "{}");             /* genres not a list */
    buf_free(&rows);
    buf_free(&err);
}

static void malformed_pages_fail_with_the_page_named(void **state)
{
    (void)state;
    buf rows = BUF_INIT, err = BUF_INIT;
    transform_stats st;
    const char *truncated = "{\"data\":[{\"mal_id\":1,\"title\":\"a\"},{\"mal_";
    assert_int_equal(transform_page(truncated, strlen(truncated), 3, &rows, &st, &err), -1);
    assert_non_null(strstr(buf_cstr(&err), "page 3: malformed JSON near byte"));
    buf_reset(&err);
    assert_int_equal(transform_page("{\"error\":1}", 11, 4, &rows, &st, &err), -1);
    assert_string_equal(buf_cstr(&err), "page 4: no \"data\" array in the response");
    assert_int_equal(rows.len, 0);
    buf_free(&rows);
    buf_free(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(transforms_recorded_page),
        cmocka_unit_test(nulls_become_null),
        cmocka_unit_test(rejects_records_without_id_or_title),
        cmocka_unit_test(malformed_pages_fail_with_the_page_named),
    };
    return cmocka_run_group_tests_name("transform", tests, NULL, NULL);
}
