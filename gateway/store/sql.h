/*
 * The few things every module that keeps prepared statements does with
 * them (gateway/store/sql.c). "who" names the module in the log line.
 */
#ifndef SQL_H
#define SQL_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

struct case_store;

/* All n statements, persistent; -1 (logged, none kept) if one fails. */
int	sql_prepare_all(sqlite3 *, const char *const *sql, sqlite3_stmt **q,
	    size_t n, const char *who);
void	sql_finalize_all(sqlite3_stmt **q, size_t n);
/* SQLITE_ROW or SQLITE_DONE; -1 logged once, the statement reset. */
int	sql_step(const char *who, sqlite3_stmt *);
/* Ready for its next use: reset, bindings cleared. */
void	sql_done(sqlite3_stmt *);
/* A write (or a row not wanted): stepped once and made ready; 0 or -1. */
int	sql_exec(const char *who, sqlite3_stmt *);
/* A statement whose one result is a number (0 without a row); -1 error. */
int64_t	sql_scalar(const char *who, sqlite3_stmt *);
/*
 * Steps s for up to max rows, calling row(s, n, arg) for the n-th; the
 * rows read, or -1 (logged). s is ready for its next use after.
 */
int	sql_rows(const char *who, sqlite3_stmt *, int max,
	    void (*row)(sqlite3_stmt *, int, void *), void *arg);
/*
 * Statements prepared per call, for what runs at staff pace: sql_once
 * prepares (NULL, logged, on error); sql_each steps every row through
 * row (NULL: none) and finalizes, the rows or -1 (logged); sql_finish
 * is sql_each without rows, 0 or -1.
 */
sqlite3_stmt *sql_once(sqlite3 *, const char *sql, const char *who);
int	sql_each(const char *who, sqlite3_stmt *,
	    void (*row)(sqlite3_stmt *, int, void *), void *arg);
int	sql_finish(const char *who, sqlite3_stmt *);
/* A row function for sql_rows: column 0 into ((int64_t *)arg)[n]. */
void	sql_row_id(sqlite3_stmt *, int n, void *arg);
/* A text parameter, NULL bound as "" (the tables say NOT NULL). */
void	sql_text(sqlite3_stmt *, int i, const char *);
/* A text column into out, "" for NULL, cut to cap. */
void	sql_col(sqlite3_stmt *, int i, char *out, size_t cap);

/* cases.c: the connection contacts.c prepares its statements on, and a
 * row of CASE_COLS as a record. */
#define CASE_COLS "id, code, canon, kind, procedure, msisdn, name, request, " \
	"status, channel, received_at, due, finished_at, rating"
struct case_rec;
sqlite3	*case_store_db(struct case_store *);
void	 case_row(sqlite3_stmt *, struct case_rec *);

#endif
