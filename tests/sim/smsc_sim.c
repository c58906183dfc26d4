/*
 * smsc-sim: an SMSC simulator for motcua's demo, end-to-end tests and
 * benchmarks. It listens on 127.0.0.1, accepts the daemon's SMPP 3.4 bind
 * (a transceiver, or a transmitter plus a receiver), delivers phone
 * messages as deliver_sm with real-SMSC pending/redelivery rules, and
 * receives the replies (submit_sm, data_sm), joining concatenated parts.
 *
 * usage: smsc-sim [-dhv] [-a gsm7|latin1|ascii] [-c SHORTCODE] [-P PORTFILE]
 *                 [-p PORT] [-u SYSTEM_ID] [-W WINDOW] [-w PASSWORD]
 *                 [-x hex|dec]
 *                 [-i | -s SCRIPT | -l N [-C CODESFILE] [-n NUMBERS]
 *                  [-R RATE] [-T TEXT] [-t IDLE]]
 *
 *   -p PORT      port on 127.0.0.1 (default 2775; 0 picks a free one)
 *   -P FILE      write the port actually bound to FILE (written atomically
 *                once listening); also exported to `exec` as $SMSC_SIM_PORT
 *   -u, -w       system_id and password the bind must carry (motcua/secret);
 *                a wrong system_id gets 0x0F, a wrong password 0x0E
 *   -c CODE      short code phone messages go to (8077)
 *   -x hex|dec   how message ids in submit_sm_resp are written (hex). Ids
 *                are sequential from 0xa00001, so hex and decimal differ.
 *   -d           send a delivery receipt 50 ms after each accepted submit_sm
 *                asking for one (registered_delivery bits 1-0 = 01)
 *   -a ALPHABET  what data_coding 0 means, both ways (gsm7: GSM 03.38
 *                unpacked, one septet per octet)
 *   -W WINDOW    deliver_sm in flight per connection without a resp (10);
 *                in load mode also the number of messages left open
 *   -v           log to stderr what happens; -vv adds every PDU in hex
 *
 * Modes (default: passive, prints what arrives and runs until killed):
 *   -i           interactive: type "0912345678> HD" to send as that phone;
 *                replies print as "[84912345678 <- 8077] text".
 *   -s SCRIPT    scripted: runs the steps of SCRIPT (language in script.c);
 *                exit 0 when all pass, 1 at the first failure with
 *                "script:LINE: what failed (what was seen)" on stderr,
 *                2 for usage or script syntax errors.
 *   -l N         load: sends N messages "TEXT" from NUMBERS phones
 *                (84900000000 and up, 1000), at most WINDOW unanswered at a
 *                time, or RATE per second with -R; "%c" in TEXT takes the
 *                next line of CODESFILE. Ends after every reply or IDLE
 *                seconds (30) without one; prints one "load: ..." line and
 *                exits 1 if any reply is missing.
 *
 * Signals: SIGINT and SIGTERM end the run (a script counts as failed, a
 * load prints what it has).
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "sim.h"

#define SLOTS_MIN	256
#define MSG_ID_FIRST	0xa00001	/* hex "a00001", decimal 10485761 */

struct sim	 sim;

static struct event	*sig_int, *sig_term;

static void	 usage(int) __attribute__((noreturn));
static void	 parse_args(int, char **);
static long	 num_arg(const char *, const char *, long, long);
static int	 write_portfile(const char *, int);
static void	 on_signal(evutil_socket_t, short, void *);
static void	 load_main_done(int, void *);

static void
usage(int code)
{
	fprintf(code ? stderr : stdout,
"usage: smsc-sim [-dhv] [-a gsm7|latin1|ascii] [-c SHORTCODE] [-P PORTFILE]\n"
"                [-p PORT] [-u SYSTEM_ID] [-W WINDOW] [-w PASSWORD]\n"
"                [-x hex|dec]\n"
"                [-i | -s SCRIPT | -l N [-C CODESFILE] [-n NUMBERS]\n"
"                 [-R RATE] [-T TEXT] [-t IDLE]]\n"
"\n"
"  -p PORT     listen on 127.0.0.1:PORT (2775; 0 = any free port)\n"
"  -P FILE     write the bound port to FILE once listening\n"
"  -u, -w      system_id and password binds must use (motcua / secret)\n"
"  -c CODE     short code phone messages are sent to (8077)\n"
"  -x hex|dec  message ids in submit_sm_resp (hex); receipts say decimal\n"
"  -d          delivery receipt 50 ms after each submit_sm that asks\n"
"  -a ALPHA    data_coding 0 is gsm7 (default), latin1 or ascii\n"
"  -W N        deliver_sm in flight per connection (10); load: open msgs\n"
"  -v, -vv     log activity / also every PDU in hex, on stderr\n"
"  -i          interactive: type \"0912345678> HD\", see the replies\n"
"  -s SCRIPT   run a test script; exit 0 if every step passes\n"
"  -l N        load test: N messages, then one \"load: ...\" summary line\n"
"  -R RATE     load: messages per second instead of a window\n"
"  -T TEXT     load: message text (HD); %%c = next line of CODESFILE\n"
"  -C FILE     load: codes, one a line, used in turn\n"
"  -n NUMBERS  load: distinct phones 84900000000.. (1000)\n"
"  -t SECONDS  load: give up after this long without a reply (30)\n"
"  -h          this help\n"
"\n"
"The script language is described at the top of tests/sim/script.c.\n");
	exit(code);
}

