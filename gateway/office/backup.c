/*
 * The office's backups (issue 15): one on demand (POST /backups, `motcua
 * backup FILE`), and a daily one into [store] backup_dir (default: a
 * `backups` folder beside the database) when the newest there is a day
 * old, keeping the newest [store] backup_keep. The store makes and checks
 * each on a thread; the housekeeping tick logs how it went, prunes, and
 * plans the next. A failed backup is a warning and a retry an hour later,
 * never a stop. The first daily one waits 5 minutes after start: a
 * restart's redeliveries come first.
 */
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "office/office.h"
#include "store/store.h"

#define BACKUP_EVERY_MS		(24LL * 3600 * 1000)
#define BACKUP_RETRY_MS		(3600LL * 1000)
#define BACKUP_FIRST_MS		(5LL * 60 * 1000)
#define BACKUP_NAME_LEN		(sizeof("motcua-YYYYMMDD-HHMMSS.db") - 1)

/* The daily backups' folder. */
static void
backup_dir(const struct office *of, char *out, size_t cap)
{
	char	db[CONFIG_PATH_MAX];

	if (of->cfg->backup_dir[0] != '\0') {
		snprintf(out, cap, "%s", of->cfg->backup_dir);
		return;
	}
	snprintf(db, sizeof(db), "%s", of->cfg->store_path);
	snprintf(out, cap, "%s/backups", dirname(db));
}

/* 1 for a name the daily backups take: motcua-YYYYMMDD-HHMMSS.db. */
static int
backup_daily_name(const char *n)
{
	return strlen(n) == BACKUP_NAME_LEN && strncmp(n, "motcua-", 7) == 0 &&
	    strspn(n + 7, "0123456789") == 8 && n[15] == '-' &&
	    strspn(n + 16, "0123456789") == 6 && strcmp(n + 22, ".db") == 0;
}

/* 1 if path is a daily backup in the daily folder. */
static int
backup_is_daily(const struct office *of, const char *path)
{
	char	dir[CONFIG_PATH_MAX];
	size_t	n;

	backup_dir(of, dir, sizeof(dir));
	n = strlen(dir);
	return strncmp(path, dir, n) == 0 && path[n] == '/' &&
	    backup_daily_name(path + n + 1);
}

static int
backup_newer_first(const void *a, const void *b)
{
	return strcmp(*(char *const *)b, *(char *const *)a);
}

/* The daily backups in dir, newest first (the names sort by time); their
 * count, or -1. The caller frees names[] and each name. */
static int
backup_list(const char *dir, char ***names)
{
	DIR		*d;
	struct dirent	*e;
	char		**v = NULL, **nv;
	int		 n = 0;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (!backup_daily_name(e->d_name) || (nv = realloc(v,
		    (n + 1) * sizeof(*v))) == NULL || (nv[n] =
		    strdup(e->d_name)) == NULL)
			continue;
		v = nv;
		n++;
	}
	closedir(d);
	qsort(v, n, sizeof(*v), backup_newer_first);
	*names = v;
	return n;
}

static void
backup_list_free(char **names, int n)
{
	while (n-- > 0)
		free(names[n]);
	free(names);
}

/* Removes the daily backups past [store] backup_keep. */
static void
backup_prune(struct office *of)
{
	char	 dir[CONFIG_PATH_MAX], path[CONFIG_PATH_MAX * 2];
	char	**names;
	int	 n, i;

	backup_dir(of, dir, sizeof(dir));
	if ((n = backup_list(dir, &names)) < 0)
		return;
	for (i = of->cfg->backup_keep; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (unlink(path) == 0)
			log_info("backup: %s removed (keeping %d)", path,
			    of->cfg->backup_keep);
	}
	backup_list_free(names, n);
}

/* The newest daily backup's time (its mtime), or 0. */
static int64_t
backup_newest(const struct office *of)
{
	char		 dir[CONFIG_PATH_MAX], path[CONFIG_PATH_MAX * 2];
	char		**names;
	struct stat	 sb;
	int		 n;
	int64_t		 at = 0;

	backup_dir(of, dir, sizeof(dir));
	if ((n = backup_list(dir, &names)) <= 0)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", dir, names[0]);
	if (stat(path, &sb) == 0)
		at = (int64_t)sb.st_mtime * 1000;
	backup_list_free(names, n);
	return at;
}

int
office_backup_start(struct office *of, const char *dest, int64_t now)
{
	return store_backup_start(of->store, dest, now);
}


