/*
 * dlr.c owns reading delivery receipts and the id normalisation that lets
 * a receipt find its message whatever base the SMSC wrote the id in.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <inttypes.h>
#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dlr.h"

/*
 * Appendix B, in order, every field but id and stat optional. A value is
 * never the next key ("err: text:…" has an empty err), hence the
 * possessive runs followed by (?!:). An id holds no NUL: the bytes are
 * copied into a C string.
 */
static const char dlr_pattern[] =
    "(?:^|\\s)id:\\s*([^\\s:\\x00]+)"
    "(?:\\s+sub:\\s*\\d*)?"
    "(?:\\s+dlvrd:\\s*\\d*)?"
    "(?:\\s+submit[\\s_]?date:\\s*(\\d{10}(?:\\d{2})?))?"
    "(?:\\s+done[\\s_]?date:\\s*(\\d{10}(?:\\d{2})?))?"
    "\\s+stat:\\s*(\\w++)(?!:)"
    "(?:\\s+err:\\s*(\\w*+)(?!:))?";

enum { G_ID = 1, G_SUBMIT, G_DONE, G_STAT, G_ERR, G_COUNT };

static pcre2_code	*dlr_re;
static pcre2_match_data	*dlr_md;

static const struct {
	const char	*word;
	enum dlr_stat	 stat;
} stat_words[] = {
	{ "DELIVRD", DLR_DELIVRD }, { "DELIVERED", DLR_DELIVRD },
	{ "EXPIRED", DLR_EXPIRED }, { "DELETED", DLR_DELETED },
	{ "UNDELIV", DLR_UNDELIV }, { "UNDELIVERABLE", DLR_UNDELIV },
	{ "ACCEPTD", DLR_ACCEPTD }, { "ACCEPTED", DLR_ACCEPTD },
	{ "ACKED", DLR_ACCEPTD }, { "UNKNOWN", DLR_UNKNOWN },
	{ "REJECTD", DLR_REJECTD }, { "REJECTED", DLR_REJECTD },
	{ "ENROUTE", DLR_ENROUTE }, { "BUFFRED", DLR_ENROUTE },
	{ "BUFFERD", DLR_ENROUTE },
};

static const char *const stat_names[] = {
	NULL, "ENROUTE", "DELIVRD", "EXPIRED", "DELETED", "UNDELIV",
	"ACCEPTD", "UNKNOWN", "REJECTD",
};

static int	 compile(void);
static long	 group(const char *, int, char *, size_t);
static void	 fill(const char *, struct dlr *);
static int	 two(const char *);
static int	 parse_time(const char *, struct dlr_time *);
static enum dlr_stat stat_from_word(const char *);
static void	 upper(char *);
static int	 parse_dec(const char *, uint64_t *);
static int	 parse_hex(const char *, uint64_t *);
static int	 id_ok(const char *);

static int
compile(void)
{
	int		errcode;
	PCRE2_SIZE	erroffset;

	if (dlr_re != NULL)
		return 0;
	dlr_re = pcre2_compile((PCRE2_SPTR)dlr_pattern, PCRE2_ZERO_TERMINATED,
	    PCRE2_CASELESS, &errcode, &erroffset, NULL);
	if (dlr_re == NULL)
		return -1;
	if ((dlr_md = pcre2_match_data_create(G_COUNT, NULL)) == NULL) {
		dlr_fini();
		return -1;
	}
	return 0;
}

void
dlr_fini(void)
{
	pcre2_match_data_free(dlr_md);
	pcre2_code_free(dlr_re);
	dlr_md = NULL;
	dlr_re = NULL;
}

/*
 * Copies group g of the last match into buf, truncated to fit; returns its
 * full length, or -1 with buf "" if the group did not take part.
 */
static long
group(const char *subject, int g, char *buf, size_t cap)
{
	PCRE2_SIZE	*ov = pcre2_get_ovector_pointer(dlr_md);
	size_t		 len, n;

	buf[0] = '\0';
	if (ov[2 * g] == PCRE2_UNSET)
		return -1;
	n = len = ov[2 * g + 1] - ov[2 * g];
	if (n >= cap)
		n = cap - 1;
	memcpy(buf, subject + ov[2 * g], n);
	buf[n] = '\0';
	return (long)len;
}

static int
two(const char *s)
{
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* YYMMDDhhmm[ss]; 0 for a date that cannot be one. */
static int
parse_time(const char *s, struct dlr_time *t)
{
	memset(t, 0, sizeof *t);
	if (strlen(s) != 10 && strlen(s) != 12)
		return 0;
	t->year = 2000 + two(s);
	t->mon = two(s + 2);
	t->mday = two(s + 4);
	t->hour = two(s + 6);
	t->min = two(s + 8);
	t->sec = s[10] != '\0' ? two(s + 10) : 0;
	if (t->mon < 1 || t->mon > 12 || t->mday < 1 || t->mday > 31 ||
	    t->hour > 23 || t->min > 59 || t->sec > 60) {
		memset(t, 0, sizeof *t);
		return 0;
	}
	return 1;
}

static enum dlr_stat
stat_from_word(const char *word)
{
	size_t	i;

	for (i = 0; i < sizeof stat_words / sizeof stat_words[0]; i++)
		if (strcasecmp(word, stat_words[i].word) == 0)
			return stat_words[i].stat;
	return DLR_UNKNOWN;
}

static void
upper(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'a' && *s <= 'z')
			*s -= 'a' - 'A';
}

