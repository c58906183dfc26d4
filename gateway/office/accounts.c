/*
 * Staff accounts, sign-in sessions, throttling and the audit log: the
 * office's rules for who may do what (issue 13).
 *
 * Passwords are argon2id hashes (libsodium's crypto_pwhash_str) with
 * opslimit 2 and memlimit 19 MiB, OWASP's figure: about 50 ms and 19 MiB
 * each, too slow for the event loop. One worker thread does every hash
 * and check, a job at a time (so the daemon's memory grows by one hash's
 * at most); the loop gives it a job and goes on, and the worker hands the
 * finished job back through a pipe the loop watches. Only the worker
 * touches a job's password and hash while it holds the job; everything
 * else (the store, the asker, the cancelled flag) is the loop's alone, so
 * the one lock guards the queue only. A job whose asker went away (a
 * connection closed) is cancelled: flagged, and freed when it comes back.
 *
 * Sign-in tokens and CSRF tokens are 32 random bytes in hex; the store
 * keeps only a BLAKE2b hash of the sign-in token, so a copy of the
 * database does not sign anyone in. A name that does not exist costs
 * the same hash, so the answer's time does not say which names exist.
 * The worker hashes only when asked: a daemon nobody signs in to never
 * grows by the hash's memory.
 *
 * Throttling: OFFICE_FAIL_MAX wrong passwords in OFFICE_FAIL_WINDOW_MS
 * for one name, or from one address, refuse the next sign-ins there (even
 * with the right password) until the oldest of those leaves the window.
 */
#include <sys/queue.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>
#include <sodium.h>

#include "log.h"
#include "store/accounts.h"
#include "store/cases.h"
#include "office/office.h"

#define ACCT_OPSLIMIT	2
#define ACCT_MEMLIMIT	(19 * 1024 * 1024)
#define ACCT_QUEUE_MAX	32		/* jobs waiting: more are refused */
#define ACCT_PER_PEER	4		/* ... and sign-ins from one address */
#define ACCT_TOUCH_MS	(60 * 1000)	/* last_seen written at most this often */

enum acct_kind { ACCT_HASH, ACCT_VERIFY };

struct office_acct_job {
	TAILQ_ENTRY(office_acct_job) entry;	/* the worker's queue */
	TAILQ_ENTRY(office_acct_job) out_entry;	/* the loop's: not back yet */
	enum acct_kind		 kind;
	/* the worker's while it holds the job */
	char			 pw[OFFICE_PW_MAX + 1];
	char			 hash[ACCT_HASH_MAX];
	int			 dummy;		/* no such user: hash, and fail */
	int			 ok;		/* hashed, or the password matched */
	/* the loop's */
	int			 cancelled;
	struct office		*of;
	char			 name[ACCT_NAME_MAX];
	char			 role[ACCT_ROLE_MAX];
	char			 peer[ACCT_PEER_MAX];
	int64_t			 now;
	office_acct_cb		 cb;
	void			*arg;
};
TAILQ_HEAD(acct_jobs, office_acct_job);

struct accounts {
	struct office		*of;
	pthread_t		 thread;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	struct acct_jobs	 queue;		/* under mu */
	int			 stop;		/* under mu */
	struct acct_jobs	 out;		/* jobs not yet back (the loop's) */
	int			 nout;
	int			 pipe[2];	/* worker -> loop: job pointers */
	struct event		*ev;
};

static void	acct_login_done(struct office_acct_job *);
static void	acct_add_done(struct office_acct_job *);
static int	acct_fail(struct office *, const char *, const char *, int64_t);

static const char *const roles[] = { NULL, "clerk", "head", "admin" };

int
office_role_rank(const char *role)
{
	int	i;

	for (i = OFFICE_ROLE_CLERK; i <= OFFICE_ROLE_ADMIN; i++)
		if (role != NULL && strcmp(role, roles[i]) == 0)
			return i;
	return 0;
}

/* A name: 1 to 32 of a-z, 0-9, '.', '_', '-', starting with a letter. */
static int
acct_name_ok(const char *name)
{
	size_t	i, n = strlen(name);

	if (n == 0 || n >= ACCT_NAME_MAX || name[0] < 'a' || name[0] > 'z')
		return 0;
	for (i = 0; i < n; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyz0123456789._-",
		    name[i]) == NULL)
			return 0;
	return 1;
}

