/*
 * Broadcasts: reminders to a group, a list of numbers, or everyone whose
 * case has a status. Recipients are expanded into the store once
 * (store/broadcasts.c), duplicates collapsing; a tick (100 ms) then hands a
 * bounded batch at a time to the outbox (bulk priority), so a broadcast of
 * 100,000 never sits in memory, waits out quiet hours, and resumes after a
 * restart where it stopped: a recipient is marked queued in the same
 * transaction that queues its message.
 *
 * A group or a case status may hold a million numbers: creating such a
 * broadcast records it and answers at once, and the expander adds its
 * recipients EXPAND_CHUNK at a time, one short transaction per loop turn,
 * so citizens' messages are answered in between. The tick leaves a
 * broadcast alone until it is fully expanded, so the daily cap, opt-outs
 * and duplicates apply to the whole list as for a small one; after a
 * kill -9 the expansion goes on from the last chunk committed. A dry run
 * expands nothing: one aggregate counts what it would reach.
 *
 * The gauges /metrics shows (broadcasts by state, recipients waiting) are
 * counters: read once at start, then moved by every change here. A batch's
 * moves are staged and count only once the batch commits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <jansson.h>

#include "store/broadcasts.h"
#include "store/cases.h"
#include "log.h"
#include "clock.h"
#include "store/store.h"
#include "smpp/smpp.h"
#include "office/office.h"
#include "msisdn.h"
#include "template.h"
#include "text.h"

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
#define EXPAND_CHUNK	2000	/* recipients added per loop turn */
#define EXPAND_RETRY_S	1	/* after a store error */

/* The gauges' counts: broadcasts by state, recipients waiting. */
struct gauge {
	int64_t		count[BROADCAST_NSTATES];
	int64_t		pending;
};

struct broadcasts {
	struct office		*of;
	struct bcast_store	*bs;
	struct event		*tick;
	struct event		*kick;	/* a tick now, out of turn */
	struct event		*expand; /* the next chunk of recipients */
	int64_t			 last;	/* where the tick's round stopped */
	struct gauge		 live;	/* what is committed */
	struct gauge		 staged; /* the open batch's moves */
};

static const char *const state_names[BROADCAST_NSTATES] = { "scheduled",
	"waiting", "sending", "done", "cancelled" };

/* A broadcast goes from state `from` (NULL: new) to `to`. */
static void
gauge_move(struct broadcasts *b, const char *from, const char *to)
{
	int	i;

	for (i = 0; i < BROADCAST_NSTATES; i++) {
		if (from && strcmp(from, state_names[i]) == 0)
			b->staged.count[i]--;
		if (strcmp(to, state_names[i]) == 0)
			b->staged.count[i]++;
	}
}

/*
 * Ends the batch the staged moves belong to: committed, they count; 0.
 * Not kept (ok 0, or the commit failed), they never happened; -1.
 */
static int
gauge_batch_end(struct broadcasts *b, int ok)
{
	int	i, rc = -1;

	if (!ok)
		store_batch_abort(b->of->store);
	else if ((rc = store_batch_end(b->of->store)) == 0) {
		for (i = 0; i < BROADCAST_NSTATES; i++)
			b->live.count[i] += b->staged.count[i];
		b->live.pending += b->staged.pending;
	}
	memset(&b->staged, 0, sizeof(b->staged));
	return rc;
}

/* A broadcast leaves the running states: its waiting recipients too. */
static int
gauge_stop(struct broadcasts *b, int64_t id, const char *from,
    const char *to)
{
	int64_t	pending;

	if ((pending = bcast_pending(b->bs, id)) == -1)
		return -1;
	gauge_move(b, from, to);
	b->staged.pending -= pending;
	return 0;
}

static void	expand_soon(struct broadcasts *, int secs);

/* What one broadcast says, with its variables split out for rendering. */
struct message {
	struct template	*tpl;		/* the text, or NULL for a template */
	const char	*tpl_name;
	json_t		*vars;
	const char	*keys[VARS_MAX + 3];
	const char	*vals[VARS_MAX + 3];
	size_t		 n;
};

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
		if (replies_extra(b->of->replies, tpl) == NULL) {
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
	return replies_render(b->of->replies, m->tpl_name, m->keys, m->vals,
	    m->n, out, cap);
}

