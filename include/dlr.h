/*
 * dlr: SMPP delivery receipts (esm_class & 0x3C == 0x04), read from the
 * Appendix B text
 *	id:IIIIIIIIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm
 *	done date:YYMMDDhhmm stat:DDDDDDD err:E text:...
 * and the ids that tie a receipt to the submit_sm it reports on.
 *
 * Tolerant parsing: any case, runs of white space, dates with seconds
 * (12 digits), "submit_date" spellings, and any field but id and stat
 * missing; fields that are present must come in the order above. text: is
 * not read (it is the start of our own message). An unparsable date is
 * reported as absent rather than failing the receipt.
 *
 * Prefer the receipted_message_id (0x001E) and message_state (0x0427)
 * TLVs when the deliver_sm carries them; dlr_stat_from_message_state()
 * maps the latter.
 *
 * The regular expression is compiled on first use and kept; dlr_fini()
 * releases it (at exit, so leak checkers stay quiet). Not thread-safe:
 * the daemon calls it from its one event loop.
 */
#ifndef DLR_H
#define DLR_H

#include <stddef.h>

/* Values equal the SMPP message_state TLV values. */
enum dlr_stat {
	DLR_ENROUTE = 1,
	DLR_DELIVRD = 2,
	DLR_EXPIRED = 3,
	DLR_DELETED = 4,
	DLR_UNDELIV = 5,
	DLR_ACCEPTD = 6,
	DLR_UNKNOWN = 7,
	DLR_REJECTD = 8,
};

#define DLR_ID_MAX	65	/* a message_id is at most 64 characters */
#define DLR_KEY_MAX	65	/* a key is at most as long as its id */

struct dlr_time {
	int	year;		/* four digits: YY is read as 20YY */
	int	mon;		/* 1–12 */
	int	mday;		/* 1–31 */
	int	hour, min, sec;	/* sec is 0 when the SMSC sends 10 digits */
};

struct dlr {
	char		id[DLR_ID_MAX];
	enum dlr_stat	stat;
	char		stat_text[16];	/* as sent, uppercased, for logs */
	char		err[16];	/* as sent ("000"); "" when absent */
	int		has_submit;
	struct dlr_time	submit;		/* SMSC local time, no zone given */
	int		has_done;
	struct dlr_time	done;
};

/*
 * Parses len bytes of short_message (or message_payload); text need not be
 * NUL-terminated and may hold any bytes after the fields. Returns 0, or -1
 * with *errstr (if errstr is not NULL) set to a static message.
 *
 * stat words: the seven of Appendix B plus ENROUTE; the long forms
 * (DELIVERED, UNDELIVERABLE, ACCEPTED, REJECTED); BUFFRED and BUFFERD
 * read as ENROUTE and ACKED as ACCEPTD, as Kannel does. Any other word
 * reads as DLR_UNKNOWN (a final failure) and stays in stat_text.
 */
int	dlr_parse(const char *text, size_t len, struct dlr *out,
	    const char **errstr);

/* Frees the compiled expression; dlr_parse() compiles it again if needed. */
void	dlr_fini(void);

/* The message_state TLV (1–8) as a dlr_stat; -1 for other values (such as
 * SMPP 5.0's 9, SKIPPED). */
int	dlr_stat_from_message_state(int message_state);

/*
 * The state of a receipt: the message_state TLV when it is there and
 * known (-1 when absent), else the text's stat when the text parsed, else
 * DLR_UNKNOWN. Always one of the enum.
 */
int	dlr_stat_pick(int message_state, int text_parsed, int text_stat);

/* "DELIVRD" etc., or "?" for a value outside the enum. */
const char *dlr_stat_name(int stat);

/*
 * Final: no later receipt will change the outcome. ENROUTE and ACCEPTD are
 * not final: many SMSCs send ACCEPTD when they take the message, then
 * DELIVRD or UNDELIV (Kannel treats it as "buffered"), although SMPP 3.4
 * lists ACCEPTED among the final states. Success is DELIVRD only.
 */
int	dlr_stat_is_final(int stat);
int	dlr_stat_is_success(int stat);

/*
 * Matching a receipt to its message. SMSCs may give the message_id in hex
 * in submit_sm_resp and in decimal in the receipt (or the other way), with
 * or without leading zeros. dlr_id_key() gives one normalised key:
 *  - all decimal digits, value < 2^64: the value in decimal, no leading
 *    zeros ("000123" -> "123");
 *  - else all hex digits (so it has a letter), value < 2^64: the value in
 *    decimal ("0A1B2C3D" -> "169552957");
 *  - else the id itself, uppercased.
 * Returns the key's length, or -1 if id is empty, longer than 64 bytes, or
 * the key does not fit in cap.
 *
 * An all-digit id is ambiguous: "12345" may be hex (0x12345 = 74565) if
 * this SMSC writes hex ids. dlr_id_keys() writes every reading: keys[0] is
 * always dlr_id_key(id); keys[1], for an all-digit id, is its hex reading
 * in decimal when that differs (10 or more) and fits in 64 bits. It
 * returns how many keys it wrote (1 or 2), or -1 as above.
 *
 * Intended use: store both keys of the submit_sm_resp id; on a receipt,
 * look up each of its keys against both stored ones, among messages of the
 * same link still waiting for a final receipt, preferring a match of
 * keys[0] with keys[0]. Cross matches make a false pairing possible only
 * when one link mixes formats and two pending ids collide numerically.
 */
int	dlr_id_key(const char *id, char *out, size_t cap);
int	dlr_id_keys(const char *id, char keys[2][DLR_KEY_MAX]);

#endif
