/*
 * What an SMS says and how it goes out. Inbound: short_message bytes are
 * turned into UTF-8 according to data_coding, then NFC, then folded to an
 * ASCII key for keyword matching. Outbound: text is normalised (or folded,
 * for charset = ascii), encoded as unpacked GSM7 or UTF-16BE and split into
 * concatenated parts that never cut an ESC pair or a surrogate pair.
 * Nothing here allocates; the GSM 03.38 tables live in gsm7.c.
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include <utf8proc.h>

#include "text.h"

#define UDH_LEN		6	/* 05 00 03 ref total seq */
#define PLAN_MAX	8192	/* bytes of prepared outbound text */

/* A bounded output string; past the first overflow nothing more is added. */
struct sink {
	char	*p;
	size_t	 cap, len;
	int	 over;
	int	 space;		/* text_fold: a separator is pending */
};

/* Outbound text after NFC or folding, and the encoding chosen for it. */
struct plan {
	const char	*text;
	int		 ucs2;
	size_t		 uniform;	/* UCS-2 bytes if every chunk is 2 */
	char		 buf[PLAN_MAX];
};

/* Reads the plan's text one indivisible chunk (ESC pair, surrogate pair) at
 * a time, so a part boundary can only fall between chunks. */
struct cursor {
	const uint8_t	*s;
	size_t		 n, i;
	int		 ucs2;
	int		 uniform;	/* valid UTF-8 below U+10000 */
	uint8_t		 b[4];
	size_t		 k;		/* length of b; 0 when not read yet */
};

/* User data bytes per part: [ucs2][with UDH]. */
static const size_t part_room[2][2] = { { 160, 153 }, { 140, 134 } };

/* Letters and punctuation that have no canonical decomposition to ASCII. */
static const struct {
	int32_t		 cp;
	const char	*ascii;
} fold_extra[] = {
	{ 0x0110, "D" }, { 0x0111, "d" },
	/* Eth: legacy Vietnamese fonts and converters produce it for Đ đ. */
	{ 0x00D0, "D" }, { 0x00F0, "d" },
	{ 0x00C6, "AE" }, { 0x00E6, "ae" }, { 0x0152, "OE" }, { 0x0153, "oe" },
	{ 0x00D8, "O" }, { 0x00F8, "o" }, { 0x0141, "L" }, { 0x0142, "l" },
	{ 0x00DF, "ss" },
	/* Templates pasted from word processors. */
	{ 0x2018, "'" }, { 0x2019, "'" }, { 0x201C, "\"" }, { 0x201D, "\"" },
	{ 0x00AB, "\"" }, { 0x00BB, "\"" }, { 0x2010, "-" }, { 0x2011, "-" },
	{ 0x2013, "-" }, { 0x2014, "-" }, { 0x2212, "-" }, { 0x2026, "..." },
};

#define NFOLD_EXTRA	(sizeof fold_extra / sizeof fold_extra[0])

/* ---- UTF-8 in and out ---- */

/* Sequence length for a lead byte, with the range its second byte must be
 * in (this excludes overlongs, surrogates and > U+10FFFF); 0 if invalid. */
static size_t
utf8_lead(uint8_t c, uint8_t *lo, uint8_t *hi)
{
	*lo = 0x80;
	*hi = 0xBF;
	if (c >= 0xC2 && c <= 0xDF)
		return 2;
	if (c >= 0xE0 && c <= 0xEF) {
		*lo = c == 0xE0 ? 0xA0 : 0x80;
		*hi = c == 0xED ? 0x9F : 0xBF;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		*lo = c == 0xF0 ? 0x90 : 0x80;
		*hi = c == 0xF4 ? 0x8F : 0xBF;
		return 4;
	}
	return 0;
}

/* Decodes one sequence into *cp (-1 if invalid) and returns the bytes it
 * used; an invalid one uses its maximal subpart, as Unicode recommends, so
 * one bad sequence becomes one U+FFFD. */
