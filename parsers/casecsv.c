/*
 * The case system's CSV export, read for an import (include/casecsv.h):
 * the record reader, the column map and one record's checks. A clerk
 * sees every problem named by its spreadsheet row and its column's
 * header, so the reader keeps row numbers as a spreadsheet counts them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casecode.h"
#include "casecsv.h"
#include "casestatus.h"
#include "msisdn.h"
#include "procedures.h"
#include "str.h"
#include "text.h"

static const char *const field_names[CASECSV_NFIELDS] = {
	[CASECSV_CODE] = "code", [CASECSV_PROCEDURE] = "procedure",
	[CASECSV_NAME] = "name", [CASECSV_MSISDN] = "msisdn",
	[CASECSV_RECEIVED] = "received", [CASECSV_DUE] = "due",
	[CASECSV_STATUS] = "status",
};

/* The national portal's and the provincial systems' usual headers, in
 * the order they win when a file has two for one field. */
static const struct {
	const char	*header;
	int		 field;
} default_cols[] = {
	{ "Mã hồ sơ", CASECSV_CODE }, { "Số hồ sơ", CASECSV_CODE },
	{ "Mã số hồ sơ", CASECSV_CODE },
	{ "Mã thủ tục", CASECSV_PROCEDURE }, { "Thủ tục", CASECSV_PROCEDURE },
	{ "Tên thủ tục", CASECSV_PROCEDURE },
	{ "Thủ tục hành chính", CASECSV_PROCEDURE },
	{ "Chủ hồ sơ", CASECSV_NAME }, { "Họ tên", CASECSV_NAME },
	{ "Họ và tên", CASECSV_NAME }, { "Người nộp", CASECSV_NAME },
	{ "Số điện thoại", CASECSV_MSISDN }, { "Điện thoại", CASECSV_MSISDN },
	{ "SĐT", CASECSV_MSISDN },
	{ "Ngày tiếp nhận", CASECSV_RECEIVED }, { "Ngày nhận", CASECSV_RECEIVED },
	{ "Ngày hẹn trả", CASECSV_DUE }, { "Ngày hẹn trả kết quả", CASECSV_DUE },
	{ "Hạn xử lý", CASECSV_DUE },
	{ "Trạng thái", CASECSV_STATUS }, { "Tình trạng", CASECSV_STATUS },
	{ "Trạng thái hồ sơ", CASECSV_STATUS },
};

/* The portal's status words (DOMAIN.md "Statuses") and common variants. */
static const struct {
	const char	*word;
	int		 status;
} default_statuses[] = {
	{ "Mới đăng ký", 2 }, { "Đã tiếp nhận", 2 }, { "Được tiếp nhận", 2 },
	{ "Tiếp nhận", 2 }, { "Mới tiếp nhận", 2 },
	{ "Không được tiếp nhận", 3 }, { "Từ chối", 3 },
	{ "Từ chối tiếp nhận", 3 },
	{ "Đang xử lý", 4 }, { "Đang giải quyết", 4 },
	{ "Chờ bổ sung", 5 }, { "Yêu cầu bổ sung", 5 },
	{ "Yêu cầu bổ sung giấy tờ", 5 }, { "Bổ sung hồ sơ", 5 },
	{ "Yêu cầu thực hiện nghĩa vụ tài chính", 6 }, { "Chờ nộp phí", 6 },
	{ "Chờ thực hiện nghĩa vụ tài chính", 6 },
	{ "Công dân yêu cầu rút hồ sơ", 7 }, { "Rút hồ sơ", 7 },
	{ "Đã rút hồ sơ", 7 },
	{ "Dừng xử lý", 8 }, { "Tạm dừng", 8 }, { "Tạm dừng xử lý", 8 },
	{ "Đã xử lý xong", 9 }, { "Đã có kết quả", 9 }, { "Chờ trả kết quả", 9 },
	{ "Đã trả kết quả", 10 }, { "Đã trả", 10 }, { "Hoàn thành", 10 },
};

