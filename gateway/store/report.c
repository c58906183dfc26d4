/*
 * The supervision report's queries: counts over a period [?1, ?2) of
 * days, and the rows (cases, kinds of SMS) the office judges by its own
 * rules. The store only counts; what early, late or overdue mean is the
 * office's (office/report.c).
 *
 * Statements are prepared per call: a report runs at staff pace.
 */
#include <stddef.h>
#include <string.h>

#include <sqlite3.h>

#include "store/report.h"
#include "store/sql.h"
#include "store/store.h"

static const char who[] = "report";	/* in log lines */

/* One count, one query over [?1, ?2). */
struct figure {
	size_t		 off;	/* into struct store_report */
	const char	*sql;
};

#define FIG(f)	offsetof(struct store_report, f)

static const struct figure figures[] = {
	{ FIG(received), "SELECT count(*) FROM inbound WHERE kind = 'sms' "
	    "AND state != 'dup' AND received_at >= ?1 AND received_at < ?2" },
	{ FIG(sent), "SELECT count(*) FROM outbound WHERE "
	    "kind != 'ussd' AND sent_at >= ?1 AND sent_at < ?2" },
	{ FIG(delivered), "SELECT count(*) FROM outbound WHERE "
	    "kind != 'ussd' AND state = 'delivered' AND sent_at >= ?1 AND "
	    "sent_at < ?2" },
	{ FIG(failed), "SELECT count(*) FROM outbound WHERE "
	    "kind != 'ussd' AND state = 'failed' AND coalesce(done_at, "
	    "created_at) >= ?1 AND coalesce(done_at, created_at) < ?2" },
	{ FIG(optouts_in_period), "SELECT count(*) FROM optout WHERE "
	    "opted_out = 1 AND at >= ?1 AND at < ?2" },
	{ FIG(optouts_total), "SELECT count(*) FROM optout WHERE "
	    "opted_out = 1" },
	{ FIG(ratings_asked), "SELECT count(*) FROM cases WHERE "
	    "rating_asked_at >= ?1 AND rating_asked_at < ?2" },
	{ FIG(reminders_sent), "SELECT count(*) FROM cases WHERE "
	    "reminded_at >= ?1 AND reminded_at < ?2" },
};
#define NFIGURES	(sizeof(figures) / sizeof(figures[0]))

enum { ROW_RESOLVED, ROW_OPEN, ROW_KIND, ROW_RATED };

/* The row queries; each calls its row function on every row. */
static const char *const rows[] = {
	[ROW_RESOLVED] = "SELECT due, finished_at FROM cases WHERE "
	    "kind = 'case' AND finished_at >= ?1 AND finished_at < ?2",
	[ROW_OPEN] = "SELECT due, finished_at FROM cases WHERE "
	    "kind = 'case' AND received_at < ?2 AND (finished_at IS NULL OR "
	    "finished_at >= ?2) AND status NOT IN (3, 7, 8)",
	[ROW_KIND] = "SELECT kind, count(*) FROM outbound WHERE "
	    "kind != 'ussd' AND sent_at >= ?1 AND sent_at < ?2 GROUP BY kind",
	[ROW_RATED] = "SELECT rating, count(*) FROM cases WHERE "
	    "rated_at >= ?1 AND rated_at < ?2 AND rating BETWEEN 1 AND 5 "
	    "GROUP BY rating",
};

struct run {
	sqlite3				*db;
	int64_t				 since, until;
	struct store_report		*r;
	const struct store_report_cb	*cb;
	int				 q;	/* the query running */
	int				 failed;
};

static const char *
store_report_text(sqlite3_stmt *s, int i)
{
	const unsigned char	*v = sqlite3_column_text(s, i);

	return v ? (const char *)v : "";
}

static void
store_report_row(sqlite3_stmt *s, int n, void *arg)
{
	struct run			*run = arg;
	const struct store_report_cb	*cb = run->cb;
	int				 v;

	(void)n;
	switch (run->q) {
	case ROW_RESOLVED:
		cb->resolved(store_report_text(s, 0),
		    sqlite3_column_int64(s, 1), cb->arg);
		break;
	case ROW_OPEN:
		cb->open(store_report_text(s, 0), cb->arg);
		break;
	case ROW_KIND:	/* (kinds are this daemon's own ASCII words) */
		if (sqlite3_column_type(s, 0) != SQLITE_NULL)
			cb->kind(store_report_text(s, 0),
			    sqlite3_column_int64(s, 1), cb->arg);
		break;
	case ROW_RATED:	/* 1..5: the query says so */
		v = sqlite3_column_int(s, 0);
		run->r->rated[v] = sqlite3_column_int64(s, 1);
		break;
	}
}

/*
 * Runs sql over the period (binding a ?2 a query does not use is a
 * harmless SQLITE_RANGE), handing each row to row() with run->q set to
 * q; a failure is logged and marks the run failed.
 */
static void
store_report_query(struct run *run, const char *sql,
    void (*row)(sqlite3_stmt *, int, void *), int q)
{
	sqlite3_stmt	*s;

	run->q = q;
	if ((s = sql_once(run->db, sql, who)) == NULL) {
		run->failed = 1;
		return;
	}
	sqlite3_bind_int64(s, 1, run->since);
	sqlite3_bind_int64(s, 2, run->until);
	if (sql_each(who, s, row, run) == -1)
		run->failed = 1;
}

static void
store_report_figure(sqlite3_stmt *s, int n, void *arg)
{
	struct run	*run = arg;

	(void)n;
	*(int64_t *)(void *)((char *)run->r + figures[run->q].off) =
	    sqlite3_column_int64(s, 0);
}

int
store_report_count(struct store *st, int64_t since, int64_t until,
    struct store_report *r, const struct store_report_cb *cb)
{
	struct run	run = { store_db(st), since, until, r, cb, 0, 0 };
	size_t		i;

	memset(r, 0, sizeof(*r));
	store_report_query(&run, rows[ROW_RESOLVED], store_report_row,
	    ROW_RESOLVED);
	store_report_query(&run, rows[ROW_OPEN], store_report_row, ROW_OPEN);
	for (i = 0; i < NFIGURES; i++)
		store_report_query(&run, figures[i].sql, store_report_figure,
		    (int)i);
	store_report_query(&run, rows[ROW_KIND], store_report_row, ROW_KIND);
	store_report_query(&run, rows[ROW_RATED], store_report_row, ROW_RATED);
	return run.failed ? -1 : 0;
}
