/*
 * motcuad: start-up, signals, and the event loop. Owns the config, the
 * store, the reply texts, the links and the counters; everything else
 * hangs off them. It is the wiring, the one file that knows every room:
 * a link is made with callbacks that hand what it reads to the office
 * (on_link_*), and the store's commit hook (on_commit) tells the outboxes
 * when a commit queued messages, so the rooms below never call up.
 */
#include <sys/stat.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "store/cases.h"
#include "config.h"
#include "dlr.h"
#include "log.h"
#include "clock.h"
#include "store/store.h"
#include "smpp/smpp.h"
#include "office/office.h"
#include "admin/admin.h"

#define STOP_GRACE_S		5

/* The daemon: the office's parts, and what only the wiring needs. */
struct daemon {
	struct office	 of;
	struct admin	*admin;
	struct event	*stop_ev;
	int		 store_trouble;	/* said once per change */
};

static void
usage(void)
{
	fprintf(stderr, "usage: motcuad [-dst] [-R BACKUP] -c FILE\n"
	    "  -c FILE  configuration file\n"
	    "  -t       check the configuration and what it names, then exit\n"
	    "  -R FILE  restore the database from a backup (the daemon stopped)\n"
	    "  -s       log to syslog as well as stderr\n"
	    "  -d       debug logging, each line written at once\n");
	exit(2);
}

/* The links' callbacks: what a carrier delivers goes to the office. */
static uint32_t
on_link_deliver(void *arg, struct link *l, int64_t session,
    const uint8_t *pdu, size_t len, int64_t now)
{
	struct daemon	*d = arg;

	return inbound_deliver(&d->of, l, session, pdu, len, now);
}

/*
 * A link's read batch committed or not: the store failed (disk full,
 * locked) or works again, said once at each change, not at every batch.
 * Meanwhile inbound messages are refused with ESME_RX_T_APPN, so the
 * SMSC keeps them and delivers them again later.
 */
static void
on_link_batch(void *arg, struct link *l, int ok, int refused)
{
	struct daemon	*d = arg;

	(void)l;
	if (!ok && !d->store_trouble)
		log_warnx("store: cannot write: not acknowledging inbound "
		    "messages, the SMSC keeps them (%d refused so far)", refused);
	else if (ok && d->store_trouble)
		log_info("store: writing again: acknowledging inbound messages");
	d->store_trouble = !ok;
}

/* Nothing above a link needs its connections' ups and downs yet. */
static struct link *
wire_link(struct daemon *d, int idx)
{
	struct link_params	p = {
		.smsc = &d->of.cfg->smsc[idx], .office = d->of.cfg,
		.store = d->of.store, .base = d->of.base, .stats = &d->of.stats,
		.cb = { .deliver = on_link_deliver, .batch_done = on_link_batch,
		    .arg = d },
	};

	return link_new(&p);
}

/* The store's commit hook: what a commit queued goes out on its link. */
static void
on_commit(void *arg)
{
	struct daemon	*d = arg;
	int		 i;

	for (i = 0; i < d->of.nlinks; i++)
		outbox_kick(link_outbox(d->of.links[i]));
}

/* Why the store cannot be opened at path, into why; -1 if it cannot. */
static int
store_problem(const char *path, char *why, size_t cap)
{
	const char	*slash = strrchr(path, '/');
	char		 dir[CONFIG_PATH_MAX];
	struct stat	 st;
	int		 e = 0;

	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path) +
		    (slash == path), path);
	if (stat(dir, &st) == -1)
		e = errno;
	else if (!S_ISDIR(st.st_mode))
		e = ENOTDIR;
	else if (access(dir, W_OK | X_OK) == -1)
		e = errno;
	if (e != 0)
		return snprintf(why, cap, "its folder %.300s: %s", dir,
		    strerror(e)), -1;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return snprintf(why, cap, "%s", "not a file"), -1;
	return 0;
}

/*
 * The store's folder must exist and be writable (SQLite adds -wal and -shm
 * beside the database), or -t would pass a file the daemon cannot start
 * with. Named at the [store] path line, 0 for the default.
 */
static int
check_store(const struct config *cfg, char *err, size_t errlen)
{
	char	why[400];

	if (store_problem(cfg->store_path, why, sizeof(why)) == 0)
		return 0;
	snprintf(err, errlen, "%.300s:%d: path: cannot keep the store at "
	    "%.300s: %.350s", cfg->file, cfg->store_path_line, cfg->store_path,
	    why);
	return -1;
}

