/*
 * Broadcasts and their recipients: the rows that let a broadcast of
 * 100,000 be sent a bounded batch at a time and resume after a restart.
 * Recipients are expanded in SQL, duplicates collapsing on the unique
 * key (broadcast_id, msisdn); opt-outs are skipped once, as they go in.
 * A group or a case status is expanded a chunk at a time, each chunk its
 * own short transaction that also moves the broadcast's expand_key on,
 * so a list of a million neither blocks the loop nor is lost half-way.
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
	Q_ADD, Q_RCPT_ONE, Q_SKIP_OPTOUT, Q_SET_TOTAL, Q_GET, Q_PENDING_COUNT,
	Q_SKIPPED_COUNT, Q_OUT_COUNTS, Q_DUE, Q_SET_STATE, Q_NEXT,
	Q_RCPT_SKIP, Q_RCPT_QUEUED, Q_CAP_COUNT, Q_CANCEL_OUT, Q_LIST,
	Q_GROUP_EXISTS, Q_OUT_QUEUED, Q_HAS_PENDING, Q_BY_STATE, Q_ALL_PENDING,
	Q_EXPANDING, Q_LAST_RCPT, Q_EXPANDED,
	/* one of each per kind of target, the group's first (enum bcast_kind) */
	Q_REACH_G, Q_REACH_S, Q_FIRST_G, Q_FIRST_S, Q_BOUND_G, Q_BOUND_S,
	Q_FILL_G, Q_FILL_S, Q_SOURCE_G, Q_SOURCE_S,
	Q_NQ
};

