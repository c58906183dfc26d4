/*
 * The admin API (CONTRACT.md "Admin API"): libevent's HTTP server on the
 * daemon's own loop, JSON in and out. One row per method and path in
 * `routes`; the dispatcher checks the path, the method, the token and the
 * body before a handler runs, so handlers see only authorised, well-formed
 * requests and check their fields. A write runs in one store transaction
 * (a batch holding one savepoint): the case, its history and the texts it
 * queues commit together, or nothing is kept and the answer is an error.
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
#include <time.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>

#include "admin_body.h"
#include "calendar.h"
#include "casecode.h"
#include "store/cases.h"
#include "log.h"
#include "gw.h"
#include "clock.h"
#include "store/store.h"
#include "smpp/smpp.h"
#include "office/office.h"
#include "admin/admin.h"
#include "msisdn.h"
#include "procedures.h"
#include "text.h"

#define ADMIN_BODY_HARD		(1024 * 1024)	/* larger: libevent's own 413 */
#define ADMIN_HEADERS_MAX	(8 * 1024)
#define ADMIN_TIMEOUT_S		10
#define ADMIN_RETRY_S		5
#define ADMIN_ARGS		2
#define ADMIN_LIST_DEFAULT	50
#define ADMIN_LIST_MAX		1000

#define ADMIN_AUTH	0x01	/* needs the bearer token */
#define ADMIN_BODY	0x02	/* takes a JSON object */

_Static_assert(ADMIN_TEXT_MAX == TEXT_MAX - 1, "a text is at most TEXT_MAX");

struct admin {
	struct gw			*gw;
	struct evhttp			*http;
	struct evhttp_bound_socket	*sock;
	struct event			*retry;
	char				 host[64];
	int				 port;
};

struct admin_req {
	struct gw		*gw;
	struct evhttp_request	*req;
	char			*args[ADMIN_ARGS];	/* the '*' segments */
	json_t			*body;
	const char		*actor;
	int			 own_batch;	/* admin_begin opened it */
	char			 why[256];		/* a 400's message */
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

static int	admin_health(struct admin_req *);
static int	admin_metrics(struct admin_req *);
static int	admin_procedures(struct admin_req *);
static int	admin_case_list(struct admin_req *);
static int	admin_case_create(struct admin_req *);
static int	admin_case_get(struct admin_req *);
static int	admin_case_due(struct admin_req *);
static int	admin_case_patch(struct admin_req *);
static int	admin_message_send(struct admin_req *);
static int	admin_contact_put(struct admin_req *);
static int	admin_contact_get(struct admin_req *);
static int	admin_group_get(struct admin_req *);
static int	admin_report(struct admin_req *);
static int	admin_broadcast_create(struct admin_req *);
static int	admin_broadcast_list(struct admin_req *);
static int	admin_broadcast_get(struct admin_req *);
static int	admin_broadcast_cancel(struct admin_req *);

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

static int
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
static int
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

static int
admin_error(struct admin_req *r, int status, const char *msg)
{
	json_t	*o = json_pack("{s:s}", "error", msg);

	/* msg may quote a client's bytes that are not UTF-8 */
	if (o == NULL)
		o = json_pack("{s:s}", "error", admin_reason(status));
	return admin_reply(r, status, o);
}

static int
admin_fail(struct admin_req *r)
{
	return admin_error(r, 500, "store failure: nothing was changed");
}

/* Records why a request is bad; the handler answers 400 with it. */
static int __attribute__((format(printf, 2, 3)))
admin_why(struct admin_req *r, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
	return -1;
}

static int
admin_bad(struct admin_req *r)
{
	return admin_error(r, 400, r->why);
}

/* ---- JSON values ---- */

/* A JSON string; bytes that are not UTF-8 (a cut name) become U+FFFD. */
static json_t *
admin_jstr(const char *s)
{
	char	 fixed[TEXT_MAX];
	json_t	*j;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	if (text_nfc(s, fixed, sizeof(fixed)) == -1)
		return json_string("");
	return json_string(fixed);
}

static void
admin_set(json_t *o, const char *key, json_t *v)
{
	if (json_object_set_new(o, key, v ? v : json_null()) == -1)
		fatalx("admin: out of memory");
}

static int
admin_utf8_ok(const char *s)
{
	json_t	*j = json_string(s);

	json_decref(j);
	return j != NULL;
}

/* ISO 8601 with the local offset: 2025-11-26T09:15:00+07:00. */
static void
admin_time(int64_t ms, char out[32])
{
	time_t		t = (time_t)(ms / 1000);
	struct tm	tm;
	char		z[8];

	localtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(z, sizeof(z), "%z", &tm);
	snprintf(out + 19, 32 - 19, "%.3s:%.2s", z, z + 3);
}

static json_t *
admin_jtime(int64_t ms)
{
	char	out[32];

	if (ms <= 0)
		return json_null();
	admin_time(ms, out);
	return json_string(out);
}

/* ---- request fields (parsers/admin_body.c checks them) ---- */

/* What the body checks look up, from the running configuration. */
static const struct admin_body_ctx *
admin_ctx(struct admin_req *r, struct admin_body_ctx *ctx)
{
	ctx->country_code = r->gw->cfg->country_code;
	ctx->code_prefix = r->gw->cfg->code_prefix;
	ctx->procs = replies_procedures(r->gw->replies);
	return ctx;
}

/* ---- transactions ---- */

/*
 * A request's writes: a savepoint inside a store batch. No batch is open
 * between two loop callbacks; should one be, the request nests in it and
 * leaves the commit to its owner.
 */
static int
admin_begin(struct admin_req *r)
{
	struct store	*st = r->gw->store;

	r->own_batch = !store_in_batch(st);
	if (r->own_batch && store_batch_begin(st) == -1)
		return -1;
	if (store_savepoint(st) == -1) {
		if (r->own_batch)
			store_batch_end(st);
		return -1;
	}
	return 0;
}

/* Keeps or drops the request's writes and commits (the commit hook sends
 * what it queued). */
static int
admin_end(struct admin_req *r, int keep)
{
	struct store	*st = r->gw->store;
	int		 rc = store_release(st, keep);

	if ((r->own_batch && store_batch_end(st) == -1) || rc == -1 || !keep)
		return -1;
	return 0;
}

/* ---- health and metrics ---- */

static int
admin_health(struct admin_req *r)
{
	struct gw	*gw = r->gw;
	json_t		*links = json_array();
	int		 i, ok = 1, queue = store_outbound_queued(gw->store);

	for (i = 0; i < gw->nlinks; i++) {
		ok &= strcmp(link_state(gw->links[i]), "bound") == 0;
		json_array_append_new(links, json_pack("{s:o, s:s}",
		    "name", admin_jstr(link_name(gw->links[i])),
		    "state", link_state(gw->links[i])));
	}
	return admin_reply(r, 200, json_pack("{s:s, s:o, s:o}",
	    "status", ok && queue >= 0 ? "ok" : "degraded", "links", links,
	    "queue", queue >= 0 ? json_integer(queue) : json_null()));
}

static void
admin_metric_head(struct evbuffer *b, const char *name, const char *type,
    const char *help)
{
	evbuffer_add_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help,
	    name, type);
}

