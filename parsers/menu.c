/*
 * The USSD menu file. A small line format of its own rather than inih:
 * every error must name its line, screens may repeat `text =` for more
 * lines, and values keep '#' and ';' (a screen may say "*8077#"). Screens
 * are rendered here too, so the start-up check measures exactly what a
 * phone will be sent.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "menu.h"
#include "text.h"

#define LINE_MAX_MENU	1024
#define RENDER_MAX	2048
/* Longer than MENU_ECHO_MAX: a value at its longest once cut. */
#define FILL_VALUE	"WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW"

struct parse {
	const char		*name;
	struct menu		*m;
	struct menu_screen	*cur;		/* NULL before any [screen] */
	int			 line;
	char			*err;
	size_t			 errlen;
};

static int	 perr(struct parse *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static int
perr(struct parse *p, int line, const char *fmt, ...)
{
	char	msg[256];
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%s:%d: %s", p->name, line, msg);
	return -1;
}

static char *
trim(char *s)
{
	char	*e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int
copy(char *dst, size_t cap, const char *src)
{
	if (strlen(src) >= cap)
		return -1;
	memcpy(dst, src, strlen(src) + 1);
	return 0;
}

/* Screen and template names: what an editor cannot mistype invisibly. */
static int
good_name(const char *s)
{
	size_t	n = strlen(s);

	return n > 0 && n < MENU_NAME_MAX &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

/* Placeholders a screen may use; anything else is a typo worth failing. */
static int
check_placeholders(struct parse *p, const char *s)
{
	static const char *const known[] = { "code", "procedure", "request" };
	const char	*o, *c;
	char		 name[32];
	size_t		 i, n;

	for (; (o = strstr(s, "{{")) != NULL; s = c + 2) {
		if ((c = strstr(o + 2, "}}")) == NULL)
			return perr(p, p->line, "\"{{\" without \"}}\"");
		n = (size_t)(c - o - 2);
		if (n >= sizeof(name))
			return perr(p, p->line, "unknown placeholder");
		memcpy(name, o + 2, n);
		name[n] = '\0';
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (strcmp(trim(name), known[i]) == 0)
				break;
		if (i == sizeof(known) / sizeof(known[0]))
			return perr(p, p->line, "unknown placeholder {{%s}} "
			    "(known: code, procedure, request)", name);
	}
	return 0;
}

/* "left -> right": splits at the last arrow. */
static int
split_arrow(struct parse *p, char *val, char **left, char **right)
{
	char	*a = NULL, *q;

	for (q = val; (q = strstr(q, "->")) != NULL; q += 2)
		a = q;
	if (a == NULL)
		return perr(p, p->line, "expected \"... -> screen\" or "
		    "\"... -> @action\"");
	*a = '\0';
	*left = trim(val);
	*right = trim(a + 2);
	return 0;
}

static int
parse_target(struct parse *p, const char *s, struct menu_target *t)
{
	t->line = p->line;
	t->screen = -1;
	if (copy(t->name, sizeof(t->name), s) == -1)
		return perr(p, p->line, "target name too long");
	if (strcmp(s, "@status") == 0)
		t->run = MENU_STATUS;
	else if (strcmp(s, "@submit") == 0)
		t->run = MENU_SUBMIT;
	else if (s[0] == '@')
		return perr(p, p->line, "unknown action %s (known: @status, "
		    "@submit)", s);
	else if (!good_name(s))
		return perr(p, p->line, "bad screen name \"%s\"", s);
	else
		t->run = MENU_GO;
	return 0;
}

/* A screen's kind is set by its first choice, input or list line. */
static int
set_kind(struct parse *p, int kind)
{
	static const char *const what[] = { "text", "numbered choices",
	    "an input", "a list" };

	if (p->cur->kind == MENU_FINAL || (p->cur->kind == kind &&
	    kind == MENU_CHOOSE)) {
		p->cur->kind = kind;
		return 0;
	}
	return perr(p, p->line, "screen [%s] already has %s", p->cur->name,
	    what[p->cur->kind]);
}

static int
parse_fits(struct parse *p, const char *utf8)
{
	char	folded[RENDER_MAX];
	int	used = 0, limit = MENU_PAGE_GSM7;

	if (text_fold_ascii(utf8, folded, sizeof(folded)) == -1 ||
	    !menu_page_fits(folded, &used, &limit))
		return perr(p, p->line, "text longer than one USSD page "
		    "(%d characters)", limit);
	return 0;
}

/* The settings that are texts; a screen of its own must fit a page. */
static const struct setting {
	const char	*key;
	size_t		 off, cap;
	int		 screen;
} settings[] = {
	{ "back", offsetof(struct menu, back), MENU_LABEL_MAX, 0 },
	{ "more", offsetof(struct menu, more), MENU_LABEL_MAX, 0 },
	{ "hint", offsetof(struct menu, hint), MENU_LABEL_MAX, 0 },
	{ "expired", offsetof(struct menu, expired), MENU_TEXT_MAX, 1 },
	{ "busy", offsetof(struct menu, busy), MENU_TEXT_MAX, 1 },
};
#define NSETTINGS	(sizeof(settings) / sizeof(settings[0]))

static int
parse_receipt(struct parse *p, const char *val)
{
	if (strcasecmp(val, "yes") == 0 || strcasecmp(val, "on") == 0 ||
	    strcmp(val, "1") == 0)
		p->m->receipt = 1;
	else if (strcasecmp(val, "no") == 0 || strcasecmp(val, "off") == 0 ||
	    strcmp(val, "0") == 0)
		p->m->receipt = 0;
	else
		return perr(p, p->line, "receipt must be yes or no");
	return 0;
}

static int
parse_setting(struct parse *p, const char *key, const char *val)
{
	const struct setting	*st;
	size_t			 i;

	if (strcmp(key, "receipt") == 0)
		return parse_receipt(p, val);
	for (i = 0; i < NSETTINGS && strcmp(settings[i].key, key) != 0; i++)
		;
	if (i == NSETTINGS)
		return perr(p, p->line, "unknown setting \"%s\" (known: "
		    "receipt, back, more, hint, expired, busy)", key);
	st = &settings[i];
	if (val[0] == '\0' && (st->screen || strcmp(key, "more") == 0))
		return perr(p, p->line, "%s cannot be empty", key);
	if (copy((char *)p->m + st->off, st->cap, val) == -1)
		return perr(p, p->line, "%s is longer than %zu bytes", key,
		    st->cap - 1);
	return st->screen ? parse_fits(p, val) : 0;
}

static int
add_text(struct parse *p, const char *val)
{
	struct menu_screen	*s = p->cur;
	size_t			 len = strlen(s->text);

	if (s->tmpl[0])
		return perr(p, p->line, "screen [%s] has a template: no text "
		    "lines", s->name);
	if (len + strlen(val) + 2 > sizeof(s->text))
		return perr(p, p->line, "screen [%s]: text too long", s->name);
	if (len)
		s->text[len++] = '\n';
	memcpy(s->text + len, val, strlen(val) + 1);
	return check_placeholders(p, val);
}

static int
add_template(struct parse *p, const char *val)
{
	struct menu_screen	*s = p->cur;

	if (s->text[0] || s->tmpl[0])
		return perr(p, p->line, "screen [%s] already has a text",
		    s->name);
	if (!good_name(val))
		return perr(p, p->line, "bad template name \"%s\"", val);
	return copy(s->tmpl, sizeof(s->tmpl), val);
}

static int
add_choice(struct parse *p, int key, char *val)
{
	struct menu_choice	*c = &p->cur->choice[key - 1];
	char			*label, *to;

	if (c->label[0])
		return perr(p, p->line, "choice %d given twice", key);
	if (set_kind(p, MENU_CHOOSE) == -1 ||
	    split_arrow(p, val, &label, &to) == -1)
		return -1;
	if (label[0] == '\0')
		return perr(p, p->line, "choice %d has no label", key);
	if (copy(c->label, sizeof(c->label), label) == -1)
		return perr(p, p->line, "label longer than %d bytes",
		    MENU_LABEL_MAX - 1);
	return parse_target(p, to, &c->to);
}

/* input = code|request -> TARGET, list = procedures -> TARGET */
static int
add_next(struct parse *p, int kind, char *val)
{
	char	*what, *to;

	if (set_kind(p, kind) == -1 || split_arrow(p, val, &what, &to) == -1)
		return -1;
	if (kind == MENU_LIST && strcmp(what, "procedures") != 0)
		return perr(p, p->line, "unknown list \"%s\" (known: "
		    "procedures)", what);
	if (kind == MENU_INPUT) {
		if (strcmp(what, "code") == 0)
			p->cur->var = MENU_VAR_CODE;
		else if (strcmp(what, "request") == 0)
			p->cur->var = MENU_VAR_REQUEST;
		else
			return perr(p, p->line, "unknown input \"%s\" (known: "
			    "code, request)", what);
	}
	return parse_target(p, to, &p->cur->next);
}

static int
parse_screen_key(struct parse *p, const char *key, char *val)
{
	if (strcmp(key, "text") == 0)
		return add_text(p, val);
	if (strcmp(key, "template") == 0)
		return add_template(p, val);
	if (strcmp(key, "input") == 0)
		return add_next(p, MENU_INPUT, val);
	if (strcmp(key, "list") == 0)
		return add_next(p, MENU_LIST, val);
	if (key[0] >= '1' && key[0] <= '9' && key[1] == '\0')
		return add_choice(p, key[0] - '0', val);
	return perr(p, p->line, "unknown key \"%s\" in [%s] (known: text, "
	    "template, 1 to 9, input, list)", key, p->cur->name);
}

static int
parse_section(struct parse *p, char *s)
{
	struct menu	*m = p->m;
	char		*name;
	size_t		 n = strlen(s);

	if (s[n - 1] != ']')
		return perr(p, p->line, "expected [screen]");
	s[n - 1] = '\0';
	name = trim(s + 1);
	if (!good_name(name))
		return perr(p, p->line, "bad screen name \"%s\" (a-z, 0-9, _; "
		    "at most %d)", name, MENU_NAME_MAX - 1);
	if (menu_find(m, name) != -1)
		return perr(p, p->line, "screen [%s] defined twice", name);
	if (m->n == MENU_SCREENS_MAX)
		return perr(p, p->line, "more than %d screens",
		    MENU_SCREENS_MAX);
	p->cur = &m->screen[m->n++];
	p->cur->line = p->line;
	return copy(p->cur->name, sizeof(p->cur->name), name);
}

static int
parse_line(struct parse *p, char *s)
{
	char	*eq;

	s = trim(s);
	if (*s == '\0' || *s == '#' || *s == ';')
		return 0;
	if (*s == '[')
		return parse_section(p, s);
	if ((eq = strchr(s, '=')) == NULL)
		return perr(p, p->line, "expected key = value");
	*eq = '\0';
	if (p->cur == NULL)
		return parse_setting(p, trim(s), trim(eq + 1));
	return parse_screen_key(p, trim(s), trim(eq + 1));
}

static int
resolve(struct parse *p, struct menu_target *t)
{
	if (t->run != MENU_GO)
		return 0;
	if ((t->screen = menu_find(p->m, t->name)) == -1)
		return perr(p, t->line, "no screen [%s]", t->name);
	return 0;
}

/* Names to indexes, once every screen is known; then the last checks. */
static int
finish(struct parse *p)
{
	struct menu_screen	*s;
	int			 i, k;

	if (p->m->n == 0)
		return perr(p, p->line, "no screens");
	for (i = 0; i < p->m->n; i++) {
		s = &p->m->screen[i];
		if (s->text[0] == '\0' && s->tmpl[0] == '\0')
			return perr(p, s->line, "screen [%s] has no text",
			    s->name);
		for (k = 0; k < MENU_CHOICES_MAX; k++)
			if (s->choice[k].label[0] &&
			    resolve(p, &s->choice[k].to) == -1)
				return -1;
		if ((s->kind == MENU_INPUT || s->kind == MENU_LIST) &&
		    resolve(p, &s->next) == -1)
			return -1;
	}
	return 0;
}

static void
defaults(struct menu *m)
{
	memset(m, 0, sizeof(*m));
	m->receipt = 1;
	copy(m->back, sizeof(m->back), "0 Quay lai");
	copy(m->more, sizeof(m->more), "9 Xem them");
	copy(m->hint, sizeof(m->hint), "Lua chon khong hop le.");
	copy(m->expired, sizeof(m->expired),
	    "Phien lam viec da ket thuc. Vui long goi lai.");
	copy(m->busy, sizeof(m->busy),
	    "He thong dang ban. Vui long goi lai sau it phut.");
}

int
menu_parse(const char *name, const char *text, struct menu *m, char *err,
    size_t errlen)
{
	struct parse	 p = { name, m, NULL, 0, err, errlen };
	char		 line[LINE_MAX_MENU];
	const char	*s = text, *nl;
	size_t		 n;

	defaults(m);
	if (strncmp(s, "\xEF\xBB\xBF", 3) == 0)	/* Notepad's BOM */
		s += 3;
	for (; *s; s = *nl ? nl + 1 : nl) {
		nl = s + strcspn(s, "\n");
		p.line++;
		if ((n = (size_t)(nl - s)) >= sizeof(line))
			return perr(&p, p.line, "line longer than %d bytes",
			    LINE_MAX_MENU - 1);
		memcpy(line, s, n);
		line[n] = '\0';
		if (parse_line(&p, line) == -1)
			return -1;
	}
	if (finish(&p) == -1)
		return -1;
	return menu_check(m, name, NULL, NULL, 0, err, errlen);
}

int
menu_find(const struct menu *m, const char *name)
{
	int	i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->screen[i].name, name) == 0)
			return i;
	return -1;
}

int
menu_set_text(struct menu *m, int i, const char *utf8)
{
	if (i < 0 || i >= m->n)
		return -1;
	return copy(m->screen[i].text, sizeof(m->screen[i].text), utf8);
}

/* ---- rendering ---- */

struct sink {
	char	*buf;
	size_t	 cap, len;
	int	 over;
};

static void
sink_put(struct sink *k, const char *s, size_t n)
{
	if (k->over || k->len + n >= k->cap) {
		k->over = 1;
		return;
	}
	memcpy(k->buf + k->len, s, n);
	k->len += n;
	k->buf[k->len] = '\0';
}

static void
sink_puts(struct sink *k, const char *s)
{
	sink_put(k, s, strlen(s));
}

/*
 * A value from outside the file (a typed answer, a procedure name) as it
 * will go out: folded, GSM 03.38 only ('?' for the rest, spaces for line
 * breaks), at most MENU_ECHO_MAX septets, cut at a word when one is near,
 * then "...". So a screen checked at load fits whatever a citizen types.
 */
static void
put_value(struct sink *k, const char *val)
{
	char	folded[RENDER_MAX], c;
	uint8_t	b[2];
	size_t	i, start = k->len, space = 0;
	int	n, septets = 0;

	text_fold_ascii(val, folded, sizeof(folded));	/* a prefix will do */
	for (i = 0; folded[i]; i++) {
		c = folded[i] < ' ' ? ' ' : folded[i];
		if ((n = text_gsm7_encode_char((unsigned char)c, b)) == 0) {
			c = '?';
			n = 1;
		}
		if ((septets += n) > MENU_ECHO_MAX) {
			if (!k->over && space > start + (k->len - start) / 2) {
				k->len = space;
				k->buf[k->len] = '\0';
			}
			sink_puts(k, "...");
			return;
		}
		if (c == ' ')
			space = k->len;
		sink_put(k, &c, 1);
	}
}

static void
put_var(struct sink *k, const char *name, const struct menu_vals *v)
{
	const char	*val = NULL;

	if (strcmp(name, "code") == 0)
		val = v->code;
	else if (strcmp(name, "procedure") == 0)
		val = v->procedure;
	else if (strcmp(name, "request") == 0)
		val = v->request;
	if (val != NULL)
		put_value(k, val);
}

static void
put_text(struct sink *k, const char *s, const struct menu_vals *v)
{
	const char	*o, *c;
	char		 name[32];
	size_t		 n;

	while ((o = strstr(s, "{{")) != NULL &&
	    (c = strstr(o + 2, "}}")) != NULL) {
		sink_put(k, s, (size_t)(o - s));
		n = (size_t)(c - o - 2);
		if (n < sizeof(name)) {
			memcpy(name, o + 2, n);
			name[n] = '\0';
			put_var(k, trim(name), v);
		}
		s = c + 2;
	}
	sink_puts(k, s);
}

static void
put_numbered(struct sink *k, int n, const char *label, int value)
{
	char	num[16];

	snprintf(num, sizeof(num), "\n%d ", n);
	sink_puts(k, num);
	if (value)
		put_value(k, label);
	else
		sink_puts(k, label);
}

static void
put_line(struct sink *k, const char *label)
{
	sink_puts(k, "\n");
	sink_puts(k, label);
}

/* One screen with n list items from v->first; bytes folded into out. */
static int
render_page(const struct menu *m, const struct menu_screen *s,
    const struct menu_vals *v, int n, char *out, size_t cap)
{
	char		buf[RENDER_MAX];
	struct sink	k = { buf, sizeof(buf), 0, 0 };
	int		j;

	buf[0] = '\0';
	if (v->hint && s->kind != MENU_FINAL && m->hint[0]) {
		sink_puts(&k, m->hint);
		sink_puts(&k, "\n");
	}
	put_text(&k, s->text, v);
	for (j = 0; s->kind == MENU_CHOOSE && j < MENU_CHOICES_MAX; j++)
		if (s->choice[j].label[0])
			put_numbered(&k, j + 1, s->choice[j].label, 0);
	for (j = 0; j < n; j++)
		put_numbered(&k, j + 1, v->items[v->first + j], 1);
	if (s->kind == MENU_LIST && v->first + n < v->nitems && m->more[0])
		put_line(&k, m->more);
	if (v->back && s->kind != MENU_FINAL && m->back[0])
		put_line(&k, m->back);
	if (k.over)
		return -1;
	return text_fold_ascii(buf, out, cap);
}

/* The longest page of items that fits; one item when none does. */
static int
render_list(const struct menu *m, const struct menu_screen *s,
    struct menu_vals *v, char *out, size_t cap)
{
	int	n, len, used, limit;

	if (v->first < 0 || v->first >= v->nitems)
		v->first = 0;
	n = v->nitems - v->first;
	if (n > MENU_MORE_KEY - 1)
		n = MENU_MORE_KEY - 1;
	for (; n > 1; n--)
		if ((len = render_page(m, s, v, n, out, cap)) >= 0 &&
		    menu_page_fits(out, &used, &limit))
			break;
	v->shown = n;
	v->more = v->first + n < v->nitems;
	return render_page(m, s, v, n, out, cap);
}

int
menu_render(const struct menu *m, int i, struct menu_vals *v, char *out,
    size_t cap)
{
	if (i < 0 || i >= m->n)
		return -1;
	v->shown = v->more = 0;
	if (m->screen[i].kind == MENU_LIST)
		return render_list(m, &m->screen[i], v, out, cap);
	return render_page(m, &m->screen[i], v, 0, out, cap);
}

int
menu_page_fits(const char *folded, int *used, int *limit)
{
	const char	*s;

	*limit = MENU_PAGE_GSM7;
	if ((*used = text_gsm7_len(folded)) < 0) {
		/* Not GSM 03.38 even folded: it would go as UCS-2. */
		*limit = MENU_PAGE_UCS2;
		*used = 0;
		for (s = folded; *s; s++)
			*used += ((unsigned char)*s & 0xC0) != 0x80;
	}
	return *used <= *limit;
}

/* Whether some choice or answer leads back to screen i (then "0" shows). */
static int
is_target(const struct menu *m, int i)
{
	const struct menu_screen *s;
	int			 j, k;

	for (j = 0; j < m->n; j++) {
		s = &m->screen[j];
		for (k = 0; k < MENU_CHOICES_MAX; k++)
			if (s->choice[k].label[0] &&
			    s->choice[k].to.run == MENU_GO &&
			    s->choice[k].to.screen == i)
				return 1;
		if ((s->kind == MENU_INPUT || s->kind == MENU_LIST) &&
		    s->next.run == MENU_GO && s->next.screen == i)
			return 1;
	}
	return 0;
}

int
menu_has_back(const struct menu *m, int i)
{
	return i > 0 || is_target(m, i);
}

/* Renders screen i (every page of a list); 0 when all fit. */
static int
check_screen(const struct menu *m, int i, struct menu_vals *v, int *used,
    int *limit)
{
	char	out[RENDER_MAX];

	v->first = 0;
	do {
		if (menu_render(m, i, v, out, sizeof(out)) == -1) {
			*used = (int)sizeof(out);	/* "more than" */
			return -1;
		}
		if (!menu_page_fits(out, used, limit))
			return -1;
		v->first += v->shown;
	} while (v->more);
	return 0;
}

int
menu_check(const struct menu *m, const char *name,
    const char *longest_procedure, const char *const *items, int nitems,
    char *err, size_t errlen)
{
	struct menu_vals	 v;
	int			 i, used = 0, limit = MENU_PAGE_GSM7;

	memset(&v, 0, sizeof(v));
	v.procedure = longest_procedure ? longest_procedure : FILL_VALUE;
	v.request = FILL_VALUE;
	v.code = FILL_VALUE;
	v.items = items;
	v.nitems = nitems;
	for (i = 0; i < m->n; i++) {
		v.back = menu_has_back(m, i);
		v.hint = 1;
		if (check_screen(m, i, &v, &used, &limit) == 0)
			continue;
		snprintf(err, errlen, "%s:%d: screen [%s] does not fit one "
		    "USSD page: %d of %d characters at its longest (with the "
		    "hint, the back line%s)", name, m->screen[i].line,
		    m->screen[i].name, used, limit,
		    m->screen[i].kind == MENU_LIST ? " and a procedure" :
		    " and variables");
		return -1;
	}
	return 0;
}
