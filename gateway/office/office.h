/*
 * The office's rules: what an inbound message means and the answer it
 * gets, USSD, broadcasts, reminders and ratings, the reply texts and the
 * report; the one place a case is opened and its status changes
 * (cases.c), and what the staff side asks of the office (staff.c), so
 * that admin/ includes this header and no room below it.
 */
#ifndef OFFICE_H
#define OFFICE_H

#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "config.h"
#include "procedures.h"
#include "text.h"
#include "store/store.h"
/* The records (cases, contacts) and counters (struct smpp_stats) the
 * office hands to the staff side. */
#include "store/cases.h"
#include "store/console.h"
#include "store/imports.h"
#include "store/accounts.h"
#include "smpp/smpp.h"

struct case_rec;
struct cal_holidays;
struct event_base;
struct broadcasts;
struct case_store;
struct reminders;
struct link;
struct accounts;
struct replies;
struct ussd;

/*
 * What the office's rules work with: the daemon's parts, lent by the
 * wiring (motcuad.c), which makes, owns and frees them. One per process.
 */
struct office {
	struct event_base	*base;
	struct config		*cfg;
	struct store		*store;
	struct replies		*replies;	/* replaced whole by a reload */
	struct case_store	*cases;
	struct ussd		*ussd;
	struct broadcasts	*broadcasts;
	struct reminders	*reminders;
	struct imports		*imports;
	struct accounts		*accounts;	/* the password worker */
	struct link		*links[CONFIG_MAX_SMSC];
	int			 nlinks;
	int			 stopping;	/* SIGTERM: no new work */
	int64_t			 backup_due;	/* the next daily one, wall ms */
	int64_t			 backup_ok_at;	/* the newest good one, or 0 */
	struct smpp_stats	 stats;
};

/* backup.c: on demand (API, tool) and daily into [store] backup_dir */
int		 office_backup_start(struct office *, const char *dest,
		    int64_t now);
int		 office_backup_last(struct office *,
		    struct store_backup_result *, int64_t now);
void		 office_backup_tick(struct office *, int64_t now);
int64_t		 office_backup_ok_at(struct office *);	/* wall ms, or 0 */
int		 office_held_list(struct office *, int64_t after, int limit,
		    store_held_cb, void *);
int64_t		 office_held_drop(struct office *, int64_t id);
int64_t		 office_held_release(struct office *, int64_t id);
int		 office_privacy_erase(struct office *, const char *msisdn,
		    struct store_erased *);

/* inbound.c */
uint32_t	 inbound_deliver(struct office *, struct link *, int64_t session,
		    const uint8_t *, size_t, int64_t now);
void		 inbound_resume(struct office *);
void		 inbound_expire_parts(struct office *, int64_t now);

/* replies.c */
struct replies	*replies_load(const char *dir, int max_segments,
		    enum config_charset, char *err, size_t errlen);
void		 replies_free(struct replies *);
int		 replies_render(const struct replies *, const char *name,
		    const char *const *keys, const char *const *vals, size_t n,
		    char *out, size_t cap);
const char	*replies_label(const struct replies *, const char *key);
const struct cal_holidays *replies_holidays(const struct replies *);
struct casecsv_map;
const struct casecsv_map *replies_import_map(const struct replies *);
struct intent_ctx;
void		 replies_intent_ctx(const struct replies *, const struct config *,
		    struct intent_ctx *);
const struct intent_rules *replies_rules(const struct replies *);
struct template;
const struct template *replies_extra(const struct replies *, const char *);
const struct procedures *replies_procedures(const struct replies *);
struct menu;
const struct menu *replies_menu(const struct replies *);

/* broadcast.c */
struct broadcast_req {
	const char		*group;		/* one of group, msisdns, */
	const char *const	*msisdns;	/* cases_status */
	size_t			 nmsisdns;
	const char		*cases_status;
	const char		*text;		/* or a template */
	const char		*template;
	const char		*vars_json;	/* a JSON object, or NULL */
	int64_t			 at;		/* unix ms; 0 = now */
	int			 dry_run;
};

struct broadcast_info {
	int64_t		 id;			/* 0 for a dry run */
	char		 state[12];
	int64_t		 total, queued, sent, delivered, failed, skipped;
	/* what a dry run (and creation) shows before anything is sent */
	int64_t		 recipients;		/* after opt-outs, duplicates, cap */
	int		 parts;			/* SMS parts per message */
	int64_t		 total_parts;
	char		 sample_to[24];
	char		 sample[TEXT_MAX];
};