/* A label value: backslash, quote and newline escaped. */
static void
admin_label(char *out, size_t cap, const char *in)
{
	size_t	n = 0;

	for (; *in && n + 3 < cap; in++) {
		if (*in == '\\' || *in == '"' || *in == '\n')
			out[n++] = '\\';
		out[n++] = *in == '\n' ? 'n' : *in;
	}
	out[n] = '\0';
}

/* The plain counters of struct smpp_stats; a row without help shares the
 * family of the row above (another label). */
static const struct {
	const char	*name, *labels, *help;
	size_t		 field;
} admin_counters[] = {
	{ "motcua_messages_in_total", "{kind=\"sms\"}",
	    "Messages from phones, stored (duplicates apart).",
	    offsetof(struct smpp_stats, in_sms) },
	{ "motcua_messages_in_total", "{kind=\"ussd\"}", NULL,
	    offsetof(struct smpp_stats, in_ussd) },
	{ "motcua_duplicates_total", "",
	    "Redelivered messages not handled again.",
	    offsetof(struct smpp_stats, in_dup) },
	{ "motcua_rejected_total", "",
	    "deliver_sm refused (garbled, unreadable).",
	    offsetof(struct smpp_stats, in_rejected) },
	{ "motcua_receipts_total", "", "Delivery receipts received.",
	    offsetof(struct smpp_stats, in_dlr) },
	{ "motcua_messages_out_total", "{status=\"sent\"}",
	    "Messages to phones: every part acknowledged, or failed for good.",
	    offsetof(struct smpp_stats, out_sent) },
	{ "motcua_messages_out_total", "{status=\"failed\"}", NULL,
	    offsetof(struct smpp_stats, out_failed) },
	{ "motcua_submit_total", "", "submit_sm PDUs written.",
	    offsetof(struct smpp_stats, out_submitted) },
	{ "motcua_retries_total", "",
	    "submit_sm retried after a transient error or a timeout.",
	    offsetof(struct smpp_stats, out_retried) },
	{ "motcua_throttled_total", "",
	    "submit_sm answered ESME_RTHROTTLED or ESME_RMSGQFUL.",
	    offsetof(struct smpp_stats, throttled) },
	{ "motcua_flood_total", "",
	    "Messages stored but not answered: one number sending too many.",
	    offsetof(struct smpp_stats, in_flood) },
};

static void
admin_metrics_messages(struct gw *gw, struct evbuffer *b)
{
	const char	*s = (const char *)&gw->stats;
	uint64_t	 v;
	size_t		 i;

	for (i = 0; i < sizeof(admin_counters) / sizeof(admin_counters[0]);
	    i++) {
		if (admin_counters[i].help != NULL)
			admin_metric_head(b, admin_counters[i].name, "counter",
			    admin_counters[i].help);
		memcpy(&v, s + admin_counters[i].field, sizeof(v));
		evbuffer_add_printf(b, "%s%s %llu\n", admin_counters[i].name,
		    admin_counters[i].labels, (unsigned long long)v);
	}
}

