/*
 * The request head's grammar (parsers/httphead.c), line by line, as the
 * admin door reads it: what curl, python, browsers and the motcua tool
 * send, and what a hostile client might (NUL, bare LF, control bytes,
 * folding, smuggling lengths). Lines are given with their length, so a
 * NUL inside one is part of the row.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "httphead.h"

#define L(s)	s, sizeof(s) - 1	/* a literal with its NULs counted */

static const struct {
	const char	*line;
	size_t		 len;
	int		 status;
	const char	*why;		/* or the method when 0 */
	const char	*target;
	int		 minor;
} reqlines[] = {
	{ L("GET /health HTTP/1.1"),		0, "GET", "/health", 1 },
	{ L("HEAD /health HTTP/1.0"),		0, "HEAD", "/health", 0 },
	{ L("POST /cases?x=1&y=%20 HTTP/1.1"),	0, "POST", "/cases?x=1&y=%20", 1 },
	{ L("PATCH /cases/MC2500429 HTTP/1.1"),	0, "PATCH", "/cases/MC2500429", 1 },
	{ L("BREW / HTTP/1.1"),			0, "BREW", "/", 1 },
	{ L("GET /nh\xc3\xa0 HTTP/1.1"),	0, "GET", "/nh\xc3\xa0", 1 },
	{ L("GET /a#frag HTTP/1.1"),		0, "GET", "/a#frag", 1 },
	/* the shape */
	{ L(""),				400, "bad request line", 0, 0 },
	{ L("GET"),				400, "bad request line", 0, 0 },
	{ L("GET /health"),			400, "bad request line", 0, 0 },
	{ L("GET  /health HTTP/1.1"),		400, "bad request line", 0, 0 },
	{ L("GET /health  HTTP/1.1"),		400, "bad request line", 0, 0 },
	{ L(" GET /health HTTP/1.1"),		400, "bad request line", 0, 0 },
	{ L("GET /health HTTP/1.1 "),		400, "bad request line", 0, 0 },
	{ L("GET  HTTP/1.1"),			400, "bad request line", 0, 0 },
	{ L("GET /a b HTTP/1.1"),		400, "bad request line", 0, 0 },
	{ L("GET\t/health HTTP/1.1"),		400, "bad request line", 0, 0 },
	{ L("GET /health\tHTTP/1.1"),		400, "bad request line", 0, 0 },
	{ L("GET /he\talth HTTP/1.1"),		400, "bad request line", 0, 0 },
	{ L("GET /health HTTP/1.1\t"),		400, "bad request line", 0, 0 },
	/* NUL and control bytes: each one ends a C string early */
	{ L("GET /health HTTP/1.1\0junk"),	400, "bad request line", 0, 0 },
	{ L("GET /health\0 HTTP/1.1"),		400, "bad request line", 0, 0 },
	{ L("GET\0 /health HTTP/1.1"),		400, "bad request line", 0, 0 },
	{ L("\0GET /health HTTP/1.1"),		400, "bad request line", 0, 0 },
	{ L("GET /he\x01lth HTTP/1.1"),		400, "bad request line", 0, 0 },
	{ L("GET /he\x7flth HTTP/1.1"),		400, "bad request line", 0, 0 },
	{ L("GET /health HTTP/1.1\r"),		400, "bad request line", 0, 0 },
	{ L("GET /he\rlth HTTP/1.1"),		400, "bad request line", 0, 0 },
	{ L("GET /he\x1blth HTTP/1.1"),		400, "bad request line", 0, 0 },
	{ L("G\x01T /health HTTP/1.1"),		400, "bad request line", 0, 0 },
	/* the method: a token */
	{ L("G(T /health HTTP/1.1"),		400, "bad request line", 0, 0 },
	{ L("GE\"T / HTTP/1.1"),		400, "bad request line", 0, 0 },
	{ L("G\xc3\x89T / HTTP/1.1"),		400, "bad request line", 0, 0 },
	/* the version: exactly these two */
	{ L("GET / HTTP/2.0"),			505, "HTTP/1.1 or HTTP/1.0 only", 0, 0 },
	{ L("GET / HTTP/1.2"),			505, "HTTP/1.1 or HTTP/1.0 only", 0, 0 },
	{ L("GET / http/1.1"),			505, "HTTP/1.1 or HTTP/1.0 only", 0, 0 },
	{ L("GET / HTTP/1.10"),			505, "HTTP/1.1 or HTTP/1.0 only", 0, 0 },
	{ L("GET / HTTP/1"),			505, "HTTP/1.1 or HTTP/1.0 only", 0, 0 },
	{ L("GET / HTTP/01.1"),			505, "HTTP/1.1 or HTTP/1.0 only", 0, 0 },
	{ L("GET / FOO"),			505, "HTTP/1.1 or HTTP/1.0 only", 0, 0 },
	/* the target: origin-form */
	{ L("GET * HTTP/1.1"),			400, "bad request target", 0, 0 },
	{ L("GET http://x/health HTTP/1.1"),	400, "bad request target", 0, 0 },
	{ L("CONNECT x:443 HTTP/1.1"),		400, "bad request target", 0, 0 },
	{ L("GET health HTTP/1.1"),		400, "bad request target", 0, 0 },
};

