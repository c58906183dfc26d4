/* Frame checks and the libsmpp34 adapter: round trips and hostile PDUs. */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "frame.h"
#include "inbound_decode.h"
#include "smpp_pdu.h"

static struct smpp_sm
sample_deliver(void)
{
	struct smpp_sm	m;

	smpp_sm_init(&m);
	strcpy(m.src, "84912345678");
	strcpy(m.dst, "8077");
	m.src_ton = 1;
	m.src_npi = 1;
	m.data_coding = 8;
	m.sm_len = 4;
	memcpy(m.sm, "\x00H\x00" "D", 4);
	return m;
}

static void
test_round_trip(void)
{
	struct smpp_sm	 in = sample_deliver(), out;
	uint8_t		 buf[FRAME_MAX_LEN];
	const char	*err;
	int		 len;

	in.sar_ref = 0x1234;
	in.sar_total = 3;
	in.sar_seq = 2;
	in.ussd_op = 18;
	in.its_session = 0x0c01;
	strcpy(in.receipted_id, "0A1B2C");
	in.message_state = 2;
	len = smpp_pdu_pack_sm(SMPP_DELIVER_SM, 42, &in, buf, sizeof(buf), &err);
	CHECK(len > FRAME_HDR_LEN, "pack failed: %s", err ? err : "");
	CHECK_INT(smpp_pdu_unpack_sm(buf, (size_t)len, &out, &err), 0);
	CHECK_STR(out.src, "84912345678");
	CHECK_STR(out.dst, "8077");
	CHECK_INT(out.data_coding, 8);
	CHECK_INT(out.sm_len, 4);
	CHECK(memcmp(out.sm, in.sm, 4) == 0, "short_message differs");
	CHECK_INT(out.sar_ref, 0x1234);
	CHECK_INT(out.sar_total, 3);
	CHECK_INT(out.sar_seq, 2);
	CHECK_INT(out.ussd_op, 18);
	CHECK_INT(out.its_session, 0x0c01);
	CHECK_STR(out.receipted_id, "0A1B2C");
	CHECK_INT(out.message_state, 2);
	CHECK_INT(out.payload_len, -1);

	in = sample_deliver();
	in.sm_len = 0;
	in.payload_len = 1024;
	memset(in.payload, 'x', 1024);
	len = smpp_pdu_pack_sm(SMPP_SUBMIT_SM, 7, &in, buf, sizeof(buf), &err);
	CHECK(len > 1024, "payload pack failed");
	CHECK_INT(smpp_pdu_unpack_sm(buf, (size_t)len, &out, &err), 0);
	CHECK_INT(out.payload_len, 1024);
	CHECK_INT(out.payload[1023], 'x');
}

/* Appends a TLV to a packed PDU and fixes command_length. */
static size_t
append_tlv(uint8_t *buf, size_t len, uint16_t tag, uint16_t vlen)
{
	buf[len] = tag >> 8;
	buf[len + 1] = tag & 0xff;
	buf[len + 2] = vlen >> 8;
	buf[len + 3] = vlen & 0xff;
	memset(buf + len + 4, 0, vlen);
	len += 4 + vlen;
	buf[0] = len >> 24; buf[1] = len >> 16; buf[2] = len >> 8; buf[3] = len;
	return len;
}