static void
admin_metrics_links(struct gw *gw, struct evbuffer *b)
{
	char	name[96];
	int	i;

	admin_metric_head(b, "motcua_link_up", "gauge",
	    "1 when the SMPP link is bound.");
	for (i = 0; i < gw->nlinks; i++) {
		admin_label(name, sizeof(name), link_name(gw->links[i]));
		evbuffer_add_printf(b, "motcua_link_up{link=\"%s\"} %d\n", name,
		    strcmp(link_state(gw->links[i]), "bound") == 0);
	}
	admin_metric_head(b, "motcua_reconnects_total", "counter",
	    "SMPP reconnects after a lost link.");
	for (i = 0; i < gw->nlinks; i++) {
		admin_label(name, sizeof(name), link_name(gw->links[i]));
		evbuffer_add_printf(b, "motcua_reconnects_total{link=\"%s\"} "
		    "%llu\n", name,
		    (unsigned long long)link_reconnects(gw->links[i]));
	}
}

static void
admin_metrics_queue(struct gw *gw, struct evbuffer *b)
{
	admin_metric_head(b, "motcua_queue_depth", "gauge",
	    "Messages queued, not yet accepted by the SMSC.");
	evbuffer_add_printf(b, "motcua_queue_depth %d\n",
	    store_outbound_queued(gw->store));
}

/* Prometheus buckets are cumulative; smpp_stats counts per bucket. */
static void
admin_metrics_latency(struct gw *gw, struct evbuffer *b)
{
	const struct smpp_stats	*s = &gw->stats;
	unsigned long long	 sum = 0;
	int			 i;

	admin_metric_head(b, "motcua_reply_latency_seconds", "histogram",
	    "From a message stored to its reply accepted by the SMSC.");
	for (i = 0; i < STATS_LAT_BUCKETS; i++) {
		sum += s->reply_latency[i];
		if (i == STATS_LAT_BUCKETS - 1)
			evbuffer_add_printf(b, "motcua_reply_latency_seconds_bucket"
			    "{le=\"+Inf\"} %llu\n", sum);
		else
			evbuffer_add_printf(b, "motcua_reply_latency_seconds_bucket"
			    "{le=\"%g\"} %llu\n", stats_lat_bounds_ms[i] / 1000.0,
			    sum);
	}
	evbuffer_add_printf(b, "motcua_reply_latency_seconds_sum %.3f\n"
	    "motcua_reply_latency_seconds_count %llu\n",
	    s->reply_latency_sum_ms / 1000.0,
	    (unsigned long long)s->reply_latency_count);
}

static void
admin_metrics_ussd(struct gw *gw, struct evbuffer *b)
{
	admin_metric_head(b, "motcua_ussd_sessions", "gauge",
	    "USSD sessions open now.");
	evbuffer_add_printf(b, "motcua_ussd_sessions %d\n",
	    gw->ussd ? ussd_sessions(gw->ussd) : 0);
}

static void
admin_metrics_broadcasts(struct gw *gw, struct evbuffer *b)
{
	struct broadcast_gauges	g;
	int			i;

	if (broadcast_gauges(gw, &g) == -1)
		return;		/* logged; a scrape without them beats a 500 */
	admin_metric_head(b, "motcua_broadcasts", "gauge",
	    "Broadcasts by state.");
	for (i = 0; i < BROADCAST_NSTATES; i++)
		evbuffer_add_printf(b, "motcua_broadcasts{state=\"%s\"} %lld\n",
		    g.state[i], (long long)g.count[i]);
	admin_metric_head(b, "motcua_broadcast_pending", "gauge",
	    "Recipients of unfinished broadcasts not handed to the outbox yet.");
	evbuffer_add_printf(b, "motcua_broadcast_pending %lld\n",
	    (long long)g.pending);
}

/* One writer per family. */
static void (*const metric_writers[])(struct gw *, struct evbuffer *) = {
	admin_metrics_messages,
	admin_metrics_links,
	admin_metrics_queue,
	admin_metrics_latency,
	admin_metrics_ussd,
	admin_metrics_broadcasts,
};

static int
admin_metrics(struct admin_req *r)
{
	struct evbuffer	*b;
	size_t		 i;

	if ((b = evbuffer_new()) == NULL)
		fatalx("admin: out of memory");
	for (i = 0; i < sizeof(metric_writers) / sizeof(metric_writers[0]); i++)
		metric_writers[i](r->gw, b);
	return admin_send(r, 200, "text/plain; version=0.0.4; charset=utf-8", b);
}

/* ---- procedures ---- */

