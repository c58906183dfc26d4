/*
 * Configuration parsing on top of inih. inih reads lines and splits
 * sections and keys; this file feeds it from memory one line at a time, so
 * it knows the line number of every key (Debian builds inih without
 * INI_HANDLER_LINENO), strips `#` comments after values (inih only knows
 * `;`), and checks every key against one table.
 *
 * Every value is checked here, once, as strictly as the code that uses it
 * later: a value `motcuad -t` accepts must start. Addresses are parsed
 * with inet_pton (pure); a host name is checked for its form only, since
 * whether it resolves needs DNS, seen at connect time (link.c logs it).
 * config_read is the one I/O here: reading the file, so the daemon and
 * the staff tool share its limits and its errors (a regular file only: a
 * FIFO would block the read, a device never end).
 *
 * Each section stands once and each key once in its section: with two,
 * the reader would have to guess which the operator meant, and the last
 * one silently winning is how a second [store] moved the database.
 * Several links are several [smsc NAME] sections, each named once.
 */
#include <sys/stat.h>

#include <arpa/inet.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ini.h>

#include "config.h"

enum key_type { K_STR, K_PATH, K_INT, K_ENUM, K_PREFIXES, K_HOURS, K_TOKEN,
	K_LISTEN, K_HOST, K_COUNTRY, K_DIAL, K_LETTERS, K_SENDER };

struct key {
	const char	*section;	/* "smsc" matches [smsc] and [smsc NAME] */
	const char	*name;
	enum key_type	 type;
	size_t		 off;		/* in struct config or struct config_smsc */
	size_t		 size;		/* of a string field */
	int		 min, max;	/* K_INT range */
	const char	*values;	/* K_ENUM: "a|b|c", stored as the index */
};

#define C(f)	offsetof(struct config, f), sizeof(((struct config *)0)->f)
#define S(f)	offsetof(struct config_smsc, f), sizeof(((struct config_smsc *)0)->f)

static const struct key keys[] = {
	{ "smsc", "host", K_HOST, S(host), 0, 0, NULL },
	{ "smsc", "port", K_INT, S(port), 1, 65535, NULL },
	{ "smsc", "system_id", K_STR, S(system_id), 0, 0, NULL },
	{ "smsc", "password", K_STR, S(password), 0, 0, NULL },
	{ "smsc", "system_type", K_STR, S(system_type), 0, 0, NULL },
	{ "smsc", "bind", K_ENUM, S(bind), 0, 0, "transceiver|transmitter+receiver" },
	{ "smsc", "source_addr", K_SENDER, S(source_addr), 0, 0, NULL },
	{ "smsc", "window", K_INT, S(window), 1, 1000, NULL },
	{ "smsc", "throughput", K_INT, S(throughput), 0, 100000, NULL },
	{ "smsc", "enquire_link", K_INT, S(enquire_link), 1, 3600, NULL },
	{ "smsc", "reconnect_max", K_INT, S(reconnect_max), 1, 3600, NULL },
	{ "smsc", "response_timeout", K_INT, S(response_timeout), 1, 300, NULL },
	{ "smsc", "default_alphabet", K_ENUM, S(default_alphabet), 0, 0, "gsm7|latin1|ascii" },
	{ "smsc", "long_sms", K_ENUM, S(long_sms), 0, 0, "udh|payload" },
	{ "smsc", "ussd_profile", K_ENUM, S(ussd_profile), 0, 0,
	    "default|sixdee|mica" },
	{ "smsc", "prefixes", K_PREFIXES, S(prefixes), 0, 0, NULL },
	{ "smsc", "dest_ton", K_INT, S(dest_ton), 0, 6, NULL },
	{ "smsc", "dest_npi", K_INT, S(dest_npi), 0, 18, NULL },
	{ "store", "path", K_PATH, C(store_path), 0, 0, NULL },
	{ "store", "sync", K_ENUM, C(store_sync_full), 0, 0, "normal|full" },
	{ "store", "backup_dir", K_PATH, C(backup_dir), 0, 0, NULL },
	{ "store", "backup_keep", K_INT, C(backup_keep), 0, 1000, NULL },
	{ "sms", "charset", K_ENUM, C(charset), 0, 0, "auto|gsm7|ucs2|ascii" },
	{ "sms", "max_segments", K_INT, C(max_segments), 1, 10, NULL },
	{ "sms", "country_code", K_COUNTRY, C(country_code), 0, 0, NULL },
	{ "sms", "flood_per_minute", K_INT, C(flood_per_minute), 0, 100000, NULL },
	{ "ussd", "service_code", K_DIAL, C(ussd_service_code), 0, 0, NULL },
	{ "ussd", "timeout", K_INT, C(ussd_timeout), 5, 3600, NULL },
	{ "admin", "listen", K_LISTEN, C(admin_listen), 0, 0, NULL },
	{ "admin", "token", K_TOKEN, C(admin_token), 0, 0, NULL },
	{ "admin", "token_file", K_PATH, C(admin_token_file), 0, 0, NULL },
	{ "admin", "cert", K_PATH, C(admin_cert), 0, 0, NULL },
	{ "admin", "key", K_PATH, C(admin_key), 0, 0, NULL },
	{ "office", "name", K_STR, C(office_name), 0, 0, NULL },
	{ "office", "code_prefix", K_LETTERS, C(code_prefix), 0, 0, NULL },
	{ "office", "unit_code", K_STR, C(unit_code), 0, 0, NULL },
	{ "office", "templates", K_PATH, C(templates), 0, 0, NULL },
	{ "office", "quiet_hours", K_HOURS, C(quiet_start), 0, 0, NULL },
	{ "office", "broadcast_daily_cap", K_INT, C(broadcast_daily_cap), 0, 1000, NULL },
	{ "office", "remind_after", K_INT, C(remind_after), 0, 365, NULL },
	{ "office", "ask_rating", K_ENUM, C(ask_rating), 0, 0, "no|yes" },
};
#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

