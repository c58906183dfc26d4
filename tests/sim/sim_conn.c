/*
 * ESME connections: the listener, framing, binds and the PDU handler
 * table, submit_sm with the injected faults, enquire_link and unbind.
 * A connection that goes away is unlinked at once and freed from a
 * deferred event, so no callback runs on freed memory.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/listener.h>

#include "frame.h"
#include "log.h"
#include "sim.h"

#define SMPP_UNBIND_RESP	(SMPP_UNBIND | SMPP_RESP)
#define SMPP_ESM_RESP		(SMPP_RESP | SMPP_ENQUIRE_LINK)
#define UNBIND_WAIT		5	/* seconds for the ESME's unbind_resp */
#define ST_RINVTLVSTREAM	0xC0

/* A submit_sm_resp held back by `delay`. */
struct delayed {
	TAILQ_ENTRY(delayed)	 entry;
	struct conn		*c;
	struct event		*ev;
	size_t			 len;
	uint8_t			 buf[96];
};

typedef void	 handler_fn(struct conn *, const struct frame_hdr *,
		    const uint8_t *);

static struct evconnlistener	*listener;
static struct connq		 conns = TAILQ_HEAD_INITIALIZER(conns);
static struct connq		 zombies = TAILQ_HEAD_INITIALIZER(zombies);
static struct event		*reaper;
static uint64_t			 next_conn_id;
static uint32_t			 enquire_seq;

static void	 conn_accept(struct evconnlistener *, evutil_socket_t,
		    struct sockaddr *, int, void *);
static void	 conn_read(struct bufferevent *, void *);
static void	 conn_drained(struct bufferevent *, void *);
static void	 conn_event(struct bufferevent *, short, void *);
static void	 conn_close(struct conn *, const char *);
static void	 conn_close_later(struct conn *);
static void	 conn_reap(evutil_socket_t, short, void *);
static void	 conn_free(struct conn *);
static void	 conn_dispatch(struct conn *, const uint8_t *, size_t);
static void	 conn_resp(struct conn *, uint32_t, uint32_t, uint32_t,
		    const char *);
static void	 delayed_fire(evutil_socket_t, short, void *);
static void	 unbind_timeout(evutil_socket_t, short, void *);
static handler_fn h_bind, h_submit, h_deliver_resp, h_enquire,
		    h_enquire_resp, h_unbind, h_unbind_resp, h_nack;
static uint32_t	 submit_fault(void);

static const struct {
	uint32_t	 id;
	int		 bound;		/* needs a bind first */
	handler_fn	*fn;
} handlers[] = {
	{ SMPP_BIND_RECEIVER,			0, h_bind },
	{ SMPP_BIND_TRANSMITTER,		0, h_bind },
	{ SMPP_BIND_TRANSCEIVER,		0, h_bind },
	{ SMPP_SUBMIT_SM,			1, h_submit },
	{ SMPP_DATA_SM,				1, h_submit },
	{ SMPP_DELIVER_SM | SMPP_RESP,		0, h_deliver_resp },
	{ SMPP_ENQUIRE_LINK,			0, h_enquire },
	{ SMPP_ESM_RESP,			0, h_enquire_resp },
	{ SMPP_UNBIND,				0, h_unbind },
	{ SMPP_UNBIND_RESP,			0, h_unbind_resp },
	{ SMPP_GENERIC_NACK,			0, h_nack },
};

static const char *const bind_names[] = { "none", "receiver", "transmitter",
	"transceiver" };

int
conn_listen(void)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof(sin);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((uint16_t)sim.o.port);
	listener = evconnlistener_new_bind(sim.base, conn_accept, NULL,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE | LEV_OPT_CLOSE_ON_EXEC,
	    64, (struct sockaddr *)&sin, sizeof(sin));
	if (listener == NULL) {
		log_warn("listen port=%d", sim.o.port);
		return -1;
	}
	if (getsockname(evconnlistener_get_fd(listener),
	    (struct sockaddr *)&sin, &len) == -1) {
		log_warn("getsockname");
		return -1;
	}
	sim.port = ntohs(sin.sin_port);
	if ((reaper = event_new(sim.base, -1, 0, conn_reap, NULL)) == NULL)
		fatalx("event_new");
	log_debug("listening addr=127.0.0.1 port=%d", sim.port);
	return 0;
}

void
conn_shutdown(void)
{
	struct conn	*c;

	while ((c = TAILQ_FIRST(&conns)) != NULL)
		conn_close(c, "shutdown");
	conn_reap(-1, 0, NULL);
	if (listener != NULL)
		evconnlistener_free(listener);
	if (reaper != NULL)
		event_free(reaper);
	listener = NULL;
	reaper = NULL;
}

