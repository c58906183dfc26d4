/*
 * motcua: the staff tool. Each command is one request (an import, a few:
 * its rows in chunks, then one to apply them all) to the running
 * motcuad's admin API, over a small blocking
 * HTTP/1.1 client; the address and token come from the daemon's own
 * config file. Answers print as lines for people, or as the API's JSON
 * with --json. Exit status: 0 done, 1 the request failed (an HTTP error,
 * the daemon not running), 2 a usage error.
 */
#include <sys/socket.h>
#include <sys/time.h>

#include <termios.h>

#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include "config.h"
#include "msisdn.h"

#define CONF_LOCAL	"motcua.conf"
#define CONF_SYSTEM	"/etc/motcua/motcua.conf"
#define ANSWER_MAX	(16 * 1024 * 1024)
#define IO_TIMEOUT_S	30
#define CSV_LINE_MAX	4096
#define CSV_GROUPS_MAX	32
#define FOLLOW_TICK_MS	500	/* a followed broadcast: two looks a second */
#define BAR_WIDTH	24

struct command {
	const char	*word, *sub;	/* "case", "add"; sub NULL: one word */
	const char	*args;
	const char	*help;
	int		(*run)(const struct command *, int, char **);
	/* for cmd_call: one request, path with at most one %s operand */
	const char	*method, *path;
	void		(*print)(json_t *);
};

struct answer {
	int	 status;		/* HTTP status; 0: no answer */
	char	*raw;			/* the whole response */
	char	*body;
	size_t	 len;
	json_t	*json;
};

static struct {
	struct config	 cfg;
	const char	*file;
	int		 json;
	char		 host[256];
	char		 port[8];
	char		 actor[64];
} tool;

static int	cmd_case_add(const struct command *, int, char **);
static int	cmd_case_set(const struct command *, int, char **);
static int	cmd_case_list(const struct command *, int, char **);
static int	cmd_case_due(const struct command *, int, char **);
static int	cmd_send(const struct command *, int, char **);
static int	cmd_backup(const struct command *, int, char **);
static int	cmd_contact_add(const struct command *, int, char **);
static int	cmd_contact_import(const struct command *, int, char **);
static int	cmd_case_import(const struct command *, int, char **);
static int	cmd_broadcast_create(const struct command *, int, char **);
static int	cmd_broadcast_show(const struct command *, int, char **);
static int	cmd_report(const struct command *, int, char **);
static int	cmd_user_add(const struct command *, int, char **);

static int	cmd_call(const struct command *, int, char **);
static void	print_held(json_t *);
static void	print_erased(json_t *);
static int	cmd_privacy_export(const struct command *, int, char **);
static void	print_id(json_t *);
static void	print_dropped(json_t *);
static void	print_health(json_t *);
static void	print_case(json_t *);
static void	print_contact(json_t *);
static void	print_group(json_t *);
static void	print_broadcast(json_t *);
static void	print_broadcasts(json_t *);
static void	print_users(json_t *);

/* A command with its own function (the rest are requests for cmd_call). */
#define RUN(fn)	fn, NULL, NULL, NULL

static const struct command commands[] = {
	{ "status", NULL, "", "the daemon's links and queue", cmd_call,
	    "GET", "/health", print_health },
	{ "case", "add", "[--code CODE] [--name NAME] [--due YYYY-MM-DD] "
	    "[--status STATUS] [--notify] PROCEDURE NUMBER",
	    "register a case (with --code: import one)", RUN(cmd_case_add) },
	{ "case", "show", "CODE", "a case and its history", cmd_call,
	    "GET", "/cases/%s", print_case },
	{ "case", "set", "[--note TEXT] [--due YYYY-MM-DD] CODE STATUS",
	    "change a case's status and text the citizen", RUN(cmd_case_set) },
	{ "case", "list", "[--status STATUS] [--kind case|feedback] "
	    "[--limit N]", "the newest cases", RUN(cmd_case_list) },
	{ "case", "import", "[--apply] FILE",
	    "preview the case system's CSV export (--apply: then apply it, "
	    "all or nothing)", RUN(cmd_case_import) },
	{ "case", "due", "[--date YYYY-MM-DD]",
	    "open cases due tomorrow, to chase (nobody is texted)",
	    RUN(cmd_case_due) },
	{ "send", NULL, "NUMBER TEXT... | NUMBER --template NAME "
	    "[--var KEY=VALUE]...", "send one SMS", RUN(cmd_send) },
	{ "contact", "add", "[--name NAME] [--group GROUP]... NUMBER",
	    "add or update a contact (--group replaces its groups)",
	    RUN(cmd_contact_add) },
	{ "contact", "show", "NUMBER", "a contact and its groups",
	    cmd_call, "GET", "/contacts/%s", print_contact },
	{ "contact", "import", "FILE",
	    "add contacts from CSV lines: number,name,group;group",
	    RUN(cmd_contact_import) },
	{ "group", "show", "NAME", "a group's members", cmd_call,
	    "GET", "/groups/%s", print_group },
	{ "broadcast", "create", "(--group NAME | --to NUMBER[,NUMBER]... | "
	    "--cases-status STATUS) (--text TEXT | --template NAME "
	    "[--var KEY=VALUE]...) [--at TIME] [--dry-run] [--follow]",
	    "text many numbers (on a terminal: with a progress bar)",
	    RUN(cmd_broadcast_create) },
	{ "broadcast", "show", "[--follow] ID", "a broadcast's progress "
	    "(--follow: until it is done)", RUN(cmd_broadcast_show) },
	{ "broadcast", "cancel", "ID", "stop what has not gone yet",
	    cmd_call, "POST", "/broadcasts/%s/cancel", print_broadcast },
	{ "broadcast", "list", "", "the broadcasts", cmd_call, "GET",
	    "/broadcasts", print_broadcasts },
	{ "backup", NULL, "FILE", "a checked copy of the live database "
	    "(a new file; the daemon writes it)", RUN(cmd_backup) },
	{ "privacy", "export", "[--csv] NUMBER", "everything held about one "
	    "number: cases, messages, contact, opt-out", RUN(cmd_privacy_export) },
	{ "privacy", "erase", "NUMBER", "erase one number's personal data "
	    "everywhere (the opt-out stays)", cmd_call, "POST",
	    "/privacy/%s/erase", print_erased },
	{ "held", "list", "", "the messages a restore held back (not sent)",
	    cmd_call, "GET", "/messages/held?limit=1000", print_held },
	{ "held", "release", "ID", "send a held message again, as a new one",
	    cmd_call, "POST", "/messages/held/%s/release", print_id },
	{ "held", "drop", "ID|all", "drop a held message (or all), unsent",
	    cmd_call, "POST", "/messages/held/%s/drop", print_dropped },
	{ "report", NULL, "[--from YYYY-MM-DD] [--to YYYY-MM-DD] [--csv]",
	    "the supervision report of a period (--csv: for spreadsheets)",
	    RUN(cmd_report) },
	{ "user", "add", "--role clerk|head|admin NAME", "a staff account for "
	    "the console (the password from the terminal, or a line on stdin)",
	    RUN(cmd_user_add) },
	{ "user", "list", "", "the staff accounts", cmd_call, "GET", "/users",
	    print_users },
};
#define NCOMMANDS	(sizeof(commands) / sizeof(commands[0]))

/* Options every command takes, after its own. */
#define COMMON_OPTS	{ "help", no_argument, NULL, 'h' }, \
			{ "json", no_argument, NULL, 'J' }, \
			{ NULL, 0, NULL, 0 }

