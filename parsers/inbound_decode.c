/*
 * The decisions gateway/office/inbound.c takes on a deliver_sm or data_sm before
 * anything is stored: where its user data is (short_message past any UDH,
 * or message_payload), whether it is one part of a long message, whether
 * it is a receipt and which message it reports on, who sent it, and its
 * text in UTF-8. Kept apart from the store so that the fuzzer drives the
 * daemon's own decoding rather than a copy of it.
 */
#include <stdio.h>
#include <string.h>

#include "dlr.h"
#include "inbound_decode.h"
#include "msisdn.h"
#include "smpp_pdu.h"
#include "text.h"

static int
refuse(struct inbound_pdu *out, uint32_t status, const char *why,
    const char *err)
{
	memset(&out->rcpt, 0, sizeof(out->rcpt));
	memset(&out->msg, 0, sizeof(out->msg));
	out->what = INBOUND_REFUSED;
	out->status = status;
	out->why = why;
	out->err = err;
	return -1;
}

/* The user data of a message: short_message past any UDH, or the payload. */
static int
message_body(const struct smpp_sm *sm, const uint8_t **body, size_t *blen,
    struct text_concat *cc)
{
	int	udh = 0;

	memset(cc, 0, sizeof(*cc));
	if (sm->payload_len >= 0 && sm->sm_len == 0) {
		*body = sm->payload;
		*blen = (size_t)sm->payload_len;
	} else {
		*body = sm->sm;
		*blen = sm->sm_len;
	}
	if (sm->esm_class & SMPP_ESM_UDHI) {
		if ((udh = text_udh_parse(*body, *blen, cc)) < 0)
			return -1;
		*body += udh;
		*blen -= (size_t)udh;
	} else if (sm->sar_total > 0 && sm->sar_seq > 0 && sm->sar_ref >= 0) {
		cc->ref = sm->sar_ref;
		cc->total = sm->sar_total;
		cc->seq = sm->sar_seq;
	}
	return 0;
}

/* A delivery receipt, or an intermediate notification: never a command. */
static int
is_receipt(const struct smpp_sm *sm)
{
	int	kind = sm->esm_class & SMPP_ESM_DLR_MASK;

	return kind == SMPP_ESM_DLR || kind == 0x08 || sm->receipted_id[0];
}

/* The TLVs win over the text: an id in receipted_message_id needs no text. */
static int
receipt(const struct smpp_sm *sm, const uint8_t *body, size_t blen,
    struct inbound_pdu *out)
{
	struct inbound_rcpt	*r = &out->rcpt;
	const char		*err;

	r->parsed = dlr_parse((const char *)body, blen, &r->dlr, &err) == 0;
	if (!r->parsed && sm->receipted_id[0] == '\0')
		return refuse(out, SMPP_ROK, "receipt not understood: dropped",
		    err);	/* acknowledged: a resend reads no better */
	snprintf(r->id, sizeof(r->id), "%s",
	    sm->receipted_id[0] ? sm->receipted_id : r->dlr.id);
	r->stat = dlr_stat_pick(sm->message_state, r->parsed,
	    (int)r->dlr.stat);
	switch (dlr_id_keys(r->id, r->keys)) {
	case -1:
		return refuse(out, SMPP_ROK,
		    "receipt without a usable id: dropped", NULL);
	case 1:
		memcpy(r->keys[1], r->keys[0], sizeof(r->keys[1]));
		break;
	}
	out->what = INBOUND_RECEIPT;
	return 0;
}

/* Text longer than raw keeps its start, cut between characters (*cut);
 * a part keeps an ESC that ends it: the next part holds its character. */
static int
decode_text(const struct smpp_sm *sm, enum text_alphabet dc0,
    const uint8_t *body, size_t blen, int part, char *out, size_t cap,
    int *cut)
{
	char	raw[INBOUND_TEXT_MAX];

	*cut = (part ? text_decode_part : text_decode)(sm->data_coding, dc0,
	    body, blen, raw, sizeof(raw)) == -1;
	return text_nfc(raw, out, cap);
}

/* A message from a phone (or a short code), whole or in part. */
static int
message(const struct smpp_sm *sm, const struct inbound_cfg *cfg,
    const uint8_t *body, size_t blen, const struct text_concat *cc,
    struct inbound_pdu *out)
{
	struct inbound_msg	*m = &out->msg;
	const char		*err;

	if (msisdn_normalize(sm->src, cfg->country_code, m->msisdn,
	    sizeof(m->msisdn), &err) == -1) {
		if (!msisdn_is_short_code(sm->src))
			return refuse(out, SMPP_ROK,
			    "is no phone number: not answered", err);
		snprintf(m->msisdn, sizeof(m->msisdn), "%s", sm->src);
	}
	/* Text that does not decode is still a message from someone: "". */
	if (decode_text(sm, cfg->dc0, body, blen, cc->total > 1, m->text,
	    sizeof(m->text), &m->cut) == -1)
		m->text[0] = '\0';
	/* The payload was longer than smpp_pdu.c keeps: cut there. */
	if (sm->sm_len == 0 && sm->payload_cut > 0)
		m->cut = 1;
	snprintf(m->dest, sizeof(m->dest), "%s", sm->dst);
	m->kind = sm->ussd_op >= 0 ? "ussd" : "sms";
	m->ussd_op = sm->ussd_op;
	m->its_session = sm->its_session;
	m->user_msg_ref = sm->user_msg_ref;
	m->concat = *cc;
	if (cc->total <= 1)
		out->what = sm->ussd_op >= 0 ? INBOUND_USSD : INBOUND_SMS;
	else if (cc->seq < 1 || cc->seq > cc->total)
		return refuse(out, SMPP_ROK,
		    "part number outside its set: ignored", NULL);
	else
		out->what = INBOUND_PART;
	return 0;
}

int
inbound_decode(const struct smpp_sm *sm, const struct inbound_cfg *cfg,
    struct inbound_pdu *out)
{
	struct text_concat	 cc;
	const uint8_t		*body;
	size_t			 blen;

	memset(out, 0, sizeof(*out));
	out->status = SMPP_ROK;
	if (message_body(sm, &body, &blen, &cc) == -1)
		return refuse(out, SMPP_RX_P_APPN, "malformed UDH: rejected",
		    NULL);
	if (is_receipt(sm))
		return receipt(sm, body, blen, out);
	return message(sm, cfg, body, blen, &cc, out);
}
