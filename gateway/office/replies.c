/*
 * The office's texts: one file per reply template, the words for statuses
 * (labels.conf), the procedures (procedures.list), the USSD menu
 * (menu.conf) and the case import's column map (import.map, optional),
 * all from the templates folder. Templates are checked
 * against the variables each may use and compiled once. A reload builds a
 * new set and the caller swaps it in only when the whole set is valid.
 *
 * Every file is read whole, as text: a NUL byte would end it early (a
 * template silently shorter), a FIFO would block the read, and a reply
 * template with no text of its own would send citizens blank SMS; each is
 * refused with the file, and the line where it can be told.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ini.h>

#include "casecsv.h"
#include "store/cases.h"
#include "intent.h"
#include "log.h"
#include "menu.h"
#include "store/store.h"
#include "office/office.h"
#include "procedures.h"
#include "template.h"
#include "text.h"

#define TEMPLATE_FILE_MAX	4096
#define EXTRA_MAX		64

struct reply_kind {
	const char		*name;
	const char *const	 vars[6];
};

/* CONTRACT.md's templates and their variables; the folder must have each. */
static const struct reply_kind kinds[] = {
	{ "status", { "code", "status", "procedure", "due", "late", NULL } },
	{ "not_found", { "code", NULL } },
	{ "mistyped_code", { "code", NULL } },
	{ "submitted", { "code", "procedure", "due", NULL } },
	{ "unknown_procedure", { "procedure", "list", NULL } },
	{ "feedback_received", { "code", NULL } },
	{ "procedures", { "list", NULL } },
	{ "procedure", { "procedure", "name", "fee", "days", "documents",
	    NULL } },
	{ "schedule", { NULL } },
	{ "help", { NULL } },
	{ "opted_out", { NULL } },
	{ "opted_in", { NULL } },
	{ "unknown", { "suggestion", NULL } },
	{ "status_changed", { "code", "status", "note", NULL } },
	{ "ussd_receipt", { "code", "status", NULL } },
	/* motcua's own additions to the contract's list */
	{ "suggestion", { "command", NULL } },
	{ "lookup_limit", { NULL } },
	{ "submit_howto", { "procedure", "name", NULL } },
	/* satisfaction and reminders (gateway/office/reminders.c) */
	{ "rating_ask", { "code", NULL } },
	{ "rating_thanks", { "code", "rating", NULL } },
	{ "remind_ready", { "code", "procedure", NULL } },
};
#define NKINDS	(sizeof(kinds) / sizeof(kinds[0]))

static const char *const label_keys[] = {
	"received", "rejected", "processing", "need_more", "need_fee",
	"withdrawn", "suspended", "ready", "returned",
	"within", "overdue", "early", "on_time", "late",
	"feedback",
};
#define NLABELS	(sizeof(label_keys) / sizeof(label_keys[0]))

struct replies {
	struct template		*t[NKINDS];
	char			*labels[NLABELS];
	struct procedures	 procs;
	struct intent_proc	 iprocs[PROC_MAX];
	struct intent_rules	*rules;
	char			*signatures[NKINDS + EXTRA_MAX];
	size_t			 nsignatures;
	/* the office's own templates, for broadcasts: any variable goes */
	struct template		*extra[EXTRA_MAX];
	char			*extra_name[EXTRA_MAX];
	size_t			 nextra;
	struct menu		 menu;		/* the USSD menu, menu.conf */
	struct cal_holidays	 holidays;	/* holidays.list, if any */
	struct casecsv_map	 import_map;	/* import.map, then the defaults */
};

/* "path:line: why" into err, with errno e kept for the caller. */
static int
read_fail(const char *path, int line, const char *why, int e, char *err,
    size_t errlen)
{
	snprintf(err, errlen, "%s:%d: %s", path, line, why);
	errno = e;
	return -1;
}

