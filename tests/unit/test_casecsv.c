/* The case import's CSV: records and row numbers, the map, the checks. */
#include <stdio.h>
#include <string.h>

#include "casecsv.h"
#include "check.h"
#include "procedures.h"

static char	scratch[CASECSV_RECORD_MAX];

/* Reads every record of in; "row:f1|f2|...;" per record, "row:!why;" for
 * one in error, "row:blank;" for a blank one. */
static void
dump(const char *in, size_t len, char *out, size_t cap, char *delim)
{
	struct casecsv		c;
	struct casecsv_rec	r;
	const char		*why;
	size_t			 n = 0;
	int			 rc, i;

	out[0] = '\0';
	casecsv_open(&c, in, len);
	*delim = c.delim;
	while ((rc = casecsv_next(&c, &r, scratch, sizeof(scratch), &why)) != 0 &&
	    n < cap - 64) {
		n += snprintf(out + n, cap - n, "%d:", r.row);
		if (rc == -1)
			n += snprintf(out + n, cap - n, "!%s", why);
		else if (r.blank)
			n += snprintf(out + n, cap - n, "blank");
		else
			for (i = 0; i < r.nfields; i++)
				n += snprintf(out + n, cap - n, "%s%s", i ? "|" :
				    "", r.field[i]);
		n += snprintf(out + n, cap - n, ";");
	}
}

static void
test_reader(void)
{
	static const struct {
		const char	*in;
		char		 delim;
		const char	*want;
	} t[] = {
		{ "a,b\n1,2\n", ',', "1:a|b;2:1|2;" },
		{ "a,b\r\n1,2\r\n", ',', "1:a|b;2:1|2;" },
		{ "a,b\r1,2", ',', "1:a|b;2:1|2;" },
		{ "\xef\xbb\xbf" "a;b\n1;2", ';', "1:a|b;2:1|2;" },
		{ "a;b;c,d\n1;2;3,4\n", ';', "1:a|b|c,d;2:1|2|3,4;" },
		{ "a\tb\n1\t2\n", '\t', "1:a|b;2:1|2;" },
		/* the delimiter counted outside quotes only */
		{ "\"x;y;z\",b,c\n1,2,3", ',', "1:x;y;z|b|c;2:1|2|3;" },
		/* quotes, delimiters and line breaks inside: one row each */
		{ "a;b\n\"1;\"\"x\"\"\";\"two\r\nlines\"\n3;4\n", ';',
		    "1:a|b;2:1;\"x\"|two\r\nlines;3:3|4;" },
		/* an empty line is a row of its own, as a spreadsheet shows */
		{ "a,b\n\n1,2\n,\n3,4", ',', "1:a|b;2:blank;3:1|2;4:blank;5:3|4;" },
		/* a quoted empty field is data, not a blank row */
		{ "a\n\"\"\n", ',', "1:a;2:;" },
		{ "a,b\n1,\n,2", ',', "1:a|b;2:1|;3:|2;" },
		/* text after a closing quote is kept, as spreadsheets do */
		{ "a,b\n\"x\"y,z", ',', "1:a|b;2:xy|z;" },
		/* a quote inside an unquoted field is a character */
		{ "a,b\n5\"x,z", ',', "1:a|b;2:5\"x|z;" },
		{ "a,b\n\"never closed,2\n3,4\n", ',',
		    "1:a|b;2:!a quote opened in this row is never closed;" },
		{ "", ',', "" },
		{ "\xef\xbb\xbf", ',', "" },
	};
	char	out[1024], delim;
	size_t	i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		dump(t[i].in, strlen(t[i].in), out, sizeof(out), &delim);
		CHECK(strcmp(out, t[i].want) == 0, "case %zu: got \"%s\", want "
		    "\"%s\"", i, out, t[i].want);
		CHECK(delim == t[i].delim, "case %zu: delimiter %d", i, delim);
	}
}

