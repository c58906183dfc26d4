/*
 * Broadcasts: reminders to a group, a list of numbers, or everyone whose
 * case has a status. Recipients are expanded into the store once, in SQL,
 * duplicates collapsing on a unique key; a tick (100 ms) then hands a
 * bounded batch at a time to the outbox (bulk priority), so a broadcast of
 * 100,000 never sits in memory, waits out quiet hours, and resumes after a
 * restart where it stopped: a recipient is marked queued in the same
 * transaction that queues its message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <jansson.h>
#include <sqlite3.h>

#include "store/cases.h"
#include "log.h"
#include "gw.h"
#include "clock.h"
#include "store/store.h"
#include "smpp/smpp.h"
#include "office/office.h"
#include "msisdn.h"
#include "store/sql.h"
#include "template.h"
#include "text.h"

static const char who[] = "broadcast";	/* in log lines */

/*
 * A broadcast keeps at most FEED_MAX messages queued and is topped up every
 * FEED_TICK_MS; a tick hands over at most FEED_MAX in all, however many
 * broadcasts are due: bounded memory and transactions, and up to 10,000 a
 * second for a link without a throughput cap.
 */
#define FEED_MAX	1000
#define FEED_TICK_MS	100
#define TICK_MAX	16	/* broadcasts moved on per tick */
#define VARS_MAX	16
#define DAY_MS		(24 * 60 * 60 * 1000LL)

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

struct broadcasts {
	struct gw	*gw;
	sqlite3		*db;
	sqlite3_stmt	*q[Q_NQ];
	struct event	*tick;
	struct event	*kick;		/* a tick now, out of turn */
	int64_t		 last;		/* where the tick's round stopped */
};

/* What one broadcast says, with its variables split out for rendering. */
struct message {
	struct template	*tpl;		/* the text, or NULL for a template */
	const char	*tpl_name;
	json_t		*vars;
	const char	*keys[VARS_MAX + 3];
	const char	*vals[VARS_MAX + 3];
	size_t		 n;
};

static int
exec_write(sqlite3_stmt *s)
{
	int	rc = sql_step(who, s);

	sql_done(s);
	return rc == -1 ? -1 : 0;
}

static void
message_free(struct message *m)
{
	template_free(m->tpl);
	json_decref(m->vars);
	memset(m, 0, sizeof(*m));
}

/* Compiles the text (or names the template) and splits the variables. */
static int
message_init(struct broadcasts *b, struct message *m, const char *text,
    const char *tpl, const char *vars, char *err, size_t errlen)
{
	const char	*k;
	json_t		*v;
	json_error_t	 je;

	memset(m, 0, sizeof(*m));
	m->keys[0] = "name";
	m->keys[1] = "code";
	m->keys[2] = "msisdn";
	m->n = 3;
	if (tpl && tpl[0]) {
		m->tpl_name = tpl;
		if (replies_extra(b->gw->replies, tpl) == NULL) {
			snprintf(err, errlen, "no broadcast template named %s", tpl);
			return -1;
		}
	} else if ((m->tpl = template_parse("text", text, NULL, err, errlen))
	    == NULL)
		return -1;
	if ((m->vars = json_loads(vars && vars[0] ? vars : "{}", 0, &je)) ==
	    NULL || !json_is_object(m->vars)) {
		snprintf(err, errlen, "vars must be a JSON object");
		message_free(m);
		return -1;
	}
	json_object_foreach(m->vars, k, v) {
		if (!json_is_string(v) || m->n == VARS_MAX + 3) {
			snprintf(err, errlen, "vars: \"%s\" must be a string (at "
			    "most %d vars)", k, VARS_MAX);
			message_free(m);
			return -1;
		}
		m->keys[m->n] = k;
		m->vals[m->n++] = json_string_value(v);
	}
	return 0;
}

static int
message_render(struct broadcasts *b, struct message *m, const char *msisdn,
    const char *name, const char *code, char *out, size_t cap)
{
	m->vals[0] = name;
	m->vals[1] = code;
	m->vals[2] = msisdn;
	if (m->tpl)
		return template_render(m->tpl, m->keys, m->vals, m->n, out, cap);
	return replies_render(b->gw->replies, m->tpl_name, m->keys, m->vals,
	    m->n, out, cap);
}

