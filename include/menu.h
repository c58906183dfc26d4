/*
 * The USSD menu file (menu.conf in the templates folder): its screens, the
 * choices on each, and what each leaf runs. The format is documented at
 * the top of templates/vi/menu.conf. Pure and I/O-free: the caller reads
 * the file; the parser and the renderer write into caller-owned structs
 * and buffers and never allocate, so a unit test or a fuzzer links this
 * alone.
 */
#ifndef MENU_H
#define MENU_H

#include <stddef.h>

#define MENU_PAGE_GSM7		182	/* one USSD page: 160 octets, 7-bit */
#define MENU_PAGE_UCS2		80	/* ... or of UTF-16 */
#define MENU_SCREENS_MAX	32
#define MENU_CHOICES_MAX	9	/* keys 1 to 9; 0 is "back" */
#define MENU_NAME_MAX		24
#define MENU_LABEL_MAX		64
#define MENU_TEXT_MAX		512	/* UTF-8 bytes of a screen's text */
#define MENU_ECHO_MAX		40	/* septets of a value, then "..." */
#define MENU_MORE_KEY		9	/* next list page; items are 1-8 */

/* What a choice, an answer or a list pick leads to. */
enum menu_run {
	MENU_GO,		/* another screen */
	MENU_STATUS,		/* @status: look up {{code}}, show it, end */
	MENU_SUBMIT,		/* @submit: make a case, show its code, end */
};

enum menu_kind {
	MENU_FINAL,		/* text only: shown, then the session ends */
	MENU_CHOOSE,		/* numbered choices */
	MENU_INPUT,		/* free text, kept in a variable */
	MENU_LIST,		/* the office's procedures, numbered */
};

enum menu_var { MENU_VAR_NONE, MENU_VAR_CODE, MENU_VAR_REQUEST };

struct menu_target {
	int	run;			/* enum menu_run */
	int	screen;			/* MENU_GO: index in menu.screen */
	char	name[MENU_NAME_MAX];	/* as written, for errors */
	int	line;
};

struct menu_choice {
	char			label[MENU_LABEL_MAX];	/* "": key unused */
	struct menu_target	to;
};

struct menu_screen {
	char			name[MENU_NAME_MAX];
	int			line;		/* of its [name] */
	int			kind;		/* enum menu_kind */
	char			text[MENU_TEXT_MAX];
	char			tmpl[MENU_NAME_MAX];	/* text from NAME.txt */
	struct menu_choice	choice[MENU_CHOICES_MAX];	/* key i + 1 */
	int			var;		/* MENU_INPUT: enum menu_var */
	struct menu_target	next;		/* MENU_INPUT, MENU_LIST */
};

struct menu {
	struct menu_screen	screen[MENU_SCREENS_MAX];
	int			n;		/* screen[0]: a dial starts */
	int			receipt;	/* SMS receipt after a case */
	char			back[MENU_LABEL_MAX];	/* the "0" line */
	char			more[MENU_LABEL_MAX];	/* a list's "9" line */
	char			hint[MENU_LABEL_MAX];	/* a screen again */
	char			expired[MENU_TEXT_MAX];	/* no session */
	char			busy[MENU_TEXT_MAX];	/* dial at the cap */
};

/* What a screen shows besides its own text. */
struct menu_vals {
	const char		*procedure;	/* the chosen one's name */
	const char		*request;	/* as typed */
	const char		*code;
	const char *const	*items;		/* MENU_LIST: procedure names */
	int			 nitems;
	int			 first;		/* MENU_LIST: page start */
	int			 back;		/* not the first screen */
	int			 hint;		/* after a wrong answer */
	/* set by menu_render on a MENU_LIST screen: */
	int			 shown;		/* items on the page */
	int			 more;		/* MENU_MORE_KEY pages on */
};

/*
 * Parses text into m; -1 with "name:line: message" in err. Every screen
 * without a template must fit one USSD page with its longest variables
 * (menu_check with an empty list); the caller checks again with the
 * procedures and the template texts filled in.
 */
int	 menu_parse(const char *name, const char *text, struct menu *m,
	    char *err, size_t errlen);
/* The screen named name, or -1. */
int	 menu_find(const struct menu *, const char *name);
/* Sets a template screen's text (rendered by the caller); -1 if too long. */
int	 menu_set_text(struct menu *, int screen, const char *utf8);
/*
 * Every screen rendered at its longest (procedure: longest, or a filler
 * when NULL; every page of the list of items) must fit one page; -1 with
 * "name:line: screen [x] ..." in err.
 */
int	 menu_check(const struct menu *, const char *name,
	    const char *longest_procedure, const char *const *items,
	    int nitems, char *err, size_t errlen);
/*
 * A screen as the phone shows it, folded to plain letters; bytes or -1.
 * A list page holds as many items as fit one USSD page (at most 8) and,
 * when more remain, the "more" line.
 */
int	 menu_render(const struct menu *, int screen, struct menu_vals *,
	    char *out, size_t cap);
/* Whether folded text fits one page; *used and *limit for messages. */
int	 menu_page_fits(const char *folded, int *used, int *limit);
/* Whether screen i shows the "0 back" line: it is not the first, or some
 * choice or answer leads back to it. */
int	 menu_has_back(const struct menu *, int i);

#endif
