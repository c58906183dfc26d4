/*
 * parsers/text.c and parsers/gsm7.c: decoding, NFC, folding, GSM7/UCS-2
 * encoding and splitting at the SMS part boundaries.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "check.h"
#include "text.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Vietnamese's 134 precomposed letters and what they fold to. */
static const char vn_lower[] =
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ";
static const char vn_upper[] =
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ";
static const char vn_lower_folded[] =
    "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd";
static const char vn_upper_folded[] =
    "AAAAAAAAAAAAAAAAAEEEEEEEEEEEIIIIIOOOOOOOOOOOOOOOOOUUUUUUUUUUUYYYYYD";

static char *
repeat(char *buf, const char *s, int n)
{
	size_t k = strlen(s);
	int i;

	for (i = 0; i < n; i++)
		memcpy(buf + i * k, s, k);
	buf[n * k] = '\0';
	return buf;
}

static size_t
count_cps(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static const char *
decode(int dc, enum text_alphabet dc0, const char *bytes, size_t n)
{
	static char out[256];

	if (text_decode(dc, dc0, (const uint8_t *)bytes, n, out, sizeof out) < 0)
		return "(overflow)";
	return out;
}

static void
test_gsm7_basic(void)
{
	uint8_t sept, enc[2];
	char utf8[8];
	size_t used;
	int32_t cp;
	int k, n = 0;

	for (sept = 0; sept < 0x80; sept++) {
		if (sept == 0x1B)
			continue;
		cp = text_gsm7_decode_char(&sept, 1, &used);
		CHECK(cp != TEXT_REPLACEMENT && used == 1, "septet 0x%02x", sept);
		k = text_gsm7_encode_char(cp, enc);
		CHECK(k == 1 && enc[0] == sept, "septet 0x%02x: U+%04X back as %d/0x%02x",
		    sept, (unsigned)cp, k, enc[0]);
		/* Through the UTF-8 API, as a whole one-character message. */
		CHECK(text_decode(0, TEXT_GSM7, &sept, 1, utf8, sizeof utf8) > 0,
		    "decode 0x%02x", sept);
		CHECK_INT(text_gsm7_len(utf8), 1);
		n++;
	}
	CHECK_INT(n, 127);
	CHECK_STR(decode(0, TEXT_GSM7, "\x00\x02\x11", 3), "@$_");
	CHECK_STR(decode(0, TEXT_GSM7, "\x01\x03\x10\x1f\x24\x40\x60\x7f", 8),
	    "£¥ΔÉ¤¡¿à");
	CHECK_INT(text_gsm7_encode_char('@', enc), 1);
	CHECK_INT(enc[0], 0x00);
	CHECK_INT(text_gsm7_encode_char('$', enc), 1);
	CHECK_INT(enc[0], 0x02);
	CHECK_INT(text_gsm7_encode_char('_', enc), 1);
	CHECK_INT(enc[0], 0x11);
	CHECK_INT(text_gsm7_len("`"), -1);
	CHECK_INT(text_gsm7_len("\t"), -1);
	CHECK_INT(text_gsm7_len("Hồ"), -1);
	CHECK_INT(text_gsm7_len("àèéìòùÉ"), 7);
}

static void
test_gsm7_ext(void)
{
	static const struct {
		const char	*utf8;
		uint8_t		 code;
	} ext[] = {
		{ "\f", 0x0A }, { "^", 0x14 }, { "{", 0x28 }, { "}", 0x29 },
		{ "\\", 0x2F }, { "[", 0x3C }, { "~", 0x3D }, { "]", 0x3E },
		{ "|", 0x40 }, { "€", 0x65 },
	};
	struct text_parts tp;
	uint8_t esc[2];
	size_t i;

	for (i = 0; i < NELEM(ext); i++) {
		CHECK_INT(text_gsm7_len(ext[i].utf8), 2);
		CHECK_INT(text_encode_parts(ext[i].utf8, TEXT_CS_AUTO, 3, 0, &tp), 1);
		CHECK(tp.data_coding == 0 && tp.part[0].len == 2 &&
		    tp.part[0].bytes[0] == 0x1B &&
		    tp.part[0].bytes[1] == ext[i].code, "encode %s", ext[i].utf8);
		esc[0] = 0x1B;
		esc[1] = ext[i].code;
		CHECK_STR(decode(0, TEXT_GSM7, (const char *)esc, 2), ext[i].utf8);
	}
	CHECK_INT(text_gsm7_len("a€b"), 4);
}

static void
test_gsm7_bad(void)
{
	CHECK_STR(decode(0, TEXT_GSM7, "a\x80z\xff", 4), "a\xEF\xBF\xBDz\xEF\xBF\xBD");
	/* ESC + a septet with no extension meaning is one U+FFFD. */
	CHECK_STR(decode(0, TEXT_GSM7, "\x1b" "Ab", 3), "\xEF\xBF\xBD" "b");
	CHECK_STR(decode(0, TEXT_GSM7, "ab\x1b", 3), "ab\xEF\xBF\xBD");
	CHECK_STR(decode(0, TEXT_GSM7, "\x1b\x1b", 2), "\xEF\xBF\xBD");
	CHECK_STR(decode(0, TEXT_GSM7, "\x1b\x90", 2),
	    "\xEF\xBF\xBD\xEF\xBF\xBD");
}

static void
test_decode_other(void)
{
	static const uint8_t emoji[] = { 0xD8, 0x3D, 0xDE, 0x00 };

	CHECK_STR(decode(3, TEXT_GSM7, "caf\xe9 \xa9", 6), "café ©");
	CHECK_STR(decode(0, TEXT_LATIN1, "caf\xe9", 4), "café");
	CHECK_STR(decode(1, TEXT_GSM7, "ok\xe9", 3), "ok\xEF\xBF\xBD");
	CHECK_STR(decode(0, TEXT_ASCII, "@$_", 3), "@$_");
	/* 8-bit: UTF-8 when valid, else one code point per byte. */
	CHECK_STR(decode(4, TEXT_GSM7, "H\xe1\xbb\x93", 4), "Hồ");
	CHECK_STR(decode(2, TEXT_GSM7, "H\xe1\xbb", 3), "Há»");
	/* UCS-2. */
	CHECK_STR(decode(8, TEXT_GSM7, "\x00H\x1e\xd3", 4), "Hồ");
	CHECK_STR(decode(8, TEXT_GSM7, (const char *)emoji, 4), "😀");
	CHECK_STR(decode(8, TEXT_GSM7, "\xd8\x3d\x00\x41", 4), "\xEF\xBF\xBD" "A");
	CHECK_STR(decode(8, TEXT_GSM7, "\xde\x00\x00\x41", 4), "\xEF\xBF\xBD" "A");
	CHECK_STR(decode(8, TEXT_GSM7, "\x00\x41\xd8\x3d", 4), "A\xEF\xBF\xBD");
	CHECK_STR(decode(8, TEXT_GSM7, "\xd8\x3d\xe0\x00", 4), "\xEF\xBF\xBD\xEE\x80\x80");
	CHECK_STR(decode(8, TEXT_GSM7, "\x00\x41\x00", 3), "A\xEF\xBF\xBD");
	CHECK_STR(decode(8, TEXT_GSM7, "\x00", 1), "\xEF\xBF\xBD");
	CHECK_STR(decode(8, TEXT_GSM7, "", 0), "");
	/* NUL cannot live in a C string: dropped. */
	CHECK_STR(decode(8, TEXT_GSM7, "\x00\x41\x00\x00\x00\x42", 6), "AB");
	/* Group bits: 0xF1 is class 1 GSM7, 0x18 UCS-2 with class bits. */
	CHECK_STR(decode(0xF1, TEXT_GSM7, "\x00", 1), "@");
	CHECK_STR(decode(0x18, TEXT_GSM7, "\x00\x41", 2), "A");
}

static void
test_dcs(void)
{
	static const struct {
		int			dc;
		enum text_alphabet	want;
	} t[] = {
		{ 0x00, TEXT_LATIN1 }, { 0x01, TEXT_ASCII }, { 0x02, TEXT_8BIT },
		{ 0x03, TEXT_LATIN1 }, { 0x04, TEXT_8BIT }, { 0x06, TEXT_8BIT },
		{ 0x08, TEXT_UCS2 }, { 0x0B, TEXT_LATIN1 }, { 0x10, TEXT_LATIN1 },
		{ 0x11, TEXT_LATIN1 }, { 0x14, TEXT_8BIT }, { 0x18, TEXT_UCS2 },
		{ 0x1C, TEXT_LATIN1 }, { 0x24, TEXT_8BIT }, { 0x48, TEXT_UCS2 },
		{ 0x80, TEXT_LATIN1 }, { 0xC0, TEXT_LATIN1 }, { 0xD8, TEXT_LATIN1 },
		{ 0xE0, TEXT_UCS2 }, { 0xF0, TEXT_LATIN1 }, { 0xF3, TEXT_LATIN1 },
		{ 0xF4, TEXT_8BIT }, { 0xF7, TEXT_8BIT }, { -1, TEXT_LATIN1 },
		{ 0x100, TEXT_LATIN1 },
	};
	size_t i;

	/* dc0 = Latin-1 shows which codings follow the SMSC default. */
	for (i = 0; i < NELEM(t); i++)
		CHECK(text_dcs_alphabet(t[i].dc, TEXT_LATIN1) == t[i].want,
		    "data_coding 0x%02x", t[i].dc);
	CHECK_INT(text_dcs_alphabet(0, TEXT_GSM7), TEXT_GSM7);
}

static void
test_decode_overflow(void)
{
	char out[4];

	/* "Hồ" is 4 bytes: no room for the NUL, and ồ is never cut. */
	CHECK_INT(text_decode(8, TEXT_GSM7, (const uint8_t *)"\x00H\x1e\xd3", 4,
	    out, sizeof out), -1);
	CHECK_STR(out, "H");
	CHECK_INT(text_decode(0, TEXT_GSM7, (const uint8_t *)"abc", 3,
	    out, sizeof out), 3);
	CHECK_INT(text_decode(0, TEXT_GSM7, (const uint8_t *)"abc", 3, out, 0), -1);
}

static void
test_udh(void)
{
	static const uint8_t ie00[] = { 0x05, 0x00, 0x03, 0x2A, 0x03, 0x02, 'h' };
	static const uint8_t ie08[] = { 0x06, 0x08, 0x04, 0x12, 0x34, 0x02, 0x01 };
	static const uint8_t other[] = { 0x03, 0x24, 0x01, 0x01, 'x' };
	static const uint8_t short_udh[] = { 0x05, 0x00, 0x03, 0x2A };
	static const uint8_t bad_ie[] = { 0x03, 0x00, 0x03, 0x2A, 0x03 };
	static const uint8_t seq0[] = { 0x05, 0x00, 0x03, 0x2A, 0x03, 0x00 };
	struct text_concat c;

	CHECK_INT(text_udh_parse(ie00, sizeof ie00, &c), 6);
	CHECK(c.ref == 0x2A && c.total == 3 && c.seq == 2, "IE 0x00");
	CHECK_INT(text_udh_parse(ie08, sizeof ie08, &c), 7);
	CHECK(c.ref == 0x1234 && c.total == 2 && c.seq == 1, "IE 0x08");
	CHECK_INT(text_udh_parse(other, sizeof other, &c), 4);
	CHECK(c.total == 1 && c.seq == 1, "no concatenation IE");
	CHECK_INT(text_udh_parse(short_udh, sizeof short_udh, &c), -1);
	CHECK_INT(text_udh_parse(bad_ie, sizeof bad_ie, &c), -1);
	CHECK_INT(text_udh_parse(ie00, 0, &c), -1);
	CHECK_INT(text_udh_parse(seq0, sizeof seq0, &c), 6);
	CHECK(c.total == 1, "seq 0 is ignored");
}

static void
test_nfc(void)
{
	static const struct {
		const char	*in, *want;
	} t[] = {
		{ "Tra cu\xcc\x9b\xcc\x81u", "Tra cứu" },
		{ "Tra cứu", "Tra cứu" },
		/* Marks in either order are the same letter. */
		{ "e\xcc\x82\xcc\xa3", "ệ" },
		{ "e\xcc\xa3\xcc\x82", "ệ" },
		{ "Đa\xcc\x86ng ky\xcc\x81", "Đăng ký" },
		{ "a\xff" "b\xe1\xbb", "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" },
		{ "\xed\xa0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" },
		{ "\xc0\xaf", "\xEF\xBF\xBD\xEF\xBF\xBD" },
		{ "", "" },
	};
	/* Three marks in reverse canonical order need more than one pass. */
	const char *mixed = "Ho\xcc\x82\xcc\x80 so\xcc\x9b \xea\xb0\x80 "
	    "\xe1\x84\x80\xe1\x85\xa1 \xe2\x84\xa6 o\xcc\x81\xcc\xa3\xcc\x9b";
	utf8proc_uint8_t *ref;
	char out[64];
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		CHECK(text_nfc(t[i].in, out, sizeof out) >= 0, "nfc %zu", i);
		CHECK_STR(out, t[i].want);
	}
	ref = utf8proc_NFC((const utf8proc_uint8_t *)mixed);
	CHECK(text_nfc(mixed, out, sizeof out) >= 0, "nfc mixed");
	CHECK_STR(out, (const char *)ref);
	free(ref);
	CHECK_INT(text_nfc("Tra cu\xcc\x9b\xcc\x81u", out, 8), -1);
	CHECK_STR(out, "Tra c");
}

