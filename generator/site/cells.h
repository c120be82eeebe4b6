/* cells: SQL expressions for the cells of the site's tables ({"text", "num", "href"}) and the
 * way numbers read on a page: thousands separators, scores with two decimals, p-values as a
 * reader takes them. Pages and widgets show these; the JSON reports and CSV keep raw numbers. */
#ifndef CATLOG_CELLS_H
#define CATLOG_CELLS_H

/* A text cell, and a numeric one (right-aligned, tabular figures). */
#define CELL(x) "json_build_object('text', " x ")"
#define CELL_NUM(x) "json_build_object('text', " x ", 'num', true)"

/* 1,772,922 */
#define FMT_INT(x) "to_char(" x ", 'FM999,999,999,990')"
/* 9.20 */
#define FMT_SCORE(x) "to_char(" x ", 'FM990.00')"
/* a fixed number of decimals: FMT_DEC(x, "0.0") -> 12.5 */
#define FMT_DEC(x, decimals) "to_char(" x ", 'FM999,999,990" decimals "')"
/* 57.4% from 0.574 */
#define FMT_SHARE(x) "to_char(100 * " x ", 'FM990.0') || '%'"
/* < 0.001, else three decimals */
#define FMT_P(x) "CASE WHEN " x " IS NULL THEN NULL WHEN " x " < 0.001 THEN '< 0.001' ELSE to_char(" x ", 'FM0.000') END"

#endif