static void
test_limits(void)
{
	static char	in[CASECSV_RECORD_MAX + 200], out[512];
	char		delim;
	size_t		n;
	int		i;

	n = (size_t)snprintf(in, sizeof(in), "a\n");
	memset(in + n, 'x', CASECSV_RECORD_MAX + 10);
	n += CASECSV_RECORD_MAX + 10;
	n += (size_t)snprintf(in + n, sizeof(in) - n, "\nb\n");
	dump(in, n, out, sizeof(out), &delim);
	CHECK_STR(out, "1:a;2:!the row is longer than 64 KiB;3:b;");
	n = 0;
	for (i = 0; i < CASECSV_FIELDS_MAX + 1; i++)
		n += (size_t)snprintf(in + n, sizeof(in) - n, "%sc", i ? "," : "");
	dump(in, n, out, sizeof(out), &delim);
	CHECK_STR(out, "1:!more than 64 columns;");
	/* a NUL inside the buffer is a byte like any other, not the end */
	dump("a,b\n1\0002,3", 10, out, sizeof(out), &delim);
	CHECK_STR(out, "1:a|b;2:1|3;");
}

static void
test_when(void)
{
	static const struct {
		const char	*in;
		int		 ok, y, m, d, hh, mi;
	} t[] = {
		{ "04/12/2026", 1, 2026, 12, 4, 0, 0 },
		{ "4/2/2026", 1, 2026, 2, 4, 0, 0 },
		{ "04-12-2026", 1, 2026, 12, 4, 0, 0 },
		{ "2026-12-04", 1, 2026, 12, 4, 0, 0 },
		{ "2026-12-04 08:30", 1, 2026, 12, 4, 8, 30 },
		{ "2026-12-04T08:30:15", 1, 2026, 12, 4, 8, 30 },
		{ "04/12/2026 17:05:00", 1, 2026, 12, 4, 17, 5 },
		{ "29/02/2028", 1, 2028, 2, 29, 0, 0 },
		{ "29/02/2027", 0, 0, 0, 0, 0, 0 },
		{ "31/04/2026", 0, 0, 0, 0, 0, 0 },
		{ "32/01/2026", 0, 0, 0, 0, 0, 0 },
		{ "01/13/2026", 0, 0, 0, 0, 0, 0 },
		{ "2026/12/04", 1, 2026, 12, 4, 0, 0 },
		{ "04/12/26", 0, 0, 0, 0, 0, 0 },
		{ "04/12-2026", 0, 0, 0, 0, 0, 0 },
		{ "04/12/2026 25:00", 0, 0, 0, 0, 0, 0 },
		{ "04/12/2026 8", 0, 0, 0, 0, 0, 0 },
		{ "hôm nay", 0, 0, 0, 0, 0, 0 },
		{ "", 0, 0, 0, 0, 0, 0 },
	};
	struct casecsv_when	w;
	size_t			i;
	int			rc;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		rc = casecsv_when(t[i].in, &w);
		CHECK(rc == (t[i].ok ? 0 : -1), "\"%s\": %d", t[i].in, rc);
		if (rc == 0 && t[i].ok)
			CHECK(w.y == t[i].y && w.m == t[i].m && w.d == t[i].d &&
			    w.hh == t[i].hh && w.mi == t[i].mi, "\"%s\": "
			    "%d-%d-%d %d:%d", t[i].in, w.y, w.m, w.d, w.hh, w.mi);
	}
}

