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

#include "calendar.h"
#include "store/cases.h"
#include "log.h"
#include "clock.h"
#include "store/store.h"
#include "smpp/smpp.h"
#include "office/office.h"
#include "procedures.h"

#define DAY_MS			(24 * 60 * 60 * 1000LL)
#define RATING_WINDOW_MS	(7 * DAY_MS)
#define REMIND_TICK_S		60
#define REMIND_BATCH		200	/* per transaction; more: another pass */
#define CANON_MAX		48	/* struct case_rec's canon */

struct reminders {
	struct office	*of;
	struct event	*tick;
	struct event	*usr1;
	int64_t		 due_logged;	/* the day whose due list was logged */
};

/* ---- satisfaction ---- */

/*
 * Called when a case has just changed status, inside the caller's
 * transaction: a case now returned is asked for its rating, once.
 */
int
rating_ask_if_due(struct office *of, const struct case_rec *c, int64_t now)
{
	static const char *const keys[] = { "code" };
	struct reminders	*rm = of->reminders;
	const char		*vals[1] = { c->code };
	char			 text[TEXT_MAX];
	int			 rc;

	if (rm == NULL || !of->cfg->ask_rating || c->status != CASE_RETURNED ||
	    strcmp(c->kind, "case") != 0 || c->msisdn[0] == '\0')
		return 0;
	if ((rc = optout_get(of->cases, c->msisdn)) != 0)
		return rc == -1 ? -1 : 0;
	if ((rc = case_mark_asked(of->cases, c->id, now)) != 1)
		return rc;		/* asked before (0), or -1 */
	if (replies_render(of->replies, "rating_ask", keys, vals, 1, text,
	    sizeof(text)) == -1 || outbox_queue(of->store, of->cfg, c->msisdn,
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
rating_take(struct office *of, const struct inbound *in, const char *digit,
    char *out, size_t cap)
{
	static const char *const keys[] = { "code", "rating" };
	struct reminders	*rm = of->reminders;
	int64_t			 id = 0, at = in->received_at;
	char			 code[CANON_MAX];
	const char		*vals[2] = { code, digit };
	int			 rc;

	if (rm == NULL || digit[0] < '1' || digit[0] > '5' || digit[1] != '\0')
		return 0;
	if ((rc = case_rating_due(of->cases, in->msisdn, at - RATING_WINDOW_MS,
	    at, &id, code, sizeof(code))) != 1)
		return rc;
	if (case_set_rating(of->cases, id, digit[0] - '0') == -1 ||
	    case_mark_rated(of->cases, id, at) == -1 ||
	    replies_render(of->replies, "rating_thanks", keys, vals, 2, out,
	    cap) == -1)
		return -1;
	log_info("msisdn=%s case=%s rating=%s action=rated", in->msisdn, code,
	    digit);
	return 1;
}

/* ---- reminders ---- */

/* Queues one reminder and marks the case reminded; -1 on error. */
static int
remind_one(struct reminders *rm, const struct case_waiting *w, int64_t now)
{
	static const char *const keys[] = { "code", "procedure" };
	struct office		*of = rm->of;
	const struct procedure	*p = procedures_find(
				    replies_procedures(of->replies), w->procedure);
	const char		*vals[2] = { w->code, p ? p->name : w->procedure };
	char			 text[TEXT_MAX];

	if (replies_render(of->replies, "remind_ready", keys, vals, 2, text,
	    sizeof(text)) == -1 || outbox_queue(of->store, of->cfg, w->msisdn,
	    text, "reminder", OUT_PRIO_BULK, 0) == -1 ||
	    case_mark_reminded(of->cases, w->id, now) != 1)
		return -1;
	log_info("msisdn=%s case=%s action=remind", w->msisdn, w->code);
	return 0;
}

/* Reminds up to REMIND_BATCH cases ready since before; the count or -1. */
static int
remind_batch(struct reminders *rm, int64_t before, int64_t now)
{
	static struct case_waiting	 ws[REMIND_BATCH];
	int				 n, i;

	if ((n = case_ready_before(rm->of->cases, before, ws,
	    REMIND_BATCH)) == -1)
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
	struct office	*of = rm->of;
	int		 n;

	if (store_batch_begin(of->store) == -1)
		return -1;
	if ((n = remind_batch(rm, now - of->cfg->remind_after * DAY_MS,
	    now)) == -1) {
		store_batch_abort(of->store);
		return -1;
	}
	if (store_batch_end(of->store) == -1)
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
due_range(struct office *of, int64_t now, const char *date, char lo[11],
    char hi[11])
{
	struct cal_date	today = case_local_date(now);

	if (date) {
		snprintf(lo, 11, "%s", date);
		snprintf(hi, 11, "%s", date);
		return;
	}
	cal_iso(next_day(today), lo);
	cal_iso(cal_add_workdays(today, 1, replies_holidays(of->replies)), hi);
}

/*
 * Calls cb for each open case due tomorrow (or on date, YYYY-MM-DD, when
 * not NULL), earliest first; the count or -1.
 */
int
reminders_due_each(struct office *of, int64_t now, const char *date,
    void (*cb)(const struct case_rec *, void *), void *arg)
{
	char	lo[11], hi[11];

	if (of->reminders == NULL)
		return -1;
	due_range(of, now, date, lo, hi);
	return case_due_each(of->cases, lo, hi, cb, arg);
}

/* Once a day (the first pass of the day), the number of cases to chase. */
static void
log_due(struct reminders *rm, int64_t now, int always)
{
	int64_t	today = cal_days(case_local_date(now)), n;
	char	lo[11], hi[11];

	if (!always && today == rm->due_logged)
		return;
	due_range(rm->of, now, NULL, lo, hi);
	if ((n = case_due_count(rm->of->cases, lo, hi)) < 0)
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
	struct office	*of = rm->of;
	int		 n = 0;

	log_due(rm, now, verbose);
	if (of->cfg->remind_after == 0) {
		if (verbose)
			log_info("reminders: off (remind_after = 0)");
		return;
	}
	if (config_quiet(of->cfg, now)) {
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
	if (!rm->of->stopping)
		reminders_pass(rm, clock_wall_ms(), 0);
}

/* SIGUSR1: an operator (or a test) wants the pass now. */
static void
reminders_on_usr1(evutil_socket_t fd, short ev, void *arg)
{
	struct reminders	*rm = arg;

	(void)fd; (void)ev;
	log_info("reminders: pass on SIGUSR1");
	if (!rm->of->stopping)
		reminders_pass(rm, clock_wall_ms(), 1);
}

/* Starts the timer; the first pass runs as soon as the loop does. */
struct reminders *
reminders_start(struct office *of)
{
	struct reminders	*rm;
	struct timeval		 tick = { REMIND_TICK_S, 0 };

	if ((rm = calloc(1, sizeof(*rm))) == NULL)
		fatal("calloc");
	rm->of = of;
	rm->due_logged = -1;
	if ((rm->tick = event_new(of->base, -1, EV_PERSIST, reminders_on_tick,
	    rm)) == NULL || (rm->usr1 = evsignal_new(of->base, SIGUSR1,
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
	free(rm);
}
