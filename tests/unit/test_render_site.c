/* Unit tests for render/markdown, render/svgchart, site/jsonout and site/writer helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
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

/* Draws the diagrams whose source starts with "flowchart"; leaves the others. */
static bool draw_flowcharts(void *ud, const char *src, buf *out)
{
    (*(int *)ud)++;
    if (strncmp(src, "flowchart", 9) != 0) return false;
    buf_puts(out, "<figure class=\"diagram\"><svg id=\"drawn\"></svg></figure>\n");
    return true;
}

static void markdown_diagrams_drawn_by_the_caller(void **state)
{
    (void)state;
    const char *src = "```mermaid\nflowchart LR\n  A-->B\n```\n\n```mermaid\nsequenceDiagram\n  A->>B: hi\n```\n";
    buf html = BUF_INIT;
    int offered = 0;
    assert_int_equal(md_render_ex(src, strlen(src), &html, NULL, draw_flowcharts, &offered), 2);
    assert_int_equal(offered, 2);
    assert_non_null(strstr(html.data, "<svg id=\"drawn\"></svg>"));
    assert_null(strstr(html.data, "flowchart LR"));
    assert_non_null(strstr(html.data, "<pre class=\"mermaid\">sequenceDiagram\n  A-&gt;&gt;B: hi\n</pre>"));
    buf_free(&html);
}

/* The d attribute of the first element with class cls. */
static const char *path_of(const char *svg, const char *cls, char *out, size_t size)
{
    char key[64];
    snprintf(key, sizeof key, "class=\"%s\"", cls);
    const char *p = strstr(svg, key);
    assert_non_null(p);
    p = strstr(p, " d=\"");
    assert_non_null(p);
    p += 4;
    size_t n = strcspn(p, "\"");
    assert_true(n < size);
    memcpy(out, p, n);
    out[n] = 0;
    return out;
}

static void svg_chart_escapes_and_breaks_on_gaps(void **state)
{
    (void)state;
    int day[5] = {100, 101, 102, 103, 104};
    double rank[5] = {5, 4, NAN, 3, 2};
    svgchart_spec spec = {"c1", "Rank of <img src=x onerror=alert(1)>", "desc & more", day, rank, 5, true, 0,
                          "Rank <b>&</b> (1 = top)"};
    buf svg = BUF_INIT;
    svgchart_line(&svg, &spec);
    assert_non_null(strstr(svg.data, "<title id=\"c1-t\">Rank of &lt;img src=x onerror=alert(1)&gt;</title>"));
    assert_non_null(strstr(svg.data, "<desc id=\"c1-d\">desc &amp; more</desc>"));
    assert_non_null(strstr(svg.data, "role=\"img\" aria-labelledby=\"c1-t c1-d\""));
    assert_null(strstr(svg.data, "<b>"));
    assert_non_null(strstr(svg.data, ">Rank &lt;b&gt;&amp;&lt;/b&gt; (1 = top)</text>"));
    char d[4096];
    assert_int_equal(count(path_of(svg.data, "chart-line", d, sizeof d), "M"), 2);   /* the NAN day breaks the line */
    /* rank charts put the best (lowest) rank at the top, on the first gridline */
    assert_non_null(strstr(svg.data, "y=\"14.0\">2</text>"));
    assert_non_null(strstr(svg.data, "y=\"174.0\">5</text>"));
    /* one tooltip per point for short series, none for the missing day */
    assert_int_equal(count(svg.data, "</title></rect>"), 4);
    assert_non_null(strstr(svg.data, "<title>1970-04-11: Rank &lt;b&gt;&amp;&lt;/b&gt; 5</title>"));
    buf_reset(&svg);
    double none[2] = {NAN, NAN};
    svgchart_spec empty = {"c2", "t", "d", day, none, 2, false, 2, NULL};
    svgchart_line(&svg, &empty);
    assert_non_null(strstr(svg.data, "no data"));
    assert_non_null(strstr(svg.data, "role=\"img\" aria-labelledby=\"c2-t c2-d\""));
    buf_free(&svg);
}

static bool is_round(double step)
{
    double mag = pow(10, floor(log10(step) + 1e-9)), f = step / mag;
    return fabs(f - 1) < 1e-9 || fabs(f - 2) < 1e-9 || fabs(f - 5) < 1e-9;
}

