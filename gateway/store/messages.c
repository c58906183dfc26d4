/*
 * The message tables: what came in from phones (inbound, and the parts of
 * long messages waiting for their set), what goes out (outbound and its
 * parts' SMSC ids), delivery receipts, and how each SMPP session ended
 * (smpp_session, with its cache in memory and the redelivery_suspect SQL
 * function the duplicate check calls). Writes run inside the batch
 * gateway/store/store.c opens; a failed one poisons it (store_write).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "log.h"
#include "store/sql.h"
#include "store/store.h"
#include "store/store_int.h"

enum {
	Q_IN_ADD, Q_IN_DUP, Q_IN_DONE, Q_IN_NEW,
	Q_PART_ADD, Q_PART_COUNT, Q_PART_TAKE, Q_PART_DEL, Q_PART_OLD,
	Q_PART_GET, Q_PART_SETS, Q_PART_ROWS,
	Q_OUT_ADD, Q_OUT_LOAD, Q_OUT_SENT, Q_OUT_FAILED, Q_OUT_PART,
	Q_OUT_QUEUED, Q_OUT_GET,
	Q_DLR_ADD, Q_DLR_MATCH, Q_DLR_STATE, Q_IN_RECENT, Q_IN_RECENT_SAME,
	Q_SESS_BEGIN, Q_SESS_PROVEN, Q_SESS_END, Q_SESS_DIED, Q_SESS_PRUNE,
	Q_SESS_RECENT,
	Q_COUNT
};

static const char *const queries[Q_COUNT] = {
	[Q_IN_ADD] = "INSERT INTO inbound(link, msisdn, dest, text, kind, "
	    "received_at, state, session, ussd_op, its_session) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	/* One look at this number's same text: a redelivery from an earlier
	 * session (10 minutes back), and the copies in the last minute. Only
	 * the rare rows that match ask redelivery_suspect (memory, no I/O). */
	[Q_IN_DUP] = "SELECT coalesce(max(session != ?5 AND state != 'dup' "
	    "AND redelivery_suspect(session, id)), 0), "
	    "count(*) FILTER (WHERE received_at BETWEEN ?6 AND ?7) "
	    "FROM inbound WHERE msisdn = ?1 AND text = ?2 AND kind = ?3 "
	    "AND received_at >= ?4",
	[Q_IN_DONE] = "UPDATE inbound SET state = 'done' WHERE id = ?1",
	[Q_IN_NEW] = "SELECT id, link, msisdn, text, kind, dest, "
	    "coalesce(ussd_op, -1), coalesce(its_session, -1), received_at, "
	    "session FROM inbound "
	    "WHERE state = 'new' ORDER BY id",
	[Q_PART_ADD] = "INSERT OR IGNORE INTO inbound_part(link, msisdn, ref, "
	    "total, seq, text, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[Q_PART_COUNT] = "SELECT count(*) FROM inbound_part WHERE msisdn = ?1 "
	    "AND ref = ?2 AND total = ?3",
	[Q_PART_TAKE] = "SELECT text, seq FROM inbound_part WHERE msisdn = ?1 "
	    "AND ref = ?2 AND total = ?3 ORDER BY seq",
	[Q_PART_GET] = "SELECT text FROM inbound_part WHERE msisdn = ?1 "
	    "AND ref = ?2 AND total = ?3 AND seq = ?4",
	/* The number's other sets, oldest first: a few rows (capped). */
	[Q_PART_SETS] = "SELECT link, ref, total FROM inbound_part "
	    "WHERE msisdn = ?1 AND NOT (ref = ?2 AND total = ?3) "
	    "GROUP BY ref, total ORDER BY min(received_at), ref LIMIT ?4",
	[Q_PART_ROWS] = "SELECT count(*) FROM inbound_part",
	[Q_PART_DEL] = "DELETE FROM inbound_part WHERE msisdn = ?1 AND ref = ?2 "
	    "AND total = ?3",
	/* Oldest first along inbound_part_age: a batch costs its own rows.
	 * A set's first part is its oldest, so the set is due with it. */
	[Q_PART_OLD] = "SELECT link, msisdn, ref, total FROM inbound_part "
	    "WHERE received_at < ?1 ORDER BY received_at LIMIT ?2",
	[Q_OUT_ADD] = "INSERT INTO outbound(link, msisdn, text, kind, prio, "
	    "inbound_id, created_at, state, ussd_op, its_session, broadcast_id, "
	    "user_msg_ref) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'queued', ?8, ?9, ?10, ?11)",
	[Q_OUT_LOAD] = "SELECT id, msisdn, text, kind, created_at, "
	    "coalesce(ussd_op, -1), coalesce(its_session, -1), "
	    "coalesce(broadcast_id, 0), coalesce(user_msg_ref, -1) FROM outbound "
	    "WHERE link = ?1 AND prio = ?2 AND state = 'queued' AND id > ?3 "
	    "ORDER BY id LIMIT ?4",
	[Q_OUT_SENT] = "UPDATE outbound SET state = 'sent', parts = ?2, "
	    "sent_at = ?3 WHERE id = ?1 AND state = 'queued'",
	[Q_OUT_FAILED] = "UPDATE outbound SET state = 'failed', status = ?2, "
	    "done_at = ?3 WHERE id = ?1",
	[Q_OUT_PART] = "INSERT INTO outbound_part(outbound_id, part, smsc_id, "
	    "id_key, id_key2) VALUES (?1, ?2, ?3, ?4, ?5)",
	[Q_OUT_QUEUED] = "SELECT count(*) FROM outbound WHERE state = 'queued'",
	[Q_OUT_GET] = "SELECT state FROM outbound WHERE id = ?1",
	[Q_IN_RECENT] = "SELECT count(*) FROM inbound WHERE msisdn = ?1 AND "
	    "received_at BETWEEN ?2 AND ?4 AND kind = 'sms'",
	[Q_IN_RECENT_SAME] = "SELECT count(*) FROM inbound WHERE msisdn = ?1 "
	    "AND received_at BETWEEN ?2 AND ?4 AND kind = 'sms' AND text = ?3",
	[Q_DLR_ADD] = "INSERT INTO dlr(link, smsc_id, stat, err, received_at, "
	    "outbound_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[Q_DLR_MATCH] = "SELECT outbound_id FROM outbound_part "
	    "WHERE id_key IN (?1, ?2) OR id_key2 IN (?1, ?2) "
	    "ORDER BY rowid DESC LIMIT 1",
	[Q_DLR_STATE] = "UPDATE outbound SET state = ?2, done_at = ?3 "
	    "WHERE id = ?1 AND state IN ('sent', 'delivered')",
	[Q_SESS_BEGIN] = "INSERT OR REPLACE INTO smpp_session(id, link, "
	    "began_at, proven_id) VALUES (?1, ?2, ?3, ?4)",
	[Q_SESS_PROVEN] = "UPDATE smpp_session SET proven_id = ?2 "
	    "WHERE id = ?1 AND how IS NULL",
	[Q_SESS_END] = "UPDATE smpp_session SET how = ?2, ended_at = ?3, "
	    "lost_after = ?4 WHERE id = ?1",
	/* Bound when the last process died: its proof is all we know. */
	[Q_SESS_DIED] = "UPDATE smpp_session SET how = 'died', ended_at = ?1, "
	    "lost_after = proven_id WHERE how IS NULL",
	[Q_SESS_PRUNE] = "DELETE FROM smpp_session WHERE id < (SELECT min(id) "
	    "FROM (SELECT id FROM smpp_session ORDER BY id DESC LIMIT ?1))",
	/* NULL: ended cleanly; still "bound" only if marking died failed */
	[Q_SESS_RECENT] = "SELECT id, CASE WHEN how IS NULL THEN proven_id "
	    "ELSE lost_after END FROM smpp_session ORDER BY id DESC LIMIT ?1",
};

