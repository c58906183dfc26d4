/*
 * Inbound PDU bytes through the daemon's own decode path: the framing of
 * gateway/link.c (conn_read_cb, on_pdu) and the decoding of
 * gateway/inbound.c (message_body, decode_text, on_receipt), without the
 * event loop or the store. The input is read as a TCP stream of PDUs, and
 * once more as a single PDU whose command_length is patched to fit, so
 * mutations that break the length still reach the decoders.
 *
 * smpp_pdu_unpack_sm is the daemon's codec (parsers/pdu.c once it exists,
 * libsmpp34 before); where the adapter also has the libsmpp34 reference
 * (smpp_pdu_lib_unpack_sm), a PDU both accept must decode the same, and
 * what either one encodes the other must read back.
 *
 * libsmpp34 is not instrumented: its trace buffer (smpp34_strerror, 2 KiB,
 * filled by every field it reads) overflows silently, so the harness
 * checks the library's own cursor into it after every call.
 */
#include "fuzz.h"

#include "dlr.h"
#include "frame.h"
#include "msisdn.h"
#include "smpp_pdu.h"
#include "text.h"

#define INBOUND_TEXT_MAX	4096	/* TEXT_MAX in include/motcua.h */

/* libsmpp34 exports these without declaring them. */
extern char	 smpp34_strerror[2048];
extern char	*ptrerror;

/* The libsmpp34 reference codec, when the adapter has one. */
int	smpp_pdu_lib_unpack_sm(const uint8_t *, size_t, struct smpp_sm *,
	    const char **) __attribute__((weak));
int	smpp_pdu_lib_pack_sm(uint32_t, uint32_t, const struct smpp_sm *,
	    uint8_t *, size_t, const char **) __attribute__((weak));

static void
trace_check(void)
{
	FUZZ_CHECK(ptrerror == NULL || (ptrerror >= smpp34_strerror &&
	    ptrerror <= smpp34_strerror + sizeof(smpp34_strerror)));
}

static size_t
walk_cstr(const uint8_t *b, size_t n, size_t at)
{
	const uint8_t	*nul;

	if (at >= n || (nul = memchr(b + at, '\0', n - at)) == NULL)
		return n + 1;
	return (size_t)(nul - b) + 1;
}

/*
 * The PDU's own account, read here independently of both codecs:
 * sm_length of a deliver_sm or submit_sm (-1 for a data_sm), and in *dup
 * whether a kept TLV appears twice. -2 when the walk fails.
 */
static int
wire(const uint8_t *b, size_t n, uint32_t id, int *dup)
{
	int	seen[9] = { 0 }, sm_length = -1, tag, k;
	size_t	at = FRAME_HDR_LEN, len;
	static const int tags[9] = { 0x001E, 0x0204, 0x020C, 0x020E, 0x020F,
	    0x0424, 0x0427, 0x0501, 0x1383 };

	*dup = 0;
	at = walk_cstr(b, n, at) + 2;
	at = walk_cstr(b, n, at) + 2;
	at = walk_cstr(b, n, at) + 3;
	if (id != SMPP_DATA_SM) {
		at = walk_cstr(b, n, at);
		at = walk_cstr(b, n, at) + 4;
		if (at >= n)
			return -2;
		sm_length = b[at];
		at += 1 + (size_t)sm_length;
	}
	while (at + 4 <= n) {
		tag = b[at] << 8 | b[at + 1];
		len = (size_t)(b[at + 2] << 8 | b[at + 3]);
		for (k = 0; k < 9; k++)
			if (tags[k] == tag && seen[k]++)
				*dup = 1;
		at += 4 + len;
	}
	return at == n ? sm_length : -2;
}

