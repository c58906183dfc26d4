/*
 * The durable store: one SQLite file in WAL mode, every statement prepared
 * once. Writes are grouped: the link opens a batch when it starts reading
 * PDUs and commits it before any deliver_sm_resp of that batch goes out, so
 * an acknowledged message is always on disk and a burst costs one fsync.
 * After each commit that queued outbound messages (or a queued one written
 * outside a batch) it calls the commit hook the wiring set: the outboxes
 * look for work then, once per commit, and never before the rows are on
 * disk, so no writer has to remember to tell them. This file keeps the
 * connection, the schema, batches and savepoints, and the checkpointer;
 * the message tables are in messages.c, cases, contacts, broadcasts and
 * the report in their own files.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "log.h"
#include "store/sql.h"
#include "store/store.h"
#include "store/store_int.h"

enum {
	Q_BEGIN, Q_COMMIT, Q_ROLLBACK, Q_SAVEPOINT, Q_ROLLBACK_TO, Q_RELEASE,
	Q_COUNT
};

/* Prepared too: sqlite3_exec would parse them at every message. */
static const char *const queries[Q_COUNT] = {
	[Q_BEGIN] = "BEGIN IMMEDIATE",
	[Q_COMMIT] = "COMMIT",
	[Q_ROLLBACK] = "ROLLBACK",
	[Q_SAVEPOINT] = "SAVEPOINT action",
	[Q_ROLLBACK_TO] = "ROLLBACK TO action",
	[Q_RELEASE] = "RELEASE action",
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
	/* 9: parts of long messages expire oldest first, a few at a time */
	"CREATE INDEX inbound_part_age ON inbound_part(received_at);",
	/* 10: staff accounts, their sessions, failed sign-ins (throttling)
	 * and the audit log (gateway/store/accounts.c). Sessions keep only a
	 * hash of their token; the audit log refuses updates and deletes. */
	"CREATE TABLE users ("
	"  name TEXT PRIMARY KEY,"
	"  role TEXT NOT NULL,"
	"  pw_hash TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL);"
	"CREATE TABLE sessions ("
	"  token_hash TEXT PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  csrf TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL,"
	"  last_seen INTEGER NOT NULL,"
	"  peer TEXT NOT NULL);"
	"CREATE INDEX sessions_seen ON sessions(last_seen);"
	"CREATE INDEX sessions_made ON sessions(created_at);"
	"CREATE TABLE login_failures ("
	"  name TEXT NOT NULL,"
	"  peer TEXT NOT NULL,"
	"  at INTEGER NOT NULL);"
	"CREATE INDEX login_failures_name ON login_failures(name, at);"
	"CREATE INDEX login_failures_peer ON login_failures(peer, at);"
	"CREATE INDEX login_failures_at ON login_failures(at);"
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY,"
	"  at INTEGER NOT NULL,"
	"  actor TEXT NOT NULL,"
	"  role TEXT NOT NULL,"
	"  peer TEXT NOT NULL,"
	"  method TEXT NOT NULL,"
	"  path TEXT NOT NULL,"
	"  status INTEGER NOT NULL,"
	"  summary TEXT NOT NULL);"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
	/* 11: the console's reads (store/console.c): a thread per number
	 * that needs a person (a text no rule answered, feedback), done or
	 * not and by whom; indexes so that every list page is a short walk:
	 * cases newest first, open cases by due date, a number's replies
	 * (by the message they answer) and staff texts */
	"CREATE TABLE inbox ("
	"  msisdn TEXT PRIMARY KEY,"
	"  kind TEXT NOT NULL,"			/* unknown | feedback */
	"  last_in_id INTEGER NOT NULL,"	/* inbound.id */
	"  last_at INTEGER NOT NULL,"		/* unix ms */
	"  last_text TEXT NOT NULL,"
	"  count INTEGER NOT NULL,"		/* texts since it opened */
	"  done_at INTEGER,"			/* NULL: open */
	"  done_by TEXT);"
	"CREATE INDEX inbox_recent ON inbox(last_in_id);"
	"CREATE INDEX inbox_open ON inbox(last_in_id) WHERE done_at IS NULL;"
	"CREATE INDEX cases_recent ON cases(received_at, id);"
	"CREATE INDEX cases_open_due ON cases(due, id) "
	"  WHERE kind = 'case' AND status IN (2, 4, 5, 6);"
	"CREATE INDEX outbound_inbound ON outbound(inbound_id) "
	"  WHERE inbound_id IS NOT NULL;"
	"CREATE INDEX outbound_notify_msisdn ON outbound(msisdn, created_at) "
	"  WHERE kind = 'notify';",
	/* 12: case imports from the case system's CSV: the upload, its
	 * staged rows (what each would do, its SMS once applying) and its
	 * problems by spreadsheet row (gateway/store/imports.c) */
	"CREATE TABLE imports ("
	"  id INTEGER PRIMARY KEY,"
	"  state TEXT NOT NULL,"	/* checking|preview|applying|applied| */
					/* failed|discarded */
	"  actor TEXT NOT NULL,"		/* who uploaded */
	"  created_at INTEGER NOT NULL,"
	"  total INTEGER NOT NULL DEFAULT 0,"	/* data rows read */
	"  new INTEGER NOT NULL DEFAULT 0,"
	"  changes INTEGER NOT NULL DEFAULT 0,"
	"  unchanged INTEGER NOT NULL DEFAULT 0,"
	"  errors INTEGER NOT NULL DEFAULT 0,"	/* rows with problems */
	"  done INTEGER NOT NULL DEFAULT 0,"	/* rows made ready to apply */
	"  applied_by TEXT,"
	"  applied_at INTEGER,"
	"  reason TEXT NOT NULL DEFAULT '');"	/* why it failed */
	"CREATE TABLE import_rows ("
	"  import INTEGER NOT NULL REFERENCES imports(id),"
	"  row INTEGER NOT NULL,"		/* as a spreadsheet shows it */
	"  action INTEGER NOT NULL,"	/* 0 refused 1 new 2 change 3 same */
	"  code TEXT NOT NULL,"
	"  canon TEXT NOT NULL,"
	"  procedure TEXT NOT NULL,"
	"  msisdn TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  status INTEGER NOT NULL,"
	"  received_at INTEGER NOT NULL,"
	"  due TEXT NOT NULL,"
	"  case_id INTEGER,"			/* the case it changes */
	"  old_status INTEGER,"			/* ... as it was when checked */
	"  notify_to TEXT,"			/* the SMS, rendered when */
	"  link TEXT,"				/* applying */
	"  sms TEXT,"
	"  PRIMARY KEY (import, row));"
	"CREATE UNIQUE INDEX import_rows_canon ON import_rows(import, canon);"
	"CREATE TABLE import_errors ("
	"  import INTEGER NOT NULL REFERENCES imports(id),"
	"  row INTEGER NOT NULL,"
	"  field TEXT NOT NULL,"		/* the column's header */
	"  reason TEXT NOT NULL);"
	"CREATE INDEX import_errors_import ON import_errors(import, row);"
	"CREATE INDEX imports_state ON imports(state);",
};

