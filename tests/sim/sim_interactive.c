/*
 * Interactive mode (make demo): each stdin line "0912345678> HD" is sent
 * as that phone; replies print as the phone would show them. A service
 * code (*8077#) dials USSD, and while that session is open the number's
 * lines answer its screens. At end of input the simulator stays until the
 * traffic settles, so `printf '0912345678> HD\n' | smsc-sim -i` works.
 * Passive mode (no -i/-s/-l) only prints.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "sim.h"

#define LINE_MAX_SIM	4096
#define QUIET_NS	(2 * SIM_NS)	/* after EOF: exit once this quiet */
#define EOF_MAX_NS	(15 * SIM_NS)	/* after EOF: exit at the latest */

static struct event	*stdin_ev, *linger_ev;
static char		 linebuf[LINE_MAX_SIM];
static size_t		 linelen;
static int64_t		 last_activity, eof_at;

static void	 on_stdin(evutil_socket_t, short, void *);
static void	 on_linger(evutil_socket_t, short, void *);
static void	 handle_line(char *);
static void	 help(void);

static void
help(void)
{
	printf(
"Type a message as a phone would send it to short code %s:\n"
"    0912345678> HD\n"
"    0912345678> TC MC2500429\n"
"  the number may be written 0912..., 84912... or +84912...\n"
"  dial USSD with 0912345678> *8077#, then answer the menu the same way.\n"
"Replies show as  [84912345678 <- %s] text\n"
"Commands: dlr on|off|undeliv  (delivery receipts, now %s)\n"
"          drop     close the link abruptly (the daemon reconnects)\n"
"          unbind   ask the daemon to unbind\n"
"          status   links and messages waiting for an ack\n"
"          help, quit\n",
	    sim.o.shortcode, sim.o.shortcode,
	    sim.o.dlr == DLR_OFF ? "off" : sim.o.dlr == DLR_DELIVRD ? "on" :
	    "undeliv");
	fflush(stdout);
}

void
interactive_start(int interactive)
{
	struct stat	st;
	struct timeval	tv = { 0, 0 };

	printf("smsc-sim: SMSC simulator on 127.0.0.1:%d  system_id=%s "
	    "password=%s  short code %s\n", sim.port, sim.o.system_id,
	    sim.o.password, sim.o.shortcode);
	if (!interactive) {
		fflush(stdout);
		return;
	}
	help();
	last_activity = sim_now();
	linger_ev = event_new(sim.base, -1, EV_PERSIST, on_linger, NULL);
	stdin_ev = event_new(sim.base, STDIN_FILENO, EV_READ | EV_PERSIST,
	    on_stdin, NULL);
	if (linger_ev == NULL || stdin_ev == NULL)
		fatalx("event_new");
	/* epoll refuses regular files: read those on a timer instead. */
	if (fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode)) {
		event_free(stdin_ev);
		stdin_ev = event_new(sim.base, -1, EV_PERSIST, on_stdin, NULL);
		tv.tv_usec = 10000;
		evtimer_add(stdin_ev, &tv);
	} else if (event_add(stdin_ev, NULL) == -1)
		fatalx("cannot watch stdin");
}

void
interactive_notify(int what)
{
	if (what == EV_OUT || what == EV_ACK || what == EV_BIND)
		last_activity = sim_now();
}

void
interactive_shutdown(void)
{
	if (stdin_ev != NULL)
		event_free(stdin_ev);
	if (linger_ev != NULL)
		event_free(linger_ev);
	stdin_ev = linger_ev = NULL;
}

static void
on_stdin(evutil_socket_t fd, short ev, void *arg)
{
	struct timeval	 tv = { 0, 500000 };
	ssize_t		 n;
	char		*nl;

	(void)fd; (void)ev; (void)arg;
	n = read(STDIN_FILENO, linebuf + linelen, sizeof(linebuf) - 1 -
	    linelen);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		if (linelen > 0) {
			linebuf[linelen] = '\0';
			linelen = 0;
			handle_line(linebuf);
		}
		event_del(stdin_ev);
		eof_at = sim_now();
		evtimer_add(linger_ev, &tv);
		return;
	}
	linelen += (size_t)n;
	linebuf[linelen] = '\0';
	while ((nl = memchr(linebuf, '\n', linelen)) != NULL) {
		*nl = '\0';
		handle_line(linebuf);
		linelen -= (size_t)(nl + 1 - linebuf);
		memmove(linebuf, nl + 1, linelen);
	}
	if (linelen == sizeof(linebuf) - 1) {
		printf("? line too long, ignored\n");
		linelen = 0;
	}
}

/* After end of input: leave once acks and replies have settled. */
static void
on_linger(evutil_socket_t fd, short ev, void *arg)
{
	int64_t	now = sim_now();

	(void)fd; (void)ev; (void)arg;
	if ((now - last_activity >= QUIET_NS && mo_outstanding() == 0) ||
	    now - eof_at >= EOF_MAX_NS)
		sim_exit(0);
}

static char *
trim(char *s)
{
	size_t	n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && strchr(" \t\r\n", s[n - 1]) != NULL)
		s[--n] = '\0';
	return s;
}

static void
handle_line(char *raw)
{
	char		*line = trim(raw), *gt, *num, *text;
	char		 who[SIM_ADDR_MAX];
	const char	*err = NULL;
	int		 rc;

	if (*line == '\0')
		return;
	if ((gt = strchr(line, '>')) != NULL) {
		*gt = '\0';
		num = trim(line);
		text = gt + 1;
		while (*text == ' ' || *text == '\t')
			text++;
		if (*num == '\0') {
			printf("? write the phone number before '>'\n");
			return;
		}
		sim_msisdn(num, who, sizeof(who));
		if (sim_is_service_code(text) || mo_ussd_open(who))
			rc = mo_send_ussd(num, text, &err);
		else
			rc = mo_send(num, text, &err);
		if (rc == -1)
			printf("? not sent: %s\n", err);
		else if (!conn_bound_rx())
			printf("* queued: no ESME bound for receiving yet\n");
	} else if (strcmp(line, "help") == 0 || strcmp(line, "?") == 0)
		help();
	else if (strcmp(line, "quit") == 0 || strcmp(line, "exit") == 0)
		sim_exit(0);
	else if (strcmp(line, "drop") == 0) {
		if (conn_count() == 0)
			printf("* no link to drop\n");
		conn_drop_all();
	} else if (strcmp(line, "unbind") == 0) {
		if (conn_unbind_all() == 0)
			printf("* nothing bound\n");
	} else if (strcmp(line, "status") == 0)
		printf("* %d link(s), %s, %ld deliver_sm waiting for an ack, "
		    "%llu replies\n", conn_count(), conn_bound_rx() ?
		    "receiving" : "no receiver bound", mo_outstanding(),
		    (unsigned long long)out_total());
	else if (strncmp(line, "dlr ", 4) == 0) {
		text = trim(line + 4);
		if (strcmp(text, "on") == 0)
			sim.o.dlr = DLR_DELIVRD;
		else if (strcmp(text, "off") == 0)
			sim.o.dlr = DLR_OFF;
		else if (strcmp(text, "undeliv") == 0)
			sim.o.dlr = DLR_UNDELIV;
		else {
			printf("? dlr on|off|undeliv\n");
			return;
		}
		printf("* delivery receipts %s\n", text);
	} else
		printf("? \"%s\": not a message (NUMBER> TEXT) nor a command; "
		    "type help\n", line);
	fflush(stdout);
}
