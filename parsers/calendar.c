/*
 * Civil dates without time zones: a case is due on a day, not an instant.
 * Day numbers use the days-from-civil algorithm (H. Hinnant), valid for
 * any Gregorian date.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"

int64_t
cal_days(struct cal_date dt)
{
	int64_t	y = dt.m <= 2 ? dt.y - 1 : dt.y;
	int64_t	era = (y >= 0 ? y : y - 399) / 400;
	int64_t	yoe = y - era * 400;
	int64_t	doy = (153 * (dt.m + (dt.m > 2 ? -3 : 9)) + 2) / 5 + dt.d - 1;
	int64_t	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static struct cal_date
cal_from_days(int64_t z)
{
	struct cal_date	dt;
	int64_t		era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	dt.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	dt.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	dt.y = (int)(yoe + era * 400 + (dt.m <= 2));
	return dt;
}

/* 0 = Monday … 6 = Sunday; 1970-01-01 was a Thursday. */
static int
weekday(int64_t days)
{
	int64_t	w = (days + 3) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

static int
day_cmp(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

int
cal_is_holiday(const struct cal_holidays *h, int64_t day)
{
	return h != NULL && h->n > 0 &&
	    bsearch(&day, h->days, h->n, sizeof(*h->days), day_cmp) != NULL;
}

struct cal_date
cal_add_workdays(struct cal_date d, int n, const struct cal_holidays *h)
{
	int64_t	z = cal_days(d);

	/* Ends: the holidays are finitely many days. */
	while (n > 0) {
		z++;
		if (weekday(z) < 5 && !cal_is_holiday(h, z))
			n--;
	}
	return cal_from_days(z);
}

/* Exactly YYYY-MM-DD: no signs, blanks or short fields. */
static int
iso_shape(const char *s)
{
	int	i;

	for (i = 0; i < 10; i++)
		if ((i == 4 || i == 7) ? s[i] != '-' :
		    (s[i] < '0' || s[i] > '9'))
			return 0;
	return s[10] == '\0';
}

static int
digits(const char *s, int n)
{
	int	v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

int
cal_parse(const char *s, struct cal_date *d)
{
	if (!iso_shape(s))
		return -1;
	d->y = digits(s, 4);
	d->m = digits(s + 5, 2);
	d->d = digits(s + 8, 2);
	if (d->m < 1 || d->m > 12 || d->d < 1 || d->d > 31)
		return -1;
	/* Reject 31 April and the like: a round trip must give the same day. */
	struct cal_date back = cal_from_days(cal_days(*d));
	return back.d == d->d && back.m == d->m ? 0 : -1;
}

static int
holidays_add(struct cal_holidays *h, int64_t day)
{
	if (h->n == CAL_HOLIDAYS_MAX)
		return -1;
	h->days[h->n++] = day;
	return 0;
}

/* One line: a date or a range, then an optional name; 1 a comment, -1 bad. */
static int
holidays_line(const char *line, size_t len, struct cal_holidays *h,
    const char **why)
{
	char		a[11], b[11];
	struct cal_date	from, to;
	int64_t		z, last;

	while (len > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	if (len == 0 || *line == '#')
		return 1;
	*why = "not a date: want YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD";
	if (len < 10)
		return -1;
	memcpy(a, line, 10);
	a[10] = '\0';
	if (cal_parse(a, &from) == -1)
		return -1;
	to = from;
	if (len >= 22 && memcmp(line + 10, "..", 2) == 0) {
		memcpy(b, line + 12, 10);
		b[10] = '\0';
		if (cal_parse(b, &to) == -1)
			return -1;
		line += 12;
		len -= 12;
	}
	if (len > 10 && line[10] != ' ' && line[10] != '\t')
		return -1;
	last = cal_days(to);
	*why = "the range ends before it starts or is over 31 days";
	if (last < cal_days(from) || last - cal_days(from) > 30)
		return -1;
	*why = "too many holidays (" CAL_HOLIDAYS_MAX_S " days at most)";
	for (z = cal_days(from); z <= last; z++)
		if (holidays_add(h, z) == -1)
			return -1;
	return 0;
}

int
cal_holidays_parse(const char *name, const char *text,
    struct cal_holidays *h, char *err, size_t errlen)
{
	const char	*line = text, *nl, *why = "";
	size_t		 i, j;
	int		 n = 0;

	memset(h, 0, sizeof(*h));
	for (; *line != '\0'; line = *nl ? nl + 1 : nl) {
		n++;
		if ((nl = strchr(line, '\n')) == NULL)
			nl = line + strlen(line);
		if (holidays_line(line, (size_t)(nl - line) -
		    (nl > line && nl[-1] == '\r'), h, &why) == -1) {
			snprintf(err, errlen, "%s:%d: %s", name, n, why);
			return -1;
		}
	}
	qsort(h->days, h->n, sizeof(*h->days), day_cmp);
	for (i = j = 0; i < h->n; i++)	/* a day named twice counts once */
		if (j == 0 || h->days[j - 1] != h->days[i])
			h->days[j++] = h->days[i];
	h->n = j;
	return 0;
}

void
cal_iso(struct cal_date d, char out[11])
{
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)d.y % 10000,
	    (unsigned)d.m % 100, (unsigned)d.d % 100);
}

void
cal_vn(struct cal_date d, char out[11])
{
	unsigned	y = (unsigned)d.y % 10000, m = (unsigned)d.m % 100;
	unsigned	dd = (unsigned)d.d % 100;

	/* In every reply: digits by hand, not through printf. */
	out[0] = (char)('0' + dd / 10);
	out[1] = (char)('0' + dd % 10);
	out[2] = '/';
	out[3] = (char)('0' + m / 10);
	out[4] = (char)('0' + m % 10);
	out[5] = '/';
	out[6] = (char)('0' + y / 1000);
	out[7] = (char)('0' + y / 100 % 10);
	out[8] = (char)('0' + y / 10 % 10);
	out[9] = (char)('0' + y % 10);
	out[10] = '\0';
}

enum cal_timeliness
cal_timeliness(struct cal_date due, const struct cal_date *finished,
    struct cal_date today)
{
	int64_t	due_day = cal_days(due);

	if (finished == NULL)
		return cal_days(today) > due_day ? CAL_OVERDUE : CAL_WITHIN;
	if (cal_days(*finished) < due_day)
		return CAL_EARLY;
	return cal_days(*finished) == due_day ? CAL_ON_TIME : CAL_LATE;
}

const char *
cal_timeliness_name(enum cal_timeliness t)
{
	static const char *const names[] = { "within", "overdue", "early",
	    "on_time", "late" };

	return names[t];
}
