/*
 * The admin API's door (CONTRACT.md "Admin API"): libevent's HTTP server
 * on the daemon's own loop, JSON in and out. One row per method and path
 * in `routes`; the dispatcher checks the path, the method, the token and
 * the body before a handler runs, so handlers (one file per resource:
 * cases.c, messages.c, contacts.c, broadcasts.c, report.c, metrics.c,
 * procedures.c) see only authorised, well-formed requests and check their
 * fields. A write runs in one store transaction (a batch holding one
 * savepoint): the case, its history and the texts it queues commit
 * together, or nothing is kept and the answer is an error.
 *
 * A failed bind (the port taken, an old process still exiting) does not
 * stop the daemon: citizens' messages matter more than the staff door,
 * which is retried every few seconds and logged.
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#include "admin_body.h"
#include "log.h"
#include "office/office.h"
#include "admin/admin.h"
#include "admin/admin_int.h"
#include "text.h"

#define ADMIN_BODY_HARD		(1024 * 1024)	/* larger: libevent's own 413 */
#define ADMIN_HEADERS_MAX	(8 * 1024)
#define ADMIN_TIMEOUT_S		10
#define ADMIN_RETRY_S		5

#define ADMIN_AUTH	0x01	/* needs the bearer token */
#define ADMIN_BODY	0x02	/* takes a JSON object */

_Static_assert(ADMIN_TEXT_MAX == TEXT_MAX - 1, "a text is at most TEXT_MAX");

struct admin {
	struct office			*of;
	struct evhttp			*http;
	struct evhttp_bound_socket	*sock;
	struct event			*retry;
	char				 host[64];
	int				 port;
};

struct admin_route {
	enum evhttp_cmd_type	 method;
	const char		*path;
	int			 flags;
	int			(*run)(struct admin_req *);
};

struct admin_span {
	const char	*p;
	size_t		 n;
};

static const struct admin_route routes[] = {
	{ EVHTTP_REQ_GET, "/health", 0, admin_health },
	{ EVHTTP_REQ_GET, "/metrics", 0, admin_metrics },
	{ EVHTTP_REQ_GET, "/procedures", ADMIN_AUTH, admin_procedures },
	{ EVHTTP_REQ_GET, "/cases", ADMIN_AUTH, admin_case_list },
	{ EVHTTP_REQ_POST, "/cases", ADMIN_AUTH | ADMIN_BODY, admin_case_create },
	{ EVHTTP_REQ_GET, "/cases/due", ADMIN_AUTH, admin_case_due },
	{ EVHTTP_REQ_GET, "/cases/*", ADMIN_AUTH, admin_case_get },
	{ EVHTTP_REQ_PATCH, "/cases/*", ADMIN_AUTH | ADMIN_BODY,
	    admin_case_patch },
	{ EVHTTP_REQ_POST, "/messages", ADMIN_AUTH | ADMIN_BODY,
	    admin_message_send },
	{ EVHTTP_REQ_POST, "/contacts", ADMIN_AUTH | ADMIN_BODY,
	    admin_contact_put },
	{ EVHTTP_REQ_POST, "/contacts/import", ADMIN_AUTH | ADMIN_BODY,
	    admin_contact_import },
	{ EVHTTP_REQ_GET, "/contacts/*", ADMIN_AUTH, admin_contact_get },
	{ EVHTTP_REQ_GET, "/groups/*", ADMIN_AUTH, admin_group_get },
	{ EVHTTP_REQ_GET, "/report", ADMIN_AUTH, admin_report },
	{ EVHTTP_REQ_GET, "/broadcasts", ADMIN_AUTH, admin_broadcast_list },
	{ EVHTTP_REQ_POST, "/broadcasts", ADMIN_AUTH | ADMIN_BODY,
	    admin_broadcast_create },
	{ EVHTTP_REQ_GET, "/broadcasts/*", ADMIN_AUTH, admin_broadcast_get },
	{ EVHTTP_REQ_POST, "/broadcasts/*/cancel", ADMIN_AUTH,
	    admin_broadcast_cancel },
};
#define NROUTES	(sizeof(routes) / sizeof(routes[0]))

static const struct {
	enum evhttp_cmd_type	 cmd;
	const char		*name;
} methods[] = {
	{ EVHTTP_REQ_GET, "GET" }, { EVHTTP_REQ_POST, "POST" },
	{ EVHTTP_REQ_HEAD, "HEAD" }, { EVHTTP_REQ_PUT, "PUT" },
	{ EVHTTP_REQ_DELETE, "DELETE" }, { EVHTTP_REQ_OPTIONS, "OPTIONS" },
	{ EVHTTP_REQ_TRACE, "TRACE" }, { EVHTTP_REQ_CONNECT, "CONNECT" },
	{ EVHTTP_REQ_PATCH, "PATCH" },
};

