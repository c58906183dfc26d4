/*
 * One carrier link: a transceiver connection, or a transmitter plus a
 * receiver. This file owns the sockets, the bind, sequence numbers, the
 * window of unanswered requests, enquire_link, timeouts and reconnects.
 * What a deliver_sm means is the business of whoever created the link: it
 * hands the PDU to the deliver callback it was given (struct link_cb, as
 * tmux's dispatchcb), and says through the others when a read's batch is
 * over (the store's health) and when a connection comes up or goes down.
 * What to submit next is outbox.c's.
 *
 * It also keeps, per session, what the SMSC has surely read of our
 * deliver_sm_resps (see REDELIVERY_WINDOW_MS), in inbound ids: a response
 * to a request written after a resp proves that resp arrived, and a
 * session's end is stored with the id past which its messages may come
 * again. The store tells a redelivery from a citizen writing again by it.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/util.h>

#include "frame.h"
#include "log.h"
#include "clock.h"
#include "store/store.h"
#include "smpp/smpp.h"
#include "smpp_pdu.h"

enum conn_role { ROLE_TRX, ROLE_TX, ROLE_RX };
enum conn_state { C_IDLE, C_CONNECTING, C_BINDING, C_BOUND, C_UNBINDING };

struct pending {
	uint32_t	 seq;		/* 0: slot free */
	uint32_t	 cmd;
	int64_t		 sent_ms;
	int64_t		 covers;	/* flushed_id when it was written */
	void		*cookie;	/* the outbox's, for submit_sm; NULL once
					 * it timed out and went back to it */
};

/*
 * A submit_sm not answered in response_timeout goes back to the outbox
 * to be retried, but keeps its place in the window: the SMSC may still be
 * working on it, and a window is what the SMSC has not answered, not what
 * we stopped waiting for. Its late answer frees the place. If it has had
 * no answer after this many timeouts, the link is dropped, which frees
 * the window (a dead SMSC would otherwise hold it for ever).
 */
#define EXPIRED_DROP_AFTER	4

/* Resps written up to inbound id `id` by at_ms (monotonic), one per 250 ms. */
#define FLUSH_MARK_MS	250
#define FLUSH_MARKS	(REDELIVERY_WINDOW_MS / FLUSH_MARK_MS + 4)
struct flush_mark {
	int64_t		 first_ms, at_ms, id;
};

enum unbound { UNB_NONE, UNB_ANSWERED, UNB_BY_SMSC };

struct ack {
	uint32_t	 cmd, seq, status;
};

struct conn {
	struct link		*link;
	enum conn_role		 role;
	enum conn_state		 state;
	struct bufferevent	*bev;
	struct event		*retry_ev;
	struct event		*tick_ev;
	int			 backoff_s;
	int64_t			 last_rx_ms;
	uint32_t		 next_seq;
	struct pending		*pending;	/* window + a few control PDUs */
	int			 npending;	/* slots */
	int			 inflight;	/* submit_sm awaiting a response */
	int			 enquiring;
	int64_t			 session;	/* unique per bind, across restarts */
	struct ack		*acks;		/* sent after the batch commits */
	int			 nacks, acks_cap;
	const char		*drop_reason;	/* set while reading, acted on after */
	int			 no_store;	/* this read has no batch: refuse */
	/* What the SMSC has read of our resps, in inbound ids (see top) */
	int			 session_open;	/* a receiving session is recorded */
	enum unbound		 unbound;
	int64_t			 bound_id;	/* newest id when it bound */
	int64_t			 flushed_id;	/* resps written up to this id */
	int64_t			 asked_id;	/* ... before our latest request */
	int64_t			 proven_id;	/* ... before one it answered */
	int64_t			 saved_id;	/* proven_id as on disk */
	struct flush_mark	 marks[FLUSH_MARKS];
	int			 nmarks, mark_head;
};

struct link {
	struct link_params	 p;
	const struct config_smsc *cfg;	/* p.smsc */
	struct conn		 conns[2];
	int			 nconns;
	struct outbox		*outbox;
	int			 stopping;
	uint64_t		 reconnects;
};

