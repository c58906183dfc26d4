/*
 * The cases resource: GET /cases, POST /cases, GET /cases/due,
 * GET/PATCH /cases/{code}. Opening a case and changing its status are the
 * office's (gateway/office/cases.c); this file reads the request and
 * writes the answer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#include "admin_body.h"
#include "calendar.h"
#include "log.h"
#include "office/office.h"
#include "admin/admin_int.h"

static void
admin_history_one(const struct case_change *h, void *arg)
{
	json_array_append_new(arg, json_pack("{s:o, s:s, s:o, s:o}",
	    "at", admin_jtime(h->at), "status", case_status_name(h->status),
	    "note", admin_jstr(h->note), "actor", admin_jstr(h->actor)));
}

json_t *
admin_case_json(struct admin_req *r, const struct case_rec *c, int history)
{
	const char	*tl = office_case_timeliness(c, r->now);
	json_t		*o = json_object(), *h;

	admin_set(o, "code", admin_jstr(c->code));
	admin_set(o, "kind", admin_jstr(c->kind));
	admin_set(o, "procedure", admin_jstr(c->procedure));
	admin_set(o, "msisdn", admin_jstr(c->msisdn));
	admin_set(o, "name", admin_jstr(c->name));
	admin_set(o, "request", admin_jstr(c->request));
	admin_set(o, "status", json_string(case_status_name(c->status)));
	admin_set(o, "channel", admin_jstr(c->channel));
	admin_set(o, "received_at", admin_jtime(c->received_at));
	admin_set(o, "due", c->due[0] ? admin_jstr(c->due) : json_null());
	admin_set(o, "finished_at", admin_jtime(c->finished_at));
	admin_set(o, "timeliness", tl ? json_string(tl) : json_null());
	admin_set(o, "rating", c->rating >= 1 && c->rating <= 5 ?
	    json_integer(c->rating) : json_null());
	if (history) {
		h = json_array();
		if (office_case_history(r->of, c->id, admin_history_one,
		    h) == -1) {
			json_decref(h);
			json_decref(o);
			return NULL;
		}
		admin_set(o, "history", h);
	}
	return o;
}

/* Opens the case (gateway/office/cases.c): 1 created, 0 code exists,
 * -1 error. */
static int
admin_case_write(struct admin_req *r, const struct admin_case_new *in,
    struct case_rec *c)
{
	struct office_case_new	nc;

	memset(&nc, 0, sizeof(nc));
	nc.code = in->code;
	nc.kind = "case";
	nc.proc = in->proc;
	nc.msisdn = in->msisdn;
	nc.name = in->name;
	nc.channel = in->code ? "import" : "counter";
	nc.status = in->status ? in->status->code : CASE_RECEIVED;
	nc.due = in->due;
	nc.notify = in->notify;
	switch (office_case_open(r->of, &nc, r->now, c)) {
	case OFFICE_CASE_OK:
		return 1;
	case OFFICE_CASE_EXISTS:
		return 0;
	default:
		return -1;
	}
}

int
admin_case_create(struct admin_req *r)
{
	struct admin_body_ctx	ctx;
	struct admin_case_new	in;
	struct case_rec		c;
	int			rc;

	if (admin_body_case_new(r->body, admin_ctx(r, &ctx), &in, r->why,
	    sizeof(r->why)) == -1)
		return admin_bad(r);
	if (admin_begin(r) == -1)
		return admin_fail(r);
	rc = admin_case_write(r, &in, &c);
	if (admin_end(r, rc == 1) == -1)
		return rc == 0 ? admin_error(r, 409, "a case with this code "
		    "exists") : admin_fail(r);
	log_info("admin case=%s action=create channel=%s status=%s notify=%d",
	    c.code, c.channel, case_status_name(c.status), in.notify);
	return admin_reply(r, 201, admin_case_json(r, &c, 1));
}

int
admin_case_get(struct admin_req *r)
{
	struct case_rec	c;
	int		rc;

	if ((rc = office_case_find(r->of, r->args[0], &c)) == -1)
		return admin_fail(r);
	if (rc == 0)
		return admin_error(r, 404, "no such case");
	return admin_reply(r, 200, admin_case_json(r, &c, 1));
}

