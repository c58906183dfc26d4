/*
 * Reminders and satisfaction: what the office says to a citizen after the
 * work is done, and what it tells its own staff before a due date slips.
 *
 * - rating_*: once a case is returned (and [office] ask_rating = yes) the
 *   citizen is asked once to rate the service 1-5; a lone digit from that
 *   number within RATING_WINDOW_MS is the answer, recorded on the case.
 *   Otherwise a lone digit stays what intent.c says it is unsure of: help.
 * - reminders_*: a result left uncollected [office] remind_after days gets
 *   one SMS. A timer (and SIGUSR1, "run the pass now") looks for them;
 *   reminded_at is written in the transaction that queues the SMS, so a
 *   crash either keeps both or neither and a restart never sends two.
 *   Cases due tomorrow are listed for staff (GET /cases/due), not texted.
 *
 * Reminders and rating questions are about the citizen's own case, like
 * status_changed: an opt-out (TUCHOI, which stops broadcasts) does not
 * stop a reminder, but it does stop the rating question, which the
 * citizen did not ask for and can live without.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>
#include <sqlite3.h>

#include "calendar.h"
#include "store/cases.h"
#include "log.h"
#include "gw.h"
#include "clock.h"
#include "store/store.h"
#include "smpp/smpp.h"
#include "office/office.h"
#include "procedures.h"
#include "store/sql.h"

static const char who[] = "reminders";	/* in log lines */

#define DAY_MS			(24 * 60 * 60 * 1000LL)
#define RATING_WINDOW_MS	(7 * DAY_MS)
#define REMIND_TICK_S		60
#define REMIND_BATCH		200	/* per transaction; more: another pass */
#define DUE_MAX			1000	/* cases listed as due tomorrow */
#define CANON_MAX		48	/* struct case_rec's canon */

enum {
	Q_READY_OLD, Q_REMINDED, Q_ASKED, Q_RATING_DUE, Q_RATED, Q_DUE,
	Q_DUE_COUNT, Q_NQ
};

static const char *const queries[Q_NQ] = {
	/* Ready since (the last time it became ready) at or before ?1. */
	[Q_READY_OLD] = "SELECT c.id, c.code, c.procedure, c.msisdn FROM cases c "
	    "WHERE c.status = 9 AND c.kind = 'case' AND c.msisdn != '' AND "
	    "c.reminded_at IS NULL AND (SELECT max(h.at) FROM case_history h "
	    "WHERE h.case_id = c.id AND h.status = 9) <= ?1 ORDER BY c.id "
	    "LIMIT ?2",
	[Q_REMINDED] = "UPDATE cases SET reminded_at = ?2 WHERE id = ?1 AND "
	    "reminded_at IS NULL",
	[Q_ASKED] = "UPDATE cases SET rating_asked_at = ?2 WHERE id = ?1 AND "
	    "rating_asked_at IS NULL AND rating IS NULL",
	/* The newest question asked between ?2 and ?3 still unanswered. */
	[Q_RATING_DUE] = "SELECT id, code FROM cases WHERE msisdn = ?1 AND "
	    "rating_asked_at IS NOT NULL AND rating IS NULL AND "
	    "rating_asked_at >= ?2 AND rating_asked_at <= ?3 "
	    "ORDER BY rating_asked_at DESC, id DESC LIMIT 1",
	[Q_RATED] = "UPDATE cases SET rated_at = ?2 WHERE id = ?1",
	/* Open: received, processing, need_more, need_fee. */
	[Q_DUE] = "SELECT canon FROM cases WHERE kind = 'case' AND "
	    "status IN (2, 4, 5, 6) AND due >= ?1 AND due <= ?2 "
	    "ORDER BY due, id LIMIT ?3",
	[Q_DUE_COUNT] = "SELECT count(*) FROM cases WHERE kind = 'case' AND "
	    "status IN (2, 4, 5, 6) AND due >= ?1 AND due <= ?2",
};

struct reminders {
	struct gw	*gw;
	sqlite3		*db;
	sqlite3_stmt	*q[Q_NQ];
	struct event	*tick;
	struct event	*usr1;
	int64_t		 due_logged;	/* the day whose due list was logged */
};

