/*
 * Mobile-originated traffic, as an SMSC handles it: every deliver_sm (MO
 * message, USSD step or delivery receipt) stays pending until the ESME
 * answers it with status 0. Unanswered ones go back to the queue when a
 * connection drops and are delivered again after the next bind; a
 * transient error status means "again in 1 s", a permanent one drops the
 * PDU. At most `window` deliver_sm are in flight per connection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "frame.h"
#include "log.h"
#include "sim.h"

#define RETRY_NS	(1 * SIM_NS)
#define DLR_DELAY_MS	50
#define PDU_BUF		FRAME_MAX_LEN
#define USSD_MAX	160

struct ussd_sess {
	TAILQ_ENTRY(ussd_sess)	 entry;
	char			 msisdn[SIM_ADDR_MAX];
	char			 code[SIM_ADDR_MAX];
	int			 id, seq, open;
};

struct dlr_job {
	TAILQ_ENTRY(dlr_job)	 entry;
	int64_t			 due;
	struct smpp_sm		 m;		/* the receipt, ready to pack */
};

static struct mo_pduq	 queue = TAILQ_HEAD_INITIALIZER(queue);
static struct mo_pduq	 retry = TAILQ_HEAD_INITIALIZER(retry);
static struct mo_msgq	 msgs = TAILQ_HEAD_INITIALIZER(msgs);
static TAILQ_HEAD(, ussd_sess) sessions = TAILQ_HEAD_INITIALIZER(sessions);
static TAILQ_HEAD(, dlr_job) dlrs = TAILQ_HEAD_INITIALIZER(dlrs);
static struct event	*pump_ev, *retry_ev, *dlr_ev;
static uint64_t		 next_order;
static long		 outstanding, rejected;
static uint8_t		 ref8;
static uint16_t		 ref16;
static int		 ussd_next;

static void	 mo_pump(evutil_socket_t, short, void *);
static void	 retry_fire(evutil_socket_t, short, void *);
static void	 dlr_fire(evutil_socket_t, short, void *);
static void	 arm(struct event *, int64_t);
static void	 queue_insert(struct mo_pdu *);
static void	 pdu_release(struct mo_pdu *);
static struct mo_msg *msg_new(const char *, int);
static int	 msg_add(struct mo_msg *, const struct smpp_sm *,
		    const char **);
static int	 send_long_payload(struct mo_msg *, const struct smpp_sm *,
		    const uint8_t *, size_t, const char **);
static int	 encode(const char *, uint8_t *, size_t, int *, const char **);
static void	 snippet(const struct smpp_sm *, char *, size_t);

void
mo_init(void)
{
	pump_ev = event_new(sim.base, -1, 0, mo_pump, NULL);
	retry_ev = evtimer_new(sim.base, retry_fire, NULL);
	dlr_ev = evtimer_new(sim.base, dlr_fire, NULL);
	if (pump_ev == NULL || retry_ev == NULL || dlr_ev == NULL)
		fatalx("event_new");
	ref8 = (uint8_t)(time(NULL) & 0xFF);
	ref16 = (uint16_t)(time(NULL) & 0xFFFF);
}

void
mo_shutdown(void)
{
	struct mo_pdu	*p;
	struct mo_msg	*m;
	struct ussd_sess *s;
	struct dlr_job	*j;

	while ((p = TAILQ_FIRST(&queue)) != NULL) {
		TAILQ_REMOVE(&queue, p, entry);
		pdu_release(p);
	}
	while ((p = TAILQ_FIRST(&retry)) != NULL) {
		TAILQ_REMOVE(&retry, p, entry);
		pdu_release(p);
	}
	while ((m = TAILQ_FIRST(&msgs)) != NULL) {
		TAILQ_REMOVE(&msgs, m, entry);
		free(m);
	}
	while ((s = TAILQ_FIRST(&sessions)) != NULL) {
		TAILQ_REMOVE(&sessions, s, entry);
		free(s);
	}
	while ((j = TAILQ_FIRST(&dlrs)) != NULL) {
		TAILQ_REMOVE(&dlrs, j, entry);
		free(j);
	}
	if (pump_ev != NULL)
		event_free(pump_ev);
	if (retry_ev != NULL)
		event_free(retry_ev);
	if (dlr_ev != NULL)
		event_free(dlr_ev);
	pump_ev = retry_ev = dlr_ev = NULL;
}

