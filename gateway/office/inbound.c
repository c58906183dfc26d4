/*
 * What arrives from phones: a deliver_sm (or data_sm) becomes a stored
 * message before it is acknowledged. Receipts are matched to their message
 * and never read as commands; parts of a long message wait on disk until
 * the set is complete (or 60 s have passed); a whole message is stored and
 * handled in one savepoint, so its reply and its effects commit together.
 *
 * A set that cannot complete is closed early the same way, what arrived
 * handled as one message: when a part reuses its reference with other
 * text (8-bit references repeat: that is a new message), and when its
 * number opens more than PARTS_PER_NUMBER sets. Expiry runs off the hot
 * path, oldest first, a short transaction at a time, so that a flood of
 * parts that never complete does not stall the messages behind it.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <event2/event.h>

#include "dlr.h"
#include "inbound_decode.h"
#include "log.h"
#include "clock.h"
#include "store/store.h"
#include "smpp/smpp.h"
#include "office/office.h"
#include "smpp_pdu.h"
#include "text.h"

_Static_assert(INBOUND_TEXT_MAX == TEXT_MAX, "a decoded text fits a message");

#define PARTS_PER_NUMBER	8	/* long messages open per number (the */
					/* log line in part_cap says 8) */
#define PARTS_MAX		200000	/* parts waiting in all */
#define EXPIRE_ROWS		100	/* parts read per expiry transaction */
#define EXPIRE_BUDGET_MS	20	/* ... and the time it may take */
#define EXPIRE_GAP_MS		50	/* the loop's turn, the checkpointer's too */

static int	expire_scheduled;	/* a follow-up pass is due: one chain */

/*
 * Past the flood limit a message is kept, marked done, and not answered.
 * same: the earlier copies of its text in the last minute, or -1 to count
 * them here; mine: 1 while the message itself is not stored yet.
 */
