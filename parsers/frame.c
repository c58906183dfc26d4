/*
 * SMPP frame checks. The daemon calls these on every PDU before libsmpp34
 * sees it: the library trusts lengths, overflows a global trace buffer on
 * many TLVs and cannot read error responses, so the shape is checked here.
 */
#include <string.h>

#include "frame.h"

/* Command ids, from SMPP 3.4 section 5.1.2.1. */
enum {
	CMD_BIND_RECEIVER = 0x01, CMD_BIND_TRANSMITTER = 0x02,
	CMD_SUBMIT_SM = 0x04, CMD_DELIVER_SM = 0x05, CMD_UNBIND = 0x06,
	CMD_BIND_TRANSCEIVER = 0x09, CMD_ENQUIRE_LINK = 0x15,
	CMD_DATA_SM = 0x103, CMD_RESP = 0x80000000
};

/*
 * TLVs that libsmpp34 reads as an integer of their type, whatever length
 * they declare (libsmpp34 def_frame/NAME.tlv): any other length shifts all
 * later TLVs, and the library would see TLVs this file never counted.
 */
static const struct {
	uint16_t	tag;
	uint8_t		len;
} fixed_tlvs[] = {
	{ 0x0005, 1 }, { 0x0006, 1 }, { 0x0007, 1 }, { 0x0008, 2 },
	{ 0x000D, 1 }, { 0x000E, 1 }, { 0x000F, 1 }, { 0x0010, 1 },
	{ 0x0017, 4 }, { 0x0019, 1 }, { 0x0030, 1 }, { 0x0201, 1 },
	{ 0x0204, 2 }, { 0x0205, 1 }, { 0x020A, 2 }, { 0x020B, 2 },
	{ 0x020C, 2 }, { 0x020D, 1 }, { 0x020E, 1 }, { 0x020F, 1 },
	{ 0x0210, 1 }, { 0x0302, 1 }, { 0x0304, 1 }, { 0x0420, 1 },
	{ 0x0421, 1 }, { 0x0422, 1 }, { 0x0425, 1 }, { 0x0426, 1 },
	{ 0x0427, 1 }, { 0x1201, 1 }, { 0x1203, 2 }, { 0x1204, 1 },
	{ 0x1380, 1 }, { 0x1383, 2 },
};

struct cursor {
	const uint8_t	*p;
	size_t		 left;
	const char	*err;
};

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

int
frame_hdr_read(const uint8_t *b, size_t n, struct frame_hdr *h)
{
	if (n < FRAME_HDR_LEN)
		return -1;
	h->len = get32(b);
	h->id = get32(b + 4);
	h->status = get32(b + 8);
	h->seq = get32(b + 12);
	return 0;
}

const char *
frame_len_check(uint32_t len)
{
	if (len < FRAME_HDR_LEN)
		return "command_length below 16";
	if (len > FRAME_MAX_LEN)
		return "command_length above 66560";
	return NULL;
}

int
frame_next(const uint8_t *b, size_t avail, uint32_t *len, const char **why)
{
	*len = 0;
	*why = NULL;
	if (avail < 4)
		return 0;
	*len = get32(b);
	if ((*why = frame_len_check(*len)) != NULL)
		return -1;
	return avail >= *len;
}

void
frame_hdr_write(uint8_t *b, uint32_t len, uint32_t id, uint32_t status,
    uint32_t seq)
{
	put32(b, len);
	put32(b + 4, id);
	put32(b + 8, status);
	put32(b + 12, seq);
}

static void
skip(struct cursor *c, size_t n)
{
	if (c->err)
		return;
	if (c->left < n) {
		c->err = "field runs past the end of the PDU";
		return;
	}
	c->p += n;
	c->left -= n;
}

/* A C-string of at most max bytes including its NUL. */
static void
skip_cstr(struct cursor *c, size_t max)
{
	const uint8_t	*nul;
	size_t		 span;

	if (c->err)
		return;
	span = c->left < max ? c->left : max;
	nul = memchr(c->p, '\0', span);
	if (nul == NULL) {
		c->err = "C-string unterminated or too long";
		return;
	}
	skip(c, (size_t)(nul - c->p) + 1);
}

static uint8_t
take8(struct cursor *c)
{
	uint8_t	v;

	if (c->err || c->left < 1) {
		c->err = "field runs past the end of the PDU";
		return 0;
	}
	v = *c->p;
	skip(c, 1);
	return v;
}

/* service_type, source and destination: common to submit, deliver, data_sm. */
static void
skip_addresses(struct cursor *c, size_t dst_max)
{
	skip_cstr(c, 6);
	skip(c, 2);
	skip_cstr(c, 21);
	skip(c, 2);
	skip_cstr(c, dst_max);
}

static int
tlv_len_ok(uint16_t tag, size_t len)
{
	size_t	i;

	for (i = 0; i < sizeof(fixed_tlvs) / sizeof(fixed_tlvs[0]); i++)
		if (fixed_tlvs[i].tag == tag)
			return fixed_tlvs[i].len == len;
	return 1;
}