/*
 * The SMPP sessions a redelivery could come from, in memory so that the
 * duplicate check costs no query of its own: this process's bound sessions
 * (the SMSC still holds what it has not had answered: nothing on them is
 * redelivered elsewhere) and the latest ended ones, each with the inbound
 * id past which its acknowledgements may have been lost. A session not
 * here is unknown (older than migration 7, evicted, or the 0 of parts
 * handled after 60 s) and is treated as before: any copy on it is suspect.
 */
#define SESS_CACHE	256
#define SESS_KEEP_ROWS	1000	/* rows kept on disk, newest first */
#define SESS_BOUND	(-2)	/* lost_after of a session still bound */

struct sess {
	int64_t		 id;
	int64_t		 lost_after;	/* INT64_MAX: ended cleanly */
};

struct store_msgs {
	sqlite3		*db;
	sqlite3_stmt	*q[Q_COUNT];
	struct sess	 sess[SESS_CACHE];
	int		 nsess;
};

static sqlite3_stmt *
stmt(struct store *st, int q)
{
	return store_msgs(st)->q[q];
}

static struct sess *
sess_find(struct store_msgs *m, int64_t id)
{
	int	i;

	for (i = 0; i < m->nsess; i++)
		if (m->sess[i].id == id)
			return &m->sess[i];
	return NULL;
}