/* Expands the target into recipients; the number of numbers targeted. */
static int64_t
expand(struct broadcasts *b, int64_t id, const struct broadcast_req *r,
    char *err, size_t errlen)
{
	const struct case_status	*cs;
	sqlite3_stmt			*s;
	char				 num[MSISDN_MAX];
	const char			*why;
	size_t				 i;

	if (r->group) {
		s = b->q[Q_GROUP_EXISTS];
		sql_text(s, 1, r->group);
		if (sql_scalar(who, s) != 1) {
			snprintf(err, errlen, "no group named %s", r->group);
			return -1;
		}
		s = b->q[Q_RCPT_GROUP];
		sqlite3_bind_int64(s, 1, id);
		sql_text(s, 2, r->group);
		if (exec_write(s) == -1)
			return -2;
		s = b->q[Q_COUNT_GROUP];
		sql_text(s, 1, r->group);
		return sql_scalar(who, s);
	}
	if (r->cases_status) {
		if ((cs = case_status_by_name(r->cases_status)) == NULL) {
			snprintf(err, errlen, "no case status named %s",
			    r->cases_status);
			return -1;
		}
		s = b->q[Q_RCPT_STATUS];
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int(s, 2, cs->code);
		if (exec_write(s) == -1)
			return -2;
		s = b->q[Q_COUNT_STATUS];
		sqlite3_bind_int(s, 1, cs->code);
		return sql_scalar(who, s);
	}
	for (i = 0; i < r->nmsisdns; i++) {
		if (msisdn_normalize(r->msisdns[i], b->gw->cfg->country_code, num,
		    sizeof(num), &why) == -1) {
			snprintf(err, errlen, "msisdns[%zu] \"%.32s\": %s", i,
			    r->msisdns[i], why);
			return -1;
		}
		s = b->q[Q_RCPT_ONE];
		sqlite3_bind_int64(s, 1, id);
		sql_text(s, 2, num);
		if (exec_write(s) == -1)
			return -2;
	}
	return (int64_t)r->nmsisdns;
}

static const char *
target_of(const struct broadcast_req *r, char *buf, size_t cap)
{
	if (r->group)
		snprintf(buf, cap, "group:%s", r->group);
	else if (r->cases_status)
		snprintf(buf, cap, "status:%s", r->cases_status);
	else
		snprintf(buf, cap, "list");
	return buf;
}

static int
check_request(const struct broadcast_req *r, char *err, size_t errlen)
{
	int	targets = (r->group != NULL) + (r->msisdns != NULL) +
	    (r->cases_status != NULL);

	if (targets != 1) {
		snprintf(err, errlen, "to: give exactly one of group, msisdns, "
		    "cases_status");
		return -1;
	}
	if (r->msisdns && r->nmsisdns == 0) {
		snprintf(err, errlen, "to.msisdns is empty");
		return -1;
	}
	if ((r->text && r->text[0]) == (r->template && r->template[0])) {
		snprintf(err, errlen, "give text or template, not both");
		return -1;
	}
	return 0;
}

/* The sample a dry run shows: the first recipient's rendered text. */
static int
preview(struct broadcasts *b, int64_t id, struct message *m,
    struct broadcast_info *info)
{
	sqlite3_stmt	*s = b->q[Q_NEXT];
	int		 units, rc;

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, 1);
	if ((rc = sql_step(who, s)) == SQLITE_ROW) {
		snprintf(info->sample_to, sizeof(info->sample_to), "%s",
		    sqlite3_column_text(s, 1));
		rc = message_render(b, m, info->sample_to,
		    (const char *)sqlite3_column_text(s, 2),
		    (const char *)sqlite3_column_text(s, 3), info->sample,
		    sizeof(info->sample)) == -1 ? -1 : 0;
	}
	sql_done(s);
	if (rc == -1)
		return -1;
	info->parts = info->sample[0] ? text_count_parts(info->sample,
	    (enum text_charset)b->gw->cfg->charset, &units) : 0;
	if (info->parts > b->gw->cfg->max_segments)
		info->parts = b->gw->cfg->max_segments;	/* cut with "..." */
	info->total_parts = info->parts * info->recipients;
	return 0;
}