static long
num_arg(const char *s, const char *what, long lo, long hi)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (errno != 0 || *end != '\0' || end == s || v < lo || v > hi) {
		fprintf(stderr, "smsc-sim: %s: bad value \"%s\" (%ld..%ld)\n",
		    what, s, lo, hi);
		exit(2);
	}
	return v;
}

static void
parse_args(int argc, char **argv)
{
	int	ch;
	char	*end;

	sim.o.port = 2775;
	sim.o.system_id = "motcua";
	snprintf(sim.o.password, sizeof(sim.o.password), "secret");
	sim.o.shortcode = "8077";
	sim.o.window = 10;
	sim.o.load_text = "HD";
	sim.o.numbers = 1000;
	sim.o.idle = 30;
	sim.o.dc0 = TEXT_GSM7;
	sim.msg_id = MSG_ID_FIRST - 1;
	while ((ch = getopt(argc, argv, "a:C:c:dhil:n:P:p:R:s:T:t:u:vW:w:x:"))
	    != -1) {
		switch (ch) {
		case 'a':
			if (strcmp(optarg, "gsm7") == 0)
				sim.o.dc0 = TEXT_GSM7;
			else if (strcmp(optarg, "latin1") == 0)
				sim.o.dc0 = TEXT_LATIN1;
			else if (strcmp(optarg, "ascii") == 0)
				sim.o.dc0 = TEXT_ASCII;
			else
				usage(2);
			break;
		case 'C': sim.o.codes_file = optarg; break;
		case 'c': sim.o.shortcode = optarg; break;
		case 'd': sim.o.dlr = DLR_DELIVRD; break;
		case 'i': sim.o.mode = MODE_INTERACTIVE; break;
		case 'l':
			sim.o.mode = MODE_LOAD;
			sim.o.load_n = num_arg(optarg, "-l", 1, 100000000);
			break;
		case 'n':
			sim.o.numbers = num_arg(optarg, "-n", 1, 10000000);
			break;
		case 'P': sim.o.portfile = optarg; break;
		case 'p': sim.o.port = (int)num_arg(optarg, "-p", 0, 65535); break;
		case 'R':
			sim.o.rate = strtod(optarg, &end);
			if (*end != '\0' || sim.o.rate <= 0)
				usage(2);
			break;
		case 's':
			sim.o.mode = MODE_SCRIPT;
			sim.o.script = optarg;
			break;
		case 'T': sim.o.load_text = optarg; break;
		case 't':
			sim.o.idle = strtod(optarg, &end);
			if (*end != '\0' || sim.o.idle <= 0)
				usage(2);
			break;
		case 'u': sim.o.system_id = optarg; break;
		case 'v': sim.o.verbose++; break;
		case 'W':
			sim.o.window = (int)num_arg(optarg, "-W", 1, 1000000);
			break;
		case 'w':
			if (strlen(optarg) >= sizeof(sim.o.password)) {
				fprintf(stderr, "smsc-sim: -w: at most 8 "
				    "characters\n");
				exit(2);
			}
			snprintf(sim.o.password, sizeof(sim.o.password), "%s",
			    optarg);
			break;
		case 'x':
			if (strcmp(optarg, "dec") == 0)
				sim.o.id_dec = 1;
			else if (strcmp(optarg, "hex") != 0)
				usage(2);
			break;
		case 'h':
			usage(0);
		default:
			usage(2);
		}
	}
	if (optind != argc)
		usage(2);
}

int64_t
sim_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * SIM_NS + ts.tv_nsec;
}