static size_t
utf8_scan(const uint8_t *s, size_t n, int32_t *cp)
{
	uint8_t lo, hi;
	size_t len, i;
	int32_t v;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((len = utf8_lead(s[0], &lo, &hi)) == 0) {
		*cp = -1;
		return 1;
	}
	v = s[0] & (0x7F >> len);
	for (i = 1; i < len; i++) {
		if (i >= n || s[i] < lo || s[i] > hi) {
			*cp = -1;
			return i;
		}
		v = v << 6 | (s[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = v;
	return len;
}

static size_t
utf8_next(const uint8_t *s, size_t n, int32_t *cp)
{
	size_t k = utf8_scan(s, n, cp);

	if (*cp < 0)
		*cp = TEXT_REPLACEMENT;
	return k;
}

static int
utf8_valid(const uint8_t *s, size_t n)
{
	size_t i = 0;
	int32_t cp;

	while (i < n) {
		i += utf8_scan(s + i, n - i, &cp);
		if (cp < 0)
			return 0;
	}
	return 1;
}

static void
sink_put(struct sink *s, const char *b, size_t k)
{
	if (s->over || s->len + k >= s->cap) {
		s->over = 1;
		return;
	}
	memcpy(s->p + s->len, b, k);
	s->len += k;
}

/* NUL is dropped: the result is a C string and a NUL would cut it short. */
static void
sink_cp(struct sink *s, int32_t cp)
{
	utf8proc_uint8_t b[4];

	if (cp != 0)
		sink_put(s, (const char *)b, (size_t)utf8proc_encode_char(cp, b));
}

static int
sink_end(struct sink *s)
{
	if (s->cap == 0)
		return -1;
	s->p[s->len] = '\0';
	return s->over || s->len > INT_MAX ? -1 : (int)s->len;
}

/* ---- Inbound ---- */

/* SMPP 3.4 §5.2.19 redefines 0x00-0x0F; the rest follow TS 23.038 §4. */
static enum text_alphabet
smpp_alphabet(int dc, enum text_alphabet dc0)
{
	switch (dc) {
	case 0x01:
		return TEXT_ASCII;
	case 0x03:
		return TEXT_LATIN1;
	case 0x08:
		return TEXT_UCS2;
	case 0x00:
	case 0x0B:
	case 0x0C:
		return dc0;
	default:	/* binary, and Cyrillic/Hebrew/Japanese/Korean sets */
		return TEXT_8BIT;
	}
}

enum text_alphabet
text_dcs_alphabet(int dc, enum text_alphabet dc0)
{
	if (dc >= 0x00 && dc <= 0x0F)
		return smpp_alphabet(dc, dc0);
	if (dc >= 0x10 && dc <= 0x7F) {
		if (dc & 0x20)		/* compressed: we cannot inflate it */
			return TEXT_8BIT;
		if ((dc & 0x0C) == 0x04)
			return TEXT_8BIT;
		return (dc & 0x0C) == 0x08 ? TEXT_UCS2 : dc0;
	}
	if (dc >= 0xE0 && dc <= 0xEF)
		return TEXT_UCS2;
	if (dc >= 0xF0 && dc <= 0xFF && (dc & 0x04))
		return TEXT_8BIT;
	/* TS 23.038: reserved codings are read as the default alphabet. */
	return dc0;
}

static void
decode_bytes(const uint8_t *in, size_t n, int32_t limit, struct sink *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		sink_cp(s, in[i] < limit ? in[i] : TEXT_REPLACEMENT);
}

static void
decode_utf8(const uint8_t *in, size_t n, struct sink *s)
{
	size_t i = 0;
	int32_t cp;

	while (i < n) {
		i += utf8_next(in + i, n - i, &cp);
		sink_cp(s, cp);
	}
}

/* keep_esc: a lone ESC ending the part stays, as TEXT_ESC_PENDING. */
static void
decode_gsm7(const uint8_t *in, size_t n, int keep_esc, struct sink *s)
{
	size_t i = 0, used;

	while (i < n) {
		if (keep_esc && i + 1 == n && in[i] == TEXT_ESC_PENDING) {
			sink_cp(s, TEXT_ESC_PENDING);
			break;
		}
		sink_cp(s, text_gsm7_decode_char(in + i, n - i, &used));
		i += used;
	}
}

static void
decode_ucs2(const uint8_t *in, size_t n, struct sink *s)
{
	size_t i = 0;
	int32_t u, lo;

	while (i + 1 < n) {
		u = in[i] << 8 | in[i + 1];
		i += 2;
		lo = i + 1 < n ? in[i] << 8 | in[i + 1] : 0;
		if (u >= 0xD800 && u <= 0xDBFF && lo >= 0xDC00 && lo <= 0xDFFF) {
			u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
			i += 2;
		} else if (u >= 0xD800 && u <= 0xDFFF)
			u = TEXT_REPLACEMENT;
		sink_cp(s, u);
	}
	if (i < n)		/* odd length: half a code unit left over */
		sink_cp(s, TEXT_REPLACEMENT);
}

static int
decode_any(int data_coding, enum text_alphabet dc0, const uint8_t *in,
    size_t n, int keep_esc, char *out, size_t cap)
{
	struct sink s = { out, cap, 0, 0, 0 };

	switch (text_dcs_alphabet(data_coding, dc0)) {
	case TEXT_GSM7:
		decode_gsm7(in, n, keep_esc, &s);
		break;
	case TEXT_ASCII:
		decode_bytes(in, n, 0x80, &s);
		break;
	case TEXT_LATIN1:
		decode_bytes(in, n, 0x100, &s);
		break;
	case TEXT_8BIT:
		if (utf8_valid(in, n))
			decode_utf8(in, n, &s);
		else
			decode_bytes(in, n, 0x100, &s);
		break;
	case TEXT_UCS2:
		decode_ucs2(in, n, &s);
		break;
	}
	return sink_end(&s);
}

int
text_decode(int data_coding, enum text_alphabet dc0, const uint8_t *in,
    size_t n, char *out, size_t cap)
{
	return decode_any(data_coding, dc0, in, n, 0, out, cap);
}

int
text_decode_part(int data_coding, enum text_alphabet dc0, const uint8_t *in,
    size_t n, char *out, size_t cap)
{
	return decode_any(data_coding, dc0, in, n, 1, out, cap);
}

/* ---- Joining the parts of a long message ---- */

void
text_join_init(struct text_join *j, char *out, size_t cap)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->cap = cap;
	if (cap > 0)
		out[0] = '\0';
}

/* Appends k bytes; once the buffer is full, everything after is cut. */
static void
join_put(struct text_join *j, const char *b, size_t k)
{
	size_t	room = j->cap > j->len ? j->cap - j->len - 1 : 0, n = k;

	if (j->cut > 0)
		n = 0;
	else if (n > room) {
		n = room;	/* at a character boundary */
		while (n > 0 && ((uint8_t)b[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(j->out + j->len, b, n);
	j->len += n;
	if (j->cap > 0)
		j->out[j->len] = '\0';
	j->cut += k - n;
}

/*
 * The character ESC + part's first character stands for, UTF-8 in buf
 * (its length returned), with the bytes of that first character in
 * *used; 0 if that character is no single GSM7 septet.
 */
static size_t
join_escaped(const char *part, char buf[4], size_t *used)
{
	uint8_t	sept[3] = { TEXT_ESC_PENDING, 0, 0 };
	int32_t	cp;
	size_t	u;

	if (part[0] == '\0')
		return 0;
	*used = utf8_next((const uint8_t *)part, strlen(part), &cp);
	if (text_gsm7_encode_char(cp, sept + 1) != 1)
		return 0;
	cp = text_gsm7_decode_char(sept, 2, &u);
	return (size_t)utf8proc_encode_char(cp, (utf8proc_uint8_t *)buf);
}

/* A pending ESC, taken off the end: 1 if there was one. */
static int
join_pending(struct text_join *j)
{
	if (j->len == 0 || j->out[j->len - 1] != TEXT_ESC_PENDING)
		return 0;
	j->out[--j->len] = '\0';
	return 1;
}

void
text_join_add(struct text_join *j, int seq, const char *part)
{
	char	buf[4];
	size_t	k, used = 0;

	if (join_pending(j)) {
		if (seq == j->last_seq + 1 &&
		    (k = join_escaped(part, buf, &used)) > 0) {
			join_put(j, buf, k);
			part += used;
		} else
			join_put(j, "\xEF\xBF\xBD", 3);	/* a lone ESC */
	}
	join_put(j, part, strlen(part));
	j->last_seq = seq;
}

size_t
text_join_end(struct text_join *j)
{
	if (join_pending(j))
		join_put(j, "\xEF\xBF\xBD", 3);
	return j->len;
}

static void
concat_ie(int iei, const uint8_t *d, size_t dl, struct text_concat *c)
{
	int ref, total, seq;

	if (iei == 0x00 && dl == 3) {
		ref = d[0];
		total = d[1];
		seq = d[2];
	} else if (iei == 0x08 && dl == 4) {
		ref = d[0] << 8 | d[1];
		total = d[2];
		seq = d[3];
	} else
		return;
	/* TS 23.040 9.2.3.24.1: ignore the IE if seq is 0 or above total. */
	if (seq == 0 || seq > total)
		return;
	c->ref = ref;
	c->total = total;
	c->seq = seq;
}

int
text_udh_parse(const uint8_t *in, size_t n, struct text_concat *c)
{
	size_t len, i = 1, dl;

	c->ref = 0;
	c->total = 1;
	c->seq = 1;
	if (n < 1 || (len = (size_t)in[0] + 1) > n)
		return -1;
	while (i < len) {
		if (i + 2 > len || i + 2 + (dl = in[i + 1]) > len)
			return -1;
		concat_ie(in[i], in + i + 2, dl, c);
		i += 2 + dl;
	}
	return (int)len;
}

/* ---- NFC ---- */

static void
nfc_reorder(utf8proc_int32_t *cp, size_t n)
{
	size_t i = 0;
	utf8proc_int32_t t;
	int a, b;

	/* Canonical ordering: marks sorted by combining class, stably. */
	while (i + 1 < n) {
		a = utf8proc_get_property(cp[i])->combining_class;
		b = utf8proc_get_property(cp[i + 1])->combining_class;
		if (a > b && b > 0) {
			t = cp[i];
			cp[i] = cp[i + 1];
			cp[i + 1] = t;
			i = i > 0 ? i - 1 : 1;
		} else
			i++;
	}
}

/* Canonical decomposition into cps; -1 if it needs more than max. */
static long
nfc_decompose(const char *utf8, utf8proc_int32_t *cps, size_t max)
{
	const uint8_t *s = (const uint8_t *)utf8;
	size_t n = strlen(utf8), i = 0, len = 0;
	utf8proc_ssize_t k;
	int32_t cp;
	int bound = UTF8PROC_BOUNDCLASS_START;

	while (i < n) {
		i += utf8_next(s + i, n - i, &cp);
		k = utf8proc_decompose_char(cp, cps + len,
		    (utf8proc_ssize_t)(max - len),
		    UTF8PROC_COMPOSE | UTF8PROC_STABLE, &bound);
		if (k < 0 || (size_t)k > max - len)
			return -1;
		len += (size_t)k;
	}
	return (long)len;
}

/*
 * Bytes of the code point at s when NFC leaves it alone whatever surrounds
 * it, else 0: ASCII, U+0080..U+02FF and Latin Extended Additional
 * (U+1E00..U+1EFF, where precomposed Vietnamese lives). None of these
 * decomposes under NFC or composes with what precedes it; a combining mark
 * that could join one of them lies outside, so it takes the slow path.
 */
static size_t
nfc_stable(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xCB && (s[1] & 0xC0) == 0x80)
		return 2;
	if (s[0] == 0xE1 && s[1] >= 0xB8 && s[1] <= 0xBB &&
	    (s[2] & 0xC0) == 0x80)
		return 3;
	return 0;
}

/* Text made only of such code points is NFC already: replies and most
 * messages never need utf8proc. */
static int
nfc_quick(const char *utf8, char *out, size_t cap)
{
	const unsigned char	*u = (const unsigned char *)utf8;
	size_t			 n = 0, k;

	while (u[n] != '\0' && (k = nfc_stable(u + n)) != 0)
		n += k;
	if (u[n] != '\0' || cap == 0)
		return -2;
	if (n >= cap) {
		/* As the slow path: whole code points only. */
		for (n = cap - 1; n > 0 && (u[n] & 0xC0) == 0x80; n--)
			;
		memcpy(out, utf8, n);
		out[n] = '\0';
		return -1;
	}
	memcpy(out, utf8, n + 1);
	return (int)n;
}

int
text_nfc(const char *utf8, char *out, size_t cap)
{
	utf8proc_int32_t cps[TEXT_NFC_MAX];
	struct sink s = { out, cap, 0, 0, 0 };
	long n, i;
	int rc;

	if ((rc = nfc_quick(utf8, out, cap)) != -2)
		return rc;
	if ((n = nfc_decompose(utf8, cps, TEXT_NFC_MAX)) >= 0) {
		nfc_reorder(cps, (size_t)n);
		n = utf8proc_normalize_utf32(cps, n,
		    UTF8PROC_COMPOSE | UTF8PROC_STABLE);
	}
	s.over = n < 0;
	for (i = 0; i < n; i++)
		sink_cp(&s, cps[i]);
	return sink_end(&s);
}

/* ---- Folding ---- */

static int
is_ascii_alpha(int32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Base letter of a precomposed letter (ố → o); NFD input is already split
 * and its marks are dropped by the caller. 0 if there is none. */
static int
fold_base(int32_t cp)
{
	utf8proc_int32_t d[4];
	utf8proc_ssize_t n;
	int bound = UTF8PROC_BOUNDCLASS_START;

	n = utf8proc_decompose_char(cp, d, 4, UTF8PROC_DECOMPOSE, &bound);
	/* Letters only: ≠ decomposes to '=' + a mark, which would invert it. */
	return n >= 1 && n <= 4 && is_ascii_alpha(d[0]) ? d[0] : 0;
}

/* The ASCII for one code point: "" to drop it, NULL when it has none. */
static const char *
fold_cp(int32_t cp, char buf[2])
{
	utf8proc_category_t cat;
	size_t i;

	buf[1] = '\0';
	if (cp < 0x80) {
		buf[0] = (char)cp;
		return buf;
	}
	cat = utf8proc_category(cp);
	if (cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_ME ||
	    cat == UTF8PROC_CATEGORY_CF)
		return "";
	if (cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL ||
	    cat == UTF8PROC_CATEGORY_ZP)
		return " ";
	for (i = 0; i < NFOLD_EXTRA; i++)
		if (fold_extra[i].cp == cp)
			return fold_extra[i].ascii;
	buf[0] = (char)fold_base(cp);
	return buf[0] != '\0' ? buf : NULL;
}

static int
is_sep(int c)
{
	/* A table: this runs for every character of every folded text. */
	static const uint8_t sep[128] = {
		[':'] = 1, ['.'] = 1, ['-'] = 1, ['#'] = 1, [','] = 1,
		[';'] = 1, ['/'] = 1, ['_'] = 1, [0x7F] = 1,
	};
	unsigned char u = (unsigned char)c;

	return u <= ' ' || (u < 128 && sep[u]);
}

static void
key_puts(struct sink *s, const char *a)
{
	char c;

	for (; *a != '\0'; a++) {
		if (is_sep(*a)) {
			s->space = s->len > 0;
			continue;
		}
		if (s->space)
			sink_put(s, " ", 1);
		s->space = 0;
		c = *a >= 'A' && *a <= 'Z' ? *a - 'A' + 'a' : *a;
		sink_put(s, &c, 1);
	}
}

static int
fold(const char *utf8, int key, char *out, size_t cap)
{
	struct sink s = { out, cap, 0, 0, 0 };
	const uint8_t *p = (const uint8_t *)utf8;
	size_t n = strlen(utf8), i = 0;
	const char *a;
	char buf[2];
	int32_t cp;

	while (i < n) {
		i += utf8_next(p + i, n - i, &cp);
		/* No ASCII form: a word break for matching, '?' for reading. */
		if ((a = fold_cp(cp, buf)) == NULL)
			a = key ? " " : "?";
		if (key)
			key_puts(&s, a);
		else
			sink_put(&s, a, strlen(a));
	}
	return sink_end(&s);
}

int
text_fold(const char *utf8, char *out, size_t cap)
{
	return fold(utf8, 1, out, cap);
}

int
text_fold_ascii(const char *utf8, char *out, size_t cap)
{
	return fold(utf8, 0, out, cap);
}

/* ---- Outbound ---- */

int
text_gsm7_len(const char *utf8)
{
	const uint8_t *p = (const uint8_t *)utf8;
	size_t n = strlen(utf8), i = 0;
	uint8_t b[2];
	int32_t cp;
	int len = 0, k;

	while (i < n) {
		i += utf8_next(p + i, n - i, &cp);
		if ((k = text_gsm7_encode_char(cp, b)) == 0 || len > INT_MAX - 2)
			return -1;
		len += k;
	}
	return len;
}

/*
 * UCS-2 bytes of text NFC has written (valid UTF-8) when every code point
 * takes two, so parts are plain arithmetic; 0 when one needs a surrogate
 * pair or the text is the caller's own, possibly invalid.
 */
static size_t
ucs2_uniform_bytes(const struct plan *p)
{
	const uint8_t *u = (const uint8_t *)p->text;
	size_t n = 0;

	if (!p->ucs2 || p->text != p->buf)
		return 0;
	for (; *u != '\0'; u++) {
		if (*u >= 0xF0)
			return 0;
		n += (*u & 0xC0) != 0x80;
	}
	return n * 2;
}

static void
plan_make(struct plan *p, const char *utf8, enum text_charset cs)
{
	p->ucs2 = 0;
	p->uniform = 0;
	p->text = p->buf;
	/* A fold cut at PLAN_MAX is still longer than any message we build. */
	if (cs == TEXT_CS_ASCII) {
		text_fold_ascii(utf8, p->buf, sizeof p->buf);
		return;
	}
	/* NFC lets e + U+0301 stay GSM7 and makes Vietnamese UCS-2 shorter;
	 * text too long for it goes out as given. */
	if (text_nfc(utf8, p->buf, sizeof p->buf) < 0)
		p->text = utf8;
	p->ucs2 = cs == TEXT_CS_UCS2 ||
	    (cs == TEXT_CS_AUTO && text_gsm7_len(p->text) < 0);
	p->uniform = ucs2_uniform_bytes(p);
}

static void
cursor_init(struct cursor *c, const struct plan *p)
{
	c->s = (const uint8_t *)p->text;
	c->n = strlen(p->text);
	c->i = 0;
	c->ucs2 = p->ucs2;
	c->uniform = p->uniform > 0;
	c->k = 0;
}

static size_t
put_utf16(int32_t cp, uint8_t *b)
{
	if (cp < 0x10000) {
		b[0] = (uint8_t)(cp >> 8);
		b[1] = (uint8_t)cp;
		return 2;
	}
	cp -= 0x10000;
	put_utf16(0xD800 | (cp >> 10), b);
	put_utf16(0xDC00 | (cp & 0x3FF), b + 2);
	return 4;
}

/* GSM7 that never fails: blanks become a space, anything else '?'. */
static size_t
put_gsm7(int32_t cp, uint8_t *b)
{
	utf8proc_category_t cat;
	int k;

	if ((k = text_gsm7_encode_char(cp, b)) > 0)
		return (size_t)k;
	cat = utf8proc_category(cp);
	b[0] = cp == '\t' || cp == '\v' || cat == UTF8PROC_CATEGORY_ZS ||
	    cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP ?
	    ' ' : '?';
	return 1;
}

static size_t
chunk_peek(struct cursor *c)
{
	int32_t cp;

	if (c->k > 0 || c->i >= c->n)
		return c->k;
	c->i += utf8_next(c->s + c->i, c->n - c->i, &cp);
	c->k = c->ucs2 ? put_utf16(cp, c->b) : put_gsm7(cp, c->b);
	return c->k;
}

/* chunk_fill for uniform text: UTF-8 straight to UTF-16BE. */
static size_t
chunk_fill_uniform(struct cursor *c, size_t room, uint8_t *dst)
{
	const uint8_t *u;
	size_t len = 0;
	uint32_t cp;

	for (; c->i < c->n && len + 2 <= room; len += 2) {
		u = c->s + c->i;
		if (u[0] < 0x80) {
			cp = u[0];
			c->i += 1;
		} else if (u[0] < 0xE0) {
			cp = (uint32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
			c->i += 2;
		} else {
			cp = (uint32_t)(u[0] & 0x0F) << 12 |
			    (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
			c->i += 3;
		}
		if (dst != NULL) {
			dst[len] = (uint8_t)(cp >> 8);
			dst[len + 1] = (uint8_t)cp;
		}
	}
	return len;
}

/* Moves whole chunks into dst (NULL only counts) while they fit in room. */
static size_t
chunk_fill(struct cursor *c, size_t room, uint8_t *dst)
{
	size_t len = 0, k;

	if (c->uniform && c->k == 0)
		return chunk_fill_uniform(c, room, dst);

	while ((k = chunk_peek(c)) > 0 && len + k <= room) {
		if (dst != NULL)
			memcpy(dst + len, c->b, k);
		len += k;
		c->k = 0;
	}
	return len;
}

static size_t
put_dots(int ucs2, uint8_t *dst)
{
	static const uint8_t gsm7[] = "...";
	static const uint8_t ucs2be[] = { 0, '.', 0, '.', 0, '.' };

	memcpy(dst, ucs2 ? ucs2be : gsm7, ucs2 ? 6 : 3);
	return ucs2 ? 6 : 3;
}

/* Parts at greedy packing, and the text's total bytes in *bytes. */
static int
count_parts(const struct plan *p, size_t *bytes)
{
	struct cursor c;
	int n = 0;

	if ((*bytes = p->uniform) > 0)
		return *bytes <= part_room[1][0] ? 1 :
		    (int)((*bytes + part_room[1][1] - 1) / part_room[1][1]);
	cursor_init(&c, p);
	*bytes = chunk_fill(&c, SIZE_MAX, NULL);
	if (*bytes <= part_room[p->ucs2][0])
		return 1;
	cursor_init(&c, p);
	do {
		chunk_fill(&c, part_room[p->ucs2][1], NULL);
		n++;
	} while (chunk_peek(&c) > 0);
	return n;
}

static void
part_fill(struct cursor *c, struct text_parts *t, int i, uint8_t ref)
{
	struct text_part *pt = &t->part[i];
	int multi = t->nparts > 1, cut = t->truncated && i == t->nparts - 1;
	size_t room = part_room[c->ucs2][multi] - (cut ? (c->ucs2 ? 6 : 3) : 0);

	pt->len = 0;
	if (multi) {
		pt->bytes[0] = 0x05;
		pt->bytes[1] = 0x00;
		pt->bytes[2] = 0x03;
		pt->bytes[3] = ref;
		pt->bytes[4] = (uint8_t)t->nparts;
		pt->bytes[5] = (uint8_t)(i + 1);
		pt->len = UDH_LEN;
	}
	pt->len += chunk_fill(c, room, pt->bytes + pt->len);
	if (cut)
		pt->len += put_dots(c->ucs2, pt->bytes + pt->len);
}

int
text_encode_parts(const char *utf8, enum text_charset cs, int max_segments,
    uint8_t ref, struct text_parts *out)
{
	struct plan p;
	struct cursor c;
	size_t bytes;
	int need, i;

	if (max_segments < 1)
		max_segments = 1;
	if (max_segments > TEXT_MAX_PARTS)
		max_segments = TEXT_MAX_PARTS;
	plan_make(&p, utf8, cs);
	need = count_parts(&p, &bytes);
	out->nparts = need < max_segments ? need : max_segments;
	out->truncated = need > out->nparts;
	out->data_coding = p.ucs2 ? TEXT_DC_UCS2 : TEXT_DC_GSM7;
	out->esm_class = out->nparts > 1 ? TEXT_ESM_UDHI : 0;
	cursor_init(&c, &p);
	for (i = 0; i < out->nparts; i++)
		part_fill(&c, out, i, ref);
	return out->nparts;
}

int
text_count_parts(const char *utf8, enum text_charset cs, int *units)
{
	struct plan p;
	size_t bytes;
	int n;

	plan_make(&p, utf8, cs);
	n = count_parts(&p, &bytes);
	if (units != NULL)
		*units = (int)(p.ucs2 ? bytes / 2 : bytes);
	return n;
}

/* Wire bytes for max_octets of user data; GSM7 octets hold 8/7 septets. */
static size_t
payload_room(int ucs2, size_t max_octets)
{
	size_t room;

	if (max_octets > TEXT_PAYLOAD_MAX)
		max_octets = TEXT_PAYLOAD_MAX;
	room = ucs2 ? max_octets & ~(size_t)1 : max_octets * 8 / 7;
	return room < TEXT_PAYLOAD_MAX ? room : TEXT_PAYLOAD_MAX;
}

int
text_encode_payload(const char *utf8, enum text_charset cs,
    size_t max_octets, struct text_payload *out)
{
	struct plan p;
	struct cursor c;
	size_t room;

	/* Below this "..." would crowd out the text. */
	if (max_octets < 16)
		return -1;
	plan_make(&p, utf8, cs);
	room = payload_room(p.ucs2, max_octets);
	cursor_init(&c, &p);
	out->truncated = chunk_fill(&c, SIZE_MAX, NULL) > room;
	if (out->truncated)
		room -= p.ucs2 ? 6 : 3;
	cursor_init(&c, &p);
	out->len = chunk_fill(&c, room, out->bytes);
	if (out->truncated)
		out->len += put_dots(p.ucs2, out->bytes + out->len);
	out->data_coding = p.ucs2 ? TEXT_DC_UCS2 : TEXT_DC_GSM7;
	return (int)out->len;
}
