/*
 * Case imports (gateway/store/imports.c): an upload's checked rows
 * staged in import_rows, its problems in import_errors, and the one
 * transaction that applies it (migration 12).
 */
#ifndef IMPORTS_H
#define IMPORTS_H

#include <stdint.h>

struct store;
struct imp_store;

#define IMP_REFUSED	0	/* a code given twice: neither row applies */
#define IMP_NEW		1
#define IMP_CHANGE	2
#define IMP_SAME	3

/* An import as GET /imports/{id} shows it. */
struct imp_info {
	int64_t		id;
	char		state[12];	/* checking preview applying applied */
					/* failed discarded */
	char		actor[64];
	int64_t		created_at;
	int64_t		total, added, changes, unchanged, errors;
	int64_t		done, todo;	/* rows applied of those to apply */
	char		reason[256];	/* why it failed */
	char		applied_by[64];
};

/* One staged row. */
struct imp_row {
	int		 row;
	int		 action;
	const char	*code, *canon, *procedure, *msisdn, *name, *due;
	int		 status;
	int64_t		 received_at;
	int64_t		 case_id;	/* IMP_CHANGE, IMP_SAME */
	int		 old_status;
};

/* A row to apply, read back for its last check and its SMS. */
struct imp_todo {
	int		row;
	int		action;
	char		canon[48];
	int		status;
};

struct imp_error {
	int		row;
	char		field[96];
	char		reason[256];
};

struct imp_store *imp_store_open(struct store *);
void		 imp_store_close(struct imp_store *);
int64_t		 imp_create(struct imp_store *, const char *actor, int64_t now);
int		 imp_get(struct imp_store *, int64_t id, struct imp_info *);
int		 imp_set_state(struct imp_store *, int64_t id, const char *state,
		    const char *reason);
int		 imp_apply_begin(struct imp_store *, int64_t id, const char *actor);
int		 imp_recount(struct imp_store *, int64_t id, int64_t total);
/* 1 staged, 0 its code is staged already (on *other), -1 error. */
int		 imp_row_add(struct imp_store *, int64_t id, const struct imp_row *,
		    int *other);
int		 imp_row_refuse(struct imp_store *, int64_t id, int row);
int		 imp_error_add(struct imp_store *, int64_t id, int row,
		    const char *field, const char *reason);
int		 imp_errors_each(struct imp_store *, int64_t id, int limit,
		    void (*)(const struct imp_error *, void *), void *);
int		 imp_todo_next(struct imp_store *, int64_t id, int after,
		    struct imp_todo *, int max);
int		 imp_row_prepared(struct imp_store *, int64_t id, int row,
		    int action, int64_t case_id, int old_status, const char *to,
		    const char *link, const char *sms);
int		 imp_progress(struct imp_store *, int64_t id, int64_t done);
/* The import, applied: 0, IMP_STALE (something changed since the
 * preview; nothing written), -1 error. */
#define IMP_STALE	(-2)
int		 imp_commit(struct imp_store *, int64_t id, const char *actor,
		    int64_t now, char *why, size_t cap);
int		 imp_rows_drop(struct imp_store *, int64_t id, int max);
int		 imp_in_state(struct imp_store *, const char *state, int64_t *ids,
		    int max);

#endif
