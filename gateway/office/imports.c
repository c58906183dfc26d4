/*
 * Case imports from the case system's CSV (issue 13): checked, compared
 * with the store and staged a slice at a time, then applied in one
 * transaction, or not at all.
 *
 * Neither step holds the loop for long. Checking reads, checks and looks
 * up the rows of at most IMPORT_SLICE_MS (and IMPORT_SLICE_ROWS) a loop
 * turn, each slice its own short transaction, and yields with a zero
 * timer at the loop's lowest priority, so an SMPP link's work always
 * comes first. Applying first makes each row ready, again in slices (the
 * case read once more, the citizen's status_changed SMS rendered and
 * routed), which is the progress GET /imports/{id} shows; then one
 * transaction writes it all with set-based statements (store/imports.c):
 * the only long step, measured and logged. A status that moved, or a code
 * opened, since the preview refuses the whole import.
 *
 * A restart fails an import that was being checked (its file was in
 * memory) and resumes one being applied from its first row: nothing of it
 * was written before its one transaction.
 */
#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "calendar.h"
#include "casecode.h"
#include "casecsv.h"
#include "clock.h"
#include "log.h"
#include "procedures.h"
#include "store/cases.h"
#include "store/imports.h"
#include "store/store.h"
#include "office/office.h"

#define IMPORT_SLICE_MS		1	/* of the loop's time a turn, about */
#define IMPORT_SLICE_ROWS	500
#define IMPORT_SLICE_CHECK	10	/* rows between two looks at the clock */
#define IMPORT_ROW_ERRORS	8	/* problems kept per row */
#define IMPORT_DROP_CHUNK	2000	/* staged rows forgotten a turn */
#define IMPORT_PREVIEW_TTL_MS	(24LL * 3600 * 1000)	/* then discarded */

enum job_kind { JOB_CHECK, JOB_APPLY, JOB_DROP };

struct import_job {
	TAILQ_ENTRY(import_job)	 entry;
	struct imports		*im;
	struct event		*ev;
	enum job_kind		 kind;
	int64_t			 id;
	int64_t			 now;		/* the request's time */
	char			 actor[64];
	int64_t			 started_us, longest_us;
	int64_t			 cpu_us, longest_cpu_us;	/* the thread's */
	int			 slices;
	/* checking: the file and what it is read with (copies: a reload
	 * may replace the office's texts meanwhile) */
	char			*buf;
	size_t			 len;
	struct casecsv		 csv;
	struct casecsv_cols	 cols;
	int			 header_read;
	char			 hdr[2 * CASECSV_NFIELDS][CASECSV_KEY_MAX];
	int64_t			 total;
	struct casecsv_map	 map;
	struct procedures	 procs;
	imports_cb		 done;
	void			*arg;
	/* applying */
	int			 cursor;	/* last row made ready */
	int64_t			 ready;
	char			 scratch[CASECSV_RECORD_MAX];
};

struct imports {
	struct office		*of;
	struct imp_store	*is;
	TAILQ_HEAD(, import_job) jobs;
};

static void	job_soon(struct import_job *);

static int64_t
clock_us(clockid_t id)
{
	struct timespec	ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int64_t
now_us(void)
{
	return clock_us(CLOCK_MONOTONIC);
}

static void
job_free(struct import_job *j)
{
	TAILQ_REMOVE(&j->im->jobs, j, entry);
	event_free(j->ev);
	free(j->buf);
	free(j);
}

/* ---- a write transaction per slice ---- */

static int
tx_begin(struct office *of)
{
	return office_write_begin(of);
}

static int
tx_end(struct office *of, int own, int keep)
{
	return office_write_end(of, own, keep);
}

/* A state (and reason) in its own transaction; logged when it fails. */
static void
job_state(struct import_job *j, const char *state, const char *reason)
{
	struct office	*of = j->im->of;
	int		 own;

	if ((own = tx_begin(of)) == -1 ||
	    tx_end(of, own, imp_set_state(j->im->is, j->id, state,
	    reason) == 0) == -1)
		log_warnx("import=%lld cannot record state %s", (long long)j->id,
		    state);
}

/* ---- checking ---- */

static void
check_error(struct import_job *j, int row, const char *field, const char *why)
{
	imp_error_add(j->im->is, j->id, row, field, why);
}

/* The local time a row's date means (midnight without a time). */
static int64_t
check_when_ms(const struct casecsv_when *w)
{
	struct tm	tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = w->y - 1900;
	tm.tm_mon = w->m - 1;
	tm.tm_mday = w->d;
	tm.tm_hour = w->hh;
	tm.tm_min = w->mi;
	tm.tm_sec = w->ss;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm) * 1000;
}

