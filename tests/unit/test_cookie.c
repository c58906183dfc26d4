/*
 * The Cookie header's grammar (parsers/cookie.c): what browsers send
 * (several cookies, "; " between them, quoted values), and what is
 * refused whole: pairs without '=', bytes outside cookie-octet, a
 * separator at the end, the session cookie given twice or too long.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cookie.h"

#define S	"motcua_session"

static const struct {
	const char	*header;
	int		 rc;
	const char	*want;		/* the value, or the reason */
} rows[] = {
	{ S "=abc",				1, "abc" },
	{ "a=1; " S "=abc; b=2",		1, "abc" },
	{ "a=1;" S "=abc",			1, "abc" },
	{ "a=1;   " S "=abc",			1, "abc" },
	{ S "=\"abc\"",				1, "abc" },
	{ S "=",				1, "" },
	{ "a=1; b=\"x y\"",			-1, "Cookie: a name=value pair is malformed" },
	{ "a=1; b=2",				0, NULL },
	{ "motcua_sessionx=1; xmotcua_session=2", 0, NULL },
	{ "a=\"\"; " S "=v",			1, "v" },
	/* refused */
	{ "",					-1, "Cookie: empty" },
	{ S,					-1, "Cookie: a name=value pair is malformed" },
	{ "=abc",				-1, "Cookie: a name=value pair is malformed" },
	{ S "=abc;",				-1, "Cookie: ends in a separator" },
	{ S "=abc; ",				-1, "Cookie: ends in a separator" },
	{ S "=a b",				-1, "Cookie: a name=value pair is malformed" },
	{ S "=a,b",				-1, "Cookie: a name=value pair is malformed" },
	{ S "=a\\b",				-1, "Cookie: a name=value pair is malformed" },
	{ S "=\"abc",				-1, "Cookie: a name=value pair is malformed" },
	{ S "=ab\"c\"",				-1, "Cookie: a name=value pair is malformed" },
	{ S "=a\tb",				-1, "Cookie: a name=value pair is malformed" },
	{ S "=\xc3\xa0",			-1, "Cookie: a name=value pair is malformed" },
	{ "a=1;; " S "=x",			-1, "Cookie: a name=value pair is malformed" },
	{ " " S "=x",				-1, "Cookie: a name=value pair is malformed" },
	{ S "=x ; a=1",				-1, "Cookie: a name=value pair is malformed" },
	{ "a b=1; " S "=x",			-1, "Cookie: a name=value pair is malformed" },
	{ S "=x; " S "=x",			-1, "Cookie: the session cookie is given twice" },
	{ S "=x; " S "=y",			-1, "Cookie: the session cookie is given twice" },
	{ S "=0123456789",			-1, "Cookie: the session cookie is too long" },
};

static void
test_rows(void)
{
	char		 out[10];
	const char	*why;
	size_t		 i;
	int		 rc;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		rc = cookie_find(rows[i].header, S, out, sizeof(out), &why);
		CHECK(rc == rows[i].rc, "row %zu \"%s\": got %d, want %d", i,
		    rows[i].header, rc, rows[i].rc);
		if (rc == 1 && rows[i].rc == 1)
			CHECK_STR(out, rows[i].want);
		if (rc == -1 && rows[i].rc == -1)
			CHECK_STR(why, rows[i].want);
	}
}

/* Exactly cap - 1 bytes fit. */
static void
test_fit(void)
{
	char		 out[4];
	const char	*why;

	CHECK_INT(cookie_find(S "=abc", S, out, sizeof(out), &why), 1);
	CHECK_STR(out, "abc");
	CHECK_INT(cookie_find(S "=abcd", S, out, sizeof(out), &why), -1);
}

int
main(void)
{
	test_rows();
	test_fit();
	return check_report("cookie");
}
