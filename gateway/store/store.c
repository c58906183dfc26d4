/*
 * The durable store: one SQLite file in WAL mode, every statement prepared
 * once. Writes are grouped: the link opens a batch when it starts reading
 * PDUs and commits it before any deliver_sm_resp of that batch goes out, so
 * an acknowledged message is always on disk and a burst costs one fsync.
 * After each commit that queued outbound messages (or a queued one written
 * outside a batch) it calls the commit hook the wiring set: the outboxes
 * look for work then, once per commit, and never before the rows are on
 * disk, so no writer has to remember to tell them.
 */
#include <sys/stat.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "log.h"
#include "store/store.h"

enum {
	Q_IN_ADD, Q_IN_DUP, Q_IN_DONE, Q_IN_NEW,
	Q_PART_ADD, Q_PART_COUNT, Q_PART_TAKE, Q_PART_DEL, Q_PART_OLD,
	Q_OUT_ADD, Q_OUT_LOAD, Q_OUT_SENT, Q_OUT_FAILED, Q_OUT_PART,
	Q_OUT_QUEUED, Q_OUT_GET,
	Q_DLR_ADD, Q_DLR_MATCH, Q_DLR_STATE, Q_IN_RECENT, Q_IN_RECENT_SAME,
	Q_BEGIN, Q_COMMIT, Q_ROLLBACK, Q_SAVEPOINT, Q_ROLLBACK_TO, Q_RELEASE,
	Q_SESS_BEGIN, Q_SESS_PROVEN, Q_SESS_END, Q_SESS_DIED, Q_SESS_PRUNE,
	Q_SESS_RECENT,
	Q_COUNT
};

static const char *const queries[Q_COUNT] = {
	/* Prepared too: sqlite3_exec would parse them at every message. */
	[Q_BEGIN] = "BEGIN IMMEDIATE",
	[Q_COMMIT] = "COMMIT",
	[Q_ROLLBACK] = "ROLLBACK",
	[Q_SAVEPOINT] = "SAVEPOINT action",
	[Q_ROLLBACK_TO] = "ROLLBACK TO action",
	[Q_RELEASE] = "RELEASE action",
	[Q_IN_ADD] = "INSERT INTO inbound(link, msisdn, dest, text, kind, "
	    "received_at, state, session, ussd_op, its_session) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	/* One look at this number's same text: a redelivery from an earlier
	 * session (10 minutes back), and the copies in the last minute. Only
	 * the rare rows that match ask redelivery_suspect (memory, no I/O). */
	[Q_IN_DUP] = "SELECT coalesce(max(session != ?5 AND state != 'dup' "
	    "AND redelivery_suspect(session, id)), 0), "
	    "count(*) FILTER (WHERE received_at BETWEEN ?6 AND ?7) "
	    "FROM inbound WHERE msisdn = ?1 AND text = ?2 AND kind = ?3 "
	    "AND received_at >= ?4",
	[Q_IN_DONE] = "UPDATE inbound SET state = 'done' WHERE id = ?1",
	[Q_IN_NEW] = "SELECT id, link, msisdn, text, kind, dest, "
	    "coalesce(ussd_op, -1), coalesce(its_session, -1), received_at, "
	    "session FROM inbound "
	    "WHERE state = 'new' ORDER BY id",
	[Q_PART_ADD] = "INSERT OR IGNORE INTO inbound_part(link, msisdn, ref, "
	    "total, seq, text, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[Q_PART_COUNT] = "SELECT count(*) FROM inbound_part WHERE msisdn = ?1 "
	    "AND ref = ?2 AND total = ?3",
	[Q_PART_TAKE] = "SELECT text FROM inbound_part WHERE msisdn = ?1 "
	    "AND ref = ?2 AND total = ?3 ORDER BY seq",
	[Q_PART_DEL] = "DELETE FROM inbound_part WHERE msisdn = ?1 AND ref = ?2 "
	    "AND total = ?3",
	[Q_PART_OLD] = "SELECT link, msisdn, ref, total FROM inbound_part "
	    "GROUP BY msisdn, ref, total HAVING min(received_at) < ?1",
	[Q_OUT_ADD] = "INSERT INTO outbound(link, msisdn, text, kind, prio, "
	    "inbound_id, created_at, state, ussd_op, its_session, broadcast_id, "
	    "user_msg_ref) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'queued', ?8, ?9, ?10, ?11)",
	[Q_OUT_LOAD] = "SELECT id, msisdn, text, kind, created_at, "
	    "coalesce(ussd_op, -1), coalesce(its_session, -1), "
	    "coalesce(broadcast_id, 0), coalesce(user_msg_ref, -1) FROM outbound "
	    "WHERE link = ?1 AND prio = ?2 AND state = 'queued' AND id > ?3 "
	    "ORDER BY id LIMIT ?4",
	[Q_OUT_SENT] = "UPDATE outbound SET state = 'sent', parts = ?2, "
	    "sent_at = ?3 WHERE id = ?1 AND state = 'queued'",
	[Q_OUT_FAILED] = "UPDATE outbound SET state = 'failed', status = ?2, "
	    "done_at = ?3 WHERE id = ?1",
	[Q_OUT_PART] = "INSERT INTO outbound_part(outbound_id, part, smsc_id, "
	    "id_key, id_key2) VALUES (?1, ?2, ?3, ?4, ?5)",
	[Q_OUT_QUEUED] = "SELECT count(*) FROM outbound WHERE state = 'queued'",
	[Q_OUT_GET] = "SELECT state FROM outbound WHERE id = ?1",
	[Q_IN_RECENT] = "SELECT count(*) FROM inbound WHERE msisdn = ?1 AND "
	    "received_at BETWEEN ?2 AND ?4 AND kind = 'sms'",
	[Q_IN_RECENT_SAME] = "SELECT count(*) FROM inbound WHERE msisdn = ?1 "
	    "AND received_at BETWEEN ?2 AND ?4 AND kind = 'sms' AND text = ?3",
	[Q_DLR_ADD] = "INSERT INTO dlr(link, smsc_id, stat, err, received_at, "
	    "outbound_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[Q_DLR_MATCH] = "SELECT outbound_id FROM outbound_part "
	    "WHERE id_key IN (?1, ?2) OR id_key2 IN (?1, ?2) "
	    "ORDER BY rowid DESC LIMIT 1",
	[Q_DLR_STATE] = "UPDATE outbound SET state = ?2, done_at = ?3 "
	    "WHERE id = ?1 AND state IN ('sent', 'delivered')",
	[Q_SESS_BEGIN] = "INSERT OR REPLACE INTO smpp_session(id, link, "
	    "began_at, proven_id) VALUES (?1, ?2, ?3, ?4)",
	[Q_SESS_PROVEN] = "UPDATE smpp_session SET proven_id = ?2 "
	    "WHERE id = ?1 AND how IS NULL",
	[Q_SESS_END] = "UPDATE smpp_session SET how = ?2, ended_at = ?3, "
	    "lost_after = ?4 WHERE id = ?1",
	/* Bound when the last process died: its proof is all we know. */
	[Q_SESS_DIED] = "UPDATE smpp_session SET how = 'died', ended_at = ?1, "
	    "lost_after = proven_id WHERE how IS NULL",
	[Q_SESS_PRUNE] = "DELETE FROM smpp_session WHERE id < (SELECT min(id) "
	    "FROM (SELECT id FROM smpp_session ORDER BY id DESC LIMIT ?1))",
	/* NULL: ended cleanly; still "bound" only if marking died failed */
	[Q_SESS_RECENT] = "SELECT id, CASE WHEN how IS NULL THEN proven_id "
	    "ELSE lost_after END FROM smpp_session ORDER BY id DESC LIMIT ?1",
};