struct broadcasts;
struct broadcasts *broadcast_start(struct office *);
void		 broadcast_stop(struct broadcasts *);
/* 0 created (or dry run shown), -1 bad request (err says why), -2 store. */
int		 broadcast_create(struct office *, const struct broadcast_req *,
		    struct broadcast_info *, char *err, size_t errlen);
/* 1 found, 0 no such broadcast, -1 store error. */
int		 broadcast_get(struct office *, int64_t id, struct broadcast_info *);
int		 broadcast_cancel(struct office *, int64_t id, struct broadcast_info *);
/* Calls cb for the newest broadcasts first, at most limit; -1 on error. */
int		 broadcast_list(struct office *, int limit,
		    void (*cb)(const struct broadcast_info *, void *), void *);
void		 broadcast_kick(struct office *);
#define BROADCAST_NSTATES	5
struct broadcast_gauges {
	const char	*state[BROADCAST_NSTATES];
	int64_t		 count[BROADCAST_NSTATES];	/* broadcasts */
	int64_t		 pending;	/* recipients not yet queued */
};
/* For /metrics: broadcasts by state; 0, or -1 on a store error. */
int		 broadcast_gauges(struct office *, struct broadcast_gauges *);

/* cases.c: the one place a case is opened, the one its status changes */
struct procedure;
struct office_case_new {
	const char		*code;		/* NULL: make one */
	const char		*kind;		/* "case" or "feedback" */
	const struct procedure	*proc;		/* NULL for feedback */
	const char		*msisdn;
	const char		*name;
	const char		*request;
	const char		*channel;	/* sms ussd counter import */
	int			 status;	/* 0: received */
	const char		*due;		/* NULL: the procedure's days */
	int			 notify;	/* text the citizen its status */
	int64_t			 resend_since;	/* > 0: the same request since
						 * then is found, not made */
};
struct office_case_change {
	int			 status;
	const char		*due;		/* NULL: unchanged */
	const char		*note;
	const char		*actor;
};
/* Which step failed: each is logged once where it fails. */
enum office_case_rc {
	OFFICE_CASE_OK,
	OFFICE_CASE_SAME,	/* the same request again: the earlier case */
	OFFICE_CASE_EXISTS,	/* a case with this code exists */
	OFFICE_CASE_ERR_STORE,	/* the record, its history */
	OFFICE_CASE_ERR_TEXT,	/* the citizen's SMS */
	OFFICE_CASE_ERR_RATING,	/* the rating question */
};
enum office_case_rc office_case_open(struct office *, const struct office_case_new *,
		    int64_t now, struct case_rec *);
/* "within", "overdue" (open) or "early", "on_time", "late" (done) at
 * now; NULL without a due date. */
const char	*office_case_timeliness(const struct case_rec *, int64_t now);
enum office_case_rc office_case_set_status(struct office *, struct case_rec *,
		    const struct office_case_change *, int64_t now);
const char	*office_case_rc_name(enum office_case_rc);
int		 office_case_find(struct office *, const char *code,
		    struct case_rec *);
int		 office_case_status_text(struct office *, const struct case_rec *,
		    int status, const char *note, char *out, size_t cap);

/* dispatch.c */
struct case_rec;
int		 dispatch_sms(struct office *, const struct inbound *);
/*
 * The actions SMS and USSD share: each renders the citizen's answer into
 * out (the same text an SMS would carry) and returns 1 when it found or
 * made a case (*c filled), 0 when not (not found, mistyped, unknown
 * procedure, too many look-ups), -1 on a store error.
 */
int		 dispatch_status(struct office *, const struct inbound *,
		    const char *code, char *out, size_t cap, struct case_rec *);
int		 dispatch_submit(struct office *, const struct inbound *,
		    const char *proc, const char *request, char *out, size_t cap,
		    struct case_rec *);

/* imports.c: case imports from the case system's CSV */
struct imports;
struct import_job;
/* The check is over: err NULL (a preview) or why the file was refused. */
typedef void	(*imports_cb)(void *arg, int64_t id, const char *err);
struct imports	*imports_start(struct office *);
void		 imports_stop(struct imports *);
/* Takes buf (malloc'd); the job, or NULL (store error, buf freed). */
struct import_job *imports_check(struct office *, char *buf, size_t len,
		    const char *actor, int64_t now, imports_cb, void *arg);
void		 imports_detach(struct import_job *);
int		 imports_get(struct office *, int64_t id, struct imp_info *);
int		 imports_errors(struct office *, int64_t id, int limit,
		    void (*)(const struct imp_error *, void *), void *);