static void	conn_connect(struct conn *);
static void	conn_drop(struct conn *, const char *);
static int	conn_send(struct conn *, const uint8_t *, size_t);

static const char *const role_names[] = { "trx", "tx", "rx" };

/* Milliseconds since the epoch, made unique: a restart never reuses one. */
static int64_t
link_new_session(void)
{
	static int64_t	last;
	int64_t		now = clock_wall_ms();

	last = now > last ? now : last + 1;
	return last;
}

static int
conn_can_receive(const struct conn *c)
{
	return c->role != ROLE_TX;
}

static int
conn_can_submit(const struct conn *c)
{
	return c->role != ROLE_RX;
}

static uint32_t
conn_seq(struct conn *c)
{
	uint32_t	seq = c->next_seq;

	c->next_seq = seq >= 0x7FFFFFFF ? 1 : seq + 1;
	return seq;
}

static struct pending *
pending_slot(struct conn *c, uint32_t seq)
{
	int	i;

	for (i = 0; i < c->npending; i++)
		if (c->pending[i].seq == seq)
			return &c->pending[i];
	return NULL;
}

static int
pending_add(struct conn *c, uint32_t seq, uint32_t cmd, void *cookie)
{
	struct pending	*p = pending_slot(c, 0);

	if (p == NULL)
		return -1;
	p->seq = seq;
	p->cmd = cmd;
	p->sent_ms = clock_mono_ms();
	p->covers = c->asked_id = c->flushed_id;
	p->cookie = cookie;
	if (cmd == SMPP_SUBMIT_SM)
		c->inflight++;
	return 0;
}

static void
pending_clear(struct conn *c, struct pending *p)
{
	if (p->cmd == SMPP_SUBMIT_SM)
		c->inflight--;
	memset(p, 0, sizeof(*p));
}

/* Any answer to a request proves the SMSC read what we wrote before it. */
static void
pending_answered(struct conn *c, struct pending *p)
{
	if (p->covers > c->proven_id)
		c->proven_id = p->covers;
	pending_clear(c, p);
}

static void
flush_mark(struct conn *c, int64_t now)
{
	struct flush_mark	*m = &c->marks[c->mark_head];

	if (c->nmarks == 0 || now - m->first_ms >= FLUSH_MARK_MS) {
		c->mark_head = (c->mark_head + 1) % FLUSH_MARKS;
		m = &c->marks[c->mark_head];
		m->first_ms = now;
		if (c->nmarks < FLUSH_MARKS)
			c->nmarks++;
	}
	m->at_ms = now;
	m->id = c->flushed_id;
}

/*
 * The newest id whose resp was written REDELIVERY_WINDOW_MS before now.
 * A full ring spans more than the window, so its oldest mark qualifies.
 */
static int64_t
flush_before_window(const struct conn *c, int64_t now)
{
	int	i, k;

	for (i = 0; i < c->nmarks; i++) {
		k = (c->mark_head - i + FLUSH_MARKS) % FLUSH_MARKS;
		if (now - c->marks[k].at_ms >= REDELIVERY_WINDOW_MS)
			return c->marks[k].id;
	}
	return c->bound_id;
}

/* Only a receiving connection has messages a redelivery could repeat. */
static void
session_begin(struct conn *c)
{
	struct store	*st = c->link->p.store;

	c->bound_id = c->flushed_id = c->asked_id = c->proven_id =
	    c->saved_id = store_inbound_last_id(st);
	c->nmarks = 0;
	c->unbound = UNB_NONE;
	if (!conn_can_receive(c))
		return;
	c->session_open = 1;
	store_session_begin(st, c->session, c->link->cfg->name, clock_wall_ms(),
	    c->proven_id);
}

/* Within the read's batch: what the next process needs if this one dies. */
static void
session_save_proof(struct conn *c)
{
	if (!c->session_open || c->proven_id == c->saved_id)
		return;
	if (store_session_proven(c->link->p.store, c->session,
	    c->proven_id) == 0)
		c->saved_id = c->proven_id;
}

/*
 * Clean: our unbind was answered, or we answered the SMSC's and every
 * byte before that answer left. Else a message past the last proof, or
 * answered within the window before now, may come again.
 */
