#include "core/webhook.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdlib.h>

#include "core/log.h"

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
    (void)p;
    (void)ud;
    return size * n;
}

int webhook_send(const char *url, const char *text)
{
    if (!url || !*url) return 0;
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "text", text);
    char *body = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    CURL *c = curl_easy_init();
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    CURLcode res = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    int rc = res == CURLE_OK && status >= 200 && status < 300 ? 0 : -1;
    /* the URL may carry a token (Slack's do): name only the failure */
    if (rc) log_warn("alert webhook not delivered: %s", res != CURLE_OK ? curl_easy_strerror(res) : "non-2xx answer");
    curl_slist_free_all(headers);
    curl_easy_cleanup(c);
    cJSON_free(body);
    return rc;
}
