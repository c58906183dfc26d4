/*
 * motcuad: the daemon's shared header, grouped by the file that owns each
 * function (the tmux layout). Pure parsers have their own headers.
 */
#ifndef MOTCUA_H
#define MOTCUA_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "text.h"

struct cal_holidays;
struct event;
struct event_base;
struct sqlite3;
struct smpp_sm;
struct link;
struct replies;
struct case_store;
struct admin;
struct ussd;

/*
 * An SMSC delivers a message again only when our deliver_sm_resp did not
 * reach it before its session ended without an unbind (a drop, a timeout,
 * the process killed). So the same text from the same number within
 * STORE_DEDUP_WINDOW_MS is a redelivery only when the first copy came on a
 * session that ended that way and its response is not known to have
 * arrived; on the same session, or after a clean unbind, it is the
 * citizen writing again, and is answered again.
 *
 * Known to have arrived: TCP delivers in order, so when the SMSC answers
 * a request we wrote after a deliver_sm_resp, it has read that resp. Past
 * the last such proof nothing is known. REDELIVERY_WINDOW_MS adds the
 * responses written in the last seconds before a drop even when a proof
 * covers them: a segment lost once is resent after TCP's retransmission
 * timeout (1 s at first on Linux, then 2 s: 3 s for two losses), and an
 * SMSC that has read a resp may still lose it if the link falls before it
 * has recorded it. 5 s covers both with room; longer silences are caught
 * by the proof, which stops at the last answer from the SMSC.
 */
#define REDELIVERY_WINDOW_MS	5000
#define STORE_DEDUP_WINDOW_MS	(10 * 60 * 1000)
#define CONCAT_TIMEOUT_MS	(60 * 1000)	/* CONTRACT: parts after 60 s */
/*
 * Flood control: a phone stuck in a loop sends the same text again and
 * again; past this many copies in a minute they are stored, acknowledged
 * and not answered. [sms] flood_per_minute caps all texts from a number.
 */
#define FLOOD_SAME_PER_MINUTE	3
#define TEXT_MAX		4096		/* longest inbound text kept */

/* One message from a phone, as stored. */
struct inbound {
	int64_t		 id;
	char		 link[32];
	char		 msisdn[24];
	const char	*dest;
	const char	*text;
	const char	*kind;		/* "sms" or "ussd" */
	int64_t		 received_at;	/* unix ms */
	int64_t		 session;	/* the SMPP session it came on */
	int		 ussd_op;	/* -1 for an SMS */
	int		 its_session;	/* -1 when the SMSC sent none */
	int		 user_msg_ref;	/* -1 when the SMSC sent none */
};

/* One message to a phone, as queued. */
struct outbound {
	int64_t		 id;
	const char	*link;
	const char	*msisdn;
	const char	*text;
	const char	*kind;		/* "reply", "notify", "broadcast" */
	int		 prio;		/* OUT_PRIO_* */
	int64_t		 inbound_id;
	int64_t		 created_at;
	int		 ussd_op;	/* -1 for an SMS; else a USSD screen */
	int		 its_session;	/* echoed, -1 for none */
	int		 user_msg_ref;	/* echoed (USSD), -1 for none */
	int64_t		 broadcast_id;	/* 0 unless a broadcast's */
};

#define OUT_PRIO_REPLY		0
#define OUT_PRIO_BULK		1
#define OUT_NPRIO		2

struct part_set {
	char		 link[32];
	char		 msisdn[24];
	int		 ref, total;
};

struct dlr_rec {
	const char	*link;
	const char	*smsc_id;
	const char	*key, *key2;	/* normalised ids (dlr_id_keys) */
	const char	*stat;
	const char	*err;
	int		 final, success;
	int64_t		 received_at;
};

/* Counters for /health and /metrics; the modules that see an event count it. */
#define STATS_LAT_BUCKETS	12
extern const double stats_lat_bounds_ms[STATS_LAT_BUCKETS];	/* last: +Inf */

struct gw_stats {
	uint64_t	in_sms;			/* stored, not duplicates */
	uint64_t	in_dup;
	uint64_t	in_ussd;
	uint64_t	in_dlr;
	uint64_t	in_rejected;		/* garbled, refused */
	uint64_t	in_flood;		/* kept, not answered */
	uint64_t	out_submitted;		/* submit_sm written */
	uint64_t	out_sent;		/* messages with every part acked */
	uint64_t	out_failed;		/* permanent SMSC errors */
	uint64_t	out_retried;		/* transient errors, timeouts */
	uint64_t	throttled;
	uint64_t	reply_latency[STATS_LAT_BUCKETS];	/* inbound to sent */
	double		reply_latency_sum_ms;
	uint64_t	reply_latency_count;
};

