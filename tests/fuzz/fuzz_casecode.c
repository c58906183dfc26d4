/*
 * Case codes as citizens type them (SMS, USSD) and staff import them:
 * casecode_canon, casecode_check and casecode_expand_short, plus the
 * promise that makes MISTYPED worth answering: a code we made checks
 * VALID, and one wrong digit or one swap of neighbours checks MISTYPED.
 * Byte 0 picks the prefix, bytes 1-4 a sequence number, byte 5 a year.
 */
#include "fuzz.h"

#include "casecode.h"

static const char *const prefixes[] = { "MC", "mc", "HS", "A",
	"ABCDEFGH", "ABCDEFGHI", "", "M1" };

static void
check_made(const char *prefix, int year, unsigned seq)
{
	char	code[CASECODE_MAX], slip[CASECODE_MAX];
	size_t	plen, n, i;
	int	len;

	if ((len = casecode_make(prefix, year, seq, code, sizeof(code))) < 0)
		return;
	FUZZ_CHECK((size_t)len == strlen(code));
	FUZZ_CHECK(casecode_check(code, prefix) == CASECODE_VALID);
	plen = strlen(prefix);
	n = (size_t)len;
	for (i = plen; i < n; i++) {
		memcpy(slip, code, n + 1);
		slip[i] = (char)('0' + (slip[i] - '0' + 1 + seq % 9) % 10);
		FUZZ_CHECK(casecode_check(slip, prefix) == CASECODE_MISTYPED);
		if (i + 1 < n && code[i] != code[i + 1]) {
			memcpy(slip, code, n + 1);
			slip[i] = code[i + 1];
			slip[i + 1] = code[i];
			FUZZ_CHECK(casecode_check(slip, prefix) ==
			    CASECODE_MISTYPED);
		}
	}
}

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	const char	*prefix;
	char		*in, canon[CASECODE_MAX], canon2[CASECODE_MAX];
	char		*big, out[64];
	unsigned	 seq;
	int		 n, k, i;

	if (size < 6)
		return 0;
	prefix = prefixes[d[0] % (sizeof(prefixes) / sizeof(prefixes[0]))];
	seq = (unsigned)d[1] << 24 | (unsigned)d[2] << 16 |
	    (unsigned)d[3] << 8 | d[4];
	check_made(prefix, d[5] % 128, seq % ((d[1] & 1) ? 100000 : ~0u));
	in = fuzz_cstr(d + 6, size - 6);
	FUZZ_CHECK((big = malloc(size)) != NULL);

	/* canon: uppercase, separators gone, idempotent, bounded. */
	n = casecode_canon(in, big, size);
	FUZZ_CHECK(n >= 0 && (size_t)n == strlen(big));
	for (i = 0; i < n; i++)
		FUZZ_CHECK(!strchr(" \t.-_/", big[i]) &&
		    !(big[i] >= 'a' && big[i] <= 'z'));
	FUZZ_CHECK(casecode_canon(big, out, 0) == -1);
	k = casecode_canon(in, canon, sizeof(canon));
	FUZZ_CHECK(k == -1 || (k == n && strcmp(canon, big) == 0));
	if (k >= 0) {
		FUZZ_CHECK(casecode_canon(canon, canon2, sizeof(canon2)) == k);
		FUZZ_CHECK(strcmp(canon, canon2) == 0);
	}

	/* check: a kind, the same for a code and its canonical form. */
	k = casecode_check(in, prefix);
	FUZZ_CHECK(k >= CASECODE_FOREIGN && k <= CASECODE_MISTYPED);
	FUZZ_CHECK(casecode_check(big, prefix) == k);

	/* expand_short: unit code (canonical) + 10 digits, or nothing. */
	memset(out, 'X', sizeof(out));
	k = casecode_expand_short(in, "000.00.20.H12", out, sizeof(out));
	FUZZ_CHECK(k == 0 || k == 1);
	if (k == 1) {
		FUZZ_CHECK(strlen(out) == 20 &&
		    strncmp(out, "0000020H12", 10) == 0);
		FUZZ_CHECK(strspn(out + 10, "0123456789") == 10);
	} else
		FUZZ_CHECK(out[0] == 'X');
	FUZZ_CHECK(casecode_expand_short(in, "000.00.20.H12", out, 20) <= 0);
	FUZZ_CHECK(casecode_expand_short(in, "", out, sizeof(out)) == 0);
	FUZZ_CHECK(casecode_expand_short(in, NULL, out, sizeof(out)) == 0);
	k = casecode_damm(in);
	FUZZ_CHECK(k >= -1 && k <= 9);
	free(big);
	free(in);
	return 0;
}