/* Something happened the running mode may be waiting for. */
void
sim_notify(int what)
{
	if (sim.stopping)
		return;
	switch (sim.o.mode) {
	case MODE_SCRIPT:
		script_kick();
		break;
	case MODE_INTERACTIVE:
	case MODE_PASSIVE:
		interactive_notify(what);
		break;
	default:
		break;
	}
}

void
sim_exit(int code)
{
	sim.exit_code = code;
	sim.stopping = 1;
	event_base_loopexit(sim.base, NULL);
}

/* A notice for the person at the terminal (interactive, passive modes). */
void
sim_say(const char *fmt, ...)
{
	va_list	ap;

	if (sim.o.mode != MODE_INTERACTIVE && sim.o.mode != MODE_PASSIVE)
		return;
	va_start(ap, fmt);
	printf("* ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	fflush(stdout);
}

void
sim_hexdump(const char *tag, const uint8_t *b, size_t n)
{
	char	line[3 * 32 + 1];
	size_t	i, k = 0;

	for (i = 0; i < n; i++) {
		snprintf(line + k, sizeof(line) - k, "%02x ", b[i]);
		k += 3;
		if (k == sizeof(line) - 1 || i + 1 == n) {
			fprintf(stderr, "  %s %s\n", tag, line);
			k = 0;
		}
	}
}

/* Written under a temporary name, then renamed: readers never see half. */
static int
write_portfile(const char *path, int port)
{
	char	 tmp[4096];
	FILE	*f;

	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid());
	if ((f = fopen(tmp, "w")) == NULL)
		return -1;
	fprintf(f, "%d\n", port);
	if (fclose(f) != 0 || rename(tmp, path) == -1) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

static void
on_signal(evutil_socket_t sig, short ev, void *arg)
{
	(void)ev; (void)arg;
	log_debug("signal=%d", (int)sig);
	switch (sim.o.mode) {
	case MODE_SCRIPT:
		fprintf(stderr, "script: interrupted by signal %d\n", (int)sig);
		sim_exit(1);
		break;
	case MODE_LOAD:
		if (load_active())
			load_stop();	/* prints the summary, then exits */
		else
			sim_exit(1);
		break;
	default:
		sim_exit(0);
		break;
	}
}

static void
load_main_done(int missing, void *arg)
{
	(void)arg;
	sim_exit(missing > 0 ? 1 : 0);
}

int
main(int argc, char **argv)
{
	const char	*err;
	char		 port[16];
	int		 slots;

	parse_args(argc, argv);
	log_init("smsc-sim", 0, sim.o.verbose > 0);
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (sim.o.mode == MODE_SCRIPT && script_load(sim.o.script) == -1) {
		script_shutdown();
		return 2;
	}
	if ((sim.base = event_base_new()) == NULL)
		fatalx("event_base_new");
	slots = sim.o.mode == MODE_LOAD && sim.o.window * 2 > SLOTS_MIN ?
	    sim.o.window * 2 : SLOTS_MIN;
	out_init(slots);
	mo_init();
	sig_int = evsignal_new(sim.base, SIGINT, on_signal, NULL);
	sig_term = evsignal_new(sim.base, SIGTERM, on_signal, NULL);
	if (sig_int == NULL || sig_term == NULL)
		fatalx("evsignal_new");
	sim.exit_code = 2;
	if (conn_listen() == -1)
		goto done;
	if (sim.o.portfile != NULL && write_portfile(sim.o.portfile,
	    sim.port) == -1) {
		log_warn("portfile %s", sim.o.portfile);
		goto done;
	}
	sim.exit_code = 0;
	snprintf(port, sizeof(port), "%d", sim.port);
	setenv("SMSC_SIM_PORT", port, 1);
	evsignal_add(sig_int, NULL);
	evsignal_add(sig_term, NULL);

	switch (sim.o.mode) {
	case MODE_INTERACTIVE:
		interactive_start(1);
		break;
	case MODE_PASSIVE:
		interactive_start(0);
		break;
	case MODE_SCRIPT:
		script_start();
		break;
	case MODE_LOAD:
		if (load_begin(sim.o.load_n, sim.o.window, load_main_done,
		    NULL, &err) == -1) {
			fprintf(stderr, "smsc-sim: load: %s\n", err);
			sim.exit_code = 2;
			goto done;
		}
		break;
	}
	event_base_dispatch(sim.base);
done:
	sim.stopping = 1;
	script_shutdown();
	interactive_shutdown();
	conn_shutdown();
	mo_shutdown();
	load_shutdown();
	out_shutdown();
	event_free(sig_int);
	event_free(sig_term);
	event_base_free(sim.base);
	return sim.exit_code;
}