/* Each entry moves the schema one version up; never edit a shipped one. */
static const char *const migrations[] = {
	/* 1: messages in and out, reassembly parts, delivery receipts */
	"CREATE TABLE inbound ("
	"  id INTEGER PRIMARY KEY,"
	"  link TEXT NOT NULL,"
	"  msisdn TEXT NOT NULL,"
	"  dest TEXT NOT NULL DEFAULT '',"
	"  text TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"			/* sms | ussd */
	"  received_at INTEGER NOT NULL,"	/* unix ms */
	"  session INTEGER NOT NULL,"		/* SMPP session it came on */
	"  ussd_op INTEGER,"			/* USSD: ussd_service_op */
	"  its_session INTEGER,"		/* USSD: its_session_info */
	"  state TEXT NOT NULL);"		/* new | done | dup */
	"CREATE INDEX inbound_new ON inbound(state) WHERE state = 'new';"
	"CREATE INDEX inbound_recent ON inbound(msisdn, received_at);"
	"CREATE TABLE inbound_part ("
	"  link TEXT NOT NULL,"
	"  msisdn TEXT NOT NULL,"
	"  ref INTEGER NOT NULL,"
	"  total INTEGER NOT NULL,"
	"  seq INTEGER NOT NULL,"
	"  text TEXT NOT NULL,"
	"  received_at INTEGER NOT NULL,"
	"  PRIMARY KEY (msisdn, ref, total, seq));"
	"CREATE TABLE outbound ("
	"  id INTEGER PRIMARY KEY,"
	"  link TEXT NOT NULL,"
	"  msisdn TEXT NOT NULL,"
	"  text TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"		/* reply|notify|broadcast|ussd */
	"  prio INTEGER NOT NULL,"		/* 0 replies first */
	"  ussd_op INTEGER,"			/* USSD screens only */
	"  its_session INTEGER,"
	"  user_msg_ref INTEGER,"
	"  broadcast_id INTEGER,"
	"  inbound_id INTEGER,"
	"  state TEXT NOT NULL,"		/* queued|sent|delivered|failed */
	"  parts INTEGER,"
	"  status INTEGER,"			/* SMSC error, when failed */
	"  created_at INTEGER NOT NULL,"
	"  sent_at INTEGER,"
	"  done_at INTEGER);"
	"CREATE INDEX outbound_queue ON outbound(link, prio, id) "
	"  WHERE state = 'queued';"
	"CREATE INDEX outbound_msisdn ON outbound(msisdn, created_at);"
	"CREATE INDEX outbound_broadcast ON outbound(broadcast_id, state) "
	"  WHERE broadcast_id IS NOT NULL;"
	"CREATE TABLE outbound_part ("
	"  outbound_id INTEGER NOT NULL,"
	"  part INTEGER NOT NULL,"
	"  smsc_id TEXT NOT NULL,"
	"  id_key TEXT NOT NULL,"
	"  id_key2 TEXT NOT NULL);"
	"CREATE INDEX outbound_part_key ON outbound_part(id_key);"
	"CREATE INDEX outbound_part_key2 ON outbound_part(id_key2);"
	"CREATE TABLE dlr ("
	"  id INTEGER PRIMARY KEY,"
	"  link TEXT NOT NULL,"
	"  smsc_id TEXT NOT NULL,"
	"  stat TEXT NOT NULL,"
	"  err TEXT NOT NULL,"
	"  received_at INTEGER NOT NULL,"
	"  outbound_id INTEGER);",
	/* 2: case files, their history, opt-outs, failed look-ups */
	"CREATE TABLE cases ("
	"  id INTEGER PRIMARY KEY,"
	"  code TEXT NOT NULL UNIQUE,"		/* as shown to people */
	"  canon TEXT NOT NULL UNIQUE,"	/* casecode_canon: what matches */
	"  kind TEXT NOT NULL,"		/* case | feedback */
	"  procedure TEXT NOT NULL DEFAULT '',"
	"  msisdn TEXT NOT NULL DEFAULT '',"
	"  name TEXT NOT NULL DEFAULT '',"
	"  request TEXT NOT NULL DEFAULT '',"
	"  status INTEGER NOT NULL,"		/* portal sync code, 2..10 */
	"  channel TEXT NOT NULL,"		/* sms | ussd | counter | import */
	"  received_at INTEGER NOT NULL,"	/* unix ms */
	"  due TEXT NOT NULL DEFAULT '',"	/* YYYY-MM-DD */
	"  finished_at INTEGER,"		/* first time ready */
	"  rating INTEGER);"
	"CREATE INDEX cases_msisdn ON cases(msisdn, received_at);"
	"CREATE INDEX cases_status ON cases(status);"
	"CREATE TABLE case_history ("
	"  case_id INTEGER NOT NULL REFERENCES cases(id),"
	"  at INTEGER NOT NULL,"
	"  status INTEGER NOT NULL,"
	"  note TEXT NOT NULL DEFAULT '',"
	"  actor TEXT NOT NULL);"
	"CREATE INDEX case_history_case ON case_history(case_id);"
	"CREATE TABLE case_seq ("
	"  year INTEGER PRIMARY KEY,"
	"  next INTEGER NOT NULL);"
	"CREATE TABLE optout ("
	"  msisdn TEXT PRIMARY KEY,"
	"  opted_out INTEGER NOT NULL,"
	"  at INTEGER NOT NULL);"
	"CREATE TABLE lookup_fail ("
	"  msisdn TEXT NOT NULL,"
	"  at INTEGER NOT NULL);"
	"CREATE INDEX lookup_fail_msisdn ON lookup_fail(msisdn, at);",
	/* 3: the contact book: numbers, names and groups (thôn, hamlets) */
	"CREATE TABLE contacts ("
	"  msisdn TEXT PRIMARY KEY,"		/* 84… */
	"  name TEXT NOT NULL DEFAULT '',"
	"  updated_at INTEGER NOT NULL);"
	"CREATE TABLE groups ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE COLLATE NOCASE);"
	"CREATE TABLE contact_groups ("
	"  msisdn TEXT NOT NULL REFERENCES contacts(msisdn),"
	"  group_id INTEGER NOT NULL REFERENCES groups(id),"
	"  PRIMARY KEY (group_id, msisdn));"
	"CREATE INDEX contact_groups_msisdn ON contact_groups(msisdn);",
	/* 4: broadcasts and their recipients, streamed from here */
	"CREATE TABLE broadcasts ("
	"  id INTEGER PRIMARY KEY,"
	"  state TEXT NOT NULL,"	/* scheduled|sending|waiting|done|cancelled */
	"  target TEXT NOT NULL,"	/* for people: group:NAME, status:NAME, list */
	"  text TEXT NOT NULL DEFAULT '',"
	"  template TEXT NOT NULL DEFAULT '',"
	"  vars TEXT NOT NULL DEFAULT '{}',"	/* JSON object */
	"  at INTEGER NOT NULL,"		/* unix ms: not before */
	"  created_at INTEGER NOT NULL,"
	"  total INTEGER NOT NULL,"		/* numbers targeted, duplicates too */
	"  dups INTEGER NOT NULL DEFAULT 0,"
	"  cursor INTEGER NOT NULL DEFAULT 0);"	/* last recipient handed over */
	"CREATE TABLE broadcast_recipients ("
	"  id INTEGER PRIMARY KEY,"
	"  broadcast_id INTEGER NOT NULL REFERENCES broadcasts(id),"
	"  msisdn TEXT NOT NULL,"
	"  name TEXT NOT NULL DEFAULT '',"
	"  code TEXT NOT NULL DEFAULT '',"	/* a case of theirs, for {{code}} */
	"  state TEXT NOT NULL,"		/* pending | queued | skipped */
	"  reason TEXT NOT NULL DEFAULT '',"	/* optout | cap */
	"  outbound_id INTEGER,"
	"  UNIQUE (broadcast_id, msisdn));"
	"CREATE INDEX broadcast_recipients_state ON "
	"  broadcast_recipients(broadcast_id, state, id);",
	/* 5: satisfaction ratings and reminders (gateway/office/reminders.c) */
	"ALTER TABLE cases ADD COLUMN rating_asked_at INTEGER;"	/* unix ms */
	"ALTER TABLE cases ADD COLUMN rated_at INTEGER;"
	"ALTER TABLE cases ADD COLUMN reminded_at INTEGER;"	/* ready, uncollected */
	"CREATE INDEX cases_rating_due ON cases(msisdn, rating_asked_at) "
	"  WHERE rating_asked_at IS NOT NULL AND rating IS NULL;"
	"CREATE INDEX cases_due ON cases(due);",
	/* 6: only the broadcast daily cap looks messages up by number: the
	 * index no longer takes a random-page write for every reply */
	"DROP INDEX outbound_msisdn;"
	"CREATE INDEX outbound_broadcast_msisdn ON outbound(msisdn, created_at) "
	"  WHERE kind = 'broadcast';",
	/* 7: how each SMPP session ended, so that a message repeated after a
	 * clean unbind is answered and only a possible redelivery is not */
	"CREATE TABLE smpp_session ("
	"  id INTEGER PRIMARY KEY,"		/* inbound.session */
	"  link TEXT NOT NULL,"
	"  began_at INTEGER NOT NULL,"		/* unix ms */
	"  ended_at INTEGER,"			/* NULL while bound */
	"  how TEXT,"				/* unbind | drop | died; NULL: bound */
	"  proven_id INTEGER NOT NULL,"	/* inbound.id up to which the SMSC */
						/* has read every deliver_sm_resp */
	"  lost_after INTEGER);",		/* copies with a higher inbound.id */
						/* may come again; NULL: none */
	/* 8: a broadcast to a group or a status is expanded in chunks: the
	 * key (number, case id) of the last source row in, NULL when done */
	"ALTER TABLE broadcasts ADD COLUMN expand_key TEXT;",
};

