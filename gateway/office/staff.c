/*
 * What the staff side (the admin API, and the coming console) asks of the
 * office, so that it calls this room only and never the store or the
 * links below it: the running settings and reply texts, a transaction for
 * a request's writes, case listings and history, contacts, groups and
 * opt-outs, one message to send, and the figures /health and /metrics
 * show. Most are thin; they are the one door, so a store behind another
 * backend, or a console, changes nothing above.
 */
#include <string.h>

#include "gw.h"
#include "store/cases.h"
#include "store/store.h"
#include "smpp/smpp.h"
#include "office/office.h"

struct event_base *
office_base(struct gw *gw)
{
	return gw->base;
}

const struct config *
office_config(struct gw *gw)
{
	return gw->cfg;
}

const struct replies *
office_replies(struct gw *gw)
{
	return gw->replies;
}

/*
 * A request's writes: a savepoint inside a store batch. No batch is open
 * between two loop callbacks; should one be, the request nests in it and
 * leaves the commit to its owner. 1 when it opened the batch, 0 nested,
 * -1 on a store error (logged by the store).
 */
int
office_write_begin(struct gw *gw)
{
	struct store	*st = gw->store;
	int		 own = !store_in_batch(st);

	if (own && store_batch_begin(st) == -1)
		return -1;
	if (store_savepoint(st) == -1) {
		if (own)
			store_batch_end(st);
		return -1;
	}
	return own;
}

/* Keeps or drops the writes and commits (the commit hook sends what they
 * queued); -1 when nothing was kept. */
int
office_write_end(struct gw *gw, int own, int keep)
{
	struct store	*st = gw->store;
	int		 rc = store_release(st, keep);

	if ((own && store_batch_end(st) == -1) || rc == -1 || !keep)
		return -1;
	return 0;
}

struct cal_date
office_local_date(int64_t ms)
{
	return case_local_date(ms);
}

int
office_case_history(struct gw *gw, int64_t id, case_history_cb cb,
    void *arg)
{
	return case_history_each(gw->cases, id, cb, arg);
}

int
office_case_list(struct gw *gw, const struct case_filter *f, case_each_cb cb,
    void *arg)
{
	return case_list(gw->cases, f, cb, arg);
}

int
office_contact_get(struct gw *gw, const char *msisdn, struct contact *c)
{
	return contact_get(gw->cases, msisdn, c);
}

/*
 * Creates or updates a contact: name NULL keeps the old one, groups NULL
 * keeps the old ones, else they replace them. 1 it existed, 0 new, -1 on
 * a store error (logged by the store).
 */
int
office_contact_put(struct gw *gw, const char *msisdn, const char *name,
    const char *const *groups, size_t ngroups, int64_t now)
{
	struct contact	old;
	int		existed;

	if ((existed = contact_get(gw->cases, msisdn, &old)) == -1 ||
	    contact_upsert(gw->cases, msisdn, name, now) == -1)
		return -1;
	if (groups && contact_set_groups(gw->cases, msisdn, groups,
	    ngroups) == -1)
		return -1;
	return existed;
}

int
office_contact_groups(struct gw *gw, const char *msisdn,
    void (*cb)(const char *, void *), void *arg)
{
	return contact_groups_each(gw->cases, msisdn, cb, arg);
}

int
office_group_find(struct gw *gw, const char *name, char *out, size_t cap)
{
	return group_find(gw->cases, name, out, cap);
}

int
office_group_members(struct gw *gw, const char *name, contact_each_cb cb,
    void *arg)
{
	return group_members_each(gw->cases, name, cb, arg);
}

int
office_optout_get(struct gw *gw, const char *msisdn)
{
	return optout_get(gw->cases, msisdn);
}

/* One message from staff to a number; its id, or -1. */
int64_t
office_send(struct gw *gw, const char *msisdn, const char *text)
{
	return outbox_queue(gw->store, gw->cfg, msisdn, text, "notify",
	    OUT_PRIO_REPLY, 0);
}

/* Messages queued, not yet accepted by the SMSC; -1 on a store error. */
int
office_queue_depth(struct gw *gw)
{
	return store_outbound_queued(gw->store);
}

int
office_nlinks(struct gw *gw)
{
	return gw->nlinks;
}

/* Link i's name, state ("bound" when up) and reconnects. */
void
office_link(struct gw *gw, int i, struct office_link_info *li)
{
	li->name = link_name(gw->links[i]);
	li->state = link_state(gw->links[i]);
	li->up = strcmp(li->state, "bound") == 0;
	li->reconnects = link_reconnects(gw->links[i]);
}

const struct smpp_stats *
office_stats(struct gw *gw)
{
	return &gw->stats;
}

int
office_ussd_sessions(struct gw *gw)
{
	return gw->ussd ? ussd_sessions(gw->ussd) : 0;
}
