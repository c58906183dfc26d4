/*
 * Broadcasts and their recipients: the rows that let a broadcast of
 * 100,000 be sent a bounded batch at a time and resume after a restart.
 * Recipients are expanded in SQL, duplicates collapsing on the unique
 * key (broadcast_id, msisdn); opt-outs are skipped once, at creation.
 * Statements are prepared once: the tick asks some of them every 100 ms.
 * Every write runs inside the caller's transaction.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "log.h"
#include "store/broadcasts.h"
#include "store/sql.h"
#include "store/store.h"

static const char who[] = "broadcast";	/* in log lines */

enum {
	Q_ADD, Q_RCPT_ONE, Q_RCPT_GROUP, Q_COUNT_GROUP, Q_RCPT_STATUS,
	Q_COUNT_STATUS, Q_SKIP_OPTOUT, Q_SET_TOTAL, Q_GET, Q_PENDING_COUNT,
	Q_SKIPPED_COUNT, Q_OUT_COUNTS, Q_DUE, Q_SET_STATE, Q_NEXT,
	Q_RCPT_SKIP, Q_RCPT_QUEUED, Q_CAP_COUNT, Q_CANCEL_OUT, Q_LIST,
	Q_GROUP_EXISTS, Q_OUT_QUEUED, Q_HAS_PENDING, Q_BY_STATE, Q_ALL_PENDING,
	Q_NQ
};

static const char *const queries[Q_NQ] = {
	[Q_BY_STATE] = "SELECT state, count(*) FROM broadcasts GROUP BY state",
	[Q_ALL_PENDING] = "SELECT count(*) FROM broadcast_recipients r "
	    "JOIN broadcasts b ON r.broadcast_id = b.id WHERE b.state IN "
	    "('scheduled', 'sending', 'waiting') AND r.state = 'pending'",
	[Q_ADD] = "INSERT INTO broadcasts(state, target, text, template, vars, "
	    "at, created_at, total) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 0)",
	[Q_RCPT_ONE] = "INSERT OR IGNORE INTO broadcast_recipients(broadcast_id, "
	    "msisdn, name, code, state) VALUES (?1, ?2, "
	    "coalesce((SELECT name FROM contacts WHERE msisdn = ?2), ''), '', "
	    "'pending')",
	[Q_RCPT_GROUP] = "INSERT OR IGNORE INTO broadcast_recipients("
	    "broadcast_id, msisdn, name, state) SELECT ?1, c.msisdn, c.name, "
	    "'pending' FROM contact_groups cg JOIN groups g ON g.id = "
	    "cg.group_id JOIN contacts c ON c.msisdn = cg.msisdn "
	    "WHERE g.name = ?2 ORDER BY c.msisdn",
	[Q_COUNT_GROUP] = "SELECT count(*) FROM contact_groups cg JOIN groups g "
	    "ON g.id = cg.group_id WHERE g.name = ?1",
	[Q_RCPT_STATUS] = "INSERT OR IGNORE INTO broadcast_recipients("
	    "broadcast_id, msisdn, name, code, state) SELECT ?1, msisdn, name, "
	    "code, 'pending' FROM cases WHERE status = ?2 AND kind = 'case' "
	    "AND msisdn != '' ORDER BY id",
	[Q_COUNT_STATUS] = "SELECT count(*) FROM cases WHERE status = ?1 AND "
	    "kind = 'case' AND msisdn != ''",
	[Q_SKIP_OPTOUT] = "UPDATE broadcast_recipients SET state = 'skipped', "
	    "reason = 'optout' WHERE broadcast_id = ?1 AND state = 'pending' "
	    "AND msisdn IN (SELECT msisdn FROM optout WHERE opted_out = 1)",
	[Q_SET_TOTAL] = "UPDATE broadcasts SET total = ?2, dups = ?3 WHERE id = ?1",
	[Q_GET] = "SELECT state, total, dups FROM broadcasts WHERE id = ?1",
	[Q_PENDING_COUNT] = "SELECT count(*) FROM broadcast_recipients "
	    "WHERE broadcast_id = ?1 AND state = 'pending'",
	[Q_SKIPPED_COUNT] = "SELECT count(*) FROM broadcast_recipients "
	    "WHERE broadcast_id = ?1 AND state = 'skipped'",
	[Q_OUT_COUNTS] = "SELECT sum(state = 'queued'), "
	    "sum(state IN ('sent', 'delivered') OR (state = 'failed' AND "
	    "status IS NULL)), sum(state = 'delivered'), sum(state = 'failed') "
	    "FROM outbound WHERE broadcast_id = ?1",
	/*
	 * Only what is due: a scheduled broadcast whose time has not come
	 * must not take a due one's place under the LIMIT. Round robin: the
	 * ids after the last one served (?2) first, then from the lowest.
	 */
	[Q_DUE] = "SELECT id, state, at, text, template, vars FROM broadcasts "
	    "WHERE state IN ('sending', 'waiting') OR (state = 'scheduled' "
	    "AND at <= ?1) ORDER BY id <= ?2, id LIMIT ?3",
	[Q_SET_STATE] = "UPDATE broadcasts SET state = ?2 WHERE id = ?1 AND "
	    "state != 'cancelled'",
	[Q_NEXT] = "SELECT id, msisdn, name, code FROM broadcast_recipients "
	    "WHERE broadcast_id = ?1 AND state = 'pending' ORDER BY id LIMIT ?2",
	[Q_RCPT_SKIP] = "UPDATE broadcast_recipients SET state = 'skipped', "
	    "reason = ?2 WHERE id = ?1",
	[Q_RCPT_QUEUED] = "UPDATE broadcast_recipients SET state = 'queued', "
	    "outbound_id = ?2 WHERE id = ?1",
	[Q_CAP_COUNT] = "SELECT count(*) FROM outbound WHERE msisdn = ?1 AND "
	    "kind = 'broadcast' AND created_at >= ?2 AND state != 'cancelled'",
	[Q_CANCEL_OUT] = "UPDATE outbound SET state = 'cancelled' WHERE "
	    "broadcast_id = ?1 AND state = 'queued'",
	[Q_LIST] = "SELECT id FROM broadcasts ORDER BY id DESC LIMIT ?1",
	[Q_GROUP_EXISTS] = "SELECT 1 FROM groups WHERE name = ?1",
	/* What each tick asks: both stay cheap however big the broadcast. */
	[Q_OUT_QUEUED] = "SELECT count(*) FROM outbound WHERE broadcast_id = ?1 "
	    "AND state = 'queued'",
	[Q_HAS_PENDING] = "SELECT EXISTS (SELECT 1 FROM broadcast_recipients "
	    "WHERE broadcast_id = ?1 AND state = 'pending')",
};

