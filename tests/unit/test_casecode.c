/* Case codes: making ours, canonical matching, and catching typos. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "casecode.h"
#include "check.h"

static void
test_damm(void)
{
	CHECK_INT(casecode_damm("572"), 4);	/* Damm's own example */
	CHECK_INT(casecode_damm("5724"), 0);
	CHECK_INT(casecode_damm("250042"), 9);
	CHECK_INT(casecode_damm("2500429"), 0);
	CHECK_INT(casecode_damm("0"), 0);
	CHECK_INT(casecode_damm(""), -1);
	CHECK_INT(casecode_damm("57a"), -1);
	CHECK_INT(casecode_damm("57 2"), -1);
	CHECK_INT(casecode_damm(NULL), -1);
}

static void
test_make(void)
{
	static const struct {
		const char	*prefix;
		int		 year;
		unsigned	 seq;
		const char	*want;
	} t[] = {
		{ "MC", 25, 42, "MC2500429" },		/* the contract example */
		{ "mc", 25, 42, "MC2500429" },
		{ "Mc", 25, 42, "MC2500429" },
		{ "MC", 25, 0, NULL },
		{ "MC", 5, 7, NULL },
		{ "MC", 26, 12345, NULL },
		{ "UBND", 24, 9999, NULL },
		{ "ABCDEFGH", 99, UINT_MAX, NULL },
	};
	char	out[CASECODE_MAX], digits[16], want[64];
	size_t	i;
	int	n;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		n = casecode_make(t[i].prefix, t[i].year, t[i].seq, out,
		    sizeof out);
		if (t[i].want != NULL)
			snprintf(want, sizeof want, "%s", t[i].want);
		else {
			/* independent computation from the documented rule */
			snprintf(digits, sizeof digits, "%02d%04u", t[i].year,
			    t[i].seq);
			snprintf(want, sizeof want, "%.8s%s%d", t[i].prefix,
			    digits, casecode_damm(digits));
		}
		CHECK_INT(n, strlen(want));
		CHECK_STR(out, want);
		CHECK_INT(casecode_check(out, t[i].prefix), CASECODE_VALID);
	}
	CHECK_INT(casecode_make("MC", 5, 7, out, sizeof out), 9);
	CHECK(strncmp(out, "MC050007", 8) == 0, "got %s", out);
	CHECK_INT(casecode_make("ABCDEFGH", 99, UINT_MAX, out, sizeof out),
	    8 + 2 + 10 + 1);
}

static void
test_make_errors(void)
{
	char	out[CASECODE_MAX];

	CHECK_INT(casecode_make("", 25, 42, out, sizeof out), -1);
	CHECK_INT(casecode_make("M1", 25, 42, out, sizeof out), -1);
	CHECK_INT(casecode_make("M-C", 25, 42, out, sizeof out), -1);
	CHECK_INT(casecode_make("ABCDEFGHI", 25, 42, out, sizeof out), -1);
	CHECK_INT(casecode_make("MC", -1, 42, out, sizeof out), -1);
	CHECK_INT(casecode_make("MC", 100, 42, out, sizeof out), -1);
	CHECK_INT(casecode_make("MC", 2025, 42, out, sizeof out), -1);
	CHECK_INT(casecode_make("MC", 25, 42, out, 10), 9);
	CHECK_INT(casecode_make("MC", 25, 42, out, 9), -1);
	CHECK_INT(casecode_make("MC", 25, 42, out, 0), -1);
}

static void
test_canon(void)
{
	static const struct {
		const char	*in;
		const char	*want;
	} t[] = {
		{ "MC2500429", "MC2500429" },
		{ "mc-2500429", "MC2500429" },
		{ "Mc 250 0429", "MC2500429" },
		{ "mc.25.00429", "MC2500429" },
		{ "MC_2500_429", "MC2500429" },
		{ " MC/25/00429\t", "MC2500429" },
		{ "000.00.20.H12-230609-0001", "0000020H122306090001" },
		{ "000.00.20.h12 - 230609 - 0001", "0000020H122306090001" },
		{ "230609-0001", "2306090001" },
		{ "HS#12", "HS#12" },	/* only the listed separators go */
		{ "Hồ sơ", "H\xe1\xbb\x93S\xc6\xa1" },	/* bytes kept */
		{ "", "" },
		{ " .-_/", "" },
	};
	char	out[64];
	size_t	i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		CHECK_INT(casecode_canon(t[i].in, out, sizeof out),
		    strlen(t[i].want));
		CHECK_STR(out, t[i].want);
	}
	CHECK_INT(casecode_canon("mc-2500429", out, 10), 9);
	CHECK_INT(casecode_canon("mc-2500429", out, 9), -1);
	CHECK_INT(casecode_canon("", out, 1), 0);
	CHECK_INT(casecode_canon("", out, 0), -1);
}

