/*
 * USSD sessions: the menu of menu.conf, one screen per answer. A dial
 * (PSSR indication) opens a session keyed by link and number, and by the
 * carrier's dialog id where its profile has one; each answer (USSR
 * confirm) moves it on; a leaf runs the same actions as SMS
 * (dispatch_status, dispatch_submit), ends the session with their answer
 * and, when a case came out, queues one SMS receipt.
 *
 * Sessions live in memory only: after a restart, a time-out or an abort,
 * the phone's next answer gets the menu's "expired" screen. They hold
 * screen names, not pointers, because SIGHUP may swap the menu between two
 * answers. Everything queued goes into the inbound's savepoint, and a
 * session's state changes only once its screen is queued, so a store error
 * leaves both as they were.
 */
#include <sys/queue.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "store/cases.h"
#include "log.h"
#include "menu.h"
#include "store/store.h"
#include "smpp/smpp.h"
#include "office/office.h"
#include "procedures.h"

/*
 * Open sessions at once. A dial beyond it gets the menu's "busy" screen:
 * sessions under way are never dropped to make room, as they are the
 * ones closest to a result. At ~2 KiB each this is 2 MiB at most.
 */
#define USSD_SESSIONS_MAX	1000
#define USSD_DEPTH_MAX		8	/* screens "0" can go back through */
#define USSD_SHORTCUTS_MAX	8	/* answers in a *8077*2*1# dial */

/* ussd_service_op values (SMPP 3.4, 5.3.2.44) */
#define OP_PSSR_IND		1
#define OP_USSR_REQ		2
#define OP_PSSR_RESP		17
#define OP_USSR_CONF		18
#define ITS_END			0x0001	/* its_session_info: end of session */

/*
 * How a carrier runs USSD over SMPP; a link names its row with
 * ussd_profile. A new carrier is a new row, not new branches.
 */
struct ussd_profile {
	const char	*name;
	int		 op_continue;	/* a screen that waits for an answer */
	int		 op_end;	/* the last screen */
	int		 op_abort;	/* from the network: hung up; -1 none */
	unsigned	 dialog_mask;	/* its_session_info bits: the dialog */
	int		 its_always;	/* the end is only the bit: send it */
	int		 dialog_umr;	/* the dialog is user_message_reference */
};

static const struct ussd_profile profiles[] = {
	/* SMPP 3.4: octet 1 is the session number, octet 2 sequence + end */
	[CONFIG_USSD_DEFAULT] = { "default", OP_USSR_REQ, OP_PSSR_RESP, -1,
	    0xFF00, 0, 0 },
	/* Sixdee: a 15-bit dialog id plus the end bit; op 2 throughout */
	[CONFIG_USSD_SIXDEE] = { "sixdee", OP_USSR_REQ, OP_USSR_REQ, 0x81,
	    0xFFFE, 1, 0 },
	/* Mica (and Eyeline): the session id is user_message_reference. */
	[CONFIG_USSD_MICA] = { "mica", OP_USSR_REQ, OP_PSSR_RESP, -1, 0, 0, 1 },
};
#define NPROFILES	(sizeof(profiles) / sizeof(profiles[0]))

/* A screen, and the page of it when it is a list. */
struct ussd_place {
	char		screen[MENU_NAME_MAX];
	int		first;		/* the list item at key 1 */
};

/* What an answer may change; copied back only once its screen is queued. */
struct ussd_state {
	struct ussd_place at;
	struct ussd_place stack[USSD_DEPTH_MAX];	/* for "0" */
	int		depth;
	int		shown, more;	/* the list page on screen */
	char		proc[8];
	char		code[64];
	char		request[512];
};

struct ussd_sess {
	TAILQ_ENTRY(ussd_sess)	 entry;
	struct ussd		*u;
	char			 link[32];
	char			 msisdn[24];
	int			 dialog;	/* per profile; -1 none */
	struct event		*timer;
	struct ussd_state	 st;
};

struct ussd {
	struct office		*of;
	TAILQ_HEAD(, ussd_sess)	 sessions;	/* the cap keeps a list short */
	int			 n;
};

/* One message from the phone being answered. */
struct ussd_step {
	struct office		*of;
	const struct inbound	*in;
	const struct ussd_profile *prof;
	const struct menu	*menu;
	struct ussd_state	 st;
	char			 out[TEXT_MAX];	/* the screen to send */
	int			 end;		/* out is the last screen */
	int			 found;		/* c holds a case: receipt */
	struct case_rec		 c;
};

static void	 ussd_timeout(evutil_socket_t, short, void *);
static int	 ussd_show(struct ussd_step *, int, int);

