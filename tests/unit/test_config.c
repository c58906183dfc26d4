/* The configuration parser: good files, and every error naming file:line. */
#include "check.h"
#include "config.h"

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

static void
test_errors(void)
{
	static const struct { const char *text, *want; } cases[] = {
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
		  "m.conf:4: duplicate section [smsc]" },
		{ "[smsc]\nsystem_id=a\npassword=b\npassword=toolong123\n",
		  "m.conf:4: password: value too long" },
		{ "[smsc]\nsystem_id=a\npassword=b\n[bogus]\n",
		  "m.conf:4: unknown section [bogus]" },
		{ "[smsc]\nsystem_id=a\npassword=b\n[smsc x]\n",
		  "m.conf:4: missing key system_id" },
		{ "port = 1\n[smsc]\nsystem_id=a\npassword=b\n",
		  "m.conf:1: key \"port\" before any [section]" },
		{ "[smsc]\nsystem_id=a\npassword=b\nprefixes = 84x\n",
		  "m.conf:4: prefixes: \"84x\" is not a number prefix" },
	};
	struct config	c;
	char		err[256];
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		CHECK_INT(config_parse("m.conf", cases[i].text, &c, err,
		    sizeof(err)), -1);
		CHECK_STR(err, cases[i].want);
	}
}

static void
test_empty_means_default(void)
{
	struct config	c;
	char		err[256] = "";

	CHECK_INT(config_parse("m.conf", "[smsc]\nsystem_id=a\npassword=\n"
	    "window =\n[office]\nquiet_hours =\n", &c, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK_INT(c.smsc[0].window, 10);
	CHECK_STR(c.smsc[0].password, "");
	CHECK_INT(c.quiet_start, -1);
	CHECK_STR(c.store_path, "./motcua.db");
}

int
main(void)
{
	test_good();
	test_errors();
	test_empty_means_default();
	return check_report("config");
}