static void
conn_accept(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct conn	*c;
	int		 one = 1;

	(void)l; (void)sa; (void)salen; (void)arg;
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == -1)
		log_warn("setsockopt TCP_NODELAY");
	if ((c = calloc(1, sizeof(*c))) == NULL)
		fatal("calloc");
	c->id = ++next_conn_id;
	c->next_seq = 1;
	TAILQ_INIT(&c->flight);
	TAILQ_INIT(&c->delayed);
	c->bev = bufferevent_socket_new(sim.base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (c->bev == NULL)
		fatalx("bufferevent_socket_new");
	bufferevent_setcb(c->bev, conn_read, NULL, conn_event, c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	TAILQ_INSERT_TAIL(&conns, c, entry);
	log_debug("conn=%llu event=accept", (unsigned long long)c->id);
}

void
conn_write(struct conn *c, const uint8_t *b, size_t n)
{
	if (c->dead)
		return;
	if (sim.o.verbose > 1) {
		struct frame_hdr h;

		if (frame_hdr_read(b, n, &h) == 0)
			log_debug("conn=%llu out=%s seq=%u status=0x%02x len=%zu",
			    (unsigned long long)c->id, frame_cmd_name(h.id),
			    h.seq, h.status, n);
		sim_hexdump("out", b, n);
	}
	if (bufferevent_write(c->bev, b, n) == -1)
		log_warnx("conn=%llu write failed", (unsigned long long)c->id);
}

uint32_t
conn_next_seq(struct conn *c)
{
	uint32_t	seq = c->next_seq;

	c->next_seq = seq >= 0x7FFFFFFF ? 1 : seq + 1;
	return seq;
}

static void
conn_read(struct bufferevent *bev, void *arg)
{
	struct conn	*c = arg;
	struct evbuffer	*in = bufferevent_get_input(bev);
	uint8_t		 buf[FRAME_MAX_LEN + 1], lb[FRAME_HDR_LEN];
	struct frame_hdr h;
	const char	*why;
	size_t		 avail;

	if (c->deaf) {
		/* Lost on the way: as if it never left the ESME's host. */
		evbuffer_drain(in, evbuffer_get_length(in));
		return;
	}
	while (!c->dead && !c->closing) {
		avail = evbuffer_get_length(in);
		if (avail < 4)
			break;
		evbuffer_copyout(in, lb, 4);
		h.len = (uint32_t)lb[0] << 24 | (uint32_t)lb[1] << 16 |
		    (uint32_t)lb[2] << 8 | lb[3];
		if ((why = frame_len_check(h.len)) != NULL) {
			memset(lb, 0, sizeof(lb));
			evbuffer_copyout(in, lb, sizeof(lb));
			frame_hdr_read(lb, sizeof(lb), &h);
			log_warnx("conn=%llu bad frame: %s (len=%u)",
			    (unsigned long long)c->id, why, h.len);
			sim.bad_pdus++;
			conn_resp(c, SMPP_GENERIC_NACK, SMPP_RINVCMDLEN, h.seq,
			    NULL);
			conn_close_later(c);
			break;
		}
		if (avail < h.len)
			break;
		evbuffer_remove(in, buf, h.len);
		conn_dispatch(c, buf, h.len);
	}
}

static void
conn_dispatch(struct conn *c, const uint8_t *b, size_t n)
{
	struct frame_hdr h;
	size_t		 i;

	frame_hdr_read(b, n, &h);
	if (sim.o.verbose > 1) {
		log_debug("conn=%llu in=%s seq=%u status=0x%02x len=%zu",
		    (unsigned long long)c->id, frame_cmd_name(h.id), h.seq,
		    h.status, n);
		sim_hexdump("in", b, n);
	}
	for (i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++) {
		if (handlers[i].id != h.id)
			continue;
		if (handlers[i].bound && c->bind == BIND_NONE) {
			conn_resp(c, h.id | SMPP_RESP, SMPP_RINVBNDSTS, h.seq,
			    NULL);
			return;
		}
		handlers[i].fn(c, &h, b);
		return;
	}
	log_debug("conn=%llu unknown command_id=0x%08x seq=%u",
	    (unsigned long long)c->id, h.id, h.seq);
	if (h.id & SMPP_RESP)
		return;		/* never answer a response: no nack loops */
	conn_resp(c, SMPP_GENERIC_NACK, SMPP_RINVCMDID, h.seq, NULL);
}

/* A header-only response, or one with a C-string body. */
static void
conn_resp(struct conn *c, uint32_t id, uint32_t status, uint32_t seq,
    const char *body)
{
	uint8_t	buf[128];
	int	len;

	if ((len = frame_resp_write(buf, sizeof(buf), id, status, seq,
	    body)) > 0)
		conn_write(c, buf, (size_t)len);
}

static void
h_bind(struct conn *c, const struct frame_hdr *h, const uint8_t *b)
{
	struct smpp_bind bd;
	const char	*err;
	uint32_t	 st = SMPP_ROK;

	if (c->bind != BIND_NONE)
		st = SMPP_RALYBND;
	else if (smpp_pdu_unpack_bind(b, h->len, &bd, &err) == -1) {
		log_warnx("conn=%llu bind refused: %s",
		    (unsigned long long)c->id, err);
		st = SMPP_RBINDFAIL;
	} else if (strcmp(bd.system_id, sim.o.system_id) != 0)
		st = SMPP_RINVSYSID;
	else if (strcmp(bd.password, sim.o.password) != 0)
		st = SMPP_RINVPASWD;
	if (st != SMPP_ROK) {
		if (st != SMPP_RALYBND)
			sim.bind_failures++;
		log_debug("conn=%llu bind refused status=0x%02x",
		    (unsigned long long)c->id, st);
		if (st != SMPP_RALYBND)
			sim_say("bind refused (status 0x%02X): %s", st,
			    st == SMPP_RINVSYSID ? "wrong system_id" :
			    st == SMPP_RINVPASWD ? "wrong password" :
			    "malformed bind");
		conn_resp(c, h->id | SMPP_RESP, st, h->seq, NULL);
		if (st != SMPP_RALYBND)
			sim_notify(EV_BINDFAIL);
		return;
	}
	c->bind = h->id == SMPP_BIND_RECEIVER ? BIND_RX :
	    h->id == SMPP_BIND_TRANSMITTER ? BIND_TX : BIND_TRX;
	snprintf(c->system_id, sizeof(c->system_id), "%s", bd.system_id);
	conn_resp(c, h->id | SMPP_RESP, SMPP_ROK, h->seq, "smsc-sim");
	log_debug("conn=%llu event=bind as=%s system_id=%s",
	    (unsigned long long)c->id, bind_names[c->bind], c->system_id);
	sim_say("ESME bound as %s (system_id %s)", bind_names[c->bind],
	    c->system_id);
	sim_notify(EV_BIND);
	mo_kick();
}

/* The status the faults ask for, or 0; each call uses one up. */
static uint32_t
submit_fault(void)
{
	if (sim.f.throttle > 0) {
		sim.f.throttle--;
		return SMPP_RTHROTTLED;
	}
	if (sim.f.qfull > 0) {
		sim.f.qfull--;
		return SMPP_RMSGQFUL;
	}
	if (sim.f.fail > 0) {
		sim.f.fail--;
		return sim.f.fail_status;
	}
	return SMPP_ROK;
}

static void
h_submit(struct conn *c, const struct frame_hdr *h, const uint8_t *b)
{
	struct smpp_sm	 m;
	struct delayed	*d;
	const char	*err;
	char		 id[24];
	uint32_t	 st;
	struct timeval	 tv;
	int		 len;

	if (c->bind == BIND_RX) {
		conn_resp(c, h->id | SMPP_RESP, SMPP_RINVBNDSTS, h->seq, NULL);
		return;
	}
	if ((st = submit_fault()) != SMPP_ROK) {
		log_debug("conn=%llu submit refused status=0x%02x seq=%u",
		    (unsigned long long)c->id, st, h->seq);
		conn_resp(c, h->id | SMPP_RESP, st, h->seq, NULL);
		return;
	}
	if (smpp_pdu_unpack_sm(b, h->len, &m, &err) == -1) {
		log_warnx("conn=%llu %s refused: %s seq=%u",
		    (unsigned long long)c->id, frame_cmd_name(h->id), err,
		    h->seq);
		sim.bad_pdus++;
		conn_resp(c, h->id | SMPP_RESP, ST_RINVTLVSTREAM, h->seq, NULL);
		return;
	}
	sim.msg_id++;
	snprintf(id, sizeof(id), sim.o.id_dec ? "%llu" : "%llx",
	    (unsigned long long)sim.msg_id);
	log_debug("conn=%llu %s to=%s dc=%d esm=0x%02x id=%s",
	    (unsigned long long)c->id, frame_cmd_name(h->id), m.dst,
	    m.data_coding, m.esm_class, id);
	out_on_submit(&m);
	if (sim.o.dlr != DLR_OFF && (m.registered_delivery & 0x03) != 0)
		mo_schedule_dlr(id, sim.msg_id, &m);
	if (sim.f.delay_ms <= 0) {
		conn_resp(c, h->id | SMPP_RESP, SMPP_ROK, h->seq, id);
		return;
	}
	if ((d = calloc(1, sizeof(*d))) == NULL)
		fatal("calloc");
	len = frame_resp_write(d->buf, sizeof(d->buf), h->id | SMPP_RESP,
	    SMPP_ROK, h->seq, id);
	d->len = len > 0 ? (size_t)len : 0;
	d->c = c;
	if ((d->ev = evtimer_new(sim.base, delayed_fire, d)) == NULL)
		fatalx("evtimer_new");
	tv.tv_sec = sim.f.delay_ms / 1000;
	tv.tv_usec = (sim.f.delay_ms % 1000) * 1000;
	evtimer_add(d->ev, &tv);
	TAILQ_INSERT_TAIL(&c->delayed, d, entry);
	/* Unanswered submit_sm on one link: what the ESME's window allows. */
	if (++c->held > sim.max_held)
		sim.max_held = c->held;
}

static void
delayed_fire(evutil_socket_t fd, short ev, void *arg)
{
	struct delayed	*d = arg;

	(void)fd; (void)ev;
	TAILQ_REMOVE(&d->c->delayed, d, entry);
	d->c->held--;
	conn_write(d->c, d->buf, d->len);
	event_free(d->ev);
	free(d);
}

static void
h_deliver_resp(struct conn *c, const struct frame_hdr *h, const uint8_t *b)
{
	(void)b;
	mo_on_resp(c, h->seq, h->status);
}

static void
h_enquire(struct conn *c, const struct frame_hdr *h, const uint8_t *b)
{
	(void)b;
	if (sim.f.no_enquire_resp) {
		log_debug("conn=%llu enquire_link left unanswered",
		    (unsigned long long)c->id);
		return;
	}
	conn_resp(c, SMPP_ESM_RESP, SMPP_ROK, h->seq, NULL);
}

static void
h_enquire_resp(struct conn *c, const struct frame_hdr *h, const uint8_t *b)
{
	(void)c; (void)b;
	if (h->seq == enquire_seq && sim.enquire_resp_gen < sim.enquire_gen) {
		sim.enquire_resp_gen = sim.enquire_gen;
		sim_notify(EV_ENQUIRE_RESP);
	}
}

static void
h_unbind(struct conn *c, const struct frame_hdr *h, const uint8_t *b)
{
	(void)b;
	log_debug("conn=%llu event=unbind by=esme", (unsigned long long)c->id);
	conn_resp(c, SMPP_UNBIND_RESP, SMPP_ROK, h->seq, NULL);
	conn_close_later(c);
}

static void
h_unbind_resp(struct conn *c, const struct frame_hdr *h, const uint8_t *b)
{
	(void)h; (void)b;
	if (c->unbinding)
		conn_close(c, "unbound");
}

static void
h_nack(struct conn *c, const struct frame_hdr *h, const uint8_t *b)
{
	(void)b;
	log_debug("conn=%llu generic_nack status=0x%02x seq=%u",
	    (unsigned long long)c->id, h->status, h->seq);
	sim.nack_gen = sim.raw_gen;
	/* A nack for one of our deliver_sm fails it like an error resp. */
	mo_on_resp(c, h->seq, h->status ? h->status : SMPP_RSYSERR);
	sim_notify(EV_NACK);
}

static void
conn_event(struct bufferevent *bev, short what, void *arg)
{
	struct conn	*c = arg;

	(void)bev;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
		sim.nack_gen = sim.raw_gen;
		conn_close(c, what & BEV_EVENT_EOF ? "closed by esme" :
		    evutil_socket_error_to_string(EVUTIL_SOCKET_ERROR()));
	}
}

