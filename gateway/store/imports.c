/*
 * Case imports (issue 13, "Import from the case system"). An upload is
 * checked a slice at a time (office/imports.c) and every row lands here:
 * what it would do (new, status change, unchanged) in import_rows, its
 * problems in import_errors, so the preview, its progress and a restart
 * all read the same place. Applying is one transaction of set-based
 * statements over the staged rows, each row's SMS already rendered into
 * them: the new cases, the changed statuses, their history, the texts
 * and the import's state commit together or not at all. A status that
 * moved since the preview, or a code opened since, stops it whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "log.h"
#include "store/imports.h"
#include "store/sql.h"
#include "store/store.h"
#include "store/store_int.h"

static const char who[] = "imports";

enum {
	Q_CREATE, Q_GET, Q_STATE, Q_RECOUNT, Q_ROW_ADD, Q_ROW_OTHER, Q_REFUSE,
	Q_ERR_ADD, Q_ERRS, Q_TODO, Q_PREPARED, Q_PROGRESS, Q_DROP, Q_IN_STATE,
	Q_NEW_CASES, Q_NEW_HISTORY, Q_SET_STATUS, Q_CHANGE_HISTORY, Q_TEXTS,
	Q_APPLIED, Q_NCHANGES, Q_BEGIN_APPLY, Q_COUNT
};

#define IMP_COLS "id, state, actor, created_at, total, new, changes, " \
	"unchanged, errors, done, new + changes, reason, coalesce(applied_by, '')"

static const char *const queries[Q_COUNT] = {
	[Q_CREATE] = "INSERT INTO imports(state, actor, created_at) "
	    "VALUES ('checking', ?1, ?2)",
	[Q_GET] = "SELECT " IMP_COLS " FROM imports WHERE id = ?1",
	[Q_STATE] = "UPDATE imports SET state = ?2, reason = ?3 WHERE id = ?1",
	[Q_RECOUNT] = "UPDATE imports SET total = ?2, "
	    "new = (SELECT count(*) FROM import_rows WHERE import = ?1 AND "
	    "action = 1), changes = (SELECT count(*) FROM import_rows WHERE "
	    "import = ?1 AND action = 2), unchanged = (SELECT count(*) FROM "
	    "import_rows WHERE import = ?1 AND action = 3), errors = (SELECT "
	    "count(DISTINCT row) FROM import_errors WHERE import = ?1) "
	    "WHERE id = ?1",
	[Q_ROW_ADD] = "INSERT INTO import_rows(import, row, action, code, canon, "
	    "procedure, msisdn, name, status, received_at, due, case_id, "
	    "old_status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
	    "?12, ?13) ON CONFLICT(import, canon) DO NOTHING",
	[Q_ROW_OTHER] = "SELECT row FROM import_rows WHERE import = ?1 AND "
	    "canon = ?2",
	[Q_REFUSE] = "UPDATE import_rows SET action = 0 WHERE import = ?1 AND "
	    "row = ?2",
	[Q_ERR_ADD] = "INSERT INTO import_errors(import, row, field, reason) "
	    "VALUES (?1, ?2, ?3, ?4)",
	[Q_ERRS] = "SELECT row, field, reason FROM import_errors WHERE "
	    "import = ?1 ORDER BY row, rowid LIMIT ?2",
	[Q_TODO] = "SELECT row, action, canon, status FROM import_rows WHERE "
	    "import = ?1 AND row > ?2 AND action IN (1, 2) ORDER BY row "
	    "LIMIT ?3",
	[Q_PREPARED] = "UPDATE import_rows SET action = ?3, case_id = ?4, "
	    "old_status = ?5, notify_to = ?6, link = ?7, sms = ?8 "
	    "WHERE import = ?1 AND row = ?2",
	[Q_PROGRESS] = "UPDATE imports SET done = ?2 WHERE id = ?1",
	[Q_DROP] = "DELETE FROM import_rows WHERE rowid IN (SELECT rowid FROM "
	    "import_rows WHERE import = ?1 LIMIT ?2)",
	[Q_IN_STATE] = "SELECT id FROM imports WHERE state = ?1 ORDER BY id "
	    "LIMIT ?2",
	/* applying: one transaction */
	[Q_NEW_CASES] = "INSERT INTO cases(code, canon, kind, procedure, msisdn, "
	    "name, request, status, channel, received_at, due, finished_at) "
	    "SELECT code, canon, 'case', procedure, msisdn, name, '', status, "
	    "'import', received_at, due, CASE WHEN status IN (9, 10) THEN ?2 "
	    "END FROM import_rows WHERE import = ?1 AND action = 1 ORDER BY row",
	[Q_NEW_HISTORY] = "INSERT INTO case_history(case_id, at, status, note, "
	    "actor) SELECT c.id, ?2, r.status, 'import ' || ?1, ?3 FROM "
	    "import_rows r JOIN cases c ON c.canon = r.canon WHERE "
	    "r.import = ?1 AND r.action = 1 ORDER BY r.row",
	[Q_SET_STATUS] = "UPDATE cases SET status = r.status, due = CASE WHEN "
	    "r.due != '' THEN r.due ELSE cases.due END, finished_at = CASE WHEN "
	    "r.status IN (9, 10) AND cases.finished_at IS NULL THEN ?2 ELSE "
	    "cases.finished_at END FROM import_rows r WHERE r.import = ?1 AND "
	    "r.action = 2 AND cases.id = r.case_id AND "
	    "cases.status = r.old_status",
	[Q_CHANGE_HISTORY] = "INSERT INTO case_history(case_id, at, status, "
	    "note, actor) SELECT case_id, ?2, status, 'import ' || ?1, ?3 FROM "
	    "import_rows WHERE import = ?1 AND action = 2 ORDER BY row",
	/* bulk priority: a citizen's reply is never queued behind them */
	[Q_TEXTS] = "INSERT INTO outbound(link, msisdn, text, kind, prio, "
	    "created_at, state) SELECT link, notify_to, sms, 'notify', 1, ?2, "
	    "'queued' FROM import_rows WHERE import = ?1 AND action = 2 AND "
	    "sms IS NOT NULL ORDER BY row",
	[Q_APPLIED] = "UPDATE imports SET state = 'applied', done = new + "
	    "changes, applied_by = ?3, applied_at = ?2 WHERE id = ?1",
	[Q_BEGIN_APPLY] = "UPDATE imports SET state = 'applying', done = 0, "
	    "applied_by = ?2 WHERE id = ?1 AND state = 'preview'",
	[Q_NCHANGES] = "SELECT count(*) FROM import_rows WHERE import = ?1 AND "
	    "action = 2",
};