/* The fields other than id, from the last match. */
static void
fill(const char *text, struct dlr *out)
{
	char	date[16];

	group(text, G_STAT, out->stat_text, sizeof out->stat_text);
	upper(out->stat_text);
	out->stat = stat_from_word(out->stat_text);
	group(text, G_ERR, out->err, sizeof out->err);
	if (group(text, G_SUBMIT, date, sizeof date) > 0)
		out->has_submit = parse_time(date, &out->submit);
	if (group(text, G_DONE, date, sizeof date) > 0)
		out->has_done = parse_time(date, &out->done);
}

int
dlr_parse(const char *text, size_t len, struct dlr *out,
    const char **errstr)
{
	const char	*err = NULL;
	int		 rc;

	memset(out, 0, sizeof *out);
	if (compile() < 0)
		err = "out of memory";
	else if ((rc = pcre2_match(dlr_re, (PCRE2_SPTR)text, len, 0, 0,
	    dlr_md, NULL)) < 0)
		err = rc == PCRE2_ERROR_NOMATCH ? "not a delivery receipt" :
		    "receipt too complex to match";
	else if (group(text, G_ID, out->id, sizeof out->id) >=
	    (long)sizeof out->id)
		err = "id longer than 64 characters";
	if (errstr != NULL)
		*errstr = err;
	if (err != NULL) {
		memset(out, 0, sizeof *out);
		return -1;
	}
	fill(text, out);
	return 0;
}

int
dlr_stat_from_message_state(int message_state)
{
	return message_state >= DLR_ENROUTE && message_state <= DLR_REJECTD ?
	    message_state : -1;
}

const char *
dlr_stat_name(int stat)
{
	return stat >= DLR_ENROUTE && stat <= DLR_REJECTD ? stat_names[stat] :
	    "?";
}

int
dlr_stat_pick(int message_state, int text_parsed, int text_stat)
{
	int	stat = message_state >= 0 ?
	    dlr_stat_from_message_state(message_state) : -1;

	if (stat < 0 && text_parsed)
		stat = text_stat;
	return stat >= DLR_ENROUTE && stat <= DLR_REJECTD ? stat : DLR_UNKNOWN;
}

int
dlr_stat_is_final(int stat)
{
	return stat >= DLR_ENROUTE && stat <= DLR_REJECTD &&
	    stat != DLR_ENROUTE && stat != DLR_ACCEPTD;
}

int
dlr_stat_is_success(int stat)
{
	return stat == DLR_DELIVRD;
}

/* All decimal digits and below 2^64. */
static int
parse_dec(const char *s, uint64_t *v)
{
	unsigned	d;

	for (*v = 0; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		d = (unsigned)(*s - '0');
		if (*v > (UINT64_MAX - d) / 10)
			return 0;
		*v = *v * 10 + d;
	}
	return 1;
}

/* All hex digits and below 2^64. */
static int
parse_hex(const char *s, uint64_t *v)
{
	unsigned	d;

	for (*v = 0; *s != '\0'; s++) {
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'f')
			d = (unsigned)((*s | 0x20) - 'a' + 10);
		else
			return 0;
		if (*v >> 60 != 0)
			return 0;
		*v = *v << 4 | d;
	}
	return 1;
}

/* The decimal digits of v: every submit_sm_resp comes through here. */
static void
u64_dec(uint64_t v, char out[21])
{
	char	tmp[21];
	size_t	n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	for (i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

static int
id_ok(const char *id)
{
	size_t	n = strlen(id);

	return n >= 1 && n < DLR_ID_MAX;
}

int
dlr_id_key(const char *id, char *out, size_t cap)
{
	char		key[DLR_KEY_MAX];
	uint64_t	v;
	size_t		n;

	if (!id_ok(id))
		return -1;
	if (parse_dec(id, &v) || parse_hex(id, &v))
		u64_dec(v, key);
	else {
		snprintf(key, sizeof key, "%s", id);
		upper(key);
	}
	if ((n = strlen(key)) >= cap)
		return -1;
	memcpy(out, key, n + 1);
	return (int)n;
}

int
dlr_id_keys(const char *id, char keys[2][DLR_KEY_MAX])
{
	uint64_t	dec, hex;

	if (dlr_id_key(id, keys[0], DLR_KEY_MAX) < 0)
		return -1;
	if (!parse_dec(id, &dec) || !parse_hex(id, &hex) || dec == hex)
		return 1;
	u64_dec(hex, keys[1]);
	return 2;
}
