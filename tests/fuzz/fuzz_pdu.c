/*
 * Inbound PDU bytes through the daemon's own decode path, without the
 * event loop or the store: frame_next() cuts the input into frames as
 * gateway/smpp/link.c conn_read_cb() does, smpp_pdu_unpack_sm() decodes each
 * deliver_sm, data_sm and submit_sm, and inbound_decode() decides what it
 * is, as gateway/office/inbound.c inbound_deliver() asks it to, for links with
 * each default alphabet. The input is read as a TCP stream of PDUs, and
 * once more as a single PDU whose command_length is patched to fit, so
 * mutations that break the length still reach the decoders.
 *
 * What inbound_decode() says must hold together: a refused PDU keeps
 * nothing and only a broken UDH is rejected; a receipt carries an id and
 * keys and never a text to dispatch; a message has valid UTF-8 text in
 * NFC that fits, a sender that is a number or a short code, and a part
 * number within its set. The default alphabet changes the text only, and
 * the unused tails of short_message and message_payload are poisoned, so
 * a read past the user data is caught.
 *
 * smpp_pdu_unpack_sm is the daemon's codec (parsers/pdu.c); the adapter
 * also has the libsmpp34 reference (smpp_pdu_lib_unpack_sm): a PDU both
 * accept must decode the same, and what either one encodes the other must
 * read back.
 *
 * libsmpp34 is not instrumented: its trace buffer (smpp34_strerror, 2 KiB,
 * filled by every field it reads) overflows silently, so the harness
 * checks the library's own cursor into it after every call.
 */
#include <sanitizer/asan_interface.h>

#include "fuzz.h"

#include "dlr.h"
#include "frame.h"
#include "inbound_decode.h"
#include "msisdn.h"
#include "smpp_pdu.h"
#include "text.h"

/* libsmpp34 exports these without declaring them. */
extern char	 smpp34_strerror[2048];
extern char	*ptrerror;

/* A link of each default alphabet; the first two differ in nothing else. */
static const struct inbound_cfg	cfgs[] = {
	{ TEXT_GSM7, "84" }, { TEXT_LATIN1, "84" }, { TEXT_ASCII, "1" },
};

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
	/* Only what is longer than payload[] is cut, never refused. */
	FUZZ_CHECK(sm->payload_cut >= 0 && (sm->payload_cut == 0 ||
	    sm->payload_len == SMPP_PAYLOAD_MAX));
}

static int
all_digits(const char *s, size_t min, size_t max)
{
	size_t	n = strlen(s);

	return n >= min && n <= max && strspn(s, "0123456789") == n;
}

static void
refused_check(const struct smpp_sm *sm, const struct inbound_pdu *d)
{
	FUZZ_CHECK(d->why != NULL);
	/* Only a broken UDH is rejected; the rest is acknowledged. */
	FUZZ_CHECK(d->status == SMPP_ROK || (d->status == SMPP_RX_P_APPN &&
	    (sm->esm_class & SMPP_ESM_UDHI)));
	/* Every id that gets this far has keys: the check is defensive. */
	FUZZ_CHECK(strstr(d->why, "usable id") == NULL);
	FUZZ_CHECK(d->msg.kind == NULL && d->msg.text[0] == '\0' &&
	    d->msg.msisdn[0] == '\0' && d->rcpt.id[0] == '\0');
}

static void
receipt_check(const struct smpp_sm *sm, const struct inbound_rcpt *r)
{
	FUZZ_TERMINATED(r->id);
	FUZZ_TERMINATED(r->keys[0]);
	FUZZ_TERMINATED(r->keys[1]);
	FUZZ_TERMINATED(r->dlr.err);
	FUZZ_TERMINATED(r->dlr.stat_text);
	FUZZ_CHECK(r->id[0] && r->keys[0][0] && r->keys[1][0]);
	if (sm->receipted_id[0])
		FUZZ_CHECK(strcmp(r->id, sm->receipted_id) == 0);
	else
		FUZZ_CHECK(r->parsed && strcmp(r->id, r->dlr.id) == 0);
	if (!r->parsed)
		FUZZ_CHECK(r->dlr.id[0] == '\0' && r->dlr.err[0] == '\0' &&
		    r->dlr.stat == 0);
	FUZZ_CHECK(strcmp(dlr_stat_name(r->stat), "?") != 0);
}

static void
message_check(const struct smpp_sm *sm, enum inbound_what what,
    const struct inbound_msg *m)
{
	char	nfc[INBOUND_TEXT_MAX];

	FUZZ_TERMINATED(m->text);
	FUZZ_CHECK(fuzz_utf8_valid(m->text));
	FUZZ_CHECK(text_nfc(m->text, nfc, sizeof(nfc)) >= 0 &&
	    strcmp(nfc, m->text) == 0);
	FUZZ_TERMINATED(m->msisdn);
	FUZZ_CHECK(all_digits(m->msisdn, 8, 15) ||
	    (msisdn_is_short_code(sm->src) && strcmp(m->msisdn, sm->src) == 0));
	FUZZ_CHECK(strcmp(m->dest, sm->dst) == 0);
	FUZZ_CHECK(strcmp(m->kind, sm->ussd_op >= 0 ? "ussd" : "sms") == 0);
	FUZZ_CHECK(m->ussd_op == sm->ussd_op &&
	    m->its_session == sm->its_session &&
	    m->user_msg_ref == sm->user_msg_ref);
	if (what == INBOUND_PART) {
		FUZZ_CHECK(m->concat.total >= 2 && m->concat.total <= 255);
		FUZZ_CHECK(m->concat.seq >= 1 &&
		    m->concat.seq <= m->concat.total);
		FUZZ_CHECK(m->concat.ref >= 0 && m->concat.ref <= 0xFFFF);
	} else {
		FUZZ_CHECK(what == (sm->ussd_op >= 0 ? INBOUND_USSD :
		    INBOUND_SMS));
		FUZZ_CHECK(m->concat.total <= 1);
	}
}

