/*
 * Who a request comes from, and signing in: POST, GET and DELETE
 * /session (CONTRACT "Staff console"). http.c's admin_head asks
 * admin_session_auth for every route that needs someone: the bearer
 * token (scripts, the tool) acts as role admin; else the motcua_session
 * cookie names a staff member's session, and a request with it other
 * than GET or HEAD must carry that session's X-CSRF-Token. The office
 * (gateway/office/accounts.c) checks passwords on its worker thread, so
 * POST /session is answered later (r->deferred), when the check is done.
 */
#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <jansson.h>
#include <sodium.h>

#include "clock.h"
#include "cookie.h"
#include "log.h"
#include "office/office.h"
#include "admin/admin_int.h"

#define SESSION_COOKIE	"motcua_session"

const char *
admin_role_name(int role)
{
	switch (role) {
	case OFFICE_ROLE_CLERK: return "clerk";
	case OFFICE_ROLE_HEAD: return "head";
	case OFFICE_ROLE_ADMIN: return "admin";
	default: return "";
	}
}

/* 1 when s is n lowercase hex digits. */
static int
admin_hex_ok(const char *s, size_t n)
{
	return strlen(s) == n && strspn(s, "0123456789abcdef") == n;
}

/* The one Cookie header's session token in r->token: 1, 0 when none,
 * else the status answered. */
static int
admin_session_cookie(struct admin_req *r)
{
	struct evkeyval	*kv;
	const char	*hdr = NULL, *why;
	int		 n = 0, rc;

	TAILQ_FOREACH(kv, &r->in, next)
		if (strcasecmp(kv->key, "Cookie") == 0 && n++ == 0)
			hdr = kv->value;
	if (n > 1)
		return admin_error(r, 400, "Cookie: send one Cookie header");
	if (n == 0)
		return 0;
	rc = cookie_find(hdr, SESSION_COOKIE, r->token, sizeof(r->token), &why);
	if (rc == -1)
		return admin_error(r, 400, why);
	return rc;
}

/* X-CSRF-Token against the session's, in constant time. */
static int
admin_csrf_ok(struct admin_req *r, const char *want)
{
	const char	*got = evhttp_find_header(&r->in, "X-CSRF-Token");

	return got != NULL && strlen(got) == OFFICE_TOKEN_HEX &&
	    strlen(want) == OFFICE_TOKEN_HEX &&
	    sodium_memcmp(got, want, OFFICE_TOKEN_HEX) == 0;
}

/*
 * The session the cookie names: 0 with r->role, r->user and r->actor
 * set, else the status answered (401 no session, 403 no CSRF token).
 */
static int
admin_session_check(struct admin_req *r)
{
	struct acct_session	s;
	int			rc;

	if (!admin_hex_ok(r->token, OFFICE_TOKEN_HEX))
		return admin_error(r, 401, "not signed in");
	if ((rc = office_session_find(r->of, r->token, clock_wall_ms(), &s)) == -1)
		return admin_fail(r);
	if (rc == 0)
		return admin_error(r, 401, "not signed in (or the session "
		    "expired): sign in again");
	if (r->method != EVHTTP_REQ_GET && r->method != EVHTTP_REQ_HEAD &&
	    !admin_csrf_ok(r, s.csrf)) {
		sodium_memzero(&s, sizeof(s));
		return admin_error(r, 403, "missing or wrong CSRF token");
	}
	r->session = 1;
	r->role = office_role_rank(s.role);
	snprintf(r->user, sizeof(r->user), "%s", s.name);
	r->actor = r->user;
	sodium_memzero(&s, sizeof(s));
	return 0;
}

/*
 * For a route that needs someone: the bearer token when an Authorization
 * header is sent (or no cookie is), else the session cookie. 1 when it
 * is the token's turn (http.c checks it), 0 signed in, else answered.
 */
int
admin_session_auth(struct admin_req *r)
{
	int	rc;

	if (evhttp_find_header(&r->in, "Authorization") != NULL)
		return 1;
	if ((rc = admin_session_cookie(r)) != 1)
		return rc == 0 ? 1 : rc;
	return admin_session_check(r);
}

/* ---- POST /session ---- */

/* The body's string fields, each required, no others; 0 or -1 (why). */
int
admin_body_strings(struct admin_req *r, const char *const *keys,
    const char **out)
{
	const char	*key;
	json_t		*v;
	size_t		 i;

	json_object_foreach(r->body, key, v) {
		for (i = 0; keys[i] && strcmp(keys[i], key) != 0; i++)
			;
		if (keys[i] == NULL)
			return admin_why(r, "unknown field \"%s\"", key);
	}
	for (i = 0; keys[i]; i++) {
		v = json_object_get(r->body, keys[i]);
		if (v == NULL || !json_is_string(v))
			return admin_why(r, "\"%s\": a string is needed", keys[i]);
		if (strlen(out[i] = json_string_value(v)) != json_string_length(v))
			return admin_why(r, "\"%s\": no NUL bytes", keys[i]);
	}
	return 0;
}

