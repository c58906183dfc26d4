/*
 * What arrives from phones: a deliver_sm (or data_sm) becomes a stored
 * message before it is acknowledged. Receipts are matched to their message
 * and never read as commands; parts of a long message wait on disk until
 * the set is complete (or 60 s have passed); a whole message is stored and
 * handled in one savepoint, so its reply and its effects commit together.
 */
#include <stdio.h>
#include <string.h>

#include "dlr.h"
#include "log.h"
#include "motcua.h"
#include "msisdn.h"
#include "smpp_pdu.h"
#include "text.h"

/*
 * Past the flood limit a message is kept, marked done, and not answered.
 * same: the earlier copies of its text in the last minute, or -1 to count
 * them here; mine: 1 while the message itself is not stored yet.
 */
static int
flooding(struct gw *gw, const struct inbound *in, int same, int mine)
{
	int64_t	since = in->received_at - 60 * 1000;
	int	cap = gw->cfg->flood_per_minute, all = 0;

	if (strcmp(in->kind, "sms") != 0)
		return 0;
	if (same < 0)
		same = store_inbound_recent(gw->store, in->msisdn, since,
		    in->received_at, in->text);
	same += mine;
	if (same <= FLOOD_SAME_PER_MINUTE && (cap == 0 ||
	    (all = store_inbound_recent(gw->store, in->msisdn, since,
	    in->received_at, NULL) + mine) <= cap))
		return 0;
	gw->stats.in_flood++;
	if (same == FLOOD_SAME_PER_MINUTE + 1 || all == cap + 1)
		log_warnx("msisdn=%s flooding (%d same, %d in a minute): not "
		    "answering until it slows down", in->msisdn, same, all);
	return 1;
}

static void
inbound_not_handled(const struct inbound *in)
{
	log_warnx("msisdn=%s in=%lld not handled: will retry", in->msisdn,
	    (long long)in->id);
}

/* A stored message still 'new' (after a restart): handled now. */
static void
inbound_handle(struct gw *gw, const struct inbound *in)
{
	int	ok;

	if (flooding(gw, in, -1, 0)) {
		store_inbound_done(gw->store, in->id);
		return;
	}
	if (store_savepoint(gw->store) == -1)
		return;
	ok = dispatch_sms(gw, in) == 0 && store_inbound_done(gw->store, in->id)
	    == 0;
	store_release(gw->store, ok);
	if (!ok)
		inbound_not_handled(in);
}

/*
 * A message as it arrives: stored and handled in one savepoint, so it is
 * written once, already 'done', with its reply. If handling fails, the
 * savepoint goes and the message is stored 'new' for a later try.
 */
static uint32_t
inbound_first(struct gw *gw, struct inbound *in)
{
	int	ok;

	if (store_savepoint(gw->store) == -1)
		return SMPP_RX_T_APPN;
	ok = store_inbound_insert(gw->store, in, "done", &in->id) == 0;
	if (ok) {
		/* Citizens' words stay out of the log: the database has them. */
		log_debug("link=%s msisdn=%s in=%lld kind=%s bytes=%zu",
		    in->link, in->msisdn, (long long)in->id, in->kind,
		    strlen(in->text));
		ok = dispatch_sms(gw, in) == 0;
	}
	if (store_release(gw->store, ok) == -1)
		return SMPP_RX_T_APPN;
	if (ok)
		return SMPP_ROK;
	if (store_inbound_insert(gw->store, in, "new", &in->id) == -1)
		return SMPP_RX_T_APPN;
	inbound_not_handled(in);
	return SMPP_ROK;
}

static uint32_t
inbound_store(struct gw *gw, struct inbound *in)
{
	uint32_t	status = SMPP_ROK;
	int		dup, same;

	if ((dup = store_inbound_seen(gw->store, in, &same)) == -1)
		return SMPP_RX_T_APPN;
	if (dup) {
		if (store_inbound_insert(gw->store, in, "dup", &in->id) == -1)
			return SMPP_RX_T_APPN;
		gw->stats.in_dup++;
		log_info("link=%s msisdn=%s in=%lld duplicate of a recent "
		    "message: no action", in->link, in->msisdn,
		    (long long)in->id);
		return SMPP_ROK;
	}
	if (!flooding(gw, in, same, 1))
		status = inbound_first(gw, in);
	else if (store_inbound_insert(gw->store, in, "done", &in->id) == -1)
		status = SMPP_RX_T_APPN;
	if (status == SMPP_ROK && strcmp(in->kind, "ussd") == 0)
		gw->stats.in_ussd++;
	else if (status == SMPP_ROK)
		gw->stats.in_sms++;
	return status;
}