static void
session_end(struct conn *c, int drained, int64_t now_mono)
{
	int64_t	lost = INT64_MAX, w;
	int	clean = c->unbound == UNB_ANSWERED ||
		    (c->unbound == UNB_BY_SMSC && drained);

	if (!c->session_open)
		return;
	c->session_open = 0;
	if (!clean) {
		w = flush_before_window(c, now_mono);
		lost = c->proven_id < w ? c->proven_id : w;
	}
	if (!clean && lost < c->flushed_id)
		log_info("link=%s conn=%s session ended without unbind: "
		    "messages after in=%lld may be redelivered",
		    c->link->cfg->name, role_names[c->role], (long long)lost);
	store_session_end(c->link->p.store, c->session,
	    clean ? "unbind" : "drop", clock_wall_ms(), lost);
}

/* What is queued goes to the kernel now, before the socket is closed. */
static int
conn_drain(struct conn *c)
{
	struct evbuffer	*out = bufferevent_get_output(c->bev);
	evutil_socket_t	 fd = bufferevent_getfd(c->bev);

	while (evbuffer_get_length(out) > 0)
		if (evbuffer_write(out, fd) <= 0)
			break;
	return evbuffer_get_length(out) == 0;
}

static int
conn_send(struct conn *c, const uint8_t *pdu, size_t len)
{
	if (c->bev == NULL)
		return -1;
	if (bufferevent_write(c->bev, pdu, len) == -1) {
		c->drop_reason = "write failed";
		return -1;
	}
	return 0;
}

static void
conn_send_header(struct conn *c, uint32_t cmd, uint32_t status, uint32_t seq)
{
	uint8_t	b[FRAME_HDR_LEN];

	frame_hdr_write(b, FRAME_HDR_LEN, cmd, status, seq);
	conn_send(c, b, sizeof(b));
}

static int
conn_request(struct conn *c, uint32_t cmd)
{
	uint32_t	seq = conn_seq(c);

	if (pending_add(c, seq, cmd, NULL) == -1)
		return -1;
	conn_send_header(c, cmd, 0, seq);
	return 0;
}

static uint32_t
bind_cmd(const struct conn *c)
{
	switch (c->role) {
	case ROLE_TX:	return SMPP_BIND_TRANSMITTER;
	case ROLE_RX:	return SMPP_BIND_RECEIVER;
	default:	return SMPP_BIND_TRANSCEIVER;
	}
}

static void
conn_bind(struct conn *c)
{
	const struct config_smsc *cfg = c->link->cfg;
	struct smpp_bind	 b;
	uint8_t			 pdu[256];
	const char		*err;
	uint32_t		 seq = conn_seq(c);
	int			 len;

	memset(&b, 0, sizeof(b));
	b.cmd = bind_cmd(c);
	snprintf(b.system_id, sizeof(b.system_id), "%s", cfg->system_id);
	snprintf(b.password, sizeof(b.password), "%s", cfg->password);
	snprintf(b.system_type, sizeof(b.system_type), "%s", cfg->system_type);
	if ((len = smpp_pdu_pack_bind(&b, seq, pdu, sizeof(pdu), &err)) == -1) {
		log_warnx("link=%s bind not sent: %s", cfg->name, err);
		conn_drop(c, "bind could not be built");
		return;
	}
	pending_add(c, seq, b.cmd, NULL);
	c->state = C_BINDING;
	conn_send(c, pdu, (size_t)len);
}

static const char *
bind_error(uint32_t status)
{
	switch (status) {
	case SMPP_RINVPASWD:	return "wrong password (ESME_RINVPASWD)";
	case SMPP_RINVSYSID:	return "unknown system_id (ESME_RINVSYSID)";
	case SMPP_RBINDFAIL:	return "bind failed (ESME_RBINDFAIL)";
	case SMPP_RALYBND:	return "already bound (ESME_RALYBND)";
	default:		return "bind refused";
	}
}

