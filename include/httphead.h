/*
 * httphead: the grammar of an HTTP/1.x request head, as the admin door
 * (gateway/admin/conn.c) reads it a line at a time (RFC 9112, strictly).
 * The door does the I/O and keeps the headers; these functions only judge
 * one line each, in the caller's buffer, which they cut with NULs: a line
 * of len bytes is given in len + 1 (evbuffer_readln's NUL), and may hold
 * NULs of its own.
 *
 * Each returns 0, or the HTTP status the request is refused with (400,
 * 411 or 505) and sets *errstr to a short static reason, which the door
 * sends as it is: so the reasons are the API's words, kept stable.
 *
 * What is refused, and why:
 *  - a line that does not end in CRLF: a bare LF is one of the ways two
 *    readers of one stream disagree on where a request ends;
 *  - a NUL, or any other control character than HTAB in a header value,
 *    anywhere in the head: a C string cut at a NUL would hide the rest;
 *  - a request line other than METHOD SP /target SP HTTP/1.1 or HTTP/1.0,
 *    with a token method and a target of visible bytes;
 *  - folded header lines, a header name that is not a token;
 *  - Transfer-Encoding (411: the door reads only Content-Length bodies),
 *    a Content-Length that is not 1-18 digits, and a second one that says
 *    another length.
 */
#ifndef HTTPHEAD_H
#define HTTPHEAD_H

#include <stddef.h>

/* Digits a Content-Length may have: its value always fits a long long. */
#define HTTPHEAD_LENGTH_DIGITS	18

struct httphead_reqline {
	const char	*method;	/* a token; see httphead_reqline */
	const char	*target;	/* starts with '/' */
	int		 minor;		/* HTTP/1.minor: 0 or 1 */
};

struct httphead_field {
	const char	*name;		/* a token, as sent */
	const char	*value;		/* without spaces around it */
};

/*
 * A line as read up to its LF (line[len - 1] should be the CR): cuts the
 * CR, *len is then the line's length. 400 for a bare LF.
 */
int	httphead_eol(char *line, size_t *len, const char **errstr);

/*
 * The request line, len bytes, CRLF cut. rl->method is set (else NULL)
 * as soon as the line has its three parts and a token method, even when
 * the version or the target is then refused: a caller that answers an
 * unknown method with 501 before a bad version with 505 can still do so.
 */
int	httphead_reqline(char *line, size_t len, struct httphead_reqline *rl,
	    const char **errstr);

/*
 * One header line, len bytes, CRLF cut. *length is the request's
 * Content-Length so far (-1 for none yet): set by a Content-Length
 * header, which must then say the same as any before it.
 */
int	httphead_header(char *line, size_t len, long long *length,
	    struct httphead_field *f, const char **errstr);

/* 1 for a token character (RFC 9110 tchar), else 0. */
int	httphead_tchar(unsigned char ch);

#endif