static void
test_check(void)
{
	static const struct {
		const char	*code;
		const char	*prefix;
		int		 want;
	} t[] = {
		{ "MC2500429", "MC", CASECODE_VALID },
		{ "mc2500429", "MC", CASECODE_VALID },
		{ "MC2500429", "mc", CASECODE_VALID },
		{ "mc-2500429", "MC", CASECODE_VALID },
		{ "MC 250 0429", "MC", CASECODE_VALID },
		{ "MC2500428", "MC", CASECODE_MISTYPED },
		{ "MC2504029", "MC", CASECODE_MISTYPED },
		{ "MC25004290", "MC", CASECODE_MISTYPED },	/* extra 0 */
		{ "MC2500004299", "MC", CASECODE_MISTYPED },	/* padded */
		{ "MC251000070", "MC", CASECODE_VALID },	/* seq 100007 */
		{ "MC25100007", "MC", CASECODE_VALID },		/* seq 10000 */
		/* a real code (year 02, seq 50042): Damm does not promise to
		 * catch inserted digits, only slips and swaps */
		{ "MC02500429", "MC", CASECODE_VALID },
		{ "MC250042", "MC", CASECODE_FOREIGN },		/* 6 digits */
		{ "MC", "MC", CASECODE_FOREIGN },
		{ "XY2500429", "MC", CASECODE_FOREIGN },
		{ "2500429", "MC", CASECODE_FOREIGN },
		{ "MC25OO429", "MC", CASECODE_FOREIGN },	/* letter O */
		{ "MCC2500429", "MC", CASECODE_FOREIGN },
		{ "000.00.20.H12-230609-0001", "MC", CASECODE_FOREIGN },
		{ "MC2500429", "", CASECODE_FOREIGN },
		{ "MC2500429", "M1", CASECODE_FOREIGN },
		{ "", "MC", CASECODE_FOREIGN },
	};
	size_t	i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		CHECK(casecode_check(t[i].code, t[i].prefix) == t[i].want,
		    "\"%s\" prefix \"%s\": got %d, want %d", t[i].code,
		    t[i].prefix, casecode_check(t[i].code, t[i].prefix),
		    t[i].want);
}

/* Every one-digit slip in code is MISTYPED; counts how many were tried. */
static int
all_substitutions(const char *code, size_t plen)
{
	char	v[CASECODE_MAX];
	size_t	i;
	int	d, tried = 0, ok = 1;

	for (i = plen; code[i] != '\0'; i++)
		for (d = '0'; d <= '9'; d++) {
			if (d == code[i])
				continue;
			snprintf(v, sizeof v, "%s", code);
			v[i] = (char)d;
			tried++;
			if (casecode_check(v, "MC") != CASECODE_MISTYPED) {
				ok = 0;
				CHECK(0, "%s -> %s not MISTYPED", code, v);
			}
		}
	return ok ? tried : -1;
}

/*
 * Every swap of two different neighbours is never VALID; when both are
 * digits it is MISTYPED (a swap touching a prefix letter is FOREIGN).
 */
static int
all_transpositions(const char *code, size_t plen)
{
	char	v[CASECODE_MAX], c;
	size_t	i;
	int	k, tried = 0, ok = 1, want_mistyped;

	for (i = 0; code[i + 1] != '\0'; i++) {
		if (code[i] == code[i + 1])
			continue;
		snprintf(v, sizeof v, "%s", code);
		c = v[i], v[i] = v[i + 1], v[i + 1] = c;
		tried++;
		k = casecode_check(v, "MC");
		want_mistyped = i >= plen;
		if (k == CASECODE_VALID ||
		    (want_mistyped && k != CASECODE_MISTYPED)) {
			ok = 0;
			CHECK(0, "%s -> %s gave %d", code, v, k);
		}
	}
	return ok ? tried : -1;
}

