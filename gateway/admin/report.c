/*
 * GET /report: the cases received in a period counted here, the rest of
 * a supervision report added by the office (gateway/office/report.c).
 */
#include <string.h>
#include <time.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#include "calendar.h"
#include "clock.h"
#include "office/office.h"
#include "admin/admin_int.h"
#include "procedures.h"

struct admin_tally {
	struct admin_req	*r;
	json_t			*status, *timeliness, *channel, *procedure;
	int			 total, feedback;
};

static void
admin_count(json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	admin_set(o, key, json_integer(v ? json_integer_value(v) + 1 : 1));
}

static void
admin_tally_one(const struct case_rec *c, void *arg)
{
	struct admin_tally	*t = arg;
	const char		*tl;

	if (strcmp(c->kind, "case") != 0) {
		t->feedback++;
		return;
	}
	t->total++;
	admin_count(t->status, case_status_name(c->status));
	if ((tl = admin_timeliness(c)) != NULL)
		admin_count(t->timeliness, tl);
	if (admin_utf8_ok(c->channel))
		admin_count(t->channel, c->channel);
	if (admin_utf8_ok(c->procedure))
		admin_count(t->procedure, c->procedure);
}

/* Local midnight at the start of day d, in unix ms. */
static int64_t
admin_day_ms(struct cal_date d)
{
	struct tm	tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = d.y - 1900;
	tm.tm_mon = d.m - 1;
	tm.tm_mday = d.d;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm) * 1000;
}

static int
admin_report_range(struct admin_req *r, struct evkeyvalq *q,
    struct cal_date *from, struct cal_date *to)
{
	const char	*v;

	*to = office_local_date(clock_wall_ms());
	*from = (struct cal_date){ to->y, to->m, 1 };
	if ((v = evhttp_find_header(q, "from")) != NULL &&
	    cal_parse(v, from) == -1)
		return admin_why(r, "from: a date YYYY-MM-DD");
	if ((v = evhttp_find_header(q, "to")) != NULL && cal_parse(v, to) == -1)
		return admin_why(r, "to: a date YYYY-MM-DD");
	if (cal_days(*to) < cal_days(*from))
		return admin_why(r, "to is before from");
	return 0;
}

/* Every status, timeliness, channel and procedure, at 0, in their order. */
static void
admin_tally_init(struct admin_req *r, struct admin_tally *t)
{
	static const char *const tl[] = { "within", "overdue", "early",
	    "on_time", "late" };
	static const char *const ch[] = { "sms", "ussd", "counter", "import" };
	const struct procedures	*ps = replies_procedures(office_replies(r->of));
	size_t			 i;

	t->status = json_object();
	t->timeliness = json_object();
	t->channel = json_object();
	t->procedure = json_object();
	for (i = CASE_RECEIVED; i <= CASE_RETURNED; i++)
		admin_set(t->status, case_status_name((int)i), json_integer(0));
	for (i = 0; i < sizeof(tl) / sizeof(tl[0]); i++)
		admin_set(t->timeliness, tl[i], json_integer(0));
	for (i = 0; i < sizeof(ch) / sizeof(ch[0]); i++)
		admin_set(t->channel, ch[i], json_integer(0));
	for (i = 0; i < (size_t)ps->n; i++)
		admin_set(t->procedure, ps->p[i].code, json_integer(0));
}

static void
admin_tally_free(struct admin_tally *t)
{
	json_decref(t->status);
	json_decref(t->timeliness);
	json_decref(t->channel);
	json_decref(t->procedure);
}

/*
 * GET /report?from=YYYY-MM-DD&to=YYYY-MM-DD: the cases received in those
 * days (default: this month so far) counted by status, timeliness,
 * channel and procedure; feedback counted apart. report_add adds what
 * happened in those days: cases resolved, cases still open at the end,
 * messages, opt-outs, ratings and reminders.
 */
int
admin_report(struct admin_req *r)
{
	static const char *const known[] = { "from", "to", NULL };
	struct admin_tally	 t = { r, NULL, NULL, NULL, NULL, 0, 0 };
	struct evkeyvalq	 q;
	struct case_filter	 f;
	struct cal_date		 from, to;
	char			 a[11], b[11];
	json_t			*o;
	int			 rc;

	if (admin_query(r, &q, known) == NULL)
		return admin_bad(r);
	rc = admin_report_range(r, &q, &from, &to);
	evhttp_clear_headers(&q);
	if (rc == -1)
		return admin_bad(r);
	memset(&f, 0, sizeof(f));
	f.since = admin_day_ms(from);
	f.until = admin_day_ms(to) + 24 * 3600 * 1000;
	admin_tally_init(r, &t);
	if (office_case_list(r->of, &f, admin_tally_one, &t) == -1) {
		admin_tally_free(&t);
		return admin_fail(r);
	}
	cal_iso(from, a);
	cal_iso(to, b);
	o = json_pack("{s:s, s:s, s:i, s:i, s:o, s:o, s:o, s:o}", "from", a,
	    "to", b, "total", t.total, "feedback", t.feedback, "by_status",
	    t.status, "by_timeliness", t.timeliness, "by_channel", t.channel,
	    "by_procedure", t.procedure);
	/* What a supervision report adds: gateway/office/report.c. */
	if (o == NULL || report_add(r->of, o, f.since, f.until, &to) == -1) {
		json_decref(o);
		return admin_fail(r);
	}
	return admin_reply(r, 200, o);
}
