/*
 * Outbound traffic, as the phones see it: submit_sm parts (UDH IE 00/08,
 * SAR TLVs) are joined in any order into one message, decoded to UTF-8 and
 * recorded with destination, text, part count and data_coding. Load mode
 * takes its replies before anything is stored or decoded. Parts wait in a
 * fixed pool of slots; when the pool is full the oldest incomplete message
 * is dropped with a warning.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sim.h"

#define SLOT_DATA	254

enum { CONCAT_UDH, CONCAT_SAR };

struct slot {
	int		 used;
	int64_t		 t0;
	char		 src[SIM_ADDR_MAX], dst[SIM_ADDR_MAX];
	int		 kind, ref, total, got;
	int		 dc, ussd_op, its;
	uint8_t		 have[SIM_MAX_PARTS];
	uint16_t	 len[SIM_MAX_PARTS];
	uint8_t		 data[SIM_MAX_PARTS][SLOT_DATA];
};

static struct slot	*slots;
static int		 nslots;
static struct outq	 store = TAILQ_HEAD_INITIALIZER(store);
static uint64_t		 total;

static void	 finish(const char *, const char *, int, int, int,
		    const uint8_t *, size_t, int);
static void	 slot_add(const struct smpp_sm *, int, int, int, int,
		    const uint8_t *, size_t);

void
out_init(int n)
{
	if ((slots = calloc((size_t)n, sizeof(*slots))) == NULL)
		fatal("calloc");
	nslots = n;
}

void
out_shutdown(void)
{
	struct outmsg	*o;

	while ((o = TAILQ_FIRST(&store)) != NULL) {
		TAILQ_REMOVE(&store, o, entry);
		free(o->text);
		free(o);
	}
	free(slots);
	slots = NULL;
	nslots = 0;
}

struct outq *
out_list(void)
{
	return &store;
}

uint64_t
out_total(void)
{
	return total;
}

int
out_is_final(const struct outmsg *o)
{
	return o->ussd_op == 16 || o->ussd_op == 17 ||
	    (o->its_session >= 0 && (o->its_session & 1));
}

void
out_on_submit(const struct smpp_sm *m)
{
	const uint8_t	*b = m->sm;
	size_t		 n = m->sm_len;
	struct text_concat cc = { 0, 1, 1 };
	int		 udh, kind = CONCAT_UDH;

	if (n == 0 && m->payload_len >= 0) {
		b = m->payload;
		n = (size_t)m->payload_len;
	}
	if (m->esm_class & SMPP_ESM_UDHI) {
		if ((udh = text_udh_parse(b, n, &cc)) < 0) {
			log_warnx("submit_sm to=%s: malformed UDH", m->dst);
			sim.bad_pdus++;
			udh = 0;
		}
		b += udh;
		n -= (size_t)udh;
	} else if (m->sar_ref >= 0 && m->sar_total > 1) {
		kind = CONCAT_SAR;
		cc.ref = m->sar_ref;
		cc.total = m->sar_total;
		cc.seq = m->sar_seq;
	}
	if (cc.total <= 1 || cc.seq < 1 || cc.seq > cc.total ||
	    cc.total > SIM_MAX_PARTS || n > SLOT_DATA) {
		if (cc.total > 1)
			log_warnx("submit_sm to=%s: part %d/%d kept alone",
			    m->dst, cc.seq, cc.total);
		finish(m->dst, m->src, m->data_coding, m->ussd_op,
		    m->its_session, b, n, 1);
		return;
	}
	slot_add(m, kind, cc.ref, cc.total, cc.seq, b, n);
}

static struct slot *
slot_find(const struct smpp_sm *m, int kind, int ref, int tot)
{
	struct slot	*s, *oldest = NULL;
	int		 i;

	for (i = 0; i < nslots; i++) {
		s = &slots[i];
		if (s->used && s->kind == kind && s->ref == ref &&
		    s->total == tot && strcmp(s->dst, m->dst) == 0 &&
		    strcmp(s->src, m->src) == 0)
			return s;
	}
	for (i = 0; i < nslots; i++) {
		s = &slots[i];
		if (!s->used)
			goto fresh;
		if (oldest == NULL || s->t0 < oldest->t0)
			oldest = s;
	}
	s = oldest;
	log_warnx("too many incomplete messages: dropped %d/%d parts to %s",
	    s->got, s->total, s->dst);
fresh:
	memset(s->have, 0, sizeof(s->have));
	s->used = 1;
	s->t0 = sim_now();
	s->kind = kind;
	s->ref = ref;
	s->total = tot;
	s->got = 0;
	s->dc = m->data_coding;
	s->ussd_op = m->ussd_op;
	s->its = m->its_session;
	snprintf(s->src, sizeof(s->src), "%s", m->src);
	snprintf(s->dst, sizeof(s->dst), "%s", m->dst);
	return s;
}

static void
slot_add(const struct smpp_sm *m, int kind, int ref, int tot, int seq,
    const uint8_t *b, size_t n)
{
	struct slot	*s = slot_find(m, kind, ref, tot);
	uint8_t		 buf[SIM_MAX_PARTS * SLOT_DATA];
	size_t		 len = 0;
	int		 i;

	if (s->have[seq - 1]) {
		log_warnx("submit_sm to=%s: part %d/%d ref=%d received twice",
		    m->dst, seq, tot, ref);
		return;
	}
	s->have[seq - 1] = 1;
	s->len[seq - 1] = (uint16_t)n;
	memcpy(s->data[seq - 1], b, n);
	if (++s->got < s->total)
		return;
	for (i = 0; i < s->total; i++) {
		memcpy(buf + len, s->data[i], s->len[i]);
		len += s->len[i];
	}
	s->used = 0;
	finish(s->dst, s->src, s->dc, s->ussd_op, s->its, buf, len, s->total);
}

/* A whole message reached its phone. */
static void
finish(const char *dst, const char *src, int dc, int op, int its,
    const uint8_t *b, size_t n, int parts)
{
	static char	 text[SIM_TEXT_MAX];
	struct outmsg	*o;
	char		 to[SIM_ADDR_MAX];
	int64_t		 now = sim_now();

	sim_msisdn(dst, to, sizeof(to));
	total++;
	if (op < 0 && load_active() && load_on_reply(to, now))
		return;
	if (text_decode(dc, sim.o.dc0, b, n, text, sizeof(text)) < 0)
		log_warnx("message to %s: text cut at %zu bytes", to,
		    strlen(text));
	if ((o = calloc(1, sizeof(*o))) == NULL ||
	    (o->text = strdup(text)) == NULL)
		fatal("calloc");
	o->n = total;
	snprintf(o->to, sizeof(o->to), "%s", to);
	snprintf(o->from, sizeof(o->from), "%s", src);
	o->parts = parts;
	o->dc = dc;
	o->ussd_op = op;
	o->its_session = its;
	o->t_ns = now;
	TAILQ_INSERT_TAIL(&store, o, entry);
	if (op >= 0)
		mo_ussd_outbound(to, op, its);
	out_print(o);
	sim_notify(EV_OUT);
}

