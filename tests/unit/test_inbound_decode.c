/*
 * What the daemon makes of a deliver_sm before storing it: text in each
 * alphabet, where the user data is, long messages, receipts, USSD, and
 * every way a PDU is answered without being kept.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "inbound_decode.h"

static const struct inbound_cfg	gsm7 = { TEXT_GSM7, "84" };

static struct smpp_sm
from_phone(const char *src)
{
	struct smpp_sm	m;

	smpp_sm_init(&m);
	strcpy(m.src, src);
	strcpy(m.dst, "8077");
	m.src_ton = 1;
	m.src_npi = 1;
	return m;
}

static void
set_sm(struct smpp_sm *m, const char *bytes, size_t n)
{
	memcpy(m->sm, bytes, n);
	m->sm_len = (uint16_t)n;
}

static void
set_payload(struct smpp_sm *m, const char *bytes, size_t n)
{
	memcpy(m->payload, bytes, n);
	m->payload_len = (int)n;
}

static void
test_alphabets(void)
{
	struct smpp_sm		m;
	struct inbound_pdu	d;
	static const struct inbound_cfg latin1 = { TEXT_LATIN1, "84" };
	static const struct inbound_cfg ascii = { TEXT_ASCII, "84" };

	/* GSM 03.38, unpacked, with '@' at 0x00 and an escaped euro. */
	m = from_phone("84912345678");
	set_sm(&m, "TRA\x00" "CUU 5\x1b\x65", 11);
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(d.what, INBOUND_SMS);
	CHECK_INT(d.status, SMPP_ROK);
	CHECK(d.why == NULL, "why set");
	CHECK_STR(d.msg.text, "TRA@CUU 5€");
	CHECK_STR(d.msg.kind, "sms");
	CHECK_STR(d.msg.msisdn, "84912345678");
	CHECK_STR(d.msg.dest, "8077");
	CHECK_INT(d.msg.concat.total, 0);
	CHECK_INT(d.msg.ussd_op, -1);
	CHECK_INT(d.msg.its_session, -1);
	CHECK_INT(d.msg.user_msg_ref, -1);
	CHECK(d.rcpt.id[0] == '\0', "a message has a receipt id");

	/* UCS-2, decomposed as some phones send it: stored in NFC. */
	m = from_phone("84912345678");
	m.data_coding = 8;
	set_sm(&m, "\x00" "H\x00" "o\x00" "\x20\x00" "s\x01\xa1\x03\x01", 12);
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_STR(d.msg.text, "Ho sớ");
	/* A surrogate pair, and half a code unit left over. */
	set_sm(&m, "\xd8\x3d\xde\x00\x00", 5);
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_STR(d.msg.text, "😀\xef\xbf\xbd");

	/* Latin-1 by data_coding 3, and by the link's default alphabet. */
	m = from_phone("84912345678");
	m.data_coding = 3;
	set_sm(&m, "caf\xe9", 4);
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_STR(d.msg.text, "café");
	m.data_coding = 0;
	CHECK_INT(inbound_decode(&m, &latin1, &d), 0);
	CHECK_STR(d.msg.text, "café");
	/* An ASCII link has no character above 0x7F. */
	CHECK_INT(inbound_decode(&m, &ascii, &d), 0);
	CHECK_STR(d.msg.text, "caf\xef\xbf\xbd");
	/* 8-bit data that is valid UTF-8 is read as UTF-8. */
	m.data_coding = 4;
	set_sm(&m, "h\xe1\xbb\x93 s\xc6\xa1", 8);
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_STR(d.msg.text, "hồ sơ");
}

static void
test_body(void)
{
	struct smpp_sm		m;
	struct inbound_pdu	d;
	char			big[1024];
	size_t			i;

	/* message_payload when short_message is empty. */
	m = from_phone("0912345678");
	set_payload(&m, "TRA CUU MC2500429", 17);
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(d.what, INBOUND_SMS);
	CHECK_STR(d.msg.text, "TRA CUU MC2500429");
	CHECK_STR(d.msg.msisdn, "84912345678");
	/* short_message wins when both are there. */
	set_sm(&m, "HUY", 3);
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_STR(d.msg.text, "HUY");
	/* An empty payload is an empty message. */
	m = from_phone("0912345678");
	set_payload(&m, "", 0);
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(d.what, INBOUND_SMS);
	CHECK_STR(d.msg.text, "");
	/* The largest payload fits whole. */
	memset(big, 'a', sizeof(big));
	m = from_phone("0912345678");
	set_payload(&m, big, sizeof(big));
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(strlen(d.msg.text), 1024);
	/* ...and so does one of 512 UCS-2 euro signs, 3 bytes each. */
	for (i = 0; i < sizeof(big); i += 2)
		memcpy(big + i, "\x20\xac", 2);
	m.data_coding = 8;
	set_payload(&m, big, sizeof(big));
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(strlen(d.msg.text), 1536);
}

