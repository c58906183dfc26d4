/*
 * libsmpp34, confined. Messages (deliver_sm, submit_sm, data_sm) go
 * through parsers/pdu.c, which does not format a trace string for every
 * field; binds and the reference codec for tests use the library.
 * Three defects of the Debian build are handled here:
 * many TLVs overflow its global trace buffer (frame_tlv_count refuses them
 * first); a failed TLV unpack leaks the unlinked TLV (every allocation of
 * one call lives in a small arena that is emptied when the call returns);
 * error responses cannot be unpacked (the caller reads the header itself).
 * Its TLV values hold 1 KiB (MAX_TLV_SIZE): a longer message_payload is
 * refused before packing, and its unpack refuses one (checked in
 * tests/unit/test_smpp_pdu.c); the daemon's own codec reads 64 KiB.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smpp34.h>
#include <smpp34_structs.h>
#include <smpp34_params.h>
#include <smpp34_heap.h>

#include "frame.h"
#include "pdu.h"
#include "smpp_pdu.h"

#define ARENA_SLOTS	64

static void	*arena[ARENA_SLOTS];
static int	 arena_ready;

static void *
arena_malloc(size_t sz)
{
	int	i;

	for (i = 0; i < ARENA_SLOTS; i++) {
		if (arena[i] == NULL) {
			arena[i] = malloc(sz);
			return arena[i];
		}
	}
	return NULL;	/* more live TLVs than any PDU we accept */
}

static void
arena_free_one(void *p)
{
	int	i;

	for (i = 0; p && i < ARENA_SLOTS; i++) {
		if (arena[i] == p) {
			arena[i] = NULL;
			break;
		}
	}
	free(p);
}

static void *
arena_realloc(void *p, size_t sz)
{
	int	i;

	if (p == NULL)
		return arena_malloc(sz);
	for (i = 0; i < ARENA_SLOTS; i++) {
		if (arena[i] == p) {
			void *q = realloc(p, sz);
			if (q)
				arena[i] = q;
			return q;
		}
	}
	return NULL;
}

/* Frees what the last library call left behind, linked or leaked. */
static void
arena_empty(void)
{
	int	i;

	for (i = 0; i < ARENA_SLOTS; i++) {
		free(arena[i]);
		arena[i] = NULL;
	}
}

static void
arena_init(void)
{
	static const struct smpp34_memory_functions mf = {
		arena_malloc, arena_realloc, arena_free_one
	};

	if (!arena_ready) {
		smpp34_set_memory_functions(&mf);
		arena_ready = 1;
	}
}

static void
copy_cstr(char *dst, size_t cap, const uint8_t *src)
{
	size_t	n = strnlen((const char *)src, cap - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void
sm_take_tlv(struct smpp_sm *m, const tlv_t *t)
{
	size_t	n;

	switch (t->tag) {
	case TLVID_message_payload:
		n = t->length > SMPP_PAYLOAD_MAX ? SMPP_PAYLOAD_MAX : t->length;
		memcpy(m->payload, t->value.octet, n);
		m->payload_len = (int)n;
		break;
	case TLVID_sar_msg_ref_num:	m->sar_ref = t->value.val16; break;
	case TLVID_sar_total_segments:	m->sar_total = t->value.val08; break;
	case TLVID_sar_segment_seqnum:	m->sar_seq = t->value.val08; break;
	case TLVID_its_session_info:	m->its_session = t->value.val16; break;
	case TLVID_message_state:	m->message_state = t->value.val08; break;
	case TLVID_ussd_service_op:
		if (t->length >= 1)
			m->ussd_op = t->value.octet[0];
		break;
	case TLVID_user_message_reference:
		m->user_msg_ref = t->value.val16;
		break;
	case TLVID_receipted_message_id:
		n = t->length < sizeof(m->receipted_id) ?
		    t->length : sizeof(m->receipted_id) - 1;
		memcpy(m->receipted_id, t->value.octet, n);
		m->receipted_id[n] = '\0';
		break;
	default:
		break;
	}
}

#define SM_TAKE_ADDRESSES(m, r) do {					\
	copy_cstr((m)->service_type, sizeof((m)->service_type), (r).service_type); \
	(m)->src_ton = (r).source_addr_ton;				\
	(m)->src_npi = (r).source_addr_npi;				\
	copy_cstr((m)->src, sizeof((m)->src), (r).source_addr);		\
	(m)->dst_ton = (r).dest_addr_ton;				\
	(m)->dst_npi = (r).dest_addr_npi;				\
	copy_cstr((m)->dst, sizeof((m)->dst), (r).destination_addr);	\
	(m)->esm_class = (r).esm_class;					\
	(m)->registered_delivery = (r).registered_delivery;		\
	(m)->data_coding = (r).data_coding;				\
} while (0)

/* deliver_sm and submit_sm share their layout up to the TLVs. */
#define UNPACK_SM(type, b, n, m) do {					\
	type	 r;							\
	tlv_t	*t;							\
									\
	memset(&r, 0, sizeof(r));					\
	if (smpp34_unpack2(&r, (b), (int)(n)) != 0)			\
		return -1;						\
	SM_TAKE_ADDRESSES(m, r);					\
	(m)->protocol_id = r.protocol_id;				\
	(m)->sm_len = r.sm_length;					\
	memcpy((m)->sm, r.short_message, r.sm_length);			\
	smpp34_tlv_for_each(t, r.tlv)					\
		sm_take_tlv(m, t);					\
	return 0;							\
} while (0)

