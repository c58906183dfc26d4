/* The configuration parser: good files, and every error naming file:line. */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "config.h"

#define LINK	"[smsc]\nsystem_id=a\npassword=b\n"	/* lines 1-3 */

static const char good[] =
	"# motcua test config\n"
	"[smsc]\n"
	"host = 10.0.0.1 ; the carrier\n"
	"port = 2776  # inline hash comment\n"
	"system_id = motcua\n"
	"password = secret\n"
	"bind = transmitter+receiver\n"
	"prefixes = 8491, 8494\n"
	"\n"
	"[smsc viettel]\n"
	"system_id = vt\n"
	"password = pw\n"
	"prefixes = 8496 849\n"
	"window = 50\n"
	"[store]\n"
	"path = data/motcua.db\n"
	"sync = full\n"
	"[ussd]\n"
	"service_code = *8077#\n"
	"[office]\n"
	"quiet_hours = 22:30-06:15\n"
	"unit_code = 000.00.20.H12\n";

static void
test_good(void)
{
	struct config	c;
	char		err[256] = "";

	CHECK_INT(config_parse("/etc/motcua/motcua.conf", good, &c, err,
	    sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK_INT(c.nsmsc, 2);
	CHECK_STR(c.smsc[0].name, "default");
	CHECK_STR(c.smsc[0].host, "10.0.0.1");
	CHECK_INT(c.smsc[0].port, 2776);
	CHECK_INT(c.smsc[0].bind, CONFIG_BIND_TX_RX);
	CHECK_INT(c.smsc[0].window, 10);
	CHECK_INT(c.smsc[0].nprefixes, 2);
	CHECK_STR(c.smsc[1].name, "viettel");
	CHECK_INT(c.smsc[1].window, 50);
	CHECK_INT(c.smsc[1].line, 10);
	CHECK_STR(c.store_path, "/etc/motcua/data/motcua.db");
	CHECK_INT(c.store_sync_full, 1);
	CHECK_STR(c.ussd_service_code, "*8077#");
	CHECK_INT(c.quiet_start, 22 * 60 + 30);
	CHECK_INT(c.quiet_end, 6 * 60 + 15);
	CHECK_STR(c.templates, "/etc/motcua/templates/vi");
	CHECK_INT(c.max_segments, 3);
	/* Routing: longest prefix wins, unknown numbers take the first link. */
	CHECK_INT(config_route(&c, "84912345678"), 0);
	CHECK_INT(config_route(&c, "84961234567"), 1);
	CHECK_INT(config_route(&c, "84971234567"), 1);
	CHECK_INT(config_route(&c, "84331234567"), 0);
}

/* A config text and the one error it must get. */
struct refusal {
	const char	*text, *want;
};

/* Each text is refused with exactly its error. */
static void
refused(const struct refusal *cases, size_t n)
{
	struct config	c;
	char		err[512];
	size_t		i;

	for (i = 0; i < n; i++) {
		err[0] = '\0';
		CHECK_INT(config_parse("m.conf", cases[i].text, &c, err,
		    sizeof(err)), -1);
		CHECK_STR(err, cases[i].want);
	}
}

static void
test_errors(void)
{
	static const struct refusal cases[] = {
		{ "[smsc]\nsystem_id=a\npassword=b\nwindow = 0\n",
		  "m.conf:4: window: expected a number from 1 to 1000" },
		{ "[smsc]\nsystem_id=a\npassword=b\nwindwo = 5\n",
		  "m.conf:4: unknown key \"windwo\" in [smsc]" },
		{ "[smsc]\nsystem_id=a\npassword=b\n[storage]\npath=x\n",
		  "m.conf:4: unknown section [storage]" },
		{ "[store]\npath = x\n\n[smsc]\nhost = h\npassword = p\n",
		  "m.conf:4: missing key system_id" },
		{ "[smsc]\nsystem_id=a\npassword=b\nbind = both\n",
		  "m.conf:4: bind: expected one of transceiver|transmitter+receiver" },
		{ "[smsc]\nsystem_id=a\npassword=b\n[office]\nquiet_hours = 9pm\n",
		  "m.conf:5: quiet_hours: expected HH:MM-HH:MM or nothing, got \"9pm\"" },
		{ "[smsc]\nsystem_id=a\npassword=b\nthis is not ini\n",
		  "m.conf:4: syntax error: expected [section] or key = value" },
		{ "[sms]\ncharset = auto\n",
		  "m.conf:1: no [smsc] section: a carrier link is required" },
		{ "[smsc]\nsystem_id=a\npassword=b\n[smsc]\nsystem_id=c\n",
		  "m.conf:4: duplicate section [smsc] (first on line 1)" },
		{ "[smsc]\nsystem_id=a\npassword=toolong123\n",
		  "m.conf:3: password: value too long" },
		{ "[smsc]\nsystem_id=a\npassword=b\n[bogus]\n",
		  "m.conf:4: unknown section [bogus]" },
		{ "[smsc]\nsystem_id=a\npassword=b\n[smsc x]\n",
		  "m.conf:4: missing key system_id" },
		{ "port = 1\n[smsc]\nsystem_id=a\npassword=b\n",
		  "m.conf:1: key \"port\" before any [section]" },
		{ "[smsc]\nsystem_id=a\npassword=b\nprefixes = 84x\n",
		  "m.conf:4: prefixes: \"84x\" is not a number prefix" },
	};
	refused(cases, sizeof(cases) / sizeof(cases[0]));
}

/*
 * Values the parser once let through and the daemon then refused or
 * misread (issue 11): each is refused at its own line now.
 */
static void
test_bad_values(void)
{
	static const struct refusal cases[] = {
		{ LINK "[admin]\nlisten = nonsense\n",
		  "m.conf:5: listen: expected ADDRESS:PORT or PORT, got \"nonsense\"" },
		{ LINK "[admin]\nlisten = 127.0.0.1:99999\n",
		  "m.conf:5: listen: the port must be a number from 0 to 65535, "
		  "got \"127.0.0.1:99999\"" },
		{ LINK "[admin]\nlisten = 127.0.0.1:\n",
		  "m.conf:5: listen: the port must be a number from 0 to 65535, "
		  "got \"127.0.0.1:\"" },
		{ LINK "[admin]\nlisten = 127.0.0.1:80x\n",
		  "m.conf:5: listen: the port must be a number from 0 to 65535, "
		  "got \"127.0.0.1:80x\"" },
		{ LINK "[admin]\nlisten = 127.0.0.1:-1\n",
		  "m.conf:5: listen: the port must be a number from 0 to 65535, "
		  "got \"127.0.0.1:-1\"" },
		{ LINK "[admin]\nlisten = ::1:8077\n",
		  "m.conf:5: listen: an IPv6 address goes in brackets, as "
		  "[::1]:8077, got \"::1:8077\"" },
		{ LINK "[admin]\nlisten = [::g]:8077\n",
		  "m.conf:5: listen: not an IPv6 address between [ ], got "
		  "\"[::g]:8077\"" },
		{ LINK "[admin]\nlisten = gateway.lan:8077\n",
		  "m.conf:5: listen: expected an IP address such as 127.0.0.1, "
		  "0.0.0.0 or [::1] (not a host name), got \"gateway.lan:8077\"" },
		{ LINK "[admin]\nlisten = 127.1:8077\n",
		  "m.conf:5: listen: expected an IP address such as 127.0.0.1, "
		  "0.0.0.0 or [::1] (not a host name), got \"127.1:8077\"" },
		{ LINK "[admin]\nlisten = :8077\n",
		  "m.conf:5: listen: expected an IP address such as 127.0.0.1, "
		  "0.0.0.0 or [::1] (not a host name), got \":8077\"" },
		{ LINK "host = 10.0.0.1:2775\n",
		  "m.conf:4: host: expected a host name or an IP address (the port "
		  "goes in port =), got \"10.0.0.1:2775\"" },
		{ LINK "host = smsc_vt.vn\n",
		  "m.conf:4: host: expected a host name (letters, digits, hyphens "
		  "and dots) or an IP address, got \"smsc_vt.vn\"" },
		{ LINK "host = -smsc.vn\n",
		  "m.conf:4: host: expected a host name (letters, digits, hyphens "
		  "and dots) or an IP address, got \"-smsc.vn\"" },
		{ LINK "host = smsc..vn\n",
		  "m.conf:4: host: expected a host name (letters, digits, hyphens "
		  "and dots) or an IP address, got \"smsc..vn\"" },
		{ LINK "host = 10.0.0.256\n",
		  "m.conf:4: host: not an IPv4 address, got \"10.0.0.256\"" },
		{ LINK "source_addr = UBNDXAVINHHOA\n",
		  "m.conf:4: source_addr: a sender name has at most 11 characters, "
		  "got \"UBNDXAVINHHOA\"" },
		{ LINK "source_addr = X\xc3\xa3\n",
		  "m.conf:4: source_addr: a sender name must be plain ASCII, "
		  "got \"X\xc3\xa3\"" },
		{ LINK "prefixes = 8491 0912\n",
		  "m.conf:4: prefixes: \"0912\" never matches: write it as numbers "
		  "are kept, 84\xe2\x80\xa6 (8491, not 091)" },
		{ LINK "[sms]\ncountry_code = VN\n",
		  "m.conf:5: country_code: expected 1 to 3 digits, not starting "
		  "with 0 (84), got \"VN\"" },
		{ LINK "[sms]\ncountry_code = 084\n",
		  "m.conf:5: country_code: expected 1 to 3 digits, not starting "
		  "with 0 (84), got \"084\"" },
		{ LINK "[ussd]\nservice_code = 8077\n",
		  "m.conf:5: service_code: expected a code such as *8077#, got "
		  "\"8077\"" },
		{ LINK "[ussd]\nservice_code = *#\n",
		  "m.conf:5: service_code: expected a code such as *8077#, got "
		  "\"*#\"" },
		{ LINK "[office]\nquiet_hours = 21:00-21:00\n",
		  "m.conf:5: quiet_hours: \"21:00-21:00\" starts and ends at the "
		  "same time (empty means none)" },
		{ LINK "[office]\nquiet_hours = 24:00-07:00\n",
		  "m.conf:5: quiet_hours: expected HH:MM-HH:MM or nothing, got "
		  "\"24:00-07:00\"" },
		{ LINK "[office]\nquiet_hours = 21:0-07:00\n",
		  "m.conf:5: quiet_hours: expected HH:MM-HH:MM or nothing, got "
		  "\"21:0-07:00\"" },
		{ LINK "[office]\nquiet_hours = +1:00-07:00\n",
		  "m.conf:5: quiet_hours: expected HH:MM-HH:MM or nothing, got "
		  "\"+1:00-07:00\"" },
		{ LINK "[office]\nquiet_hours = 21:00- 7:00\n",
		  "m.conf:5: quiet_hours: expected HH:MM-HH:MM or nothing, got "
		  "\"21:00- 7:00\"" },
		{ LINK "[office]\nquiet_hours = 21:60-07:00\n",
		  "m.conf:5: quiet_hours: expected HH:MM-HH:MM or nothing, got "
		  "\"21:60-07:00\"" },
		{ LINK "[office]\nname = x\ncode_prefix = mc\n",
		  "m.conf:6: code_prefix: expected capital letters A to Z, got "
		  "\"mc\"" },
	};
	refused(cases, sizeof(cases) / sizeof(cases[0]));
}

/* What listen accepts, and the host and port admin_start binds. */
static void
test_listen(void)
{
	static const struct { const char *v, *host; int port; } cases[] = {
		{ "127.0.0.1:8077", "127.0.0.1", 8077 },
		{ "0.0.0.0:8078", "0.0.0.0", 8078 },
		{ "[::1]:8079", "::1", 8079 },
		{ "[0::0]:8080", "::", 8080 },
		{ "localhost:8081", "127.0.0.1", 8081 },
		{ "8082", "127.0.0.1", 8082 },
		{ "127.0.0.1:0", "127.0.0.1", 0 },
		{ "", "127.0.0.1", 8077 },
	};
	struct config	c;
	char		text[256], err[512];
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), LINK "[admin]\nlisten = %s\n",
		    cases[i].v);
		err[0] = '\0';
		CHECK_INT(config_parse("m.conf", text, &c, err, sizeof(err)), 0);
		CHECK_STR(err, "");
		CHECK_STR(c.admin_host, cases[i].host);
		CHECK_INT(c.admin_port, cases[i].port);
	}
}

