/*
 * The script language of `smsc-sim -s FILE`: a dialogue between phones and
 * the daemon, run step by step while the event loop keeps serving the
 * ESME. A step either completes at once or waits for an event or a
 * deadline; nothing blocks the loop (`exec` runs its command in a child).
 *
 * Syntax: one command a line; a line whose first non-blank character is
 * '#' is a comment (texts may contain '#'); blank lines are skipped.
 *   NUMBER   a phone as written: 0912345678, 84912345678 or +84912345678
 *            (compared as 84912345678). As a sender, "=ADDR" puts ADDR in
 *            source_addr verbatim (TON 2 for 0..., 5 if not digits).
 *   SECS     seconds, fractions allowed, an "s" suffix optional: 2, 0.5s
 *   [Ns]     an optional timeout: a word of digits ending in "s" (10s,
 *            0.5s) right after NUMBER. To match a regex that looks like
 *            that, write it differently, e.g. "5[s]".
 *   TEXT     the rest of the line, UTF-8, as is (inner spaces kept).
 *   REGEX    the rest of the line, PCRE2 with UTF; case-sensitive unless
 *            it starts with (?i). Matched against the decoded UTF-8 text.
 *   ORDER    part numbers to send, e.g. 3,1,2 (out of order) or 1,1,2,3
 *            (a duplicate); total parts = the highest, or "/N": 1,2/3
 *            sends parts 1 and 2 of 3 and never the third.
 *
 * Waiting:
 *   wait_bind [SECS]          an ESME is bound for receiving (10 s)
 *   wait SECS
 *   wait_acked [Ns]           every deliver_sm so far answered (5 s)
 * Phone -> daemon (queued; delivered whenever an ESME can receive):
 *   send NUMBER TEXT          GSM7 if every character has a code, else
 *                             UCS-2; split with UDH when too long
 *   send_dc DC NUMBER HEX     raw short_message bytes, data_coding DC
 *                             (decimal or 0x..); over 253 bytes they go
 *                             in message_payload
 *   send_parts NUMBER ORDER TEXT   TEXT cut into parts, UDH IE 00
 *   send_sar NUMBER ORDER TEXT     the same with sar_* TLVs
 *   send_part DC NUMBER REF SEQ/TOTAL HEX   one part: UDH IE 00 with the
 *                             8-bit REF, then HEX as its user data
 *                             (unpacked septets for DC 0), so that each
 *                             part's content and reference are chosen
 *   send_payload NUMBER TEXT  one deliver_sm, text in message_payload
 *                             (up to 65,535 octets, as an SMSC that
 *                             joins long messages sends them)
 *   ussd NUMBER TEXT          a service code (*8077#) opens a USSD session
 *                             (op 1); other text answers its screen (op 18)
 *   send_raw HEX              bytes written as they are on the ESME link
 * Daemon -> phone (outbound messages, after joining parts):
 *   expect NUMBER [Ns] REGEX  an SMS to NUMBER matches (5 s); each message
 *                             satisfies one expect; older unmatched ones
 *                             count too
 *   expect_ussd NUMBER [Ns] REGEX      a USSD screen that waits for an
 *                             answer (op 2, end bit clear)
 *   expect_ussd_end NUMBER [Ns] REGEX  a final USSD screen (op 17/16 or
 *                             the end bit in its_session_info)
 *   expect_parts NUMBER N     the last matched message went to NUMBER in
 *                             N parts
 *   expect_dc NUMBER DC       ... with data_coding DC (0, 8, ...)
 *   expect_none NUMBER SECS   nothing new for NUMBER during SECS
 *   expect_total N            exactly N outbound messages so far (SMS and
 *                             USSD, load replies included)
 *   expect_window_max N       while `delay` held them, never more than N
 *                             submit_sm were unanswered on one link
 *   expect_nodup              no SMS (to, text) received twice
 *   expect_wellformed         every PDU from the ESME so far could be read:
 *                             no bad command_length, no submit_sm that
 *                             libsmpp34 refuses, no malformed UDH
 *   expect_acked_replied SECS every MO message the ESME acknowledged (all
 *                             parts) has a message back to its number that
 *                             arrived after the MO was first delivered;
 *                             waits up to SECS for that
 *   expect_nack [Ns]          the last send_raw got a generic_nack, or the
 *                             ESME closed the link (5 s)
 *   expect_bind_failures N [Ns]  at least N binds refused so far (5 s)
 *   expect_rejected N [Ns]    at least N deliver_sm refused for good by
 *                             the ESME (a permanent error status) (5 s)
 *   enquire [Ns]              send enquire_link, expect its resp (5 s)
 * Faults:
 *   drop                      close the ESME link(s) abruptly
 *   unbind                    send unbind to every bound ESME
 *   deaf                      from now on, nothing the ESME writes on the
 *                             current links arrives (a one-way break):
 *                             its deliver_sm_resp, submit_sm and
 *                             enquire_link are read and thrown away, so
 *                             what it acknowledged stays unacknowledged
 *                             and is delivered again after the next bind.
 *                             Links bound later hear normally
 *   throttle N                answer the next N submit_sm 0x58 (RTHROTTLED)
 *   qfull N                   ... 0x14 (RMSGQFUL)
 *   fail N STATUS             ... STATUS (e.g. 0x0B)
 *   delay MS                  hold every submit_sm_resp MS ms (0: stop)
 *   no_enquire_resp on|off    leave the ESME's enquire_link unanswered
 *   password NEW              the password binds must use from now on
 *   dlr on|off|undeliv        delivery receipts (undeliv: stat:UNDELIV)
 * Other:
 *   exec [Ns] COMMAND...      sh -c COMMAND; fails unless it exits 0
 *                             within the timeout (120 s; then killed). The
 *                             ESME is served meanwhile, so COMMAND may
 *                             start or talk to the daemon. $SMSC_SIM_PORT
 *                             holds the port; end COMMAND with & (and
 *                             redirect its output) to leave it running
 *   echo TEXT                 prints TEXT on stdout
 *   load N [W]                load mode (-l) inside the script; fails if
 *                             a reply is missing
 *
 * At the end: "script: N steps passed" on stdout, exit 0. The first failure
 * prints "script:LINE: what failed (what was seen)" on stderr, exit 1. A
 * line that does not parse is reported the same way before anything runs,
 * exit 2.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcre2.h>

#include "log.h"
#include "sim.h"

#define DEFAULT_WAIT	5.0
#define MAX_ORDER	64
#define WHY_MAX		1536
#define EXEC_WAIT	120.0

enum { DONE, WAIT, FAIL };
enum { K_SMS, K_USSD, K_USSD_END };

struct step;

struct cmd {
	const char	*name;
	int		(*parse)(struct step *, char *, const char **);
	int		(*check)(struct step *, int expired);
	double		 wait;		/* default timeout; 0: instant */
};

