/*
 * The hot-path SMPP codec: deliver_sm, submit_sm and data_sm to and from
 * struct smpp_sm without libsmpp34, whose per-field trace formatting costs
 * more than the rest of a message's path. Pure; cross-checked against
 * libsmpp34 in tests/unit/test_smpp_pdu.c (each side decodes the other's
 * output) and fuzzed.
 */
#ifndef PDU_H
#define PDU_H

#include <stddef.h>
#include <stdint.h>

#include "smpp_pdu.h"

#define PDU_MAX_TLVS	64	/* more in one PDU is abuse, not SMPP */

/* Decodes a whole PDU (header included); -1 with *errstr on any error. */
int	pdu_decode_sm(const uint8_t *, size_t, struct smpp_sm *,
	    const char **errstr);
/* Encodes one; the PDU length, or -1 with *errstr. */
int	pdu_encode_sm(uint32_t cmd, uint32_t seq, const struct smpp_sm *,
	    uint8_t *, size_t, const char **errstr);

#endif
