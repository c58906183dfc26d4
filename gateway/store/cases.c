/*
 * Case files (hồ sơ), their history, reminders and ratings, and what the
 * SMS side remembers per number: opt-outs and failed look-ups (the
 * contact book is store/contacts.c, on the same connection). Codes made here follow CONTRACT.md (prefix, year,
 * sequence, Damm digit); imported codes are kept as given and matched on
 * their canonical form. Every write runs inside the caller's transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "calendar.h"
#include "casecode.h"
#include "store/cases.h"
#include "log.h"
#include "store/sql.h"
#include "str.h"

static const char who[] = "cases";	/* in log lines */

#define CANON_SIZE	sizeof(((struct case_rec *)0)->canon)

enum {
	Q_SEQ_GET, Q_SEQ_SET, Q_INSERT, Q_BY_CANON, Q_HISTORY_ADD,
	Q_SET_STATUS, Q_RECENT, Q_OPTOUT_SET, Q_OPTOUT_GET, Q_FAIL_ADD,
	Q_FAIL_COUNT, Q_FAIL_PRUNE, Q_RATING, Q_READY_OLD, Q_REMINDED, Q_ASKED,
	Q_RATING_DUE, Q_RATED, Q_DUE, Q_DUE_COUNT, Q_COUNT
};