const char *
casecsv_field_name(int f)
{
	return f >= 0 && f < CASECSV_NFIELDS ? field_names[f] : "-";
}

/* ---- the reader ---- */

static int
csv_eol(const struct casecsv *c, size_t i)
{
	return i < c->len && (c->buf[i] == '\n' || c->buf[i] == '\r');
}

/* Past the line break at off (CRLF, LF or CR). */
static void
csv_skip_eol(struct casecsv *c)
{
	if (c->off < c->len && c->buf[c->off] == '\r')
		c->off++;
	if (c->off < c->len && c->buf[c->off] == '\n')
		c->off++;
}

/* The delimiter the header line has most of, outside quotes. */
static char
csv_delim(const char *p, size_t len)
{
	static const char	cand[] = ",;\t";
	int			n[3] = { 0, 0, 0 }, q = 0, best = 0, k;
	size_t			i;

	for (i = 0; i < len && (q || (p[i] != '\n' && p[i] != '\r')); i++) {
		if (p[i] == '"')
			q = !q;
		else if (!q)
			for (k = 0; k < 3; k++)
				n[k] += p[i] == cand[k];
	}
	for (k = 1; k < 3; k++)
		if (n[k] > n[best])
			best = k;
	return cand[best];
}

void
casecsv_open(struct casecsv *c, const char *buf, size_t len)
{
	memset(c, 0, sizeof(*c));
	c->buf = buf;
	c->len = len;
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		c->off = 3;
	c->delim = csv_delim(buf + c->off, len - c->off);
}

/* Where one record's fields go while it is read. */
struct csv_out {
	struct casecsv_rec	*rec;
	char			*p;
	size_t			 n, cap;
	int			 quoted_any;
	const char		*why;	/* the record's first problem */
};

static void
out_byte(struct csv_out *o, char ch)
{
	if (o->n + 1 < o->cap)
		o->p[o->n++] = ch;
	else if (o->why == NULL)
		o->why = "the row is longer than 64 KiB";
}

static void
out_field_end(struct csv_out *o)
{
	struct casecsv_rec	*r = o->rec;

	if (o->n + 1 > o->cap) {
		if (o->why == NULL)
			o->why = "the row is longer than 64 KiB";
		return;
	}
	o->p[o->n++] = '\0';
	if (r->nfields < CASECSV_FIELDS_MAX)
		r->nfields++;
	else if (o->why == NULL)
		o->why = "more than 64 columns";
}

static void
out_field_start(struct csv_out *o)
{
	struct casecsv_rec	*r = o->rec;

	if (r->nfields < CASECSV_FIELDS_MAX && o->n < o->cap)
		r->field[r->nfields] = o->p + o->n;
}

/* A quoted field from just past its opening quote; 0, or -1 unclosed. */
static int
csv_quoted(struct casecsv *c, struct csv_out *o)
{
	o->quoted_any = 1;
	while (c->off < c->len) {
		char	ch = c->buf[c->off++];

		if (ch != '"') {
			out_byte(o, ch);
			continue;
		}
		if (c->off < c->len && c->buf[c->off] == '"') {
			out_byte(o, '"');
			c->off++;
			continue;
		}
		/* Text between the closing quote and the delimiter is kept,
		 * as spreadsheets do: "a"b reads as ab. */
		while (c->off < c->len && c->buf[c->off] != c->delim &&
		    !csv_eol(c, c->off))
			out_byte(o, c->buf[c->off++]);
		return 0;
	}
	return -1;
}

/* One field, up to its delimiter or the line's end; 0 or -1 (unclosed). */
static int
csv_field(struct casecsv *c, struct csv_out *o)
{
	out_field_start(o);
	if (c->off < c->len && c->buf[c->off] == '"') {
		c->off++;
		if (csv_quoted(c, o) == -1)
			return -1;
	} else
		while (c->off < c->len && c->buf[c->off] != c->delim &&
		    !csv_eol(c, c->off))
			out_byte(o, c->buf[c->off++]);
	out_field_end(o);
	return 0;
}

