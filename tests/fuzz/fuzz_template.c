/*
 * template_parse, template_render and template_worst_case on any text:
 * reply templates are edited by office staff. Byte 0 picks the allowed
 * variables (any, status.txt's, none) and byte 1 the filler length; the
 * rest is the file.
 */
#include "fuzz.h"

#include "template.h"

#define FILL	"ệ"	/* one character, three bytes */
#define NV_MAX	64
#define OUT_MAX	(1 << 18)

static const char *const status_vars[] = {
	"code", "procedure", "status", "due", "late", NULL
};
static const char *const no_vars[] = { NULL };

static size_t
chars(const char *s)
{
	size_t	n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static int
valid_name(const char *s)
{
	const char	*p;

	for (p = s; *p; p++)
		if (!(*p == '_' || (*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z') || (p > s && *p >= '0' &&
		    *p <= '9')))
			return 0;
	return p > s;
}

static void
check_vars(const char *const *vars, size_t nv, const char *const *allowed)
{
	size_t	i, j;

	FUZZ_CHECK(vars[nv] == NULL);
	for (i = 0; i < nv; i++) {
		FUZZ_CHECK(valid_name(vars[i]));
		for (j = 0; j < i; j++)
			FUZZ_CHECK(strcmp(vars[i], vars[j]) != 0);
		if (allowed == NULL)
			continue;
		for (j = 0; allowed[j]; j++)
			if (strcmp(allowed[j], vars[i]) == 0)
				break;
		FUZZ_CHECK(allowed[j] != NULL);
	}
}

/* Every variable set to k fillers: lengths add up, worst case is exact. */
static void
check_render(const struct template *t, const char *const *vars, size_t nv,
    size_t k, char *out)
{
	const char	*vals[NV_MAX];
	size_t		 caps[NV_MAX], i;
	char		 fill[8 * 3 + 1];
	int		 lit, n;

	lit = template_render(t, NULL, NULL, 0, out, OUT_MAX);
	FUZZ_CHECK(lit >= 0 && fuzz_utf8_valid(out));
	FUZZ_CHECK(template_worst_case(t, NULL, NULL, 0, 0) == chars(out));
	for (i = 0; i < k; i++)
		memcpy(fill + 3 * i, FILL, 3);
	fill[3 * k] = '\0';
	for (i = 0; i < nv; i++) {
		vals[i] = fill;
		caps[i] = k;
	}
	n = template_render(t, vars, vals, nv, out, OUT_MAX);
	FUZZ_CHECK(n >= lit && (size_t)(n - lit) % (3 * k) == 0);
	FUZZ_CHECK(nv > 0 || n == lit);
	FUZZ_CHECK(template_worst_case(t, vars, caps, nv, 0) == chars(out));
	FUZZ_CHECK(template_worst_case(t, NULL, NULL, 0, k) == chars(out));
	/* Exactly enough room, then one byte short. */
	FUZZ_CHECK(template_render(t, vars, vals, nv, out, (size_t)n + 1) == n);
	FUZZ_CHECK(template_render(t, vars, vals, nv, out, (size_t)n) == -1);
	FUZZ_CHECK(out[0] == '\0');
}

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	const char *const	*allowed, *const *vars;
	struct template		*t;
	char			*text, *out, err[256];
	size_t			 nv;

	if (size < 2)
		return 0;
	allowed = d[0] % 3 == 0 ? NULL : d[0] % 3 == 1 ? status_vars : no_vars;
	text = fuzz_cstr(d + 2, size - 2);
	err[0] = '\0';
	t = template_parse("status.txt", text, allowed, err, sizeof(err));
	if (t == NULL) {
		FUZZ_CHECK(strncmp(err, "status.txt:", 11) == 0);
		FUZZ_TERMINATED(err);
		goto out;
	}
	vars = template_vars(t, &nv);
	check_vars(vars, nv, allowed);
	if (nv <= NV_MAX) {
		FUZZ_CHECK((out = malloc(OUT_MAX)) != NULL);
		check_render(t, vars, nv, 1 + d[1] % 8, out);
		free(out);
	}
	template_free(t);
out:
	free(text);
	return 0;
}