/* A new case's reception time and due date; 0, or -1 (a problem added). */
static int
check_new(struct import_job *j, const struct casecsv_row *row,
    struct imp_row *ir, char due[11])
{
	struct office		*of = j->im->of;
	const struct procedure	*p;
	const char		*h = j->cols.header[CASECSV_CODE];

	if (casecode_check(row->code, of->cfg->code_prefix) != CASECODE_FOREIGN) {
		check_error(j, row->row, h, "no such case here, and codes of "
		    "this form are made by motcua: import the case system's "
		    "own codes");
		return -1;
	}
	if ((p = procedures_find(&j->procs, row->procedure)) == NULL) {
		h = j->cols.header[CASECSV_PROCEDURE];
		check_error(j, row->row, h[0] ? h : "procedure", "empty: a new "
		    "case needs its procedure");
		return -1;
	}
	ir->action = IMP_NEW;
	ir->received_at = row->has_received ? check_when_ms(&row->received) :
	    j->now;
	if (row->due[0] == '\0')
		cal_iso(cal_add_workdays(office_local_date(ir->received_at),
		    p->days, replies_holidays(of->replies)), due);
	else
		snprintf(due, 11, "%s", row->due);
	ir->due = due;
	return 0;
}

/* A code given twice: neither row applies, both say so. */
static void
check_twice(struct import_job *j, int row, int other)
{
	const char	*h = j->cols.header[CASECSV_CODE];
	char		 why[128];

	snprintf(why, sizeof(why), "the same case as row %d: neither row is "
	    "applied", other);
	check_error(j, row, h, why);
	snprintf(why, sizeof(why), "the same case as row %d: neither row is "
	    "applied", row);
	check_error(j, other, h, why);
	imp_row_refuse(j->im->is, j->id, other);
}

/* A good row: compared with the store and staged. */
static int
check_stage(struct import_job *j, const struct casecsv_row *row)
{
	struct case_rec	c;
	struct imp_row	ir;
	char		due[11] = "";
	int		rc, other = 0;

	memset(&ir, 0, sizeof(ir));
	ir.row = row->row;
	ir.code = row->code;
	ir.canon = row->canon;
	ir.procedure = row->procedure;
	ir.msisdn = row->msisdn;
	ir.name = row->name;
	ir.status = row->status;
	ir.due = row->due;
	if ((rc = office_case_find(j->im->of, row->code, &c)) == -1)
		return -1;
	if (rc == 1) {
		ir.canon = c.canon;
		ir.case_id = c.id;
		ir.old_status = c.status;
		ir.action = c.status == row->status ? IMP_SAME : IMP_CHANGE;
	} else if (check_new(j, row, &ir, due) == -1)
		return 0;
	if ((rc = imp_row_add(j->im->is, j->id, &ir, &other)) == 0)
		check_twice(j, row->row, other);
	return rc == -1 ? -1 : 0;
}

static int
check_data(struct import_job *j, const struct casecsv_rec *rec)
{
	struct casecsv_ctx	ctx = { &j->map, &j->procs,
				    j->im->of->cfg->country_code };
	struct casecsv_err	errs[IMPORT_ROW_ERRORS];
	struct casecsv_row	row;
	int			n, i;

	if (rec->blank)
		return 0;
	j->total++;
	n = casecsv_check(&ctx, &j->cols, rec, &row, errs, IMPORT_ROW_ERRORS);
	for (i = 0; i < n && i < IMPORT_ROW_ERRORS; i++)
		check_error(j, rec->row, errs[i].header[0] ? errs[i].header :
		    casecsv_field_name(errs[i].field), errs[i].reason);
	return n == 0 ? check_stage(j, &row) : 0;
}