/* Equal fields; sar only as a set when whole, which is how it is encoded. */
static void
sm_equal(const struct smpp_sm *a, const struct smpp_sm *b, uint32_t id,
    int whole_sar)
{
	FUZZ_CHECK(strcmp(a->service_type, b->service_type) == 0);
	FUZZ_CHECK(a->src_ton == b->src_ton && a->src_npi == b->src_npi);
	FUZZ_CHECK(strcmp(a->src, b->src) == 0);
	FUZZ_CHECK(a->dst_ton == b->dst_ton && a->dst_npi == b->dst_npi);
	FUZZ_CHECK(strcmp(a->dst, b->dst) == 0);
	FUZZ_CHECK(a->esm_class == b->esm_class);
	FUZZ_CHECK(a->registered_delivery == b->registered_delivery);
	FUZZ_CHECK(a->data_coding == b->data_coding);
	if (id != SMPP_DATA_SM) {
		FUZZ_CHECK(a->protocol_id == b->protocol_id);
		FUZZ_CHECK(a->sm_len == b->sm_len);
		FUZZ_CHECK(memcmp(a->sm, b->sm, a->sm_len) == 0);
	}
	FUZZ_CHECK(a->payload_len == b->payload_len);
	if (a->payload_len > 0)
		FUZZ_CHECK(memcmp(a->payload, b->payload,
		    (size_t)a->payload_len) == 0);
	if (!whole_sar || (a->sar_ref >= 0 && a->sar_total >= 0 &&
	    a->sar_seq >= 0))
		FUZZ_CHECK(a->sar_ref == b->sar_ref &&
		    a->sar_total == b->sar_total && a->sar_seq == b->sar_seq);
	FUZZ_CHECK(a->ussd_op == b->ussd_op);
	FUZZ_CHECK(a->its_session == b->its_session);
	FUZZ_CHECK(a->user_msg_ref == b->user_msg_ref);
	FUZZ_CHECK(a->message_state == b->message_state);
	FUZZ_CHECK(strcmp(a->receipted_id, b->receipted_id) == 0);
}

static void
sm_check(const struct smpp_sm *sm)
{
	FUZZ_TERMINATED(sm->service_type);
	FUZZ_TERMINATED(sm->src);
	FUZZ_TERMINATED(sm->dst);
	FUZZ_TERMINATED(sm->receipted_id);
	FUZZ_CHECK(sm->sm_len <= sizeof(sm->sm));
	FUZZ_CHECK(sm->payload_len >= -1 &&
	    sm->payload_len <= SMPP_PAYLOAD_MAX);
}

/* gateway/inbound.c on_receipt(), up to the store. */
static void
receipt(const struct smpp_sm *sm, const uint8_t *body, size_t blen)
{
	struct dlr	 d;
	char		 keys[2][DLR_KEY_MAX];
	const char	*err, *id;
	int		 rc, stat;

	rc = dlr_parse((const char *)body, blen, &d, &err);
	FUZZ_CHECK((rc == 0) == (err == NULL));
	id = sm->receipted_id[0] ? sm->receipted_id : d.id;
	stat = dlr_stat_pick(sm->message_state, rc == 0, (int)d.stat);
	FUZZ_CHECK(strcmp(dlr_stat_name(stat), "?") != 0);
	rc = dlr_id_keys(id, keys);
	FUZZ_CHECK(rc >= -1 && rc <= 2 && rc != 0);
	if (rc > 0)
		FUZZ_TERMINATED(keys[0]);
}

/* gateway/inbound.c decode_text() for one default alphabet. */
static void
decode(const struct smpp_sm *sm, enum text_alphabet dc0, const uint8_t *body,
    size_t blen)
{
	char	raw[INBOUND_TEXT_MAX], text[INBOUND_TEXT_MAX];
	int	n;

	if ((n = text_decode(sm->data_coding, dc0, body, blen, raw,
	    sizeof(raw))) == -1)
		return;
	FUZZ_CHECK((size_t)n == strlen(raw));
	FUZZ_CHECK(fuzz_utf8_valid(raw));
	if ((n = text_nfc(raw, text, sizeof(text))) == -1)
		return;
	FUZZ_CHECK((size_t)n == strlen(text));
	FUZZ_CHECK(fuzz_utf8_valid(text));
}

