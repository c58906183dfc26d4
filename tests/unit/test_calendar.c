/* Working days, due dates and timeliness, with a fixed "today". */
#include "calendar.h"
#include "check.h"
#include "procedures.h"

static struct cal_date
D(int y, int m, int d)
{
	return (struct cal_date){ y, m, d };
}

static void
test_workdays(void)
{
	static const struct { struct cal_date from; int n; const char *want; }
	    cases[] = {
		{ { 2025, 11, 24 }, 1, "2025-11-25" },	/* Mon + 1 = Tue */
		{ { 2025, 11, 28 }, 1, "2025-12-01" },	/* Fri + 1 = Mon */
		{ { 2025, 11, 29 }, 1, "2025-12-01" },	/* Sat + 1 = Mon */
		{ { 2025, 11, 30 }, 3, "2025-12-03" },	/* Sun + 3 = Wed */
		{ { 2025, 12, 31 }, 2, "2026-01-02" },	/* over the new year */
		{ { 2024, 2, 28 }, 1, "2024-02-29" },	/* leap day */
		{ { 2025, 11, 26 }, 0, "2025-11-26" },
		{ { 2025, 11, 24 }, 10, "2025-12-08" },
	};
	char	iso[11];
	size_t	i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cal_iso(cal_add_workdays(cases[i].from, cases[i].n, NULL), iso);
		CHECK_STR(iso, cases[i].want);
	}
	cal_vn(D(2025, 3, 7), iso);
	CHECK_STR(iso, "07/03/2025");
}

static void
test_holidays(void)
{
	static struct cal_holidays	h;
	char				iso[11], err[160];

	CHECK_INT(cal_holidays_parse("holidays.list",
	    "# Tết\n"
	    "2027-02-04..2027-02-10 Tết Nguyên đán\r\n"
	    "\n"
	    "  2027-04-30\tGiải phóng miền Nam\n"
	    "2027-05-01\n"
	    "2027-04-30 named twice\n", &h, err, sizeof(err)), 0);
	CHECK_INT((int)h.n, 9);
	CHECK(cal_is_holiday(&h, cal_days(D(2027, 2, 4))), "first day");
	CHECK(cal_is_holiday(&h, cal_days(D(2027, 2, 10))), "last day");
	CHECK(!cal_is_holiday(&h, cal_days(D(2027, 2, 11))), "after");
	/* Wed 3 Feb + 1 working day: Tết to Wed 10, so Thu 11 Feb. */
	cal_iso(cal_add_workdays(D(2027, 2, 3), 1, &h), iso);
	CHECK_STR(iso, "2027-02-11");
	/* Thu 29 Apr + 2: Fri 30 and Sat 1 May off, Sun, so Mon 3 and Tue 4. */
	cal_iso(cal_add_workdays(D(2027, 4, 29), 2, &h), iso);
	CHECK_STR(iso, "2027-05-04");
	cal_iso(cal_add_workdays(D(2027, 4, 29), 2, NULL), iso);
	CHECK_STR(iso, "2027-05-03");

	CHECK_INT(cal_holidays_parse("h", "2027-01-01\n2027-13-01\n", &h, err,
	    sizeof(err)), -1);
	CHECK_STR(err, "h:2: not a date: want YYYY-MM-DD or "
	    "YYYY-MM-DD..YYYY-MM-DD");
	CHECK_INT(cal_holidays_parse("h", "2027-01-011\n", &h, err,
	    sizeof(err)), -1);
	CHECK_INT(cal_holidays_parse("h", "2027-02-10..2027-02-04\n", &h, err,
	    sizeof(err)), -1);
	CHECK_STR(err, "h:1: the range ends before it starts or is over 31 "
	    "days");
	CHECK_INT(cal_holidays_parse("h", "2027-01-01..2027-03-01\n", &h, err,
	    sizeof(err)), -1);
	CHECK_INT(cal_holidays_parse("h", "", &h, err, sizeof(err)), 0);
	CHECK_INT((int)h.n, 0);
}