/* The header's names, kept: the record they point into is reused. */
static void
job_headers(struct import_job *j)
{
	int	f;

	for (f = 0; f < CASECSV_NFIELDS; f++) {
		snprintf(j->hdr[f], sizeof(j->hdr[0]), "%s", j->cols.header[f]);
		snprintf(j->hdr[CASECSV_NFIELDS + f], sizeof(j->hdr[0]), "%s",
		    j->cols.alt_header[f]);
		j->cols.header[f] = j->hdr[f];
		j->cols.alt_header[f] = j->hdr[CASECSV_NFIELDS + f];
	}
}

/* One slice: 1 more to read, 0 the end, -1 a store error; *why a fault
 * of the file that stops it (the header). */
static int
check_slice(struct import_job *j, int64_t t0, char *why, size_t cap)
{
	struct casecsv_rec	 rec;
	const char		*err;
	int			 n, rc;

	for (n = 0; n < IMPORT_SLICE_ROWS && (n % IMPORT_SLICE_CHECK !=
	    IMPORT_SLICE_CHECK - 1 || now_us() - t0 < IMPORT_SLICE_MS * 1000);
	    n++) {
		rc = casecsv_next(&j->csv, &rec, j->scratch, sizeof(j->scratch),
		    &err);
		if (rc == 0)
			return 0;
		if (!j->header_read) {
			if (rc == -1 || casecsv_header(&j->map, &rec, &j->cols,
			    why, cap) == -1) {
				if (rc == -1)
					snprintf(why, cap, "row 1: %s", err);
				return 0;
			}
			job_headers(j);
			j->header_read = 1;
		} else if (rc == -1) {
			j->total++;
			check_error(j, rec.row, "", err);
		} else if (check_data(j, &rec) == -1)
			return -1;
	}
	return 1;
}

/* A slice's hold of the loop, on the wall clock and in CPU time (on a
 * busy machine the first includes time the thread was not running). */
static void
job_timing(struct import_job *j, int64_t t0)
{
	int64_t	us = now_us() - t0;
	int64_t	cpu = clock_us(CLOCK_THREAD_CPUTIME_ID) - j->cpu_us;

	if (us > j->longest_us)
		j->longest_us = us;
	if (cpu > j->longest_cpu_us)
		j->longest_cpu_us = cpu;
	j->slices++;
}

static int64_t
job_clock(struct import_job *j)
{
	j->cpu_us = clock_us(CLOCK_THREAD_CPUTIME_ID);
	return now_us();
}

/* The check is over: the preview (or why not) to the asker. */
static void
check_end(struct import_job *j, const char *why)
{
	struct office	*of = j->im->of;
	int		 own;

	if ((own = tx_begin(of)) == -1 || tx_end(of, own,
	    (why ? imp_set_state(j->im->is, j->id, "failed", why) :
	    imp_recount(j->im->is, j->id, j->total) == 0 ?
	    imp_set_state(j->im->is, j->id, "preview", "") : -1) == 0) == -1)
		why = "store failure: nothing was changed";
	log_info("import=%lld checked rows=%lld in %lld ms, %d slices, the "
	    "longest %lld us (%lld us of CPU)%s%s", (long long)j->id,
	    (long long)j->total, (long long)(now_us() - j->started_us) / 1000,
	    j->slices, (long long)j->longest_us, (long long)j->longest_cpu_us,
	    why ? ": " : "", why ? why : "");
	if (j->done)
		j->done(j->arg, j->id, why);
	j->done = NULL;
	if (why == NULL) {
		job_free(j);
		return;
	}
	free(j->buf);		/* the file is not needed any more */
	j->buf = NULL;
	j->kind = JOB_DROP;	/* what a failed check staged is forgotten */
	job_soon(j);
}

static void
check_run(struct import_job *j)
{
	struct office	*of = j->im->of;
	char		 why[256] = "";
	int64_t		 t0 = job_clock(j);
	int		 own, rc = -1;

	if (j->done == NULL) {		/* the asker went away */
		job_state(j, "discarded", "the upload's connection closed "
		    "before the check ended");
		log_info("import=%lld the upload's connection closed: discarded",
		    (long long)j->id);
		free(j->buf);
		j->buf = NULL;
		j->kind = JOB_DROP;	/* and its rows staged so far */
		job_soon(j);
		return;
	}
	if ((own = tx_begin(of)) != -1) {
		rc = check_slice(j, t0, why, sizeof(why));
		if (tx_end(of, own, rc != -1) == -1)
			rc = -1;
	}
	job_timing(j, t0);
	if (rc == 1 && why[0] == '\0')
		job_soon(j);
	else
		check_end(j, rc == -1 ? "store failure: nothing was changed" :
		    why[0] ? why : NULL);
}

