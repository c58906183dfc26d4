/*
 * SMPP framing and field checks, done before any PDU reaches libsmpp34.
 * Pure: works on byte buffers only, so unit tests and fuzzers use it alone.
 */
#ifndef FRAME_H
#define FRAME_H

#include <stddef.h>
#include <stdint.h>

#define FRAME_HDR_LEN	16
/*
 * The largest PDU we accept: a deliver_sm with SMPP's longest
 * message_payload (a TLV's length is 16 bits: 65,535 octets, what an SMSC
 * that joins long messages itself may send) and its other fields. A longer
 * command_length is a broken stream, and drops the link.
 */
#define FRAME_MAX_LEN	(65 * 1024)
#define FRAME_MAX_TLVS	16	/* libsmpp34's trace buffer overflows past ~20 */

struct frame_hdr {
	uint32_t	len;
	uint32_t	id;
	uint32_t	status;
	uint32_t	seq;
};

/* Reads the header; 0 on success, -1 when fewer than 16 bytes are there. */
int		 frame_hdr_read(const uint8_t *, size_t, struct frame_hdr *);
/* NULL when a frame of this command_length may be read, else why not. */
const char	*frame_len_check(uint32_t);
/*
 * Where a stream of avail bytes stands, b holding at least its first
 * min(avail, 4): 1 when a whole frame of *len bytes is there, 0 when more
 * bytes are needed, -1 with *why when the stream is garbled (*len is what
 * it said).
 */
int		 frame_next(const uint8_t *b, size_t avail, uint32_t *len,
		     const char **why);
/* Writes a header-only PDU (16 bytes). */
void		 frame_hdr_write(uint8_t *, uint32_t len, uint32_t id,
		     uint32_t status, uint32_t seq);
/*
 * Walks the mandatory fields of a PDU and counts its TLVs; -1 with *errstr
 * set when a field or TLV runs past the end or a C-string is unterminated.
 */
int		 frame_tlv_count(const uint8_t *, size_t, const char **errstr);
/* Copies the leading C-string of a *_resp body (message_id, system_id). */
int		 frame_resp_id(const uint8_t *, size_t, char *, size_t);
/* Writes a *_resp with a C-string body; returns its length or -1. */
int		 frame_resp_write(uint8_t *, size_t, uint32_t id, uint32_t status,
		     uint32_t seq, const char *body);
/* The name of a command_id for log lines, "unknown" when it has none. */
const char	*frame_cmd_name(uint32_t);

#endif