/* When full, the oldest ended session goes: unknown is the safe side. */
static void
sess_put(struct store_msgs *m, int64_t id, int64_t lost_after)
{
	struct sess	*s = sess_find(m, id);
	int		 i, old = 0;

	if (s == NULL && m->nsess < SESS_CACHE)
		s = &m->sess[m->nsess++];
	if (s == NULL) {
		for (i = 1; i < m->nsess; i++)
			if (m->sess[old].lost_after == SESS_BOUND ||
			    (m->sess[i].lost_after != SESS_BOUND &&
			    m->sess[i].id < m->sess[old].id))
				old = i;
		s = &m->sess[old];
	}
	s->id = id;
	s->lost_after = lost_after;
}

/* redelivery_suspect(session, inbound id): may the SMSC send it again? */
static void
sql_suspect(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct store_msgs	*m = sqlite3_user_data(ctx);
	const struct sess	*s = sess_find(m, sqlite3_value_int64(argv[0]));
	int64_t			 id = sqlite3_value_int64(argv[1]);

	(void)argc;
	sqlite3_result_int(ctx, s == NULL ||
	    (s->lost_after != SESS_BOUND && id > s->lost_after));
}

static int
sess_register(struct store_msgs *m)
{
	if (sqlite3_create_function(m->db, "redelivery_suspect", 2,
	    SQLITE_UTF8 | SQLITE_DIRECTONLY, m, sql_suspect, NULL, NULL) ==
	    SQLITE_OK)
		return 0;
	log_warnx("store: redelivery_suspect: %s", sqlite3_errmsg(m->db));
	return -1;
}

struct store_msgs *
msgs_open(struct store *st, sqlite3 *db)
{
	struct store_msgs	*m;

	(void)st;
	if ((m = calloc(1, sizeof(*m))) == NULL)
		fatal("calloc");
	m->db = db;
	if (sess_register(m) == -1 ||
	    sql_prepare_all(db, queries, m->q, Q_COUNT, "store") == -1) {
		free(m);
		return NULL;
	}
	return m;
}

void
msgs_close(struct store_msgs *m)
{
	if (m == NULL)
		return;
	sql_finalize_all(m->q, Q_COUNT);
	free(m);
}

/*
 * Whether the message may be a redelivery (1: a duplicate, 0: not, -1:
 * error): the same text from this number in the last 10 minutes, on
 * another session whose acknowledgement of it may have been lost (see
 * store_session_end); in *same the messages with this text from this
 * number in the minute before it, for flood control. A USSD answer ("1")
 * repeats by nature: sessions guard those.
 */
int
store_inbound_seen(struct store *st, const struct inbound *in, int *same)
{
	sqlite3_stmt	*s = stmt(st, Q_IN_DUP);
	int		 rc, dup = 0;

	*same = 0;
	if (strcmp(in->kind, "ussd") == 0)
		return 0;
	sql_text(s, 1, in->msisdn);
	sql_text(s, 2, in->text);
	sql_text(s, 3, in->kind);
	sqlite3_bind_int64(s, 4, in->received_at - STORE_DEDUP_WINDOW_MS);
	sqlite3_bind_int64(s, 5, in->session);
	sqlite3_bind_int64(s, 6, in->received_at - 60 * 1000);
	sqlite3_bind_int64(s, 7, in->received_at);
	if ((rc = sql_step("store", s)) == -1)
		return -1;
	if (rc == SQLITE_ROW) {	/* an aggregate: always one row */
		dup = sqlite3_column_int(s, 0) != 0;
		*same = sqlite3_column_int(s, 1);
	}
	sql_done(s);
	return dup;
}