static void
skip_mandatory(struct cursor *c, uint32_t id)
{
	switch (id) {
	case CMD_SUBMIT_SM:
	case CMD_DELIVER_SM:
		skip_addresses(c, 21);
		skip(c, 3);		/* esm_class, protocol_id, priority */
		skip_cstr(c, 17);	/* schedule_delivery_time */
		skip_cstr(c, 17);	/* validity_period */
		skip(c, 4);		/* registered_delivery .. sm_default_msg_id */
		skip(c, take8(c));	/* sm_length, short_message */
		break;
	case CMD_DATA_SM:
		skip_addresses(c, 65);	/* data_sm allows longer destinations */
		skip(c, 3);		/* esm_class, registered_delivery, data_coding */
		break;
	case CMD_BIND_RECEIVER:
	case CMD_BIND_TRANSMITTER:
	case CMD_BIND_TRANSCEIVER:
		skip_cstr(c, 16);
		skip_cstr(c, 9);
		skip_cstr(c, 13);
		skip(c, 3);
		skip_cstr(c, 41);
		break;
	case CMD_RESP | CMD_SUBMIT_SM:
	case CMD_RESP | CMD_DELIVER_SM:
	case CMD_RESP | CMD_DATA_SM:
	case CMD_RESP | CMD_BIND_RECEIVER:
	case CMD_RESP | CMD_BIND_TRANSMITTER:
	case CMD_RESP | CMD_BIND_TRANSCEIVER:
		if (c->left > 0)
			skip_cstr(c, 65);
		break;
	default:
		break;
	}
}

int
frame_tlv_count(const uint8_t *b, size_t n, const char **errstr)
{
	struct frame_hdr	h;
	struct cursor		c;
	int			count = 0;

	*errstr = NULL;
	if (frame_hdr_read(b, n, &h) == -1 || h.len != n) {
		*errstr = "command_length does not match the PDU";
		return -1;
	}
	c.p = b + FRAME_HDR_LEN;
	c.left = n - FRAME_HDR_LEN;
	c.err = NULL;
	skip_mandatory(&c, h.id);
	while (c.err == NULL && c.left > 0) {
		if (c.left < 4) {
			c.err = "truncated TLV header";
			break;
		}
		size_t vlen = (size_t)c.p[2] << 8 | c.p[3];
		if (!tlv_len_ok((uint16_t)(c.p[0] << 8 | c.p[1]), vlen)) {
			c.err = "TLV length does not fit its tag";
			break;
		}
		skip(&c, 4);
		skip(&c, vlen);
		if (c.err)
			c.err = "TLV length runs past the end of the PDU";
		else
			count++;
	}
	if (c.err) {
		*errstr = c.err;
		return -1;
	}
	return count;
}

int
frame_resp_id(const uint8_t *b, size_t n, char *out, size_t cap)
{
	const uint8_t	*body = b + FRAME_HDR_LEN;
	const uint8_t	*nul;
	size_t		 len;

	if (cap == 0)
		return -1;
	out[0] = '\0';
	if (n <= FRAME_HDR_LEN)
		return 0;
	nul = memchr(body, '\0', n - FRAME_HDR_LEN);
	len = nul ? (size_t)(nul - body) : n - FRAME_HDR_LEN;
	if (len >= cap)
		return -1;
	memcpy(out, body, len);
	out[len] = '\0';
	return (int)len;
}

int
frame_resp_write(uint8_t *b, size_t cap, uint32_t id, uint32_t status,
    uint32_t seq, const char *body)
{
	size_t	blen = body ? strlen(body) + 1 : 0;
	size_t	len = FRAME_HDR_LEN + blen;

	if (len > cap || len > FRAME_MAX_LEN)
		return -1;
	frame_hdr_write(b, (uint32_t)len, id, status, seq);
	if (blen)
		memcpy(b + FRAME_HDR_LEN, body, blen);
	return (int)len;
}

const char *
frame_cmd_name(uint32_t id)
{
	static const struct { uint32_t id; const char *name; } names[] = {
		{ 0x80000000, "generic_nack" },
		{ 0x01, "bind_receiver" }, { 0x80000001, "bind_receiver_resp" },
		{ 0x02, "bind_transmitter" },
		{ 0x80000002, "bind_transmitter_resp" },
		{ 0x04, "submit_sm" }, { 0x80000004, "submit_sm_resp" },
		{ 0x05, "deliver_sm" }, { 0x80000005, "deliver_sm_resp" },
		{ 0x06, "unbind" }, { 0x80000006, "unbind_resp" },
		{ 0x09, "bind_transceiver" },
		{ 0x80000009, "bind_transceiver_resp" },
		{ 0x0B, "outbind" }, { 0x102, "alert_notification" },
		{ 0x15, "enquire_link" }, { 0x80000015, "enquire_link_resp" },
		{ 0x103, "data_sm" }, { 0x80000103, "data_sm_resp" },
	};
	size_t	i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].id == id)
			return names[i].name;
	return "unknown";
}
