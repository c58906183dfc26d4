/*
 * What the staff console reads (gateway/store/console.c): pages of cases
 * walked newest first from a cursor, a number's messages in and out, the
 * inbox of texts that need a person, and today's counts. Every function
 * does a bounded amount of work, so a clerk's page never holds the loop:
 * a walk stops after a budget of rows and says where to go on.
 */
#ifndef STORE_CONSOLE_H
#define STORE_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

struct case_store;
struct case_rec;

/* Where a walk of cases (newest first: received_at, id) starts. */
struct case_key {
	int64_t		at;		/* received_at; 0 with id 0: the start */
	int64_t		id;
};

/*
 * Walks at most budget cases after key (only msisdn's when it is not
 * NULL), newest first; cb returns 1 to stop. *last is the last case read.
 * The cases read, or -1.
 */
typedef int	(*case_walk_cb)(const struct case_rec *, void *);
int		 case_walk(struct case_store *, const struct case_key *key,
		    const char *msisdn, int budget, case_walk_cb, void *,
		    struct case_key *last);
/* Open cases due in [lo, hi] (YYYY-MM-DD), by due date; count or -1. */
typedef void	(*case_rec_cb)(const struct case_rec *, void *);
int		 case_due_page(struct case_store *, const char *lo,
		    const char *hi, int limit, case_rec_cb, void *);
/* When the case was rated: 1 (in *at), 0 not rated, -1 error. */
int		 case_rated_at(struct case_store *, int64_t id, int64_t *at);

/* One message of a conversation; the pointers live for the callback. */
struct msg_rec {
	const char	*dir;		/* in | out */
	int64_t		 at;
	const char	*text;
	const char	*state;
};
typedef void	(*msg_cb)(const struct msg_rec *, void *);
/* A number's latest limit messages, both ways, oldest first; n or -1. */
int		 msg_thread_each(struct case_store *, const char *msisdn,
		    int limit, msg_cb, void *);
/* Messages in (out: 0) or out (1) at or after since; -1 on error. */
int64_t		 msg_count_since(struct case_store *, int out, int64_t since);

/* A thread of the inbox; the pointers live for the callback. */
struct inbox_thread {
	int64_t		 last_in_id;
	const char	*msisdn;
	const char	*kind;		/* unknown | feedback */
	int64_t		 last_at;
	const char	*last_text;
	int		 count;
	int		 done;
	const char	*done_by;
};
/* Threads go newest first by their last text's id (ids follow time,
 * and break ties within a millisecond). */
struct inbox_key {
	int64_t		last_in_id;	/* 0: the start */
};
typedef void	(*inbox_cb)(const struct inbox_thread *, void *);
/* A text from msisdn of kind "unknown" or "feedback" opens its thread
 * (or reopens a done one); 0 or -1. */
int		 inbox_note(struct case_store *, const char *msisdn,
		    const char *kind, int64_t in_id, int64_t at, const char *text);
/* Threads after key, newest first (open ones only: open_only); n or -1. */
int		 inbox_page(struct case_store *, const struct inbox_key *,
		    int open_only, int limit, inbox_cb, void *);
/* One thread: 1 found (cb called), 0 none, -1 error. */
int		 inbox_get(struct case_store *, const char *msisdn, inbox_cb,
		    void *);
/* Marks it done: 1, 0 no such thread, -1 error. */
int		 inbox_done(struct case_store *, const char *msisdn, int64_t now,
		    const char *actor);

#endif
