/*
 * A tiny table-driven test harness: every CHECK prints one line only when it
 * fails; each test binary ends with "name: N passed, M failed" and exits
 * non-zero on failure. tests/run.sh adds the counts up.
 */
#ifndef CHECK_H
#define CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond, ...) do {						\
	if (cond) { check_passed++; } else {				\
		check_failed++;						\
		fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
	}								\
} while (0)

#define CHECK_STR(got, want) CHECK(strcmp((got), (want)) == 0,		\
	"got \"%s\", want \"%s\"", (got), (want))
#define CHECK_INT(got, want) CHECK((long long)(got) == (long long)(want),	\
	"got %lld, want %lld", (long long)(got), (long long)(want))

static inline int
check_report(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, check_passed, check_failed);
	return check_failed ? 1 : 0;
}

#endif
