/*
 * The contacts and groups resources: POST /contacts (create or update; the
 * groups given replace the old ones), GET /contacts/{number},
 * GET /groups/{name} with each member's opt-out.
 */
#include <string.h>

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
	snprintf(r->summary, sizeof(r->summary), "contact %s", in.msisdn);
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

/*
 * POST /contacts/import: a bulk import, all or nothing, a chunk of rows
 * per request (the body limit holds a few hundred to a thousand):
 *   {"rows": [{"row", "msisdn", "name", "groups"}, ...]}  opens an import;
 *   {"import": ID, "rows": [...]}     adds to it;
 *   {"import": ID}                    what it would do (new, updated,
 *                                     unchanged), changing nothing;
 *   {"import": ID, "commit": true}    applies it in one transaction, or,
 *                                     when any row was refused, nothing;
 *   {"import": ID, "discard": true}   forgets it.
 * Each row is checked as POST /contacts checks its body; a refused row is
 * answered with its "row" and why, and is never applied.
 */
#define ADMIN_IMPORT_ROWS	5000	/* rows in one request */
#define ADMIN_IMPORT_BATCH	64	/* rows staged together */

struct admin_import {
	struct admin_req	*r;
	int64_t			 id;
	json_t			*errors;
	int64_t			 staged;
	size_t			 n;
	struct admin_contact	 in[ADMIN_IMPORT_BATCH];
	const char		*groups[ADMIN_IMPORT_BATCH][ADMIN_GROUPS_MAX];
	struct contact_row	 rows[ADMIN_IMPORT_BATCH];
};

/* Stages the rows checked so far; 1, 0 no such import, -1 store. */
static int
admin_import_flush(struct admin_import *im, int errors)
{
	int	rc = office_import_add(im->r->of, im->id, im->rows, im->n, errors,
		    clock_wall_ms());

	im->staged += rc == 1 ? (int64_t)im->n : 0;
	im->n = 0;
	return rc;
}

/* Checks one row into the batch, or records why it is refused. */
static void
admin_import_row(struct admin_import *im, json_t *o, size_t i)
{
	struct admin_body_ctx	 ctx;
	struct admin_contact	*c = &im->in[im->n];
	struct contact_row	*row = &im->rows[im->n];
	json_t			*jr = json_object_get(o, "row");
	int64_t			 line = json_is_integer(jr) ?
				    json_integer_value(jr) : (int64_t)i + 1;
	size_t			 g;

	json_object_del(o, "row");
	if (!json_is_object(o) || admin_body_contact(o, admin_ctx(im->r, &ctx),
	    c, im->r->why, sizeof(im->r->why)) == -1) {
		json_array_append_new(im->errors, json_pack("{s:I, s:o}", "row",
		    (json_int_t)line, "error", admin_jstr(json_is_object(o) ?
		    im->r->why : "a row must be an object")));
		return;
	}
	for (g = 0; g < c->ngroups; g++)
		im->groups[im->n][g] = c->groups[g];
	row->row = line;
	row->msisdn = c->msisdn;
	row->name = c->has_name ? c->name : NULL;
	row->groups = c->has_groups ? im->groups[im->n] : NULL;
	row->ngroups = c->ngroups;
	im->n++;
}

/* Checks and stages the request's rows; as admin_import_flush. */
static int
admin_import_rows(struct admin_import *im, json_t *rows)
{
	json_t	*o;
	size_t	 i;
	int	 rc;

	json_array_foreach(rows, i, o) {
		admin_import_row(im, o, i);
		if (im->n == ADMIN_IMPORT_BATCH &&
		    (rc = admin_import_flush(im, 0)) != 1)
			return rc;
	}
	return admin_import_flush(im, (int)json_array_size(im->errors));
}

static json_t *
admin_import_json(int64_t id, const struct contact_import *c)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "import",
	    (json_int_t)id, "rows", (json_int_t)c->rows, "errors",
	    (json_int_t)c->errors, "new", (json_int_t)c->added, "updated",
	    (json_int_t)c->updated, "unchanged", (json_int_t)c->unchanged);
}

