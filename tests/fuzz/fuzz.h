/*
 * What every fuzz target shares: a checked invariant that aborts (so
 * libFuzzer keeps the input), exact-size copies of the input (so ASan sees
 * a read one byte past the end), and a strict UTF-8 check.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <libgen.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

/* A malloc'd copy of exactly n bytes (1 when n is 0). */
static inline uint8_t *
fuzz_dup(const uint8_t *d, size_t n)
{
	uint8_t	*p = malloc(n ? n : 1);

	FUZZ_CHECK(p != NULL);
	if (n)
		memcpy(p, d, n);
	return p;
}

/* A malloc'd C string of the input; an embedded NUL ends it early. */
static inline char *
fuzz_cstr(const uint8_t *d, size_t n)
{
	char	*s = malloc(n + 1);

	FUZZ_CHECK(s != NULL);
	memcpy(s, d, n);
	s[n] = '\0';
	return s;
}

/* 1 if s is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF). */
static inline int
fuzz_utf8_valid(const char *s)
{
	const uint8_t	*p = (const uint8_t *)s;
	uint32_t	 cp;
	int		 n, i;

	while (*p) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((*p & 0xE0) == 0xC0)
			n = 2, cp = *p & 0x1F;
		else if ((*p & 0xF0) == 0xE0)
			n = 3, cp = *p & 0x0F;
		else if ((*p & 0xF8) == 0xF0)
			n = 4, cp = *p & 0x07;
		else
			return 0;
		for (i = 1; i < n; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i] & 0x3F);
		}
		if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
		    (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		p += n;
	}
	return 1;
}

/* strnlen(s, cap) < cap: the field holds a terminated string. */
#define FUZZ_TERMINATED(a)	FUZZ_CHECK(strnlen((a), sizeof(a)) < sizeof(a))

static inline char *
fuzz_slurp(const char *path)
{
	FILE	*f;
	char	*buf;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	FUZZ_CHECK(n >= 0 && (buf = malloc((size_t)n + 1)) != NULL);
	buf[fread(buf, 1, (size_t)n, f)] = '\0';
	fclose(f);
	return buf;
}

/* templates/vi/NAME from the working directory or the binary's. */
static inline char *
fuzz_slurp_template(const char *argv0, const char *name)
{
	char	 path[4096], self[4096];
	char	*text;

	snprintf(path, sizeof(path), "templates/vi/%s", name);
	if ((text = fuzz_slurp(path)) != NULL)
		return text;
	snprintf(self, sizeof(self), "%s", argv0);
	snprintf(path, sizeof(path), "%s/../../templates/vi/%s", dirname(self),
	    name);
	if ((text = fuzz_slurp(path)) == NULL) {
		fprintf(stderr, "fuzz: cannot read templates/vi/%s: run "
		    "from the repository root\n", name);
		exit(1);
	}
	return text;
}

#endif