static const char *
admin_method_name(enum evhttp_cmd_type cmd)
{
	size_t	i;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (methods[i].cmd == cmd)
			return methods[i].name;
	return "?";
}

static const char *
admin_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 501: return "Not Implemented";
	default: return "Internal Server Error";
	}
}

/* ---- answers ---- */

int
admin_send(struct admin_req *r, int status, const char *type,
    struct evbuffer *buf)
{
	evhttp_add_header(evhttp_request_get_output_headers(r->req),
	    "Content-Type", type);
	evhttp_send_reply(r->req, status, admin_reason(status), buf);
	evbuffer_free(buf);
	return status;
}

/* Sends obj (consumed) as the answer; returns status. */
int
admin_reply(struct admin_req *r, int status, json_t *obj)
{
	struct evbuffer	*buf;
	char		*text;

	if (obj == NULL) {	/* a JSON value could not be built */
		status = 500;
		obj = json_pack("{s:s}", "error", "cannot build the answer");
	}
	if ((text = json_dumps(obj, JSON_COMPACT)) == NULL ||
	    (buf = evbuffer_new()) == NULL)
		fatalx("admin: out of memory");
	json_decref(obj);
	evbuffer_add_printf(buf, "%s\n", text);
	free(text);
	return admin_send(r, status, "application/json; charset=utf-8", buf);
}

int
admin_error(struct admin_req *r, int status, const char *msg)
{
	json_t	*o = json_pack("{s:s}", "error", msg);

	/* msg may quote a client's bytes that are not UTF-8 */
	if (o == NULL)
		o = json_pack("{s:s}", "error", admin_reason(status));
	return admin_reply(r, status, o);
}

int
admin_fail(struct admin_req *r)
{
	return admin_error(r, 500, "store failure: nothing was changed");
}

/* Records why a request is bad; the handler answers 400 with it. */
int __attribute__((format(printf, 2, 3)))
admin_why(struct admin_req *r, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
	return -1;
}

int
admin_bad(struct admin_req *r)
{
	return admin_error(r, 400, r->why);
}

/* ---- transactions ---- */

/* A request's writes: one transaction (office_write_begin says how). */
int
admin_begin(struct admin_req *r)
{
	int	own = office_write_begin(r->of);

	if (own == -1)
		return -1;
	r->own_batch = own;
	return 0;
}

/* Keeps or drops the request's writes and commits (the commit hook sends
 * what it queued). */
int
admin_end(struct admin_req *r, int keep)
{
	return office_write_end(r->of, r->own_batch, keep);
}

/* ---- query strings ---- */

/* The query string's parameters, each one of known; NULL after a 400. */
struct evkeyvalq *
admin_query(struct admin_req *r, struct evkeyvalq *q, const char *const *known)
{
	const char	*qs = evhttp_uri_get_query(
			    evhttp_request_get_evhttp_uri(r->req));
	/* (the URI exists: admin_on_request checked it) */
	struct evkeyval	*kv;
	size_t		 i;

	TAILQ_INIT(q);
	if (qs && evhttp_parse_query_str(qs, q) == -1) {
		admin_why(r, "bad query string");
		return NULL;
	}
	TAILQ_FOREACH(kv, q, next) {
		for (i = 0; known[i] && strcmp(known[i], kv->key) != 0; i++)
			;
		if (known[i] == NULL) {
			admin_why(r, "unknown parameter \"%s\"", kv->key);
			evhttp_clear_headers(q);
			return NULL;
		}
	}
	return q;
}

/* ---- dispatch ---- */

/* 1 when path fits pattern ('*' is one non-empty segment), spans set. */
static int
admin_match(const char *pattern, const char *path, struct admin_span *caps)
{
	size_t	pn, sn, ncap = 0;

	while (*pattern == '/' && *path == '/') {
		pattern++;
		path++;
		pn = strcspn(pattern, "/");
		sn = strcspn(path, "/");
		if (pn == 1 && *pattern == '*') {
			if (sn == 0 || ncap == ADMIN_ARGS)
				return 0;
			caps[ncap++] = (struct admin_span){ path, sn };
		} else if (pn != sn || strncmp(pattern, path, pn) != 0)
			return 0;
		pattern += pn;
		path += sn;
	}
	return *pattern == '\0' && *path == '\0';
}

