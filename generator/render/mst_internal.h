/* mst_internal: the compiled form shared by the Mustache parser, renderer and loader.
 * A template is one flat array of nodes; a section's children are the nodes between it
 * and its `end`, so nothing is a tree and freeing or walking never recurses. */
#ifndef CATLOG_MST_INTERNAL_H
#define CATLOG_MST_INTERNAL_H

#include <stdint.h>

#include "render/mustache.h"

enum mst_kind {
    MST_TEXT,       /* literal bytes */
    MST_VAR,        /* {{x}}: escaped */
    MST_RAW,        /* {{{x}}} and {{&x}} */
    MST_SECTION,    /* {{#x}}...{{/x}} */
    MST_INVERTED,   /* {{^x}}...{{/x}} */
    MST_PARTIAL,    /* {{>x}} */
    MST_PARENT,     /* {{<x}}...{{/x}}: only the blocks inside matter */
    MST_BLOCK,      /* {{$x}}...{{/x}} */
};

enum mst_flag {
    MST_F_BOL = 1,          /* text: starts at the beginning of a source line */
    MST_F_STANDALONE = 2,   /* tag: its line held only whitespace and tags, now removed */
    MST_F_DYNAMIC = 4,      /* partial/parent: {{>*name}}, the name is looked up in data */
    MST_F_REINDENT = 8,     /* block: content had its own indentation removed at compile */
    MST_F_NEWLINE = 16,     /* text: contains a newline (else indentation cannot apply inside) */
};

typedef struct {
    uint8_t kind;
    uint8_t flags;
    uint16_t nseg;      /* name: number of dotted segments; 0 means "." */
    uint32_t off, len;  /* text: bytes in t->text; tags: the name, NUL-terminated in
                           t->text and followed by its nseg NUL-terminated segments */
    uint32_t end;       /* section, inverted, parent, block: index after the last child */
    uint32_t ind_off, ind_len;  /* partial/parent: indentation of a standalone tag;
                                   block: indentation given to whatever fills it */
    uint32_t line, col; /* where the tag starts, for error messages */
    uint32_t hash;      /* partial, parent, block: mst_hash of the name */
} mst_node;

struct mst_template {
    char *name;         /* for error messages */
    mst_node *nodes;
    uint32_t n;
    char *text;         /* every text node, name and indentation */
    size_t text_len;
};

/* FNV-1a of a NUL-terminated name: computed once at compile time for partial, parent
 * and block names, so lookups at render time only compare. */
static inline uint32_t mst_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Loader lookup used by the renderer; hash is mst_hash(name). Returns 0 with *out set, 1
 * when name does not exist (message in err), -1 when it exists but cannot be read or
 * compiled (err). */
int mst_loader_get(mst_loader *ld, const char *name, uint32_t hash, const mst_template **out,
                   buf *err);
bool mst_loader_strict(const mst_loader *ld);
size_t mst_loader_step_limit(const mst_loader *ld);

#endif
