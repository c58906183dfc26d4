/*
 * The console's read side: GET /today (the clerk's start page), POST
 * /preview (the exact SMS a change or a reply would send, its alphabet
 * and parts, with no side effect) and GET /cases/{code}/slip (the
 * appointment slip, with a QR code that opens the phone's SMS app on
 * "TC <code>" to the short code). Every list is a bounded store walk.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <jansson.h>
#include <qrencode.h>

#include "admin_body.h"
#include "log.h"
#include "office/office.h"
#include "admin/admin_int.h"
#include "procedures.h"
#include "text.h"

#define ADMIN_TODAY_MAX	50	/* rows of each list on the start page */
#define ADMIN_QR_QUIET	4	/* modules of white around the code */

static void
admin_msg_one(const struct msg_rec *m, void *arg)
{
	json_array_append_new(arg, json_pack("{s:s, s:o, s:o, s:o}", "dir",
	    m->dir, "at", admin_jtime(m->at), "text", admin_jstr(m->text),
	    "state", admin_jstr(m->state)));
}

/* A number's latest messages both ways, oldest first; NULL on error. */
json_t *
admin_messages_json(struct admin_req *r, const char *msisdn)
{
	json_t	*a = json_array();

	if (office_msg_thread(r->of, msisdn, ADMIN_THREAD_MAX, admin_msg_one,
	    a) == -1) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/* ---- GET /today ---- */

struct admin_cases {
	struct admin_req	*r;
	json_t			*a;
};

static void
admin_today_case(const struct case_rec *c, void *arg)
{
	struct admin_cases	*l = arg;

	json_array_append_new(l->a, admin_case_json(l->r, c, 0));
}

static json_t *
admin_today_due(struct admin_req *r, const char *lo, const char *hi, int *err)
{
	struct admin_cases	l = { r, json_array() };

	if (office_case_due_page(r->of, lo, hi, ADMIN_TODAY_MAX,
	    admin_today_case, &l) == -1)
		*err = 1;
	return l.a;
}

static void
admin_today_person(const struct inbox_thread *t, void *arg)
{
	json_array_append_new(arg, json_pack("{s:o, s:o, s:o, s:s}", "msisdn",
	    admin_jstr(t->msisdn), "at", admin_jtime(t->last_at), "text",
	    admin_jstr(t->last_text), "kind", t->kind));
}

static json_t *
admin_today_links(struct admin_req *r)
{
	struct office_link_info	 li;
	json_t			*links = json_array();
	int			 i;

	for (i = 0; i < office_nlinks(r->of); i++) {
		office_link(r->of, i, &li);
		json_array_append_new(links, json_pack("{s:o, s:s}",
		    "name", admin_jstr(li.name), "state", li.state));
	}
	return links;
}

static json_t *
admin_today_messages(struct admin_req *r, const struct office_days *d,
    int *err)
{
	int64_t	in = office_msg_count_since(r->of, 0, d->day_start);
	int64_t	out = office_msg_count_since(r->of, 1, d->day_start);

	if (in < 0 || out < 0)
		*err = 1;
	return json_pack("{s:I, s:I}", "in", (json_int_t)in, "out",
	    (json_int_t)out);
}

int
admin_today(struct admin_req *r)
{
	struct office_days	 d;
	struct inbox_key	 k;
	json_t			*o = json_object(), *p = json_array();
	int			 err = 0, queue = office_queue_depth(r->of);

	office_days(r->of, r->now, &d);
	memset(&k, 0, sizeof(k));
	admin_set(o, "links", admin_today_links(r));
	admin_set(o, "queue", queue >= 0 ? json_integer(queue) : json_null());
	admin_set(o, "messages", admin_today_messages(r, &d, &err));
	admin_set(o, "due_today", admin_today_due(r, d.today, d.today, &err));
	admin_set(o, "due_tomorrow", admin_today_due(r, d.tomorrow_lo,
	    d.tomorrow_hi, &err));
	admin_set(o, "overdue", admin_today_due(r, "0000-00-00", d.yesterday,
	    &err));
	if (office_inbox_page(r->of, &k, 1, ADMIN_TODAY_MAX,
	    admin_today_person, p) == -1)
		err = 1;
	admin_set(o, "needs_person", p);
	if (err) {
		json_decref(o);
		return admin_fail(r);
	}
	return admin_reply(r, 200, o);
}

/* ---- POST /preview ---- */

static int
admin_preview_text(struct admin_req *r, const struct admin_preview *p,
    char *out, size_t cap)
{
	struct case_rec	c;
	int		rc;

	if (p->m.text) {
		snprintf(out, cap, "%s", p->m.text);
		return 0;
	}
	if (p->m.template) {
		if (replies_render(office_replies(r->of), p->m.template,
		    p->m.keys, p->m.vals, p->m.nvars, out, cap) == -1)
			return admin_why(r, ADMIN_UNKNOWN_TEMPLATE,
			    p->m.template);
		return 0;
	}
	if ((rc = office_case_find(r->of, p->code, &c)) != 1)
		return rc == 0 ? admin_why(r, "case: no case \"%s\"", p->code) :
		    -2;
	if (office_case_status_text(r->of, &c, p->status->code, p->note,
	    out, cap) == -1)
		return admin_why(r, "the status_changed template cannot be "
		    "rendered");
	return 0;
}

int
admin_preview(struct admin_req *r)
{
	struct admin_preview	p;
	struct office_preview	pv;
	char			text[TEXT_MAX];
	int			rc;

	r->audit = -1;		/* a POST that changes nothing */
	if (admin_body_preview(r->body, &p, r->why, sizeof(r->why)) == -1)
		return admin_bad(r);
	if ((rc = admin_preview_text(r, &p, text, sizeof(text))) == -2)
		return admin_fail(r);
	if (rc == -1)
		return admin_bad(r);
	if (office_preview(r->of, text, &pv) == -1)
		return admin_error(r, 400, "this text cannot be sent as an SMS");
	return admin_reply(r, 200, json_pack("{s:o, s:s, s:i, s:i, s:b}",
	    "text", admin_jstr(text), "alphabet", pv.gsm ? "gsm" : "ucs2",
	    "parts", pv.parts, "chars", pv.chars, "truncated", pv.truncated));
}

/* ---- GET /cases/{code}/slip ---- */

/* Row y of the code: one rect per run of dark modules. */
static void
admin_qr_row(struct evbuffer *b, const QRcode *qr, int y)
{
	const unsigned char	*row = qr->data + y * qr->width;
	int			 x, run;

	for (x = 0; x < qr->width; x += run ? run : 1) {
		for (run = 0; x + run < qr->width && (row[x + run] & 1); run++)
			;
		if (run)
			evbuffer_add_printf(b, "<rect x=\"%d\" y=\"%d\" "
			    "width=\"%d\" height=\"1\" fill=\"#000\"/>",
			    x + ADMIN_QR_QUIET, y + ADMIN_QR_QUIET, run);
	}
}

/*
 * The QR code as SVG: the dark modules as rects on a white square with a
 * quiet zone, crispEdges so that printers and screens keep the modules
 * sharp at any size. NULL when it cannot be made.
 */
static char *
admin_qr_svg(const char *payload)
{
	QRcode		*qr;
	struct evbuffer	*b;
	char		*out;
	int		 y, w;
	size_t		 n;

	if ((qr = QRcode_encodeString(payload, 0, QR_ECLEVEL_M, QR_MODE_8,
	    1)) == NULL)
		return NULL;
	w = qr->width + 2 * ADMIN_QR_QUIET;
	if ((b = evbuffer_new()) == NULL)
		fatalx("admin: out of memory");
	evbuffer_add_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">"
	    "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>", w, w, w, w);
	for (y = 0; y < qr->width; y++)
		admin_qr_row(b, qr, y);
	evbuffer_add(b, "</svg>", 7);	/* with its NUL */
	QRcode_free(qr);
	n = evbuffer_get_length(b);
	if ((out = malloc(n)) == NULL)
		fatal("malloc");
	evbuffer_remove(b, out, n);
	evbuffer_free(b);
	return out;
}