static void
admin_session_cookie_set(struct admin_req *r, const char *value,
    const char *extra)
{
	char	c[256];

	snprintf(c, sizeof(c), SESSION_COOKIE "=%s; Path=/; HttpOnly; "
	    "SameSite=Strict%s%s", value, extra, r->tls ? "; Secure" : "");
	evhttp_add_header(&r->out, "Set-Cookie", c);
}

static int
admin_session_answer(struct admin_req *r, const struct office_acct_res *res)
{
	snprintf(r->summary, sizeof(r->summary), "sign-in");
	switch (res->rc) {
	case OFFICE_ACCT_OK:
		r->role = office_role_rank(res->role);
		admin_session_cookie_set(r, res->token, "");
		evhttp_add_header(&r->out, "Cache-Control", "no-store");
		return admin_reply(r, 200, json_pack("{s:s, s:s, s:s}", "name",
		    res->name, "role", res->role, "csrf", res->csrf));
	case OFFICE_ACCT_WRONG:
		snprintf(r->summary, sizeof(r->summary), "sign-in refused: "
		    "wrong name or password");
		return admin_error(r, 401, "wrong name or password");
	case OFFICE_ACCT_THROTTLED:
		snprintf(r->why, sizeof(r->why), "too many wrong passwords: "
		    "try again in %d minute%s", res->minutes,
		    res->minutes == 1 ? "" : "s");
		snprintf(r->summary, sizeof(r->summary), "sign-in refused: "
		    "throttled");
		return admin_error(r, 429, r->why);
	case OFFICE_ACCT_BUSY:
		return admin_error(r, 503, "too many sign-ins at once: try "
		    "again in a moment");
	default:
		return admin_fail(r);
	}
}

/* The connection went before the office's job came back: the job is
 * forgotten (its callback must not see the freed request). */
static void
admin_session_gone(struct admin_req *r)
{
	office_acct_cancel(r->gone_arg);
}

/* Answered when the office's job j (a password checked or hashed on its
 * worker) comes back: conn.c waits (r->deferred), or calls r->gone. */
void
admin_session_defer(struct admin_req *r, struct office_acct_job *j)
{
	r->deferred = 1;
	r->gone = admin_session_gone;
	r->gone_arg = j;
}

/* The job came back: the request is answered now. */
void
admin_session_resume(struct admin_req *r)
{
	r->gone = NULL;
	r->gone_arg = NULL;
}

static void
admin_session_done(const struct office_acct_res *res, void *arg)
{
	struct admin_req	*r = arg;

	admin_session_resume(r);
	admin_session_answer(r, res);
}

int
admin_session_open(struct admin_req *r)
{
	static const char *const keys[] = { "name", "password", NULL };
	struct office_acct_res	 res;
	struct office_acct_job	*j;
	const char		*f[2];

	if (admin_body_strings(r, keys, f) == -1)
		return admin_bad(r);
	/* Audited whatever the answer, under the name tried. */
	r->audit = 1;
	snprintf(r->user, sizeof(r->user), "%.32s", f[0]);
	r->actor = admin_utf8_ok(r->user) ? r->user : "?";
	r->role = 0;
	if ((j = office_login(r->of, f[0], f[1], r->peer, r->now,
	    admin_session_done, r, &res)) == NULL)
		return admin_session_answer(r, &res);
	admin_session_defer(r, j);
	return 0;
}

/* ---- GET, DELETE /session ---- */

static int
admin_session_show(struct admin_req *r)
{
	struct acct_session	s;
	int			rc;

	if ((rc = office_session_find(r->of, r->token, r->now, &s)) == -1)
		return admin_fail(r);
	if (rc == 0)
		return admin_error(r, 401, "not signed in");
	evhttp_add_header(&r->out, "Cache-Control", "no-store");
	rc = admin_reply(r, 200, json_pack("{s:s, s:s, s:s}", "name", s.name,
	    "role", s.role, "csrf", s.csrf));
	sodium_memzero(&s, sizeof(s));
	return rc;
}

int
admin_session_get(struct admin_req *r)
{
	r->audit = -1;
	if (!r->session)	/* the bearer token: no session to show */
		return admin_reply(r, 200, json_pack("{s:s, s:s, s:n}",
		    "name", r->actor, "role", "admin", "csrf"));
	return admin_session_show(r);
}

int
admin_session_close(struct admin_req *r)
{
	snprintf(r->summary, sizeof(r->summary), "sign-out");
	if (r->session && office_session_close(r->of, r->token) == -1)
		return admin_fail(r);
	admin_session_cookie_set(r, "", "; Max-Age=0");
	return admin_reply(r, 200, json_object());
}