static int
fill_info(struct broadcasts *b, int64_t id, struct broadcast_info *info)
{
	sqlite3_stmt	*s = b->q[Q_GET];
	int64_t		 dups, pending, skipped;
	int		 rc;

	sqlite3_bind_int64(s, 1, id);
	if ((rc = sql_step(who, s)) == SQLITE_ROW) {
		info->id = id;
		snprintf(info->state, sizeof(info->state), "%s",
		    sqlite3_column_text(s, 0));
		info->total = sqlite3_column_int64(s, 1);
		dups = sqlite3_column_int64(s, 2);
	}
	sql_done(s);
	if (rc != SQLITE_ROW)
		return rc == -1 ? -1 : 0;
	s = b->q[Q_PENDING_COUNT];
	sqlite3_bind_int64(s, 1, id);
	pending = sql_scalar(who, s);
	s = b->q[Q_SKIPPED_COUNT];
	sqlite3_bind_int64(s, 1, id);
	skipped = sql_scalar(who, s);
	s = b->q[Q_OUT_COUNTS];
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sql_step(who, s)) == SQLITE_ROW) {
		info->queued = sqlite3_column_int64(s, 0) +
		    (strcmp(info->state, "cancelled") ? pending : 0);
		info->sent = sqlite3_column_int64(s, 1);
		info->delivered = sqlite3_column_int64(s, 2);
		info->failed = sqlite3_column_int64(s, 3);
	}
	sql_done(s);
	info->skipped = dups + skipped;
	info->recipients = info->total - info->skipped;
	if (pending < 0 || skipped < 0 || rc == -1)
		return -1;
	return 1;
}

int
broadcast_get(struct gw *gw, int64_t id, struct broadcast_info *info)
{
	memset(info, 0, sizeof(*info));
	return fill_info(gw->broadcasts, id, info);
}

static int
create_in_batch(struct broadcasts *b, const struct broadcast_req *r,
    struct message *m, struct broadcast_info *info, char *err, size_t errlen)
{
	int64_t		 now = clock_wall_ms(), id, total, inserted;
	sqlite3_stmt	*s = b->q[Q_ADD];
	char		 target[128];
	int		 rc;

	sql_text(s, 1, r->at > now ? "scheduled" : "sending");
	sql_text(s, 2, target_of(r, target, sizeof(target)));
	sql_text(s, 3, r->text);
	sql_text(s, 4, r->template);
	sql_text(s, 5, r->vars_json ? r->vars_json : "{}");
	sqlite3_bind_int64(s, 6, r->at ? r->at : now);
	sqlite3_bind_int64(s, 7, now);
	if (exec_write(s) == -1)
		return -2;
	id = sqlite3_last_insert_rowid(b->db);
	if ((total = expand(b, id, r, err, errlen)) < 0)
		return (int)total;
	s = b->q[Q_PENDING_COUNT];
	sqlite3_bind_int64(s, 1, id);
	inserted = sql_scalar(who, s);
	s = b->q[Q_SET_TOTAL];
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, total);
	sqlite3_bind_int64(s, 3, total - inserted);
	if (exec_write(s) == -1)
		return -2;
	s = b->q[Q_SKIP_OPTOUT];
	sqlite3_bind_int64(s, 1, id);
	if (exec_write(s) == -1 || (rc = fill_info(b, id, info)) != 1)
		return -2;
	s = b->q[Q_PENDING_COUNT];
	sqlite3_bind_int64(s, 1, id);
	info->recipients = sql_scalar(who, s);
	if (preview(b, id, m, info) == -1) {
		snprintf(err, errlen, "the text does not render");
		return -1;
	}
	return 0;
}

int
broadcast_create(struct gw *gw, const struct broadcast_req *r,
    struct broadcast_info *info, char *err, size_t errlen)
{
	struct broadcasts	*b = gw->broadcasts;
	struct message		 m;
	int			 rc;

	memset(info, 0, sizeof(*info));
	if (check_request(r, err, errlen) == -1 ||
	    message_init(b, &m, r->text, r->template, r->vars_json, err,
	    errlen) == -1)
		return -1;
	if (store_batch_begin(gw->store) == -1) {
		message_free(&m);
		return -2;
	}
	rc = create_in_batch(b, r, &m, info, err, errlen);
	message_free(&m);
	if (rc != 0 || r->dry_run) {
		store_batch_abort(gw->store);
		if (rc == 0) {
			info->id = 0;
			snprintf(info->state, sizeof(info->state), "dry_run");
		}
		return rc;
	}
	if (store_batch_end(gw->store) == -1)
		return -2;
	log_info("broadcast=%lld created total=%lld recipients=%lld parts=%lld",
	    (long long)info->id, (long long)info->total,
	    (long long)info->recipients, (long long)info->total_parts);
	broadcast_kick(gw);
	return 0;
}

