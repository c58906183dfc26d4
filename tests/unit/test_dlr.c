/* Delivery receipts as SMSCs send them, and matching them to messages. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "dlr.h"

static const struct {
	const char	*text;
	const char	*id;
	enum dlr_stat	 stat;
	const char	*stat_text;
	const char	*err;
	const char	*done;		/* "YYYY-MM-DD hh:mm:ss" or NULL */
	const char	*submit;
} good[] = {
	/* Kannel's own format */
	{ "id:0A1B2C3D sub:001 dlvrd:001 submit date:2506091230 "
	  "done date:2506091231 stat:DELIVRD err:000 text:Ho so MC2500429 dan",
	  "0A1B2C3D", DLR_DELIVRD, "DELIVRD", "000",
	  "2025-06-09 12:31:00", "2025-06-09 12:30:00" },
	/* lowercase words and values */
	{ "id:169552957 sub:001 dlvrd:001 submit date:2506091230 "
	  "done date:2506091231 stat:delivrd err:000 text:ho so mc2500429",
	  "169552957", DLR_DELIVRD, "DELIVRD", "000",
	  "2025-06-09 12:31:00", "2025-06-09 12:30:00" },
	/* dates with seconds */
	{ "id:7220108425 sub:001 dlvrd:001 submit date:250609123005 "
	  "done date:250609123107 stat:DELIVRD err:000 text:",
	  "7220108425", DLR_DELIVRD, "DELIVRD", "000",
	  "2025-06-09 12:31:07", "2025-06-09 12:30:05" },
	/* no text: at all */
	{ "id:123 sub:001 dlvrd:000 submit date:2506091230 "
	  "done date:2506120000 stat:EXPIRED err:000",
	  "123", DLR_EXPIRED, "EXPIRED", "000",
	  "2025-06-12 00:00:00", "2025-06-09 12:30:00" },
	/* everything upper case, as some Huawei SMSCs write it */
	{ "ID:5 SUB:001 DLVRD:001 SUBMIT DATE:2506091230 DONE DATE:2506091231 "
	  "STAT:DELIVRD ERR:000 TEXT:Ho so",
	  "5", DLR_DELIVRD, "DELIVRD", "000",
	  "2025-06-09 12:31:00", "2025-06-09 12:30:00" },
	/* runs of spaces, a space after the colons, a CR LF */
	{ "id:  a1b2-c3d4   sub:001  dlvrd:000\r\nsubmit date: 2506091230   "
	  "done date:2506091231  stat: UNDELIV   err:  001 ",
	  "a1b2-c3d4", DLR_UNDELIV, "UNDELIV", "001",
	  "2025-06-09 12:31:00", "2025-06-09 12:30:00" },
	/* only what is required */
	{ "id:42 stat:REJECTD", "42", DLR_REJECTD, "REJECTD", "", NULL, NULL },
	/* no sub: nor dlvrd:, an intermediate receipt */
	{ "id:42 submit date:2506091230 done date:2506091231 stat:ACCEPTD err:0",
	  "42", DLR_ACCEPTD, "ACCEPTD", "0",
	  "2025-06-09 12:31:00", "2025-06-09 12:30:00" },
	{ "id:42 sub:001 dlvrd:001 submit_date:2506091230 "
	  "done_date:2506091231 stat:DELIVRD err:000",
	  "42", DLR_DELIVRD, "DELIVRD", "000",
	  "2025-06-09 12:31:00", "2025-06-09 12:30:00" },
	/* an impossible done date is dropped, the receipt kept */
	{ "id:42 sub:001 dlvrd:000 submit date:2506091230 "
	  "done date:2513321299 stat:UNDELIV err:034",
	  "42", DLR_UNDELIV, "UNDELIV", "034", NULL, "2025-06-09 12:30:00" },
	/* the text: field quotes our own message; it never counts */
	{ "id:9 sub:001 dlvrd:000 submit date:2506091230 done date:2506091231 "
	  "stat:UNDELIV err:034 text:id:1 stat:DELIVRD",
	  "9", DLR_UNDELIV, "UNDELIV", "034",
	  "2025-06-09 12:31:00", "2025-06-09 12:30:00" },
	/* long and vendor stat words */
	{ "id:1 stat:DELIVERED err:0", "1", DLR_DELIVRD, "DELIVERED", "0",
	  NULL, NULL },
	{ "id:1 stat:Undeliverable", "1", DLR_UNDELIV, "UNDELIVERABLE", "",
	  NULL, NULL },
	{ "id:1 stat:BUFFRED", "1", DLR_ENROUTE, "BUFFRED", "", NULL, NULL },
	{ "id:1 stat:ENROUTE", "1", DLR_ENROUTE, "ENROUTE", "", NULL, NULL },
	{ "id:1 stat:DELETED", "1", DLR_DELETED, "DELETED", "", NULL, NULL },
	{ "id:1 stat:UNKNOWN", "1", DLR_UNKNOWN, "UNKNOWN", "", NULL, NULL },
	{ "id:1 stat:FAILED err:069", "1", DLR_UNKNOWN, "FAILED", "069",
	  NULL, NULL },
	/* err: with nothing after it; the next key is not its value */
	{ "id:1 stat:DELIVRD err: text:x", "1", DLR_DELIVRD, "DELIVRD", "",
	  NULL, NULL },
	{ "id:1 stat:DELIVRD err:", "1", DLR_DELIVRD, "DELIVRD", "",
	  NULL, NULL },
};