const char *
office_user_check(const char *name, const char *password, const char *role)
{
	size_t	n = strlen(password);

	if (!acct_name_ok(name))
		return "name: 1 to 32 characters a-z, 0-9, '.', '_' or '-', "
		    "starting with a letter";
	if (office_role_rank(role) == 0)
		return "role: clerk, head or admin";
	if (n < OFFICE_PW_MIN || n > OFFICE_PW_MAX)
		return "password: 8 to 128 bytes";
	if (memchr(password, '\n', n) != NULL)
		return "password: no line breaks";
	return NULL;
}

/* ---- the worker ---- */

/* A name that does not exist costs one hash too (its result unused):
 * the same work as a check, so the answer's time says nothing. */
static void
acct_work(struct office_acct_job *j)
{
	if (j->kind == ACCT_HASH || j->dummy)
		j->ok = crypto_pwhash_str(j->hash, j->pw, strlen(j->pw),
		    ACCT_OPSLIMIT, ACCT_MEMLIMIT) == 0 && !j->dummy;
	else
		j->ok = crypto_pwhash_str_verify(j->hash, j->pw,
		    strlen(j->pw)) == 0;
	sodium_memzero(j->pw, sizeof(j->pw));
}

static struct office_acct_job *
acct_next(struct accounts *a)
{
	struct office_acct_job	*j;

	pthread_mutex_lock(&a->mu);
	while (!a->stop && TAILQ_EMPTY(&a->queue))
		pthread_cond_wait(&a->cv, &a->mu);
	if ((j = TAILQ_FIRST(&a->queue)) != NULL && !a->stop)
		TAILQ_REMOVE(&a->queue, j, entry);
	else
		j = NULL;
	pthread_mutex_unlock(&a->mu);
	return j;
}

static void *
acct_thread(void *arg)
{
	struct accounts		*a = arg;
	struct office_acct_job	*j;
	ssize_t			 n;

	while ((j = acct_next(a)) != NULL) {
		acct_work(j);
		do
			n = write(a->pipe[1], &j, sizeof(j));
		while (n == -1 && errno == EINTR);
		if (n != sizeof(j))
			fatal("accounts: pipe");
	}
	return NULL;
}

static void
acct_job_free(struct office_acct_job *j)
{
	sodium_memzero(j, sizeof(*j));
	free(j);
}

/* A job came back: its continuation runs, unless its asker left. */
static void
acct_on_done(evutil_socket_t fd, short ev, void *arg)
{
	struct accounts		*a = arg;
	struct office_acct_job	*j;

	(void)ev;
	while (read(fd, &j, sizeof(j)) == sizeof(j)) {
		TAILQ_REMOVE(&a->out, j, out_entry);
		a->nout--;
		if (!j->cancelled)
			(j->kind == ACCT_HASH ? acct_add_done : acct_login_done)(j);
		else if (j->kind == ACCT_VERIFY && !j->ok)
			/* a wrong password counts, answered or not */
			acct_fail(j->of, j->name, j->peer, j->now);
		acct_job_free(j);
	}
}

struct accounts *
accounts_start(struct office *of)
{
	struct accounts	*a;

	if (sodium_init() == -1)
		fatalx("accounts: libsodium cannot start");
	if ((a = calloc(1, sizeof(*a))) == NULL)
		fatal("calloc");
	a->of = of;
	TAILQ_INIT(&a->queue);
	TAILQ_INIT(&a->out);
	if (pipe2(a->pipe, O_CLOEXEC) == -1 ||
	    fcntl(a->pipe[0], F_SETFL, O_NONBLOCK) == -1)
		fatal("accounts: pipe");
	if ((a->ev = event_new(of->base, a->pipe[0], EV_READ | EV_PERSIST,
	    acct_on_done, a)) == NULL || event_add(a->ev, NULL) == -1)
		fatalx("accounts: out of memory");
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->cv, NULL);
	if ((errno = pthread_create(&a->thread, NULL, acct_thread, a)) != 0)
		fatal("accounts: pthread_create");
	return a;
}