/*
 * The SMPP sessions a redelivery could come from, in memory so that the
 * duplicate check costs no query of its own: this process's bound sessions
 * (the SMSC still holds what it has not had answered: nothing on them is
 * redelivered elsewhere) and the latest ended ones, each with the inbound
 * id past which its acknowledgements may have been lost. A session not
 * here is unknown (older than migration 7, evicted, or the 0 of parts
 * handled after 60 s) and is treated as before: any copy on it is suspect.
 */
#define SESS_CACHE	256
#define SESS_KEEP_ROWS	1000	/* rows kept on disk, newest first */
#define SESS_BOUND	(-2)	/* lost_after of a session still bound */

struct sess {
	int64_t		 id;
	int64_t		 lost_after;	/* INT64_MAX: ended cleanly */
};

struct store {
	sqlite3		*db;
	sqlite3_stmt	*q[Q_COUNT];
	int		 in_batch;
	int		 failed;	/* a write in this batch failed */
	int64_t		 last_in_id;	/* newest inbound id written */
	int64_t		 batch_in_id;	/* ... when the batch began */
	int		 queued;	/* this batch queued outbound rows */
	store_commit_hook commit_hook;
	void		*commit_arg;
	struct sess	 sess[SESS_CACHE];
	int		 nsess;
	/* the checkpointer: its own thread and connection */
	pthread_t	 ckpt;
	pthread_mutex_t	 ckpt_mu;
	pthread_cond_t	 ckpt_cv;
	int		 ckpt_started, ckpt_stop, sync_full;
	_Atomic int64_t	 wal_bytes;	/* the -wal file, as last seen */
	char		*path;
};