static int
set_state(struct broadcasts *b, int64_t id, const char *state)
{
	sqlite3_stmt	*s = b->q[Q_SET_STATE];

	sqlite3_bind_int64(s, 1, id);
	sql_text(s, 2, state);
	return exec_write(s);
}

int
broadcast_cancel(struct gw *gw, int64_t id, struct broadcast_info *info)
{
	struct broadcasts	*b = gw->broadcasts;
	sqlite3_stmt		*s;
	int			 rc, i;

	if ((rc = broadcast_get(gw, id, info)) != 1)
		return rc;
	if (strcmp(info->state, "done") == 0 ||
	    strcmp(info->state, "cancelled") == 0)
		return 1;
	if (store_batch_begin(gw->store) == -1)
		return -1;
	s = b->q[Q_CANCEL_OUT];
	sqlite3_bind_int64(s, 1, id);
	if (set_state(b, id, "cancelled") == -1 || exec_write(s) == -1) {
		store_batch_abort(gw->store);
		return -1;
	}
	if (store_batch_end(gw->store) == -1)
		return -1;
	/* The rows are marked; what the outboxes hold of them goes too. */
	for (i = 0; i < gw->nlinks; i++)
		outbox_drop_broadcast(link_outbox(gw->links[i]), id);
	log_info("broadcast=%lld cancelled", (long long)id);
	return broadcast_get(gw, id, info);
}