struct store {
	sqlite3		*db;
	sqlite3_stmt	*q[Q_COUNT];
	struct store_msgs *msgs;	/* messages.c */
	int		 in_batch;
	int		 failed;	/* a write in this batch failed */
	int64_t		 last_in_id;	/* newest inbound id written */
	int64_t		 batch_in_id;	/* ... when the batch began */
	int		 queued;	/* this batch queued outbound rows */
	store_commit_hook commit_hook;
	void		*commit_arg;
	/* the checkpointer: its own thread and connection */
	pthread_t	 ckpt;
	pthread_mutex_t	 ckpt_mu;
	pthread_cond_t	 ckpt_cv;
	int		 ckpt_started, ckpt_stop, sync_full;
	_Atomic int64_t	 wal_bytes;	/* the -wal file, as last seen */
	char		*path;
	struct store_backup *backup;	/* backup.c's, made at open */
	int		 lock_fd;	/* store_lock's, while open */
};

#define CKPT_EVERY_MS	200
#define CKPT_QUIET_TICKS 5	/* a second with no new frame: the link is quiet */
/*
 * The WAL's bound. Passive checkpoints every 200 ms keep what each one
 * must fsync small. One that copies every frame before the loop's next
 * write lets that write start the WAL again from its beginning, which
 * happens at once on a link with any pause in it; once the link has been
 * quiet for a second, TRUNCATE empties the file. A burst that never pauses
 * never lets that happen, so the WAL grows while it lasts, up to this
 * limit: there passive rounds catch up first, so that the RESTART holding
 * the loop's writes has next to nothing to copy, and the WAL starts again.
 * RESTART is the exception, not the rhythm: each costs the loop a pause
 * (about 40 ms on the bench machine). journal_size_limit is twice the
 * limit, so that the loop's first commit into a restarted WAL seldom pays
 * for an ftruncate too; the quiet tick's TRUNCATE cuts the file to 0.
 */
#define WAL_LIMIT_BYTES	(256LL * 1024 * 1024)
#define WAL_FILE_LIMIT_S "536870912"

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

/* The frames that fill WAL_LIMIT_BYTES. The limit is on the frames in
 * use, not on the file: a restarted WAL reuses a file that stays large
 * until the next quiet tick truncates it. */
static int
ckpt_frame_limit(sqlite3 *db)
{
	sqlite3_stmt	*s;
	int		 page = 4096;

	if (sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &s, NULL) ==
	    SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		page = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return (int)(WAL_LIMIT_BYTES / (page + 24));	/* + frame header */
}

/* What the checkpointer remembers between ticks. */
struct ckpt_state {
	int	limit;		/* frames in WAL_LIMIT_BYTES */
	int	last;		/* the WAL's frames at the last tick */
	int	quiet;		/* ticks since they last changed */
};

/* Passive rounds until one finds no frame the one before did not copy (at
 * most 4): the RESTART after them then has next to nothing to copy and
 * sync while it holds the loop's writes. */