static uint32_t
on_receipt(struct gw *gw, struct link *l, const struct smpp_sm *sm,
    const char *body, size_t blen)
{
	struct dlr	 d;
	struct dlr_rec	 r;
	char		 keys[2][DLR_KEY_MAX];
	const char	*err, *id;
	int		 stat, parsed;
	int64_t		 out;

	memset(&d, 0, sizeof(d));
	parsed = dlr_parse(body, blen, &d, &err) == 0;
	if (!parsed && sm->receipted_id[0] == 0) {
		log_warnx("link=%s receipt not understood: %s", link_name(l), err);
		return SMPP_ROK;	/* acknowledged: a resend reads no better */
	}
	id = sm->receipted_id[0] ? sm->receipted_id : d.id;
	stat = dlr_stat_pick(sm->message_state, parsed, (int)d.stat);
	switch (dlr_id_keys(id, keys)) {
	case -1:
		log_warnx("link=%s receipt without a usable id", link_name(l));
		return SMPP_ROK;
	case 1:
		memcpy(keys[1], keys[0], sizeof(keys[1]));
		break;
	}
	memset(&r, 0, sizeof(r));
	r.link = link_name(l);
	r.smsc_id = id;
	r.key = keys[0];
	r.key2 = keys[1];
	r.stat = dlr_stat_name(stat);
	r.err = d.err;
	r.final = dlr_stat_is_final(stat);
	r.success = dlr_stat_is_success(stat);
	r.received_at = gw_now_ms(gw);
	if ((out = store_dlr_add(gw->store, &r)) == -1)
		return SMPP_RX_T_APPN;
	gw->stats.in_dlr++;
	log_debug("link=%s receipt id=%s stat=%s out=%lld", link_name(l), id,
	    r.stat, (long long)out);
	return SMPP_ROK;
}

/* The user data of a message: short_message past any UDH, or the payload. */
static int
message_body(const struct smpp_sm *sm, const uint8_t **body, size_t *blen,
    struct text_concat *cc)
{
	int	udh = 0;

