/*
 * POST /imports, GET /imports/{id}, POST /imports/{id}/apply and
 * /discard: the case system's CSV, previewed then applied all or nothing
 * (office/imports.c). The upload's answer waits for its check, which
 * runs a slice a loop turn: the request is answered when the preview is
 * ready, and a client that goes away first stops the check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "office/office.h"
#include "admin/admin_int.h"

#define ADMIN_IMPORT_ERRORS	1000	/* problems listed in an answer */

static void
admin_import_error(const struct imp_error *e, void *arg)
{
	json_array_append_new(arg, json_pack("{s:i, s:s, s:s}", "row", e->row,
	    "field", e->field, "reason", e->reason));
}

/* The import as the contract shows it; NULL when it cannot be read. */
static json_t *
admin_import_json(struct admin_req *r, int64_t id, int progress)
{
	struct imp_info	 in;
	json_t		*o, *errs = json_array();

	if (imports_get(r->of, id, &in) != 1 || imports_errors(r->of, id,
	    ADMIN_IMPORT_ERRORS, admin_import_error, errs) == -1) {
		json_decref(errs);
		return NULL;
	}
	o = json_pack("{s:I, s:s, s:I, s:I, s:I, s:o, s:I, s:I, s:s, s:o}",
	    "id", (json_int_t)in.id, "state", in.state, "new",
	    (json_int_t)in.added, "changes", (json_int_t)in.changes,
	    "unchanged", (json_int_t)in.unchanged, "errors", errs, "total",
	    (json_int_t)in.total, "rows_with_errors", (json_int_t)in.errors,
	    "actor", in.actor, "created_at", admin_jtime(in.created_at));
	if (o && progress)
		admin_set(o, "progress", json_pack("{s:I, s:I}", "done",
		    (json_int_t)in.done, "total", (json_int_t)in.todo));
	if (o && in.reason[0])
		admin_set(o, "reason", admin_jstr(in.reason));
	return o;
}

/* The check is over: the preview, or why the file was refused. */
static void
admin_import_checked(void *arg, int64_t id, const char *err)
{
	struct admin_req	*r = arg;

	r->gone = NULL;
	if (err == NULL)
		admin_reply(r, 201, admin_import_json(r, id, 0));
	else if (strncmp(err, "store failure", 13) == 0)
		admin_fail(r);
	else
		admin_error(r, 400, err);
}

static void
admin_import_gone(struct admin_req *r)
{
	imports_detach(r->gone_arg);
}

int
admin_import_create(struct admin_req *r)
{
	struct import_job	*j;
	char			*csv = r->raw;

	if (csv == NULL || r->rawlen == 0)
		return admin_error(r, 400, "send the CSV file as the body, "
		    "Content-Type: text/csv");
	r->raw = NULL;		/* the check owns it now */
	if ((j = imports_check(r->of, csv, r->rawlen, r->actor, r->now,
	    admin_import_checked, r)) == NULL)
		return admin_fail(r);
	r->deferred = 1;
	r->gone = admin_import_gone;
	r->gone_arg = j;
	return 0;
}

/* The id in the path: > 0, or 0. */
static int64_t
admin_import_id(struct admin_req *r)
{
	const char	*s = r->args[0];
	char		*end;
	long long	 v;

	if (s == NULL || s[0] < '1' || s[0] > '9')
		return 0;
	v = strtoll(s, &end, 10);
	return *end == '\0' && v > 0 ? v : 0;
}

int
admin_import_get(struct admin_req *r)
{
	struct imp_info	 in;
	int64_t		 id = admin_import_id(r);
	int		 rc;

	if (id == 0 || (rc = imports_get(r->of, id, &in)) == 0)
		return admin_error(r, 404, "no such import");
	if (rc == -1)
		return admin_fail(r);
	return admin_reply(r, 200, admin_import_json(r, id, 1));
}

/* What apply and discard answer: 404, 409 (why), 500, else ok. */
static int
admin_import_answer(struct admin_req *r, int64_t id, int rc, int ok,
    const char *why)
{
	if (rc == 0)
		return admin_error(r, 404, "no such import");
	if (rc == -2)
		return admin_error(r, 409, why);
	if (rc == -1)
		return admin_fail(r);
	return admin_reply(r, ok, admin_import_json(r, id, 1));
}

int
admin_import_apply(struct admin_req *r)
{
	char	why[256] = "";
	int64_t	id = admin_import_id(r);

	if (id == 0)
		return admin_error(r, 404, "no such import");
	return admin_import_answer(r, id, imports_apply(r->of, id, r->actor,
	    r->now, why, sizeof(why)), 202, why);
}

int
admin_import_discard(struct admin_req *r)
{
	char	why[256] = "";
	int64_t	id = admin_import_id(r);

	if (id == 0)
		return admin_error(r, 404, "no such import");
	return admin_import_answer(r, id, imports_discard(r->of, id, why,
	    sizeof(why)), 200, why);
}