static void __attribute__((format(printf, 1, 2)))
warnx_(const char *fmt, ...)
{
	va_list	ap;

	fputs("motcua: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void
usage(FILE *f)
{
	char	name[32];
	size_t	i;

	fprintf(f, "usage: motcua [-c FILE] [--json] COMMAND ...\n"
	    "Talks to the running motcuad through its admin API (address and "
	    "token from\nthe config file: -c FILE, else ./%s, else %s).\n"
	    "Commands:\n", CONF_LOCAL, CONF_SYSTEM);
	for (i = 0; i < NCOMMANDS; i++) {
		snprintf(name, sizeof(name), "%s %s", commands[i].word,
		    commands[i].sub ? commands[i].sub : "");
		fprintf(f, "  %-18s %s\n", name, commands[i].help);
	}
	fprintf(f, "\"motcua COMMAND --help\" shows a command's arguments.\n"
	    "Exit status: 0 done, 1 the request failed, 2 usage error.\n");
}

static void
cmd_usage(FILE *f, const struct command *c)
{
	fprintf(f, "usage: motcua %s%s%s %s\n  %s\n", c->word, c->sub ? " " : "",
	    c->sub ? c->sub : "", c->args, c->help);
}

static void __attribute__((noreturn))
usage_error(const struct command *c, const char *fmt, ...)
{
	va_list	ap;

	fputs("motcua: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	cmd_usage(stderr, c);
	exit(2);
}

/* getopt_long with --help and --json handled; -1 at the first operand. */
static int
next_opt(const struct command *c, int argc, char **argv,
    const struct option *opts)
{
	int	ch;

	for (;;) {
		switch ((ch = getopt_long(argc, argv, "h", opts, NULL))) {
		case 'h':
			cmd_usage(stdout, c);
			exit(0);
		case 'J':
			tool.json = 1;
			break;
		case '?':
		case ':':
			cmd_usage(stderr, c);
			exit(2);
		default:
			return ch;
		}
	}
}

/* The operands after the options: exactly n, else a usage error. */
static char **
operands(const struct command *c, int argc, char **argv, int n)
{
	if (argc - optind != n)
		usage_error(c, "%s%s%s: expected %d argument%s", c->word,
		    c->sub ? " " : "", c->sub ? c->sub : "", n, n == 1 ? "" : "s");
	return argv + optind;
}

/* ---- configuration ---- */

/* The daemon's own reader: the same limits and file:line errors. */
static int
load_config(void)
{
	char		 err[1024];
	const char	*file = tool.file;

	if (file == NULL)
		file = access(CONF_LOCAL, R_OK) == 0 ? CONF_LOCAL : CONF_SYSTEM;
	if (config_read(file, &tool.cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "%s\n", err);
		if (access(file, R_OK) == -1)
			warnx_("give the daemon's config with -c FILE");
		return -1;
	}
	return 0;
}

/*
 * Where to connect: [admin] listen as config.c parsed it; a wildcard the
 * daemon listens on is reached on loopback.
 */
static void
load_target(void)
{
	const char	*host = tool.cfg.admin_host;

	if (strcmp(host, "0.0.0.0") == 0)
		host = "127.0.0.1";
	else if (strcmp(host, "::") == 0)
		host = "::1";
	snprintf(tool.host, sizeof(tool.host), "%s", host);
	snprintf(tool.port, sizeof(tool.port), "%d", tool.cfg.admin_port);
}

/* Reads the config once, when the first request needs it; -1 reported. */
static int
tool_ready(void)
{
	static int	 ready;
	struct passwd	*pw;

	if (ready)
		return 0;
	if (load_config() == -1)
		return -1;
	load_target();
	pw = getpwuid(getuid());
	snprintf(tool.actor, sizeof(tool.actor), "%s",
	    pw && pw->pw_name ? pw->pw_name : "motcua");
	ready = 1;
	return 0;
}

static int
utf8_ok(const char *s)
{
	json_t	*j = json_string(s);

	json_decref(j);
	return j != NULL;
}

/* ---- HTTP ---- */

static int
http_connect(void)
{
	struct addrinfo	 hints, *res, *ai;
	struct timeval	 tv = { IO_TIMEOUT_S, 0 };
	int		 fd = -1, rc, saved = ECONNREFUSED;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(tool.host, tool.port, &hints, &res)) != 0) {
		warnx_("%s: %s", tool.host, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai && fd == -1; ai = ai->ai_next) {
		if ((fd = socket(ai->ai_family, ai->ai_socktype,
		    ai->ai_protocol)) == -1)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
			saved = errno;
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd == -1)
		warnx_("cannot reach motcuad at %s:%s: %s (is it running?)",
		    tool.host, tool.port, strerror(saved));
	return fd;
}

/* One connection to motcuad: a socket, and TLS over it when the daemon's
 * config has [admin] cert (the tool trusts that certificate, and only it:
 * it reads the same file the daemon serves). */
struct http_io {
	int	 fd;
	SSL_CTX	*ctx;
	SSL	*ssl;
};

static void
http_close(struct http_io *io)
{
	SSL_free(io->ssl);
	SSL_CTX_free(io->ctx);
	if (io->fd != -1)
		close(io->fd);
	io->fd = -1;
	io->ssl = NULL;
	io->ctx = NULL;
}

static int
http_tls(struct http_io *io)
{
	const char	*cert = tool.cfg.admin_cert;
	char		 why[256];

	if ((io->ctx = SSL_CTX_new(TLS_client_method())) == NULL ||
	    SSL_CTX_set_min_proto_version(io->ctx, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_load_verify_locations(io->ctx, cert, NULL) != 1) {
		ERR_error_string_n(ERR_get_error(), why, sizeof(why));
		warnx_("%s: cannot use it to check motcuad: %s", cert, why);
		return -1;
	}
	/* The pinned certificate itself is the trust anchor, CA or not. */
	X509_VERIFY_PARAM_set_flags(SSL_CTX_get0_param(io->ctx),
	    X509_V_FLAG_PARTIAL_CHAIN);
	SSL_CTX_set_verify(io->ctx, SSL_VERIFY_PEER, NULL);
	if ((io->ssl = SSL_new(io->ctx)) == NULL ||
	    SSL_set_fd(io->ssl, io->fd) != 1 || SSL_connect(io->ssl) != 1) {
		ERR_error_string_n(ERR_get_error(), why, sizeof(why));
		warnx_("motcuad at %s:%s: TLS failed (is its certificate the "
		    "one in %s?): %s", tool.host, tool.port, cert, why);
		return -1;
	}
	return 0;
}

static int
http_open(struct http_io *io)
{
	io->ssl = NULL;
	io->ctx = NULL;
	if ((io->fd = http_connect()) == -1)
		return -1;
	if (tool.cfg.admin_cert[0] != '\0' && http_tls(io) == -1) {
		http_close(io);
		return -1;
	}
	return 0;
}

/* Bytes to motcuad; SSL_write, without partial writes, sends all or fails. */
static ssize_t
http_io_send(struct http_io *io, const char *p, size_t n)
{
	int	chunk = n > 65536 ? 65536 : (int)n;

	if (io->ssl == NULL)
		return send(io->fd, p, n, MSG_NOSIGNAL);
	if (SSL_write(io->ssl, p, chunk) == chunk)
		return chunk;
	errno = EPROTO;
	return -1;
}

static int
http_write(struct http_io *io, const char *p, size_t n)
{
	ssize_t	w;

	while (n > 0) {
		if ((w = http_io_send(io, p, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Bytes from motcuad: 0 once it is done (EOF, or TLS close_notify). */
static ssize_t
http_recv(struct http_io *io, char *buf, size_t n)
{
	int	r;

	if (io->ssl == NULL)
		return recv(io->fd, buf, n, 0);
	if ((r = SSL_read(io->ssl, buf, n > INT32_MAX ? INT32_MAX :
	    (int)n)) > 0)
		return r;
	switch (SSL_get_error(io->ssl, r)) {
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	case SSL_ERROR_SYSCALL:		/* EOF without close_notify */
		return errno == 0 || errno == ECONNRESET ? 0 : -1;
	default:
		errno = EPROTO;
		return -1;
	}
}

/* Reads until the daemon closes; the bytes in *out (caller frees). */
static ssize_t
http_read(struct http_io *io, char **out)
{
	size_t	 len = 0, cap = 0;
	ssize_t	 r;
	char	*buf = NULL, *p;

	for (;;) {
		if (cap - len < 4096) {
			if (cap >= ANSWER_MAX || (p = realloc(buf,
			    cap ? cap * 2 : 8192)) == NULL)
				break;
			buf = p;
			cap = cap ? cap * 2 : 8192;
		}
		errno = 0;
		if ((r = http_recv(io, buf + len, cap - len - 1)) == 0) {
			buf[len] = '\0';
			*out = buf;
			return (ssize_t)len;
		}
		if (r == -1 && errno != EINTR)
			break;
		len += r > 0 ? (size_t)r : 0;
	}
	free(buf);
	return -1;
}

/* Splits a response into status and body; -1 when it is not HTTP. */
static int
http_parse(char *raw, size_t len, struct answer *a)
{
	char		*eoh = strstr(raw, "\r\n\r\n"), *cl;
	unsigned long	 n;

	if (len < 12 || strncmp(raw, "HTTP/1.", 7) != 0 || eoh == NULL)
		return -1;
	a->status = atoi(raw + 9);
	a->body = eoh + 4;
	a->len = len - (size_t)(a->body - raw);
	*eoh = '\0';
	for (cl = raw; (cl = strchr(cl, '\n')) != NULL; cl++)
		if (strncasecmp(cl + 1, "Content-Length:", 15) == 0 &&
		    (n = strtoul(cl + 16, NULL, 10)) < a->len)
			a->len = n;
	a->body[a->len] = '\0';
	a->json = json_loadb(a->body, a->len, 0, NULL);
	return a->status >= 100 ? 0 : -1;
}

static void
answer_free(struct answer *a)
{
	json_decref(a->json);
	free(a->raw);
	memset(a, 0, sizeof(*a));
}

/* One request with a body of this type; -1 when the daemon gave no
 * answer (reported), else 0. */
static int
http_send(const char *method, const char *path, const char *type,
    const char *data, size_t len, struct answer *a)
{
	char	*head = NULL;
	ssize_t	 n;
	int	 rc = -1, hn;
	struct http_io io = { -1, NULL, NULL };

	memset(a, 0, sizeof(a[0]));
	if (tool_ready() == -1 || http_open(&io) == -1)
		goto done;
	hn = asprintf(&head, "%s %s HTTP/1.1\r\nHost: %s%s%s:%s\r\n"
	    "%s%s%sX-Actor: %s\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n\r\n", method, path,
	    strchr(tool.host, ':') ? "[" : "", tool.host,
	    strchr(tool.host, ':') ? "]" : "", tool.port,
	    tool.cfg.admin_token[0] ? "Authorization: Bearer " : "",
	    tool.cfg.admin_token, tool.cfg.admin_token[0] ? "\r\n" : "",
	    tool.actor, type, data ? len : 0);
	if (hn == -1 || http_write(&io, head, (size_t)hn) == -1 ||
	    (data && http_write(&io, data, len) == -1) ||
	    (n = http_read(&io, &a->raw)) == -1) {
		warnx_("motcuad at %s:%s: %s", tool.host, tool.port,
		    errno == EAGAIN || errno == EWOULDBLOCK ? "no answer in time" :
		    strerror(errno));
		goto done;
	}
	if ((rc = http_parse(a->raw, (size_t)n, a)) == -1)
		warnx_("motcuad at %s:%s: not an HTTP answer", tool.host,
		    tool.port);
done:
	http_close(&io);
	free(head);
	return rc;
}

/* One request with a JSON body (or none); as http_send. */
static int
http_call(const char *method, const char *path, json_t *body,
    struct answer *a)
{
	char	*text = body ? json_dumps(body, JSON_COMPACT) : NULL;
	int	 rc;

	rc = http_send(method, path, "application/json", text,
	    text ? strlen(text) : 0, a);
	free(text);
	return rc;
}

/* The error an answer carries, for people. */
static const char *
answer_error(const struct answer *a)
{
	json_t	*e = json_object_get(a->json, "error");

	return json_is_string(e) ? json_string_value(e) : "request failed";
}

/*
 * A request whose failure ends the command: its JSON answer (the caller
 * decrefs), or exit 1 after printing why. Prints the JSON with --json.
 */
static json_t *
api(const char *method, const char *path, json_t *body)
{
	struct answer	 a;
	json_t		*j;

	if (http_call(method, path, body, &a) == -1) {
		json_decref(body);
		exit(1);
	}
	json_decref(body);
	if (tool.json)
		printf("%s%s", a.body, a.len && a.body[a.len - 1] == '\n' ?
		    "" : "\n");
	if (a.status < 200 || a.status > 299) {
		warnx_("%s (HTTP %d)", answer_error(&a), a.status);
		answer_free(&a);
		exit(1);
	}
	if ((j = json_incref(a.json)) == NULL) {
		warnx_("motcuad answered HTTP %d without JSON", a.status);
		answer_free(&a);
		exit(1);
	}
	answer_free(&a);
	return j;
}

/* A path with one percent-encoded segment: fmt holds one %s. */
static char *
path_with(const char *fmt, const char *arg)
{
	static const char hex[] = "0123456789ABCDEF";
	char		 enc[1024], *out;
	size_t		 n = 0;
	const unsigned char *p;

	for (p = (const unsigned char *)arg; *p && n + 4 < sizeof(enc); p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~", *p))
			enc[n++] = (char)*p;
		else {
			enc[n++] = '%';
			enc[n++] = hex[*p >> 4];
			enc[n++] = hex[*p & 15];
		}
	}
	enc[n] = '\0';
	if (asprintf(&out, fmt, enc) == -1)
		exit(1);
	return out;
}

/* ---- printing ---- */

static const char *
js(json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	if (json_is_string(v) && json_string_length(v) > 0)
		return json_string_value(v);
	return "-";
}

static long long
ji(json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

/* Ends a command: 0, and the JSON released; nothing printed with --json. */
static int
shown(json_t *j, void (*print)(json_t *))
{
	if (!tool.json)
		print(j);
	json_decref(j);
	return 0;
}

static void
print_held(json_t *j)
{
	json_t	*m;
	size_t	 i;

	json_array_foreach(json_object_get(j, "messages"), i, m)
		printf("%lld  %s  %s  %s\n", ji(m, "id"), js(m, "created_at"),
		    js(m, "to"), js(m, "text"));
	if (!json_is_null(json_object_get(j, "next")))
		printf("(more: the first 1000 shown)\n");
}

static void
print_id(json_t *j)
{
	printf("queued again as message %lld\n", ji(j, "id"));
}

static void
print_dropped(json_t *j)
{
	printf("%lld held message(s) dropped\n", ji(j, "dropped"));
}

static void
print_health(json_t *j)
{
	json_t	*l;
	size_t	 i;

	printf("motcuad: %s\nqueue: %lld\n", js(j, "status"), ji(j, "queue"));
	json_array_foreach(json_object_get(j, "links"), i, l)
		printf("link %s: %s\n", js(l, "name"), js(l, "state"));
}

static void
print_case(json_t *c)
{
	json_t	*h;
	size_t	 i;

	printf("%s  %s  %s (%s)\n", js(c, "code"), js(c, "procedure"),
	    js(c, "status"), js(c, "timeliness"));
	printf("  number    %s\n  name      %s\n  channel   %s\n"
	    "  received  %s\n  due       %s\n  finished  %s\n",
	    js(c, "msisdn"), js(c, "name"), js(c, "channel"),
	    js(c, "received_at"), js(c, "due"), js(c, "finished_at"));
	if (strcmp(js(c, "request"), "-") != 0)
		printf("  request   %s\n", js(c, "request"));
	json_array_foreach(json_object_get(c, "history"), i, h)
		printf("  %s  %-10s  %s%s%s\n", js(h, "at"), js(h, "status"),
		    js(h, "actor"), strcmp(js(h, "note"), "-") ? "  " : "",
		    strcmp(js(h, "note"), "-") ? js(h, "note") : "");
}

/* A list of cases: GET /cases/due's array, or GET /cases's page. */
static void
print_case_lines(json_t *a)
{
	json_t	*c;
	size_t	 i;

	if (json_is_object(a))
		a = json_object_get(a, "cases");

	json_array_foreach(a, i, c)
		printf("%-14s %-4s %-10s due %-10s %-8s %-12s %s\n",
		    js(c, "code"), js(c, "procedure"), js(c, "status"),
		    js(c, "due"), js(c, "timeliness"), js(c, "msisdn"),
		    js(c, "name"));
	if (json_array_size(a) == 0)
		printf("no cases\n");
}

static void
print_contact(json_t *c)
{
	json_t	*g;
	size_t	 i;

	printf("%s  %s%s\n  groups:", js(c, "msisdn"), js(c, "name"),
	    json_is_true(json_object_get(c, "opted_out")) ? "  (opted out)" :
	    "");
	json_array_foreach(json_object_get(c, "groups"), i, g)
		printf("%s %s", i ? "," : "", json_string_value(g));
	printf("%s\n", json_array_size(json_object_get(c, "groups")) ? "" :
	    " -");
}

static void
print_group(json_t *j)
{
	json_t	*m, *members = json_object_get(j, "members");
	size_t	 i;

	printf("%s: %zu member%s\n", js(j, "name"), json_array_size(members),
	    json_array_size(members) == 1 ? "" : "s");
	json_array_foreach(members, i, m)
		printf("  %-12s %s%s\n", js(m, "msisdn"), js(m, "name"),
		    json_is_true(json_object_get(m, "opted_out")) ?
		    "  (opted out)" : "");
}

static void
print_broadcast(json_t *b)
{
	if (strcmp(js(b, "state"), "dry_run") == 0) {
		printf("dry run: %lld recipient(s) after opt-outs and duplicates "
		    "(%lld targeted, %lld skipped), %lld SMS part(s) each, %lld "
		    "in all\n  sample to %s: %s\n", ji(b, "recipients"),
		    ji(b, "total"), ji(b, "skipped"), ji(b, "parts"),
		    ji(b, "total_parts"), js(b, "sample_to"), js(b, "sample"));
		return;
	}
	printf("broadcast %lld: %s  total %lld, queued %lld, sent %lld, "
	    "delivered %lld, failed %lld, skipped %lld\n", ji(b, "id"),
	    js(b, "state"), ji(b, "total"), ji(b, "queued"), ji(b, "sent"),
	    ji(b, "delivered"), ji(b, "failed"), ji(b, "skipped"));
}

static void
print_broadcasts(json_t *a)
{
	json_t	*b;
	size_t	 i;

	json_array_foreach(a, i, b)
		print_broadcast(b);
	if (json_array_size(a) == 0)
		printf("no broadcasts\n");
}

static void
print_counts(const char *title, json_t *o)
{
	const char	*k;
	json_t		*v;

	int		 n = 0;

	printf("%s:", title);
	json_object_foreach(o, k, v)
		if (json_integer_value(v) != 0 && ++n)
			printf(" %s %lld", k, (long long)json_integer_value(v));
	printf("%s\n", n ? "" : " -");
}

static long long
jsub(json_t *o, const char *section, const char *key)
{
	return ji(json_object_get(o, section), key);
}

/* What happened in the period (gateway/office/report.c says how it counts). */
static void
print_report_more(json_t *r)
{
	json_t	*k = json_object_get(r, "sent_by_kind"), *avg;
	char	 score[2];
	int	 i;

	printf("resolved in the period: %lld (early %lld, on time %lld, "
	    "late %lld)\n", jsub(r, "resolved", "total"),
	    jsub(r, "resolved", "early"), jsub(r, "resolved", "on_time"),
	    jsub(r, "resolved", "late"));
	printf("open at the end: %lld (within %lld, overdue %lld)\n",
	    jsub(r, "open", "total"), jsub(r, "open", "within"),
	    jsub(r, "open", "overdue"));
	printf("SMS: %lld received, %lld sent, %lld delivered, %lld failed\n",
	    jsub(r, "messages", "received"), jsub(r, "messages", "sent"),
	    jsub(r, "messages", "delivered"), jsub(r, "messages", "failed"));
	print_counts("sent by kind", k);
	printf("opt-outs: %lld in the period, %lld in all\n",
	    jsub(r, "optouts", "in_period"), jsub(r, "optouts", "total"));
	avg = json_object_get(json_object_get(r, "ratings"), "average");
	printf("ratings: %lld (asked %lld), average ", jsub(r, "ratings",
	    "count"), jsub(r, "ratings", "asked"));
	if (json_is_number(avg))
		printf("%.2f\n", json_number_value(avg));
	else
		printf("-\n");
	printf("ratings by score:");
	for (i = 1; i <= 5; i++) {
		score[0] = (char)('0' + i);
		score[1] = '\0';
		printf(" %s: %lld", score, jsub(r, "ratings", score));
	}
	printf("\n");
	printf("reminders sent: %lld\n", jsub(r, "reminders", "sent"));
}

static void
print_report(json_t *r)
{
	printf("cases received %s to %s: %lld (feedback: %lld)\n",
	    js(r, "from"), js(r, "to"), ji(r, "total"), ji(r, "feedback"));
	print_counts("by status", json_object_get(r, "by_status"));
	print_counts("by timeliness", json_object_get(r, "by_timeliness"));
	print_counts("by channel", json_object_get(r, "by_channel"));
	print_counts("by procedure", json_object_get(r, "by_procedure"));
	print_report_more(r);
}

/* ---- the report as CSV: one "section,key,value" row per figure ---- */

/* A CSV field, quoted when it holds a comma, a quote or a line break. */
static void
csv_cell(const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

static void
csv_row(const char *section, const char *key, json_t *v)
{
	csv_cell(section);
	putchar(',');
	csv_cell(key);
	putchar(',');
	if (json_is_integer(v))
		printf("%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		printf("%.2f", json_real_value(v));
	else if (json_is_string(v))
		csv_cell(json_string_value(v));
	putchar('\n');
}

/* The report's objects, in this order, under these section names. */
static void
print_report_csv(json_t *r)
{
	static const struct {
		const char	*section, *key;
	} map[] = {
		{ "channel", "by_channel" }, { "status", "by_status" },
		{ "received_timeliness", "by_timeliness" },
		{ "procedure", "by_procedure" }, { "resolved", "resolved" },
		{ "open", "open" }, { "messages", "messages" },
		{ "sent_by_kind", "sent_by_kind" }, { "optouts", "optouts" },
		{ "ratings", "ratings" }, { "reminders", "reminders" },
	};
	const char	*k;
	json_t		*v;
	size_t		 i;

	printf("section,key,value\n");
	csv_row("period", "from", json_object_get(r, "from"));
	csv_row("period", "to", json_object_get(r, "to"));
	csv_row("received", "total", json_object_get(r, "total"));
	csv_row("received", "feedback", json_object_get(r, "feedback"));
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		json_object_foreach(json_object_get(r, map[i].key), k, v)
			csv_row(map[i].section, k, v);
}

/* ---- commands ---- */

/* GET a path that takes no operand, and print it. */
/*
 * The commands that are one request and its answer, from the table: the
 * path takes the one operand when it has a %s, none otherwise.
 */
static int
cmd_call(const struct command *c, int argc, char **argv)
{
	static const struct option opts[] = { COMMON_OPTS };
	const char	*arg = "";
	char		*path;
	json_t		*j;

	next_opt(c, argc, argv, opts);
	if (strstr(c->path, "%s") != NULL)
		arg = operands(c, argc, argv, 1)[0];
	else
		operands(c, argc, argv, 0);
	path = path_with(c->path, arg);
	j = api(c->method, path, NULL);
	free(path);
	return shown(j, c->print);
}

static void
set_str(json_t *o, const char *key, const char *val)
{
	json_t	*s;

	if (val == NULL)
		return;
	if ((s = json_string(val)) == NULL) {
		warnx_("%s: not valid UTF-8", key);
		exit(2);
	}
	json_object_set_new(o, key, s);
}

static int
cmd_case_add(const struct command *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "code", required_argument, NULL, 'c' },
		{ "name", required_argument, NULL, 'n' },
		{ "due", required_argument, NULL, 'd' },
		{ "status", required_argument, NULL, 's' },
		{ "notify", no_argument, NULL, 'N' },
		COMMON_OPTS
	};
	json_t	*body = json_object();
	char	**ops;
	int	 ch;

	while ((ch = next_opt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'c': set_str(body, "code", optarg); break;
		case 'n': set_str(body, "name", optarg); break;
		case 'd': set_str(body, "due", optarg); break;
		case 's': set_str(body, "status", optarg); break;
		case 'N': json_object_set_new(body, "notify", json_true()); break;
		}
	}
	ops = operands(c, argc, argv, 2);
	set_str(body, "procedure", ops[0]);
	set_str(body, "msisdn", ops[1]);
	return shown(api("POST", "/cases", body), print_case);
}

/* GET one object named by the command's one operand, and print it. */
static int
cmd_case_set(const struct command *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "note", required_argument, NULL, 'n' },
		{ "due", required_argument, NULL, 'd' },
		COMMON_OPTS
	};
	json_t	*body = json_object(), *j;
	char	**ops, *path;
	int	 ch;

	while ((ch = next_opt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 'n': set_str(body, "note", optarg); break;
		case 'd': set_str(body, "due", optarg); break;
		}
	}
	ops = operands(c, argc, argv, 2);
	set_str(body, "status", ops[1]);
	path = path_with("/cases/%s", ops[0]);
	j = api("PATCH", path, body);
	free(path);
	return shown(j, print_case);
}

/* Appends "&key=value" (value encoded) to a query being built. */
static void
query_add(char *q, size_t cap, const char *key, const char *val)
{
	char	*enc = path_with("%s", val);
	size_t	 n = strlen(q);

	snprintf(q + n, cap - n, "%c%s=%s", n ? '&' : '?', key, enc);
	free(enc);
}

static int
cmd_case_list(const struct command *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "status", required_argument, NULL, 's' },
		{ "kind", required_argument, NULL, 'k' },
		{ "limit", required_argument, NULL, 'l' },
		COMMON_OPTS
	};
	char	q[512] = "", path[600];
	int	ch;

	while ((ch = next_opt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 's': query_add(q, sizeof(q), "status", optarg); break;
		case 'k': query_add(q, sizeof(q), "kind", optarg); break;
		case 'l': query_add(q, sizeof(q), "limit", optarg); break;
		}
	}
	operands(c, argc, argv, 0);
	snprintf(path, sizeof(path), "/cases%s", q);
	return shown(api("GET", path, NULL), print_case_lines);
}

static int
cmd_case_due(const struct command *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, 'd' },
		COMMON_OPTS
	};
	char	q[128] = "", path[160];
	int	ch;

	while ((ch = next_opt(c, argc, argv, opts)) != -1)
		query_add(q, sizeof(q), "date", optarg);
	operands(c, argc, argv, 0);
	snprintf(path, sizeof(path), "/cases/due%s", q);
	return shown(api("GET", path, NULL), print_case_lines);
}

/* --var KEY=VALUE into vars. */
static void
add_var(const struct command *c, json_t *vars, const char *kv)
{
	const char	*eq = strchr(kv, '=');
	char		 key[64];

	if (eq == NULL || eq == kv || (size_t)(eq - kv) >= sizeof(key))
		usage_error(c, "--var %s: expected KEY=VALUE", kv);
	snprintf(key, sizeof(key), "%.*s", (int)(eq - kv), kv);
	set_str(vars, key, eq + 1);
}

/* The words left, joined by spaces: a text typed without quotes. */
static char *
join_words(int argc, char **argv)
{
	size_t	 n = 0;
	char	*out;
	int	 i;

	for (i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	if ((out = calloc(1, n + 1)) == NULL)
		exit(1);
	for (i = 0; i < argc; i++) {
		if (i)
			strcat(out, " ");
		strcat(out, argv[i]);
	}
	return out;
}

static void
print_sent(json_t *j)
{
	printf("queued message %lld to %s\n", ji(j, "id"), js(j, "to"));
}

static int
cmd_send(const struct command *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "template", required_argument, NULL, 't' },
		{ "var", required_argument, NULL, 'v' },
		COMMON_OPTS
	};
	json_t	*body = json_object(), *vars = json_object();
	char	*text;
	int	 ch, tpl = 0;

	while ((ch = next_opt(c, argc, argv, opts)) != -1) {
		if (ch == 't') {
			set_str(body, "template", optarg);
			tpl = 1;
		} else if (ch == 'v')
			add_var(c, vars, optarg);
	}
	if (argc - optind < 1 || (tpl && argc - optind != 1) ||
	    (!tpl && argc - optind < 2) || (!tpl && json_object_size(vars)))
		usage_error(c, "send: a number and a text, or a number and "
		    "--template");
	set_str(body, "to", argv[optind]);
	if (tpl)
		json_object_set(body, "vars", vars);
	else {
		text = join_words(argc - optind - 1, argv + optind + 1);
		set_str(body, "text", text);
		free(text);
	}
	json_decref(vars);
	return shown(api("POST", "/messages", body), print_sent);
}

static void
add_group(json_t *groups, const char *name)
{
	json_t	*s = json_string(name);

	if (s == NULL) {
		warnx_("group %s: not valid UTF-8", name);
		exit(2);
	}
	json_array_append_new(groups, s);
}

static int
cmd_contact_add(const struct command *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "group", required_argument, NULL, 'g' },
		COMMON_OPTS
	};
	json_t	*body = json_object(), *groups = NULL;
	int	 ch;

	while ((ch = next_opt(c, argc, argv, opts)) != -1) {
		if (ch == 'n')
			set_str(body, "name", optarg);
		else if (ch == 'g') {
			if (groups == NULL)
				groups = json_array();
			add_group(groups, optarg);
		}
	}
	set_str(body, "msisdn", operands(c, argc, argv, 1)[0]);
	if (groups)
		json_object_set_new(body, "groups", groups);
	return shown(api("POST", "/contacts", body), print_contact);
}