/* The numbers of a list, each checked; as expand(). */
static int64_t
expand_list(struct broadcasts *b, int64_t id, const struct broadcast_req *r,
    char *err, size_t errlen)
{
	char		 num[MSISDN_MAX];
	const char	*why;
	size_t		 i;

	for (i = 0; i < r->nmsisdns; i++) {
		if (msisdn_normalize(r->msisdns[i], b->of->cfg->country_code, num,
		    sizeof(num), &why) == -1) {
			snprintf(err, errlen, "msisdns[%zu] \"%.32s\": %s", i,
			    r->msisdns[i], why);
			return -1;
		}
		if (bcast_add_number(b->bs, id, num) == -1)
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

/*
 * A broadcast's target as its row names it: 1 a group or a status (t
 * set), 0 a list, -1 a status that is not one.
 */
static int
target_parse(const char *target, struct bcast_target *t)
{
	const struct case_status	*cs;

	memset(t, 0, sizeof(*t));
	if (strncmp(target, "group:", 6) == 0) {
		t->group = target + 6;
		return 1;
	}
	if (strncmp(target, "status:", 7) != 0)
		return 0;
	if ((cs = case_status_by_name(target + 7)) == NULL)
		return -1;
	t->status = cs->code;
	return 1;
}

/*
 * The request's group or status: 1 (t set, pointing into buf), 0 a list,
 * -1 not there (err says why), -2 on a store error.
 */
static int
target_check(struct broadcasts *b, const struct broadcast_req *r,
    struct bcast_target *t, char *buf, size_t cap, char *err, size_t errlen)
{
	int	rc;

	if ((rc = target_parse(target_of(r, buf, cap), t)) == -1) {
		snprintf(err, errlen, "no case status named %s", r->cases_status);
		return -1;
	}
	if (rc == 1 && t->group &&
	    (rc = bcast_group_exists(b->bs, t->group)) != 1) {
		if (rc == -1)
			return -2;
		snprintf(err, errlen, "no group named %s", t->group);
		return -1;
	}
	return rc;
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

/*
 * The sample a dry run (and the creation's log line) shows: the first
 * recipient's rendered text (r NULL: nobody), its parts and their total.
 */
static int
preview(struct broadcasts *b, const struct bcast_rcpt *r, struct message *m,
    struct broadcast_info *info, char *err, size_t errlen)
{
	int	units;

	if (r != NULL) {
		snprintf(info->sample_to, sizeof(info->sample_to), "%s",
		    r->msisdn);
		if (message_render(b, m, r->msisdn, r->name, r->code,
		    info->sample, sizeof(info->sample)) == -1) {
			snprintf(err, errlen, "the text does not render");
			return -1;
		}
	}
	info->parts = info->sample[0] ? text_count_parts(info->sample,
	    (enum text_charset)b->of->cfg->charset, &units) : 0;
	if (info->parts > b->of->cfg->max_segments)
		info->parts = b->of->cfg->max_segments;	/* cut with "..." */
	info->total_parts = info->parts * info->recipients;
	return 0;
}

static int
fill_info(struct broadcasts *b, int64_t id, struct broadcast_info *info)
{
	struct bcast_counts	c;
	int			rc;

	if ((rc = bcast_counts(b->bs, id, &c)) != 1)
		return rc;
	info->id = id;
	snprintf(info->state, sizeof(info->state), "%s", c.state);
	info->total = c.total;
	info->queued = c.queued + (strcmp(c.state, "cancelled") ? c.pending : 0);
	info->sent = c.sent;
	info->delivered = c.delivered;
	info->failed = c.failed;
	info->skipped = c.dups + c.skipped;
	info->recipients = info->total - info->skipped;
	return 1;
}

int
broadcast_get(struct office *of, int64_t id, struct broadcast_info *info)
{
	memset(info, 0, sizeof(*info));
	return fill_info(of->broadcasts, id, info);
}

/* A list of numbers: its recipients go in at once (there are few). */
static int
create_list(struct broadcasts *b, const struct broadcast_req *r,
    const struct bcast_new *n, struct message *m, struct broadcast_info *info,
    char *err, size_t errlen)
{
	struct bcast_rcpt	first;
	int64_t			id, total;
	int			found;

	if ((id = bcast_add(b->bs, n)) == -1)
		return -2;
	if ((total = expand_list(b, id, r, err, errlen)) < 0)
		return (int)total;
	if (bcast_settle(b->bs, id, total) == -1 ||
	    fill_info(b, id, info) != 1 ||
	    (info->recipients = bcast_pending(b->bs, id)) == -1 ||
	    (found = bcast_next(b->bs, id, &first, 1)) == -1)
		return -2;
	gauge_move(b, NULL, n->state);
	b->staged.pending += info->recipients;
	return preview(b, found ? &first : NULL, m, info, err, errlen);
}

/*
 * A group or a status: the broadcast is recorded with the number of rows
 * it targets, to be expanded after (expand_cb); a dry run only counts.
 */
static int
create_target(struct broadcasts *b, const struct broadcast_req *r,
    const struct bcast_target *t, struct bcast_new *n, struct message *m,
    struct broadcast_info *info, char *err, size_t errlen)
{
	struct bcast_reach	reach;
	struct bcast_rcpt	first;
	int64_t			id;
	int			found;

	if (bcast_reach(b->bs, t, &reach) == -1 ||
	    (found = bcast_first(b->bs, t, &first)) == -1)
		return -2;
	n->total = reach.total;
	n->expand = 1;
	if (!r->dry_run) {
		if ((id = bcast_add(b->bs, n)) == -1 ||
		    fill_info(b, id, info) != 1)
			return -2;
		gauge_move(b, NULL, n->state);
	}
	info->total = reach.total;
	info->recipients = reach.numbers - reach.optout;
	if (r->dry_run) {
		info->skipped = reach.total - info->recipients;
		info->queued = info->recipients;
	}
	return preview(b, found ? &first : NULL, m, info, err, errlen);
}

static int
create_in_batch(struct broadcasts *b, const struct broadcast_req *r,
    struct message *m, struct broadcast_info *info, char *err, size_t errlen)
{
	struct bcast_target	t;
	int64_t			now = clock_wall_ms();
	char			target[160];
	int			rc;
	struct bcast_new	n = { r->at > now ? "scheduled" : "sending",
				    target, r->text, r->template,
				    r->vars_json ? r->vars_json : "{}",
				    r->at ? r->at : now, now, 0, 0 };

	if ((rc = target_check(b, r, &t, target, sizeof(target), err,
	    errlen)) < 0)
		return rc;
	if (rc == 0)
		return create_list(b, r, &n, m, info, err, errlen);
	return create_target(b, r, &t, &n, m, info, err, errlen);
}

int
broadcast_create(struct office *of, const struct broadcast_req *r,
    struct broadcast_info *info, char *err, size_t errlen)
{
	struct broadcasts	*b = of->broadcasts;
	struct message		 m;
	int			 rc;

	memset(info, 0, sizeof(*info));
	if (check_request(r, err, errlen) == -1 ||
	    message_init(b, &m, r->text, r->template, r->vars_json, err,
	    errlen) == -1)
		return -1;
	if (store_batch_begin(of->store) == -1) {
		message_free(&m);
		return -2;
	}
	rc = create_in_batch(b, r, &m, info, err, errlen);
	message_free(&m);
	if (rc != 0 || r->dry_run) {
		gauge_batch_end(b, 0);
		if (rc == 0) {
			info->id = 0;
			snprintf(info->state, sizeof(info->state), "dry_run");
		}
		return rc;
	}
	if (gauge_batch_end(b, 1) == -1)
		return -2;
	log_info("broadcast=%lld created total=%lld recipients=%lld parts=%lld",
	    (long long)info->id, (long long)info->total,
	    (long long)info->recipients, (long long)info->total_parts);
	expand_soon(b, 0);
	broadcast_kick(of);
	return 0;
}

int
broadcast_cancel(struct office *of, int64_t id, struct broadcast_info *info)
{
	struct broadcasts	*b = of->broadcasts;
	int			 rc, i;

	if ((rc = broadcast_get(of, id, info)) != 1)
		return rc;
	if (strcmp(info->state, "done") == 0 ||
	    strcmp(info->state, "cancelled") == 0)
		return 1;
	if (store_batch_begin(of->store) == -1)
		return -1;
	if (gauge_batch_end(b, gauge_stop(b, id, info->state, "cancelled") == 0 &&
	    bcast_set_state(b->bs, id, "cancelled") == 0 &&
	    bcast_cancel_queued(b->bs, id) == 0) == -1)
		return -1;
	/* The rows are marked; what the outboxes hold of them goes too. */
	for (i = 0; i < of->nlinks; i++)
		outbox_drop_broadcast(link_outbox(of->links[i]), id);
	log_info("broadcast=%lld cancelled", (long long)id);
	return broadcast_get(of, id, info);
}

int
broadcast_list(struct office *of, int limit,
    void (*cb)(const struct broadcast_info *, void *), void *arg)
{
	struct broadcast_info	 info;
	int64_t			 ids[100];
	int			 n, i;

	if ((n = bcast_ids(of->broadcasts->bs, ids, limit < 100 ? limit :
	    100)) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (broadcast_get(of, ids[i], &info) == 1)
			cb(&info, arg);
	return n;
}

static void
skip(struct broadcasts *b, const struct bcast_rcpt *r, const char *why)
{
	bcast_rcpt_skip(b->bs, r->id, why);
	b->staged.pending--;
	log_debug("broadcast recipient=%s skipped: %s", r->msisdn, why);
}

/* Queues one recipient's message, or skips them; -1 on a store error. */
static int
feed_one(struct broadcasts *b, int64_t bid, struct message *m,
    const struct bcast_rcpt *r)
{
	struct office	*of = b->of;
	char		 text[TEXT_MAX];
	int64_t		 out;

	if (optout_get(of->cases, r->msisdn) == 1) {
		skip(b, r, "optout");
		return 0;
	}
	if (bcast_sent_since(b->bs, r->msisdn, clock_wall_ms() - DAY_MS) >=
	    of->cfg->broadcast_daily_cap) {
		skip(b, r, "cap");
		return 0;
	}
	if (message_render(b, m, r->msisdn, r->name, r->code, text,
	    sizeof(text)) == -1 || (out = outbox_queue_bulk(of->store, of->cfg,
	    r->msisdn, text, bid)) == -1)
		return -1;
	b->staged.pending--;
	return bcast_rcpt_queued(b->bs, r->id, out);
}

/* Hands the next recipients to the outbox; -1 on a store error. */
static int64_t
feed(struct broadcasts *b, int64_t bid, struct message *m, int room)
{
	static struct bcast_rcpt	rs[FEED_MAX];
	int				n, i;

	if ((n = bcast_next(b->bs, bid, rs, room)) == -1)
		return -1;
	for (i = 0; i < n; i++)
		if (feed_one(b, bid, m, &rs[i]) == -1)
			return -1;
	return n;
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

	if ((pending = bcast_has_pending(b->bs, bid)) == -1 ||
	    (in_outbox = bcast_in_outbox(b->bs, bid)) == -1)
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
	gauge_move(b, "sending", "done");
	return bcast_set_state(b->bs, bid, "done");
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
	else if (config_quiet(b->of->cfg, now))
		want = "waiting";
	else
		want = "sending";
	if (strcmp(want, state) != 0) {
		log_info("broadcast=%lld %s", (long long)bid, want);
		gauge_move(b, state, want);
		if (bcast_set_state(b->bs, bid, want) == -1)
			return -1;
	}
	if (strcmp(want, "sending") != 0)
		return 0;
	if ((rc = top_up(b, bid, m, budget)) != 0)
		return rc == -1 ? -1 : 0;
	return finish(b, bid);
}

/* Moves one due broadcast on; -1 on a store error. */
static int
due_run(struct broadcasts *b, struct bcast_due *d, int *budget)
{
	struct message	m;
	char		err[256];
	int		rc;

	if (message_init(b, &m, d->text, d->tpl, d->vars, err,
	    sizeof(err)) == -1) {
		log_warnx("broadcast=%lld cannot render: %s: cancelled",
		    (long long)d->id, err);
		if (gauge_stop(b, d->id, d->state, "cancelled") == -1)
			return -1;
		return bcast_set_state(b->bs, d->id, "cancelled");
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
	struct bcast_due	 d[TICK_MAX];
	int64_t			 last = b->last;
	int			 n, i, ok, budget = FEED_MAX;

	(void)fd; (void)ev;
	if ((n = bcast_due(b->bs, clock_wall_ms(), b->last, d, TICK_MAX)) == 0)
		return;
	ok = store_batch_begin(b->of->store) == 0;
	for (i = 0; ok && i < n && budget > 0; i++) {
		ok = due_run(b, &d[i], &budget) == 0;
		last = d[i].id;
	}
	for (i = 0; i < n; i++)
		bcast_due_free(&d[i]);
	if (gauge_batch_end(b, ok) == 0)
		b->last = last;
	else if (!ok)
		log_warnx("broadcast: store trouble, will try again");
}

static void
gauge_load_state(const char *state, int64_t n, void *arg)
{
	struct gauge	*g = arg;
	int		 i;

	for (i = 0; i < BROADCAST_NSTATES; i++)
		if (strcmp(state, state_names[i]) == 0)
			g->count[i] = n;
}

/* The counters as the store has them, once at start; 0 or -1. */
static int
gauge_load(struct broadcasts *b)
{
	memset(&b->live, 0, sizeof(b->live));
	if (bcast_by_state(b->bs, gauge_load_state, &b->live) == -1 ||
	    (b->live.pending = bcast_all_pending(b->bs)) == -1)
		return -1;
	return 0;
}

/* For /metrics: the counters, no query. */
int
broadcast_gauges(struct office *of, struct broadcast_gauges *g)
{
	struct broadcasts	*b = of->broadcasts;
	int			 i;

	memset(g, 0, sizeof(*g));
	for (i = 0; i < BROADCAST_NSTATES; i++) {
		g->state[i] = state_names[i];
		g->count[i] = b ? b->live.count[i] : 0;
	}
	g->pending = b ? b->live.pending : 0;
	return 0;
}

/*
 * Adds the next chunk of the oldest broadcast being expanded, in its own
 * transaction: 1 when one was added (there may be more), 0 when none is
 * being expanded, -1 on a store error.
 */
static int
expand_step(struct broadcasts *b)
{
	struct bcast_expand	e;
	struct bcast_target	t;
	int			rc, more;

	if ((rc = bcast_expanding(b->bs, &e)) != 1)
		return rc;
	if (store_batch_begin(b->of->store) == -1)
		return -1;
	if (target_parse(e.target, &t) != 1) {
		log_warnx("broadcast=%lld target %s: cancelled", (long long)e.id,
		    e.target);
		return gauge_batch_end(b, gauge_stop(b, e.id, e.state,
		    "cancelled") == 0 && bcast_set_state(b->bs, e.id,
		    "cancelled") == 0) == 0 ? 1 : -1;
	}
	more = bcast_expand_chunk(b->bs, &e, &t, EXPAND_CHUNK);
	b->staged.pending += more == -1 ? 0 : e.pending;
	if (gauge_batch_end(b, more != -1) == -1)
		return -1;
	if (more == 0) {
		log_info("broadcast=%lld recipients added", (long long)e.id);
		broadcast_kick(b->of);
	}
	return 1;
}

/* The next chunk after the loop has served what is waiting (a timer, not
 * an activation: events activated now would run before any I/O). */
static void
expand_soon(struct broadcasts *b, int secs)
{
	struct timeval	tv = { secs, 0 };

	evtimer_add(b->expand, &tv);
}

static void
expand_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct broadcasts	*b = arg;
	int			 rc;

	(void)fd; (void)ev;
	if ((rc = expand_step(b)) == 1)
		expand_soon(b, 0);
	else if (rc == -1) {
		log_warnx("broadcast: store trouble adding recipients, will "
		    "try again");
		expand_soon(b, EXPAND_RETRY_S);
	}
}

void
broadcast_kick(struct office *of)
{
	/*
	 * Not the periodic tick itself: libevent reschedules a persistent
	 * timer activated "by timeout" a period after its last due time, so
	 * 300 quick kicks would push the next regular tick 30 s away.
	 */
	if (of->broadcasts)
		event_active(of->broadcasts->kick, EV_TIMEOUT, 0);
}

struct broadcasts *
broadcast_start(struct office *of)
{
	struct broadcasts	*b;
	struct timeval		 tick = { 0, FEED_TICK_MS * 1000 };

	if ((b = calloc(1, sizeof(*b))) == NULL)
		fatal("calloc");
	b->of = of;
	if ((b->bs = bcast_store_open(of->store)) == NULL)
		fatalx("broadcast: cannot prepare its statements");
	if ((b->tick = event_new(of->base, -1, EV_PERSIST, tick_cb, b)) == NULL ||
	    (b->kick = event_new(of->base, -1, 0, tick_cb, b)) == NULL ||
	    (b->expand = evtimer_new(of->base, expand_cb, b)) == NULL)
		fatalx("event_new");
	/* Expanding is background work: at the loop's lowest priority, with
	 * the admin door's connections, so that neither starves the other
	 * (a zero timer a turn at the middle one kept every request waiting
	 * until a big group was done) and the links still go first. */
	event_priority_set(b->expand, event_base_get_npriorities(of->base) - 1);
	if (gauge_load(b) == -1)
		fatalx("broadcast: cannot count the broadcasts");
	event_add(b->tick, &tick);
	expand_soon(b, 0);	/* one cut short by a restart goes on */
	return b;
}

void
broadcast_stop(struct broadcasts *b)
{
	if (b == NULL)
		return;
	event_free(b->tick);
	event_free(b->kick);
	event_free(b->expand);
	bcast_store_close(b->bs);
	free(b);
}
