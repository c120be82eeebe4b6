/* text: the UTF-8 facts every output of outside text needs: is it valid, where may it be
 * cut without splitting a character, and which characters XML 1.0 allows. */
#ifndef CATLOG_TEXT_H
#define CATLOG_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

/* Well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF). */
bool text_utf8_valid(const char *s, size_t n);

/* The longest prefix of s[0..n) of at most max bytes that ends on a character boundary. */
size_t text_utf8_cut(const char *s, size_t n, size_t max);

/* Appends s with what XML 1.0 forbids (C0 controls other than tab, LF and CR, U+FFFE,
 * U+FFFF) dropped and invalid UTF-8 replaced by U+FFFD: text safe in any HTML, XML or SVG
 * output before escaping. */
void text_xml_clean(buf *out, const char *s, size_t n);

#endif
