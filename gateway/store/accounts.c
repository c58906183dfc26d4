/*
 * Staff accounts (users), their sign-in sessions, failed sign-ins (for
 * throttling) and the audit log. Statements are prepared per call: all
 * of it runs at staff pace. Each lookup is by a primary key or an index
 * (sessions by token hash, failures by (name, at) and (peer, at), the
 * audit log by id), so none walks many rows on the loop.
 */
#include <string.h>

#include <sqlite3.h>

#include "log.h"

#include "store/accounts.h"
#include "store/sql.h"

static const char who[] = "accounts";	/* in log lines */

static sqlite3_stmt *
acct_prep(struct case_store *cs, const char *sql)
{
	return sql_once(case_store_db(cs), sql, who);
}

int
acct_user_add(struct case_store *cs, const struct acct_user *u)
{
	sqlite3_stmt	*s;

	if ((s = acct_prep(cs, "INSERT INTO users(name, role, pw_hash, "
	    "created_at) VALUES (?1, ?2, ?3, ?4) ON CONFLICT(name) "
	    "DO NOTHING")) == NULL)
		return -1;
	sql_text(s, 1, u->name);
	sql_text(s, 2, u->role);
	sql_text(s, 3, u->pw_hash);
	sqlite3_bind_int64(s, 4, u->created_at);
	if (sql_finish(who, s) == -1)
		return -1;
	return sqlite3_changes(case_store_db(cs)) == 1;
}

static void
acct_user_row(sqlite3_stmt *s, int n, void *arg)
{
	struct acct_user	*u = arg;

	(void)n;
	sql_col(s, 0, u->name, sizeof(u->name));
	sql_col(s, 1, u->role, sizeof(u->role));
	sql_col(s, 2, u->pw_hash, sizeof(u->pw_hash));
	u->created_at = sqlite3_column_int64(s, 3);
}

int
acct_user_get(struct case_store *cs, const char *name, struct acct_user *u)
{
	sqlite3_stmt	*s;

	if ((s = acct_prep(cs, "SELECT name, role, pw_hash, created_at "
	    "FROM users WHERE name = ?1")) == NULL)
		return -1;
	sql_text(s, 1, name);
	return sql_each(who, s, acct_user_row, u);
}

struct acct_each {
	acct_user_cb	 cb;
	void		*arg;
};

static void
acct_user_each_row(sqlite3_stmt *s, int n, void *arg)
{
	struct acct_each	*e = arg;
	struct acct_user	 u;

	acct_user_row(s, n, &u);
	memset(u.pw_hash, 0, sizeof(u.pw_hash));	/* not the caller's */
	e->cb(&u, e->arg);
}

/* Every account, by name: an office has tens of staff, not thousands. */
int
acct_user_each(struct case_store *cs, acct_user_cb cb, void *arg)
{
	struct acct_each	 e = { cb, arg };
	sqlite3_stmt		*s;

	if ((s = acct_prep(cs, "SELECT name, role, '', created_at FROM users "
	    "ORDER BY name LIMIT 1000")) == NULL)
		return -1;
	return sql_each(who, s, acct_user_each_row, &e);
}

int
acct_session_add(struct case_store *cs, const char *token_hash,
    const char *name, const char *csrf, const char *peer, int64_t now)
{
	sqlite3_stmt	*s;

	if ((s = acct_prep(cs, "INSERT INTO sessions(token_hash, name, csrf, "
	    "created_at, last_seen, peer) VALUES (?1, ?2, ?3, ?4, ?4, ?5)")) ==
	    NULL)
		return -1;
	sql_text(s, 1, token_hash);
	sql_text(s, 2, name);
	sql_text(s, 3, csrf);
	sqlite3_bind_int64(s, 4, now);
	sql_text(s, 5, peer);
	return sql_finish(who, s);
}

static void
acct_session_row(sqlite3_stmt *s, int n, void *arg)
{
	struct acct_session	*a = arg;

	(void)n;
	sql_col(s, 0, a->name, sizeof(a->name));
	sql_col(s, 1, a->role, sizeof(a->role));
	sql_col(s, 2, a->csrf, sizeof(a->csrf));
	a->created_at = sqlite3_column_int64(s, 3);
	a->last_seen = sqlite3_column_int64(s, 4);
}

int
acct_session_get(struct case_store *cs, const char *token_hash,
    struct acct_session *a)
{
	sqlite3_stmt	*s;

	if ((s = acct_prep(cs, "SELECT s.name, u.role, s.csrf, s.created_at, "
	    "s.last_seen FROM sessions s JOIN users u ON u.name = s.name "
	    "WHERE s.token_hash = ?1")) == NULL)
		return -1;
	sql_text(s, 1, token_hash);
	return sql_each(who, s, acct_session_row, a);
}

/* Runs sql with the text ?1 and the number ?2. */
static int
acct_write(struct case_store *cs, const char *sql, const char *t, int64_t n)
{
	sqlite3_stmt	*s;

	if ((s = acct_prep(cs, sql)) == NULL)
		return -1;
	if (t != NULL)
		sql_text(s, 1, t);
	sqlite3_bind_int64(s, 2, n);
	return sql_finish(who, s);
}