/* Up to cap - 1 bytes of fd into buf; 1 more than that is EFBIG. */
static ssize_t
read_fd(int fd, char *buf, size_t cap)
{
	size_t	n = 0;
	ssize_t	r = 0;
	char	more;

	while (n < cap - 1 && (r = read(fd, buf + n, cap - 1 - n)) > 0)
		n += (size_t)r;
	if (r == -1)
		return -1;
	if (n == cap - 1 && read(fd, &more, 1) == 1) {
		errno = EFBIG;
		return -1;
	}
	buf[n] = '\0';
	return (ssize_t)n;
}

/*
 * A regular file, whole, into buf as a C string; -1 with "path:line: why"
 * in err, errno kept (ENOENT: the file is not there).
 */
static int
read_file(const char *path, char *buf, size_t cap, char *err, size_t errlen)
{
	struct stat	 st;
	const char	*nul;
	ssize_t		 n = -1;
	int		 fd, e, line = 1;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
		return read_fail(path, 0, strerror(errno), errno, err, errlen);
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode))
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
	else
		n = read_fd(fd, buf, cap);
	e = errno;
	close(fd);
	if (n == -1)
		return read_fail(path, 0, e == EISDIR ? "is a directory" :
		    e == EINVAL ? "not a regular file (a FIFO, a socket or a "
		    "device)" : strerror(e), e, err, errlen);
	if ((nul = memchr(buf, '\0', (size_t)n)) == NULL)
		return 0;
	for (; nul > buf; nul--)
		line += nul[-1] == '\n';
	return read_fail(path, line, "a NUL byte: not a text file", EINVAL,
	    err, errlen);
}

#define LIST_PATH_MAX	(CONFIG_PATH_MAX + 64)

/* DIR/NAME into text and its path into path; -1 with "path:0: why" in
 * err, errno kept (ENOENT: the file is not there). */
static int
read_in(const char *dir, const char *name, char path[LIST_PATH_MAX],
    char *text, size_t cap, char *err, size_t errlen)
{
	snprintf(path, LIST_PATH_MAX, "%s/%s", dir, name);
	return read_file(path, text, cap, err, errlen);
}

/* Renders with every variable at its longest and counts the parts. */
static void
report_long(const struct reply_kind *k, const struct template *t,
    const char *path, int max_segments, enum config_charset cs)
{
	static const char filler[] = "ĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐ";
	const char	*vals[6];
	char		 out[TEXT_MAX];
	int		 i, units, parts;

	for (i = 0; k->vars[i]; i++)
		vals[i] = filler;
	if (template_render(t, (const char *const *)k->vars, vals, (size_t)i,
	    out, sizeof(out)) == -1)
		return;
	parts = text_count_parts(out, (enum text_charset)cs, &units);
	if (parts > max_segments)
		log_warnx("%s: can need %d SMS parts (max_segments = %d) when "
		    "its variables are long: it will be cut with \"...\"", path,
		    parts, max_segments);
}

struct label_parse {
	struct replies	*r;
	char		*err;
	size_t		 errlen;
	int		 failed;
};

static int
label_handler(void *arg, const char *section, const char *name,
    const char *value)
{
	struct label_parse	*lp = arg;
	size_t			 i, first = 0, last = 9;

	if (strcmp(section, "timeliness") == 0) {
		first = 9;
		last = 14;
	} else if (strcmp(section, "kind") == 0) {
		first = 14;
		last = NLABELS;
	} else if (strcmp(section, "status") != 0)
		last = 0;
	for (i = first; i < last; i++) {
		if (strcmp(label_keys[i], name) == 0) {
			free(lp->r->labels[i]);
			if ((lp->r->labels[i] = strdup(value)) == NULL)
				fatal("strdup");
			return 1;
		}
	}
	if (!lp->failed)
		snprintf(lp->err, lp->errlen, "labels.conf: unknown key \"%s\" "
		    "in [%s]", name, section);
	lp->failed = 1;
	return 0;
}