/* Runs the pump from the loop, never inside a connection callback. */
void
mo_kick(void)
{
	if (pump_ev != NULL && !sim.stopping)
		event_active(pump_ev, 0, 0);
}

static void
arm(struct event *ev, int64_t due)
{
	int64_t		d = due - sim_now();
	struct timeval	tv;

	if (d < 0)
		d = 0;
	tv.tv_sec = (time_t)(d / SIM_NS);
	tv.tv_usec = (suseconds_t)(d % SIM_NS / 1000);
	evtimer_add(ev, &tv);
}

/* In delivery order; new PDUs land at the end, so search from there. */
static void
queue_insert(struct mo_pdu *p)
{
	struct mo_pdu	*q;

	p->state = PDU_QUEUED;
	p->conn = NULL;
	TAILQ_FOREACH_REVERSE(q, &queue, mo_pduq, entry)
		if (q->order < p->order)
			break;
	if (q == NULL)
		TAILQ_INSERT_HEAD(&queue, p, entry);
	else
		TAILQ_INSERT_AFTER(&queue, q, p, entry);
}

void
mo_enqueue(struct mo_pdu *p)
{
	p->order = ++next_order;
	p->attempts = 0;
	p->first_ns = p->sent_ns = 0;
	outstanding++;
	queue_insert(p);
	mo_kick();
}

static void
pdu_release(struct mo_pdu *p)
{
	if (!p->pooled)
		free(p);
}

static void
mo_pump(evutil_socket_t fd, short ev, void *arg)
{
	struct mo_pdu	*p;
	struct conn	*c;
	int64_t		 now = sim_now();

	(void)fd; (void)ev; (void)arg;
	while ((p = TAILQ_FIRST(&queue)) != NULL &&
	    (c = conn_pick_rx()) != NULL) {
		TAILQ_REMOVE(&queue, p, entry);
		p->seq = conn_next_seq(c);
		p->buf[12] = (uint8_t)(p->seq >> 24);
		p->buf[13] = (uint8_t)(p->seq >> 16);
		p->buf[14] = (uint8_t)(p->seq >> 8);
		p->buf[15] = (uint8_t)p->seq;
		p->state = PDU_FLIGHT;
		p->conn = c;
		p->sent_ns = now;
		p->attempts++;
		TAILQ_INSERT_TAIL(&c->flight, p, entry);
		c->inflight++;
		if (p->attempts > 1)
			log_debug("conn=%llu deliver_sm seq=%u again, attempt %d",
			    (unsigned long long)c->id, p->seq, p->attempts);
		conn_write(c, p->buf, p->len);
		if (p->first_ns == 0) {
			p->first_ns = now;
			if (p->msg != NULL && p->msg->first_ns == 0)
				p->msg->first_ns = now;
			if (p->load_idx >= 0)
				load_on_sent(p->load_idx, now);
		}
	}
}