static void chart_ticks_are_round_numbers(void **state)
{
    (void)state;
    static const double CASES[][2] = {{166, 191}, {6.86, 7.02}, {0, 130}, {1, 1}, {1, 12000}, {0.001, 0.0042},
                                      {-0.93, 0.88}, {8.2, 8.21}, {3, 4}};
    for (size_t c = 0; c < sizeof CASES / sizeof CASES[0]; c++) {
        double ticks[16], step;
        int n = svgchart_ticks(CASES[c][0], CASES[c][1], 5, ticks, &step);
        assert_true(n >= 2 && n <= 5);
        assert_true(is_round(step));
        assert_true(ticks[0] <= CASES[c][0] + 1e-9 && ticks[n - 1] >= CASES[c][1] - 1e-9);
        for (int i = 0; i < n; i++) {
            double k = ticks[i] / step;
            assert_true(fabs(k - round(k)) < 1e-6);   /* a multiple of the step */
            if (i) assert_true(fabs(ticks[i] - ticks[i - 1] - step) < 1e-9);
        }
    }
    double ticks[16], step;
    assert_int_equal(svgchart_ticks(166, 191, 5, ticks, &step), 5);
    assert_true(step == 10 && ticks[0] == 160 && ticks[4] == 200);
    assert_int_equal(svgchart_ticks(0, 130, 5, ticks, &step), 4);
    assert_true(step == 50 && ticks[3] == 150);
}

static void chart_date_ticks(void **state)
{
    (void)state;
    int t[16];
    bool monthly;
    char lab[16];
    /* 90 days: month starts */
    int n = svgchart_date_ticks(date_from_ymd(2026, 8, 26), date_from_ymd(2026, 11, 23), 5, t, &monthly);
    assert_true(monthly);
    assert_int_equal(n, 3);
    assert_int_equal(t[0], date_from_ymd(2026, 9, 1));
    assert_int_equal(t[2], date_from_ymd(2026, 11, 1));
    /* a year: every third month, January among them */
    n = svgchart_date_ticks(date_from_ymd(2025, 11, 24), date_from_ymd(2026, 11, 23), 5, t, &monthly);
    assert_true(monthly);
    assert_int_equal(n, 4);
    assert_int_equal(t[0], date_from_ymd(2026, 1, 1));
    assert_int_equal(t[3], date_from_ymd(2026, 10, 1));
    svgchart_date_label(t[0], true, false, lab);
    assert_string_equal(lab, "Jan 2026");
    svgchart_date_label(t[1], true, false, lab);
    assert_string_equal(lab, "Apr");
    svgchart_date_label(t[1], true, true, lab);
    assert_string_equal(lab, "Apr 2026");
    /* eight years: yearly or rarer, never more than asked */
    n = svgchart_date_ticks(date_from_ymd(2018, 3, 1), date_from_ymd(2026, 3, 1), 5, t, &monthly);
    assert_true(monthly && n >= 2 && n <= 5);
    /* three weeks: Mondays */
    n = svgchart_date_ticks(date_from_ymd(2026, 3, 1), date_from_ymd(2026, 3, 20), 5, t, &monthly);
    assert_false(monthly);
    assert_int_equal(n, 3);
    assert_int_equal(t[0], date_from_ymd(2026, 3, 2));   /* a Monday */
    assert_int_equal(t[1] - t[0], 7);
    svgchart_date_label(t[1], false, false, lab);
    assert_string_equal(lab, "Mar 9");
    /* a few days: every day */
    n = svgchart_date_ticks(100, 103, 5, t, &monthly);
    assert_int_equal(n, 4);
    for (int span = 0; span < 4000; span += 37) {
        n = svgchart_date_ticks(20000, 20000 + span, 5, t, &monthly);
        assert_true(n >= 1 && n <= 5);
        for (int i = 0; i < n; i++) assert_true(t[i] >= 20000 && t[i] <= 20000 + span);
    }
}

