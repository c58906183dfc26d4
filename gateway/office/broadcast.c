/*
 * Broadcasts: reminders to a group, a list of numbers, or everyone whose
 * case has a status. Recipients are expanded into the store once
 * (store/broadcasts.c), duplicates collapsing; a tick (100 ms) then hands a
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

struct broadcasts {
	struct office		*of;
	struct bcast_store	*bs;
	struct event		*tick;
	struct event		*kick;	/* a tick now, out of turn */
	int64_t			 last;	/* where the tick's round stopped */
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

/*
 * Expands the target into recipients; the number of numbers targeted,
 * -1 for a target that is not there (err says why), -2 on a store error.
 */
static int64_t
expand(struct broadcasts *b, int64_t id, const struct broadcast_req *r,
    char *err, size_t errlen)
{
	const struct case_status	*cs;
	int64_t				 n;

	if (r->group) {
		if ((n = bcast_group_exists(b->bs, r->group)) != 1) {
			if (n == -1)
				return -2;
			snprintf(err, errlen, "no group named %s", r->group);
			return -1;
		}
		n = bcast_expand_group(b->bs, id, r->group);
	} else if (r->cases_status) {
		if ((cs = case_status_by_name(r->cases_status)) == NULL) {
			snprintf(err, errlen, "no case status named %s",
			    r->cases_status);
			return -1;
		}
		n = bcast_expand_status(b->bs, id, cs->code);
	} else
		return expand_list(b, id, r, err, errlen);
	return n == -1 ? -2 : n;
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
	struct bcast_rcpt	r;
	int			units, n;

	if ((n = bcast_next(b->bs, id, &r, 1)) == -1)
		return -1;
	if (n == 1) {
		snprintf(info->sample_to, sizeof(info->sample_to), "%s",
		    r.msisdn);
		if (message_render(b, m, r.msisdn, r.name, r.code, info->sample,
		    sizeof(info->sample)) == -1)
			return -1;
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

static int
create_in_batch(struct broadcasts *b, const struct broadcast_req *r,
    struct message *m, struct broadcast_info *info, char *err, size_t errlen)
{
	int64_t			now = clock_wall_ms(), id, total;
	char			target[128];
	struct bcast_new	n = { r->at > now ? "scheduled" : "sending",
				    target_of(r, target, sizeof(target)),
				    r->text, r->template,
				    r->vars_json ? r->vars_json : "{}",
				    r->at ? r->at : now, now };

	if ((id = bcast_add(b->bs, &n)) == -1)
		return -2;
	if ((total = expand(b, id, r, err, errlen)) < 0)
		return (int)total;
	if (bcast_settle(b->bs, id, total) == -1 ||
	    fill_info(b, id, info) != 1 ||
	    (info->recipients = bcast_pending(b->bs, id)) == -1)
		return -2;
	if (preview(b, id, m, info) == -1) {
		snprintf(err, errlen, "the text does not render");
		return -1;
	}
	return 0;
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
		store_batch_abort(of->store);
		if (rc == 0) {
			info->id = 0;
			snprintf(info->state, sizeof(info->state), "dry_run");
		}
		return rc;
	}
	if (store_batch_end(of->store) == -1)
		return -2;
	log_info("broadcast=%lld created total=%lld recipients=%lld parts=%lld",
	    (long long)info->id, (long long)info->total,
	    (long long)info->recipients, (long long)info->total_parts);
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
	if (bcast_set_state(b->bs, id, "cancelled") == -1 ||
	    bcast_cancel_queued(b->bs, id) == -1) {
		store_batch_abort(of->store);
		return -1;
	}
	if (store_batch_end(of->store) == -1)
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
	if (!ok) {
		store_batch_abort(b->of->store);
		log_warnx("broadcast: store trouble, will try again");
	} else if (store_batch_end(b->of->store) == 0)
		b->last = last;
}

static const char *const state_names[BROADCAST_NSTATES] = { "scheduled",
	"waiting", "sending", "done", "cancelled" };

static void
gauge_state(const char *state, int64_t n, void *arg)
{
	struct broadcast_gauges	*g = arg;
	int			 i;

	for (i = 0; i < BROADCAST_NSTATES; i++)
		if (strcmp(state, state_names[i]) == 0)
			g->count[i] = n;
}

int
broadcast_gauges(struct office *of, struct broadcast_gauges *g)
{
	struct broadcasts	*b = of->broadcasts;
	int			 i;

	memset(g, 0, sizeof(*g));
	for (i = 0; i < BROADCAST_NSTATES; i++)
		g->state[i] = state_names[i];
	if (b == NULL)
		return 0;
	if (bcast_by_state(b->bs, gauge_state, g) == -1 ||
	    (g->pending = bcast_all_pending(b->bs)) == -1)
		return -1;
	return 0;
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
	    (b->kick = event_new(of->base, -1, 0, tick_cb, b)) == NULL)
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
	bcast_store_close(b->bs);
	free(b);
}