static const char *const queries[Q_NQ] = {
	[Q_BY_STATE] = "SELECT state, count(*) FROM broadcasts GROUP BY state",
	[Q_ALL_PENDING] = "SELECT count(*) FROM broadcast_recipients r "
	    "JOIN broadcasts b ON r.broadcast_id = b.id WHERE b.state IN "
	    "('scheduled', 'sending', 'waiting') AND r.state = 'pending'",
	[Q_ADD] = "INSERT INTO broadcasts(state, target, text, template, vars, "
	    "at, created_at, total, expand_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "?7, ?8, ?9)",
	[Q_RCPT_ONE] = "INSERT OR IGNORE INTO broadcast_recipients(broadcast_id, "
	    "msisdn, name, code, state) VALUES (?1, ?2, "
	    "coalesce((SELECT name FROM contacts WHERE msisdn = ?2), ''), '', "
	    "'pending')",
	[Q_SKIP_OPTOUT] = "UPDATE broadcast_recipients SET state = 'skipped', "
	    "reason = 'optout' WHERE broadcast_id = ?1 AND state = 'pending' "
	    "AND id > ?2 AND msisdn IN (SELECT msisdn FROM optout WHERE "
	    "opted_out = 1)",
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
	    "WHERE expand_key IS NULL AND (state IN ('sending', 'waiting') OR "
	    "(state = 'scheduled' AND at <= ?1)) ORDER BY id <= ?2, id LIMIT ?3",
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
	/*
	 * A group's or a status's recipients, a chunk at a time: the key
	 * (a number, a case id) of the chunk's last source row is found
	 * first (NULL: the rest), then the rows up to it go in, so each
	 * chunk is one short transaction and the next one starts after it.
	 */
	[Q_EXPANDING] = "SELECT id, target, expand_key, state FROM broadcasts "
	    "WHERE expand_key IS NOT NULL AND state != 'cancelled' "
	    "ORDER BY id LIMIT 1",
	[Q_LAST_RCPT] = "SELECT coalesce(max(id), 0) FROM broadcast_recipients",
	[Q_EXPANDED] = "UPDATE broadcasts SET expand_key = ?2, cursor = cursor "
	    "+ ?3, dups = dups + ?3 - ?4, total = CASE WHEN ?2 IS NULL THEN "
	    "cursor + ?3 ELSE total END WHERE id = ?1",
	[Q_BOUND_G] = "SELECT msisdn FROM contact_groups WHERE group_id = "
	    "(SELECT id FROM groups WHERE name = ?1) AND msisdn > ?2 "
	    "ORDER BY msisdn LIMIT 1 OFFSET ?3",
	[Q_BOUND_S] = "SELECT id FROM cases WHERE status = ?1 AND kind = 'case' "
	    "AND msisdn != '' AND id > CAST(?2 AS INTEGER) ORDER BY id "
	    "LIMIT 1 OFFSET ?3",
	[Q_FILL_G] = "INSERT OR IGNORE INTO broadcast_recipients(broadcast_id, "
	    "msisdn, name, state) SELECT ?4, c.msisdn, c.name, 'pending' FROM "
	    "contact_groups cg JOIN contacts c ON c.msisdn = cg.msisdn WHERE "
	    "cg.group_id = (SELECT id FROM groups WHERE name = ?1) AND "
	    "cg.msisdn > ?2 AND cg.msisdn <= ?3 "
	    "ORDER BY cg.msisdn",
	[Q_FILL_S] = "INSERT OR IGNORE INTO broadcast_recipients(broadcast_id, "
	    "msisdn, name, code, state) SELECT ?4, msisdn, name, code, "
	    "'pending' FROM cases WHERE status = ?1 AND kind = 'case' AND "
	    "msisdn != '' AND id > CAST(?2 AS INTEGER) AND "
	    "id <= CAST(?3 AS INTEGER) ORDER BY id",
	[Q_SOURCE_G] = "SELECT count(*) FROM contact_groups WHERE group_id = "
	    "(SELECT id FROM groups WHERE name = ?1) AND msisdn > ?2 AND "
	    "msisdn <= ?3",
	[Q_SOURCE_S] = "SELECT count(*) FROM cases WHERE status = ?1 AND "
	    "kind = 'case' AND msisdn != '' AND id > CAST(?2 AS INTEGER) AND "
	    "id <= CAST(?3 AS INTEGER)",
	/* What a dry run shows, from one aggregate instead of an expansion:
	 * rows targeted, distinct numbers, opted-out numbers among them. */
	[Q_REACH_G] = "SELECT n, n, (SELECT count(*) FROM optout o JOIN "
	    "contact_groups cg ON cg.msisdn = o.msisdn WHERE cg.group_id = gid "
	    "AND o.opted_out = 1) FROM (SELECT g.id AS gid, (SELECT count(*) "
	    "FROM contact_groups WHERE group_id = g.id) AS n FROM groups g "
	    "WHERE g.name = ?1)",
	[Q_REACH_S] = "SELECT count(*), count(DISTINCT msisdn), count(DISTINCT "
	    "CASE WHEN msisdn IN (SELECT msisdn FROM optout WHERE opted_out = 1) "
	    "THEN msisdn END) FROM cases WHERE status = ?1 AND kind = 'case' "
	    "AND msisdn != ''",
	[Q_FIRST_G] = "SELECT 0, c.msisdn, c.name, '' FROM contact_groups cg "
	    "JOIN contacts c ON c.msisdn = cg.msisdn WHERE cg.group_id = "
	    "(SELECT id FROM groups WHERE name = ?1) AND cg.msisdn NOT IN "
	    "(SELECT msisdn FROM optout WHERE opted_out = 1) ORDER BY cg.msisdn "
	    "LIMIT 1",
	[Q_FIRST_S] = "SELECT 0, msisdn, name, code FROM cases WHERE status = ?1 "
	    "AND kind = 'case' AND msisdn != '' AND msisdn NOT IN (SELECT msisdn "
	    "FROM optout WHERE opted_out = 1) ORDER BY id LIMIT 1",
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
	sqlite3_bind_int64(s, 8, n->total);
	if (n->expand)
		sql_text(s, 9, "");	/* from the first key on */
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

/* The target's own parameter, as ?1. */
static void
bcast_bind_target(sqlite3_stmt *s, const struct bcast_target *t)
{
	if (t->group)
		sql_text(s, 1, t->group);
	else
		sqlite3_bind_int(s, 1, t->status);
}

/* The statement of family q (the group's) for this target's kind. */
static sqlite3_stmt *
bcast_q(struct bcast_store *bs, int q, const struct bcast_target *t)
{
	sqlite3_stmt	*s = bs->q[q + (t->group == NULL)];

	bcast_bind_target(s, t);
	return s;
}

/* What the target reaches, from one aggregate; 0 or -1. */
int
bcast_reach(struct bcast_store *bs, const struct bcast_target *t,
    struct bcast_reach *r)
{
	sqlite3_stmt	*s = bcast_q(bs, Q_REACH_G, t);
	int		 rc;

	memset(r, 0, sizeof(*r));
	if ((rc = sql_step(who, s)) == SQLITE_ROW) {
		r->total = sqlite3_column_int64(s, 0);
		r->numbers = sqlite3_column_int64(s, 1);
		r->optout = sqlite3_column_int64(s, 2);
	}
	sql_done(s);
	return rc == -1 ? -1 : 0;
}