/* The daemon: one per process, owned by motcuad.c. */
struct gw {
	struct event_base	*base;
	struct config		*cfg;
	struct store		*store;
	struct replies		*replies;
	struct case_store	*cases;
	struct admin		*admin;
	struct ussd		*ussd;
	struct broadcasts	*broadcasts;
	struct reminders	*reminders;
	struct link		*links[CONFIG_MAX_SMSC];
	int			 nlinks;
	int			 stopping;
	int			 store_trouble;
	struct event		*stop_ev;
	struct gw_stats		 stats;
};

/* motcuad.c */
int64_t		 gw_now_ms(void);
int64_t		 gw_mono_ms(void);
int		 gw_quiet(const struct gw *, int64_t now_ms);
void		 gw_outbox_kick(struct gw *);
void		 gw_store_health(struct gw *, int ok, int refused);

/* store.c */
typedef void	(*store_inbound_cb)(const struct inbound *, void *);
typedef void	(*store_outbound_cb)(const struct outbound *, void *);
typedef void	(*store_part_cb)(const struct part_set *, void *);
struct store	*store_open(const char *path, int sync_full);
void		 store_close(struct store *);
struct sqlite3	*store_db(struct store *);
int		 store_batch_begin(struct store *);
int		 store_batch_end(struct store *);
void		 store_batch_abort(struct store *);
int		 store_in_batch(const struct store *);
int		 store_savepoint(struct store *);
int		 store_release(struct store *, int keep);
int		 store_inbound_seen(struct store *, const struct inbound *,
		    int *same);
int		 store_inbound_insert(struct store *, const struct inbound *,
		    const char *state, int64_t *);
int		 store_inbound_done(struct store *, int64_t);
int		 store_inbound_recent(struct store *, const char *msisdn,
		    int64_t since, int64_t until, const char *text);
int		 store_inbound_each_new(struct store *, store_inbound_cb, void *);
int64_t		 store_inbound_last_id(const struct store *);
int		 store_session_begin(struct store *, int64_t id, const char *link,
		    int64_t now, int64_t proven_id);
int		 store_session_proven(struct store *, int64_t id, int64_t proven_id);
int		 store_session_end(struct store *, int64_t id, const char *how,
		    int64_t now, int64_t lost_after);
int		 store_sessions_load(struct store *, int64_t now);
int		 store_part_add(struct store *, const struct inbound *, int ref,
		    int total, int seq);
int		 store_part_take(struct store *, const char *msisdn, int ref,
		    int total, char *, size_t);
int		 store_part_each_old(struct store *, int64_t before,
		    store_part_cb, void *);
int64_t		 store_outbound_add(struct store *, const struct outbound *);
int		 store_outbound_load(struct store *, const char *link, int prio,
		    int64_t after, int limit, store_outbound_cb, void *);
int		 store_outbound_part(struct store *, int64_t, int part,
		    const char *smsc_id, const char *key, const char *key2);
int		 store_outbound_sent(struct store *, int64_t, int parts, int64_t);
int		 store_outbound_failed(struct store *, int64_t, uint32_t, int64_t);
int		 store_outbound_queued(struct store *);
int64_t		 store_dlr_add(struct store *, const struct dlr_rec *);

/* link.c */
#define LINK_STATUS_DROPPED	0xFFFFFFFFu	/* no response: the link fell */
struct link	*link_new(struct gw *, int idx);
void		 link_free(struct link *);
void		 link_start(struct link *);
void		 link_stop(struct link *);
int		 link_stopped(const struct link *);
const char	*link_name(const struct link *);
const char	*link_state(const struct link *);
const struct config_smsc *link_config(const struct link *);
enum text_alphabet link_dc0(const struct link *);
struct outbox	*link_outbox(const struct link *);
struct gw	*link_gw(const struct link *);
uint64_t	 link_reconnects(const struct link *);
int		 link_room(struct link *);
int		 link_submit(struct link *, const struct smpp_sm *, void *cookie);

/* inbound.c */
uint32_t	 inbound_deliver(struct gw *, struct link *, int64_t session,
		    const uint8_t *, size_t);
void		 inbound_resume(struct gw *);
void		 inbound_expire_parts(struct gw *);

/* outbox.c */
struct outbox;
struct outbox	*outbox_new(struct link *);
void		 outbox_free(struct outbox *);
int64_t		 outbox_queue(struct gw *, const char *msisdn, const char *text,
		    const char *kind, int prio, int64_t inbound_id);
int64_t		 outbox_queue_bulk(struct gw *, const char *msisdn,
		    const char *text, int64_t broadcast_id);
int64_t		 outbox_queue_ussd(struct gw *, const struct inbound *,
		    const char *text, int op, int its_session);
void		 outbox_refill(struct outbox *);
void		 outbox_pump(struct outbox *);
void		 outbox_on_resp(struct outbox *, void *cookie, uint32_t status,
		    const char *smsc_id);
