/*
 * The request head's grammar (parsers/httphead.c), as gateway/admin/conn.c
 * drives it: the input is cut at each LF, as evbuffer_readln does (each
 * line an exact-size copy, with readln's NUL after it), then judged by
 * httphead_eol, the first line by httphead_reqline and the next ones, up
 * to an empty one, by httphead_header. What is accepted must be what the
 * grammar says, and be the line's own bytes; a refusal has a status the
 * door knows and a reason.
 */
#include "fuzz.h"

#include <strings.h>

#include "httphead.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
ctl(unsigned char ch)
{
	return ch < 0x20 || ch == 0x7f;
}

static void
check_refused(int rc, const char *why)
{
	FUZZ_CHECK(rc == 400 || rc == 411 || rc == 505);
	FUZZ_CHECK(why != NULL && why[0] != '\0' && fuzz_utf8_valid(why));
}

/* Accepted: METHOD SP target SP HTTP/1.minor, the line's bytes exactly. */
static void
check_reqline(const char *orig, size_t n, const struct httphead_reqline *rl)
{
	char	*again = malloc(n + 1);
	size_t	 i;

	FUZZ_CHECK(rl->method != NULL && rl->target != NULL);
	FUZZ_CHECK(rl->minor == 0 || rl->minor == 1);
	for (i = 0; rl->method[i]; i++)
		FUZZ_CHECK(httphead_tchar((unsigned char)rl->method[i]));
	FUZZ_CHECK(i > 0 && rl->target[0] == '/');
	for (i = 0; rl->target[i]; i++)
		FUZZ_CHECK(!ctl((unsigned char)rl->target[i]) &&
		    rl->target[i] != ' ');
	FUZZ_CHECK(again != NULL);
	FUZZ_CHECK((size_t)snprintf(again, n + 1, "%s %s HTTP/1.%d",
	    rl->method, rl->target, rl->minor) == n);
	FUZZ_CHECK(memcmp(again, orig, n) == 0);
	free(again);
}

/* Accepted: a token name, a trimmed value of the line, the length kept. */
static void
check_header(const char *orig, size_t n, const struct httphead_field *f,
    long long before, long long after)
{
	const char	*v;
	size_t		 nl = strlen(f->name), vl = strlen(f->value), i;

	FUZZ_CHECK(nl > 0 && nl < n && memcmp(orig, f->name, nl) == 0 &&
	    orig[nl] == ':');
	for (i = 0; i < nl; i++)
		FUZZ_CHECK(httphead_tchar((unsigned char)f->name[i]));
	for (i = 0; i < vl; i++)
		FUZZ_CHECK(!ctl((unsigned char)f->value[i]) ||
		    f->value[i] == '\t');
	FUZZ_CHECK(vl == 0 || (f->value[0] != ' ' && f->value[0] != '\t' &&
	    f->value[vl - 1] != ' ' && f->value[vl - 1] != '\t'));
	v = orig + nl + 1 + strspn(orig + nl + 1, " \t");
	FUZZ_CHECK(memcmp(v, f->value, vl) == 0 &&
	    strspn(v + vl, " \t") == n - (size_t)(v + vl - orig));
	FUZZ_CHECK(strcasecmp(f->name, "Transfer-Encoding") != 0);
	if (strcasecmp(f->name, "Content-Length") != 0) {
		FUZZ_CHECK(after == before);
		return;
	}
	FUZZ_CHECK(vl >= 1 && vl <= HTTPHEAD_LENGTH_DIGITS &&
	    strspn(f->value, "0123456789") == vl);
	FUZZ_CHECK(after == strtoll(f->value, NULL, 10));
	FUZZ_CHECK(before == -1 || before == after);
}

/* One line of n bytes (CR included); 0 to go on, 1 at the end. */
static int
judge(const uint8_t *d, size_t n, int first, long long *length)
{
	struct httphead_reqline	 rl;
	struct httphead_field	 f;
	char			*line = (char *)fuzz_cstr(d, n), *orig;
	const char		*why = NULL;
	long long		 before = *length;
	int			 rc, end = 0;

	orig = fuzz_cstr(d, n);
	if ((rc = httphead_eol(line, &n, &why)) != 0) {
		FUZZ_CHECK(rc == 400 && why != NULL);
		FUZZ_CHECK(n == 0 || orig[n - 1] != '\r');
		end = 1;
	} else if (first) {
		rc = httphead_reqline(line, n, &rl, &why);
		if (rc == 0)
			check_reqline(orig, n, &rl);
		else
			check_refused(rc, why);
		end = rc != 0;
	} else if (n == 0)
		end = 1;
	else if ((rc = httphead_header(line, n, length, &f, &why)) == 0)
		check_header(orig, n, &f, before, *length);
	else {
		check_refused(rc, why);
		end = 1;
	}
	free(line);
	free(orig);
	return end;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	const uint8_t	*lf;
	long long	 length = -1;
	int		 first = 1;

	while ((lf = memchr(d, '\n', size)) != NULL) {
		if (judge(d, (size_t)(lf - d), first, &length))
			break;
		first = 0;
		size -= (size_t)(lf - d) + 1;
		d = lf + 1;
	}
	FUZZ_CHECK(length >= -1 && length < 1000000000000000000LL);
	return 0;
}