struct step {
	int		 line;
	const struct cmd *cmd;
	double		 secs;
	long		 n;
	uint32_t	 status;
	int		 kind;
	char		 num[SIM_ADDR_MAX];	/* normalised, for matching */
	char		*who;			/* as written, for sending */
	char		*text;
	pcre2_code	*re;
	pcre2_match_data *md;
	uint8_t		*bytes;
	size_t		 nbytes;
	int		 order[MAX_ORDER], norder, total;
	/* while it runs */
	int		 started;
	int64_t		 t0;
	uint64_t	 mark;
	int		 result;
};

static struct step	*steps;
static int		 nsteps, cur, passed;
static struct event	*kick_ev, *timer_ev, *chld_ev;
static pid_t		 exec_pid = -1;
static struct outmsg	*last_match;
static char		 why[WHY_MAX];

static void	 run(evutil_socket_t, short, void *);
static void	 expire(evutil_socket_t, short, void *);
static void	 on_sigchld(evutil_socket_t, short, void *);
static int	 fail(const char *, ...) __attribute__((format(printf, 1, 2)));

/* ---- parsing helpers ---- */

static char *
token(char **p)
{
	char	*s = *p, *e;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0')
		return NULL;
	e = s + strcspn(s, " \t");
	if (*e != '\0')
		*e++ = '\0';
	*p = e;
	return s;
}

static char *
rest(char **p)
{
	char	*s = *p;

	while (*s == ' ' || *s == '\t')
		s++;
	*p = s + strlen(s);
	return s;
}

static int
parse_secs(const char *s, double *out, int need_suffix)
{
	char	*end;
	double	 v;

	if (s == NULL || !((*s >= '0' && *s <= '9') || *s == '.'))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || v < 0 || !isfinite(v))
		return -1;
	if (*end == 's')
		end++;
	else if (need_suffix)
		return -1;
	if (*end != '\0')
		return -1;
	*out = v;
	return 0;
}

static int
parse_long(const char *s, long *out)
{
	char	*end;

	if (s == NULL)
		return -1;
	errno = 0;
	*out = strtol(s, &end, 0);
	return errno == 0 && end != s && *end == '\0' && *out >= 0 ? 0 : -1;
}

static int
take_number(struct step *s, char **p, const char **err)
{
	char	*w = token(p);

	if (w == NULL) {
		*err = "a phone number is missing";
		return -1;
	}
	if ((s->who = strdup(w)) == NULL)
		fatal("strdup");
	sim_msisdn(w[0] == '=' ? w + 1 : w, s->num, sizeof(s->num));
	return 0;
}

static int
take_text(struct step *s, char **p, int required, const char **err)
{
	char	*t = rest(p);

	if (required && *t == '\0') {
		*err = "the text is missing";
		return -1;
	}
	if ((s->text = strdup(t)) == NULL)
		fatal("strdup");
	return 0;
}

/* "[Ns]" right here, if there is one. */
static void
take_timeout(struct step *s, char **p)
{
	char	 word[32], *w = *p + strspn(*p, " \t");
	size_t	 n = strcspn(w, " \t");

	if (n == 0 || n >= sizeof(word))
		return;
	memcpy(word, w, n);
	word[n] = '\0';
	if (parse_secs(word, &s->secs, 1) == 0)
		*p = w + n;
}

static int
take_regex(struct step *s, char **p, const char **err)
{
	static char	 msg[256];
	PCRE2_UCHAR	 buf[200];
	PCRE2_SIZE	 off;
	int		 code;
	char		*r = rest(p);

	if (*r == '\0') {
		*err = "the regex is missing";
		return -1;
	}
	if ((s->text = strdup(r)) == NULL)
		fatal("strdup");
	s->re = pcre2_compile((PCRE2_SPTR)r, PCRE2_ZERO_TERMINATED, PCRE2_UTF,
	    &code, &off, NULL);
	if (s->re == NULL) {
		pcre2_get_error_message(code, buf, sizeof(buf));
		snprintf(msg, sizeof(msg), "bad regex at offset %zu: %s",
		    (size_t)off, (char *)buf);
		*err = msg;
		return -1;
	}
	if ((s->md = pcre2_match_data_create_from_pattern(s->re, NULL)) ==
	    NULL)
		fatalx("pcre2_match_data_create");
	return 0;
}