static int
load_labels(struct replies *r, const char *dir, char *err, size_t errlen)
{
	struct label_parse	lp = { r, err, errlen, 0 };
	char			path[LIST_PATH_MAX], text[TEMPLATE_FILE_MAX];
	size_t			i;
	int			rc;

	if (read_in(dir, "labels.conf", path, text, sizeof(text), err,
	    errlen) == -1)
		return -1;
	rc = ini_parse_string(text, label_handler, &lp);
	if (rc > 0 && !lp.failed)
		snprintf(err, errlen, "%s:%d: syntax error", path, rc);
	if (rc != 0 || lp.failed)
		return -1;
	for (i = 0; i < NLABELS; i++) {
		if (r->labels[i] == NULL) {
			snprintf(err, errlen, "%s:0: missing key %s", path,
			    label_keys[i]);
			return -1;
		}
	}
	return 0;
}

static int
load_procedures(struct replies *r, const char *dir, char *err, size_t errlen)
{
	char	path[LIST_PATH_MAX];
	char	text[PROC_MAX * 1100];	/* a line is at most ~1,030 bytes */

	if (read_in(dir, "procedures.list", path, text, sizeof(text), err,
	    errlen) == -1)
		return -1;
	if (procedures_parse(path, text, &r->procs, err, errlen) == -1)
		return -1;
	for (int i = 0; i < r->procs.n; i++) {
		r->iprocs[i].code = r->procs.p[i].code;
		r->iprocs[i].name = r->procs.p[i].name;
		r->iprocs[i].aliases = r->procs.p[i].aliases[0] ?
		    r->procs.p[i].aliases : NULL;
	}
	return 0;
}

/* Public holidays are the office's to list; without the file, none. */
static int
load_holidays(struct replies *r, const char *dir, char *err, size_t errlen)
{
	char	path[LIST_PATH_MAX];
	char	text[CAL_HOLIDAYS_MAX * 80];

	if (read_in(dir, "holidays.list", path, text, sizeof(text), err,
	    errlen) == -1)
		return errno == ENOENT ? 0 : -1;
	return cal_holidays_parse(path, text, &r->holidays, err, errlen);
}

/* The case import's columns and words: the file's lines first (they
 * win), then the built-in national portal names. */
static int
load_import_map(struct replies *r, const char *dir, char *err, size_t errlen)
{
	char	path[LIST_PATH_MAX];
	char	text[TEMPLATE_FILE_MAX * 4];

	if (read_in(dir, "import.map", path, text, sizeof(text), err,
	    errlen) == -1) {
		if (errno != ENOENT)
			return -1;
	} else if (casecsv_map_parse(path, text, &r->import_map, err,
	    errlen) == -1)
		return -1;
	casecsv_map_defaults(&r->import_map);
	return 0;
}

const struct casecsv_map *
replies_import_map(const struct replies *r)
{
	return &r->import_map;
}

const struct cal_holidays *
replies_holidays(const struct replies *r)
{
	return &r->holidays;
}

static int
load_keywords(struct replies *r, const char *dir, char *err, size_t errlen)
{
	char	path[LIST_PATH_MAX];
	char	text[TEMPLATE_FILE_MAX * 4];

	if (read_in(dir, "keywords.conf", path, text, sizeof(text), err,
	    errlen) == -1)
		return -1;
	r->rules = intent_rules_load(path, text, err, errlen);
	return r->rules ? 0 : -1;
}

/* A menu screen that shows a template: one without variables, rendered. */
static int
load_menu_template(struct replies *r, const char *path, int i, char *err,
    size_t errlen)
{
	const struct menu_screen *s = &r->menu.screen[i];
	char			 text[TEXT_MAX];
	size_t			 k;

	for (k = 0; k < NKINDS; k++)
		if (strcmp(kinds[k].name, s->tmpl) == 0)
			break;
	if (k == NKINDS || kinds[k].vars[0] != NULL) {
		snprintf(err, errlen, "%s:%d: screen [%s]: no template %s "
		    "without variables", path, s->line, s->name, s->tmpl);
		return -1;
	}
	if (template_render(r->t[k], NULL, NULL, 0, text, sizeof(text)) == -1 ||
	    menu_set_text(&r->menu, i, text) == -1) {
		snprintf(err, errlen, "%s:%d: screen [%s]: template %s is too "
		    "long", path, s->line, s->name, s->tmpl);
		return -1;
	}
	return 0;
}

