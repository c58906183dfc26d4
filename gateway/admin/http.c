/*
 * The admin API's door (CONTRACT.md "Admin API"): libevent's HTTP server
 * on the daemon's own loop, JSON in and out. One row per method and path
 * in `routes`; the dispatcher checks the path, the method, the token and
 * the body before a handler runs, so handlers (one file per resource:
 * cases.c, messages.c, contacts.c, broadcasts.c, report.c, metrics.c,
 * procedures.c, session.c, users.c, audit.c) see only authorised,
 * well-formed requests and check their fields. Authorised: the bearer
 * token (role admin), or a staff member's session cookie with, for
 * anything but GET and HEAD, its CSRF token (session.c); and the role the
 * route's flags ask for. Every write answered 2xx gets an audit row
 * (audit.c). A write runs in one store transaction (a batch holding one
 * savepoint): the case, its history and the texts it queues commit
 * together, or nothing is kept and the answer is an error.
 *
 * conn.c reads the requests (libevent's evhttp server cannot show a
 * handler the headers before it has read the body): admin_head checks
 * the method, the path, the token and the body's announced length as
 * soon as the headers are in, so a refused request costs no body; then
 * admin_dispatch reads the JSON and runs the handler. HEAD runs GET's
 * handler and sends its answer without the body.
 *
 * A failed bind (the port taken, an old process still exiting) does not
 * stop the daemon: citizens' messages matter more than the staff door,
 * which is retried every few seconds and logged.
 */
#include <sys/queue.h>
#include <sys/resource.h>

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
#include "clock.h"
#include "log.h"
#include "office/office.h"
#include "admin/admin.h"
#include "admin/admin_int.h"
#include "text.h"

#define ADMIN_RETRY_S		5
/* Connections: at most ADMIN_CONNS_MAX, and never more than the open
 * files limit leaves after ADMIN_FD_RESERVE (stdio, the log, syslog, the
 * database, its WAL and index, the loop's own, the listener, a tool's
 * backup) and ADMIN_FD_PER_LINK for each SMPP link (its socket, and one
 * more while it reconnects). */
#define ADMIN_CONNS_MAX		256
#define ADMIN_CONNS_MIN		4
#define ADMIN_FD_RESERVE	64
#define ADMIN_FD_PER_LINK	4

#define ADMIN_AUTH	0x01	/* needs someone: the token or a session */
#define ADMIN_BODY	0x02	/* takes a JSON object */
#define ADMIN_RAW	0x04	/* takes a text/csv body, up to ADMIN_RAW_MAX */
#define ADMIN_HEAD	0x08	/* and the role head (or admin) */
#define ADMIN_ADMIN	0x10	/* and the role admin */

_Static_assert(ADMIN_TEXT_MAX == TEXT_MAX - 1, "a text is at most TEXT_MAX");