static void
test_concat(void)
{
	struct smpp_sm		m;
	struct inbound_pdu	d;

	/* UDH, 8-bit reference: part 2 of 3. */
	m = from_phone("84912345678");
	m.esm_class = SMPP_ESM_UDHI;
	set_sm(&m, "\x05\x00\x03\x2a\x03\x02" "ho so", 11);
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(d.what, INBOUND_PART);
	CHECK_INT(d.msg.concat.ref, 0x2a);
	CHECK_INT(d.msg.concat.total, 3);
	CHECK_INT(d.msg.concat.seq, 2);
	CHECK_STR(d.msg.text, "ho so");
	CHECK_STR(d.msg.kind, "sms");
	CHECK_STR(d.msg.msisdn, "84912345678");

	/* A part that ends in ESC keeps it for the next part's character;
	 * a whole message reads it as before, U+FFFD. */
	m = from_phone("84912345678");
	m.esm_class = SMPP_ESM_UDHI;
	set_sm(&m, "\x05\x00\x03\x2a\x02\x01" "gia 5\x1b", 12);
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(d.what, INBOUND_PART);
	CHECK_STR(d.msg.text, "gia 5\x1b");
	m = from_phone("84912345678");
	set_sm(&m, "gia 5\x1b", 6);
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_STR(d.msg.text, "gia 5\xEF\xBF\xBD");

	/* UDH, 16-bit reference, in UCS-2: the UDH is not text. */
	m = from_phone("84912345678");
	m.esm_class = SMPP_ESM_UDHI | 0x03;	/* a messaging mode */
	m.data_coding = 8;
	set_sm(&m, "\x06\x08\x04\x12\x34\x02\x01\x00" "A\x01\xb0", 11);
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(d.what, INBOUND_PART);
	CHECK_INT(d.msg.concat.ref, 0x1234);
	CHECK_INT(d.msg.concat.total, 2);
	CHECK_INT(d.msg.concat.seq, 1);
	CHECK_STR(d.msg.text, "Aư");

	/* A UDH without a concatenation IE (a port number): a whole SMS. */
	m = from_phone("84912345678");
	m.esm_class = SMPP_ESM_UDHI;
	set_sm(&m, "\x06\x05\x04\x0b\x84\x23\xf0" "hi", 9);
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(d.what, INBOUND_SMS);
	CHECK_INT(d.msg.concat.total, 1);
	CHECK_STR(d.msg.text, "hi");
	/* A set of one is a whole SMS. */
	set_sm(&m, "\x05\x00\x03\x07\x01\x01" "hi", 8);
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(d.what, INBOUND_SMS);
	/* Seq 0 or beyond total: the IE is ignored (TS 23.040). */
	set_sm(&m, "\x05\x00\x03\x07\x02\x03" "hi", 8);
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(d.what, INBOUND_SMS);
	CHECK_STR(d.msg.text, "hi");
	/* The UDHI bit wins over sar TLVs. */
	m.sar_ref = 9;
	m.sar_total = 4;
	m.sar_seq = 4;
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(d.what, INBOUND_SMS);

	/* sar TLVs: part 2 of 2, 16-bit reference, in the payload. */
	m = from_phone("84912345678");
	m.sar_ref = 0xbeef;
	m.sar_total = 2;
	m.sar_seq = 2;
	set_payload(&m, " MC2500429", 10);
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(d.what, INBOUND_PART);
	CHECK_INT(d.msg.concat.ref, 0xbeef);
	CHECK_INT(d.msg.concat.total, 2);
	CHECK_INT(d.msg.concat.seq, 2);
	CHECK_STR(d.msg.text, " MC2500429");
	/* A set of one, or a missing TLV: a whole SMS. */
	m.sar_total = 1;
	m.sar_seq = 1;
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(d.what, INBOUND_SMS);
	m.sar_total = 2;
	m.sar_seq = -1;
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(d.what, INBOUND_SMS);
	m.sar_seq = 0;
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(d.what, INBOUND_SMS);
	m.sar_seq = 1;
	m.sar_ref = -1;
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(d.what, INBOUND_SMS);
	m.sar_ref = 0;
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(d.what, INBOUND_PART);
}

