/*
 * The admin door's connections (issue 16, items 1 and 2). libevent 2.1's
 * evhttp reads a whole body, up to its limit, before a handler can see a
 * header, and it neither counts connections nor gives a deadline to a
 * client that trickles its headers; so the door reads its requests
 * itself, one request per connection (every answer says Connection:
 * close, so no second request, pipelined or smuggled, is ever parsed):
 *
 *  - at most `max` connections, derived at start from RLIMIT_NOFILE and
 *    the number of links (http.c, admin_start), so that the SMPP links,
 *    the database and the log always find a descriptor. When full, the
 *    oldest connection still sending its headers (or lingering after its
 *    answer) makes room: a client whose headers are not done after the
 *    others' is the likeliest to be a slow one. If none may go, the new
 *    connection is closed.
 *  - a header deadline from the accept, a body deadline from the end of
 *    the headers and a write deadline for the answer: a client that
 *    misses one is cut, not waited for.
 *  - the head's grammar is parsers/httphead.c's (strict: CRLF only, no
 *    NUL or control character, no folding, one Content-Length and no
 *    Transfer-Encoding); conn.c keeps the lines and the headers.
 *  - http.c's admin_head sees the method, the path and the headers before
 *    a byte of the body is read: a refused request is answered at once,
 *    and what the client still sends is read and thrown away for a moment
 *    (so that it reads the answer, not a reset), never kept.
 *  - accept() errors pause the listener for a second, logged once per
 *    pause, as OpenSMTPD's control.c does: the loop never spins on them.
 *
 * Cut connections are counted (/metrics) and summed up in one log line
 * per ADMIN_CUT_LOG_S at most: a slow-client attack writes a few lines,
 * not one a connection. Refused requests past ADMIN_REFUSED_LOG a window
 * are summed up the same way.
 */
#include <sys/queue.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <event2/util.h>
#include <jansson.h>
#include <openssl/ssl.h>

#include "admin_body.h"
#include "httphead.h"
#include "clock.h"
#include "log.h"
#include "admin/admin_int.h"

#define ADMIN_HEAD_S		10	/* accept to the end of the headers */
#define ADMIN_BODY_S		10	/* the headers to the end of the body */
#define ADMIN_WRITE_S		10	/* the answer, written */
#define ADMIN_RUN_S		120	/* a deferred answer, at most */
#define ADMIN_RAW_BODY_S	120	/* an upload's 16 MiB on a slow line */
#define ADMIN_LINGER_S		2	/* reading what follows a refusal */
#define ADMIN_PAUSE_S		1	/* no accept after an accept error */
#define ADMIN_CUT_LOG_S		10
#define ADMIN_REFUSED_LOG	20	/* refusals logged one by one a window */
#define ADMIN_BACKLOG		128
#define ADMIN_LINE_READ		(16 * 1024)	/* read at once while lingering */
#define ADMIN_LINGER_MAX	(64 * 1024)	/* thrown away, then no more read */
#define ADMIN_ACCEPT_BATCH	16	/* accepts a loop turn, then the rest */

enum admin_phase {
	ADMIN_PHASE_HEAD,	/* reading the request line and headers */
	ADMIN_PHASE_BODY,	/* reading a body admin_head accepted */
	ADMIN_PHASE_RUN,	/* the handler answers later (an upload) */
	ADMIN_PHASE_WRITE,	/* the answer is going out */
	ADMIN_PHASE_LINGER,	/* answered; reading to EOF, thrown away */
};

struct admin_conn {
	TAILQ_ENTRY(admin_conn)	 entry;
	struct admin_conns	*cs;
	struct bufferevent	*bev;
	struct event		*timer;	/* the phase's deadline */
	enum admin_phase	 phase;
	size_t			 headlen;	/* header bytes so far */
	int			 lines;		/* request line included */
	int			 eof;		/* the client shut its side */
	size_t			 discarded;	/* read after the answer */
	struct admin_req	 req;
};

