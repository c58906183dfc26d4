/*
 * Writes the seed corpus of fuzz_pdu: PDUs as an SMSC sends them, packed
 * by the daemon's own adapter and text encoder, one file each.
 *	make -f tests/fuzz/fuzz.mk seeds
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "smpp_pdu.h"
#include "text.h"

static const char	*dir;
static uint32_t		 seq = 1;

static void
put(const char *name, const uint8_t *b, size_t n)
{
	char	 path[512];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "wb")) == NULL || fwrite(b, 1, n, f) != n) {
		perror(path);
		exit(1);
	}
	fclose(f);
}

static struct smpp_sm
from_phone(const char *src)
{
	struct smpp_sm	m;

	smpp_sm_init(&m);
	snprintf(m.src, sizeof(m.src), "%s", src);
	snprintf(m.dst, sizeof(m.dst), "8077");
	m.src_ton = 1;
	m.src_npi = 1;
	return m;
}

/* Part i of text as a phone sends it (charset cs). */
static void
set_text(struct smpp_sm *m, const char *text, enum text_charset cs, int i)
{
	struct text_parts	t;

	text_encode_parts(text, cs, 10, 0x2A, &t);
	m->data_coding = (uint8_t)t.data_coding;
	m->esm_class = (uint8_t)t.esm_class;
	m->sm_len = (uint16_t)t.part[i].len;
	memcpy(m->sm, t.part[i].bytes, t.part[i].len);
}

static void
pack(const char *name, uint32_t cmd, const struct smpp_sm *m)
{
	uint8_t		 buf[FRAME_MAX_LEN];
	const char	*err;
	int		 len;

	if ((len = smpp_pdu_pack_sm(cmd, seq++, m, buf, sizeof(buf),
	    &err)) == -1) {
		fprintf(stderr, "%s: %s\n", name, err);
		exit(1);
	}
	put(name, buf, (size_t)len);
}

static void
messages(void)
{
	static const char longtext[] = "Kính gửi UBND xã Vĩnh Hòa, tôi tên "
	    "là Trần Thị Mai ở thôn Đông, xin phản ánh đường liên thôn bị "
	    "ngập nước nhiều ngày, xe máy không đi được, đề nghị xã cho "
	    "khơi thông cống thoát nước. Xin cảm ơn.";
	struct smpp_sm	m;

	m = from_phone("84912345678");
	set_text(&m, "TC MC2500429", TEXT_CS_GSM7, 0);
	pack("deliver_gsm7_status", SMPP_DELIVER_SM, &m);

	m = from_phone("0912345678");
	m.src_ton = 2;
	set_text(&m, "Nộp KS Nguyễn Văn An, sinh 12/3/2025", TEXT_CS_UCS2, 0);
	pack("deliver_ucs2_submit", SMPP_DELIVER_SM, &m);

	m = from_phone("84388000111");
	set_text(&m, longtext, TEXT_CS_UCS2, 1);
	pack("deliver_ucs2_udh_part2", SMPP_DELIVER_SM, &m);

	m = from_phone("84388000111");
	set_text(&m, "tra cuu ho so MC-2500429 {gap} 100€", TEXT_CS_GSM7, 0);
	pack("deliver_gsm7_escapes", SMPP_DELIVER_SM, &m);

	m = from_phone("84977000222");
	m.data_coding = 3;	/* Latin-1 */
	m.sm_len = 13;
	memcpy(m.sm, "Tr\xe0" " c\xfa" "u h\xf4" " s\xf4", 13);
	pack("deliver_latin1", SMPP_DELIVER_SM, &m);

	m = from_phone("84977000222");
	set_text(&m, "pa den duong thon 3 hong", TEXT_CS_GSM7, 0);
	m.sar_ref = 0x1234;
	m.sar_total = 2;
	m.sar_seq = 1;
	pack("deliver_sar_part1", SMPP_DELIVER_SM, &m);

	/* A long message in message_payload, short_message empty. */
	m = from_phone("84912345678");
	set_text(&m, longtext, TEXT_CS_UCS2, 0);
	m.esm_class = 0;
	m.payload_len = (int)m.sm_len - 6;
	memcpy(m.payload, m.sm + 6, (size_t)m.payload_len);
	m.sm_len = 0;
	pack("deliver_payload_ucs2", SMPP_DELIVER_SM, &m);

	/* USSD over data_sm: a session and a menu choice. */
	m = from_phone("84912345678");
	m.ussd_op = 1;
	m.its_session = 0x0c01;
	m.payload_len = 6;
	memcpy(m.payload, "*8077#", 6);
	pack("data_sm_ussd_begin", SMPP_DATA_SM, &m);

	m = from_phone("84912345678");
	m.ussd_op = 18;
	m.its_session = 0x0c02;
	m.sm_len = 1;
	m.sm[0] = '2';
	pack("deliver_ussd_continue", SMPP_DELIVER_SM, &m);

	/* Alphanumeric sender (TON 5): not a phone number. */
	m = from_phone("VIETTEL");
	m.src_ton = 5;
	m.src_npi = 0;
	set_text(&m, "Tai khoan cua quy khach con 5000d", TEXT_CS_GSM7, 0);
	pack("deliver_alnum_sender", SMPP_DELIVER_SM, &m);

	m = from_phone("8077");
	snprintf(m.dst, sizeof(m.dst), "84912345678");
	set_text(&m, "Hồ sơ MC2500429: đã có kết quả.", TEXT_CS_AUTO, 0);
	m.registered_delivery = 1;
	pack("submit_sm_reply", SMPP_SUBMIT_SM, &m);
}

