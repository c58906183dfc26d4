/*
 * What motcua holds about one number, and its erasure (issue 15):
 *   GET /privacy/{number}: {"msisdn", "contact" | null, "opted_out",
 *     "cases": [the case, with its history], "messages": [{"dir", "at",
 *     "text", "state"}]}, every one of them, oldest message first;
 *   POST /privacy/{number}/erase: the number's personal data removed
 *     everywhere (store/privacy.c says what goes and what stays), answered
 *     with the counts; the audit log keeps who and when.
 * Any form of the number is taken (parsers/msisdn.c).
 */
#include <stdio.h>

#include <jansson.h>

#include "log.h"
#include "msisdn.h"
#include "office/office.h"
#include "admin/admin_int.h"

#define PRIVACY_CASES_MAX	10000	/* a person's, in a commune: plenty */
#define PRIVACY_MSGS_MAX	100000

struct admin_privacy {
	struct admin_req	*r;
	json_t			*a;
};

static int
admin_privacy_case(const struct case_rec *c, void *arg)
{
	struct admin_privacy	*p = arg;

	json_array_append_new(p->a, admin_case_json(p->r, c, 1));
	return 0;
}

static void
admin_privacy_msg(const struct msg_rec *m, void *arg)
{
	struct admin_privacy	*p = arg;

	json_array_append_new(p->a, json_pack("{s:s, s:o, s:o, s:s}", "dir",
	    m->dir, "at", admin_jtime(m->at), "text", admin_jstr(m->text),
	    "state", m->state));
}

static void
admin_privacy_group(const char *name, void *arg)
{
	json_array_append_new(arg, admin_jstr(name));
}

/* The contact, null when there is none. */
static json_t *
admin_privacy_contact(struct admin_req *r, const char *msisdn)
{
	struct contact	 c;
	json_t		*groups;

	if (office_contact_get(r->of, msisdn, &c) != 1)
		return json_null();
	groups = json_array();
	office_contact_groups(r->of, msisdn, admin_privacy_group, groups);
	return json_pack("{s:o, s:o}", "name", admin_jstr(c.name), "groups",
	    groups);
}

/* The number from the path, canonical; -1 when it is not one (answered). */
static int
admin_privacy_number(struct admin_req *r, char *msisdn, size_t cap)
{
	if (msisdn_normalize(r->args[0], office_config(r->of)->country_code,
	    msisdn, cap, NULL) == -1)
		return admin_error(r, 400, "not a phone number"), -1;
	return 0;
}

int
admin_privacy_export(struct admin_req *r)
{
	struct admin_privacy	 cases = { r, NULL }, msgs = { r, NULL };
	struct case_key		 start = { 0, 0 }, last;
	char			 msisdn[MSISDN_MAX];
	int			 out;

	if (admin_privacy_number(r, msisdn, sizeof(msisdn)) == -1)
		return r->status;
	cases.a = json_array();
	msgs.a = json_array();
	if (office_case_walk(r->of, &start, msisdn, PRIVACY_CASES_MAX,
	    admin_privacy_case, &cases, &last) == -1 ||
	    office_msg_thread(r->of, msisdn, PRIVACY_MSGS_MAX,
	    admin_privacy_msg, &msgs) == -1 ||
	    (out = office_optout_get(r->of, msisdn)) == -1) {
		json_decref(cases.a);
		json_decref(msgs.a);
		return admin_fail(r);
	}
	return admin_reply(r, 200, json_pack("{s:s, s:o, s:b, s:o, s:o}",
	    "msisdn", msisdn, "contact", admin_privacy_contact(r, msisdn),
	    "opted_out", out, "cases", cases.a, "messages", msgs.a));
}

int
admin_privacy_erase(struct admin_req *r)
{
	struct store_erased	n = { 0, 0, 0, 0, 0 };
	char			msisdn[MSISDN_MAX];
	int			rc;

	if (admin_privacy_number(r, msisdn, sizeof(msisdn)) == -1)
		return r->status;
	if (admin_begin(r) == -1)
		return admin_fail(r);
	rc = office_privacy_erase(r->of, msisdn, &n);
	if (admin_end(r, rc == 0) == -1 || rc == -1)
		return admin_fail(r);
	snprintf(r->summary, sizeof(r->summary), "erased %s", msisdn);
	log_info("admin msisdn=%s personal data erased by %s: messages in=%lld "
	    "out=%lld cases=%lld", msisdn, r->actor, (long long)n.inbound,
	    (long long)n.outbound, (long long)n.cases);
	return admin_reply(r, 200, json_pack("{s:s, s:{s:I, s:I, s:I, s:I, "
	    "s:I}, s:b}", "msisdn", msisdn, "erased", "messages_in",
	    (json_int_t)n.inbound, "messages_out", (json_int_t)n.outbound,
	    "cases", (json_int_t)n.cases, "contacts", (json_int_t)n.contacts,
	    "broadcast_recipients", (json_int_t)n.pending, "opt_out_kept", 1));
}
