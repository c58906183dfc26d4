/*
 * GET /health (links and queue, for a load balancer or a person) and
 * GET /metrics (Prometheus text format): one writer per family of
 * metrics, in `metric_writers`.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>
#include <jansson.h>

#include "clock.h"
#include "log.h"
#include "office/office.h"
#include "admin/admin_int.h"

int
admin_health(struct admin_req *r)
{
	struct office_link_info	 li;
	json_t			*links = json_array();
	int			 i, ok = 1, queue = office_queue_depth(r->of);

	for (i = 0; i < office_nlinks(r->of); i++) {
		office_link(r->of, i, &li);
		ok &= li.up;
		json_array_append_new(links, json_pack("{s:o, s:s}",
		    "name", admin_jstr(li.name), "state", li.state));
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
admin_metrics_messages(struct office *of, struct evbuffer *b)
{
	const char	*s = (const char *)office_stats(of);
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

static unsigned long long
admin_link_up(const struct office_link_info *li)
{
	return (unsigned long long)li->up;
}

static unsigned long long
admin_link_reconnects(const struct office_link_info *li)
{
	return (unsigned long long)li->reconnects;
}

/* One family with a value per link. */
static void
admin_metric_per_link(struct office *of, struct evbuffer *b,
    const char *name, const char *type, const char *help,
    unsigned long long (*value)(const struct office_link_info *))
{
	struct office_link_info	li;
	char			label[96];
	int			i;

	admin_metric_head(b, name, type, help);
	for (i = 0; i < office_nlinks(of); i++) {
		office_link(of, i, &li);
		admin_label(label, sizeof(label), li.name);
		evbuffer_add_printf(b, "%s{link=\"%s\"} %llu\n", name, label,
		    value(&li));
	}
}

static void
admin_metrics_links(struct office *of, struct evbuffer *b)
{
	admin_metric_per_link(of, b, "motcua_link_up", "gauge",
	    "1 when the SMPP link is bound.", admin_link_up);
	admin_metric_per_link(of, b, "motcua_reconnects_total", "counter",
	    "SMPP reconnects after a lost link.", admin_link_reconnects);
}

/* A gauge without labels: its head and its one value. */
static void
admin_metric_gauge(struct evbuffer *b, const char *name, const char *help,
    long long v)
{
	admin_metric_head(b, name, "gauge", help);
	evbuffer_add_printf(b, "%s %lld\n", name, v);
}

static void
admin_metrics_queue(struct office *of, struct evbuffer *b)
{
	admin_metric_gauge(b, "motcua_queue_depth",
	    "Messages queued, not yet accepted by the SMSC.",
	    office_queue_depth(of));
}

/* Prometheus buckets are cumulative; smpp_stats counts per bucket. */
static void
admin_metrics_latency(struct office *of, struct evbuffer *b)
{
	const struct smpp_stats	*s = office_stats(of);
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
admin_metrics_ussd(struct office *of, struct evbuffer *b)
{
	admin_metric_gauge(b, "motcua_ussd_sessions", "USSD sessions open now.",
	    office_ussd_sessions(of));
}

static void
admin_metrics_broadcasts(struct office *of, struct evbuffer *b)
{
	struct broadcast_gauges	g;
	int			i;

	if (broadcast_gauges(of, &g) == -1)
		return;		/* logged; a scrape without them beats a 500 */
	admin_metric_head(b, "motcua_broadcasts", "gauge",
	    "Broadcasts by state.");
	for (i = 0; i < BROADCAST_NSTATES; i++)
		evbuffer_add_printf(b, "motcua_broadcasts{state=\"%s\"} %lld\n",
		    g.state[i], (long long)g.count[i]);
	admin_metric_gauge(b, "motcua_broadcast_pending",
	    "Recipients of unfinished broadcasts not handed to the outbox yet.",
	    (long long)g.pending);
}

/* The admin door itself (conn.c): what a slow-client attack costs. */
static void
admin_metrics_door(const struct admin_conn_stats *st, struct evbuffer *b)
{
	admin_metric_gauge(b, "motcua_admin_connections",
	    "Admin API connections open now.", st->open);
	admin_metric_gauge(b, "motcua_admin_connections_max",
	    "Admin API connections allowed (from the open files limit).",
	    st->max);
	admin_metric_head(b, "motcua_admin_cut_total", "counter",
	    "Admin API connections cut: past a deadline, evicted by a newer "
	    "one, or refused when full.");
	evbuffer_add_printf(b, "motcua_admin_cut_total{reason=\"header_deadline\"} "
	    "%llu\nmotcua_admin_cut_total{reason=\"body_deadline\"} %llu\n"
	    "motcua_admin_cut_total{reason=\"write_deadline\"} %llu\n"
	    "motcua_admin_cut_total{reason=\"evicted\"} %llu\n"
	    "motcua_admin_cut_total{reason=\"full\"} %llu\n", st->head_late,
	    st->body_late, st->write_late, st->evicted, st->full);
	admin_metric_head(b, "motcua_admin_accept_pauses_total", "counter",
	    "Times accept() failed and the admin listener paused.");
	evbuffer_add_printf(b, "motcua_admin_accept_pauses_total %llu\n",
	    st->pauses);
}

static void
admin_metrics_store(struct office *of, struct evbuffer *b)
{
	int64_t	ok = office_backup_ok_at(of);

	admin_metric_gauge(b, "motcua_store_wal_bytes",
	    "Size of the store's write-ahead log (-wal file).",
	    (long long)office_wal_bytes(of));
	admin_metric_gauge(b, "motcua_backup_last_ok_age_seconds",
	    "Seconds since the newest good backup (-1: none known).",
	    ok > 0 ? (long long)((clock_wall_ms() - ok) / 1000) : -1);
}

/* One writer per family. */
static void (*const metric_writers[])(struct office *, struct evbuffer *) = {
	admin_metrics_messages,
	admin_metrics_links,
	admin_metrics_queue,
	admin_metrics_latency,
	admin_metrics_ussd,
	admin_metrics_broadcasts,
	admin_metrics_store,
};

int
admin_metrics(struct admin_req *r)
{
	struct admin_conn_stats	 st;
	struct evbuffer		*b;
	size_t			 i;

	if ((b = evbuffer_new()) == NULL)
		fatalx("admin: out of memory");
	for (i = 0; i < sizeof(metric_writers) / sizeof(metric_writers[0]); i++)
		metric_writers[i](r->of, b);
	admin_conns_stats(r, &st);
	admin_metrics_door(&st, b);
	return admin_send(r, 200, "text/plain; version=0.0.4; charset=utf-8", b);
}