static const struct {
	const char	*line;
	size_t		 len;
	long long	 before;	/* Content-Length so far */
	int		 status;
	const char	*why;		/* or the name when 0 */
	const char	*value;
	long long	 after;
} headers[] = {
	{ L("Host: x"),			-1, 0, "Host", "x", -1 },
	{ L("Host:x"),			-1, 0, "Host", "x", -1 },
	{ L("Host: \t x \t "),		-1, 0, "Host", "x", -1 },
	{ L("X-Empty:"),		-1, 0, "X-Empty", "", -1 },
	{ L("X-Empty:  \t"),		-1, 0, "X-Empty", "", -1 },
	{ L("X-Tab: a\tb"),		-1, 0, "X-Tab", "a\tb", -1 },
	{ L("X-Colon: a:b: c"),		-1, 0, "X-Colon", "a:b: c", -1 },
	{ L("X-Utf8: Nguy\xe1\xbb\x85n"), -1, 0, "X-Utf8", "Nguy\xe1\xbb\x85n", -1 },
	{ L("!#$%&'*+-.^_`|~09azAZ: v"), -1, 0, "!#$%&'*+-.^_`|~09azAZ", "v", -1 },
	{ L("Authorization: Bearer t0k3n"), -1, 0, "Authorization", "Bearer t0k3n", -1 },
	{ L("Expect: 100-continue"),	-1, 0, "Expect", "100-continue", -1 },
	/* Content-Length */
	{ L("Content-Length: 0"),	-1, 0, "Content-Length", "0", 0 },
	{ L("content-length: 42"),	-1, 0, "content-length", "42", 42 },
	{ L("CONTENT-LENGTH:65536 "),	-1, 0, "CONTENT-LENGTH", "65536", 65536 },
	{ L("Content-Length: 007"),	-1, 0, "Content-Length", "007", 7 },
	{ L("Content-Length: 999999999999999999"), -1, 0, "Content-Length",
	    "999999999999999999", 999999999999999999LL },
	{ L("Content-Length: 5"),	5, 0, "Content-Length", "5", 5 },
	{ L("Content-Length: 0005"),	5, 0, "Content-Length", "0005", 5 },
	{ L("Content-Length: 1000000000000000000"), -1, 400, "bad Content-Length", 0, -1 },
	{ L("Content-Length: 99999999999999999999999"), -1, 400, "bad Content-Length", 0, -1 },
	{ L("Content-Length: 0000000000000000001"), -1, 400, "bad Content-Length", 0, -1 },
	{ L("Content-Length:"),		-1, 400, "bad Content-Length", 0, -1 },
	{ L("Content-Length: -1"),	-1, 400, "bad Content-Length", 0, -1 },
	{ L("Content-Length: +1"),	-1, 400, "bad Content-Length", 0, -1 },
	{ L("Content-Length: 0x10"),	-1, 400, "bad Content-Length", 0, -1 },
	{ L("Content-Length: 1 2"),	-1, 400, "bad Content-Length", 0, -1 },
	{ L("Content-Length: 5, 5"),	-1, 400, "bad Content-Length", 0, -1 },
	{ L("Content-Length: 1e3"),	-1, 400, "bad Content-Length", 0, -1 },
	{ L("Content-Length: \xd9\xa1"), -1, 400, "bad Content-Length", 0, -1 },
	{ L("Content-Length: 5\0" "0"),	-1, 400, "bad header value", 0, -1 },
	{ L("Content-Length: 6"),	5, 400, "two different Content-Length headers", 0, 5 },
	{ L("Content-Length: 0"),	5, 400, "two different Content-Length headers", 0, 5 },
	/* Transfer-Encoding, in any case and any value */
	{ L("Transfer-Encoding: chunked"), -1, 411, "send the body with a "
	    "Content-Length, not a Transfer-Encoding", 0, -1 },
	{ L("transfer-encoding: identity"), -1, 411, "send the body with a "
	    "Content-Length, not a Transfer-Encoding", 0, -1 },
	{ L("TRANSFER-ENCODING:"),	-1, 411, "send the body with a "
	    "Content-Length, not a Transfer-Encoding", 0, -1 },
	/* folding, names */
	{ L(" folded"),			-1, 400, "folded header lines are not accepted", 0, -1 },
	{ L("\tX: folded"),		-1, 400, "folded header lines are not accepted", 0, -1 },
	{ L(""),			-1, 400, "bad header line", 0, -1 },
	{ L("no colon"),		-1, 400, "bad header line", 0, -1 },
	{ L(": no name"),		-1, 400, "bad header line", 0, -1 },
	{ L("Host : x"),		-1, 400, "bad header name", 0, -1 },
	{ L("Ho st: x"),		-1, 400, "bad header name", 0, -1 },
	{ L("Host\t: x"),		-1, 400, "bad header name", 0, -1 },
	{ L("X(y): z"),			-1, 400, "bad header name", 0, -1 },
	{ L("X/y: z"),			-1, 400, "bad header name", 0, -1 },
	{ L("X\xc3\xa9: z"),		-1, 400, "bad header name", 0, -1 },
	{ L("X\0Y: z"),			-1, 400, "bad header name", 0, -1 },
	{ L("Content-Length\0: 5"),	-1, 400, "bad header name", 0, -1 },
	{ L("Transfer-Encoding\x01: chunked"), -1, 400, "bad header name", 0, -1 },
	/* NUL and control bytes in a value */
	{ L("Authorization: Bearer t0k3n\0junk"), -1, 400, "bad header value", 0, -1 },
	{ L("X: a\0"),			-1, 400, "bad header value", 0, -1 },
	{ L("X:\0"),			-1, 400, "bad header value", 0, -1 },
	{ L("X: a\x01" "b"),		-1, 400, "bad header value", 0, -1 },
	{ L("X: a\x1f" "b"),		-1, 400, "bad header value", 0, -1 },
	{ L("X: a\x7f" "b"),		-1, 400, "bad header value", 0, -1 },
	{ L("X: a\rb"),			-1, 400, "bad header value", 0, -1 },
	{ L("X: a\r"),			-1, 400, "bad header value", 0, -1 },
	{ L("X: a\nb"),			-1, 400, "bad header value", 0, -1 },
	{ L("X: \x1b[2J"),		-1, 400, "bad header value", 0, -1 },
	{ L("Transfer-Encoding: chunked\0"), -1, 400, "bad header value", 0, -1 },
};