static int
end_of_line(char **p, const char **err)
{
	if (token(p) != NULL) {
		*err = "unexpected words at the end of the line";
		return -1;
	}
	return 0;
}

/* ---- parse functions, one per argument shape ---- */

static int
p_none(struct step *s, char *p, const char **err)
{
	(void)s;
	return end_of_line(&p, err);
}

static int
p_opt_secs(struct step *s, char *p, const char **err)
{
	char	*w = token(&p);

	if (w != NULL && parse_secs(w, &s->secs, 0) == -1) {
		*err = "expected seconds";
		return -1;
	}
	return end_of_line(&p, err);
}

static int
p_secs(struct step *s, char *p, const char **err)
{
	if (parse_secs(token(&p), &s->secs, 0) == -1) {
		*err = "expected seconds";
		return -1;
	}
	return end_of_line(&p, err);
}

static int
p_n(struct step *s, char *p, const char **err)
{
	if (parse_long(token(&p), &s->n) == -1) {
		*err = "expected a number";
		return -1;
	}
	return end_of_line(&p, err);
}

static int
p_n_opt_timeout(struct step *s, char *p, const char **err)
{
	char	*w;

	if (parse_long(token(&p), &s->n) == -1) {
		*err = "expected a number";
		return -1;
	}
	if ((w = token(&p)) != NULL && parse_secs(w, &s->secs, 0) == -1) {
		*err = "expected a timeout such as 10s";
		return -1;
	}
	return end_of_line(&p, err);
}

static int
p_onoff(struct step *s, char *p, const char **err)
{
	char	*w = token(&p);

	if (w != NULL && strcmp(w, "on") == 0)
		s->n = 1;
	else if (w != NULL && strcmp(w, "off") == 0)
		s->n = 0;
	else if (w != NULL && strcmp(w, "undeliv") == 0 &&
	    strcmp(s->cmd->name, "dlr") == 0)
		s->n = 2;
	else {
		*err = "expected on or off";
		return -1;
	}
	return end_of_line(&p, err);
}

static int
p_exec(struct step *s, char *p, const char **err)
{
	take_timeout(s, &p);
	return take_text(s, &p, 1, err);
}

static int
p_opt_text(struct step *s, char *p, const char **err)
{
	return take_text(s, &p, 0, err);
}

static int
p_send(struct step *s, char *p, const char **err)
{
	if (take_number(s, &p, err) == -1)
		return -1;
	return take_text(s, &p, 0, err);
}

static int
p_ussd(struct step *s, char *p, const char **err)
{
	if (take_number(s, &p, err) == -1)
		return -1;
	return take_text(s, &p, 1, err);
}

/* The rest of the line as hex bytes into s->bytes. */
static int
p_hex_bytes(struct step *s, char *p, const char **err)
{
	uint8_t	buf[SMPP_PAYLOAD_MAX];
	int	n;

	if ((n = sim_hex(rest(&p), buf, sizeof(buf))) < 0) {
		*err = "expected hex bytes (at most 1024)";
		return -1;
	}
	if ((s->bytes = malloc((size_t)n + 1)) == NULL)
		fatal("malloc");
	memcpy(s->bytes, buf, (size_t)n);
	s->nbytes = (size_t)n;
	return 0;
}

static int
p_send_dc(struct step *s, char *p, const char **err)
{
	if (parse_long(token(&p), &s->n) == -1 || s->n > 255) {
		*err = "expected a data_coding (0..255)";
		return -1;
	}
	if (take_number(s, &p, err) == -1)
		return -1;
	return p_hex_bytes(s, p, err);
}

static int
p_send_part(struct step *s, char *p, const char **err)
{
	long	ref, seq, total;
	char	*t;

	if (parse_long(token(&p), &s->n) == -1 || s->n > 255) {
		*err = "expected a data_coding (0..255)";
		return -1;
	}
	if (take_number(s, &p, err) == -1)
		return -1;
	if (parse_long(token(&p), &ref) == -1 || ref > 255 ||
	    (t = token(&p)) == NULL || sscanf(t, "%ld/%ld", &seq, &total) != 2 ||
	    seq < 0 || seq > 255 || total < 0 || total > 255) {
		*err = "expected REF SEQ/TOTAL (0..255 each)";
		return -1;
	}
	s->order[0] = (int)ref;
	s->order[1] = (int)seq;
	s->total = (int)total;
	return p_hex_bytes(s, p, err);
}

static int
p_send_raw(struct step *s, char *p, const char **err)
{
	uint8_t	buf[65536];
	int	n;

	if ((n = sim_hex(rest(&p), buf, sizeof(buf))) <= 0) {
		*err = "expected hex bytes";
		return -1;
	}
	if ((s->bytes = malloc((size_t)n)) == NULL)
		fatal("malloc");
	memcpy(s->bytes, buf, (size_t)n);
	s->nbytes = (size_t)n;
	return 0;
}

