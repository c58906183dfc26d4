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

#include "log.h"
#include "store/cases.h"
#include "store/store.h"
#include "smpp/smpp.h"
#include "office/office.h"

struct event_base *
office_base(struct office *of)
{
	return of->base;
}

const struct config *
office_config(struct office *of)
{
	return of->cfg;
}

const struct replies *
office_replies(struct office *of)
{
	return of->replies;
}

/*
 * A request's writes: a savepoint inside a store batch. No batch is open
 * between two loop callbacks; should one be, the request nests in it and
 * leaves the commit to its owner. 1 when it opened the batch, 0 nested,
 * -1 on a store error (logged by the store).
 */
int
office_write_begin(struct office *of)
{
	struct store	*st = of->store;
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
office_write_end(struct office *of, int own, int keep)
{
	struct store	*st = of->store;
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
office_case_history(struct office *of, int64_t id, case_history_cb cb,
    void *arg)
{
	return case_history_each(of->cases, id, cb, arg);
}

int
office_case_list(struct office *of, const struct case_filter *f, case_each_cb cb,
    void *arg)
{
	return case_list(of->cases, f, cb, arg);
}

int
office_contact_get(struct office *of, const char *msisdn, struct contact *c)
{
	return contact_get(of->cases, msisdn, c);
}

/*
 * Creates or updates a contact: name NULL keeps the old one, groups NULL
 * keeps the old ones, else they replace them. 1 it existed, 0 new, -1 on
 * a store error (logged by the store).
 */
int
office_contact_put(struct office *of, const char *msisdn, const char *name,
    const char *const *groups, size_t ngroups, int64_t now)
{
	struct contact	old;
	int		existed;

	if ((existed = contact_get(of->cases, msisdn, &old)) == -1 ||
	    contact_upsert(of->cases, msisdn, name, now) == -1)
		return -1;
	if (groups && contact_set_groups(of->cases, msisdn, groups,
	    ngroups) == -1)
		return -1;
	return existed;
}

int
office_contact_groups(struct office *of, const char *msisdn,
    void (*cb)(const char *, void *), void *arg)
{
	return contact_groups_each(of->cases, msisdn, cb, arg);
}

int
office_group_find(struct office *of, const char *name, char *out, size_t cap)
{
	return group_find(of->cases, name, out, cap);
}

int
office_group_members(struct office *of, const char *name, contact_each_cb cb,
    void *arg)
{
	return group_members_each(of->cases, name, cb, arg);
}

/*
 * Bulk imports (the staff tool's, the console's): rows checked by the
 * caller are staged, a request's chunk at a time, with the count of rows
 * refused; applying takes one transaction (the caller's) and only an
 * import with no row refused. An import untouched for IMPORT_STALE_MS is
 * dropped when the next one opens. Each takes the caller's write
 * transaction (office_write_begin).
 */
#define IMPORT_STALE_MS	(10 * 60 * 1000LL)

int64_t
office_import_open(struct office *of, int64_t now)
{
	return contact_import_open(of->cases, now, now - IMPORT_STALE_MS);
}

/* 1 staged, 0 no such import, -1 on a store error. */
int
office_import_add(struct office *of, int64_t id, const struct contact_row *rows,
    size_t n, int errors, int64_t now)
{
	int	rc;

	if ((rc = contact_import_touch(of->cases, id, now, (int64_t)n,
	    errors)) != 1)
		return rc;
	return contact_import_stage(of->cases, id, rows, n) == -1 ? -1 : 1;
}

int
office_import_counts(struct office *of, int64_t id, struct contact_import *c)
{
	return contact_import_counts(of->cases, id, c);
}

/*
 * Applies the import (c: what it did): 1, 0 no such import, -2 it has
 * rows in error (nothing applied, the import dropped), -1 store error.
 */
int
office_import_apply(struct office *of, int64_t id, struct contact_import *c,
    int64_t now)
{
	int	rc;

	if ((rc = contact_import_counts(of->cases, id, c)) != 1)
		return rc;
	if (c->errors > 0)
		return contact_import_drop(of->cases, id) == -1 ? -1 : -2;
	if (contact_import_apply(of->cases, id, now) == -1)
		return -1;
	log_info("contacts: import %lld applied: %lld rows, %lld new, %lld "
	    "updated, %lld unchanged", (long long)id, (long long)c->rows,
	    (long long)c->added, (long long)c->updated,
	    (long long)c->unchanged);
	return 1;
}

int
office_import_drop(struct office *of, int64_t id)
{
	return contact_import_drop(of->cases, id);
}

int
office_optout_get(struct office *of, const char *msisdn)
{
	return optout_get(of->cases, msisdn);
}

/* One message from staff to a number; its id, or -1. */
int64_t
office_send(struct office *of, const char *msisdn, const char *text)
{
	return outbox_queue(of->store, of->cfg, msisdn, text, "notify",
	    OUT_PRIO_REPLY, 0);
}

/* Messages queued, not yet accepted by the SMSC; -1 on a store error. */
int
office_queue_depth(struct office *of)
{
	return store_outbound_queued(of->store);
}

int64_t
office_wal_bytes(struct office *of)
{
	return store_wal_bytes(of->store);
}

int
office_nlinks(struct office *of)
{
	return of->nlinks;
}

/* Link i's name, state ("bound" when up) and reconnects. */
void
office_link(struct office *of, int i, struct office_link_info *li)
{
	li->name = link_name(of->links[i]);
	li->state = link_state(of->links[i]);
	li->up = strcmp(li->state, "bound") == 0;
	li->reconnects = link_reconnects(of->links[i]);
}

const struct smpp_stats *
office_stats(struct office *of)
{
	return &of->stats;
}

int
office_ussd_sessions(struct office *of)
{
	return of->ussd ? ussd_sessions(of->ussd) : 0;
}