/* The sections other than [smsc …], each allowed once. */
static const char *const plain[] = { "store", "sms", "ussd", "admin",
	"office" };
#define NPLAIN	(sizeof(plain) / sizeof(plain[0]))

struct parse {
	struct config	*c;
	const char	*text;		/* what is left to feed inih */
	int		 line;		/* of the line inih handles now */
	char		 section[64];	/* the last section seen */
	int		 section_line;	/* where its [header] stands */
	struct config_smsc *smsc;	/* when inside [smsc …] */
	int		 plain_line[NPLAIN];	/* where each stood; 0: not yet */
	int		 key_line[NKEYS];	/* in the current section */
	char		*err;
	size_t		 errlen;
	int		 failed;
};

static int
fail(struct parse *p, int line, const char *fmt, const char *arg)
{
	if (!p->failed) {
		int n = snprintf(p->err, p->errlen, "%s:%d: ", p->c->file, line);
		if (n > 0 && (size_t)n < p->errlen)
			snprintf(p->err + n, p->errlen - n, fmt, arg);
		p->failed = 1;
	}
	return 0;
}

/* "key: why, got "value"": what was wrong and what was written. */
static int
fail_value(struct parse *p, const char *key, const char *why, const char *v)
{
	char	what[320];

	snprintf(what, sizeof(what), "%s: %s, got \"%.100s\"", key, why, v);
	return fail(p, p->line, "%s", what);
}

/* "duplicate section [x] (first on line N)", and for a key the same. */
static int
fail_twice(struct parse *p, int line, const char *what, int first)
{
	char	msg[240];

	snprintf(msg, sizeof(msg), "duplicate %s (first on line %d)", what,
	    first);
	return fail(p, line, "%s", msg);
}

static void
smsc_defaults(struct config_smsc *s)
{
	memset(s, 0, sizeof(*s));
	strcpy(s->host, "127.0.0.1");
	s->port = 2775;
	strcpy(s->source_addr, "8077");
	s->window = 10;
	s->enquire_link = 30;
	s->reconnect_max = 60;
	s->response_timeout = 10;
	s->dest_ton = 1;
	s->dest_npi = 1;
}

static void
config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	strcpy(c->store_path, "motcua.db");
	c->backup_keep = 14;
	c->max_segments = 3;
	c->flood_per_minute = 60;
	strcpy(c->country_code, "84");
	strcpy(c->ussd_service_code, "*8077#");
	c->ussd_timeout = 120;
	strcpy(c->admin_listen, "127.0.0.1:8077");
	strcpy(c->admin_host, "127.0.0.1");
	c->admin_port = 8077;
	strcpy(c->office_name, "UBND xã Vĩnh Hòa");
	strcpy(c->code_prefix, "MC");
	strcpy(c->templates, "templates/vi");
	c->quiet_start = 21 * 60;
	c->quiet_end = 7 * 60;
	c->broadcast_daily_cap = 3;
	c->remind_after = 3;
}

static void	section_header(struct parse *, const char *);
static int	nul_error(const char *, const char *, char *, size_t);
static ssize_t	read_whole(const char *, char *, size_t, const char **);

/*
 * Feeds inih one line; notes section headers so a missing key can name them.
 * Lines go without their leading blanks: inih would read an indented line
 * as more of the previous value (an indented [section] too), so the reader
 * and inih would no longer agree on the section of a key.
 */
