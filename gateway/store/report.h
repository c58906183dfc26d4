/*
 * The supervision report's counts, as the store reads them
 * (gateway/store/report.c); office/report.c turns them into the report.
 */
#ifndef STORE_REPORT_H
#define STORE_REPORT_H

#include <stdint.h>

struct store;

/* The figures over [since, until), unix ms; see office/report.c. */
struct store_report {
	int64_t		received, sent, delivered, failed;
	int64_t		optouts_in_period, optouts_total;
	int64_t		ratings_asked, reminders_sent;
	int64_t		rated[6];	/* answers per score, [1] to [5] */
};

/* The rows the office judges itself: cases by due date, sent by kind. */
struct store_report_cb {
	/* A case ready in the period: its due date and when it was ready. */
	void	(*resolved)(const char *due, int64_t finished_at, void *);
	/* A case still open at the period's end. */
	void	(*open)(const char *due, void *);
	/* The SMS sent in the period of one kind (kinds in name order). */
	void	(*kind)(const char *kind, int64_t n, void *);
	void	 *arg;
};

/* Fills r and calls cb's functions; -1 (logged) when a query failed. */
int	store_report_count(struct store *, int64_t since, int64_t until,
	    struct store_report *r, const struct store_report_cb *cb);

#endif
