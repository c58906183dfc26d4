/*
 * Broadcasts and their recipients as the store keeps them
 * (gateway/store/broadcasts.c); office/broadcast.c decides when and what
 * is sent.
 */
#ifndef BROADCASTS_H
#define BROADCASTS_H

#include <stdint.h>

#include "msisdn.h"

struct store;
struct bcast_store;

/* A broadcast as created; expand: its recipients go in chunk by chunk. */
struct bcast_new {
	const char	*state, *target, *text, *template, *vars;
	int64_t		 at, created_at, total;
	int		 expand;
};

/* A group's members (group set) or the citizens whose case has a status. */
struct bcast_target {
	const char	*group;
	int		 status;
};

/* What a target reaches: rows, distinct numbers, opted-out numbers. */
struct bcast_reach {
	int64_t		 total, numbers, optout;
};

/* A broadcast being expanded: the key its next chunk starts after. */
struct bcast_expand {
	int64_t		 id;
	char		 state[12];
	char		 target[160];
	char		 key[MSISDN_MAX + 8], next[MSISDN_MAX + 8];
	int64_t		 pending;	/* the last chunk's recipients waiting */
};

/* Where a broadcast stands: its row and its recipients' and SMS counts. */
struct bcast_counts {
	char		state[12];
	int64_t		total, dups;		/* numbers targeted, repeats */
	int64_t		pending, skipped;	/* recipients */
	int64_t		queued, sent, delivered, failed;	/* its SMS */
};

struct bcast_rcpt {
	int64_t		id;
	char		msisdn[MSISDN_MAX];
	char		name[128];
	char		code[48];
};

/* A broadcast the tick should move on; text, tpl and vars allocated. */
struct bcast_due {
	int64_t		 id, at;
	char		 state[12];
	char		*text, *tpl, *vars;
};

typedef void	(*bcast_state_cb)(const char *state, int64_t n, void *);

struct bcast_store *bcast_store_open(struct store *);
void		 bcast_store_close(struct bcast_store *);
int64_t		 bcast_add(struct bcast_store *, const struct bcast_new *);
int		 bcast_group_exists(struct bcast_store *, const char *group);
int		 bcast_reach(struct bcast_store *, const struct bcast_target *,
		    struct bcast_reach *);
int		 bcast_first(struct bcast_store *, const struct bcast_target *,
		    struct bcast_rcpt *);
int		 bcast_expanding(struct bcast_store *, struct bcast_expand *);
int		 bcast_expand_chunk(struct bcast_store *, struct bcast_expand *,
		    const struct bcast_target *, int max);
int		 bcast_add_number(struct bcast_store *, int64_t id,
		    const char *msisdn);
int		 bcast_settle(struct bcast_store *, int64_t id, int64_t total);
int		 bcast_counts(struct bcast_store *, int64_t id,
		    struct bcast_counts *);
int64_t		 bcast_pending(struct bcast_store *, int64_t id);
int64_t		 bcast_has_pending(struct bcast_store *, int64_t id);
int64_t		 bcast_in_outbox(struct bcast_store *, int64_t id);
int		 bcast_next(struct bcast_store *, int64_t id,
		    struct bcast_rcpt *, int max);
int		 bcast_set_state(struct bcast_store *, int64_t id,
		    const char *state);
int		 bcast_cancel_queued(struct bcast_store *, int64_t id);
int		 bcast_ids(struct bcast_store *, int64_t *ids, int max);
int		 bcast_rcpt_skip(struct bcast_store *, int64_t rid,
		    const char *why);
int		 bcast_rcpt_queued(struct bcast_store *, int64_t rid,
		    int64_t outbound_id);
int64_t		 bcast_sent_since(struct bcast_store *, const char *msisdn,
		    int64_t since);
int		 bcast_due(struct bcast_store *, int64_t now, int64_t after,
		    struct bcast_due *, int max);
void		 bcast_due_free(struct bcast_due *);
int		 bcast_by_state(struct bcast_store *, bcast_state_cb, void *);
int64_t		 bcast_all_pending(struct bcast_store *);

#endif
