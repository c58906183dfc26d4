/*
 * parsers/text.c: inbound decoding for every data_coding, NFC, folding,
 * and outbound encoding and splitting, each with the invariants its
 * callers rely on. Input: byte 0 is the data_coding, byte 1 picks the
 * default alphabet, charset, max_segments and payload size; the rest is
 * the short_message (for decoding) and the UTF-8 text (for the others).
 */
#include "fuzz.h"

#include "text.h"

#define OUT_MAX	(4 * TEXT_NFC_MAX + 1)

static const enum text_alphabet dc0s[] = {
	TEXT_GSM7, TEXT_ASCII, TEXT_LATIN1, TEXT_8BIT, TEXT_UCS2
};
static const enum text_charset charsets[] = {
	TEXT_CS_AUTO, TEXT_CS_GSM7, TEXT_CS_UCS2, TEXT_CS_ASCII
};
/* User data bytes per part: [ucs2][with UDH], as text.c has them. */
static const size_t part_room[2][2] = { { 160, 153 }, { 140, 134 } };

/* A -1 leaves a terminated prefix; a length is the string's. */
static void
check_out(int rc, const char *out, size_t cap)
{
	FUZZ_CHECK(strnlen(out, cap) < cap);
	if (rc >= 0)
		FUZZ_CHECK((size_t)rc == strlen(out));
	FUZZ_CHECK(fuzz_utf8_valid(out));
}

static int
is_sep(int c)
{
	return c <= ' ' || c == 0x7F || strchr(":.-#,;/_", c) != NULL;
}

/* The matching key: lowercase ASCII words, single spaces, no separators. */
static void
check_key(const char *k)
{
	size_t	i, n = strlen(k);

	for (i = 0; i < n; i++) {
		FUZZ_CHECK((unsigned char)k[i] < 0x80);
		FUZZ_CHECK(!(k[i] >= 'A' && k[i] <= 'Z'));
		if (k[i] == ' ')
			FUZZ_CHECK(i > 0 && i + 1 < n && k[i + 1] != ' ');
		else
			FUZZ_CHECK(!is_sep((unsigned char)k[i]));
	}
}

static void
check_decode(int dc, enum text_alphabet dc0, const uint8_t *in, size_t n,
    size_t small)
{
	char	*out = malloc(OUT_MAX), tiny[64];
	int	 rc;

	FUZZ_CHECK(out != NULL);
	rc = text_decode(dc, dc0, in, n, out, OUT_MAX);
	check_out(rc, out, OUT_MAX);
	/* A short buffer gives -1 or the same text. */
	rc = text_decode(dc, dc0, in, n, tiny, small);
	check_out(rc, tiny, small);
	if (rc >= 0)
		FUZZ_CHECK(strcmp(tiny, out) == 0);
	else
		FUZZ_CHECK(strncmp(tiny, out, strlen(tiny)) == 0);
	free(out);
}

/*
 * Two halves of in decoded as parts and joined at a cap small or large:
 * always valid UTF-8 within the cap, the cut counted, and whole when no
 * escape is pending between the halves.
 */
static void
check_join(int dc, enum text_alphabet dc0, const uint8_t *in, size_t n,
    size_t small)
{
	char		 a[1024], b[1024], out[2048];
	struct text_join j;
	size_t		 h = n / 2;

	if (n > 1000 || text_decode_part(dc, dc0, in, h, a, sizeof a) < 0 ||
	    text_decode_part(dc, dc0, in + h, n - h, b, sizeof b) < 0)
		return;
	text_join_init(&j, out, small);
	text_join_add(&j, 1, a);
	text_join_add(&j, 2, b);
	text_join_end(&j);
	FUZZ_CHECK(j.len == strlen(out) && j.len < small);
	FUZZ_CHECK(fuzz_utf8_valid(out));
	if (j.cut == 0 && (a[0] == '\0' ||
	    a[strlen(a) - 1] != TEXT_ESC_PENDING))
		FUZZ_CHECK(strncmp(out, a, strlen(a)) == 0);
}