static const struct {
	const char	*line;
	size_t		 len;
	int		 status;
	size_t		 after;
} eols[] = {
	{ L("GET / HTTP/1.1\r"),	0, 14 },
	{ L("\r"),			0, 0 },
	{ L("Host: x\r\r"),		0, 8 },	/* the CR left is the header's */
	{ L("GET / HTTP/1.1"),		400, 14 },
	{ L(""),			400, 0 },
	{ L("\r "),			400, 2 },
	{ L("Host: x\r\0"),		400, 9 },
};

/* A writable copy of a row's line, with the NUL readln puts after it. */
static char *
copy(char *buf, size_t cap, const char *line, size_t len)
{
	if (len + 1 > cap)
		return NULL;
	memcpy(buf, line, len);
	buf[len] = '\0';
	return buf;
}

static void
test_reqlines(void)
{
	struct httphead_reqline	rl;
	const char		*why;
	char			 buf[256];
	size_t			 i;
	int			 rc;

	for (i = 0; i < sizeof(reqlines) / sizeof(reqlines[0]); i++) {
		why = NULL;
		copy(buf, sizeof(buf), reqlines[i].line, reqlines[i].len);
		rc = httphead_reqline(buf, reqlines[i].len, &rl, &why);
		CHECK(rc == reqlines[i].status, "row %zu: got %d, want %d",
		    i, rc, reqlines[i].status);
		if (rc == 0 && rc == reqlines[i].status) {
			CHECK_STR(rl.method, reqlines[i].why);
			CHECK_STR(rl.target, reqlines[i].target);
			CHECK_INT(rl.minor, reqlines[i].minor);
		} else if (rc != 0 && why != NULL)
			CHECK_STR(why, reqlines[i].why);
	}
}