/*
 * The fast path's claim: every code point it passes untouched (below
 * U+0300, and U+1E00..U+1EFF) is its own NFC, alone, after a letter and
 * before a letter; and one followed by a combining mark still composes.
 */
static void
test_nfc_quick(void)
{
	utf8proc_uint8_t	 in[16], *ref;
	char			 out[512];
	int32_t			 cp;
	utf8proc_ssize_t	 n;
	int			 bad = 0, checked = 0;

	for (cp = 1; cp <= 0x1EFF; cp++) {
		if (cp == 0x300)
			cp = 0x1E00;
		in[0] = 'a';
		n = utf8proc_encode_char(cp, in + 1);
		memcpy(in + 1 + n, "b", 2);
		ref = utf8proc_NFC(in);
		bad += strcmp((const char *)ref, (const char *)in) != 0;
		bad += text_nfc((const char *)in, out, sizeof out) < 0 ||
		    strcmp(out, (const char *)ref) != 0;
		free(ref);
		/* The same with a combining acute accent after it. */
		memcpy(in + 1 + n, "\xcc\x81", 3);
		ref = utf8proc_NFC(in);
		bad += text_nfc((const char *)in, out, sizeof out) < 0 ||
		    strcmp(out, (const char *)ref) != 0;
		free(ref);
		checked++;
	}
	CHECK_INT(checked, 0x2FF + 0x100);
	CHECK_INT(bad, 0);
	/* Cut to fit, at a whole letter: "Đăng" in 5 bytes is "Đă". */
	CHECK_INT(text_nfc("Đăng ký", out, 5), -1);
	CHECK_STR(out, "Đă");
	CHECK_INT(text_nfc(vn_upper, out, 64), -1);
	CHECK_INT(text_nfc(vn_lower, out, sizeof out), (int)strlen(vn_lower));
	CHECK_STR(out, vn_lower);
}

