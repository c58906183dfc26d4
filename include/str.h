/*
 * Bounded string copies: what snprintf(dst, cap, "%s", src) and "%.*s" do,
 * without the format machinery, which showed in the per-message profile.
 * glibc has no strlcpy before 2.38.
 */
#ifndef STR_H
#define STR_H

#include <string.h>

/* Copies what fits of src and terminates (cap > 0); returns strlen(src). */
static inline size_t
str_copy(char *dst, const char *src, size_t cap)
{
	size_t	n = strlen(src), k;

	if (cap > 0) {
		k = n < cap - 1 ? n : cap - 1;
		memmove(dst, src, k);
		dst[k] = '\0';
	}
	return n;
}

/* The same for the first n bytes of src, or up to its NUL if sooner. */
static inline size_t
str_copyn(char *dst, size_t cap, const char *src, size_t n)
{
	const char	*nul = memchr(src, '\0', n);
	size_t		 k;

	if (nul != NULL)
		n = (size_t)(nul - src);
	if (cap > 0) {
		k = n < cap - 1 ? n : cap - 1;
		memmove(dst, src, k);
		dst[k] = '\0';
	}
	return n;
}

#endif