struct admin_conns {
	struct event_base	*base;
	SSL_CTX			*tls;		/* NULL: plain HTTP */
	struct office		*of;
	struct evconnlistener	*lev;
	struct event		*resume;	/* ends an accept pause */
	struct event		*next_turn;	/* accepts again next turn */
	int			 accepted;	/* in this loop turn */
	int			 refused;	/* answers >= 400 this window */
	int			 uploads;	/* raw bodies being read, checked */
	struct event		*cutlog;	/* the summary line's window */
	TAILQ_HEAD(, admin_conn) conns;		/* oldest first */
	struct admin_conn_stats	 st, logged;
};

static void	admin_conn_lower(struct admin_conn *);
static void	admin_conn_free(struct admin_conn *);
static void	admin_conn_read(struct bufferevent *, void *);

static void
admin_conn_arm(struct admin_conn *c, enum admin_phase phase, int secs)
{
	struct timeval	tv = { secs, 0 };

	c->phase = phase;
	evtimer_add(c->timer, &tv);
}

/* ---- cut connections: counted, summed up in one line a window ---- */

static void
admin_conns_on_cutlog(evutil_socket_t fd, short ev, void *arg)
{
	struct admin_conns	*cs = arg;
	struct admin_conn_stats	*s = &cs->st, *l = &cs->logged;
	unsigned long long	 cut;

	(void)fd; (void)ev;
	cut = (s->head_late - l->head_late) + (s->body_late - l->body_late) +
	    (s->write_late - l->write_late) + (s->evicted - l->evicted) +
	    (s->full - l->full);
	if (cut > 0)
		log_warnx("admin: cut %llu connections in %d s: "
		    "header_deadline=%llu body_deadline=%llu "
		    "write_deadline=%llu evicted=%llu full=%llu "
		    "(at most %d open)", cut, ADMIN_CUT_LOG_S,
		    s->head_late - l->head_late, s->body_late - l->body_late,
		    s->write_late - l->write_late, s->evicted - l->evicted,
		    s->full - l->full, s->max);
	if (s->unlogged > l->unlogged)
		log_warnx("admin: %llu more refused requests in %d s, not "
		    "logged one by one", s->unlogged - l->unlogged,
		    ADMIN_CUT_LOG_S);
	*l = *s;
	cs->refused = 0;
}

/* Opens the summary line's window, if none is open. */
static void
admin_conns_window(struct admin_conns *cs)
{
	struct timeval	tv = { ADMIN_CUT_LOG_S, 0 };

	if (!evtimer_pending(cs->cutlog, NULL))
		evtimer_add(cs->cutlog, &tv);
}

static void
admin_conns_cut(struct admin_conns *cs, unsigned long long *counter)
{
	(*counter)++;
	admin_conns_window(cs);
}

/* Whether an answer gets its own log line: every success, and the first
 * ADMIN_REFUSED_LOG refusals a window; a flood of bad requests is summed
 * up in one line, so that it cannot fill the disk with the log. */
static int
admin_conns_log_quota(struct admin_conns *cs, int status)
{
	if (status < 400)
		return 1;
	admin_conns_window(cs);
	if (cs->refused < ADMIN_REFUSED_LOG) {
		cs->refused++;
		return 1;
	}
	cs->st.unlogged++;
	return 0;
}

/* ---- the answer ---- */

static void
admin_conn_date(struct evbuffer *out)
{
	time_t		t = (time_t)(clock_wall_ms() / 1000);
	struct tm	tm;
	char		date[64];

	if (gmtime_r(&t, &tm) != NULL &&
	    strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm) > 0)
		evbuffer_add_printf(out, "Date: %s\r\n", date);
}

/* Writes the one answer of r's connection (body kept by the caller). */
void
admin_conn_answer(struct admin_req *r, int status, const char *reason,
    struct evbuffer *body)
{
	struct admin_conn	*c = r->conn;
	struct evbuffer		*out = bufferevent_get_output(c->bev);
	struct evkeyval		*kv;