/* Stores the message in state new, done or dup; its id in *id. */
int
store_inbound_insert(struct store *st, const struct inbound *in,
    const char *state, int64_t *id)
{
	sqlite3_stmt	*s = stmt(st, Q_IN_ADD);

	sql_text(s, 1, in->link);
	sql_text(s, 2, in->msisdn);
	sql_text(s, 3, in->dest);
	sql_text(s, 4, in->text);
	sql_text(s, 5, in->kind);
	sqlite3_bind_int64(s, 6, in->received_at);
	sql_text(s, 7, state);
	sqlite3_bind_int64(s, 8, in->session);
	if (in->ussd_op >= 0) {
		sqlite3_bind_int(s, 9, in->ussd_op);
		if (in->its_session >= 0)
			sqlite3_bind_int(s, 10, in->its_session);
	}
	if (store_write(st, s) == -1)
		return -1;
	*id = sqlite3_last_insert_rowid(store_db(st));
	store_inbound_written(st, *id);
	return 0;
}

/*
 * Messages from this number in [since, until] (with this text): flood
 * control. Bounded above too, so that after the clock is set back the
 * messages stamped "later" do not all count as the last minute.
 */
int
store_inbound_recent(struct store *st, const char *msisdn, int64_t since,
    int64_t until, const char *text)
{
	sqlite3_stmt	*s = stmt(st, text ? Q_IN_RECENT_SAME : Q_IN_RECENT);

	sql_text(s, 1, msisdn);
	sqlite3_bind_int64(s, 2, since);
	sqlite3_bind_int64(s, 4, until);
	if (text)
		sql_text(s, 3, text);
	return (int)sql_scalar("store", s);
}

int
store_inbound_done(struct store *st, int64_t id)
{
	sqlite3_stmt	*s = stmt(st, Q_IN_DONE);

	sqlite3_bind_int64(s, 1, id);
	return store_write(st, s);
}

int
store_inbound_each_new(struct store *st, store_inbound_cb cb, void *arg)
{
	sqlite3_stmt	*s = stmt(st, Q_IN_NEW);
	struct inbound	 in;
	int		 n = 0;

	while (sqlite3_step(s) == SQLITE_ROW) {
		memset(&in, 0, sizeof(in));
		in.id = sqlite3_column_int64(s, 0);
		snprintf(in.link, sizeof(in.link), "%s", sqlite3_column_text(s, 1));
		snprintf(in.msisdn, sizeof(in.msisdn), "%s",
		    sqlite3_column_text(s, 2));
		in.text = (const char *)sqlite3_column_text(s, 3);
		in.kind = (const char *)sqlite3_column_text(s, 4);
		in.dest = (const char *)sqlite3_column_text(s, 5);
		in.ussd_op = sqlite3_column_int(s, 6);
		in.its_session = sqlite3_column_int(s, 7);
		in.received_at = sqlite3_column_int64(s, 8);
		in.session = sqlite3_column_int64(s, 9);
		in.user_msg_ref = -1;	/* a USSD session does not outlive us */
		cb(&in, arg);
		n++;
	}
	sqlite3_reset(s);
	return n;
}

static void
bind_set(sqlite3_stmt *s, const char *msisdn, int ref, int total)
{
	sql_text(s, 1, msisdn);
	sqlite3_bind_int(s, 2, ref);
	sqlite3_bind_int(s, 3, total);
}

/*
 * Whether the set already holds part seq with other content: a new
 * message that reuses the 8-bit reference (1), a true copy or nothing
 * there (0), or -1.
 */
static int
part_conflicts(struct store *st, const struct inbound *in, int ref,
    int total, int seq)
{
	sqlite3_stmt	*s = stmt(st, Q_PART_GET);
	int		 rc, differs = 0;

	bind_set(s, in->msisdn, ref, total);
	sqlite3_bind_int(s, 4, seq);
	if ((rc = sql_step("store", s)) == -1)
		return -1;
	if (rc == SQLITE_ROW)
		differs = strcmp((const char *)sqlite3_column_text(s, 0),
		    in->text) != 0;
	sql_done(s);
	return differs;
}

/*
 * Stores one part; returns how many parts of its set are now stored, or
 * STORE_PART_CONFLICT (nothing stored) when the set holds this part
 * number with other content. A true copy changes nothing.
 */