struct bcast_store {
	sqlite3		*db;
	sqlite3_stmt	*q[Q_NQ];
};

struct bcast_store *
bcast_store_open(struct store *st)
{
	struct bcast_store	*bs;

	if ((bs = calloc(1, sizeof(*bs))) == NULL)
		fatal("calloc");
	bs->db = store_db(st);
	if (sql_prepare_all(bs->db, queries, bs->q, Q_NQ, who) == -1) {
		free(bs);
		return NULL;
	}
	return bs;
}

void
bcast_store_close(struct bcast_store *bs)
{
	if (bs == NULL)
		return;
	sql_finalize_all(bs->q, Q_NQ);
	free(bs);
}

/* Runs a write to its end; 0 or -1 (logged). */
static int
bcast_exec(sqlite3_stmt *s)
{
	int	rc = sql_step(who, s);

	sql_done(s);
	return rc == -1 ? -1 : 0;
}

/* A write of one row by id, with a text (NULL: none) as ?2; 0 or -1. */
static int
bcast_write_text(struct bcast_store *bs, int q, int64_t id, const char *v)
{
	sqlite3_bind_int64(bs->q[q], 1, id);
	if (v != NULL)
		sql_text(bs->q[q], 2, v);
	return bcast_exec(bs->q[q]);
}

/* The same with a number as ?2. */
static int
bcast_write_num(struct bcast_store *bs, int q, int64_t id, int64_t v)
{
	sqlite3_bind_int64(bs->q[q], 1, id);
	sqlite3_bind_int64(bs->q[q], 2, v);
	return bcast_exec(bs->q[q]);
}

/* A count over one broadcast's rows; -1 on error. */
static int64_t
bcast_count(struct bcast_store *bs, int q, int64_t id)
{
	sqlite3_bind_int64(bs->q[q], 1, id);
	return sql_scalar(who, bs->q[q]);
}

/* The id of the new broadcast, its recipients still to add; -1 error. */
int64_t
bcast_add(struct bcast_store *bs, const struct bcast_new *n)
{
	sqlite3_stmt	*s = bs->q[Q_ADD];

	sql_text(s, 1, n->state);
	sql_text(s, 2, n->target);
	sql_text(s, 3, n->text);
	sql_text(s, 4, n->template);
	sql_text(s, 5, n->vars);
	sqlite3_bind_int64(s, 6, n->at);
	sqlite3_bind_int64(s, 7, n->created_at);
	if (bcast_exec(s) == -1)
		return -1;
	return sqlite3_last_insert_rowid(bs->db);
}

