/* discard: removing previous sites without making the build wait for it. */
#ifndef CATLOG_DISCARD_H
#define CATLOG_DISCARD_H

/* Removes `tree` (may be NULL) and whatever builds that died left next to out_dir
 * ("<out>.staging-PID" and "<out>.old-PID" whose process is gone) in a detached process.
 * Returns once they are renamed out of the way ("<out>.old-PID" of that process), so a
 * following build never sees them as its own. Falls back to removing them here. */
void discard_trees(const char *out_dir, const char *tree);

#endif