int
store_part_add(struct store *st, const struct inbound *in, int ref,
    int total, int seq)
{
	sqlite3_stmt	*s = stmt(st, Q_PART_ADD);
	int		 c;

	if ((c = part_conflicts(st, in, ref, total, seq)) != 0)
		return c == 1 ? STORE_PART_CONFLICT : -1;
	sql_text(s, 1, in->link);
	sql_text(s, 2, in->msisdn);
	sqlite3_bind_int(s, 3, ref);
	sqlite3_bind_int(s, 4, total);
	sqlite3_bind_int(s, 5, seq);
	sql_text(s, 6, in->text);
	sqlite3_bind_int64(s, 7, in->received_at);
	if (store_write(st, s) == -1)
		return -1;
	s = stmt(st, Q_PART_COUNT);
	bind_set(s, in->msisdn, ref, total);
	return (int)sql_scalar("store", s);
}

/*
 * Joins the stored parts of a set in order into out (text_join: an ESC
 * pair split between parts is rejoined) and deletes them; the length, with
 * the bytes cut at cap in *cut.
 */
int
store_part_take(struct store *st, const char *msisdn, int ref, int total,
    char *out, size_t cap, size_t *cut)
{
	sqlite3_stmt	*s = stmt(st, Q_PART_TAKE);
	struct text_join j;
	int		 rc;

	text_join_init(&j, out, cap);
	bind_set(s, msisdn, ref, total);
	while ((rc = sql_step("store", s)) == SQLITE_ROW)
		text_join_add(&j, sqlite3_column_int(s, 1),
		    (const char *)sqlite3_column_text(s, 0));
	if (rc == -1)
		return -1;
	sql_done(s);
	text_join_end(&j);
	*cut = j.cut;
	s = stmt(st, Q_PART_DEL);
	bind_set(s, msisdn, ref, total);
	return store_write(st, s) == -1 ? -1 : (int)j.len;
}

static void
part_row(sqlite3_stmt *s, int link, int msisdn, int ref,
    struct part_set *ps)
{
	sql_col(s, link, ps->link, sizeof(ps->link));
	if (msisdn >= 0)
		sql_col(s, msisdn, ps->msisdn, sizeof(ps->msisdn));
	ps->ref = sqlite3_column_int(s, ref);
	ps->total = sqlite3_column_int(s, ref + 1);
}

struct part_rows {
	struct part_set	*sets;
	int		 n, max;
	const char	*msisdn;	/* NULL: a column */
};

/* A row of Q_PART_OLD: a set seen already (by another part) counts once. */
static void
part_old_row(sqlite3_stmt *s, int n, void *arg)
{
	struct part_rows	*r = arg;
	struct part_set		 ps;
	int			 i;

	(void)n;
	part_row(s, 0, 1, 2, &ps);
	for (i = 0; i < r->n; i++)
		if (r->sets[i].ref == ps.ref && r->sets[i].total == ps.total &&
		    strcmp(r->sets[i].msisdn, ps.msisdn) == 0)
			return;
	r->sets[r->n++] = ps;
}

/*
 * Up to max sets with a part received before `before`, oldest first
 * (sets must hold max); fewer when their parts come in pairs. The parts
 * read, so that max means "there may be more".
 */
int
store_part_old(struct store *st, int64_t before, struct part_set *sets,
    int max, int *nsets)
{
	sqlite3_stmt		*s = stmt(st, Q_PART_OLD);
	struct part_rows	 r = { sets, 0, max, NULL };
	int			 n;

	sqlite3_bind_int64(s, 1, before);
	sqlite3_bind_int(s, 2, max);
	n = sql_rows("store", s, max, part_old_row, &r);
	*nsets = r.n;
	return n;
}

static void
part_sets_row(sqlite3_stmt *s, int n, void *arg)
{
	struct part_rows	*r = arg;

	if (n > 0)
		return;
	part_row(s, 0, -1, 1, &r->sets[0]);
	snprintf(r->sets[0].msisdn, sizeof(r->sets[0].msisdn), "%s",
	    r->msisdn);
}

/*
 * The sets this number has open besides (ref, total), up to max, and the
 * oldest of them in *oldest; -1 on error.
 */
