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
 * Statements are prepared per call: a report runs at staff pace.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>
#include <sqlite3.h>

#include "calendar.h"
#include "store/cases.h"
#include "log.h"
#include "gw.h"
#include "clock.h"
#include "store/store.h"
#include "office/office.h"

struct report {
	struct gw	*gw;
	sqlite3		*db;
	json_t		*o;
	int64_t		 since, until;
	struct cal_date	 last_day;	/* for open cases: within or overdue */
	int		 failed;
};

/* One figure, one query over [?1, ?2). */
struct report_figure {
	const char	*section, *key, *sql;
};

static const struct report_figure figures[] = {
	{ "messages", "received", "SELECT count(*) FROM inbound WHERE "
	    "kind = 'sms' AND state != 'dup' AND received_at >= ?1 AND "
	    "received_at < ?2" },
	{ "messages", "sent", "SELECT count(*) FROM outbound WHERE "
	    "kind != 'ussd' AND sent_at >= ?1 AND sent_at < ?2" },
	{ "messages", "delivered", "SELECT count(*) FROM outbound WHERE "
	    "kind != 'ussd' AND state = 'delivered' AND sent_at >= ?1 AND "
	    "sent_at < ?2" },
	{ "messages", "failed", "SELECT count(*) FROM outbound WHERE "
	    "kind != 'ussd' AND state = 'failed' AND coalesce(done_at, "
	    "created_at) >= ?1 AND coalesce(done_at, created_at) < ?2" },
	{ "optouts", "in_period", "SELECT count(*) FROM optout WHERE "
	    "opted_out = 1 AND at >= ?1 AND at < ?2" },
	{ "optouts", "total", "SELECT count(*) FROM optout WHERE "
	    "opted_out = 1" },
	{ "ratings", "asked", "SELECT count(*) FROM cases WHERE "
	    "rating_asked_at >= ?1 AND rating_asked_at < ?2" },
	{ "reminders", "sent", "SELECT count(*) FROM cases WHERE "
	    "reminded_at >= ?1 AND reminded_at < ?2" },
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

/*
 * A statement over the period (?1 since, ?2 until: binding one a query
 * does not use is a harmless SQLITE_RANGE); NULL on error, then the
 * report has failed.
 */
static sqlite3_stmt *
report_prep(struct report *rp, const char *sql)
{
	sqlite3_stmt	*s;

	if (sqlite3_prepare_v2(rp->db, sql, -1, &s, NULL) != SQLITE_OK) {
		log_warnx("report: prepare \"%s\": %s", sql,
		    sqlite3_errmsg(rp->db));
		rp->failed = 1;
		return NULL;
	}
	sqlite3_bind_int64(s, 1, rp->since);
	sqlite3_bind_int64(s, 2, rp->until);
	return s;
}

/* Finalizes s after its last row; marks the report failed on an error. */
static void
report_done(struct report *rp, sqlite3_stmt *s, int rc)
{
	if (rc != SQLITE_DONE) {
		log_warnx("report: %s: %s", sqlite3_sql(s),
		    sqlite3_errmsg(rp->db));
		rp->failed = 1;
	}
	sqlite3_finalize(s);
}

static void
report_figure(struct report *rp, const struct report_figure *f)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = report_prep(rp, f->sql)) == NULL)
		return;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		report_count(rp, f->section, f->key, sqlite3_column_int64(s, 0));
		rc = sqlite3_step(s);
	}
	report_done(rp, s, rc);
}

/* Calls each with the due date and finished_at of every row of sql. */
static void
report_cases(struct report *rp, const char *sql,
    void (*each)(struct report *, struct cal_date, int64_t))
{
	sqlite3_stmt	*s;
	struct cal_date	 due;
	int		 rc;

	if ((s = report_prep(rp, sql)) == NULL)
		return;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (cal_parse((const char *)sqlite3_column_text(s, 0) ?
		    (const char *)sqlite3_column_text(s, 0) : "", &due) == 0)
			each(rp, due, sqlite3_column_int64(s, 1));
	report_done(rp, s, rc);
}

static void
report_resolved_one(struct report *rp, struct cal_date due, int64_t fin_ms)
{
	struct cal_date	fin = case_local_date(fin_ms);

	report_count(rp, "resolved", "total", 1);
	report_count(rp, "resolved", cal_timeliness_name(cal_timeliness(due,
	    &fin, fin)), 1);
}

static void
report_open_one(struct report *rp, struct cal_date due, int64_t fin_ms)
{
	(void)fin_ms;
	report_count(rp, "open", "total", 1);
	report_count(rp, "open", cal_timeliness_name(cal_timeliness(due, NULL,
	    rp->last_day)), 1);
}

static void
report_kinds(struct report *rp)
{
	sqlite3_stmt	*s;
	const char	*k;
	int		 rc;

	if ((s = report_prep(rp, "SELECT kind, count(*) FROM outbound WHERE "
	    "kind != 'ussd' AND sent_at >= ?1 AND sent_at < ?2 "
	    "GROUP BY kind")) == NULL)
		return;
	/* (kinds are this daemon's own ASCII words) */
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if ((k = (const char *)sqlite3_column_text(s, 0)) != NULL)
			report_count(rp, "sent_by_kind", k,
			    sqlite3_column_int64(s, 1));
	report_done(rp, s, rc);
}

/* Ratings recorded in the period: how many, the average, each score. */
static void
report_ratings(struct report *rp)
{
	json_t		*r = report_section(rp, "ratings");
	sqlite3_stmt	*s;
	int64_t		 n = 0, sum = 0, c;
	char		 key[2];
	int		 rc, v;

	if ((s = report_prep(rp, "SELECT rating, count(*) FROM cases WHERE "
	    "rated_at >= ?1 AND rated_at < ?2 AND rating BETWEEN 1 AND 5 "
	    "GROUP BY rating")) == NULL)
		return;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		v = sqlite3_column_int(s, 0);
		c = sqlite3_column_int64(s, 1);
		key[0] = (char)('0' + v);	/* 1..5: the query says so */
		key[1] = '\0';
		report_set(r, key, json_integer(c));
		n += c;
		sum += c * v;
	}
	report_done(rp, s, rc);
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
report_add(struct gw *gw, struct json_t *o, int64_t since, int64_t until,
    const struct cal_date *last_day)
{
	struct report	rp;
	struct cal_date	today = case_local_date(clock_wall_ms());
	size_t		i;

	memset(&rp, 0, sizeof(rp));
	rp.gw = gw;
	rp.db = store_db(gw->store);
	rp.o = o;
	rp.since = since;
	rp.until = until;
	rp.last_day = cal_days(*last_day) < cal_days(today) ? *last_day : today;
	report_init(&rp);
	report_cases(&rp, "SELECT due, finished_at FROM cases WHERE "
	    "kind = 'case' AND finished_at >= ?1 AND finished_at < ?2",
	    report_resolved_one);
	report_cases(&rp, "SELECT due, finished_at FROM cases WHERE "
	    "kind = 'case' AND received_at < ?2 AND (finished_at IS NULL OR "
	    "finished_at >= ?2) AND status NOT IN (3, 7, 8)",
	    report_open_one);
	for (i = 0; i < NFIGURES; i++)
		report_figure(&rp, &figures[i]);
	report_kinds(&rp);
	report_ratings(&rp);
	return rp.failed ? -1 : 0;
}