#define CKPT_EVERY_MS	1000
#define CKPT_BUSY_MS	100	/* while the WAL is over its limit */
/*
 * The WAL's bound. A checkpoint that has copied every frame lets the next
 * write start the WAL again from its beginning, and journal_size_limit
 * then cuts the file back to this size. A burst that never pauses never
 * lets a passive checkpoint finish, so over the limit the passive round
 * (which copies nearly everything without blocking anyone) is followed at
 * once by a RESTART one: it holds the loop's writes only while it copies
 * the few frames written meanwhile, and the WAL starts again. Once no frame
 * has come for a whole tick (the link quiet), TRUNCATE empties the file.
 */
#define WAL_LIMIT_BYTES	(64LL * 1024 * 1024)
#define WAL_LIMIT_S	"67108864"

static int
store_exec(struct store *st, const char *sql)
{
	char	*msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		log_warnx("store: %s: %s", sql, msg ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int
store_version(struct store *st)
{
	sqlite3_stmt	*s;
	int		 v = -1;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s,
	    NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

static int
store_migrate(struct store *st)
{
	int	v, n = (int)(sizeof(migrations) / sizeof(migrations[0]));
	char	sql[64];

	if ((v = store_version(st)) < 0)
		return -1;
	if (v > n) {
		log_warnx("store: database schema %d is newer than this "
		    "motcuad (%d)", v, n);
		return -1;
	}
	for (; v < n; v++) {
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
		if (store_exec(st, "BEGIN IMMEDIATE") == -1)
			return -1;
		if (store_exec(st, migrations[v]) == -1 ||
		    store_exec(st, sql) == -1) {
			store_exec(st, "ROLLBACK");
			return -1;
		}
		if (store_exec(st, "COMMIT") == -1)
			return -1;
		log_info("store: schema migrated to version %d", v + 1);
	}
	return 0;
}

/*
 * WAL checkpoints copy committed pages into the database file and fsync
 * it: milliseconds the event loop must not spend between a message and its
 * reply. A thread with its own connection runs them (PASSIVE: never
 * blocking the writer), and the loop's connection never checkpoints.
 */
/* The -wal file's size, 0 when it is not there. */
static int64_t
ckpt_wal_size(const struct store *st)
{
	char		path[CONFIG_PATH_MAX + 8];
	struct stat	sb;

	snprintf(path, sizeof(path), "%s-wal", st->path);
	return stat(path, &sb) == 0 ? (int64_t)sb.st_size : 0;
}

/* One tick; *last holds the WAL's frame count at the last one. Returns
 * the ms to the next: sooner while the WAL is over its limit, so that
 * each RESTART has little to copy and holds the writes only briefly. */
static int
ckpt_tick(struct store *st, sqlite3 *db, int *last)
{
	int	frames = 0, copied = 0, mode = 0;

	if (sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE,
	    &frames, &copied) == SQLITE_OK) {
		if (frames > 0 && frames == *last && copied >= frames)
			mode = SQLITE_CHECKPOINT_TRUNCATE;
		else if (ckpt_wal_size(st) > WAL_LIMIT_BYTES)
			mode = SQLITE_CHECKPOINT_RESTART;
		if (mode != 0)
			sqlite3_wal_checkpoint_v2(db, NULL, mode, &frames,
			    &copied);
	}
	*last = frames;
	st->wal_bytes = ckpt_wal_size(st);
	return mode == SQLITE_CHECKPOINT_RESTART ? CKPT_BUSY_MS : CKPT_EVERY_MS;
}

static void *
ckpt_main(void *arg)
{
	struct store	*st = arg;
	struct timespec	 ts;
	sqlite3		*db = NULL;
	int		 stop = 0, last = -1, next = CKPT_EVERY_MS;

	if (sqlite3_open_v2(st->path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		log_warnx("store: checkpointer cannot open %s", st->path);
		sqlite3_close(db);
		return NULL;
	}
	/* TRUNCATE waits this long for the loop's writes, never more: on a
	 * busy link it gives up and the next quiet tick tries again. */
	sqlite3_busy_timeout(db, 20);
	sqlite3_exec(db, st->sync_full ? "PRAGMA synchronous = FULL" :
	    "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
	sqlite3_exec(db, "PRAGMA journal_size_limit = " WAL_LIMIT_S, NULL,
	    NULL, NULL);
	while (!stop) {
		pthread_mutex_lock(&st->ckpt_mu);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += next * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		while (!st->ckpt_stop && pthread_cond_timedwait(&st->ckpt_cv,
		    &st->ckpt_mu, &ts) != ETIMEDOUT)
			;
		stop = st->ckpt_stop;
		pthread_mutex_unlock(&st->ckpt_mu);
		next = ckpt_tick(st, db, &last);
	}
	sqlite3_close(db);
	return NULL;
}

static void
ckpt_start(struct store *st)
{
	pthread_mutex_init(&st->ckpt_mu, NULL);
	pthread_cond_init(&st->ckpt_cv, NULL);
	if (pthread_create(&st->ckpt, NULL, ckpt_main, st) != 0)
		fatal("pthread_create");
	st->ckpt_started = 1;
}

static void
ckpt_stop(struct store *st)
{
	if (!st->ckpt_started)
		return;
	pthread_mutex_lock(&st->ckpt_mu);
	st->ckpt_stop = 1;
	pthread_cond_signal(&st->ckpt_cv);
	pthread_mutex_unlock(&st->ckpt_mu);
	pthread_join(st->ckpt, NULL);
	pthread_cond_destroy(&st->ckpt_cv);
	pthread_mutex_destroy(&st->ckpt_mu);
	st->ckpt_started = 0;
}

static struct sess *
sess_find(struct store *st, int64_t id)
{
	int	i;

	for (i = 0; i < st->nsess; i++)
		if (st->sess[i].id == id)
			return &st->sess[i];
	return NULL;
}

/* When full, the oldest ended session goes: unknown is the safe side. */
static void
sess_put(struct store *st, int64_t id, int64_t lost_after)
{
	struct sess	*s = sess_find(st, id);
	int		 i, old = 0;

	if (s == NULL && st->nsess < SESS_CACHE)
		s = &st->sess[st->nsess++];
	if (s == NULL) {
		for (i = 1; i < st->nsess; i++)
			if (st->sess[old].lost_after == SESS_BOUND ||
			    (st->sess[i].lost_after != SESS_BOUND &&
			    st->sess[i].id < st->sess[old].id))
				old = i;
		s = &st->sess[old];
	}
	s->id = id;
	s->lost_after = lost_after;
}

/* redelivery_suspect(session, inbound id): may the SMSC send it again? */
static void
sql_suspect(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct store		*st = sqlite3_user_data(ctx);
	const struct sess	*s = sess_find(st, sqlite3_value_int64(argv[0]));
	int64_t			 id = sqlite3_value_int64(argv[1]);

	(void)argc;
	sqlite3_result_int(ctx, s == NULL ||
	    (s->lost_after != SESS_BOUND && id > s->lost_after));
}

static int
sess_register(struct store *st)
{
	if (sqlite3_create_function(st->db, "redelivery_suspect", 2,
	    SQLITE_UTF8 | SQLITE_DIRECTONLY, st, sql_suspect, NULL, NULL) ==
	    SQLITE_OK)
		return 0;
	log_warnx("store: redelivery_suspect: %s", sqlite3_errmsg(st->db));
	return -1;
}

struct store *
store_open(const char *path, int sync_full)
{
	struct store	*st;
	int		 i;

	/* Allocation statistics take a global lock on every malloc. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if ((st = calloc(1, sizeof(*st))) == NULL ||
	    (st->path = strdup(path)) == NULL)
		fatal("calloc");
	st->sync_full = sync_full;
	/* Each connection stays on one thread: no per-call locking needed. */
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		log_warnx("store: cannot open %s: %s", path,
		    sqlite3_errmsg(st->db));
		goto fail;
	}
	sqlite3_busy_timeout(st->db, 2000);
	if (store_exec(st, "PRAGMA journal_mode = WAL") == -1 ||
	    store_exec(st, "PRAGMA wal_autocheckpoint = 0") == -1 ||
	    store_exec(st, "PRAGMA journal_size_limit = " WAL_LIMIT_S) == -1 ||
	    store_exec(st, sync_full ? "PRAGMA synchronous = FULL" :
	    "PRAGMA synchronous = NORMAL") == -1 ||
	    store_exec(st, "PRAGMA foreign_keys = ON") == -1 ||
	    store_migrate(st) == -1 || sess_register(st) == -1)
		goto fail;
	for (i = 0; i < Q_COUNT; i++) {
		if (sqlite3_prepare_v3(st->db, queries[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &st->q[i], NULL) != SQLITE_OK) {
			log_warnx("store: prepare \"%s\": %s", queries[i],
			    sqlite3_errmsg(st->db));
			goto fail;
		}
	}
	ckpt_start(st);
	return st;
fail:
	store_close(st);
	return NULL;
}

void
store_close(struct store *st)
{
	int	i;

	if (st == NULL)
		return;
	ckpt_stop(st);
	if (st->in_batch)
		store_exec(st, "ROLLBACK");
	for (i = 0; i < Q_COUNT; i++)
		sqlite3_finalize(st->q[i]);
	sqlite3_close(st->db);
	free(st->path);
	free(st);
}

/* The -wal file's size at the checkpointer's last tick, for /metrics. */
int64_t
store_wal_bytes(const struct store *st)
{
	return st->wal_bytes;
}

sqlite3 *
store_db(struct store *st)
{
	return st->db;
}

/* One of the prepared transaction statements. */
static int
store_tx(struct store *st, int q)
{
	int	rc = sqlite3_step(st->q[q]);

	sqlite3_reset(st->q[q]);
	if (rc == SQLITE_DONE)
		return 0;
	log_warnx("store: %s: %s", queries[q], sqlite3_errmsg(st->db));
	/* A savepoint that would not open or close leaves the batch in an
	 * unknown state: commit none of it, acknowledge nothing. */
	if (st->in_batch)
		st->failed = 1;
	return -1;
}

void
store_set_commit_hook(struct store *st, store_commit_hook hook, void *arg)
{
	st->commit_hook = hook;
	st->commit_arg = arg;
}

/* What was queued is on disk now: the hook may send it. */
static void
store_committed(struct store *st)
{
	if (!st->queued)
		return;
	st->queued = 0;
	if (st->commit_hook != NULL)
		st->commit_hook(st->commit_arg);
}

int
store_batch_begin(struct store *st)
{
	if (st->in_batch)
		return 0;
	if (store_tx(st, Q_BEGIN) == -1)
		return -1;
	st->in_batch = 1;
	st->failed = 0;
	st->queued = 0;
	st->batch_in_id = st->last_in_id;
	return 0;
}

/* Commits the batch; -1 if anything in it failed (then nothing is kept). */
int
store_batch_end(struct store *st)
{
	int	failed;

	if (!st->in_batch)
		return 0;
	st->in_batch = 0;
	failed = st->failed;
	if (!failed && store_tx(st, Q_COMMIT) == 0) {
		store_committed(st);
		return 0;
	}
	st->queued = 0;
	st->last_in_id = st->batch_in_id;	/* those ids come again */
	/* A failed COMMIT (disk full) may have rolled back already. */
	if (!sqlite3_get_autocommit(st->db))
		store_tx(st, Q_ROLLBACK);
	return -1;
}

/* Throws the open batch away: a dry run, or a request found bad midway. */
void
store_batch_abort(struct store *st)
{
	if (!st->in_batch)
		return;
	st->in_batch = 0;
	st->queued = 0;
	st->last_in_id = st->batch_in_id;
	if (!sqlite3_get_autocommit(st->db))
		store_tx(st, Q_ROLLBACK);
}

int
store_in_batch(const struct store *st)
{
	return st->in_batch;
}

/* Runs a prepared write; a failure poisons the open batch. */
static int
step_done(struct store *st, sqlite3_stmt *s)
{
	int	rc = sqlite3_step(s);

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return 0;
	log_warnx("store: %s: %s", sqlite3_sql(s), sqlite3_errmsg(st->db));
	st->failed = 1;
	return -1;
}

static void
bind_text(sqlite3_stmt *s, int i, const char *v)
{
	sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
}

int
store_savepoint(struct store *st)
{
	return store_tx(st, Q_SAVEPOINT);
}

int
store_release(struct store *st, int keep)
{
	if (!keep && store_tx(st, Q_ROLLBACK_TO) == -1)
		return -1;
	return store_tx(st, Q_RELEASE);
}

/*
 * Whether the message may be a redelivery (1: a duplicate, 0: not, -1:
 * error): the same text from this number in the last 10 minutes, on
 * another session whose acknowledgement of it may have been lost (see
 * store_session_end); in *same the messages with this text from this
 * number in the minute before it, for flood control. A USSD answer ("1")
 * repeats by nature: sessions guard those.
 */
int
store_inbound_seen(struct store *st, const struct inbound *in, int *same)
{
	sqlite3_stmt	*s = st->q[Q_IN_DUP];
	int		 rc, dup = 0;

	*same = 0;
	if (strcmp(in->kind, "ussd") == 0)
		return 0;
	bind_text(s, 1, in->msisdn);
	bind_text(s, 2, in->text);
	bind_text(s, 3, in->kind);
	sqlite3_bind_int64(s, 4, in->received_at - STORE_DEDUP_WINDOW_MS);
	sqlite3_bind_int64(s, 5, in->session);
	sqlite3_bind_int64(s, 6, in->received_at - 60 * 1000);
	sqlite3_bind_int64(s, 7, in->received_at);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		dup = sqlite3_column_int(s, 0) != 0;
		*same = sqlite3_column_int(s, 1);
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_ROW) {
		log_warnx("store: %s: %s", queries[Q_IN_DUP],
		    sqlite3_errmsg(st->db));
		return -1;
	}
	return dup;
}

/* Stores the message in state new, done or dup; its id in *id. */
int
store_inbound_insert(struct store *st, const struct inbound *in,
    const char *state, int64_t *id)
{
	sqlite3_stmt	*s = st->q[Q_IN_ADD];

	bind_text(s, 1, in->link);
	bind_text(s, 2, in->msisdn);
	bind_text(s, 3, in->dest);
	bind_text(s, 4, in->text);
	bind_text(s, 5, in->kind);
	sqlite3_bind_int64(s, 6, in->received_at);
	bind_text(s, 7, state);
	sqlite3_bind_int64(s, 8, in->session);
	if (in->ussd_op >= 0) {
		sqlite3_bind_int(s, 9, in->ussd_op);
		if (in->its_session >= 0)
			sqlite3_bind_int(s, 10, in->its_session);
	}
	if (step_done(st, s) == -1)
		return -1;
	*id = sqlite3_last_insert_rowid(st->db);
	st->last_in_id = *id;
	return 0;
}

/* The newest inbound id: every message stored so far has one at most it. */
int64_t
store_inbound_last_id(const struct store *st)
{
	return st->last_in_id;
}

/*
 * Messages from this number in [since, until] (with this text): flood
 * control. Bounded above too, so that after the clock is set back the
 * messages stamped "later" do not all count as the last minute.
 */
int
store_inbound_recent(struct store *st, const char *msisdn, int64_t since,
    int64_t until, const char *text)
{
	sqlite3_stmt	*s = st->q[text ? Q_IN_RECENT_SAME : Q_IN_RECENT];
	int		 n = -1;

	bind_text(s, 1, msisdn);
	sqlite3_bind_int64(s, 2, since);
	sqlite3_bind_int64(s, 4, until);
	if (text)
		bind_text(s, 3, text);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return n;
}

int
store_inbound_done(struct store *st, int64_t id)
{
	sqlite3_stmt	*s = st->q[Q_IN_DONE];

	sqlite3_bind_int64(s, 1, id);
	return step_done(st, s);
}

int
store_inbound_each_new(struct store *st, store_inbound_cb cb, void *arg)
{
	sqlite3_stmt	*s = st->q[Q_IN_NEW];
	struct inbound	 in;
	int		 n = 0;

	while (sqlite3_step(s) == SQLITE_ROW) {
		memset(&in, 0, sizeof(in));
		in.id = sqlite3_column_int64(s, 0);
		snprintf(in.link, sizeof(in.link), "%s", sqlite3_column_text(s, 1));
		snprintf(in.msisdn, sizeof(in.msisdn), "%s",
		    sqlite3_column_text(s, 2));
		in.text = (const char *)sqlite3_column_text(s, 3);
		in.kind = (const char *)sqlite3_column_text(s, 4);
		in.dest = (const char *)sqlite3_column_text(s, 5);
		in.ussd_op = sqlite3_column_int(s, 6);
		in.its_session = sqlite3_column_int(s, 7);
		in.received_at = sqlite3_column_int64(s, 8);
		in.session = sqlite3_column_int64(s, 9);
		in.user_msg_ref = -1;	/* a USSD session does not outlive us */
		cb(&in, arg);
		n++;
	}
	sqlite3_reset(s);
	return n;
}

static void
bind_set(sqlite3_stmt *s, const char *msisdn, int ref, int total)
{
	bind_text(s, 1, msisdn);
	sqlite3_bind_int(s, 2, ref);
	sqlite3_bind_int(s, 3, total);
}

/* Stores one part; returns how many parts of its set are now stored. */
int
store_part_add(struct store *st, const struct inbound *in, int ref,
    int total, int seq)
{
	sqlite3_stmt	*s = st->q[Q_PART_ADD];
	int		 n = -1;

	bind_text(s, 1, in->link);
	bind_text(s, 2, in->msisdn);
	sqlite3_bind_int(s, 3, ref);
	sqlite3_bind_int(s, 4, total);
	sqlite3_bind_int(s, 5, seq);
	bind_text(s, 6, in->text);
	sqlite3_bind_int64(s, 7, in->received_at);
	if (step_done(st, s) == -1)
		return -1;
	s = st->q[Q_PART_COUNT];
	bind_set(s, in->msisdn, ref, total);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return n;
}

/* Joins the stored parts of a set in order into out and deletes them. */
int
store_part_take(struct store *st, const char *msisdn, int ref, int total,
    char *out, size_t cap)
{
	sqlite3_stmt	*s = st->q[Q_PART_TAKE];
	size_t		 len = 0;

	out[0] = '\0';
	bind_set(s, msisdn, ref, total);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(s, 0);
		size_t n = strlen(t);
		if (len + n >= cap)
			n = cap - len - 1;	/* capped: a set is at most 255 parts */
		memcpy(out + len, t, n);
		len += n;
		out[len] = '\0';
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	s = st->q[Q_PART_DEL];
	bind_set(s, msisdn, ref, total);
	return step_done(st, s) == -1 ? -1 : (int)len;
}

int
store_part_each_old(struct store *st, int64_t before, store_part_cb cb,
    void *arg)
{
	sqlite3_stmt	*s = st->q[Q_PART_OLD];
	struct part_set	*sets = NULL;
	int		 n = 0, i;

	/* Collect first: the callback deletes rows this cursor walks. */
	sqlite3_bind_int64(s, 1, before);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct part_set *p = realloc(sets, (n + 1) * sizeof(*sets));
		if (p == NULL)
			fatal("realloc");
		sets = p;
		snprintf(sets[n].link, sizeof(sets[n].link), "%s",
		    sqlite3_column_text(s, 0));
		snprintf(sets[n].msisdn, sizeof(sets[n].msisdn), "%s",
		    sqlite3_column_text(s, 1));
		sets[n].ref = sqlite3_column_int(s, 2);
		sets[n].total = sqlite3_column_int(s, 3);
		n++;
	}
	sqlite3_reset(s);
	for (i = 0; i < n; i++)
		cb(&sets[i], arg);
	free(sets);
	return n;
}

int64_t
store_outbound_add(struct store *st, const struct outbound *o)
{
	sqlite3_stmt	*s = st->q[Q_OUT_ADD];
	int64_t		 id;

	bind_text(s, 1, o->link);
	bind_text(s, 2, o->msisdn);
	bind_text(s, 3, o->text);
	bind_text(s, 4, o->kind);
	sqlite3_bind_int(s, 5, o->prio);
	if (o->inbound_id > 0)
		sqlite3_bind_int64(s, 6, o->inbound_id);
	sqlite3_bind_int64(s, 7, o->created_at);
	if (o->ussd_op >= 0) {
		sqlite3_bind_int(s, 8, o->ussd_op);
		if (o->its_session >= 0)
			sqlite3_bind_int(s, 9, o->its_session);
	}
	if (o->broadcast_id > 0)
		sqlite3_bind_int64(s, 10, o->broadcast_id);
	if (o->ussd_op >= 0 && o->user_msg_ref >= 0)
		sqlite3_bind_int(s, 11, o->user_msg_ref);
	if (step_done(st, s) == -1)
		return -1;
	id = sqlite3_last_insert_rowid(st->db);
	st->queued = 1;
	if (sqlite3_get_autocommit(st->db))	/* on its own: committed */
		store_committed(st);
	return id;
}

int
store_outbound_load(struct store *st, const char *link, int prio,
    int64_t after, int limit, store_outbound_cb cb, void *arg)
{
	sqlite3_stmt	*s = st->q[Q_OUT_LOAD];
	struct outbound	 o;
	int		 n = 0;

	bind_text(s, 1, link);
	sqlite3_bind_int(s, 2, prio);
	sqlite3_bind_int64(s, 3, after);
	sqlite3_bind_int(s, 4, limit);
	while (sqlite3_step(s) == SQLITE_ROW) {
		memset(&o, 0, sizeof(o));
		o.id = sqlite3_column_int64(s, 0);
		o.link = link;
		o.prio = prio;
		o.msisdn = (const char *)sqlite3_column_text(s, 1);
		o.text = (const char *)sqlite3_column_text(s, 2);
		o.kind = (const char *)sqlite3_column_text(s, 3);
		o.created_at = sqlite3_column_int64(s, 4);
		o.ussd_op = sqlite3_column_int(s, 5);
		o.its_session = sqlite3_column_int(s, 6);
		o.broadcast_id = sqlite3_column_int64(s, 7);
		o.user_msg_ref = sqlite3_column_int(s, 8);
		cb(&o, arg);
		n++;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return n;
}

int
store_outbound_part(struct store *st, int64_t id, int part,
    const char *smsc_id, const char *key, const char *key2)
{
	sqlite3_stmt	*s = st->q[Q_OUT_PART];

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, part);
	bind_text(s, 3, smsc_id);
	bind_text(s, 4, key);
	bind_text(s, 5, key2);
	return step_done(st, s);
}

int
store_outbound_sent(struct store *st, int64_t id, int parts, int64_t now)
{
	sqlite3_stmt	*s = st->q[Q_OUT_SENT];

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, parts);
	sqlite3_bind_int64(s, 3, now);
	return step_done(st, s);
}

int
store_outbound_failed(struct store *st, int64_t id, uint32_t status,
    int64_t now)
{
	sqlite3_stmt	*s = st->q[Q_OUT_FAILED];

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, status);
	sqlite3_bind_int64(s, 3, now);
	return step_done(st, s);
}