	if (c->phase >= ADMIN_PHASE_WRITE) {
		log_warnx("admin: a second answer to one request (%d) dropped",
		    status);
		return;
	}
	r->status = status;
	evbuffer_add_printf(out, "HTTP/1.1 %d %s\r\n", status, reason);
	TAILQ_FOREACH(kv, &r->out, next)
		evbuffer_add_printf(out, "%s: %s\r\n", kv->key, kv->value);
	admin_conn_date(out);
	evbuffer_add_printf(out, "Content-Length: %zu\r\nConnection: close\r\n"
	    "\r\n", evbuffer_get_length(body));
	if (!r->head_only)
		evbuffer_add_buffer(out, body);
	if (admin_conns_log_quota(c->cs, status))
		log_info("admin method=%s path=%s status=%d peer=%s",
		    r->method_name, r->logpath, status, r->peer);
	admin_conn_arm(c, ADMIN_PHASE_WRITE, ADMIN_WRITE_S);
	bufferevent_setwatermark(c->bev, EV_READ, 0, ADMIN_LINE_READ);
	bufferevent_enable(c->bev, EV_WRITE);
}

/* ---- reading a request ---- */

static void
admin_conn_run(struct admin_conn *c)
{
	admin_dispatch(&c->req);
	if (c->phase < ADMIN_PHASE_WRITE && c->req.deferred)
		admin_conn_arm(c, ADMIN_PHASE_RUN, ADMIN_RUN_S);
	else if (c->phase < ADMIN_PHASE_WRITE)	/* a handler that did not answer */
		admin_error(&c->req, 500, "no answer");
}

/* One of the ADMIN_UPLOADS_MAX upload slots, held until the connection
 * ends (its file is checked meanwhile); 0, or -1 when none is free. */
int
admin_conn_upload(struct admin_req *r)
{
	struct admin_conns	*cs = r->conn->cs;

	if (cs->uploads >= ADMIN_UPLOADS_MAX)
		return -1;
	cs->uploads++;
	r->upload = 1;
	return 0;
}

/* The request line (httphead_reqline); 0 or answered. */
static int
admin_conn_reqline(struct admin_conn *c, char *line, size_t n)
{
	struct admin_req	*r = &c->req;
	struct httphead_reqline	 rl;
	const char		*why, *path;
	int			 rc;

	rc = httphead_reqline(line, n, &rl, &why);
	if (rl.method != NULL &&	/* an unknown method says so first */
	    admin_method_parse(rl.method, &r->method, &r->method_name) == -1)
		return admin_error(r, 501, "method not implemented");
	if (rc != 0)
		return admin_error(r, rc, why);
	r->head_only = r->method == EVHTTP_REQ_HEAD;
	if ((r->uri = evhttp_uri_parse_with_flags(rl.target,
	    EVHTTP_URI_NONCONFORMANT)) == NULL)
		return admin_error(r, 400, "bad request target");
	path = evhttp_uri_get_path(r->uri);
	r->path = path && path[0] == '/' ? path : "";
	snprintf(r->logpath, sizeof(r->logpath), "%s", r->path);
	return 0;
}

/* One header line (httphead_header), kept in r->in; 0 or answered. */
static int
admin_conn_header(struct admin_conn *c, char *line, size_t n)
{
	struct admin_req	*r = &c->req;
	struct httphead_field	 f;
	const char		*why;
	int			 rc;

	if ((rc = httphead_header(line, n, &r->length, &f, &why)) != 0)
		return admin_error(r, rc, why);
	if (evhttp_add_header(&r->in, f.name, f.value) == -1)
		return admin_error(r, 400, "bad header value");
	return 0;
}

/* An upload goes straight into its own buffer, ADMIN_RAW_READ at most
 * waiting in libevent's. */