void
accounts_stop(struct accounts *a)
{
	struct office_acct_job	*j;

	if (a == NULL)
		return;
	pthread_mutex_lock(&a->mu);
	a->stop = 1;
	pthread_cond_signal(&a->cv);
	pthread_mutex_unlock(&a->mu);
	pthread_join(a->thread, NULL);
	while (read(a->pipe[0], &j, sizeof(j)) == sizeof(j))
		acct_job_free(j);	/* finished: nobody waits at shutdown */
	while ((j = TAILQ_FIRST(&a->queue)) != NULL) {
		TAILQ_REMOVE(&a->queue, j, entry);
		acct_job_free(j);
	}
	event_free(a->ev);
	close(a->pipe[0]);
	close(a->pipe[1]);
	pthread_mutex_destroy(&a->mu);
	pthread_cond_destroy(&a->cv);
	free(a);
}

/* A job for the worker, or NULL when too many wait. */
static struct office_acct_job *
acct_job_new(struct office *of, enum acct_kind kind, const char *name,
    const char *password, int64_t now, office_acct_cb cb, void *arg)
{
	struct office_acct_job	*j;

	if (of->accounts->nout >= ACCT_QUEUE_MAX)
		return NULL;
	if ((j = calloc(1, sizeof(*j))) == NULL)
		fatal("calloc");
	j->kind = kind;
	j->of = of;
	j->now = now;
	j->cb = cb;
	j->arg = arg;
	snprintf(j->name, sizeof(j->name), "%s", name);
	snprintf(j->pw, sizeof(j->pw), "%s", password);
	return j;
}

static void
acct_submit(struct office_acct_job *j)
{
	struct accounts	*a = j->of->accounts;

	TAILQ_INSERT_TAIL(&a->out, j, out_entry);
	a->nout++;
	pthread_mutex_lock(&a->mu);
	TAILQ_INSERT_TAIL(&a->queue, j, entry);
	pthread_cond_signal(&a->cv);
	pthread_mutex_unlock(&a->mu);
}

void
office_acct_cancel(struct office_acct_job *j)
{
	if (j != NULL)
		j->cancelled = 1;
}

static struct office_acct_job *
acct_now(struct office_acct_res *res, enum office_acct_rc rc)
{
	res->rc = rc;
	return NULL;
}

/* ---- tokens ---- */

static void
acct_random_hex(char *out)
{
	unsigned char	raw[OFFICE_TOKEN_HEX / 2];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, OFFICE_TOKEN_HEX + 1, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
}

/* What the store keeps of a sign-in token: its BLAKE2b-256, in hex. */
static void
acct_token_hash(const char *token, char out[ACCT_HEX_MAX])
{
	unsigned char	h[32];

	crypto_generichash(h, sizeof(h), (const unsigned char *)token,
	    strlen(token), NULL, 0);
	sodium_bin2hex(out, ACCT_HEX_MAX, h, sizeof(h));
}

/* ---- throttling ---- */

/* Minutes until a sign-in may be tried for name from peer: 0 now, -1 on
 * a store error. */
static int
acct_throttled(struct office *of, const char *name, const char *peer,
    int64_t now)
{
	int64_t	since = now - OFFICE_FAIL_WINDOW_MS, a, b, until;

	if ((a = acct_fail_nth(of->cases, name, NULL, since,
	    OFFICE_FAIL_MAX)) == -1 ||
	    (b = acct_fail_nth(of->cases, NULL, peer, since,
	    OFFICE_FAIL_MAX)) == -1)
		return -1;
	if (a == 0 && b == 0)
		return 0;
	until = (a > b ? a : b) + OFFICE_FAIL_WINDOW_MS;
	return until <= now ? 1 : (int)((until - now + 59999) / 60000);
}

/* 0, or res filled when the sign-in may not go on. */
static int
acct_gate(struct office *of, const char *name, const char *peer, int64_t now,
    struct office_acct_res *res)
{
	int	m = acct_throttled(of, name, peer, now);

	if (m == 0)
		return 0;
	res->rc = m == -1 ? OFFICE_ACCT_ERR : OFFICE_ACCT_THROTTLED;
	res->minutes = m;
	return -1;
}