int		 imports_apply(struct office *, int64_t id, const char *actor,
		    int64_t now, char *why, size_t cap);
int		 imports_discard(struct office *, int64_t id, char *why,
		    size_t cap);

/* reminders.c */
struct reminders *reminders_start(struct office *);
void		 reminders_stop(struct reminders *);
int		 reminders_due_each(struct office *, int64_t now, const char *date,
		    void (*)(const struct case_rec *, void *), void *);
int		 rating_ask_if_due(struct office *, const struct case_rec *,
		    int64_t now);
int		 rating_take(struct office *, const struct inbound *,
		    const char *digit, char *out, size_t cap);

/* report.c: the supervision report, filled; see the file for what each
 * figure means. Named counts keep the order a report shows them. */
int64_t		 office_day_ms(struct cal_date);	/* its local midnight, unix ms */
#define REPORT_KEYS	(PROC_MAX + 16)
struct report_counts {
	struct {
		char	 key[32];
		int64_t	 n;
	}		 c[REPORT_KEYS];
	int		 n;
};

struct office_report {
	struct cal_date		 from, to;
	int64_t			 total, feedback;	/* received */
	struct report_counts	 by_status, by_timeliness, by_channel,
				 by_procedure;
	struct {
		int64_t	 total, early, on_time, late;
	}			 resolved;
	struct {
		int64_t	 total, within, overdue;
	}			 open;
	struct {
		int64_t	 received, sent, delivered, failed;
	}			 messages;
	struct report_counts	 sent_by_kind;
	struct {
		int64_t	 in_period, total;
	}			 optouts;
	struct {
		int64_t	 asked, count, score[6];	/* score[1..5] */
		double	 average;			/* -1: none rated */
	}			 ratings;
	int64_t			 reminders_sent;
};

int		 office_report_fill(struct office *, struct cal_date from,
		    struct cal_date to, int64_t now, struct office_report *);

/* ussd.c */
struct ussd	*ussd_start(struct office *);
void		 ussd_stop(struct ussd *);
int		 ussd_handle(struct office *, const struct inbound *);
int		 ussd_sessions(const struct ussd *);	/* open now, for metrics */

/* staff.c: what the admin API asks of the office */
struct office_link_info {
	const char	*name;
	const char	*state;
	int		 up;		/* bound */
	uint64_t	 reconnects;
};
struct event_base *office_base(struct office *);
const struct config *office_config(struct office *);
const struct replies *office_replies(struct office *);
int		 office_write_begin(struct office *);
int		 office_write_end(struct office *, int own, int keep);
struct cal_date	 office_local_date(int64_t ms);
int		 office_case_history(struct office *, int64_t id, case_history_cb,
		    void *);
int		 office_case_list(struct office *, const struct case_filter *,
		    case_each_cb, void *);
int		 office_contact_get(struct office *, const char *msisdn,
		    struct contact *);
int		 office_contact_put(struct office *, const char *msisdn,
		    const char *name, const char *const *groups, size_t ngroups,
		    int64_t now);
int		 office_contact_groups(struct office *, const char *msisdn,
		    void (*)(const char *, void *), void *);
int		 office_group_find(struct office *, const char *name, char *out,
		    size_t cap);
int		 office_group_members(struct office *, const char *name,
		    contact_each_cb, void *);
/* Bulk contact imports: staged a chunk at a time, applied all at once. */
int64_t		 office_import_open(struct office *, int64_t now);
int		 office_import_add(struct office *, int64_t id,
		    const struct contact_row *, size_t n, int errors,
		    int64_t now);
int		 office_import_counts(struct office *, int64_t id,
		    struct contact_import *);
int		 office_import_apply(struct office *, int64_t id,
		    struct contact_import *, int64_t now);
int		 office_import_drop(struct office *, int64_t id);
int		 office_optout_get(struct office *, const char *msisdn);
int64_t		 office_send(struct office *, const char *msisdn, const char *text);
int		 office_queue_depth(struct office *);
int64_t		 office_wal_bytes(struct office *);	/* the store's -wal */
int		 office_nlinks(struct office *);
void		 office_link(struct office *, int i, struct office_link_info *);
const struct smpp_stats *office_stats(struct office *);
int		 office_ussd_sessions(struct office *);