void
mo_on_resp(struct conn *c, uint32_t seq, uint32_t status)
{
	struct mo_pdu	*p;

	TAILQ_FOREACH(p, &c->flight, entry)
		if (p->seq == seq)
			break;
	if (p == NULL) {
		log_debug("conn=%llu deliver_sm_resp for unknown seq=%u",
		    (unsigned long long)c->id, seq);
		return;
	}
	TAILQ_REMOVE(&c->flight, p, entry);
	c->inflight--;
	p->conn = NULL;
	if (status == SMPP_ROK) {
		p->state = PDU_ACKED;
		outstanding--;
		if (p->load_idx >= 0)
			load_on_ack(p->load_idx, sim_now() - p->sent_ns);
		if (p->msg != NULL)
			p->msg->acked++;
		pdu_release(p);
		sim_notify(EV_ACK);
	} else if (smpp_status_transient(status)) {
		log_debug("deliver_sm seq=%u status=0x%02x: again in 1 s",
		    seq, status);
		p->state = PDU_RETRY;
		p->retry_ns = sim_now() + RETRY_NS;
		TAILQ_INSERT_TAIL(&retry, p, entry);
		if (!evtimer_pending(retry_ev, NULL))
			arm(retry_ev, p->retry_ns);
	} else {
		log_debug("deliver_sm seq=%u status=0x%02x: rejected for good",
		    seq, status);
		p->state = PDU_REJECTED;
		outstanding--;
		rejected++;
		if (p->msg != NULL)
			p->msg->rejected++;
		pdu_release(p);
		sim_notify(EV_ACK);
	}
	mo_kick();
}

static void
retry_fire(evutil_socket_t fd, short ev, void *arg)
{
	struct mo_pdu	*p;
	int64_t		 now = sim_now();

	(void)fd; (void)ev; (void)arg;
	while ((p = TAILQ_FIRST(&retry)) != NULL && p->retry_ns <= now) {
		TAILQ_REMOVE(&retry, p, entry);
		queue_insert(p);
	}
	if (p != NULL)
		arm(retry_ev, p->retry_ns);
	mo_kick();
}

/* The link dropped: what it had in flight is delivered again later. */
void
mo_on_close(struct conn *c)
{
	struct mo_pdu	*p;

	while ((p = TAILQ_FIRST(&c->flight)) != NULL) {
		TAILQ_REMOVE(&c->flight, p, entry);
		queue_insert(p);
	}
	c->inflight = 0;
}

long
mo_outstanding(void)
{
	return outstanding;
}

long
mo_rejected(void)
{
	return rejected;
}

struct mo_msgq *
mo_msgs(void)
{
	return &msgs;
}

/* A deliver_sm from a phone (TON 1, 84…) to the short code. */
void
mo_sm_init(struct smpp_sm *m, const char *from, const char *to)
{
	smpp_sm_init(m);
	if (from[0] == '=') {
		/* "=0912…": the address exactly as written (national, TON 2) */
		from++;
		snprintf(m->src, sizeof(m->src), "%s", from);
		m->src_ton = from[0] == '0' ? 2 :
		    strspn(from, "0123456789") != strlen(from) ? 5 :
		    strncmp(from, "84", 2) == 0 ? 1 : 0;
		m->src_npi = m->src_ton == 5 ? 0 : 1;
	} else {
		sim_msisdn(from, m->src, sizeof(m->src));
		m->src_ton = 1;
		m->src_npi = 1;
	}
	snprintf(m->dst, sizeof(m->dst), "%s", to);
	m->dst_ton = 0;
	m->dst_npi = 1;
}

int
mo_pack(const struct smpp_sm *m, uint8_t *buf, size_t cap, const char **err)
{
	return smpp_pdu_pack_sm(SMPP_DELIVER_SM, 1, m, buf, cap, err);
}

static struct mo_msg *
msg_new(const char *from, int ussd)
{
	struct mo_msg	*m;
	char		 n[SIM_ADDR_MAX];

	if ((m = calloc(1, sizeof(*m))) == NULL)
		fatal("calloc");
	if (from[0] == '=')
		snprintf(n, sizeof(n), "%s", from + 1);
	else
		sim_msisdn(from, n, sizeof(n));
	sim_msisdn(n, m->from, sizeof(m->from));
	m->ussd = ussd;
	TAILQ_INSERT_TAIL(&msgs, m, entry);
	return m;
}

