/*
 * What a citizen's message asks for, and the answer. intent.c reads the
 * message; each intent has one handler here that acts and renders the
 * answer; the SMS path then queues it. USSD runs the same actions
 * (dispatch_status, dispatch_submit), so the two channels cannot disagree;
 * a request opens its case through cases.c, as the admin API does.
 * Everything a handler writes goes into the open savepoint, so the effect
 * (a case, an opt-out) and its reply commit together or not at all.
 */
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "casecode.h"
#include "store/cases.h"
#include "intent.h"
#include "log.h"
#include "store/store.h"
#include "smpp/smpp.h"
#include "office/office.h"
#include "procedures.h"
#include "str.h"
#include "text.h"

#define LOOKUP_FAIL_MAX		5			/* per number and window */
#define LOOKUP_FAIL_WINDOW_MS	(60 * 60 * 1000)
#define RESEND_WINDOW_MS	(24 * 60 * 60 * 1000)	/* same request again */

struct ask {
	struct office		*of;
	const struct inbound	*in;
	const struct intent	*it;
	char			*out;		/* the answer, rendered */
	size_t			 outcap;
	struct case_rec		*c;		/* the case it found or made */
};

typedef int (*handler_fn)(struct ask *);

static int
reply(struct ask *a, const char *tpl, const char *const *keys,
    const char *const *vals, size_t n)
{
	return replies_render(a->of->replies, tpl, keys, vals, n, a->out,
	    a->outcap) == -1 ? -1 : 0;
}

static int
reply_plain(struct ask *a, const char *tpl)
{
	return reply(a, tpl, NULL, NULL, 0);
}

static int
reply_code(struct ask *a, const char *tpl, const char *code)
{
	static const char *const keys[] = { "code" };

	return reply(a, tpl, keys, &code, 1);
}

static const struct procedure *
find_proc(struct ask *a, const char *code)
{
	return procedures_find(replies_procedures(a->of->replies), code);
}

/* "KS Đăng ký khai sinh" lines, for procedures and unknown_procedure. */
static void
proc_list(struct ask *a, char *out, size_t cap)
{
	const struct procedures	*ps = replies_procedures(a->of->replies);
	size_t			 len = 0;
	int			 i;

	out[0] = '\0';
	for (i = 0; i < ps->n && len < cap; i++)
		len += (size_t)snprintf(out + len, cap - len, "%s%s %s",
		    i ? "\n" : "", ps->p[i].code, ps->p[i].name);
}

static int
on_help(struct ask *a)
{
	return reply_plain(a, "help");
}

static int
on_unknown(struct ask *a)
{
	static const char *const skey[] = { "command" }, *const ukey[] =
	    { "suggestion" };
	const char	*cmd = a->it->suggestion;
	char		 sugg[256] = "";

	if (cmd[0] && replies_render(a->of->replies, "suggestion", skey, &cmd,
	    1, sugg, sizeof(sugg)) == -1)
		sugg[0] = '\0';
	const char *v = sugg;
	office_inbox_note(a->of, a->in, "unknown");
	return reply(a, "unknown", ukey, &v, 1);
}

static int
status_reply(struct ask *a, const struct case_rec *c)
{
	static const char *const keys[] = { "code", "status", "procedure",
	    "due", "late" };
	const struct procedure	*p = find_proc(a, c->procedure);
	struct cal_date		 due, fin;
	struct cal_date		 today = case_local_date(a->in->received_at);
	char			 due_vn[11] = "";
	const char		*vals[5], *pname;
	enum cal_timeliness	 t = CAL_WITHIN;

	if (cal_parse(c->due, &due) == 0) {
		cal_vn(due, due_vn);
		fin = case_local_date(c->finished_at);
		t = cal_timeliness(due, c->finished_at ? &fin : NULL, today);
	}
	pname = strcmp(c->kind, "feedback") == 0 ?
	    replies_label(a->of->replies, "feedback") : p ? p->name :
	    c->procedure;
	/* Privacy: code, procedure, status and due date only, whoever asks. */
	vals[0] = c->code;
	vals[1] = replies_label(a->of->replies, case_status_name(c->status));
	vals[2] = pname;
	vals[3] = due_vn;
	vals[4] = replies_label(a->of->replies, cal_timeliness_name(t));
	return reply(a, "status", keys, vals, 5);
}

/* A failed look-up counts against the number; too many and it waits. */
static int
lookup_failed(struct ask *a, const char *tpl, const char *code)
{
	if (lookup_fail_add(a->of->cases, a->in->msisdn, a->in->received_at,
	    LOOKUP_FAIL_WINDOW_MS) == -1)
		return -1;
	return reply_code(a, tpl, code);
}

