/* The list of statistical tables (analytics/stat_tables.c): the one place a table is
 * declared. Refresh, the site's pages and reports and the reports index read it, so an entry
 * must be complete, and each table must have its page (site/pages_tables.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "analytics/stat_tables.h"
#include "site/build_internal.h"

static void every_table_is_complete(void **state)
{
    (void)state;
    for (int t = 0; t < STAT_NUM_TABLES; t++) {
        const stat_table *st = &STAT_TABLES[t];
        assert_true(st->name && *st->name);
        assert_true(st->slug && *st->slug);
        assert_int_equal(strspn(st->slug, "abcdefghijklmnopqrstuvwxyz-"), strlen(st->slug));
        /* refresh replaces the rows of one as-of date */
        assert_non_null(st->columns);
        assert_int_equal(strncmp(st->columns, "\"asOf\", ", 8), 0);
        assert_true(st->report_order && *st->report_order);
        for (int u = 0; u < t; u++) {
            assert_string_not_equal(st->name, STAT_TABLES[u].name);
            assert_string_not_equal(st->slug, STAT_TABLES[u].slug);
        }
    }
}

static void every_table_has_a_page(void **state)
{
    (void)state;
    for (int t = 0; t < STAT_NUM_TABLES; t++) {
        const site_stat_page *p = &SITE_STAT_PAGES[t];
        assert_true(p->heading && *p->heading);
        assert_true(p->intro && *p->intro);
        assert_true(p->ncols > 0);
        assert_non_null(p->cols);
        for (int c = 0; c < p->ncols; c++) assert_true(p->cols[c] && *p->cols[c]);
        /* the page shows rows of its own table */
        assert_non_null(p->view_sql);
        char from[96];
        snprintf(from, sizeof from, "FROM \"%s\"", STAT_TABLES[t].name);
        assert_non_null(strstr(p->view_sql, from));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_table_is_complete),
        cmocka_unit_test(every_table_has_a_page),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