/* The user data of every part, UDH stripped, decoded back to UTF-8. */
static void
parts_text(const struct text_parts *t, char *out, size_t cap)
{
	uint8_t	all[TEXT_MAX_PARTS * TEXT_PART_MAX];
	size_t	n = 0, skip;
	int	i;

	for (i = 0; i < t->nparts; i++) {
		skip = t->nparts > 1 ? 6 : 0;
		memcpy(all + n, t->part[i].bytes + skip, t->part[i].len - skip);
		n += t->part[i].len - skip;
	}
	FUZZ_CHECK(text_decode(t->data_coding, TEXT_GSM7, all, n, out, cap) >= 0);
}

/*
 * GSM7 user data rewritten for a Latin-1 or ASCII SMSC: refused, or one
 * byte a character of that alphabet, never longer, and the same text.
 */
static void
dc0_check(const uint8_t *ud, size_t len)
{
	uint8_t	b[TEXT_PART_MAX];
	size_t	i, k, used;
	long	n;
	int	a;

	for (a = 0; a < 2; a++) {
		memcpy(b, ud, len);
		n = text_gsm7_to_dc0(b, len, a ? TEXT_ASCII : TEXT_LATIN1);
		if (n < 0)
			continue;
		FUZZ_CHECK((size_t)n <= len);
		for (i = k = 0; i < (size_t)n; i++, k += used) {
			FUZZ_CHECK(!a || b[i] < 0x80);
			FUZZ_CHECK(text_gsm7_decode_char(ud + k, len - k, &used)
			    == b[i]);
		}
		FUZZ_CHECK(k == len);
	}
}

static void
check_parts(const char *s, enum text_charset cs, int maxseg, uint8_t ref,
    const char *nfc)
{
	struct text_parts	*t = malloc(sizeof(*t));
	char			*back = malloc(OUT_MAX);
	int			 n, i, units, ucs2;
	size_t			 j, ud;

	FUZZ_CHECK(t != NULL && back != NULL);
	n = text_encode_parts(s, cs, maxseg, ref, t);
	FUZZ_CHECK(n == t->nparts && n >= 1 && n <= maxseg);
	FUZZ_CHECK(t->data_coding == TEXT_DC_GSM7 ||
	    t->data_coding == TEXT_DC_UCS2);
	FUZZ_CHECK(t->esm_class == (n > 1 ? TEXT_ESM_UDHI : 0));
	ucs2 = t->data_coding == TEXT_DC_UCS2;
	if (cs == TEXT_CS_UCS2)
		FUZZ_CHECK(ucs2);
	if (cs == TEXT_CS_GSM7 || cs == TEXT_CS_ASCII)
		FUZZ_CHECK(!ucs2);
	for (i = 0; i < n; i++) {
		const struct text_part *p = &t->part[i];
		size_t skip = n > 1 ? 6 : 0;

		FUZZ_CHECK(p->len <= TEXT_PART_MAX && p->len >= skip);
		if (n > 1)
			FUZZ_CHECK(memcmp(p->bytes, "\x05\x00\x03", 3) == 0 &&
			    p->bytes[3] == ref && p->bytes[4] == n &&
			    p->bytes[5] == i + 1);
		ud = p->len - skip;
		FUZZ_CHECK(ud <= part_room[ucs2][n > 1]);
		if (ucs2) {
			FUZZ_CHECK(ud % 2 == 0);
			/* No surrogate pair is cut. */
			if (ud >= 2)
				FUZZ_CHECK(!(p->bytes[p->len - 2] >= 0xD8 &&
				    p->bytes[p->len - 2] <= 0xDB));
		} else {
			/* Septets only, and no ESC pair is cut. */
			for (j = skip; j < p->len; j += p->bytes[j] == 0x1B ?
			    2 : 1)
				FUZZ_CHECK(p->bytes[j] < 0x80);
			FUZZ_CHECK(j == p->len);
			dc0_check(p->bytes + skip, ud);
		}
	}
	if (t->truncated) {
		const struct text_part *p = &t->part[n - 1];
		FUZZ_CHECK(n == maxseg);
		if (ucs2)
			FUZZ_CHECK(p->len >= 6 && memcmp(p->bytes + p->len - 6,
			    "\0.\0.\0.", 6) == 0);
		else
			FUZZ_CHECK(p->len >= 3 && memcmp(p->bytes + p->len - 3,
			    "...", 3) == 0);
	} else {
		FUZZ_CHECK(text_count_parts(s, cs, &units) == n);
		FUZZ_CHECK(units >= 0);
		/* Nothing lost: UCS-2, or GSM7 of text GSM7 can carry. */
		if (nfc != NULL && (cs == TEXT_CS_UCS2 || ((cs == TEXT_CS_AUTO ||
		    cs == TEXT_CS_GSM7) && text_gsm7_len(nfc) >= 0))) {
			parts_text(t, back, OUT_MAX);
			FUZZ_CHECK(strcmp(back, nfc) == 0);
		}
	}
	free(back);
	free(t);
}

