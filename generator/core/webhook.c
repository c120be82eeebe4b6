#include "core/webhook.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

#include "core/http.h"
#include "core/log.h"

int webhook_send(const char *url, const char *text)
{
    if (!url || !*url) return 0;
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddStringToObject(doc, "text", text);
    char *body = cJSON_PrintUnformatted(doc);
    cJSON_Delete(doc);
    http_options o = {.parallel = 1, .max_retries = 0, .timeout_s = 10, .name = "webhook"};
    buf why = BUF_INIT;
    int rc = http_post_json(url, NULL, body, &o, &why);
    /* the URL may carry a token (Slack's do): name only the failure */
    if (rc) log_warn("alert webhook not delivered: %s", buf_cstr(&why));
    buf_free(&why);
    cJSON_free(body);
    return rc;
}