/* ---- applying ---- */

/* One row made ready: the case read again, its SMS rendered and routed. */
static int
apply_ready(struct import_job *j, const struct imp_todo *t)
{
	static const char *const keys[] = { "code", "status", "note" };
	struct office	*of = j->im->of;
	struct case_rec	 c;
	const char	*vals[3];
	char		 text[TEXT_MAX];
	int		 rc;

	if ((rc = case_find(of->cases, t->canon, &c)) == -1)
		return -1;
	if (rc == 0)		/* still new; a code opened since fails it */
		return 0;
	if (c.status == t->status)
		return imp_row_prepared(j->im->is, j->id, t->row, IMP_SAME, c.id,
		    c.status, NULL, NULL, NULL);
	vals[0] = c.code;
	vals[1] = replies_label(of->replies, case_status_name(t->status));
	vals[2] = "";
	if (c.msisdn[0] && replies_render(of->replies, "status_changed", keys,
	    vals, 3, text, sizeof(text)) == -1)
		return -1;
	return imp_row_prepared(j->im->is, j->id, t->row, IMP_CHANGE, c.id,
	    c.status, c.msisdn, of->cfg->smsc[config_route(of->cfg,
	    c.msisdn)].name, c.msisdn[0] ? text : NULL);
}

/* 1 more to make ready, 0 all ready, -1 store error. */
static int
apply_slice(struct import_job *j, int64_t t0)
{
	static struct imp_todo	todo[IMPORT_SLICE_ROWS];
	struct imp_info		in;
	int			n, i;

	if ((n = imp_todo_next(j->im->is, j->id, j->cursor, todo,
	    IMPORT_SLICE_ROWS)) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (apply_ready(j, &todo[i]) == -1)
			return -1;
		j->cursor = todo[i].row;
		j->ready++;
		if (i % IMPORT_SLICE_CHECK == IMPORT_SLICE_CHECK - 1 &&
		    now_us() - t0 > IMPORT_SLICE_MS * 1000) {
			i++;
			break;
		}
	}
	if (imp_progress(j->im->is, j->id, j->ready) == -1)
		return -1;
	if (i < n || n == IMPORT_SLICE_ROWS)
		return 1;
	/* All ready: the counts as they are now, before the transaction. */
	if (imp_get(j->im->is, j->id, &in) != 1 ||
	    imp_recount(j->im->is, j->id, in.total) == -1)
		return -1;
	return 0;
}

/* The one transaction; 0, IMP_STALE (why says what moved), -1. */
static int
apply_commit(struct import_job *j, char *why, size_t cap)
{
	struct office	*of = j->im->of;
	int		 own, rc = 0;

	if ((own = tx_begin(of)) == -1)
		return -1;
	if (rc == 0)
		rc = imp_commit(j->im->is, j->id, j->actor, j->now, why, cap);
	if (tx_end(of, own, rc == 0) == -1 && rc == 0)
		rc = -1;
	return rc;
}

static void
apply_end(struct import_job *j)
{
	char	why[256] = "store failure: nothing was changed";
	int64_t	t0 = job_clock(j);
	int	rc = apply_commit(j, why, sizeof(why));
	int64_t	us = now_us() - t0;
	int64_t	cpu = clock_us(CLOCK_THREAD_CPUTIME_ID) - j->cpu_us;

	if (rc != 0)
		job_state(j, "failed", why);
	log_info("import=%lld %s rows=%lld actor=\"%s\" in %lld ms: %d slices, "
	    "the longest %lld us (%lld us of CPU), the transaction %lld us "
	    "(%lld us of CPU)%s%s", (long long)j->id, rc == 0 ? "applied" :
	    "failed", (long long)j->ready, j->actor, (long long)(now_us() -
	    j->started_us) / 1000, j->slices, (long long)j->longest_us,
	    (long long)j->longest_cpu_us, (long long)us, (long long)cpu,
	    rc ? ": " : "", rc ? why : "");
	j->kind = JOB_DROP;
	job_soon(j);
}