/* GSM 03.38 bytes rewritten for an SMSC whose data_coding 0 is Latin-1. */
static void
test_gsm7_to_dc0(void)
{
	struct text_parts	tp;
	uint8_t			b[32];
	long			n;

	CHECK_INT(text_encode_parts("a@b_c[é]", TEXT_CS_AUTO, 1, 0, &tp), 1);
	CHECK_INT(tp.data_coding, 0);
	memcpy(b, tp.part[0].bytes, tp.part[0].len);
	n = text_gsm7_to_dc0(b, tp.part[0].len, TEXT_LATIN1);
	CHECK_INT(n, 8);
	CHECK(memcmp(b, "a@b_c[\xe9]", 8) == 0, "Latin-1 bytes");
	memcpy(b, tp.part[0].bytes, tp.part[0].len);
	CHECK_INT(text_gsm7_to_dc0(b, tp.part[0].len, TEXT_ASCII), -1);
	memcpy(b, tp.part[0].bytes, tp.part[0].len);
	CHECK_INT(text_gsm7_to_dc0(b, tp.part[0].len, TEXT_GSM7),
	    (long)tp.part[0].len);
	CHECK(memcmp(b, tp.part[0].bytes, tp.part[0].len) == 0, "GSM7 kept");
	/* The euro sign is GSM (escape 0x65) but not Latin-1. */
	CHECK_INT(text_encode_parts("5 €", TEXT_CS_AUTO, 1, 0, &tp), 1);
	CHECK_INT(tp.data_coding, 0);
	CHECK_INT(text_gsm7_to_dc0(tp.part[0].bytes, tp.part[0].len,
	    TEXT_LATIN1), -1);
	memcpy(b, "\x00\x02\x11", 3);	/* @ $ _ */
	CHECK_INT(text_gsm7_to_dc0(b, 3, TEXT_ASCII), 3);
	CHECK(memcmp(b, "@$_", 3) == 0, "ASCII bytes");
}

