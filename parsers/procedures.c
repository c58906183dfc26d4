/*
 * The procedures file. A line per procedure keeps it editable by office
 * staff in any text editor; fields are separated by `|` because names and
 * documents are full of commas.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "procedures.h"

/* Copies field [s, e) trimmed into out; -1 if it does not fit. */
static int
field(const char *s, const char *e, char *out, size_t cap)
{
	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	if ((size_t)(e - s) >= cap)
		return -1;
	memcpy(out, s, (size_t)(e - s));
	out[e - s] = '\0';
	return 0;
}

static const char *
parse_line(const char *s, const char *end, struct procedure *p)
{
	const char	*f[6], *docs_end;
	char		 days[16], *ep, *a;
	int		 n = 0;

	f[n++] = s;
	for (; s < end && n < 6; s++)
		if (*s == '|')
			f[n++] = s + 1;
	if (n < 5 || (n == 6 && memchr(f[5], '|', (size_t)(end - f[5]))))
		return "expected 5 or 6 fields: CODE | name | fee | days | "
		    "documents [| other names; ...]";
	docs_end = n == 6 ? f[5] - 1 : end;
	if (field(f[0], f[1] - 1, p->code, sizeof(p->code)) == -1 ||
	    p->code[0] == '\0' || strspn(p->code,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != strlen(p->code))
		return "the code must be 1 to 7 capital letters or digits";
	if (field(f[1], f[2] - 1, p->name, sizeof(p->name)) == -1 ||
	    p->name[0] == '\0')
		return "the name is empty or longer than 127 bytes";
	if (field(f[2], f[3] - 1, p->fee, sizeof(p->fee)) == -1)
		return "the fee is longer than 95 bytes";
	if (field(f[3], f[4] - 1, days, sizeof(days)) == -1)
		return "the days are not a number";
	p->days = (int)strtol(days, &ep, 10);
	if (days[0] == '\0' || *ep || p->days < 0 || p->days > 365)
		return "the days must be a number from 0 to 365";
	if (field(f[4], docs_end, p->documents, sizeof(p->documents)) == -1)
		return "the documents are longer than 511 bytes";
	if (n == 6 && field(f[5], end, p->aliases, sizeof(p->aliases)) == -1)
		return "the other names are longer than 255 bytes";
	/* Written with ';' in the file, since '|' separates the fields. */
	for (a = p->aliases; (a = strchr(a, ';')) != NULL; a++)
		*a = '|';
	return NULL;
}

int
procedures_parse(const char *name, const char *text, struct procedures *out,
    char *err, size_t errlen)
{
	const char	*s = text, *nl, *why;
	int		 line = 0, i;

	memset(out, 0, sizeof(*out));
	for (; *s; s = *nl ? nl + 1 : nl) {
		nl = s + strcspn(s, "\n");
		line++;
		const char *t = s;
		while (t < nl && isspace((unsigned char)*t))
			t++;
		if (t == nl || *t == '#')
			continue;
		if (out->n == PROC_MAX)
			why = "more than 64 procedures";
		else
			why = parse_line(t, nl, &out->p[out->n]);
		for (i = 0; why == NULL && i < out->n; i++)
			if (strcmp(out->p[i].code, out->p[out->n].code) == 0)
				why = "duplicate procedure code";
		if (why) {
			snprintf(err, errlen, "%s:%d: %s", name, line, why);
			return -1;
		}
		out->n++;
	}
	if (out->n == 0) {
		snprintf(err, errlen, "%s:%d: no procedures", name, line);
		return -1;
	}
	return 0;
}

const struct procedure *
procedures_find(const struct procedures *ps, const char *code)
{
	int	i;

	for (i = 0; i < ps->n; i++)
		if (strcasecmp(ps->p[i].code, code) == 0)
			return &ps->p[i];
	return NULL;
}
