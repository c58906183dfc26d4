/*
 * The Cookie header's grammar (parsers/cookie.c), as the admin door
 * (gateway/admin/session.c) calls it: a found value fits its buffer, is
 * made of cookie-octets and is in the header after the name and '=';
 * a refusal has a reason; nothing is read past the header's NUL.
 */
#include "fuzz.h"

#include "cookie.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
octet(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' &&
	    c != '\\';
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	char		*h = fuzz_cstr(d, size), out[72], *at;
	const char	*why = NULL;
	size_t		 i, n;
	int		 rc;

	rc = cookie_find(h, "motcua_session", out, sizeof(out), &why);
	FUZZ_CHECK(rc >= -1 && rc <= 1);
	if (rc == -1)
		FUZZ_CHECK(why != NULL && why[0] != '\0' && fuzz_utf8_valid(why));
	if (rc == 1) {
		n = strlen(out);
		FUZZ_CHECK(n < sizeof(out));
		for (i = 0; i < n; i++)
			FUZZ_CHECK(octet((unsigned char)out[i]));
		FUZZ_CHECK((at = strstr(h, "motcua_session=")) != NULL);
		FUZZ_CHECK(strstr(h, out) != NULL);
	}
	free(h);
	return 0;
}