/* gateway/inbound.c inbound_deliver() after smpp_pdu_unpack_sm(). */
static void
inbound(const struct smpp_sm *sm)
{
	static const enum text_alphabet dc0s[] = {
		TEXT_GSM7, TEXT_LATIN1, TEXT_ASCII
	};
	struct text_concat	 cc;
	char			 msisdn[MSISDN_MAX];
	const char		*err;
	const uint8_t		*src;
	uint8_t			*body;
	size_t			 blen, i;
	int			 udh;

	/* message_body(), on a copy so that a read past it is caught. */
	cc.total = 0;
	if (sm->payload_len >= 0 && sm->sm_len == 0) {
		src = sm->payload;
		blen = (size_t)sm->payload_len;
	} else {
		src = sm->sm;
		blen = sm->sm_len;
	}
	body = fuzz_dup(src, blen);
	src = body;
	if (sm->esm_class & SMPP_ESM_UDHI) {
		if ((udh = text_udh_parse(src, blen, &cc)) < 0)
			goto out;	/* rejected */
		FUZZ_CHECK(udh >= 1 && (size_t)udh <= blen);
		src += udh;
		blen -= (size_t)udh;
	} else if (sm->sar_total > 0 && sm->sar_seq > 0 && sm->sar_ref >= 0) {
		cc.ref = sm->sar_ref;
		cc.total = sm->sar_total;
		cc.seq = sm->sar_seq;
	}
	if ((sm->esm_class & SMPP_ESM_DLR_MASK) == SMPP_ESM_DLR ||
	    (sm->esm_class & SMPP_ESM_DLR_MASK) == 0x08 || sm->receipted_id[0]) {
		receipt(sm, src, blen);
		goto out;
	}
	if (msisdn_normalize(sm->src, "84", msisdn, sizeof(msisdn), &err) == -1)
		FUZZ_CHECK(err != NULL);
	(void)msisdn_is_short_code(sm->src);
	for (i = 0; i < sizeof(dc0s) / sizeof(dc0s[0]); i++)
		decode(sm, dc0s[i], src, blen);
out:
	free(body);
}

/* What one codec encodes, a decoder reads back the same. */
static void
round_trip(uint32_t id, const struct smpp_sm *sm,
    int (*pack)(uint32_t, uint32_t, const struct smpp_sm *, uint8_t *,
    size_t, const char **),
    int (*unpack)(const uint8_t *, size_t, struct smpp_sm *, const char **))
{
	struct smpp_sm	 back;
	uint8_t		*buf;
	const char	*err;
	int		 len;

	if (sm->sm_len > SMPP_SM_MAX)
		return;		/* neither encoder packs it */
	FUZZ_CHECK((buf = malloc(FRAME_MAX_LEN)) != NULL);
	len = pack(id, 1, sm, buf, FRAME_MAX_LEN, &err);
	trace_check();
	if (len == -1)
		goto out;
	FUZZ_CHECK(len >= FRAME_HDR_LEN && len <= FRAME_MAX_LEN);
	FUZZ_CHECK(unpack(buf, (size_t)len, &back, &err) == 0);
	trace_check();
	sm_equal(sm, &back, id, 1);
out:
	free(buf);
}

