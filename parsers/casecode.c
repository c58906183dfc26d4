/*
 * casecode.c owns the shape of case codes: making ours, and telling a
 * mistyped one of ours from a code we did not make, so a citizen who slips
 * one digit hears "check the code" instead of "no such case".
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "casecode.h"

/* Damm 2004, the weakly totally anti-symmetric quasigroup of order 10. */
static const unsigned char damm_table[10][10] = {
	{ 0, 3, 1, 7, 5, 9, 8, 6, 4, 2 },
	{ 7, 0, 9, 2, 1, 5, 4, 8, 6, 3 },
	{ 4, 2, 0, 6, 8, 7, 1, 3, 5, 9 },
	{ 1, 7, 5, 0, 9, 8, 3, 4, 2, 6 },
	{ 6, 1, 2, 3, 0, 4, 5, 9, 7, 8 },
	{ 3, 6, 7, 4, 2, 0, 9, 5, 8, 1 },
	{ 5, 8, 6, 9, 7, 2, 0, 1, 3, 4 },
	{ 8, 9, 4, 5, 3, 6, 2, 0, 1, 7 },
	{ 9, 4, 3, 8, 6, 1, 7, 2, 0, 5 },
	{ 2, 5, 8, 1, 4, 3, 6, 7, 9, 0 },
};

/* A canonical code longer than this is no code anybody types. */
#define CANON_MAX 128

static int	is_digit(int);
static int	is_letter(int);
static int	is_dropped(int);
static size_t	count_digits(const char *);
static int	prefix_ok(const char *);
static int	date_ok(const char *);

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_letter(int c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static int
is_dropped(int c)
{
	return c == ' ' || c == '\t' || c == '.' || c == '-' || c == '_' ||
	    c == '/';
}

/* Length of s if it is all digits, else 0. */
static size_t
count_digits(const char *s)
{
	size_t	n;

	for (n = 0; s[n] != '\0'; n++)
		if (!is_digit((unsigned char)s[n]))
			return 0;
	return n;
}

static int
prefix_ok(const char *prefix)
{
	size_t	n;

	for (n = 0; prefix[n] != '\0'; n++)
		if (!is_letter((unsigned char)prefix[n]))
			return 0;
	return n >= 1 && n <= 8;
}

/* YYMMDD is a day that exists in 20YY. */
static int
date_ok(const char *d)
{
	static const int mdays[12] = {
		31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int	yy, mm, dd;

	yy = (d[0] - '0') * 10 + (d[1] - '0');
	mm = (d[2] - '0') * 10 + (d[3] - '0');
	dd = (d[4] - '0') * 10 + (d[5] - '0');
	if (mm < 1 || mm > 12 || dd < 1 || dd > mdays[mm - 1])
		return 0;
	/* 2000 was a leap year, so within 2000–2099 this test is exact. */
	return !(mm == 2 && dd == 29 && yy % 4 != 0);
}

int
casecode_damm(const char *digits)
{
	unsigned	interim = 0;

	if (digits == NULL || *digits == '\0')
		return -1;
	for (; *digits != '\0'; digits++) {
		if (!is_digit((unsigned char)*digits))
			return -1;
		interim = damm_table[interim][*digits - '0'];
	}
	return (int)interim;
}

int
casecode_make(const char *prefix, int year2, unsigned seq, char *out,
    size_t cap)
{
	char	digits[16], code[CASECODE_MAX];
	size_t	i, n;

	if (!prefix_ok(prefix) || year2 < 0 || year2 > 99)
		return -1;
	snprintf(digits, sizeof digits, "%02d%04u", year2, seq);
	n = strlen(prefix);
	for (i = 0; i < n; i++)
		code[i] = (char)(prefix[i] & ~0x20);
	snprintf(code + n, sizeof code - n, "%s%d", digits,
	    casecode_damm(digits));
	n = strlen(code);
	if (n >= cap)
		return -1;
	memcpy(out, code, n + 1);
	return (int)n;
}

int
casecode_canon(const char *in, char *out, size_t cap)
{
	size_t		n = 0;
	unsigned char	c;

	for (; (c = (unsigned char)*in) != '\0'; in++) {
		if (is_dropped(c))
			continue;
		if (n + 1 >= cap)
			return -1;
		out[n++] = (char)(c >= 'a' && c <= 'z' ? c - 0x20 : c);
	}
	if (cap == 0)
		return -1;
	out[n] = '\0';
	return (int)n;
}

int
casecode_check(const char *code, const char *prefix)
{
	char		 canon[CANON_MAX];
	const char	*digits;
	size_t		 plen, n;

	if (!prefix_ok(prefix) || casecode_canon(code, canon, sizeof canon) < 0)
		return CASECODE_FOREIGN;
	plen = strlen(prefix);
	digits = canon + plen;
	if (strncasecmp(canon, prefix, plen) != 0 ||
	    (n = count_digits(digits)) < 7)
		return CASECODE_FOREIGN;
	/*
	 * Damm passes a 0 added in front of the sequence ("MC25004290"), but
	 * casecode_make never pads past 4 digits, so that is a slip too.
	 */
	if (n > 7 && digits[2] == '0')
		return CASECODE_MISTYPED;
	return casecode_damm(digits) == 0 ? CASECODE_VALID : CASECODE_MISTYPED;
}

int
casecode_expand_short(const char *code, const char *unit_code, char *out,
    size_t cap)
{
	char	canon[CANON_MAX], unit[CANON_MAX];
	int	ulen;

	if (unit_code == NULL ||
	    (ulen = casecode_canon(unit_code, unit, sizeof unit)) <= 0)
		return 0;
	if (casecode_canon(code, canon, sizeof canon) != 10 ||
	    count_digits(canon) != 10 || !date_ok(canon))
		return 0;
	if ((size_t)ulen + 10 >= cap)
		return -1;
	memcpy(out, unit, (size_t)ulen);
	memcpy(out + ulen, canon, 11);
	return 1;
}
