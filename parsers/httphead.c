/*
 * httphead.c judges the lines of an HTTP/1.x request head for the admin
 * door, which reads them itself (gateway/admin/conn.c says why). It is
 * strict where a lenient reader could be told one thing by a request and
 * a proxy in front of it another (bare LF, NUL, folding, two lengths,
 * Transfer-Encoding), and it works on lengths, not C strings, so that a
 * NUL in a line is seen instead of ending it.
 */
#include <string.h>
#include <strings.h>

#include "httphead.h"

/* A control character (CTL): C0 and DEL. */
static int
httphead_ctl(unsigned char ch)
{
	return ch < 0x20 || ch == 0x7f;
}

int
httphead_tchar(unsigned char ch)
{
	return ch > 0x20 && ch < 0x7f &&
	    strchr("\"(),/:;<=>?@[\\]{}", ch) == NULL;
}

/* 1 if the n bytes at s are all tchar (and there is one at least). */
static int
httphead_token(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (!httphead_tchar((unsigned char)s[i]))
			return 0;
	return n > 0;
}

static int
httphead_fail(int status, const char *why, const char **errstr)
{
	*errstr = why;
	return status;
}

int
httphead_eol(char *line, size_t *len, const char **errstr)
{
	if (*len == 0 || line[*len - 1] != '\r')
		return httphead_fail(400, "bare LF line ending", errstr);
	line[--*len] = '\0';
	return 0;
}

/* Cuts line at its two spaces: method, target and version, none empty. */
static int
httphead_split(char *line, size_t len, char **target, char **version)
{
	char	*sp1, *sp2;
	size_t	 i;

	for (i = 0; i < len; i++)
		if (httphead_ctl((unsigned char)line[i]))
			return -1;
	if ((sp1 = memchr(line, ' ', len)) == NULL ||
	    (sp2 = memchr(sp1 + 1, ' ', len - (size_t)(sp1 + 1 - line))) ==
	    NULL || memchr(sp2 + 1, ' ', len - (size_t)(sp2 + 1 - line)) !=
	    NULL)
		return -1;
	if (sp1 == line || sp2 == sp1 + 1 || sp2 + 1 == line + len)
		return -1;
	*sp1 = *sp2 = '\0';
	*target = sp1 + 1;
	*version = sp2 + 1;
	return 0;
}

int
httphead_reqline(char *line, size_t len, struct httphead_reqline *rl,
    const char **errstr)
{
	char	*target, *version;

	memset(rl, 0, sizeof(*rl));
	if (httphead_split(line, len, &target, &version) == -1 ||
	    !httphead_token(line, strlen(line)))
		return httphead_fail(400, "bad request line", errstr);
	rl->method = line;
	if (strcmp(version, "HTTP/1.1") == 0)
		rl->minor = 1;
	else if (strcmp(version, "HTTP/1.0") != 0)
		return httphead_fail(505, "HTTP/1.1 or HTTP/1.0 only", errstr);
	if (target[0] != '/')
		return httphead_fail(400, "bad request target", errstr);
	rl->target = target;
	return 0;
}

/* Content-Length: 1-18 digits; a second one must say the same. */
static int
httphead_length(const char *v, long long *length, const char **errstr)
{
	long long	n = 0;
	size_t		i;

	for (i = 0; v[i] >= '0' && v[i] <= '9' && i < HTTPHEAD_LENGTH_DIGITS;
	    i++)
		n = n * 10 + (v[i] - '0');
	if (i == 0 || v[i] != '\0')
		return httphead_fail(400, "bad Content-Length", errstr);
	if (*length >= 0 && *length != n)
		return httphead_fail(400,
		    "two different Content-Length headers", errstr);
	*length = n;
	return 0;
}

/* The value's bytes: no CTL but HTAB (obs-text is let through). */
static int
httphead_value_ok(const char *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (httphead_ctl((unsigned char)v[i]) && v[i] != '\t')
			return 0;
	return 1;
}

/* Cuts the spaces and tabs around the n bytes at v, in place. */
static char *
httphead_trim(char *v, size_t n)
{
	char	*end = v + n;

	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	*end = '\0';
	return v;
}

int
httphead_header(char *line, size_t len, long long *length,
    struct httphead_field *f, const char **errstr)
{
	char	*colon;
	size_t	 vlen;

	memset(f, 0, sizeof(*f));
	if (len > 0 && (line[0] == ' ' || line[0] == '\t'))
		return httphead_fail(400,
		    "folded header lines are not accepted", errstr);
	if ((colon = memchr(line, ':', len)) == NULL || colon == line)
		return httphead_fail(400, "bad header line", errstr);
	if (!httphead_token(line, (size_t)(colon - line)))
		return httphead_fail(400, "bad header name", errstr);
	vlen = len - (size_t)(colon + 1 - line);
	if (!httphead_value_ok(colon + 1, vlen))
		return httphead_fail(400, "bad header value", errstr);
	*colon = '\0';
	f->name = line;
	f->value = httphead_trim(colon + 1, vlen);
	if (strcasecmp(f->name, "Transfer-Encoding") == 0)
		return httphead_fail(411, "send the body with a "
		    "Content-Length, not a Transfer-Encoding", errstr);
	if (strcasecmp(f->name, "Content-Length") == 0)
		return httphead_length(f->value, length, errstr);
	return 0;
}