static json_t *
admin_slip_json(struct admin_req *r, const struct case_rec *c)
{
	const struct config	*cfg = office_config(r->of);
	const struct procedure	*p = procedures_find(replies_procedures(
				    office_replies(r->of)), c->procedure);
	char			 sms[64], qr[128], *svg;
	json_t			*o;

	snprintf(sms, sizeof(sms), "TC %s", c->code);
	snprintf(qr, sizeof(qr), "SMSTO:%s:%s", cfg->smsc[0].source_addr, sms);
	if ((svg = admin_qr_svg(qr)) == NULL)
		return NULL;
	o = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:s}",
	    "code", admin_jstr(c->code), "procedure", admin_jstr(c->procedure),
	    "procedure_name", p ? admin_jstr(p->name) : json_null(),
	    "name", admin_jstr(c->name), "received_at",
	    admin_jtime(c->received_at), "due", c->due[0] ? admin_jstr(c->due) :
	    json_null(), "short_code", admin_jstr(cfg->smsc[0].source_addr),
	    "ussd", admin_jstr(cfg->ussd_service_code), "sms_text", sms,
	    "qr_svg", svg);
	free(svg);
	return o;
}

int
admin_case_slip(struct admin_req *r)
{
	struct case_rec	c;
	int		rc;

	if ((rc = office_case_find(r->of, r->args[0], &c)) == -1)
		return admin_fail(r);
	if (rc == 0)
		return admin_error(r, 404, "no such case");
	return admin_reply(r, 200, admin_slip_json(r, &c));
}
