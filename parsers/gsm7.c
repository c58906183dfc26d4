/*
 * GSM 03.38 (3GPP TS 23.038) default alphabet and its extension table, one
 * character at a time. SMPP carries GSM7 unpacked, one septet per octet, so
 * there is no bit packing here. The national single-shift tables are not
 * supported: Vietnamese has none.
 */
#include <stddef.h>
#include <stdint.h>

#include "text.h"

#define GSM7_ESC	0x1B
#define GSM7_NONE	0xFFFF	/* never equal to a code point we look up */

/* Indexed by septet. ESC is GSM7_NONE: it is a prefix, not a character. */
static const uint16_t gsm7_basic[128] = {
	0x0040, 0x00A3, 0x0024, 0x00A5, 0x00E8, 0x00E9, 0x00F9, 0x00EC,
	0x00F2, 0x00C7, 0x000A, 0x00D8, 0x00F8, 0x000D, 0x00C5, 0x00E5,
	0x0394, 0x005F, 0x03A6, 0x0393, 0x039B, 0x03A9, 0x03A0, 0x03A8,
	0x03A3, 0x0398, 0x039E, GSM7_NONE, 0x00C6, 0x00E6, 0x00DF, 0x00C9,
	0x0020, 0x0021, 0x0022, 0x0023, 0x00A4, 0x0025, 0x0026, 0x0027,
	0x0028, 0x0029, 0x002A, 0x002B, 0x002C, 0x002D, 0x002E, 0x002F,
	0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037,
	0x0038, 0x0039, 0x003A, 0x003B, 0x003C, 0x003D, 0x003E, 0x003F,
	0x00A1, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047,
	0x0048, 0x0049, 0x004A, 0x004B, 0x004C, 0x004D, 0x004E, 0x004F,
	0x0050, 0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0056, 0x0057,
	0x0058, 0x0059, 0x005A, 0x00C4, 0x00D6, 0x00D1, 0x00DC, 0x00A7,
	0x00BF, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065, 0x0066, 0x0067,
	0x0068, 0x0069, 0x006A, 0x006B, 0x006C, 0x006D, 0x006E, 0x006F,
	0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076, 0x0077,
	0x0078, 0x0079, 0x007A, 0x00E4, 0x00F6, 0x00F1, 0x00FC, 0x00E0,
};

static const struct {
	uint8_t		septet;
	uint16_t	cp;
} gsm7_ext[] = {
	{ 0x0A, 0x000C }, { 0x14, 0x005E }, { 0x28, 0x007B }, { 0x29, 0x007D },
	{ 0x2F, 0x005C }, { 0x3C, 0x005B }, { 0x3D, 0x007E }, { 0x3E, 0x005D },
	{ 0x40, 0x007C }, { 0x65, 0x20AC },
};

#define NEXT	(sizeof gsm7_ext / sizeof gsm7_ext[0])

int
text_gsm7_encode_char(int32_t cp, uint8_t out[2])
{
	size_t i;

	/* Most text is ASCII letters and digits, which map to themselves. */
	if (cp >= 0 && cp < 0x80 && gsm7_basic[cp] == cp) {
		out[0] = (uint8_t)cp;
		return 1;
	}
	for (i = 0; i < 128; i++) {
		if (gsm7_basic[i] == cp) {
			out[0] = (uint8_t)i;
			return 1;
		}
	}
	for (i = 0; i < NEXT; i++) {
		if (gsm7_ext[i].cp == cp) {
			out[0] = GSM7_ESC;
			out[1] = gsm7_ext[i].septet;
			return 2;
		}
	}
	return 0;
}

static int32_t
gsm7_ext_char(uint8_t septet)
{
	size_t i;

	for (i = 0; i < NEXT; i++)
		if (gsm7_ext[i].septet == septet)
			return gsm7_ext[i].cp;
	return TEXT_REPLACEMENT;
}

int32_t
text_gsm7_decode_char(const uint8_t *in, size_t n, size_t *used)
{
	*used = 1;
	if (in[0] >= 0x80)
		return TEXT_REPLACEMENT;
	if (in[0] != GSM7_ESC)
		return gsm7_basic[in[0]];
	/* A byte >= 0x80 after ESC is its own error, so leave it for the caller. */
	if (n < 2 || in[1] >= 0x80)
		return TEXT_REPLACEMENT;
	*used = 2;
	return gsm7_ext_char(in[1]);
}

long
text_gsm7_to_dc0(uint8_t *ud, size_t len, enum text_alphabet dc0)
{
	size_t	i = 0, o = 0, used;
	int32_t	cp, limit = dc0 == TEXT_LATIN1 ? 0x100 : 0x80;

	if (dc0 != TEXT_LATIN1 && dc0 != TEXT_ASCII)
		return (long)len;
	while (i < len) {
		cp = text_gsm7_decode_char(ud + i, len - i, &used);
		/* The SMSC maps these bytes back to GSM on the air: a character
		 * the alphabet lacks would arrive as something else. */
		if (cp < 0 || cp >= limit || cp == TEXT_REPLACEMENT)
			return -1;
		ud[o++] = (uint8_t)cp;	/* o <= i: in place is safe */
		i += used;
	}
	return (long)o;
}