/* Packs one deliver_sm and queues it; msg NULL for a receipt. */
static int
msg_add(struct mo_msg *msg, const struct smpp_sm *m, const char **err)
{
	uint8_t		 buf[PDU_BUF];
	struct mo_pdu	*p;
	int		 len;

	if ((len = mo_pack(m, buf, sizeof(buf), err)) < 0)
		return -1;
	if ((p = calloc(1, sizeof(*p) + (size_t)len)) == NULL)
		fatal("calloc");
	p->buf = (uint8_t *)(p + 1);
	memcpy(p->buf, buf, (size_t)len);
	p->len = (uint32_t)len;
	p->msg = msg;
	p->load_idx = -1;
	log_debug("queued deliver_sm from=%s to=%s dc=%d esm=0x%02x sm_len=%u%s",
	    m->src, m->dst, m->data_coding, m->esm_class, m->sm_len,
	    m->payload_len >= 0 ? " payload" : "");
	if (msg != NULL)
		msg->parts++;
	mo_enqueue(p);
	return 0;
}

static int
encode(const char *text, uint8_t *out, size_t cap, int *dc, const char **err)
{
	int	n;

	if ((n = sim_encode(text, out, cap, dc)) < 0)
		*err = "text too long";
	return n;
}

/* Text as a phone sends it: one part when it fits, else UDH parts. */
int
mo_send(const char *from, const char *text, const char **err)
{
	struct smpp_sm	 m;
	struct mo_msg	*msg;
	uint8_t		 enc[SIM_MAX_PARTS * 160];
	size_t		 cuts[SIM_MAX_PARTS], start = 0, single, room;
	int		 n, dc, k, parts;

	if ((n = encode(text, enc, sizeof(enc), &dc, err)) < 0)
		return -1;
	single = dc == TEXT_DC_UCS2 || sim.o.dc0 != TEXT_GSM7 ? 140 : 160;
	room = single == 160 ? 153 : 134;
	if ((size_t)n <= single) {
		parts = 1;
		cuts[0] = (size_t)n;
	} else if ((parts = sim_split(enc, (size_t)n, dc, 0, room, cuts)) < 0) {
		*err = "text needs too many parts";
		return -1;
	}
	msg = msg_new(from, 0);
	ref8++;
	for (k = 0; k < parts; k++) {
		mo_sm_init(&m, from, sim.o.shortcode);
		m.data_coding = (uint8_t)dc;
		if (parts > 1) {
			m.esm_class = SMPP_ESM_UDHI;
			memcpy(m.sm, (const uint8_t[]){ 5, 0, 3, ref8,
			    (uint8_t)parts, (uint8_t)(k + 1) }, 6);
			m.sm_len = 6;
		}
		memcpy(m.sm + m.sm_len, enc + start, cuts[k] - start);
		m.sm_len += (uint16_t)(cuts[k] - start);
		start = cuts[k];
		if (msg_add(msg, &m, err) == -1)
			return -1;
	}
	return 0;
}

/* Raw short_message bytes; longer than 253 go in message_payload. */
int
mo_send_dc(const char *from, int dc, const uint8_t *b, size_t n,
    const char **err)
{
	struct smpp_sm	 m;

	mo_sm_init(&m, from, sim.o.shortcode);
	m.data_coding = (uint8_t)dc;
	if (n <= SMPP_SM_MAX) {
		memcpy(m.sm, b, n);
		m.sm_len = (uint16_t)n;
	} else if (n <= SMPP_PAYLOAD_MAX) {
		memcpy(m.payload, b, n);
		m.payload_len = (int)n;
	} else {
		*err = "more than SMPP_PAYLOAD_MAX (4096) bytes";
		return -1;
	}
	return msg_add(msg_new(from, 0), &m, err);
}

/*
 * The text cut into `total` parts of about equal size, sent in the given
 * order (parts may repeat or be left out): UDH IE 00, or SAR TLVs.
 */
