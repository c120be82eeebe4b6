/* libFuzzer target for the S3 answers catlog reads: a ListObjectsV2 page (Contents, Key,
 * Size, ETag, IsTruncated, NextContinuationToken) and an error document (Code, Message). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "publish/s3.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *xml = malloc(size + 1);
    if (!xml) return 0;
    memcpy(xml, data, size);
    xml[size] = '\0';
    buf item = BUF_INIT, field = BUF_INIT;
    size_t pos = 0;
    while (s3_xml_next(xml, "Contents", &pos, &item)) {
        size_t ip = 0;
        s3_xml_next(buf_cstr(&item), "Key", &ip, &field);
        ip = 0;
        s3_xml_next(buf_cstr(&item), "Size", &ip, &field);
        ip = 0;
        s3_xml_next(buf_cstr(&item), "ETag", &ip, &field);
    }
    static const char *const TAGS[] = {"IsTruncated", "NextContinuationToken", "Code", "Message", "Error", "Key"};
    for (size_t i = 0; i < sizeof TAGS / sizeof TAGS[0]; i++) {
        pos = 0;
        while (s3_xml_next(xml, TAGS[i], &pos, &field)) {}
    }
    buf_free(&item);
    buf_free(&field);
    free(xml);
    return 0;
}
