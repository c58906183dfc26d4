/*
 * Configuration parsing on top of inih. inih reads lines and splits
 * sections and keys; this file feeds it from memory one line at a time, so
 * it knows the line number of every key (Debian builds inih without
 * INI_HANDLER_LINENO), strips `#` comments after values (inih only knows
 * `;`), and checks every key against one table.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "config.h"

enum key_type { K_STR, K_PATH, K_INT, K_ENUM, K_PREFIXES, K_HOURS, K_TOKEN };

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
	{ "smsc", "host", K_STR, S(host), 0, 0, NULL },
	{ "smsc", "port", K_INT, S(port), 1, 65535, NULL },
	{ "smsc", "system_id", K_STR, S(system_id), 0, 0, NULL },
	{ "smsc", "password", K_STR, S(password), 0, 0, NULL },
	{ "smsc", "system_type", K_STR, S(system_type), 0, 0, NULL },
	{ "smsc", "bind", K_ENUM, S(bind), 0, 0, "transceiver|transmitter+receiver" },
	{ "smsc", "source_addr", K_STR, S(source_addr), 0, 0, NULL },
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
	{ "sms", "charset", K_ENUM, C(charset), 0, 0, "auto|gsm7|ucs2|ascii" },
	{ "sms", "max_segments", K_INT, C(max_segments), 1, 10, NULL },
	{ "sms", "country_code", K_STR, C(country_code), 0, 0, NULL },
	{ "sms", "flood_per_minute", K_INT, C(flood_per_minute), 0, 100000, NULL },
	{ "ussd", "service_code", K_STR, C(ussd_service_code), 0, 0, NULL },
	{ "ussd", "timeout", K_INT, C(ussd_timeout), 5, 3600, NULL },
	{ "admin", "listen", K_STR, C(admin_listen), 0, 0, NULL },
	{ "admin", "token", K_TOKEN, C(admin_token), 0, 0, NULL },
	{ "office", "name", K_STR, C(office_name), 0, 0, NULL },
	{ "office", "code_prefix", K_STR, C(code_prefix), 0, 0, NULL },
	{ "office", "unit_code", K_STR, C(unit_code), 0, 0, NULL },
	{ "office", "templates", K_PATH, C(templates), 0, 0, NULL },
	{ "office", "quiet_hours", K_HOURS, C(quiet_start), 0, 0, NULL },
	{ "office", "broadcast_daily_cap", K_INT, C(broadcast_daily_cap), 0, 1000, NULL },
	{ "office", "remind_after", K_INT, C(remind_after), 0, 365, NULL },
	{ "office", "ask_rating", K_ENUM, C(ask_rating), 0, 0, "no|yes" },
};

struct parse {
	struct config	*c;
	const char	*text;		/* what is left to feed inih */
	int		 line;		/* of the line inih handles now */
	char		 section[64];	/* the last section seen */
	int		 section_line;	/* where its [header] stands */
	struct config_smsc *smsc;	/* when inside [smsc …] */
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
	c->max_segments = 3;
	c->flood_per_minute = 60;
	strcpy(c->country_code, "84");
	strcpy(c->ussd_service_code, "*8077#");
	c->ussd_timeout = 120;
	strcpy(c->admin_listen, "127.0.0.1:8077");
	strcpy(c->office_name, "UBND xã Vĩnh Hòa");
	strcpy(c->code_prefix, "MC");
	strcpy(c->templates, "templates/vi");
	c->quiet_start = 21 * 60;
	c->quiet_end = 7 * 60;
	c->broadcast_daily_cap = 3;
	c->remind_after = 3;
}

static void	section_header(struct parse *, const char *);

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
	int		 i;

	if (section[4] && (section[4] != ' ' || *name == '\0'))
		return fail(p, p->section_line, "unknown section [%s]", section),
		    NULL;
	for (i = 0; i < c->nsmsc; i++)
		if (strcmp(c->smsc[i].name, name) == 0)
			return fail(p, p->section_line, "duplicate section [%s]",
			    section), NULL;
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
	static const char *const plain[] = { "store", "sms", "ussd", "admin",
	    "office" };
	size_t	i;

	snprintf(p->section, sizeof(p->section), "%s", section);
	p->smsc = NULL;
	if (strncmp(section, "smsc", 4) == 0)
		return (p->smsc = smsc_open(p, section)) != NULL;
	for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (strcmp(section, plain[i]) == 0)
			return 1;
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

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
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
		if (s->nprefixes == CONFIG_MAX_PREFIXES)
			return fail(p, p->line, "prefixes: more than %s", "16");
		strcpy(s->prefixes[s->nprefixes++], tok);
	}
	return 1;
}

static int
parse_hhmm(const char *s, int *min)
{
	int	h, m, n;

	if (sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || h > 23 || m > 59 ||
	    h < 0 || m < 0)
		return -1;
	*min = h * 60 + m;
	return n;
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
	if (p->smsc && strcmp(name, "system_id") == 0)
		p->smsc->seen_system_id = 1;
	if (p->smsc && strcmp(name, "password") == 0)
		p->smsc->seen_password = 1;
	/* An empty value means the default, except where a key says so. */
	if (*value == '\0' && k->type != K_HOURS && k->type != K_TOKEN &&
	    k->type != K_PREFIXES && k->type != K_STR)
		return 1;
	switch (k->type) {
	case K_INT:	set_int(p, k, value, (int *)(base + k->off)); break;
	case K_ENUM:	set_enum(p, k, value, (int *)(base + k->off)); break;
	case K_STR:
	case K_TOKEN:	set_str(p, k, value, base + k->off); break;
	case K_PATH:	set_path(p, k, value, base + k->off); break;
	case K_PREFIXES: set_prefixes(p, value, p->smsc); break;
	case K_HOURS:	set_hours(p, value, p->c); break;
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
	for (i = 0; i < c->nsmsc; i++) {
		struct config_smsc *s = &c->smsc[i];
		if (!s->seen_system_id || s->system_id[0] == '\0')
			return fail(p, s->line, "missing key %s", "system_id"), -1;
		if (!s->seen_password)
			return fail(p, s->line, "missing key %s", "password"), -1;
		if (s->source_addr[0] == '\0')
			strcpy(s->source_addr, "8077");
	}
	if (c->code_prefix[0] == '\0' ||
	    strspn(c->code_prefix, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") !=
	    strlen(c->code_prefix))
		return fail(p, 1, "code_prefix must be capital letters, got "
		    "\"%s\"", c->code_prefix), -1;
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