/* 0 with *rt the route for this request, else the status answered. */
static int
admin_route(struct admin_req *r, const char *path, struct admin_span *caps,
    const struct admin_route **rt)
{
	enum evhttp_cmd_type	 cmd = evhttp_request_get_command(r->req);
	char			 allow[64] = "";
	size_t			 i, n = 0;

	for (i = 0; i < NROUTES; i++) {
		if (!admin_match(routes[i].path, path, caps))
			continue;
		if (routes[i].method == cmd) {
			*rt = &routes[i];
			return 0;
		}
		n += snprintf(allow + n, sizeof(allow) - n, "%s%s",
		    n ? ", " : "", admin_method_name(routes[i].method));
	}
	if (n == 0)
		return admin_error(r, 404, "no such path");
	evhttp_add_header(evhttp_request_get_output_headers(r->req), "Allow",
	    allow);
	return admin_error(r, 405, "method not allowed here");
}

/* Compares all of want whatever got holds: no early exit. */
static int
admin_token_eq(const char *want, const char *got)
{
	size_t		wl = strlen(want), gl = strlen(got), i;
	unsigned	diff = wl != gl;

	for (i = 0; i < wl; i++)
		diff |= (unsigned char)want[i] ^
		    (unsigned char)(i < gl ? got[i] : 0);
	return diff == 0;
}

/* 0 when the request may go on, else the status answered. */
static int
admin_auth(struct admin_req *r)
{
	const char	*want = office_config(r->of)->admin_token, *got;

	if (want[0] == '\0')
		return admin_error(r, 403, "no admin token is configured: only "
		    "/health and /metrics answer");
	got = evhttp_find_header(evhttp_request_get_input_headers(r->req),
	    "Authorization");
	if (got == NULL || strncasecmp(got, "Bearer ", 7) != 0) {
		evhttp_add_header(evhttp_request_get_output_headers(r->req),
		    "WWW-Authenticate", "Bearer");
		return admin_error(r, 401, "missing bearer token");
	}
	for (got += 7; *got == ' '; got++)
		;
	if (!admin_token_eq(want, got))
		return admin_error(r, 401, "wrong token");
	return 0;
}

/* 0 with r->body the JSON object sent, else the status answered. */
static int
admin_body(struct admin_req *r)
{
	struct evbuffer	*in = evhttp_request_get_input_buffer(r->req);
	size_t		 len = evbuffer_get_length(in);

	switch (admin_body_load(len ? evbuffer_pullup(in, -1) : NULL, len,
	    &r->body, r->why, sizeof(r->why))) {
	case 0:
		return 0;
	case ADMIN_BODY_TOO_LARGE:
		return admin_error(r, 413, r->why);
	default:
		return admin_bad(r);
	}
}

/* Who made a change: X-Actor if given (printable, short), else "api". */
static int
admin_actor(struct admin_req *r)
{
	const char	*a = evhttp_find_header(
			    evhttp_request_get_input_headers(r->req), "X-Actor");
	const char	*p;

	r->actor = "api";
	if (a == NULL)
		return 0;
	for (p = a; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '"' ||
		    *p == '\\')
			break;
	if (*p || a[0] == '\0' || strlen(a) > 63 || !admin_utf8_ok(a))
		return admin_error(r, 400, "X-Actor: 1 to 63 bytes of UTF-8, "
		    "no control characters, quotes or backslashes");
	r->actor = a;
	return 0;
}

/* Decodes the captured segments into r->args; -1 on a bad escape. */
static int
admin_args(struct admin_req *r, const struct admin_span *caps, size_t n)
{
	char	*raw;
	size_t	 i, len;

	for (i = 0; i < n && caps[i].p; i++) {
		if ((raw = strndup(caps[i].p, caps[i].n)) == NULL)
			fatal("strndup");
		r->args[i] = evhttp_uridecode(raw, 0, &len);
		free(raw);
		if (r->args[i] == NULL || strlen(r->args[i]) != len)
			return -1;
	}
	return 0;
}

