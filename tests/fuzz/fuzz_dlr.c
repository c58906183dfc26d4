/*
 * Delivery receipts as the SMSC sends them: dlr_parse on the raw
 * short_message bytes (not NUL-terminated, exact size, so a read past the
 * end is caught), then the ids that tie a receipt to its message. The
 * input is also read as a message_id, and bytes 0-7 as a number written
 * in decimal and in hex: both spellings must meet on a key.
 */
#include <inttypes.h>

#include "fuzz.h"

#include "dlr.h"

static void
check_keys(const char *id)
{
	char	keys[2][DLR_KEY_MAX], key[DLR_KEY_MAX];
	int	n;

	n = dlr_id_keys(id, keys);
	FUZZ_CHECK(n == -1 || n == 1 || n == 2);
	FUZZ_CHECK((n == -1) == (id[0] == '\0' || strlen(id) >= DLR_ID_MAX));
	if (n == -1)
		return;
	FUZZ_TERMINATED(keys[0]);
	FUZZ_CHECK(dlr_id_key(id, key, sizeof(key)) == (int)strlen(keys[0]));
	FUZZ_CHECK(strcmp(key, keys[0]) == 0);
	if (n == 2) {
		FUZZ_TERMINATED(keys[1]);
		FUZZ_CHECK(strcmp(keys[0], keys[1]) != 0);
		FUZZ_CHECK(strspn(id, "0123456789") == strlen(id));
	}
	/* Too small a buffer is an error, not a cut key. */
	FUZZ_CHECK(dlr_id_key(id, key, strlen(keys[0])) == -1);
}

/* The decimal spelling of v is a key of its hex spelling, with zeros. */
static void
check_bases(uint64_t v, int zeros)
{
	char	dec[32], hex[32], keys[2][DLR_KEY_MAX];
	int	n;

	snprintf(dec, sizeof(dec), "%" PRIu64, v);
	snprintf(hex, sizeof(hex), zeros ? "%016" PRIX64 : "%" PRIx64, v);
	FUZZ_CHECK((n = dlr_id_keys(hex, keys)) >= 1);
	FUZZ_CHECK(strcmp(keys[0], dec) == 0 ||
	    (n == 2 && strcmp(keys[1], dec) == 0));
	FUZZ_CHECK(dlr_id_keys(dec, keys) >= 1 && strcmp(keys[0], dec) == 0);
}

static void
check_time(const struct dlr_time *t)
{
	FUZZ_CHECK(t->year >= 2000 && t->year <= 2099);
	FUZZ_CHECK(t->mon >= 1 && t->mon <= 12 && t->mday >= 1 &&
	    t->mday <= 31 && t->hour >= 0 && t->hour <= 23 && t->min >= 0 &&
	    t->min <= 59 && t->sec >= 0 && t->sec <= 60);
}

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	struct dlr	 r;
	const char	*err = NULL;
	uint8_t		*body = fuzz_dup(d, size);
	char		*id;
	uint64_t	 v = 0;
	size_t		 i;
	int		 rc;

	rc = dlr_parse((const char *)body, size, &r, &err);
	FUZZ_CHECK((rc == 0) == (err == NULL));
	if (rc == 0) {
		FUZZ_CHECK(r.id[0] != '\0');
		FUZZ_TERMINATED(r.id);
		FUZZ_TERMINATED(r.stat_text);
		FUZZ_TERMINATED(r.err);
		FUZZ_CHECK(r.stat >= DLR_ENROUTE && r.stat <= DLR_REJECTD);
		FUZZ_CHECK(strcmp(dlr_stat_name(r.stat), "?") != 0);
		if (r.has_submit)
			check_time(&r.submit);
		if (r.has_done)
			check_time(&r.done);
		check_keys(r.id);
	}
	free(body);

	id = fuzz_cstr(d, size);
	check_keys(id);
	free(id);
	for (i = 0; i < 8 && i < size; i++)
		v = v << 8 | d[i];
	check_bases(v, size > 0 && d[0] & 1);
	rc = dlr_stat_from_message_state(size ? d[0] : 0);
	FUZZ_CHECK(rc == -1 || (rc >= DLR_ENROUTE && rc <= DLR_REJECTD));
	return 0;
}
