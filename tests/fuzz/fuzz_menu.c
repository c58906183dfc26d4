/*
 * The USSD menu (parsers/menu.c). A menu that loads was checked to fit one
 * USSD page with every variable at its longest, so whatever a citizen
 * types, every screen and every page of a list must render and fit: that
 * is what gateway/office/ussd.c relies on ("only a broken invariant gets here").
 *
 * Byte 0, bit 0 clear: the office's menu (templates/vi/menu.conf, with its
 * procedures), and the rest of the input is what the citizen typed.
 * Bit 0 set: the input is "MENU FILE \0 TYPED \0 ITEM\nITEM...", the
 * items standing for the procedures' names. Bit 1 is the hint flag.
 */
#include "fuzz.h"

#include "menu.h"
#include "procedures.h"
#include "text.h"

#define OUT_MAX		4096	/* TEXT_MAX: gateway/office/ussd.c's screen buffer */
#define ITEMS_MAX	PROC_MAX

static struct menu	*office;
static const char	*office_items[PROC_MAX];
static int		 office_nitems;
static char		*schedule;

/* gateway/office/replies.c longest_procedure(): most folded bytes. */
static const char *
longest(const char *const *items, int n)
{
	char		 folded[256];
	const char	*best = NULL;
	int		 i, k, max = -1;

	for (i = 0; i < n; i++)
		if ((k = text_fold_ascii(items[i], folded,
		    sizeof(folded))) > max) {
			max = k;
			best = items[i];
		}
	return best;
}

/* gateway/office/replies.c load_menu(): template screens, then the full check. */
static int
load(struct menu *m, const char *text, const char *const *items, int n)
{
	char	err[512];
	int	i;

	if (menu_parse("menu.conf", text, m, err, sizeof(err)) == -1) {
		FUZZ_CHECK(strncmp(err, "menu.conf:", 10) == 0);
		return -1;
	}
	FUZZ_CHECK(m->n >= 1 && m->n <= MENU_SCREENS_MAX);
	for (i = 0; i < m->n; i++)
		if (m->screen[i].tmpl[0] &&
		    menu_set_text(m, i, schedule) == -1)
			return -1;
	if (menu_check(m, "menu.conf", longest(items, n), items, n, err,
	    sizeof(err)) == -1) {
		FUZZ_CHECK(strncmp(err, "menu.conf:", 10) == 0);
		return -1;
	}
	return 0;
}

static void
check_shape(const struct menu *m)
{
	const struct menu_screen	*s;
	int				 i, k;

	for (i = 0; i < m->n; i++) {
		s = &m->screen[i];
		FUZZ_CHECK(menu_find(m, s->name) == i);
		FUZZ_CHECK(s->kind >= MENU_FINAL && s->kind <= MENU_LIST);
		for (k = 0; k < MENU_CHOICES_MAX; k++)
			if (s->choice[k].label[0] &&
			    s->choice[k].to.run == MENU_GO)
				FUZZ_CHECK(s->choice[k].to.screen >= 0 &&
				    s->choice[k].to.screen < m->n);
		if ((s->kind == MENU_INPUT || s->kind == MENU_LIST) &&
		    s->next.run == MENU_GO)
			FUZZ_CHECK(s->next.screen >= 0 &&
			    s->next.screen < m->n);
	}
}

/* gateway/office/ussd.c ussd_show() for every screen, list page and procedure. */
static void
show_all(const struct menu *m, const char *const *items, int n,
    const char *typed, int hint)
{
	struct menu_vals	 v;
	char			 out[OUT_MAX];
	int			 i, p, first, len, used, limit;

	for (i = 0; i < m->n; i++) {
		for (p = -1; p < n; p++) {
			for (first = 0; first < (n > 0 ? n : 1); first++) {
				memset(&v, 0, sizeof(v));
				v.procedure = p < 0 ? typed : items[p];
				v.request = typed;
				v.code = typed;
				v.items = items;
				v.nitems = n;
				v.first = first;
				v.back = menu_has_back(m, i);
				v.hint = hint;
				len = menu_render(m, i, &v, out, sizeof(out));
				FUZZ_CHECK(len >= 0 && (size_t)len == strlen(out));
				FUZZ_CHECK(menu_page_fits(out, &used, &limit));
				FUZZ_CHECK(v.shown >= 0 && v.shown <= 8);
				if (m->screen[i].kind != MENU_LIST)
					break;
			}
			/* the procedure matters on a few screens only */
			if (p >= 3 || strstr(m->screen[i].text, "procedure") ==
			    NULL)
				break;
		}
	}
}

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static struct procedures	 ps;
	char				*text, err[256];
	size_t				 n;
	int				 i;

	(void)argc;
	schedule = fuzz_slurp_template((*argv)[0], "schedule.txt");
	if ((n = strlen(schedule)) > 0 && schedule[n - 1] == '\n')
		schedule[n - 1] = '\0';
	text = fuzz_slurp_template((*argv)[0], "procedures.list");
	FUZZ_CHECK(procedures_parse("procedures.list", text, &ps, err,
	    sizeof(err)) == 0);
	free(text);
	for (i = 0; i < ps.n; i++)
		office_items[i] = ps.p[i].name;
	office_nitems = ps.n;
	FUZZ_CHECK((office = malloc(sizeof(*office))) != NULL);
	text = fuzz_slurp_template((*argv)[0], "menu.conf");
	if (load(office, text, office_items, office_nitems) == -1) {
		fprintf(stderr, "fuzz_menu: templates/vi/menu.conf does not "
		    "load\n");
		exit(1);
	}
	free(text);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	struct menu	*m;
	const char	*items[ITEMS_MAX], *typed;
	char		*text, *p, *q;
	int		 n = 0, hint;

	if (size < 1)
		return 0;
	hint = (d[0] >> 1) & 1;
	text = fuzz_cstr(d + 1, size - 1);
	if (!(d[0] & 1)) {
		show_all(office, office_items, office_nitems, text, hint);
		free(text);
		return 0;
	}
	/* MENU \0 TYPED \0 ITEMS: fuzz_cstr ends at the first NUL, so split
	 * the raw bytes. */
	free(text);
	text = malloc(size);
	FUZZ_CHECK(text != NULL);
	memcpy(text, d + 1, size - 1);
	text[size - 1] = '\0';
	p = text + strlen(text);
	typed = p < text + size - 1 ? p + 1 : p;
	p = (char *)typed + strlen(typed);
	if (p < text + size - 1)
		for (q = p + 1; *q != '\0' && n < ITEMS_MAX; q = p + 1) {
			items[n++] = q;
			if ((p = strchr(q, '\n')) == NULL)
				break;
			*p = '\0';
		}
	FUZZ_CHECK((m = malloc(sizeof(*m))) != NULL);
	if (load(m, text, items, n) == 0) {
		check_shape(m);
		show_all(m, items, n, typed, hint);
	}
	free(m);
	free(text);
	return 0;
}