static void bcast_rcpt_row(sqlite3_stmt *, int, void *);

/* The first recipient the target would reach; 1, 0 none, -1 error. */
int
bcast_first(struct bcast_store *bs, const struct bcast_target *t,
    struct bcast_rcpt *r)
{
	return sql_rows(who, bcast_q(bs, Q_FIRST_G, t), 1, bcast_rcpt_row, r);
}

/* The broadcast whose recipients are still being added; 1, 0, -1. */
int
bcast_expanding(struct bcast_store *bs, struct bcast_expand *e)
{
	sqlite3_stmt	*s = bs->q[Q_EXPANDING];
	int		 rc;

	if ((rc = sql_step(who, s)) == SQLITE_ROW) {
		e->id = sqlite3_column_int64(s, 0);
		sql_col(s, 1, e->target, sizeof(e->target));
		sql_col(s, 2, e->key, sizeof(e->key));
		sql_col(s, 3, e->state, sizeof(e->state));
	}
	sql_done(s);
	return rc == -1 ? -1 : rc == SQLITE_ROW;
}

/* The key of the chunk's last source row into e->next ("" : the rest). */
static int
bcast_bound(struct bcast_store *bs, struct bcast_expand *e,
    const struct bcast_target *t, int max)
{
	sqlite3_stmt	*s = bcast_q(bs, Q_BOUND_G, t);
	int		 rc;

	sql_text(s, 2, e->key);
	sqlite3_bind_int(s, 3, max - 1);
	e->next[0] = '\0';
	if ((rc = sql_step(who, s)) == SQLITE_ROW)
		sql_col(s, 0, e->next, sizeof(e->next));
	sql_done(s);
	return rc == -1 ? -1 : 0;
}

/*
 * Binds the chunk's range, (key, next], as ?2 and ?3; the last chunk's
 * end is a key past every number and id, so that the index bounds both
 * ends (an "?3 IS NULL OR" would make each chunk scan to the end).
 */
static sqlite3_stmt *
bcast_range(struct bcast_store *bs, int q, const struct bcast_expand *e,
    const struct bcast_target *t)
{
	sqlite3_stmt	*s = bcast_q(bs, q, t);

	sql_text(s, 2, e->key);
	sql_text(s, 3, e->next[0] ? e->next : t->group ? "~" :
	    "9223372036854775807");
	return s;
}

/* Records the chunk on the broadcast's row; 0 or -1. */
static int
bcast_expanded(struct bcast_store *bs, const struct bcast_expand *e,
    int64_t source, int64_t added)
{
	sqlite3_stmt	*s = bs->q[Q_EXPANDED];

	sqlite3_bind_int64(s, 1, e->id);
	if (e->next[0])
		sql_text(s, 2, e->next);
	sqlite3_bind_int64(s, 3, source);
	sqlite3_bind_int64(s, 4, added);
	return bcast_exec(s);
}

/*
 * Adds the next chunk of at most max recipients, opted-out numbers
 * skipped, inside the caller's transaction; e->pending tells how many
 * now wait. 1 when more remain, 0 when that was the last, -1 on error.
 */
int
bcast_expand_chunk(struct bcast_store *bs, struct bcast_expand *e,
    const struct bcast_target *t, int max)
{
	int64_t		last, source, added, skipped;
	sqlite3_stmt	*s;

	if ((last = sql_scalar(who, bs->q[Q_LAST_RCPT])) == -1 ||
	    bcast_bound(bs, e, t, max) == -1 ||
	    (source = sql_scalar(who, bcast_range(bs, Q_SOURCE_G, e, t))) == -1)
		return -1;
	s = bcast_range(bs, Q_FILL_G, e, t);
	sqlite3_bind_int64(s, 4, e->id);
	if (bcast_exec(s) == -1)
		return -1;
	added = sqlite3_changes(bs->db);
	if (bcast_write_num(bs, Q_SKIP_OPTOUT, e->id, last) == -1)
		return -1;
	skipped = sqlite3_changes(bs->db);
	if (bcast_expanded(bs, e, source, added) == -1)
		return -1;
	e->pending = added - skipped;
	return e->next[0] != '\0';
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
	return bcast_write_num(bs, Q_SKIP_OPTOUT, id, 0);
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