static char *
reader(char *buf, int num, void *arg)
{
	struct parse	*p = arg;
	const char	*nl, *line;
	size_t		 len;
	char		*hash;

	if (*p->text == '\0')
		return NULL;
	line = p->text;
	/* A byte order mark (Notepad) would hide the first [section]. */
	if (p->line == 0 && strncmp(line, "\xef\xbb\xbf", 3) == 0)
		line += 3;
	nl = strchr(line, '\n');
	len = nl ? (size_t)(nl - line) : strlen(line);
	p->text = line + len + (nl ? 1 : 0);	/* a line too long goes whole */
	while (len > 0 && isspace((unsigned char)*line))
		line++, len--;
	p->line++;
	if (len + 2 > (size_t)num) {
		fail(p, p->line, "line longer than %s characters", "197");
		len = 0;
	}
	memcpy(buf, line, len);
	buf[len] = '\0';
	/* `#` after whitespace starts a comment, as `;` does in inih. */
	for (hash = buf; (hash = strchr(hash, '#')) != NULL; hash++) {
		if (hash > buf && isspace((unsigned char)hash[-1])) {
			*hash = '\0';
			break;
		}
	}
	if (buf[0] == '[' && !p->failed)
		section_header(p, buf + 1);
	strcat(buf, "\n");
	return buf;
}

static struct config_smsc *
smsc_open(struct parse *p, const char *section)
{
	struct config	*c = p->c;
	const char	*name = section[4] ? section + 5 : "default";
	char		 what[80];
	int		 i;

	if (section[4] && (section[4] != ' ' || *name == '\0'))
		return fail(p, p->section_line, "unknown section [%s]", section),
		    NULL;
	for (i = 0; i < c->nsmsc; i++) {
		if (strcmp(c->smsc[i].name, name) == 0) {
			snprintf(what, sizeof(what), "section [%s]", section);
			return fail_twice(p, p->section_line, what,
			    c->smsc[i].line), NULL;
		}
	}
	if (c->nsmsc == CONFIG_MAX_SMSC)
		return fail(p, p->line, "more than %s [smsc] sections", "8"),
		    NULL;
	if (strlen(name) >= sizeof(c->smsc[0].name))
		return fail(p, p->line, "link name too long in [%s]", section),
		    NULL;
	smsc_defaults(&c->smsc[c->nsmsc]);
	strcpy(c->smsc[c->nsmsc].name, name);
	c->smsc[c->nsmsc].line = p->section_line;
	return &c->smsc[c->nsmsc++];
}

static int
section_enter(struct parse *p, const char *section)
{
	char	what[80];
	size_t	i;

	snprintf(p->section, sizeof(p->section), "%s", section);
	p->smsc = NULL;
	memset(p->key_line, 0, sizeof(p->key_line));
	if (strncmp(section, "smsc", 4) == 0)
		return (p->smsc = smsc_open(p, section)) != NULL;
	for (i = 0; i < NPLAIN; i++) {
		if (strcmp(section, plain[i]) != 0)
			continue;
		if (p->plain_line[i] != 0) {
			snprintf(what, sizeof(what), "section [%s]", section);
			return fail_twice(p, p->section_line, what,
			    p->plain_line[i]);
		}
		p->plain_line[i] = p->section_line;
		return 1;
	}
	return fail(p, p->section_line, "unknown section [%s]", section);
}

/*
 * inih calls the handler for keys only, so an empty section would pass
 * unseen: sections are checked here, as the reader meets their header.
 */
