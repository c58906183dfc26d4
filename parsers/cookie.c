/*
 * The Cookie header's grammar (include/cookie.h). A header that does not
 * follow it is refused whole rather than guessed at: a lenient reader is
 * how two readers of one header come to disagree on a session.
 */
#include <string.h>

#include "cookie.h"

/* RFC 9110's tchar. */
static int
cookie_tchar(unsigned char c)
{
	return c > 0x20 && c < 0x7f && strchr("\"(),/:;<=>?@[\\]{}", c) == NULL;
}

/* RFC 6265's cookie-octet: visible US-ASCII but '"', ',', ';', '\'. */
static int
cookie_octet(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '"' && c != ',' && c != ';' &&
	    c != '\\';
}

struct cookie_pair {
	const char	*name, *value;
	size_t		 nlen, vlen;
};

/* One pair at *p; the pointer moved past it, or NULL when malformed. */
static const char *
cookie_pair(const char *p, struct cookie_pair *cp)
{
	int	quoted;

	cp->name = p;
	while (cookie_tchar((unsigned char)*p))
		p++;
	if ((cp->nlen = (size_t)(p - cp->name)) == 0 || *p++ != '=')
		return NULL;
	if ((quoted = *p == '"'))
		p++;
	cp->value = p;
	while (cookie_octet((unsigned char)*p))
		p++;
	cp->vlen = (size_t)(p - cp->value);
	if (quoted && *p++ != '"')
		return NULL;
	return p;
}

/* Past the separator after a pair: "; " (spaces optional), or the end. */
static const char *
cookie_sep(const char *p, const char **errstr)
{
	if (*p == '\0')
		return p;
	if (*p != ';') {
		*errstr = "Cookie: a name=value pair is malformed";
		return NULL;
	}
	for (p++; *p == ' '; p++)
		;
	if (*p == '\0') {
		*errstr = "Cookie: ends in a separator";
		return NULL;
	}
	return p;
}

int
cookie_find(const char *header, const char *name, char *out, size_t cap,
    const char **errstr)
{
	struct cookie_pair	 cp;
	const char		*p = header;
	size_t			 want = strlen(name);
	int			 found = 0;

	*errstr = "Cookie: empty";
	if (*p == '\0')
		return -1;
	*errstr = NULL;
	while (*p != '\0') {
		if ((p = cookie_pair(p, &cp)) == NULL) {
			*errstr = "Cookie: a name=value pair is malformed";
			return -1;
		}
		if ((p = cookie_sep(p, errstr)) == NULL)
			return -1;
		if (cp.nlen != want || memcmp(cp.name, name, want) != 0)
			continue;
		if (found++) {
			*errstr = "Cookie: the session cookie is given twice";
			return -1;
		}
		if (cp.vlen >= cap) {
			*errstr = "Cookie: the session cookie is too long";
			return -1;
		}
		memcpy(out, cp.value, cp.vlen);
		out[cp.vlen] = '\0';
	}
	return found;
}