static void
admin_conn_raw(struct admin_conn *c, struct evbuffer *in)
{
	struct admin_req	*r = &c->req;
	int			 n;

	n = evbuffer_remove(in, r->raw + r->rawlen, (size_t)r->length -
	    r->rawlen);
	if (n > 0)
		r->rawlen += (size_t)n;
	if (r->rawlen == (size_t)r->length) {
		r->raw[r->rawlen] = '\0';
		admin_conn_run(c);
	}
}

static void
admin_conn_body(struct admin_conn *c, struct evbuffer *in)
{
	struct admin_req	*r = &c->req;
	size_t			 have = evbuffer_get_length(r->input);

	if (r->raw != NULL) {
		admin_conn_raw(c, in);
		return;
	}
	evbuffer_remove_buffer(in, r->input, (size_t)r->length - have);
	if (evbuffer_get_length(r->input) == (size_t)r->length)
		admin_conn_run(c);
}

/* The headers are all in: admin_head decides before the body is read. */
static void
admin_conn_headers_done(struct admin_conn *c)
{
	struct admin_req	*r = &c->req;
	const char		*expect;

	if (r->length < 0)
		r->length = 0;
	if (admin_head(r) != 0)
		return;
	if (admin_is_raw(r) && r->length > 0 &&
	    (r->raw = malloc((size_t)r->length + 1)) == NULL)
		fatal("admin: malloc");
	if (r->raw == NULL && r->length > ADMIN_BODY_MAX) {	/* said first */
		admin_error(r, 413, "request body larger than 64 KiB");
		return;
	}
	if (r->length == 0) {
		admin_conn_run(c);
		return;
	}
	expect = evhttp_find_header(&r->in, "Expect");
	if (expect != NULL && strcasecmp(expect, "100-continue") == 0)
		bufferevent_write(c->bev, "HTTP/1.1 100 Continue\r\n\r\n", 25);
	admin_conn_arm(c, ADMIN_PHASE_BODY, r->raw ? ADMIN_RAW_BODY_S :
	    ADMIN_BODY_S);
	bufferevent_setwatermark(c->bev, EV_READ, 0, r->raw ? ADMIN_RAW_READ :
	    (size_t)r->length);
}

/* One line of the head; 0 to go on, else the request is answered. */
static int
admin_conn_line(struct admin_conn *c, char *line, size_t n)
{
	if (c->lines == 0 && n == 0)	/* a stray CRLF before the request */
		return 0;
	if (c->lines++ == 0)
		return admin_conn_reqline(c, line, n);
	if (n == 0) {
		admin_conn_headers_done(c);
		return 0;
	}
	return admin_conn_header(c, line, n);
}

static void
admin_conn_head(struct admin_conn *c, struct evbuffer *in)
{
	char		*line;
	const char	*why;
	size_t		 n;
	int		 rc;

	while (c->phase == ADMIN_PHASE_HEAD) {
		/* Up to the LF, so that a bare LF is answered, not waited on. */
		if ((line = evbuffer_readln(in, &n, EVBUFFER_EOL_LF)) == NULL) {
			if (c->headlen + evbuffer_get_length(in) > ADMIN_HEADERS_MAX)
				admin_error(&c->req, 431, "request headers larger "
				    "than 8 KiB");
			return;
		}
		c->headlen += n + 1;
		if (c->headlen > ADMIN_HEADERS_MAX)
			rc = admin_error(&c->req, 431, "request headers larger "
			    "than 8 KiB");
		else if ((rc = httphead_eol(line, &n, &why)) != 0)
			rc = admin_error(&c->req, rc, why);
		else
			rc = admin_conn_line(c, line, n);
		free(line);
		if (rc != 0)
			return;
	}
}

