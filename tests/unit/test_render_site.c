/* Unit tests for render/markdown, render/svgchart, site/jsonout and site/writer helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "core/digest.h"
#include "core/mime.h"
#include "render/markdown.h"
#include "render/svgchart.h"
#include "site/build_internal.h"
#include "site/jsonout.h"
#include "site/writer.h"

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle)) n++;
    return n;
}

static void markdown_front_matter_and_mermaid(void **state)
{
    (void)state;
    const char *src = "---\ntitle: A <b>doc</b>\norder: 2\n---\n# Head\n\n<script>alert(1)</script>\n\n"
                      "```mermaid\nflowchart LR\n  A-->|x < y|B\n```\n\n```c\nint x;\n```\n";
    buf html = BUF_INIT;
    cJSON *front = cJSON_CreateObject();
    int diagrams = md_render(src, strlen(src), &html, front);
    assert_int_equal(diagrams, 1);
    assert_string_equal(cJSON_GetObjectItem(front, "title")->valuestring, "A <b>doc</b>");
    assert_string_equal(cJSON_GetObjectItem(front, "order")->valuestring, "2");
    assert_non_null(strstr(html.data, "<h1>Head</h1>"));
    assert_null(strstr(html.data, "<script>"));   /* raw HTML is not passed through */
    assert_non_null(strstr(html.data, "<pre class=\"mermaid\">flowchart LR\n  A--&gt;|x &lt; y|B\n</pre>"));
    assert_non_null(strstr(html.data, "<code class=\"language-c\">"));
    assert_null(strstr(html.data, "title:"));
    cJSON_Delete(front);
    buf_free(&html);
}

static void svg_chart_escapes_and_breaks_on_gaps(void **state)
{
    (void)state;
    int day[5] = {100, 101, 102, 103, 104};
    double rank[5] = {5, 4, NAN, 3, 2};
    svgchart_spec spec = {"c1", "Rank of <img src=x onerror=alert(1)>", "desc & more", day, rank, 5, true, 0};
    buf svg = BUF_INIT;
    svgchart_line(&svg, &spec);
    assert_non_null(strstr(svg.data, "<title id=\"c1-t\">Rank of &lt;img src=x onerror=alert(1)&gt;</title>"));
    assert_non_null(strstr(svg.data, "<desc id=\"c1-d\">desc &amp; more</desc>"));
    assert_non_null(strstr(svg.data, "role=\"img\" aria-labelledby=\"c1-t c1-d\""));
    assert_int_equal(count(svg.data, "M"), 2);   /* the NAN day starts a second segment */
    /* rank charts put the best (lowest) rank at the top */
    assert_non_null(strstr(svg.data, "text-anchor=\"end\">2</text>"));
    buf_reset(&svg);
    double none[2] = {NAN, NAN};
    svgchart_spec empty = {"c2", "t", "d", day, none, 2, false, 2};
    svgchart_line(&svg, &empty);
    assert_non_null(strstr(svg.data, "no data"));
    buf_free(&svg);
}

static void json_output_is_safe_and_matches_templates(void **state)
{
    (void)state;
    cJSON *doc = cJSON_Parse("{\"t\":\"</script><b>\\\"q\\\"\\n\\u0001\",\"n\":[1.5,100,9.1,-0.05,1e21],\"z\":null,\"b\":true}");
    cJSON_AddNumberToObject(doc, "inf", INFINITY);
    buf out = BUF_INIT;
    jsonout_write(&out, doc);
    assert_string_equal(out.data, "{\"t\":\"\\u003c/script>\\u003cb>\\\"q\\\"\\n\\u0001\",\"n\":[1.5,100,9.1,-0.05,1e+21],"
                                  "\"z\":null,\"b\":true,\"inf\":null}");
    cJSON *back = cJSON_Parse(out.data);
    assert_non_null(back);
    assert_string_equal(cJSON_GetObjectItem(back, "t")->valuestring, "</script><b>\"q\"\n\x01");
    cJSON_Delete(back);
    /* indented for people: the same values, two spaces a level, empty containers closed */
    buf_reset(&out);
    cJSON_DeleteItemFromObject(doc, "inf");
    cJSON_AddItemToObject(doc, "e", cJSON_Parse("{\"a\":[],\"o\":{}}"));
    jsonout_pretty(&out, doc);
    assert_string_equal(out.data, "{\n  \"t\": \"\\u003c/script>\\u003cb>\\\"q\\\"\\n\\u0001\",\n"
                                  "  \"n\": [\n    1.5,\n    100,\n    9.1,\n    -0.05,\n    1e+21\n  ],\n"
                                  "  \"z\": null,\n  \"b\": true,\n  \"e\": {\n    \"a\": [],\n    \"o\": {}\n  }\n}");
    cJSON_Delete(doc);
    buf_free(&out);
}

static void slugs_and_content_types(void **state)
{
    (void)state;
    buf s = BUF_INIT;
    site_slug(&s, "Slice of Life");
    assert_string_equal(s.data, "slice-of-life");
    buf_reset(&s);
    site_slug(&s, "Sci-Fi");
    assert_string_equal(s.data, "sci-fi");
    buf_reset(&s);
    site_slug(&s, "  <>  ");
    assert_string_equal(s.data, "x");
    buf_free(&s);
    assert_string_equal(mime_type("a/b/index.html"), "text/html; charset=utf-8");
    assert_string_equal(mime_type("assets/site.0123456789.css"), "text/css; charset=utf-8");
    assert_string_equal(mime_type("reports/x.csv"), "text/csv; charset=utf-8");
    assert_string_equal(mime_type("noext"), "application/octet-stream");
    assert_string_equal(mime_type("dir.v2/noext"), "application/octet-stream");
    assert_string_equal(mime_type("assets/f.0123456789.woff2"), "font/woff2");
    assert_string_equal(mime_type("assets/p.AVIF"), "image/avif");
    assert_string_equal(mime_type("assets/m.mjs"), "text/javascript; charset=utf-8");
    char hex[65];
    digest_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(markdown_front_matter_and_mermaid),
        cmocka_unit_test(svg_chart_escapes_and_breaks_on_gaps),
        cmocka_unit_test(json_output_is_safe_and_matches_templates),
        cmocka_unit_test(slugs_and_content_types),
    };
    return cmocka_run_group_tests_name("render and site helpers", tests, NULL, NULL);
}