/* Stops reading, flushes what is queued, then closes. */
static void
conn_close_later(struct conn *c)
{
	c->closing = 1;
	bufferevent_disable(c->bev, EV_READ);
	if (evbuffer_get_length(bufferevent_get_output(c->bev)) == 0) {
		conn_close(c, "closed after response");
		return;
	}
	bufferevent_setcb(c->bev, NULL, conn_drained, conn_event, c);
}

static void
conn_drained(struct bufferevent *bev, void *arg)
{
	struct conn	*c = arg;

	if (evbuffer_get_length(bufferevent_get_output(bev)) == 0)
		conn_close(c, "closed after response");
}

static void
conn_close(struct conn *c, const char *why)
{
	struct delayed	*d;

	if (c->dead)
		return;
	c->dead = 1;
	log_debug("conn=%llu event=close bound=%s reason=\"%s\"",
	    (unsigned long long)c->id, bind_names[c->bind], why);
	if (c->bind != BIND_NONE)
		sim_say("%s link closed: %s", bind_names[c->bind], why);
	TAILQ_REMOVE(&conns, c, entry);
	mo_on_close(c);
	while ((d = TAILQ_FIRST(&c->delayed)) != NULL) {
		TAILQ_REMOVE(&c->delayed, d, entry);
		event_free(d->ev);
		free(d);
	}
	if (c->unbind_timer != NULL)
		event_free(c->unbind_timer);
	c->unbind_timer = NULL;
	bufferevent_free(c->bev);
	c->bev = NULL;
	TAILQ_INSERT_TAIL(&zombies, c, entry);
	if (reaper != NULL)
		event_active(reaper, 0, 0);
	sim_notify(EV_CLOSE);
	mo_kick();
}