static void
test_hostile(void)
{
	struct smpp_sm	 in = sample_deliver(), out;
	uint8_t		 buf[FRAME_MAX_LEN];
	const char	*err;
	size_t		 len, base;
	int		 i;

	base = (size_t)smpp_pdu_pack_sm(SMPP_DELIVER_SM, 1, &in, buf,
	    sizeof(buf), &err);
	/* 500 TLVs segfault libsmpp34's trace; they must never reach it. */
	for (len = base, i = 0; i < 500 && len + 6 < sizeof(buf); i++)
		len = append_tlv(buf, len, 0x1400, 1);
	CHECK_INT(smpp_pdu_unpack_sm(buf, len, &out, &err), -1);
	CHECK(err && strstr(err, "TLV"), "err=%s", err ? err : "");

	/* A TLV whose length runs past the end of the PDU. */
	len = append_tlv(buf, base, 0x0424, 10) - 5;
	buf[3] = (uint8_t)len;
	buf[2] = (uint8_t)(len >> 8);
	CHECK_INT(smpp_pdu_unpack_sm(buf, len, &out, &err), -1);

	/* Truncated mandatory fields. */
	for (len = FRAME_HDR_LEN; len < base; len++) {
		uint8_t t[FRAME_MAX_LEN];
		memcpy(t, buf, len);
		t[0] = t[1] = 0; t[2] = (uint8_t)(len >> 8); t[3] = (uint8_t)len;
		CHECK_INT(smpp_pdu_unpack_sm(t, len, &out, &err), -1);
	}
	/* sm_length 255: one more than short_message may hold (fuzzing). */
	in = sample_deliver();
	in.sm_len = 0;
	len = (size_t)smpp_pdu_pack_sm(SMPP_DELIVER_SM, 1, &in, buf,
	    sizeof(buf), &err);
	buf[len - 1] = 0xff;		/* sm_length, the last byte */
	memset(buf + len, 'A', 255);
	len += 255;
	buf[0] = buf[1] = 0; buf[2] = (uint8_t)(len >> 8); buf[3] = (uint8_t)len;
	CHECK_INT(smpp_pdu_unpack_sm(buf, len, &out, &err), -1);
	CHECK(err && strstr(err, "sm_length"), "err=%s", err ? err : "");
	base = (size_t)smpp_pdu_pack_sm(SMPP_DELIVER_SM, 1, &in, buf,
	    sizeof(buf), &err);

	/* command_length that disagrees with the bytes. */
	CHECK_INT(frame_tlv_count(buf, base - 1, &err), -1);
}

static void
test_frame(void)
{
	struct frame_hdr	h;
	uint8_t			b[64];
	char			id[65];
	uint32_t		len;
	const char		*why;

	CHECK(frame_len_check(15) != NULL, "15 accepted");
	CHECK(frame_len_check(16) == NULL, "16 refused");
	CHECK(frame_len_check(FRAME_MAX_LEN) == NULL, "the longest refused");
	CHECK(frame_len_check(FRAME_MAX_LEN + 1) != NULL, "one more accepted");
	CHECK(frame_len_check(0xffffffffu) != NULL, "huge accepted");
	CHECK_INT(frame_hdr_read(b, 15, &h), -1);

	/* A stream: whole frames, frames still arriving, garbage. */
	memset(b, 0, sizeof(b));
	frame_hdr_write(b, 17, SMPP_ENQUIRE_LINK, 0, 1);
	CHECK_INT(frame_next(b, 3, &len, &why), 0);
	CHECK_INT(len, 0);
	CHECK_INT(frame_next(b, 16, &len, &why), 0);
	CHECK_INT(len, 17);
	CHECK(why == NULL, "why set");
	CHECK_INT(frame_next(b, 17, &len, &why), 1);
	CHECK_INT(frame_next(b, 40, &len, &why), 1);
	CHECK_INT(len, 17);
	frame_hdr_write(b, 15, SMPP_ENQUIRE_LINK, 0, 1);
	CHECK_INT(frame_next(b, 40, &len, &why), -1);
	CHECK(why != NULL, "no reason");
	CHECK_INT(len, 15);
	frame_hdr_write(b, FRAME_MAX_LEN + 1, SMPP_DELIVER_SM, 0, 1);
	CHECK_INT(frame_next(b, 4, &len, &why), -1);

	/* An error submit_sm_resp with a NUL body: libsmpp34 refuses these. */
	CHECK_INT(frame_resp_write(b, sizeof(b), 0x80000004, 0x58, 9, ""), 17);
	CHECK_INT(frame_hdr_read(b, 17, &h), 0);
	CHECK_INT(h.len, 17);
	CHECK_INT(h.status, 0x58);
	CHECK_INT(h.seq, 9);
	CHECK_INT(frame_resp_id(b, 17, id, sizeof(id)), 0);
	frame_resp_write(b, sizeof(b), 0x80000004, 0, 10, "000123");
	CHECK_INT(frame_resp_id(b, 23, id, sizeof(id)), 6);
	CHECK_STR(id, "000123");
	/* A body without its NUL is still read, within the frame. */
	CHECK_INT(frame_resp_id(b, 19, id, sizeof(id)), 3);
	CHECK_STR(id, "000");
	CHECK_STR(frame_cmd_name(0x80000009), "bind_transceiver_resp");
	CHECK_STR(frame_cmd_name(0x12345), "unknown");
}