static void
fmt_time(const struct dlr_time *t, char *buf, size_t cap)
{
	snprintf(buf, cap, "%04d-%02d-%02d %02d:%02d:%02d", t->year, t->mon,
	    t->mday, t->hour, t->min, t->sec);
}

static void
test_good(void)
{
	struct dlr	 d;
	const char	*err;
	char		 when[32];
	size_t		 i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		err = "unset";
		CHECK(dlr_parse(good[i].text, strlen(good[i].text), &d,
		    &err) == 0, "\"%s\": %s", good[i].text, err);
		CHECK(err == NULL, "errstr left set");
		CHECK_STR(d.id, good[i].id);
		CHECK(d.stat == good[i].stat, "\"%s\": stat %d, want %d",
		    good[i].text, d.stat, good[i].stat);
		CHECK_STR(d.stat_text, good[i].stat_text);
		CHECK_STR(d.err, good[i].err);
		CHECK_INT(d.has_done, good[i].done != NULL);
		fmt_time(&d.done, when, sizeof when);
		if (good[i].done != NULL)
			CHECK_STR(when, good[i].done);
		CHECK_INT(d.has_submit, good[i].submit != NULL);
		fmt_time(&d.submit, when, sizeof when);
		if (good[i].submit != NULL)
			CHECK_STR(when, good[i].submit);
	}
}

static void
test_bad(void)
{
	static const struct {
		const char	*text;
		const char	*err;
	} t[] = {
		{ "", "not a delivery receipt" },
		{ "TC MC2500429", "not a delivery receipt" },
		{ "id:123 sub:001 dlvrd:001", "not a delivery receipt" },
		{ "stat:DELIVRD err:000", "not a delivery receipt" },
		{ "id: stat:DELIVRD", "not a delivery receipt" },
		{ "id:1 text:stat:DELIVRD", "not a delivery receipt" },
		{ "id:1 stat: err:000", "not a delivery receipt" },
		{ "id:1 done date:25060912 stat:DELIVRD",
		  "not a delivery receipt" },	/* 8-digit date */
		{ "id:12345678901234567890123456789012345678901234567890"
		  "123456789012345 stat:DELIVRD", "id longer than 64 characters" },
	};
	struct dlr	 d;
	const char	*err;
	size_t		 i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		err = NULL;
		CHECK_INT(dlr_parse(t[i].text, strlen(t[i].text), &d, &err), -1);
		CHECK(err != NULL && strcmp(err, t[i].err) == 0,
		    "\"%s\": got \"%s\"", t[i].text, err ? err : "(null)");
		CHECK_STR(d.id, "");
	}
	CHECK_INT(dlr_parse("x", 1, &d, NULL), -1);
}

