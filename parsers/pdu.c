/*
 * deliver_sm, submit_sm and data_sm by hand (SMPP 3.4 sections 4.4, 4.6,
 * 4.7, 5.3). The decoder is strict about shape (every length, every
 * C-string terminated within its field size, TLVs inside the PDU) and
 * lenient about values (any TON/NPI, unknown TLVs skipped), since it is
 * the carrier's SMSC, not us, that decides what a valid address is.
 */
#include <string.h>

#include "frame.h"
#include "pdu.h"

enum {
	TLV_RECEIPTED_ID = 0x001E, TLV_USER_MSG_REF = 0x0204,
	TLV_SAR_REF = 0x020C, TLV_SAR_TOTAL = 0x020E, TLV_SAR_SEQ = 0x020F,
	TLV_PAYLOAD = 0x0424, TLV_MESSAGE_STATE = 0x0427,
	TLV_USSD_OP = 0x0501, TLV_ITS_SESSION = 0x1383
};

void
smpp_sm_init(struct smpp_sm *m)
{
	memset(m, 0, sizeof(*m));
	m->payload_len = -1;
	m->sar_ref = m->sar_total = m->sar_seq = -1;
	m->ussd_op = m->its_session = m->user_msg_ref = -1;
	m->message_state = -1;
}

struct rd {
	const uint8_t	*p;
	size_t		 left;
	const char	*err;
};

static uint8_t
rd_u8(struct rd *r)
{
	if (r->err || r->left < 1) {
		r->err = r->err ? r->err : "field runs past the end of the PDU";
		return 0;
	}
	r->left--;
	return *r->p++;
}

/* A C-string of at most max bytes including its NUL, copied into out. */
static void
rd_cstr(struct rd *r, char *out, size_t max)
{
	size_t		 span = r->left < max ? r->left : max;
	const uint8_t	*nul;

	out[0] = '\0';
	if (r->err)
		return;
	if ((nul = memchr(r->p, '\0', span)) == NULL) {
		r->err = "C-string unterminated or too long";
		return;
	}
	memcpy(out, r->p, (size_t)(nul - r->p) + 1);
	r->left -= (size_t)(nul - r->p) + 1;
	r->p = nul + 1;
}

static void
rd_skip_cstr(struct rd *r, size_t max)
{
	char	tmp[65];

	rd_cstr(r, tmp, max < sizeof(tmp) ? max : sizeof(tmp));
}

static void
rd_bytes(struct rd *r, uint8_t *out, size_t n)
{
	if (r->err)
		return;
	if (r->left < n) {
		r->err = "field runs past the end of the PDU";
		return;
	}
	memcpy(out, r->p, n);
	r->p += n;
	r->left -= n;
}

static int
be16(const uint8_t *v)
{
	return v[0] << 8 | v[1];
}

/* Takes one TLV's value; the value lies inside the PDU already. */
static void
take_tlv(struct smpp_sm *m, int tag, const uint8_t *v, size_t len,
    struct rd *r)
{
	switch (tag) {
	case TLV_PAYLOAD:
		/* A long message is a message: kept up to what the store can
		 * hold, the rest counted, never refused for its length. */
		m->payload_len = (int)(len < sizeof(m->payload) ? len :
		    sizeof(m->payload));
		m->payload_cut = (int)len - m->payload_len;
		memcpy(m->payload, v, (size_t)m->payload_len);
		return;
	case TLV_RECEIPTED_ID:
		len = len < sizeof(m->receipted_id) ? len :
		    sizeof(m->receipted_id) - 1;
		memcpy(m->receipted_id, v, len);
		m->receipted_id[len] = '\0';
		return;
	}
	/* Integers: too short a value is a broken PDU, not a zero. */
	if ((tag == TLV_SAR_REF || tag == TLV_ITS_SESSION ||
	    tag == TLV_USER_MSG_REF) ? len < 2 : len < 1) {
		if (tag == TLV_SAR_REF || tag == TLV_ITS_SESSION ||
		    tag == TLV_USER_MSG_REF || tag == TLV_SAR_TOTAL ||
		    tag == TLV_SAR_SEQ || tag == TLV_MESSAGE_STATE ||
		    tag == TLV_USSD_OP)
			r->err = "TLV value too short for its type";
		return;
	}
	switch (tag) {
	case TLV_SAR_REF:	m->sar_ref = be16(v); break;
	case TLV_SAR_TOTAL:	m->sar_total = v[0]; break;
	case TLV_SAR_SEQ:	m->sar_seq = v[0]; break;
	case TLV_ITS_SESSION:	m->its_session = be16(v); break;
	case TLV_USER_MSG_REF:	m->user_msg_ref = be16(v); break;
	case TLV_MESSAGE_STATE:	m->message_state = v[0]; break;
	case TLV_USSD_OP:	m->ussd_op = v[0]; break;
	default:		break;
	}
}