static int
admin_procedures(struct admin_req *r)
{
	const struct procedures	*ps = replies_procedures(r->gw->replies);
	json_t			*a = json_array();
	int			 i;

	for (i = 0; i < ps->n; i++)
		json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:i, s:o}",
		    "code", admin_jstr(ps->p[i].code),
		    "name", admin_jstr(ps->p[i].name),
		    "fee", admin_jstr(ps->p[i].fee),
		    "days", ps->p[i].days,
		    "documents", admin_jstr(ps->p[i].documents)));
	return admin_reply(r, 200, a);
}

/* ---- cases ---- */

static void
admin_history_one(const struct case_change *h, void *arg)
{
	json_array_append_new(arg, json_pack("{s:o, s:s, s:o, s:o}",
	    "at", admin_jtime(h->at), "status", case_status_name(h->status),
	    "note", admin_jstr(h->note), "actor", admin_jstr(h->actor)));
}

static const char *
admin_timeliness(const struct case_rec *c)
{
	struct cal_date	due, fin;
	int		done = c->status == CASE_READY ||
			    c->status == CASE_RETURNED;

	if (cal_parse(c->due, &due) == -1)
		return NULL;
	if (done)
		fin = case_local_date(c->finished_at ? c->finished_at :
		    c->received_at);
	return cal_timeliness_name(cal_timeliness(due, done ? &fin : NULL,
	    case_local_date(clock_wall_ms())));
}

static json_t *
admin_case_json(struct admin_req *r, const struct case_rec *c, int history)
{
	const char	*tl = admin_timeliness(c);
	json_t		*o = json_object(), *h;

	admin_set(o, "code", admin_jstr(c->code));
	admin_set(o, "kind", admin_jstr(c->kind));
	admin_set(o, "procedure", admin_jstr(c->procedure));
	admin_set(o, "msisdn", admin_jstr(c->msisdn));
	admin_set(o, "name", admin_jstr(c->name));
	admin_set(o, "request", admin_jstr(c->request));
	admin_set(o, "status", json_string(case_status_name(c->status)));
	admin_set(o, "channel", admin_jstr(c->channel));
	admin_set(o, "received_at", admin_jtime(c->received_at));
	admin_set(o, "due", c->due[0] ? admin_jstr(c->due) : json_null());
	admin_set(o, "finished_at", admin_jtime(c->finished_at));
	admin_set(o, "timeliness", tl ? json_string(tl) : json_null());
	admin_set(o, "rating", c->rating >= 1 && c->rating <= 5 ?
	    json_integer(c->rating) : json_null());
	if (history) {
		h = json_array();
		if (case_history_each(r->gw->cases, c->id, admin_history_one,
		    h) == -1) {
			json_decref(h);
			json_decref(o);
			return NULL;
		}
		admin_set(o, "history", h);
	}
	return o;
}

/* Opens the case (gateway/office/cases.c): 1 created, 0 code exists,
 * -1 error. */
static int
admin_case_write(struct admin_req *r, const struct admin_case_new *in,
    struct case_rec *c)
{
	struct office_case_new	nc;

	memset(&nc, 0, sizeof(nc));
	nc.code = in->code;
	nc.kind = "case";
	nc.proc = in->proc;
	nc.msisdn = in->msisdn;
	nc.name = in->name;
	nc.channel = in->code ? "import" : "counter";
	nc.status = in->status ? in->status->code : CASE_RECEIVED;
	nc.due = in->due;
	nc.notify = in->notify;
	switch (office_case_open(r->gw, &nc, clock_wall_ms(), c)) {
	case OFFICE_CASE_OK:
		return 1;
	case OFFICE_CASE_EXISTS:
		return 0;
	default:
		return -1;
	}
}

static int
admin_case_create(struct admin_req *r)
{
	struct admin_body_ctx	ctx;
	struct admin_case_new	in;
	struct case_rec		c;
	int			rc;

	if (admin_body_case_new(r->body, admin_ctx(r, &ctx), &in, r->why,
	    sizeof(r->why)) == -1)
		return admin_bad(r);
	if (admin_begin(r) == -1)
		return admin_fail(r);
	rc = admin_case_write(r, &in, &c);
	if (admin_end(r, rc == 1) == -1)
		return rc == 0 ? admin_error(r, 409, "a case with this code "
		    "exists") : admin_fail(r);
	log_info("admin case=%s action=create channel=%s status=%s notify=%d",
	    c.code, c.channel, case_status_name(c.status), in.notify);
	return admin_reply(r, 201, admin_case_json(r, &c, 1));
}

static int
admin_case_get(struct admin_req *r)
{
	struct case_rec	c;
	int		rc;

	if ((rc = office_case_find(r->gw, r->args[0], &c)) == -1)
		return admin_fail(r);
	if (rc == 0)
		return admin_error(r, 404, "no such case");
	return admin_reply(r, 200, admin_case_json(r, &c, 1));
}