int
store_part_others(struct store *st, const char *msisdn, int ref, int total,
    int max, struct part_set *oldest)
{
	sqlite3_stmt		*s = stmt(st, Q_PART_SETS);
	struct part_rows	 r = { oldest, 0, 1, msisdn };

	bind_set(s, msisdn, ref, total);
	sqlite3_bind_int(s, 4, max);
	return sql_rows("store", s, max, part_sets_row, &r);
}

/* Parts on disk in all (a count over inbound_part_age: milliseconds). */
int
store_part_rows(struct store *st)
{
	return (int)sql_scalar("store", stmt(st, Q_PART_ROWS));
}

int64_t
store_outbound_add(struct store *st, const struct outbound *o)
{
	sqlite3_stmt	*s = stmt(st, Q_OUT_ADD);
	int64_t		 id;

	sql_text(s, 1, o->link);
	sql_text(s, 2, o->msisdn);
	sql_text(s, 3, o->text);
	sql_text(s, 4, o->kind);
	sqlite3_bind_int(s, 5, o->prio);
	if (o->inbound_id > 0)
		sqlite3_bind_int64(s, 6, o->inbound_id);
	sqlite3_bind_int64(s, 7, o->created_at);
	if (o->ussd_op >= 0) {
		sqlite3_bind_int(s, 8, o->ussd_op);
		if (o->its_session >= 0)
			sqlite3_bind_int(s, 9, o->its_session);
	}
	if (o->broadcast_id > 0)
		sqlite3_bind_int64(s, 10, o->broadcast_id);
	if (o->ussd_op >= 0 && o->user_msg_ref >= 0)
		sqlite3_bind_int(s, 11, o->user_msg_ref);
	if (store_write(st, s) == -1)
		return -1;
	id = sqlite3_last_insert_rowid(store_db(st));
	store_queued(st);
	return id;
}

int
store_outbound_load(struct store *st, const char *link, int prio,
    int64_t after, int limit, store_outbound_cb cb, void *arg)
{
	sqlite3_stmt	*s = stmt(st, Q_OUT_LOAD);
	struct outbound	 o;
	int		 n = 0;

	sql_text(s, 1, link);
	sqlite3_bind_int(s, 2, prio);
	sqlite3_bind_int64(s, 3, after);
	sqlite3_bind_int(s, 4, limit);
	while (sqlite3_step(s) == SQLITE_ROW) {
		memset(&o, 0, sizeof(o));
		o.id = sqlite3_column_int64(s, 0);
		o.link = link;
		o.prio = prio;
		o.msisdn = (const char *)sqlite3_column_text(s, 1);
		o.text = (const char *)sqlite3_column_text(s, 2);
		o.kind = (const char *)sqlite3_column_text(s, 3);
		o.created_at = sqlite3_column_int64(s, 4);
		o.ussd_op = sqlite3_column_int(s, 5);
		o.its_session = sqlite3_column_int(s, 6);
		o.broadcast_id = sqlite3_column_int64(s, 7);
		o.user_msg_ref = sqlite3_column_int(s, 8);
		cb(&o, arg);
		n++;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return n;
}

int
store_outbound_part(struct store *st, int64_t id, int part,
    const char *smsc_id, const char *key, const char *key2)
{
	sqlite3_stmt	*s = stmt(st, Q_OUT_PART);

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, part);
	sql_text(s, 3, smsc_id);
	sql_text(s, 4, key);
	sql_text(s, 5, key2);
	return store_write(st, s);
}

int
store_outbound_sent(struct store *st, int64_t id, int parts, int64_t now)
{
	sqlite3_stmt	*s = stmt(st, Q_OUT_SENT);

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, parts);
	sqlite3_bind_int64(s, 3, now);
	return store_write(st, s);
}

int
store_outbound_failed(struct store *st, int64_t id, uint32_t status,
    int64_t now)
{
	sqlite3_stmt	*s = stmt(st, Q_OUT_FAILED);

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, status);
	sqlite3_bind_int64(s, 3, now);
	return store_write(st, s);
}

int
store_outbound_queued(struct store *st)
{
	return (int)sql_scalar("store", stmt(st, Q_OUT_QUEUED));
}