static int
flooding(struct office *of, const struct inbound *in, int same, int mine)
{
	int64_t	since = in->received_at - 60 * 1000;
	int	cap = of->cfg->flood_per_minute, all = 0;

	if (strcmp(in->kind, "sms") != 0)
		return 0;
	if (same < 0)
		same = store_inbound_recent(of->store, in->msisdn, since,
		    in->received_at, in->text);
	same += mine;
	if (same <= FLOOD_SAME_PER_MINUTE && (cap == 0 ||
	    (all = store_inbound_recent(of->store, in->msisdn, since,
	    in->received_at, NULL) + mine) <= cap))
		return 0;
	of->stats.in_flood++;
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
inbound_handle(struct office *of, const struct inbound *in)
{
	int	ok;

	if (flooding(of, in, -1, 0)) {
		store_inbound_done(of->store, in->id);
		return;
	}
	if (store_savepoint(of->store) == -1)
		return;
	ok = dispatch_sms(of, in) == 0 && store_inbound_done(of->store, in->id)
	    == 0;
	store_release(of->store, ok);
	if (!ok)
		inbound_not_handled(in);
}

/*
 * A message as it arrives: stored and handled in one savepoint, so it is
 * written once, already 'done', with its reply. If handling fails, the
 * savepoint goes and the message is stored 'new' for a later try.
 */
static uint32_t
inbound_first(struct office *of, struct inbound *in)
{
	int	ok;

	if (store_savepoint(of->store) == -1)
		return SMPP_RX_T_APPN;
	ok = store_inbound_insert(of->store, in, "done", &in->id) == 0;
	if (ok) {
		/* Citizens' words stay out of the log: the database has them. */
		log_debug("link=%s msisdn=%s in=%lld kind=%s bytes=%zu",
		    in->link, in->msisdn, (long long)in->id, in->kind,
		    strlen(in->text));
		ok = dispatch_sms(of, in) == 0;
	}
	if (store_release(of->store, ok) == -1)
		return SMPP_RX_T_APPN;
	if (ok)
		return SMPP_ROK;
	if (store_inbound_insert(of->store, in, "new", &in->id) == -1)
		return SMPP_RX_T_APPN;
	inbound_not_handled(in);
	return SMPP_ROK;
}

static uint32_t
inbound_store(struct office *of, struct inbound *in)
{
	uint32_t	status = SMPP_ROK;
	int		dup, same;

	if ((dup = store_inbound_seen(of->store, in, &same)) == -1)
		return SMPP_RX_T_APPN;
	if (dup) {
		if (store_inbound_insert(of->store, in, "dup", &in->id) == -1)
			return SMPP_RX_T_APPN;
		of->stats.in_dup++;
		log_info("link=%s msisdn=%s in=%lld possible redelivery of a "
		    "message whose acknowledgement may have been lost: no "
		    "action", in->link, in->msisdn, (long long)in->id);
		return SMPP_ROK;
	}
	if (!flooding(of, in, same, 1))
		status = inbound_first(of, in);
	else if (store_inbound_insert(of->store, in, "done", &in->id) == -1)
		status = SMPP_RX_T_APPN;
	if (status == SMPP_ROK && strcmp(in->kind, "ussd") == 0)
		of->stats.in_ussd++;
	else if (status == SMPP_ROK)
		of->stats.in_sms++;
	return status;
}

/* Answered but kept nowhere: one line for the operator, nothing else. */
static uint32_t
on_refused(const struct link *l, const struct smpp_sm *sm,
    const struct inbound_pdu *d)
{
	log_warnx("link=%s src=\"%s\" %s%s%s%s", link_name(l), sm->src, d->why,
	    d->err ? " (" : "", d->err ? d->err : "", d->err ? ")" : "");
	return d->status;
}

static uint32_t
on_receipt(struct office *of, struct link *l, const struct inbound_rcpt *rc,
    int64_t now)
{
	struct dlr_rec	 r;
	int64_t		 out;

	memset(&r, 0, sizeof(r));
	r.link = link_name(l);
	r.smsc_id = rc->id;
	r.key = rc->keys[0];
	r.key2 = rc->keys[1];
	r.stat = dlr_stat_name(rc->stat);
	r.err = rc->dlr.err;
	r.final = dlr_stat_is_final(rc->stat);
	r.success = dlr_stat_is_success(rc->stat);
	r.received_at = now;
	if ((out = store_dlr_add(of->store, &r)) == -1)
		return SMPP_RX_T_APPN;
	of->stats.in_dlr++;
	log_debug("link=%s receipt id=%s stat=%s out=%lld", link_name(l),
	    rc->id, r.stat, (long long)out);
	return SMPP_ROK;
}

/* Joins the set's parts into whole and deletes them; a cut is logged. */
static int
part_take(struct office *of, const struct part_set *ps, char *whole,
    size_t cap)
{
	size_t	cut;
	int	n;

	if ((n = store_part_take(of->store, ps->msisdn, ps->ref, ps->total,
	    whole, cap, &cut)) == -1)
		return -1;
	if (cut > 0)
		log_warnx("link=%s msisdn=%s long message ref=%d of %d parts "
		    "cut to %d bytes: %zu bytes left out", ps->link, ps->msisdn,
		    ps->ref, ps->total, n, cut);
	return n;
}

/* A set closed before it is complete: what arrived is one message. */
static void
part_close(struct office *of, const struct part_set *ps, int64_t now,
    const char *why)
{
	struct inbound	 in;
	char		 whole[TEXT_MAX];

	if (part_take(of, ps, whole, sizeof(whole)) == -1)
		return;
	log_warnx("link=%s msisdn=%s parts of ref=%d %s: handling what arrived",
	    ps->link, ps->msisdn, ps->ref, why);
	memset(&in, 0, sizeof(in));
	snprintf(in.link, sizeof(in.link), "%s", ps->link);
	snprintf(in.msisdn, sizeof(in.msisdn), "%s", ps->msisdn);
	in.dest = "";
	in.text = whole;
	in.kind = "sms";
	in.ussd_op = in.its_session = in.user_msg_ref = -1;
	in.received_at = now;
	in.session = 0;
	inbound_store(of, &in);
}

static void
part_set_of(const struct inbound *in, const struct text_concat *cc,
    struct part_set *ps)
{
	memset(ps, 0, sizeof(*ps));
	snprintf(ps->link, sizeof(ps->link), "%s", in->link);
	snprintf(ps->msisdn, sizeof(ps->msisdn), "%s", in->msisdn);
	ps->ref = cc->ref;
	ps->total = cc->total;
}

/* A new set: past PARTS_PER_NUMBER open, the number's oldest closes. */
static int
part_cap(struct office *of, const struct inbound *in,
    const struct text_concat *cc)
{
	struct part_set	old;
	int		n;

	if ((n = store_part_others(of->store, in->msisdn, cc->ref, cc->total,
	    PARTS_PER_NUMBER, &old)) == -1)
		return -1;
	if (n >= PARTS_PER_NUMBER)
		part_close(of, &old, in->received_at, "closed early: the number "
		    "has 8 newer long messages unfinished");
	return 0;
}

/*
 * Parts wait on disk; the last one to arrive brings the whole text. A
 * part whose number the set holds with other text starts a new set once
 * the old one is closed: never dropped as a copy, never joined to it.
 */
static uint32_t
on_part(struct office *of, struct inbound *in, const struct text_concat *cc)
{
	struct part_set	 set;
	char		 whole[TEXT_MAX];
	int		 n;

	part_set_of(in, cc, &set);
	n = store_part_add(of->store, in, cc->ref, cc->total, cc->seq);
	if (n == STORE_PART_CONFLICT) {
		part_close(of, &set, in->received_at, "reused by a new message "
		    "before this one was complete");
		n = store_part_add(of->store, in, cc->ref, cc->total, cc->seq);
	}
	if (n < 0 || (n == 1 && part_cap(of, in, cc) == -1))
		return SMPP_RX_T_APPN;
	if (n < cc->total)
		return SMPP_ROK;
	if (part_take(of, &set, whole, sizeof(whole)) == -1)
		return SMPP_RX_T_APPN;
	in->text = whole;
	return inbound_store(of, in);
}

/* A deliver_sm or data_sm read at now (unix ms): the status to answer. */
uint32_t
inbound_deliver(struct office *of, struct link *l, int64_t session,
    const uint8_t *pdu, size_t len, int64_t now)
{
	struct smpp_sm		 sm;
	struct inbound_cfg	 cfg;
	struct inbound_pdu	 d;
	struct inbound		 in;
	const char		*err;

	if (smpp_pdu_unpack_sm(pdu, len, &sm, &err) == -1) {
		log_warnx("link=%s garbled deliver_sm: %s: rejected", link_name(l),
		    err);
		of->stats.in_rejected++;
		return SMPP_RX_P_APPN;
	}
	cfg.dc0 = link_dc0(l);
	cfg.country_code = of->cfg->country_code;
	if (inbound_decode(&sm, &cfg, &d) == -1)
		return on_refused(l, &sm, &d);
	if (d.what == INBOUND_RECEIPT)
		return on_receipt(of, l, &d.rcpt, now);
	/* Too long is no reason to lose it: stored cut, and said once. */
	if (d.msg.cut)
		log_warnx("link=%s msisdn=%s message_payload of %d octets: "
		    "longer than the store keeps, stored cut to its first %zu "
		    "bytes", link_name(l), d.msg.msisdn,
		    sm.payload_len + sm.payload_cut, strlen(d.msg.text));

	memset(&in, 0, sizeof(in));
	snprintf(in.link, sizeof(in.link), "%s", link_name(l));
	snprintf(in.msisdn, sizeof(in.msisdn), "%s", d.msg.msisdn);
	in.dest = d.msg.dest;
	in.text = d.msg.text;
	in.kind = d.msg.kind;
	in.ussd_op = d.msg.ussd_op;
	in.its_session = d.msg.its_session;
	in.user_msg_ref = d.msg.user_msg_ref;
	in.received_at = now;
	in.session = session;
	if (d.what == INBOUND_PART)
		return on_part(of, &in, &d.msg.concat);
	return inbound_store(of, &in);
}

static void
resume_one(const struct inbound *in, void *arg)
{
	inbound_handle(arg, in);
}

/* Handles what was stored but not answered before a crash. */
void
inbound_resume(struct office *of)
{
	int	n;

	if (store_batch_begin(of->store) == -1)
		return;
	n = store_inbound_each_new(of->store, resume_one, of);
	if (store_batch_end(of->store) == -1)
		log_warnx("store: resuming stored messages failed");
	else if (n)
		log_info("resumed %d stored message(s) left unanswered", n);
}

/*
 * One short transaction of expiry, oldest first: the sets whose first
 * part is 60 s old, or, past PARTS_MAX parts waiting, the oldest ones
 * anyway. 1 when more may be due.
 */
static int
expire_batch(struct office *of, int64_t now)
{
	struct part_set	 sets[EXPIRE_ROWS];
	int64_t		 before = now - CONCAT_TIMEOUT_MS, t0 = clock_mono_ms();
	int		 rows, n, i, over;

	if ((over = store_part_rows(of->store) > PARTS_MAX))
		before = INT64_MAX;
	if (store_batch_begin(of->store) == -1)
		return 0;
	rows = store_part_old(of->store, before, sets, EXPIRE_ROWS, &n);
	for (i = 0; i < n && clock_mono_ms() - t0 < EXPIRE_BUDGET_MS; i++)
		part_close(of, &sets[i], now, over ? "closed early: too many "
		    "parts waiting" : "missing after 60 s");
	if (store_batch_end(of->store) == -1)
		return 0;
	if (i > 0)
		log_debug("expired %d incomplete long message(s)", i);
	return rows == EXPIRE_ROWS || i < n;
}

static void
expire_more(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd; (void)ev;
	expire_scheduled = 0;
	inbound_expire_parts(arg, clock_wall_ms());
}

/*
 * Housekeeping at now (unix ms): one batch, and while more are due the
 * next after the loop has had its turn. A tick that finds the chain at
 * work leaves it to it.
 */
void
inbound_expire_parts(struct office *of, int64_t now)
{
	struct timeval	gap = { 0, EXPIRE_GAP_MS * 1000 };

	if (expire_scheduled || !expire_batch(of, now) || of->base == NULL)
		return;
	if (event_base_once(of->base, -1, EV_TIMEOUT, expire_more, of,
	    &gap) == 0)
		expire_scheduled = 1;
}