/* Everything SIGHUP reloads; on success replaces what the office holds. */
static int
load_texts(struct daemon *d, char *err, size_t errlen)
{
	struct replies	*r;

	r = replies_load(d->of.cfg->templates, d->of.cfg->max_segments,
	    d->of.cfg->charset, err, errlen);
	if (r == NULL)
		return -1;
	replies_free(d->of.replies);
	d->of.replies = r;
	return 0;
}

static void
on_stop_tick(evutil_socket_t fd, short ev, void *arg)
{
	struct daemon	*d = arg;
	static int	 ticks;
	int		 i, done = 1;

	(void)fd; (void)ev;
	for (i = 0; i < d->of.nlinks; i++)
		done &= link_stopped(d->of.links[i]);
	if (done || ++ticks > STOP_GRACE_S * 10) {
		if (!done)
			log_warnx("links did not unbind in %d s: closing",
			    STOP_GRACE_S);
		event_base_loopbreak(d->of.base);
	}
}

static void
on_signal(evutil_socket_t sig, short ev, void *arg)
{
	struct daemon	*d = arg;
	char		 err[512];
	struct timeval	 tenth = { 0, 100000 };
	int		 i;

	(void)ev;
	if (sig == SIGHUP) {
		if (load_texts(d, err, sizeof(err)) == -1)
			log_warnx("reload refused, keeping the old texts: %s", err);
		else
			log_info("reloaded templates");
		return;
	}
	if (d->of.stopping)
		return;
	log_info("stopping: finishing what is in flight, then unbinding");
	d->of.stopping = 1;
	for (i = 0; i < d->of.nlinks; i++)
		link_stop(d->of.links[i]);
	d->stop_ev = event_new(d->of.base, -1, EV_PERSIST, on_stop_tick, d);
	event_add(d->stop_ev, &tenth);
}

static void
on_log_flush(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd; (void)ev; (void)arg;
	log_flush();
}

static void
on_housekeeping(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd; (void)ev;
	inbound_expire_parts(arg, clock_wall_ms());
	office_backup_tick(arg, clock_wall_ms());
}

/*
 * The loop. Three priorities, and every event gets the middle one unless
 * it asks: the admin door's connections take the lowest (admin/conn.c),
 * and at most 8 of their callbacks run before the loop looks for a link's
 * work again. A flood at the admin port then cannot hold an SMS for more
 * than a few callbacks.
 */
/* A warning about the config: on stderr under -t, else in the log. */
static void
warn_config(int check, const char *msg)
{
	if (check)
		fprintf(stderr, "%s\n", msg);
	else
		log_warnx("%s", msg);
}

static struct event_base *
wire_base(void)
{
	struct event_config	*cfg;
	struct event_base	*base;

	if ((cfg = event_config_new()) == NULL ||
	    event_config_set_max_dispatch_interval(cfg, NULL, 8, 2) == -1 ||
	    (base = event_base_new_with_config(cfg)) == NULL ||
	    event_base_priority_init(base, 3) == -1)
		fatalx("event_base_new");
	event_config_free(cfg);
	return base;
}