struct admin {
	struct office		*of;
	struct admin_conns	*conns;
	struct event		*retry;
	char			 host[64];
	int			 port;
	int			 bound;		/* listening */
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
	/* the console's read side: start page, previews, slip, inbox */
	{ EVHTTP_REQ_GET, "/today", ADMIN_AUTH, admin_today },
	{ EVHTTP_REQ_POST, "/preview", ADMIN_AUTH | ADMIN_BODY, admin_preview },
	{ EVHTTP_REQ_GET, "/cases/*/slip", ADMIN_AUTH, admin_case_slip },
	{ EVHTTP_REQ_GET, "/inbox", ADMIN_AUTH, admin_inbox_list },
	{ EVHTTP_REQ_GET, "/inbox/*", ADMIN_AUTH, admin_inbox_get },
	{ EVHTTP_REQ_POST, "/inbox/*/reply", ADMIN_AUTH | ADMIN_BODY,
	    admin_inbox_reply },
	{ EVHTTP_REQ_POST, "/inbox/*/done", ADMIN_AUTH, admin_inbox_done },
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
	{ EVHTTP_REQ_GET, "/report", ADMIN_AUTH | ADMIN_HEAD, admin_report },
	{ EVHTTP_REQ_GET, "/broadcasts", ADMIN_AUTH, admin_broadcast_list },
	{ EVHTTP_REQ_POST, "/broadcasts", ADMIN_AUTH | ADMIN_HEAD | ADMIN_BODY,
	    admin_broadcast_create },
	{ EVHTTP_REQ_GET, "/broadcasts/*", ADMIN_AUTH, admin_broadcast_get },
	{ EVHTTP_REQ_POST, "/broadcasts/*/cancel", ADMIN_AUTH | ADMIN_HEAD,
	    admin_broadcast_cancel },
	/* backups (issue 15) */
	{ EVHTTP_REQ_POST, "/backups", ADMIN_AUTH | ADMIN_ADMIN | ADMIN_BODY,
	    admin_backup_create },
	{ EVHTTP_REQ_GET, "/backups", ADMIN_AUTH | ADMIN_ADMIN,
	    admin_backup_get },
	/* one number's data: shown, erased (issue 15) */
	{ EVHTTP_REQ_GET, "/privacy/*", ADMIN_AUTH | ADMIN_HEAD,
	    admin_privacy_export },
	{ EVHTTP_REQ_POST, "/privacy/*/erase", ADMIN_AUTH | ADMIN_HEAD,
	    admin_privacy_erase },
	/* what a restore held back: the head decides */
	{ EVHTTP_REQ_GET, "/messages/held", ADMIN_AUTH | ADMIN_HEAD,
	    admin_held_list },
	{ EVHTTP_REQ_POST, "/messages/held/*/release", ADMIN_AUTH | ADMIN_HEAD,
	    admin_held_release },
	{ EVHTTP_REQ_POST, "/messages/held/*/drop", ADMIN_AUTH | ADMIN_HEAD,
	    admin_held_drop },
	/* case imports from the case system's CSV (admin/imports.c) */
	{ EVHTTP_REQ_POST, "/imports", ADMIN_AUTH | ADMIN_RAW,
	    admin_import_create },
	{ EVHTTP_REQ_GET, "/imports/*", ADMIN_AUTH, admin_import_get },
	{ EVHTTP_REQ_POST, "/imports/*/apply", ADMIN_AUTH, admin_import_apply },
	{ EVHTTP_REQ_POST, "/imports/*/discard", ADMIN_AUTH,
	    admin_import_discard },
	/* the staff console's files (ui.c): no auth, the data needs it */
	{ EVHTTP_REQ_GET, "/", 0, admin_ui_index },
	{ EVHTTP_REQ_GET, "/ui/*", 0, admin_ui_file },
	/* accounts: signing in, users, the audit log (session.c, users.c,
	 * audit.c) */
	{ EVHTTP_REQ_POST, "/session", ADMIN_BODY, admin_session_open },
	{ EVHTTP_REQ_GET, "/session", ADMIN_AUTH, admin_session_get },
	{ EVHTTP_REQ_DELETE, "/session", ADMIN_AUTH, admin_session_close },
	{ EVHTTP_REQ_POST, "/users", ADMIN_AUTH | ADMIN_ADMIN | ADMIN_BODY,
	    admin_user_add },
	{ EVHTTP_REQ_GET, "/users", ADMIN_AUTH | ADMIN_ADMIN, admin_user_list },
	{ EVHTTP_REQ_GET, "/audit", ADMIN_AUTH | ADMIN_HEAD, admin_audit_list },
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

/* A request line's method (case-sensitive, as HTTP says); -1 if unknown. */
int
admin_method_parse(const char *s, enum evhttp_cmd_type *cmd, const char **name)
{
	size_t	i;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strcmp(methods[i].name, s) == 0) {
			*cmd = methods[i].cmd;
			*name = methods[i].name;
			return 0;
		}
	return -1;
}

static const char *
admin_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 411: return "Length Required";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Internal Server Error";
	}
}

/* ---- answers ---- */