/* One write in its own transaction; 0 or -1. */
static int
acct_tx_end(struct office *of, int own, int rc)
{
	return office_write_end(of, own, rc != -1);
}

static int
acct_fail(struct office *of, const char *name, const char *peer, int64_t now)
{
	int	own, rc;

	if ((own = office_write_begin(of)) == -1)
		return -1;
	rc = acct_fail_add(of->cases, name, peer, now);
	if (rc != -1)	/* old failures go a few at a time */
		rc = acct_fail_expire(of->cases, now - OFFICE_FAIL_WINDOW_MS);
	return acct_tx_end(of, own, rc);
}

/* ---- signing in ---- */

/* One address may not hold the worker for everyone: at most
 * ACCT_PER_PEER of its sign-ins wait at once. */
static int
acct_peer_busy(struct accounts *a, const char *peer)
{
	struct office_acct_job	*j;
	int			 n = 0;

	TAILQ_FOREACH(j, &a->out, out_entry)
		if (j->kind == ACCT_VERIFY && strcmp(j->peer, peer) == 0)
			n++;
	return n >= ACCT_PER_PEER;
}

struct office_acct_job *
office_login(struct office *of, const char *name, const char *password,
    const char *peer, int64_t now, office_acct_cb cb, void *arg,
    struct office_acct_res *res)
{
	struct office_acct_job	*j;
	struct acct_user	 u;
	int			 found = 0;

	memset(res, 0, sizeof(*res));
	snprintf(res->name, sizeof(res->name), "%s", name);
	if (acct_gate(of, name, peer, now, res) == -1)
		return NULL;
	/* A password longer than any kept cannot be right (and is not cut
	 * to one that might be): it is checked as for a name not found. */
	if (acct_name_ok(name) && strlen(password) <= OFFICE_PW_MAX &&
	    (found = acct_user_get(of->cases, name, &u)) == -1)
		return acct_now(res, OFFICE_ACCT_ERR);
	if (acct_peer_busy(of->accounts, peer) ||
	    (j = acct_job_new(of, ACCT_VERIFY, name, password, now, cb,
	    arg)) == NULL)
		return acct_now(res, OFFICE_ACCT_BUSY);
	snprintf(j->peer, sizeof(j->peer), "%s", peer);
	if (found == 1) {
		memcpy(j->hash, u.pw_hash, sizeof(j->hash));
		memcpy(j->role, u.role, sizeof(j->role));
	} else
		j->dummy = 1;
	sodium_memzero(&u, sizeof(u));
	acct_submit(j);
	return j;
}

static int
acct_session_open(struct office *of, struct office_acct_job *j,
    struct office_acct_res *res)
{
	char	th[ACCT_HEX_MAX];
	int	own, rc;

	acct_random_hex(res->token);
	acct_random_hex(res->csrf);
	acct_token_hash(res->token, th);
	if ((own = office_write_begin(of)) == -1)
		return -1;
	rc = acct_session_add(of->cases, th, j->name, res->csrf, j->peer,
	    j->now);
	if (rc != -1)
		rc = acct_session_expire(of->cases, j->now - OFFICE_IDLE_MS,
		    j->now - OFFICE_SESSION_MS);
	return acct_tx_end(of, own, rc);
}

/* The worker checked the password. The gate is asked again: sign-ins
 * tried at once all passed it before any of them failed. */
static void
acct_login_done(struct office_acct_job *j)
{
	struct office_acct_res	res;
	struct office		*of = j->of;

	memset(&res, 0, sizeof(res));
	snprintf(res.name, sizeof(res.name), "%s", j->name);
	if (acct_gate(of, j->name, j->peer, j->now, &res) == 0) {
		if (!j->ok)
			res.rc = acct_fail(of, j->name, j->peer, j->now) == -1 ?
			    OFFICE_ACCT_ERR : OFFICE_ACCT_WRONG;
		else if (acct_session_open(of, j, &res) == -1)
			res.rc = OFFICE_ACCT_ERR;
		else
			memcpy(res.role, j->role, sizeof(res.role));
	}
	j->cb(&res, j->arg);
	sodium_memzero(&res, sizeof(res));
}

