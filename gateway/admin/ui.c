/*
 * The staff console's files (GET / and GET /ui/<file>): HTML, CSS and
 * JavaScript embedded in the binary by the assembler's .incbin, so an
 * office runs one program and nothing is read from disk or the internet
 * at run time. The files need no sign-in; every piece of data they show
 * comes from the API, which does. Each answer carries a strict
 * Content-Security-Policy (no inline script or style anywhere), nosniff,
 * no referrer and a validator: the browser asks again each time
 * (no-cache) and gets 304 while the binary is the same, so an upgrade is
 * never served half old.
 *
 * /ui/office.json is the one file made here: the office's name, for the
 * page header and the appointment slip.
 *
 * A new file in ui/: one CONSOLE_FILE line and one row in files[] (the
 * Makefile already rebuilds this object when any file in ui/ changes).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <jansson.h>

#include "config.h"
#include "log.h"
#include "office/office.h"
#include "admin/admin_int.h"

#define CONSOLE_CSP	"default-src 'none'; script-src 'self'; " \
			"style-src 'self'; img-src 'self' data:; " \
			"connect-src 'self'; form-action 'self'; " \
			"base-uri 'none'; frame-ancestors 'none'"

/* One embedded file: console_<sym> .. console_<sym>_end in .rodata. */
#define CONSOLE_FILE(sym, file)						\
	__asm__(".section .rodata\n"					\
	    ".balign 16\n"						\
	    "console_" #sym ":\n"					\
	    ".incbin \"gateway/admin/ui/" file "\"\n"			\
	    "console_" #sym "_end:\n"					\
	    ".previous\n");						\
	extern const char console_##sym[], console_##sym##_end[]

CONSOLE_FILE(index_html, "index.html");
CONSOLE_FILE(app_css, "app.css");
CONSOLE_FILE(icon_svg, "icon.svg");
CONSOLE_FILE(app_js, "app.js");
CONSOLE_FILE(api_js, "api.js");
CONSOLE_FILE(dom_js, "dom.js");
CONSOLE_FILE(i18n_js, "i18n.js");
CONSOLE_FILE(signin_js, "signin.js");
CONSOLE_FILE(today_js, "today.js");
CONSOLE_FILE(cases_js, "cases.js");
CONSOLE_FILE(counter_js, "counter.js");
CONSOLE_FILE(import_js, "import.js");
CONSOLE_FILE(inbox_js, "inbox.js");
CONSOLE_FILE(audit_js, "audit.js");
CONSOLE_FILE(users_js, "users.js");

#define HTML	"text/html; charset=utf-8"
#define CSS	"text/css; charset=utf-8"
#define JS	"text/javascript; charset=utf-8"
#define SVG	"image/svg+xml; charset=utf-8"

struct console_file {
	const char	*name;		/* under /ui/ */
	const char	*type;
	const char	*start, *end;
	char		 etag[24];	/* filled on first use */
};

#define F(name, type, sym) { name, type, console_##sym, console_##sym##_end, "" }
static struct console_file files[] = {
	F("index.html", HTML, index_html),
	F("app.css", CSS, app_css),
	F("icon.svg", SVG, icon_svg),
	F("app.js", JS, app_js),
	F("api.js", JS, api_js),
	F("dom.js", JS, dom_js),
	F("i18n.js", JS, i18n_js),
	F("signin.js", JS, signin_js),
	F("today.js", JS, today_js),
	F("cases.js", JS, cases_js),
	F("counter.js", JS, counter_js),
	F("import.js", JS, import_js),
	F("inbox.js", JS, inbox_js),
	F("audit.js", JS, audit_js),
	F("users.js", JS, users_js),
};
#undef F
#define NFILES	(sizeof(files) / sizeof(files[0]))

/* The headers every console answer carries, errors included. */
static void
console_headers(struct admin_req *r, const char *cache)
{
	evhttp_add_header(&r->out, "Content-Security-Policy", CONSOLE_CSP);
	evhttp_add_header(&r->out, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(&r->out, "Referrer-Policy", "no-referrer");
	evhttp_add_header(&r->out, "X-Frame-Options", "DENY");
	evhttp_add_header(&r->out, "Cache-Control", cache);
}

/* A strong validator: FNV-1a of the bytes, computed once per file. */
static const char *
console_etag(struct console_file *f)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;
	const char	*p;

	if (f->etag[0] == '\0') {
		for (p = f->start; p < f->end; p++)
			h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
		snprintf(f->etag, sizeof(f->etag), "\"%016llx\"",
		    (unsigned long long)h);
	}
	return f->etag;
}

static int
console_send(struct admin_req *r, struct console_file *f)
{
	const char	*tag = console_etag(f), *want;
	struct evbuffer	*buf;

	console_headers(r, "no-cache");
	evhttp_add_header(&r->out, "ETag", tag);
	if ((buf = evbuffer_new()) == NULL)
		fatalx("console: out of memory");
	want = evhttp_find_header(&r->in, "If-None-Match");
	if (want != NULL && strstr(want, tag) != NULL)
		return admin_send(r, 304, f->type, buf);
	evbuffer_add_reference(buf, f->start, (size_t)(f->end - f->start),
	    NULL, NULL);
	return admin_send(r, 200, f->type, buf);
}

/* GET /ui/office.json: what the pages print about the office. */
static int
console_office(struct admin_req *r)
{
	const struct config	*c = office_config(r->of);

	console_headers(r, "no-cache");
	return admin_reply(r, 200, json_pack("{s:o}", "name",
	    admin_jstr(c->office_name)));
}

int
admin_ui_index(struct admin_req *r)
{
	return console_send(r, &files[0]);
}

int
admin_ui_file(struct admin_req *r)
{
	size_t	i;

	if (strcmp(r->args[0], "office.json") == 0)
		return console_office(r);
	for (i = 0; i < NFILES; i++)
		if (strcmp(files[i].name, r->args[0]) == 0)
			return console_send(r, &files[i]);
	console_headers(r, "no-store");
	return admin_error(r, 404, "no such file");
}