static void
test_fold(void)
{
	static const struct {
		const char	*in, *want;
	} t[] = {
		{ "Tra cứu  MC-2500429", "tra cuu mc 2500429" },
		{ "TRACUU mc2500429", "tracuu mc2500429" },
		{ "Tra cu\xcc\x9b\xcc\x81u  MC-2500429", "tra cuu mc 2500429" },
		{ "Đăng ký khai sinh", "dang ky khai sinh" },
		{ "ĐĂNG KÝ", "dang ky" },
		{ "Ðăng ký", "dang ky" },
		{ "  HS#000.01.23.H45-250101-0001 ; ", "hs 000 01 23 h45 250101 0001" },
		{ " :.-#,;/_ \t\r\n", "" },
		{ "a\tb\nc\xc2\xa0" "d", "a b c d" },
		{ "123😀456", "123 456" },
		{ "so\xe2\x80\x8b" "ho", "soho" },
		{ "100% ok?", "100% ok?" },
		{ "Ñandú façade", "nandu facade" },
		{ "“Hồ sơ” – xong…", "\"ho so\" xong" },
		{ "bad\xff" "x", "bad x" },
		{ "", "" },
	};
	char out[256];
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		CHECK(text_fold(t[i].in, out, sizeof out) >= 0, "fold %zu", i);
		CHECK_STR(out, t[i].want);
	}
	CHECK_INT(count_cps(vn_lower) + count_cps(vn_upper), 134);
	text_fold(vn_upper, out, sizeof out);
	CHECK_STR(out, vn_lower_folded);
	CHECK_INT(text_fold("Tra cứu", out, 4), -1);
	CHECK_STR(out, "tra");
	CHECK_INT(text_fold("Tra cứu", out, 8), 7);
}

