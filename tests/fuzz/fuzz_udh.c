/*
 * text_udh_parse: the User Data Header at the start of a short_message
 * with esm_class UDHI, as gateway/office/inbound.c reads it before decoding.
 */
#include "fuzz.h"

#include "text.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	struct text_concat	 c;
	uint8_t			*in = fuzz_dup(d, size);
	char			 out[1024];
	int			 n;

	n = text_udh_parse(in, size, &c);
	if (n == -1)
		goto out;
	/* The UDH is its length byte plus that many bytes, all present. */
	FUZZ_CHECK(n >= 1 && (size_t)n <= size && n == in[0] + 1);
	/* No concatenation IE, or one whose part is within the set. */
	FUZZ_CHECK((c.ref == 0 && c.total == 1 && c.seq == 1) ||
	    (c.seq >= 1 && c.seq <= c.total && c.total <= 255 &&
	    c.ref >= 0 && c.ref <= 0xFFFF));
	/* What inbound.c decodes next. */
	(void)text_decode(TEXT_DC_GSM7, TEXT_GSM7, in + n, size - (size_t)n,
	    out, sizeof(out));
	(void)text_decode(TEXT_DC_UCS2, TEXT_GSM7, in + n, size - (size_t)n,
	    out, sizeof(out));
out:
	free(in);
	return 0;
}