static int
csv_blank(const struct casecsv_rec *r, int quoted)
{
	int	i;

	if (quoted)
		return 0;
	for (i = 0; i < r->nfields; i++)
		if (r->field[i][strspn(r->field[i], " \t")] != '\0')
			return 0;
	return 1;
}

int
casecsv_next(struct casecsv *c, struct casecsv_rec *r, char *scratch,
    size_t cap, const char **errstr)
{
	struct csv_out	o = { r, scratch, 0, cap, 0, NULL };

	memset(r, 0, sizeof(*r));
	*errstr = NULL;
	if (c->off >= c->len || cap == 0)
		return 0;
	r->row = ++c->row;
	for (;;) {
		if (csv_field(c, &o) == -1) {
			*errstr = "a quote opened in this row is never closed";
			return -1;
		}
		if (c->off >= c->len || c->buf[c->off] != c->delim)
			break;
		c->off++;
	}
	csv_skip_eol(c);
	r->blank = csv_blank(r, o.quoted_any);
	*errstr = o.why;
	return o.why ? -1 : 1;
}

/* ---- the column map ---- */

/* Folded, as headers and words are compared; -1 if it does not fit. */
static int
map_key(const char *s, char *out, size_t cap)
{
	return text_fold(s, out, cap) < 0 ? -1 : 0;
}

static int
map_find_col(const struct casecsv_map *m, const char *key)
{
	int	i;

	for (i = 0; i < m->ncol; i++)
		if (strcmp(m->col[i].key, key) == 0)
			return i;
	return -1;
}

static void
map_add_col(struct casecsv_map *m, const char *header, int field)
{
	char	key[CASECSV_KEY_MAX];

	if (m->ncol == CASECSV_MAP_MAX || map_key(header, key, sizeof(key)) ||
	    map_find_col(m, key) != -1)
		return;
	str_copy(m->col[m->ncol].key, key, CASECSV_KEY_MAX);
	m->col[m->ncol++].field = field;
}

static int
map_find_st(const struct casecsv_map *m, const char *key)
{
	int	i;

	for (i = 0; i < m->nst; i++)
		if (strcmp(m->st[i].key, key) == 0)
			return m->st[i].status;
	return 0;
}

static void
map_add_st(struct casecsv_map *m, const char *word, int status)
{
	char	key[CASECSV_KEY_MAX];

	if (m->nst == CASECSV_MAP_MAX || map_key(word, key, sizeof(key)) ||
	    map_find_st(m, key) != 0)
		return;
	str_copy(m->st[m->nst].key, key, CASECSV_KEY_MAX);
	m->st[m->nst++].status = status;
}

void
casecsv_map_defaults(struct casecsv_map *m)
{
	size_t	i;
	int	f;

	for (i = 0; i < sizeof(default_cols) / sizeof(default_cols[0]); i++)
		map_add_col(m, default_cols[i].header, default_cols[i].field);
	for (f = 0; f < CASECSV_NFIELDS; f++)	/* and the fields' own names */
		map_add_col(m, field_names[f], f);
	for (i = 0; i < sizeof(default_statuses) /
	    sizeof(default_statuses[0]); i++)
		map_add_st(m, default_statuses[i].word,
		    default_statuses[i].status);
}

static int
field_by_name(const char *s)
{
	int	f;

	if (strcmp(s, "-") == 0)
		return CASECSV_IGNORE;
	for (f = 0; f < CASECSV_NFIELDS; f++)
		if (strcmp(field_names[f], s) == 0)
			return f;
	return -2;
}