static const struct ussd_profile *
ussd_profile_of(const struct office *of, const char *link)
{
	const struct config	*cfg = of->cfg;
	int			 i;

	for (i = 0; i < cfg->nsmsc; i++)
		if (strcmp(cfg->smsc[i].name, link) == 0 &&
		    cfg->smsc[i].ussd_profile >= 0 &&
		    (size_t)cfg->smsc[i].ussd_profile < NPROFILES)
			return &profiles[cfg->smsc[i].ussd_profile];
	return &profiles[CONFIG_USSD_DEFAULT];
}

static int
ussd_dialog(const struct ussd_profile *prof, const struct inbound *in)
{
	if (prof->dialog_umr)
		return in->user_msg_ref;
	return in->its_session < 0 || prof->dialog_mask == 0 ? -1 :
	    (int)((unsigned)in->its_session & prof->dialog_mask);
}

/* its_session_info for a screen: echoed, the end bit set on the last. */
static int
ussd_its(const struct ussd_profile *prof, int its, int end)
{
	if (its < 0 && !prof->its_always)
		return -1;
	return (its < 0 ? 0 : (its & 0xFFFE)) | (end ? ITS_END : 0);
}

/* ---- sessions ---- */

static struct ussd_sess *
ussd_find(struct ussd *u, const struct inbound *in)
{
	struct ussd_sess	*s;

	TAILQ_FOREACH(s, &u->sessions, entry)
		if (strcmp(s->msisdn, in->msisdn) == 0 &&
		    strcmp(s->link, in->link) == 0)
			return s;
	return NULL;
}

static struct ussd_sess *
ussd_sess_new(struct ussd *u, const struct inbound *in, int dialog)
{
	struct ussd_sess	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		fatal("calloc");
	if ((s->timer = evtimer_new(u->of->base, ussd_timeout, s)) == NULL)
		fatalx("evtimer_new");
	s->u = u;
	snprintf(s->link, sizeof(s->link), "%s", in->link);
	snprintf(s->msisdn, sizeof(s->msisdn), "%s", in->msisdn);
	s->dialog = dialog;
	TAILQ_INSERT_TAIL(&u->sessions, s, entry);
	u->n++;
	return s;
}

static void
ussd_sess_free(struct ussd_sess *s)
{
	TAILQ_REMOVE(&s->u->sessions, s, entry);
	s->u->n--;
	event_free(s->timer);
	free(s);
}

static void
ussd_timeout(evutil_socket_t fd, short ev, void *arg)
{
	struct ussd_sess	*s = arg;

	(void)fd; (void)ev;
	log_info("link=%s msisdn=%s ussd session timed out after %d s on "
	    "screen=%s: dropped", s->link, s->msisdn,
	    s->u->of->cfg->ussd_timeout, s->st.at.screen);
	ussd_sess_free(s);
}

/* ---- one step through the menu ---- */

static void
ussd_step_init(struct ussd_step *sp, struct office *of, const struct inbound *in,
    const struct ussd_profile *prof, const struct ussd_state *st)
{
	memset(sp, 0, sizeof(*sp));
	sp->of = of;
	sp->in = in;
	sp->prof = prof;
	sp->menu = replies_menu(of->replies);
	if (st != NULL)
		sp->st = *st;
}

/* Remembers where the phone is, for "0"; the oldest go first. */
static void
ussd_push(struct ussd_state *st)
{
	if (st->depth == USSD_DEPTH_MAX) {
		memmove(&st->stack[0], &st->stack[1],
		    sizeof(st->stack[0]) * (USSD_DEPTH_MAX - 1));
		st->depth--;
	}
	st->stack[st->depth++] = st->at;
}

static void
ussd_final(struct ussd_step *sp, const char *text)
{
	snprintf(sp->out, sizeof(sp->out), "%s", text);
	sp->end = 1;
}

static int
ussd_show(struct ussd_step *sp, int i, int hint)
{
	const struct procedures	*ps = replies_procedures(sp->of->replies);
	const struct procedure	*p = procedures_find(ps, sp->st.proc);
	const char		*items[PROC_MAX];
	struct menu_vals	 v;
	int			 k;

	for (k = 0; k < ps->n; k++)
		items[k] = ps->p[k].name;
	memset(&v, 0, sizeof(v));
	v.procedure = p ? p->name : sp->st.proc;
	v.request = sp->st.request;
	v.code = sp->st.code;
	v.items = items;
	v.nitems = ps->n;
	v.first = sp->st.at.first;
	v.back = sp->st.depth > 0;
	v.hint = hint;
	snprintf(sp->st.at.screen, sizeof(sp->st.at.screen), "%s",
	    sp->menu->screen[i].name);
	sp->end = sp->menu->screen[i].kind == MENU_FINAL;
	if (menu_render(sp->menu, i, &v, sp->out, sizeof(sp->out)) == -1) {
		/* Checked at load; only a broken invariant gets here. */
		log_warnx("msisdn=%s ussd screen=%s does not render: ending",
		    sp->in->msisdn, sp->st.at.screen);
		ussd_final(sp, sp->menu->expired);
	}
	sp->st.at.first = v.first;
	sp->st.shown = v.shown;
	sp->st.more = v.more;
	return 0;
}