/* ---- CSV import ---- */

static char *
trim(char *s)
{
	char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
	    e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/*
 * Splits one CSV line in place (RFC 4180 quotes, "" inside quotes);
 * the number of fields, or -1 when a quote is not closed or there are
 * more than max fields.
 */
static int
csv_split(char *line, char **f, int max)
{
	char	*r = line, *w;
	int	 n = 0;

	for (;;) {
		if (n == max)
			return -1;
		while (*r == ' ' || *r == '\t')
			r++;
		f[n++] = w = r;
		if (*r == '"') {
			for (r++;; r++) {
				if (*r == '\0')
					return -1;
				if (*r == '"' && r[1] != '"')
					break;
				*w++ = *r == '"' ? *r++ : *r;
			}
			r++;
			while (*r == ' ' || *r == '\t')
				r++;
			if (*r != ',' && *r != '\0')
				return -1;
		} else {
			while (*r && *r != ',')
				*w++ = *r++;
		}
		if (*r == '\0') {
			*w = '\0';
			f[n - 1] = trim(f[n - 1]);
			return n;
		}
		r++;
		*w = '\0';
		f[n - 1] = trim(f[n - 1]);
	}
}

/* "group;group" into a JSON array; NULL when a name is not UTF-8. */
static json_t *
csv_groups(char *s)
{
	json_t	*a = json_array(), *g;
	char	*tok, *save = NULL;

	for (tok = strtok_r(s, ";", &save); tok; tok = strtok_r(NULL, ";",
	    &save)) {
		if (*(tok = trim(tok)) == '\0')
			continue;
		if ((g = json_string(tok)) == NULL) {
			json_decref(a);
			return NULL;
		}
		json_array_append_new(a, g);
	}
	return a;
}

/*
 * An import goes to POST /contacts/import a chunk of rows at a time and
 * is applied only at the end, in one transaction, and only when no line
 * was refused (here or by the daemon): all or nothing.
 */
#define IMPORT_CHUNK_BYTES	(32 * 1024)	/* under the API's body limit */

struct import {
	const char	*file;
	int		 line, bad, header_done, down;
	long long	 id;		/* the daemon's import; 0 before */
	json_t		*rows;		/* the chunk being filled */
	size_t		 bytes;
	json_t		*errors;
};

static void
import_report(struct import *im, long long line, const char *msg)
{
	fprintf(stderr, "%s:%lld: %s\n", im->file, line, msg);
	json_array_append_new(im->errors, json_pack("{s:I, s:s}", "line",
	    (json_int_t)line, "error", utf8_ok(msg) ? msg : "not UTF-8"));
	im->bad++;
}

static void __attribute__((format(printf, 2, 3)))
import_error(struct import *im, const char *fmt, ...)
{
	char	msg[512];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	import_report(im, im->line, msg);
}

/* The row for one CSV line; NULL after reporting why it is refused. */
static json_t *
import_body(struct import *im, char *line)
{
	char		*f[3] = { NULL, NULL, NULL }, num[MSISDN_MAX];
	const char	*errstr = "not a phone number";
	json_t		*body, *groups;
	int		 n;

	if ((n = csv_split(line, f, 3)) == -1) {
		import_error(im, "expected number,name,groups (quote a name "
		    "with commas)");
		return NULL;
	}
	if (msisdn_normalize(f[0], tool.cfg.country_code, num, sizeof(num),
	    &errstr) == -1) {
		import_error(im, "%s: %s", f[0], errstr);
		return NULL;
	}
	if ((groups = csv_groups(n > 2 ? f[2] : (char *)"")) == NULL ||
	    (n > 1 && !utf8_ok(f[1]))) {
		json_decref(groups);
		import_error(im, "not UTF-8 text (save the file as CSV UTF-8)");
		return NULL;
	}
	body = json_pack("{s:i, s:s, s:o}", "row", im->line, "msisdn", num,
	    "groups", groups);
	if (n > 1 && f[1][0])
		json_object_set_new(body, "name", json_string(f[1]));
	return body;
}

/* A first line whose first field has no digit is a header. */
static int
import_is_header(struct import *im, const char *line)
{
	if (im->header_done++)
		return 0;
	return strcspn(line, "0123456789") >= strcspn(line, ",");
}

/*
 * One request about the import (body's "import" added once known): its
 * JSON answer, or NULL after saying why (im->down when unreachable).
 */
static json_t *
import_call(struct import *im, json_t *body)
{
	struct answer	 a;
	json_t		*j = NULL;

	if (im->id)
		json_object_set_new(body, "import", json_integer(im->id));
	if (http_call("POST", "/contacts/import", body, &a) == -1)
		im->down = 1;
	else if (a.status != 200 || a.json == NULL)
		warnx_("%s: %s (HTTP %d)", im->file, answer_error(&a), a.status);
	else
		j = json_incref(a.json);
	json_decref(body);
	answer_free(&a);
	return j;
}

/* Sends the rows read so far; -1 when the import cannot go on. */
static int
import_send(struct import *im)
{
	json_t	*j, *e;
	size_t	 i;

	if ((j = import_call(im, json_pack("{s:o}", "rows", im->rows))) == NULL)
		return -1;
	im->rows = json_array();
	im->bytes = 0;
	im->id = ji(j, "import");
	json_array_foreach(json_object_get(j, "errors"), i, e)
		import_report(im, ji(e, "row"), js(e, "error"));
	json_decref(j);
	return 0;
}

/* One line; -1 when the import cannot go on. */
static int
import_line(struct import *im, char *line)
{
	json_t	*row;
	char	*text;

	if (im->line == 1 && strncmp(line, "\xEF\xBB\xBF", 3) == 0)
		memmove(line, line + 3, strlen(line + 3) + 1);
	if (*(line = trim(line)) == '\0' || import_is_header(im, line))
		return 0;
	if ((row = import_body(im, line)) == NULL)
		return 0;
	if ((text = json_dumps(row, JSON_COMPACT)) != NULL)
		im->bytes += strlen(text) + 1;
	free(text);
	json_array_append_new(im->rows, row);
	return im->bytes < IMPORT_CHUNK_BYTES ? 0 : import_send(im);
}

/* Reads the file into the import; -1 when it cannot go on. */
static int
import_read(struct import *im, FILE *f)
{
	char	line[CSV_LINE_MAX];

	while (fgets(line, sizeof(line), f) != NULL) {
		im->line++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			import_error(im, "line longer than %d bytes",
			    CSV_LINE_MAX - 2);
			while (fgets(line, sizeof(line), f) &&
			    strchr(line, '\n') == NULL)
				;
			continue;
		}
		if (import_line(im, line) == -1)
			return -1;
	}
	return import_send(im);
}

