/* escape: HTML escaping of untrusted text, for element content and quoted attribute values.
 * Owns the one table of characters that must never reach a page raw: & < > " '. */
#ifndef CATLOG_ESCAPE_H
#define CATLOG_ESCAPE_H

#include <stddef.h>
#include "core/buf.h"

/* Appends s[0..n) to out with & < > " ' replaced by &amp; &lt; &gt; &quot; &#39;, and the
 * characters XML 1.0 forbids (C0 controls other than tab, LF, CR; U+FFFE, U+FFFF) dropped.
 * Safe inside element content and quoted attributes of HTML, XML (feeds) and SVG. */
void esc_html(buf *out, const char *s, size_t n);

#endif
