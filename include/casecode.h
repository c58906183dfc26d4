/*
 * casecode: the case codes this gateway makes, and the matching rules for
 * every code a citizen may type.
 *
 * Gateway codes are PREFIX YY SEQ C: the [office] code_prefix (1–8 ASCII
 * letters, written uppercase), the two-digit year, the sequence number
 * zero-padded to at least 4 digits, and a Damm check digit (standard
 * order-10 quasigroup, Damm 2004) over the year and sequence digits:
 * year 25, sequence 42 -> MC2500429. Damm catches every single wrong digit
 * and every swap of two neighbouring digits.
 *
 * Every code, ours or imported (national portal codes such as
 * 000.00.20.H12-230609-0001), is stored and looked up in canonical form:
 * uppercase, without spaces, tabs, dots, dashes, underscores or slashes.
 * Other characters are kept, so two different codes never collapse into
 * one unless they differ only in those separators or in case.
 */
#ifndef CASECODE_H
#define CASECODE_H

#include <stddef.h>

/* Longest code casecode_make() writes (8 + 2 + 10 + 1) plus NUL, rounded. */
#define CASECODE_MAX 24

enum casecode_kind {
	CASECODE_FOREIGN = 0,	/* not this gateway's form: look it up as is */
	CASECODE_VALID,		/* our form, check digit right */
	CASECODE_MISTYPED,	/* our form (prefix + >= 7 digits), check wrong */
};

/*
 * Writes prefix + YY + SEQ + check digit. Returns the length, or -1 if
 * prefix is not 1–8 ASCII letters, year2 is not 0–99, or cap is too small.
 * Also a way for a configuration check to validate code_prefix.
 */
int	casecode_make(const char *prefix, int year2, unsigned seq, char *out,
	    size_t cap);

/* The Damm check digit of a string of ASCII digits ("572" -> 4); -1 if
 * digits is empty or holds anything else. */
int	casecode_damm(const char *digits);

/* Canonical form (see above). Returns the length, or -1 on overflow. */
int	casecode_canon(const char *in, char *out, size_t cap);

/*
 * Classifies a code against this gateway's prefix (compared without regard
 * to case). code may be canonical or as typed: it is canonicalised first.
 * CASECODE_MISTYPED means "reply mistyped_code", not "not_found"; the
 * caller still looks up a FOREIGN code among the imported ones. A
 * sequence padded past 4 digits with a leading 0 ("MC25004290") is also
 * MISTYPED, since casecode_make never writes one. Only slips and swaps are
 * promised: a dropped or inserted digit may give FOREIGN or another VALID
 * code, which then is simply not found.
 */
int	casecode_check(const char *code, const char *prefix);

/*
 * The short national form: with unit_code "000.00.20.H12", "230609-0001"
 * or "2306090001" becomes "0000020H122306090001". Applies only when the
 * input, once canonical, is exactly 10 digits YYMMDDXXXX with a real
 * calendar date (20YY). Returns 1 and writes out if it expanded, 0 if the
 * input is not a short form or unit_code is NULL or empty (out untouched),
 * -1 on overflow.
 */
int	casecode_expand_short(const char *code, const char *unit_code,
	    char *out, size_t cap);

#endif