static void
test_bind(void)
{
	struct smpp_bind in, out;
	uint8_t		 buf[256];
	const char	*err;
	int		 len;

	memset(&in, 0, sizeof(in));
	in.cmd = SMPP_BIND_TRANSCEIVER;
	strcpy(in.system_id, "motcua");
	strcpy(in.password, "secret");
	len = smpp_pdu_pack_bind(&in, 1, buf, sizeof(buf), &err);
	CHECK(len > 16, "bind pack failed");
	CHECK_INT(smpp_pdu_unpack_bind(buf, (size_t)len, &out, &err), 0);
	CHECK_STR(out.system_id, "motcua");
	CHECK_STR(out.password, "secret");
	CHECK_INT(out.interface_version, 0x34);
	strcpy(in.password, "toolong12");
	CHECK_INT(smpp_pdu_pack_bind(&in, 1, buf, sizeof(buf), &err), -1);
}

static uint32_t rng = 2463534242u;

static uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng % n;
}

static void
rnd_str(char *s, size_t max)
{
	size_t	n = rnd((uint32_t)max), i;

	for (i = 0; i < n; i++)
		s[i] = (char)('0' + rnd(10));
	s[n] = '\0';
}

/* A message libsmpp34 accepts: valid TON/NPI, fields within their sizes. */
static void
rnd_sm(struct smpp_sm *m)
{
	static const uint8_t npis[] = { 0, 1, 3, 4, 6, 8, 9, 10, 14, 18 };
	size_t	i;

	smpp_sm_init(m);
	rnd_str(m->service_type, sizeof(m->service_type));
	m->src_ton = (uint8_t)rnd(7);
	m->src_npi = npis[rnd(sizeof(npis))];
	rnd_str(m->src, sizeof(m->src));
	m->dst_ton = (uint8_t)rnd(7);
	m->dst_npi = npis[rnd(sizeof(npis))];
	rnd_str(m->dst, sizeof(m->dst));
	m->esm_class = (uint8_t)rnd(256);
	m->protocol_id = (uint8_t)rnd(256);
	m->registered_delivery = (uint8_t)rnd(2);
	m->data_coding = (uint8_t)rnd(9);
	m->sm_len = (uint16_t)rnd(SMPP_SM_MAX + 1);
	for (i = 0; i < m->sm_len; i++)
		m->sm[i] = (uint8_t)rnd(256);
	if (rnd(3) == 0) {
		m->payload_len = (int)rnd(SMPP_LIB_TLV_MAX + 1);
		for (i = 0; i < (size_t)m->payload_len; i++)
			m->payload[i] = (uint8_t)rnd(256);
	}
	if (rnd(3) == 0) {
		m->sar_ref = (int)rnd(65536);
		m->sar_total = 1 + (int)rnd(255);
		m->sar_seq = 1 + (int)rnd(255);
	}
	if (rnd(3) == 0)
		m->ussd_op = (int)rnd(256);
	if (rnd(3) == 0)
		m->its_session = (int)rnd(65536);
	if (rnd(4) == 0)
		m->message_state = 1 + (int)rnd(8);
	if (rnd(4) == 0)
		rnd_str(m->receipted_id, sizeof(m->receipted_id));
	if (m->receipted_id[0] == '\0' && rnd(2))
		strcpy(m->receipted_id, "0A1B2C");
}