static void
test_receipts(void)
{
	struct smpp_sm		m;
	struct inbound_pdu	d;
	static const char	text[] = "id:0A1B2C3D sub:001 dlvrd:001 "
	    "submit date:2506091230 done date:2506091231 stat:DELIVRD "
	    "err:000 text:Ho so MC2500429";

	/* By esm_class, from the text alone. */
	m = from_phone("8077");
	m.esm_class = SMPP_ESM_DLR;
	set_sm(&m, text, sizeof(text) - 1);
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(d.what, INBOUND_RECEIPT);
	CHECK_INT(d.rcpt.parsed, 1);
	CHECK_STR(d.rcpt.id, "0A1B2C3D");
	CHECK_STR(d.rcpt.keys[0], "169552957");
	CHECK_STR(d.rcpt.keys[1], "169552957");
	CHECK_INT(d.rcpt.stat, DLR_DELIVRD);
	CHECK_STR(d.rcpt.dlr.err, "000");
	/* Never text to dispatch, whatever the receipt quotes. */
	CHECK_STR(d.msg.text, "");
	CHECK(d.msg.kind == NULL, "a receipt has a kind");

	/* An intermediate notification (esm_class 0x08) is one too. */
	m.esm_class = 0x08;
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(d.what, INBOUND_RECEIPT);

	/* The TLVs win: id and state from them, err from the text. */
	m.esm_class = SMPP_ESM_DLR;
	strcpy(m.receipted_id, "12345");
	m.message_state = DLR_UNDELIV;
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(d.what, INBOUND_RECEIPT);
	CHECK_STR(d.rcpt.id, "12345");
	CHECK_STR(d.rcpt.keys[0], "12345");
	CHECK_STR(d.rcpt.keys[1], "74565");	/* 0x12345 */
	CHECK_INT(d.rcpt.stat, DLR_UNDELIV);
	CHECK_STR(d.rcpt.dlr.id, "0A1B2C3D");

	/* By receipted_message_id alone, esm_class 0 and no text. */
	m = from_phone("8077");
	strcpy(m.receipted_id, "abc-1");
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(d.what, INBOUND_RECEIPT);
	CHECK_INT(d.rcpt.parsed, 0);
	CHECK_STR(d.rcpt.id, "abc-1");
	CHECK_STR(d.rcpt.keys[0], "ABC-1");
	CHECK_INT(d.rcpt.stat, DLR_UNKNOWN);
	CHECK_STR(d.rcpt.dlr.err, "");
	m.message_state = DLR_DELIVRD;
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(d.rcpt.stat, DLR_DELIVRD);
	/* Even with text that reads like a command. */
	set_sm(&m, "HUY MC2500429", 13);
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(d.what, INBOUND_RECEIPT);
	CHECK_STR(d.msg.text, "");

	/* In a payload; the source need not be a phone number. */
	m = from_phone("SMSC");
	m.esm_class = SMPP_ESM_DLR;
	set_payload(&m, "id:77 stat:EXPIRED", 18);
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(d.what, INBOUND_RECEIPT);
	CHECK_STR(d.rcpt.id, "77");
	CHECK_INT(d.rcpt.stat, DLR_EXPIRED);
}

static void
test_ussd(void)
{
	struct smpp_sm		m;
	struct inbound_pdu	d;

	m = from_phone("84912345678");
	strcpy(m.dst, "*123#");
	m.ussd_op = 1;
	m.its_session = 0x0c01;
	m.user_msg_ref = 7;
	set_sm(&m, "*123#", 5);
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(d.what, INBOUND_USSD);
	CHECK_STR(d.msg.kind, "ussd");
	CHECK_INT(d.msg.ussd_op, 1);
	CHECK_INT(d.msg.its_session, 0x0c01);
	CHECK_INT(d.msg.user_msg_ref, 7);
	CHECK_STR(d.msg.dest, "*123#");
	CHECK_STR(d.msg.text, "*123#");
	/* ussd_service_op 0 (PSSD indication) is USSD too. */
	m.ussd_op = 0;
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(d.what, INBOUND_USSD);
	/* The session fields alone do not make it USSD. */
	m.ussd_op = -1;
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(d.what, INBOUND_SMS);
	CHECK_STR(d.msg.kind, "sms");
	CHECK_INT(d.msg.its_session, 0x0c01);
	/* A USSD message in parts keeps its kind. */
	m.ussd_op = 18;
	m.sar_ref = 1;
	m.sar_total = 2;
	m.sar_seq = 1;
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_INT(d.what, INBOUND_PART);
	CHECK_STR(d.msg.kind, "ussd");
	CHECK_INT(d.msg.ussd_op, 18);
}