static const char *
dc_name(int dc)
{
	static char	buf[16];

	switch (dc) {
	case 0:
		return sim.o.dc0 == TEXT_GSM7 ? "GSM7" :
		    sim.o.dc0 == TEXT_LATIN1 ? "Latin-1" : "ASCII";
	case 1:
		return "ASCII";
	case 3:
		return "Latin-1";
	case 8:
		return "UCS-2";
	default:
		snprintf(buf, sizeof(buf), "dc=0x%02x", dc);
		return buf;
	}
}

/*
 * As the phone shows it: "[84912345678 <- 8077] text", continuation lines
 * indented. Printed on stdout in interactive and passive mode, in the
 * debug log otherwise.
 */
void
out_print(const struct outmsg *o)
{
	char		 head[96], tail[96];
	const char	*p, *nl;
	FILE		*f = stdout;

	if (sim.o.mode == MODE_SCRIPT || sim.o.mode == MODE_LOAD) {
		if (!sim.o.verbose)
			return;
		f = stderr;
	}
	snprintf(head, sizeof(head), "[%s <- %s%s]", o->to, o->from,
	    o->ussd_op >= 0 ? " USSD" : "");
	tail[0] = '\0';
	if (o->ussd_op >= 0)
		snprintf(tail, sizeof(tail), out_is_final(o) ?
		    " (session ended)" : " (session open: answer with %s> ...)",
		    o->to);
	else if (o->parts > 1)
		snprintf(tail, sizeof(tail), " (%d parts, %s)", o->parts,
		    dc_name(o->dc));
	fprintf(f, "%s ", head);
	for (p = o->text; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		fprintf(f, "%.*s\n    ", (int)(nl - p), p);
	fprintf(f, "%s%s\n", p, tail);
	fflush(f);
}