static const char *const queries[Q_COUNT] = {
	[Q_SEQ_GET] = "SELECT next FROM case_seq WHERE year = ?1",
	[Q_SEQ_SET] = "INSERT INTO case_seq(year, next) VALUES (?1, ?2) "
	    "ON CONFLICT(year) DO UPDATE SET next = ?2",
	[Q_INSERT] = "INSERT INTO cases(code, canon, kind, procedure, msisdn, "
	    "name, request, status, channel, received_at, due) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[Q_BY_CANON] = "SELECT " CASE_COLS " FROM cases WHERE canon = ?1",
	[Q_HISTORY_ADD] = "INSERT INTO case_history(case_id, at, status, note, "
	    "actor) VALUES (?1, ?2, ?3, ?4, ?5)",
	[Q_SET_STATUS] = "UPDATE cases SET status = ?2, due = coalesce(?3, due), "
	    "finished_at = CASE WHEN ?2 IN (9, 10) AND finished_at IS NULL "
	    "THEN ?4 ELSE finished_at END WHERE id = ?1",
	[Q_RECENT] = "SELECT " CASE_COLS " FROM cases WHERE msisdn = ?1 AND "
	    "kind = ?2 AND procedure = ?3 AND request = ?4 AND received_at >= ?5 "
	    "ORDER BY id DESC LIMIT 1",
	[Q_OPTOUT_SET] = "INSERT INTO optout(msisdn, opted_out, at) "
	    "VALUES (?1, ?2, ?3) ON CONFLICT(msisdn) DO UPDATE "
	    "SET opted_out = ?2, at = ?3",
	[Q_OPTOUT_GET] = "SELECT opted_out FROM optout WHERE msisdn = ?1",
	[Q_FAIL_ADD] = "INSERT INTO lookup_fail(msisdn, at) VALUES (?1, ?2)",
	[Q_FAIL_COUNT] = "SELECT count(*) FROM lookup_fail WHERE msisdn = ?1 "
	    "AND at BETWEEN ?2 AND ?3",
	[Q_FAIL_PRUNE] = "DELETE FROM lookup_fail WHERE at < ?1",
	[Q_RATING] = "UPDATE cases SET rating = ?2 WHERE id = ?1",
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

struct case_store {
	sqlite3		*db;
	sqlite3_stmt	*q[Q_COUNT];
	/* The newest failed look-up on record (or later): older than the
	 * window, no number can be over the limit and the count is 0. */
	int64_t		 last_fail_at;
};

struct case_store *
case_store_open(struct sqlite3 *db)
{
	struct case_store	*cs;
	sqlite3_stmt		*s = NULL;

	if ((cs = calloc(1, sizeof(*cs))) == NULL)
		fatal("calloc");
	cs->db = db;
	if (sql_prepare_all(db, queries, cs->q, Q_COUNT, who) == -1) {
		free(cs);
		return NULL;
	}
	cs->last_fail_at = INT64_MAX;	/* unknown: always ask */
	if (sqlite3_prepare_v2(db, "SELECT coalesce(max(at), 0) FROM "
	    "lookup_fail", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		cs->last_fail_at = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return cs;
}

sqlite3 *
case_store_db(struct case_store *cs)
{
	return cs->db;
}

void
case_store_close(struct case_store *cs)
{
	if (cs == NULL)
		return;
	sql_finalize_all(cs->q, Q_COUNT);
	free(cs);
}

/* A row of CASE_COLS (sql.h) into c; console.c reads them too. */
void
case_row(sqlite3_stmt *s, struct case_rec *c)
{
	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(s, 0);
	sql_col(s, 1, c->code, sizeof(c->code));
	sql_col(s, 2, c->canon, sizeof(c->canon));
	sql_col(s, 3, c->kind, sizeof(c->kind));
	sql_col(s, 4, c->procedure, sizeof(c->procedure));
	sql_col(s, 5, c->msisdn, sizeof(c->msisdn));
	sql_col(s, 6, c->name, sizeof(c->name));
	sql_col(s, 7, c->request, sizeof(c->request));
	c->status = sqlite3_column_int(s, 8);
	sql_col(s, 9, c->channel, sizeof(c->channel));
	c->received_at = sqlite3_column_int64(s, 10);
	sql_col(s, 11, c->due, sizeof(c->due));
	c->finished_at = sqlite3_column_int64(s, 12);
	c->rating = sqlite3_column_int(s, 13);
}

/* The local civil date of a unix-ms instant. */
struct cal_date
case_local_date(int64_t ms)
{
	time_t		t = (time_t)(ms / 1000);
	struct tm	tm;

	localtime_r(&t, &tm);
	return (struct cal_date){ tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday };
}

/* Takes the next sequence number of the year; -1 on error. */
static int
next_seq(struct case_store *cs, int year, unsigned *seq)
{
	sqlite3_stmt	*s = cs->q[Q_SEQ_GET];
	int		 rc;

	sqlite3_bind_int(s, 1, year);
	if ((rc = sql_step(who, s)) == -1)
		return -1;
	*seq = rc == SQLITE_ROW ? (unsigned)sqlite3_column_int(s, 0) : 1;
	sql_done(s);
	s = cs->q[Q_SEQ_SET];
	sqlite3_bind_int(s, 1, year);
	sqlite3_bind_int(s, 2, (int)*seq + 1);
	return sql_exec(who, s);
}

/* The case a bound look-up finds: 1 found (in out), 0 none, -1 error. */
static int
case_one(sqlite3_stmt *s, struct case_rec *out)
{
	int	rc;

	if ((rc = sql_step(who, s)) == -1)
		return -1;
	if (rc == SQLITE_ROW)
		case_row(s, out);
	sql_done(s);
	return rc == SQLITE_ROW;
}

int
case_find(struct case_store *cs, const char *canon, struct case_rec *out)
{
	sqlite3_stmt	*s = cs->q[Q_BY_CANON];

	sql_text(s, 1, canon);
	return case_one(s, out);
}

static int
history_add(struct case_store *cs, int64_t id, int64_t at, int status,
    const char *note, const char *actor)
{
	sqlite3_stmt	*s = cs->q[Q_HISTORY_ADD];

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, at);
	sqlite3_bind_int(s, 3, status);
	sql_text(s, 4, note);
	sql_text(s, 5, actor);
	return sql_exec(who, s);
}

/*
 * Creates a case: with nc->code as given (an import) or with a new code.
 * 1 created, 0 the code exists already, -1 error.
 */
int
case_create(struct case_store *cs, const struct case_new *nc,
    const char *prefix, struct case_rec *out)
{
	struct cal_date	 today = case_local_date(nc->now), due;
	char		 code[CASECODE_MAX + 16], canon[CASECODE_MAX + 16];
	char		 iso[11];
	unsigned	 seq;
	sqlite3_stmt	*s = cs->q[Q_INSERT];

	if (nc->code && nc->code[0]) {
		str_copy(code, nc->code, sizeof(code));
	} else {
		if (next_seq(cs, today.y, &seq) == -1 ||
		    casecode_make(prefix, today.y % 100, seq, code,
		    sizeof(code)) == -1)
			return -1;
	}
	if (casecode_canon(code, canon, sizeof(canon)) <= 0)
		return -1;
	if (case_find(cs, canon, out) == 1)
		return 0;
	due = nc->due[0] && cal_parse(nc->due, &due) == 0 ? due :
	    cal_add_workdays(today, nc->days, nc->holidays);
	cal_iso(due, iso);
	sql_text(s, 1, code);
	sql_text(s, 2, canon);
	sql_text(s, 3, nc->kind);
	sql_text(s, 4, nc->procedure);
	sql_text(s, 5, nc->msisdn);
	sql_text(s, 6, nc->name);
	sql_text(s, 7, nc->request);
	sqlite3_bind_int(s, 8, nc->status ? nc->status : CASE_RECEIVED);
	sql_text(s, 9, nc->channel);
	sqlite3_bind_int64(s, 10, nc->now);
	sql_text(s, 11, iso);
	if (sql_exec(who, s) == -1)
		return -1;
	if (history_add(cs, sqlite3_last_insert_rowid(cs->db), nc->now,
	    nc->status ? nc->status : CASE_RECEIVED, "", nc->channel) == -1)
		return -1;
	return case_find(cs, canon, out) == 1 ? 1 : -1;
}

/* The same request from the same number lately: a resend, not a new case. */
int
case_find_recent(struct case_store *cs, const struct case_new *nc,
    int64_t since, struct case_rec *out)
{
	sqlite3_stmt	*s = cs->q[Q_RECENT];

	sql_text(s, 1, nc->msisdn);
	sql_text(s, 2, nc->kind);
	sql_text(s, 3, nc->procedure);
	sql_text(s, 4, nc->request);
	sqlite3_bind_int64(s, 5, since);
	return case_one(s, out);
}

int
case_set_status(struct case_store *cs, int64_t id, int status,
    const char *due, const char *note, const char *actor, int64_t now)
{
	sqlite3_stmt	*s = cs->q[Q_SET_STATUS];

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, status);
	if (due && due[0])
		sql_text(s, 3, due);
	sqlite3_bind_int64(s, 4, now);
	if (sql_exec(who, s) == -1)
		return -1;
	return history_add(cs, id, now, status, note, actor);
}

/* Runs an update of one case by id; the rows it changed, or -1. */
static int
case_write(struct case_store *cs, int q, int64_t id, int64_t v)
{
	sqlite3_stmt	*s = cs->q[q];

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, v);
	return sql_exec(who, s) == -1 ? -1 : sqlite3_changes(cs->db);
}