int
acct_session_touch(struct case_store *cs, const char *token_hash, int64_t now)
{
	return acct_write(cs, "UPDATE sessions SET last_seen = ?2 WHERE "
	    "token_hash = ?1", token_hash, now);
}

int
acct_session_drop(struct case_store *cs, const char *token_hash)
{
	return acct_write(cs, "DELETE FROM sessions WHERE token_hash = ?1",
	    token_hash, 0);
}

/* A few rows at a time (the housekeeping calls it often): never a long
 * delete on the loop. */
int
acct_session_expire(struct case_store *cs, int64_t idle_before,
    int64_t made_before)
{
	sqlite3_stmt	*s;

	if ((s = acct_prep(cs, "DELETE FROM sessions WHERE rowid IN (SELECT "
	    "rowid FROM sessions WHERE last_seen < ?1 OR created_at < ?2 "
	    "LIMIT 100)")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, idle_before);
	sqlite3_bind_int64(s, 2, made_before);
	return sql_finish(who, s);
}

int
acct_fail_add(struct case_store *cs, const char *name, const char *peer,
    int64_t at)
{
	sqlite3_stmt	*s;

	if ((s = acct_prep(cs, "INSERT INTO login_failures(name, peer, at) "
	    "VALUES (?1, ?2, ?3)")) == NULL)
		return -1;
	sql_text(s, 1, name);
	sql_text(s, 2, peer);
	sqlite3_bind_int64(s, 3, at);
	return sql_finish(who, s);
}

int64_t
acct_fail_nth(struct case_store *cs, const char *name, const char *peer,
    int64_t since, int nth)
{
	sqlite3_stmt	*s;
	int64_t		 v;

	if ((s = acct_prep(cs, name != NULL ?
	    "SELECT at FROM login_failures WHERE name = ?1 AND at >= ?2 "
	    "ORDER BY at DESC LIMIT 1 OFFSET ?3" :
	    "SELECT at FROM login_failures WHERE peer = ?1 AND at >= ?2 "
	    "ORDER BY at DESC LIMIT 1 OFFSET ?3")) == NULL)
		return -1;
	sql_text(s, 1, name != NULL ? name : peer);
	sqlite3_bind_int64(s, 2, since);
	sqlite3_bind_int(s, 3, nth - 1);
	v = sql_scalar(who, s);
	sqlite3_finalize(s);
	return v;
}

int
acct_fail_expire(struct case_store *cs, int64_t before)
{
	return acct_write(cs, "DELETE FROM login_failures WHERE rowid IN "
	    "(SELECT rowid FROM login_failures WHERE at < ?2 LIMIT 100)",
	    NULL, before);
}

int
acct_audit_add(struct case_store *cs, const struct acct_audit *a)
{
	sqlite3_stmt	*s;

	if ((s = acct_prep(cs, "INSERT INTO audit(at, actor, role, peer, "
	    "method, path, status, summary) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
	    "?7, ?8)")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, a->at);
	sql_text(s, 2, a->actor);
	sql_text(s, 3, a->role);
	sql_text(s, 4, a->peer);
	sql_text(s, 5, a->method);
	sql_text(s, 6, a->path);
	sqlite3_bind_int(s, 7, a->status);
	sql_text(s, 8, a->summary);
	return sql_finish(who, s);
}

struct acct_audit_ctx {
	acct_audit_cb	 cb;
	void		*arg;
};

static void
acct_audit_row(sqlite3_stmt *s, int n, void *arg)
{
	struct acct_audit_ctx	*c = arg;
	struct acct_audit	 a;

	(void)n;
	a.id = sqlite3_column_int64(s, 0);
	a.at = sqlite3_column_int64(s, 1);
	a.actor = (const char *)sqlite3_column_text(s, 2);
	a.role = (const char *)sqlite3_column_text(s, 3);
	a.peer = (const char *)sqlite3_column_text(s, 4);
	a.method = (const char *)sqlite3_column_text(s, 5);
	a.path = (const char *)sqlite3_column_text(s, 6);
	a.status = sqlite3_column_int(s, 7);
	a.summary = (const char *)sqlite3_column_text(s, 8);
	c->cb(&a, c->arg);
}

int
acct_audit_each(struct case_store *cs, int64_t before, int limit,
    acct_audit_cb cb, void *arg)
{
	struct acct_audit_ctx	 c = { cb, arg };
	sqlite3_stmt		*s;

	if ((s = acct_prep(cs, "SELECT id, at, actor, role, peer, method, "
	    "path, status, summary FROM audit WHERE id < ?1 ORDER BY id DESC "
	    "LIMIT ?2")) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, before > 0 ? before : INT64_MAX);
	sqlite3_bind_int(s, 2, limit);
	return sql_each(who, s, acct_audit_row, &c);
}