/* An action's answer is the session's last screen. */
static int
ussd_ran(struct ussd_step *sp, const char *action, int rc)
{
	if (rc == -1)
		return -1;
	sp->end = 1;
	sp->found = rc == 1;
	log_info("msisdn=%s in=%lld ussd action=%s case=%s", sp->in->msisdn,
	    (long long)sp->in->id, action, sp->found ? sp->c.code : "-");
	return 0;
}

static int
ussd_go(struct ussd_step *sp, const struct menu_target *t)
{
	switch (t->run) {
	case MENU_STATUS:
		return ussd_ran(sp, "status", dispatch_status(sp->of, sp->in,
		    sp->st.code, sp->out, sizeof(sp->out), &sp->c));
	case MENU_SUBMIT:
		return ussd_ran(sp, "submit", dispatch_submit(sp->of, sp->in,
		    sp->st.proc, sp->st.request, sp->out, sizeof(sp->out),
		    &sp->c));
	}
	ussd_push(&sp->st);
	sp->st.at.first = 0;
	return ussd_show(sp, t->screen, 0);
}

static int
ussd_back(struct ussd_step *sp)
{
	int	i;

	sp->st.at = sp->st.stack[--sp->st.depth];
	if ((i = menu_find(sp->menu, sp->st.at.screen)) == -1)
		i = 0;		/* gone in a reload */
	return ussd_show(sp, i, 0);
}

/* The next page of a list, as a screen of its own for "0". */
static int
ussd_page(struct ussd_step *sp, int i)
{
	ussd_push(&sp->st);
	sp->st.at.first += sp->st.shown;
	return ussd_show(sp, i, 0);
}

/* A pick on a list page: the procedure, then on. */
static int
ussd_pick(struct ussd_step *sp, int i, int k)
{
	const struct procedures	*ps = replies_procedures(sp->of->replies);
	int			 n = sp->st.at.first + k - 1;

	if (k == MENU_MORE_KEY && sp->st.more)
		return ussd_page(sp, i);
	if (k < 1 || k > sp->st.shown || n >= ps->n)
		return 1;
	snprintf(sp->st.proc, sizeof(sp->st.proc), "%s", ps->p[n].code);
	return ussd_go(sp, &sp->menu->screen[i].next);
}

/* 1..max for an answer that is just that number, else 0. */
static int
ussd_number(const char *s, int max)
{
	char	*end;
	long	 v;

	if (!isdigit((unsigned char)*s))
		return 0;
	v = strtol(s, &end, 10);
	return *end == '\0' && v >= 1 && v <= max ? (int)v : 0;
}

/* Keeps a typed answer; a longer one than a case code or request is cut. */
static void
ussd_keep(struct ussd_state *st, int var, const char *ans)
{
	if (var == MENU_VAR_CODE)
		snprintf(st->code, sizeof(st->code), "%.*s",
		    (int)sizeof(st->code) - 1, ans);
	else
		snprintf(st->request, sizeof(st->request), "%.*s",
		    (int)sizeof(st->request) - 1, ans);
}

/*
 * Moves on by one answer: 0, or 1 when it was not understood and the
 * screen is shown again with the hint; -1 on a store error.
 */