static int
unpack_deliver(const uint8_t *b, size_t n, struct smpp_sm *m)
{
	UNPACK_SM(deliver_sm_t, b, n, m);
}

static int
unpack_submit(const uint8_t *b, size_t n, struct smpp_sm *m)
{
	UNPACK_SM(submit_sm_t, b, n, m);
}

static int
unpack_data(const uint8_t *b, size_t n, struct smpp_sm *m)
{
	data_sm_t	r;
	tlv_t		*t;

	memset(&r, 0, sizeof(r));
	if (smpp34_unpack2(&r, b, (int)n) != 0)
		return -1;
	SM_TAKE_ADDRESSES(m, r);
	smpp34_tlv_for_each(t, r.tlv)
		sm_take_tlv(m, t);
	return 0;
}

/*
 * The hot path goes through parsers/pdu.c; libsmpp34's own decoding and
 * encoding stay as the reference the tests check that codec against.
 */
int
smpp_pdu_unpack_sm(const uint8_t *b, size_t n, struct smpp_sm *m,
    const char **errstr)
{
	return pdu_decode_sm(b, n, m, errstr);
}

int
smpp_pdu_pack_sm(uint32_t cmd, uint32_t seq, const struct smpp_sm *m,
    uint8_t *out, size_t cap, const char **errstr)
{
	return pdu_encode_sm(cmd, seq, m, out, cap, errstr);
}

int
smpp_pdu_lib_unpack_sm(const uint8_t *b, size_t n, struct smpp_sm *m,
    const char **errstr)
{
	struct frame_hdr	h;
	int			rc, ntlv;

	smpp_sm_init(m);
	*errstr = NULL;
	if ((ntlv = frame_tlv_count(b, n, errstr)) == -1)
		return -1;
	if (ntlv > FRAME_MAX_TLVS) {
		*errstr = "too many TLVs";
		return -1;
	}
	arena_init();
	frame_hdr_read(b, n, &h);
	switch (h.id) {
	case SMPP_DELIVER_SM:	rc = unpack_deliver(b, n, m); break;
	case SMPP_SUBMIT_SM:	rc = unpack_submit(b, n, m); break;
	case SMPP_DATA_SM:	rc = unpack_data(b, n, m); break;
	default:		rc = -1; break;
	}
	arena_empty();
	if (rc == -1)
		*errstr = "libsmpp34 refused the PDU";
	return rc;
}

static int
add_tlv(tlv_t **list, uint16_t tag, const void *val, uint16_t len)
{
	tlv_t	t;

	memset(&t, 0, sizeof(t));
	t.tag = tag;
	t.length = len;
	memcpy(t.value.octet, val, len);
	return build_tlv(list, &t);
}