static void
test_bytes(void)
{
	/* short_message is not NUL-terminated: only len bytes count */
	const char	buf[] = "id:77 stat:EXPIREDZZZZ";
	/* a UCS-2 text: field with NULs and high bytes */
	const char	bin[] = "id:78 stat:DELIVRD err:000 text:\0H\0o\xff\xfe";
	char		id64[96];
	struct dlr	d;

	CHECK_INT(dlr_parse(buf, strlen("id:77 stat:EXPIRED"), &d, NULL), 0);
	CHECK_STR(d.stat_text, "EXPIRED");
	CHECK_INT(d.stat, DLR_EXPIRED);
	CHECK_INT(dlr_parse(bin, sizeof bin - 1, &d, NULL), 0);
	CHECK_STR(d.id, "78");
	CHECK_INT(d.stat, DLR_DELIVRD);
	/* exactly 64 characters is fine */
	snprintf(id64, sizeof id64, "id:%064d stat:DELIVRD", 7);
	CHECK_INT(dlr_parse(id64, strlen(id64), &d, NULL), 0);
	CHECK_INT(strlen(d.id), 64);
}

static void
test_states(void)
{
	static const struct {
		int	state;
		int	want;
		int	final;
		int	success;
		const char *name;
	} t[] = {
		{ 1, DLR_ENROUTE, 0, 0, "ENROUTE" },
		{ 2, DLR_DELIVRD, 1, 1, "DELIVRD" },
		{ 3, DLR_EXPIRED, 1, 0, "EXPIRED" },
		{ 4, DLR_DELETED, 1, 0, "DELETED" },
		{ 5, DLR_UNDELIV, 1, 0, "UNDELIV" },
		{ 6, DLR_ACCEPTD, 0, 0, "ACCEPTD" },
		{ 7, DLR_UNKNOWN, 1, 0, "UNKNOWN" },
		{ 8, DLR_REJECTD, 1, 0, "REJECTD" },
		{ 0, -1, 0, 0, "?" },
		{ 9, -1, 0, 0, "?" },	/* SMPP 5.0 SKIPPED */
		{ -1, -1, 0, 0, "?" },
		{ 255, -1, 0, 0, "?" },
	};
	size_t	i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		CHECK_INT(dlr_stat_from_message_state(t[i].state), t[i].want);
		CHECK_INT(dlr_stat_is_final(t[i].state), t[i].final);
		CHECK_INT(dlr_stat_is_success(t[i].state), t[i].success);
		CHECK_STR(dlr_stat_name(t[i].state), t[i].name);
	}
}

static void
test_id_key(void)
{
	static const struct {
		const char	*id;
		const char	*want;
	} t[] = {
		{ "0A1B2C3D", "169552957" },
		{ "0a1b2c3d", "169552957" },
		{ "169552957", "169552957" },
		{ "000123", "123" },
		{ "123", "123" },
		{ "0", "0" },
		{ "0000", "0" },
		{ "ff", "255" },
		{ "ffffffffffffffff", "18446744073709551615" },
		{ "0000ffffffffffffffff", "18446744073709551615" },
		{ "18446744073709551615", "18446744073709551615" },
		{ "18446744073709551616", "18446744073709551616" },
		{ "1ffffffffffffffff", "1FFFFFFFFFFFFFFFF" },
		{ "a1b2-c3d4", "A1B2-C3D4" },
		{ "6f1c2a9e-3b7d-4e0a", "6F1C2A9E-3B7D-4E0A" },
		{ "0x1A", "0X1A" },
	};
	char	out[DLR_KEY_MAX], id65[70];
	size_t	i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		CHECK_INT(dlr_id_key(t[i].id, out, sizeof out), strlen(t[i].want));
		CHECK_STR(out, t[i].want);
	}
	CHECK_INT(dlr_id_key("", out, sizeof out), -1);
	memset(id65, 'x', 65);
	id65[65] = '\0';
	CHECK_INT(dlr_id_key(id65, out, sizeof out), -1);
	id65[64] = '\0';
	CHECK_INT(dlr_id_key(id65, out, sizeof out), 64);
	CHECK_INT(dlr_id_key("0A1B2C3D", out, 10), 9);
	CHECK_INT(dlr_id_key("0A1B2C3D", out, 9), -1);
}