static int
ussd_answer(struct ussd_step *sp, const char *raw)
{
	const struct menu_screen *sc;
	char			 ans[512];
	int			 i, k, rc;

	snprintf(ans, sizeof(ans), "%s", raw + strspn(raw, " \t\r\n"));
	for (k = (int)strlen(ans); k > 0 && isspace((unsigned char)ans[k - 1]);)
		ans[--k] = '\0';
	if ((i = menu_find(sp->menu, sp->st.at.screen)) == -1) {
		memset(&sp->st, 0, sizeof(sp->st));	/* gone in a reload */
		ussd_show(sp, 0, 1);
		return 1;
	}
	sc = &sp->menu->screen[i];
	if (strcmp(ans, "0") == 0 && sp->st.depth > 0)
		return ussd_back(sp);
	if (sc->kind == MENU_CHOOSE && (k = ussd_number(ans,
	    MENU_CHOICES_MAX)) && sc->choice[k - 1].label[0])
		return ussd_go(sp, &sc->choice[k - 1].to);
	if (sc->kind == MENU_LIST && (rc = ussd_pick(sp, i,
	    ussd_number(ans, MENU_MORE_KEY))) != 1)
		return rc;
	if (sc->kind == MENU_INPUT && ans[0] != '\0' && strcmp(ans, "0") != 0) {
		ussd_keep(&sp->st, sc->var, ans);
		return ussd_go(sp, &sc->next);
	}
	/* What was typed stays out of the log, as for SMS. */
	log_info("msisdn=%s ussd screen=%s answer of %zu bytes not understood: "
	    "shown again", sp->in->msisdn, sc->name, strlen(ans));
	ussd_show(sp, i, 1);
	return 1;
}

/* ---- what goes out ---- */

static int
ussd_receipt(struct ussd_step *sp)
{
	static const char *const keys[] = { "code", "status" };
	const char	*vals[2];
	char		 text[TEXT_MAX];

	vals[0] = sp->c.code;
	vals[1] = replies_label(sp->of->replies,
	    case_status_name(sp->c.status));
	if (replies_render(sp->of->replies, "ussd_receipt", keys, vals, 2, text,
	    sizeof(text)) == -1)
		return -1;
	return outbox_queue(sp->of->store, sp->of->cfg, sp->in->msisdn, text,
	    "reply", OUT_PRIO_REPLY, sp->in->id) == -1 ? -1 : 0;
}

static int
ussd_send(struct ussd_step *sp)
{
	const struct ussd_profile *p = sp->prof;

	if (outbox_queue_ussd(sp->of->store, sp->in, sp->out, sp->end ?
	    p->op_end : p->op_continue, ussd_its(p, sp->in->its_session,
	    sp->end)) == -1)
		return -1;
	if (sp->end && sp->found && sp->menu->receipt)
		return ussd_receipt(sp);
	return 0;
}

/* Queues the screen, then ends the session or keeps it for the answer. */
static int
ussd_commit(struct ussd *u, struct ussd_sess *s, struct ussd_step *sp)
{
	struct timeval	tv = { u->of->cfg->ussd_timeout, 0 };

	if (ussd_send(sp) == -1)
		return -1;
	if (sp->end) {
		log_info("msisdn=%s in=%lld ussd session ended on screen=%s",
		    sp->in->msisdn, (long long)sp->in->id,
		    sp->st.at.screen[0] ? sp->st.at.screen : "-");
		if (s != NULL)
			ussd_sess_free(s);
		return 0;
	}
	if (s == NULL)
		s = ussd_sess_new(u, sp->in, ussd_dialog(sp->prof, sp->in));
	s->st = sp->st;
	evtimer_add(s->timer, &tv);
	return 0;
}

/* A last screen of the menu's own (expired, busy), with no session. */
static int
ussd_say(struct office *of, const struct inbound *in,
    const struct ussd_profile *prof, const char *text)
{
	return outbox_queue_ussd(of->store, in, text, prof->op_end,
	    ussd_its(prof, in->its_session, 1)) == -1 ? -1 : 0;
}

/* ---- what comes in ---- */

/* "*8077#", "*8077" and "*8077##" are one code: no trailing '#'. */
static void
ussd_code_stem(const char *s, char *out, size_t cap)
{
	size_t	n;

	snprintf(out, cap, "%s", s + strspn(s, " "));
	n = strlen(out);
	while (n > 0 && (out[n - 1] == '#' || out[n - 1] == ' '))
		out[--n] = '\0';
}

/*
 * The answers a dial carries after the service code: *8077*2*1# is "2"
 * then "1". A dial that is not our code opens the menu all the same (the
 * SMSC routed it here), logged.
 */
static int
ussd_shortcuts(const struct office *of, const char *dialled,
    char ans[USSD_SHORTCUTS_MAX][16])
{
	char	 code[40], d[TEXT_MAX], *p, *q;
	size_t	 n;
	int	 k = 0;

	ussd_code_stem(of->cfg->ussd_service_code, code, sizeof(code));
	ussd_code_stem(dialled, d, sizeof(d));
	n = strlen(code);
	if (strncmp(d, code, n) != 0 || (d[n] != '\0' && d[n] != '*')) {
		log_info("ussd dialled=\"%.30s\" is not %s: opening the menu",
		    dialled, of->cfg->ussd_service_code);
		return 0;
	}
	for (p = d + n; *p == '*' && k < USSD_SHORTCUTS_MAX; p = q) {
		q = p + 1 + strcspn(p + 1, "*");
		snprintf(ans[k++], sizeof(ans[0]), "%.*s", (int)(q - p - 1),
		    p + 1);
	}
	return k;
}

