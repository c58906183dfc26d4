/*
 * What a link sends next. Messages are loaded from the store in id order,
 * replies before bulk, a bounded number at a time (a broadcast of 100,000
 * streams through). Each part of a message is one submit_sm; the message is
 * marked sent when every part has a message_id. Throttling and transient
 * errors wait and retry with back-off; the message stays queued on disk
 * until then, so a crash resends it rather than losing it.
 *
 * An outbox is given at creation everything it reads (its link's section,
 * the office's quiet hours and charset, the store, the loop, the counters):
 * it asks its link only for room in the window and to submit. What it
 * holds of a cancelled broadcast goes when the office says so
 * (outbox_drop_broadcast), so it never asks the office anything.
 */
#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "dlr.h"
#include "log.h"
#include "clock.h"
#include "store/store.h"
#include "smpp/smpp.h"
#include "msisdn.h"
#include "smpp_pdu.h"
#include "str.h"
#include "text.h"

#define LOAD_PER_PRIO		256	/* messages held in memory per priority */
#define RETRY_MIN_MS		1000
#define RETRY_MAX_MS		60000
#define TRANSIENT_TRIES		6	/* system errors: then failed */
#define QUIET_RECHECK_MS	1000

enum part_state { P_TODO, P_SENT, P_ACKED };

struct out_msg;

struct out_part {
	struct out_msg	*msg;
	uint8_t		 idx;
	uint8_t		 state;
};

struct out_msg {
	TAILQ_ENTRY(out_msg) entry;
	int		 list;		/* which list holds it */
	int64_t		 id;
	int		 prio;
	char		 msisdn[MSISDN_MAX];
	char		*text;
	int		 attempts;
	int64_t		 next_at;
	int64_t		 created_at;
	int		 ussd_op, its_session;	/* -1 for an SMS */
	int		 user_msg_ref;
	int64_t		 broadcast_id;
	int		 failed;
	int		 inflight;
	int		 nparts;	/* 0 until encoded */
	int		 acked;
	struct out_part	 part[TEXT_MAX_PARTS];
	struct smpp_sm	*pdus;		/* one per part, built on first send */
};

TAILQ_HEAD(msg_list, out_msg);

enum { L_READY0, L_READY1, L_BUSY, L_LATER, L_NLISTS };

struct outbox {
	struct link	*link;
	struct outbox_params p;
	struct msg_list	 lists[L_NLISTS];
	int		 loaded[OUT_NPRIO];
	int64_t		 cursor[OUT_NPRIO];
	int		 more[OUT_NPRIO];	/* the store may hold more queued */
	double		 tokens;
	int64_t		 tokens_at;
	int64_t		 paused_until;
	uint8_t		 next_ref;
	struct event	*wake;
};

static void
msg_move(struct outbox *ob, struct out_msg *m, int list)
{
	if (m->list >= 0)
		TAILQ_REMOVE(&ob->lists[m->list], m, entry);
	m->list = list;
	if (list == L_READY0 || list == L_READY1)
		TAILQ_INSERT_HEAD(&ob->lists[list], m, entry);
	else if (list >= 0)
		TAILQ_INSERT_TAIL(&ob->lists[list], m, entry);
}

static void
msg_free(struct outbox *ob, struct out_msg *m)
{
	msg_move(ob, m, -1);
	ob->loaded[m->prio]--;
	free(m->text);
	free(m->pdus);
	free(m);
}

static void
on_loaded(const struct outbound *o, void *arg)
{
	struct outbox	*ob = arg;
	struct out_msg	*m;

	if ((m = calloc(1, sizeof(*m))) == NULL || (m->text = strdup(o->text))
	    == NULL)
		fatal("calloc");
	m->id = o->id;
	m->prio = o->prio;
	m->created_at = o->created_at;
	m->ussd_op = o->ussd_op;
	m->its_session = o->its_session;
	m->user_msg_ref = o->user_msg_ref;
	m->broadcast_id = o->broadcast_id;
	str_copy(m->msisdn, o->msisdn, sizeof(m->msisdn));
	m->list = o->prio == OUT_PRIO_REPLY ? L_READY0 : L_READY1;
	TAILQ_INSERT_TAIL(&ob->lists[m->list], m, entry);
	ob->loaded[o->prio]++;
	ob->cursor[o->prio] = o->id;
}