/* One case that waits for its reminder. */
struct waiting {
	int64_t	id;
	char	code[CANON_MAX];
	char	procedure[8];
	char	msisdn[24];
};

/* Runs a write; the rows it changed, or -1. */
static int
write_id(struct reminders *rm, int q, int64_t id, int64_t at)
{
	sqlite3_stmt	*s = rm->q[q];
	int		 rc;

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, at);
	rc = sql_step(who, s);
	sql_done(s);
	return rc == -1 ? -1 : sqlite3_changes(rm->db);
}

/* ---- satisfaction ---- */

/*
 * Called when a case has just changed status, inside the caller's
 * transaction: a case now returned is asked for its rating, once.
 */
int
rating_ask_if_due(struct gw *gw, const struct case_rec *c)
{
	static const char *const keys[] = { "code" };
	struct reminders	*rm = gw->reminders;
	const char		*vals[1] = { c->code };
	char			 text[TEXT_MAX];
	int			 rc;

	if (rm == NULL || !gw->cfg->ask_rating || c->status != CASE_RETURNED ||
	    strcmp(c->kind, "case") != 0 || c->msisdn[0] == '\0')
		return 0;
	if ((rc = optout_get(gw->cases, c->msisdn)) != 0)
		return rc == -1 ? -1 : 0;
	if ((rc = write_id(rm, Q_ASKED, c->id, clock_wall_ms())) != 1)
		return rc;		/* asked before (0), or -1 */
	if (replies_render(gw->replies, "rating_ask", keys, vals, 1, text,
	    sizeof(text)) == -1 || outbox_queue(gw->store, gw->cfg, c->msisdn,
	    text, "rating", OUT_PRIO_REPLY, 0) == -1)
		return -1;
	log_info("msisdn=%s case=%s action=rating_ask", c->msisdn, c->code);
	return 0;
}

/*
 * A lone digit from in's number: 1 when it answers a rating question
 * (recorded, thanks rendered into out), 0 when no rating is due, -1 on a
 * store error. The question must come before the digit, and not more
 * than RATING_WINDOW_MS before it.
 */
int
rating_take(struct gw *gw, const struct inbound *in, const char *digit,
    char *out, size_t cap)
{
	static const char *const keys[] = { "code", "rating" };
	struct reminders	*rm = gw->reminders;
	sqlite3_stmt		*s;
	int64_t			 id = 0, at = in->received_at ? in->received_at :
				    clock_wall_ms();
	char			 code[CANON_MAX];
	const char		*vals[2] = { code, digit };
	int			 rc;

	if (rm == NULL || digit[0] < '1' || digit[0] > '5' || digit[1] != '\0')
		return 0;
	s = rm->q[Q_RATING_DUE];
	sqlite3_bind_text(s, 1, in->msisdn, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, at - RATING_WINDOW_MS);
	sqlite3_bind_int64(s, 3, at);
	if ((rc = sql_step(who, s)) == SQLITE_ROW) {
		id = sqlite3_column_int64(s, 0);
		sql_col(s, 1, code, sizeof(code));
	}
	sql_done(s);
	if (rc != SQLITE_ROW)
		return rc == -1 ? -1 : 0;
	if (case_set_rating(gw->cases, id, digit[0] - '0') == -1 ||
	    write_id(rm, Q_RATED, id, clock_wall_ms()) == -1 ||
	    replies_render(gw->replies, "rating_thanks", keys, vals, 2, out,
	    cap) == -1)
		return -1;
	log_info("msisdn=%s case=%s rating=%s action=rated", in->msisdn, code,
	    digit);
	return 1;
}

/* ---- reminders ---- */

