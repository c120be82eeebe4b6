/* Tests for render/mustache: unit cases (escaping, numbers, errors, limits, loaders) and
 * the whole Mustache spec except ~lambdas, read from tests/fixtures/mustache-spec/ (run from the repository root). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/file.h"
#include "render/escape.h"
#include "render/mustache.h"

/* Renders src with data (JSON text) and in-memory partials (JSON text or NULL). Returns
 * the output, or "ERROR: <message>" when compiling or rendering fails. Caller frees. */
static char *render_str(const char *src, const char *data_json, const char *partials_json,
                        bool strict)
{
    buf out = BUF_INIT, err = BUF_INIT;
    cJSON *data = cJSON_Parse(data_json ? data_json : "{}");
    cJSON *partials = cJSON_Parse(partials_json ? partials_json : "{}");
    assert_non_null(data);
    assert_non_null(partials);
    mst_loader *ld = mst_loader_json(partials);
    mst_loader_set_strict(ld, strict);
    mst_template *t = mst_compile(src, strlen(src), "t.mustache", &err);
    if (!t || mst_render(t, data, ld, &out, &err) != 0) {
        buf_reset(&out);
        buf_printf(&out, "ERROR: %s", buf_cstr(&err));
    }
    mst_free(t);
    mst_loader_free(ld);
    cJSON_Delete(data);
    cJSON_Delete(partials);
    buf_free(&err);
    return buf_detach(&out);
}

#define assert_render(src, data, partials, expected)                  \
    do {                                                              \
        char *got_ = render_str(src, data, partials, false);          \
        assert_string_equal(got_, expected);                          \
        free(got_);                                                   \
    } while (0)

