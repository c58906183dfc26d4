/*
 * The store room's interface: the records it keeps (messages in and out,
 * parts, receipts) and the message store (gateway/store/store.c). The
 * only room that includes sqlite3.h.
 */
#ifndef STORE_H
#define STORE_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "text.h"

struct sqlite3;

/*
 * An SMSC delivers a message again only when our deliver_sm_resp did not
 * reach it before its session ended without an unbind (a drop, a timeout,
 * the process killed). So the same text from the same number within
 * STORE_DEDUP_WINDOW_MS is a redelivery only when the first copy came on a
 * session that ended that way and its response is not known to have
 * arrived; on the same session, or after a clean unbind, it is the
 * citizen writing again, and is answered again.
 *
 * Known to have arrived: TCP delivers in order, so when the SMSC answers
 * a request we wrote after a deliver_sm_resp, it has read that resp. Past
 * the last such proof nothing is known. REDELIVERY_WINDOW_MS adds the
 * responses written in the last seconds before a drop even when a proof
 * covers them: a segment lost once is resent after TCP's retransmission
 * timeout (1 s at first on Linux, then 2 s: 3 s for two losses), and an
 * SMSC that has read a resp may still lose it if the link falls before it
 * has recorded it. 5 s covers both with room; longer silences are caught
 * by the proof, which stops at the last answer from the SMSC.
 */
#define REDELIVERY_WINDOW_MS	5000
#define STORE_DEDUP_WINDOW_MS	(10 * 60 * 1000)
#define CONCAT_TIMEOUT_MS	(60 * 1000)	/* CONTRACT: parts after 60 s */
/*
 * Flood control: a phone stuck in a loop sends the same text again and
 * again; past this many copies in a minute they are stored, acknowledged
 * and not answered. [sms] flood_per_minute caps all texts from a number.
 */
#define FLOOD_SAME_PER_MINUTE	3
#define TEXT_MAX		4096		/* longest inbound text kept */

/* One message from a phone, as stored. */
struct inbound {
	int64_t		 id;
	char		 link[32];
	char		 msisdn[24];
	const char	*dest;
	const char	*text;
	const char	*kind;		/* "sms" or "ussd" */
	int64_t		 received_at;	/* unix ms */
	int64_t		 session;	/* the SMPP session it came on */
	int		 ussd_op;	/* -1 for an SMS */
	int		 its_session;	/* -1 when the SMSC sent none */
	int		 user_msg_ref;	/* -1 when the SMSC sent none */
};

/* One message to a phone, as queued. */
struct outbound {
	int64_t		 id;
	const char	*link;
	const char	*msisdn;
	const char	*text;
	const char	*kind;		/* "reply", "notify", "broadcast" */
	int		 prio;		/* OUT_PRIO_* */
	int64_t		 inbound_id;
	int64_t		 created_at;
	int		 ussd_op;	/* -1 for an SMS; else a USSD screen */
	int		 its_session;	/* echoed, -1 for none */
	int		 user_msg_ref;	/* echoed (USSD), -1 for none */
	int64_t		 broadcast_id;	/* 0 unless a broadcast's */
};

#define OUT_PRIO_REPLY		0
#define OUT_PRIO_BULK		1
#define OUT_NPRIO		2

struct part_set {
	char		 link[32];
	char		 msisdn[24];
	int		 ref, total;
};

struct dlr_rec {
	const char	*link;
	const char	*smsc_id;
	const char	*key, *key2;	/* normalised ids (dlr_id_keys) */
	const char	*stat;
	const char	*err;
	int		 final, success;
	int64_t		 received_at;
};

/* store.c */
typedef void	(*store_inbound_cb)(const struct inbound *, void *);
typedef void	(*store_outbound_cb)(const struct outbound *, void *);
typedef void	(*store_commit_hook)(void *);
struct store	*store_open(const char *path, int sync_full);
/* Called after every commit that queued outbound messages. */
void		 store_set_commit_hook(struct store *, store_commit_hook, void *);
void		 store_close(struct store *);
struct sqlite3	*store_db(struct store *);
int64_t		 store_wal_bytes(const struct store *);
int		 store_batch_begin(struct store *);
int		 store_batch_end(struct store *);
void		 store_batch_abort(struct store *);
int		 store_in_batch(const struct store *);
int		 store_savepoint(struct store *);
int		 store_release(struct store *, int keep);
int		 store_inbound_seen(struct store *, const struct inbound *,
		    int *same);
