/*
 * msisdn: one canonical form for a phone number, whatever door it came in
 * by (SMPP source_addr, admin API, staff tool, CSV import).
 *
 * The canonical form is international digits without '+': 84912345678.
 *
 * Policy:
 *  - Separators (spaces, tabs, '.', '-', '(', ')') are dropped; a '+' may
 *    only come before the first digit. Any other character is an error.
 *  - "+CC…" and "00CC…" are international, "0…" is national (the configured
 *    country code replaces the 0). "+84 (0) 912…" is accepted: the trunk 0
 *    after 84 is dropped.
 *  - A bare number without prefix is international, except when the country
 *    code is 84 and it is a Vietnamese national number that lost its leading
 *    0 (spreadsheets strip it; some SMSCs send TON=2 without it): 9 digits
 *    starting 3, 5, 7, 8 or 9, or 10 digits of a legacy 01xx number.
 *  - Numbers starting 84 are validated strictly: the result must be a
 *    Vietnamese mobile, 84 + [35789] + 8 digits. Legacy 11-digit numbers
 *    (01xx…, 841xx…) are mapped to their 10-digit successors (Decision
 *    798/QĐ-BTTTT, 2018). Landlines are rejected: they cannot receive SMS.
 *  - Any other number is stored generically: 8 to 15 digits (E.164).
 *  - Short codes (3–6 digits, e.g. 8077) are not MSISDNs: normalize rejects
 *    them. A caller handling an SMSC source_addr tests msisdn_is_short_code()
 *    first and keeps such an address as it is (likewise an alphanumeric
 *    sender, TON=5, is not a number at all).
 */
#ifndef MSISDN_H
#define MSISDN_H

#include <stddef.h>

/* Longest canonical number (15 digits) plus its NUL. */
#define MSISDN_MAX 16

/*
 * Writes the canonical number into out. country_code is the [sms]
 * country_code setting (NULL or "" means "84"). Returns the length written,
 * or -1 with *errstr (if errstr is not NULL) set to a static message.
 */
int	msisdn_normalize(const char *in, const char *country_code, char *out,
	    size_t cap, const char **errstr);

/*
 * National form for links with dest_ton = 2: "84912345678" -> "0912345678".
 * Returns the length, or -1 if intl is not an all-digit 84 number (a
 * foreign number has no national form here: send it with TON 1) or cap is
 * too small.
 */
int	msisdn_national(const char *intl, char *out, size_t cap);

/* 1 if s is exactly 3 to 6 ASCII digits (an SMSC short code), else 0. */
int	msisdn_is_short_code(const char *s);

#endif