int
mo_send_parts(const char *from, const int *order, int n, int total, int sar,
    const char *text, const char **err)
{
	struct smpp_sm	 m;
	struct mo_msg	*msg;
	uint8_t		 enc[SIM_MAX_PARTS * 160];
	size_t		 cuts[SIM_MAX_PARTS], start, room;
	int		 len, dc, i, k;

	if ((len = encode(text, enc, sizeof(enc), &dc, err)) < 0)
		return -1;
	room = dc == TEXT_DC_UCS2 || sim.o.dc0 != TEXT_GSM7 ? 134 : 153;
	if (sim_split(enc, (size_t)len, dc, total, room, cuts) != total) {
		*err = "text does not split into that many parts";
		return -1;
	}
	msg = msg_new(from, 0);
	ref8++;
	ref16++;
	for (i = 0; i < n; i++) {
		k = order[i] - 1;
		start = k == 0 ? 0 : cuts[k - 1];
		mo_sm_init(&m, from, sim.o.shortcode);
		m.data_coding = (uint8_t)dc;
		if (sar) {
			m.sar_ref = ref16;
			m.sar_total = total;
			m.sar_seq = k + 1;
		} else {
			m.esm_class = SMPP_ESM_UDHI;
			memcpy(m.sm, (const uint8_t[]){ 5, 0, 3, ref8,
			    (uint8_t)total, (uint8_t)(k + 1) }, 6);
			m.sm_len = 6;
		}
		memcpy(m.sm + m.sm_len, enc + start, cuts[k] - start);
		m.sm_len += (uint16_t)(cuts[k] - start);
		if (msg_add(msg, &m, err) == -1)
			return -1;
	}
	return 0;
}

/* One part as given: UDH IE 00 (8-bit ref), then the bytes as they are. */
int
mo_send_part(const char *from, int dc, int ref, int seq, int total,
    const uint8_t *b, size_t n, const char **err)
{
	struct smpp_sm	 m;

	if (n > SMPP_SM_MAX - 6) {
		*err = "a part holds at most 247 bytes after its UDH";
		return -1;
	}
	mo_sm_init(&m, from, sim.o.shortcode);
	m.data_coding = (uint8_t)dc;
	m.esm_class = SMPP_ESM_UDHI;
	memcpy(m.sm, (const uint8_t[]){ 5, 0, 3, (uint8_t)ref, (uint8_t)total,
	    (uint8_t)seq }, 6);
	memcpy(m.sm + 6, b, n);
	m.sm_len = (uint16_t)(6 + n);
	return msg_add(msg_new(from, 0), &m, err);
}

/* The whole text in message_payload, sm_length 0, up to 65,535 octets. */
int
mo_send_payload(const char *from, const char *text, const char **err)
{
	static uint8_t	 enc[65535];	/* a TLV's length is 16 bits */
	struct smpp_sm	 m;
	int		 n, dc;

	mo_sm_init(&m, from, sim.o.shortcode);
	if ((n = encode(text, enc, sizeof(enc), &dc, err)) < 0)
		return -1;
	m.data_coding = (uint8_t)dc;
	if ((size_t)n > sizeof(m.payload))
		return send_long_payload(msg_new(from, 0), &m, enc, (size_t)n,
		    err);
	memcpy(m.payload, enc, (size_t)n);
	m.payload_len = n;
	return msg_add(msg_new(from, 0), &m, err);
}

/*
 * More than a struct smpp_sm holds, as an SMSC that joins long messages
 * itself sends them: m packed without it, the TLV appended by hand.
 */
