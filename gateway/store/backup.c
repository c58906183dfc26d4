/*
 * Online backups (issue 15). A thread with its own read-only connection
 * runs VACUUM INTO a temporary file beside the destination: a consistent
 * copy of one snapshot, made while the loop goes on writing (a WAL reader
 * blocks no writer). The copy is then opened, checked with
 * integrity_check, counted, fsynced and renamed into place, so a file
 * with the destination's name is always a whole backup that passed the
 * check. One backup at a time; the loop asks how it went (store_backup_poll)
 * rather than being called from the thread.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "clock.h"
#include "log.h"
#include "store/store.h"
#include "store/store_int.h"

struct store_backup {
	pthread_t			 thread;
	int				 running;
	atomic_int			 done;
	char				 src[CONFIG_PATH_MAX];
	char				 tmp[CONFIG_PATH_MAX + 16];
	struct store_backup_result	 res;	/* the thread's */
	struct store_backup_result	 last;	/* the last finished */
};

static int
backup_fail(struct store_backup *b, const char *what, const char *why)
{
	snprintf(b->res.error, sizeof(b->res.error), "%s: %s", what, why);
	return -1;
}

/* The copy: VACUUM INTO the temporary file, from one read snapshot. */
static int
backup_copy(struct store_backup *b)
{
	sqlite3		*db = NULL;
	sqlite3_stmt	*s = NULL;
	int		 rc = -1;

	if (sqlite3_open_v2(b->src, &db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		backup_fail(b, "cannot open the database", sqlite3_errmsg(db));
	else if (sqlite3_busy_timeout(db, 5000),
	    sqlite3_prepare_v2(db, "VACUUM INTO ?", -1, &s, NULL) !=
	    SQLITE_OK ||
	    sqlite3_bind_text(s, 1, b->tmp, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_DONE)
		backup_fail(b, "the copy failed", sqlite3_errmsg(db));
	else
		rc = 0;
	sqlite3_finalize(s);
	sqlite3_close(db);
	return rc;
}

/* A count, or -1. */
static int64_t
backup_count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt	*s;
	int64_t		 n = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

int
store_backup_verify(const char *path, struct store_backup_result *res)
{
	sqlite3		*db = NULL;
	sqlite3_stmt	*s = NULL;
	const char	*got = NULL;
	int		 rc = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK ||
	    sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL) !=
	    SQLITE_OK || sqlite3_step(s) != SQLITE_ROW)
		snprintf(res->error, sizeof(res->error), "%s: not a database "
		    "SQLite can check: %s", path, sqlite3_errmsg(db));
	else if (strcmp((got = (const char *)sqlite3_column_text(s, 0)),
	    "ok") != 0)
		snprintf(res->error, sizeof(res->error), "%s: integrity_check "
		    "failed: %.160s", path, got);
	else if ((res->cases = backup_count(db, "SELECT count(*) FROM cases")) <
	    0 || (res->inbound = backup_count(db,
	    "SELECT count(*) FROM inbound")) < 0 || (res->outbound =
	    backup_count(db, "SELECT count(*) FROM outbound")) < 0)
		snprintf(res->error, sizeof(res->error), "%s: not a motcua "
		    "database", path);
	else
		rc = 0;
	sqlite3_finalize(s);
	sqlite3_close(db);
	return rc;
}

/* The copy under its name, never over a file: link, then unlink; where
 * the file system has no hard links (a FAT USB stick), a rename after a
 * last look. */
static int
backup_place(struct store_backup *b)
{
	if (link(b->tmp, b->res.path) == 0)
		return unlink(b->tmp), 0;
	if (errno != EPERM && errno != EOPNOTSUPP)
		return -1;
	if (access(b->res.path, F_OK) == 0) {
		errno = EEXIST;
		return -1;
	}
	return rename(b->tmp, b->res.path);
}

/* The checked copy on disk for good, then under its name. */
static int
backup_commit(struct store_backup *b)
{
	char		 dir[CONFIG_PATH_MAX];
	struct stat	 sb;
	int		 fd;

	if ((fd = open(b->tmp, O_RDONLY | O_CLOEXEC)) == -1 || fsync(fd) ==
	    -1 || fstat(fd, &sb) == -1) {
		if (fd != -1)
			close(fd);
		return backup_fail(b, "cannot sync the copy", strerror(errno));
	}
	close(fd);
	b->res.bytes = (int64_t)sb.st_size;
	if (backup_place(b) == -1)
		return backup_fail(b, b->res.path, strerror(errno));
	snprintf(dir, sizeof(dir), "%s", b->res.path);
	if ((fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) !=
	    -1) {
		fsync(fd);
		close(fd);
	}
	return 0;
}

static void *
backup_main(void *arg)
{
	struct store_backup	*b = arg;

	if (access(b->res.path, F_OK) == 0)
		backup_fail(b, b->res.path, "exists: a backup never replaces "
		    "a file");
	else if (unlink(b->tmp) == -1 && errno != ENOENT)
		backup_fail(b, b->tmp, strerror(errno));
	else if (backup_copy(b) == 0 &&
	    store_backup_verify(b->tmp, &b->res) == 0 &&
	    backup_commit(b) == 0)
		b->res.ok = 1;
	if (!b->res.ok)
		unlink(b->tmp);
	b->res.finished_at = clock_wall_ms();
	atomic_store(&b->done, 1);
	return NULL;
}

int
store_backup_start(struct store *st, const char *dest, int64_t now)
{
	struct store_backup	*b = store_backup_state(st);

	if (b == NULL || b->running)
		return -1;
	memset(&b->res, 0, sizeof(b->res));
	snprintf(b->src, sizeof(b->src), "%s", store_path(st));
	snprintf(b->res.path, sizeof(b->res.path), "%s", dest);
	snprintf(b->tmp, sizeof(b->tmp), "%s.partial", dest);
	b->res.started_at = now;
	atomic_store(&b->done, 0);
	if (pthread_create(&b->thread, NULL, backup_main, b) != 0) {
		log_warn("store: cannot start a backup thread");
		return -1;
	}
	b->running = 1;
	return 0;
}

int
store_backup_poll(struct store *st, struct store_backup_result *res)
{
	struct store_backup	*b = store_backup_state(st);

	if (b == NULL || !b->running)
		return -1;
	if (!atomic_load(&b->done))
		return 0;
	pthread_join(b->thread, NULL);
	b->running = 0;
	b->last = b->res;
	*res = b->res;
	return 1;
}

int
store_backup_last(struct store *st, struct store_backup_result *res)
{
	struct store_backup	*b = store_backup_state(st);

	*res = b->last;
	return b->running;
}

struct store_backup *
store_backup_new(void)
{
	return calloc(1, sizeof(struct store_backup));
}

/* At close: a backup under way is waited for (its file stays whole). */
void
store_backup_free(struct store_backup *b)
{
	if (b == NULL)
		return;
	if (b->running)
		pthread_join(b->thread, NULL);
	free(b);
}

/* ---- restore ---- */

#define RESTORE_SEQ_SKIP	1000	/* case numbers skipped (see README) */

/* The database and its WAL files renamed to aside(+-wal, -shm). */
static int
restore_aside(const char *db, const char *aside, char *err, size_t len)
{
	static const char *const sfx[] = { "-wal", "-shm", "" };
	char	from[CONFIG_PATH_MAX + 8], to[CONFIG_PATH_MAX + 80];
	size_t	i;

	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		snprintf(from, sizeof(from), "%s%s", db, sfx[i]);
		snprintf(to, sizeof(to), "%s%s", aside, sfx[i]);
		if (rename(from, to) == -1 && errno != ENOENT) {
			snprintf(err, len, "%s: cannot move it aside: %s", from,
			    strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* One statement on db; its changes, or -1. */
static int64_t
restore_exec(sqlite3 *db, const char *sql, int64_t now)
{
	sqlite3_stmt	*s;
	int64_t		 n = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK &&
	    (sqlite3_bind_parameter_count(s) == 0 ||
	    sqlite3_bind_int64(s, 1, now) == SQLITE_OK) &&
	    sqlite3_step(s) == SQLITE_DONE)
		n = sqlite3_changes(db);
	sqlite3_finalize(s);
	return n;
}

/*
 * What the backup had still to send may have gone out between the backup
 * and the failure: its queued messages are held for staff to review, its
 * broadcasts under way (or due) are stopped, and the year's case numbers
 * jump past any the lost days may have given out.
 */
static int
restore_hold(const char *path, int64_t now, struct store_restore_result *r,
    char *err, size_t len)
{
	sqlite3	*db = NULL;
	int	 rc = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) ==
	    SQLITE_OK && restore_exec(db, "BEGIN IMMEDIATE", 0) == 0 &&
	    (r->held = restore_exec(db, "UPDATE outbound SET state = 'held' "
	    "WHERE state = 'queued'", 0)) >= 0 &&
	    (r->cancelled = restore_exec(db, "UPDATE broadcasts SET state = "
	    "'cancelled' WHERE state IN ('sending', 'waiting') OR "
	    "(state = 'scheduled' AND at <= ?1)", now)) >= 0 &&
	    restore_exec(db, "UPDATE case_seq SET next = next + 1000", 0) >=
	    0 && restore_exec(db, "COMMIT", 0) == 0) {
		r->seq_skip = RESTORE_SEQ_SKIP;
		rc = 0;
	} else
		snprintf(err, len, "%s: cannot hold what it had to send: %s",
		    path, sqlite3_errmsg(db));
	sqlite3_close(db);
	return rc;
}

/* The backup copied to path, whole (VACUUM INTO), and synced. */
static int
restore_copy(const char *backup, const char *path, char *err, size_t len)
{
	struct store_backup	b;

	memset(&b, 0, sizeof(b));
	snprintf(b.src, sizeof(b.src), "%s", backup);
	snprintf(b.tmp, sizeof(b.tmp), "%s", path);
	snprintf(b.res.path, sizeof(b.res.path), "%s", path);
	if (backup_copy(&b) == -1) {
		snprintf(err, len, "%s", b.res.error);
		return -1;
	}
	return 0;
}

int
store_restore(const char *db, const char *backup, int64_t now,
    struct store_restore_result *r, char *err, size_t len)
{
	time_t		t = (time_t)(now / 1000);
	struct tm	tm;
	int		lock, rc = -1;

	memset(r, 0, sizeof(*r));
	if ((lock = store_lock(db)) == -1) {
		snprintf(err, len, "%s is in use by a running motcuad: stop it "
		    "first (systemctl stop motcuad)", db);
		return -1;
	}
	localtime_r(&t, &tm);
	snprintf(r->aside, sizeof(r->aside), "%s.before-restore-%04d%02d%02d-"
	    "%02d%02d%02d", db, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (store_backup_verify(backup, &r->backup) == -1) {
		snprintf(err, len, "refused: %s", r->backup.error);
		goto done;
	}
	if (access(db, F_OK) != 0)
		r->aside[0] = '\0';		/* nothing to keep */
	else if (restore_aside(db, r->aside, err, len) == -1)
		goto done;
	if (restore_copy(backup, db, err, len) == 0 &&
	    restore_hold(db, now, r, err, len) == 0)
		rc = 0;
done:
	close(lock);
	return rc;
}