/* ---- accounts ---- */

struct office_acct_job *
office_user_add(struct office *of, const char *name, const char *password,
    const char *role, int64_t now, office_acct_cb cb, void *arg,
    struct office_acct_res *res)
{
	struct office_acct_job	*j;
	struct acct_user	 u;
	int			 rc;

	memset(res, 0, sizeof(*res));
	snprintf(res->name, sizeof(res->name), "%s", name);
	snprintf(res->role, sizeof(res->role), "%s", role);
	/* Asked before the costly hash; asked again when inserting. */
	if ((rc = acct_user_get(of->cases, name, &u)) != 0)
		return acct_now(res, rc == 1 ? OFFICE_ACCT_EXISTS :
		    OFFICE_ACCT_ERR);
	if ((j = acct_job_new(of, ACCT_HASH, name, password, now, cb,
	    arg)) == NULL)
		return acct_now(res, OFFICE_ACCT_BUSY);
	snprintf(j->role, sizeof(j->role), "%s", role);
	acct_submit(j);
	return j;
}

static void
acct_add_done(struct office_acct_job *j)
{
	struct office_acct_res	res;
	struct acct_user	u;
	int			own, rc = -1;

	memset(&res, 0, sizeof(res));
	memset(&u, 0, sizeof(u));
	snprintf(res.name, sizeof(res.name), "%s", j->name);
	memcpy(res.role, j->role, sizeof(res.role));
	memcpy(u.name, j->name, sizeof(u.name));
	memcpy(u.role, j->role, sizeof(u.role));
	memcpy(u.pw_hash, j->hash, sizeof(u.pw_hash));
	u.created_at = j->now;
	if (j->ok && (own = office_write_begin(j->of)) != -1) {
		rc = acct_user_add(j->of->cases, &u);
		office_write_end(j->of, own, rc == 1);
	}
	res.rc = rc == 1 ? OFFICE_ACCT_OK : rc == 0 ? OFFICE_ACCT_EXISTS :
	    OFFICE_ACCT_ERR;
	if (rc == 1)
		log_info("accounts: user=%s role=%s added", u.name, u.role);
	j->cb(&res, j->arg);
}

int
office_user_each(struct office *of, acct_user_cb cb, void *arg)
{
	return acct_user_each(of->cases, cb, arg);
}

/* ---- sessions ---- */

static int
acct_session_write(struct office *of, const char *th, int64_t now, int drop)
{
	int	own, rc;

	if ((own = office_write_begin(of)) == -1)
		return -1;
	rc = drop ? acct_session_drop(of->cases, th) :
	    acct_session_touch(of->cases, th, now);
	return acct_tx_end(of, own, rc);
}

int
office_session_find(struct office *of, const char *token, int64_t now,
    struct acct_session *s)
{
	char	th[ACCT_HEX_MAX];
	int	rc;

	acct_token_hash(token, th);
	if ((rc = acct_session_get(of->cases, th, s)) != 1)
		return rc;
	if (s->last_seen < now - OFFICE_IDLE_MS ||
	    s->created_at < now - OFFICE_SESSION_MS) {
		acct_session_write(of, th, now, 1);
		return 0;
	}
	if (now - s->last_seen >= ACCT_TOUCH_MS &&
	    acct_session_write(of, th, now, 0) == -1)
		return -1;
	return 1;
}

int
office_session_close(struct office *of, const char *token)
{
	char	th[ACCT_HEX_MAX];

	acct_token_hash(token, th);
	return acct_session_write(of, th, 0, 1);
}

/* ---- the audit log ---- */

/* Inside the caller's transaction when one is open (admin_begin). */
int
office_audit_add(struct office *of, const struct acct_audit *a)
{
	int	own, rc;

	if ((own = office_write_begin(of)) == -1)
		return -1;
	rc = acct_audit_add(of->cases, a);
	return acct_tx_end(of, own, rc);
}

int
office_audit_each(struct office *of, int64_t before, int limit,
    acct_audit_cb cb, void *arg)
{
	return acct_audit_each(of->cases, before, limit, cb, arg);
}
