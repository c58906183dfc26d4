/*
 * What an inbound deliver_sm or data_sm is, decided from its decoded fields
 * alone: a delivery receipt, a whole SMS or USSD message, one part of a
 * long message, or something answered but not kept. Pure: the caller
 * (gateway/office/inbound.c) stores, logs and dispatches; the fuzzer and the unit
 * tests call the same function.
 */
#ifndef INBOUND_DECODE_H
#define INBOUND_DECODE_H

#include <stdint.h>

#include "dlr.h"
#include "smpp_pdu.h"
#include "text.h"

#define INBOUND_TEXT_MAX	4096	/* TEXT_MAX in motcua.h */

/* The settings decoding depends on, as plain data. */
struct inbound_cfg {
	enum text_alphabet	 dc0;		/* what data_coding 0 means */
	const char		*country_code;	/* [sms] country_code */
};

enum inbound_what {
	INBOUND_REFUSED,	/* answered with status, kept nowhere */
	INBOUND_RECEIPT,	/* a delivery receipt: rcpt */
	INBOUND_SMS,		/* a whole SMS: msg */
	INBOUND_USSD,		/* a USSD message: msg with its USSD fields */
	INBOUND_PART,		/* one part of a long SMS or USSD: msg */
};

struct inbound_rcpt {
	struct dlr	dlr;		/* all zero unless the text parsed */
	int		parsed;
	char		id[DLR_ID_MAX];	/* receipted_message_id, else dlr.id */
	/* dlr_id_keys(id); keys[1] repeats keys[0] when there is one key */
	char		keys[2][DLR_KEY_MAX];
	int		stat;		/* enum dlr_stat, by dlr_stat_pick() */
};

struct inbound_msg {
	char			 msisdn[21];	/* normalised, or short code */
	char			 dest[21];
	const char		*kind;		/* "sms" or "ussd" */
	int			 ussd_op;	/* -1 for an SMS */
	int			 its_session;	/* -1 when absent */
	int			 user_msg_ref;	/* -1 when absent */
	struct text_concat	 concat;	/* total > 1 only in a part */
	int			 cut;	/* longer than text[]: its start kept */
	char			 text[INBOUND_TEXT_MAX];	/* NFC, or "" */
};

struct inbound_pdu {
	enum inbound_what	 what;
	uint32_t		 status;	/* command_status to answer */
	const char		*why;		/* why REFUSED, for the log */
	const char		*err;		/* the detail, or NULL */
	struct inbound_rcpt	 rcpt;		/* zero unless a RECEIPT */
	struct inbound_msg	 msg;		/* zero if REFUSED or RECEIPT */
};

/*
 * Decides what sm is. 0 with out->status SMPP_ROK, or -1 for
 * INBOUND_REFUSED with out->status, out->why and maybe out->err set.
 */
int	inbound_decode(const struct smpp_sm *sm, const struct inbound_cfg *cfg,
	    struct inbound_pdu *out);

#endif