static int
admin_case_patch(struct admin_req *r)
{
	struct admin_case_patch		in;
	struct office_case_change	ch;
	struct case_rec			c;
	int				rc, ok;

	if (admin_body_case_patch(r->body, &in, r->why, sizeof(r->why)) == -1)
		return admin_bad(r);
	if ((rc = office_case_find(r->gw, r->args[0], &c)) != 1)
		return rc == 0 ? admin_error(r, 404, "no such case") :
		    admin_fail(r);
	if (admin_begin(r) == -1)
		return admin_fail(r);
	ch.status = in.status->code;
	ch.due = in.due;
	ch.note = in.note;
	ch.actor = r->actor;
	ok = office_case_set_status(r->gw, &c, &ch, clock_wall_ms()) ==
	    OFFICE_CASE_OK;
	if (admin_end(r, ok) == -1)
		return admin_fail(r);
	log_info("admin case=%s action=status status=%s actor=\"%s\"", c.code,
	    in.status->name, r->actor);
	return admin_reply(r, 200, admin_case_json(r, &c, 1));
}

struct admin_list {
	struct admin_req	*r;
	json_t			*a;
};

static void
admin_list_one(const struct case_rec *c, void *arg)
{
	struct admin_list	*l = arg;

	json_array_append_new(l->a, admin_case_json(l->r, c, 0));
}

/* The query string's parameters, each one of known; NULL after a 400. */
static struct evkeyvalq *
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

static int
admin_list_filter(struct admin_req *r, struct evkeyvalq *q,
    struct case_filter *f)
{
	const struct case_status *st;
	const char	*v;
	char		*end;
	long		 n;

	memset(f, 0, sizeof(*f));
	f->limit = ADMIN_LIST_DEFAULT;
	if ((v = evhttp_find_header(q, "status")) != NULL) {
		if (admin_body_status(v, &st, r->why, sizeof(r->why)) == -1)
			return -1;
		f->status = st->code;
	}
	if ((v = evhttp_find_header(q, "kind")) != NULL) {
		if (strcmp(v, "case") != 0 && strcmp(v, "feedback") != 0)
			return admin_why(r, "kind: case or feedback");
		f->kind = v;
	}
	if ((v = evhttp_find_header(q, "limit")) != NULL) {
		n = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || n < 1 || n > ADMIN_LIST_MAX)
			return admin_why(r, "limit: a number from 1 to %d",
			    ADMIN_LIST_MAX);
		f->limit = (int)n;
	}
	return 0;
}

/* GET /cases?status=NAME&kind=case|feedback&limit=N: newest first. */
static int
admin_case_list(struct admin_req *r)
{
	static const char *const known[] = { "status", "kind", "limit", NULL };
	struct evkeyvalq	 q;
	struct case_filter	 f;
	struct admin_list	 l = { r, NULL };
	int			 rc;

	if (admin_query(r, &q, known) == NULL)
		return admin_bad(r);
	if (admin_list_filter(r, &q, &f) == -1) {
		evhttp_clear_headers(&q);
		return admin_bad(r);
	}
	l.a = json_array();
	rc = case_list(r->gw->cases, &f, admin_list_one, &l);
	evhttp_clear_headers(&q);	/* f.kind points into q */
	if (rc == -1) {
		json_decref(l.a);
		return admin_fail(r);
	}
	return admin_reply(r, 200, l.a);
}

/*
 * GET /cases/due[?date=YYYY-MM-DD]: open cases due tomorrow (through the
 * next working day), or on date: for staff to chase; nobody is texted.
 */
static int
admin_case_due(struct admin_req *r)
{
	static const char *const known[] = { "date", NULL };
	struct evkeyvalq	 q;
	struct admin_list	 l = { r, NULL };
	const char		*date;
	int			 rc;

	if (admin_query(r, &q, known) == NULL)
		return admin_bad(r);
	date = evhttp_find_header(&q, "date");
	if (admin_body_date("date", date, r->why, sizeof(r->why)) == -1) {
		evhttp_clear_headers(&q);
		return admin_bad(r);
	}
	l.a = json_array();
	rc = reminders_due_each(r->gw, clock_wall_ms(), date, admin_list_one,
	    &l);
	evhttp_clear_headers(&q);	/* date points into q */
	if (rc == -1) {
		json_decref(l.a);
		return admin_fail(r);
	}
	return admin_reply(r, 200, l.a);
}

/* ---- messages ---- */

/* The message's text, as given or rendered from its template. */
static int
admin_message_text(struct admin_req *r, const struct admin_message *m,
    char *out, size_t cap)
{
	if (m->text) {
		snprintf(out, cap, "%s", m->text);
		return 0;
	}
	if (replies_render(r->gw->replies, m->template, m->keys, m->vals,
	    m->nvars, out, cap) == -1)
		return admin_why(r, ADMIN_UNKNOWN_TEMPLATE, m->template);
	return 0;
}

static int
admin_message_send(struct admin_req *r)
{
	struct admin_body_ctx	ctx;
	struct admin_message	m;
	char			text[TEXT_MAX];
	int64_t			id;

	if (admin_body_message(r->body, admin_ctx(r, &ctx), &m, r->why,
	    sizeof(r->why)) == -1 ||
	    admin_message_text(r, &m, text, sizeof(text)) == -1)
		return admin_bad(r);
	if (admin_begin(r) == -1)
		return admin_fail(r);
	id = outbox_queue(r->gw->store, r->gw->cfg, m.to, text, "notify",
	    OUT_PRIO_REPLY, 0);
	if (admin_end(r, id > 0) == -1)
		return admin_fail(r);
	log_info("admin msisdn=%s out=%lld action=send", m.to, (long long)id);
	return admin_reply(r, 201, json_pack("{s:I, s:s}", "id",
	    (json_int_t)id, "to", m.to));
}