/* Applies the import, or forgets it when a line was refused. */
static json_t *
import_finish(struct import *im)
{
	json_t	*body = json_object();

	json_object_set_new(body, im->bad ? "discard" : "commit",
	    json_true());
	return import_call(im, body);
}

static void
import_print(struct import *im, json_t *done)
{
	json_t	*j;
	char	*text;

	if (tool.json) {
		j = json_pack("{s:I, s:I, s:I, s:I, s:i, s:O}", "imported",
		    (json_int_t)(done ? ji(done, "rows") : 0), "new",
		    (json_int_t)(done ? ji(done, "new") : 0), "updated",
		    (json_int_t)(done ? ji(done, "updated") : 0), "unchanged",
		    (json_int_t)(done ? ji(done, "unchanged") : 0), "failed",
		    im->bad, "errors", im->errors);
		text = json_dumps(j, JSON_COMPACT);
		printf("%s\n", text);
		free(text);
		json_decref(j);
	} else if (done)
		printf("%s: %lld contact%s imported (%lld new, %lld updated, "
		    "%lld unchanged)\n", im->file, ji(done, "rows"),
		    ji(done, "rows") == 1 ? "" : "s", ji(done, "new"),
		    ji(done, "updated"), ji(done, "unchanged"));
	else
		printf("%s: nothing imported, %d line%s with errors%s\n",
		    im->file, im->bad, im->bad == 1 ? "" : "s", im->down ?
		    " (stopped: daemon unreachable)" : "");
}

