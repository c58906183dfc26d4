/*
 * Case files, opt-outs and failed look-ups (gateway/store/cases.c); the
 * contact book's functions come with it (store/contacts.h).
 */
#ifndef CASES_H
#define CASES_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "casestatus.h"
#include "store/contacts.h"

struct sqlite3;
struct case_store;

struct case_rec {
	int64_t		id;
	char		code[48];
	char		canon[48];
	char		kind[12];	/* case | feedback */
	char		procedure[8];
	char		msisdn[24];
	char		name[128];
	char		request[1024];
	int		status;
	char		channel[12];
	int64_t		received_at;
	char		due[11];
	int64_t		finished_at;	/* 0 while not ready */
	int		rating;
};

struct case_new {
	const char	*code;		/* NULL: make one */
	const char	*kind;
	const char	*procedure;
	const char	*msisdn;
	const char	*name;
	const char	*request;
	const char	*channel;
	int		 status;	/* 0: received */
	int		 days;		/* processing days, for the due date */
	char		 due[11];	/* or a given YYYY-MM-DD */
	int64_t		 now;
	const struct cal_holidays *holidays;	/* skipped with weekends */
};

struct case_store *case_store_open(struct sqlite3 *);
void		 case_store_close(struct case_store *);
struct cal_date	 case_local_date(int64_t ms);
int		 case_create(struct case_store *, const struct case_new *,
		    const char *prefix, struct case_rec *);
int		 case_find(struct case_store *, const char *canon,
		    struct case_rec *);
int		 case_find_recent(struct case_store *, const struct case_new *,
		    int64_t since, struct case_rec *);
int		 case_set_status(struct case_store *, int64_t id, int status,
		    const char *due, const char *note, const char *actor,
		    int64_t now);
int		 case_set_rating(struct case_store *, int64_t id, int rating);
int		 optout_set(struct case_store *, const char *msisdn, int out,
		    int64_t now);
int		 optout_get(struct case_store *, const char *msisdn);
int		 lookup_fail_add(struct case_store *, const char *msisdn,
		    int64_t now, int64_t window_ms);
int		 lookup_fail_count(struct case_store *, const char *msisdn,
		    int64_t now, int64_t window_ms);

/* Listings for the admin API and broadcasts. */
struct case_change {
	int64_t		at;
	int		status;
	char		note[512];
	char		actor[64];
};

struct case_filter {
	int		 status;	/* 0: any */
	const char	*kind;		/* NULL or "": any */
	int64_t		 since, until;	/* received_at, unix ms; until 0: open */
	int		 limit;		/* 0: all */
};

typedef void	(*case_history_cb)(const struct case_change *, void *);
typedef void	(*case_each_cb)(const struct case_rec *, void *);

int		 case_set_finished(struct case_store *, int64_t id, int64_t at);
int		 case_history_each(struct case_store *, int64_t id,
		    case_history_cb, void *);
int		 case_list(struct case_store *, const struct case_filter *,
		    case_each_cb, void *);

/* Reminders and ratings (office/reminders.c). */
#define CASE_DUE_MAX	1000	/* cases listed as due at once */

/* A case that waits for its reminder. */
struct case_waiting {
	int64_t		id;
	char		code[48];
	char		procedure[8];
	char		msisdn[24];
};

int		 case_ready_before(struct case_store *, int64_t before,
		    struct case_waiting *, int max);
int		 case_mark_reminded(struct case_store *, int64_t id, int64_t at);
int		 case_mark_asked(struct case_store *, int64_t id, int64_t at);
int		 case_mark_rated(struct case_store *, int64_t id, int64_t at);
int		 case_rating_due(struct case_store *, const char *msisdn,
		    int64_t since, int64_t until, int64_t *id, char *code,
		    size_t cap);
int		 case_due_each(struct case_store *, const char *lo,
		    const char *hi, case_each_cb, void *);
int64_t		 case_due_count(struct case_store *, const char *lo,
		    const char *hi);

#endif