static void
test_fold_ascii(void)
{
	static const struct {
		const char	*in, *want;
	} t[] = {
		{ "Hồ sơ MC2500429: Đã có kết quả.", "Ho so MC2500429: Da co ket qua." },
		{ "Ho\xcc\x82\xcc\x80 so\xcc\x9b", "Ho so" },
		{ "Hồ sơ đã có kết quả", "Ho so da co ket qua" },
		{ "“Hồ sơ” – xong…", "\"Ho so\" - xong..." },
		{ "5€ 😀\n", "5? ?\n" },
		{ "a\xc2\xa0" "b", "a b" },
		{ "a\xcc\x81\xe2\x80\x8d", "a" },
	};
	char out[256];
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		CHECK(text_fold_ascii(t[i].in, out, sizeof out) >= 0, "fold %zu", i);
		CHECK_STR(out, t[i].want);
	}
	text_fold_ascii(vn_lower, out, sizeof out);
	CHECK_STR(out, vn_lower_folded);
	text_fold_ascii(vn_upper, out, sizeof out);
	CHECK_STR(out, vn_upper_folded);
}

/* Part counts at the boundaries; last is the user data of the last part. */
static void
test_boundaries(void)
{
	static const struct {
		const char	*unit;
		int		 n, parts, dc;
		size_t		 first, last;
	} t[] = {
		{ "a", 160, 1, 0, 160, 160 }, { "a", 161, 2, 0, 153, 8 },
		{ "a", 306, 2, 0, 153, 153 }, { "a", 307, 3, 0, 153, 1 },
		{ "a", 1, 1, 0, 1, 1 }, { "a", 0, 1, 0, 0, 0 },
		{ "€", 80, 1, 0, 160, 160 }, { "€", 81, 2, 0, 152, 10 },
		{ "ồ", 70, 1, 8, 140, 140 }, { "ồ", 71, 2, 8, 134, 8 },
		{ "ồ", 134, 2, 8, 134, 134 }, { "ồ", 135, 3, 8, 134, 2 },
	};
	static char text[4096];
	struct text_parts tp;
	int units;
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		repeat(text, t[i].unit, t[i].n);
		CHECK_INT(text_encode_parts(text, TEXT_CS_AUTO, 10, 7, &tp),
		    t[i].parts);
		CHECK_INT(tp.data_coding, t[i].dc);
		CHECK_INT(tp.truncated, 0);
		CHECK_INT(tp.esm_class, t[i].parts > 1 ? 0x40 : 0);
		CHECK_INT(tp.part[0].len, t[i].first + (t[i].parts > 1 ? 6 : 0));
		CHECK_INT(tp.part[tp.nparts - 1].len,
		    t[i].last + (t[i].parts > 1 ? 6 : 0));
		CHECK_INT(text_count_parts(text, TEXT_CS_AUTO, &units), t[i].parts);
		CHECK_INT(units, t[i].n * (t[i].unit[0] == 'a' || t[i].dc ? 1 : 2));
	}
}

static void
test_udh_bytes(void)
{
	static char text[512];
	struct text_parts tp;
	int i;

	repeat(text, "b", 400);
	CHECK_INT(text_encode_parts(text, TEXT_CS_AUTO, 10, 0xA5, &tp), 3);
	for (i = 0; i < 3; i++) {
		const uint8_t want[6] = { 0x05, 0x00, 0x03, 0xA5, 3, (uint8_t)(i + 1) };

		CHECK(memcmp(tp.part[i].bytes, want, 6) == 0, "UDH of part %d", i + 1);
		CHECK_INT(tp.part[i].bytes[6], 'b');
	}
	CHECK_INT(tp.part[2].len, 6 + 400 - 2 * 153);
}