static void test_escape(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    const char *s = "a&b<c>d\"e'f";
    esc_html(&b, s, strlen(s));
    assert_string_equal(buf_cstr(&b), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
    buf_reset(&b);
    esc_html(&b, "plain", 5);
    esc_html(&b, "", 0);
    assert_string_equal(buf_cstr(&b), "plain");
    buf_free(&b);
    assert_render("{{x}}|{{{x}}}|{{&x}}", "{\"x\":\"<a href='/'>&\\\"</a>\"}", NULL,
                  "&lt;a href=&#39;/&#39;&gt;&amp;&quot;&lt;/a&gt;|<a href='/'>&\"</a>|"
                  "<a href='/'>&\"</a>");
}

static void test_numbers(void **state)
{
    (void)state;
    static const struct { double v; const char *s; } cases[] = {
        {85, "85"}, {1.21, "1.21"}, {-0.0, "0"}, {0, "0"}, {-3, "-3"}, {0.1 + 0.2, "0.30000000000000004"},
        {1e21, "1e+21"}, {1e20, "100000000000000000000"}, {123456789012.0, "123456789012"},
        {1e-7, "1e-7"}, {0.000001, "0.000001"}, {8.47, "8.47"}, {-1.5e-10, "-1.5e-10"},
        {9007199254740993.0, "9007199254740992"}, {5e-324, "5e-324"},
        {1.7976931348623157e308, "1.7976931348623157e+308"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        buf b = BUF_INIT;
        mst_format_number(&b, cases[i].v);
        assert_string_equal(buf_cstr(&b), cases[i].s);
        buf_free(&b);
    }
    /* Property: the output reads back as the same double, and one digit fewer does not. */
    uint64_t x = 88172645463325252ULL;
    for (int i = 0; i < 200000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        double v;
        switch (i % 4) {
        case 0: v = (double)(x % 100000000) / 100.0; break;            /* 8.47-style */
        case 1: v = (double)(x % 1000000) / 1e6 * 10.0; break;
        case 2: v = (double)(int64_t)(x % 2000000001) - 1e9; break;  /* integers */
        default: memcpy(&v, &x, sizeof v); if (isnan(v) || isinf(v)) v = 1.5; break;
        }
        buf b = BUF_INIT;
        mst_format_number(&b, v);
        char *end;
        double back = strtod(buf_cstr(&b), &end);
        if (back != v || *end) fail_msg("%.17g printed as %s", v, buf_cstr(&b));
        char digits[32];
        int nd = 0;
        for (const char *p = buf_cstr(&b); *p && *p != 'e' && nd < 30; p++)
            if (*p >= '0' && *p <= '9' && (nd || *p != '0')) digits[nd++] = *p;
        while (nd > 0 && digits[nd - 1] == '0') nd--;   /* trailing zeros of an integer */
        if (nd > 1) {
            char shorter[40];
            snprintf(shorter, sizeof shorter, "%.*e", nd - 2, v);
            if (strtod(shorter, NULL) == v)
                fail_msg("%.17g printed as %s but %s is shorter", v, buf_cstr(&b), shorter);
        }
        buf_free(&b);
    }
    assert_render("{{a}} {{b}} {{c}} {{d}}", "{\"a\":85,\"b\":1.21,\"c\":true,\"d\":[1]}", NULL,
                  "85 1.21 true ");
}

static void test_sections_and_truthiness(void **state)
{
    (void)state;
    assert_render("{{#a}}y{{/a}}{{^a}}n{{/a}}", "{\"a\":\"\"}", NULL, "n");
    assert_render("{{#a}}y{{/a}}{{^a}}n{{/a}}", "{\"a\":0}", NULL, "n");
    assert_render("{{#a}}y{{/a}}{{^a}}n{{/a}}", "{\"a\":{}}", NULL, "y");
    assert_render("{{#a}}[{{.}}]{{/a}}", "{\"a\":[1,\"x\",2.5]}", NULL, "[1][x][2.5]");
    assert_render("{{rows.1.t}}", "{\"rows\":[{\"t\":\"a\"},{\"t\":\"b\"}]}", NULL, "b");
    assert_render("{{#o}}{{k}}{{/o}}", "{\"o\":{\"k\":\"v\"}}", NULL, "v");
}

static void test_compile_errors(void **state)
{
    (void)state;
    assert_render("<ul>\n  {{#rows}}\n  <li>{{x}}</li>\n", NULL, NULL,
                  "ERROR: t.mustache:2:3: unclosed section 'rows' (expected {{/rows}})");
    assert_render("{{#a}}\n {{#b}}{{/a}}", NULL, NULL,
                  "ERROR: t.mustache:2:8: mismatched closing tag {{/a}} (expected {{/b}} "
                  "to close the section opened at 2:2)");
    assert_render("x {{/a}}", NULL, NULL,
                  "ERROR: t.mustache:1:3: unexpected closing tag {{/a}} (no section is open)");
    assert_render("ok\nab {{name", NULL, NULL,
                  "ERROR: t.mustache:2:4: unclosed tag (expected }})");
    assert_render("{{{name}}", NULL, NULL, "ERROR: t.mustache:1:1: unclosed tag (expected }}})");
    assert_render("{{=<% %> %>=}}", NULL, NULL,
                  "ERROR: t.mustache:1:1: bad delimiter tag (expected {{=OPEN CLOSE=}} with "
                  "two delimiters without spaces)");
    assert_render("{{=<%=}}", NULL, NULL,
                  "ERROR: t.mustache:1:1: bad delimiter tag (expected {{=OPEN CLOSE=}} with "
                  "two delimiters without spaces)");
    assert_render("{{=<% %>=}}\n<%#a%>", NULL, NULL,
                  "ERROR: t.mustache:2:1: unclosed section 'a' (expected <%/a%>)");
    assert_render("{{ }}", NULL, NULL, "ERROR: t.mustache:1:1: empty tag name");
    assert_render("{{a b}}", NULL, NULL,
                  "ERROR: t.mustache:1:1: tag name 'a b' contains whitespace");
    assert_render("{{a..b}}", NULL, NULL,
                  "ERROR: t.mustache:1:1: bad name 'a..b' (dotted names need a key between dots)");
    assert_render("{{<p}}x", NULL, NULL, "ERROR: t.mustache:1:1: unclosed parent 'p' (expected {{/p}})");
    assert_render("{{! unclosed comment", NULL, NULL, "ERROR: t.mustache:1:1: unclosed tag (expected }})");
}

static char *nested(int depth, const char *open, const char *close)
{
    buf b = BUF_INIT;
    for (int i = 0; i < depth; i++) buf_printf(&b, open, i);
    buf_puts(&b, "x");
    for (int i = depth; i-- > 0;) buf_printf(&b, close, i);
    return buf_detach(&b);
}

static void test_depth_limits(void **state)
{
    (void)state;
    char *ok = nested(MST_MAX_DEPTH, "{{#a%d}}", "{{/a%d}}");
    assert_render(ok, NULL, NULL, "");
    free(ok);
    char *deep = nested(MST_MAX_DEPTH + 1, "{{#a%d}}", "{{/a%d}}");
    char *got = render_str(deep, NULL, NULL, false);
    assert_non_null(strstr(got, "sections nested deeper than 100 levels"));
    free(got);
    free(deep);

    /* A partial that includes itself with nothing in the data to stop it. */
    got = render_str("{{>loop}}", NULL, "{\"loop\":\"a{{>loop}}\"}", false);
    assert_non_null(strstr(got, "ERROR: loop:1:2: partials nested deeper than 100 levels"));
    free(got);
    got = render_str("{{<p}}{{/p}}", NULL, "{\"p\":\"{{<p}}{{/p}}\"}", false);
    assert_non_null(strstr(got, "nested deeper than 100 levels"));
    free(got);

    /* Recursion that terminates through the data works at real depths. */
    buf data = BUF_INIT;
    for (int i = 0; i < 60; i++) buf_printf(&data, "{\"n\":%d,\"kids\":[", i);
    for (int i = 0; i < 60; i++) buf_puts(&data, "]}");
    got = render_str("{{>node}}", buf_cstr(&data), "{\"node\":\"{{n}}{{#kids}}.{{>node}}{{/kids}}\"}",
                     false);
    assert_int_equal(strncmp(got, "0.1.2.3.", 8), 0);
    assert_non_null(strstr(got, ".59"));
    free(got);
    buf_free(&data);

    /* Deep JSON and a huge flat template do not hurt. */
    buf big = BUF_INIT;
    for (int i = 0; i < 200000; i++) buf_puts(&big, "{{#a}}<{{b}}>{{/a}}\n");
    got = render_str(buf_cstr(&big), "{\"a\":true,\"b\":1}", NULL, false);
    assert_int_equal(strlen(got), 200000 * 4);
    free(got);
    buf_free(&big);
}

static void test_step_limit(void **state)
{
    (void)state;
    cJSON *data = cJSON_Parse("{\"a\":[1,2,3,4,5,6,7,8,9,10]}");
    mst_loader *ld = mst_loader_json(data);
    mst_loader_set_step_limit(ld, 10000);
    buf out = BUF_INIT, err = BUF_INIT;
    const char *src = "{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{#a}}{{.}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}{{/a}}";
    mst_template *t = mst_compile(src, strlen(src), "t", &err);
    assert_non_null(t);
    assert_int_equal(mst_render(t, data, ld, &out, &err), -1);
    assert_non_null(strstr(buf_cstr(&err), "step limit"));
    mst_free(t);
    mst_loader_free(ld);
    cJSON_Delete(data);
    buf_free(&out);
    buf_free(&err);
}

static void test_inheritance_layout(void **state)
{
    (void)state;
    const char *partials =
        "{\"layouts/base\":\"<html>\\n<head><title>{{$title}}CatLog{{/title}}</title></head>\\n"
        "<body>\\n  {{$body}}\\n  <p>empty</p>\\n  {{/body}}\\n</body>\\n</html>\\n\","
        "\"row\":\"<tr><td>{{rank}}</td><td>{{title}}</td></tr>\\n\"}";
    const char *page =
        "{{<layouts/base}}\n"
        "{{$title}}{{name}} - CatLog{{/title}}\n"
        "{{$body}}\n"
        "<table>\n"
        "  {{#rows}}\n"
        "  {{>row}}\n"
        "  {{/rows}}\n"
        "</table>\n"
        "{{/body}}\n"
        "{{/layouts/base}}\n";
    assert_render(page,
                  "{\"name\":\"Frieren\",\"rows\":[{\"rank\":1,\"title\":\"A&B\"},{\"rank\":2,\"title\":\"C\"}]}",
                  partials,
                  "<html>\n<head><title>Frieren - CatLog</title></head>\n<body>\n"
                  "  <table>\n    <tr><td>1</td><td>A&amp;B</td></tr>\n"
                  "    <tr><td>2</td><td>C</td></tr>\n  </table>\n</body>\n</html>\n");
    /* Dynamic partial names from data, including for parents. */
    assert_render("{{#items}}{{>*kind}}{{/items}}",
                  "{\"items\":[{\"kind\":\"a\",\"v\":1},{\"kind\":\"b\",\"v\":2},{\"kind\":\"zz\"}]}",
                  "{\"a\":\"A{{v}}\",\"b\":\"B{{v}}\"}", "A1B2");
    assert_render("{{<*p}}{{$x}}!{{/x}}{{/*p}}", "{\"p\":\"par\"}", "{\"par\":\"[{{$x}}{{/x}}]\"}",
                  "[!]");
}

static void test_strict_partials(void **state)
{
    (void)state;
    char *got = render_str("a\n  {{>nope}}\n", NULL, NULL, true);
    assert_string_equal(got, "ERROR: t.mustache:2:3: partial 'nope' not found");
    free(got);
    assert_render("a{{>nope}}b", NULL, NULL, "ab");
    /* A dynamic name that resolves to nothing renders nothing, even when strict. */
    got = render_str("a{{>*nope}}b", NULL, NULL, true);
    assert_string_equal(got, "ab");
    free(got);
    /* A partial that does not compile is an error either way. */
    assert_render("{{>bad}}", NULL, "{\"bad\":\"x\\n{{#s}}\"}",
                  "ERROR: bad:2:1: unclosed section 's' (expected {{/s}}) "
                  "(included from t.mustache:1:1)");
}

static void write_file(const char *path, const char *text)
{
    assert_int_equal(file_write_atomic(path, text, strlen(text)), 0);
}

static void test_dir_loader(void **state)
{
    (void)state;
    char dir[] = "/tmp/catlog-mst-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/parts", dir);
    assert_int_equal(file_mkdirs(path), 0);
    snprintf(path, sizeof path, "%s/parts/row.mustache", dir);
    write_file(path, "<li>{{.}}</li>\n");
    snprintf(path, sizeof path, "%s/broken.mustache", dir);
    write_file(path, "ok\n  {{#x}}\n");

    mst_loader *ld = mst_loader_dir(dir);
    buf err = BUF_INIT, out = BUF_INIT;
    mst_template *a = mst_load(ld, "parts/row", &err);
    assert_non_null(a);
    assert_ptr_equal(mst_load(ld, "parts/row", &err), a);    /* cached */

    assert_null(mst_load(ld, "broken", &err));
    char want[512];
    snprintf(want, sizeof want, "%s/broken.mustache:2:3: unclosed section 'x' (expected {{/x}})", dir);
    assert_string_equal(buf_cstr(&err), want);
    buf_reset(&err);
    assert_null(mst_load(ld, "../etc/passwd", &err));
    assert_non_null(strstr(buf_cstr(&err), "bad name"));
    buf_reset(&err);

    const char *src = "<ul>\n  {{#xs}}\n  {{>parts/row}}\n  {{/xs}}\n</ul>{{>missing}}\n";
    mst_template *t = mst_compile(src, strlen(src), "page.mustache", &err);
    assert_non_null(t);
    cJSON *data = cJSON_Parse("{\"xs\":[\"a\",\"<b>\"]}");
    assert_int_equal(mst_render(t, data, ld, &out, &err), 0);
    assert_string_equal(buf_cstr(&out), "<ul>\n  <li>a</li>\n  <li>&lt;b&gt;</li>\n</ul>\n");

    /* Compiled once, rendered many times with different data. */
    cJSON *data2 = cJSON_Parse("{\"xs\":[\"z\"]}");
    buf_reset(&out);
    assert_int_equal(mst_render(t, data2, ld, &out, &err), 0);
    assert_string_equal(buf_cstr(&out), "<ul>\n  <li>z</li>\n</ul>\n");

    mst_loader_set_strict(ld, true);
    buf_reset(&out);
    assert_int_equal(mst_render(t, data, ld, &out, &err), -1);
    snprintf(want, sizeof want, "page.mustache:5:6: partial 'missing' not found (%s/missing.mustache: "
             "No such file or directory)", dir);
    assert_string_equal(buf_cstr(&err), want);

    cJSON_Delete(data);
    cJSON_Delete(data2);
    mst_free(t);
    mst_loader_free(ld);
    buf_free(&err);
    buf_free(&out);
    snprintf(path, sizeof path, "rm -rf '%s'", dir);
    assert_int_equal(system(path), 0);
}

/* ---- the spec --------------------------------------------------------------------- */

static void run_spec(const char *file)
{
    char path[1024];
    snprintf(path, sizeof path, "tests/fixtures/mustache-spec/%s.json", file);
    buf src = BUF_INIT;
    if (file_read_all(path, &src) != 0) fail_msg("cannot read %s", path);
    cJSON *doc = cJSON_ParseWithLength(src.data, src.len);
    assert_non_null(doc);
    const cJSON *tests = cJSON_GetObjectItemCaseSensitive(doc, "tests");
    int total = 0, passed = 0;
    const cJSON *tc;
    cJSON_ArrayForEach(tc, tests) {
        const char *name = cJSON_GetObjectItemCaseSensitive(tc, "name")->valuestring;
        const char *tpl = cJSON_GetObjectItemCaseSensitive(tc, "template")->valuestring;
        const char *want = cJSON_GetObjectItemCaseSensitive(tc, "expected")->valuestring;
        const cJSON *data = cJSON_GetObjectItemCaseSensitive(tc, "data");
        cJSON *none = cJSON_CreateObject();
        const cJSON *partials = cJSON_GetObjectItemCaseSensitive(tc, "partials");
        mst_loader *ld = mst_loader_json(partials ? partials : none);
        buf out = BUF_INIT, err = BUF_INIT;
        mst_template *t = mst_compile(tpl, strlen(tpl), name, &err);
        int rc = t ? mst_render(t, data, ld, &out, &err) : -1;
        total++;
        if (rc == 0 && strcmp(buf_cstr(&out), want) == 0) {
            passed++;
        } else {
            char *w = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(tc, "expected"));
            cJSON *g = cJSON_CreateString(rc == 0 ? buf_cstr(&out) : buf_cstr(&err));
            char *gs = cJSON_PrintUnformatted(g);
            printf("  FAIL %s / %s\n    expected %s\n    got      %s%s\n", file, name, w,
                   rc == 0 ? "" : "error ", gs);
            free(w);
            free(gs);
            cJSON_Delete(g);
        }
        mst_free(t);
        mst_loader_free(ld);
        cJSON_Delete(none);
        buf_free(&out);
        buf_free(&err);
    }
    printf("spec %s: %d/%d\n", file[0] == '~' ? file + 1 : file, passed, total);
    fflush(stdout);
    cJSON_Delete(doc);
    buf_free(&src);
    assert_true(total > 0);
    assert_int_equal(passed, total);
}