static void
check_payload(const char *s, enum text_charset cs, size_t max_octets)
{
	struct text_payload	*p = malloc(sizeof(*p));
	int			 n;

	FUZZ_CHECK(p != NULL);
	n = text_encode_payload(s, cs, max_octets, p);
	if (max_octets < 16) {
		FUZZ_CHECK(n == -1);
		goto out;
	}
	FUZZ_CHECK(n >= 0 && (size_t)n == p->len && p->len <= TEXT_PAYLOAD_MAX);
	FUZZ_CHECK(p->data_coding == TEXT_DC_GSM7 ||
	    p->data_coding == TEXT_DC_UCS2);
	if (p->data_coding == TEXT_DC_UCS2)
		FUZZ_CHECK(p->len % 2 == 0 && p->len <= max_octets);
	else
		FUZZ_CHECK(p->len <= max_octets * 8 / 7);
out:
	free(p);
}

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	char		*s, *nfc, *key, *key2, *ascii, *p;
	uint8_t		*body;
	int		 dc, rc, nfc_ok;
	unsigned	 sel;
	enum text_alphabet dc0;
	enum text_charset cs;

	if (size < 2)
		return 0;
	dc = d[0];
	sel = d[1];
	dc0 = dc0s[sel % 5];
	cs = charsets[(sel >> 3) % 4];
	d += 2;
	size -= 2;

	body = fuzz_dup(d, size);
	check_join(dc, dc0, body, size, 1 + sel % 64);
	check_decode(dc, dc0, body, size, 1 + sel % 64);
	free(body);

	s = fuzz_cstr(d, size);
	nfc = malloc(OUT_MAX);
	key = malloc(OUT_MAX);
	key2 = malloc(OUT_MAX);
	ascii = malloc(OUT_MAX);
	FUZZ_CHECK(nfc && key && key2 && ascii);

	rc = text_nfc(s, nfc, OUT_MAX);
	check_out(rc, nfc, OUT_MAX);
	nfc_ok = rc >= 0;
	if (nfc_ok) {
		/* NFC is idempotent. */
		FUZZ_CHECK(text_nfc(nfc, key, OUT_MAX) == rc);
		FUZZ_CHECK(strcmp(key, nfc) == 0);
	}

	rc = text_fold(s, key, OUT_MAX);
	check_out(rc, key, OUT_MAX);
	if (rc >= 0) {
		check_key(key);
		FUZZ_CHECK(text_fold(key, key2, OUT_MAX) == rc);
		FUZZ_CHECK(strcmp(key, key2) == 0);
	}
	rc = text_fold_ascii(s, ascii, OUT_MAX);
	check_out(rc, ascii, OUT_MAX);
	for (p = ascii; rc >= 0 && *p; p++)
		FUZZ_CHECK((unsigned char)*p < 0x80);

	(void)text_gsm7_len(s);
	check_parts(s, cs, 1 + (int)(sel % 10), (uint8_t)(sel * 7),
	    nfc_ok ? nfc : NULL);
	check_payload(s, cs, (size_t)sel * 5);

	free(ascii);
	free(key2);
	free(key);
	free(nfc);
	free(s);
	return 0;
}
