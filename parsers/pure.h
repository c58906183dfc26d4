/*
 * Forced into every parsers/ file by the Makefile (-include): parsers are
 * pure, with no event loop and no database, so the names those headers
 * declare are poisoned here: including <sqlite3.h> or <event2/...> from a
 * parser, directly or through another header, is a compile error, not a
 * convention. PCRE2 and utf8proc are fine. Sockets cannot be poisoned so:
 * config.c's inet_pton needs <arpa/inet.h>, which declares them; the
 * layering check (tests/layering.sh) refuses a socket call in parsers/.
 */
#ifndef PARSERS_PURE_H
#define PARSERS_PURE_H

#pragma GCC poison sqlite3 sqlite3_stmt sqlite3_open sqlite3_exec
#pragma GCC poison event_base evbuffer bufferevent evhttp evconnlistener

#endif
