/*
 * The audit log: who changed what, when and from where (issue 13).
 * GET /audit?before=ID&limit=N (role head) reads it newest first; no
 * route writes, edits or deletes it (the store's triggers refuse updates
 * and deletes too).
 *
 * The row is written here, by admin_send, for every answer to a
 * POST/PUT/PATCH/DELETE with a 2xx status, and for the answers a handler
 * asks for (failed sign-ins). One place, so that no route, today's or
 * the next helper's, can forget it, and with the status the client got.
 * The price: it is its own transaction, committed after the change's
 * and before the answer is written. A crash between the two commits
 * loses the row of a change whose client saw no answer; writing it in
 * the change's transaction would need every handler to know its status
 * before admin_end, which they do not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#include "log.h"
#include "office/office.h"
#include "admin/admin_int.h"

static int
admin_audit_wanted(const struct admin_req *r, int status)
{
	if (r->audit != 0)
		return r->audit == 1;
	if (status < 200 || status > 299)
		return 0;
	return r->method == EVHTTP_REQ_POST || r->method == EVHTTP_REQ_PUT ||
	    r->method == EVHTTP_REQ_PATCH || r->method == EVHTTP_REQ_DELETE;
}

void
admin_audit_record(struct admin_req *r, int status)
{
	struct acct_audit	a;

	if (!admin_audit_wanted(r, status))
		return;
	memset(&a, 0, sizeof(a));
	a.at = r->now;
	a.actor = r->actor ? r->actor : "";
	a.role = admin_role_name(r->role);
	a.peer = r->peer;
	a.method = r->method_name;
	a.path = r->logpath;
	a.status = status;
	a.summary = r->summary[0] ? r->summary : r->args[0] ? r->args[0] : "";
	if (!admin_utf8_ok(a.summary))
		a.summary = "?";
	if (office_audit_add(r->of, &a) == -1)
		log_warnx("admin: audit row not written: method=%s path=%s "
		    "status=%d actor=\"%s\"", a.method, a.path, status, a.actor);
}

static void
admin_audit_one(const struct acct_audit *a, void *arg)
{
	json_t	*o = json_object();

	admin_set(o, "id", json_integer(a->id));
	admin_set(o, "at", admin_jtime(a->at));
	admin_set(o, "actor", admin_jstr(a->actor));
	admin_set(o, "role", admin_jstr(a->role));
	admin_set(o, "peer", admin_jstr(a->peer));
	admin_set(o, "method", admin_jstr(a->method));
	admin_set(o, "path", admin_jstr(a->path));
	admin_set(o, "status", json_integer(a->status));
	admin_set(o, "summary", admin_jstr(a->summary));
	json_array_append_new(arg, o);
}

/* A query number from 1 to max, or def when absent; -1 (why) if bad. */
static long long
admin_audit_num(struct admin_req *r, struct evkeyvalq *q, const char *key,
    long long def, long long max)
{
	const char	*v = evhttp_find_header(q, key);
	char		*end;
	long long	 n;

	if (v == NULL)
		return def;
	n = strtoll(v, &end, 10);
	if (*v == '\0' || *end != '\0' || n < 1 || n > max)
		return admin_why(r, "%s: a number from 1 to %lld", key, max);
	return n;
}

int
admin_audit_list(struct admin_req *r)
{
	static const char *const known[] = { "before", "limit", NULL };
	struct evkeyvalq	 q;
	long long		 before, limit;
	json_t			*a, *next;
	size_t			 n;

	if (admin_query(r, &q, known) == NULL)
		return admin_bad(r);
	before = admin_audit_num(r, &q, "before", 0, INT64_MAX);
	limit = admin_audit_num(r, &q, "limit", ADMIN_LIST_DEFAULT,
	    ADMIN_LIST_MAX);
	evhttp_clear_headers(&q);
	if (before == -1 || limit == -1)
		return admin_bad(r);
	a = json_array();
	if (office_audit_each(r->of, before, (int)limit, admin_audit_one,
	    a) == -1) {
		json_decref(a);
		return admin_fail(r);
	}
	/* A full page may have more after it: the next starts below its last. */
	n = json_array_size(a);
	next = n == (size_t)limit ? json_deep_copy(json_object_get(
	    json_array_get(a, n - 1), "id")) : json_null();
	return admin_reply(r, 200, json_pack("{s:o, s:o}", "entries", a, "next",
	    next));
}