static void
conn_reap(evutil_socket_t fd, short ev, void *arg)
{
	struct conn	*c;

	(void)fd; (void)ev; (void)arg;
	while ((c = TAILQ_FIRST(&zombies)) != NULL) {
		TAILQ_REMOVE(&zombies, c, entry);
		conn_free(c);
	}
}

static void
conn_free(struct conn *c)
{
	free(c);
}

static int
can_receive(const struct conn *c)
{
	return (c->bind == BIND_RX || c->bind == BIND_TRX) && !c->closing &&
	    !c->unbinding && !c->dead;
}

/* The receiving connection with the most room in its window, or NULL. */
struct conn *
conn_pick_rx(void)
{
	struct conn	*c, *best = NULL;

	TAILQ_FOREACH(c, &conns, entry)
		if (can_receive(c) && c->inflight < sim.o.window &&
		    (best == NULL || c->inflight < best->inflight))
			best = c;
	return best;
}

int
conn_bound_rx(void)
{
	struct conn	*c;

	TAILQ_FOREACH(c, &conns, entry)
		if (can_receive(c))
			return 1;
	return 0;
}

int
conn_count(void)
{
	struct conn	*c;
	int		 n = 0;

	TAILQ_FOREACH(c, &conns, entry)
		n++;
	return n;
}