int
broadcast_list(struct gw *gw, int limit,
    void (*cb)(const struct broadcast_info *, void *), void *arg)
{
	struct broadcasts	*b = gw->broadcasts;
	sqlite3_stmt		*s = b->q[Q_LIST];
	struct broadcast_info	 info;
	int64_t			 ids[100];
	int			 n = 0, i, rc;

	sqlite3_bind_int(s, 1, limit < 100 ? limit : 100);
	while ((rc = sql_step(who, s)) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(s, 0);
	sql_done(s);
	if (rc == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (broadcast_get(gw, ids[i], &info) == 1)
			cb(&info, arg);
	return n;
}

struct rcpt {
	int64_t	id;
	char	msisdn[MSISDN_MAX];
	char	name[128];
	char	code[48];
};

static void
skip(struct broadcasts *b, const struct rcpt *r, const char *why)
{
	sqlite3_stmt	*s = b->q[Q_RCPT_SKIP];

	sqlite3_bind_int64(s, 1, r->id);
	sql_text(s, 2, why);
	exec_write(s);
	log_debug("broadcast recipient=%s skipped: %s", r->msisdn, why);
}

/* Queues one recipient's message, or skips them; -1 on a store error. */
static int
feed_one(struct broadcasts *b, int64_t bid, struct message *m,
    const struct rcpt *r)
{
	struct gw	*gw = b->gw;
	sqlite3_stmt	*s = b->q[Q_CAP_COUNT];
	char		 text[TEXT_MAX];
	int64_t		 out;

	if (optout_get(gw->cases, r->msisdn) == 1) {
		skip(b, r, "optout");
		return 0;
	}
	sql_text(s, 1, r->msisdn);
	sqlite3_bind_int64(s, 2, clock_wall_ms() - DAY_MS);
	if (sql_scalar(who, s) >= gw->cfg->broadcast_daily_cap) {
		skip(b, r, "cap");
		return 0;
	}
	if (message_render(b, m, r->msisdn, r->name, r->code, text,
	    sizeof(text)) == -1 || (out = outbox_queue_bulk(gw->store, gw->cfg,
	    r->msisdn, text, bid)) == -1)
		return -1;
	s = b->q[Q_RCPT_QUEUED];
	sqlite3_bind_int64(s, 1, r->id);
	sqlite3_bind_int64(s, 2, out);
	return exec_write(s);
}

/* Hands the next recipients to the outbox; -1 on a store error. */
static int64_t
feed(struct broadcasts *b, int64_t bid, struct message *m, int room)
{
	static struct rcpt	 rs[FEED_MAX];
	sqlite3_stmt		*s = b->q[Q_NEXT];
	int			 n = 0, i, rc;

	sqlite3_bind_int64(s, 1, bid);
	sqlite3_bind_int(s, 2, room);
	while (n < room && (rc = sql_step(who, s)) == SQLITE_ROW) {
		rs[n].id = sqlite3_column_int64(s, 0);
		snprintf(rs[n].msisdn, sizeof(rs[n].msisdn), "%s",
		    sqlite3_column_text(s, 1));
		snprintf(rs[n].name, sizeof(rs[n].name), "%s",
		    sqlite3_column_text(s, 2));
		snprintf(rs[n].code, sizeof(rs[n].code), "%s",
		    sqlite3_column_text(s, 3));
		n++;
	}
	sql_done(s);
	for (i = 0; i < n; i++)
		if (feed_one(b, bid, m, &rs[i]) == -1)
			return -1;
	return n;
}

static int64_t
count_for(struct broadcasts *b, int q, int64_t bid)
{
	sqlite3_bind_int64(b->q[q], 1, bid);
	return sql_scalar(who, b->q[q]);
}

/*
 * Tops the broadcast's share of the outbox up to FEED_MAX, out of what is
 * left of the tick's budget: 1 while it has more to send, 0 when nothing
 * is left, -1 on a store error.
 */
static int
top_up(struct broadcasts *b, int64_t bid, struct message *m, int *budget)
{
	int64_t	pending, in_outbox, room, n;

	if ((pending = count_for(b, Q_HAS_PENDING, bid)) == -1 ||
	    (in_outbox = count_for(b, Q_OUT_QUEUED, bid)) == -1)
		return -1;
	room = FEED_MAX - in_outbox < *budget ? FEED_MAX - in_outbox : *budget;
	if (pending && room > 0) {
		if ((n = feed(b, bid, m, (int)room)) == -1)
			return -1;
		*budget -= (int)n;
	}
	return pending || in_outbox;
}

static int
finish(struct broadcasts *b, int64_t bid)
{
	struct broadcast_info	info;

	if (fill_info(b, bid, &info) != 1)
		return -1;
	log_info("broadcast=%lld done sent=%lld failed=%lld skipped=%lld",
	    (long long)bid, (long long)info.sent, (long long)info.failed,
	    (long long)info.skipped);
	return set_state(b, bid, "done");
}

/* Moves one broadcast on: scheduled, waiting (quiet hours), sending, done. */
static int
advance(struct broadcasts *b, int64_t bid, const char *state, int64_t at,
    struct message *m, int *budget)
{
	int64_t		 now = clock_wall_ms();
	const char	*want;
	int		 rc;

	/* Only a broadcast not yet begun waits for its time: a clock set
	 * back must not park one that is half sent. */
	if (at > now && strcmp(state, "scheduled") == 0)
		want = "scheduled";
	else if (config_quiet(b->gw->cfg, now))
		want = "waiting";
	else
		want = "sending";
	if (strcmp(want, state) != 0) {
		log_info("broadcast=%lld %s", (long long)bid, want);
		if (set_state(b, bid, want) == -1)
			return -1;
	}
	if (strcmp(want, "sending") != 0)
		return 0;
	if ((rc = top_up(b, bid, m, budget)) != 0)
		return rc == -1 ? -1 : 0;
	return finish(b, bid);
}

/* A due broadcast as the tick read it. */
struct due {
	int64_t	 id, at;
	char	 state[12];
	char	*text, *tpl, *vars;
};

/* Reads up to max due broadcasts, in round-robin order; their number. */
static int
due_load(struct broadcasts *b, struct due *d, int max)
{
	sqlite3_stmt	*s = b->q[Q_DUE];
	int		 n = 0;

	sqlite3_bind_int64(s, 1, clock_wall_ms());
	sqlite3_bind_int64(s, 2, b->last);
	sqlite3_bind_int(s, 3, max);
	while (n < max && sql_step(who, s) == SQLITE_ROW) {
		d[n].id = sqlite3_column_int64(s, 0);
		snprintf(d[n].state, sizeof(d[n].state), "%s",
		    sqlite3_column_text(s, 1));
		d[n].at = sqlite3_column_int64(s, 2);
		d[n].text = strdup((const char *)sqlite3_column_text(s, 3));
		d[n].tpl = strdup((const char *)sqlite3_column_text(s, 4));
		d[n].vars = strdup((const char *)sqlite3_column_text(s, 5));
		if (!d[n].text || !d[n].tpl || !d[n].vars)
			fatal("strdup");
		n++;
	}
	sql_done(s);
	return n;
}

static void
due_free(struct due *d)
{
	free(d->text);
	free(d->tpl);
	free(d->vars);
}

/* Moves one due broadcast on; -1 on a store error. */
static int
due_run(struct broadcasts *b, struct due *d, int *budget)
{
	struct message	m;
	char		err[256];
	int		rc;

	if (message_init(b, &m, d->text, d->tpl, d->vars, err,
	    sizeof(err)) == -1) {
		log_warnx("broadcast=%lld cannot render: %s: cancelled",
		    (long long)d->id, err);
		return set_state(b, d->id, "cancelled");
	}
	rc = advance(b, d->id, d->state, d->at, &m, budget);
	message_free(&m);
	return rc;
}

/*
 * One transaction per tick. The round goes on from where the last one
 * stopped, so when more broadcasts are due than a tick takes, or one big
 * broadcast spends the whole budget, the others get their turn next.
 */
static void
tick_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct broadcasts	*b = arg;
	struct due		 d[TICK_MAX];
	int64_t			 last = b->last;
	int			 n, i, ok, budget = FEED_MAX;

	(void)fd; (void)ev;
	if ((n = due_load(b, d, TICK_MAX)) == 0)
		return;
	ok = store_batch_begin(b->gw->store) == 0;
	for (i = 0; ok && i < n && budget > 0; i++) {
		ok = due_run(b, &d[i], &budget) == 0;
		last = d[i].id;
	}
	for (i = 0; i < n; i++)
		due_free(&d[i]);
	if (!ok) {
		store_batch_abort(b->gw->store);
		log_warnx("broadcast: store trouble, will try again");
	} else if (store_batch_end(b->gw->store) == 0)
		b->last = last;
}

int
broadcast_gauges(struct gw *gw, struct broadcast_gauges *g)
{
	static const char *const names[BROADCAST_NSTATES] = { "scheduled",
	    "waiting", "sending", "done", "cancelled" };
	struct broadcasts	*b = gw->broadcasts;
	sqlite3_stmt		*s;
	const char		*state;
	int			 i, rc;

	memset(g, 0, sizeof(*g));
	for (i = 0; i < BROADCAST_NSTATES; i++)
		g->state[i] = names[i];
	if (b == NULL)
		return 0;
	s = b->q[Q_BY_STATE];
	while ((rc = sql_step(who, s)) == SQLITE_ROW) {
		state = (const char *)sqlite3_column_text(s, 0);
		for (i = 0; i < BROADCAST_NSTATES; i++)
			if (state != NULL && strcmp(state, names[i]) == 0)
				g->count[i] = sqlite3_column_int64(s, 1);
	}
	sql_done(s);
	if (rc == -1 ||
	    (g->pending = sql_scalar(who, b->q[Q_ALL_PENDING])) == -1)
		return -1;
	return 0;
}

void
broadcast_kick(struct gw *gw)
{
	/*
	 * Not the periodic tick itself: libevent reschedules a persistent
	 * timer activated "by timeout" a period after its last due time, so
	 * 300 quick kicks would push the next regular tick 30 s away.
	 */
	if (gw->broadcasts)
		event_active(gw->broadcasts->kick, EV_TIMEOUT, 0);
}

struct broadcasts *
broadcast_start(struct gw *gw)
{
	struct broadcasts	*b;
	struct timeval		 tick = { 0, FEED_TICK_MS * 1000 };

	if ((b = calloc(1, sizeof(*b))) == NULL)
		fatal("calloc");
	b->gw = gw;
	b->db = store_db(gw->store);
	if (sql_prepare_all(b->db, queries, b->q, Q_NQ, who) == -1)
		fatalx("broadcast: cannot prepare its statements");
	if ((b->tick = event_new(gw->base, -1, EV_PERSIST, tick_cb, b)) == NULL ||
	    (b->kick = event_new(gw->base, -1, 0, tick_cb, b)) == NULL)
		fatalx("event_new");
	event_add(b->tick, &tick);
	return b;
}

void
broadcast_stop(struct broadcasts *b)
{
	if (b == NULL)
		return;
	event_free(b->tick);
	event_free(b->kick);
	sql_finalize_all(b->q, Q_NQ);
	free(b);
}