int
admin_case_patch(struct admin_req *r)
{
	struct admin_case_patch		in;
	struct office_case_change	ch;
	struct case_rec			c;
	int				rc, ok;

	if (admin_body_case_patch(r->body, &in, r->why, sizeof(r->why)) == -1)
		return admin_bad(r);
	if ((rc = office_case_find(r->of, r->args[0], &c)) != 1)
		return rc == 0 ? admin_error(r, 404, "no such case") :
		    admin_fail(r);
	if (admin_begin(r) == -1)
		return admin_fail(r);
	ch.status = in.status->code;
	ch.due = in.due;
	ch.note = in.note;
	ch.actor = r->actor;
	ok = office_case_set_status(r->of, &c, &ch, r->now) ==
	    OFFICE_CASE_OK;
	if (admin_end(r, ok) == -1)
		return admin_fail(r);
	log_info("admin case=%s action=status status=%s actor=\"%s\"", c.code,
	    in.status->name, r->actor);
	return admin_reply(r, 200, admin_case_json(r, &c, 1));
}

struct admin_list {
	struct admin_req	*r;
	json_t			*a;
};

static void
admin_list_one(const struct case_rec *c, void *arg)
{
	struct admin_list	*l = arg;

	json_array_append_new(l->a, admin_case_json(l->r, c, 0));
}

static int
admin_list_filter(struct admin_req *r, struct evkeyvalq *q,
    struct case_filter *f)
{
	const struct case_status *st;
	const char	*v;
	char		*end;
	long		 n;

	memset(f, 0, sizeof(*f));
	f->limit = ADMIN_LIST_DEFAULT;
	if ((v = evhttp_find_header(q, "status")) != NULL) {
		if (admin_body_status(v, &st, r->why, sizeof(r->why)) == -1)
			return -1;
		f->status = st->code;
	}
	if ((v = evhttp_find_header(q, "kind")) != NULL) {
		if (strcmp(v, "case") != 0 && strcmp(v, "feedback") != 0)
			return admin_why(r, "kind: case or feedback");
		f->kind = v;
	}
	if ((v = evhttp_find_header(q, "limit")) != NULL) {
		n = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || n < 1 || n > ADMIN_LIST_MAX)
			return admin_why(r, "limit: a number from 1 to %d",
			    ADMIN_LIST_MAX);
		f->limit = (int)n;
	}
	return 0;
}

/* GET /cases?status=NAME&kind=case|feedback&limit=N: newest first. */
int
admin_case_list(struct admin_req *r)
{
	static const char *const known[] = { "status", "kind", "limit", NULL };
	struct evkeyvalq	 q;
	struct case_filter	 f;
	struct admin_list	 l = { r, NULL };
	int			 rc;

	if (admin_query(r, &q, known) == NULL)
		return admin_bad(r);
	if (admin_list_filter(r, &q, &f) == -1) {
		evhttp_clear_headers(&q);
		return admin_bad(r);
	}
	l.a = json_array();
	rc = office_case_list(r->of, &f, admin_list_one, &l);
	evhttp_clear_headers(&q);	/* f.kind points into q */
	if (rc == -1) {
		json_decref(l.a);
		return admin_fail(r);
	}
	return admin_reply(r, 200, l.a);
}

/*
 * GET /cases/due[?date=YYYY-MM-DD]: open cases due tomorrow (through the
 * next working day), or on date: for staff to chase; nobody is texted.
 */
int
admin_case_due(struct admin_req *r)
{
	static const char *const known[] = { "date", NULL };
	struct evkeyvalq	 q;
	struct admin_list	 l = { r, NULL };
	const char		*date;
	int			 rc;

	if (admin_query(r, &q, known) == NULL)
		return admin_bad(r);
	date = evhttp_find_header(&q, "date");
	if (admin_body_date("date", date, r->why, sizeof(r->why)) == -1) {
		evhttp_clear_headers(&q);
		return admin_bad(r);
	}
	l.a = json_array();
	rc = reminders_due_each(r->of, r->now, date, admin_list_one,
	    &l);
	evhttp_clear_headers(&q);	/* date points into q */
	if (rc == -1) {
		json_decref(l.a);
		return admin_fail(r);
	}
	return admin_reply(r, 200, l.a);
}