static void
rd_tlvs(struct rd *r, struct smpp_sm *m)
{
	size_t	len;
	int	tag, n = 0;

	while (r->err == NULL && r->left > 0) {
		if (r->left < 4 || ++n > PDU_MAX_TLVS) {
			r->err = r->left < 4 ? "truncated TLV header" :
			    "too many TLVs";
			return;
		}
		tag = be16(r->p);
		len = (size_t)be16(r->p + 2);
		if (r->left - 4 < len) {
			r->err = "TLV length runs past the end of the PDU";
			return;
		}
		take_tlv(m, tag, r->p + 4, len, r);
		r->p += 4 + len;
		r->left -= 4 + len;
	}
}

static void
rd_addresses(struct rd *r, struct smpp_sm *m, size_t dst_max)
{
	rd_cstr(r, m->service_type, sizeof(m->service_type));
	m->src_ton = rd_u8(r);
	m->src_npi = rd_u8(r);
	rd_cstr(r, m->src, sizeof(m->src));
	m->dst_ton = rd_u8(r);
	m->dst_npi = rd_u8(r);
	if (dst_max > sizeof(m->dst)) {
		/* data_sm allows 65; longer than ours is no phone of ours */
		char long_dst[65];
		rd_cstr(r, long_dst, dst_max);
		if (!r->err && strlen(long_dst) >= sizeof(m->dst))
			r->err = "destination address too long";
		memcpy(m->dst, long_dst, strnlen(long_dst, sizeof(m->dst) - 1));
		m->dst[strnlen(long_dst, sizeof(m->dst) - 1)] = '\0';
	} else
		rd_cstr(r, m->dst, sizeof(m->dst));
}

int
pdu_decode_sm(const uint8_t *b, size_t n, struct smpp_sm *m,
    const char **errstr)
{
	struct frame_hdr	h;
	struct rd		r;

	smpp_sm_init(m);
	if (frame_hdr_read(b, n, &h) == -1 || h.len != n) {
		*errstr = "command_length does not match the PDU";
		return -1;
	}
	if (h.seq == 0) {
		*errstr = "sequence_number 0";
		return -1;
	}
	r.p = b + FRAME_HDR_LEN;
	r.left = n - FRAME_HDR_LEN;
	r.err = NULL;
	if (h.id == SMPP_DATA_SM) {
		rd_addresses(&r, m, 65);
		m->esm_class = rd_u8(&r);
		m->registered_delivery = rd_u8(&r);
		m->data_coding = rd_u8(&r);
	} else if (h.id == SMPP_DELIVER_SM || h.id == SMPP_SUBMIT_SM) {
		rd_addresses(&r, m, sizeof(m->dst));
		m->esm_class = rd_u8(&r);
		m->protocol_id = rd_u8(&r);
		rd_u8(&r);			/* priority_flag */
		rd_skip_cstr(&r, 17);		/* schedule_delivery_time */
		rd_skip_cstr(&r, 17);		/* validity_period */
		m->registered_delivery = rd_u8(&r);
		rd_u8(&r);			/* replace_if_present_flag */
		m->data_coding = rd_u8(&r);
		rd_u8(&r);			/* sm_default_msg_id */
		/* SMPP 3.4 5.2.21: at most 254; 255 would run past m->sm. */
		if ((m->sm_len = rd_u8(&r)) > sizeof(m->sm))
			r.err = r.err ? r.err : "sm_length over 254";
		else
			rd_bytes(&r, m->sm, m->sm_len);
	} else
		r.err = "not a deliver_sm, submit_sm or data_sm";
	rd_tlvs(&r, m);
	*errstr = r.err;
	return r.err ? -1 : 0;
}

struct wr {
	uint8_t	*p;
	size_t	 len, cap;
	int	 over;
};

static void
wr_bytes(struct wr *w, const void *v, size_t n)
{
	if (w->over || n > w->cap - w->len) {
		w->over = 1;
		return;
	}
	memcpy(w->p + w->len, v, n);
	w->len += n;
}

