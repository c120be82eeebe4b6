/* The trending metric table (analytics/trending.c): the one place a metric is declared.
 * Everything that shows metrics reads it, so an entry must be complete. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "analytics/trending.h"

static void every_metric_is_complete(void **state)
{
    (void)state;
    const trending_metric *m;
    size_t n = 0;
    for (; (m = trending_metric_at(n)) != NULL; n++) {
        assert_non_null(m->key);
        assert_true(m->title && *m->title);
        assert_true(m->explain && *m->explain);
        assert_true(m->widget_label && *m->widget_label);
        assert_true(m->widget_min_days >= 0);
        if (m->feed_order) assert_true(m->feed_label && m->feed_field && m->feed_unit);
    }
    assert_int_equal(n, 6);
    /* every metric has one widget position, 1..n, and the feed's positions have no gap */
    for (int order = 1; order <= (int)n; order++) assert_non_null(trending_metric_in_widgets(order));
    assert_null(trending_metric_in_widgets((int)n + 1));
    int feed = 0;
    while (trending_metric_in_feed(feed + 1)) feed++;
    size_t with_feed = 0;
    for (size_t i = 0; i < n; i++) with_feed += trending_metric_at(i)->feed_order > 0;
    assert_int_equal((size_t)feed, with_feed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(every_metric_is_complete)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