/* The procedure name that takes most room on a screen, once folded. */
static const char *
longest_procedure(const struct procedures *ps)
{
	char		 folded[256];
	const char	*best = NULL;
	int		 i, n, max = -1;

	for (i = 0; i < ps->n; i++) {
		if ((n = text_fold_ascii(ps->p[i].name, folded,
		    sizeof(folded))) > max) {
			max = n;
			best = ps->p[i].name;
		}
	}
	return best;
}

/*
 * The USSD menu, after the templates and procedures it shows: every
 * screen must fit one USSD page as it will really be sent.
 */
static int
load_menu(struct replies *r, const char *dir, char *err, size_t errlen)
{
	const char	*names[PROC_MAX];
	char		 path[LIST_PATH_MAX];
	char		 text[TEMPLATE_FILE_MAX * 8];
	int		 i;

	if (read_in(dir, "menu.conf", path, text, sizeof(text), err,
	    errlen) == -1)
		return -1;
	if (menu_parse(path, text, &r->menu, err, errlen) == -1)
		return -1;
	for (i = 0; i < r->menu.n; i++)
		if (r->menu.screen[i].tmpl[0] &&
		    load_menu_template(r, path, i, err, errlen) == -1)
			return -1;
	for (i = 0; i < r->procs.n; i++)
		names[i] = r->procs.p[i].name;
	return menu_check(&r->menu, path, longest_procedure(&r->procs), names,
	    r->procs.n, err, errlen);
}

/*
 * The fixed start of a text, up to its first placeholder: a citizen who
 * forwards an office text back sends this, and it must not act.
 */
static void
add_signature(struct replies *r, const char *text)
{
	char	fixed[TEMPLATE_FILE_MAX], folded[TEMPLATE_FILE_MAX];
	size_t	len = strcspn(text, "{");

	if (len < 12)
		return;
	/* Folded once here, not for every message classified. */
	snprintf(fixed, sizeof(fixed), "%.*s", (int)len, text);
	if (text_fold(fixed, folded, sizeof(folded)) < 0)
		return;
	if ((r->signatures[r->nsignatures] = strdup(folded)) == NULL)
		fatal("strdup");
	r->nsignatures++;
}

void
replies_intent_ctx(const struct replies *r, const struct config *cfg,
    struct intent_ctx *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->code_prefix = cfg->code_prefix;
	ctx->unit_code = cfg->unit_code;
	ctx->procs = r->iprocs;
	ctx->nprocs = (size_t)r->procs.n;
	ctx->signatures = (const char *const *)r->signatures;
	ctx->nsignatures = r->nsignatures;
	ctx->signatures_folded = 1;
}

const struct intent_rules *
replies_rules(const struct replies *r)
{
	return r->rules;
}

const char *
replies_label(const struct replies *r, const char *key)
{
	size_t	i;

	for (i = 0; i < NLABELS; i++)
		if (strcmp(label_keys[i], key) == 0)
			return r->labels[i];
	return key;
}

const struct procedures *
replies_procedures(const struct replies *r)
{
	return &r->procs;
}

const struct menu *
replies_menu(const struct replies *r)
{
	return &r->menu;
}

