/*
 * cal_parse: due dates and report ranges from the admin API (JSON fields
 * and query strings) and from the store. A date it accepts is a real day
 * and is written back by cal_iso exactly as it was given: the store keeps
 * and compares the text. Working days are added from it as cases do.
 * The same input is read as holidays.list too: what it accepts is sorted,
 * each day once, and working days never land on one of them.
 */
#include "fuzz.h"

#include "calendar.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	static struct cal_holidays	 h;
	struct cal_date			 dt, due, back;
	char				*s = fuzz_cstr(d, size), iso[11], vn[11];
	char				 err[160];
	size_t				 i;
	int				 n;

	if (cal_holidays_parse("f", s, &h, err, sizeof(err)) == 0) {
		FUZZ_CHECK(h.n <= CAL_HOLIDAYS_MAX);
		for (i = 1; i < h.n; i++)
			FUZZ_CHECK(h.days[i - 1] < h.days[i]);
		if (h.n > 0) {
			due = cal_add_workdays((struct cal_date){ 2027, 1, 1 },
			    size ? d[0] % 40 + 1 : 1, &h);
			FUZZ_CHECK(!cal_is_holiday(&h, cal_days(due)));
		}
	} else
		FUZZ_CHECK(strncmp(err, "f:", 2) == 0);

	if (cal_parse(s, &dt) == 0) {
		FUZZ_CHECK(dt.m >= 1 && dt.m <= 12 && dt.d >= 1 && dt.d <= 31);
		cal_iso(dt, iso);
		cal_vn(dt, vn);
		FUZZ_CHECK(strcmp(iso, s) == 0);
		FUZZ_CHECK(cal_parse(iso, &back) == 0 && back.y == dt.y &&
		    back.m == dt.m && back.d == dt.d);
		n = size ? d[size - 1] % 64 : 0;
		due = cal_add_workdays(dt, n, NULL);
		FUZZ_CHECK(cal_days(due) >= cal_days(dt) &&
		    cal_days(due) <= cal_days(dt) + n + n / 5 * 2 + 2);
		(void)cal_timeliness_name(cal_timeliness(due, &dt, dt));
	}
	free(s);
	return 0;
}