static void
on_bind_resp(struct conn *c, const struct frame_hdr *h)
{
	const struct config_smsc *cfg = c->link->cfg;

	if (c->state != C_BINDING)
		return;
	if (h->status != SMPP_ROK) {
		log_warnx("link=%s conn=%s host=%s:%d system_id=%s %s "
		    "status=0x%02x", cfg->name, role_names[c->role], cfg->host,
		    cfg->port, cfg->system_id, bind_error(h->status), h->status);
		c->drop_reason = "bind refused";
		return;
	}
	c->state = C_BOUND;
	c->backoff_s = 0;
	c->session = link_new_session();
	session_begin(c);
	log_info("link=%s conn=%s bound host=%s:%d", cfg->name,
	    role_names[c->role], cfg->host, cfg->port);
	if (c->link->p.cb.up != NULL)
		c->link->p.cb.up(c->link->p.cb.arg, c->link);
	if (conn_can_submit(c))
		outbox_pump(c->link->outbox);
}

static void
conn_ack(struct conn *c, uint32_t cmd, uint32_t seq, uint32_t status)
{
	if (c->nacks == c->acks_cap) {
		int cap = c->acks_cap ? c->acks_cap * 2 : 64;
		struct ack *a = realloc(c->acks, cap * sizeof(*a));
		if (a == NULL)
			fatal("realloc");
		c->acks = a;
		c->acks_cap = cap;
	}
	c->acks[c->nacks++] = (struct ack){ cmd, seq, status };
}

/* After the batch: acknowledge what is on disk, ask for a retry otherwise. */
static void
conn_flush_acks(struct conn *c, int committed)
{
	uint8_t	b[FRAME_HDR_LEN + 1];
	int	i, len;

	for (i = 0; i < c->nacks; i++) {
		struct ack *a = &c->acks[i];
		uint32_t status = a->status;
		if (!committed && status == SMPP_ROK)
			status = SMPP_RX_T_APPN;
		len = frame_resp_write(b, sizeof(b), a->cmd, status, a->seq, "");
		conn_send(c, b, (size_t)len);
	}
	if (committed && c->nacks) {
		c->flushed_id = store_inbound_last_id(c->link->p.store);
		flush_mark(c, clock_mono_ms());
	}
	c->nacks = 0;
}

static void
on_message(struct conn *c, const uint8_t *pdu, size_t len,
    const struct frame_hdr *h, int64_t now)
{
	uint32_t	status;

	if (!conn_can_receive(c) || c->state != C_BOUND) {
		conn_send_header(c, h->id | SMPP_RESP, SMPP_RINVBNDSTS, h->seq);
		return;
	}
	/* Without the store nothing may be acknowledged: the SMSC keeps it. */
	status = c->no_store ? SMPP_RX_T_APPN : c->link->p.cb.deliver(
	    c->link->p.cb.arg, c->link, c->session, pdu, len, now);
	conn_ack(c, h->id | SMPP_RESP, h->seq, status);
}

static void
on_submit_resp(struct conn *c, const uint8_t *pdu, size_t len,
    const struct frame_hdr *h)
{
	struct pending	*p = pending_slot(c, h->seq);
	char		 id[65];
	void		*cookie;

	if (p == NULL || h->seq == 0) {
		log_warnx("link=%s response seq=%u matches no request",
		    c->link->cfg->name, h->seq);
		return;
	}
	cookie = p->cookie;
	pending_answered(c, p);
	if (cookie == NULL) {
		log_info("link=%s submit_sm seq=%u answered after it timed out "
		    "(status=0x%02x): its window place is free", c->link->cfg->name,
		    h->seq, h->status);
		return;
	}
	if (frame_resp_id(pdu, len, id, sizeof(id)) == -1)
		id[0] = '\0';
	outbox_on_resp(c->link->outbox, cookie, h->status, id);
}

static void
on_generic_nack(struct conn *c, const struct frame_hdr *h)
{
	struct pending	*p = pending_slot(c, h->seq);
	uint32_t	 cmd;
	void		*cookie;

	log_warnx("link=%s generic_nack seq=%u status=0x%02x",
	    c->link->cfg->name, h->seq, h->status);
	if (p == NULL || h->seq == 0)
		return;
	cmd = p->cmd;
	cookie = p->cookie;
	pending_answered(c, p);
	if (cmd == SMPP_SUBMIT_SM && cookie != NULL)
		outbox_on_resp(c->link->outbox, cookie,
		    h->status ? h->status : SMPP_RSYSERR, "");
	else if (cmd != SMPP_ENQUIRE_LINK)
		c->drop_reason = "SMSC refused a control request";
}