/* Starts the daily backup into its folder; 0 or -1 (logged). */
static int
backup_daily(struct office *of, int64_t now)
{
	char		dir[CONFIG_PATH_MAX], path[CONFIG_PATH_MAX * 2];
	time_t		t = (time_t)(now / 1000);
	struct tm	tm;

	backup_dir(of, dir, sizeof(dir));
	if (mkdir(dir, 0750) == -1 && errno != EEXIST) {
		log_warn("backup: cannot make %s", dir);
		return -1;
	}
	localtime_r(&t, &tm);
	snprintf(path, sizeof(path), "%s/motcua-%04d%02d%02d-%02d%02d%02d.db",
	    dir, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
	return office_backup_start(of, path, now);
}

/* A backup has finished: said once, and the next daily one planned. */
static void
backup_done(struct office *of, const struct store_backup_result *r,
    int64_t now)
{
	if (!r->ok) {
		log_warnx("backup: %s failed: %s", r->path, r->error);
		if (backup_is_daily(of, r->path))
			of->backup_due = now + BACKUP_RETRY_MS;
		return;
	}
	log_info("backup: %s written and checked in %lld ms: %lld bytes, "
	    "integrity ok, cases=%lld inbound=%lld outbound=%lld", r->path,
	    (long long)(r->finished_at - r->started_at), (long long)r->bytes,
	    (long long)r->cases, (long long)r->inbound,
	    (long long)r->outbound);
	of->backup_ok_at = r->finished_at;
	if (backup_is_daily(of, r->path)) {	/* not one a clerk asked for */
		of->backup_due = r->finished_at + BACKUP_EVERY_MS;
		backup_prune(of);
	}
}

/* 1 while a backup runs; one that has just finished is said first. */
static int
backup_running(struct office *of, int64_t now)
{
	struct store_backup_result	r;

	switch (store_backup_poll(of->store, &r)) {
	case 1:
		backup_done(of, &r, now);
		return 0;
	case 0:
		return 1;
	}
	return 0;
}

int
office_backup_last(struct office *of, struct store_backup_result *res,
    int64_t now)
{
	backup_running(of, now);
	return store_backup_last(of->store, res);
}

int64_t
office_backup_ok_at(struct office *of)
{
	return of->backup_ok_at;
}

void
office_backup_tick(struct office *of, int64_t now)
{
	if (backup_running(of, now))
		return;
	if (of->cfg->backup_keep == 0 || of->stopping)
		return;
	if (of->backup_due == 0) {	/* the first tick */
		of->backup_ok_at = backup_newest(of);
		of->backup_due = of->backup_ok_at + BACKUP_EVERY_MS;
		if (of->backup_due < now + BACKUP_FIRST_MS)
			of->backup_due = now + BACKUP_FIRST_MS;
	}
	if (now >= of->backup_due && backup_daily(of, now) == -1)
		of->backup_due = now + BACKUP_RETRY_MS;
}

/* ---- what a restore held back ---- */

int
office_held_list(struct office *of, int64_t after, int limit,
    store_held_cb cb, void *arg)
{
	return store_held_list(of->store, after, limit, cb, arg);
}

/* Drops held message id (0: every one): never sent. The rows, or -1. */
int64_t
office_held_drop(struct office *of, int64_t id)
{
	return store_held_set(of->store, id, "dropped");
}

/* One held message, copied out of the store's row. */
struct held_one {
	int64_t	id;
	char	msisdn[24];
	char	text[TEXT_MAX];
};

static void
held_copy(const struct store_held *h, void *arg)
{
	struct held_one	*o = arg;

	if (o->id != h->id)
		return;
	snprintf(o->msisdn, sizeof(o->msisdn), "%s", h->msisdn);
	snprintf(o->text, sizeof(o->text), "%s", h->text);
}

/* Sends held message id again, as a new message (the old row stays, as
 * released): its new id, 0 if id is not held, -1 on a store error. The
 * caller holds the write transaction. */
int64_t
office_held_release(struct office *of, int64_t id)
{
	struct held_one	o = { .id = id };

	if (store_held_list(of->store, id - 1, 1, held_copy, &o) == -1)
		return -1;
	if (o.msisdn[0] == '\0')
		return 0;
	if (store_held_set(of->store, id, "released") != 1)
		return -1;
	return office_send(of, o.msisdn, o.text);
}

/* ---- erasure on request (issue 15): see store/privacy.c ---- */

/* In the caller's write transaction. */
int
office_privacy_erase(struct office *of, const char *msisdn,
    struct store_erased *n)
{
	return store_privacy_erase(of->store, msisdn, n);
}