static int
same_sm(const struct smpp_sm *a, const struct smpp_sm *b)
{
	return strcmp(a->service_type, b->service_type) == 0 &&
	    a->src_ton == b->src_ton && a->src_npi == b->src_npi &&
	    strcmp(a->src, b->src) == 0 && a->dst_ton == b->dst_ton &&
	    a->dst_npi == b->dst_npi && strcmp(a->dst, b->dst) == 0 &&
	    a->esm_class == b->esm_class && a->data_coding == b->data_coding &&
	    a->registered_delivery == b->registered_delivery &&
	    a->sm_len == b->sm_len && memcmp(a->sm, b->sm, a->sm_len) == 0 &&
	    a->payload_len == b->payload_len && (a->payload_len <= 0 ||
	    memcmp(a->payload, b->payload, (size_t)a->payload_len) == 0) &&
	    a->sar_ref == b->sar_ref && a->sar_total == b->sar_total &&
	    a->sar_seq == b->sar_seq && a->ussd_op == b->ussd_op &&
	    a->its_session == b->its_session &&
	    a->message_state == b->message_state &&
	    strcmp(a->receipted_id, b->receipted_id) == 0;
}

static int
tlv_count(const struct smpp_sm *m)
{
	return (m->payload_len >= 0) + 3 * (m->sar_ref >= 0) +
	    (m->ussd_op >= 0) + (m->its_session >= 0) +
	    (m->message_state >= 0) + (m->receipted_id[0] != '\0');
}

/*
 * The fast codec and libsmpp34 read each other's PDUs identically, for
 * deliver_sm and submit_sm, and build byte-identical ones.
 */
static void
test_cross_check(void)
{
	static const uint32_t cmds[] = { SMPP_DELIVER_SM, SMPP_SUBMIT_SM };
	struct smpp_sm	 m, got;
	uint8_t		 fast[FRAME_MAX_LEN], lib[FRAME_MAX_LEN];
	const char	*err;
	int		 i, nf, nl, agree = 0, bytes = 0;

	for (i = 0; i < 2000; i++) {
		uint32_t cmd = cmds[i % 2];
		rnd_sm(&m);
		nf = smpp_pdu_pack_sm(cmd, (uint32_t)i + 1, &m, fast,
		    sizeof(fast), &err);
		nl = smpp_pdu_lib_pack_sm(cmd, (uint32_t)i + 1, &m, lib,
		    sizeof(lib), &err);
		if (nf < 0 || nl < 0) {
			CHECK(nf < 0 && nl < 0, "only one codec packed #%d "
			    "(fast %d, lib %d)", i, nf, nl);
			continue;
		}
		/* libsmpp34 prepends TLVs: bytes agree when order cannot differ. */
		if (tlv_count(&m) <= 1) {
			bytes++;
			CHECK(nf == nl && memcmp(fast, lib, (size_t)nf) == 0,
			    "#%d: different bytes for the same message", i);
		}
		agree += smpp_pdu_lib_unpack_sm(fast, (size_t)nf, &got, &err)
		    == 0 && same_sm(&m, &got);
		agree += smpp_pdu_unpack_sm(lib, (size_t)nl, &got, &err) == 0 &&
		    same_sm(&m, &got);
	}
	CHECK_INT(agree, 4000);
	CHECK(bytes > 200, "only %d messages compared byte for byte", bytes);
}

/*
 * A deliver_sm with a message_payload of n octets of ud, repeated: as an
 * SMSC that joins long messages itself sends it (issue 16). Into buf,
 * FRAME_MAX_LEN bytes; returns the PDU's length.
 */
static size_t
long_payload(uint8_t *buf, int dc, const char *ud, size_t udlen, size_t n)
{
	struct smpp_sm	 m = sample_deliver();
	const char	*err;
	size_t		 len, i;

	m.sm_len = 0;
	m.data_coding = (uint8_t)dc;
	len = (size_t)smpp_pdu_pack_sm(SMPP_DELIVER_SM, 9, &m, buf,
	    FRAME_MAX_LEN, &err);
	len = append_tlv(buf, len, 0x0424, (uint16_t)n);
	for (i = 0; i < n; i++)
		buf[len - n + i] = (uint8_t)ud[i % udlen];
	return len;
}