struct imp_store {
	struct store	*st;
	sqlite3		*db;
	sqlite3_stmt	*q[Q_COUNT];
};

struct imp_store *
imp_store_open(struct store *st)
{
	struct imp_store	*is;

	if ((is = calloc(1, sizeof(*is))) == NULL)
		fatal("calloc");
	is->st = st;
	is->db = store_db(st);
	if (sql_prepare_all(is->db, queries, is->q, Q_COUNT, who) == -1) {
		free(is);
		return NULL;
	}
	return is;
}

void
imp_store_close(struct imp_store *is)
{
	if (is == NULL)
		return;
	sql_finalize_all(is->q, Q_COUNT);
	free(is);
}

/* A prepared statement with ?1 the import. */
static sqlite3_stmt *
imp_q(struct imp_store *is, int q, int64_t id)
{
	sqlite3_bind_int64(is->q[q], 1, id);
	return is->q[q];
}

static int
imp_write(struct imp_store *is, sqlite3_stmt *s)
{
	return store_write(is->st, s);
}

int64_t
imp_create(struct imp_store *is, const char *actor, int64_t now)
{
	sqlite3_stmt	*s = is->q[Q_CREATE];

	sql_text(s, 1, actor);
	sqlite3_bind_int64(s, 2, now);
	if (imp_write(is, s) == -1)
		return -1;
	return sqlite3_last_insert_rowid(is->db);
}

static void
info_row(sqlite3_stmt *s, int n, void *arg)
{
	struct imp_info	*in = arg;

	(void)n;
	in->id = sqlite3_column_int64(s, 0);
	sql_col(s, 1, in->state, sizeof(in->state));
	sql_col(s, 2, in->actor, sizeof(in->actor));
	in->created_at = sqlite3_column_int64(s, 3);
	in->total = sqlite3_column_int64(s, 4);
	in->added = sqlite3_column_int64(s, 5);
	in->changes = sqlite3_column_int64(s, 6);
	in->unchanged = sqlite3_column_int64(s, 7);
	in->errors = sqlite3_column_int64(s, 8);
	in->done = sqlite3_column_int64(s, 9);
	in->todo = sqlite3_column_int64(s, 10);
	sql_col(s, 11, in->reason, sizeof(in->reason));
	sql_col(s, 12, in->applied_by, sizeof(in->applied_by));
}