static void
on_pdu(struct conn *c, const uint8_t *pdu, size_t len, int64_t now)
{
	struct frame_hdr	 h;
	struct pending		*p;

	frame_hdr_read(pdu, len, &h);
	switch (h.id) {
	case SMPP_BIND_TRANSCEIVER | SMPP_RESP:
	case SMPP_BIND_TRANSMITTER | SMPP_RESP:
	case SMPP_BIND_RECEIVER | SMPP_RESP:
		if ((p = pending_slot(c, h.seq)) != NULL && h.seq)
			pending_answered(c, p);
		on_bind_resp(c, &h);
		break;
	case SMPP_DELIVER_SM:
	case SMPP_DATA_SM:
		on_message(c, pdu, len, &h, now);
		break;
	case SMPP_SUBMIT_SM | SMPP_RESP:
		on_submit_resp(c, pdu, len, &h);
		break;
	case SMPP_ENQUIRE_LINK:
		conn_send_header(c, SMPP_ENQUIRE_LINK | SMPP_RESP, 0, h.seq);
		break;
	case SMPP_ENQUIRE_LINK | SMPP_RESP:
		if ((p = pending_slot(c, h.seq)) != NULL && h.seq)
			pending_answered(c, p);
		c->enquiring = 0;
		break;
	case SMPP_UNBIND:
		conn_send_header(c, SMPP_UNBIND | SMPP_RESP, 0, h.seq);
		c->unbound = UNB_BY_SMSC;
		c->drop_reason = "SMSC unbound";
		break;
	case SMPP_UNBIND | SMPP_RESP:
		if (c->state == C_UNBINDING)
			c->unbound = UNB_ANSWERED;
		c->drop_reason = "unbound";
		break;
	case SMPP_GENERIC_NACK:
		on_generic_nack(c, &h);
		break;
	case SMPP_ALERT_NOTIFICATION:
	case SMPP_OUTBIND:
		/* Neither has a response; a generic_nack would be wrong. */
		log_info("link=%s %s ignored", c->link->cfg->name,
		    frame_cmd_name(h.id));
		break;
	default:
		log_warnx("link=%s unexpected %s (0x%08x) seq=%u: generic_nack",
		    c->link->cfg->name, frame_cmd_name(h.id), h.id, h.seq);
		if (!(h.id & SMPP_RESP))
			conn_send_header(c, SMPP_GENERIC_NACK, SMPP_RINVCMDID,
			    h.seq);
		break;
	}
}

/*
 * Reads every whole PDU there is in one store batch, then acknowledges.
 * The messages of one read share its time (now, unix ms).
 */
static void
conn_read_cb(struct bufferevent *bev, void *arg)
{
	struct conn	*c = arg;
	struct evbuffer	*in = bufferevent_get_input(bev);
	struct link	*l = c->link;
	int64_t		 now = clock_wall_ms();
	uint8_t		 pdu[FRAME_MAX_LEN + 1];
	uint8_t		 hdr[4];
	uint32_t	 len;
	const char	*why;
	int		 committed, began = 0, whole;

	c->last_rx_ms = clock_mono_ms();
	while (c->drop_reason == NULL && evbuffer_get_length(in) >= 4) {
		evbuffer_copyout(in, hdr, 4);
		whole = frame_next(hdr, evbuffer_get_length(in), &len, &why);
		if (whole == -1) {
			log_warnx("link=%s garbled frame: %s (%u): dropping the "
			    "link", c->link->cfg->name, why, len);
			conn_send_header(c, SMPP_GENERIC_NACK, SMPP_RINVCMDLEN, 0);
			c->drop_reason = "garbled frame";
			break;
		}
		if (!whole)
			break;
		evbuffer_remove(in, pdu, len);
		if (!began && !c->no_store) {
			began = store_batch_begin(l->p.store) == 0;
			c->no_store = !began;
		}
		on_pdu(c, pdu, len, now);
	}
	if (began)
		session_save_proof(c);
	committed = began ? store_batch_end(l->p.store) == 0 : 0;
	if (began && !committed)
		c->saved_id = -1;	/* not on disk after all: write it again */
	if (began || c->no_store)
		l->p.cb.batch_done(l->p.cb.arg, l, committed, c->nacks);
	c->no_store = 0;
	conn_flush_acks(c, committed);
	if (c->drop_reason)
		conn_drop(c, c->drop_reason);
	else if (committed)	/* answers may have freed the window */
		outbox_pump(l->outbox);
}