int
admin_send(struct admin_req *r, int status, const char *type,
    struct evbuffer *buf)
{
	evhttp_add_header(&r->out, "Content-Type", type);
	if (r->status == 0)	/* (a second answer is dropped) */
		admin_audit_record(r, status);
	admin_conn_answer(r, status, admin_reason(status), buf);
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
	const char	*qs = evhttp_uri_get_query(r->uri);
	/* (the URI exists: conn.c parsed it) */
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
	enum evhttp_cmd_type	 cmd = r->method == EVHTTP_REQ_HEAD ?
				    EVHTTP_REQ_GET : r->method;
	char			 allow[64] = "";
	size_t			 i, n = 0;

	for (i = 0; i < NROUTES; i++) {
		if (!admin_match(routes[i].path, path, caps))
			continue;
		if (routes[i].method == cmd) {
			*rt = &routes[i];
			return 0;
		}
		n += snprintf(allow + n, sizeof(allow) - n, "%s%s%s",
		    n ? ", " : "", admin_method_name(routes[i].method),
		    routes[i].method == EVHTTP_REQ_GET ? ", HEAD" : "");
	}
	if (n == 0)
		return admin_error(r, 404, "no such path");
	evhttp_add_header(&r->out, "Allow", allow);
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

/* The bearer token: 0 when the request may go on (as role admin), else
 * the status answered. */
static int
admin_auth_token(struct admin_req *r)
{
	const char	*want = office_config(r->of)->admin_token, *got;

	if (want[0] == '\0')
		return admin_error(r, 403, "no admin token is configured: only "
		    "/health and /metrics answer");
	got = evhttp_find_header(&r->in, "Authorization");
	if (got == NULL || strncasecmp(got, "Bearer ", 7) != 0) {
		evhttp_add_header(&r->out, "WWW-Authenticate", "Bearer");
		return admin_error(r, 401, "missing bearer token");
	}
	for (got += 7; *got == ' '; got++)
		;
	if (!admin_token_eq(want, got))
		return admin_error(r, 401, "wrong token");
	r->role = OFFICE_ROLE_ADMIN;
	return 0;
}

/* Someone, with the role the route needs: 0, else the status answered. */
static int
admin_auth(struct admin_req *r, int flags)
{
	int	rc, need = (flags & ADMIN_ADMIN) ? OFFICE_ROLE_ADMIN :
		    (flags & ADMIN_HEAD) ? OFFICE_ROLE_HEAD : OFFICE_ROLE_CLERK;

	if ((rc = admin_session_auth(r)) == 1)
		rc = admin_auth_token(r);
	if (rc != 0)
		return rc;
	if (r->role < need) {
		snprintf(r->why, sizeof(r->why), "this needs the %s role",
		    admin_role_name(need));
		return admin_error(r, 403, r->why);
	}
	return 0;
}

/* 0 with r->body the JSON object sent, else the status answered. */
static int
admin_body(struct admin_req *r)
{
	struct evbuffer	*in = r->input;
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
	const char	*a = evhttp_find_header(&r->in, "X-Actor");
	const char	*p;

	if (r->session)		/* a staff member: the session's name */
		return 0;
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

/* An upload: CSV, at most 16 MiB, and a free slot (ADMIN_UPLOADS_MAX are
 * read at once; another is told to come back). 0 or the status sent. */
static int
admin_head_raw(struct admin_req *r)
{
	const char	*type = evhttp_find_header(&r->in, "Content-Type");

	if (type == NULL || strncasecmp(type, "text/csv", 8) != 0 ||
	    (type[8] != '\0' && type[8] != ';' && type[8] != ' '))
		return admin_error(r, 415, "send the file as Content-Type: "
		    "text/csv");
	if (r->length > ADMIN_RAW_MAX)
		return admin_error(r, 413, "file larger than 16 MiB: split it");
	if (admin_conn_upload(r) == -1) {
		evhttp_add_header(&r->out, "Retry-After", "5");
		return admin_error(r, 503, "two uploads are being read: try "
		    "again in a few seconds");
	}
	return 0;
}

/*
 * The headers are in, the body is not read: 0 when it may be, else the
 * status answered. The route, the token and the body's length are
 * checked here, so a stranger's body is never read.
 */
int
admin_head(struct admin_req *r)
{
	struct admin_span		 caps[ADMIN_ARGS];
	const struct admin_route	*rt = NULL;
	int				 rc;

	memset(caps, 0, sizeof(caps));
	if ((rc = admin_route(r, r->path, caps, &rt)) != 0)
		return rc;
	if (admin_args(r, caps, ADMIN_ARGS) == -1)
		return admin_error(r, 400, "bad escape in the path");
	if ((rt->flags & ADMIN_AUTH) && (rc = admin_auth(r, rt->flags)) != 0)
		return rc;
	if (!(rt->flags & (ADMIN_BODY | ADMIN_RAW)) && r->length > 0)
		return admin_error(r, 400, "this path takes no body");
	if ((rt->flags & ADMIN_RAW) && (rc = admin_head_raw(r)) != 0)
		return rc;
	if (!(rt->flags & ADMIN_RAW) && r->length > ADMIN_BODY_MAX)
		return admin_error(r, 413, "request body larger than 64 KiB");
	if ((rc = admin_actor(r)) != 0)
		return rc;
	r->route = rt;
	return 0;
}

int
admin_is_raw(const struct admin_req *r)
{
	return r->route != NULL && (r->route->flags & ADMIN_RAW);
}

/* The body is in (admin_head accepted the request): run it. */
void
admin_dispatch(struct admin_req *r)
{
	const struct admin_route	*rt = r->route;

	if ((rt->flags & ADMIN_BODY) && admin_body(r) != 0)
		return;
	r->now = clock_wall_ms();	/* the request's time, for its handler */
	rt->run(r);
}

static int
admin_bind(struct admin *a)
{
	int	port;

	if (admin_conns_listen(a->conns, a->host, a->port, &port) == -1)
		return -1;
	a->bound = 1;
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

/* ADMIN_CONNS_MAX, or what the open files limit leaves for the door. */
static int
admin_conns_cap(struct office *of)
{
	struct rlimit	rl;
	long long	left;

	if (getrlimit(RLIMIT_NOFILE, &rl) == -1 || rl.rlim_cur == RLIM_INFINITY)
		return ADMIN_CONNS_MAX;
	left = (long long)rl.rlim_cur - ADMIN_FD_RESERVE -
	    ADMIN_FD_PER_LINK * (long long)office_nlinks(of);
	if (left > ADMIN_CONNS_MAX)
		return ADMIN_CONNS_MAX;
	if (left < ADMIN_CONNS_MIN) {
		log_warnx("admin: open files limit %llu leaves no room for the "
		    "admin API: %d connections at most", (unsigned long long)
		    rl.rlim_cur, ADMIN_CONNS_MIN);
		return ADMIN_CONNS_MIN;
	}
	return (int)left;
}

struct admin *
admin_start(struct office *of, char *err, size_t errlen)
{
	struct timeval		 retry = { ADMIN_RETRY_S, 0 };
	struct admin		*a;
	struct ssl_ctx_st	*tls = NULL;
	int			 max;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		fatal("calloc");
	a->of = of;
	/* Parsed and checked by config.c: what -t accepted binds here, and
	 * a port taken is retried; only a certificate that no longer loads
	 * is left to refuse. */
	if (office_config(of)->admin_cert[0] != '\0' &&
	    (tls = admin_tls_new(office_config(of), err, errlen)) == NULL) {
		free(a);
		return NULL;
	}
	snprintf(a->host, sizeof(a->host), "%s", office_config(of)->admin_host);
	a->port = office_config(of)->admin_port;
	if ((a->retry = event_new(office_base(of), -1, EV_PERSIST, admin_on_retry,
	    a)) == NULL)
		fatalx("admin: out of memory");
	max = admin_conns_cap(of);
	a->conns = admin_conns_new(of, office_base(of), max, tls);
	log_info("admin: at most %d connections%s", max,
	    tls != NULL ? ", HTTPS" : "");
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
	admin_conns_free(a->conns);
	free(a);
}