static int
run(struct daemon *d)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	struct event	*evs[5];
	struct timeval	 five = { 5, 0 }, tenth = { 0, 100000 };
	char		 err[256];
	size_t		 i;

	signal(SIGPIPE, SIG_IGN);
	/* A file size limit is a full disk to SQLite, not a reason to die. */
	signal(SIGXFSZ, SIG_IGN);
	d->of.base = wire_base();
	for (i = 0; i < 3; i++) {
		evs[i] = evsignal_new(d->of.base, sigs[i], on_signal, d);
		event_add(evs[i], NULL);
	}
	evs[3] = event_new(d->of.base, -1, EV_PERSIST, on_housekeeping, &d->of);
	event_add(evs[3], &five);
	evs[4] = event_new(d->of.base, -1, EV_PERSIST, on_log_flush, NULL);
	event_add(evs[4], &tenth);
	for (d->of.nlinks = 0; d->of.nlinks < d->of.cfg->nsmsc; d->of.nlinks++)
		d->of.links[d->of.nlinks] = wire_link(d, d->of.nlinks);
	d->of.accounts = accounts_start(&d->of);	/* before the admin door */
	if ((d->admin = admin_start(&d->of, err, sizeof(err))) == NULL)
		fatalx("admin API: %s", err);
	d->of.ussd = ussd_start(&d->of);
	d->of.broadcasts = broadcast_start(&d->of);
	d->of.reminders = reminders_start(&d->of);	/* and SIGUSR1: a pass now */
	imports_start(&d->of);
	/* Before any message: how the last run's sessions ended decides
	 * which of their messages may come again. */
	if (store_sessions_load(d->of.store, clock_wall_ms()) == -1)
		log_warnx("store: sessions of the last run not read: their "
		    "messages count as possible redeliveries");
	inbound_resume(&d->of);
	inbound_expire_parts(&d->of, clock_wall_ms());
	for (i = 0; i < (size_t)d->of.nlinks; i++)
		link_start(d->of.links[i]);
	log_info("motcuad started links=%d store=%s", d->of.nlinks,
	    d->of.cfg->store_path);
	event_base_dispatch(d->of.base);

	reminders_stop(d->of.reminders);
	d->of.reminders = NULL;
	broadcast_stop(d->of.broadcasts);
	ussd_stop(d->of.ussd);
	admin_stop(d->admin);		/* cancels the sign-ins it waits on */
	imports_stop(d->of.imports);	/* after the requests that wait on it */
	d->of.imports = NULL;
	accounts_stop(d->of.accounts);
	d->of.accounts = NULL;
	for (i = 0; i < (size_t)d->of.nlinks; i++)
		link_free(d->of.links[i]);
	d->of.nlinks = 0;		/* a last commit has no outbox to kick */
	for (i = 0; i < 5; i++)
		event_free(evs[i]);
	if (d->stop_ev)
		event_free(d->stop_ev);
	event_base_free(d->of.base);
	return 0;
}

/* motcuad -R BACKUP: the restore, for people; 0 done, 1 refused. */
static int
restore_run(const struct config *cfg, const char *backup)
{
	struct store_restore_result	r;
	char				err[CONFIG_PATH_MAX * 3];

	if (store_restore(cfg->store_path, backup, clock_wall_ms(), &r, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "motcuad: restore: %s\n", err);
		return 1;
	}
	printf("restored %s into %s: integrity ok; %lld cases, %lld "
	    "messages in, %lld out\n", backup, cfg->store_path,
	    (long long)r.backup.cases, (long long)r.backup.inbound,
	    (long long)r.backup.outbound);
	if (r.aside[0] != '\0')
		printf("the database it replaced: %s\n", r.aside);
	printf("held for review, not sent: %lld queued messages; broadcasts "
	    "stopped: %lld; case numbers skip %d\n", (long long)r.held,
	    (long long)r.cancelled, r.seq_skip);
	return 0;
}

int
main(int argc, char *argv[])
{
	static struct config	 cfg;
	struct daemon		 d;
	const char		*file = NULL, *restore = NULL;
	char			 err[1024];
	int			 ch, check = 0, use_syslog = 0, debug = 0, rc;

	while ((ch = getopt(argc, argv, "c:dR:st")) != -1) {
		switch (ch) {
		case 'c': file = optarg; break;
		case 'd': debug = 1; break;
		case 'R': restore = optarg; break;
		case 's': use_syslog = 1; break;
		case 't': check = 1; break;
		default: usage();
		}
	}
	if (file == NULL || optind != argc)
		usage();
	log_init("motcuad", use_syslog, debug);
	log_set_buffered(!debug);	/* -d: every line at once */
	memset(&d, 0, sizeof(d));
	d.of.cfg = &cfg;
	if (config_read(file, &cfg, err, sizeof(err)) == -1 ||
	    check_store(&cfg, err, sizeof(err)) == -1 ||
	    admin_tls_check(&cfg, err, sizeof(err)) == -1 ||
	    load_texts(&d, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	if (config_exposed(&cfg, err, sizeof(err)))
		warn_config(check, err);
	if (config_secrets_exposed(&cfg, err, sizeof(err)))
		warn_config(check, err);
	if (check || restore) {
		replies_free(d.of.replies);
		if (restore)
			return restore_run(&cfg, restore);
		printf("configuration OK\n");
		return 0;
	}
	if ((d.of.store = store_open(cfg.store_path, cfg.store_sync_full)) == NULL ||
	    (d.of.cases = case_store_open(store_db(d.of.store))) == NULL) {
		fprintf(stderr, "%s:0: cannot open the store\n", cfg.store_path);
		store_close(d.of.store);
		replies_free(d.of.replies);
		return 1;
	}
	store_set_commit_hook(d.of.store, on_commit, &d);
	rc = run(&d);
	case_store_close(d.of.cases);
	store_close(d.of.store);
	replies_free(d.of.replies);
	dlr_fini();
	log_info("motcuad stopped");
	return rc;
}