static int
p_parts(struct step *s, char *p, const char **err)
{
	char	*o, *q, *end;
	long	 v;
	int	 i, max = 0;

	if (take_number(s, &p, err) == -1)
		return -1;
	if ((o = token(&p)) == NULL) {
		*err = "the part order is missing (e.g. 3,1,2)";
		return -1;
	}
	if ((q = strchr(o, '/')) != NULL) {
		*q++ = '\0';
		s->total = (int)strtol(q, &end, 10);
		if (*end != '\0' || s->total < 2 || s->total > SIM_MAX_PARTS) {
			*err = "bad total after '/' (2..16)";
			return -1;
		}
	}
	for (q = strtok(o, ","); q != NULL; q = strtok(NULL, ",")) {
		v = strtol(q, &end, 10);
		if (*end != '\0' || v < 1 || v > SIM_MAX_PARTS ||
		    s->norder == MAX_ORDER) {
			*err = "bad part order (numbers 1..16, comma separated)";
			return -1;
		}
		s->order[s->norder++] = (int)v;
	}
	for (i = 0; i < s->norder; i++)
		if (s->order[i] > max)
			max = s->order[i];
	if (s->total == 0)
		s->total = max;
	if (s->norder == 0 || max > s->total) {
		*err = "the part order is empty or above the total";
		return -1;
	}
	if (s->total < 2) {
		*err = "concatenation needs at least 2 parts";
		return -1;
	}
	return take_text(s, &p, 1, err);
}

static int
p_expect(struct step *s, char *p, const char **err)
{
	if (take_number(s, &p, err) == -1)
		return -1;
	take_timeout(s, &p);
	return take_regex(s, &p, err);
}

static int
p_num_n(struct step *s, char *p, const char **err)
{
	if (take_number(s, &p, err) == -1)
		return -1;
	if (parse_long(token(&p), &s->n) == -1) {
		*err = "expected a number";
		return -1;
	}
	return end_of_line(&p, err);
}

static int
p_num_secs(struct step *s, char *p, const char **err)
{
	if (take_number(s, &p, err) == -1)
		return -1;
	return p_secs(s, p, err);
}

static int
p_fail(struct step *s, char *p, const char **err)
{
	long	st;

	if (parse_long(token(&p), &s->n) == -1 ||
	    parse_long(token(&p), &st) == -1) {
		*err = "expected: fail N STATUS";
		return -1;
	}
	s->status = (uint32_t)st;
	return end_of_line(&p, err);
}

static int
p_password(struct step *s, char *p, const char **err)
{
	char	*w = token(&p);

	if (w == NULL || strlen(w) > 8) {
		*err = "expected a password of 1 to 8 characters";
		return -1;
	}
	if ((s->text = strdup(w)) == NULL)
		fatal("strdup");
	return end_of_line(&p, err);
}

static int
p_load(struct step *s, char *p, const char **err)
{
	char	*w;
	long	 win;

	if (parse_long(token(&p), &s->n) == -1 || s->n < 1) {
		*err = "expected: load N [W]";
		return -1;
	}
	s->total = sim.o.window;
	if ((w = token(&p)) != NULL) {
		if (parse_long(w, &win) == -1 || win < 1) {
			*err = "expected a window";
			return -1;
		}
		s->total = (int)win;
	}
	return end_of_line(&p, err);
}

/* ---- what each step does ---- */

static int
fail(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return FAIL;
}

static int
sent(int rc, const char *err)
{
	return rc == 0 ? DONE : fail("not sent (%s)", err ? err : "?");
}

static int
c_wait_bind(struct step *s, int expired)
{
	if (conn_bound_rx())
		return DONE;
	if (expired)
		return fail("no ESME bound for receiving within %g s "
		    "(%d connection(s), %ld bind(s) refused)", s->secs,
		    conn_count(), sim.bind_failures);
	return WAIT;
}

static int
c_wait(struct step *s, int expired)
{
	(void)s;
	return expired ? DONE : WAIT;
}

static int
c_wait_acked(struct step *s, int expired)
{
	if (mo_outstanding() == 0)
		return DONE;
	if (expired)
		return fail("%ld deliver_sm still unanswered after %g s "
		    "(%s)", mo_outstanding(), s->secs, conn_bound_rx() ?
		    "an ESME is bound" : "no ESME bound for receiving");
	return WAIT;
}

static int
c_send(struct step *s, int expired)
{
	const char	*err = NULL;
	int		 rc;

	(void)expired;
	rc = mo_send(s->who, s->text, &err);
	return sent(rc, err);
}

static int
c_send_dc(struct step *s, int expired)
{
	const char	*err = NULL;
	int		 rc;

	(void)expired;
	rc = mo_send_dc(s->who, (int)s->n, s->bytes, s->nbytes, &err);
	return sent(rc, err);
}

static int
c_send_part(struct step *s, int expired)
{
	const char	*err = NULL;
	int		 rc;

	(void)expired;
	rc = mo_send_part(s->who, (int)s->n, s->order[0], s->order[1],
	    s->total, s->bytes, s->nbytes, &err);
	return sent(rc, err);
}

static int
c_send_parts(struct step *s, int expired)
{
	const char	*err = NULL;
	int		 rc;

	(void)expired;
	rc = mo_send_parts(s->who, s->order, s->norder, s->total,
	    strcmp(s->cmd->name, "send_sar") == 0, s->text, &err);
	return sent(rc, err);
}

static int
c_send_payload(struct step *s, int expired)
{
	const char	*err = NULL;
	int		 rc;

	(void)expired;
	rc = mo_send_payload(s->who, s->text, &err);
	return sent(rc, err);
}

static int
c_ussd(struct step *s, int expired)
{
	const char	*err = NULL;
	int		 rc;

	(void)expired;
	rc = mo_send_ussd(s->who, s->text, &err);
	return sent(rc, err);
}

