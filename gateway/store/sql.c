/*
 * Prepared statements as every file of the store room uses them: prepared
 * once, stepped (a write, one row, a number, or up to max rows), reset.
 * The one way to run a statement here; store_write (store.c) adds only
 * that a failed write poisons the open batch.
 */
#include <limits.h>

#include "log.h"
#include "store/sql.h"
#include "str.h"

int
sql_prepare_all(sqlite3 *db, const char *const *sql, sqlite3_stmt **q,
    size_t n, const char *who)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (sqlite3_prepare_v3(db, sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &q[i], NULL) != SQLITE_OK) {
			log_warnx("%s: prepare \"%s\": %s", who, sql[i],
			    sqlite3_errmsg(db));
			sql_finalize_all(q, i);
			return -1;
		}
	}
	return 0;
}

void
sql_finalize_all(sqlite3_stmt **q, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		sqlite3_finalize(q[i]);
		q[i] = NULL;
	}
}

int
sql_step(const char *who, sqlite3_stmt *s)
{
	int	rc = sqlite3_step(s);

	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return rc;
	log_warnx("%s: %s: %s", who, sqlite3_sql(s),
	    sqlite3_errmsg(sqlite3_db_handle(s)));
	sql_done(s);
	return -1;
}

void
sql_done(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

int
sql_exec(const char *who, sqlite3_stmt *s)
{
	if (sql_step(who, s) == -1)
		return -1;
	sql_done(s);
	return 0;
}

int64_t
sql_scalar(const char *who, sqlite3_stmt *s)
{
	int64_t	v;

	switch (sql_step(who, s)) {
	case SQLITE_ROW:	v = sqlite3_column_int64(s, 0); break;
	case SQLITE_DONE:	v = 0; break;
	default:		return -1;
	}
	sql_done(s);
	return v;
}

int
sql_rows(const char *who, sqlite3_stmt *s, int max,
    void (*row)(sqlite3_stmt *, int, void *), void *arg)
{
	int	n = 0, rc = SQLITE_DONE;

	while (n < max && (rc = sql_step(who, s)) == SQLITE_ROW)
		if (row != NULL)
			row(s, n++, arg);
		else
			n++;
	sql_done(s);
	return rc == -1 ? -1 : n;
}

sqlite3_stmt *
sql_once(sqlite3 *db, const char *sql, const char *who)
{
	sqlite3_stmt	*s;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		log_warnx("%s: prepare \"%s\": %s", who, sql, sqlite3_errmsg(db));
		return NULL;
	}
	return s;
}

int
sql_each(const char *who, sqlite3_stmt *s,
    void (*row)(sqlite3_stmt *, int, void *), void *arg)
{
	int	n = sql_rows(who, s, INT_MAX, row, arg);

	sqlite3_finalize(s);
	return n;
}

int
sql_finish(const char *who, sqlite3_stmt *s)
{
	return sql_each(who, s, NULL, NULL) == -1 ? -1 : 0;
}

void
sql_row_id(sqlite3_stmt *s, int n, void *arg)
{
	((int64_t *)arg)[n] = sqlite3_column_int64(s, 0);
}

void
sql_text(sqlite3_stmt *s, int i, const char *v)
{
	sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_STATIC);
}

void
sql_col(sqlite3_stmt *s, int i, char *out, size_t cap)
{
	const unsigned char	*v = sqlite3_column_text(s, i);

	str_copy(out, v ? (const char *)v : "", cap);
}