/* 1 when the group exists, 0 when not, -1 on error. */
int
bcast_group_exists(struct bcast_store *bs, const char *group)
{
	sqlite3_stmt	*s = bs->q[Q_GROUP_EXISTS];

	sql_text(s, 1, group);
	return (int)sql_scalar(who, s);
}

/* Adds the group's members; the numbers it targets, or -1. */
int64_t
bcast_expand_group(struct bcast_store *bs, int64_t id, const char *group)
{
	sqlite3_stmt	*s = bs->q[Q_COUNT_GROUP];

	if (bcast_write_text(bs, Q_RCPT_GROUP, id, group) == -1)
		return -1;
	sql_text(s, 1, group);
	return sql_scalar(who, s);
}

/* Adds the citizens whose case has the status; the numbers, or -1. */
int64_t
bcast_expand_status(struct bcast_store *bs, int64_t id, int status)
{
	sqlite3_stmt	*s = bs->q[Q_COUNT_STATUS];

	if (bcast_write_num(bs, Q_RCPT_STATUS, id, status) == -1)
		return -1;
	sqlite3_bind_int(s, 1, status);
	return sql_scalar(who, s);
}

/* Adds one number (a repeat collapses); 0 or -1. */
int
bcast_add_number(struct bcast_store *bs, int64_t id, const char *msisdn)
{
	return bcast_write_text(bs, Q_RCPT_ONE, id, msisdn);
}

/*
 * Once the recipients are in: records the numbers targeted and how many
 * of them were repeats, and skips the opted-out; 0 or -1.
 */
int
bcast_settle(struct bcast_store *bs, int64_t id, int64_t total)
{
	sqlite3_stmt	*s = bs->q[Q_SET_TOTAL];
	int64_t		 inserted;

	if ((inserted = bcast_pending(bs, id)) == -1)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, total);
	sqlite3_bind_int64(s, 3, total - inserted);
	if (bcast_exec(s) == -1)
		return -1;
	return bcast_write_text(bs, Q_SKIP_OPTOUT, id, NULL);
}

/* The broadcast's row; 1, 0 when there is none, -1 on error. */
static int
bcast_row(struct bcast_store *bs, int64_t id, struct bcast_counts *c)
{
	sqlite3_stmt	*s = bs->q[Q_GET];
	int		 rc;

	sqlite3_bind_int64(s, 1, id);
	if ((rc = sql_step(who, s)) == SQLITE_ROW) {
		sql_col(s, 0, c->state, sizeof(c->state));
		c->total = sqlite3_column_int64(s, 1);
		c->dups = sqlite3_column_int64(s, 2);
	}
	sql_done(s);
	return rc == -1 ? -1 : rc == SQLITE_ROW;
}

/* What became of the broadcast's SMS; 0 or -1. */
static int
bcast_out_counts(struct bcast_store *bs, int64_t id, struct bcast_counts *c)
{
	sqlite3_stmt	*s = bs->q[Q_OUT_COUNTS];
	int		 rc;

	sqlite3_bind_int64(s, 1, id);
	if ((rc = sql_step(who, s)) == SQLITE_ROW) {
		c->queued = sqlite3_column_int64(s, 0);
		c->sent = sqlite3_column_int64(s, 1);
		c->delivered = sqlite3_column_int64(s, 2);
		c->failed = sqlite3_column_int64(s, 3);
	}
	sql_done(s);
	return rc == -1 ? -1 : 0;
}

/* 1 with c filled, 0 when there is no such broadcast, -1 on error. */
int
bcast_counts(struct bcast_store *bs, int64_t id, struct bcast_counts *c)
{
	int	rc;

	memset(c, 0, sizeof(*c));
	if ((rc = bcast_row(bs, id, c)) != 1)
		return rc;
	c->pending = bcast_pending(bs, id);
	c->skipped = bcast_count(bs, Q_SKIPPED_COUNT, id);
	if (bcast_out_counts(bs, id, c) == -1 || c->pending < 0 ||
	    c->skipped < 0)
		return -1;
	return 1;
}

int64_t
bcast_pending(struct bcast_store *bs, int64_t id)
{
	return bcast_count(bs, Q_PENDING_COUNT, id);
}

/* 1 while a recipient waits; cheap however big the broadcast. */
int64_t
bcast_has_pending(struct bcast_store *bs, int64_t id)
{
	return bcast_count(bs, Q_HAS_PENDING, id);
}

/* The broadcast's SMS queued and not yet sent. */
int64_t
bcast_in_outbox(struct bcast_store *bs, int64_t id)
{
	return bcast_count(bs, Q_OUT_QUEUED, id);
}