static void
apply_run(struct import_job *j)
{
	struct office	*of = j->im->of;
	int64_t		 t0 = job_clock(j);
	int		 own, rc = -1;

	if ((own = tx_begin(of)) != -1) {
		rc = apply_slice(j, t0);
		if (tx_end(of, own, rc != -1) == -1)
			rc = -1;
	}
	job_timing(j, t0);
	if (rc == 1)
		job_soon(j);
	else if (rc == 0)
		apply_end(j);
	else {
		job_state(j, "failed", "store failure: nothing was changed");
		j->kind = JOB_DROP;
		job_soon(j);
	}
}

/* A finished import's staged rows, forgotten a chunk a turn. */
static void
drop_run(struct import_job *j)
{
	struct office	*of = j->im->of;
	int		 own, n = -1;

	if ((own = tx_begin(of)) != -1) {
		n = imp_rows_drop(j->im->is, j->id, IMPORT_DROP_CHUNK);
		if (tx_end(of, own, n != -1) == -1)
			n = -1;
	}
	if (n != 0)
		job_soon(j);
	else
		job_free(j);
}

static void
job_cb(evutil_socket_t fd, short ev, void *arg)
{
	struct import_job	*j = arg;

	(void)fd; (void)ev;
	switch (j->kind) {
	case JOB_CHECK:
		check_run(j);
		break;
	case JOB_APPLY:
		apply_run(j);
		break;
	case JOB_DROP:
		drop_run(j);
		break;
	}
}

/* The next slice once the loop has served what waits (a timer, not an
 * activation, at the lowest priority: the links go first). */
static void
job_soon(struct import_job *j)
{
	struct timeval	zero = { 0, 0 };

	evtimer_add(j->ev, &zero);
}

static struct import_job *
job_new(struct imports *im, enum job_kind kind, int64_t id, int64_t now,
    const char *actor)
{
	struct import_job	*j;

	if ((j = calloc(1, sizeof(*j))) == NULL ||
	    (j->ev = evtimer_new(im->of->base, job_cb, j)) == NULL)
		fatal("import: out of memory");
	event_priority_set(j->ev, event_base_get_npriorities(im->of->base) - 1);
	j->im = im;
	j->kind = kind;
	j->id = id;
	j->now = now;
	j->started_us = now_us();
	snprintf(j->actor, sizeof(j->actor), "%s", actor);
	TAILQ_INSERT_TAIL(&im->jobs, j, entry);
	job_soon(j);
	return j;
}

/* ---- the staff side ---- */

/* Previews nobody applied in a day are discarded, their rows forgotten:
 * looked at on each upload and at start, the oldest first. */
static void
imports_expire(struct imports *im, int64_t now)
{
	struct imp_info	in;
	int64_t		ids[16];
	int		n, i;

	n = imp_in_state(im->is, "preview", ids, 16);
	for (i = 0; i < n; i++) {
		if (imp_get(im->is, ids[i], &in) != 1 ||
		    in.created_at >= now - IMPORT_PREVIEW_TTL_MS)
			break;
		job_state(job_new(im, JOB_DROP, ids[i], 0, ""), "discarded",
		    "not applied within 24 hours");
		log_info("import=%lld not applied within 24 hours: discarded",
		    (long long)ids[i]);
	}
}

struct import_job *
imports_check(struct office *of, char *buf, size_t len, const char *actor,
    int64_t now, imports_cb done, void *arg)
{
	struct imports		*im = of->imports;
	struct import_job	*j;
	int64_t			 id = -1;
	int			 own;

	imports_expire(im, now);
	if ((own = tx_begin(of)) == -1 || tx_end(of, own, (id = imp_create(im->is,
	    actor, now)) != -1) == -1) {
		free(buf);
		return NULL;
	}
	j = job_new(im, JOB_CHECK, id, now, actor);
	j->buf = buf;
	j->len = len;
	j->map = *replies_import_map(of->replies);
	j->procs = *replies_procedures(of->replies);
	j->done = done;
	j->arg = arg;
	casecsv_open(&j->csv, buf, len);
	log_info("import=%lld upload bytes=%zu actor=\"%s\"", (long long)id, len,
	    actor);
	return j;
}