static void
test_headers(void)
{
	struct httphead_field	f;
	const char		*why;
	char			 buf[256];
	long long		 length;
	size_t			 i;
	int			 rc;

	for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
		why = NULL;
		length = headers[i].before;
		copy(buf, sizeof(buf), headers[i].line, headers[i].len);
		rc = httphead_header(buf, headers[i].len, &length, &f, &why);
		CHECK(rc == headers[i].status, "row %zu (%s): got %d, want %d",
		    i, headers[i].line, rc, headers[i].status);
		CHECK(length == headers[i].after, "row %zu: length %lld, "
		    "want %lld", i, length, headers[i].after);
		if (rc == 0 && rc == headers[i].status) {
			CHECK_STR(f.name, headers[i].why);
			CHECK_STR(f.value, headers[i].value);
		} else if (rc != 0 && why != NULL)
			CHECK_STR(why, headers[i].why);
	}
}

static void
test_eols(void)
{
	const char	*why;
	char		 buf[64];
	size_t		 i, n;
	int		 rc;

	for (i = 0; i < sizeof(eols) / sizeof(eols[0]); i++) {
		n = eols[i].len;
		copy(buf, sizeof(buf), eols[i].line, n);
		rc = httphead_eol(buf, &n, &why);
		CHECK(rc == eols[i].status, "row %zu: got %d", i, rc);
		CHECK(n == eols[i].after, "row %zu: len %zu", i, n);
		if (rc == 0)
			CHECK(buf[n] == '\0', "row %zu: CR not cut", i);
		else
			CHECK_STR(why, "bare LF line ending");
	}
}

/* An unknown method is still named when the version is refused. */
static void
test_method_first(void)
{
	struct httphead_reqline	rl;
	const char		*why;
	char			 buf[] = "BREW / HTTP/2.0", bad[] = "GET  / HTTP/2.0";

	CHECK_INT(httphead_reqline(buf, strlen(buf), &rl, &why), 505);
	CHECK(rl.method != NULL && strcmp(rl.method, "BREW") == 0,
	    "method not set on a 505");
	CHECK_INT(httphead_reqline(bad, strlen(bad), &rl, &why), 400);
	CHECK(rl.method == NULL, "method set on a bad line");
}

/* A whole line of 8 KiB, and one of tchars only. */
static void
test_long(void)
{
	static char		 line[8192];
	struct httphead_field	 f;
	const char		*why;
	long long		 length = -1;

	memset(line, 'a', sizeof(line) - 1);
	line[100] = ':';
	CHECK_INT(httphead_header(line, sizeof(line) - 1, &length, &f, &why), 0);
	CHECK_INT(strlen(f.value), sizeof(line) - 1 - 101);
	memset(line, 'a', sizeof(line) - 1);
	CHECK_INT(httphead_header(line, sizeof(line) - 1, &length, &f, &why),
	    400);
}

int
main(void)
{
	test_reqlines();
	test_headers();
	test_eols();
	test_method_first();
	test_long();
	return check_report("httphead");
}
