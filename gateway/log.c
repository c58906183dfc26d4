/*
 * Logging for operators. log_warn adds strerror(errno), log_warnx does not
 * (the OpenSMTPD split). fatal* are for start-up, OOM and broken invariants
 * only: anything a carrier, a phone or a clerk can cause is logged and
 * survived.
 */
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

void
log_init(const char *ident, int use_syslog, int debug)
{
	log_ident = ident;
	log_syslog = use_syslog;
	log_verbose = debug;
	if (use_syslog)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

static void
log_emit(int pri, const char *level, const char *fmt, va_list ap, int err)
{
	char		 msg[1024];
	struct timespec	 ts;
	struct tm	 tm;
	char		 stamp[32];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (err) {
		size_t n = strlen(msg);
		snprintf(msg + n, sizeof(msg) - n, " error=\"%s\"", strerror(err));
	}
	if (log_syslog)
		syslog(pri, "%s", msg);
	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ld %s %s %s\n", stamp, ts.tv_nsec / 1000000,
	    log_ident, level, msg);
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