static void
admin_conn_read(struct bufferevent *bev, void *arg)
{
	struct admin_conn	*c = arg;
	struct evbuffer		*in = bufferevent_get_input(bev);

	if (c->phase == ADMIN_PHASE_HEAD)
		admin_conn_head(c, in);
	if (c->phase == ADMIN_PHASE_BODY)
		admin_conn_body(c, in);
	if (c->phase >= ADMIN_PHASE_RUN) {	/* after the request: not kept */
		c->discarded += evbuffer_get_length(in);
		evbuffer_drain(in, evbuffer_get_length(in));
		/* Enough for a client that sent a little more than its
		 * headers; one that goes on gets a reset when the linger ends,
		 * rather than our reading its megabytes. */
		if (c->discarded > ADMIN_LINGER_MAX)
			bufferevent_disable(bev, EV_READ);
	}
}

static void
admin_conn_written(struct bufferevent *bev, void *arg)
{
	struct admin_conn	*c = arg;

	if (c->phase != ADMIN_PHASE_WRITE ||
	    evbuffer_get_length(bufferevent_get_output(bev)) != 0)
		return;		/* a 100 Continue went out */
	if (c->eof) {
		admin_conn_free(c);
		return;
	}
	/* Over TLS the answer ends with close_notify: there is no lingering
	 * on a half-closed socket under a TLS session. */
	if (c->cs->tls != NULL) {
		SSL_shutdown(bufferevent_openssl_get_ssl(bev));
		admin_conn_free(c);
		return;
	}
	shutdown(bufferevent_getfd(bev), SHUT_WR);
	admin_conn_arm(c, ADMIN_PHASE_LINGER, ADMIN_LINGER_S);
}

static void
admin_conn_event(struct bufferevent *bev, short what, void *arg)
{
	struct admin_conn	*c = arg;

	(void)bev;
	if (what == BEV_EVENT_CONNECTED)	/* the TLS handshake is done */
		return;
	/* A client that shut its side after its request still gets the
	 * answer; any other end, or an error, ends the connection. */
	if ((what & BEV_EVENT_EOF) && !(what & BEV_EVENT_ERROR) &&
	    c->phase == ADMIN_PHASE_WRITE) {
		c->eof = 1;
		return;
	}
	admin_conn_free(c);
}

static void
admin_conn_on_timer(evutil_socket_t fd, short ev, void *arg)
{
	struct admin_conn	*c = arg;
	struct admin_conns	*cs = c->cs;

	(void)fd; (void)ev;
	switch (c->phase) {
	case ADMIN_PHASE_HEAD:
		admin_conns_cut(cs, &cs->st.head_late);
		break;
	case ADMIN_PHASE_BODY:
		admin_conns_cut(cs, &cs->st.body_late);
		break;
	case ADMIN_PHASE_WRITE:
		admin_conns_cut(cs, &cs->st.write_late);
		break;
	case ADMIN_PHASE_RUN:
		admin_conns_cut(cs, &cs->st.write_late);
		break;
	case ADMIN_PHASE_LINGER:
		break;
	}
	admin_conn_free(c);
}

/* ---- connections ---- */

static void
admin_conn_free(struct admin_conn *c)
{
	struct admin_req	*r = &c->req;
	int			 i;
	evutil_socket_t		 fd = bufferevent_getfd(c->bev);

	if (r->gone != NULL)		/* a deferred answer's owner lets go */
		r->gone(r);
	if (r->upload)
		c->cs->uploads--;
	free(r->raw);
	TAILQ_REMOVE(&c->cs->conns, c, entry);
	c->cs->st.open--;
	/* Closed now: libevent 2.1 frees a bufferevent (and would close its
	 * socket) only when the loop runs its finalizers, and one accept
	 * callback may evict hundreds before that. A TLS one owns its SSL
	 * and socket until then: at most an accept batch of them wait. */
	if (c->cs->tls == NULL) {
		bufferevent_setfd(c->bev, -1);
		evutil_closesocket(fd);
	}
	bufferevent_free(c->bev);
	event_free(c->timer);
	evhttp_clear_headers(&r->in);
	evhttp_clear_headers(&r->out);
	if (r->uri != NULL)
		evhttp_uri_free(r->uri);
	evbuffer_free(r->input);
	json_decref(r->body);
	for (i = 0; i < ADMIN_ARGS; i++)
		free(r->args[i]);
	free(c);
}

