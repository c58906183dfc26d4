/*
 * The contacts and groups resources: POST /contacts (create or update; the
 * groups given replace the old ones), GET /contacts/{number},
 * GET /groups/{name} with each member's opt-out.
 */
#include <jansson.h>

#include "admin_body.h"
#include "clock.h"
#include "office/office.h"
#include "admin/admin_int.h"
#include "msisdn.h"
#include "text.h"

static void
admin_group_name(const char *name, void *arg)
{
	json_array_append_new(arg, admin_jstr(name));
}

/* The contact as the API shows it; NULL when not found or on error. */
static json_t *
admin_contact_json(struct admin_req *r, const char *msisdn)
{
	struct contact	 c;
	json_t		*groups = json_array();
	int		 out;

	if (office_contact_get(r->of, msisdn, &c) != 1 ||
	    office_contact_groups(r->of, msisdn, admin_group_name,
	    groups) == -1 ||
	    (out = office_optout_get(r->of, msisdn)) == -1) {
		json_decref(groups);
		return NULL;
	}
	return json_pack("{s:o, s:o, s:o, s:b}", "msisdn", admin_jstr(c.msisdn),
	    "name", admin_jstr(c.name), "groups", groups, "opted_out", out);
}

/* POST /contacts: creates or updates; given groups replace the old ones. */
int
admin_contact_put(struct admin_req *r)
{
	struct admin_body_ctx	 ctx;
	struct admin_contact	 in;
	const char		*groups[ADMIN_GROUPS_MAX];
	size_t			 i;
	int			 existed;

	if (admin_body_contact(r->body, admin_ctx(r, &ctx), &in, r->why,
	    sizeof(r->why)) == -1)
		return admin_bad(r);
	for (i = 0; i < in.ngroups; i++)
		groups[i] = in.groups[i];
	if (admin_begin(r) == -1)
		return admin_fail(r);
	existed = office_contact_put(r->of, in.msisdn, in.has_name ? in.name :
	    NULL, in.has_groups ? groups : NULL, in.ngroups, clock_wall_ms());
	if (admin_end(r, existed != -1) == -1)
		return admin_fail(r);
	return admin_reply(r, existed ? 200 : 201, admin_contact_json(r,
	    in.msisdn));
}

int
admin_contact_get(struct admin_req *r)
{
	struct contact	c;
	char		msisdn[MSISDN_MAX];
	int		rc;

	if (msisdn_normalize(r->args[0], office_config(r->of)->country_code, msisdn,
	    sizeof(msisdn), NULL) == -1 ||
	    (rc = office_contact_get(r->of, msisdn, &c)) == 0)
		return admin_error(r, 404, "no such contact");
	if (rc == -1)
		return admin_fail(r);
	return admin_reply(r, 200, admin_contact_json(r, msisdn));
}

struct admin_members {
	struct admin_req	*r;
	json_t			*a;
	int			 failed;
};

static void
admin_member_one(const struct contact *c, void *arg)
{
	struct admin_members	*m = arg;
	int			 out = office_optout_get(m->r->of, c->msisdn);

	m->failed |= out == -1;
	json_array_append_new(m->a, json_pack("{s:o, s:o, s:b}",
	    "msisdn", admin_jstr(c->msisdn), "name", admin_jstr(c->name),
	    "opted_out", out == 1));
}

int
admin_group_get(struct admin_req *r)
{
	struct admin_members	 m = { r, NULL, 0 };
	char			 nfc[ADMIN_GROUP_MAX * 2], name[ADMIN_GROUP_MAX * 2];
	int			 rc;

	if (!admin_utf8_ok(r->args[0]) ||
	    text_nfc(r->args[0], nfc, sizeof(nfc)) == -1 ||
	    (rc = office_group_find(r->of, nfc, name, sizeof(name))) == 0)
		return admin_error(r, 404, "no such group");
	if (rc == -1)
		return admin_fail(r);
	m.a = json_array();
	if (office_group_members(r->of, name, admin_member_one, &m) ==
	    -1 || m.failed) {
		json_decref(m.a);
		return admin_fail(r);
	}
	return admin_reply(r, 200, json_pack("{s:o, s:o}", "name",
	    admin_jstr(name), "members", m.a));
}