/*
 * New messages are queued on disk: loaded and sent once the callback that
 * committed them returns (its deliver_sm_resps go out first), in the same
 * turn of the loop.
 */
void
outbox_kick(struct outbox *ob)
{
	ob->more[OUT_PRIO_REPLY] = ob->more[OUT_PRIO_BULK] = 1;
	event_active(ob->wake, EV_TIMEOUT, 0);
}

static void
load_more(struct outbox *ob)
{
	int		 prio, room, n;

	for (prio = 0; prio < OUT_NPRIO; prio++) {
		room = LOAD_PER_PRIO - ob->loaded[prio];
		if (!ob->more[prio] || room < LOAD_PER_PRIO / 2)
			continue;
		n = store_outbound_load(ob->p.store, ob->p.smsc->name, prio,
		    ob->cursor[prio], room, on_loaded, ob);
		ob->more[prio] = n == room;
	}
}

/* Source and destination as this carrier wants them. */
static void
msg_addresses(const struct config_smsc *cfg, const char *msisdn,
    struct smpp_sm *sm)
{
	size_t	n = strlen(cfg->source_addr);

	str_copy(sm->src, cfg->source_addr, sizeof(sm->src));
	if (strspn(cfg->source_addr, "0123456789") != n) {
		sm->src_ton = 5;	/* alphanumeric brandname */
		sm->src_npi = 0;
	} else {
		sm->src_ton = n <= 8 ? 3 : 1;	/* short code: network specific */
		sm->src_npi = n <= 8 ? 0 : 1;
	}
	sm->dst_ton = (uint8_t)cfg->dest_ton;
	sm->dst_npi = (uint8_t)cfg->dest_npi;
	if (cfg->dest_ton != 2 ||
	    msisdn_national(msisdn, sm->dst, sizeof(sm->dst)) == -1)
		str_copy(sm->dst, msisdn, sizeof(sm->dst));
}

/*
 * On an SMSC whose data_coding 0 is Latin-1 or ASCII, GSM 03.38 bytes
 * would arrive as other characters ('@' is 0x00 in GSM, '_' 0x11): the
 * parts are rewritten in its alphabet, or, when a character has no byte
 * there, the text goes as UCS-2.
 */
static int
parts_to_dc0(enum text_alphabet dc0, struct text_parts *tp)
{
	struct text_part	*pt;
	size_t			 udh;
	long			 n;
	int			 i;

	for (i = 0; i < tp->nparts; i++) {
		pt = &tp->part[i];
		udh = tp->esm_class & TEXT_ESM_UDHI ? (size_t)pt->bytes[0] + 1 : 0;
		if ((n = text_gsm7_to_dc0(pt->bytes + udh, pt->len - udh,
		    dc0)) < 0)
			return -1;
		pt->len = udh + (size_t)n;
	}
	return 0;
}

static int
encode_parts(const char *text, enum text_charset cs, int max, uint8_t ref,
    enum text_alphabet dc0, struct text_parts *tp)
{
	int	n = text_encode_parts(text, cs, max, ref, tp);

	if (n < 1 || tp->data_coding != TEXT_DC_GSM7 ||
	    parts_to_dc0(dc0, tp) == 0)
		return n;
	return text_encode_parts(text, TEXT_CS_UCS2, max, ref, tp);
}

static int
encode_payload(const char *text, enum text_charset cs, size_t max,
    enum text_alphabet dc0, struct text_payload *pl)
{
	long	n;

	if (text_encode_payload(text, cs, max, pl) == -1)
		return -1;
	if (pl->data_coding != TEXT_DC_GSM7)
		return 0;
	if ((n = text_gsm7_to_dc0(pl->bytes, pl->len, dc0)) >= 0) {
		pl->len = (size_t)n;
		return 0;
	}
	return text_encode_payload(text, TEXT_CS_UCS2, max, pl);
}