static void
conn_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct conn	*c = arg;
	char		 why[128];

	(void)bev;
	if (what & BEV_EVENT_CONNECTED) {
		c->last_rx_ms = clock_mono_ms();
		conn_bind(c);
		return;
	}
	if (what & BEV_EVENT_EOF)
		snprintf(why, sizeof(why), "connection closed by the SMSC");
	else
		snprintf(why, sizeof(why), "%s", evutil_socket_error_to_string(
		    EVUTIL_SOCKET_ERROR()));
	conn_drop(c, why);
}

/* Checks response timeouts and sends enquire_link on silence. */
static void
conn_tick_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct conn			*c = arg;
	const struct config_smsc	*cfg = c->link->cfg;
	int64_t				 now = clock_mono_ms();
	int64_t				 limit = cfg->response_timeout * 1000LL;
	int				 i;

	(void)fd; (void)ev;
	if (c->state < C_BINDING)
		return;
	for (i = 0; i < c->npending; i++) {
		struct pending *p = &c->pending[i];
		if (p->seq == 0 || now - p->sent_ms < limit)
			continue;
		if (p->cmd != SMPP_SUBMIT_SM ||
		    now - p->sent_ms >= EXPIRED_DROP_AFTER * limit) {
			log_warnx("link=%s %s seq=%u not answered in %d s",
			    cfg->name, frame_cmd_name(p->cmd), p->seq,
			    p->cmd == SMPP_SUBMIT_SM ? EXPIRED_DROP_AFTER *
			    cfg->response_timeout : cfg->response_timeout);
			conn_drop(c, "request timed out");
			return;
		}
		if (p->cookie == NULL)
			continue;
		log_warnx("link=%s submit_sm seq=%u not answered in %d s: will "
		    "retry", cfg->name, p->seq, cfg->response_timeout);
		void *cookie = p->cookie;
		p->cookie = NULL;	/* it keeps its window place */
		outbox_on_resp(c->link->outbox, cookie, SMPP_RSYSERR, "");
	}
	/* Also when resps were written after our last request: its answer
	 * proves they arrived (a receiver, or replies sent on another link). */
	if (c->state == C_BOUND && !c->enquiring &&
	    (now - c->last_rx_ms >= cfg->enquire_link * 1000LL ||
	    c->flushed_id > c->asked_id))
		c->enquiring = conn_request(c, SMPP_ENQUIRE_LINK) == 0;
	if (c->state == C_BOUND && c->link->stopping && c->inflight == 0) {
		c->state = C_UNBINDING;
		conn_request(c, SMPP_UNBIND);
	}
}

static void
conn_retry_cb(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd; (void)ev;
	conn_connect(arg);
}

/* Exponential back-off with jitter, so many gateways do not rebind at once. */
static void
conn_schedule_retry(struct conn *c)
{
	int		s = c->backoff_s ? c->backoff_s * 2 : 1;
	int		cap = c->link->cfg->reconnect_max;
	struct timeval	tv;
	long		ms;

	if (s > cap)
		s = cap;
	c->backoff_s = s;
	ms = s * 1000L * (75 + (long)(arc4random_uniform(51))) / 100;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(c->retry_ev, &tv);
	log_info("link=%s conn=%s reconnect in %ld ms", c->link->cfg->name,
	    role_names[c->role], ms);
}

