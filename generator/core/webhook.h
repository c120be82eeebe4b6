/* webhook: Slack-compatible alerts, POST {"text": ...} to a URL. Delivery failures are
 * reported as warnings: an alert must never fail the job it reports on. */
#ifndef CATLOG_WEBHOOK_H
#define CATLOG_WEBHOOK_H

/* url NULL or "": nothing is sent. Returns 0 when the receiver answered 2xx. */
int webhook_send(const char *url, const char *text);

#endif
