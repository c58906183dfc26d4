/*
 * The reply texts: one file per template in the office's folder, checked
 * against the variables each may use, compiled once. A reload builds a new
 * set and the caller swaps it in only when the whole set is valid.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "motcua.h"
#include "template.h"
#include "text.h"

#define TEMPLATE_FILE_MAX	4096

struct reply_kind {
	const char		*name;
	const char *const	 vars[6];
};

/* CONTRACT.md's templates and their variables; the folder must have each. */
static const struct reply_kind kinds[] = {
	{ "help", { NULL } },
	{ "unknown", { "suggestion", NULL } },
	{ "suggestion", { "command", NULL } },
};
#define NKINDS	(sizeof(kinds) / sizeof(kinds[0]))

struct replies {
	struct template	*t[NKINDS];
};

static int
read_file(const char *path, char *buf, size_t cap)
{
	FILE	*f;
	size_t	 n;

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, cap - 1, f);
	if (ferror(f) || !feof(f)) {
		fclose(f);
		errno = EFBIG;
		return -1;
	}
	fclose(f);
	buf[n] = '\0';
	return 0;
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

struct replies *
replies_load(const char *dir, int max_segments, enum config_charset cs,
    char *err, size_t errlen)
{
	struct replies	*r;
	char		 path[CONFIG_PATH_MAX + 64];
	char		 text[TEMPLATE_FILE_MAX];
	size_t		 i;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		fatal("calloc");
	for (i = 0; i < NKINDS; i++) {
		snprintf(path, sizeof(path), "%s/%s.txt", dir, kinds[i].name);
		if (read_file(path, text, sizeof(text)) == -1) {
			snprintf(err, errlen, "%s:0: missing template: %s", path,
			    strerror(errno));
			replies_free(r);
			return NULL;
		}
		r->t[i] = template_parse(path, text, kinds[i].vars, err, errlen);
		if (r->t[i] == NULL) {
			replies_free(r);
			return NULL;
		}
		report_long(&kinds[i], r->t[i], path, max_segments, cs);
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
	log_warnx("no template named %s", name);
	return -1;
}
