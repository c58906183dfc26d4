/*
 * Staff accounts: POST /users {"name","password","role"} and GET /users
 * (role admin). A new password is hashed on the office's worker thread,
 * so POST /users is answered later (r->deferred), like a sign-in.
 */
#include <stdio.h>
#include <string.h>

#include <event2/http.h>
#include <jansson.h>

#include "log.h"
#include "office/office.h"
#include "admin/admin_int.h"

static int
admin_user_answer(struct admin_req *r, const struct office_acct_res *res)
{
	switch (res->rc) {
	case OFFICE_ACCT_OK:
		return admin_reply(r, 201, json_pack("{s:s, s:s}", "name",
		    res->name, "role", res->role));
	case OFFICE_ACCT_EXISTS:
		return admin_error(r, 409, "a user with this name exists");
	case OFFICE_ACCT_BUSY:
		return admin_error(r, 503, "too many passwords being hashed: "
		    "try again in a moment");
	default:
		return admin_fail(r);
	}
}

static void
admin_user_done(const struct office_acct_res *res, void *arg)
{
	struct admin_req	*r = arg;

	admin_session_resume(r);
	admin_user_answer(r, res);
}

int
admin_user_add(struct admin_req *r)
{
	static const char *const keys[] = { "name", "password", "role", NULL };
	struct office_acct_res	 res;
	struct office_acct_job	*j;
	const char		*f[3], *why;

	if (admin_body_strings(r, keys, f) == -1)
		return admin_bad(r);
	if ((why = office_user_check(f[0], f[1], f[2])) != NULL)
		return admin_error(r, 400, why);
	/* never the password */
	snprintf(r->summary, sizeof(r->summary), "user %s role %s", f[0], f[2]);
	if ((j = office_user_add(r->of, f[0], f[1], f[2], r->now,
	    admin_user_done, r, &res)) == NULL)
		return admin_user_answer(r, &res);
	admin_session_defer(r, j);
	return 0;
}

static void
admin_user_one(const struct acct_user *u, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s, s:s, s:o}", "name",
	    u->name, "role", u->role, "created_at", admin_jtime(u->created_at)));
}

int
admin_user_list(struct admin_req *r)
{
	json_t	*a = json_array();

	if (office_user_each(r->of, admin_user_one, a) == -1) {
		json_decref(a);
		return admin_fail(r);
	}
	return admin_reply(r, 200, json_pack("{s:o}", "users", a));
}