static int
is_kind(const char *name)
{
	size_t	i;

	for (i = 0; i < NKINDS; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return 1;
	return 0;
}

/* Every other NAME.txt in the folder is a broadcast template. */
static int
load_extra(struct replies *r, const char *dir, char *err, size_t errlen)
{
	char		 path[CONFIG_PATH_MAX + 300], text[TEMPLATE_FILE_MAX];
	struct dirent	*de;
	DIR		*d;
	size_t		 len;

	if ((d = opendir(dir)) == NULL) {
		snprintf(err, errlen, "%s:0: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 4, ".txt") != 0)
			continue;
		de->d_name[len - 4] = '\0';
		if (is_kind(de->d_name))
			continue;
		if (r->nextra == EXTRA_MAX) {
			snprintf(err, errlen, "%s:0: more than %d templates", dir,
			    EXTRA_MAX);
			break;
		}
		snprintf(path, sizeof(path), "%s/%s.txt", dir, de->d_name);
		if (read_file(path, text, sizeof(text), err, errlen) == -1 ||
		    (r->extra[r->nextra] = template_parse(path, text, NULL, err,
		    errlen)) == NULL)
			break;
		/* Its variables come with each broadcast: only empty is wrong. */
		if (template_blank(r->extra[r->nextra]) &&
		    template_vars(r->extra[r->nextra], NULL)[0] == NULL) {
			template_free(r->extra[r->nextra]);
			r->extra[r->nextra] = NULL;
			snprintf(err, errlen, "%s:1: empty: citizens would "
			    "receive a blank SMS", path);
			break;
		}
		if ((r->extra_name[r->nextra++] = strdup(de->d_name)) == NULL)
			fatal("strdup");
		add_signature(r, text);
	}
	closedir(d);
	return de == NULL ? 0 : -1;
}

/* A broadcast template by name, or NULL. */
const struct template *
replies_extra(const struct replies *r, const char *name)
{
	size_t	i;

	for (i = 0; i < r->nextra; i++)
		if (strcmp(r->extra_name[i], name) == 0)
			return r->extra[i];
	return NULL;
}

/* One of the contract's templates: there, text, and text of its own. */
static int
load_kind(struct replies *r, size_t i, const char *path, char *text,
    size_t cap, char *err, size_t errlen)
{
	if (read_file(path, text, cap, err, errlen) == -1) {
		if (errno == ENOENT)
			snprintf(err, errlen, "%s:0: missing template: %s", path,
			    strerror(ENOENT));
		return -1;
	}
	if ((r->t[i] = template_parse(path, text, kinds[i].vars, err,
	    errlen)) == NULL)
		return -1;
	if (!template_blank(r->t[i]))
		return 0;
	snprintf(err, errlen, "%s:1: %s: citizens would receive a blank SMS",
	    path, template_vars(r->t[i], NULL)[0] == NULL ? "empty" :
	    "no text besides its placeholders, which can be empty");
	return -1;
}

struct replies *
replies_load(const char *dir, int max_segments, enum config_charset cs,
    char *err, size_t errlen)
{
	struct replies	*r;
	char		 path[LIST_PATH_MAX];
	char		 text[TEMPLATE_FILE_MAX];
	size_t		 i;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		fatal("calloc");
	for (i = 0; i < NKINDS; i++) {
		snprintf(path, sizeof(path), "%s/%s.txt", dir, kinds[i].name);
		if (load_kind(r, i, path, text, sizeof(text), err,
		    errlen) == -1) {
			replies_free(r);
			return NULL;
		}
		add_signature(r, text);
		report_long(&kinds[i], r->t[i], path, max_segments, cs);
	}
	if (load_labels(r, dir, err, errlen) == -1 ||
	    load_procedures(r, dir, err, errlen) == -1 ||
	    load_holidays(r, dir, err, errlen) == -1 ||
	    load_import_map(r, dir, err, errlen) == -1 ||
	    load_keywords(r, dir, err, errlen) == -1 ||
	    load_extra(r, dir, err, errlen) == -1 ||
	    load_menu(r, dir, err, errlen) == -1) {
		replies_free(r);
		return NULL;
	}
	return r;
}

void
replies_free(struct replies *r)
{
	size_t	i;

	if (r == NULL)
		return;
	for (i = 0; i < NKINDS; i++)
		template_free(r->t[i]);
	for (i = 0; i < NLABELS; i++)
		free(r->labels[i]);
	for (i = 0; i < r->nsignatures; i++)
		free(r->signatures[i]);
	for (i = 0; i < r->nextra; i++) {
		template_free(r->extra[i]);
		free(r->extra_name[i]);
	}
	intent_rules_free(r->rules);
	free(r);
}

int
replies_render(const struct replies *r, const char *name,
    const char *const *keys, const char *const *vals, size_t n, char *out,
    size_t cap)
{
	size_t	i;

	for (i = 0; i < NKINDS; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return template_render(r->t[i], keys, vals, n, out, cap);
	if (replies_extra(r, name))
		return template_render(replies_extra(r, name), keys, vals, n,
		    out, cap);
	log_warnx("no template named %s", name);
	return -1;
}
