/*
 * The one place where a case is opened and the one where its status
 * changes, for every channel: an SMS or USSD request, the admin API, and
 * the coming console and imports. Opening writes the record and its first
 * history row (and the finish time of a case imported as done), and texts
 * the citizen when asked; a status change writes the record and its
 * history, texts the citizen with status_changed, and asks for a rating
 * when the case is returned. Each runs inside the caller's transaction
 * (the SMS batch's savepoint, the admin request's), so a step that fails
 * leaves nothing behind once the caller drops it; the result says which
 * step failed, and that step is logged here, once.
 */
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "casecode.h"
#include "log.h"
#include "store/cases.h"
#include "store/store.h"
#include "smpp/smpp.h"
#include "office/office.h"
#include "procedures.h"

static const char *const rc_names[] = {
	[OFFICE_CASE_OK] = "ok",
	[OFFICE_CASE_SAME] = "same request",
	[OFFICE_CASE_EXISTS] = "code exists",
	[OFFICE_CASE_ERR_STORE] = "record",
	[OFFICE_CASE_ERR_TEXT] = "citizen's SMS",
	[OFFICE_CASE_ERR_RATING] = "rating question",
};

const char *
office_case_rc_name(enum office_case_rc rc)
{
	return (size_t)rc < sizeof(rc_names) / sizeof(rc_names[0]) ?
	    rc_names[rc] : "?";
}

/* Logs the step that failed (the store has logged its SQL); returns rc. */
static enum office_case_rc
office_case_failed(const char *action, const char *code,
    enum office_case_rc rc)
{
	log_warnx("case=%s action=%s failed step=\"%s\"", code[0] ? code : "-",
	    action, office_case_rc_name(rc));
	return rc;
}

/* The status_changed text for c at status: what the citizen gets; the
 * console previews it before the change. 0 or -1. */
int
office_case_status_text(struct office *of, const struct case_rec *c,
    int status, const char *note, char *out, size_t cap)
{
	static const char *const keys[] = { "code", "status", "note" };
	const char	*vals[3];

	vals[0] = c->code;
	vals[1] = replies_label(of->replies, case_status_name(status));
	vals[2] = note ? note : "";
	return replies_render(of->replies, "status_changed", keys, vals, 3,
	    out, cap);
}

/* Texts the citizen the case's (new) status with status_changed. */
static int
office_case_notify(struct office *of, const struct case_rec *c, const char *note)
{
	char		 text[TEXT_MAX];

	if (c->msisdn[0] == '\0')
		return 0;
	if (office_case_status_text(of, c, c->status, note, text,
	    sizeof(text)) == -1)
		return -1;
	return outbox_queue(of->store, of->cfg, c->msisdn, text, "notify",
	    OUT_PRIO_REPLY, 0) == -1 ? -1 : 0;
}

static void
office_case_fill(struct office *of, const struct office_case_new *in,
    int64_t now, struct case_new *nc)
{
	memset(nc, 0, sizeof(*nc));
	nc->code = in->code;
	nc->kind = in->kind;
	nc->procedure = in->proc ? in->proc->code : "";
	nc->msisdn = in->msisdn;
	nc->name = in->name;
	nc->request = in->request ? in->request : "";
	nc->channel = in->channel;
	nc->status = in->status ? in->status : CASE_RECEIVED;
	nc->days = in->proc ? in->proc->days : 0;
	snprintf(nc->due, sizeof(nc->due), "%s", in->due ? in->due : "");
	nc->now = now;
	nc->holidays = replies_holidays(of->replies);
}

/* The same request from the same number lately, when the caller asks. */
static int
office_case_same(struct office *of, const struct office_case_new *in,
    const struct case_new *nc, struct case_rec *c)
{
	int	rc;

	if (in->resend_since <= 0)
		return 0;
	if ((rc = case_find_recent(of->cases, nc, in->resend_since, c)) == 1)
		log_info("msisdn=%s case=%s same request again: no new case",
		    nc->msisdn, c->code);
	return rc;
}

/* A case imported as ready or returned has finished: record when. */
static int
office_case_finish(struct office *of, struct case_rec *c, int64_t now)
{
	if (c->status != CASE_READY && c->status != CASE_RETURNED)
		return 0;
	if (case_set_finished(of->cases, c->id, now) == -1 ||
	    case_find(of->cases, c->canon, c) != 1)
		return -1;
	return 0;
}

enum office_case_rc
office_case_open(struct office *of, const struct office_case_new *in,
    int64_t now, struct case_rec *c)
{
	struct case_new	nc;
	const char	*code = in->code ? in->code : "";
	int		rc;

	office_case_fill(of, in, now, &nc);
	if ((rc = office_case_same(of, in, &nc, c)) != 0)
		return rc == 1 ? OFFICE_CASE_SAME :
		    office_case_failed("open", code, OFFICE_CASE_ERR_STORE);
	if ((rc = case_create(of->cases, &nc, of->cfg->code_prefix, c)) == 0)
		return OFFICE_CASE_EXISTS;
	if (rc != 1 || office_case_finish(of, c, now) == -1)
		return office_case_failed("open", code, OFFICE_CASE_ERR_STORE);
	if (in->notify && office_case_notify(of, c, "") == -1)
		return office_case_failed("open", c->code, OFFICE_CASE_ERR_TEXT);
	log_info("msisdn=%s case=%s kind=%s procedure=%s channel=%s created",
	    c->msisdn, c->code, c->kind, c->procedure, c->channel);
	return OFFICE_CASE_OK;
}

enum office_case_rc
office_case_set_status(struct office *of, struct case_rec *c,
    const struct office_case_change *ch, int64_t now)
{
	if (case_set_status(of->cases, c->id, ch->status, ch->due, ch->note,
	    ch->actor, now) == -1 || case_find(of->cases, c->canon, c) != 1)
		return office_case_failed("status", c->code,
		    OFFICE_CASE_ERR_STORE);
	if (office_case_notify(of, c, ch->note) == -1)
		return office_case_failed("status", c->code,
		    OFFICE_CASE_ERR_TEXT);
	if (rating_ask_if_due(of, c, now) == -1)
		return office_case_failed("status", c->code,
		    OFFICE_CASE_ERR_RATING);
	log_info("case=%s action=status status=%s actor=\"%s\"", c->code,
	    case_status_name(c->status), ch->actor);
	return OFFICE_CASE_OK;
}

/* Finds a case by any spelling of its code, or the short national form;
 * 1, 0 or -1. */
int
office_case_find(struct office *of, const char *code, struct case_rec *c)
{
	char	canon[CASECODE_MAX + 32];
	int	rc;

	if (casecode_canon(code, canon, sizeof(canon)) <= 0)
		return 0;
	if ((rc = case_find(of->cases, canon, c)) != 0)
		return rc;
	if (casecode_expand_short(code, of->cfg->unit_code, canon,
	    sizeof(canon)) != 1)
		return 0;
	return case_find(of->cases, canon, c);
}

const char *
office_case_timeliness(const struct case_rec *c, int64_t now)
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
	    case_local_date(now)));
}
