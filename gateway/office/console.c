/*
 * What the staff console asks of the office beyond the admin API's
 * basics: the office's days (today, tomorrow through the next working
 * day, as the reminders count them), pages of cases and conversations
 * from the store's bounded walks, the inbox of texts that need a person,
 * and a preview that splits a text as the outbox will.
 */
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "log.h"
#include "store/cases.h"
#include "store/console.h"
#include "store/store.h"
#include "office/office.h"
#include "text.h"

/* The day after d (noon UTC steps over any offset). */
static struct cal_date
office_next_day(struct cal_date d, int step)
{
	struct tm	tm;
	time_t		t;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = d.y - 1900;
	tm.tm_mon = d.m - 1;
	tm.tm_mday = d.d + step;
	tm.tm_hour = 12;
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	return (struct cal_date){ tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday };
}

void
office_days(struct office *of, int64_t now, struct office_days *d)
{
	struct cal_date	today = case_local_date(now);

	cal_iso(today, d->today);
	cal_iso(office_next_day(today, -1), d->yesterday);
	cal_iso(office_next_day(today, 1), d->tomorrow_lo);
	cal_iso(cal_add_workdays(today, 1, replies_holidays(of->replies)),
	    d->tomorrow_hi);
	d->day_start = office_day_ms(today);
}

int
office_case_walk(struct office *of, const struct case_key *key,
    const char *msisdn, int budget, case_walk_cb cb, void *arg,
    struct case_key *last)
{
	return case_walk(of->cases, key, msisdn, budget, cb, arg, last);
}

int
office_case_due_page(struct office *of, const char *lo, const char *hi,
    int limit, case_rec_cb cb, void *arg)
{
	return case_due_page(of->cases, lo, hi, limit, cb, arg);
}

int
office_case_rated_at(struct office *of, int64_t id, int64_t *at)
{
	return case_rated_at(of->cases, id, at);
}

int
office_msg_thread(struct office *of, const char *msisdn, int limit, msg_cb cb,
    void *arg)
{
	return msg_thread_each(of->cases, msisdn, limit, cb, arg);
}

int64_t
office_msg_count_since(struct office *of, int out, int64_t since)
{
	return msg_count_since(of->cases, out, since);
}

/*
 * The alphabet and parts the outbox would send text with: the same
 * charset setting, segment cap and splitter (smpp/outbox.c). -1 when it
 * cannot be encoded at all.
 */
int
office_preview(struct office *of, const char *text, struct office_preview *p)
{
	static struct text_parts tp;	/* large; the loop is single-threaded */
	enum text_charset	 cs = (enum text_charset)of->cfg->charset;
	int			 units = 0;

	if (text_encode_parts(text, cs, of->cfg->max_segments, 0, &tp) < 1 ||
	    text_count_parts(text, cs, &units) < 1)
		return -1;
	p->gsm = tp.data_coding == TEXT_DC_GSM7;
	p->parts = tp.nparts;
	p->chars = units;
	p->truncated = tp.truncated;
	return 0;
}

/*
 * A text that needs a person (no rule answered it, or feedback) opens
 * its number's inbox thread, or reopens a done one. A failure here is
 * logged and costs the citizen nothing: the reply still goes.
 */
void
office_inbox_note(struct office *of, const struct inbound *in,
    const char *kind)
{
	if (inbox_note(of->cases, in->msisdn, kind, in->id, in->received_at,
	    in->text) == -1)
		log_warnx("msisdn=%s in=%lld action=inbox failed", in->msisdn,
		    (long long)in->id);
}

int
office_inbox_page(struct office *of, const struct inbox_key *key,
    int open_only, int limit, inbox_cb cb, void *arg)
{
	return inbox_page(of->cases, key, open_only, limit, cb, arg);
}

int
office_inbox_get(struct office *of, const char *msisdn, inbox_cb cb,
    void *arg)
{
	return inbox_get(of->cases, msisdn, cb, arg);
}

int
office_inbox_done(struct office *of, const char *msisdn, int64_t now,
    const char *actor)
{
	return inbox_done(of->cases, msisdn, now, actor);
}