static int
cmd_contact_import(const struct command *c, int argc, char **argv)
{
	static const struct option opts[] = { COMMON_OPTS };
	struct import	 im;
	json_t		*done = NULL;
	FILE		*f;

	memset(&im, 0, sizeof(im));
	next_opt(c, argc, argv, opts);
	im.file = operands(c, argc, argv, 1)[0];
	if (tool_ready() == -1)
		return 1;
	if ((f = fopen(im.file, "r")) == NULL) {
		warnx_("%s: %s", im.file, strerror(errno));
		return 1;
	}
	im.errors = json_array();
	im.rows = json_array();
	if (import_read(&im, f) == 0 && (done = import_finish(&im)) != NULL &&
	    im.bad) {
		json_decref(done);
		done = NULL;
	}
	fclose(f);
	import_print(&im, done);
	json_decref(done);
	json_decref(im.rows);
	json_decref(im.errors);
	return done ? 0 : 1;
}

/* ---- case imports ---- */

#define CASE_IMPORT_MAX	(16 * 1024 * 1024)	/* what the daemon takes */

/* The whole file, at most CASE_IMPORT_MAX bytes; NULL (reported). */
static char *
read_whole(const char *file, size_t *len)
{
	FILE	*f;
	char	*buf;
	size_t	 n;

	if ((f = fopen(file, "rb")) == NULL) {
		warnx_("%s: %s", file, strerror(errno));
		return NULL;
	}
	if ((buf = malloc(CASE_IMPORT_MAX + 1)) == NULL) {
		warnx_("out of memory");
		exit(1);
	}
	n = fread(buf, 1, CASE_IMPORT_MAX + 1, f);
	fclose(f);
	if (n > CASE_IMPORT_MAX) {
		warnx_("%s: larger than 16 MiB: split it", file);
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/* The preview for people: the counts, and each problem as FILE:ROW. */
static void
print_import(const char *file, json_t *j)
{
	json_t	*e;
	size_t	 i;

	printf("%s: import %lld: %lld new, %lld status change%s (each texts a "
	    "citizen), %lld unchanged, %lld row%s with errors\n", file,
	    ji(j, "id"), ji(j, "new"), ji(j, "changes"), ji(j, "changes") == 1 ?
	    "" : "s", ji(j, "unchanged"), ji(j, "rows_with_errors"),
	    ji(j, "rows_with_errors") == 1 ? "" : "s");
	json_array_foreach(json_object_get(j, "errors"), i, e)
		fprintf(stderr, "%s:%lld: %s: %s\n", file, ji(e, "row"),
		    js(e, "field"), js(e, "reason"));
}

/* Waits for the apply to end; 0 applied, 1 not. */
static int
import_follow(long long id)
{
	struct timespec	 tick = { 0, FOLLOW_TICK_MS * 1000000L };
	char		 path[64];
	json_t		*j;
	int		 rc = -1;

	snprintf(path, sizeof(path), "/imports/%lld", id);
	while (rc == -1) {
		j = api("GET", path, NULL);
		if (strcmp(js(j, "state"), "applying") != 0) {
			rc = strcmp(js(j, "state"), "applied") == 0 ? 0 : 1;
			if (!tool.json)
				printf("import %lld: %s%s%s\n", id, js(j, "state"),
				    rc ? ": " : "", rc ? js(j, "reason") : "");
		}
		json_decref(j);
		if (rc == -1)
			nanosleep(&tick, NULL);
	}
	return rc;
}

static int
cmd_case_import(const struct command *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "apply", no_argument, NULL, 'a' }, COMMON_OPTS };
	struct answer	 a;
	const char	*file;
	char		*buf, path[64];
	size_t		 len;
	long long	 id;
	int		 apply = 0, ch;

	while ((ch = next_opt(c, argc, argv, opts)) != -1)
		if (ch == 'a')
			apply = 1;
	file = operands(c, argc, argv, 1)[0];
	if (tool_ready() == -1 || (buf = read_whole(file, &len)) == NULL)
		return 1;
	ch = http_send("POST", "/imports", "text/csv", buf, len, &a);
	free(buf);
	if (ch == -1)
		return 1;
	if (tool.json)
		printf("%s", a.body);
	if (a.status != 201 || !json_is_object(a.json)) {
		warnx_("%s: %s (HTTP %d)", file, answer_error(&a), a.status);
		answer_free(&a);
		return 1;
	}
	if (!tool.json)
		print_import(file, a.json);
	id = ji(a.json, "id");
	answer_free(&a);
	if (!apply)
		return 0;
	snprintf(path, sizeof(path), "/imports/%lld/apply", id);
	json_decref(api("POST", path, NULL));
	return import_follow(id);
}