/* The daemon's decoder, and the libsmpp34 reference where there is one. */
static void
message(const uint8_t *pdu, size_t n, uint32_t id)
{
	struct smpp_sm	 sm, ref;
	const char	*err;
	int		 rc, ref_rc, sm_length, dup;

	rc = smpp_pdu_unpack_sm(pdu, n, &sm, &err);
	trace_check();
	FUZZ_CHECK((rc == 0) == (err == NULL));
	sm_length = wire(pdu, n, id, &dup);
	if (rc == 0) {
		sm_check(&sm);
		/* short_message is what sm_length said, never more. */
		FUZZ_CHECK(sm_length >= -1);
		if (sm_length >= 0)
			FUZZ_CHECK(sm.sm_len == sm_length);
		inbound(&sm);
		round_trip(id, &sm, smpp_pdu_pack_sm, smpp_pdu_unpack_sm);
	}
	if (smpp_pdu_lib_unpack_sm == NULL)
		return;
	ref_rc = smpp_pdu_lib_unpack_sm(pdu, n, &ref, &err);
	trace_check();
	FUZZ_CHECK((ref_rc == 0) == (err == NULL));
	if (ref_rc != 0)
		return;
	sm_check(&ref);
	if (sm_length >= 0)
		FUZZ_CHECK(ref.sm_len == sm_length);
	if (rc == 0 && !dup)
		sm_equal(&sm, &ref, id, 0);
	if (rc == 0 && smpp_pdu_lib_pack_sm != NULL) {
		round_trip(id, &sm, smpp_pdu_pack_sm, smpp_pdu_lib_unpack_sm);
		round_trip(id, &sm, smpp_pdu_lib_pack_sm, smpp_pdu_unpack_sm);
	}
}

/* gateway/link.c on_pdu() for one whole frame of n bytes. */
static void
one_pdu(const uint8_t *pdu, size_t n)
{
	struct frame_hdr	 h;
	struct smpp_bind	 bind;
	const char		*err;
	char			 id[65], small[4];
	int			 ntlv, rc;

	FUZZ_CHECK(frame_hdr_read(pdu, n, &h) == 0);
	(void)frame_cmd_name(h.id);
	ntlv = frame_tlv_count(pdu, n, &err);
	FUZZ_CHECK((ntlv == -1) == (err != NULL));
	switch (h.id) {
	case SMPP_DELIVER_SM:
	case SMPP_DATA_SM:
	case SMPP_SUBMIT_SM:
		message(pdu, n, h.id);
		break;
	case SMPP_BIND_RECEIVER:
	case SMPP_BIND_TRANSMITTER:
	case SMPP_BIND_TRANSCEIVER:
		rc = smpp_pdu_unpack_bind(pdu, n, &bind, &err);
		trace_check();
		FUZZ_CHECK((rc == 0) == (err == NULL));
		if (rc == 0) {
			FUZZ_TERMINATED(bind.system_id);
			FUZZ_TERMINATED(bind.password);
			FUZZ_TERMINATED(bind.system_type);
		}
		break;
	default:
		if (!(h.id & SMPP_RESP))
			break;
		/* on_submit_resp(), and a buffer too small for most ids. */
		if ((rc = frame_resp_id(pdu, n, id, sizeof(id))) >= 0)
			FUZZ_CHECK((size_t)rc == strlen(id));
		if ((rc = frame_resp_id(pdu, n, small, sizeof(small))) >= 0)
			FUZZ_CHECK((size_t)rc == strlen(small));
		(void)smpp_status_transient(h.status);
		break;
	}
}

/* gateway/link.c conn_read_cb(): whole frames off the stream. */
static void
stream(const uint8_t *d, size_t size)
{
	uint32_t	 len;
	uint8_t		*pdu;

	while (size >= 4) {
		len = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
		    (uint32_t)d[2] << 8 | d[3];
		if (frame_len_check(len) != NULL)
			return;		/* the link is dropped */
		if (size < len)
			return;		/* waits for more bytes */
		pdu = fuzz_dup(d, len);
		one_pdu(pdu, len);
		free(pdu);
		d += len;
		size -= len;
	}
}

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	uint8_t	*pdu;

	stream(d, size);
	if (size < FRAME_HDR_LEN || size > FRAME_MAX_LEN)
		return 0;
	pdu = fuzz_dup(d, size);
	pdu[0] = (uint8_t)(size >> 24);
	pdu[1] = (uint8_t)(size >> 16);
	pdu[2] = (uint8_t)(size >> 8);
	pdu[3] = (uint8_t)size;
	one_pdu(pdu, size);
	free(pdu);
	return 0;
}