static int
ckpt_catch_up(sqlite3 *db, int *frames, int *copied)
{
	int	i, before;

	for (i = 0; i < 4; i++) {
		before = *frames;
		if (sqlite3_wal_checkpoint_v2(db, NULL,
		    SQLITE_CHECKPOINT_PASSIVE, frames, copied) != SQLITE_OK)
			return -1;
		if (*frames == before)
			break;
	}
	return 0;
}

static void
ckpt_tick(struct store *st, sqlite3 *db, struct ckpt_state *cs)
{
	int	frames = 0, copied = 0, mode = 0;

	if (sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE,
	    &frames, &copied) == SQLITE_OK) {
		cs->quiet = frames == cs->last ? cs->quiet + 1 : 0;
		if (frames > 0 && cs->quiet >= CKPT_QUIET_TICKS &&
		    copied >= frames)
			mode = SQLITE_CHECKPOINT_TRUNCATE;
		else if (frames > cs->limit && ckpt_catch_up(db, &frames,
		    &copied) == 0)
			mode = SQLITE_CHECKPOINT_RESTART;
		if (mode != 0)
			sqlite3_wal_checkpoint_v2(db, NULL, mode, &frames,
			    &copied);
	}
	cs->last = frames;
	st->wal_bytes = ckpt_wal_size(st);
}

static void *
ckpt_main(void *arg)
{
	struct store	*st = arg;
	struct timespec	 ts;
	sqlite3		*db = NULL;
	struct ckpt_state cs = { 0, -1, 0 };
	int		 stop = 0;

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
	cs.limit = ckpt_frame_limit(db);
	while (!stop) {
		pthread_mutex_lock(&st->ckpt_mu);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += CKPT_EVERY_MS * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		while (!st->ckpt_stop && pthread_cond_timedwait(&st->ckpt_cv,
		    &st->ckpt_mu, &ts) != ETIMEDOUT)
			;
		stop = st->ckpt_stop;
		pthread_mutex_unlock(&st->ckpt_mu);
		ckpt_tick(st, db, &cs);
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

struct store *
store_open(const char *path, int sync_full)
{
	struct store	*st;

	/* Allocation statistics take a global lock on every malloc. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if ((st = calloc(1, sizeof(*st))) == NULL ||
	    (st->path = strdup(path)) == NULL ||
	    (st->backup = store_backup_new()) == NULL)
		fatal("calloc");
	st->sync_full = sync_full;
	if ((st->lock_fd = store_lock(path)) == -1) {
		log_warnx("store: %s is in use by another motcuad (its lock "
		    "file %s.lock is held)", path, path);
		goto fail;
	}
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
	    store_exec(st, "PRAGMA journal_size_limit = " WAL_FILE_LIMIT_S) == -1 ||
	    store_exec(st, sync_full ? "PRAGMA synchronous = FULL" :
	    "PRAGMA synchronous = NORMAL") == -1 ||
	    store_exec(st, "PRAGMA foreign_keys = ON") == -1 ||
	    store_migrate(st) == -1 ||
	    sql_prepare_all(st->db, queries, st->q, Q_COUNT, "store") == -1 ||
	    (st->msgs = msgs_open(st, st->db)) == NULL)
		goto fail;
	ckpt_start(st);
	return st;
fail:
	store_close(st);
	return NULL;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	ckpt_stop(st);
	store_backup_free(st->backup);
	if (st->in_batch)
		store_exec(st, "ROLLBACK");
	msgs_close(st->msgs);
	sql_finalize_all(st->q, Q_COUNT);
	sqlite3_close(st->db);
	if (st->lock_fd != -1)
		close(st->lock_fd);
	free(st->path);
	free(st);
}

/*
 * One motcuad per database: two would both send what is queued. The lock
 * is a flock on a file beside it, held while the store is open and let go
 * by the kernel when the process dies (kill -9 included); the restore
 * takes it too, so it never replaces a database a daemon has open.
 */
int
store_lock(const char *db)
{
	char	path[CONFIG_PATH_MAX + 8];
	int	fd;

	snprintf(path, sizeof(path), "%s.lock", db);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		close(fd);
		return -1;
	}
	return fd;
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
	if (sql_exec("store", st->q[q]) == 0)
		return 0;
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
int
store_write(struct store *st, sqlite3_stmt *s)
{
	if (sql_exec("store", s) == 0)
		return 0;
	st->failed = 1;
	return -1;
}

/* An outbound row was written: the hook runs once it is committed. */
void
store_queued(struct store *st)
{
	st->queued = 1;
	if (sqlite3_get_autocommit(st->db))	/* on its own: committed */
		store_committed(st);
}

void
store_inbound_written(struct store *st, int64_t id)
{
	st->last_in_id = id;
}

/* The newest inbound id: every message stored so far has one at most it. */
int64_t
store_inbound_last_id(const struct store *st)
{
	return st->last_in_id;
}

struct store_msgs *
store_msgs(struct store *st)
{
	return st->msgs;
}

const char *
store_path(const struct store *st)
{
	return st->path;
}

struct store_backup *
store_backup_state(struct store *st)
{
	return st->backup;
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

