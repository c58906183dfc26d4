/*
 * The carrier links room: SMPP sessions (link.c) and what each link sends
 * (outbox.c). Knows nothing of cases or commands: a link is given at
 * creation the callbacks a deliver_sm goes to, its outbox everything it
 * reads, and the counters both keep belong to the wiring.
 */
#ifndef SMPP_H
#define SMPP_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "text.h"
#include "store/store.h"

struct event_base;
struct smpp_sm;
struct link;

/*
 * Counters for /health and /metrics: the wiring owns them and hands them
 * to the links and outboxes; the code that sees an event counts it.
 */
#define STATS_LAT_BUCKETS	12
extern const double stats_lat_bounds_ms[STATS_LAT_BUCKETS];	/* last: +Inf */

struct smpp_stats {
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

/* link.c */
#define LINK_STATUS_DROPPED	0xFFFFFFFFu	/* no response: the link fell */
/*
 * What a link tells the room that made it, given at creation (tmux's
 * dispatchcb, OpenSMTPD's imsg handlers): it calls nothing above by name.
 */
struct link_cb {
	/* A deliver_sm or data_sm, inside the read's store batch; now: when
	 * it was read (unix ms). Returns the command_status to answer. */
	uint32_t	(*deliver)(void *, struct link *, int64_t session,
			    const uint8_t *, size_t, int64_t now);
	/* The read's batch is over, committed or not (the store's health);
	 * refused: the messages it answered "retry later". */
	void		(*batch_done)(void *, struct link *, int committed,
			    int refused);
	/* A connection bound, or dropped (why); either may be NULL. */
	void		(*up)(void *, struct link *);
	void		(*down)(void *, struct link *, const char *why);
	void		*arg;
};
struct link_params {
	const struct config_smsc *smsc;		/* its section */
	const struct config	*office;	/* for its outbox */
	struct store		*store;
	struct event_base	*base;
	struct smpp_stats	*stats;
	struct link_cb		 cb;
};
struct link	*link_new(const struct link_params *);
void		 link_free(struct link *);
void		 link_start(struct link *);
void		 link_stop(struct link *);
int		 link_stopped(const struct link *);
const char	*link_name(const struct link *);
const char	*link_state(const struct link *);
enum text_alphabet link_dc0(const struct link *);
struct outbox	*link_outbox(const struct link *);
uint64_t	 link_reconnects(const struct link *);
int		 link_room(struct link *);
int		 link_submit(struct link *, const struct smpp_sm *, void *cookie);

/* outbox.c */
struct outbox;
/* What an outbox is given at creation: it asks nobody else. */
struct outbox_params {
	const struct config_smsc *smsc;		/* its link's section */
	const struct config	*office;	/* quiet hours, charset, segments */
	enum text_alphabet	 dc0;		/* what data_coding 0 means */
	struct store		*store;
	struct event_base	*base;
	struct smpp_stats	*stats;
};
struct outbox	*outbox_new(struct link *, const struct outbox_params *);
void		 outbox_free(struct outbox *);
int64_t		 outbox_queue(struct store *, const struct config *,
		    const char *msisdn, const char *text, const char *kind,
		    int prio, int64_t inbound_id);
int64_t		 outbox_queue_bulk(struct store *, const struct config *,
		    const char *msisdn, const char *text, int64_t broadcast_id);
int64_t		 outbox_queue_ussd(struct store *, const struct inbound *,
		    const char *text, int op, int its_session);
void		 outbox_kick(struct outbox *);
void		 outbox_pump(struct outbox *);
void		 outbox_on_resp(struct outbox *, void *cookie, uint32_t status,
		    const char *smsc_id);
int		 outbox_loaded(const struct outbox *);
/* Drops a cancelled broadcast's messages not yet begun; how many. */
int		 outbox_drop_broadcast(struct outbox *, int64_t broadcast_id);

#endif