static void
wr_u8(struct wr *w, int v)
{
	uint8_t	b = (uint8_t)v;

	wr_bytes(w, &b, 1);
}

static void
wr_cstr(struct wr *w, const char *s, size_t max)
{
	size_t	n = strnlen(s, max);

	if (n >= max)
		w->over = 1;	/* too long for its field: refused, not cut */
	wr_bytes(w, s, n + 1);
}

static void
wr_tlv(struct wr *w, int tag, const void *v, size_t n)
{
	uint8_t	h[4] = { (uint8_t)(tag >> 8), (uint8_t)tag, (uint8_t)(n >> 8),
	    (uint8_t)n };

	wr_bytes(w, h, 4);
	wr_bytes(w, v, n);
}

static void
wr_tlv16(struct wr *w, int tag, int v)
{
	uint8_t	b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	wr_tlv(w, tag, b, 2);
}

static void
wr_tlv8(struct wr *w, int tag, int v)
{
	uint8_t	b = (uint8_t)v;

	wr_tlv(w, tag, &b, 1);
}

static void
wr_tlvs(struct wr *w, const struct smpp_sm *m)
{
	if (m->payload_len >= 0)
		wr_tlv(w, TLV_PAYLOAD, m->payload, (size_t)m->payload_len);
	if (m->sar_ref >= 0) {
		wr_tlv16(w, TLV_SAR_REF, m->sar_ref);
		wr_tlv8(w, TLV_SAR_TOTAL, m->sar_total);
		wr_tlv8(w, TLV_SAR_SEQ, m->sar_seq);
	}
	if (m->ussd_op >= 0)
		wr_tlv8(w, TLV_USSD_OP, m->ussd_op);
	if (m->its_session >= 0)
		wr_tlv16(w, TLV_ITS_SESSION, m->its_session);
	if (m->user_msg_ref >= 0)
		wr_tlv16(w, TLV_USER_MSG_REF, m->user_msg_ref);
	if (m->message_state >= 0)
		wr_tlv8(w, TLV_MESSAGE_STATE, m->message_state);
	if (m->receipted_id[0])
		wr_tlv(w, TLV_RECEIPTED_ID, m->receipted_id,
		    strnlen(m->receipted_id, sizeof(m->receipted_id) - 1) + 1);
}

int
pdu_encode_sm(uint32_t cmd, uint32_t seq, const struct smpp_sm *m,
    uint8_t *out, size_t cap, const char **errstr)
{
	struct wr	w = { out, FRAME_HDR_LEN, cap < FRAME_MAX_LEN ? cap :
	    FRAME_MAX_LEN, cap < FRAME_HDR_LEN };

	*errstr = NULL;
	if (seq == 0 || m->sm_len > SMPP_SM_MAX ||
	    m->payload_len > SMPP_PAYLOAD_MAX || (cmd != SMPP_SUBMIT_SM &&
	    cmd != SMPP_DELIVER_SM && cmd != SMPP_DATA_SM)) {
		*errstr = "message does not fit one PDU";
		return -1;
	}
	wr_cstr(&w, m->service_type, sizeof(m->service_type));
	wr_u8(&w, m->src_ton);
	wr_u8(&w, m->src_npi);
	wr_cstr(&w, m->src, sizeof(m->src));
	wr_u8(&w, m->dst_ton);
	wr_u8(&w, m->dst_npi);
	wr_cstr(&w, m->dst, sizeof(m->dst));
	wr_u8(&w, m->esm_class);
	if (cmd != SMPP_DATA_SM) {
		wr_u8(&w, m->protocol_id);
		wr_u8(&w, 0);			/* priority_flag */
		wr_u8(&w, 0);			/* schedule_delivery_time "" */
		wr_u8(&w, 0);			/* validity_period "" */
	}
	wr_u8(&w, m->registered_delivery);
	if (cmd != SMPP_DATA_SM)
		wr_u8(&w, 0);			/* replace_if_present_flag */
	wr_u8(&w, m->data_coding);
	if (cmd != SMPP_DATA_SM) {
		wr_u8(&w, 0);			/* sm_default_msg_id */
		wr_u8(&w, m->sm_len);
		wr_bytes(&w, m->sm, m->sm_len);
	}
	wr_tlvs(&w, m);
	if (w.over) {
		*errstr = "message does not fit one PDU";
		return -1;
	}
	frame_hdr_write(out, (uint32_t)w.len, cmd, 0, seq);
	return (int)w.len;
}
