/*
 * The office's procedures file: one procedure a line,
 *	CODE | name | fee | working days | documents
 * with `#` comments. Pure: the caller reads the file.
 */
#ifndef PROCEDURES_H
#define PROCEDURES_H

#include <stddef.h>

#define PROC_MAX	64

struct procedure {
	char	code[8];
	char	name[128];
	char	fee[96];
	int	days;
	char	documents[512];
	char	aliases[256];	/* other names citizens use, '|'-separated */
};

struct procedures {
	struct procedure p[PROC_MAX];
	int		 n;
};

/* Parses text; -1 with "name:line: message" in err. */
int	procedures_parse(const char *name, const char *text,
	    struct procedures *out, char *err, size_t errlen);
/* The procedure with this code (any case), or NULL. */
const struct procedure *procedures_find(const struct procedures *,
	    const char *code);

#endif
