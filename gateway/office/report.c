/*
 * The supervision report for the days [from, to], filled into struct
 * office_report (admin/report.c formats it; the console will too):
 *
 *   received   cases received in the period by status, timeliness,
 *              channel and procedure; feedback counted apart
 *   resolved   cases that first became ready in the period: early, on
 *              time or late against their due date
 *   open       cases received before the period ended and not ready by
 *              then (rejected, withdrawn and suspended ones apart):
 *              within time or overdue on the period's last day (today,
 *              for a period not over yet)
 *   messages   SMS received from phones; SMS sent (accepted by the SMSC),
 *              delivered (of those, a delivery receipt said so) and
 *              failed in the period; USSD screens are not SMS
 *   sent_by_kind  the sent SMS by kind: reply, notify, broadcast,
 *              reminder, rating
 *   optouts    numbers whose last word in the period was TUCHOI; all
 *              numbers opted out now
 *   ratings    questions asked, answers recorded, their average, and
 *              the count for each score
 *   reminders  reminders sent
 *
 * The store counts (store/report.c); this file says what the counts mean.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "casestatus.h"
#include "procedures.h"
#include "store/cases.h"
#include "store/report.h"
#include "store/store.h"
#include "office/office.h"

#define DAY_MS	(24 * 3600 * (int64_t)1000)

struct report {
	struct office_report	*o;
	struct cal_date		 last_day;	/* open cases: within or overdue */
	int64_t			 now;
};

/* Adds n to key's count, appending the key the first time it is seen. */
static void
report_add_to(struct report_counts *rc, const char *key, int64_t n)
{
	int	i;

	for (i = 0; i < rc->n; i++)
		if (strcmp(rc->c[i].key, key) == 0) {
			rc->c[i].n += n;
			return;
		}
	if (rc->n == REPORT_KEYS || strlen(key) >= sizeof(rc->c[0].key))
		return;		/* a row no table shows: not a figure */
	snprintf(rc->c[rc->n].key, sizeof(rc->c[0].key), "%s", key);
	rc->c[rc->n++].n = n;
}

/* Local midnight at the start of day d, in unix ms. */
int64_t
office_day_ms(struct cal_date d)
{
	struct tm	tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = d.y - 1900;
	tm.tm_mon = d.m - 1;
	tm.tm_mday = d.d;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm) * 1000;
}

/* A case received in the period, or feedback. */
static void
report_received_one(const struct case_rec *c, void *arg)
{
	struct report		*rp = arg;
	struct office_report	*o = rp->o;
	const char		*tl;

	if (strcmp(c->kind, "case") != 0) {
		o->feedback++;
		return;
	}
	o->total++;
	report_add_to(&o->by_status, case_status_name(c->status), 1);
	if ((tl = office_case_timeliness(c, rp->now)) != NULL)
		report_add_to(&o->by_timeliness, tl, 1);
	report_add_to(&o->by_channel, c->channel, 1);
	report_add_to(&o->by_procedure, c->procedure, 1);
}

/* A case ready in the period: early, on time or late. */
static void
report_resolved_one(const char *due_s, int64_t fin_ms, void *arg)
{
	struct report	*rp = arg;
	struct cal_date	 due, fin = case_local_date(fin_ms);

	if (cal_parse(due_s, &due) != 0)
		return;
	rp->o->resolved.total++;
	switch (cal_timeliness(due, &fin, fin)) {
	case CAL_EARLY: rp->o->resolved.early++; break;
	case CAL_LATE: rp->o->resolved.late++; break;
	default: rp->o->resolved.on_time++; break;
	}
}

/* A case open at the period's end: within time or overdue then. */
static void
report_open_one(const char *due_s, void *arg)
{
	struct report	*rp = arg;
	struct cal_date	 due;

	if (cal_parse(due_s, &due) != 0)
		return;
	rp->o->open.total++;
	if (cal_timeliness(due, NULL, rp->last_day) == CAL_OVERDUE)
		rp->o->open.overdue++;
	else
		rp->o->open.within++;
}

static void
report_kind(const char *kind, int64_t n, void *arg)
{
	struct report	*rp = arg;

	report_add_to(&rp->o->sent_by_kind, kind, n);
}

/* Every status, timeliness, channel, procedure and kind, at 0, in the
 * order a report shows them. */
static void
report_init(struct office *of, struct office_report *o)
{
	static const char *const tl[] = { "within", "overdue", "early",
	    "on_time", "late" };
	static const char *const ch[] = { "sms", "ussd", "counter", "import" };
	static const char *const kinds[] = { "reply", "notify", "broadcast",
	    "reminder", "rating" };
	const struct procedures	*ps = replies_procedures(of->replies);
	size_t			 i;

	for (i = CASE_RECEIVED; i <= CASE_RETURNED; i++)
		report_add_to(&o->by_status, case_status_name((int)i), 0);
	for (i = 0; i < sizeof(tl) / sizeof(tl[0]); i++)
		report_add_to(&o->by_timeliness, tl[i], 0);
	for (i = 0; i < sizeof(ch) / sizeof(ch[0]); i++)
		report_add_to(&o->by_channel, ch[i], 0);
	for (i = 0; i < (size_t)ps->n; i++)
		report_add_to(&o->by_procedure, ps->p[i].code, 0);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		report_add_to(&o->sent_by_kind, kinds[i], 0);
}

/* The store's own counts, and the ratings' average (-1: none). */
static void
report_figures(struct office_report *o, const struct store_report *sr)
{
	int64_t	n = 0, sum = 0;
	int	v;

	o->messages.received = sr->received;
	o->messages.sent = sr->sent;
	o->messages.delivered = sr->delivered;
	o->messages.failed = sr->failed;
	o->optouts.in_period = sr->optouts_in_period;
	o->optouts.total = sr->optouts_total;
	o->ratings.asked = sr->ratings_asked;
	o->reminders_sent = sr->reminders_sent;
	for (v = 1; v <= 5; v++) {
		o->ratings.score[v] = sr->rated[v];
		n += sr->rated[v];
		sum += sr->rated[v] * v;
	}
	o->ratings.count = n;
	o->ratings.average = n ? round(100.0 * (double)sum / (double)n) /
	    100.0 : -1;
}

/*
 * Fills o for the days [from, to] as known at now; -1 when the store
 * fails (logged there).
 */
int
office_report_fill(struct office *of, struct cal_date from,
    struct cal_date to, int64_t now, struct office_report *o)
{
	struct report		 rp = { o, to, now };
	struct store_report	 sr;
	struct store_report_cb	 cb = { report_resolved_one, report_open_one,
				    report_kind, &rp };
	struct case_filter	 f;
	struct cal_date		 today = case_local_date(now);

	memset(o, 0, sizeof(*o));
	o->from = from;
	o->to = to;
	if (cal_days(today) < cal_days(to))
		rp.last_day = today;
	report_init(of, o);
	memset(&f, 0, sizeof(f));
	f.since = office_day_ms(from);
	f.until = office_day_ms(to) + DAY_MS;
	if (case_list(of->cases, &f, report_received_one, &rp) == -1)
		return -1;
	memset(&sr, 0, sizeof(sr));
	if (store_report_count(of->store, f.since, f.until, &sr, &cb) == -1)
		return -1;
	report_figures(o, &sr);
	return 0;
}
