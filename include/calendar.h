/*
 * Dates for case files: due dates in working days and whether a case is
 * early, on time or late. Pure: "today" is always an argument.
 */
#ifndef CALENDAR_H
#define CALENDAR_H

#include <stddef.h>
#include <stdint.h>

struct cal_date {
	int	y, m, d;
};

#define CAL_HOLIDAYS_MAX		366
#define CAL_HOLIDAYS_MAX_S	"366"

/*
 * Public holidays (holidays.list in the templates folder): one date or
 * range (YYYY-MM-DD..YYYY-MM-DD, at most 31 days) a line, a name after it
 * if wanted, '#' comments. Days sorted, each once.
 */
struct cal_holidays {
	int64_t	days[CAL_HOLIDAYS_MAX];
	size_t	n;
};

/* 0, or -1 with "name:line: why" in err. */
int		cal_holidays_parse(const char *name, const char *text,
		    struct cal_holidays *, char *err, size_t errlen);
int		cal_is_holiday(const struct cal_holidays *, int64_t day);
/* The date n working days after d: weekends and holidays (h may be NULL)
 * skipped. */
struct cal_date	cal_add_workdays(struct cal_date d, int n,
		    const struct cal_holidays *h);
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
