/*
 * The staff console's reads (store/console.h). Each one walks an index
 * for a bounded number of rows: a page of cases reads at most its budget
 * and hands back where it stopped, a conversation at most its limit from
 * each side, a day's count a binary search over ids then the day's rows.
 * Statements are prepared per call: they run at staff pace.
 */
#include <stdint.h>
#include <string.h>

#include <sqlite3.h>

#include "store/cases.h"
#include "store/console.h"
#include "store/sql.h"

static const char who[] = "console";	/* in log lines */

int
case_walk(struct case_store *cs, const struct case_key *key,
    const char *msisdn, int budget, case_walk_cb cb, void *arg,
    struct case_key *last)
{
	sqlite3_stmt	*s;
	struct case_rec	 c;
	int		 n = 0, rc;

	s = sql_once(case_store_db(cs), msisdn ? "SELECT " CASE_COLS " FROM "
	    "cases WHERE msisdn = ?4 AND (received_at, id) < (?1, ?2) ORDER BY "
	    "received_at DESC, id DESC LIMIT ?3" : "SELECT " CASE_COLS " FROM "
	    "cases WHERE (received_at, id) < (?1, ?2) ORDER BY received_at "
	    "DESC, id DESC LIMIT ?3", who);
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, key->at || key->id ? key->at : INT64_MAX);
	sqlite3_bind_int64(s, 2, key->at || key->id ? key->id : INT64_MAX);
	sqlite3_bind_int(s, 3, budget);
	if (msisdn)
		sql_text(s, 4, msisdn);
	while ((rc = sql_step(who, s)) == SQLITE_ROW) {
		case_row(s, &c);
		n++;
		last->at = c.received_at;
		last->id = c.id;
		if (cb(&c, arg) == 1)
			break;
	}
	sqlite3_finalize(s);
	return rc == -1 ? -1 : n;
}

static void
due_row(sqlite3_stmt *s, int n, void *arg)
{
	void		**cb = arg;
	struct case_rec	 c;

	(void)n;
	case_row(s, &c);
	((case_rec_cb)(uintptr_t)cb[0])(&c, cb[1]);
}

/* The index cases_open_due holds exactly the open cases (migration 11). */
int
case_due_page(struct case_store *cs, const char *lo, const char *hi,
    int limit, case_rec_cb cb, void *arg)
{
	void		*pair[2] = { (void *)(uintptr_t)cb, arg };
	sqlite3_stmt	*s;

	if ((s = sql_once(case_store_db(cs), "SELECT " CASE_COLS " FROM cases "
	    "INDEXED BY cases_open_due WHERE kind = 'case' AND status IN "
	    "(2, 4, 5, 6) AND due >= ?1 AND due <= ?2 ORDER BY due, id "
	    "LIMIT ?3", who)) == NULL)
		return -1;
	sql_text(s, 1, lo);
	sql_text(s, 2, hi);
	sqlite3_bind_int(s, 3, limit);
	return sql_each(who, s, due_row, pair);
}

int
case_rated_at(struct case_store *cs, int64_t id, int64_t *at)
{
	sqlite3_stmt	*s;
	int		 rc;

	if ((s = sql_once(case_store_db(cs), "SELECT rated_at FROM cases "
	    "WHERE id = ?1 AND rated_at IS NOT NULL", who)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sql_step(who, s)) == SQLITE_ROW)
		*at = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return rc == -1 ? -1 : rc == SQLITE_ROW;
}

static void
msg_row(sqlite3_stmt *s, int n, void *arg)
{
	void		**cb = arg;
	struct msg_rec	 m;

	(void)n;
	m.dir = (const char *)sqlite3_column_text(s, 0);
	m.at = sqlite3_column_int64(s, 1);
	m.text = (const char *)sqlite3_column_text(s, 2);
	m.state = (const char *)sqlite3_column_text(s, 3);
	((msg_cb)(uintptr_t)cb[0])(&m, cb[1]);
}