int
store_outbound_queued(struct store *st)
{
	sqlite3_stmt	*s = st->q[Q_OUT_QUEUED];
	int		 n = -1;

	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return n;
}

/* Records a receipt and moves its message to delivered/failed; the id. */
int64_t
store_dlr_add(struct store *st, const struct dlr_rec *d)
{
	sqlite3_stmt	*s = st->q[Q_DLR_MATCH];
	int64_t		 out_id = 0;

	bind_text(s, 1, d->key);
	bind_text(s, 2, d->key2);
	if (sqlite3_step(s) == SQLITE_ROW)
		out_id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);

	s = st->q[Q_DLR_ADD];
	bind_text(s, 1, d->link);
	bind_text(s, 2, d->smsc_id);
	bind_text(s, 3, d->stat);
	bind_text(s, 4, d->err);
	sqlite3_bind_int64(s, 5, d->received_at);
	if (out_id)
		sqlite3_bind_int64(s, 6, out_id);
	if (step_done(st, s) == -1)
		return -1;
	if (out_id && d->final) {
		s = st->q[Q_DLR_STATE];
		sqlite3_bind_int64(s, 1, out_id);
		bind_text(s, 2, d->success ? "delivered" : "failed");
		sqlite3_bind_int64(s, 3, d->received_at);
		if (step_done(st, s) == -1)
			return -1;
	}
	return out_id;
}