int
case_set_rating(struct case_store *cs, int64_t id, int rating)
{
	return case_write(cs, Q_RATING, id, rating) == -1 ? -1 : 0;
}

int
optout_set(struct case_store *cs, const char *msisdn, int out, int64_t now)
{
	sqlite3_stmt	*s = cs->q[Q_OPTOUT_SET];

	sql_text(s, 1, msisdn);
	sqlite3_bind_int(s, 2, out);
	sqlite3_bind_int64(s, 3, now);
	return sql_exec(who, s);
}

/* 1 when the number said stop, 0 otherwise, -1 on error. */
int
optout_get(struct case_store *cs, const char *msisdn)
{
	sqlite3_stmt	*s = cs->q[Q_OPTOUT_GET];
	int		 rc, out = 0;

	sql_text(s, 1, msisdn);
	if ((rc = sql_step(who, s)) == -1)
		return -1;
	if (rc == SQLITE_ROW)
		out = sqlite3_column_int(s, 0);
	sql_done(s);
	return out;
}

/* Records a failed look-up; returns the failures within the window. */
int
lookup_fail_add(struct case_store *cs, const char *msisdn, int64_t now,
    int64_t window_ms)
{
	sqlite3_stmt	*s = cs->q[Q_FAIL_PRUNE];

	sqlite3_bind_int64(s, 1, now - window_ms);
	sql_exec(who, s);
	s = cs->q[Q_FAIL_ADD];
	sql_text(s, 1, msisdn);
	sqlite3_bind_int64(s, 2, now);
	if (sql_step(who, s) == -1)
		return -1;
	if (cs->last_fail_at != INT64_MAX && cs->last_fail_at < now)
		cs->last_fail_at = now;
	sql_done(s);
	return lookup_fail_count(cs, msisdn, now, window_ms);
}

