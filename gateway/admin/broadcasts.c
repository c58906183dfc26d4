/*
 * The broadcasts resource: POST /broadcasts (or a dry run), GET
 * /broadcasts, GET /broadcasts/{id}, POST /broadcasts/{id}/cancel.
 * gateway/office/broadcast.c does the work.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "admin_body.h"
#include "log.h"
#include "office/office.h"
#include "admin/admin_int.h"

/* A broadcast id from the path; 0 when it is not one. */
static int64_t
admin_broadcast_id(const char *s)
{
	char	*end;
	long long id;

	if (*s < '1' || *s > '9')
		return 0;
	id = strtoll(s, &end, 10);
	return *end == '\0' && id > 0 ? id : 0;
}

static json_t *
admin_broadcast_json(const struct broadcast_info *b)
{
	json_t	*o = json_pack("{s:I, s:s, s:I, s:I, s:I, s:I, s:I, s:I}",
		    "id", (json_int_t)b->id, "state", b->state,
		    "total", (json_int_t)b->total, "queued", (json_int_t)b->queued,
		    "sent", (json_int_t)b->sent,
		    "delivered", (json_int_t)b->delivered,
		    "failed", (json_int_t)b->failed,
		    "skipped", (json_int_t)b->skipped);

	if (o && b->id == 0)	/* a dry run: what would go */
		json_object_update_new(o, json_pack("{s:I, s:i, s:I, s:o, s:o}",
		    "recipients", (json_int_t)b->recipients, "parts", b->parts,
		    "total_parts", (json_int_t)b->total_parts,
		    "sample_to", admin_jstr(b->sample_to),
		    "sample", admin_jstr(b->sample)));
	return o;
}

/* Unix ms of a wall-clock time (given as if UTC) in the local time zone. */
static int64_t
admin_local_ms(int64_t wall)
{
	time_t		t = (time_t)(wall / 1000);
	struct tm	tm;

	gmtime_r(&t, &tm);
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm) * 1000;
}

int
admin_broadcast_create(struct admin_req *r)
{
	/* static: 48 KB of numbers is much for one callback's stack */
	static struct admin_broadcast	 in;
	static const char		*nums[ADMIN_BROADCAST_MAX];
	struct admin_body_ctx		 ctx;
	struct broadcast_req		 q;
	struct broadcast_info		 info;
	char				*vars = NULL, err[256];
	size_t				 i;
	int				 rc;

	if (admin_body_broadcast(r->body, admin_ctx(r, &ctx), &in, r->why,
	    sizeof(r->why)) == -1)
		return admin_bad(r);
	memset(&q, 0, sizeof(q));
	q.group = in.group;
	q.cases_status = in.cases_status;
	for (i = 0; i < in.nmsisdns; i++)
		nums[i] = in.msisdns[i];
	q.msisdns = in.nmsisdns ? nums : NULL;
	q.nmsisdns = in.nmsisdns;
	q.text = in.text;
	q.template = in.template;
	q.at = in.at_local ? admin_local_ms(in.at) : in.at;
	q.dry_run = in.dry_run;
	if (in.vars && (vars = json_dumps(in.vars, JSON_COMPACT)) == NULL)
		fatalx("admin: out of memory");
	q.vars_json = vars;
	rc = broadcast_create(r->of, &q, &info, err, sizeof(err));
	free(vars);
	if (rc == -1)
		return admin_error(r, 400, err);
	if (rc != 0)
		return admin_fail(r);
	snprintf(r->summary, sizeof(r->summary), "broadcast %lld: %lld "
	    "recipients%s", (long long)info.id, (long long)info.recipients,
	    q.dry_run ? " (dry run)" : "");
	return admin_reply(r, q.dry_run ? 200 : 201, admin_broadcast_json(&info));
}

static int
admin_broadcast_one(struct admin_req *r,
    int (*op)(struct office *, int64_t, struct broadcast_info *))
{
	struct broadcast_info	info;
	int64_t			id = admin_broadcast_id(r->args[0]);
	int			rc = id ? op(r->of, id, &info) : 0;

	if (rc == 0)
		return admin_error(r, 404, "no such broadcast");
	if (rc == -1)
		return admin_fail(r);
	return admin_reply(r, 200, admin_broadcast_json(&info));
}

int
admin_broadcast_get(struct admin_req *r)
{
	return admin_broadcast_one(r, broadcast_get);
}

int
admin_broadcast_cancel(struct admin_req *r)
{
	return admin_broadcast_one(r, broadcast_cancel);
}

static void
admin_broadcast_item(const struct broadcast_info *b, void *arg)
{
	json_array_append_new(arg, admin_broadcast_json(b));
}

int
admin_broadcast_list(struct admin_req *r)
{
	json_t	*a = json_array();

	if (broadcast_list(r->of, ADMIN_LIST_DEFAULT, admin_broadcast_item,
	    a) == -1) {
		json_decref(a);
		return admin_fail(r);
	}
	return admin_reply(r, 200, a);
}