static void
test_parse(void)
{
	struct cal_date	d;

	CHECK_INT(cal_parse("2025-12-31", &d), 0);
	CHECK_INT(d.y * 10000 + d.m * 100 + d.d, 20251231);
	CHECK_INT(cal_parse("2025-04-31", &d), -1);
	CHECK_INT(cal_parse("2025-02-29", &d), -1);
	CHECK_INT(cal_parse("2024-02-29", &d), 0);
	CHECK_INT(cal_parse("2025-1-5x", &d), -1);
	CHECK_INT(cal_parse("", &d), -1);
	CHECK_INT(cal_days(D(1970, 1, 1)), 0);
	CHECK_INT(cal_days(D(2000, 3, 1)) - cal_days(D(2000, 2, 28)), 2);
}

static void
test_timeliness(void)
{
	struct cal_date	due = D(2025, 12, 3), f;

	CHECK_INT(cal_timeliness(due, NULL, D(2025, 12, 3)), CAL_WITHIN);
	CHECK_INT(cal_timeliness(due, NULL, D(2025, 12, 4)), CAL_OVERDUE);
	f = D(2025, 12, 2);
	CHECK_INT(cal_timeliness(due, &f, D(2026, 1, 1)), CAL_EARLY);
	f = D(2025, 12, 3);
	CHECK_INT(cal_timeliness(due, &f, D(2026, 1, 1)), CAL_ON_TIME);
	f = D(2025, 12, 5);
	CHECK_INT(cal_timeliness(due, &f, D(2025, 12, 5)), CAL_LATE);
	CHECK_STR(cal_timeliness_name(CAL_ON_TIME), "on_time");
}

static void
test_procedures(void)
{
	static const struct { const char *text, *err; } bad[] = {
		{ "KS | Khai sinh | 0 | 1\n", "p.txt:1: expected 5 or 6 fields: "
		  "CODE | name | fee | days | documents [| other names; ...]" },
		{ "KS | Khai sinh | 0 | 1 | a | b | c\n", "p.txt:1: expected 5 or "
		  "6 fields: CODE | name | fee | days | documents [| other "
		  "names; ...]" },
		{ "# c\nks | Khai sinh | 0 | 1 | a\n", "p.txt:2: the code must be "
		  "1 to 7 capital letters or digits" },
		{ "KS | Khai sinh | 0 | một | a\n", "p.txt:1: the days must be a "
		  "number from 0 to 365" },
		{ "KS | A | 0 | 1 | a\nKS | B | 0 | 2 | b\n", "p.txt:2: duplicate "
		  "procedure code" },
		{ "# only comments\n", "p.txt:1: no procedures" },
	};
	struct procedures	ps;
	char			err[256];
	size_t			i;

	CHECK_INT(procedures_parse("p.txt", "# x\n\nKS | Đăng ký khai sinh | "
	    "Miễn phí | 1 | Tờ khai; Giấy chứng sinh\nCT|Chứng thực|2.000 đ|0|"
	    "Bản chính | sao y; công chứng \n", &ps, err, sizeof(err)), 0);
	CHECK_INT(ps.n, 2);
	CHECK_STR(ps.p[0].name, "Đăng ký khai sinh");
	CHECK_STR(ps.p[0].documents, "Tờ khai; Giấy chứng sinh");
	CHECK_STR(ps.p[0].aliases, "");
	CHECK_STR(ps.p[1].documents, "Bản chính");
	CHECK_STR(ps.p[1].aliases, "sao y| công chứng");
	CHECK_INT(ps.p[1].days, 0);
	CHECK(procedures_find(&ps, "ct") == &ps.p[1], "find is case-blind");
	CHECK(procedures_find(&ps, "HN") == NULL, "HN is not there");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		CHECK_INT(procedures_parse("p.txt", bad[i].text, &ps, err,
		    sizeof(err)), -1);
		CHECK_STR(err, bad[i].err);
	}
}

int
main(void)
{
	test_workdays();
	test_holidays();
	test_parse();
	test_timeliness();
	test_procedures();
	return check_report("calendar");
}