/* ---- broadcasts ---- */

/* Following one: */

static int
bc_finished(json_t *b)
{
	return strcmp(js(b, "state"), "done") == 0 ||
	    strcmp(js(b, "state"), "cancelled") == 0;
}

/* What the figures say: a new line (or bar) only when it changes. */
static void
bc_key(json_t *b, char *out, size_t cap)
{
	snprintf(out, cap, "%s %lld %lld %lld %lld %lld %lld", js(b, "state"),
	    ji(b, "total"), ji(b, "queued"), ji(b, "sent"), ji(b, "delivered"),
	    ji(b, "failed"), ji(b, "skipped"));
}

/* One line redrawn in place: what has gone out of the total. */
static void
print_bar(json_t *b)
{
	long long	total = ji(b, "total"), gone = total - ji(b, "queued");
	char		bar[BAR_WIDTH + 1];
	int		fill;

	if (gone < 0)
		gone = 0;
	fill = total > 0 ? (int)(gone * BAR_WIDTH / total) : BAR_WIDTH;
	fill = fill > BAR_WIDTH ? BAR_WIDTH : fill;
	memset(bar, '#', (size_t)fill);
	memset(bar + fill, '-', (size_t)(BAR_WIDTH - fill));
	bar[BAR_WIDTH] = '\0';
	printf("\r\033[Kbroadcast %lld %-9s [%s] %3lld%%  queued %lld, sent "
	    "%lld, delivered %lld, failed %lld, skipped %lld", ji(b, "id"),
	    js(b, "state"), bar, total > 0 ? gone * 100 / total : 100,
	    ji(b, "queued"), ji(b, "sent"), ji(b, "delivered"),
	    ji(b, "failed"), ji(b, "skipped"));
}