static int
on_status(struct ask *a)
{
	const struct config	*cfg = a->of->cfg;
	struct case_rec		*c = a->c;
	char			 shortform[CASECODE_MAX * 2];
	const char		*code = a->it->arg;
	int			 rc;

	if (code[0] == '\0')
		return on_help(a);
	if (lookup_fail_count(a->of->cases, a->in->msisdn, a->in->received_at,
	    LOOKUP_FAIL_WINDOW_MS) >= LOOKUP_FAIL_MAX) {
		log_info("msisdn=%s too many failed look-ups: not looking up",
		    a->in->msisdn);
		return reply_plain(a, "lookup_limit");
	}
	if ((rc = case_find(a->of->cases, code, c)) == 1)
		return status_reply(a, c);
	if (rc == 0 && casecode_expand_short(code, cfg->unit_code, shortform,
	    sizeof(shortform)) == 1 &&
	    (rc = case_find(a->of->cases, shortform, c)) == 1)
		return status_reply(a, c);
	if (rc == -1)
		return -1;
	if (casecode_check(code, cfg->code_prefix) == CASECODE_MISTYPED)
		return lookup_failed(a, "mistyped_code", code);
	return lookup_failed(a, "not_found", code);
}

static int
reply_unknown_procedure(struct ask *a)
{
	static const char *const keys[] = { "procedure", "list" };
	char		 list[2048], word[64];
	const char	*vals[2] = { word, list };

	/* The word the citizen used as a procedure, for the reply. */
	snprintf(word, sizeof(word), "%.*s", (int)strcspn(a->it->arg, " "),
	    a->it->arg);
	proc_list(a, list, sizeof(list));
	return reply(a, "unknown_procedure", keys, vals, 2);
}

static int
reply_howto(struct ask *a, const struct procedure *p)
{
	static const char *const keys[] = { "procedure", "name" };
	const char	*vals[2] = { p->code, p->name };

	return reply(a, "submit_howto", keys, vals, 2);
}

/*
 * Opens a case (or finds the same request sent again) at the time the
 * message came: gateway/office/cases.c does the writing.
 */
static int
create_case(struct ask *a, const char *kind, const struct procedure *p,
    struct case_rec *c)
{
	struct office_case_new	nc;
	int64_t			now = a->in->received_at;

	memset(&nc, 0, sizeof(nc));
	nc.kind = kind;
	nc.proc = p;
	nc.msisdn = a->in->msisdn;
	nc.request = a->it->arg;
	nc.channel = strcmp(a->in->kind, "ussd") == 0 ? "ussd" : "sms";
	nc.resend_since = now - RESEND_WINDOW_MS;
	switch (office_case_open(a->of, &nc, now, c)) {
	case OFFICE_CASE_OK:
	case OFFICE_CASE_SAME:
		return 0;
	case OFFICE_CASE_EXISTS:	/* a made code is new: not expected */
		log_warnx("msisdn=%s case=%s made code exists", a->in->msisdn,
		    c->code);
		return -1;
	default:
		return -1;		/* logged in cases.c */
	}
}

static int
on_submit(struct ask *a)
{
	static const char *const keys[] = { "code", "procedure", "due" };
	const struct procedure	*p = find_proc(a, a->it->proc);
	struct case_rec		*c = a->c;
	struct cal_date		 due;
	char			 due_vn[11] = "";
	const char		*vals[3];

	if (p == NULL)
		return reply_unknown_procedure(a);
	if (a->it->flags & INTENT_F_HOWTO)
		return reply_howto(a, p);
	if (create_case(a, "case", p, c) == -1)
		return -1;
	if (cal_parse(c->due, &due) == 0)
		cal_vn(due, due_vn);
	vals[0] = c->code;
	vals[1] = p->name;
	vals[2] = due_vn;
	return reply(a, "submitted", keys, vals, 3);
}

static int
on_feedback(struct ask *a)
{
	if (create_case(a, "feedback", NULL, a->c) == -1)
		return -1;
	office_inbox_note(a->of, a->in, "feedback");
	return reply_code(a, "feedback_received", a->c->code);
}

static int
on_procedures(struct ask *a)
{
	static const char *const keys[] = { "list" };
	char		 list[2048];
	const char	*v = list;

	proc_list(a, list, sizeof(list));
	return reply(a, "procedures", keys, &v, 1);
}