static int
send_long_payload(struct mo_msg *msg, const struct smpp_sm *m,
    const uint8_t *b, size_t n, const char **err)
{
	static uint8_t	 buf[PDU_BUF];
	struct mo_pdu	*p;
	int		 len;

	if ((len = mo_pack(m, buf, sizeof(buf), err)) < 0)
		return -1;
	if ((size_t)len + 4 + n > sizeof(buf)) {
		*err = "message_payload too long for one PDU";
		return -1;
	}
	buf[len] = 0x04;
	buf[len + 1] = 0x24;
	buf[len + 2] = (uint8_t)(n >> 8);
	buf[len + 3] = (uint8_t)n;
	memcpy(buf + len + 4, b, n);
	len += 4 + (int)n;
	frame_hdr_write(buf, (uint32_t)len, SMPP_DELIVER_SM, 0, 1);
	if ((p = calloc(1, sizeof(*p) + (size_t)len)) == NULL)
		fatal("calloc");
	p->buf = (uint8_t *)(p + 1);
	memcpy(p->buf, buf, (size_t)len);
	p->len = (uint32_t)len;
	p->msg = msg;
	p->load_idx = -1;
	msg->parts++;
	mo_enqueue(p);
	return 0;
}

static struct ussd_sess *
ussd_find(const char *msisdn)
{
	struct ussd_sess *s;

	TAILQ_FOREACH(s, &sessions, entry)
		if (strcmp(s->msisdn, msisdn) == 0)
			return s;
	return NULL;
}

/*
 * A service code (*8077#) opens a session: PSSR indication, op 1. Any
 * other text answers the open session's last screen: USSR confirm, op 18.
 * its_session_info: session number, then sequence << 1 (end bit clear).
 */
int
mo_send_ussd(const char *from, const char *text, const char **err)
{
	struct smpp_sm	 m;
	struct ussd_sess *s;
	char		 who[SIM_ADDR_MAX];
	int		 n, dc;

	mo_sm_init(&m, from, sim.o.shortcode);
	snprintf(who, sizeof(who), "%s", m.src);
	s = ussd_find(who);
	if (sim_is_service_code(text)) {
		if (s == NULL) {
			if ((s = calloc(1, sizeof(*s))) == NULL)
				fatal("calloc");
			snprintf(s->msisdn, sizeof(s->msisdn), "%s", who);
			TAILQ_INSERT_TAIL(&sessions, s, entry);
		}
		snprintf(s->code, sizeof(s->code), "%s", text);
		s->id = ussd_next++ % 255 + 1;
		s->seq = 0;
		s->open = 1;
		m.ussd_op = 1;
	} else if (s != NULL && s->open) {
		s->seq = (s->seq + 1) & 0x7F;
		m.ussd_op = 18;
	} else {
		*err = "no USSD session open for this number "
		    "(dial a service code such as *8077# first)";
		return -1;
	}
	snprintf(m.dst, sizeof(m.dst), "%s", s->code);
	snprintf(m.service_type, sizeof(m.service_type), "USSD");
	m.its_session = s->id << 8 | s->seq << 1;
	if ((n = encode(text, m.sm, USSD_MAX, &dc, err)) < 0)
		return -1;
	m.sm_len = (uint16_t)n;
	m.data_coding = (uint8_t)dc;
	return msg_add(msg_new(from, 1), &m, err);
}

int
mo_ussd_open(const char *msisdn)
{
	struct ussd_sess *s = ussd_find(msisdn);

	return s != NULL && s->open;
}

/* A screen went to a phone: a final one (op 17 or the end bit) closes. */
void
mo_ussd_outbound(const char *to, int op, int its)
{
	struct ussd_sess *s;

	if ((s = ussd_find(to)) == NULL)
		return;
	if (op == 16 || op == 17 || (its >= 0 && (its & 1)))
		s->open = 0;
}