/* Every chart kind: gridlines, <title> tooltips, axis titles, escaped labels; long series stay light. */
static void every_chart_kind_is_readable(void **state)
{
    (void)state;
    buf svg = BUF_INIT;
    enum { N = 2000 };
    static int day[N];
    static double v[N];
    for (int i = 0; i < N; i++) {
        day[i] = 19000 + i;
        v[i] = 5000 + 3000 * sin(i / 50.0);
    }
    svgchart_spec spec = {"long", "t", "d", day, v, N, true, 0, "Rank (1 = top)"};
    svgchart_line(&svg, &spec);
    assert_non_null(strstr(svg.data, "class=\"chart-grid\""));
    assert_int_equal(count(svg.data, "class=\"chart-axis\""), 2);
    assert_non_null(strstr(svg.data, ">Rank (1 = top)</text>"));
    assert_non_null(strstr(svg.data, ">Date (2022\xe2\x80\x93" "2027)</text>"));
    int tips = count(svg.data, "</title></rect>");
    assert_true(tips >= 10 && tips <= 12);   /* groups of points, not 2,000 titles */
    assert_true(svg.len < 6000);
    assert_non_null(strstr(svg.data, ">8,000</text>"));   /* thousands separated */
    buf_reset(&svg);

    const char *labels[] = {"0\xe2\x80\x93" "1", "<script>&\"", "50+"};
    double counts[] = {12, 130, 0};
    svgchart_bars(&svg, "b", "Bars", "d", "Spread <x>", "Anime", labels, counts, 3);
    assert_non_null(strstr(svg.data, "class=\"chart-grid\""));
    assert_int_equal(count(svg.data, "class=\"chart-axis\""), 2);
    assert_non_null(strstr(svg.data, ">Spread &lt;x&gt;</text>"));
    assert_int_equal(count(svg.data, "</title></rect>"), 3);
    assert_non_null(strstr(svg.data, "<title>&lt;script&gt;&amp;&quot;: 130</title>"));
    assert_null(strstr(svg.data, "<script>"));
    assert_non_null(strstr(svg.data, ">150</text>"));   /* the top tick is a round number above the tallest bar */
    assert_non_null(strstr(svg.data, "role=\"img\" aria-labelledby=\"b-t b-d\""));
    buf_reset(&svg);

    const char *genres[] = {"Action", "<Suspense & \"more\">"};
    double m[] = {1, -0.5, -0.5, NAN};
    svgchart_heatmap(&svg, "h", "Heat", "d", genres, m, 2);
    assert_int_equal(count(svg.data, "</title></rect>"), 4);   /* three cells and the legend */
    assert_non_null(strstr(svg.data, "linearGradient id=\"h-g\""));
    assert_non_null(strstr(svg.data, ">Pearson r</text>"));
    assert_non_null(strstr(svg.data, ">+1</text>"));
    assert_non_null(strstr(svg.data, "&lt;Suspense &amp; &quot;more&quot;&gt; / Action: r = -0.50"));
    assert_null(strstr(svg.data, "<Suspense"));
    assert_non_null(strstr(svg.data, "role=\"img\" aria-labelledby=\"h-t h-d\""));
    /* the last column's label, turned by 60 degrees, ends inside the width */
    int w = 0, x = 0, y = 0;
    assert_int_equal(sscanf(strstr(svg.data, "width=\""), "width=\"%d\"", &w), 1);
    const char *last = strstr(svg.data, "translate(");
    last = strstr(last + 1, "translate(");
    assert_int_equal(sscanf(last, "translate(%d %d)", &x, &y), 2);
    assert_true(x + 19 * 6.8 * 0.5 <= w);   /* 19 characters of about 6.8 px */
    assert_true(y - 19 * 6.8 * 0.87 >= 0);
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
        cmocka_unit_test(markdown_diagrams_drawn_by_the_caller),
        cmocka_unit_test(svg_chart_escapes_and_breaks_on_gaps),
        cmocka_unit_test(chart_ticks_are_round_numbers),
        cmocka_unit_test(chart_date_ticks),
        cmocka_unit_test(every_chart_kind_is_readable),
        cmocka_unit_test(json_output_is_safe_and_matches_templates),
        cmocka_unit_test(slugs_and_content_types),
    };
    return cmocka_run_group_tests_name("render and site helpers", tests, NULL, NULL);
}
