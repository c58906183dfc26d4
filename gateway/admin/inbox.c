/*
 * The inbox: citizens' texts that no rule answered, and feedback, one
 * thread per number (gateway/store/console.c keeps them). GET /inbox
 * pages the threads newest first; GET /inbox/{number} is the
 * conversation; POST /inbox/{number}/reply texts the citizen (queued in
 * the request's transaction, like POST /messages); POST
 * /inbox/{number}/done closes the thread until the citizen writes again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#include "admin_body.h"
#include "log.h"
#include "msisdn.h"
#include "office/office.h"
#include "admin/admin_int.h"

struct admin_threads {
	json_t			*a;
	int			 n;
	struct inbox_key	 last;
	int			 done;		/* inbox_get: the thread's */
};

static void
admin_thread_one(const struct inbox_thread *t, void *arg)
{
	struct admin_threads	*l = arg;

	l->n++;
	l->last.last_in_id = t->last_in_id;
	l->done = t->done;
	if (l->a == NULL)
		return;
	json_array_append_new(l->a, json_pack("{s:o, s:o, s:o, s:i, s:s, s:b, "
	    "s:o}", "msisdn", admin_jstr(t->msisdn), "last_at",
	    admin_jtime(t->last_at), "last_text", admin_jstr(t->last_text),
	    "count", t->count, "kind", t->kind, "done", t->done, "done_by",
	    t->done ? admin_jstr(t->done_by) : json_null()));
}

/* The cursor "next" gave: the last thread's newest text's id. */
static int
admin_inbox_after(struct admin_req *r, const char *v, struct inbox_key *k)
{
	char	*end;

	memset(k, 0, sizeof(*k));
	if (v == NULL)
		return 0;
	k->last_in_id = strtoll(v, &end, 10);
	if (end == v || *end != '\0' || k->last_in_id <= 0)
		return admin_why(r, "after: the \"next\" of the page before");
	return 0;
}


static json_t *
admin_inbox_page(struct admin_threads *l, int limit)
{
	char	next[32];

	if (l->n < limit)
		return json_pack("{s:o, s:n}", "threads", l->a, "next");
	snprintf(next, sizeof(next), "%lld", (long long)l->last.last_in_id);
	return json_pack("{s:o, s:s}", "threads", l->a, "next", next);
}

/* GET /inbox?after=&limit=: {"threads": [...], "next": cursor | null}. */
int
admin_inbox_list(struct admin_req *r)
{
	static const char *const known[] = { "after", "limit", NULL };
	struct evkeyvalq	 q;
	struct admin_threads	 l;
	struct inbox_key	 k;
	int			 limit, rc;

	if (admin_query(r, &q, known) == NULL)
		return admin_bad(r);
	rc = admin_inbox_after(r, evhttp_find_header(&q, "after"), &k) == -1 ||
	    admin_list_limit(r, evhttp_find_header(&q, "limit"), &limit) == -1;
	evhttp_clear_headers(&q);
	if (rc)
		return admin_bad(r);
	memset(&l, 0, sizeof(l));
	l.a = json_array();
	if (office_inbox_page(r->of, &k, 0, limit, admin_thread_one, &l) == -1) {
		json_decref(l.a);
		return admin_fail(r);
	}
	return admin_reply(r, 200, admin_inbox_page(&l, limit));
}

/* The path's number, in its canonical form; -1 answered 400. */
static int
admin_inbox_number(struct admin_req *r, char *out, size_t cap)
{
	const char	*err = NULL;

	if (msisdn_normalize(r->args[0], office_config(r->of)->country_code,
	    out, cap, &err) <= 0)
		return admin_why(r, "the number: %s", err ? err : "not a "
		    "phone number");
	return 0;
}

/* The thread: 1 found (done in l), 0 none, -1 error. */
static int
admin_inbox_find(struct admin_req *r, const char *msisdn,
    struct admin_threads *l)
{
	memset(l, 0, sizeof(*l));
	if (office_inbox_get(r->of, msisdn, admin_thread_one, l) == -1)
		return -1;
	return l->n > 0;
}

/* GET /inbox/{number}: {"msisdn", "messages": [...], "done"}. */
int
admin_inbox_get(struct admin_req *r)
{
	struct admin_threads	 l;
	char			 msisdn[MSISDN_MAX];
	json_t			*m;
	int			 rc;

	if (admin_inbox_number(r, msisdn, sizeof(msisdn)) == -1)
		return admin_bad(r);
	if ((rc = admin_inbox_find(r, msisdn, &l)) != 1)
		return rc == 0 ? admin_error(r, 404, "no inbox thread for this "
		    "number") : admin_fail(r);
	if ((m = admin_messages_json(r, msisdn)) == NULL)
		return admin_fail(r);
	return admin_reply(r, 200, json_pack("{s:s, s:o, s:b}", "msisdn",
	    msisdn, "messages", m, "done", l.done));
}

/* The reply's text: {"text": "..."}, not empty; -1 with r->why. */
static int
admin_inbox_text(struct admin_req *r, const char **text)
{
	const char	*k;
	json_t		*v;

	json_object_foreach(r->body, k, v)
		if (strcmp(k, "text") != 0)
			return admin_why(r, "unknown field \"%s\"", k);
	v = json_object_get(r->body, "text");
	if (!json_is_string(v) || json_string_length(v) == 0)
		return admin_why(r, "\"text\" is required: the reply to send");
	if (json_string_length(v) > ADMIN_TEXT_MAX)
		return admin_why(r, "\"text\": at most %d bytes", ADMIN_TEXT_MAX);
	*text = json_string_value(v);
	return 0;
}

/* POST /inbox/{number}/reply {"text"}: 201 {"id"}. */
int
admin_inbox_reply(struct admin_req *r)
{
	char		 msisdn[MSISDN_MAX];
	const char	*text = NULL;
	int64_t		 id;

	if (admin_inbox_number(r, msisdn, sizeof(msisdn)) == -1 ||
	    admin_inbox_text(r, &text) == -1)
		return admin_bad(r);
	if (admin_begin(r) == -1)
		return admin_fail(r);
	id = office_send(r->of, msisdn, text);
	if (admin_end(r, id > 0) == -1)
		return admin_fail(r);
	log_info("admin msisdn=%s out=%lld action=inbox_reply actor=\"%s\"",
	    msisdn, (long long)id, r->actor);
	return admin_reply(r, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

/* POST /inbox/{number}/done: 200 {"msisdn", "done": true}. */
int
admin_inbox_done(struct admin_req *r)
{
	char	msisdn[MSISDN_MAX];
	int	rc;

	if (admin_inbox_number(r, msisdn, sizeof(msisdn)) == -1)
		return admin_bad(r);
	if (admin_begin(r) == -1)
		return admin_fail(r);
	rc = office_inbox_done(r->of, msisdn, r->now, r->actor);
	if (admin_end(r, rc == 1) == -1)
		return rc == 0 ? admin_error(r, 404, "no inbox thread for this "
		    "number") : admin_fail(r);
	log_info("admin msisdn=%s action=inbox_done actor=\"%s\"", msisdn,
	    r->actor);
	return admin_reply(r, 200, json_pack("{s:s, s:b}", "msisdn", msisdn,
	    "done", 1));
}
