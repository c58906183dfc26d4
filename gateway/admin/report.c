/*
 * GET /report?from=YYYY-MM-DD&to=YYYY-MM-DD: the supervision report for
 * those days (default: this month so far), as the office fills it
 * (gateway/office/report.c says what each figure means), in JSON.
 */
#include <stdlib.h>
#include <string.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#include "calendar.h"
#include "log.h"
#include "office/office.h"
#include "admin/admin_int.h"

static int
admin_report_range(struct admin_req *r, struct evkeyvalq *q, int64_t now,
    struct cal_date *from, struct cal_date *to)
{
	const char	*v;

	*to = office_local_date(now);
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

/* Named counts as an object, in their order; a key that is not UTF-8
 * (a stray byte in the store) is left out, as JSON cannot say it. */
static json_t *
admin_counts(const struct report_counts *rc)
{
	json_t	*o = json_object(), *k;
	int	 i;

	for (i = 0; i < rc->n; i++) {
		if ((k = json_string(rc->c[i].key)) == NULL)
			continue;
		json_decref(k);
		admin_set(o, rc->c[i].key, json_integer(rc->c[i].n));
	}
	return o;
}

static json_t *
admin_ratings(const struct office_report *o)
{
	json_t	*j = json_pack("{s:I, s:I, s:o}", "asked",
	    (json_int_t)o->ratings.asked, "count", (json_int_t)o->ratings.count,
	    "average", o->ratings.average < 0 ? json_null() :
	    json_real(o->ratings.average));
	char	 key[2] = "0";
	int	 v;

	for (v = 1; v <= 5; v++) {
		key[0] = (char)('0' + v);
		admin_set(j, key, json_integer(o->ratings.score[v]));
	}
	return j;
}

/* The report's sections after the cases received, in the order shown. */
static json_t *
admin_report_json(const struct office_report *o)
{
	char	a[11], b[11];

	cal_iso(o->from, a);
	cal_iso(o->to, b);
	return json_pack("{s:s, s:s, s:I, s:I, s:o, s:o, s:o, s:o,"
	    " s:{s:I, s:I, s:I, s:I}, s:{s:I, s:I, s:I},"
	    " s:{s:I, s:I, s:I, s:I}, s:o, s:{s:I, s:I}, s:o, s:{s:I}}",
	    "from", a, "to", b, "total", (json_int_t)o->total,
	    "feedback", (json_int_t)o->feedback,
	    "by_status", admin_counts(&o->by_status),
	    "by_timeliness", admin_counts(&o->by_timeliness),
	    "by_channel", admin_counts(&o->by_channel),
	    "by_procedure", admin_counts(&o->by_procedure),
	    "resolved", "total", (json_int_t)o->resolved.total,
	    "early", (json_int_t)o->resolved.early,
	    "on_time", (json_int_t)o->resolved.on_time,
	    "late", (json_int_t)o->resolved.late,
	    "open", "total", (json_int_t)o->open.total,
	    "within", (json_int_t)o->open.within,
	    "overdue", (json_int_t)o->open.overdue,
	    "messages", "received", (json_int_t)o->messages.received,
	    "sent", (json_int_t)o->messages.sent,
	    "delivered", (json_int_t)o->messages.delivered,
	    "failed", (json_int_t)o->messages.failed,
	    "sent_by_kind", admin_counts(&o->sent_by_kind),
	    "optouts", "in_period", (json_int_t)o->optouts.in_period,
	    "total", (json_int_t)o->optouts.total,
	    "ratings", admin_ratings(o),
	    "reminders", "sent", (json_int_t)o->reminders_sent);
}

int
admin_report(struct admin_req *r)
{
	static const char *const known[] = { "from", "to", NULL };
	struct office_report	*o;
	struct evkeyvalq	 q;
	struct cal_date		 from, to;
	int64_t			 now = r->now;
	json_t			*j;
	int			 rc;

	if (admin_query(r, &q, known) == NULL)
		return admin_bad(r);
	rc = admin_report_range(r, &q, now, &from, &to);
	evhttp_clear_headers(&q);
	if (rc == -1)
		return admin_bad(r);
	if ((o = malloc(sizeof(*o))) == NULL)
		fatal("malloc");
	if (office_report_fill(r->of, from, to, now, o) == -1) {
		free(o);
		return admin_fail(r);
	}
	j = admin_report_json(o);
	free(o);
	if (j == NULL)
		fatalx("report: out of memory");
	return admin_reply(r, 200, j);
}