/* The request's own checks: 0, or -1 with r->why set. */
static int
admin_import_check(struct admin_req *r, json_t *rows, json_t *id)
{
	static const char *const known[] = { "import", "rows", "commit",
	    "discard", NULL };
	const char	*k;
	json_t		*v;
	size_t		 i;

	json_object_foreach(r->body, k, v) {
		for (i = 0; known[i] && strcmp(k, known[i]); i++)
			;
		if (known[i] == NULL)
			return admin_why(r, "unknown field \"%s\"", k);
	}
	if (rows && (!json_is_array(rows) ||
	    json_array_size(rows) > ADMIN_IMPORT_ROWS))
		return admin_why(r, "\"rows\" must be an array of at most %d "
		    "contacts", ADMIN_IMPORT_ROWS);
	if (id ? !json_is_integer(id) : rows == NULL)
		return admin_why(r, "give \"rows\" to open an import, or its "
		    "\"import\" id");
	return 0;
}

/* What the request asks once its rows are in: 1, 0 no such import,
 * -2 rows in error (nothing applied), -1 store; c filled but for rows. */
static int
admin_import_act(struct admin_import *im, int has_rows,
    struct contact_import *c)
{
	json_t	*body = im->r->body;

	if (json_is_true(json_object_get(body, "discard")))
		return office_import_drop(im->r->of, im->id) == -1 ? -1 : 1;
	if (json_is_true(json_object_get(body, "commit")))
		return office_import_apply(im->r->of, im->id, c,
		    clock_wall_ms());
	return has_rows ? 1 : office_import_counts(im->r->of, im->id, c);
}

/* Runs the request inside its transaction; the answer to send, or NULL
 * (status says why: 404, 400 with rows in error, 500). */
static json_t *
admin_import_run(struct admin_import *im, json_t *rows, int *status)
{
	struct contact_import	c;
	int			rc = 1;

	*status = 500;
	if (im->id == 0 && (im->id = office_import_open(im->r->of,
	    clock_wall_ms())) == -1)
		return NULL;
	if ((rows && (rc = admin_import_rows(im, rows)) != 1) ||
	    (rc = admin_import_act(im, rows != NULL, &c)) != 1) {
		*status = rc == 0 ? 404 : rc == -2 ? 400 : 500;
		return NULL;
	}
	*status = 200;
	if (!json_is_true(json_object_get(im->r->body, "commit")) && rows)
		return json_pack("{s:I, s:I, s:O}", "import", (json_int_t)im->id,
		    "staged", (json_int_t)im->staged, "errors", im->errors);
	if (json_is_true(json_object_get(im->r->body, "discard")))
		return json_pack("{s:I, s:b}", "import", (json_int_t)im->id,
		    "discarded", 1);
	return admin_import_json(im->id, &c);
}

int
admin_contact_import(struct admin_req *r)
{
	static struct admin_import	 im;
	json_t				*rows = json_object_get(r->body, "rows");
	json_t				*id = json_object_get(r->body, "import");
	json_t				*answer;
	int				 status;

	if (admin_import_check(r, rows, id) == -1)
		return admin_bad(r);
	memset(&im, 0, sizeof(im));
	im.r = r;
	im.id = id ? json_integer_value(id) : 0;
	im.errors = json_array();
	if (admin_begin(r) == -1) {
		json_decref(im.errors);
		return admin_fail(r);
	}
	answer = admin_import_run(&im, rows, &status);
	json_decref(im.errors);
	if (admin_end(r, status == 200 || status == 400) == -1 && status == 200) {
		json_decref(answer);
		status = 500;
	}
	if (status == 404)
		return admin_error(r, 404, "no such import");
	if (status == 400)
		return admin_error(r, 400, "rows in error: nothing imported");
	return status == 200 ? admin_reply(r, 200, answer) : admin_fail(r);
}