static void
receipts(void)
{
	static const char text[] = "id:0A1B2C3D sub:001 dlvrd:001 submit "
	    "date:2506091030 done date:2506091031 stat:DELIVRD err:000 "
	    "text:Ho so MC2500429";
	struct smpp_sm	m;

	m = from_phone("84912345678");
	m.esm_class = SMPP_ESM_DLR;
	m.sm_len = sizeof(text) - 1;
	memcpy(m.sm, text, m.sm_len);
	pack("deliver_receipt_text", SMPP_DELIVER_SM, &m);

	m = from_phone("84912345678");
	m.esm_class = SMPP_ESM_DLR;
	snprintf(m.receipted_id, sizeof(m.receipted_id), "169552957");
	m.message_state = 5;
	m.sm_len = 58;
	memcpy(m.sm, "id:169552957 sub:001 dlvrd:000 submit_date:250609103012 "
	    "st", 58);
	pack("deliver_receipt_tlv", SMPP_DELIVER_SM, &m);

	/* receipted_message_id, no message_state, a text that is no receipt:
	 * on_receipt() recorded stat "?" (0), a state that is never final. */
	m = from_phone("84912345678");
	m.esm_class = SMPP_ESM_DLR;
	snprintf(m.receipted_id, sizeof(m.receipted_id), "0A1B2C3D");
	m.sm_len = 3;
	memcpy(m.sm, "ACK", 3);
	pack("regress_receipt_without_state", SMPP_DELIVER_SM, &m);
}

static void
control(void)
{
	struct smpp_bind	 b;
	uint8_t			 buf[512], two[64];
	const char		*err;
	int			 len;

	memset(&b, 0, sizeof(b));
	b.cmd = SMPP_BIND_TRANSCEIVER;
	snprintf(b.system_id, sizeof(b.system_id), "motcua");
	snprintf(b.password, sizeof(b.password), "secret");
	snprintf(b.system_type, sizeof(b.system_type), "VMA");
	if ((len = smpp_pdu_pack_bind(&b, seq++, buf, sizeof(buf), &err)) < 0)
		exit(1);
	put("bind_transceiver", buf, (size_t)len);

	len = frame_resp_write(buf, sizeof(buf), 0x80000004, 0, 7, "0A1B2C3D");
	put("submit_sm_resp", buf, (size_t)len);
	len = frame_resp_write(buf, sizeof(buf), 0x80000004, 0x58, 8, "");
	put("submit_sm_resp_throttled", buf, (size_t)len);
	len = frame_resp_write(buf, sizeof(buf), 0x80000009, 0, 1, "SMSC");
	put("bind_transceiver_resp", buf, (size_t)len);
	frame_hdr_write(buf, 16, 0x80000000, 3, 9);
	put("generic_nack", buf, 16);

	/* Two frames in one read: enquire_link then unbind. */
	frame_hdr_write(two, 16, 0x15, 0, 10);
	frame_hdr_write(two + 16, 16, 0x06, 0, 11);
	put("stream_enquire_unbind", two, 32);
}

/* What inbound_decode() takes apart beyond the common case. */
static void
edges(void)
{
	struct smpp_sm	m;

	/* A 16-bit reference (IE 0x08), and a UDH longer than the message. */
	m = from_phone("84977000222");
	m.esm_class = SMPP_ESM_UDHI;
	m.sm_len = 13;
	memcpy(m.sm, "\x06\x08\x04\xbe\xef\x02\x01" "ho so ", 13);
	pack("deliver_udh16_part1", SMPP_DELIVER_SM, &m);
	m.sm_len = 4;
	memcpy(m.sm, "\x05\x00\x03\x2a", 4);
	pack("deliver_udh_malformed", SMPP_DELIVER_SM, &m);

	/* sar TLVs naming a part beyond the set: acknowledged, dropped. */
	m = from_phone("84977000222");
	set_text(&m, "thon 3", TEXT_CS_GSM7, 0);
	m.sar_ref = 7;
	m.sar_total = 2;
	m.sar_seq = 3;
	pack("deliver_sar_beyond_set", SMPP_DELIVER_SM, &m);

	/* An intermediate notification (esm_class 0x08), TLVs only. */
	m = from_phone("84912345678");
	m.esm_class = 0x08;
	snprintf(m.receipted_id, sizeof(m.receipted_id), "0A1B2C3D");
	m.message_state = 6;
	pack("deliver_receipt_intermediate", SMPP_DELIVER_SM, &m);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: gen_pdu_seeds DIR\n");
		return 1;
	}
	dir = argv[1];
	messages();
	receipts();
	control();
	edges();
	return 0;
}
