/*
 * POST /messages: one SMS to one number, given as text or rendered from
 * a template, queued in its own transaction.
 */
#include <stdio.h>

#include <jansson.h>

#include "admin_body.h"
#include "log.h"
#include "office/office.h"
#include "admin/admin_int.h"
#include "text.h"

/* The message's text, as given or rendered from its template. */
static int
admin_message_text(struct admin_req *r, const struct admin_message *m,
    char *out, size_t cap)
{
	if (m->text) {
		snprintf(out, cap, "%s", m->text);
		return 0;
	}
	if (replies_render(office_replies(r->of), m->template, m->keys, m->vals,
	    m->nvars, out, cap) == -1)
		return admin_why(r, ADMIN_UNKNOWN_TEMPLATE, m->template);
	return 0;
}

int
admin_message_send(struct admin_req *r)
{
	struct admin_body_ctx	ctx;
	struct admin_message	m;
	char			text[TEXT_MAX];
	int64_t			id;

	if (admin_body_message(r->body, admin_ctx(r, &ctx), &m, r->why,
	    sizeof(r->why)) == -1 ||
	    admin_message_text(r, &m, text, sizeof(text)) == -1)
		return admin_bad(r);
	if (admin_begin(r) == -1)
		return admin_fail(r);
	id = office_send(r->of, m.to, text);
	if (admin_end(r, id > 0) == -1)
		return admin_fail(r);
	log_info("admin msisdn=%s out=%lld action=send", m.to, (long long)id);
	snprintf(r->summary, sizeof(r->summary), "SMS to %s", m.to);
	return admin_reply(r, 201, json_pack("{s:I, s:s}", "id",
	    (json_int_t)id, "to", m.to));
}