/*
 * A USSD screen: one submit_sm with the operation and the session echoed,
 * folded to GSM 03.38 (every phone shows it), no delivery receipt.
 */
static int
msg_encode_ussd(struct outbox *ob, struct out_msg *m, struct smpp_sm *sm)
{
	struct text_payload	pl;

	msg_addresses(ob->p.smsc, m->msisdn, sm);
	str_copy(sm->service_type, "USSD", sizeof(sm->service_type));
	sm->ussd_op = m->ussd_op;
	sm->its_session = m->its_session;
	sm->user_msg_ref = m->user_msg_ref;	/* Mica's session id, echoed */
	/* 160 octets: the longest USSD string, 182 GSM characters. */
	if (encode_payload(m->text, TEXT_CS_ASCII, 160, ob->p.dc0,
	    &pl) == -1)
		return -1;
	sm->data_coding = (uint8_t)pl.data_coding;
	memcpy(sm->sm, pl.bytes, pl.len);
	sm->sm_len = (uint16_t)pl.len;
	return 0;
}

/* Encodes the text once into one submit_sm per part. */
static int
msg_encode(struct outbox *ob, struct out_msg *m)
{
	const struct config_smsc *cfg = ob->p.smsc;
	const struct config	*gcfg = ob->p.office;
	enum text_charset	 cs = (enum text_charset)gcfg->charset;
	struct text_parts	 tp;
	struct smpp_sm		 base;
	int			 i;

	smpp_sm_init(&base);
	if (m->ussd_op >= 0) {
		if ((m->pdus = calloc(1, sizeof(*m->pdus))) == NULL)
			fatal("calloc");
		smpp_sm_init(m->pdus);
		m->nparts = 1;
		m->part[0] = (struct out_part){ m, 0, P_TODO };
		return msg_encode_ussd(ob, m, m->pdus);
	}
	msg_addresses(cfg, m->msisdn, &base);
	base.registered_delivery = 1;
	if (cfg->long_sms == CONFIG_LONG_PAYLOAD) {
		struct text_payload pl;
		if (encode_payload(m->text, cs, TEXT_PAYLOAD_MAX,
		    ob->p.dc0, &pl) == -1)
			return -1;
		m->nparts = 1;
		base.data_coding = (uint8_t)pl.data_coding;
		base.payload_len = (int)pl.len;
		memcpy(base.payload, pl.bytes, pl.len);
	} else {
		if (encode_parts(m->text, cs, gcfg->max_segments,
		    ob->next_ref++, ob->p.dc0, &tp) < 1)
			return -1;
		m->nparts = tp.nparts;
		base.data_coding = (uint8_t)tp.data_coding;
		base.esm_class = (uint8_t)tp.esm_class;
	}
	if ((m->pdus = calloc(m->nparts, sizeof(*m->pdus))) == NULL)
		fatal("calloc");
	for (i = 0; i < m->nparts; i++) {
		m->pdus[i] = base;
		if (cfg->long_sms != CONFIG_LONG_PAYLOAD) {
			memcpy(m->pdus[i].sm, tp.part[i].bytes, tp.part[i].len);
			m->pdus[i].sm_len = (uint16_t)tp.part[i].len;
		}
		m->part[i] = (struct out_part){ m, (uint8_t)i, P_TODO };
	}
	return 0;
}

static void
msg_fail(struct outbox *ob, struct out_msg *m, uint32_t status)
{
	log_warnx("link=%s msisdn=%s out=%lld failed status=0x%02x",
	    ob->p.smsc->name, m->msisdn, (long long)m->id, status);
	store_outbound_failed(ob->p.store, m->id, status, clock_wall_ms());
	ob->p.stats->out_failed++;
	m->failed = 1;
	if (m->inflight == 0)
		msg_free(ob, m);
	else
		msg_move(ob, m, L_BUSY);
}

