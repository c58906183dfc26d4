/*
 * The messages a restore held back (README, Backups): GET /messages/held
 * lists them (after=ID, limit=N: {"messages", "next"}); POST
 * /messages/held/{id}/release sends one again as a new message (201,
 * {"id"}); POST /messages/held/{id}/drop, or /messages/held/all/drop,
 * drops them unsent (200, {"dropped": N}).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "log.h"
#include "office/office.h"
#include "admin/admin_int.h"

struct admin_held {
	json_t	*a;
	int64_t	 last;
};

static void
admin_held_one(const struct store_held *h, void *arg)
{
	struct admin_held	*l = arg;

	json_array_append_new(l->a, json_pack("{s:I, s:o, s:o, s:o, s:o}",
	    "id", (json_int_t)h->id, "to", admin_jstr(h->msisdn), "text",
	    admin_jstr(h->text), "kind", admin_jstr(h->kind), "created_at",
	    admin_jtime(h->created_at)));
	l->last = h->id;
}

/* An id from the path or a query: 1 and up; 0 when it is not one. */
static int64_t
admin_held_id(const char *s)
{
	char		*end;
	long long	 id;

	if (s == NULL || *s < '1' || *s > '9')
		return 0;
	id = strtoll(s, &end, 10);
	return *end == '\0' && id > 0 ? id : 0;
}

int
admin_held_list(struct admin_req *r)
{
	static const char *const known[] = { "after", "limit", NULL };
	struct evkeyvalq	 q;
	struct admin_held	 l = { NULL, 0 };
	const char		*after;
	int			 limit, n, rc;

	if (admin_query(r, &q, known) == NULL)
		return admin_bad(r);
	after = evhttp_find_header(&q, "after");
	if (after != NULL && (l.last = admin_held_id(after)) == 0)
		rc = admin_why(r, "after: the \"next\" of the page before");
	else
		rc = admin_list_limit(r, evhttp_find_header(&q, "limit"),
		    &limit);
	evhttp_clear_headers(&q);
	if (rc != 0)
		return admin_bad(r);
	l.a = json_array();
	if ((n = office_held_list(r->of, l.last, limit, admin_held_one,
	    &l)) == -1) {
		json_decref(l.a);
		return admin_fail(r);
	}
	return admin_reply(r, 200, json_pack("{s:o, s:o}", "messages", l.a,
	    "next", n == limit ? json_integer(l.last) : json_null()));
}

int
admin_held_release(struct admin_req *r)
{
	int64_t	id = admin_held_id(r->args[0]), out;

	if (id == 0)
		return admin_error(r, 404, "no such held message");
	if (admin_begin(r) == -1)
		return admin_fail(r);
	out = office_held_release(r->of, id);
	if (admin_end(r, out > 0) == -1 || out < 0)
		return admin_fail(r);
	if (out == 0)
		return admin_error(r, 404, "no such held message");
	log_info("admin out=%lld held message released as out=%lld by %s",
	    (long long)id, (long long)out, r->actor);
	return admin_reply(r, 201, json_pack("{s:I}", "id", (json_int_t)out));
}

int
admin_held_drop(struct admin_req *r)
{
	int	 all = strcmp(r->args[0], "all") == 0;
	int64_t	 id = all ? 0 : admin_held_id(r->args[0]), n;

	if (!all && id == 0)
		return admin_error(r, 404, "no such held message");
	if (admin_begin(r) == -1)
		return admin_fail(r);
	n = office_held_drop(r->of, id);
	if (admin_end(r, n >= 0) == -1 || n < 0)
		return admin_fail(r);
	if (!all && n == 0)
		return admin_error(r, 404, "no such held message");
	log_info("admin %lld held message(s) dropped by %s", (long long)n,
	    r->actor);
	return admin_reply(r, 200, json_pack("{s:I}", "dropped",
	    (json_int_t)n));
}