/* Shows one look at the broadcast, if it changed since the last. */
static void
bc_show_change(struct answer *a, int tty, char *last, size_t cap)
{
	char	key[256];

	bc_key(a->json, key, sizeof(key));
	if (strcmp(key, last) == 0)
		return;
	snprintf(last, cap, "%s", key);
	if (tool.json)
		printf("%.*s\n", (int)strcspn(a->body, "\n"), a->body);
	else if (tty)
		print_bar(a->json);
	else
		print_broadcast(a->json);
	fflush(stdout);
}

/*
 * Watches a broadcast until it is done or cancelled: a bar redrawn on a
 * terminal, else one line per change (JSON lines with --json). 0, or 1
 * when the daemon stops answering.
 */
static int
bc_follow(long long id)
{
	struct timespec	 tick = { 0, FOLLOW_TICK_MS * 1000000L };
	struct answer	 a;
	char		 path[64], last[256] = "";
	int		 tty = isatty(STDOUT_FILENO), finished;

	snprintf(path, sizeof(path), "/broadcasts/%lld", id);
	for (;;) {
		if (http_call("GET", path, NULL, &a) == -1)
			break;
		if (a.status != 200 || !json_is_object(a.json)) {
			warnx_("%s (HTTP %d)", answer_error(&a), a.status);
			answer_free(&a);
			break;
		}
		bc_show_change(&a, tty && !tool.json, last, sizeof(last));
		finished = bc_finished(a.json);
		answer_free(&a);
		if (finished) {
			if (tty && !tool.json)
				printf("\n");
			return 0;
		}
		nanosleep(&tick, NULL);
	}
	if (tty && !tool.json && last[0])
		printf("\n");
	return 1;
}


/* --to 0912...,0913... (repeatable) into an array of numbers. */
static void
add_numbers(json_t *a, char *list)
{
	char	*tok, *save = NULL;

	for (tok = strtok_r(list, ", ", &save); tok; tok = strtok_r(NULL, ", ",
	    &save))
		add_group(a, tok);
}

struct bc_opts {
	json_t	*to, *numbers, *vars;
	int	 targets, texts;
};

static void
bc_option(const struct command *c, struct bc_opts *o, json_t *body, int ch)
{
	switch (ch) {
	case 'g':
		o->targets++;
		set_str(o->to, "group", optarg);
		break;
	case 'T':
		if (o->numbers == NULL) {
			o->targets++;
			o->numbers = json_array();
		}
		add_numbers(o->numbers, optarg);
		break;
	case 's':
		o->targets++;
		set_str(o->to, "cases_status", optarg);
		break;
	case 'x':
		o->texts++;
		set_str(body, "text", optarg);
		break;
	case 't':
		o->texts++;
		set_str(body, "template", optarg);
		break;
	case 'v':
		add_var(c, o->vars, optarg);
		break;
	case 'a':
		set_str(body, "at", optarg);
		break;
	case 'n':
		json_object_set_new(body, "dry_run", json_true());
		break;
	}
}

static int
cmd_broadcast_create(const struct command *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "group", required_argument, NULL, 'g' },
		{ "to", required_argument, NULL, 'T' },
		{ "cases-status", required_argument, NULL, 's' },
		{ "text", required_argument, NULL, 'x' },
		{ "template", required_argument, NULL, 't' },
		{ "var", required_argument, NULL, 'v' },
		{ "at", required_argument, NULL, 'a' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "follow", no_argument, NULL, 'f' },
		COMMON_OPTS
	};
	struct bc_opts	 o = { json_object(), NULL, json_object(), 0, 0 };
	json_t		*body = json_object(), *j;
	long long	 id;
	int		 ch, follow = 0;

	while ((ch = next_opt(c, argc, argv, opts)) != -1) {
		if (ch == 'f')
			follow = 1;
		else
			bc_option(c, &o, body, ch);
	}
	operands(c, argc, argv, 0);
	if (o.targets != 1 || o.texts != 1)
		usage_error(c, "broadcast create: one of --group, --to, "
		    "--cases-status and one of --text, --template");
	if (o.numbers)
		json_object_set_new(o.to, "msisdns", o.numbers);
	json_object_set_new(body, "to", o.to);
	if (json_object_size(o.vars))
		json_object_set(body, "vars", o.vars);
	json_decref(o.vars);
	j = api("POST", "/broadcasts", body);
	/* On a terminal a broadcast that is going out is watched; Ctrl-C
	   stops watching, not the broadcast. A dry run has id 0. */
	follow |= isatty(STDOUT_FILENO) && !tool.json &&
	    strcmp(js(j, "state"), "sending") == 0;
	if ((id = ji(j, "id")) == 0 || !follow)
		return shown(j, print_broadcast);
	json_decref(j);
	return bc_follow(id);
}

static int
cmd_broadcast_show(const struct command *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "follow", no_argument, NULL, 'f' },
		COMMON_OPTS
	};
	const char	*id;
	char		*end;
	long long	 n;
	int		 ch, follow = 0;

	while ((ch = next_opt(c, argc, argv, opts)) != -1)
		follow = 1;
	id = operands(c, argc, argv, 1)[0];
	if (!follow) {
		struct command	show = *c;

		show.method = "GET";
		show.path = "/broadcasts/%s";
		show.print = print_broadcast;
		optind = 0;	/* cmd_call parses the options again */
		return cmd_call(&show, argc, argv);
	}
	n = strtoll(id, &end, 10);
	if (*id == '\0' || *end != '\0' || n < 1)
		usage_error(c, "broadcast show: %s is not a broadcast id", id);
	return bc_follow(n);
}

/* The finished backup GET /backups reports for path, or NULL while it
 * runs (or the daemon is gone: reported, and *gone set). */
static json_t *
backup_poll(const char *path, int *gone)
{
	struct answer	 a;
	json_t		*last = NULL;

	if (http_call("GET", "/backups", NULL, &a) == -1) {
		*gone = 1;
		return NULL;
	}
	if (a.status == 200 && !json_is_true(json_object_get(a.json,
	    "running")) && strcmp(js(json_object_get(a.json, "last"), "path"),
	    path) == 0)
		last = json_incref(json_object_get(a.json, "last"));
	else if (a.status != 200) {
		warnx_("%s (HTTP %d)", answer_error(&a), a.status);
		*gone = 1;
	}
	answer_free(&a);
	return last;
}

static int
cmd_backup(const struct command *c, int argc, char **argv)
{
	static const struct option opts[] = { COMMON_OPTS };
	struct timespec	 tick = { 0, 200 * 1000000L };
	const char	*file;
	char		 cwd[CONFIG_PATH_MAX], path[CONFIG_PATH_MAX * 2];
	json_t		*last = NULL;
	int		 gone = 0;

	next_opt(c, argc, argv, opts);
	file = operands(c, argc, argv, 1)[0];
	if (file[0] == '/')
		snprintf(path, sizeof(path), "%s", file);
	else if (getcwd(cwd, sizeof(cwd)) != NULL)
		snprintf(path, sizeof(path), "%s/%s", cwd, file);
	else
		usage_error(c, "backup: %s: give an absolute path", file);
	json_decref(api("POST", "/backups", json_pack("{s:s}", "path", path)));
	while (!gone && (last = backup_poll(path, &gone)) == NULL)
		nanosleep(&tick, NULL);
	if (last == NULL)
		return 1;
	if (!json_is_true(json_object_get(last, "ok"))) {
		warnx_("backup %s failed: %s", path, js(last, "error"));
		json_decref(last);
		return 1;
	}
	if (!tool.json)
		printf("backup %s: %lld bytes, integrity ok; %lld cases, %lld "
		    "messages in, %lld out\n", path, ji(last, "bytes"),
		    ji(last, "cases"), ji(last, "inbound"), ji(last, "outbound"));
	json_decref(last);
	return 0;
}