static void
test_straddle(void)
{
	static char text[512];
	struct text_parts tp;
	int units;

	/* € at septets 153-154: the ESC pair moves whole to part 2. */
	repeat(text, "a", 152);
	strcat(text, "€bbbbbbbbbb");
	CHECK_INT(text_encode_parts(text, TEXT_CS_AUTO, 10, 1, &tp), 2);
	CHECK_INT(tp.part[0].len, 6 + 152);
	CHECK_INT(tp.part[1].len, 6 + 12);
	CHECK(tp.part[1].bytes[6] == 0x1B && tp.part[1].bytes[7] == 0x65,
	    "ESC pair starts part 2");
	CHECK_INT(text_count_parts(text, TEXT_CS_AUTO, &units), 2);
	CHECK_INT(units, 164);

	/* 😀 at units 67-68: the surrogate pair moves whole to part 2. */
	repeat(text, "a", 66);
	strcat(text, "😀bbbbbbbbbb");
	CHECK_INT(text_encode_parts(text, TEXT_CS_AUTO, 10, 1, &tp), 2);
	CHECK_INT(tp.data_coding, 8);
	CHECK_INT(tp.part[0].len, 6 + 132);
	CHECK_INT(tp.part[1].len, 6 + 24);
	CHECK(memcmp(tp.part[1].bytes + 6, "\xd8\x3d\xde\x00", 4) == 0,
	    "surrogate pair starts part 2");
	CHECK_INT(text_count_parts(text, TEXT_CS_AUTO, &units), 2);
	CHECK_INT(units, 78);
}

static void
test_truncate(void)
{
	static char text[2048];
	struct text_parts tp;
	int i;

	repeat(text, "a", 600);
	CHECK_INT(text_encode_parts(text, TEXT_CS_GSM7, 3, 9, &tp), 3);
	CHECK_INT(tp.truncated, 1);
	for (i = 0; i < 3; i++) {
		CHECK(tp.part[i].len <= 6 + 153, "part %d is %zu", i, tp.part[i].len);
		CHECK_INT(tp.part[i].bytes[4], 3);
	}
	CHECK_INT(tp.part[2].len, 159);
	CHECK(memcmp(tp.part[2].bytes + 156, "...", 3) == 0, "ends with ...");
	CHECK_INT(tp.part[2].bytes[155], 'a');
	CHECK_INT(text_count_parts(text, TEXT_CS_GSM7, NULL), 4);

	/* One part: the 160-septet single limit, no UDH. */
	CHECK_INT(text_encode_parts(text, TEXT_CS_GSM7, 1, 9, &tp), 1);
	CHECK(tp.truncated && tp.esm_class == 0 && tp.part[0].len == 160,
	    "single truncated part");
	CHECK(memcmp(tp.part[0].bytes + 157, "...", 3) == 0, "ends with ...");
	CHECK_INT(text_encode_parts(text, TEXT_CS_GSM7, 0, 9, &tp), 1);
	CHECK_INT(text_encode_parts(text, TEXT_CS_GSM7, 99, 9, &tp), 4);
	CHECK_INT(tp.truncated, 0);

	/* An ESC pair that would overlap "..." is dropped whole. */
	repeat(text, "a", 156);
	strcat(text, "€ and more");
	CHECK_INT(text_encode_parts(text, TEXT_CS_GSM7, 1, 0, &tp), 1);
	CHECK_INT(tp.part[0].len, 159);
	CHECK(memcmp(tp.part[0].bytes + 156, "...", 3) == 0, "ends with ...");

	/* UCS-2: "..." is three code units inside the 67. */
	repeat(text, "ồ", 300);
	CHECK_INT(text_encode_parts(text, TEXT_CS_AUTO, 2, 9, &tp), 2);
	CHECK(tp.truncated && tp.data_coding == 8, "UCS-2 truncated");
	CHECK_INT(tp.part[1].len, 140);
	CHECK(memcmp(tp.part[1].bytes + 134, "\0.\0.\0.", 6) == 0, "ends with ...");
	CHECK(memcmp(tp.part[1].bytes + 132, "\x1e\xd3", 2) == 0, "ồ before ...");
}