static int
ussd_dial(struct ussd *u, struct ussd_sess *s, const struct inbound *in,
    const struct ussd_profile *prof)
{
	struct ussd_step	 sp;
	char			 ans[USSD_SHORTCUTS_MAX][16];
	int			 i, n, rc;

	if (s != NULL) {
		log_info("msisdn=%s dialled again: ussd session restarted",
		    in->msisdn);
		ussd_sess_free(s);
	}
	if (u->n >= USSD_SESSIONS_MAX) {
		log_warnx("msisdn=%s %d ussd sessions open: busy", in->msisdn,
		    u->n);
		return ussd_say(u->of, in, prof,
		    replies_menu(u->of->replies)->busy);
	}
	ussd_step_init(&sp, u->of, in, prof, NULL);
	ussd_show(&sp, 0, 0);
	n = ussd_shortcuts(u->of, in->text[0] ? in->text : in->dest, ans);
	log_info("msisdn=%s in=%lld ussd session opened profile=%s its=%d",
	    in->msisdn, (long long)in->id, prof->name, in->its_session);
	/* Shortcut answers stop at the end, or at one not understood. */
	for (i = 0, rc = 0; i < n && rc == 0 && !sp.end; i++)
		if ((rc = ussd_answer(&sp, ans[i])) == -1)
			return -1;
	return ussd_commit(u, NULL, &sp);
}

static int
ussd_reply(struct ussd *u, struct ussd_sess *s, const struct inbound *in,
    const struct ussd_profile *prof)
{
	struct ussd_step	 sp;
	int			 dialog = ussd_dialog(prof, in);

	if (s != NULL && s->dialog != -1 && dialog != -1 &&
	    s->dialog != dialog) {
		log_info("msisdn=%s ussd dialog %d is not the open %d: stale "
		    "session dropped", in->msisdn, dialog, s->dialog);
		ussd_sess_free(s);
		s = NULL;
	}
	if (s == NULL) {
		log_info("msisdn=%s in=%lld ussd answer without a session: "
		    "expired", in->msisdn, (long long)in->id);
		return ussd_say(u->of, in, prof,
		    replies_menu(u->of->replies)->expired);
	}
	ussd_step_init(&sp, u->of, in, prof, &s->st);
	if (ussd_answer(&sp, in->text) == -1)
		return -1;
	return ussd_commit(u, s, &sp);
}

/* The network ended the dialog (user abort, end bit): nothing to send. */
static int
ussd_abort(struct ussd_sess *s, const struct inbound *in)
{
	log_info("msisdn=%s in=%lld ussd session aborted by the network "
	    "(op=%d its=%d)%s", in->msisdn, (long long)in->id, in->ussd_op,
	    in->its_session, s ? "" : ": none open");
	if (s != NULL)
		ussd_sess_free(s);
	return 0;
}

int
ussd_handle(struct office *of, const struct inbound *in)
{
	struct ussd			*u = of->ussd;
	const struct ussd_profile	*prof = ussd_profile_of(of, in->link);
	struct ussd_sess		*s = ussd_find(u, in);

	if (in->ussd_op == prof->op_abort ||
	    (in->its_session >= 0 && (in->its_session & ITS_END)))
		return ussd_abort(s, in);
	if (in->ussd_op == OP_PSSR_IND)
		return ussd_dial(u, s, in, prof);
	if (in->ussd_op == OP_USSR_CONF)
		return ussd_reply(u, s, in, prof);
	log_info("msisdn=%s in=%lld ussd_op=%d is neither a dial nor an "
	    "answer: ignored", in->msisdn, (long long)in->id, in->ussd_op);
	return 0;
}

struct ussd *
ussd_start(struct office *of)
{
	struct ussd	*u;

	if ((u = calloc(1, sizeof(*u))) == NULL)
		fatal("calloc");
	u->of = of;
	TAILQ_INIT(&u->sessions);
	return u;
}

void
ussd_stop(struct ussd *u)
{
	struct ussd_sess	*s;

	if (u == NULL)
		return;
	while ((s = TAILQ_FIRST(&u->sessions)) != NULL)
		ussd_sess_free(s);
	free(u);
}

int
ussd_sessions(const struct ussd *u)
{
	return u != NULL ? u->n : 0;
}