/* Up to 20 characters of the submitted text, in plain ASCII. */
static void
snippet(const struct smpp_sm *sub, char *out, size_t cap)
{
	char		 text[2048];
	const uint8_t	*b = sub->sm;
	size_t		 n = sub->sm_len, i, k = 0;
	struct text_concat cc;
	int		 udh;

	if (n == 0 && sub->payload_len > 0) {
		b = sub->payload;
		n = (size_t)sub->payload_len;
	}
	if ((sub->esm_class & SMPP_ESM_UDHI) &&
	    (udh = text_udh_parse(b, n, &cc)) > 0) {
		b += udh;
		n -= (size_t)udh;
	}
	text_decode(sub->data_coding, sim.o.dc0, b, n, text, sizeof(text));
	for (i = 0; text[i] != '\0' && k < 20 && k + 1 < cap; i++) {
		if ((unsigned char)text[i] >= 0x80 &&
		    ((unsigned char)text[i] & 0xC0) == 0x80)
			continue;	/* UTF-8 continuation byte */
		out[k++] = (strchr(" .,:;!?()+-/", text[i]) != NULL ||
		    (text[i] >= '0' && text[i] <= '9') ||
		    (text[i] >= 'A' && text[i] <= 'Z') ||
		    (text[i] >= 'a' && text[i] <= 'z')) ? text[i] : '.';
	}
	out[k] = '\0';
}

/*
 * A delivery receipt for one accepted submit_sm, 50 ms later: SMPP 3.4
 * Appendix B text with the id in decimal, receipted_message_id as the
 * submit_sm_resp gave it, message_state 2 (or 5 with `dlr undeliv`).
 */
void
mo_schedule_dlr(const char *resp_id, uint64_t id, const struct smpp_sm *sub)
{
	struct dlr_job	*j;
	char		 date[16], snip[24], text[256];
	int		 ok = sim.o.dlr == DLR_DELIVRD;
	time_t		 t = time(NULL);
	struct tm	 tm;
	int		 n;

	if ((sub->registered_delivery & 0x03) == 2 && ok)
		return;		/* failure receipts only */
	localtime_r(&t, &tm);
	strftime(date, sizeof(date), "%y%m%d%H%M", &tm);
	snippet(sub, snip, sizeof(snip));
	n = snprintf(text, sizeof(text), "id:%llu sub:001 dlvrd:%s submit "
	    "date:%s done date:%s stat:%s err:%s text:%s",
	    (unsigned long long)id, ok ? "001" : "000", date, date,
	    ok ? "DELIVRD" : "UNDELIV", ok ? "000" : "001", snip);
	if ((j = calloc(1, sizeof(*j))) == NULL)
		fatal("calloc");
	smpp_sm_init(&j->m);
	snprintf(j->m.src, sizeof(j->m.src), "%s", sub->dst);
	j->m.src_ton = sub->dst_ton;
	j->m.src_npi = sub->dst_npi;
	snprintf(j->m.dst, sizeof(j->m.dst), "%s", sub->src);
	j->m.dst_ton = sub->src_ton;
	j->m.dst_npi = sub->src_npi;
	j->m.esm_class = SMPP_ESM_DLR;
	j->m.data_coding = 0;
	j->m.sm_len = (uint16_t)(n < SMPP_SM_MAX ? n : SMPP_SM_MAX);
	memcpy(j->m.sm, text, j->m.sm_len);
	snprintf(j->m.receipted_id, sizeof(j->m.receipted_id), "%s", resp_id);
	j->m.message_state = ok ? 2 : 5;
	j->due = sim_now() + DLR_DELAY_MS * 1000000LL;
	TAILQ_INSERT_TAIL(&dlrs, j, entry);
	if (!evtimer_pending(dlr_ev, NULL))
		arm(dlr_ev, j->due);
}

static void
dlr_fire(evutil_socket_t fd, short ev, void *arg)
{
	struct dlr_job	*j;
	const char	*err;
	int64_t		 now = sim_now();

	(void)fd; (void)ev; (void)arg;
	while ((j = TAILQ_FIRST(&dlrs)) != NULL && j->due <= now) {
		TAILQ_REMOVE(&dlrs, j, entry);
		if (msg_add(NULL, &j->m, &err) == -1)
			log_warnx("receipt not sent: %s", err);
		free(j);
	}
	if (j != NULL)
		arm(dlr_ev, j->due);
}
