/*
 * The carrier links room: SMPP sessions (link.c) and what each link sends
 * (outbox.c). Knows nothing of cases or commands.
 */
#ifndef SMPP_H
#define SMPP_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "text.h"
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
void		 outbox_kick(struct outbox *);
void		 outbox_pump(struct outbox *);
void		 outbox_on_resp(struct outbox *, void *cookie, uint32_t status,
		    const char *smsc_id);
int		 outbox_loaded(const struct outbox *);
/* Drops a cancelled broadcast's messages not yet begun; how many. */
int		 outbox_drop_broadcast(struct outbox *, int64_t broadcast_id);

#endif