static int
c_send_raw(struct step *s, int expired)
{
	(void)expired;
	if (conn_send_raw(s->bytes, s->nbytes) == -1)
		return fail("no ESME connection to write to");
	return DONE;
}

static int
kind_ok(const struct step *s, const struct outmsg *o)
{
	switch (s->kind) {
	case K_SMS:
		return o->ussd_op < 0;
	case K_USSD:
		return o->ussd_op >= 0 && !out_is_final(o);
	default:
		return o->ussd_op >= 0 && out_is_final(o);
	}
}

static int
re_match(struct step *s, const char *text)
{
	return pcre2_match(s->re, (PCRE2_SPTR)text, strlen(text), 0, 0, s->md,
	    NULL) >= 0;
}

/*
 * A text for a failure message: quoted, newlines as \n, cut after max
 * characters (never inside one) with "...". Returns buf.
 */
static const char *
quote(const char *t, int max, char *buf, size_t cap)
{
	const uint8_t	*s = (const uint8_t *)t;
	size_t		 n = strlen(t), i = 0, k = 0;
	int32_t		 cp;
	int		 len, chars = 0;

	buf[k++] = '"';
	while (i < n && k + 8 < cap) {
		if (chars++ == max) {
			memcpy(buf + k, "...", 3);
			k += 3;
			break;
		}
		len = sim_utf8_next(s + i, n - i, &cp);
		if (cp == '\n' || cp == '"') {
			buf[k++] = '\\';
			buf[k++] = cp == '\n' ? 'n' : '"';
		} else {
			memcpy(buf + k, s + i, (size_t)len);
			k += (size_t)len;
		}
		i += (size_t)len;
	}
	buf[k++] = '"';
	buf[k] = '\0';
	return buf;
}

/* Up to a few messages to s->num, for a failure message. */
static void
describe_seen(struct step *s, char *buf, size_t cap)
{
	struct outmsg	*o;
	char		 q[768];
	size_t		 k = 0;
	int		 shown = 0, skipped = 0, others = 0;

	buf[0] = '\0';
	TAILQ_FOREACH(o, out_list(), entry) {
		if (strcmp(o->to, s->num) != 0) {
			others++;
			continue;
		}
		if (o->consumed) {
			skipped++;
			continue;
		}
		if (shown < 4 && k < cap)
			k += (size_t)snprintf(buf + k, cap - k, "%s%s%s%s",
			    shown ? ", " : "", o->ussd_op >= 0 ? "USSD " : "",
			    quote(o->text, 160, q, sizeof(q)),
			    o->ussd_op >= 0 && out_is_final(o) ? " (final)" : "");
		shown++;
	}
	if (k >= cap)
		return;
	if (shown == 0)
		snprintf(buf + k, cap - k, "nothing unmatched for %s; "
		    "%d already matched, %d message(s) to other numbers",
		    s->num, skipped, others);
	else if (shown > 4)
		snprintf(buf + k, cap - k, " and %d more", shown - 4);
}

static int
c_expect(struct step *s, int expired)
{
	struct outmsg	*o;
	char		 seen[1024];

	TAILQ_FOREACH(o, out_list(), entry) {
		if (o->consumed || strcmp(o->to, s->num) != 0 ||
		    !kind_ok(s, o) || !re_match(s, o->text))
			continue;
		o->consumed = 1;
		last_match = o;
		return DONE;
	}
	if (!expired)
		return WAIT;
	describe_seen(s, seen, sizeof(seen));
	return fail("no %s to %s matching /%s/ within %g s (seen: %s)",
	    s->kind == K_SMS ? "SMS" : s->kind == K_USSD ?
	    "continuing USSD screen" : "final USSD screen", s->num, s->text,
	    s->secs, seen);
}

/* The message the last expect matched, if it went to s's number. */
static struct outmsg *
matched_to(const struct step *s)
{
	if (last_match == NULL) {
		fail("no message matched yet");
		return NULL;
	}
	if (strcmp(last_match->to, s->num) != 0) {
		fail("the last matched message went to %s, not %s",
		    last_match->to, s->num);
		return NULL;
	}
	return last_match;
}

static int
c_expect_parts(struct step *s, int expired)
{
	struct outmsg	*o;
	char		 q[512];

	(void)expired;
	if ((o = matched_to(s)) == NULL)
		return FAIL;
	if (o->parts != s->n)
		return fail("the last matched message had %d part(s), not %ld "
		    "(%s)", o->parts, s->n, quote(o->text, 80, q, sizeof(q)));
	return DONE;
}

static int
c_expect_dc(struct step *s, int expired)
{
	struct outmsg	*o;
	char		 q[512];

	(void)expired;
	if ((o = matched_to(s)) == NULL)
		return FAIL;
	if (o->dc != s->n)
		return fail("the last matched message had data_coding %d, not "
		    "%ld (%s)", o->dc, s->n, quote(o->text, 80, q, sizeof(q)));
	return DONE;
}

static int
c_expect_none(struct step *s, int expired)
{
	struct outmsg	*o;
	char		 q[768];

	if (!s->started) {
		s->mark = out_total();
		return WAIT;
	}
	TAILQ_FOREACH_REVERSE(o, out_list(), outq, entry) {
		if (o->n <= s->mark)
			break;
		if (strcmp(o->to, s->num) == 0)
			return fail("a message to %s arrived (%s)", s->num,
			    quote(o->text, 160, q, sizeof(q)));
	}
	return expired ? DONE : WAIT;
}