static void
test_charsets(void)
{
	static char text[1024];
	struct text_parts tp;

	CHECK_INT(text_encode_parts("Ho so da co ket qua", TEXT_CS_AUTO, 3, 0, &tp), 1);
	CHECK_INT(tp.data_coding, 0);
	CHECK_INT(tp.part[0].len, 19);
	text_fold_ascii("Hồ sơ đã có kết quả", text, sizeof text);
	text_encode_parts(text, TEXT_CS_AUTO, 3, 0, &tp);
	CHECK_INT(tp.data_coding, 0);
	text_encode_parts("Hồ sơ", TEXT_CS_AUTO, 3, 0, &tp);
	CHECK_INT(tp.data_coding, 8);
	CHECK(tp.part[0].len == 10 &&
	    memcmp(tp.part[0].bytes, "\0H\x1e\xd3\0 \0s\x01\xa1", 10) == 0,
	    "Hồ sơ in UTF-16BE");
	/* NFD Vietnamese is sent precomposed: 7 units, not 9. */
	text_encode_parts("Tra cu\xcc\x9b\xcc\x81u", TEXT_CS_AUTO, 3, 0, &tp);
	CHECK(tp.data_coding == 8 && tp.part[0].len == 14, "NFD sent as NFC");
	/* NFC brings e + U+0301 into GSM7 as é (0x05). */
	text_encode_parts("Caf" "e\xcc\x81", TEXT_CS_AUTO, 3, 0, &tp);
	CHECK(tp.data_coding == 0 && tp.part[0].len == 4 &&
	    tp.part[0].bytes[3] == 0x05, "café in GSM7");

	text_encode_parts("Hồ sơ đã có kết quả", TEXT_CS_ASCII, 3, 0, &tp);
	CHECK(tp.data_coding == 0 && tp.part[0].len == 19 &&
	    memcmp(tp.part[0].bytes, "Ho so da co ket qua", 19) == 0,
	    "ascii charset folds");
	text_encode_parts("a@b", TEXT_CS_ASCII, 3, 0, &tp);
	CHECK(tp.part[0].len == 3 && tp.part[0].bytes[1] == 0x00, "@ is 0x00");

	text_encode_parts("Hồ sơ\t1`", TEXT_CS_GSM7, 3, 0, &tp);
	CHECK(tp.data_coding == 0 && tp.part[0].len == 8 &&
	    memcmp(tp.part[0].bytes, "H? s? 1?", 8) == 0, "forced GSM7");

	text_encode_parts("abc", TEXT_CS_UCS2, 3, 0, &tp);
	CHECK(tp.data_coding == 8 && tp.part[0].len == 6 &&
	    memcmp(tp.part[0].bytes, "\0a\0b\0c", 6) == 0, "forced UCS-2");
	CHECK_INT(text_count_parts(repeat(text, "a", 71), TEXT_CS_UCS2, NULL), 2);
	CHECK_INT(text_count_parts(repeat(text, "ồ", 200), TEXT_CS_ASCII, NULL), 2);
}

static void
test_payload(void)
{
	static char text[4096];
	struct text_payload pl;

	repeat(text, "a", 182);
	CHECK_INT(text_encode_payload(text, TEXT_CS_AUTO, 160, &pl), 182);
	CHECK(!pl.truncated && pl.data_coding == 0, "182 septets fit USSD");
	strcat(text, "b");
	CHECK_INT(text_encode_payload(text, TEXT_CS_AUTO, 160, &pl), 182);
	CHECK(pl.truncated && memcmp(pl.bytes + 179, "...", 3) == 0,
	    "183 septets cut");

	repeat(text, "ồ", 81);
	CHECK_INT(text_encode_payload(text, TEXT_CS_AUTO, 160, &pl), 160);
	CHECK(pl.truncated && pl.data_coding == 8 &&
	    memcmp(pl.bytes + 154, "\0.\0.\0.", 6) == 0, "81 UCS-2 cut");

	repeat(text, "a", 1000);
	CHECK_INT(text_encode_payload(text, TEXT_CS_AUTO, 1024, &pl), 1000);
	CHECK_INT(pl.truncated, 0);
	repeat(text, "a", 2000);
	CHECK_INT(text_encode_payload(text, TEXT_CS_AUTO, 1024, &pl), 1024);
	CHECK_INT(pl.truncated, 1);
	repeat(text, "ồ", 600);
	CHECK_INT(text_encode_payload(text, TEXT_CS_AUTO, 5000, &pl), 1024);
	CHECK_INT(text_encode_payload(text, TEXT_CS_AUTO, 8, &pl), -1);
}