/* An integer TLV of len 1 or 2 octets. */
static int
add_tlv_int(tlv_t **list, uint16_t tag, int v, uint16_t len)
{
	tlv_t	t;

	memset(&t, 0, sizeof(t));
	t.tag = tag;
	t.length = len;
	if (len == 2)
		t.value.val16 = (uint16_t)v;
	else
		t.value.val08 = (uint8_t)v;
	return build_tlv(list, &t);
}

static int
sm_build_tlvs(const struct smpp_sm *m, tlv_t **list)
{
	int	rc = 0;
	uint8_t	op;

	if (m->payload_len >= 0)
		rc |= add_tlv(list, TLVID_message_payload, m->payload,
		    (uint16_t)m->payload_len);
	if (m->sar_ref >= 0) {
		rc |= add_tlv_int(list, TLVID_sar_msg_ref_num, m->sar_ref, 2);
		rc |= add_tlv_int(list, TLVID_sar_total_segments, m->sar_total,
		    1);
		rc |= add_tlv_int(list, TLVID_sar_segment_seqnum, m->sar_seq, 1);
	}
	if (m->ussd_op >= 0) {
		op = (uint8_t)m->ussd_op;
		rc |= add_tlv(list, TLVID_ussd_service_op, &op, 1);
	}
	if (m->its_session >= 0)
		rc |= add_tlv_int(list, TLVID_its_session_info, m->its_session,
		    2);
	if (m->user_msg_ref >= 0)
		rc |= add_tlv_int(list, TLVID_user_message_reference,
		    m->user_msg_ref, 2);
	if (m->message_state >= 0)
		rc |= add_tlv_int(list, TLVID_message_state, m->message_state,
		    1);
	if (m->receipted_id[0])
		rc |= add_tlv(list, TLVID_receipted_message_id, m->receipted_id,
		    (uint16_t)(strlen(m->receipted_id) + 1));
	return rc ? -1 : 0;
}

#define SM_PUT_ADDRESSES(r, m) do {					\
	memcpy((r).service_type, (m)->service_type, sizeof((m)->service_type)); \
	(r).source_addr_ton = (m)->src_ton;				\
	(r).source_addr_npi = (m)->src_npi;				\
	memcpy((r).source_addr, (m)->src, sizeof((m)->src));		\
	(r).dest_addr_ton = (m)->dst_ton;				\
	(r).dest_addr_npi = (m)->dst_npi;				\
	memcpy((r).destination_addr, (m)->dst, sizeof((m)->dst));	\
	(r).esm_class = (m)->esm_class;					\
	(r).registered_delivery = (m)->registered_delivery;		\
	(r).data_coding = (m)->data_coding;				\
} while (0)

static int
pack_with_tlvs(void *req, tlv_t **list, const struct smpp_sm *m,
    uint8_t *out, size_t cap)
{
	int	len = 0;

	if (sm_build_tlvs(m, list) == -1)
		return -1;
	/* libsmpp34 wants room to spare: a full buffer fails the pack. */
	if (smpp34_pack2(out, (int)cap, &len, req) != 0)
		return -1;
	return len;
}

/* submit_sm and deliver_sm share their layout (SMPP 3.4 4.4, 4.6). */
#define SM_PUT_BODY(r, cmd, seq, m) do {				\
	memset(&(r), 0, sizeof(r));					\
	(r).command_id = (cmd);						\
	(r).sequence_number = (seq);					\
	SM_PUT_ADDRESSES(r, m);						\
	(r).protocol_id = (m)->protocol_id;				\
	(r).sm_length = (uint8_t)(m)->sm_len;				\
	memcpy((r).short_message, (m)->sm, (m)->sm_len);		\
} while (0)

static int
pack_submit(uint32_t seq, const struct smpp_sm *m, uint8_t *out, size_t cap)
{
	submit_sm_t	r;

	SM_PUT_BODY(r, SMPP_SUBMIT_SM, seq, m);
	return pack_with_tlvs(&r, &r.tlv, m, out, cap);
}

static int
pack_deliver(uint32_t seq, const struct smpp_sm *m, uint8_t *out, size_t cap)
{
	deliver_sm_t	r;

	SM_PUT_BODY(r, SMPP_DELIVER_SM, seq, m);
	return pack_with_tlvs(&r, &r.tlv, m, out, cap);
}