/* Values at the edge of what is refused above still pass. */
static void
test_good_values(void)
{
	static const char *const texts[] = {
		LINK "host = smsc.viettel.vn\n",
		LINK "host = smsc.example.vn.\n",
		LINK "host = ::1\n",
		LINK "host = localhost\n",
		LINK "host = 10-0-0-1.carrier.vn\n",
		LINK "source_addr = UBNDVINHHOA\n",
		LINK "source_addr = 84912345678901234567\n",
		LINK "prefixes = 8491 84\n",
		LINK "[sms]\ncountry_code = 1\n",
		LINK "[ussd]\nservice_code = *123*4#\n",
		LINK "[office]\nquiet_hours = 7:00-21:30\n",
		LINK "[office]\ncode_prefix = HS\n",
	};
	struct config	c;
	char		err[512];
	size_t		i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		err[0] = '\0';
		CHECK_INT(config_parse("m.conf", texts[i], &c, err,
		    sizeof(err)), 0);
		CHECK_STR(err, "");
	}
	CHECK_INT(config_parse("m.conf", LINK "[office]\nquiet_hours = "
	    "7:00-21:30\n", &c, err, sizeof(err)), 0);
	CHECK_INT(c.quiet_start, 7 * 60);
	CHECK_INT(c.quiet_end, 21 * 60 + 30);
}