/* What the daemon makes of it: decoded, then read as a message. */
static void
long_case(int dc, const char *ud, size_t udlen, size_t n, size_t kept,
    size_t text_len, int cut)
{
	static uint8_t		 buf[FRAME_MAX_LEN];
	static struct inbound_pdu d;
	struct inbound_cfg	 cfg = { TEXT_GSM7, "84" };
	struct smpp_sm		 m;
	const char		*err = NULL;
	size_t			 len = long_payload(buf, dc, ud, udlen, n);
	uint32_t		 flen;
	const char		*why;

	CHECK_INT(frame_next(buf, len, &flen, &why), 1);
	CHECK_INT(smpp_pdu_unpack_sm(buf, len, &m, &err), 0);
	CHECK(err == NULL, "n=%zu: %s", n, err);
	CHECK_INT(m.payload_len, kept);
	CHECK_INT(m.payload_cut, n - kept);
	CHECK_INT(inbound_decode(&m, &cfg, &d), 0);
	CHECK_INT(d.what, INBOUND_SMS);
	CHECK_INT(strlen(d.msg.text), text_len);
	CHECK_INT(d.msg.cut, cut);
	CHECK(strncmp(d.msg.text, dc == 8 ? "\xe1\xbb\x91" : ud, udlen < 3 ?
	    3 : udlen) == 0, "n=%zu: text starts \"%.20s\"", n, d.msg.text);
}

/*
 * A long message_payload is a message, up to SMPP's 64 KiB: kept whole
 * up to the store's limit, and cut there, never refused (0x65 made the
 * SMSC drop it).
 */
static void
test_long_payload(void)
{
	static const char	gsm[] = "PA duong lang bi ngap nuoc. ";
	/* "ố" in UCS-2: 3 bytes of UTF-8 for 2 octets */
	static const char	ucs2[] = "\x1e\xd1";
	static uint8_t		buf[FRAME_MAX_LEN];
	struct smpp_sm		m;
	const char		*err;
	uint32_t		flen;
	size_t			len;

	/* The 7 parts, joined: 1,070 characters. */
	long_case(0, gsm, sizeof(gsm) - 1, 1070, 1070, 1070, 0);
	long_case(0, gsm, sizeof(gsm) - 1, 4095, 4095, 4095, 0);
	/* Longer than the store keeps: its first 4,095 bytes, said so. */
	long_case(0, gsm, sizeof(gsm) - 1, 4096, 4096, 4095, 1);
	long_case(0, gsm, sizeof(gsm) - 1, 65000, SMPP_PAYLOAD_MAX, 4095, 1);
	long_case(0, gsm, sizeof(gsm) - 1, 65535, SMPP_PAYLOAD_MAX, 4095, 1);
	/* UCS-2 cut between characters: 1,365 of 3 bytes each. */
	long_case(8, ucs2, 2, 2730, 2730, 4095, 0);
	long_case(8, ucs2, 2, 2732, 2732, 4095, 1);
	long_case(8, ucs2, 2, 30000, SMPP_PAYLOAD_MAX, 4095, 1);
	/* libsmpp34 holds 1 KiB a TLV: the reference refuses, never overruns. */
	len = long_payload(buf, 0, gsm, sizeof(gsm) - 1, 2000);
	CHECK_INT(smpp_pdu_lib_unpack_sm(buf, len, &m, &err), -1);
	len = long_payload(buf, 0, gsm, sizeof(gsm) - 1, SMPP_LIB_TLV_MAX);
	CHECK_INT(smpp_pdu_lib_unpack_sm(buf, len, &m, &err), 0);
	CHECK_INT(m.payload_len, SMPP_LIB_TLV_MAX);
	m.payload_len = SMPP_LIB_TLV_MAX + 1;
	CHECK_INT(smpp_pdu_lib_pack_sm(SMPP_DELIVER_SM, 1, &m, buf,
	    FRAME_MAX_LEN, &err), -1);
	/* A command_length past the longest payload is a broken stream. */
	buf[0] = 0; buf[1] = 1; buf[2] = 4; buf[3] = 1;	/* 66,561 */
	CHECK_INT(frame_next(buf, 4, &flen, &err), -1);
}

int
main(void)
{
	test_frame();
	test_round_trip();
	test_hostile();
	test_bind();
	test_cross_check();
	test_long_payload();
	return check_report("smpp_pdu");
}
