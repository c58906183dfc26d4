/*
 * cookie: one value out of a request's Cookie header (RFC 6265 section
 * 4.2.1's cookie-string, strictly: pairs of a token name, '=' and a value
 * of cookie-octets, optionally in double quotes, joined by ';' and
 * spaces). Pure: it writes into the caller's buffer.
 *
 * cookie_find returns 1 with the value of the cookie called name in out
 * (NUL-terminated), 0 when the header has none, or -1 with *errstr a
 * short static reason: a malformed header, a value longer than cap - 1,
 * or the name given twice (which copy is meant cannot be told, so
 * neither is taken).
 */
#ifndef COOKIE_H
#define COOKIE_H

#include <stddef.h>

int	cookie_find(const char *header, const char *name, char *out,
	    size_t cap, const char **errstr);

#endif