	cc->total = 0;
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

static enum text_alphabet
link_dc0(const struct link *l)
{
	switch (link_config(l)->default_alphabet) {
	case CONFIG_ALPHA_LATIN1:	return TEXT_LATIN1;
	case CONFIG_ALPHA_ASCII:	return TEXT_ASCII;
	default:			return TEXT_GSM7;
	}
}

static int
decode_text(const struct link *l, const struct smpp_sm *sm,
    const uint8_t *body, size_t blen, char *out, size_t cap)
{
	char	raw[TEXT_MAX];

	if (text_decode(sm->data_coding, link_dc0(l), body, blen, raw,
	    sizeof(raw)) == -1)
		return -1;
	return text_nfc(raw, out, cap);
}

static uint32_t
on_part(struct gw *gw, struct inbound *in, const struct text_concat *cc)
{
	char	whole[TEXT_MAX];
	int	n;

	if (cc->seq < 1 || cc->seq > cc->total) {
		log_warnx("msisdn=%s part %d of %d ignored", in->msisdn, cc->seq,
		    cc->total);
		return SMPP_ROK;
	}
	if ((n = store_part_add(gw->store, in, cc->ref, cc->total, cc->seq))
	    == -1)
		return SMPP_RX_T_APPN;
	if (n < cc->total)
		return SMPP_ROK;
	if (store_part_take(gw->store, in->msisdn, cc->ref, cc->total, whole,
	    sizeof(whole)) == -1)
		return SMPP_RX_T_APPN;
	in->text = whole;
	return inbound_store(gw, in);
}

uint32_t
inbound_deliver(struct gw *gw, struct link *l, int64_t session,
    const uint8_t *pdu, size_t len)
{
	struct smpp_sm		 sm;
	struct inbound		 in;
	struct text_concat	 cc;
	const uint8_t		*body;
	const char		*err;
	char			 text[TEXT_MAX];
	size_t			 blen;

	if (smpp_pdu_unpack_sm(pdu, len, &sm, &err) == -1) {
		log_warnx("link=%s garbled deliver_sm: %s: rejected", link_name(l),
		    err);
		gw->stats.in_rejected++;
		return SMPP_RX_P_APPN;
	}
	if (message_body(&sm, &body, &blen, &cc) == -1) {
		log_warnx("link=%s src=%s malformed UDH: rejected", link_name(l),
		    sm.src);
		return SMPP_RX_P_APPN;
	}
	if ((sm.esm_class & SMPP_ESM_DLR_MASK) == SMPP_ESM_DLR ||
	    (sm.esm_class & SMPP_ESM_DLR_MASK) == 0x08 || sm.receipted_id[0])
		return on_receipt(gw, l, &sm, (const char *)body, blen);

	memset(&in, 0, sizeof(in));
	snprintf(in.link, sizeof(in.link), "%s", link_name(l));
	if (msisdn_normalize(sm.src, gw->cfg->country_code, in.msisdn,
	    sizeof(in.msisdn), &err) == -1) {
		if (!msisdn_is_short_code(sm.src)) {
			log_warnx("link=%s src=\"%s\" is no phone number (%s): "
			    "not answered", link_name(l), sm.src, err);
			return SMPP_ROK;
		}
		snprintf(in.msisdn, sizeof(in.msisdn), "%s", sm.src);
	}
	if (decode_text(l, &sm, body, blen, text, sizeof(text)) == -1)
		snprintf(text, sizeof(text), "%s", "");
	in.dest = sm.dst;
	in.text = text;
	in.kind = sm.ussd_op >= 0 ? "ussd" : "sms";
	in.ussd_op = sm.ussd_op;
	in.its_session = sm.its_session;
	in.user_msg_ref = sm.user_msg_ref;
	in.received_at = gw_now_ms(gw);
	in.session = session;
	if (cc.total > 1)
		return on_part(gw, &in, &cc);
	return inbound_store(gw, &in);
}

static void
resume_one(const struct inbound *in, void *arg)
{
	inbound_handle(arg, in);
}

/* Handles what was stored but not answered before a crash. */
void
inbound_resume(struct gw *gw)
{
	int	n;

	if (store_batch_begin(gw->store) == -1)
		return;
	n = store_inbound_each_new(gw->store, resume_one, gw);
	if (store_batch_end(gw->store) == -1)
		log_warnx("store: resuming stored messages failed");
	else if (n)
		log_info("resumed %d stored message(s) left unanswered", n);
}

static void
expire_one(const struct part_set *ps, void *arg)
{
	struct gw	*gw = arg;
	struct inbound	 in;
	char		 whole[TEXT_MAX];

	if (store_part_take(gw->store, ps->msisdn, ps->ref, ps->total, whole,
	    sizeof(whole)) == -1)
		return;
	log_warnx("link=%s msisdn=%s parts of ref=%d missing after 60 s: "
	    "handling what arrived", ps->link, ps->msisdn, ps->ref);
	memset(&in, 0, sizeof(in));
	snprintf(in.link, sizeof(in.link), "%s", ps->link);
	snprintf(in.msisdn, sizeof(in.msisdn), "%s", ps->msisdn);
	in.dest = "";
	in.text = whole;
	in.kind = "sms";
	in.ussd_op = in.its_session = in.user_msg_ref = -1;
	in.received_at = gw_now_ms(gw);
	in.session = 0;
	inbound_store(gw, &in);
}

void
inbound_expire_parts(struct gw *gw)
{
	if (store_batch_begin(gw->store) == -1)
		return;
	store_part_each_old(gw->store, gw_now_ms(gw) - CONCAT_TIMEOUT_MS,
	    expire_one, gw);
	if (store_batch_end(gw->store) == 0)
		gw_outbox_kick(gw);
}
