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
    assert_int_equal(st.accepted, 1);
    assert_int_equal(st.rejected, 5);   /* a value of the wrong type rejects the record */
    assert_false(st.has_next_page);
    assert_string_equal(field(rows.data, 0, 0), "9");
    assert_string_equal(field(rows.data, 0, 3), "ok\\tab");        /* tab escaped for COPY */
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

/* Accepted (1) or rejected (0): one record with `fields` added to a valid base. */
static int accepted(const char *fields)
{
    buf page = BUF_INIT, rows = BUF_INIT, err = BUF_INIT;
    buf_printf(&page, "{\"data\":[{\"mal_id\":1,\"title\":\"t\"%s%s}]}", *fields ? "," : "", fields);
    transform_stats st;
    assert_int_equal(transform_page(page.data, page.len, 1, &rows, &st, &err), 0);
    int ok = st.accepted;
    if (!ok) assert_non_null(st.first_reject);
    buf_free(&page);
    buf_free(&rows);
    buf_free(&err);
    return ok;
}

static void types_and_limits_as_received(void **state)
{
    (void)state;
    assert_int_equal(accepted(""), 1);
    assert_int_equal(accepted("\"score\":null,\"rank\":null,\"genres\":null"), 1);
    assert_int_equal(accepted("\"score\":\"9.1\""), 0);          /* a string where Jikan sends a number */
    assert_int_equal(accepted("\"rank\":\"1\""), 0);
    assert_int_equal(accepted("\"members\":1.5"), 0);
    assert_int_equal(accepted("\"year\":true"), 0);
    assert_int_equal(accepted("\"status\":7"), 0);
    assert_int_equal(accepted("\"genres\":\"Action\""), 0);
    assert_int_equal(accepted("\"title_english\":\"\xff\xfe\""), 0);   /* not UTF-8 */
    buf long_title = BUF_INIT;
    buf_puts(&long_title, "\"title_english\":\"");
    for (int i = 0; i < 501; i++) buf_putc(&long_title, 'x');
    buf_putc(&long_title, '"');
    assert_int_equal(accepted(buf_cstr(&long_title)), 0);    /* rejected, never cut mid-character */
    buf_free(&long_title);
    /* a null element in a list is skipped, not a crash or a NULL array element */
    const char *page = "{\"data\":[{\"mal_id\":1,\"title\":\"t\",\"genres\":[{\"name\":\"Action\"},null,{\"name\":null},{}]}]}";
    buf rows = BUF_INIT, err = BUF_INIT;
    transform_stats st;
    assert_int_equal(transform_page(page, strlen(page), 1, &rows, &st, &err), 0);
    assert_string_equal(field(rows.data, 0, 5), "{\"Action\"}");
    buf_free(&rows);
    buf_free(&err);
}

static void image_urls_only_https(void **state)
{
    (void)state;
    static const struct { const char *url; const char *want; } CASES[] = {
        {"https://cdn.myanimelist.net/images/anime/1.jpg", "https://cdn.myanimelist.net/images/anime/1.jpg"},
        {"javascript:alert(1)", "\\N"}, {"data:image/png;base64,AAAA", "\\N"}, {"http://cdn.example/1.jpg", "\\N"},
        {"//evil.example/1.jpg", "\\N"}, {"https://a.example/\\\"onerror=x", "\\N"}, {"HTTPS://a.example/x.jpg", "HTTPS://a.example/x.jpg"},
    };
    for (size_t i = 0; i < sizeof CASES / sizeof CASES[0]; i++) {
        buf page = BUF_INIT, rows = BUF_INIT, err = BUF_INIT;
        buf_printf(&page, "{\"data\":[{\"mal_id\":1,\"title\":\"t\",\"images\":{\"jpg\":{\"image_url\":\"%s\"}}}]}", CASES[i].url);
        transform_stats st;
        assert_int_equal(transform_page(page.data, page.len, 1, &rows, &st, &err), 0);
        assert_int_equal(st.accepted, 1);
        assert_string_equal(field(rows.data, 0, 18), CASES[i].want);
        buf_free(&page);
        buf_free(&rows);
        buf_free(&err);
    }
}

static void too_many_records_fail_the_page(void **state)
{
    (void)state;
    buf page = BUF_INIT, rows = BUF_INIT, err = BUF_INIT;
    buf_puts(&page, "{\"data\":[");
    for (int i = 0; i <= TRANSFORM_MAX_RECORDS; i++) buf_printf(&page, "%s{\"mal_id\":%d,\"title\":\"t\"}", i ? "," : "", i + 1);
    buf_puts(&page, "]}");
    transform_stats st;
    assert_int_equal(transform_page(page.data, page.len, 2, &rows, &st, &err), -1);
    assert_non_null(strstr(buf_cstr(&err), "page 2: 101 records, more than the 100"));
    assert_int_equal(rows.len, 0);
    buf_free(&page);
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
        cmocka_unit_test(types_and_limits_as_received),
        cmocka_unit_test(image_urls_only_https),
        cmocka_unit_test(too_many_records_fail_the_page),
    };
    return cmocka_run_group_tests_name("transform", tests, NULL, NULL);
}