/* Anything the SMSC or a template holds must come through without a crash. */
static void
test_garbage(void)
{
	static char text[8192 + 16];
	struct text_parts tp;
	struct text_payload pl;
	uint8_t in[300];
	char out[700];
	unsigned seed = 12345;
	int round, dc, ok = 1;
	size_t i, n;

	for (round = 0; round < 2000; round++) {
		n = (size_t)(round % 299);
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245 + 12345;
			in[i] = (uint8_t)(seed >> 16);
		}
		dc = round % 256;
		ok &= text_decode(dc, TEXT_GSM7, in, n, out, (size_t)round % 700) >= -1;
		memcpy(text, in, n);
		text[n] = '\0';
		for (i = 0; i < n; i++)
			text[i] = text[i] ? text[i] : 'x';
		ok &= text_nfc(text, out, sizeof out) >= -1;
		ok &= text_fold(text, out, sizeof out) >= -1;
		ok &= text_encode_parts(text, round % 4, round % 12, 0, &tp) >= 1;
		ok &= text_encode_payload(text, round % 4, 16 + round, &pl) >= 0;
	}
	CHECK(ok, "garbage");
	/* Longer than NFC and the outbound buffer can hold. */
	repeat(text, "ệ", 2730);
	CHECK_INT(text_nfc(text, out, sizeof out), -1);
	CHECK_INT(text_encode_parts(text, TEXT_CS_AUTO, 10, 0, &tp), 10);
	CHECK_INT(tp.truncated, 1);
	CHECK_INT(text_encode_parts(text, TEXT_CS_ASCII, 10, 0, &tp), 10);
	CHECK_INT(tp.data_coding, 0);
}

static const char *
join(const char *const *parts, const int *seqs, int n, size_t cap,
    size_t *cut)
{
	static char	out[64];
	struct text_join j;
	char		 dec[64];
	int		 i;

	text_join_init(&j, out, cap);
	for (i = 0; i < n; i++) {
		/* each part as the decoder leaves it, NFC included */
		if (text_decode_part(0, TEXT_GSM7, (const uint8_t *)parts[i],
		    strlen(parts[i]), dec, sizeof dec) < 0 ||
		    text_nfc(dec, dec, sizeof dec) < 0)
			return "(decode failed)";
		text_join_add(&j, seqs[i], dec);
	}
	text_join_end(&j);
	if (cut != NULL)
		*cut = j.cut;
	return out;
}

/* An ESC pair cut between two parts (issue 16, item 5). */
static void
test_join_escape(void)
{
	static const struct {
		const char	*a, *b, *want;
	} t[] = {
		{ "gia 5\x1b", "e", "gia 5€" },
		{ "x\x1b", "(y\x1b)", "x{y}" },
		{ "\x1b", "<1\x1b>", "[1]" },
		{ "a\x1b", "=b", "a~b" },
		{ "a\x1b", "/", "a\\" },
		{ "a\x1b", "\x40", "a|" },
		{ "a\x1b", "\x14", "a^" },
		{ "a\x1b", "b", "a\xEF\xBF\xBD" },	/* no such escape */
	};
	const int	seq12[] = { 1, 2 }, seq13[] = { 1, 3 };
	size_t		i, cut;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		CHECK_STR(join((const char *[]){ t[i].a, t[i].b }, seq12, 2,
		    64, NULL), t[i].want);
	/* The part it escapes is missing: a lone ESC, as before. */
	CHECK_STR(join((const char *[]){ "a\x1b", "e" }, seq13, 2, 64, NULL),
	    "a\xEF\xBF\xBD" "e");
	CHECK_STR(join((const char *[]){ "ab\x1b" }, seq12, 1, 64, NULL),
	    "ab\xEF\xBF\xBD");
	/* A whole message keeps reading a trailing ESC as U+FFFD. */
	CHECK_STR(decode(0, TEXT_GSM7, "ab\x1b", 3), "ab\xEF\xBF\xBD");
	/* Cut at the cap, at a character boundary, and counted. */
	CHECK_STR(join((const char *[]){ "abc", "de\x1b", "e" },
	    (const int[]){ 1, 2, 3 }, 3, 7, &cut), "abcde");
	CHECK_INT((int)cut, 3);
	CHECK_STR(join((const char *[]){ "abc", "de" }, seq12, 2, 6, &cut),
	    "abcde");
	CHECK_INT((int)cut, 0);
	CHECK_STR(join((const char *[]){ "abc", "de", "f" },
	    (const int[]){ 1, 2, 3 }, 3, 5, &cut), "abcd");
	CHECK_INT((int)cut, 2);
}

int
main(void)
{
	test_join_escape();
	test_gsm7_basic();
	test_gsm7_ext();
	test_gsm7_bad();
	test_decode_other();
	test_dcs();
	test_decode_overflow();
	test_udh();
	test_nfc();
	test_nfc_quick();
	test_gsm7_to_dc0();
	test_fold();
	test_fold_ascii();
	test_boundaries();
	test_udh_bytes();
	test_straddle();
	test_truncate();
	test_charsets();
	test_payload();
	test_garbage();
	return check_report("text");
}