int		 outbox_loaded(const struct outbox *);

/* replies.c */
struct replies	*replies_load(const char *dir, int max_segments,
		    enum config_charset, char *err, size_t errlen);
void		 replies_free(struct replies *);
int		 replies_render(const struct replies *, const char *name,
		    const char *const *keys, const char *const *vals, size_t n,
		    char *out, size_t cap);
const char	*replies_label(const struct replies *, const char *key);
const struct cal_holidays *replies_holidays(const struct replies *);
struct intent_ctx;
void		 replies_intent_ctx(const struct replies *, const struct config *,
		    struct intent_ctx *);
const struct intent_rules *replies_rules(const struct replies *);
struct template;
const struct template *replies_extra(const struct replies *, const char *);
const struct procedures *replies_procedures(const struct replies *);
struct menu;
const struct menu *replies_menu(const struct replies *);

/* broadcast.c */
struct broadcast_req {
	const char		*group;		/* one of group, msisdns, */
	const char *const	*msisdns;	/* cases_status */
	size_t			 nmsisdns;
	const char		*cases_status;
	const char		*text;		/* or a template */
	const char		*template;
	const char		*vars_json;	/* a JSON object, or NULL */
	int64_t			 at;		/* unix ms; 0 = now */
	int			 dry_run;
};

struct broadcast_info {
	int64_t		 id;			/* 0 for a dry run */
	char		 state[12];
	int64_t		 total, queued, sent, delivered, failed, skipped;
	/* what a dry run (and creation) shows before anything is sent */
	int64_t		 recipients;		/* after opt-outs, duplicates, cap */
	int		 parts;			/* SMS parts per message */
	int64_t		 total_parts;
	char		 sample_to[24];
	char		 sample[TEXT_MAX];
};

struct broadcasts;
struct broadcasts *broadcast_start(struct gw *);
void		 broadcast_stop(struct broadcasts *);
/* 0 created (or dry run shown), -1 bad request (err says why), -2 store. */
int		 broadcast_create(struct gw *, const struct broadcast_req *,
		    struct broadcast_info *, char *err, size_t errlen);
/* 1 found, 0 no such broadcast, -1 store error. */
int		 broadcast_get(struct gw *, int64_t id, struct broadcast_info *);
int		 broadcast_cancel(struct gw *, int64_t id, struct broadcast_info *);
/* Calls cb for the newest broadcasts first, at most limit; -1 on error. */
int		 broadcast_list(struct gw *, int limit,
		    void (*cb)(const struct broadcast_info *, void *), void *);
int		 broadcast_cancelled(struct gw *, int64_t id);
void		 broadcast_kick(struct gw *);
#define BROADCAST_NSTATES	5
struct broadcast_gauges {
	const char	*state[BROADCAST_NSTATES];
	int64_t		 count[BROADCAST_NSTATES];	/* broadcasts */
	int64_t		 pending;	/* recipients not yet queued */
};
/* For /metrics: broadcasts by state; 0, or -1 on a store error. */
int		 broadcast_gauges(struct gw *, struct broadcast_gauges *);

/* admin.c */
struct admin	*admin_start(struct gw *, char *err, size_t errlen);
void		 admin_stop(struct admin *);

/* dispatch.c */
struct case_rec;
int		 dispatch_sms(struct gw *, const struct inbound *);
/*
 * The actions SMS and USSD share: each renders the citizen's answer into
 * out (the same text an SMS would carry) and returns 1 when it found or
 * made a case (*c filled), 0 when not (not found, mistyped, unknown
 * procedure, too many look-ups), -1 on a store error.
 */
int		 dispatch_status(struct gw *, const struct inbound *,
		    const char *code, char *out, size_t cap, struct case_rec *);
int		 dispatch_submit(struct gw *, const struct inbound *,
		    const char *proc, const char *request, char *out, size_t cap,
		    struct case_rec *);

/* reminders.c */
struct reminders *reminders_start(struct gw *);
void		 reminders_stop(struct reminders *);
int		 reminders_due_each(struct gw *, int64_t now, const char *date,
		    void (*)(const struct case_rec *, void *), void *);
int		 rating_ask_if_due(struct gw *, const struct case_rec *);
int		 rating_take(struct gw *, const struct inbound *,
		    const char *digit, char *out, size_t cap);

/* report.c */
struct json_t;
struct cal_date;
int		 report_add(struct gw *, struct json_t *, int64_t since,
		    int64_t until, const struct cal_date *last_day);

/* ussd.c */
struct ussd	*ussd_start(struct gw *);
void		 ussd_stop(struct ussd *);
int		 ussd_handle(struct gw *, const struct inbound *);
int		 ussd_sessions(const struct ussd *);	/* open now, for metrics */

#endif
