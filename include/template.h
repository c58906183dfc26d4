/*
 * template: the reply texts staff edit, compiled once at start-up (and on
 * SIGHUP) and rendered for every reply.
 *
 * Syntax: UTF-8 text with {{name}} placeholders; spaces or tabs inside the
 * braces are allowed ({{ code }}). A name is [A-Za-z_][A-Za-z0-9_]*. There
 * is no escape: a text cannot contain a literal "{{" (SMS aggregators
 * reject braces anyway). A "}}" without an opening "{{" is plain text.
 *
 * Parsing is forgiving about how files are saved and strict about what
 * they say: a UTF-8 byte order mark is dropped, CRLF becomes LF (Windows
 * Notepad), and exactly one trailing newline is stripped (files end with
 * one, an SMS should not). Not valid UTF-8 (e.g. a file saved as TCVN3,
 * VNI or Windows-1258), a placeholder not closed on its own line, an empty
 * or malformed one, or one the template may not use is an error.
 */
#ifndef TEMPLATE_H
#define TEMPLATE_H

#include <stddef.h>

struct template;

/*
 * Compiles text. name is only used in error messages (pass the file name).
 * allowed_vars is a NULL-terminated list of the variables this template
 * may use; NULL allows any name (broadcast templates, whose variables are
 * only known when a broadcast supplies them). On error returns NULL and
 * writes "name:line: message" into err (if err is not NULL), e.g.
 *	status.txt:2: unknown placeholder {{foo}} (known: code, status)
 * with line counted within text. Also NULL ("out of memory") if malloc
 * fails. The result is freed with template_free().
 */
struct template	*template_parse(const char *name, const char *text,
		    const char *const *allowed_vars, char *err,
		    size_t errlen);

/*
 * Renders into out. keys[i] has the value vals[i], for i < nvars; a
 * variable missing from keys, or with a NULL value, renders as "". Extra
 * keys are ignored. Returns the length in bytes (out is NUL-terminated),
 * or -1 if out (cap bytes, NUL included) is too small, leaving out "".
 */
int	template_render(const struct template *t, const char *const *keys,
	    const char *const *vals, size_t nvars, char *out, size_t cap);

/*
 * Whether t has no text of its own: only blanks around its placeholders,
 * so it renders blank when they are empty. A reply like that would send
 * citizens an empty SMS; replies_load refuses it.
 */
int	template_blank(const struct template *t);

/* The distinct placeholder names t uses, in order of first use, NULL-
 * terminated; their count in *n if n is not NULL. Owned by t. */
const char *const *template_vars(const struct template *t, size_t *n);

/*
 * The longest rendering of t, in characters (Unicode code points, not
 * bytes): its literal text plus, for every placeholder occurrence, the
 * maximum length of that variable: max_chars[i] for keys[i], default_max
 * for a variable not in keys. Used at start-up to report templates that
 * can exceed max_segments. It is an estimate of characters only: choosing
 * GSM7 or UCS-2 and counting GSM7 escape characters twice is the
 * encoder's business. For an exact figure, render with filler values of
 * the maximum length and hand the result to the real encoder.
 */
size_t	template_worst_case(const struct template *t,
	    const char *const *keys, const size_t *max_chars, size_t nkeys,
	    size_t default_max);

void	template_free(struct template *t);

#endif