/* Within one millisecond a text comes before its reply, and a staff
 * text before both: the sort key (at, tk, k) says so. A citizen answering
 * a staff text within the millisecond is a machine's speed (the tests'),
 * and is shown in its order; the reverse, a clerk's text landing in the
 * millisecond after a citizen's, is shown swapped, by one millisecond. */
#define MSG_LAST	"0"

/*
 * Each side walks its own index for at most limit rows: texts in by
 * number, the replies to them by the message they answer, staff texts
 * and broadcasts by number (partial indexes: replies, the bulk of the
 * table, are not indexed by number, to keep their writes cheap).
 */
int
msg_thread_each(struct case_store *cs, const char *msisdn, int limit,
    msg_cb cb, void *arg)
{
	void		*pair[2] = { (void *)(uintptr_t)cb, arg };
	sqlite3_stmt	*s;

	if ((s = sql_once(case_store_db(cs), "WITH i AS (SELECT id, "
	    "received_at, text, state FROM inbound WHERE msisdn = ?1 ORDER BY "
	    "received_at DESC LIMIT ?2), m AS ("
	    "SELECT 'in' AS dir, received_at AS at, text, state, id AS tk, "
	    "0 AS k FROM i UNION ALL "
	    "SELECT 'out', o.created_at, o.text, o.state, i.id, o.id FROM i "
	    "JOIN outbound o ON o.inbound_id = i.id UNION ALL "
	    "SELECT * FROM (SELECT 'out', created_at, text, state, " MSG_LAST
	    ", id FROM outbound WHERE msisdn = ?1 AND kind = 'notify' ORDER BY "
	    "created_at DESC LIMIT ?2) UNION ALL "
	    "SELECT * FROM (SELECT 'out', created_at, text, state, " MSG_LAST
	    ", id FROM outbound WHERE msisdn = ?1 AND kind = 'broadcast' "
	    "ORDER BY created_at DESC LIMIT ?2)) "
	    "SELECT * FROM (SELECT dir, at, text, state, tk, k FROM m ORDER BY "
	    "at DESC, tk DESC, k DESC LIMIT ?2) ORDER BY at, tk, k", who)) == NULL)
		return -1;
	sql_text(s, 1, msisdn);
	sqlite3_bind_int(s, 2, limit);
	return sql_each(who, s, msg_row, pair);
}

/* The first row (id >= from) of the table: its id and time; 0 none. */
static int
msg_probe(sqlite3_stmt *s, int64_t from, int64_t *id, int64_t *at)
{
	int	rc;

	sqlite3_bind_int64(s, 1, from);
	if ((rc = sql_step(who, s)) == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		*at = sqlite3_column_int64(s, 1);
	}
	sql_done(s);
	return rc == -1 ? -1 : rc == SQLITE_ROW;
}

/*
 * Rows are written in time order, so ids follow time: a binary search
 * finds the day's first id in a few probes, and the count walks only the
 * day's rows, never the table.
 */
int64_t
msg_count_since(struct case_store *cs, int out, int64_t since)
{
	sqlite3		*db = case_store_db(cs);
	sqlite3_stmt	*p, *c;
	int64_t		 lo = 0, hi = INT64_MAX / 2, mid, id, at;
	int		 rc = 0;

	p = sql_once(db, out ? "SELECT id, created_at FROM outbound WHERE id "
	    ">= ?1 ORDER BY id LIMIT 1" : "SELECT id, received_at FROM inbound "
	    "WHERE id >= ?1 ORDER BY id LIMIT 1", who);
	if (p == NULL)
		return -1;
	while (lo < hi && rc != -1) {
		mid = lo + (hi - lo) / 2;
		if ((rc = msg_probe(p, mid, &id, &at)) == 0 || (rc == 1 &&
		    at >= since))
			hi = mid;
		else if (rc == 1)
			lo = id + 1;
	}
	sqlite3_finalize(p);
	if (rc == -1 || (c = sql_once(db, out ? "SELECT count(*) FROM outbound "
	    "WHERE id >= ?1" : "SELECT count(*) FROM inbound WHERE id >= ?1",
	    who)) == NULL)
		return -1;
	sqlite3_bind_int64(c, 1, lo);
	id = sql_scalar(who, c);
	sqlite3_finalize(c);
	return id;
}

