/* Unit tests for publish/sigv4: AWS's published Signature Version 4 test vectors
 * (aws-sig-v4-test-suite: canonical request, string to sign, signature) and the S3
 * GetObject example from the S3 API reference. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/buf.h"
#include "core/digest.h"
#include "publish/sigv4.h"

#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define SUITE_DATE "20150830T123600Z"

static const sigv4_key suite_key = {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "service"};

typedef struct {
    const char *name;
    const char *method, *path, *query;
    sigv4_header headers[4];
    size_t nheaders;
    const char *body;
    const char *creq, *sts, *signature;
} vector;

static const vector suite[] = {
    {"get-vanilla", "GET", "/", "",
     {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", SUITE_DATE}}, 2, "",
     "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" EMPTY_SHA256,
     "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
     "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
     "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
    {"get-vanilla-query-order-key-case", "GET", "/", "Param2=value2&Param1=value1",
     {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", SUITE_DATE}}, 2, "",
     "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
     "host;x-amz-date\n" EMPTY_SHA256,
     "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
     "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
     "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
    {"post-x-www-form-urlencoded", "POST", "/", "",
     {{"Content-Type", "application/x-www-form-urlencoded"}, {"Host", "example.amazonaws.com"},
      {"X-Amz-Date", SUITE_DATE}}, 3, "Param1=value1",
     "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\n"
     "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
     "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
     "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
     "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281",
     "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"},
    {"post-vanilla", "POST", "/", "",
     {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", SUITE_DATE}}, 2, "",
     "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" EMPTY_SHA256,
     "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
     "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
     "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
    {"post-header-value-case", "POST", "/", "",
     {{"Host", "example.amazonaws.com"}, {"My-Header1", "VALUE1"}, {"X-Amz-Date", SUITE_DATE}}, 3, "",
     "POST\n/\n\nhost:example.amazonaws.com\nmy-header1:VALUE1\nx-amz-date:20150830T123600Z\n\n"
     "host;my-header1;x-amz-date\n" EMPTY_SHA256,
     "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
     "d51ced243e649e3de6ef63afbbdcbca03131a21a7103a1583706a64618606a93",
     "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"},
    {"get-unreserved", "GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "",
     {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", SUITE_DATE}}, 2, "",
     "GET\n/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n\nhost:example.amazonaws.com\n"
     "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" EMPTY_SHA256,
     "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
     "6a968768eefaa713e2a6b16b589a8ea192661f098f37349f4e2c0082757446f9",
     "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"},
};

static void check_vector(const vector *v)
{
    char body_hash[65];
    digest_sha256_hex(v->body, strlen(v->body), body_hash);
    sigv4_request r = {v->method, v->path, v->query, v->headers, v->nheaders, body_hash};
    buf creq = BUF_INIT, sts = BUF_INIT, auth = BUF_INIT;
    sigv4_canonical_request(&r, &creq);
    assert_string_equal(buf_cstr(&creq), v->creq);
    sigv4_string_to_sign(&suite_key, SUITE_DATE, buf_cstr(&creq), &sts);
    assert_string_equal(buf_cstr(&sts), v->sts);
    char sig[65];
    sigv4_signature(&suite_key, SUITE_DATE, buf_cstr(&sts), sig);
    assert_string_equal(sig, v->signature);
    sigv4_authorization(&r, &suite_key, SUITE_DATE, &auth);
    buf want = BUF_INIT;
    buf_puts(&want, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=");
    sigv4_signed_headers(&r, &want);
    buf_printf(&want, ", Signature=%s", v->signature);
    assert_string_equal(buf_cstr(&auth), buf_cstr(&want));
    buf_free(&creq);
    buf_free(&sts);
    buf_free(&auth);
    buf_free(&want);
}

static void suite_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof suite / sizeof suite[0]; i++) {
        print_message("vector %s\n", suite[i].name);
        check_vector(&suite[i]);
    }
}

static void repeated_header_values_join_in_order(void **state)
{
    (void)state;
    /* get-header-key-duplicate: repeated names join their values with ',' in request order */
    sigv4_header h[] = {{"Host", "example.amazonaws.com"}, {"My-Header1", "value2"}, {"My-Header1", "value2"},
                        {"My-Header1", "value1"}, {"X-Amz-Date", SUITE_DATE}};
    sigv4_request r = {"GET", "/", "", h, 5, EMPTY_SHA256};
    buf creq = BUF_INIT, sts = BUF_INIT;
    sigv4_canonical_request(&r, &creq);
    assert_string_equal(buf_cstr(&creq), "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value2,value2,value1\n"
                                         "x-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\n" EMPTY_SHA256);
    sigv4_string_to_sign(&suite_key, SUITE_DATE, buf_cstr(&creq), &sts);
    char sig[65];
    sigv4_signature(&suite_key, SUITE_DATE, buf_cstr(&sts), sig);
    assert_string_equal(sig, "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea");
    buf_free(&creq);
    buf_free(&sts);
}

