/*
 * Logging for operators. log_warn adds strerror(errno), log_warnx does not
 * (the OpenSMTPD split). fatal* are for start-up, OOM and broken invariants
 * only: anything a carrier, a phone or a clerk can cause is logged and
 * survived.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

static const char	*log_ident = "motcua";
static int		 log_syslog;
static int		 log_verbose;

/*
 * Under load the daemon logs a line per message: one write(2) each was a
 * syscall per message. When buffered, info and debug lines wait here
 * until the buffer fills or the daemon's timer calls log_flush (every
 * 100 ms); a warning flushes at once, and so does exit.
 */
static char		 log_buf[16384];
static size_t		 log_len;
static int		 log_buffered;

void
log_flush(void)
{
	if (log_len > 0)
		fwrite(log_buf, 1, log_len, stderr);
	log_len = 0;
}

void
log_set_buffered(int on)
{
	static int	registered;

	if (on && !registered && atexit(log_flush) == 0)
		registered = 1;
	if (!on)
		log_flush();
	log_buffered = on && registered;
}

static void
log_out(int pri, const char *line, size_t n)
{
	if (log_buffered && pri > LOG_WARNING) {
		if (log_len + n > sizeof(log_buf))
			log_flush();
		if (n <= sizeof(log_buf)) {
			memcpy(log_buf + log_len, line, n);
			log_len += n;
			return;
		}
	}
	log_flush();
	fwrite(line, 1, n, stderr);
}

void
log_init(const char *ident, int use_syslog, int debug)
{
	log_ident = ident;
	log_syslog = use_syslog;
	log_verbose = debug;
	if (use_syslog)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

/* The stamp up to the second, rebuilt only when the second changes. */
static size_t
log_stamp(char *out, size_t cap)
{
	static time_t	 last = -1;
	static char	 stamp[32];
	static size_t	 len;
	struct timespec	 ts;
	struct tm	 tm;
	long		 ms;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec != last) {
		localtime_r(&ts.tv_sec, &tm);
		len = strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
		last = ts.tv_sec;
	}
	if (len + 5 > cap)
		return 0;
	ms = ts.tv_nsec / 1000000;
	memcpy(out, stamp, len);
	out[len] = '.';
	out[len + 1] = (char)('0' + ms / 100);
	out[len + 2] = (char)('0' + ms / 10 % 10);
	out[len + 3] = (char)('0' + ms % 10);
	return len + 4;
}

/*
 * Personal data stays out of the log (issue 15): a phone number after
 * msisdn=, src=", dst=", to= or a '/' of a path (9 digits or more, which no
 * short code or id here reaches) keeps its first 4 and last 3 digits,
 * 8491****678, unless debug logging (-d) is on. Request texts are never
 * logged above debug in the first place.
 */
static void
log_mask(char *s)
{
	static const char *const keys[] = { "msisdn=", "src=\"", "dst=\"",
	    "to=", "/" };
	char	*p, *d;
	size_t	 i, n, k;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		for (p = s; (p = strstr(p, keys[i])) != NULL; p += n) {
			d = p + strlen(keys[i]);
			n = 1;
			if (keys[i][0] != '/' && p > s && (isalnum((unsigned
			    char)p[-1]) || p[-1] == '_'))
				continue;	/* auto=, not to= */
			d += *d == '+';
			for (n = 0; d[n] >= '0' && d[n] <= '9'; n++)
				;
			if (n >= 9)
				for (k = 4; k < n - 3; k++)
					d[k] = '*';
			n += (size_t)(d - p);
		}
	}
}

/* One line, one write: formatted once, after a stamp built by hand. */
static void
log_emit(int pri, const char *level, const char *fmt, va_list ap, int err)
{
	char	 line[1200], *msg;
	size_t	 n, cap = sizeof(line) - 1;	/* room for the newline */
	int	 k;

	n = log_stamp(line, cap);
	k = snprintf(line + n, cap - n, " %s %s ", log_ident, level);
	n += k > 0 && (size_t)k < cap - n ? (size_t)k : 0;
	msg = line + n;
	k = vsnprintf(msg, cap - n, fmt, ap);
	n += k < 0 ? 0 : (size_t)k < cap - n ? (size_t)k : cap - n - 1;
	if (err) {
		k = snprintf(line + n, cap - n, " error=\"%s\"", strerror(err));
		n += k < 0 ? 0 : (size_t)k < cap - n ? (size_t)k : cap - n - 1;
	}
	line[n] = '\0';
	if (!log_verbose)
		log_mask(msg);
	if (log_syslog)
		syslog(pri, "%s", msg);
	line[n++] = '\n';
	log_out(pri, line, n);
}

#define LOG_BODY(pri, level, err) do {		\
	va_list ap;				\
	va_start(ap, fmt);			\
	log_emit(pri, level, fmt, ap, err);	\
	va_end(ap);				\
} while (0)

void log_info(const char *fmt, ...) { LOG_BODY(LOG_INFO, "info", 0); }
void log_warnx(const char *fmt, ...) { LOG_BODY(LOG_WARNING, "warn", 0); }

void
log_warn(const char *fmt, ...)
{
	int	saved = errno;

	LOG_BODY(LOG_WARNING, "warn", saved);
}

void
log_debug(const char *fmt, ...)
{
	if (log_verbose)
		LOG_BODY(LOG_DEBUG, "debug", 0);
}

void
fatalx(const char *fmt, ...)
{
	LOG_BODY(LOG_CRIT, "fatal", 0);
	exit(1);
}

void
fatal(const char *fmt, ...)
{
	int	saved = errno;

	LOG_BODY(LOG_CRIT, "fatal", saved);
	exit(1);
}