static int
admin_handle(struct admin_req *r, const char *path)
{
	struct admin_span		 caps[ADMIN_ARGS];
	const struct admin_route	*rt = NULL;
	int				 rc;

	memset(caps, 0, sizeof(caps));
	if ((rc = admin_route(r, path, caps, &rt)) != 0)
		return rc;
	if (admin_args(r, caps, ADMIN_ARGS) == -1)
		return admin_error(r, 400, "bad escape in the path");
	if ((rt->flags & ADMIN_AUTH) && (rc = admin_auth(r)) != 0)
		return rc;
	if ((rt->flags & ADMIN_BODY) && (rc = admin_body(r)) != 0)
		return rc;
	if ((rc = admin_actor(r)) != 0)
		return rc;
	return rt->run(r);
}

static void
admin_on_request(struct evhttp_request *req, void *arg)
{
	struct admin		*a = arg;
	struct admin_req	 r;
	const char		*path, *method;
	char			 logpath[128], peer[64], *addr = NULL;
	ev_uint16_t		 port = 0;
	int			 status, i;

	memset(&r, 0, sizeof(r));
	r.of = a->of;
	r.req = req;
	path = evhttp_request_get_evhttp_uri(req) ? evhttp_uri_get_path(
	    evhttp_request_get_evhttp_uri(req)) : NULL;
	if (path == NULL || path[0] != '/')
		path = "";
	/* Copied now: answering may hand the request back to libevent. */
	snprintf(logpath, sizeof(logpath), "%s", path);
	evhttp_connection_get_peer(evhttp_request_get_connection(req), &addr,
	    &port);
	snprintf(peer, sizeof(peer), "%s", addr ? addr : "?");
	method = admin_method_name(evhttp_request_get_command(req));
	status = admin_handle(&r, path);
	log_info("admin method=%s path=%s status=%d peer=%s", method, logpath,
	    status, peer);
	for (i = 0; i < ADMIN_ARGS; i++)
		free(r.args[i]);
	json_decref(r.body);
}

static int
admin_bind(struct admin *a)
{
	struct sockaddr_storage	ss;
	socklen_t		sl = sizeof(ss);
	int			port = a->port;

	a->sock = evhttp_bind_socket_with_handle(a->http, a->host,
	    (ev_uint16_t)a->port);
	if (a->sock == NULL)
		return -1;
	if (getsockname(evhttp_bound_socket_get_fd(a->sock),
	    (struct sockaddr *)&ss, &sl) == 0)
		port = ntohs(ss.ss_family == AF_INET6 ?
		    ((struct sockaddr_in6 *)&ss)->sin6_port :
		    ((struct sockaddr_in *)&ss)->sin_port);
	log_info("admin listening on %s:%d", a->host, port);
	return 0;
}

static void
admin_on_retry(evutil_socket_t fd, short ev, void *arg)
{
	struct admin	*a = arg;

	(void)fd; (void)ev;
	if (admin_bind(a) == 0)
		event_del(a->retry);
}

struct admin *
admin_start(struct office *of, char *err, size_t errlen)
{
	struct timeval	 retry = { ADMIN_RETRY_S, 0 };
	struct admin	*a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		fatal("calloc");
	a->of = of;
	/* Parsed and checked by config.c: what -t accepted binds here, and
	 * a port taken is retried, so nothing is left to refuse (err stays
	 * in the signature for motcuad.c). */
	(void)err;
	(void)errlen;
	snprintf(a->host, sizeof(a->host), "%s", office_config(of)->admin_host);
	a->port = office_config(of)->admin_port;
	if ((a->http = evhttp_new(office_base(of))) == NULL ||
	    (a->retry = event_new(office_base(of), -1, EV_PERSIST, admin_on_retry,
	    a)) == NULL)
		fatalx("admin: out of memory");
	evhttp_set_max_body_size(a->http, ADMIN_BODY_HARD);
	evhttp_set_max_headers_size(a->http, ADMIN_HEADERS_MAX);
	evhttp_set_timeout(a->http, ADMIN_TIMEOUT_S);
	evhttp_set_flags(a->http, EVHTTP_SERVER_LINGERING_CLOSE);
	evhttp_set_allowed_methods(a->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
	    EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
	    EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH);
	evhttp_set_gencb(a->http, admin_on_request, a);
	if (office_config(of)->admin_token[0] == '\0')
		log_info("admin: no token configured: only /health and /metrics "
		    "answer");
	if (admin_bind(a) == -1) {
		log_warn("admin: cannot listen on %s:%d, retrying every %d s",
		    a->host, a->port, ADMIN_RETRY_S);
		event_add(a->retry, &retry);
	}
	return a;
}

void
admin_stop(struct admin *a)
{
	if (a == NULL)
		return;
	event_free(a->retry);
	evhttp_free(a->http);
	free(a);
}