/* ---- SMPP sessions: how each ended, for store_inbound_seen ---- */

/* A bind: nothing on it has been acknowledged past proven_id yet. */
int
store_session_begin(struct store *st, int64_t id, const char *link,
    int64_t now, int64_t proven_id)
{
	sqlite3_stmt	*s = st->q[Q_SESS_BEGIN];

	sess_put(st, id, SESS_BOUND);
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, link);
	sqlite3_bind_int64(s, 3, now);
	sqlite3_bind_int64(s, 4, proven_id);
	return step_done(st, s);
}

/* Kept on disk for the next process, should this one die. */
int
store_session_proven(struct store *st, int64_t id, int64_t proven_id)
{
	sqlite3_stmt	*s = st->q[Q_SESS_PROVEN];

	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, proven_id);
	return step_done(st, s);
}

/*
 * The session ended: how ("unbind", answered either way, or "drop") and
 * the inbound id after which its messages may come again (INT64_MAX:
 * none). Memory first: a write that fails still protects this process.
 */
int
store_session_end(struct store *st, int64_t id, const char *how,
    int64_t now, int64_t lost_after)
{
	sqlite3_stmt	*s = st->q[Q_SESS_END];

	sess_put(st, id, lost_after);
	sqlite3_bind_int64(s, 1, id);
	bind_text(s, 2, how);
	sqlite3_bind_int64(s, 3, now);
	if (lost_after != INT64_MAX)
		sqlite3_bind_int64(s, 4, lost_after);
	return step_done(st, s);
}