/* Queues one reminder and marks the case reminded; -1 on error. */
static int
remind_one(struct reminders *rm, const struct waiting *w, int64_t now)
{
	static const char *const keys[] = { "code", "procedure" };
	struct gw		*gw = rm->gw;
	const struct procedure	*p = procedures_find(
				    replies_procedures(gw->replies), w->procedure);
	const char		*vals[2] = { w->code, p ? p->name : w->procedure };
	char			 text[TEXT_MAX];

	if (replies_render(gw->replies, "remind_ready", keys, vals, 2, text,
	    sizeof(text)) == -1 || outbox_queue(gw->store, gw->cfg, w->msisdn,
	    text, "reminder", OUT_PRIO_BULK, 0) == -1 ||
	    write_id(rm, Q_REMINDED, w->id, now) != 1)
		return -1;
	log_info("msisdn=%s case=%s action=remind", w->msisdn, w->code);
	return 0;
}

/* Reminds up to REMIND_BATCH cases ready since before; the count or -1. */
static int
remind_batch(struct reminders *rm, int64_t before, int64_t now)
{
	static struct waiting	 ws[REMIND_BATCH];
	sqlite3_stmt		*s = rm->q[Q_READY_OLD];
	int			 n = 0, i, rc;

	sqlite3_bind_int64(s, 1, before);
	sqlite3_bind_int(s, 2, REMIND_BATCH);
	while (n < REMIND_BATCH && (rc = sql_step(who, s)) == SQLITE_ROW) {
		ws[n].id = sqlite3_column_int64(s, 0);
		sql_col(s, 1, ws[n].code, sizeof(ws[n].code));
		sql_col(s, 2, ws[n].procedure, sizeof(ws[n].procedure));
		sql_col(s, 3, ws[n].msisdn, sizeof(ws[n].msisdn));
		n++;
	}
	sql_done(s);
	if (rc == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (remind_one(rm, &ws[i], now) == -1)
			return -1;
	return n;
}

/* The reminders of one pass, in one transaction; the count or -1. */
static int
remind_all(struct reminders *rm, int64_t now)
{
	struct gw	*gw = rm->gw;
	int		 n;

	if (store_batch_begin(gw->store) == -1)
		return -1;
	if ((n = remind_batch(rm, now - gw->cfg->remind_after * DAY_MS,
	    now)) == -1) {
		store_batch_abort(gw->store);
		return -1;
	}
	if (store_batch_end(gw->store) == -1)
		return -1;
	if (n == REMIND_BATCH)		/* more waiting: next loop turn */
		event_active(rm->tick, EV_TIMEOUT, 0);
	return n;
}

/* The day after d. */
static struct cal_date
next_day(struct cal_date d)
{
	struct tm	tm;
	time_t		t;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = d.y - 1900;
	tm.tm_mon = d.m - 1;
	tm.tm_mday = d.d + 1;
	tm.tm_hour = 12;
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	return (struct cal_date){ tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday };
}

/*
 * The due dates "tomorrow" covers: from the next day to the next working
 * day, so on a Friday the clerk also sees what is due on Monday.
 */
static void
due_range(struct gw *gw, int64_t now, const char *date, char lo[11],
    char hi[11])
{
	struct cal_date	today = case_local_date(now);

	if (date) {
		snprintf(lo, 11, "%s", date);
		snprintf(hi, 11, "%s", date);
		return;
	}
	cal_iso(next_day(today), lo);
	cal_iso(cal_add_workdays(today, 1, replies_holidays(gw->replies)), hi);
}

static void
bind_range(sqlite3_stmt *s, const char *lo, const char *hi)
{
	sqlite3_bind_text(s, 1, lo, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 2, hi, -1, SQLITE_STATIC);
}

/*
 * Calls cb for each open case due tomorrow (or on date, YYYY-MM-DD, when
 * not NULL), earliest first; the count or -1.
 */
int
reminders_due_each(struct gw *gw, int64_t now, const char *date,
    void (*cb)(const struct case_rec *, void *), void *arg)
{
	static char		 canon[DUE_MAX][CANON_MAX];
	struct reminders	*rm = gw->reminders;
	sqlite3_stmt		*s;
	struct case_rec		 c;
	char			 lo[11], hi[11];
	int			 n = 0, i, rc;

	if (rm == NULL)
		return -1;
	due_range(gw, now, date, lo, hi);
	s = rm->q[Q_DUE];
	bind_range(s, lo, hi);
	sqlite3_bind_int(s, 3, DUE_MAX);
	while (n < DUE_MAX && (rc = sql_step(who, s)) == SQLITE_ROW)
		sql_col(s, 0, canon[n++], CANON_MAX);
	sql_done(s);
	if (rc == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if ((rc = case_find(gw->cases, canon[i], &c)) == -1)
			return -1;
		if (rc == 1)
			cb(&c, arg);
	}
	return n;
}

/* Once a day (the first pass of the day), the number of cases to chase. */
static void
log_due(struct reminders *rm, int64_t now, int always)
{
	sqlite3_stmt	*s = rm->q[Q_DUE_COUNT];
	int64_t		 today = cal_days(case_local_date(now)), n = -1;
	char		 lo[11], hi[11];

	if (!always && today == rm->due_logged)
		return;
	due_range(rm->gw, now, NULL, lo, hi);
	bind_range(s, lo, hi);
	if (sql_step(who, s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sql_done(s);
	if (n < 0)
		return;
	rm->due_logged = today;
	if (n > 0 || always)
		log_info("reminders: %lld open case(s) due %s%s%s (motcua case "
		    "due lists them)", (long long)n, lo, strcmp(lo, hi) ? " to " :
		    "", strcmp(lo, hi) ? hi : "");
}

/* One pass at now; verbose when an operator asked for it. */
static void
reminders_pass(struct reminders *rm, int64_t now, int verbose)
{
	struct gw	*gw = rm->gw;
	int		 n = 0;

	log_due(rm, now, verbose);
	if (gw->cfg->remind_after == 0) {
		if (verbose)
			log_info("reminders: off (remind_after = 0)");
		return;
	}
	if (config_quiet(gw->cfg, now)) {
		if (verbose)
			log_info("reminders: quiet hours: reminders wait");
		return;
	}
	if ((n = remind_all(rm, now)) == -1)
		log_warnx("reminders: store trouble, will try again");
	else if (verbose || n > 0)
		log_info("reminders: pass done reminded=%d", n);
}

static void
reminders_on_tick(evutil_socket_t fd, short ev, void *arg)
{
	struct reminders	*rm = arg;

	(void)fd; (void)ev;
	if (!rm->gw->stopping)
		reminders_pass(rm, clock_wall_ms(), 0);
}

/* SIGUSR1: an operator (or a test) wants the pass now. */
static void
reminders_on_usr1(evutil_socket_t fd, short ev, void *arg)
{
	struct reminders	*rm = arg;

	(void)fd; (void)ev;
	log_info("reminders: pass on SIGUSR1");
	if (!rm->gw->stopping)
		reminders_pass(rm, clock_wall_ms(), 1);
}

/* Starts the timer; the first pass runs as soon as the loop does. */
struct reminders *
reminders_start(struct gw *gw)
{
	struct reminders	*rm;
	struct timeval		 tick = { REMIND_TICK_S, 0 };

	if ((rm = calloc(1, sizeof(*rm))) == NULL)
		fatal("calloc");
	rm->gw = gw;
	rm->db = store_db(gw->store);
	rm->due_logged = -1;
	if (sql_prepare_all(rm->db, queries, rm->q, Q_NQ, who) == -1)
		fatalx("reminders: cannot prepare its statements");
	if ((rm->tick = event_new(gw->base, -1, EV_PERSIST, reminders_on_tick,
	    rm)) == NULL || (rm->usr1 = evsignal_new(gw->base, SIGUSR1,
	    reminders_on_usr1, rm)) == NULL)
		fatalx("reminders: event_new");
	event_add(rm->tick, &tick);
	event_add(rm->usr1, NULL);
	event_active(rm->tick, EV_TIMEOUT, 0);
	return rm;
}

void
reminders_stop(struct reminders *rm)
{
	if (rm == NULL)
		return;
	event_free(rm->tick);
	event_free(rm->usr1);
	sql_finalize_all(rm->q, Q_NQ);
	free(rm);
}