static int
on_procedure(struct ask *a)
{
	static const char *const keys[] = { "procedure", "name", "fee", "days",
	    "documents" };
	const struct procedure	*p = find_proc(a, a->it->proc);
	char			 days[16];
	const char		*vals[5];

	if (p == NULL)
		return on_procedures(a);
	snprintf(days, sizeof(days), "%d", p->days);
	vals[0] = p->code;
	vals[1] = p->name;
	vals[2] = p->fee;
	vals[3] = days;
	vals[4] = p->documents;
	return reply(a, "procedure", keys, vals, 5);
}

static int
on_schedule(struct ask *a)
{
	return reply_plain(a, "schedule");
}

static int
on_opt(struct ask *a, int out)
{
	if (optout_set(a->of->cases, a->in->msisdn, out, a->in->received_at) == -1)
		return -1;
	log_info("msisdn=%s opted %s", a->in->msisdn, out ? "out" : "in");
	return reply_plain(a, out ? "opted_out" : "opted_in");
}

static int
on_optout(struct ask *a)
{
	return on_opt(a, 1);
}

static int
on_optin(struct ask *a)
{
	return on_opt(a, 0);
}

/* A lone digit is a rating only when one was asked for; else it is help. */
static int
on_rating(struct ask *a)
{
	int	rc = rating_take(a->of, a->in, a->it->arg, a->out, a->outcap);

	if (rc == -1)
		return -1;
	return rc == 1 ? 0 : on_help(a);
}

static const handler_fn handlers[] = {
	[INTENT_UNKNOWN] = on_unknown,
	[INTENT_HELP] = on_help,
	[INTENT_STATUS] = on_status,
	[INTENT_SUBMIT] = on_submit,
	[INTENT_FEEDBACK] = on_feedback,
	[INTENT_PROCEDURES] = on_procedures,
	[INTENT_PROCEDURE] = on_procedure,
	[INTENT_SCHEDULE] = on_schedule,
	[INTENT_OPTOUT] = on_optout,
	[INTENT_OPTIN] = on_optin,
	[INTENT_RATING] = on_rating,
};

int
dispatch_sms(struct office *of, const struct inbound *in)
{
	static struct case_rec	 c;	/* large; the loop is single-threaded */
	struct intent_ctx	 ctx;
	static struct intent	 it;
	char			 text[TEXT_MAX];
	struct ask		 a = { of, in, &it, text, sizeof(text), &c };
	handler_fn		 run = on_help;

	if (strcmp(in->kind, "ussd") == 0)
		return ussd_handle(of, in);
	replies_intent_ctx(of->replies, of->cfg, &ctx);
	intent_classify(replies_rules(of->replies), &ctx, in->text, &it);
	log_info("link=%s msisdn=%s in=%lld intent=%s score=%d%s", in->link,
	    in->msisdn, (long long)in->id, intent_name(it.kind), it.score,
	    it.flags & INTENT_F_FORWARDED ? " forwarded" : "");
	if ((size_t)it.kind < sizeof(handlers) / sizeof(handlers[0]) &&
	    handlers[it.kind] != NULL)
		run = handlers[it.kind];
	if (run(&a) == -1)
		return -1;
	return outbox_queue(of->store, of->cfg, in->msisdn, text, "reply",
	    OUT_PRIO_REPLY, in->id) == -1 ? -1 : 0;
}

/* An intent built by hand, for the channels that do not parse text. */
static void
intent_for(struct intent *it, enum intent_kind kind, const char *proc,
    const char *arg)
{
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	str_copy(it->proc, proc ? proc : "", sizeof(it->proc));
	str_copy(it->arg, arg ? arg : "", sizeof(it->arg));
}

int
dispatch_status(struct office *of, const struct inbound *in, const char *code,
    char *out, size_t cap, struct case_rec *c)
{
	static struct intent	 it;
	char			 canon[CASECODE_MAX * 2];
	struct ask		 a = { of, in, &it, out, cap, c };

	if (casecode_canon(code, canon, sizeof(canon)) == -1)
		canon[0] = '\0';
	intent_for(&it, INTENT_STATUS, NULL, canon);
	memset(c, 0, sizeof(*c));
	if (on_status(&a) == -1)
		return -1;
	return c->id != 0;
}

int
dispatch_submit(struct office *of, const struct inbound *in, const char *proc,
    const char *request, char *out, size_t cap, struct case_rec *c)
{
	static struct intent	 it;
	struct ask		 a = { of, in, &it, out, cap, c };

	intent_for(&it, INTENT_SUBMIT, proc, request);
	memset(c, 0, sizeof(*c));
	if (on_submit(&a) == -1)
		return -1;
	return c->id != 0;
}