/*
 * The same section twice, or a key twice in one section: the reader would
 * have to guess which one the operator meant (issue 16).
 */
static void
test_duplicates(void)
{
	static const struct refusal cases[] = {
		{ "[store]\npath = a.db\n" LINK "[store]\nsync = full\n",
		  "m.conf:6: duplicate section [store] (first on line 1)" },
		{ LINK "[office]\nname = a\n[office]\nname = b\n",
		  "m.conf:6: duplicate section [office] (first on line 4)" },
		{ LINK "[smsc vt]\nsystem_id=c\npassword=d\n[smsc vt]\n",
		  "m.conf:7: duplicate section [smsc vt] (first on line 4)" },
		{ LINK "[smsc default]\nsystem_id=c\npassword=d\n",
		  "m.conf:4: duplicate section [smsc default] (first on line 1)" },
		{ LINK "[sms]\nmax_segments = 2\nmax_segments = 4\n",
		  "m.conf:6: duplicate key \"max_segments\" in [sms] (first on "
		  "line 5)" },
		{ LINK "password = c\n",
		  "m.conf:4: duplicate key \"password\" in [smsc] (first on "
		  "line 3)" },
		{ LINK "window =\nwindow = 5\n",
		  "m.conf:5: duplicate key \"window\" in [smsc] (first on "
		  "line 4)" },
		{ LINK "[admin]\ntoken = a\n[office]\nname = x\n[admin]\n",
		  "m.conf:8: duplicate section [admin] (first on line 4)" },
	};
	struct config	c;
	char		err[512] = "";

	refused(cases, sizeof(cases) / sizeof(cases[0]));
	/* Several links: one [smsc NAME] each, each with its own keys. */
	CHECK_INT(config_parse("m.conf", LINK "[smsc vt]\nsystem_id=a\n"
	    "password=b\n[smsc mf]\nsystem_id=a\npassword=b\n", &c, err,
	    sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK_INT(c.nsmsc, 3);
}

/* An admin API others can reach, without TLS, is worth a warning. */
static void
test_exposed(void)
{
	static const struct { const char *v; int exposed; } cases[] = {
		{ "127.0.0.1:8077", 0 }, { "127.8.9.1:8077", 0 },
		{ "localhost:8077", 0 }, { "8077", 0 }, { "", 0 },
		{ "[::1]:8077", 0 }, { "[::ffff:127.0.0.1]:8077", 0 },
		{ "0.0.0.0:8077", 1 }, { "10.0.0.5:8077", 1 },
		{ "[::]:8077", 1 }, { "[fe80::1]:8077", 1 },
		{ "[::ffff:10.0.0.5]:8077", 1 },
	};
	struct config	c;
	char		text[256], err[512], want[512];
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), LINK "[admin]\nlisten = %s\n",
		    cases[i].v);
		CHECK_INT(config_parse("m.conf", text, &c, err, sizeof(err)), 0);
		err[0] = '\0';
		CHECK_INT(config_exposed(&c, err, sizeof(err)), cases[i].exposed);
		snprintf(want, sizeof(want), "m.conf:5: warning: listen = %s: "
		    "the admin API is reachable from other machines, without "
		    "TLS: its token and what it answers cross the network in "
		    "clear (set [admin] cert and key, or listen on 127.0.0.1 "
		    "behind a TLS proxy)", cases[i].v);
		CHECK_STR(err, cases[i].exposed ? want : "");
	}
	/* With TLS set, the same addresses draw no warning. */
	snprintf(text, sizeof(text), LINK "[admin]\nlisten = 0.0.0.0:8077\n"
	    "cert = /etc/motcua/a.pem\nkey = /etc/motcua/a.key\n");
	CHECK_INT(config_parse("m.conf", text, &c, err, sizeof(err)), 0);
	CHECK_INT(config_exposed(&c, err, sizeof(err)), 0);
}