static void
conn_drop(struct conn *c, const char *why)
{
	int	i, lost = 0;

	if (c->bev == NULL)
		return;
	if (c->state != C_UNBINDING || strcmp(why, "unbound") != 0)
		log_warnx("link=%s conn=%s dropped: %s", c->link->cfg->name,
		    role_names[c->role], why);
	session_end(c, conn_drain(c), clock_mono_ms());
	bufferevent_free(c->bev);
	c->bev = NULL;
	c->state = C_IDLE;
	c->enquiring = 0;
	c->nacks = 0;		/* unacknowledged: the SMSC delivers again */
	c->drop_reason = NULL;
	for (i = 0; i < c->npending; i++) {
		struct pending *p = &c->pending[i];
		if (p->seq && p->cmd == SMPP_SUBMIT_SM && p->cookie != NULL) {
			outbox_on_resp(c->link->outbox, p->cookie,
			    LINK_STATUS_DROPPED, "");
			lost++;
		}
		memset(p, 0, sizeof(*p));
	}
	c->inflight = 0;
	if (lost)
		log_info("link=%s %d submit_sm without response: will resend",
		    c->link->cfg->name, lost);
	if (c->link->p.cb.down != NULL)
		c->link->p.cb.down(c->link->p.cb.arg, c->link, why);
	if (!c->link->stopping) {
		c->link->reconnects++;
		conn_schedule_retry(c);
	}
}