int
lookup_fail_count(struct case_store *cs, const char *msisdn, int64_t now,
    int64_t window_ms)
{
	sqlite3_stmt	*s = cs->q[Q_FAIL_COUNT];
	int		 n = -1;

	if (cs->last_fail_at < now - window_ms)
		return 0;	/* every citizen's look-up, at load: no query */
	sql_text(s, 1, msisdn);
	sqlite3_bind_int64(s, 2, now - window_ms);
	sqlite3_bind_int64(s, 3, now);	/* not stamps from before a jump back */
	if (sql_step(who, s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sql_done(s);
	return n;
}

/* ---- reminders and ratings (office/reminders.c) ---- */

static void
waiting_row(sqlite3_stmt *s, int n, void *arg)
{
	struct case_waiting	*w = (struct case_waiting *)arg + n;

	w->id = sqlite3_column_int64(s, 0);
	sql_col(s, 1, w->code, sizeof(w->code));
	sql_col(s, 2, w->procedure, sizeof(w->procedure));
	sql_col(s, 3, w->msisdn, sizeof(w->msisdn));
}

/* Up to max cases ready since before and not reminded; the count or -1. */
int
case_ready_before(struct case_store *cs, int64_t before,
    struct case_waiting *w, int max)
{
	sqlite3_stmt	*s = cs->q[Q_READY_OLD];

	sqlite3_bind_int64(s, 1, before);
	sqlite3_bind_int(s, 2, max);
	return sql_rows(who, s, max, waiting_row, w);
}

/* A canon into the n-th slot of a CASE_DUE_MAX list. */
static void
canon_row(sqlite3_stmt *s, int n, void *arg)
{
	sql_col(s, 0, (char *)arg + (size_t)n * CANON_SIZE, CANON_SIZE);
}

/* 1 marked now, 0 reminded before, -1 error. */
int
case_mark_reminded(struct case_store *cs, int64_t id, int64_t at)
{
	return case_write(cs, Q_REMINDED, id, at);
}

/* 1 marked now, 0 asked (or rated) before, -1 error. */
int
case_mark_asked(struct case_store *cs, int64_t id, int64_t at)
{
	return case_write(cs, Q_ASKED, id, at);
}

int
case_mark_rated(struct case_store *cs, int64_t id, int64_t at)
{
	return case_write(cs, Q_RATED, id, at) == -1 ? -1 : 0;
}

/*
 * The case of msisdn whose rating question, asked in [since, until), is
 * the newest still unanswered: 1 (id and code set), 0 none, -1 error.
 */
int
case_rating_due(struct case_store *cs, const char *msisdn, int64_t since,
    int64_t until, int64_t *id, char *code, size_t cap)
{
	sqlite3_stmt	*s = cs->q[Q_RATING_DUE];
	int		 rc;

	sql_text(s, 1, msisdn);
	sqlite3_bind_int64(s, 2, since);
	sqlite3_bind_int64(s, 3, until);
	if ((rc = sql_step(who, s)) == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		sql_col(s, 1, code, cap);
	}
	sql_done(s);
	return rc == -1 ? -1 : rc == SQLITE_ROW;
}

/*
 * Calls cb for each open case due in [lo, hi] (YYYY-MM-DD), earliest
 * first, at most CASE_DUE_MAX; the count or -1. The codes are read
 * first, so cb may use the store.
 */
int
case_due_each(struct case_store *cs, const char *lo, const char *hi,
    case_each_cb cb, void *arg)
{
	static char	 canon[CASE_DUE_MAX][CANON_SIZE];
	sqlite3_stmt	*s = cs->q[Q_DUE];
	struct case_rec	 c;
	int		 n, i, rc;

	sql_text(s, 1, lo);
	sql_text(s, 2, hi);
	sqlite3_bind_int(s, 3, CASE_DUE_MAX);
	if ((n = sql_rows(who, s, CASE_DUE_MAX, canon_row, canon)) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if ((rc = case_find(cs, canon[i], &c)) == -1)
			return -1;
		if (rc == 1)
			cb(&c, arg);
	}
	return n;
}

/* How many open cases are due in [lo, hi]; -1 on error. */
int64_t
case_due_count(struct case_store *cs, const char *lo, const char *hi)
{
	sqlite3_stmt	*s = cs->q[Q_DUE_COUNT];

	sql_text(s, 1, lo);
	sql_text(s, 2, hi);
	return sql_scalar(who, s);
}

/*
 * Listings for the admin API and the broadcast engine: statements
 * prepared per call, since they run at staff pace, not at SMS pace.
 */

/* Marks a case created as ready or returned as finished now. */
int
case_set_finished(struct case_store *cs, int64_t id, int64_t at)
{
	sqlite3_stmt	*s;

	if ((s = sql_once(cs->db, "UPDATE cases SET finished_at = ?2 WHERE "
	    "id = ?1 AND finished_at IS NULL", who)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, at);
	return sql_finish(who, s);
}

/* A listing's callback and its argument, for the row functions. */
struct case_each {
	case_history_cb	 history;
	case_each_cb	 each;
	void		*arg;
};

static void
history_row(sqlite3_stmt *s, int n, void *arg)
{
	const struct case_each	*e = arg;
	struct case_change	 h;

	(void)n;
	h.at = sqlite3_column_int64(s, 0);
	h.status = sqlite3_column_int(s, 1);
	sql_col(s, 2, h.note, sizeof(h.note));
	sql_col(s, 3, h.actor, sizeof(h.actor));
	e->history(&h, e->arg);
}

/* Calls cb for each change of a case, oldest first; the count or -1. */
int
case_history_each(struct case_store *cs, int64_t id, case_history_cb cb,
    void *arg)
{
	struct case_each	 e = { cb, NULL, arg };
	sqlite3_stmt		*s;

	if ((s = sql_once(cs->db, "SELECT at, status, note, actor FROM "
	    "case_history WHERE case_id = ?1 ORDER BY rowid", who)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	return sql_each(who, s, history_row, &e);
}

static void
list_row(sqlite3_stmt *s, int n, void *arg)
{
	const struct case_each	*e = arg;
	struct case_rec		 c;

	(void)n;
	case_row(s, &c);
	e->each(&c, e->arg);
}

/*
 * Calls cb for each case that passes the filter, newest first; the count
 * or -1. A zero field of the filter does not filter.
 */
int
case_list(struct case_store *cs, const struct case_filter *f,
    case_each_cb cb, void *arg)
{
	struct case_each	 e = { NULL, cb, arg };
	sqlite3_stmt		*s;

	if ((s = sql_once(cs->db, "SELECT " CASE_COLS " FROM cases WHERE "
	    "(?1 = 0 OR status = ?1) AND (?2 = '' OR kind = ?2) AND "
	    "received_at >= ?3 AND (?4 = 0 OR received_at < ?4) "
	    "ORDER BY received_at DESC, id DESC LIMIT ?5", who)) == NULL)
		return -1;
	sqlite3_bind_int(s, 1, f->status);
	sql_text(s, 2, f->kind);
	sqlite3_bind_int64(s, 3, f->since);
	sqlite3_bind_int64(s, 4, f->until);
	sqlite3_bind_int(s, 5, f->limit > 0 ? f->limit : -1);
	return sql_each(who, s, list_row, &e);
}
