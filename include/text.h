/*
 * Text handling for SMS and USSD: decoding what the SMSC delivers, NFC,
 * ASCII folding for keyword matching, and encoding plus splitting outbound
 * text into SMS parts. Pure and I/O-free: every function writes into caller
 * buffers and never allocates. Strings are UTF-8 and NUL-terminated; an
 * output that does not fit returns -1 and holds a valid, NUL-terminated
 * prefix (when cap > 0).
 */
#ifndef TEXT_H
#define TEXT_H

#include <stddef.h>
#include <stdint.h>

#define TEXT_REPLACEMENT	0xFFFD	/* stands in for anything undecodable */
#define TEXT_MAX_PARTS		10	/* hard cap on parts per message */
#define TEXT_PART_MAX		160	/* bytes in one short_message we build */
#define TEXT_PAYLOAD_MAX	1024	/* libsmpp34's message_payload limit */
#define TEXT_NFC_MAX		4096	/* code points text_nfc can handle */
#define TEXT_ESM_UDHI		0x40
#define TEXT_DC_GSM7		0x00
#define TEXT_DC_UCS2		0x08

/* What the bytes of a short_message are, once data_coding is resolved. */
enum text_alphabet {
	TEXT_GSM7,	/* GSM 03.38, unpacked: one septet per octet */
	TEXT_ASCII,
	TEXT_LATIN1,
	TEXT_8BIT,	/* UTF-8 if the bytes are valid UTF-8, else Latin-1 */
	TEXT_UCS2,	/* UTF-16BE, surrogate pairs included */
};

/* Outbound charset setting. */
enum text_charset {
	TEXT_CS_AUTO,	/* GSM7 when every character has a code, else UCS-2 */
	TEXT_CS_GSM7,	/* GSM7; characters without a code become '?' */
	TEXT_CS_UCS2,
	TEXT_CS_ASCII,	/* text_fold_ascii, then GSM7 */
};

struct text_part {
	uint8_t		bytes[TEXT_PART_MAX];	/* UDH (if any) + user data */
	size_t		len;
};

struct text_parts {
	int		data_coding;	/* TEXT_DC_GSM7 or TEXT_DC_UCS2 */
	int		esm_class;	/* TEXT_ESM_UDHI when nparts > 1, else 0 */
	int		nparts;
	int		truncated;	/* cut at max_segments, ends with "..." */
	struct text_part part[TEXT_MAX_PARTS];
};

struct text_payload {
	int		data_coding;	/* TEXT_DC_GSM7 or TEXT_DC_UCS2 */
	int		truncated;	/* cut at max_octets, ends with "..." */
	size_t		len;
	uint8_t		bytes[TEXT_PAYLOAD_MAX];
};

/* Concatenation info from an inbound UDH (IE 0x00 or 0x08). */
struct text_concat {
	int		ref;		/* 8- or 16-bit reference */
	int		total;
	int		seq;		/* 1-based */
};

/* gsm7.c */
/* Septets for cp (1, or 2 for an ESC pair) written to out; 0 if it has none. */
int	 text_gsm7_encode_char(int32_t cp, uint8_t out[2]);
/* One character from n >= 1 septets; *used is 1 or 2; bad input is U+FFFD. */
int32_t	 text_gsm7_decode_char(const uint8_t *in, size_t n, size_t *used);
/*
 * Unpacked GSM 03.38 user data (as text_encode_* write it) rewritten in
 * place for an SMSC whose data_coding 0 is Latin-1 or ASCII: one byte a
 * character, so never longer. The new length; -1 if a character has no
 * byte in that alphabet (send the text as UCS-2 then). GSM7: unchanged.
 */
long	 text_gsm7_to_dc0(uint8_t *ud, size_t len, enum text_alphabet dc0);

/* text.c */
/* The alphabet an SMPP data_coding means; dc0 is what this SMSC sends for 0. */
enum text_alphabet text_dcs_alphabet(int data_coding, enum text_alphabet dc0);
/* Decodes a short_message (UDH already skipped) to UTF-8; bytes or -1. */
int	 text_decode(int data_coding, enum text_alphabet dc0,
	    const uint8_t *in, size_t n, char *out, size_t cap);
/*
 * text_decode for one part of a long message: a GSM7 ESC that ends the
 * part is kept as TEXT_ESC_PENDING (U+001B), since the character it
 * escapes opens the next part; text_join_add resolves it.
 */
#define TEXT_ESC_PENDING	0x1B
int	 text_decode_part(int data_coding, enum text_alphabet dc0,
	    const uint8_t *in, size_t n, char *out, size_t cap);
/*
 * Joins the decoded parts of a long message, in order, into out (a C
 * string of at most cap - 1 bytes): a pending ESC at the end of a part
 * escapes the first character of the part that directly follows it (seq
 * one higher); with that part missing it reads as a lone ESC does, U+FFFD.
 * Past cap the rest is cut at a character boundary and counted in cut.
 */
struct text_join {
	char	*out;
	size_t	 cap, len;
	size_t	 cut;		/* bytes left out */
	int	 last_seq;	/* the last part added; 0 before the first */
};
void	 text_join_init(struct text_join *, char *out, size_t cap);
void	 text_join_add(struct text_join *, int seq, const char *part);
/* Resolves an escape still pending; the length of out. */
size_t	 text_join_end(struct text_join *);
/* Length of the UDH at the start of in (to skip), or -1 if malformed. */
int	 text_udh_parse(const uint8_t *in, size_t n, struct text_concat *c);
/* NFC; invalid UTF-8 becomes U+FFFD first. Bytes written or -1. */
int	 text_nfc(const char *utf8, char *out, size_t cap);
/* Matching key: ASCII, lowercase, no diacritics, separators as one space. */
int	 text_fold(const char *utf8, char *out, size_t cap);
/* Readable ASCII: diacritics stripped, case and punctuation kept. */
int	 text_fold_ascii(const char *utf8, char *out, size_t cap);
/* Septets utf8 takes in GSM7 as given (no NFC), or -1 if not representable. */
int	 text_gsm7_len(const char *utf8);
/* NFC (or folds), encodes per cs and splits into <= max_segments parts. */
int	 text_encode_parts(const char *utf8, enum text_charset cs,
	    int max_segments, uint8_t ref, struct text_parts *out);
/* Parts needed with no cap; *units (may be NULL): septets or UTF-16 units. */
int	 text_count_parts(const char *utf8, enum text_charset cs, int *units);
/* One buffer without UDH, at most max_octets of user data; len or -1. */
int	 text_encode_payload(const char *utf8, enum text_charset cs,
	    size_t max_octets, struct text_payload *out);

#endif