static int
conn_socket(const struct config_smsc *cfg, struct sockaddr_storage *ss,
    socklen_t *sslen)
{
	struct evutil_addrinfo	 hints, *res = NULL;
	char			 port[8];
	int			 fd, one = 1, rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(port, sizeof(port), "%d", cfg->port);
	if ((rc = evutil_getaddrinfo(cfg->host, port, &hints, &res)) != 0) {
		log_warnx("link=%s cannot resolve %s: %s", cfg->name, cfg->host,
		    evutil_gai_strerror(rc));
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*sslen = res->ai_addrlen;
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	evutil_freeaddrinfo(res);
	if (fd == -1) {
		log_warn("link=%s socket", cfg->name);
		return -1;
	}
	/* Without it, delayed ACKs stall every request-response by ~40 ms. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

static void
conn_connect(struct conn *c)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	int			 fd;

	if (c->link->stopping || c->bev)
		return;
	if ((fd = conn_socket(c->link->cfg, &ss, &sslen)) == -1) {
		conn_schedule_retry(c);
		return;
	}
	c->bev = bufferevent_socket_new(c->link->p.base, fd,
	    BEV_OPT_CLOSE_ON_FREE);
	if (c->bev == NULL)
		fatalx("bufferevent_socket_new");
	bufferevent_setcb(c->bev, conn_read_cb, NULL, conn_event_cb, c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	c->state = C_CONNECTING;
	c->drop_reason = NULL;
	if (bufferevent_socket_connect(c->bev, (struct sockaddr *)&ss,
	    (int)sslen) == -1)
		conn_drop(c, "connect failed");
}

static void
conn_init(struct link *l, struct conn *c, enum conn_role role)
{
	struct timeval	one = { 1, 0 };

	c->link = l;
	c->role = role;
	c->next_seq = 1;
	c->npending = l->cfg->window + 4;	/* + bind, enquire, unbind */
	if ((c->pending = calloc(c->npending, sizeof(*c->pending))) == NULL)
		fatal("calloc");
	c->retry_ev = evtimer_new(l->p.base, conn_retry_cb, c);
	c->tick_ev = event_new(l->p.base, -1, EV_PERSIST, conn_tick_cb, c);
	if (c->retry_ev == NULL || c->tick_ev == NULL)
		fatalx("event_new");
	evtimer_add(c->tick_ev, &one);
}

/* A link with what it needs and whom it tells (see the top of the file). */
struct link *
link_new(const struct link_params *p)
{
	struct link	*l;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		fatal("calloc");
	l->p = *p;
	l->cfg = p->smsc;
	if (l->cfg->bind == CONFIG_BIND_TRX) {
		l->nconns = 1;
		conn_init(l, &l->conns[0], ROLE_TRX);
	} else {
		l->nconns = 2;
		conn_init(l, &l->conns[0], ROLE_TX);
		conn_init(l, &l->conns[1], ROLE_RX);
	}
	l->outbox = outbox_new(l, &(struct outbox_params){ p->smsc, p->office,
	    link_dc0(l), p->store, p->base, p->stats });
	return l;
}

void
link_free(struct link *l)
{
	int	i;

	for (i = 0; i < l->nconns; i++) {
		struct conn *c = &l->conns[i];
		if (c->bev) {
			session_end(c, conn_drain(c), clock_mono_ms());
			bufferevent_free(c->bev);
		}
		event_free(c->retry_ev);
		event_free(c->tick_ev);
		free(c->pending);
		free(c->acks);
	}
	outbox_free(l->outbox);
	free(l);
}

void
link_start(struct link *l)
{
	int	i;

	for (i = 0; i < l->nconns; i++)
		conn_connect(&l->conns[i]);
}

/* Stop taking work; each connection unbinds once its window is empty. */
void
link_stop(struct link *l)
{
	int	i;

	l->stopping = 1;
	for (i = 0; i < l->nconns; i++) {
		struct conn *c = &l->conns[i];
		evtimer_del(c->retry_ev);
		if (c->state == C_BOUND && c->inflight == 0) {
			c->state = C_UNBINDING;
			conn_request(c, SMPP_UNBIND);
		} else if (c->state != C_BOUND && c->state != C_UNBINDING &&
		    c->bev) {
			conn_drop(c, "stopping");
		}
	}
}

int
link_stopped(const struct link *l)
{
	int	i;

	for (i = 0; i < l->nconns; i++)
		if (l->conns[i].bev)
			return 0;
	return 1;
}

const char *
link_name(const struct link *l)
{
	return l->cfg->name;
}

/* What data_coding 0 means on this SMSC, both ways. */
enum text_alphabet
link_dc0(const struct link *l)
{
	switch (l->cfg->default_alphabet) {
	case CONFIG_ALPHA_LATIN1:	return TEXT_LATIN1;
	case CONFIG_ALPHA_ASCII:	return TEXT_ASCII;
	default:			return TEXT_GSM7;
	}
}

struct outbox *
link_outbox(const struct link *l)
{
	return l->outbox;
}

const char *
link_state(const struct link *l)
{
	static const char *const names[] = { "down", "connecting", "binding",
	    "bound", "unbinding" };
	enum conn_state	best = C_IDLE;
	int		i;

	for (i = 0; i < l->nconns; i++)
		if (l->conns[i].state > best)
			best = l->conns[i].state;
	return names[best];
}

uint64_t
link_reconnects(const struct link *l)
{
	return l->reconnects;
}

static struct conn *
link_tx(struct link *l)
{
	int	i;

	for (i = 0; i < l->nconns; i++)
		if (conn_can_submit(&l->conns[i]))
			return &l->conns[i];
	return NULL;
}

/* Room in the window of a bound transmitting connection, 0 if none. */
int
link_room(struct link *l)
{
	struct conn	*c = link_tx(l);

	if (c == NULL || c->state != C_BOUND || l->stopping || c->bev == NULL)
		return 0;
	return l->cfg->window - c->inflight;
}

/* Sends a submit_sm; the cookie comes back through outbox_on_resp. */
int
link_submit(struct link *l, const struct smpp_sm *sm, void *cookie)
{
	struct conn	*c = link_tx(l);
	uint8_t		 pdu[FRAME_MAX_LEN];
	const char	*err;
	uint32_t	 seq;
	int		 len;

	if (link_room(l) <= 0)
		return -1;
	seq = conn_seq(c);
	if ((len = smpp_pdu_pack_sm(SMPP_SUBMIT_SM, seq, sm, pdu, sizeof(pdu),
	    &err)) == -1) {
		log_warnx("link=%s submit_sm not built: %s", l->cfg->name, err);
		return -2;
	}
	if (pending_add(c, seq, SMPP_SUBMIT_SM, cookie) == -1)
		return -1;
	if (conn_send(c, pdu, (size_t)len) == -1) {
		pending_clear(c, pending_slot(c, seq));
		return -1;
	}
	return 0;
}
