/*
 * The daemon as the wiring file (motcuad.c) holds it: one per process.
 * While the rooms still reach their neighbours through it, each file that
 * includes this is listed in tests/layering.allow.
 */
#ifndef GW_H
#define GW_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "store/store.h"

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
struct gw;

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
void		 gw_store_health(struct gw *, int ok, int refused);

#endif
