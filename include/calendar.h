/*
 * Dates for case files: due dates in working days and whether a case is
 * early, on time or late. Pure: "today" is always an argument.
 */
#ifndef CALENDAR_H
#define CALENDAR_H

#include <stdint.h>

struct cal_date {
	int	y, m, d;
};

/* The date n working days after d (Saturdays and Sundays skipped). */
struct cal_date	cal_add_workdays(struct cal_date d, int n);
/* Days since 1970-01-01, for comparing and subtracting dates. */
int64_t		cal_days(struct cal_date);
/* Parses YYYY-MM-DD; 0 or -1. */
int		cal_parse(const char *, struct cal_date *);
/* Writes YYYY-MM-DD (11 bytes) or DD/MM/YYYY (11 bytes) for citizens. */
void		cal_iso(struct cal_date, char out[11]);
void		cal_vn(struct cal_date, char out[11]);

enum cal_timeliness { CAL_WITHIN, CAL_OVERDUE, CAL_EARLY, CAL_ON_TIME,
	CAL_LATE };

/*
 * finished is the day the case first became ready, or NULL while it is
 * open; today matters only for an open case.
 */
enum cal_timeliness cal_timeliness(struct cal_date due,
		    const struct cal_date *finished, struct cal_date today);
const char	*cal_timeliness_name(enum cal_timeliness);

#endif