static void
test_map(void)
{
	struct casecsv_map	m;
	char			err[256];
	static const struct {
		const char	*text;
		const char	*err;
	} bad[] = {
		{ "Mã = code\n", "f:1: a line before any [columns], [statuses] "
		    "or [procedures]" },
		{ "[columns]\n# x\n\nMã = kode\n", "f:4: unknown field: use code, "
		    "procedure, name, msisdn, received, due, status or -" },
		{ "[statuses]\nXong = finished\n", "f:2: unknown status: use "
		    "received, rejected, processing, need_more, need_fee, "
		    "withdrawn, suspended, ready or returned" },
		{ "[colums]\n", "f:1: unknown section [colums]: use [columns], "
		    "[statuses] or [procedures]" },
		{ "[columns]\nMã hồ sơ\n", "f:2: expected `text = value`" },
		{ "[columns]\n = code\n", "f:2: expected `text = value`" },
		{ "[procedures]\n1.001193 = KHAISINH\n", "f:2: a procedure code "
		    "is at most 7 characters" },
	};
	size_t	i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&m, 0, sizeof(m));
		err[0] = '\0';
		CHECK_INT(casecsv_map_parse("f", bad[i].text, &m, err,
		    sizeof(err)), -1);
		CHECK_STR(err, bad[i].err);
	}
	memset(&m, 0, sizeof(m));
	CHECK_INT(casecsv_map_parse("f", "[columns]\nTrạng thái = -\n"
	    "Tình trạng xử lý = status\n[statuses]\nXong rồi = ready\n"
	    "Đang xử lý = need_more\nHuỷ = 3\n[procedures]\n1.001193 = KS\n",
	    &m, err, sizeof(err)), 0);
	casecsv_map_defaults(&m);
	CHECK_INT(casecsv_status(&m, "xong roi"), 9);
	CHECK_INT(casecsv_status(&m, "ĐANG  XỬ LÝ"), 5);	/* the file wins */
	CHECK_INT(casecsv_status(&m, "Huỷ"), 3);
	CHECK_INT(casecsv_status(&m, "Đã trả kết quả"), 10);
	CHECK_INT(casecsv_status(&m, "da co ket qua"), 9);
	CHECK_INT(casecsv_status(&m, "processing"), 4);
	CHECK_INT(casecsv_status(&m, "7"), 7);
	CHECK_INT(casecsv_status(&m, "1"), 0);
	CHECK_INT(casecsv_status(&m, "Hồ sơ đẹp"), 0);
}

/* One header and one data row through casecsv_header and casecsv_check. */
static int
check_one(const struct casecsv_ctx *ctx, const char *csv,
    struct casecsv_row *row, struct casecsv_err *errs, int max, char *herr)
{
	static char		s2[CASECSV_RECORD_MAX];
	struct casecsv		c;
	struct casecsv_rec	h, r;
	struct casecsv_cols	cols;
	const char		*why;

	casecsv_open(&c, csv, strlen(csv));
	if (casecsv_next(&c, &h, scratch, sizeof(scratch), &why) != 1)
		return -2;
	if (casecsv_header(ctx->map, &h, &cols, herr, 256) == -1)
		return -1;
	if (casecsv_next(&c, &r, s2, sizeof(s2), &why) != 1)
		return -2;
	return casecsv_check(ctx, &cols, &r, row, errs, max);
}