static void test_spec_comments(void **s) { (void)s; run_spec("comments"); }
static void test_spec_delimiters(void **s) { (void)s; run_spec("delimiters"); }
static void test_spec_interpolation(void **s) { (void)s; run_spec("interpolation"); }
static void test_spec_inverted(void **s) { (void)s; run_spec("inverted"); }
static void test_spec_partials(void **s) { (void)s; run_spec("partials"); }
static void test_spec_sections(void **s) { (void)s; run_spec("sections"); }
static void test_spec_inheritance(void **s) { (void)s; run_spec("~inheritance"); }
static void test_spec_dynamic_names(void **s) { (void)s; run_spec("~dynamic-names"); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_sections_and_truthiness),
        cmocka_unit_test(test_compile_errors),
        cmocka_unit_test(test_depth_limits),
        cmocka_unit_test(test_step_limit),
        cmocka_unit_test(test_inheritance_layout),
        cmocka_unit_test(test_strict_partials),
        cmocka_unit_test(test_dir_loader),
        cmocka_unit_test(test_spec_comments),
        cmocka_unit_test(test_spec_delimiters),
        cmocka_unit_test(test_spec_interpolation),
        cmocka_unit_test(test_spec_inverted),
        cmocka_unit_test(test_spec_partials),
        cmocka_unit_test(test_spec_sections),
        cmocka_unit_test(test_spec_inheritance),
        cmocka_unit_test(test_spec_dynamic_names),
    };
    return cmocka_run_group_tests_name("mustache", tests, NULL, NULL);
}