/* ---- contacts and groups ---- */

static void
admin_group_name(const char *name, void *arg)
{
	json_array_append_new(arg, admin_jstr(name));
}

/* The contact as the API shows it; NULL when not found or on error. */
static json_t *
admin_contact_json(struct admin_req *r, const char *msisdn)
{
	struct contact	 c;
	json_t		*groups = json_array();
	int		 out;

	if (contact_get(r->gw->cases, msisdn, &c) != 1 ||
	    contact_groups_each(r->gw->cases, msisdn, admin_group_name,
	    groups) == -1 ||
	    (out = optout_get(r->gw->cases, msisdn)) == -1) {
		json_decref(groups);
		return NULL;
	}
	return json_pack("{s:o, s:o, s:o, s:b}", "msisdn", admin_jstr(c.msisdn),
	    "name", admin_jstr(c.name), "groups", groups, "opted_out", out);
}

/* POST /contacts: creates or updates; given groups replace the old ones. */
static int
admin_contact_put(struct admin_req *r)
{
	struct admin_body_ctx	 ctx;
	struct admin_contact	 in;
	struct contact		 old;
	const char		*groups[ADMIN_GROUPS_MAX];
	size_t			 i;
	int			 existed, ok;

	if (admin_body_contact(r->body, admin_ctx(r, &ctx), &in, r->why,
	    sizeof(r->why)) == -1)
		return admin_bad(r);
	for (i = 0; i < in.ngroups; i++)
		groups[i] = in.groups[i];
	if (admin_begin(r) == -1)
		return admin_fail(r);
	ok = (existed = contact_get(r->gw->cases, in.msisdn, &old)) != -1 &&
	    contact_upsert(r->gw->cases, in.msisdn, in.has_name ? in.name :
	    NULL, clock_wall_ms()) == 0 &&
	    (!in.has_groups || contact_set_groups(r->gw->cases, in.msisdn,
	    groups, in.ngroups) == 0);
	if (admin_end(r, ok) == -1)
		return admin_fail(r);
	return admin_reply(r, existed ? 200 : 201, admin_contact_json(r,
	    in.msisdn));
}

static int
admin_contact_get(struct admin_req *r)
{
	struct contact	c;
	char		msisdn[MSISDN_MAX];
	int		rc;

	if (msisdn_normalize(r->args[0], r->gw->cfg->country_code, msisdn,
	    sizeof(msisdn), NULL) == -1 ||
	    (rc = contact_get(r->gw->cases, msisdn, &c)) == 0)
		return admin_error(r, 404, "no such contact");
	if (rc == -1)
		return admin_fail(r);
	return admin_reply(r, 200, admin_contact_json(r, msisdn));
}

struct admin_members {
	struct admin_req	*r;
	json_t			*a;
	int			 failed;
};

static void
admin_member_one(const struct contact *c, void *arg)
{
	struct admin_members	*m = arg;
	int			 out = optout_get(m->r->gw->cases, c->msisdn);

	m->failed |= out == -1;
	json_array_append_new(m->a, json_pack("{s:o, s:o, s:b}",
	    "msisdn", admin_jstr(c->msisdn), "name", admin_jstr(c->name),
	    "opted_out", out == 1));
}

static int
admin_group_get(struct admin_req *r)
{
	struct admin_members	 m = { r, NULL, 0 };
	char			 nfc[ADMIN_GROUP_MAX * 2], name[ADMIN_GROUP_MAX * 2];
	int			 rc;

	if (!admin_utf8_ok(r->args[0]) ||
	    text_nfc(r->args[0], nfc, sizeof(nfc)) == -1 ||
	    (rc = group_find(r->gw->cases, nfc, name, sizeof(name))) == 0)
		return admin_error(r, 404, "no such group");
	if (rc == -1)
		return admin_fail(r);
	m.a = json_array();
	if (group_members_each(r->gw->cases, name, admin_member_one, &m) ==
	    -1 || m.failed) {
		json_decref(m.a);
		return admin_fail(r);
	}
	return admin_reply(r, 200, json_pack("{s:o, s:o}", "name",
	    admin_jstr(name), "members", m.a));
}

/* ---- report ---- */

struct admin_tally {
	struct admin_req	*r;
	json_t			*status, *timeliness, *channel, *procedure;
	int			 total, feedback;
};

static void
admin_count(json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	admin_set(o, key, json_integer(v ? json_integer_value(v) + 1 : 1));
}