static void
test_senders(void)
{
	struct smpp_sm		m;
	struct inbound_pdu	d;
	static const struct inbound_cfg us = { TEXT_GSM7, "1" };

	/* A short code is kept as sent; a national number takes the
	 * configured country code. */
	m = from_phone("8077");
	set_sm(&m, "hi", 2);
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_STR(d.msg.msisdn, "8077");
	m = from_phone("+84 912 345 678");
	set_sm(&m, "hi", 2);
	CHECK_INT(inbound_decode(&m, &gsm7, &d), 0);
	CHECK_STR(d.msg.msisdn, "84912345678");
	m = from_phone("02025550123");
	set_sm(&m, "hi", 2);
	CHECK_INT(inbound_decode(&m, &us, &d), 0);
	CHECK_STR(d.msg.msisdn, "12025550123");
}

static void
refused(const struct smpp_sm *m, uint32_t status, const char *why,
    int has_err)
{
	struct inbound_pdu	d;

	CHECK_INT(inbound_decode(m, &gsm7, &d), -1);
	CHECK_INT(d.what, INBOUND_REFUSED);
	CHECK_INT(d.status, status);
	CHECK(d.why != NULL && strstr(d.why, why) != NULL, "why: %s",
	    d.why ? d.why : "(null)");
	CHECK((d.err != NULL) == has_err, "err: %s", d.err ? d.err : "(null)");
	CHECK_STR(d.msg.text, "");
	CHECK_STR(d.msg.msisdn, "");
	CHECK_STR(d.rcpt.id, "");
}

static void
test_refused(void)
{
	struct smpp_sm	m;

	/* A UDH longer than the message: rejected, the SMSC may log it. */
	m = from_phone("84912345678");
	m.esm_class = SMPP_ESM_UDHI;
	set_sm(&m, "\x05\x00\x03\x2a", 4);
	refused(&m, SMPP_RX_P_APPN, "malformed UDH", 0);
	/* An IE running past the UDH. */
	set_sm(&m, "\x03\x00\x03\x2a\x03\x02" "hi", 8);
	refused(&m, SMPP_RX_P_APPN, "malformed UDH", 0);
	/* UDHI with nothing at all. */
	set_sm(&m, "", 0);
	refused(&m, SMPP_RX_P_APPN, "malformed UDH", 0);
	/* ...even in a receipt, before it is known to be one. */
	m.esm_class = SMPP_ESM_UDHI | SMPP_ESM_DLR;
	strcpy(m.receipted_id, "42");
	refused(&m, SMPP_RX_P_APPN, "malformed UDH", 0);

	/* A receipt whose text is no receipt, and no TLV id. */
	m = from_phone("8077");
	m.esm_class = SMPP_ESM_DLR;
	set_sm(&m, "delivered!", 10);
	refused(&m, SMPP_ROK, "receipt not understood", 1);
	m.message_state = DLR_DELIVRD;	/* a state without an id */
	refused(&m, SMPP_ROK, "receipt not understood", 1);

	/* A sender that is no phone number, nor a short code. */
	m = from_phone("VIETTEL");
	set_sm(&m, "KM", 2);
	refused(&m, SMPP_ROK, "no phone number", 1);
	m = from_phone("0241234567");	/* a landline */
	refused(&m, SMPP_ROK, "no phone number", 1);
	m = from_phone("");
	refused(&m, SMPP_ROK, "no phone number", 1);
	/* ...which is checked before the part number. */
	m.sar_ref = 1;
	m.sar_total = 2;
	m.sar_seq = 3;
	refused(&m, SMPP_ROK, "no phone number", 1);

	/* sar TLVs with a part beyond the set. */
	m = from_phone("84912345678");
	m.sar_ref = 1;
	m.sar_total = 2;
	m.sar_seq = 3;
	set_sm(&m, "hi", 2);
	refused(&m, SMPP_ROK, "part number", 0);
}

int
main(void)
{
	test_alphabets();
	test_body();
	test_concat();
	test_receipts();
	test_ussd();
	test_senders();
	test_refused();
	dlr_fini();
	return check_report("inbound_decode");
}