static int
sess_load_recent(struct store *st)
{
	sqlite3_stmt	*s = st->q[Q_SESS_RECENT];
	int		 rc;

	sqlite3_bind_int(s, 1, SESS_CACHE);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		sess_put(st, sqlite3_column_int64(s, 0),
		    sqlite3_column_type(s, 1) == SQLITE_NULL ? INT64_MAX :
		    sqlite3_column_int64(s, 1));
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * At start: a session the last process left bound ended when it died,
 * with its last acknowledgement proof as the limit; then the newest
 * sessions are remembered. A failure leaves them unknown (suspect).
 */
int
store_sessions_load(struct store *st, int64_t now)
{
	sqlite3_stmt	*s = st->q[Q_SESS_DIED];
	int		 died;

	sqlite3_bind_int64(s, 1, now);
	if (step_done(st, s) == -1)
		return -1;
	if ((died = sqlite3_changes(st->db)) > 0)
		log_info("store: %d SMPP session(s) were bound when the last "
		    "run ended: their unacknowledged messages count as "
		    "possible redeliveries", died);
	s = st->q[Q_SESS_PRUNE];
	sqlite3_bind_int(s, 1, SESS_KEEP_ROWS);
	if (step_done(st, s) == -1)
		return -1;
	return sess_load_recent(st);
}