/* A status name (processing) or a portal code (4); 0 when neither. */
static int
status_by_name(const char *s)
{
	const struct case_status	*cs;
	char				*end;
	long				 n;

	if ((cs = case_status_by_name(s)) != NULL)
		return cs->code;
	n = strtol(s, &end, 10);
	if (end != s && *end == '\0' && n >= 2 && n <= 10)
		return (int)n;
	return 0;
}

/* Trims blanks at both ends, in place. */
static char *
trim(char *s)
{
	size_t	n;

	s += strspn(s, " \t");
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

enum { SEC_NONE, SEC_COLUMNS, SEC_STATUSES, SEC_PROCEDURES };

static int
map_section(const char *s)
{
	if (strcmp(s, "[columns]") == 0)
		return SEC_COLUMNS;
	if (strcmp(s, "[statuses]") == 0)
		return SEC_STATUSES;
	if (strcmp(s, "[procedures]") == 0)
		return SEC_PROCEDURES;
	return -1;
}

static int
map_proc_line(struct casecsv_map *m, const char *k, const char *v)
{
	char	key[CASECSV_KEY_MAX];

	if (strlen(v) >= sizeof(m->proc[0].proc) || m->nproc == CASECSV_MAP_MAX ||
	    map_key(k, key, sizeof(key)) == -1)
		return -1;
	str_copy(m->proc[m->nproc].key, key, CASECSV_KEY_MAX);
	str_copy(m->proc[m->nproc++].proc, v, sizeof(m->proc[0].proc));
	return 0;
}

/* One `key = value` line of a section; NULL, or why it is refused. */
static const char *
map_line(struct casecsv_map *m, int sec, const char *k, const char *v)
{
	int	f;

	if (k[0] == '\0' || v[0] == '\0')
		return "expected `text = value`";
	if (strlen(k) >= CASECSV_KEY_MAX)
		return "the text before = is too long";
	switch (sec) {
	case SEC_COLUMNS:
		if ((f = field_by_name(v)) == -2)
			return "unknown field: use code, procedure, name, msisdn, "
			    "received, due, status or -";
		if (m->ncol == CASECSV_MAP_MAX)
			return "too many columns";
		map_add_col(m, k, f);
		return NULL;
	case SEC_STATUSES:
		if ((f = status_by_name(v)) == 0)
			return "unknown status: use received, rejected, "
			    "processing, need_more, need_fee, withdrawn, "
			    "suspended, ready or returned";
		if (m->nst == CASECSV_MAP_MAX)
			return "too many statuses";
		map_add_st(m, k, f);
		return NULL;
	case SEC_PROCEDURES:
		return map_proc_line(m, k, v) == -1 ?
		    "a procedure code is at most 7 characters" : NULL;
	}
	return "a line before any [columns], [statuses] or [procedures]";
}

int
casecsv_map_parse(const char *name, const char *text, struct casecsv_map *m,
    char *err, size_t errlen)
{
	char		 line[512], *s, *eq;
	const char	*p = text, *why;
	int		 no = 0, sec = SEC_NONE;
	size_t		 n;

	while (*p) {
		n = strcspn(p, "\n");
		no++;
		str_copyn(line, sizeof(line), p, n);
		p += n + (p[n] == '\n');
		s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		if (*s == '[') {
			if ((sec = map_section(s)) == -1)
				goto bad_section;
			continue;
		}
		if ((eq = strrchr(s, '=')) == NULL) {
			why = "expected `text = value`";
			goto bad;
		}
		*eq = '\0';
		if ((why = map_line(m, sec, trim(s), trim(eq + 1))) != NULL)
			goto bad;
	}
	return 0;
bad_section:
	snprintf(err, errlen, "%s:%d: unknown section %s: use [columns], "
	    "[statuses] or [procedures]", name, no, s);
	return -1;
bad:
	snprintf(err, errlen, "%s:%d: %s", name, no, why);
	return -1;
}

/* ---- headers ---- */

/* Column i, mapped by entry e to field f: the best so far, or the next. */
static void
header_take(struct casecsv_cols *cols, int *best, int *second, int f, int e,
    int i, const char *h)
{
	if (e < best[f]) {
		second[f] = best[f];
		cols->alt[f] = cols->idx[f];
		cols->alt_header[f] = cols->header[f];
		best[f] = e;
		cols->idx[f] = i;
		cols->header[f] = h;
	} else if (e < second[f]) {
		second[f] = e;
		cols->alt[f] = i;
		cols->alt_header[f] = h;
	}
}

int
casecsv_header(const struct casecsv_map *m, const struct casecsv_rec *r,
    struct casecsv_cols *cols, char *err, size_t errlen)
{
	char	key[CASECSV_KEY_MAX];
	int	i, e, f, best[CASECSV_NFIELDS], second[CASECSV_NFIELDS];

	for (f = 0; f < CASECSV_NFIELDS; f++) {
		cols->idx[f] = cols->alt[f] = -1;
		cols->header[f] = cols->alt_header[f] = "";
		best[f] = second[f] = CASECSV_MAP_MAX;
	}
	for (i = 0; i < r->nfields; i++) {
		if (map_key(r->field[i], key, sizeof(key)) == -1 ||
		    (e = map_find_col(m, key)) == -1 ||
		    (f = m->col[e].field) == CASECSV_IGNORE)
			continue;
		/* the map's earlier entry wins */
		header_take(cols, best, second, f, e, i, r->field[i]);
	}
	if (cols->idx[CASECSV_CODE] == -1 || cols->idx[CASECSV_STATUS] == -1) {
		snprintf(err, errlen, "row 1: no column for the %s (a header "
		    "such as \"%s\")", cols->idx[CASECSV_CODE] == -1 ?
		    "case code" : "status", cols->idx[CASECSV_CODE] == -1 ?
		    "Mã hồ sơ" : "Trạng thái");
		return -1;
	}
	return 0;
}

int
casecsv_status(const struct casecsv_map *m, const char *word)
{
	char	key[CASECSV_KEY_MAX];
	int	st;

	if ((st = status_by_name(word)) != 0)
		return st;
	if (map_key(word, key, sizeof(key)) == -1)
		return 0;
	return map_find_st(m, key);
}

/* ---- values ---- */

/* Up to max digits at *p, at least one; the value or -1. */
static int
num(const char **p, int max)
{
	int	v = 0, n = 0;

	while (n < max && **p >= '0' && **p <= '9') {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n ? v : -1;
}

static int
days_in(int y, int m)
{
	static const int	dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				    30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

static int
when_time(const char *p, struct casecsv_when *w)
{
	if (*p == '\0')
		return 0;
	if (*p != ' ' && *p != 'T')
		return -1;
	p += strspn(p, " T");
	if ((w->hh = num(&p, 2)) < 0 || *p++ != ':' ||
	    (w->mi = num(&p, 2)) < 0)
		return -1;
	if (*p == ':' && (p++, (w->ss = num(&p, 2)) < 0))
		return -1;
	w->has_time = 1;
	return *p == '\0' && w->hh < 24 && w->mi < 60 && w->ss < 60 ? 0 : -1;
}

int
casecsv_when(const char *s, struct casecsv_when *w)
{
	const char	*p = s;
	int		 a, b, c;
	char		 sep;

	memset(w, 0, sizeof(*w));
	if ((a = num(&p, 4)) < 0 || (*p != '/' && *p != '-' && *p != '.'))
		return -1;
	sep = *p++;
	if ((b = num(&p, 2)) < 0 || *p++ != sep || (c = num(&p, 4)) < 0)
		return -1;
	if (p - s >= 8 && s[4] == sep) {	/* YYYY-MM-DD */
		w->y = a, w->m = b, w->d = c;
	} else
		w->d = a, w->m = b, w->y = c;
	if (w->y < 2000 || w->y > 2099 || w->m < 1 || w->m > 12 || w->d < 1 ||
	    w->d > days_in(w->y, w->m))
		return -1;
	return when_time(p, w);
}

static int
utf8_ok(const unsigned char *s)
{
	int	n;

	while (*s) {
		if (*s < 0x80) {
			s++;
			continue;
		}
		n = (*s & 0xe0) == 0xc0 ? 1 : (*s & 0xf0) == 0xe0 ? 2 :
		    (*s & 0xf8) == 0xf0 ? 3 : -1;
		if (n < 0 || (n == 1 && *s < 0xc2))
			return 0;
		for (s++; n > 0; n--, s++)
			if ((*s & 0xc0) != 0x80)
				return 0;
	}
	return 1;
}

/* The checks' state: the record, where problems go. */
struct check {
	const struct casecsv_ctx	*ctx;
	const struct casecsv_cols	*cols;
	const struct casecsv_rec	*rec;
	struct casecsv_err		*errs;
	int				 max, n;
	char				 val[CASECSV_NFIELDS][256];
	const char			*header[CASECSV_NFIELDS];	/* named */
};

static void __attribute__((format(printf, 3, 4)))
problem(struct check *k, int field, const char *fmt, ...)
{
	va_list	ap;

	if (k->n < k->max) {
		k->errs[k->n].field = field;
		k->errs[k->n].header = field >= 0 ? k->header[field] : "";
		va_start(ap, fmt);
		vsnprintf(k->errs[k->n].reason, sizeof(k->errs[0].reason), fmt,
		    ap);
		va_end(ap);
	}
	k->n++;
}

/* The field's value, trimmed ("" when its column is absent or the row
 * short); NULL after a problem (too long, not UTF-8). */
/* A raw field of the record, "" when the row is short or no column. */
static const char *
raw_field(const struct check *k, int i)
{
	return i < 0 || i >= k->rec->nfields ? "" : k->rec->field[i];
}

static int
is_blank(const char *s)
{
	return s[strspn(s, " \t")] == '\0';
}

/* The field's value, trimmed ("" when its columns are absent or empty);
 * NULL after a problem (too long, not UTF-8). */
static const char *
value(struct check *k, int field, size_t max)
{
	const char	*raw = raw_field(k, k->cols->idx[field]);
	char		*v;

	if (is_blank(raw) && k->cols->alt[field] >= 0) {
		raw = raw_field(k, k->cols->alt[field]);
		k->header[field] = k->cols->alt_header[field];
	}
	if (!utf8_ok((const unsigned char *)raw)) {
		problem(k, field, "not UTF-8 text: save the file as \"CSV "
		    "UTF-8\"");
		return NULL;
	}
	str_copy(k->val[field], raw, sizeof(k->val[0]));
	v = trim(k->val[field]);
	if (strlen(raw) >= sizeof(k->val[0]) || strlen(v) >= max) {
		problem(k, field, "longer than %zu bytes", max - 1);
		return NULL;
	}
	return v;
}

static void
check_code(struct check *k, struct casecsv_row *out)
{
	const char	*v = value(k, CASECSV_CODE, sizeof(out->code));

	if (v == NULL)
		return;
	if (*v == '\0') {
		problem(k, CASECSV_CODE, "empty: every row needs its case code");
		return;
	}
	str_copy(out->code, v, sizeof(out->code));
	if (casecode_canon(v, out->canon, sizeof(out->canon)) <= 0)
		problem(k, CASECSV_CODE, "not a case code: \"%s\"", v);
}

static void
check_status(struct check *k, struct casecsv_row *out)
{
	const char	*v = value(k, CASECSV_STATUS, CASECSV_KEY_MAX);

	if (v == NULL)
		return;
	if (*v == '\0')
		problem(k, CASECSV_STATUS, "empty: every row needs its status");
	else if ((out->status = casecsv_status(k->ctx->map, v)) == 0)
		problem(k, CASECSV_STATUS, "unknown status \"%s\" (add it to "
		    "import.map's [statuses])", v);
}

/* A portal procedure code mapped in [procedures], else v itself. */
static const char *
proc_mapped(const struct casecsv_map *m, const char *v)
{
	char	key[CASECSV_KEY_MAX];
	int	i;

	if (map_key(v, key, sizeof(key)) == -1)
		return v;
	for (i = 0; i < m->nproc; i++)
		if (strcmp(m->proc[i].key, key) == 0)
			return m->proc[i].proc;
	return v;
}

/* The office's procedure with this code, or this name (folded). */
static const struct procedure *
proc_find(const struct procedures *ps, const char *v)
{
	const struct procedure	*p;
	char			 a[256], b[256];
	int			 i;

	if ((p = procedures_find(ps, v)) != NULL)
		return p;
	if (text_fold(v, a, sizeof(a)) < 0)
		return NULL;
	for (i = 0; i < ps->n; i++)
		if (text_fold(ps->p[i].name, b, sizeof(b)) >= 0 &&
		    strcmp(a, b) == 0)
			return &ps->p[i];
	return NULL;
}

static void
check_procedure(struct check *k, struct casecsv_row *out)
{
	const char		*v = value(k, CASECSV_PROCEDURE, 256);
	const struct procedure	*p;

	if (v == NULL || *v == '\0')
		return;
	if ((p = proc_find(k->ctx->procs, proc_mapped(k->ctx->map, v))) == NULL)
		problem(k, CASECSV_PROCEDURE, "unknown procedure \"%s\" (not in "
		    "procedures.list)", v);
	else
		str_copy(out->procedure, p->code, sizeof(out->procedure));
}

static void
check_msisdn(struct check *k, struct casecsv_row *out)
{
	const char	*v = value(k, CASECSV_MSISDN, 64), *why = NULL;

	if (v == NULL || *v == '\0')
		return;
	if (msisdn_normalize(v, k->ctx->country_code, out->msisdn,
	    sizeof(out->msisdn), &why) < 0) {
		out->msisdn[0] = '\0';
		problem(k, CASECSV_MSISDN, "not a mobile number: \"%s\" (%s)", v,
		    why ? why : "invalid");
	}
}

static void
check_dates(struct check *k, struct casecsv_row *out)
{
	struct casecsv_when	 w;
	const char		*v;

	if ((v = value(k, CASECSV_RECEIVED, 64)) != NULL && *v) {
		if (casecsv_when(v, &w) == -1)
			problem(k, CASECSV_RECEIVED, "not a date: \"%s\" (write "
			    "DD/MM/YYYY, or YYYY-MM-DD)", v);
		else {
			out->received = w;
			out->has_received = 1;
		}
	}
	if ((v = value(k, CASECSV_DUE, 64)) != NULL && *v) {
		if (casecsv_when(v, &w) == -1)
			problem(k, CASECSV_DUE, "not a date: \"%s\" (write "
			    "DD/MM/YYYY, or YYYY-MM-DD)", v);
		else
			snprintf(out->due, sizeof(out->due), "%04d-%02d-%02d",
			    w.y, w.m, w.d);
	}
}

int
casecsv_check(const struct casecsv_ctx *ctx, const struct casecsv_cols *cols,
    const struct casecsv_rec *rec, struct casecsv_row *out,
    struct casecsv_err *errs, int max)
{
	struct check		k;
	const char		*v;

	memset(out, 0, sizeof(*out));
	k.ctx = ctx;
	k.cols = cols;
	k.rec = rec;
	k.errs = errs;
	k.max = max;
	k.n = 0;
	memcpy(k.header, cols->header, sizeof(k.header));
	out->row = rec->row;
	check_code(&k, out);
	check_procedure(&k, out);
	if ((v = value(&k, CASECSV_NAME, sizeof(out->name))) != NULL)
		str_copy(out->name, v, sizeof(out->name));
	check_msisdn(&k, out);
	check_dates(&k, out);
	check_status(&k, out);
	return k.n;
}