static void
section_header(struct parse *p, const char *s)
{
	char	 name[64];
	size_t	 len = strcspn(s, "]");

	p->section_line = p->line;
	if (s[len] != ']') {
		fail(p, p->line, "%s", "section header without ]");
		return;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	while (len && isspace((unsigned char)*s))
		s++, len--;
	if (len >= sizeof(name)) {
		fail(p, p->line, "%s", "section name too long");
		return;
	}
	memcpy(name, s, len);
	name[len] = '\0';
	section_enter(p, name);
}

static const struct key *
key_find(const char *section, const char *name)
{
	size_t	i, slen = strcspn(section, " ");

	for (i = 0; i < NKEYS; i++)
		if (strlen(keys[i].section) == slen &&
		    strncmp(keys[i].section, section, slen) == 0 &&
		    strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

static int
set_int(struct parse *p, const struct key *k, const char *v, int *dst)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < k->min || n > k->max) {
		char what[96];
		snprintf(what, sizeof(what), "%s: expected a number from %d to %d",
		    k->name, k->min, k->max);
		return fail(p, p->line, "%s", what);
	}
	*dst = (int)n;
	return 1;
}

static int
set_enum(struct parse *p, const struct key *k, const char *v, int *dst)
{
	const char	*s = k->values;
	int		 i;

	for (i = 0; s && *s; i++) {
		size_t len = strcspn(s, "|");
		if (strlen(v) == len && strncmp(s, v, len) == 0) {
			*dst = i;
			return 1;
		}
		s += len + (s[len] == '|');
	}
	char what[160];
	snprintf(what, sizeof(what), "%s: expected one of %s", k->name,
	    k->values);
	return fail(p, p->line, "%s", what);
}

static int
set_str(struct parse *p, const struct key *k, const char *v, char *dst)
{
	if (strlen(v) >= k->size)
		return fail(p, p->line, "%s: value too long", k->name);
	strcpy(dst, v);
	return 1;
}

static int
set_path(struct parse *p, const struct key *k, const char *v, char *dst)
{
	int	n;

	if (v[0] == '/' || p->c->dir[0] == '\0')
		return set_str(p, k, v, dst);
	n = snprintf(dst, k->size, "%s/%s", p->c->dir, v);
	if (n < 0 || (size_t)n >= k->size)
		return fail(p, p->line, "%s: path too long", k->name);
	return 1;
}

static int
set_prefixes(struct parse *p, const char *v, struct config_smsc *s)
{
	char	 buf[256], *tok, *save = NULL;

	if (strlen(v) >= sizeof(buf))
		return fail(p, p->line, "%s: value too long", "prefixes");
	strcpy(buf, v);
	s->nprefixes = 0;
	for (tok = strtok_r(buf, " ,", &save); tok;
	    tok = strtok_r(NULL, " ,", &save)) {
		if (strspn(tok, "0123456789") != strlen(tok) ||
		    strlen(tok) >= sizeof(s->prefixes[0]))
			return fail(p, p->line, "prefixes: \"%s\" is not a "
			    "number prefix", tok);
		/* Numbers are routed in their stored form, 84…: a national
		 * prefix (09…) would never match. */
		if (tok[0] == '0')
			return fail(p, p->line, "prefixes: \"%s\" never matches: "
			    "write it as numbers are kept, 84… (8491, not 091)",
			    tok);
		if (s->nprefixes == CONFIG_MAX_PREFIXES)
			return fail(p, p->line, "prefixes: more than %s", "16");
		strcpy(s->prefixes[s->nprefixes++], tok);
	}
	return 1;
}

/* H:MM or HH:MM, digits only; returns the characters read or -1. */
static int
parse_hhmm(const char *s, int *min)
{
	int	h = 0, n = 0;

	while (n < 2 && isdigit((unsigned char)s[n]))
		h = h * 10 + (s[n++] - '0');
	if (n == 0 || s[n] != ':' || !isdigit((unsigned char)s[n + 1]) ||
	    !isdigit((unsigned char)s[n + 2]) || h > 23 || s[n + 1] > '5')
		return -1;
	*min = h * 60 + (s[n + 1] - '0') * 10 + (s[n + 2] - '0');
	return n + 3;
}

static int
set_hours(struct parse *p, const char *v, struct config *c)
{
	int	n, k;

	if (*v == '\0') {
		c->quiet_start = c->quiet_end = -1;
		return 1;
	}
	if ((n = parse_hhmm(v, &c->quiet_start)) < 0 || v[n] != '-' ||
	    (k = parse_hhmm(v + n + 1, &c->quiet_end)) < 0 || v[n + 1 + k])
		return fail(p, p->line, "quiet_hours: expected HH:MM-HH:MM or "
		    "nothing, got \"%s\"", v);
	/* The daemon reads start == end as no quiet hours: say it instead. */
	if (c->quiet_start == c->quiet_end)
		return fail(p, p->line, "quiet_hours: \"%s\" starts and ends at "
		    "the same time (empty means none)", v);
	return 1;
}

/* A port: digits only, 0 to 65535 (0: the kernel picks, for tests). */
static int
parse_port(const char *s, int *port)
{
	size_t	n = strlen(s);
	long	v;

	if (n == 0 || n > 5 || strspn(s, "0123456789") != n ||
	    (v = strtol(s, NULL, 10)) > 65535)
		return -1;
	*port = (int)v;
	return 0;
}

/*
 * The address part of listen: numeric, IPv6 in brackets, or localhost;
 * stored in canonical form, so [0::0] is "::" to whoever compares it.
 */
static const char *
listen_host(const char *h, size_t n, char *host, size_t cap)
{
	unsigned char	addr[sizeof(struct in6_addr)];
	char		buf[64];
	int		af = AF_INET;

	if (n >= sizeof(buf))
		return "address too long";
	memcpy(buf, h, n);
	buf[n] = '\0';
	if (n >= 2 && buf[0] == '[' && buf[n - 1] == ']') {
		buf[n - 1] = '\0';
		memmove(buf, buf + 1, n - 1);
		af = AF_INET6;
	} else if (strchr(buf, ':') != NULL)
		return "an IPv6 address goes in brackets, as [::1]:8077";
	else if (strcmp(buf, "localhost") == 0)
		strcpy(buf, "127.0.0.1");
	if (inet_pton(af, buf, addr) != 1)
		return af == AF_INET6 ? "not an IPv6 address between [ ]" :
		    "expected an IP address such as 127.0.0.1, 0.0.0.0 or "
		    "[::1] (not a host name)";
	if (inet_ntop(af, addr, host, (socklen_t)cap) == NULL)
		return "address too long";
	return NULL;
}

/*
 * [admin] listen: ADDRESS:PORT, or a bare PORT on loopback. Parsed here
 * once; admin_start binds what it finds and the staff tool connects to it.
 */
static const char *
parse_listen(const char *v, char *host, size_t cap, int *port)
{
	const char	*colon = strrchr(v, ':');

	if (colon == NULL) {
		if (parse_port(v, port) == -1)
			return "expected ADDRESS:PORT or PORT";
		snprintf(host, cap, "127.0.0.1");
		return NULL;
	}
	if (parse_port(colon + 1, port) == -1)
		return "the port must be a number from 0 to 65535";
	return listen_host(v, (size_t)(colon - v), host, cap);
}

static int
set_listen(struct parse *p, const char *v, struct config *c)
{
	const char	*why;

	if (strlen(v) >= sizeof(c->admin_listen))
		return fail(p, p->line, "%s: value too long", "listen");
	if ((why = parse_listen(v, c->admin_host, sizeof(c->admin_host),
	    &c->admin_port)) != NULL)
		return fail_value(p, "listen", why, v);
	strcpy(c->admin_listen, v);
	return 1;
}

/*
 * [smsc] host: an IP address, or a name of RFC 1123 form (letters,
 * digits, hyphens, dots). Whether the name resolves is only known at
 * connect time, where a failure is logged and retried with back-off.
 */
static const char *
check_host(const char *v)
{
	unsigned char	 addr[sizeof(struct in6_addr)];
	const char	*label = v;
	size_t		 n;

	if (inet_pton(AF_INET, v, addr) == 1 || inet_pton(AF_INET6, v, addr) == 1)
		return NULL;
	if (strchr(v, ':') != NULL)
		return "expected a host name or an IP address (the port goes "
		    "in port =)";
	for (;;) {
		n = strcspn(label, ".");
		if (n == 0 || n > 63 || label[0] == '-' || label[n - 1] == '-' ||
		    strspn(label, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") < n)
			return "expected a host name (letters, digits, hyphens "
			    "and dots) or an IP address";
		if (label[n] == '\0' || label[n + 1] == '\0')
			break;
		label += n + 1;
	}
	/* No top-level domain is all digits: this was meant as an address. */
	if (strspn(label, "0123456789") == n)
		return "not an IPv4 address";
	return NULL;
}

/* msisdn.c's rule: 1 to 3 digits, not starting with 0. */
static const char *
check_country(const char *v)
{
	size_t	n = strlen(v);

	if (n > 3 || strspn(v, "0123456789") != n || v[0] == '0')
		return "expected 1 to 3 digits, not starting with 0 (84)";
	return NULL;
}

/* A USSD service code as phones dial it: *8077# or *123*4#. */
static const char *
check_dial(const char *v)
{
	size_t	n = strlen(v);

	if (n < 3 || (v[0] != '*' && v[0] != '#') || v[n - 1] != '#' ||
	    strspn(v + 1, "0123456789*") != n - 2 ||
	    strpbrk(v, "0123456789") == NULL)
		return "expected a code such as *8077#";
	return NULL;
}

/* code_prefix: case codes are these letters, then digits (casecode.c). */
static const char *
check_letters(const char *v)
{
	if (strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != strlen(v))
		return "expected capital letters A to Z";
	return NULL;
}

/*
 * source_addr: a short code or number (digits, up to 20), or a sender
 * name, which GSM 03.40 limits to 11 characters and outbox.c sends with
 * TON 5; a longer name would have every submit_sm refused.
 */
static const char *
check_sender(const char *v)
{
	size_t	n = strlen(v), i;

	if (strspn(v, "0123456789") == n)
		return NULL;
	for (i = 0; i < n; i++)
		if (v[i] < 0x20 || v[i] > 0x7e)
			return "a sender name must be plain ASCII";
	return n > 11 ? "a sender name has at most 11 characters" : NULL;
}

static const struct {
	enum key_type	 type;
	const char	*(*check)(const char *);
} checkers[] = {
	{ K_HOST, check_host },
	{ K_COUNTRY, check_country },
	{ K_DIAL, check_dial },
	{ K_LETTERS, check_letters },
	{ K_SENDER, check_sender },
};

/* A string that must also pass its type's check. */
static int
set_checked(struct parse *p, const struct key *k, const char *v, char *dst)
{
	const char	*why = NULL;
	size_t		 i;

	for (i = 0; i < sizeof(checkers) / sizeof(checkers[0]); i++)
		if (checkers[i].type == k->type)
			why = checkers[i].check(v);
	if (why != NULL)
		return fail_value(p, k->name, why, v);
	return set_str(p, k, v, dst);
}

/* A key seen before in this section (even with an empty value): refused. */
static int
key_twice(struct parse *p, const struct key *k, const char *section)
{
	size_t	i = (size_t)(k - keys);
	char	what[160];

	if (p->key_line[i] == 0) {
		p->key_line[i] = p->line;
		return 0;
	}
	snprintf(what, sizeof(what), "key \"%s\" in [%.*s]", k->name,
	    (int)strcspn(section, " "), section);
	fail_twice(p, p->line, what, p->key_line[i]);
	return 1;
}

static int
handler(void *arg, const char *section, const char *name, const char *value)
{
	struct parse		*p = arg;
	const struct key	*k;
	char			*base;

	if (p->failed)
		return 1;
	if (p->section[0] == '\x01')
		return fail(p, p->line, "key \"%s\" before any [section]",
		    name), 1;
	if ((k = key_find(section, name)) == NULL) {
		char what[160];
		snprintf(what, sizeof(what), "unknown key \"%s\" in [%s]",
		    name, section);
		return fail(p, p->line, "%s", what), 1;
	}
	/* Should inih ever see another section than the reader (a header it
	 * refuses), no key may be written through the wrong struct. */
	base = strcmp(k->section, "smsc") == 0 ? (char *)p->smsc : (char *)p->c;
	if (base == NULL || strcmp(section, p->section) != 0)
		return fail(p, p->line, "key \"%s\" after a malformed section "
		    "header", name), 1;
	if (key_twice(p, k, section))
		return 1;
	if (p->smsc && strcmp(name, "system_id") == 0)
		p->smsc->seen_system_id = 1;
	if (p->smsc && strcmp(name, "password") == 0)
		p->smsc->seen_password = 1;
	/* The store's folder is checked by the daemon: it names this line. */
	if (strcmp(name, "path") == 0)
		p->c->store_path_line = p->line;
	if (k->type == K_LISTEN)
		p->c->admin_listen_line = p->line;
	if (strcmp(k->section, "admin") == 0 && strncmp(name, "token", 5) == 0)
		p->c->admin_token_line = p->line;
	if (strcmp(k->section, "admin") == 0 &&
	    (k->off == offsetof(struct config, admin_cert) ||
	    k->off == offsetof(struct config, admin_key)))
		p->c->admin_tls_line = p->line;
	/* An empty value means the default (the contract), except for
	 * quiet_hours, where it means none. */
	if (*value == '\0' && k->type != K_HOURS)
		return 1;
	switch (k->type) {
	case K_INT:	set_int(p, k, value, (int *)(base + k->off)); break;
	case K_ENUM:	set_enum(p, k, value, (int *)(base + k->off)); break;
	case K_STR:
	case K_TOKEN:	set_str(p, k, value, base + k->off); break;
	case K_PATH:	set_path(p, k, value, base + k->off); break;
	case K_PREFIXES: set_prefixes(p, value, p->smsc); break;
	case K_HOURS:	set_hours(p, value, p->c); break;
	case K_LISTEN:	set_listen(p, value, p->c); break;
	case K_HOST:
	case K_COUNTRY:
	case K_DIAL:
	case K_LETTERS:
	case K_SENDER:	set_checked(p, k, value, base + k->off); break;
	}
	return 1;
}

/* Checks what only the whole file can tell. */
static int
config_finish(struct parse *p)
{
	struct config	*c = p->c;
	int		 i;

	if (c->nsmsc == 0)
		return fail(p, 1, "no [smsc] section: a carrier link is %s",
		    "required"), -1;
	if (c->admin_token[0] != '\0' && c->admin_token_file[0] != '\0')
		return fail(p, c->admin_token_line, "[admin] token and "
		    "token_file: %s", "set one of them, not both"), -1;
	if ((c->admin_cert[0] == '\0') != (c->admin_key[0] == '\0'))
		return fail(p, c->admin_tls_line, "[admin] cert and key go "
		    "together: %s", "set both for HTTPS, or neither"), -1;
	for (i = 0; i < c->nsmsc; i++) {
		struct config_smsc *s = &c->smsc[i];
		if (!s->seen_system_id || s->system_id[0] == '\0')
			return fail(p, s->line, "missing key %s", "system_id"), -1;
		if (!s->seen_password)
			return fail(p, s->line, "missing key %s", "password"), -1;
	}
	return 0;
}

int
config_parse(const char *file, const char *text, struct config *c,
    char *err, size_t errlen)
{
	struct parse	 p;
	const char	*slash;
	int		 rc;

	config_defaults(c);
	snprintf(c->file, sizeof(c->file), "%s", file);
	if ((slash = strrchr(file, '/')) != NULL)
		snprintf(c->dir, sizeof(c->dir), "%.*s", (int)(slash - file),
		    file);
	else
		strcpy(c->dir, ".");
	if (!strcmp(c->dir, ""))
		strcpy(c->dir, "/");
	/* Defaults that are paths are relative to the file too. */
	snprintf(c->store_path, sizeof(c->store_path), "%.1000s/motcua.db", c->dir);
	snprintf(c->templates, sizeof(c->templates), "%.1000s/templates/vi", c->dir);

	memset(&p, 0, sizeof(p));
	p.c = c;
	p.text = text;
	p.err = err;
	p.errlen = errlen;
	strcpy(p.section, "\x01");	/* no section yet: keys before one fail */
	rc = ini_parse_stream(reader, &p, handler, &p);
	if (rc != 0 && !p.failed)
		fail(&p, rc > 0 ? rc : p.line, "%s", rc > 0 ?
		    "syntax error: expected [section] or key = value" :
		    "cannot parse");
	if (p.failed)
		return -1;
	return config_finish(&p);
}

static ssize_t	read_whole(const char *, char *, size_t, const char **);

/* The token's bytes: printable ASCII, as an Authorization header takes. */
static const char *
token_why(const char *t, size_t n, size_t cap)
{
	size_t	i;

	if (n == 0)
		return "its first line is empty";
	if (n >= cap)
		return "its token is longer than 127 characters";
	for (i = 0; i < n; i++)
		if (t[i] <= 0x20 || t[i] >= 0x7f)
			return "its token has a space or a byte that is not "
			    "printable ASCII";
	return NULL;
}

/* [admin] token_file: the token is the file's first line, without the
 * line end and trailing blanks (an editor's or echo's newline). */
static int
config_token_file(struct config *c, char *err, size_t errlen)
{
	char		 buf[4096 + 1];
	const char	*why;
	ssize_t		 n;
	size_t		 len;

	if ((n = read_whole(c->admin_token_file, buf, sizeof(buf) - 1,
	    &why)) >= 0) {
		buf[n] = '\0';
		len = strcspn(buf, "\r\n");
		while (len > 0 && (buf[len - 1] == ' ' || buf[len - 1] == '\t'))
			len--;
		if ((why = token_why(buf, len, sizeof(c->admin_token))) == NULL) {
			memcpy(c->admin_token, buf, len);
			c->admin_token[len] = '\0';
			return 0;
		}
	}
	snprintf(err, errlen, "%s:%d: token_file: %s: %s", c->file,
	    c->admin_token_line, c->admin_token_file, why);
	return -1;
}

/*
 * Reads file whole and parses it: the daemon and the staff tool both come
 * here, so they refuse the same files with the same file:line messages.
 * Once per process, at start: the buffer is static.
 */
int
config_read(const char *file, struct config *c, char *err, size_t errlen)
{
	static char	 text[CONFIG_FILE_MAX + 1];
	const char	*why;
	ssize_t		 n;

	if ((n = read_whole(file, text, sizeof(text), &why)) == -1) {
		snprintf(err, errlen, "%s:0: %s", file, why);
		return -1;
	}
	text[n] = '\0';
	if (memchr(text, '\0', (size_t)n) != NULL)
		return nul_error(file, text, err, errlen);
	if (config_parse(file, text, c, err, errlen) == -1)
		return -1;
	return c->admin_token_file[0] != '\0' ?
	    config_token_file(c, err, errlen) : 0;
}

/*
 * A regular file's bytes, at most CONFIG_FILE_MAX of them, into buf (cap
 * bytes, more than that); -1 with *why. Opened without waiting: a FIFO
 * with no writer would block open, then read, for ever.
 */
static ssize_t
read_whole(const char *file, char *buf, size_t cap, const char **why)
{
	struct stat	st;
	size_t		n = 0;
	ssize_t		r = 0;
	int		fd;

	if ((fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		*why = strerror(errno);
		return -1;
	}
	*why = NULL;
	if (fstat(fd, &st) == -1)
		*why = strerror(errno);
	else if (S_ISDIR(st.st_mode))
		*why = "is a directory";
	else if (!S_ISREG(st.st_mode))
		*why = "not a regular file (a FIFO, a socket or a device): "
		    "only a file is read";
	while (*why == NULL && n < cap &&
	    (r = read(fd, buf + n, cap - n)) > 0)
		n += (size_t)r;
	if (*why == NULL && r == -1)
		*why = strerror(errno);
	close(fd);
	if (*why == NULL && n > CONFIG_FILE_MAX)
		*why = "larger than 64 KiB";
	return *why != NULL ? -1 : (ssize_t)n;
}

/* config_parse would stop at a NUL byte and miss every key after it. */
static int
nul_error(const char *file, const char *text, char *err, size_t errlen)
{
	const char	*s;
	int		 line = 1;

	for (s = text; *s != '\0'; s++)
		line += *s == '\n';
	snprintf(err, errlen, "%s:%d: a NUL byte: not a text file", file, line);
	return -1;
}

/* 127.0.0.0/8, ::1, or IPv4-mapped 127.x: only this machine connects. */
static int
loopback(const char *host)
{
	unsigned char	a[sizeof(struct in6_addr)];
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	    0xff, 0xff };

	if (inet_pton(AF_INET, host, a) == 1)
		return a[0] == 127;
	if (inet_pton(AF_INET6, host, a) != 1)
		return 0;
	if (memcmp(a, in6addr_loopback.s6_addr, sizeof(a)) == 0)
		return 1;
	return memcmp(a, mapped, sizeof(mapped)) == 0 && a[12] == 127;
}

/*
 * Without [admin] cert and key, listening beyond loopback sends the bearer
 * token, the staff's passwords and every answer in clear. A warning, not a
 * refusal: a LAN behind a TLS proxy on another host is a choice.
 */
int
config_exposed(const struct config *c, char *msg, size_t len)
{
	if (loopback(c->admin_host) || c->admin_cert[0] != '\0')
		return 0;
	snprintf(msg, len, "%s:%d: warning: listen = %s: the admin API is "
	    "reachable from other machines, without TLS: its token and what "
	    "it answers cross the network in clear (set [admin] cert and "
	    "key, or listen on 127.0.0.1 behind a TLS proxy)", c->file, c->admin_listen_line,
	    c->admin_listen);
	return 1;
}

/* 1 if every local user may read path. */
static int
world_readable(const char *path)
{
	struct stat	sb;

	return stat(path, &sb) == 0 && (sb.st_mode & S_IROTH);
}

int
config_secrets_exposed(const struct config *c, char *msg, size_t len)
{
	const char	*f = NULL, *what = NULL;

	if (c->admin_token_file[0] != '\0' &&
	    world_readable(c->admin_token_file)) {
		f = c->admin_token_file;
		what = "the admin token";
	} else if (world_readable(c->file)) {
		f = c->file;
		what = c->admin_token[0] != '\0' &&
		    c->admin_token_file[0] == '\0' ?
		    "the SMSC password and the admin token" :
		    "the SMSC password";
	}
	if (f == NULL)
		return 0;
	snprintf(msg, len, "%s: warning: every user of this machine can read "
	    "it, and it holds %s (chmod o-r %s)", f, what, f);
	return 1;
}

int
config_route(const struct config *c, const char *msisdn)
{
	size_t	best = 0;
	int	i, j, link = 0;

	for (i = 0; i < c->nsmsc; i++) {
		for (j = 0; j < c->smsc[i].nprefixes; j++) {
			size_t n = strlen(c->smsc[i].prefixes[j]);
			if (n > best && strncmp(msisdn, c->smsc[i].prefixes[j],
			    n) == 0) {
				best = n;
				link = i;
			}
		}
	}
	return link;
}

/* Quiet hours may wrap midnight (21:00-07:00); start -1 means none. */
int
config_quiet(const struct config *c, int64_t now_ms)
{
	time_t		t = (time_t)(now_ms / 1000);
	struct tm	tm;
	int		m;

	if (c->quiet_start < 0 || c->quiet_start == c->quiet_end)
		return 0;
	localtime_r(&t, &tm);
	m = tm.tm_hour * 60 + tm.tm_min;
	if (c->quiet_start < c->quiet_end)
		return m >= c->quiet_start && m < c->quiet_end;
	return m >= c->quiet_start || m < c->quiet_end;
}