static struct out_part *
msg_next_part(struct out_msg *m)
{
	int	i;

	for (i = 0; i < m->nparts; i++)
		if (m->part[i].state == P_TODO)
			return &m->part[i];
	return NULL;
}

static void
refill_tokens(struct outbox *ob, int64_t now)
{
	int	rate = ob->p.smsc->throughput;

	if (rate == 0) {
		ob->tokens = 1e9;
		return;
	}
	ob->tokens += (now - ob->tokens_at) * rate / 1000.0;
	if (ob->tokens > rate)
		ob->tokens = rate;	/* at most one second of burst */
	ob->tokens_at = now;
}

/* Moves messages whose retry time has come back to the ready lists. */
static int64_t
wake_later(struct outbox *ob, int64_t now)
{
	struct out_msg	*m, *next;
	int64_t		 soonest = 0;

	for (m = TAILQ_FIRST(&ob->lists[L_LATER]); m; m = next) {
		next = TAILQ_NEXT(m, entry);
		if (m->next_at <= now)
			msg_move(ob, m, m->prio ? L_READY1 : L_READY0);
		else if (soonest == 0 || m->next_at < soonest)
			soonest = m->next_at;
	}
	return soonest;
}

static void
schedule_wake(struct outbox *ob, int64_t now, int64_t at)
{
	struct timeval	tv;
	int64_t		ms = at - now;

	if (ms < 1)
		ms = 1;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(ob->wake, &tv);
}

/*
 * Replies first. Bulk waits out quiet hours and leaves one slot of the
 * window for a citizen's answer.
 */
static struct out_msg *
next_ready(struct outbox *ob, int *quiet)
{
	struct out_msg	*m;

	if ((m = TAILQ_FIRST(&ob->lists[L_READY0])) != NULL)
		return m;
	m = TAILQ_FIRST(&ob->lists[L_READY1]);
	if (m != NULL && config_quiet(ob->p.office, clock_wall_ms())) {
		*quiet = 1;
		return NULL;
	}
	if (m == NULL || (link_room(ob->link) < 2 &&
	    ob->p.smsc->window > 1))
		return NULL;
	return m;
}

static int
send_one(struct outbox *ob, struct out_msg *m)
{
	struct out_part	*p;
	int		 rc;

	if (m->nparts == 0 && msg_encode(ob, m) == -1) {
		msg_fail(ob, m, SMPP_RINVMSGLEN);
		return 0;
	}
	if ((p = msg_next_part(m)) == NULL) {
		msg_move(ob, m, L_BUSY);
		return 0;
	}
	if ((rc = link_submit(ob->link, &m->pdus[p->idx], p)) == -2) {
		msg_fail(ob, m, SMPP_RINVMSGLEN);
		return 0;
	}
	if (rc == -1)
		return -1;
	p->state = P_SENT;
	ob->p.stats->out_submitted++;
	m->inflight++;
	ob->tokens -= 1;
	if (msg_next_part(m) == NULL)
		msg_move(ob, m, L_BUSY);
	return 0;
}

void
outbox_pump(struct outbox *ob)
{
	int64_t		 now = clock_mono_ms(), at;
	struct out_msg	*m;
	int		 quiet = 0;

	load_more(ob);
	refill_tokens(ob, now);
	at = wake_later(ob, now);
	if (now < ob->paused_until) {
		schedule_wake(ob, now, ob->paused_until);
		return;
	}
	while (link_room(ob->link) > 0 &&
	    (m = next_ready(ob, &quiet)) != NULL) {
		if (ob->tokens < 1) {
			int rate = ob->p.smsc->throughput;
			at = now + (int64_t)((1 - ob->tokens) * 1000 / rate) + 1;
			break;
		}
		if (send_one(ob, m) == -1)
			break;
	}
	/* Quiet hours end by the wall clock, which may jump: look again soon. */
	if (quiet && (at == 0 || at > now + QUIET_RECHECK_MS))
		at = now + QUIET_RECHECK_MS;
	if (at)
		schedule_wake(ob, now, at);
}