static void
admin_tally_one(const struct case_rec *c, void *arg)
{
	struct admin_tally	*t = arg;
	const char		*tl;

	if (strcmp(c->kind, "case") != 0) {
		t->feedback++;
		return;
	}
	t->total++;
	admin_count(t->status, case_status_name(c->status));
	if ((tl = admin_timeliness(c)) != NULL)
		admin_count(t->timeliness, tl);
	if (admin_utf8_ok(c->channel))
		admin_count(t->channel, c->channel);
	if (admin_utf8_ok(c->procedure))
		admin_count(t->procedure, c->procedure);
}

/* Local midnight at the start of day d, in unix ms. */
static int64_t
admin_day_ms(struct cal_date d)
{
	struct tm	tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = d.y - 1900;
	tm.tm_mon = d.m - 1;
	tm.tm_mday = d.d;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm) * 1000;
}

static int
admin_report_range(struct admin_req *r, struct evkeyvalq *q,
    struct cal_date *from, struct cal_date *to)
{
	const char	*v;

	*to = case_local_date(clock_wall_ms());
	*from = (struct cal_date){ to->y, to->m, 1 };
	if ((v = evhttp_find_header(q, "from")) != NULL &&
	    cal_parse(v, from) == -1)
		return admin_why(r, "from: a date YYYY-MM-DD");
	if ((v = evhttp_find_header(q, "to")) != NULL && cal_parse(v, to) == -1)
		return admin_why(r, "to: a date YYYY-MM-DD");
	if (cal_days(*to) < cal_days(*from))
		return admin_why(r, "to is before from");
	return 0;
}

/* Every status, timeliness, channel and procedure, at 0, in their order. */
static void
admin_tally_init(struct admin_req *r, struct admin_tally *t)
{
	static const char *const tl[] = { "within", "overdue", "early",
	    "on_time", "late" };
	static const char *const ch[] = { "sms", "ussd", "counter", "import" };
	const struct procedures	*ps = replies_procedures(r->gw->replies);
	size_t			 i;

	t->status = json_object();
	t->timeliness = json_object();
	t->channel = json_object();
	t->procedure = json_object();
	for (i = CASE_RECEIVED; i <= CASE_RETURNED; i++)
		admin_set(t->status, case_status_name((int)i), json_integer(0));
	for (i = 0; i < sizeof(tl) / sizeof(tl[0]); i++)
		admin_set(t->timeliness, tl[i], json_integer(0));
	for (i = 0; i < sizeof(ch) / sizeof(ch[0]); i++)
		admin_set(t->channel, ch[i], json_integer(0));
	for (i = 0; i < (size_t)ps->n; i++)
		admin_set(t->procedure, ps->p[i].code, json_integer(0));
}

static void
admin_tally_free(struct admin_tally *t)
{
	json_decref(t->status);
	json_decref(t->timeliness);
	json_decref(t->channel);
	json_decref(t->procedure);
}

/*
 * GET /report?from=YYYY-MM-DD&to=YYYY-MM-DD: the cases received in those
 * days (default: this month so far) counted by status, timeliness,
 * channel and procedure; feedback counted apart. report_add adds what
 * happened in those days: cases resolved, cases still open at the end,
 * messages, opt-outs, ratings and reminders.
 */
static int
admin_report(struct admin_req *r)
{
	static const char *const known[] = { "from", "to", NULL };
	struct admin_tally	 t = { r, NULL, NULL, NULL, NULL, 0, 0 };
	struct evkeyvalq	 q;
	struct case_filter	 f;
	struct cal_date		 from, to;
	char			 a[11], b[11];
	json_t			*o;
	int			 rc;

	if (admin_query(r, &q, known) == NULL)
		return admin_bad(r);
	rc = admin_report_range(r, &q, &from, &to);
	evhttp_clear_headers(&q);
	if (rc == -1)
		return admin_bad(r);
	memset(&f, 0, sizeof(f));
	f.since = admin_day_ms(from);
	f.until = admin_day_ms(to) + 24 * 3600 * 1000;
	admin_tally_init(r, &t);
	if (case_list(r->gw->cases, &f, admin_tally_one, &t) == -1) {
		admin_tally_free(&t);
		return admin_fail(r);
	}
	cal_iso(from, a);
	cal_iso(to, b);
	o = json_pack("{s:s, s:s, s:i, s:i, s:o, s:o, s:o, s:o}", "from", a,
	    "to", b, "total", t.total, "feedback", t.feedback, "by_status",
	    t.status, "by_timeliness", t.timeliness, "by_channel", t.channel,
	    "by_procedure", t.procedure);
	/* What a supervision report adds: gateway/office/report.c. */
	if (o == NULL || report_add(r->gw, o, f.since, f.until, &to) == -1) {
		json_decref(o);
		return admin_fail(r);
	}
	return admin_reply(r, 200, o);
}

/* ---- broadcasts ---- */

/* A broadcast id from the path; 0 when it is not one. */
static int64_t
admin_broadcast_id(const char *s)
{
	char	*end;
	long long id;

	if (*s < '1' || *s > '9')
		return 0;
	id = strtoll(s, &end, 10);
	return *end == '\0' && id > 0 ? id : 0;
}