static int
c_expect_total(struct step *s, int expired)
{
	(void)expired;
	if (out_total() != (uint64_t)s->n)
		return fail("%llu outbound message(s), not %ld",
		    (unsigned long long)out_total(), s->n);
	return DONE;
}

static int
c_expect_window_max(struct step *s, int expired)
{
	(void)expired;
	if (sim.max_held > s->n)
		return fail("%d submit_sm unanswered at once, window %ld",
		    sim.max_held, s->n);
	if (sim.max_held == 0)
		return fail("no submit_sm was held: use delay first");
	return DONE;
}

static int
c_expect_nodup(struct step *s, int expired)
{
	struct outmsg	*a, *b;
	char		 q[768];

	(void)s; (void)expired;
	TAILQ_FOREACH(a, out_list(), entry) {
		if (a->ussd_op >= 0)
			continue;
		for (b = TAILQ_NEXT(a, entry); b != NULL;
		    b = TAILQ_NEXT(b, entry))
			if (b->ussd_op < 0 && strcmp(a->to, b->to) == 0 &&
			    strcmp(a->text, b->text) == 0)
				return fail("%s got the same text twice "
				    "(messages #%llu and #%llu: %s)",
				    a->to, (unsigned long long)a->n,
				    (unsigned long long)b->n,
				    quote(a->text, 160, q, sizeof(q)));
	}
	return DONE;
}

static int
c_expect_wellformed(struct step *s, int expired)
{
	(void)s; (void)expired;
	if (sim.bad_pdus > 0)
		return fail("the ESME sent %ld PDU(s) the SMSC refused or could "
		    "not read (run with -v for details)", sim.bad_pdus);
	return DONE;
}

/* Whether a reply reached m's number after m went out; once yes, always. */
static int
replied(struct mo_msg *m)
{
	struct outmsg	*o;

	if (m->replied)
		return 1;
	TAILQ_FOREACH_REVERSE(o, out_list(), outq, entry) {
		if (o->t_ns < m->first_ns)
			break;
		if (strcmp(o->to, m->from) == 0)
			return m->replied = 1;
	}
	return 0;
}

static int
c_expect_acked_replied(struct step *s, int expired)
{
	struct mo_msg	*m;
	char		 list[512];
	size_t		 k = 0;
	int		 acked = 0, missing = 0;

	list[0] = '\0';
	TAILQ_FOREACH(m, mo_msgs(), entry) {
		if (m->parts == 0 || m->acked < m->parts)
			continue;
		acked++;
		if (replied(m))
			continue;
		if (missing++ < 8 && k < sizeof(list))
			k += (size_t)snprintf(list + k, sizeof(list) - k,
			    "%s%s", k ? " " : "", m->from);
	}
	if (missing == 0)
		return DONE;
	if (!expired)
		return WAIT;
	return fail("%d of %d acknowledged message(s) got no reply within "
	    "%g s (no reply to: %s%s)", missing, acked, s->secs, list,
	    missing > 8 ? " ..." : "");
}

static int
c_expect_nack(struct step *s, int expired)
{
	(void)s;
	if (sim.raw_gen == 0)
		return fail("no send_raw before it");
	if (sim.nack_gen == sim.raw_gen)
		return DONE;
	if (!expired)
		return WAIT;
	return fail("no generic_nack within %g s and the link stayed up "
	    "(%d connection(s))", s->secs, conn_count());
}

static int
c_expect_bind_failures(struct step *s, int expired)
{
	if (sim.bind_failures >= s->n)
		return DONE;
	if (!expired)
		return WAIT;
	return fail("%ld bind(s) refused, expected at least %ld",
	    sim.bind_failures, s->n);
}

static int
c_expect_rejected(struct step *s, int expired)
{
	if (mo_rejected() >= s->n)
		return DONE;
	if (!expired)
		return WAIT;
	return fail("%ld deliver_sm refused for good by the ESME, expected "
	    "at least %ld", mo_rejected(), s->n);
}

static int
c_enquire(struct step *s, int expired)
{
	if (!s->started) {
		if (conn_enquire() == -1)
			return fail("no ESME connection");
		s->mark = sim.enquire_gen;
		return WAIT;
	}
	if (sim.enquire_resp_gen >= s->mark)
		return DONE;
	if (!expired)
		return WAIT;
	return fail("no enquire_link_resp within %g s", s->secs);
}

static int
c_drop(struct step *s, int expired)
{
	(void)s; (void)expired;
	conn_drop_all();
	return DONE;
}

static int
c_deaf(struct step *s, int expired)
{
	(void)s; (void)expired;
	if (conn_deaf_all() == 0)
		return fail("no ESME connection to stop hearing");
	return DONE;
}

static int
c_unbind(struct step *s, int expired)
{
	(void)s; (void)expired;
	if (conn_unbind_all() == 0)
		return fail("no bound ESME to unbind");
	return DONE;
}

static int
c_fault(struct step *s, int expired)
{
	const char	*n = s->cmd->name;

	(void)expired;
	if (strcmp(n, "throttle") == 0)
		sim.f.throttle = s->n;
	else if (strcmp(n, "qfull") == 0)
		sim.f.qfull = s->n;
	else if (strcmp(n, "fail") == 0) {
		sim.f.fail = s->n;
		sim.f.fail_status = s->status;
	} else if (strcmp(n, "delay") == 0)
		sim.f.delay_ms = (int)s->n;
	else if (strcmp(n, "no_enquire_resp") == 0)
		sim.f.no_enquire_resp = (int)s->n;
	else if (strcmp(n, "dlr") == 0)
		sim.o.dlr = s->n == 1 ? DLR_DELIVRD : s->n == 2 ?
		    DLR_UNDELIV : DLR_OFF;
	else if (strcmp(n, "password") == 0)
		snprintf(sim.o.password, sizeof(sim.o.password), "%s",
		    s->text);
	return DONE;
}

