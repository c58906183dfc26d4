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
#include "smpp/smpp.h"

struct admin;
struct broadcasts;
struct case_store;
struct event;
struct event_base;
struct link;
struct reminders;
struct replies;
struct ussd;

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
	struct smpp_stats	 stats;
};

#endif