static int
pack_data(uint32_t seq, const struct smpp_sm *m, uint8_t *out, size_t cap)
{
	data_sm_t	r;

	memset(&r, 0, sizeof(r));
	r.command_id = SMPP_DATA_SM;
	r.sequence_number = seq;
	SM_PUT_ADDRESSES(r, m);
	return pack_with_tlvs(&r, &r.tlv, m, out, cap);
}

int
smpp_pdu_lib_pack_sm(uint32_t cmd, uint32_t seq, const struct smpp_sm *m,
    uint8_t *out, size_t cap, const char **errstr)
{
	int	len;

	*errstr = NULL;
	/* Its TLV values hold MAX_TLV_SIZE (1 KiB): longer would overrun. */
	if (m->sm_len > SMPP_SM_MAX || m->payload_len > SMPP_LIB_TLV_MAX ||
	    seq == 0) {
		*errstr = "message does not fit one PDU";
		return -1;
	}
	arena_init();
	switch (cmd) {
	case SMPP_SUBMIT_SM:	len = pack_submit(seq, m, out, cap); break;
	case SMPP_DELIVER_SM:	len = pack_deliver(seq, m, out, cap); break;
	case SMPP_DATA_SM:	len = pack_data(seq, m, out, cap); break;
	default:		len = -1; break;
	}
	arena_empty();
	if (len == -1)
		*errstr = "libsmpp34 could not pack the PDU";
	return len;
}

int
smpp_pdu_pack_bind(const struct smpp_bind *b, uint32_t seq, uint8_t *out,
    size_t cap, const char **errstr)
{
	bind_transceiver_t	r;	/* the three binds share one layout */
	int			len = 0;

	*errstr = NULL;
	if (strlen(b->system_id) >= sizeof(r.system_id) ||
	    strlen(b->password) >= sizeof(r.password) ||
	    strlen(b->system_type) >= sizeof(r.system_type)) {
		*errstr = "system_id, password or system_type too long";
		return -1;
	}
	memset(&r, 0, sizeof(r));
	r.command_id = b->cmd;
	r.sequence_number = seq;
	memcpy(r.system_id, b->system_id, strlen(b->system_id));
	memcpy(r.password, b->password, strlen(b->password));
	memcpy(r.system_type, b->system_type, strlen(b->system_type));
	r.interface_version = SMPP_VERSION;
	arena_init();
	if (smpp34_pack2(out, (int)cap, &len, &r) != 0)
		len = -1;
	arena_empty();
	if (len == -1)
		*errstr = "libsmpp34 could not pack the bind";
	return len;
}

int
smpp_pdu_unpack_bind(const uint8_t *buf, size_t n, struct smpp_bind *b,
    const char **errstr)
{
	bind_transceiver_t	r;
	struct frame_hdr	h;
	int			rc;

	*errstr = NULL;
	memset(b, 0, sizeof(*b));
	if (frame_tlv_count(buf, n, errstr) == -1)
		return -1;
	frame_hdr_read(buf, n, &h);
	if (h.id != SMPP_BIND_RECEIVER && h.id != SMPP_BIND_TRANSMITTER &&
	    h.id != SMPP_BIND_TRANSCEIVER) {
		*errstr = "not a bind";
		return -1;
	}
	memset(&r, 0, sizeof(r));
	arena_init();
	rc = smpp34_unpack(h.id, &r, buf, (int)n);
	arena_empty();
	if (rc != 0) {
		*errstr = "libsmpp34 refused the bind";
		return -1;
	}
	b->cmd = h.id;
	copy_cstr(b->system_id, sizeof(b->system_id), r.system_id);
	copy_cstr(b->password, sizeof(b->password), r.password);
	copy_cstr(b->system_type, sizeof(b->system_type), r.system_type);
	b->interface_version = r.interface_version;
	return 0;
}

int
smpp_status_transient(uint32_t status)
{
	switch (status) {
	case SMPP_RMSGQFUL:
	case SMPP_RTHROTTLED:
	case SMPP_RSYSERR:
	case SMPP_RSUBMITFAIL:
	case SMPP_RX_T_APPN:
	case SMPP_RUNKNOWNERR:
		return 1;
	default:
		return 0;
	}
}