static void
bcast_rcpt_row(sqlite3_stmt *s, int n, void *arg)
{
	struct bcast_rcpt	*r = (struct bcast_rcpt *)arg + n;

	r->id = sqlite3_column_int64(s, 0);
	sql_col(s, 1, r->msisdn, sizeof(r->msisdn));
	sql_col(s, 2, r->name, sizeof(r->name));
	sql_col(s, 3, r->code, sizeof(r->code));
}

/* The next max pending recipients, in order; their number or -1. */
int
bcast_next(struct bcast_store *bs, int64_t id, struct bcast_rcpt *r, int max)
{
	sqlite3_stmt	*s = bs->q[Q_NEXT];

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, max);
	return sql_rows(who, s, max, bcast_rcpt_row, r);
}

/* A cancelled broadcast stays cancelled; 0 or -1. */
int
bcast_set_state(struct bcast_store *bs, int64_t id, const char *state)
{
	return bcast_write_text(bs, Q_SET_STATE, id, state);
}

/* Cancels the broadcast's SMS not yet sent; 0 or -1. */
int
bcast_cancel_queued(struct bcast_store *bs, int64_t id)
{
	return bcast_write_text(bs, Q_CANCEL_OUT, id, NULL);
}

/* The newest max broadcasts' ids, newest first; their number or -1. */
int
bcast_ids(struct bcast_store *bs, int64_t *ids, int max)
{
	sqlite3_bind_int(bs->q[Q_LIST], 1, max);
	return sql_rows(who, bs->q[Q_LIST], max, sql_row_id, ids);
}

int
bcast_rcpt_skip(struct bcast_store *bs, int64_t rid, const char *why)
{
	return bcast_write_text(bs, Q_RCPT_SKIP, rid, why);
}

/* Marks the recipient queued, in the transaction that queued its SMS. */
int
bcast_rcpt_queued(struct bcast_store *bs, int64_t rid, int64_t outbound_id)
{
	return bcast_write_num(bs, Q_RCPT_QUEUED, rid, outbound_id);
}

/* The broadcast SMS queued for msisdn since then (the daily cap). */
int64_t
bcast_sent_since(struct bcast_store *bs, const char *msisdn, int64_t since)
{
	sqlite3_stmt	*s = bs->q[Q_CAP_COUNT];

	sql_text(s, 1, msisdn);
	sqlite3_bind_int64(s, 2, since);
	return sql_scalar(who, s);
}

static char *
bcast_strdup(sqlite3_stmt *s, int i)
{
	const unsigned char	*v = sqlite3_column_text(s, i);
	char			*p;

	if ((p = strdup(v ? (const char *)v : "")) == NULL)
		fatal("strdup");
	return p;
}

/*
 * Up to max broadcasts due at now, the ids after `after` first (round
 * robin); their number (0 on an error, logged).
 */
int
bcast_due(struct bcast_store *bs, int64_t now, int64_t after,
    struct bcast_due *d, int max)
{
	sqlite3_stmt	*s = bs->q[Q_DUE];
	int		 n = 0;

	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int64(s, 2, after);
	sqlite3_bind_int(s, 3, max);
	while (n < max && sql_step(who, s) == SQLITE_ROW) {
		d[n].id = sqlite3_column_int64(s, 0);
		sql_col(s, 1, d[n].state, sizeof(d[n].state));
		d[n].at = sqlite3_column_int64(s, 2);
		d[n].text = bcast_strdup(s, 3);
		d[n].tpl = bcast_strdup(s, 4);
		d[n].vars = bcast_strdup(s, 5);
		n++;
	}
	sql_done(s);
	return n;
}

void
bcast_due_free(struct bcast_due *d)
{
	free(d->text);
	free(d->tpl);
	free(d->vars);
}

/* Calls cb with each state and its number of broadcasts; 0 or -1. */
int
bcast_by_state(struct bcast_store *bs, bcast_state_cb cb, void *arg)
{
	sqlite3_stmt	*s = bs->q[Q_BY_STATE];
	int		 rc;

	while ((rc = sql_step(who, s)) == SQLITE_ROW)
		if (sqlite3_column_type(s, 0) != SQLITE_NULL)
			cb((const char *)sqlite3_column_text(s, 0),
			    sqlite3_column_int64(s, 1), arg);
	sql_done(s);
	return rc == -1 ? -1 : 0;
}

/* The recipients still waiting, in all broadcasts not over. */
int64_t
bcast_all_pending(struct bcast_store *bs)
{
	return sql_scalar(who, bs->q[Q_ALL_PENDING]);
}