/* Records a receipt and moves its message to delivered/failed; the id. */
int64_t
store_dlr_add(struct store *st, const struct dlr_rec *d)
{
	sqlite3_stmt	*s = stmt(st, Q_DLR_MATCH);
	int64_t		 out_id = 0;

	sql_text(s, 1, d->key);
	sql_text(s, 2, d->key2);
	if ((out_id = sql_scalar("store", s)) < 0)
		out_id = 0;	/* kept unmatched, as a receipt for nothing */

	s = stmt(st, Q_DLR_ADD);
	sql_text(s, 1, d->link);
	sql_text(s, 2, d->smsc_id);
	sql_text(s, 3, d->stat);
	sql_text(s, 4, d->err);
	sqlite3_bind_int64(s, 5, d->received_at);
	if (out_id)
		sqlite3_bind_int64(s, 6, out_id);
	if (store_write(st, s) == -1)
		return -1;
	if (out_id && d->final) {
		s = stmt(st, Q_DLR_STATE);
		sqlite3_bind_int64(s, 1, out_id);
		sql_text(s, 2, d->success ? "delivered" : "failed");
		sqlite3_bind_int64(s, 3, d->received_at);
		if (store_write(st, s) == -1)
			return -1;
	}
	return out_id;
}

/* ---- SMPP sessions: how each ended, for store_inbound_seen ---- */

/*
 * A session row written as (id, word, now, v), v NULL when INT64_MAX; the
 * cache learns lost_after first: a write that fails still protects this
 * process.
 */
static int
sess_write(struct store *st, int q, int64_t id, const char *word,
    int64_t now, int64_t v, int64_t lost_after)
{
	sqlite3_stmt	*s = stmt(st, q);

	sess_put(store_msgs(st), id, lost_after);
	sqlite3_bind_int64(s, 1, id);
	sql_text(s, 2, word);
	sqlite3_bind_int64(s, 3, now);
	if (v != INT64_MAX)
		sqlite3_bind_int64(s, 4, v);
	return store_write(st, s);
}

/* A bind: nothing on it has been acknowledged past proven_id yet. */
int
store_session_begin(struct store *st, int64_t id, const char *link,
    int64_t now, int64_t proven_id)
{
	return sess_write(st, Q_SESS_BEGIN, id, link, now, proven_id,
	    SESS_BOUND);
}

/* Kept on disk for the next process, should this one die. */
int
store_session_proven(struct store *st, int64_t id, int64_t proven_id)
{
	sqlite3_stmt	*s = stmt(st, Q_SESS_PROVEN);

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, proven_id);
	return store_write(st, s);
}

/*
 * The session ended: how ("unbind", answered either way, or "drop") and
 * the inbound id after which its messages may come again (INT64_MAX:
 * none).
 */
int
store_session_end(struct store *st, int64_t id, const char *how,
    int64_t now, int64_t lost_after)
{
	return sess_write(st, Q_SESS_END, id, how, now, lost_after,
	    lost_after);
}

static void
sess_row(sqlite3_stmt *s, int n, void *arg)
{
	(void)n;
	sess_put(arg, sqlite3_column_int64(s, 0),
	    sqlite3_column_type(s, 1) == SQLITE_NULL ? INT64_MAX :
	    sqlite3_column_int64(s, 1));
}

static int
sess_load_recent(struct store *st)
{
	sqlite3_stmt	*s = stmt(st, Q_SESS_RECENT);

	sqlite3_bind_int(s, 1, SESS_CACHE);
	return sql_rows("store", s, SESS_CACHE, sess_row, store_msgs(st)) ==
	    -1 ? -1 : 0;
}

/*
 * At start: a session the last process left bound ended when it died,
 * with its last acknowledgement proof as the limit; then the newest
 * sessions are remembered. A failure leaves them unknown (suspect).
 */
int
store_sessions_load(struct store *st, int64_t now)
{
	sqlite3_stmt	*s = stmt(st, Q_SESS_DIED);
	int		 died;

	sqlite3_bind_int64(s, 1, now);
	if (store_write(st, s) == -1)
		return -1;
	if ((died = sqlite3_changes(store_db(st))) > 0)
		log_info("store: %d SMPP session(s) were bound when the last "
		    "run ended: their unacknowledged messages count as "
		    "possible redeliveries", died);
	s = stmt(st, Q_SESS_PRUNE);
	sqlite3_bind_int(s, 1, SESS_KEEP_ROWS);
	if (store_write(st, s) == -1)
		return -1;
	return sess_load_recent(st);
}