/* [admin] cert and key go together; token and token_file do not. */
static void
test_admin_pairs(void)
{
	static const struct {
		const char	*lines, *want;
	} cases[] = {
		{ "cert = /a.pem\n", "m.conf:5: [admin] cert and key go "
		    "together: set both for HTTPS, or neither" },
		{ "key = /a.key\n", "m.conf:5: [admin] cert and key go "
		    "together: set both for HTTPS, or neither" },
		{ "token = t\ntoken_file = /t\n", "m.conf:6: [admin] token "
		    "and token_file: set one of them, not both" },
	};
	struct config	c;
	char		text[512], err[512];
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), LINK "[admin]\n%s", cases[i].lines);
		CHECK_INT(config_parse("m.conf", text, &c, err, sizeof(err)), -1);
		CHECK_STR(err, cases[i].want);
	}
}

/* Writes n bytes of text (then padding comments) to a temporary file. */
static void
write_file(const char *path, const char *text, size_t n)
{
	FILE	*f = fopen(path, "w");
	size_t	 len = strlen(text);

	fwrite(text, 1, len, f);
	for (; len < n; len++)
		fputc(len % 64 == 63 ? '\n' : '#', f);
	fclose(f);
}

/* config_read: the file's limits and errors, shared with the staff tool. */
static void
test_read(void)
{
	struct config	c;
	char		path[] = "/tmp/test_config.XXXXXX", want[256], err[512];
	int		fd = mkstemp(path);

	close(fd);
	write_file(path, LINK "#\n", CONFIG_FILE_MAX);
	CHECK_INT(config_read(path, &c, err, sizeof(err)), 0);
	write_file(path, LINK "#\n", CONFIG_FILE_MAX + 1);
	CHECK_INT(config_read(path, &c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:0: larger than 64 KiB", path);
	CHECK_STR(err, want);
	write_file(path, LINK "window = 5\n", 0);
	fd = open(path, O_WRONLY);	/* a NUL byte on line 3 */
	lseek(fd, 20, SEEK_SET);
	CHECK_INT(write(fd, "", 1), 1);
	close(fd);
	CHECK_INT(config_read(path, &c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:3: a NUL byte: not a text file", path);
	CHECK_STR(err, want);
	unlink(path);
	CHECK_INT(config_read(path, &c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:0: No such file or directory", path);
	CHECK_STR(err, want);
	CHECK_INT(config_read("/tmp", &c, err, sizeof(err)), -1);
	CHECK_STR(err, "/tmp:0: is a directory");
	/* A FIFO no one writes to would block the read for ever (the
	 * alarm makes a hang a failure). */
	CHECK_INT(mkfifo(path, 0600), 0);
	alarm(10);
	CHECK_INT(config_read(path, &c, err, sizeof(err)), -1);
	alarm(0);
	snprintf(want, sizeof(want), "%s:0: not a regular file (a FIFO, a "
	    "socket or a device): only a file is read", path);
	CHECK_STR(err, want);
	unlink(path);
	CHECK_INT(config_read("/dev/null", &c, err, sizeof(err)), -1);
	CHECK_STR(err, "/dev/null:0: not a regular file (a FIFO, a socket or "
	    "a device): only a file is read");
}

static void
test_empty_means_default(void)
{
	struct config	c;
	char		err[256] = "";

	CHECK_INT(config_parse("m.conf", "[smsc]\nsystem_id=a\npassword=\n"
	    "window =\nhost =\nsource_addr =\n[office]\nquiet_hours =\n"
	    "code_prefix =\n[admin]\nlisten =\n", &c, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK_INT(c.smsc[0].window, 10);
	CHECK_STR(c.smsc[0].password, "");
	CHECK_INT(c.quiet_start, -1);
	CHECK_STR(c.store_path, "./motcua.db");
	CHECK_STR(c.smsc[0].host, "127.0.0.1");
	CHECK_STR(c.smsc[0].source_addr, "8077");
	CHECK_STR(c.code_prefix, "MC");
	CHECK_STR(c.admin_host, "127.0.0.1");
	CHECK_INT(c.admin_port, 8077);
}

/* Quiet hours are a function of the config and a time, nothing else. */
static void
test_quiet(void)
{
	static const struct {
		int	 start, end, hour, min, quiet;
	} cases[] = {
		{ 21 * 60, 7 * 60, 20, 59, 0 }, { 21 * 60, 7 * 60, 21, 0, 1 },
		{ 21 * 60, 7 * 60, 0, 0, 1 }, { 21 * 60, 7 * 60, 6, 59, 1 },
		{ 21 * 60, 7 * 60, 7, 0, 0 }, { 12 * 60, 13 * 60, 12, 30, 1 },
		{ 12 * 60, 13 * 60, 13, 0, 0 }, { 12 * 60, 13 * 60, 11, 59, 0 },
		{ -1, -1, 22, 0, 0 },
	};
	struct config	c;
	size_t		i;
	int64_t		day = 20000LL * 86400 * 1000;	/* a UTC midnight */

	setenv("TZ", "UTC", 1);
	tzset();
	memset(&c, 0, sizeof(c));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		c.quiet_start = cases[i].start;
		c.quiet_end = cases[i].end;
		CHECK_INT(config_quiet(&c, day + (cases[i].hour * 60 +
		    cases[i].min) * 60000LL), cases[i].quiet);
	}
}

int
main(void)
{
	test_good();
	test_errors();
	test_empty_means_default();
	test_bad_values();
	test_listen();
	test_good_values();
	test_read();
	test_duplicates();
	test_exposed();
	test_admin_pairs();
	test_quiet();
	return check_report("config");
}