/* The asker is gone: its check stops at the next slice. */
void
imports_detach(struct import_job *j)
{
	j->done = NULL;
	j->arg = NULL;
}

int
imports_get(struct office *of, int64_t id, struct imp_info *in)
{
	return imp_get(of->imports->is, id, in);
}

int
imports_errors(struct office *of, int64_t id, int limit,
    void (*cb)(const struct imp_error *, void *), void *arg)
{
	return imp_errors_each(of->imports->is, id, limit, cb, arg);
}

/*
 * Starts applying a preview: 1 started, 0 no such import, -2 refused
 * (why says it: not a preview, another import applying), -1 store.
 */
int
imports_apply(struct office *of, int64_t id, const char *actor, int64_t now,
    char *why, size_t cap)
{
	struct imports	*im = of->imports;
	struct imp_info	 in;
	int64_t		 other;
	int		 own, rc;

	if ((rc = imp_get(im->is, id, &in)) != 1)
		return rc;
	if (strcmp(in.state, "preview") != 0)
		return snprintf(why, cap, "import %lld is %s: only a preview can "
		    "be applied", (long long)id, in.state), -2;
	if ((rc = imp_in_state(im->is, "applying", &other, 1)) != 0)
		return rc == -1 ? -1 : (snprintf(why, cap, "import %lld is being "
		    "applied: try again when it is done", (long long)other), -2);
	if ((own = tx_begin(of)) == -1 || tx_end(of, own,
	    (rc = imp_apply_begin(im->is, id, actor)) == 1) == -1)
		return -1;
	job_new(im, JOB_APPLY, id, now, actor);
	log_info("import=%lld applying actor=\"%s\"", (long long)id, actor);
	return 1;
}

/* 1 discarded, 0 no such import, -2 refused (why), -1 store. */
int
imports_discard(struct office *of, int64_t id, char *why, size_t cap)
{
	struct imports	*im = of->imports;
	struct imp_info	 in;
	int		 own, rc;

	if ((rc = imp_get(im->is, id, &in)) != 1)
		return rc;
	if (strcmp(in.state, "preview") != 0 && strcmp(in.state, "failed") != 0)
		return snprintf(why, cap, "import %lld is %s: only a preview can "
		    "be discarded", (long long)id, in.state), -2;
	if ((own = tx_begin(of)) == -1 || tx_end(of, own, imp_set_state(im->is,
	    id, "discarded", "") == 0) == -1)
		return -1;
	job_new(im, JOB_DROP, id, 0, "");
	log_info("import=%lld discarded", (long long)id);
	return 1;
}

/* What a restart finds: checks failed, applies resumed. */
static void
imports_resume(struct imports *im, int64_t now)
{
	struct imp_info	in;
	int64_t		ids[16];
	int		n, i;

	n = imp_in_state(im->is, "checking", ids, 16);
	for (i = 0; i < n; i++) {
		job_state(job_new(im, JOB_DROP, ids[i], 0, ""), "failed",
		    "the daemon stopped during the check: upload the file again");
		log_info("import=%lld was being checked: failed", (long long)ids[i]);
	}
	n = imp_in_state(im->is, "applying", ids, 16);
	for (i = 0; i < n; i++) {
		if (imp_get(im->is, ids[i], &in) != 1)
			continue;
		job_new(im, JOB_APPLY, ids[i], now, in.applied_by);
		log_info("import=%lld was being applied: resumed", (long long)ids[i]);
	}
}

struct imports *
imports_start(struct office *of)
{
	struct imports	*im;

	if ((im = calloc(1, sizeof(*im))) == NULL)
		fatal("calloc");
	im->of = of;
	TAILQ_INIT(&im->jobs);
	if ((im->is = imp_store_open(of->store)) == NULL)
		fatalx("import: cannot prepare its statements");
	of->imports = im;
	imports_resume(im, clock_wall_ms());
	imports_expire(im, clock_wall_ms());
	return im;
}

void
imports_stop(struct imports *im)
{
	if (im == NULL)
		return;
	while (!TAILQ_EMPTY(&im->jobs))
		job_free(TAILQ_FIRST(&im->jobs));
	imp_store_close(im->is);
	free(im);
}
