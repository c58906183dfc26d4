/*
 * procedures_parse on any text: the office's procedures file, edited by
 * staff. A file that loads holds 1-64 procedures with unique codes, each
 * found again by procedures_find in any case.
 */
#include <ctype.h>

#include "fuzz.h"

#include "procedures.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	struct procedures	*ps = malloc(sizeof(*ps));
	char			*text = fuzz_cstr(d, size), err[256], lower[8];
	int			 i, j;

	FUZZ_CHECK(ps != NULL);
	err[0] = '\0';
	if (procedures_parse("procedures.list", text, ps, err,
	    sizeof(err)) == -1) {
		FUZZ_CHECK(strncmp(err, "procedures.list:", 16) == 0);
		goto out;
	}
	FUZZ_CHECK(ps->n >= 1 && ps->n <= PROC_MAX);
	for (i = 0; i < ps->n; i++) {
		const struct procedure *p = &ps->p[i];

		FUZZ_TERMINATED(p->code);
		FUZZ_TERMINATED(p->name);
		FUZZ_TERMINATED(p->fee);
		FUZZ_TERMINATED(p->documents);
		FUZZ_CHECK(p->code[0] != '\0' && p->name[0] != '\0');
		FUZZ_CHECK(strspn(p->code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789") == strlen(p->code));
		FUZZ_CHECK(p->days >= 0 && p->days <= 365);
		FUZZ_CHECK(procedures_find(ps, p->code) == p);
		for (j = 0; p->code[j]; j++)
			lower[j] = (char)tolower((unsigned char)p->code[j]);
		lower[j] = '\0';
		FUZZ_CHECK(procedures_find(ps, lower) == p);
	}
out:
	free(text);
	free(ps);
	return 0;
}