static void
wake_cb(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd; (void)ev;
	outbox_pump(arg);
}

static int64_t
retry_delay(int attempts)
{
	int64_t	ms = RETRY_MIN_MS;

	while (--attempts > 0 && ms < RETRY_MAX_MS)
		ms *= 2;
	return ms > RETRY_MAX_MS ? RETRY_MAX_MS : ms;
}

const double stats_lat_bounds_ms[STATS_LAT_BUCKETS] = {
	1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 5000, 1e300
};

/* Counts a sent message; latency_ms < 0 for messages that answer nothing. */
static void
stats_sent(struct smpp_stats *st, int64_t latency_ms)
{
	int	i;

	st->out_sent++;
	if (latency_ms < 0)
		return;
	for (i = 0; i < STATS_LAT_BUCKETS - 1; i++)
		if (latency_ms <= stats_lat_bounds_ms[i])
			break;
	st->reply_latency[i]++;
	st->reply_latency_sum_ms += (double)latency_ms;
	st->reply_latency_count++;
}

static void
part_acked(struct outbox *ob, struct out_part *p, const char *smsc_id)
{
	struct out_msg	*m = p->msg;
	char		 keys[2][DLR_KEY_MAX];

	p->state = P_ACKED;
	m->acked++;
	switch (dlr_id_keys(smsc_id, keys)) {
	case -1:	/* no usable id: its receipt cannot be matched */
		keys[0][0] = '\0';
		/* FALLTHROUGH */
	case 1:
		memcpy(keys[1], keys[0], sizeof(keys[1]));
		break;
	}
	store_outbound_part(ob->p.store, m->id, p->idx + 1, smsc_id, keys[0],
	    keys[1]);
	if (m->acked == m->nparts) {
		store_outbound_sent(ob->p.store, m->id, m->nparts, clock_wall_ms());
		stats_sent(ob->p.stats, m->prio == OUT_PRIO_REPLY ?
		    clock_wall_ms() - m->created_at : -1);
		log_debug("link=%s msisdn=%s out=%lld sent parts=%d",
		    ob->p.smsc->name, m->msisdn, (long long)m->id, m->nparts);
		msg_free(ob, m);
	}
}

static void
part_retry(struct outbox *ob, struct out_part *p, uint32_t status)
{
	struct out_msg	*m = p->msg;
	int64_t		 now = clock_mono_ms();

	p->state = P_TODO;
	if (status == LINK_STATUS_DROPPED) {
		msg_move(ob, m, m->prio ? L_READY1 : L_READY0);
		return;
	}
	m->attempts++;
	ob->p.stats->out_retried++;
	if (status != SMPP_RTHROTTLED && status != SMPP_RMSGQFUL &&
	    m->attempts >= TRANSIENT_TRIES) {
		msg_fail(ob, m, status);
		return;
	}
	m->next_at = now + retry_delay(m->attempts);
	if (status == SMPP_RTHROTTLED || status == SMPP_RMSGQFUL) {
		/* The SMSC wants the whole link slower, not just this message. */
		if (ob->paused_until < m->next_at)
			ob->paused_until = m->next_at;
		ob->p.stats->throttled++;
		log_info("link=%s throttled status=0x%02x: pausing %lld ms",
		    ob->p.smsc->name, status, (long long)(m->next_at - now));
	}
	msg_move(ob, m, L_LATER);
}

void
outbox_on_resp(struct outbox *ob, void *cookie, uint32_t status,
    const char *smsc_id)
{
	struct out_part	*p = cookie;
	struct out_msg	*m = p->msg;

	m->inflight--;
	if (m->failed) {
		if (m->inflight == 0)
			msg_free(ob, m);
	} else if (status == SMPP_ROK)
		part_acked(ob, p, smsc_id);
	else if (status == LINK_STATUS_DROPPED || smpp_status_transient(status))
		part_retry(ob, p, status);
	else
		msg_fail(ob, m, status);
}