static void
test_check(void)
{
	static const char procs_text[] =
	    "KS | Đăng ký khai sinh | 0 | 1 | giấy\n"
	    "HN | Xác nhận tình trạng hôn nhân | 0 | 3 | giấy\n";
	static const char head[] = "STT;MÃ HỒ SƠ;Thủ tục;Mã thủ tục;Chủ hồ sơ;"
	    "Số điện thoại;Ngày tiếp nhận;Ngày hẹn trả;Trạng thái\n";
	static const struct {
		const char	*row;
		int		 nerr;
		const char	*first;		/* header: reason */
	} t[] = {
		{ "1;000.00.20.H12-261204-0001;Khai sinh;KS;Nguyễn Văn An;"
		    "0912345678;04/12/2026 08:00;07/12/2026;Đang xử lý", 0, "" },
		{ "2; X-1 ;;;;;;;Đã tiếp nhận", 0, "" },
		/* the name column wins when the code column is empty */
		{ "3;X-2;Đăng ký khai sinh;;;;;;đã có kết quả", 0, "" },
		{ "4;X-3;;1.001193;;;;;Chờ bổ sung", 0, "" },
		{ "5;;;;;;;;Đang xử lý", 1, "MÃ HỒ SƠ: empty: every row needs "
		    "its case code" },
		{ "6;X-4;;ZZ;;;;;Đang xử lý", 1, "Mã thủ tục: unknown procedure "
		    "\"ZZ\" (not in procedures.list)" },
		{ "7;X-5;;;;0123;;;Đang xử lý", 1, "Số điện thoại: not a mobile "
		    "number: \"0123\"" },
		{ "8;X-6;;;;;31/02/2026;;Đang xử lý", 1, "Ngày tiếp nhận: not a "
		    "date: \"31/02/2026\" (write DD/MM/YYYY, or YYYY-MM-DD)" },
		{ "9;X-7;;;;;;;Đang bay", 1, "Trạng thái: unknown status "
		    "\"Đang bay\" (add it to import.map's [statuses])" },
		{ "10;X-8;;;;;;;", 1, "Trạng thái: empty: every row needs its "
		    "status" },
		{ "11;X-9;;;;;;xx;Đang xử lý;extra", 1, "Ngày hẹn trả: not a "
		    "date: \"xx\"" },
		{ "12;X-10;;;\xff\xfe;;;;Đang xử lý", 1, "Chủ hồ sơ: not UTF-8 "
		    "text" },
		{ "13;;;ZZ;;1;;;", 4, "MÃ HỒ SƠ: empty" },
	};
	struct casecsv_map	 m;
	struct procedures	 ps;
	struct casecsv_ctx	 ctx = { &m, &ps, "84" };
	struct casecsv_row	 row;
	struct casecsv_err	 errs[8];
	char			 csv[1024], err[256], got[512];
	size_t			 i;
	int			 n;

	memset(&m, 0, sizeof(m));
	CHECK_INT(casecsv_map_parse("f", "[procedures]\n1.001193 = KS\n", &m,
	    err, sizeof(err)), 0);
	casecsv_map_defaults(&m);
	CHECK_INT(procedures_parse("p", procs_text, &ps, err, sizeof(err)), 0);
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(csv, sizeof(csv), "%s%s", head, t[i].row);
		n = check_one(&ctx, csv, &row, errs, 8, err);
		CHECK(n == t[i].nerr, "row %zu: %d problems, want %d (%s: %s)",
		    i, n, t[i].nerr, n > 0 ? errs[0].header : "",
		    n > 0 ? errs[0].reason : "");
		if (n <= 0 || t[i].nerr == 0)
			continue;
		snprintf(got, sizeof(got), "%s: %s", errs[0].header,
		    errs[0].reason);
		CHECK(strncmp(got, t[i].first, strlen(t[i].first)) == 0,
		    "row %zu: got \"%s\"", i, got);
		CHECK_INT(row.row, 2);
	}
	snprintf(csv, sizeof(csv), "%s%s", head, t[0].row);
	CHECK_INT(check_one(&ctx, csv, &row, errs, 8, err), 0);
	CHECK_STR(row.code, "000.00.20.H12-261204-0001");
	CHECK_STR(row.canon, "0000020H122612040001");
	CHECK_STR(row.procedure, "KS");
	CHECK_STR(row.name, "Nguyễn Văn An");
	CHECK_STR(row.msisdn, "84912345678");
	CHECK_INT(row.status, 4);
	CHECK_STR(row.due, "2026-12-07");
	CHECK(row.has_received && row.received.hh == 8 && row.received.d == 4,
	    "received");
	/* "Mã thủ tục" wins; when it is empty, "Thủ tục" is read, and named */
	snprintf(csv, sizeof(csv), "%s%s", head, t[2].row);
	CHECK_INT(check_one(&ctx, csv, &row, errs, 8, err), 0);
	CHECK_STR(row.procedure, "KS");
	snprintf(csv, sizeof(csv), "%s%s", head, "1;X;Khai tử;;;;;;Đang xử lý");
	CHECK_INT(check_one(&ctx, csv, &row, errs, 8, err), 1);
	CHECK_STR(errs[0].header, "Thủ tục");
	snprintf(csv, sizeof(csv), "%s%s", head, "1;X;Khai tử;HN;;;;;Đang xử lý");
	CHECK_INT(check_one(&ctx, csv, &row, errs, 8, err), 0);
	CHECK_STR(row.procedure, "HN");
	CHECK_STR(check_one(&ctx, "Mã hồ sơ,Tên\nX,Y\n", &row, errs, 8, err) ==
	    -1 ? err : "", "row 1: no column for the status (a header such as "
	    "\"Trạng thái\")");
	CHECK_STR(check_one(&ctx, "Trạng thái\nX\n", &row, errs, 8, err) ==
	    -1 ? err : "", "row 1: no column for the case code (a header such "
	    "as \"Mã hồ sơ\")");
	/* the English field names work as headers too */
	CHECK_INT(check_one(&ctx, "code,status\nA-1,ready\n", &row, errs, 8,
	    err), 0);
	CHECK_INT(row.status, 9);
}

int
main(void)
{
	test_reader();
	test_limits();
	test_when();
	test_map();
	test_check();
	return check_report("casecsv");
}
