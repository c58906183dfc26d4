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
#include "msisdn.h"
#include "log.h"
#include "office/office.h"
#include "admin/admin_int.h"
#include "text.h"

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
	snprintf(r->summary, sizeof(r->summary), "case %s opened", c.code);
	return admin_reply(r, 201, admin_case_json(r, &c, 1));
}

/* The citizen's rating: {"score", "at"} or null. */
static json_t *
admin_case_rating(struct admin_req *r, const struct case_rec *c)
{
	int64_t	at = 0;

	if (c->rating < 1 || c->rating > 5)
		return json_null();
	if (office_case_rated_at(r->of, c->id, &at) == -1)
		return NULL;
	return json_pack("{s:i, s:o}", "score", c->rating, "at", at ?
	    admin_jtime(at) : json_null());
}

/* GET /cases/{code}[?messages=1]: with its number's latest messages and
 * the rating as an object. */
int
admin_case_get(struct admin_req *r)
{
	static const char *const known[] = { "messages", NULL };
	struct evkeyvalq q;
	struct case_rec	c;
	const char	*v;
	json_t		*o, *m, *rt;
	int		 rc, msgs;

	if (admin_query(r, &q, known) == NULL)
		return admin_bad(r);
	v = evhttp_find_header(&q, "messages");
	msgs = v && strcmp(v, "0") != 0;
	evhttp_clear_headers(&q);
	if ((rc = office_case_find(r->of, r->args[0], &c)) == -1)
		return admin_fail(r);
	if (rc == 0)
		return admin_error(r, 404, "no such case");
	if ((o = admin_case_json(r, &c, 1)) == NULL || !msgs)
		return admin_reply(r, 200, o);
	m = c.msisdn[0] ? admin_messages_json(r, c.msisdn) : json_array();
	rt = admin_case_rating(r, &c);
	if (m == NULL || rt == NULL) {
		json_decref(m);
		json_decref(rt);
		json_decref(o);
		return admin_fail(r);
	}
	admin_set(o, "messages", m);
	admin_set(o, "rating", rt);
	return admin_reply(r, 200, o);
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
	snprintf(r->summary, sizeof(r->summary), "case %s: %s", c.code,
	    in.status->name);
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

/*
 * A search reads at most ADMIN_WALK_BUDGET cases a request, newest first
 * from its cursor, and checks the filters on each: a page costs a few
 * milliseconds whatever the filters, and one that found fewer than its
 * limit still says where to go on ("next"), so the loop is never held.
 */
#define ADMIN_WALK_BUDGET	2000

struct admin_search {
	struct admin_req	*r;
	int			 status;
	const char		*kind, *procedure, *channel, *timeliness;
	char			 name[256];	/* folded; "" any */
	char			 msisdn[MSISDN_MAX];	/* "" any */
	struct case_key		 after;
	int			 limit, n;
	json_t			*a;
};

static int
admin_search_fits(struct admin_search *f, const struct case_rec *c)
{
	const char	*tl;
	char		 name[512];

	if ((f->status && c->status != f->status) ||
	    (f->kind && strcmp(c->kind, f->kind) != 0) ||
	    (f->procedure && strcmp(c->procedure, f->procedure) != 0) ||
	    (f->channel && strcmp(c->channel, f->channel) != 0))
		return 0;
	if (f->timeliness && ((tl = office_case_timeliness(c, f->r->now)) ==
	    NULL || strcmp(tl, f->timeliness) != 0))
		return 0;
	if (f->name[0] == '\0')
		return 1;
	text_fold(c->name, name, sizeof(name));
	return strstr(name, f->name) != NULL;
}

static int
admin_search_one(const struct case_rec *c, void *arg)
{
	struct admin_search	*f = arg;

	if (!admin_search_fits(f, c))
		return 0;
	json_array_append_new(f->a, admin_case_json(f->r, c, 0));
	return ++f->n == f->limit;
}


/* The cursor "next" gave: "AT-ID" (received_at, id). */
static int
admin_search_after(struct admin_req *r, const char *v, struct case_key *k)
{
	char	*end;

	memset(k, 0, sizeof(*k));
	if (v == NULL)
		return 0;
	k->at = strtoll(v, &end, 10);
	if (end == v || *end != '-')
		return admin_why(r, "after: the \"next\" of the page before");
	v = end + 1;
	k->id = strtoll(v, &end, 10);
	if (end == v || *end != '\0' || k->at <= 0 || k->id <= 0)
		return admin_why(r, "after: the \"next\" of the page before");
	return 0;
}

/* key's value, when given, must be one of ok (a NULL-ended list, also
 * written out in words for the clerk). */
static int
admin_search_one_of(struct admin_req *r, struct evkeyvalq *q, const char *key,
    const char *const *ok, const char *words, const char **out)
{
	const char	*v = evhttp_find_header(q, key);
	size_t		 i;

	*out = NULL;
	if (v == NULL || *v == '\0')
		return 0;
	for (i = 0; ok[i] && strcmp(ok[i], v) != 0; i++)
		;
	if (ok[i] == NULL)
		return admin_why(r, "%s: %s", key, words);
	*out = v;
	return 0;
}

static int
admin_search_filter(struct admin_req *r, struct evkeyvalq *q,
    struct admin_search *f)
{
	static const char *const kinds[] = { "case", "feedback", NULL };
	static const char *const channels[] = { "sms", "ussd", "counter",
	    "import", NULL };
	static const char *const tls[] = { "within", "overdue", "early",
	    "on_time", "late", NULL };
	const struct case_status *st;
	const char	*v;

	if ((v = evhttp_find_header(q, "status")) != NULL && *v) {
		if (admin_body_status(v, &st, r->why, sizeof(r->why)) == -1)
			return -1;
		f->status = st->code;
	}
	if ((v = evhttp_find_header(q, "procedure")) != NULL && *v) {
		if (strlen(v) > ADMIN_PROC_MAX)
			return admin_why(r, "procedure: a procedure's code");
		f->procedure = v;
	}
	if (admin_search_one_of(r, q, "kind", kinds, "case or feedback",
	    &f->kind) == -1 || admin_search_one_of(r, q, "channel", channels,
	    "sms, ussd, counter or import", &f->channel) == -1 ||
	    admin_search_one_of(r, q, "timeliness", tls, "within, overdue, "
	    "early, on_time or late", &f->timeliness) == -1)
		return -1;
	return admin_list_limit(r, evhttp_find_header(q, "limit"),
	    &f->limit) == -1 || admin_search_after(r, evhttp_find_header(q,
	    "after"), &f->after) == -1 ? -1 : 0;
}

/*
 * What q is: a case code (answered at once, from the unique index), a
 * phone number (walks that number's cases), else part of a name, folded
 * as keywords are (no case, no diacritics). 1 when it was a code.
 */
static int
admin_search_q(struct admin_search *f, const char *q, struct case_rec *c)
{
	const struct config	*cfg = office_config(f->r->of);
	int			 rc;

	if (q == NULL || *q == '\0')
		return 0;
	if ((rc = office_case_find(f->r->of, q, c)) != 0)
		return rc;
	if (strspn(q, "+0123456789 .-()") == strlen(q) &&
	    msisdn_normalize(q, cfg->country_code, f->msisdn,
	    sizeof(f->msisdn), NULL) > 0)
		return 0;
	f->msisdn[0] = '\0';
	if (text_fold(q, f->name, sizeof(f->name)) == -1 || f->name[0] == '\0')
		return admin_why(f->r, "q: too long, or nothing to look for");
	return 0;
}

static json_t *
admin_search_answer(struct admin_search *f, int read,
    const struct case_key *last)
{
	char	next[48];

	if (f->n < f->limit && read < ADMIN_WALK_BUDGET)
		return json_pack("{s:o, s:n}", "cases", f->a, "next");
	snprintf(next, sizeof(next), "%lld-%lld", (long long)last->at,
	    (long long)last->id);
	return json_pack("{s:o, s:s}", "cases", f->a, "next", next);
}

static int
admin_search_run(struct admin_search *f, const char *q)
{
	struct case_rec	 c;
	struct case_key	 last = f->after;
	int		 rc, read = 0;

	if ((rc = admin_search_q(f, q, &c)) == -1 && f->r->why[0])
		return admin_bad(f->r);
	if (rc == -1)
		return admin_fail(f->r);
	f->a = json_array();
	if (rc == 1) {
		if (f->after.id == 0 && admin_search_fits(f, &c))
			json_array_append_new(f->a, admin_case_json(f->r, &c, 0));
		return admin_reply(f->r, 200, json_pack("{s:o, s:n}", "cases",
		    f->a, "next"));
	}
	if ((read = office_case_walk(f->r->of, &f->after, f->msisdn[0] ?
	    f->msisdn : NULL, ADMIN_WALK_BUDGET, admin_search_one, f,
	    &last)) == -1) {
		json_decref(f->a);
		return admin_fail(f->r);
	}
	return admin_reply(f->r, 200, admin_search_answer(f, read, &last));
}

/*
 * GET /cases?q=&status=&kind=&procedure=&channel=&timeliness=&after=&limit=
 * newest first: {"cases": [...], "next": cursor | null}.
 */
int
admin_case_list(struct admin_req *r)
{
	static const char *const known[] = { "q", "status", "kind",
	    "procedure", "channel", "timeliness", "after", "limit", NULL };
	struct evkeyvalq	 q;
	struct admin_search	 f;
	int			 rc;

	if (admin_query(r, &q, known) == NULL)
		return admin_bad(r);
	memset(&f, 0, sizeof(f));
	f.r = r;
	r->why[0] = '\0';
	if (admin_search_filter(r, &q, &f) == -1)
		rc = admin_bad(r);
	else
		rc = admin_search_run(&f, evhttp_find_header(&q, "q"));
	evhttp_clear_headers(&q);	/* f's strings point into q */
	return rc;
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