/* Reads how the exec'd command ended. */
static int
exec_result(struct step *s, int st)
{
	if (WIFSIGNALED(st))
		return fail("exec: killed by signal %d (%s)", WTERMSIG(st),
		    s->text);
	if (WEXITSTATUS(st) != 0)
		return fail("exec: exit status %d (%s)", WEXITSTATUS(st),
		    s->text);
	return DONE;
}

/* sh -c COMMAND in a child; the loop keeps serving the ESME meanwhile. */
static int
c_exec(struct step *s, int expired)
{
	int	st;
	pid_t	r;

	if (!s->started) {
		fflush(stdout);
		fflush(stderr);
		if ((exec_pid = fork()) == -1)
			return fail("exec: fork: %s", strerror(errno));
		if (exec_pid == 0) {
			signal(SIGPIPE, SIG_DFL);
			execl("/bin/sh", "sh", "-c", s->text, (char *)NULL);
			_exit(127);
		}
		return WAIT;
	}
	if ((r = waitpid(exec_pid, &st, WNOHANG)) == exec_pid) {
		exec_pid = -1;
		return exec_result(s, st);
	}
	if (r == -1) {
		exec_pid = -1;
		return fail("exec: waitpid: %s", strerror(errno));
	}
	if (!expired)
		return WAIT;
	kill(exec_pid, SIGKILL);
	waitpid(exec_pid, &st, 0);
	exec_pid = -1;
	return fail("exec: still running after %g s, killed (%s)", s->secs,
	    s->text);
}

static void
on_sigchld(evutil_socket_t fd, short ev, void *arg)
{
	(void)fd; (void)ev; (void)arg;
	script_kick();
}

static int
c_echo(struct step *s, int expired)
{
	(void)expired;
	printf("%s\n", s->text);
	fflush(stdout);
	return DONE;
}

static int	saved_window;

static void
load_done(int missing, void *arg)
{
	struct step	*s = arg;

	if (saved_window > 0)
		sim.o.window = saved_window;
	saved_window = 0;
	s->result = missing > 0 ? FAIL : DONE;
	s->n = missing;
	script_kick();
}

static int
c_load(struct step *s, int expired)
{
	const char	*err;

	(void)expired;
	if (!s->started) {
		s->result = WAIT;
		/* like -l: W also bounds the deliver_sm in flight */
		if (s->total > sim.o.window) {
			saved_window = sim.o.window;
			sim.o.window = s->total;
		}
		if (load_begin(s->n, s->total, load_done, s, &err) == -1)
			return fail("load: %s", err);
		return WAIT;
	}
	if (s->result == FAIL)
		return fail("load: %ld repl%s missing", s->n,
		    s->n == 1 ? "y" : "ies");
	return s->result;
}

static const struct cmd cmds[] = {
	{ "wait_bind",		p_opt_secs,	c_wait_bind,	10 },
	{ "wait",		p_secs,		c_wait,		-1 },
	{ "wait_acked",		p_opt_secs,	c_wait_acked,	DEFAULT_WAIT },
	{ "send",		p_send,		c_send,		0 },
	{ "send_dc",		p_send_dc,	c_send_dc,	0 },
	{ "send_parts",		p_parts,	c_send_parts,	0 },
	{ "send_part",		p_send_part,	c_send_part,	0 },
	{ "send_sar",		p_parts,	c_send_parts,	0 },
	{ "send_payload",	p_send,		c_send_payload,	0 },
	{ "send_raw",		p_send_raw,	c_send_raw,	0 },
	{ "ussd",		p_ussd,		c_ussd,		0 },
	{ "expect",		p_expect,	c_expect,	DEFAULT_WAIT },
	{ "expect_ussd",	p_expect,	c_expect,	DEFAULT_WAIT },
	{ "expect_ussd_end",	p_expect,	c_expect,	DEFAULT_WAIT },
	{ "expect_parts",	p_num_n,	c_expect_parts,	0 },
	{ "expect_dc",		p_num_n,	c_expect_dc,	0 },
	{ "expect_none",	p_num_secs,	c_expect_none,	-1 },
	{ "expect_total",	p_n,		c_expect_total,	0 },
	{ "expect_window_max",	p_n,		c_expect_window_max, 0 },
	{ "expect_nodup",	p_none,		c_expect_nodup,	0 },
	{ "expect_wellformed",	p_none,		c_expect_wellformed, 0 },
	{ "expect_acked_replied", p_secs,	c_expect_acked_replied, -1 },
	{ "expect_nack",	p_opt_secs,	c_expect_nack,	DEFAULT_WAIT },
	{ "expect_bind_failures", p_n_opt_timeout, c_expect_bind_failures,
	    DEFAULT_WAIT },
	{ "expect_rejected",	p_n_opt_timeout, c_expect_rejected,
	    DEFAULT_WAIT },
	{ "enquire",		p_opt_secs,	c_enquire,	DEFAULT_WAIT },
	{ "drop",		p_none,		c_drop,		0 },
	{ "unbind",		p_none,		c_unbind,	0 },
	{ "deaf",		p_none,		c_deaf,		0 },
	{ "throttle",		p_n,		c_fault,	0 },
	{ "qfull",		p_n,		c_fault,	0 },
	{ "fail",		p_fail,		c_fault,	0 },
	{ "delay",		p_n,		c_fault,	0 },
	{ "no_enquire_resp",	p_onoff,	c_fault,	0 },
	{ "password",		p_password,	c_fault,	0 },
	{ "dlr",		p_onoff,	c_fault,	0 },
	{ "exec",		p_exec,		c_exec,		EXEC_WAIT },
	{ "echo",		p_opt_text,	c_echo,		0 },
	{ "load",		p_load,		c_load,		1e9 },
};