/* What inbound_decode() said about sm, checked on its own terms. */
static void
decoded_check(const struct smpp_sm *sm, int rc, const struct inbound_pdu *d)
{
	int	dlr = sm->esm_class & SMPP_ESM_DLR_MASK;
	int	receipt = dlr == SMPP_ESM_DLR || dlr == 0x08 ||
		    sm->receipted_id[0];

	FUZZ_CHECK((rc == -1) == (d->what == INBOUND_REFUSED));
	if (rc == -1) {
		refused_check(sm, d);
		return;
	}
	FUZZ_CHECK(d->status == SMPP_ROK && d->why == NULL && d->err == NULL);
	FUZZ_CHECK((d->what == INBOUND_RECEIPT) == receipt);
	if (d->what == INBOUND_RECEIPT) {
		receipt_check(sm, &d->rcpt);
		/* Never a text to dispatch, whatever the receipt quotes. */
		FUZZ_CHECK(d->msg.kind == NULL && d->msg.text[0] == '\0' &&
		    d->msg.msisdn[0] == '\0');
		return;
	}
	FUZZ_CHECK(d->rcpt.id[0] == '\0');
	message_check(sm, d->what, &d->msg);
	if (sm->payload_cut > 0 && sm->sm_len == 0)
		FUZZ_CHECK(d->msg.cut);
}

/*
 * gateway/office/inbound.c's decision on a copy of sm whose unused bytes are
 * poisoned, for each kind of link.
 */
static void
inbound(const struct smpp_sm *in)
{
	struct smpp_sm		*sm;
	struct inbound_pdu	*d, *e;
	size_t			 i, used;
	int			 rc, first = 0;

	FUZZ_CHECK((sm = malloc(sizeof(*sm))) != NULL);
	FUZZ_CHECK((d = malloc(sizeof(*d))) != NULL);
	FUZZ_CHECK((e = malloc(sizeof(*e))) != NULL);
	memcpy(sm, in, sizeof(*sm));
	used = in->payload_len > 0 ? (size_t)in->payload_len : 0;
	ASAN_POISON_MEMORY_REGION(sm->sm + sm->sm_len,
	    sizeof(sm->sm) - sm->sm_len);
	ASAN_POISON_MEMORY_REGION(sm->payload + used,
	    sizeof(sm->payload) - used);

	for (i = 0; i < sizeof(cfgs) / sizeof(cfgs[0]); i++) {
		rc = inbound_decode(sm, &cfgs[i], i == 0 ? d : e);
		decoded_check(sm, rc, i == 0 ? d : e);
		if (i == 0)
			first = rc;
		if (i != 1)
			continue;
		/* The default alphabet changes the text, nothing else. */
		FUZZ_CHECK(d->what == e->what && d->status == e->status &&
		    d->why == e->why && d->err == e->err);
		FUZZ_CHECK(memcmp(&d->rcpt, &e->rcpt, sizeof(d->rcpt)) == 0);
		FUZZ_CHECK(strcmp(d->msg.msisdn, e->msg.msisdn) == 0 &&
		    d->msg.concat.ref == e->msg.concat.ref &&
		    d->msg.concat.total == e->msg.concat.total &&
		    d->msg.concat.seq == e->msg.concat.seq);
	}
	/* The same PDU decodes the same way twice. */
	FUZZ_CHECK(inbound_decode(sm, &cfgs[0], e) == first);
	FUZZ_CHECK(memcmp(d, e, sizeof(*d)) == 0);

	ASAN_UNPOISON_MEMORY_REGION(sm, sizeof(*sm));
	free(e);
	free(d);
	free(sm);
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
	/* libsmpp34 holds 1 KiB a TLV: it refuses longer, either way. */
	if (sm->payload_len > SMPP_LIB_TLV_MAX &&
	    (pack == smpp_pdu_lib_pack_sm || unpack == smpp_pdu_lib_unpack_sm))
		return;
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

/* The daemon's decoder, and the libsmpp34 reference. */
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
	if (rc == 0) {
		round_trip(id, &sm, smpp_pdu_pack_sm, smpp_pdu_lib_unpack_sm);
		round_trip(id, &sm, smpp_pdu_lib_pack_sm, smpp_pdu_unpack_sm);
	}
}

/* One whole frame of n bytes, by command_id as on_pdu() routes it. */
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

/* Whole frames off the stream, as gateway/smpp/link.c conn_read_cb() takes them. */
static void
stream(const uint8_t *d, size_t size)
{
	const char	*why;
	uint32_t	 len;
	uint8_t		*pdu;
	int		 whole;

	while ((whole = frame_next(d, size, &len, &why)) == 1) {
		FUZZ_CHECK(len >= FRAME_HDR_LEN && len <= FRAME_MAX_LEN &&
		    len <= size);
		pdu = fuzz_dup(d, len);
		one_pdu(pdu, len);
		free(pdu);
		d += len;
		size -= len;
	}
	/* 0: waits for more bytes; -1: the link is dropped. */
	FUZZ_CHECK((whole == -1) == (why != NULL));
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