static int
cmd_report(const struct command *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "csv", no_argument, NULL, 'C' },
		COMMON_OPTS
	};
	char	q[256] = "", path[300];
	int	ch, csv = 0;

	while ((ch = next_opt(c, argc, argv, opts)) != -1) {
		if (ch == 'C')
			csv = 1;
		else
			query_add(q, sizeof(q), ch == 'f' ? "from" : "to",
			    optarg);
	}
	operands(c, argc, argv, 0);
	snprintf(path, sizeof(path), "/report%s", q);
	return shown(api("GET", path, NULL), csv ? print_report_csv :
	    print_report);
}

static void
csv_line4(const char *a, const char *b, const char *c, const char *d)
{
	csv_cell(a);
	putchar(',');
	csv_cell(b);
	putchar(',');
	csv_cell(c);
	putchar(',');
	csv_cell(d);
	putchar('\n');
}

/* privacy export: a person's data, for people, or as CSV rows
 * (section,at,what,text): one per case and per message. */
static void
print_privacy_rows(json_t *j, int csv)
{
	json_t	*v, *ct = json_object_get(j, "contact");
	size_t	 i;

	if (csv)
		printf("section,at,what,text\n");
	else
		printf("%s: contact %s, %s\n", js(j, "msisdn"), json_is_null(ct) ?
		    "none" : js(ct, "name"), json_is_true(json_object_get(j,
		    "opted_out")) ? "opted out" : "not opted out");
	json_array_foreach(json_object_get(j, "cases"), i, v) {
		if (csv)
			csv_line4("case", js(v, "received_at"), js(v, "code"),
			    js(v, "request"));
		else
			printf("case %s  %s  %s  %s\n", js(v, "code"),
			    js(v, "procedure"), js(v, "status"), js(v, "name"));
	}
	json_array_foreach(json_object_get(j, "messages"), i, v) {
		if (csv)
			csv_line4("message", js(v, "at"), js(v, "dir"),
			    js(v, "text"));
		else
			printf("%s %-3s %s\n", js(v, "at"), js(v, "dir"),
			    js(v, "text"));
	}
}

static void
print_privacy(json_t *j)
{
	print_privacy_rows(j, 0);
}

static void
print_privacy_csv(json_t *j)
{
	print_privacy_rows(j, 1);
}

static void
print_erased(json_t *j)
{
	json_t	*e = json_object_get(j, "erased");

	printf("%s erased: %lld messages in, %lld out, %lld cases, %lld "
	    "contact, %lld pending broadcast recipients; the opt-out is kept\n",
	    js(j, "msisdn"), ji(e, "messages_in"), ji(e, "messages_out"),
	    ji(e, "cases"), ji(e, "contacts"), ji(e, "broadcast_recipients"));
}

static int
cmd_privacy_export(const struct command *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "csv", no_argument, NULL, 'C' },
		COMMON_OPTS
	};
	char	*path;
	int	 csv = 0;
	json_t	*j;

	while (next_opt(c, argc, argv, opts) != -1)
		csv = 1;
	path = path_with("/privacy/%s", operands(c, argc, argv, 1)[0]);
	j = api("GET", path, NULL);
	free(path);
	return shown(j, csv ? print_privacy_csv : print_privacy);
}

/* ---- main ---- */

static void
group_usage(FILE *f, const char *word)
{
	size_t	i;

	fprintf(f, "usage:\n");
	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].word, word) == 0)
			fprintf(f, "  motcua %s %s %s\n", word, commands[i].sub,
			    commands[i].args);
}

/* ---- staff accounts ---- */

#define PASSWORD_MAX	128

static void
print_users(json_t *j)
{
	json_t	*u;
	size_t	 i;

	json_array_foreach(json_object_get(j, "users"), i, u)
		printf("%-20s %-6s %s\n", js(u, "name"), js(u, "role"),
		    js(u, "created_at"));
}

/* One line from f without its line break; -1 at EOF or when too long. */
static int
read_line(FILE *f, char *buf, size_t cap)
{
	size_t	n;

	if (fgets(buf, (int)cap, f) == NULL)
		return -1;
	n = strcspn(buf, "\r\n");
	if (buf[n] == '\0' && n == cap - 1)
		return -1;	/* longer than the buffer */
	buf[n] = '\0';
	return 0;
}

/* Asks on the terminal with echo off; -1 when it cannot. */
static int
ask_password(const char *prompt, char *buf, size_t cap)
{
	struct termios	old, quiet;
	int		rc;

	if (tcgetattr(STDIN_FILENO, &old) == -1)
		return -1;
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	quiet.c_lflag |= ECHONL;
	/* Echo off before the prompt: what is typed after it is kept. */
	if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == -1)
		return -1;
	fputs(prompt, stderr);
	fflush(stderr);
	rc = read_line(stdin, buf, cap);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	return rc;
}

/* The new password: asked twice on a terminal, else one line of stdin. */
static int
get_password(char *pw, size_t cap)
{
	char	again[PASSWORD_MAX + 2];
	int	same;

	if (!isatty(STDIN_FILENO)) {
		if (read_line(stdin, pw, cap) == -1) {
			warnx_("no password on stdin (one line, at most %d "
			    "bytes)", PASSWORD_MAX);
			return -1;
		}
		return 0;
	}
	if (ask_password("Password: ", pw, cap) == -1 ||
	    ask_password("Password again: ", again, sizeof(again)) == -1) {
		warnx_("cannot read the password");
		return -1;
	}
	same = strcmp(pw, again) == 0;
	explicit_bzero(again, sizeof(again));
	if (!same)
		warnx_("the two passwords differ");
	return same ? 0 : -1;
}

static int
cmd_user_add(const struct command *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "role", required_argument, NULL, 'r' },
		COMMON_OPTS
	};
	char		 pw[PASSWORD_MAX + 2];
	const char	*role = NULL;
	json_t		*body, *j;
	int		 ch;

	while ((ch = next_opt(c, argc, argv, opts)) != -1)
		if (ch == 'r')
			role = optarg;
	if (role == NULL)
		usage_error(c, "user add: --role clerk|head|admin is needed");
	body = json_object();
	set_str(body, "name", operands(c, argc, argv, 1)[0]);
	set_str(body, "role", role);
	if (get_password(pw, sizeof(pw)) == -1)
		exit(1);
	set_str(body, "password", pw);
	explicit_bzero(pw, sizeof(pw));
	j = api("POST", "/users", body);
	if (!tool.json)
		printf("user %s added, role %s\n", js(j, "name"), js(j, "role"));
	json_decref(j);
	return 0;
}

/* The command argv names; exits on --help or a usage error. */
static const struct command *
find_command(int argc, char **argv, int *skip)
{
	size_t	i;
	int	known = 0;

	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(commands[i].word, argv[0]) != 0)
			continue;
		known = 1;
		*skip = commands[i].sub ? 1 : 0;
		if (commands[i].sub == NULL ||
		    (argc > 1 && strcmp(commands[i].sub, argv[1]) == 0))
			return &commands[i];
	}
	if (!known) {
		warnx_("%s: unknown command", argv[0]);
		usage(stderr);
		exit(2);
	}
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		group_usage(stdout, argv[0]);
		exit(0);
	}
	if (argc > 1)
		warnx_("%s %s: unknown command", argv[0], argv[1]);
	group_usage(stderr, argv[0]);
	exit(2);
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		COMMON_OPTS
	};
	const struct command	*c;
	int			 ch, skip;

	signal(SIGPIPE, SIG_IGN);	/* a daemon gone mid-TLS-write: an error */
	while ((ch = getopt_long(argc, argv, "+c:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': tool.file = optarg; break;
		case 'J': tool.json = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind == argc) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[optind], "help") == 0) {
		usage(stdout);
		return 0;
	}
	c = find_command(argc - optind, argv + optind, &skip);
	argc -= optind + skip;
	argv += optind + skip;
	optind = 0;		/* GNU: start afresh on the command's words */
	/* Usage errors come first: the config is read at the first request. */
	return c->run(c, argc, argv);
}
