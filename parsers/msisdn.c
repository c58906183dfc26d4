/*
 * msisdn.c owns the rules that turn what people and carriers write into one
 * stored number. The policy is described in include/msisdn.h.
 */
#include <string.h>

#include "msisdn.h"

/* Room for the digits of any sane input; longer is "too long" anyway. */
#define DIGITS_MAX 32

/* Decision 798/QĐ-BTTTT: old 3-digit prefix (after the 0) -> new 2-digit. */
static const struct {
	const char	from[4];
	const char	to[3];
} legacy[] = {
	{ "120", "70" }, { "121", "79" }, { "122", "77" }, { "126", "76" },
	{ "128", "78" },					/* MobiFone */
	{ "123", "83" }, { "124", "84" }, { "125", "85" }, { "127", "81" },
	{ "129", "82" },					/* VinaPhone */
	{ "162", "32" }, { "163", "33" }, { "164", "34" }, { "165", "35" },
	{ "166", "36" }, { "167", "37" }, { "168", "38" }, { "169", "39" },
							/* Viettel */
	{ "186", "56" }, { "188", "58" },			/* Vietnamobile */
	{ "199", "59" },					/* Gmobile */
};

static int	 is_digit(int);
static int	 is_sep(int);
static int	 all_digits(const char *, size_t, size_t);
static const char *legacy_find(const char *);
static const char *collect_digits(const char *, char *, int *);
static int	 bare_national(const char *, const char *);
static const char *to_international(const char *, int, const char *,
		    char *);
static const char *check_vietnamese(char *);
static const char *check_number(char *);
static const char *normalize(const char *, const char *, char *);

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_sep(int c)
{
	return c == ' ' || c == '\t' || c == '.' || c == '-' || c == '(' ||
	    c == ')';
}

static int
all_digits(const char *s, size_t min, size_t max)
{
	size_t	n;

	for (n = 0; s[n] != '\0'; n++)
		if (!is_digit((unsigned char)s[n]))
			return 0;
	return n >= min && n <= max;
}

static const char *
legacy_find(const char *three)
{
	size_t	i;

	for (i = 0; i < sizeof legacy / sizeof legacy[0]; i++)
		if (strncmp(three, legacy[i].from, 3) == 0)
			return legacy[i].to;
	return NULL;
}

/* Keeps the digits of in; a '+' is only meaningful before any digit. */
static const char *
collect_digits(const char *in, char *d, int *plus)
{
	size_t		n = 0;
	unsigned char	c;

	*plus = 0;
	for (; (c = (unsigned char)*in) != '\0'; in++) {
		if (is_sep(c))
			continue;
		if (c == '+' && n == 0 && !*plus) {
			*plus = 1;
			continue;
		}
		if (c == '+')
			return "misplaced '+'";
		if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
			return "contains a letter";
		if (!is_digit(c))
			return "invalid character";
		if (n + 1 >= DIGITS_MAX)
			return "too long";
		d[n++] = (char)c;
	}
	d[n] = '\0';
	return n == 0 ? "empty" : NULL;
}

/*
 * A Vietnamese number whose leading 0 was lost (a spreadsheet, or an SMSC
 * sending TON=2 without it). A 10-digit "1…" cannot be a NANP number (they
 * have 11); 9-digit international numbers exist (Andorra: 376 + 6) but do
 * not text a Vietnamese short code, while clerks' CSV files often hold
 * 912345678.
 */
static int
bare_national(const char *d, const char *cc)
{
	size_t	n = strlen(d);

	if (strcmp(cc, "84") != 0)
		return 0;
	if (n == 9)
		return strchr("35789", d[0]) != NULL;
	return n == 10 && d[0] == '1' && legacy_find(d) != NULL;
}

static const char *
to_international(const char *d, int plus, const char *cc, char *intl)
{
	if (plus || strncmp(d, "00", 2) == 0) {
		if (!plus)
			d += 2;
		if (d[0] == '0' || d[0] == '\0')
			return "no country code after the international prefix";
		strcpy(intl, d);
	} else if (d[0] == '0') {
		strcpy(intl, cc);
		strcat(intl, d + 1);
	} else if (bare_national(d, cc)) {
		strcpy(intl, cc);
		strcat(intl, d);
	} else
		strcpy(intl, d);
	/* "+84 (0) 912…": no Vietnamese number starts with the trunk 0. */
	if (strncmp(intl, "840", 3) == 0)
		memmove(intl + 2, intl + 3, strlen(intl + 3) + 1);
	return NULL;
}

static const char *
check_vietnamese(char *intl)
{
	size_t		 n = strlen(intl);
	const char	*to;

	if (n == 12 && intl[2] == '1') {
		if ((to = legacy_find(intl + 2)) == NULL)
			return "unknown legacy 11-digit prefix";
		memcpy(intl + 2, to, 2);
		memmove(intl + 4, intl + 5, strlen(intl + 5) + 1);
		return NULL;
	}
	/* Landlines first: their length would give a misleading message. */
	if (n > 2 && strchr("35789", intl[2]) == NULL)
		return "not a Vietnamese mobile number";
	if (n < 11)
		return "too short";
	if (n > 11)
		return "too long";
	return NULL;
}

static const char *
check_number(char *intl)
{
	size_t	n = strlen(intl);

	if (strncmp(intl, "84", 2) == 0)
		return check_vietnamese(intl);
	if (n < 8)
		return "too short";
	if (n > 15)
		return "too long";
	return NULL;
}

/* The whole pipeline; intl has room for any number that gets this far. */
static const char *
normalize(const char *in, const char *cc, char *intl)
{
	char		 d[DIGITS_MAX];
	const char	*err;
	int		 plus;

	if (!all_digits(cc, 1, 3) || cc[0] == '0')
		return "invalid country code";
	if ((err = collect_digits(in, d, &plus)) != NULL ||
	    (err = to_international(d, plus, cc, intl)) != NULL)
		return err;
	return check_number(intl);
}

int
msisdn_normalize(const char *in, const char *country_code, char *out,
    size_t cap, const char **errstr)
{
	char		 intl[DIGITS_MAX + 4];
	const char	*err;
	size_t		 n = 0;

	if (country_code == NULL || *country_code == '\0')
		country_code = "84";
	if ((err = normalize(in, country_code, intl)) == NULL &&
	    (n = strlen(intl)) >= cap)
		err = "output buffer too small";
	if (errstr != NULL)
		*errstr = err;
	if (err != NULL)
		return -1;
	memcpy(out, intl, n + 1);
	return (int)n;
}

int
msisdn_national(const char *intl, char *out, size_t cap)
{
	size_t	n = strlen(intl);

	if (strncmp(intl, "84", 2) != 0 || !all_digits(intl, 3, 15) ||
	    cap < n)
		return -1;
	out[0] = '0';
	memcpy(out + 1, intl + 2, n - 1);
	return (int)n - 1;
}

int
msisdn_is_short_code(const char *s)
{
	return s != NULL && all_digits(s, 3, 6);
}
