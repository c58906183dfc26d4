/*
 * The case import's CSV (parsers/casecsv.c), as an upload reaches it:
 * the reader over the exact bytes (no NUL after them: ASan sees a read
 * past the end), the header mapped, every record checked. Invariants:
 * the reader always moves on and ends; row numbers rise by one a record;
 * a record's fields are NUL-ended inside the scratch buffer; a good row's
 * fields are what the checks promise (a canonical code, a known status,
 * a date or nothing). Byte 0 picks a map file: none, a valid one, or one
 * with an error (its line named).
 */
#include "fuzz.h"

#include "casecsv.h"
#include "procedures.h"

static const char *const maps[] = {
	"",
	"[columns]\nTình trạng xử lý = status\nSTT = -\n[statuses]\n"
	    "Xong = ready\n[procedures]\n1.001193 = KS\n",
	"[columns]\nMã = kode\n",
};

static char	scratch[CASECSV_RECORD_MAX];

static void
check_row(const struct casecsv_row *row)
{
	FUZZ_CHECK(row->code[0] != '\0' && row->canon[0] != '\0');
	FUZZ_CHECK(row->status >= 2 && row->status <= 10);
	FUZZ_CHECK(row->due[0] == '\0' || strlen(row->due) == 10);
	FUZZ_CHECK(row->msisdn[0] == '\0' || (row->msisdn[0] >= '1' &&
	    row->msisdn[0] <= '9'));
	FUZZ_CHECK(!row->has_received || (row->received.y >= 2000 &&
	    row->received.m >= 1 && row->received.m <= 12));
}

static void
check_fields(const struct casecsv_rec *r)
{
	int	i;

	FUZZ_CHECK(r->nfields >= 1 && r->nfields <= CASECSV_FIELDS_MAX);
	for (i = 0; i < r->nfields; i++)
		FUZZ_CHECK(r->field[i] >= scratch && r->field[i] + strlen(r->field[i])
		    < scratch + sizeof(scratch));
}

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	static struct procedures	 ps;
	static struct casecsv_map	 m;
	struct casecsv_ctx		 ctx = { &m, &ps, "84" };
	struct casecsv			 c;
	struct casecsv_rec		 r;
	struct casecsv_cols		 cols;
	struct casecsv_row		 row;
	struct casecsv_err		 errs[8];
	const char			*why;
	char				 err[256];
	uint8_t				*in;
	int				 rc, n, header = 0, last = 0, prev;

	if (size < 1)
		return 0;
	memset(&m, 0, sizeof(m));
	rc = casecsv_map_parse("import.map", maps[d[0] % 3], &m, err,
	    sizeof(err));
	FUZZ_CHECK(rc == 0 || strncmp(err, "import.map:", 11) == 0);
	casecsv_map_defaults(&m);
	FUZZ_CHECK(procedures_parse("p", "KS | Đăng ký khai sinh | 0 | 1 | x\n"
	    "HN | Xác nhận tình trạng hôn nhân | 0 | 3 | x\n", &ps, err,
	    sizeof(err)) == 0);
	in = fuzz_dup(d + 1, size - 1);
	casecsv_open(&c, (const char *)in, size - 1);
	FUZZ_CHECK(c.delim == ',' || c.delim == ';' || c.delim == '\t');
	for (;;) {
		prev = (int)c.off;
		if ((rc = casecsv_next(&c, &r, scratch, sizeof(scratch), &why)) == 0)
			break;
		FUZZ_CHECK((int)c.off > prev && c.off <= size - 1);
		FUZZ_CHECK(r.row == last + 1);
		last = r.row;
		if (rc == -1) {
			FUZZ_CHECK(why != NULL);
			continue;
		}
		check_fields(&r);
		if (!header) {
			header = 1;
			if (casecsv_header(&m, &r, &cols, err, sizeof(err)) == -1) {
				FUZZ_CHECK(strncmp(err, "row 1: ", 7) == 0);
				header = -1;
				break;
			}
			continue;
		}
		n = casecsv_check(&ctx, &cols, &r, &row, errs, 8);
		FUZZ_CHECK(n >= 0);
		if (n == 0)
			check_row(&row);
	}
	if (header != -1)	/* read to the end: it stays there */
		FUZZ_CHECK(casecsv_next(&c, &r, scratch, sizeof(scratch),
		    &why) == 0);
	free(in);
	return 0;
}