/* 1 found, 0 none, -1 error. */
int
imp_get(struct imp_store *is, int64_t id, struct imp_info *in)
{
	memset(in, 0, sizeof(*in));
	return sql_rows(who, imp_q(is, Q_GET, id), 1, info_row, in);
}

int
imp_set_state(struct imp_store *is, int64_t id, const char *state,
    const char *reason)
{
	sqlite3_stmt	*s = imp_q(is, Q_STATE, id);

	sql_text(s, 2, state);
	sql_text(s, 3, reason);
	return imp_write(is, s);
}

/* A preview becomes applying, by actor: 1, 0 not a preview, -1 error. */
int
imp_apply_begin(struct imp_store *is, int64_t id, const char *actor)
{
	sqlite3_stmt	*s = imp_q(is, Q_BEGIN_APPLY, id);

	sql_text(s, 2, actor);
	if (imp_write(is, s) == -1)
		return -1;
	return sqlite3_changes(is->db);
}

/* The counts from the staged rows and errors; total as the caller read. */
int
imp_recount(struct imp_store *is, int64_t id, int64_t total)
{
	sqlite3_stmt	*s = imp_q(is, Q_RECOUNT, id);

	sqlite3_bind_int64(s, 2, total);
	return imp_write(is, s);
}

static int
row_other(struct imp_store *is, int64_t id, const char *canon, int *other)
{
	sqlite3_stmt	*s = imp_q(is, Q_ROW_OTHER, id);
	int64_t		 v;

	sql_text(s, 2, canon);
	if ((v = sql_scalar(who, s)) == -1)
		return -1;
	*other = (int)v;
	return 0;
}

int
imp_row_add(struct imp_store *is, int64_t id, const struct imp_row *r,
    int *other)
{
	sqlite3_stmt	*s = imp_q(is, Q_ROW_ADD, id);

	sqlite3_bind_int(s, 2, r->row);
	sqlite3_bind_int(s, 3, r->action);
	sql_text(s, 4, r->code);
	sql_text(s, 5, r->canon);
	sql_text(s, 6, r->procedure);
	sql_text(s, 7, r->msisdn);
	sql_text(s, 8, r->name);
	sqlite3_bind_int(s, 9, r->status);
	sqlite3_bind_int64(s, 10, r->received_at);
	sql_text(s, 11, r->due);
	if (r->case_id > 0) {
		sqlite3_bind_int64(s, 12, r->case_id);
		sqlite3_bind_int(s, 13, r->old_status);
	}
	if (imp_write(is, s) == -1)
		return -1;
	if (sqlite3_changes(is->db) == 1)
		return 1;
	return row_other(is, id, r->canon, other) == -1 ? -1 : 0;
}

int
imp_row_refuse(struct imp_store *is, int64_t id, int row)
{
	sqlite3_stmt	*s = imp_q(is, Q_REFUSE, id);

	sqlite3_bind_int(s, 2, row);
	return imp_write(is, s);
}

int
imp_error_add(struct imp_store *is, int64_t id, int row, const char *field,
    const char *reason)
{
	sqlite3_stmt	*s = imp_q(is, Q_ERR_ADD, id);

	sqlite3_bind_int(s, 2, row);
	sql_text(s, 3, field);
	sql_text(s, 4, reason);
	return imp_write(is, s);
}

struct err_each {
	void	(*cb)(const struct imp_error *, void *);
	void	*arg;
};

static void
err_row(sqlite3_stmt *s, int n, void *arg)
{
	struct err_each		*e = arg;
	struct imp_error	 er;

	(void)n;
	er.row = sqlite3_column_int(s, 0);
	sql_col(s, 1, er.field, sizeof(er.field));
	sql_col(s, 2, er.reason, sizeof(er.reason));
	e->cb(&er, e->arg);
}

/* The first limit problems, by row; the count or -1. */
int
imp_errors_each(struct imp_store *is, int64_t id, int limit,
    void (*cb)(const struct imp_error *, void *), void *arg)
{
	struct err_each	 e = { cb, arg };
	sqlite3_stmt	*s = imp_q(is, Q_ERRS, id);

	sqlite3_bind_int(s, 2, limit);
	return sql_rows(who, s, limit, err_row, &e);
}