static void header_values_are_trimmed(void **state)
{
    (void)state;
    sigv4_header h[] = {{" My-Header1 ", "   a   b    c  "}, {"host", "x"}};
    sigv4_request r = {"GET", "", NULL, h, 2, EMPTY_SHA256};
    buf creq = BUF_INIT;
    sigv4_canonical_request(&r, &creq);
    assert_string_equal(buf_cstr(&creq), "GET\n/\n\nhost:x\nmy-header1:a b c\n\nhost;my-header1\n" EMPTY_SHA256);
    buf_free(&creq);
}

static void s3_get_object_example(void **state)
{
    (void)state;
    /* S3 API reference, "Example: GET Object" (examplebucket, Range: bytes=0-9) */
    sigv4_key k = {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1", "s3"};
    sigv4_header h[] = {{"Host", "examplebucket.s3.amazonaws.com"}, {"Range", "bytes=0-9"},
                        {"x-amz-content-sha256", EMPTY_SHA256}, {"x-amz-date", "20130524T000000Z"}};
    sigv4_request r = {"GET", "/test.txt", "", h, 4, EMPTY_SHA256};
    buf creq = BUF_INIT, sts = BUF_INIT, auth = BUF_INIT;
    sigv4_canonical_request(&r, &creq);
    sigv4_string_to_sign(&k, "20130524T000000Z", buf_cstr(&creq), &sts);
    assert_string_equal(buf_cstr(&sts), "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
                                        "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
    sigv4_authorization(&r, &k, "20130524T000000Z", &auth);
    assert_string_equal(buf_cstr(&auth),
                        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    buf_free(&creq);
    buf_free(&sts);
    buf_free(&auth);
}

static void uri_encoding(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    sigv4_uri_encode(&b, "anime/1/a b+c~d_e.f-g/\xE1\x88\xB4", true);
    assert_string_equal(buf_cstr(&b), "anime/1/a%20b%2Bc~d_e.f-g/%E1%88%B4");
    buf_reset(&b);
    sigv4_uri_encode(&b, "site/x=y&z", false);
    assert_string_equal(buf_cstr(&b), "site%2Fx%3Dy%26z");
    buf_free(&b);
}

static void helpers(void **state)
{
    (void)state;
    char d[17];
    sigv4_amz_date(1440938160, d);
    assert_string_equal(d, SUITE_DATE);
    char b64[32];
    sigv4_base64((const unsigned char *)"hello", 5, b64);
    assert_string_equal(b64, "aGVsbG8=");
    char h[65];
    digest_sha256_hex("", 0, h);
    assert_string_equal(h, EMPTY_SHA256);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(suite_vectors),
        cmocka_unit_test(repeated_header_values_join_in_order),
        cmocka_unit_test(header_values_are_trimmed),
        cmocka_unit_test(s3_get_object_example),
        cmocka_unit_test(uri_encoding),
        cmocka_unit_test(helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