/* ---- the inbox ---- */

int
inbox_note(struct case_store *cs, const char *msisdn, const char *kind,
    int64_t in_id, int64_t at, const char *text)
{
	sqlite3_stmt	*s;

	if ((s = sql_once(case_store_db(cs), "INSERT INTO inbox(msisdn, kind, "
	    "last_in_id, last_at, last_text, count) VALUES (?1, ?2, ?3, ?4, "
	    "?5, 1) ON CONFLICT(msisdn) DO UPDATE SET kind = ?2, last_in_id = "
	    "?3, last_at = ?4, last_text = ?5, count = CASE WHEN done_at IS "
	    "NULL THEN count + 1 ELSE 1 END, done_at = NULL, done_by = NULL",
	    who)) == NULL)
		return -1;
	sql_text(s, 1, msisdn);
	sql_text(s, 2, kind);
	sqlite3_bind_int64(s, 3, in_id);
	sqlite3_bind_int64(s, 4, at);
	sql_text(s, 5, text);
	return sql_finish(who, s);
}

#define INBOX_COLS "last_in_id, msisdn, kind, last_at, last_text, count, " \
	"done_at IS NOT NULL, coalesce(done_by, '')"

static void
inbox_row(sqlite3_stmt *s, int n, void *arg)
{
	void			**cb = arg;
	struct inbox_thread	  t;

	(void)n;
	t.last_in_id = sqlite3_column_int64(s, 0);
	t.msisdn = (const char *)sqlite3_column_text(s, 1);
	t.kind = (const char *)sqlite3_column_text(s, 2);
	t.last_at = sqlite3_column_int64(s, 3);
	t.last_text = (const char *)sqlite3_column_text(s, 4);
	t.count = sqlite3_column_int(s, 5);
	t.done = sqlite3_column_int(s, 6);
	t.done_by = (const char *)sqlite3_column_text(s, 7);
	((inbox_cb)(uintptr_t)cb[0])(&t, cb[1]);
}

int
inbox_page(struct case_store *cs, const struct inbox_key *key,
    int open_only, int limit, inbox_cb cb, void *arg)
{
	void		*pair[2] = { (void *)(uintptr_t)cb, arg };
	sqlite3_stmt	*s;

	s = sql_once(case_store_db(cs), open_only ? "SELECT " INBOX_COLS
	    " FROM inbox WHERE done_at IS NULL AND last_in_id < ?1 ORDER BY "
	    "last_in_id DESC LIMIT ?3" : "SELECT " INBOX_COLS " FROM inbox "
	    "WHERE last_in_id < ?1 ORDER BY last_in_id DESC LIMIT ?3", who);
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, key->last_in_id ? key->last_in_id : INT64_MAX);
	sqlite3_bind_int(s, 3, limit);
	return sql_each(who, s, inbox_row, pair);
}

int
inbox_get(struct case_store *cs, const char *msisdn, inbox_cb cb, void *arg)
{
	void		*pair[2] = { (void *)(uintptr_t)cb, arg };
	sqlite3_stmt	*s;

	if ((s = sql_once(case_store_db(cs), "SELECT " INBOX_COLS " FROM inbox "
	    "WHERE msisdn = ?1", who)) == NULL)
		return -1;
	sql_text(s, 1, msisdn);
	return sql_each(who, s, inbox_row, pair);
}

int
inbox_done(struct case_store *cs, const char *msisdn, int64_t now,
    const char *actor)
{
	sqlite3		*db = case_store_db(cs);
	sqlite3_stmt	*s;

	if ((s = sql_once(db, "UPDATE inbox SET done_at = ?2, done_by = ?3 "
	    "WHERE msisdn = ?1", who)) == NULL)
		return -1;
	sql_text(s, 1, msisdn);
	sqlite3_bind_int64(s, 2, now);
	sql_text(s, 3, actor);
	if (sql_finish(who, s) == -1)
		return -1;
	return sqlite3_changes(db) > 0;
}
