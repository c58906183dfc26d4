/*
 * msisdn_normalize and msisdn_national: numbers from SMPP source_addr, the
 * admin API, the staff tool and CSV imports. Byte 0 picks the country
 * code ([sms] country_code); the rest is the number.
 */
#include "fuzz.h"

#include "msisdn.h"

static const char *const ccs[] = { "84", NULL, "", "1", "44", "856", "0",
	"8a", "1234" };

static void
check_canonical(const char *out, int n, const char *cc)
{
	char	again[MSISDN_MAX], plus[MSISDN_MAX + 1], nat[MSISDN_MAX];
	size_t	i;
	int	k;

	FUZZ_CHECK((size_t)n == strlen(out) && n >= 8 && n <= 15);
	for (i = 0; out[i]; i++)
		FUZZ_CHECK(out[i] >= '0' && out[i] <= '9');
	FUZZ_CHECK(out[0] != '0');
	/* A Vietnamese number is a mobile: 84 + [35789] + 8 digits. */
	if (strncmp(out, "84", 2) == 0)
		FUZZ_CHECK(n == 11 && strchr("35789", out[2]) != NULL);
	/* The canonical form, written international, is a fixed point. */
	snprintf(plus, sizeof(plus), "+%s", out);
	FUZZ_CHECK(msisdn_normalize(plus, cc, again, sizeof(again), NULL) == n);
	FUZZ_CHECK(strcmp(again, out) == 0);
	/* The national form of an 84 number reads back the same. */
	k = msisdn_national(out, nat, sizeof(nat));
	FUZZ_CHECK((k >= 0) == (strncmp(out, "84", 2) == 0));
	if (k >= 0) {
		FUZZ_CHECK(k == n - 1 && nat[0] == '0');
		FUZZ_CHECK(msisdn_normalize(nat, "84", again, sizeof(again),
		    NULL) == n && strcmp(again, out) == 0);
	}
}

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	const char	*cc, *err = NULL;
	char		*in, out[MSISDN_MAX], small[8], nat[32];
	int		 n, m;

	if (size < 1)
		return 0;
	cc = ccs[d[0] % (sizeof(ccs) / sizeof(ccs[0]))];
	in = fuzz_cstr(d + 1, size - 1);
	n = msisdn_normalize(in, cc, out, sizeof(out), &err);
	FUZZ_CHECK((n == -1) == (err != NULL));
	if (n >= 0)
		check_canonical(out, n, cc);
	/* A short buffer: -1, or the same number if it fits. */
	m = msisdn_normalize(in, cc, small, sizeof(small), NULL);
	FUZZ_CHECK(m == -1 || (m == n && strcmp(small, out) == 0));
	/* Whatever the input, national never writes past cap. */
	m = msisdn_national(in, nat, (size_t)(d[0] % 32));
	FUZZ_CHECK(m < (int)(d[0] % 32));
	(void)msisdn_is_short_code(in);
	free(in);
	return 0;
}