/* ---- broadcasts (gateway/office/broadcast.c does the work) ---- */

static json_t *
admin_broadcast_json(const struct broadcast_info *b)
{
	json_t	*o = json_pack("{s:I, s:s, s:I, s:I, s:I, s:I, s:I, s:I}",
		    "id", (json_int_t)b->id, "state", b->state,
		    "total", (json_int_t)b->total, "queued", (json_int_t)b->queued,
		    "sent", (json_int_t)b->sent,
		    "delivered", (json_int_t)b->delivered,
		    "failed", (json_int_t)b->failed,
		    "skipped", (json_int_t)b->skipped);

	if (o && b->id == 0)	/* a dry run: what would go */
		json_object_update_new(o, json_pack("{s:I, s:i, s:I, s:o, s:o}",
		    "recipients", (json_int_t)b->recipients, "parts", b->parts,
		    "total_parts", (json_int_t)b->total_parts,
		    "sample_to", admin_jstr(b->sample_to),
		    "sample", admin_jstr(b->sample)));
	return o;
}

/* Unix ms of a wall-clock time (given as if UTC) in the local time zone. */
static int64_t
admin_local_ms(int64_t wall)
{
	time_t		t = (time_t)(wall / 1000);
	struct tm	tm;

	gmtime_r(&t, &tm);
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm) * 1000;
}

static int
admin_broadcast_create(struct admin_req *r)
{
	/* static: 48 KB of numbers is much for one callback's stack */
	static struct admin_broadcast	 in;
	static const char		*nums[ADMIN_BROADCAST_MAX];
	struct admin_body_ctx		 ctx;
	struct broadcast_req		 q;
	struct broadcast_info		 info;
	char				*vars = NULL, err[256];
	size_t				 i;
	int				 rc;

	if (admin_body_broadcast(r->body, admin_ctx(r, &ctx), &in, r->why,
	    sizeof(r->why)) == -1)
		return admin_bad(r);
	memset(&q, 0, sizeof(q));
	q.group = in.group;
	q.cases_status = in.cases_status;
	for (i = 0; i < in.nmsisdns; i++)
		nums[i] = in.msisdns[i];
	q.msisdns = in.nmsisdns ? nums : NULL;
	q.nmsisdns = in.nmsisdns;
	q.text = in.text;
	q.template = in.template;
	q.at = in.at_local ? admin_local_ms(in.at) : in.at;
	q.dry_run = in.dry_run;
	if (in.vars && (vars = json_dumps(in.vars, JSON_COMPACT)) == NULL)
		fatalx("admin: out of memory");
	q.vars_json = vars;
	rc = broadcast_create(r->gw, &q, &info, err, sizeof(err));
	free(vars);
	if (rc == -1)
		return admin_error(r, 400, err);
	if (rc != 0)
		return admin_fail(r);
	return admin_reply(r, q.dry_run ? 200 : 201, admin_broadcast_json(&info));
}

static int
admin_broadcast_one(struct admin_req *r,
    int (*op)(struct gw *, int64_t, struct broadcast_info *))
{
	struct broadcast_info	info;
	int64_t			id = admin_broadcast_id(r->args[0]);
	int			rc = id ? op(r->gw, id, &info) : 0;

	if (rc == 0)
		return admin_error(r, 404, "no such broadcast");
	if (rc == -1)
		return admin_fail(r);
	return admin_reply(r, 200, admin_broadcast_json(&info));
}

static int
admin_broadcast_get(struct admin_req *r)
{
	return admin_broadcast_one(r, broadcast_get);
}

static int
admin_broadcast_cancel(struct admin_req *r)
{
	return admin_broadcast_one(r, broadcast_cancel);
}

static void
admin_broadcast_item(const struct broadcast_info *b, void *arg)
{
	json_array_append_new(arg, admin_broadcast_json(b));
}

static int
admin_broadcast_list(struct admin_req *r)
{
	json_t	*a = json_array();

	if (broadcast_list(r->gw, ADMIN_LIST_DEFAULT, admin_broadcast_item,
	    a) == -1) {
		json_decref(a);
		return admin_fail(r);
	}
	return admin_reply(r, 200, a);
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
	const char	*want = r->gw->cfg->admin_token, *got;

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
	r.gw = a->gw;
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
admin_start(struct gw *gw, char *err, size_t errlen)
{
	struct timeval	 retry = { ADMIN_RETRY_S, 0 };
	struct admin	*a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		fatal("calloc");
	a->gw = gw;
	/* Parsed and checked by config.c: what -t accepted binds here, and
	 * a port taken is retried, so nothing is left to refuse (err stays
	 * in the signature for motcuad.c). */
	(void)err;
	(void)errlen;
	snprintf(a->host, sizeof(a->host), "%s", gw->cfg->admin_host);
	a->port = gw->cfg->admin_port;
	if ((a->http = evhttp_new(gw->base)) == NULL ||
	    (a->retry = event_new(gw->base, -1, EV_PERSIST, admin_on_retry,
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
	if (gw->cfg->admin_token[0] == '\0')
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
