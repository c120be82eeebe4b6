/* escape: HTML escaping of untrusted text, for element content and quoted attribute values.
 * Owns the one table of characters that must never reach a page raw: & < > " '. */
#ifndef CATLOG_ESCAPE_H
#define CATLOG_ESCAPE_H

#include <stddef.h>
#include "core/buf.h"

/* Appends s[0..n) to out with & < > " ' replaced by &amp; &lt; &gt; &quot; &#39;.
 * Safe inside element content and inside single- or double-quoted attributes. */
void esc_html(buf *out, const char *s, size_t n);

#endif