static void
test_id_keys(void)
{
	static const struct {
		const char	*id;
		int		 n;
		const char	*k0, *k1;
	} t[] = {
		{ "12345", 2, "12345", "74565" },
		{ "000123", 2, "123", "291" },
		{ "10", 2, "10", "16" },
		{ "7", 1, "7", NULL },
		{ "0009", 1, "9", NULL },
		{ "0A1B2C3D", 1, "169552957", NULL },
		{ "a1b2-c3d4", 1, "A1B2-C3D4", NULL },
		{ "12345678901234567890", 1, "12345678901234567890", NULL },
		{ "1234567890123456", 2, "1234567890123456",
		  "1311768467284833366" },
	};
	char	keys[2][DLR_KEY_MAX];
	size_t	i;
	int	n;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		n = dlr_id_keys(t[i].id, keys);
		CHECK(n == t[i].n, "\"%s\": %d keys, want %d", t[i].id, n,
		    t[i].n);
		CHECK_STR(keys[0], t[i].k0);
		if (n == 2 && t[i].k1 != NULL)
			CHECK_STR(keys[1], t[i].k1);
	}
	CHECK_INT(dlr_id_keys("", keys), -1);
}

/* The matching the header recommends: any key of one meets any of other. */
static int
matches(const char *submit_id, const char *receipt_id)
{
	char	s[2][DLR_KEY_MAX], r[2][DLR_KEY_MAX];
	int	ns, nr, i, j;

	if ((ns = dlr_id_keys(submit_id, s)) < 0 ||
	    (nr = dlr_id_keys(receipt_id, r)) < 0)
		return 0;
	for (i = 0; i < ns; i++)
		for (j = 0; j < nr; j++)
			if (strcmp(s[i], r[j]) == 0)
				return 1;
	return 0;
}

static void
test_matching(void)
{
	static const struct {
		const char	*submit;	/* submit_sm_resp message_id */
		const char	*receipt;	/* id: in the receipt text */
		int		 want;
	} t[] = {
		{ "0A1B2C3D", "169552957", 1 },	/* hex, then decimal */
		{ "169552957", "0A1B2C3D", 1 },	/* the other way round */
		{ "0a1b2c3d", "0A1B2C3D", 1 },
		{ "000123", "123", 1 },
		{ "123", "0000000123", 1 },
		{ "12345", "74565", 1 },	/* hex without letters */
		{ "00012345", "74565", 1 },
		{ "a1b2-c3d4", "A1B2-C3D4", 1 },
		{ "123", "124", 0 },
		{ "12345", "12346", 0 },
		{ "0A1B2C3D", "169552958", 0 },
		{ "a1b2-c3d4", "a1b2-c3d5", 0 },
	};
	size_t	i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		CHECK(matches(t[i].submit, t[i].receipt) == t[i].want,
		    "%s vs %s: want %d", t[i].submit, t[i].receipt, t[i].want);
}

static void
test_receipt_to_key(void)
{
	const char	text[] = "id:0000169552957 sub:001 dlvrd:001 "
	    "submit date:2506091230 done date:2506091231 stat:DELIVRD err:000";
	struct dlr	d;
	char		a[DLR_KEY_MAX], b[DLR_KEY_MAX];

	CHECK_INT(dlr_parse(text, strlen(text), &d, NULL), 0);
	CHECK(dlr_id_key(d.id, a, sizeof a) > 0, "key");
	CHECK(dlr_id_key("0A1B2C3D", b, sizeof b) > 0, "key");
	CHECK_STR(a, b);
	/* compiling again after dlr_fini() works, and is freed again */
	dlr_fini();
	CHECK_INT(dlr_parse(text, strlen(text), &d, NULL), 0);
	dlr_fini();
	dlr_fini();
}

static void
test_stat_pick(void)
{
	CHECK_INT(dlr_stat_pick(2, 1, DLR_UNDELIV), DLR_DELIVRD);	/* TLV wins */
	CHECK_INT(dlr_stat_pick(-1, 1, DLR_UNDELIV), DLR_UNDELIV);
	CHECK_INT(dlr_stat_pick(9, 1, DLR_EXPIRED), DLR_EXPIRED);	/* SMPP 5.0 */
	CHECK_INT(dlr_stat_pick(-1, 0, 0), DLR_UNKNOWN);	/* TLV id only */
	CHECK_INT(dlr_stat_pick(-1, 1, 0), DLR_UNKNOWN);
	CHECK_INT(dlr_stat_pick(200, 0, 0), DLR_UNKNOWN);
}

int
main(void)
{
	test_good();
	test_bad();
	test_bytes();
	test_states();
	test_id_key();
	test_id_keys();
	test_matching();
	test_receipt_to_key();
	test_stat_pick();
	dlr_fini();
	return check_report("dlr");
}