/*
 * A broadcast was cancelled (its queued rows are marked in the store): its
 * messages held here go too, unless a part is already out, as the row of
 * such a message was marked along with the others.
 */
int
outbox_drop_broadcast(struct outbox *ob, int64_t broadcast_id)
{
	static const int lists[] = { L_READY1, L_LATER };
	struct out_msg	*m, *next;
	size_t		 i;
	int		 n = 0;

	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		for (m = TAILQ_FIRST(&ob->lists[lists[i]]); m; m = next) {
			next = TAILQ_NEXT(m, entry);
			if (m->broadcast_id != broadcast_id || m->inflight ||
			    m->acked)
				continue;
			msg_free(ob, m);
			n++;
		}
	}
	return n;
}

int
outbox_loaded(const struct outbox *ob)
{
	return ob->loaded[0] + ob->loaded[1];
}

struct outbox *
outbox_new(struct link *l, const struct outbox_params *p)
{
	struct outbox	*ob;
	int		 i;

	if ((ob = calloc(1, sizeof(*ob))) == NULL)
		fatal("calloc");
	ob->link = l;
	ob->p = *p;
	for (i = 0; i < L_NLISTS; i++)
		TAILQ_INIT(&ob->lists[i]);
	ob->tokens_at = clock_mono_ms();
	ob->more[OUT_PRIO_REPLY] = ob->more[OUT_PRIO_BULK] = 1;
	ob->next_ref = (uint8_t)arc4random_uniform(256);
	if ((ob->wake = evtimer_new(p->base, wake_cb, ob)) == NULL)
		fatalx("evtimer_new");
	return ob;
}

void
outbox_free(struct outbox *ob)
{
	struct out_msg	*m;
	int		 i;

	for (i = 0; i < L_NLISTS; i++)
		while ((m = TAILQ_FIRST(&ob->lists[i])) != NULL)
			msg_free(ob, m);
	event_free(ob->wake);
	free(ob);
}

/* A USSD screen goes back on the link the session came in on. */
int64_t
outbox_queue_ussd(struct store *st, const struct inbound *in,
    const char *text, int op, int its_session)
{
	struct outbound	o;

	memset(&o, 0, sizeof(o));
	o.link = in->link;
	o.msisdn = in->msisdn;
	o.text = text;
	o.kind = "ussd";
	o.prio = OUT_PRIO_REPLY;
	o.inbound_id = in->id;
	o.created_at = clock_wall_ms();
	o.ussd_op = op;
	o.its_session = its_session;
	o.user_msg_ref = in->user_msg_ref;
	return store_outbound_add(st, &o);
}

/* A broadcast's message: bulk priority, routed like any other. */
int64_t
outbox_queue_bulk(struct store *st, const struct config *cfg,
    const char *msisdn, const char *text, int64_t broadcast_id)
{
	struct outbound	o;

	memset(&o, 0, sizeof(o));
	o.link = cfg->smsc[config_route(cfg, msisdn)].name;
	o.msisdn = msisdn;
	o.text = text;
	o.kind = "broadcast";
	o.prio = OUT_PRIO_BULK;
	o.created_at = clock_wall_ms();
	o.ussd_op = o.its_session = o.user_msg_ref = -1;
	o.broadcast_id = broadcast_id;
	return store_outbound_add(st, &o);
}

/* Queues a message on disk, routed to its link; the id or -1. */
int64_t
outbox_queue(struct store *st, const struct config *cfg, const char *msisdn,
    const char *text, const char *kind, int prio, int64_t inbound_id)
{
	struct outbound	o;
	int		link = config_route(cfg, msisdn);

	memset(&o, 0, sizeof(o));
	o.link = cfg->smsc[link].name;
	o.msisdn = msisdn;
	o.text = text;
	o.kind = kind;
	o.prio = prio;
	o.inbound_id = inbound_id;
	o.created_at = clock_wall_ms();
	o.ussd_op = o.its_session = o.user_msg_ref = -1;
	return store_outbound_add(st, &o);
}