int		 store_inbound_insert(struct store *, const struct inbound *,
		    const char *state, int64_t *);
int		 store_inbound_done(struct store *, int64_t);
int		 store_inbound_recent(struct store *, const char *msisdn,
		    int64_t since, int64_t until, const char *text);
int		 store_inbound_each_new(struct store *, store_inbound_cb, void *);
int64_t		 store_inbound_last_id(const struct store *);
int		 store_session_begin(struct store *, int64_t id, const char *link,
		    int64_t now, int64_t proven_id);
int		 store_session_proven(struct store *, int64_t id, int64_t proven_id);
int		 store_session_end(struct store *, int64_t id, const char *how,
		    int64_t now, int64_t lost_after);
int		 store_sessions_load(struct store *, int64_t now);
/* backup.c: one online backup at a time, made and checked on a thread */
struct store_backup_result {
	int		 ok;
	char		 path[CONFIG_PATH_MAX];
	char		 error[CONFIG_PATH_MAX + 256];
	int64_t		 started_at, finished_at;	/* unix ms */
	int64_t		 bytes, cases, inbound, outbound;
};
/* 0 started; -1 when one is under way (or no thread could start). */
int		 store_backup_start(struct store *, const char *dest,
		    int64_t now);
/* 1 done since the last poll (*res filled), 0 running, -1 none running. */
int		 store_backup_poll(struct store *,
		    struct store_backup_result *);
/* The last finished backup (path "" when none yet); 1 if one runs. */
int		 store_backup_last(struct store *,
		    struct store_backup_result *);
/* integrity_check and the counts of a database file: 0 ok, else -1 and
 * res->error (the restore checks a backup so before using it). */
int		 store_backup_verify(const char *path,
		    struct store_backup_result *res);

/*
 * The restore (motcuad -R): with no daemon on the database, a backup that
 * passes the check replaces it (the old one kept aside), and what the
 * backup still had to send is held, since it may have gone out after the
 * backup was made (see README, Backups).
 */
struct store_restore_result {
	struct store_backup_result backup;	/* its check and counts */
	char		 aside[CONFIG_PATH_MAX + 64];	/* the old db, or "" */
	int64_t		 held;		/* messages held for review */
	int64_t		 cancelled;	/* broadcasts under way, stopped */
	int		 seq_skip;	/* case numbers skipped a year */
};
int		 store_restore(const char *db, const char *backup, int64_t now,
		    struct store_restore_result *, char *err, size_t errlen);

/* held.c: the messages a restore held back, for staff to review */
struct store_held {
	int64_t		 id;
	const char	*msisdn, *text, *kind;
	int64_t		 created_at;
};
typedef void	(*store_held_cb)(const struct store_held *, void *);
int		 store_held_list(struct store *, int64_t after, int limit,
		    store_held_cb, void *);
int64_t		 store_held_set(struct store *, int64_t id, const char *state);

/* privacy.c: one number's personal data erased (in the caller's batch) */
struct store_erased {
	int64_t		 inbound, outbound, cases, contacts, pending;
};
int		 store_privacy_erase(struct store *, const char *msisdn,
		    struct store_erased *);

/* messages.c: parts of long messages (see gateway/office/inbound.c) */
#define STORE_PART_CONFLICT	(-2)	/* that part number, other text */
int		 store_part_add(struct store *, const struct inbound *, int ref,
		    int total, int seq);
int		 store_part_take(struct store *, const char *msisdn, int ref,
		    int total, char *, size_t, size_t *cut);
int		 store_part_old(struct store *, int64_t before,
		    struct part_set *, int max, int *nsets);
int		 store_part_others(struct store *, const char *msisdn, int ref,
		    int total, int max, struct part_set *oldest);
int		 store_part_rows(struct store *);
int64_t		 store_outbound_add(struct store *, const struct outbound *);
int		 store_outbound_load(struct store *, const char *link, int prio,
		    int64_t after, int limit, store_outbound_cb, void *);
int		 store_outbound_part(struct store *, int64_t, int part,
		    const char *smsc_id, const char *key, const char *key2);
int		 store_outbound_sent(struct store *, int64_t, int parts, int64_t);
int		 store_outbound_failed(struct store *, int64_t, uint32_t, int64_t);
int		 store_outbound_queued(struct store *);
int64_t		 store_dlr_add(struct store *, const struct dlr_rec *);

#endif