void
conn_drop_all(void)
{
	struct conn	*c;

	while ((c = TAILQ_FIRST(&conns)) != NULL)
		conn_close(c, "dropped by smsc");
}

/* From now on nothing the ESME writes on these links arrives. */
int
conn_deaf_all(void)
{
	struct conn	*c;
	int		 n = 0;

	TAILQ_FOREACH(c, &conns, entry) {
		c->deaf = 1;
		n++;
	}
	return n;
}

int
conn_unbind_all(void)
{
	struct conn	*c;
	struct timeval	 tv = { UNBIND_WAIT, 0 };
	uint8_t		 buf[FRAME_HDR_LEN];
	int		 n = 0;

	TAILQ_FOREACH(c, &conns, entry) {
		if (c->bind == BIND_NONE || c->unbinding || c->closing)
			continue;
		frame_hdr_write(buf, FRAME_HDR_LEN, SMPP_UNBIND, 0,
		    conn_next_seq(c));
		conn_write(c, buf, sizeof(buf));
		c->unbinding = 1;
		if ((c->unbind_timer = evtimer_new(sim.base, unbind_timeout,
		    c)) == NULL)
			fatalx("evtimer_new");
		evtimer_add(c->unbind_timer, &tv);
		n++;
	}
	return n;
}

static void
unbind_timeout(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd; (void)ev;
	conn_close(arg, "no unbind_resp");
}

/* The bound connection raw bytes go to (else the newest one), or NULL. */
static struct conn *
conn_for_raw(void)
{
	struct conn	*c, *last = NULL;

	TAILQ_FOREACH(c, &conns, entry) {
		if (c->closing)
			continue;
		if (c->bind != BIND_NONE)
			return c;
		last = c;
	}
	return last;
}

int
conn_send_raw(const uint8_t *b, size_t n)
{
	struct conn	*c;

	if ((c = conn_for_raw()) == NULL)
		return -1;
	sim.raw_gen++;
	conn_write(c, b, n);
	return 0;
}

int
conn_enquire(void)
{
	struct conn	*c;
	uint8_t		 buf[FRAME_HDR_LEN];

	if ((c = conn_for_raw()) == NULL)
		return -1;
	enquire_seq = conn_next_seq(c);
	sim.enquire_gen++;
	frame_hdr_write(buf, FRAME_HDR_LEN, SMPP_ENQUIRE_LINK, 0, enquire_seq);
	conn_write(c, buf, sizeof(buf));
	return 0;
}