/* Room for one more: the oldest connection not past its headers goes. */
static int
admin_conns_evict(struct admin_conns *cs)
{
	struct admin_conn	*c;

	TAILQ_FOREACH(c, &cs->conns, entry) {
		if (c->phase == ADMIN_PHASE_HEAD) {
			admin_conns_cut(cs, &cs->st.evicted);
			admin_conn_free(c);
			return 0;
		}
		if (c->phase == ADMIN_PHASE_LINGER) {
			admin_conn_free(c);
			return 0;
		}
	}
	return -1;
}

static void
admin_conn_peer(struct admin_req *r, const struct sockaddr *sa)
{
	const void	*ip = sa->sa_family == AF_INET6 ?
			    (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr :
			    (const void *)&((const struct sockaddr_in *)sa)->sin_addr;

	if (evutil_inet_ntop(sa->sa_family, ip, r->peer, sizeof(r->peer)) ==
	    NULL)
		snprintf(r->peer, sizeof(r->peer), "?");
}

/* The connection's bufferevent: a socket, or TLS over it. */
static struct bufferevent *
admin_conn_bev(struct admin_conns *cs, evutil_socket_t fd)
{
	SSL	*ssl;

	if (cs->tls == NULL)
		return bufferevent_socket_new(cs->base, fd,
		    BEV_OPT_CLOSE_ON_FREE);
	if ((ssl = SSL_new(cs->tls)) == NULL)
		return NULL;
	return bufferevent_openssl_socket_new(cs->base, fd, ssl,
	    BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
}

static void
admin_conns_accept(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct admin_conns	*cs = arg;
	struct admin_conn	*c;
	struct timeval		 zero = { 0, 0 };

	(void)salen;
	/* A flood of connects is taken a batch a loop turn, so the links'
	 * events run in between. */
	if (++cs->accepted == ADMIN_ACCEPT_BATCH) {
		evconnlistener_disable(l);
		evtimer_add(cs->next_turn, &zero);
	}
	if (cs->st.open >= cs->st.max && admin_conns_evict(cs) == -1) {
		admin_conns_cut(cs, &cs->st.full);
		evutil_closesocket(fd);
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->bev = admin_conn_bev(cs, fd)) == NULL ||
	    (c->timer = evtimer_new(cs->base, admin_conn_on_timer, c)) == NULL ||
	    (c->req.input = evbuffer_new()) == NULL)
		fatalx("admin: out of memory");
	c->cs = cs;
	c->req.of = cs->of;
	c->req.conn = c;
	c->req.length = -1;
	c->req.method_name = "?";
	c->req.tls = cs->tls != NULL;	/* the session cookie gets Secure */
	TAILQ_INIT(&c->req.in);
	TAILQ_INIT(&c->req.out);
	admin_conn_peer(&c->req, sa);
	TAILQ_INSERT_TAIL(&cs->conns, c, entry);
	cs->st.open++;
	admin_conn_lower(c);
	bufferevent_setcb(c->bev, admin_conn_read, admin_conn_written,
	    admin_conn_event, c);
	bufferevent_setwatermark(c->bev, EV_READ, 0, ADMIN_HEADERS_MAX);
	bufferevent_enable(c->bev, EV_READ);
	admin_conn_arm(c, ADMIN_PHASE_HEAD, ADMIN_HEAD_S);
}

/* Out of descriptors (or another accept error): a pause, one line. */
static void
admin_conns_accept_error(struct evconnlistener *l, void *arg)
{
	struct admin_conns	*cs = arg;
	struct timeval		 tv = { ADMIN_PAUSE_S, 0 };

	evconnlistener_disable(l);
	evtimer_add(cs->resume, &tv);
	cs->st.pauses++;
	log_warn("admin: accept failed: not accepting for %d s", ADMIN_PAUSE_S);
}

static void
admin_conns_on_resume(evutil_socket_t fd, short ev, void *arg)
{
	struct admin_conns	*cs = arg;

	(void)fd; (void)ev;
	cs->accepted = 0;
	if (cs->lev != NULL && !evtimer_pending(cs->resume, NULL))
		evconnlistener_enable(cs->lev);
}

/*
 * A connection's events run at the loop's lowest priority, when the
 * wiring made more than one: a flood of them then waits while an SMPP
 * link has work, instead of a link waiting behind hundreds of them.
 */
static void
admin_conn_lower(struct admin_conn *c)
{
	int	low = event_base_get_npriorities(c->cs->base) - 1;

	if (bufferevent_priority_set(c->bev, low) == -1 ||
	    event_priority_set(c->timer, low) == -1)
		log_warnx("admin: cannot lower a connection's priority");
}

struct admin_conns *
admin_conns_new(struct office *of, struct event_base *base, int max,
    SSL_CTX *tls)
{
	struct admin_conns	*cs;

	if ((cs = calloc(1, sizeof(*cs))) == NULL ||
	    (cs->resume = evtimer_new(base, admin_conns_on_resume, cs)) == NULL ||
	    (cs->next_turn = evtimer_new(base, admin_conns_on_resume, cs)) ==
	    NULL ||
	    (cs->cutlog = evtimer_new(base, admin_conns_on_cutlog, cs)) == NULL)
		fatalx("admin: out of memory");
	/* The next batch of accepts waits for the links' work too. */
	event_priority_set(cs->next_turn, event_base_get_npriorities(base) - 1);
	cs->of = of;
	cs->base = base;
	cs->tls = tls;
	cs->st.max = max;
	TAILQ_INIT(&cs->conns);
	return cs;
}

/* Listens on host:port; the port bound in *bound, or -1. */
int
admin_conns_listen(struct admin_conns *cs, const char *host, int port,
    int *bound)
{
	struct evutil_addrinfo	 hints, *ai = NULL;
	struct sockaddr_storage	 ss;
	socklen_t		 sl = sizeof(ss);
	char			 sport[16];

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = EVUTIL_AI_PASSIVE | EVUTIL_AI_NUMERICHOST;
	snprintf(sport, sizeof(sport), "%d", port);
	if (evutil_getaddrinfo(host, sport, &hints, &ai) != 0)
		return -1;
	cs->lev = evconnlistener_new_bind(cs->base, admin_conns_accept, cs,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC | LEV_OPT_REUSEABLE,
	    ADMIN_BACKLOG, ai->ai_addr, (int)ai->ai_addrlen);
	evutil_freeaddrinfo(ai);
	if (cs->lev == NULL)
		return -1;
	evconnlistener_set_error_cb(cs->lev, admin_conns_accept_error);
	*bound = port;
	if (getsockname(evconnlistener_get_fd(cs->lev), (struct sockaddr *)&ss,
	    &sl) == 0)
		*bound = ntohs(ss.ss_family == AF_INET6 ?
		    ((struct sockaddr_in6 *)&ss)->sin6_port :
		    ((struct sockaddr_in *)&ss)->sin_port);
	return 0;
}

void
admin_conns_stats(const struct admin_req *r, struct admin_conn_stats *st)
{
	*st = r->conn->cs->st;
}

void
admin_conns_free(struct admin_conns *cs)
{
	if (cs == NULL)
		return;
	while (!TAILQ_EMPTY(&cs->conns))
		admin_conn_free(TAILQ_FIRST(&cs->conns));
	if (cs->lev != NULL)
		evconnlistener_free(cs->lev);
	event_free(cs->resume);
	event_free(cs->next_turn);
	event_free(cs->cutlog);
	SSL_CTX_free(cs->tls);
	free(cs);
}