/* console.c: what the staff console reads, the inbox, previews */
struct office_days {
	char		 today[11], yesterday[11];	/* YYYY-MM-DD, local */
	char		 tomorrow_lo[11], tomorrow_hi[11];	/* to the next
							 * working day */
	int64_t		 day_start;			/* unix ms */
};
struct office_preview {
	int		 gsm;		/* GSM 03.38, else UCS-2 */
	int		 parts;
	int		 chars;		/* septets or UTF-16 units */
	int		 truncated;	/* cut at [sms] max_segments */
};
void		 office_days(struct office *, int64_t now, struct office_days *);
int		 office_case_walk(struct office *, const struct case_key *,
		    const char *msisdn, int budget, case_walk_cb, void *,
		    struct case_key *last);
int		 office_case_due_page(struct office *, const char *lo,
		    const char *hi, int limit, case_rec_cb, void *);
int		 office_case_rated_at(struct office *, int64_t id, int64_t *at);
int		 office_msg_thread(struct office *, const char *msisdn, int limit,
		    msg_cb, void *);
int64_t		 office_msg_count_since(struct office *, int out, int64_t since);
int		 office_preview(struct office *, const char *text,
		    struct office_preview *);
void		 office_inbox_note(struct office *, const struct inbound *,
		    const char *kind);
int		 office_inbox_page(struct office *, const struct inbox_key *,
		    int open_only, int limit, inbox_cb, void *);
int		 office_inbox_get(struct office *, const char *msisdn, inbox_cb,
		    void *);
int		 office_inbox_done(struct office *, const char *msisdn,
		    int64_t now, const char *actor);
/*
 * accounts.c: staff accounts, sign-in sessions, throttling, the audit
 * log. Password hashing and checking (argon2id, tens of ms) run on a
 * worker thread: office_login and office_user_add answer through cb on
 * the loop later (returning the job, which office_acct_cancel forgets
 * when the asker goes away first), or return NULL with *res filled now.
 */
#define OFFICE_ROLE_CLERK	1
#define OFFICE_ROLE_HEAD	2
#define OFFICE_ROLE_ADMIN	3
#define OFFICE_PW_MIN		8
#define OFFICE_PW_MAX		128
#define OFFICE_TOKEN_HEX	64
#define OFFICE_FAIL_MAX		10		/* wrong passwords ... */
#define OFFICE_FAIL_WINDOW_MS	(15 * 60 * 1000LL)	/* ... in this long */
#define OFFICE_IDLE_MS		(8 * 3600 * 1000LL)
#define OFFICE_SESSION_MS	(12 * 3600 * 1000LL)
enum office_acct_rc {
	OFFICE_ACCT_OK,
	OFFICE_ACCT_WRONG,	/* no such name, or the wrong password */
	OFFICE_ACCT_THROTTLED,	/* res.minutes to wait */
	OFFICE_ACCT_EXISTS,	/* a user with this name exists */
	OFFICE_ACCT_BUSY,	/* too many hashes queued */
	OFFICE_ACCT_ERR,	/* the store failed */
};
struct office_acct_res {
	enum office_acct_rc	 rc;
	int			 minutes;
	char			 name[ACCT_NAME_MAX];
	char			 role[ACCT_ROLE_MAX];
	char			 token[OFFICE_TOKEN_HEX + 1];	/* a sign-in's */
	char			 csrf[OFFICE_TOKEN_HEX + 1];
};
typedef void	(*office_acct_cb)(const struct office_acct_res *, void *);
struct office_acct_job;
struct accounts	*accounts_start(struct office *);
void		 accounts_stop(struct accounts *);
int		 office_role_rank(const char *);	/* 0: no such role */
/* NULL when a new account's fields are fine, else why not. */
const char	*office_user_check(const char *name, const char *password,
		    const char *role);
struct office_acct_job *office_login(struct office *, const char *name,
		    const char *password, const char *peer, int64_t now,
		    office_acct_cb, void *, struct office_acct_res *);
struct office_acct_job *office_user_add(struct office *, const char *name,
		    const char *password, const char *role, int64_t now,
		    office_acct_cb, void *, struct office_acct_res *);
void		 office_acct_cancel(struct office_acct_job *);
int		 office_user_each(struct office *, acct_user_cb, void *);
/* 1 signed in (*s filled), 0 no such session or expired, -1 error. */
int		 office_session_find(struct office *, const char *token,
		    int64_t now, struct acct_session *);
int		 office_session_close(struct office *, const char *token);
int		 office_audit_add(struct office *, const struct acct_audit *);
int		 office_audit_each(struct office *, int64_t before, int limit,
		    acct_audit_cb, void *);

#endif