static void
todo_row(sqlite3_stmt *s, int n, void *arg)
{
	struct imp_todo	*t = (struct imp_todo *)arg + n;

	t->row = sqlite3_column_int(s, 0);
	t->action = sqlite3_column_int(s, 1);
	sql_col(s, 2, t->canon, sizeof(t->canon));
	t->status = sqlite3_column_int(s, 3);
}

/* Up to max rows to apply after row `after`; the count or -1. */
int
imp_todo_next(struct imp_store *is, int64_t id, int after,
    struct imp_todo *t, int max)
{
	sqlite3_stmt	*s = imp_q(is, Q_TODO, id);

	sqlite3_bind_int(s, 2, after);
	sqlite3_bind_int(s, 3, max);
	return sql_rows(who, s, max, todo_row, t);
}

int
imp_row_prepared(struct imp_store *is, int64_t id, int row, int action,
    int64_t case_id, int old_status, const char *to, const char *link,
    const char *sms)
{
	sqlite3_stmt	*s = imp_q(is, Q_PREPARED, id);

	sqlite3_bind_int(s, 2, row);
	sqlite3_bind_int(s, 3, action);
	if (case_id > 0) {
		sqlite3_bind_int64(s, 4, case_id);
		sqlite3_bind_int(s, 5, old_status);
	}
	if (sms != NULL) {
		sql_text(s, 6, to);
		sql_text(s, 7, link);
		sql_text(s, 8, sms);
	}
	return imp_write(is, s);
}

int
imp_progress(struct imp_store *is, int64_t id, int64_t done)
{
	sqlite3_stmt	*s = imp_q(is, Q_PROGRESS, id);

	sqlite3_bind_int64(s, 2, done);
	return imp_write(is, s);
}

/* Runs one of the applying statements with ?2 now and ?3 the actor. */
static int
commit_step(struct imp_store *is, int q, int64_t id, int64_t now,
    const char *actor)
{
	sqlite3_stmt	*s = imp_q(is, q, id);

	sqlite3_bind_int64(s, 2, now);
	if (sqlite3_bind_parameter_count(s) >= 3)
		sql_text(s, 3, actor);
	if (sql_step(who, s) == -1)
		return -1;
	sql_done(s);
	return sqlite3_changes(is->db);
}

/*
 * Applies the staged rows inside the caller's transaction, which drops
 * everything when this fails. why says what moved since the preview.
 */
int
imp_commit(struct imp_store *is, int64_t id, const char *actor, int64_t now,
    char *why, size_t cap)
{
	int64_t	changes;
	int	n;

	if ((changes = sql_scalar(who, imp_q(is, Q_NCHANGES, id))) == -1)
		return -1;
	if (commit_step(is, Q_NEW_CASES, id, now, actor) == -1) {
		snprintf(why, cap, "%s", sqlite3_extended_errcode(is->db) ==
		    SQLITE_CONSTRAINT_UNIQUE ? "a case with one of the new codes "
		    "was opened since the preview" : "the new cases");
		return sqlite3_extended_errcode(is->db) ==
		    SQLITE_CONSTRAINT_UNIQUE ? IMP_STALE : -1;
	}
	if (commit_step(is, Q_NEW_HISTORY, id, now, actor) == -1 ||
	    (n = commit_step(is, Q_SET_STATUS, id, now, actor)) == -1)
		return -1;
	if (n != changes) {
		snprintf(why, cap, "%lld of the cases changed status since the "
		    "preview", (long long)(changes - n));
		return IMP_STALE;
	}
	if (commit_step(is, Q_CHANGE_HISTORY, id, now, actor) == -1 ||
	    (n = commit_step(is, Q_TEXTS, id, now, actor)) == -1 ||
	    commit_step(is, Q_APPLIED, id, now, actor) == -1)
		return -1;
	if (n > 0)
		store_queued(is->st);
	return 0;
}

/* Forgets up to max staged rows of a finished import; how many, or -1. */
int
imp_rows_drop(struct imp_store *is, int64_t id, int max)
{
	sqlite3_stmt	*s = imp_q(is, Q_DROP, id);

	sqlite3_bind_int(s, 2, max);
	if (imp_write(is, s) == -1)
		return -1;
	return sqlite3_changes(is->db);
}

/* The imports in a state, oldest first; how many, or -1. */
int
imp_in_state(struct imp_store *is, const char *state, int64_t *ids, int max)
{
	sqlite3_stmt	*s = is->q[Q_IN_STATE];

	sql_text(s, 1, state);
	sqlite3_bind_int(s, 2, max);
	return sql_rows(who, s, max, sql_row_id, ids);
}