/* ---- loading and running ---- */

static int
parse_line(struct step *s, char *line, const char **err)
{
	char	*p = line, *name = token(&p);
	size_t	 i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(cmds[i].name, name) == 0)
			break;
	if (i == sizeof(cmds) / sizeof(cmds[0])) {
		*err = "unknown command";
		return -1;
	}
	s->cmd = &cmds[i];
	s->secs = -1;
	s->kind = strcmp(name, "expect_ussd") == 0 ? K_USSD :
	    strcmp(name, "expect_ussd_end") == 0 ? K_USSD_END : K_SMS;
	if (s->cmd->parse(s, p, err) == -1)
		return -1;
	if (s->secs < 0)
		s->secs = s->cmd->wait > 0 ? s->cmd->wait : 0;
	return 0;
}

int
script_load(const char *path)
{
	FILE		*f;
	char		*line = NULL, *p, *copy;
	size_t		 cap = 0;
	ssize_t		 len;
	int		 lineno = 0, cap_steps = 0;
	const char	*err;

	if ((f = fopen(path, "r")) == NULL) {
		fprintf(stderr, "script: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		p = line + strspn(line, " \t");
		if (*p == '\0' || *p == '#')
			continue;
		if (nsteps == cap_steps) {
			cap_steps = cap_steps ? cap_steps * 2 : 32;
			steps = reallocarray(steps, (size_t)cap_steps,
			    sizeof(*steps));
			if (steps == NULL)
				fatal("reallocarray");
		}
		memset(&steps[nsteps], 0, sizeof(steps[nsteps]));
		steps[nsteps].line = lineno;
		if ((copy = strdup(p)) == NULL)
			fatal("strdup");
		if (parse_line(&steps[nsteps++], p, &err) == -1) {
			fprintf(stderr, "script:%d: %s (%s)\n", lineno, err,
			    copy);
			free(copy);
			free(line);
			fclose(f);
			return -1;
		}
		free(copy);
	}
	free(line);
	fclose(f);
	return 0;
}

void
script_start(void)
{
	kick_ev = event_new(sim.base, -1, 0, run, NULL);
	timer_ev = evtimer_new(sim.base, expire, NULL);
	chld_ev = evsignal_new(sim.base, SIGCHLD, on_sigchld, NULL);
	if (kick_ev == NULL || timer_ev == NULL || chld_ev == NULL)
		fatalx("event_new");
	evsignal_add(chld_ev, NULL);
	script_kick();
}

void
script_kick(void)
{
	if (kick_ev != NULL && !sim.stopping)
		event_active(kick_ev, 0, 0);
}

static void
step_result(struct step *s, int r)
{
	if (r == WAIT)
		return;
	evtimer_del(timer_ev);
	if (r == FAIL) {
		fflush(stdout);
		fprintf(stderr, "script:%d: %s\n", s->line, why);
		sim_exit(1);
		return;
	}
	log_debug("script:%d: %s passed", s->line, s->cmd->name);
	passed++;
	cur++;
	script_kick();
}

/* Starts the current step, or looks again at the one waiting. */
static void
run(evutil_socket_t fd, short ev, void *arg)
{
	struct step	*s;
	struct timeval	 tv;
	int		 r;

	(void)fd; (void)ev; (void)arg;
	if (sim.stopping)
		return;
	if (cur >= nsteps) {
		printf("script: %d steps passed\n", passed);
		fflush(stdout);
		sim_exit(0);
		return;
	}
	s = &steps[cur];
	r = s->cmd->check(s, 0);
	if (!s->started && r == WAIT) {
		s->started = 1;
		s->t0 = sim_now();
		tv.tv_sec = (time_t)s->secs;
		tv.tv_usec = (suseconds_t)((s->secs - (double)tv.tv_sec) * 1e6);
		evtimer_add(timer_ev, &tv);
	}
	s->started = 1;
	step_result(s, r);
}

static void
expire(evutil_socket_t fd, short ev, void *arg)
{
	struct step	*s;

	(void)fd; (void)ev; (void)arg;
	if (cur >= nsteps || sim.stopping)
		return;
	s = &steps[cur];
	step_result(s, s->cmd->check(s, 1));
}

void
script_shutdown(void)
{
	int	i;

	for (i = 0; i < nsteps; i++) {
		free(steps[i].who);
		free(steps[i].text);
		free(steps[i].bytes);
		pcre2_match_data_free(steps[i].md);
		pcre2_code_free(steps[i].re);
	}
	free(steps);
	steps = NULL;
	nsteps = 0;
	if (exec_pid > 0) {
		kill(exec_pid, SIGTERM);
		waitpid(exec_pid, NULL, 0);
		exec_pid = -1;
	}
	if (kick_ev != NULL)
		event_free(kick_ev);
	if (timer_ev != NULL)
		event_free(timer_ev);
	if (chld_ev != NULL)
		event_free(chld_ev);
	kick_ev = timer_ev = chld_ev = NULL;
}
