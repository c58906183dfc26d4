/*
 * template.c owns the reply-text language: it compiles a staff-edited file
 * into literal runs and variable slots once, so every later reply is a
 * plain copy loop that cannot fail except for lack of room.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template.h"

struct part {
	size_t	off;	/* literal: bytes of text at off, len long */
	size_t	len;
	int	var;	/* index into vars, or -1 for a literal */
};

struct template {
	char		*text;		/* normalised copy; literals point here */
	struct part	*parts;
	size_t		 nparts;
	char		**vars;		/* NULL-terminated */
	size_t		 nvars;
	size_t		 literal_chars;	/* code points outside placeholders */
};

/* What an error message needs, passed down the parse. */
struct ctx {
	const char		*name;
	const char *const	*allowed;
	char			*err;
	size_t			 errlen;
	const char		*text;
};

static void	 fail(const struct ctx *, const char *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static void	 append_known(const struct ctx *);
static int	 line_of(const char *, const char *);
static char	*normalise(const char *);
static size_t	 utf8_seq(const unsigned char *);
static const char *utf8_invalid(const char *);
static size_t	 count_chars(const char *, size_t);
static int	 is_blank(int);
static int	 valid_name(const char *, size_t);
static int	 is_allowed(const char *const *, const char *, size_t);
static int	 add_part(struct template *, size_t, size_t, int);
static int	 var_index(struct template *, const char *, size_t);
static const char *placeholder_name(const char *, const char **, size_t *,
		    const struct ctx *);
static const char *placeholder(struct template *, const char *,
		    const struct ctx *);
static int	 compile(struct template *, const struct ctx *);
static const char *lookup(const char *, const char *const *,
		    const char *const *, size_t);

/* Writes "name:line: message" where line is that of at in the text. */
static void
fail(const struct ctx *c, const char *at, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	if (c->err == NULL || c->errlen == 0)
		return;
	n = snprintf(c->err, c->errlen, "%s:%d: ",
	    c->name != NULL ? c->name : "template", line_of(c->text, at));
	if (n < 0 || (size_t)n >= c->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

/* Staff fixing a typo want to see the names they may use. */
static void
append_known(const struct ctx *c)
{
	const char *const	*v = c->allowed;
	const char		*sep = " (known: ";
	size_t			 n;

	if (c->err == NULL || c->errlen == 0)
		return;
	n = strlen(c->err);
	if (*v == NULL)
		snprintf(c->err + n, c->errlen - n, " (this template takes none)");
	for (; *v != NULL && n + 1 < c->errlen; v++, sep = ", ") {
		snprintf(c->err + n, c->errlen - n, "%s%s", sep, *v);
		n += strlen(c->err + n);
	}
	if (sep[0] == ',' && n + 1 < c->errlen)
		snprintf(c->err + n, c->errlen - n, ")");
}

static int
line_of(const char *text, const char *at)
{
	int	line = 1;

	for (; text < at; text++)
		if (*text == '\n')
			line++;
	return line;
}

/* Undoes what editors add: a BOM, CRLF, the final newline. */
static char *
normalise(const char *text)
{
	const char	*r;
	char		*copy, *w;

	if (strncmp(text, "\xef\xbb\xbf", 3) == 0)
		text += 3;
	if ((copy = malloc(strlen(text) + 1)) == NULL)
		return NULL;
	for (r = text, w = copy; *r != '\0'; r++)
		if (r[0] != '\r' || r[1] != '\n')
			*w++ = *r;
	*w = '\0';
	if (w > copy && w[-1] == '\n')
		w[-1] = '\0';
	return copy;
}

/* Length of the well-formed UTF-8 sequence at s, or 0. */
static size_t
utf8_seq(const unsigned char *s)
{
	unsigned long	cp, min;
	size_t		n, i;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, cp = s[0] & 0x1f, min = 0x80;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, cp = s[0] & 0x0f, min = 0x800;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, cp = s[0] & 0x07, min = 0x10000;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* The first byte that is not well-formed UTF-8, or NULL. */
static const char *
utf8_invalid(const char *s)
{
	size_t	n;

	for (; *s != '\0'; s += n)
		if ((n = utf8_seq((const unsigned char *)s)) == 0)
			return s;
	return NULL;
}

static size_t
count_chars(const char *s, size_t len)
{
	size_t	i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

static int
is_blank(int c)
{
	return c == ' ' || c == '\t';
}

static int
valid_name(const char *s, size_t len)
{
	size_t	i;
	int	c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (!(c == '_' || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
		    (i > 0 && c >= '0' && c <= '9')))
			return 0;
	}
	return len > 0;
}

static int
is_allowed(const char *const *allowed, const char *s, size_t len)
{
	if (allowed == NULL)
		return 1;
	for (; *allowed != NULL; allowed++)
		if (strlen(*allowed) == len && memcmp(*allowed, s, len) == 0)
			return 1;
	return 0;
}

static int
add_part(struct template *t, size_t off, size_t len, int var)
{
	struct part	*p;

	p = realloc(t->parts, (t->nparts + 1) * sizeof *p);
	if (p == NULL)
		return -1;
	t->parts = p;
	p[t->nparts++] = (struct part){ off, len, var };
	return 0;
}

/* The slot of a variable, added on first use; -1 when out of memory. */
static int
var_index(struct template *t, const char *s, size_t len)
{
	char	**v;
	size_t	  i;

	for (i = 0; i < t->nvars; i++)
		if (strlen(t->vars[i]) == len &&
		    memcmp(t->vars[i], s, len) == 0)
			return (int)i;
	if ((v = realloc(t->vars, (t->nvars + 2) * sizeof *v)) == NULL)
		return -1;
	t->vars = v;
	if ((v[t->nvars] = strndup(s, len)) == NULL)
		return -1;
	v[++t->nvars] = NULL;
	return (int)t->nvars - 1;
}

/* The name inside the placeholder opening at open, closed at *end. */
static const char *
placeholder_name(const char *open, const char **end, size_t *len,
    const struct ctx *c)
{
	const char	*b, *e;

	for (e = open + 2; *e != '\0' && *e != '\n'; e++)
		if (e[0] == '}' && e[1] == '}')
			break;
	if (*e != '}') {
		fail(c, open, "unterminated {{");
		return NULL;
	}
	*end = e;
	for (b = open + 2; b < e && is_blank((unsigned char)*b); b++)
		;
	while (e > b && is_blank((unsigned char)e[-1]))
		e--;
	*len = (size_t)(e - b);
	if (*len == 0)
		fail(c, open, "empty placeholder {{}}");
	else if (!valid_name(b, *len))
		fail(c, open, "invalid placeholder {{%.*s}}", (int)*len, b);
	else if (!is_allowed(c->allowed, b, *len)) {
		fail(c, open, "unknown placeholder {{%.*s}}", (int)*len, b);
		append_known(c);
	} else
		return b;
	return NULL;
}

/* Compiles the placeholder opening at open; returns what follows it. */
static const char *
placeholder(struct template *t, const char *open, const struct ctx *c)
{
	const char	*name, *end;
	size_t		 len;
	int		 var;

	if ((name = placeholder_name(open, &end, &len, c)) == NULL)
		return NULL;
	if ((var = var_index(t, name, len)) < 0 ||
	    add_part(t, 0, 0, var) < 0) {
		fail(c, open, "out of memory");
		return NULL;
	}
	return end + 2;
}

static int
compile(struct template *t, const struct ctx *c)
{
	const char	*p = t->text, *open, *bad;
	size_t		 len;

	if ((bad = utf8_invalid(p)) != NULL) {
		fail(c, bad, "not valid UTF-8 (save the file as UTF-8)");
		return -1;
	}
	while (*p != '\0') {
		open = strstr(p, "{{");
		len = open != NULL ? (size_t)(open - p) : strlen(p);
		if (len > 0 &&
		    add_part(t, (size_t)(p - t->text), len, -1) < 0) {
			fail(c, p, "out of memory");
			return -1;
		}
		t->literal_chars += count_chars(p, len);
		if (open == NULL)
			break;
		if ((p = placeholder(t, open, c)) == NULL)
			return -1;
	}
	return 0;
}

struct template *
template_parse(const char *name, const char *text,
    const char *const *allowed_vars, char *err, size_t errlen)
{
	struct template	*t;
	struct ctx	 c = { name, allowed_vars, err, errlen, "" };

	if ((t = calloc(1, sizeof *t)) == NULL ||
	    (t->text = normalise(text)) == NULL ||
	    (t->vars = calloc(1, sizeof *t->vars)) == NULL) {
		fail(&c, c.text, "out of memory");
		template_free(t);
		return NULL;
	}
	c.text = t->text;
	if (compile(t, &c) < 0) {
		template_free(t);
		return NULL;
	}
	return t;
}

static const char *
lookup(const char *name, const char *const *keys, const char *const *vals,
    size_t nvars)
{
	size_t	i;

	for (i = 0; i < nvars; i++)
		if (keys[i] != NULL && strcmp(keys[i], name) == 0)
			return vals[i] != NULL ? vals[i] : "";
	return "";
}

int
template_render(const struct template *t, const char *const *keys,
    const char *const *vals, size_t nvars, char *out, size_t cap)
{
	const struct part	*p;
	const char		*s;
	size_t			 i, len, n = 0;

	if (cap == 0)
		return -1;
	for (i = 0; i < t->nparts; i++) {
		p = &t->parts[i];
		if (p->var < 0) {
			s = t->text + p->off;
			len = p->len;
		} else {
			s = lookup(t->vars[p->var], keys, vals, nvars);
			len = strlen(s);
		}
		if (len >= cap - n) {
			out[0] = '\0';
			return -1;
		}
		memcpy(out + n, s, len);
		n += len;
	}
	out[n] = '\0';
	return (int)n;
}

/* Only spaces, tabs and line breaks in the literal runs: nothing to read. */
int
template_blank(const struct template *t)
{
	const struct part	*p;
	size_t			 i, k;

	for (i = 0; i < t->nparts; i++) {
		p = &t->parts[i];
		for (k = 0; p->var < 0 && k < p->len; k++)
			if (strchr(" \t\r\n", t->text[p->off + k]) == NULL)
				return 0;
	}
	return 1;
}

const char *const *
template_vars(const struct template *t, size_t *n)
{
	if (n != NULL)
		*n = t->nvars;
	return (const char *const *)t->vars;
}

size_t
template_worst_case(const struct template *t, const char *const *keys,
    const size_t *max_chars, size_t nkeys, size_t default_max)
{
	size_t	i, j, total = t->literal_chars, max;

	for (i = 0; i < t->nparts; i++) {
		if (t->parts[i].var < 0)
			continue;
		max = default_max;
		for (j = 0; j < nkeys; j++)
			if (keys[j] != NULL &&
			    strcmp(keys[j], t->vars[t->parts[i].var]) == 0)
				max = max_chars[j];
		total += max;
	}
	return total;
}

void
template_free(struct template *t)
{
	size_t	i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nvars; i++)
		free(t->vars[i]);
	free(t->vars);
	free(t->parts);
	free(t->text);
	free(t);
}
