/*
 * The supervision report's figures beyond the cases received (admin.c
 * counts those): what happened in the days [since, until) of the report.
 *
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

#include <jansson.h>

#include "calendar.h"
#include "store/cases.h"
#include "log.h"
#include "clock.h"
#include "store/report.h"
#include "store/store.h"
#include "office/office.h"

struct report {
	struct office	*of;
	json_t		*o;
	struct cal_date	 last_day;	/* for open cases: within or overdue */
};

/* Where each count of the store's goes in the report. */
struct report_figure {
	const char	*section, *key;
	size_t		 off;		/* into struct store_report */
};

#define FIG(f)	offsetof(struct store_report, f)

static const struct report_figure figures[] = {
	{ "messages", "received", FIG(received) },
	{ "messages", "sent", FIG(sent) },
	{ "messages", "delivered", FIG(delivered) },
	{ "messages", "failed", FIG(failed) },
	{ "optouts", "in_period", FIG(optouts_in_period) },
	{ "optouts", "total", FIG(optouts_total) },
	{ "ratings", "asked", FIG(ratings_asked) },
	{ "reminders", "sent", FIG(reminders_sent) },
};
#define NFIGURES	(sizeof(figures) / sizeof(figures[0]))

static const char *const sections[] = { "resolved", "open", "messages",
	"sent_by_kind", "optouts", "ratings", "reminders" };
static const char *const kinds[] = { "reply", "notify", "broadcast",
	"reminder", "rating" };

static void
report_set(json_t *o, const char *key, json_t *v)
{
	if (v == NULL || json_object_set_new(o, key, v) == -1)
		fatalx("report: out of memory");
}

static json_t *
report_section(struct report *rp, const char *name)
{
	return json_object_get(rp->o, name);
}

static void
report_count(struct report *rp, const char *section, const char *key,
    json_int_t add)
{
	json_t	*s = report_section(rp, section), *v = json_object_get(s, key);

	report_set(s, key, json_integer((v ? json_integer_value(v) : 0) + add));
}

/* A case ready in the period: early, on time or late. */
static void
report_resolved_one(const char *due_s, int64_t fin_ms, void *arg)
{
	struct report	*rp = arg;
	struct cal_date	 due, fin = case_local_date(fin_ms);

	if (cal_parse(due_s, &due) != 0)
		return;
	report_count(rp, "resolved", "total", 1);
	report_count(rp, "resolved", cal_timeliness_name(cal_timeliness(due,
	    &fin, fin)), 1);
}

/* A case open at the period's end: within time or overdue then. */
static void
report_open_one(const char *due_s, void *arg)
{
	struct report	*rp = arg;
	struct cal_date	 due;

	if (cal_parse(due_s, &due) != 0)
		return;
	report_count(rp, "open", "total", 1);
	report_count(rp, "open", cal_timeliness_name(cal_timeliness(due, NULL,
	    rp->last_day)), 1);
}

static void
report_kind(const char *kind, int64_t n, void *arg)
{
	report_count(arg, "sent_by_kind", kind, n);
}

/* The store's counts into their sections. */
static void
report_figures(struct report *rp, const struct store_report *sr)
{
	size_t	i;

	for (i = 0; i < NFIGURES; i++)
		report_count(rp, figures[i].section, figures[i].key,
		    *(const int64_t *)(const void *)((const char *)sr +
		    figures[i].off));
}

/* Ratings recorded in the period: how many, the average, each score. */
static void
report_ratings(struct report *rp, const struct store_report *sr)
{
	json_t		*r = report_section(rp, "ratings");
	int64_t		 n = 0, sum = 0;
	char		 key[2];
	int		 v;

	for (v = 1; v <= 5; v++) {
		key[0] = (char)('0' + v);
		key[1] = '\0';
		report_set(r, key, json_integer(sr->rated[v]));
		n += sr->rated[v];
		sum += sr->rated[v] * v;
	}
	report_set(r, "count", json_integer(n));
	report_set(r, "average", n ? json_real(round(100.0 * (double)sum /
	    (double)n) / 100.0) : json_null());
}

/* Every section, with each of its figures at 0, in the order shown. */
static void
report_init(struct report *rp)
{
	static const char *const tl[] = { "early", "on_time", "late" };
	json_t		*s;
	size_t		 i;
	char		 key[2];

	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		report_set(rp->o, sections[i], json_object());
	report_set(report_section(rp, "resolved"), "total", json_integer(0));
	for (i = 0; i < 3; i++)
		report_set(report_section(rp, "resolved"), tl[i],
		    json_integer(0));
	s = report_section(rp, "open");
	report_set(s, "total", json_integer(0));
	report_set(s, "within", json_integer(0));
	report_set(s, "overdue", json_integer(0));
	for (i = 0; i < NFIGURES; i++)
		report_set(report_section(rp, figures[i].section),
		    figures[i].key, json_integer(0));
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		report_set(report_section(rp, "sent_by_kind"), kinds[i],
		    json_integer(0));
	s = report_section(rp, "ratings");
	report_set(s, "count", json_integer(0));
	report_set(s, "average", json_null());
	for (i = 1; i <= 5; i++) {
		key[0] = (char)('0' + i);
		key[1] = '\0';
		report_set(s, key, json_integer(0));
	}
}

/*
 * Adds the report's sections to o for the days [since, until) whose last
 * is last_day; -1 when the store fails (o then holds a part).
 */
int
report_add(struct office *of, struct json_t *o, int64_t since, int64_t until,
    const struct cal_date *last_day)
{
	struct report		rp;
	struct store_report	sr;
	struct store_report_cb	cb = { report_resolved_one, report_open_one,
				    report_kind, &rp };
	struct cal_date		today = case_local_date(clock_wall_ms());
	int			rc;

	memset(&rp, 0, sizeof(rp));
	rp.of = of;
	rp.o = o;
	rp.last_day = cal_days(*last_day) < cal_days(today) ? *last_day : today;
	report_init(&rp);
	rc = store_report_count(of->store, since, until, &sr, &cb);
	report_figures(&rp, &sr);
	report_ratings(&rp, &sr);
	return rc;
}