static void
test_typos(void)
{
	static const struct {
		int		year;
		unsigned	seq;
	} t[] = {
		{ 25, 42 }, { 25, 1 }, { 24, 9999 }, { 26, 10000 },
		{ 0, 0 }, { 99, 123456 }, { 25, 1010 }, { 30, 4294967295u },
	};
	char	code[CASECODE_MAX];
	size_t	i;
	int	subs, swaps;

	subs = all_substitutions("MC2500429", 2);
	swaps = all_transpositions("MC2500429", 2);
	CHECK_INT(subs, 7 * 9);
	/* M-C, C-2, 2-5, 5-0, 0-4, 4-2, 2-9; swapping 0-0 changes nothing */
	CHECK_INT(swaps, 7);
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		casecode_make("MC", t[i].year, t[i].seq, code, sizeof code);
		CHECK(all_substitutions(code, 2) > 0, "%s", code);
		CHECK(all_transpositions(code, 2) > 0, "%s", code);
	}
}

/* The same property over a whole year of sequence numbers, silently. */
static void
test_typos_exhaustive(void)
{
	char		code[CASECODE_MAX];
	unsigned	seq;
	int		bad = 0;

	for (seq = 0; seq < 3000; seq++) {
		casecode_make("MC", 25, seq, code, sizeof code);
		if (casecode_check(code, "MC") != CASECODE_VALID ||
		    all_substitutions(code, 2) < 0 ||
		    all_transpositions(code, 2) < 0)
			bad++;
	}
	CHECK_INT(bad, 0);
}

static void
test_expand_short(void)
{
	static const struct {
		const char	*in;
		const char	*unit;
		int		 want;
		const char	*out;
	} t[] = {
		{ "230609-0001", "000.00.20.H12", 1, "0000020H122306090001" },
		{ "2306090001", "000.00.20.H12", 1, "0000020H122306090001" },
		{ "230609 0001", "000.00.20.h12", 1, "0000020H122306090001" },
		{ "24.02.29-0015", "000.00.20.H12", 1, "0000020H122402290015" },
		{ "230229-0001", "000.00.20.H12", 0, NULL },	/* not leap */
		{ "231301-0001", "000.00.20.H12", 0, NULL },	/* month 13 */
		{ "230631-0001", "000.00.20.H12", 0, NULL },	/* 31 June */
		{ "230600-0001", "000.00.20.H12", 0, NULL },	/* day 0 */
		{ "0912345678", "000.00.20.H12", 0, NULL },	/* a phone */
		{ "230609-001", "000.00.20.H12", 0, NULL },	/* 9 digits */
		{ "230609-00011", "000.00.20.H12", 0, NULL },
		{ "MC2500429", "000.00.20.H12", 0, NULL },
		{ "000.00.20.H12-230609-0001", "000.00.20.H12", 0, NULL },
		{ "230609-0001", "", 0, NULL },
		{ "230609-0001", NULL, 0, NULL },
		{ "230609-0001", " . ", 0, NULL },
	};
	char	out[64];
	size_t	i;
	int	r;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		strcpy(out, "untouched");
		r = casecode_expand_short(t[i].in, t[i].unit, out, sizeof out);
		CHECK(r == t[i].want, "\"%s\": got %d, want %d", t[i].in, r,
		    t[i].want);
		CHECK_STR(out, t[i].out != NULL ? t[i].out : "untouched");
	}
	CHECK_INT(casecode_expand_short("2306090001", "000.00.20.H12", out, 21),
	    1);
	CHECK_INT(casecode_expand_short("2306090001", "000.00.20.H12", out, 20),
	    -1);
	/* the expansion and the full national code meet in one key */
	casecode_expand_short("230609-0001", "000.00.20.H12", out, sizeof out);
	{
		char	full[64];

		casecode_canon("000.00.20.H12-230609-0001", full, sizeof full);
		CHECK_STR(out, full);
	}
}

int
main(void)
{
	test_damm();
	test_make();
	test_make_errors();
	test_canon();
	test_check();
	test_typos();
	test_typos_exhaustive();
	test_expand_short();
	return check_report("casecode");
}
