/* C side of the Mustache benchmark: catlog's engine renders every page document of
 * PAGES.json through TEMPLATE_DIR/page.mustache. Templates are compiled once (loader
 * cache); each run renders all pages into one reused buffer.
 *   bench_c TEMPLATE_DIR PAGES.json RUNS
 * Prints the SHA-256 of all pages concatenated, pages/s per run, and the median. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/evp.h>

#include "core/file.h"
#include "render/mustache.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fputs("usage: bench_c TEMPLATE_DIR PAGES.json RUNS\n", stderr);
        return 2;
    }
    int runs = atoi(argv[3]);
    if (runs < 1 || runs > 100) runs = 5;
    buf src = BUF_INIT, out = BUF_INIT, err = BUF_INIT;
    if (file_read_all(argv[2], &src) != 0) {
        perror(argv[2]);
        return 1;
    }
    cJSON *doc = cJSON_ParseWithLength(src.data, src.len);
    const cJSON *pages = cJSON_GetObjectItemCaseSensitive(doc, "pages");
    int n = cJSON_GetArraySize(pages);
    if (n == 0) {
        fputs("no pages\n", stderr);
        return 1;
    }
    /* cJSON lists are linked: index them once so the loop only renders. */
    const cJSON **page = malloc((size_t)n * sizeof *page);
    int k = 0;
    for (const cJSON *p = pages->child; p; p = p->next) page[k++] = p;

    mst_loader *ld = mst_loader_dir(argv[1]);
    mst_loader_set_strict(ld, true);
    const mst_template *t = mst_load(ld, "page", &err);
    if (!t) {
        fprintf(stderr, "%s\n", buf_cstr(&err));
        return 1;
    }

    /* Untimed pass: the hash both sides must agree on. */
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_DigestInit_ex(md, EVP_sha256(), NULL);
    size_t bytes = 0;
    for (int i = 0; i < n; i++) {
        buf_reset(&out);
        if (mst_render(t, page[i], ld, &out, &err) != 0) {
            fprintf(stderr, "%s\n", buf_cstr(&err));
            return 1;
        }
        EVP_DigestUpdate(md, out.data, out.len);
        bytes += out.len;
    }
    unsigned char h[32];
    EVP_DigestFinal_ex(md, h, NULL);
    EVP_MD_CTX_free(md);
    printf("sha256 ");
    for (int i = 0; i < 32; i++) printf("%02x", h[i]);
    printf("\npages %d bytes %zu\n", n, bytes);

    double *rate = malloc((size_t)runs * sizeof *rate);
    for (int r = 0; r < runs; r++) {
        size_t total = 0;
        double t0 = now();
        for (int i = 0; i < n; i++) {
            buf_reset(&out);
            mst_render(t, page[i], ld, &out, &err);
            total += out.len;
        }
        double dt = now() - t0;
        rate[r] = n / dt;
        printf("run %d: %.0f pages/s (%.1f MB/s)\n", r + 1, rate[r], total / dt / 1e6);
    }
    qsort(rate, (size_t)runs, sizeof *rate, cmp_double);
    printf("median %.0f pages/s\n", rate[runs / 2]);
    free(rate);
    free(page);
    mst_loader_free(ld);
    cJSON_Delete(doc);
    buf_free(&src);
    buf_free(&out);
    buf_free(&err);
    return 0;
}
