/*
 * Text helpers for the simulator: phone numbers as a tester writes them,
 * encoding text as a phone would send it, splitting it into parts, hex.
 * Decoding and the GSM 03.38 tables come from parsers/text.c. Encoding is
 * done here, not with text_encode_parts: that one applies NFC, and a phone
 * sends what was typed (tests send NFD on purpose).
 */
#include <stdio.h>
#include <string.h>

#include "sim.h"

static int	 hexval(int);
static int	 put_utf16(int32_t, uint8_t *, size_t, size_t);
static size_t	 char_end(const uint8_t *, size_t, size_t, int);

/*
 * 0912…, 84912…, +84912…, 0084912… all become 84912…; separators are
 * dropped; anything else (short codes, service codes) stays as written.
 */
void
sim_msisdn(const char *in, char *out, size_t cap)
{
	char	buf[64];
	size_t	n = 0;
	const char *p;

	for (p = in; *p != '\0' && n + 1 < sizeof(buf); p++) {
		if (strchr(" \t.-()", *p) != NULL)
			continue;
		if (*p == '+' && n == 0)
			continue;
		buf[n++] = *p;
	}
	buf[n] = '\0';
	p = buf;
	if (n > 4 && p[0] == '0' && p[1] == '0')
		p += 2;
	if (p[0] == '0' && n >= 9 && strspn(p, "0123456789") == strlen(p))
		snprintf(out, cap, "84%s", p + 1);
	else
		snprintf(out, cap, "%s", p);
}

/* One code point from UTF-8; invalid bytes give U+FFFD. Returns bytes used. */
int
sim_utf8_next(const uint8_t *s, size_t n, int32_t *cp)
{
	int	len, i;
	int32_t	v;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2;
		v = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3;
		v = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		v = s[0] & 0x07;
	} else {
		*cp = TEXT_REPLACEMENT;
		return 1;
	}
	if ((size_t)len > n)
		goto bad;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			goto bad;
		v = v << 6 | (s[i] & 0x3F);
	}
	if ((len == 3 && (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))) ||
	    (len == 4 && (v < 0x10000 || v > 0x10FFFF)))
		goto bad;
	*cp = v;
	return len;
bad:
	*cp = TEXT_REPLACEMENT;
	return 1;
}

static int
put_utf16(int32_t cp, uint8_t *out, size_t cap, size_t at)
{
	if (cp >= 0x10000) {
		if (at + 4 > cap)
			return -1;
		put_utf16(0xD800 | ((cp - 0x10000) >> 10), out, cap, at);
		put_utf16(0xDC00 | ((cp - 0x10000) & 0x3FF), out, cap, at + 2);
		return 4;
	}
	if (at + 2 > cap)
		return -1;
	out[at] = (uint8_t)(cp >> 8);
	out[at + 1] = (uint8_t)cp;
	return 2;
}

/*
 * Encodes UTF-8 as typed: the link's default alphabet (data_coding 0) when
 * every character has a code in it, else UCS-2 (data_coding 8). Returns the
 * byte count or -1 when out is too small.
 */
int
sim_encode(const char *utf8, uint8_t *out, size_t cap, int *dc)
{
	const uint8_t	*s = (const uint8_t *)utf8;
	size_t		 n = strlen(utf8), i = 0, len = 0;
	int32_t		 cp, limit;
	uint8_t		 b[2];
	int		 k, fits = 1;

	limit = sim.o.dc0 == TEXT_LATIN1 ? 0x100 : 0x80;
	if (sim.o.dc0 == TEXT_GSM7)
		fits = text_gsm7_len(utf8) >= 0;
	else
		while (i < n && fits) {
			i += sim_utf8_next(s + i, n - i, &cp);
			fits = cp < limit;
		}
	*dc = fits ? TEXT_DC_GSM7 : TEXT_DC_UCS2;
	for (i = 0; i < n; ) {
		i += sim_utf8_next(s + i, n - i, &cp);
		if (!fits)
			k = put_utf16(cp, out, cap, len);
		else if (sim.o.dc0 == TEXT_GSM7) {
			k = text_gsm7_encode_char(cp, b);
			if (len + (size_t)k > cap)
				return -1;
			memcpy(out + len, b, (size_t)k);
		} else {
			k = 1;
			if (len + 1 > cap)
				return -1;
			out[len] = (uint8_t)cp;
		}
		if (k < 0)
			return -1;
		len += (size_t)k;
	}
	return (int)len;
}

/* Where the character starting at i ends: ESC pairs and surrogates hold. */
static size_t
char_end(const uint8_t *b, size_t n, size_t i, int dc)
{
	unsigned hi;

	if (dc == TEXT_DC_UCS2) {
		hi = (unsigned)b[i] << 8 | (i + 1 < n ? b[i + 1] : 0);
		if (hi >= 0xD800 && hi <= 0xDBFF && i + 4 <= n)
			return i + 4;
		return i + 2 <= n ? i + 2 : n;
	}
	if (dc == TEXT_DC_GSM7 && sim.o.dc0 == TEXT_GSM7 && b[i] == 0x1B &&
	    i + 1 < n)
		return i + 2;
	return i + 1;
}

/*
 * Cuts n encoded bytes into parts of at most room bytes without splitting
 * a character: want == 0 packs greedily, want > 0 makes exactly want parts
 * of about equal size. cuts[k] is where part k ends. Returns the number of
 * parts, or -1 when the text does not fit (too long or too short).
 */
int
sim_split(const uint8_t *b, size_t n, int dc, int want, size_t room,
    size_t *cuts)
{
	size_t	i = 0, start = 0, e, target;
	int	k = 0;

	if (want == 0) {
		while (i < n) {
			e = char_end(b, n, i, dc);
			if (e - start > room) {
				if (k + 1 >= SIM_MAX_PARTS || i == start)
					return -1;
				cuts[k++] = i;
				start = i;
			}
			i = e;
		}
		cuts[k++] = n;
		return k;
	}
	if (want > SIM_MAX_PARTS)
		return -1;
	for (k = 1; k < want; k++) {
		target = (n * (size_t)k + (size_t)want - 1) / (size_t)want;
		while (i < n && (i < target || i == start))
			i = char_end(b, n, i, dc);
		if (i >= n || i - start > room)
			return -1;
		cuts[k - 1] = i;
		start = i;
	}
	if (n - start > room || n == start)
		return -1;
	cuts[want - 1] = n;
	return want;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex digits, spaces ignored, into bytes; the count or -1. */
int
sim_hex(const char *s, uint8_t *out, size_t cap)
{
	size_t	n = 0;
	int	hi = -1, v;

	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '\t' || *s == ':')
			continue;
		if ((v = hexval((unsigned char)*s)) < 0)
			return -1;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n >= cap)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	return hi < 0 ? (int)n : -1;
}

/* "*8077#", "*8077*1#": what a phone dials to open a USSD session. */
int
sim_is_service_code(const char *s)
{
	size_t	n = strlen(s);

	return n >= 3 && s[0] == '*' && s[n - 1] == '#' &&
	    strspn(s, "0123456789*#") == n;
}
