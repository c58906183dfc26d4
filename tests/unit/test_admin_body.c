/*
 * The admin API's request bodies: what each endpoint accepts, what it
 * makes of it, and the exact 400 texts the API answers (tests/e2e/23_*,
 * 24_* match parts of them through the real daemon).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin_body.h"
#include "check.h"
#include "procedures.h"

/* U+FB2C: 3 bytes, 6 once composed (it is excluded from composition) */
#define FB2C		"\xef\xac\xac"
#define FB2C_6		FB2C FB2C FB2C FB2C FB2C FB2C
#define FB2C_42		FB2C_6 FB2C_6 FB2C_6 FB2C_6 FB2C_6 FB2C_6 FB2C_6

enum ep { LOAD, CASE_NEW, CASE_PATCH, CONTACT, MESSAGE, BROADCAST, PREVIEW };

static struct procedures	procs;
static struct admin_body_ctx	ctx = { "84", "MC", &procs };

static struct admin_case_new	cn;
static struct admin_case_patch	cp;
static struct admin_contact	ct;
static struct admin_message	msg;
static struct admin_broadcast	bc;
static struct admin_preview	pv;
static json_t			*doc;	/* what the structs borrow from */

/* Loads body and checks it as endpoint e would; rc, err filled. */
static int
run(enum ep e, const char *body, char *err, size_t errlen)
{
	int	rc;

	json_decref(doc);
	err[0] = '\0';
	if ((rc = admin_body_load(body, strlen(body), &doc, err, errlen)) != 0)
		return rc;
	switch (e) {
	case LOAD:
		return 0;
	case CASE_NEW:
		return admin_body_case_new(doc, &ctx, &cn, err, errlen);
	case CASE_PATCH:
		return admin_body_case_patch(doc, &cp, err, errlen);
	case CONTACT:
		return admin_body_contact(doc, &ctx, &ct, err, errlen);
	case MESSAGE:
		return admin_body_message(doc, &ctx, &msg, err, errlen);
	case BROADCAST:
		return admin_body_broadcast(doc, &ctx, &bc, err, errlen);
	case PREVIEW:
		return admin_body_preview(doc, &pv, err, errlen);
	}
	return -1;
}

static const struct {
	enum ep		 e;
	const char	*body;
	const char	*want;		/* the error */
} bad[] = {
	{ LOAD, "", "missing JSON body" },
	{ LOAD, "{\"procedure\": \"KS\",",
	    "bad JSON: string or '}' expected near end of file "
	    "(line 1, column 19)" },
	{ LOAD, "[\"KS\", \"0912000002\"]", "expected a JSON object" },
	{ LOAD, "\"x\"", "bad JSON: '[' or '{' expected near '\"x\"' "
	    "(line 1, column 3)" },
	{ LOAD, "{\"a\": 1, \"a\": 2}", "bad JSON: duplicate object key near "
	    "'\"a\"' (line 1, column 12)" },
	{ LOAD, "{\"a\": \"\\u0000\"}", "bad JSON: \\u0000 is not allowed "
	    "without JSON_ALLOW_NUL near '\"\\u0000\"' (line 1, column 14)" },
	/* jansson quotes the bytes near the fault: a cut character is '?' */
	{ LOAD, "{\"a\": \"\\u\xe1\xbb\x85\"}",
	    "bad JSON: invalid escape near '\"\\u?' (line 1, column 10)" },

	/* POST /cases (the e2e test's bodies first) */
	{ CASE_NEW, "{\"procedure\": \"KS\", \"msisdn\": \"0912000002\", "
	    "\"notfy\": true}", "unknown field \"notfy\"" },
	{ CASE_NEW, "{\"procedure\": \"XX\", \"msisdn\": \"0912000005\"}",
	    "unknown procedure \"XX\" (GET /procedures lists them)" },
	{ CASE_NEW, "{\"procedure\": \"KS\", \"msisdn\": \"12345\"}",
	    "\"msisdn\": too short" },
	{ CASE_NEW, "{\"procedure\": \"KS\", \"msisdn\": \"0912000005\", "
	    "\"status\": \"done\"}", "invalid status \"done\" (one of received, "
	    "rejected, processing, need_more, need_fee, withdrawn, suspended, "
	    "ready, returned)" },
	{ CASE_NEW, "{\"procedure\": \"KS\", \"msisdn\": \"0912000005\", "
	    "\"due\": \"2025-02-30\"}", "\"due\" must be a date YYYY-MM-DD" },
	{ CASE_NEW, "{\"procedure\": \"KS\"}", "missing field \"msisdn\"" },
	{ CASE_NEW, "{\"msisdn\": \"0912000005\"}",
	    "missing field \"procedure\"" },
	{ CASE_NEW, "{\"procedure\": null, \"msisdn\": \"0912000005\"}",
	    "missing field \"procedure\"" },
	{ CASE_NEW, "{\"procedure\": \"KS\", \"msisdn\": \"0912000005\", "
	    "\"notify\": \"yes\"}", "\"notify\" must be true or false" },
	{ CASE_NEW, "{\"procedure\": \"KS\", \"msisdn\": 912000005}",
	    "\"msisdn\" must be a string" },
	{ CASE_NEW, "{\"code\": \"MC2500429\", \"procedure\": \"KS\", "
	    "\"msisdn\": \"0912000005\"}", "\"code\" has the form of this "
	    "office's own codes: leave it out and one is made" },
	{ CASE_NEW, "{\"code\": \"mc 25-0042-9\", \"procedure\": \"KS\", "
	    "\"msisdn\": \"0912000005\"}", "\"code\" has the form of this "
	    "office's own codes: leave it out and one is made" },
	{ CASE_NEW, "{\"code\": \" .-/\", \"procedure\": \"KS\", "
	    "\"msisdn\": \"0912000005\"}", "\"code\" is empty" },
	{ CASE_NEW, "{\"code\": \"A\\tB\", \"procedure\": \"KS\", "
	    "\"msisdn\": \"0912000005\"}", "\"code\" has a control character" },
	{ CASE_NEW, "{\"code\": \"0123456789012345678901234567890123456789\", "
	    "\"procedure\": \"KS\", \"msisdn\": \"0912000005\"}",
	    "\"code\" is longer than 39 bytes" },
	{ CASE_NEW, "{\"procedure\": \"KS\", \"msisdn\": \"0912000005\", "
	    "\"name\": \"a\\u007fb\"}", "\"name\" has a control character" },
	{ CASE_NEW, "{\"procedure\": \"KS\", \"msisdn\": \"0912000005\", "
	    "\"name\": \"" "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789" "01234567\"}",
	    "\"name\" is longer than 127 bytes" },
	/* 42 x U+FB2C: 126 bytes, 252 once composed */
	{ CASE_NEW, "{\"procedure\": \"KS\", \"msisdn\": \"0912000005\", "
	    "\"name\": \"" FB2C_42 "\"}",
	    "\"name\" is too long" },
	{ CASE_NEW, "{\"procedure\": \"KHAISINHKHAISINH1\", "
	    "\"msisdn\": \"0912000005\"}",
	    "\"procedure\" is longer than 16 bytes" },
	{ CASE_NEW, "{\"procedure\": \"KS\", \"msisdn\": \"0912000005\", "
	    "\"due\": \"2025-01-011\"}", "\"due\" is longer than 10 bytes" },

	/* PATCH /cases/CODE */
	{ CASE_PATCH, "{\"status\": \"finished\"}", "invalid status "
	    "\"finished\" (one of received, rejected, processing, need_more, "
	    "need_fee, withdrawn, suspended, ready, returned)" },
	{ CASE_PATCH, "{\"note\": \"x\"}", "missing field \"status\"" },
	{ CASE_PATCH, "{\"status\": \"ready\", \"due\": \"soon\"}",
	    "\"due\" must be a date YYYY-MM-DD" },
	{ CASE_PATCH, "{\"status\": \"ready\", \"by\": \"lan\"}",
	    "unknown field \"by\"" },
	{ CASE_PATCH, "{\"status\": 9}", "\"status\" must be a string" },
	/* the date is checked before the status */
	{ CASE_PATCH, "{\"status\": \"done\", \"due\": \"soon\"}",
	    "\"due\" must be a date YYYY-MM-DD" },

	/* POST /contacts */
	{ CONTACT, "{\"msisdn\": \"abc\", \"groups\": [\"Thôn 1\"]}",
	    "\"msisdn\": contains a letter" },
	{ CONTACT, "{\"msisdn\": \"0912000023\", \"groups\": \"Thôn 1\"}",
	    "\"groups\" must be an array of names" },
	{ CONTACT, "{\"msisdn\": \"0912000023\", \"groups\": [\"\"]}",
	    "\"groups\": names of 1 to 64 bytes" },
	{ CONTACT, "{\"msisdn\": \"0912000023\", \"groups\": [\"a\", 1]}",
	    "\"groups\": names of 1 to 64 bytes" },
	{ CONTACT, "{\"msisdn\": \"0912000023\", \"groups\": [\"a\\nb\"]}",
	    "\"groups\" has a control character" },
	{ CONTACT, "{\"msisdn\": \"0912000023\", \"groups\": [\"1\", \"2\", "
	    "\"3\", \"4\", \"5\", \"6\", \"7\", \"8\", \"9\", \"10\", \"11\", "
	    "\"12\", \"13\", \"14\", \"15\", \"16\", \"17\", \"18\", \"19\", "
	    "\"20\", \"21\", \"22\", \"23\", \"24\", \"25\", \"26\", \"27\", "
	    "\"28\", \"29\", \"30\", \"31\", \"32\", \"33\"]}",
	    "\"groups\": at most 32" },
	{ CONTACT, "{\"msisdn\": \"0912000023\", \"name\": \"a\\nb\"}",
	    "\"name\" has a control character" },
	{ CONTACT, "{\"name\": \"Lan\"}", "missing field \"msisdn\"" },
	{ CONTACT, "{\"msisdn\": \"0912000023\", \"group\": \"x\"}",
	    "unknown field \"group\"" },

	/* POST /preview */
	{ PREVIEW, "{}", "give one of \"text\", \"template\" or \"case\"" },
	{ PREVIEW, "{\"text\": \"a\", \"template\": \"help\"}",
	    "give one of \"text\", \"template\" or \"case\"" },
	{ PREVIEW, "{\"text\": \"a\", \"case\": \"MC1\"}",
	    "give one of \"text\", \"template\" or \"case\"" },
	{ PREVIEW, "{\"case\": \"MC1\"}", "\"status\" is required with \"case\"" },
	{ PREVIEW, "{\"case\": \"MC1\", \"status\": \"done\"}",
	    "invalid status \"done\" (one of received, rejected, processing, "
	    "need_more, need_fee, withdrawn, suspended, ready, returned)" },
	{ PREVIEW, "{\"text\": \"a\", \"note\": \"b\"}",
	    "\"status\" and \"note\" go with \"case\"" },
	{ PREVIEW, "{\"text\": \"\"}", "\"text\" is empty" },
	{ PREVIEW, "{\"text\": \"a\", \"vars\": {}}",
	    "\"vars\" goes with \"template\"" },
	{ PREVIEW, "{\"template\": \"../help\"}",
	    "unknown template \"../help\" (or the text would be too long)" },
	{ PREVIEW, "{\"text\": \"a\", \"to\": \"0912000013\"}",
	    "unknown field \"to\"" },

	/* POST /messages */
	{ MESSAGE, "{\"to\": \"0912000013\", \"template\": \"../help\"}",
	    "unknown template \"../help\" (or the text would be too long)" },
	{ MESSAGE, "{\"to\": \"0912000013\", \"template\": \"Help\"}",
	    "unknown template \"Help\" (or the text would be too long)" },
	{ MESSAGE, "{\"to\": \"0912000013\", \"text\": \"a\", "
	    "\"template\": \"help\"}", "give either \"text\" or \"template\"" },
	{ MESSAGE, "{\"to\": \"0912000013\"}",
	    "give either \"text\" or \"template\"" },
	{ MESSAGE, "{\"to\": \"0912000013\", \"text\": null}",
	    "give either \"text\" or \"template\"" },
	{ MESSAGE, "{\"to\": \"0912000013\", \"text\": \"\"}",
	    "\"text\" is empty" },
	{ MESSAGE, "{\"to\": \"0912000013\", \"text\": \"a\", \"vars\": {}}",
	    "\"vars\" goes with \"template\"" },
	{ MESSAGE, "{\"to\": \"0912000013\", \"text\": \"a\", \"vars\": null}",
	    "\"vars\" goes with \"template\"" },
	{ MESSAGE, "{\"to\": \"0912000013\", \"template\": \"help\", "
	    "\"vars\": {\"a\": 1}}", "\"vars\": \"a\" must be a string" },
	{ MESSAGE, "{\"to\": \"0912000013\", \"template\": \"help\", "
	    "\"vars\": [\"a\"]}", "\"vars\" must be an object of strings" },
	/* unlike other fields, a null "vars" is not left out */
	{ MESSAGE, "{\"to\": \"0912000013\", \"template\": \"help\", "
	    "\"vars\": null}", "\"vars\" must be an object of strings" },
	{ MESSAGE, "{\"to\": \"0912000013\", \"template\": \"help\", "
	    "\"vars\": {\"a\": \"\", \"b\": \"\", \"c\": \"\", \"d\": \"\", "
	    "\"e\": \"\", \"f\": \"\", \"g\": \"\", \"h\": \"\", \"i\": \"\", "
	    "\"j\": \"\", \"k\": \"\", \"l\": \"\", \"m\": \"\", \"n\": \"\", "
	    "\"o\": \"\", \"p\": \"\", \"q\": \"\"}}", "\"vars\": at most 16" },
	{ MESSAGE, "{\"to\": \"abc\", \"text\": \"a\"}",
	    "\"to\": contains a letter" },
	{ MESSAGE, "{\"to\": \"+1\", \"text\": \"a\"}", "\"to\": too short" },
	{ MESSAGE, "{\"text\": \"a\"}", "missing field \"to\"" },
	{ MESSAGE, "{\"to\": \"0912000013\", \"template\": "
	    "\"abcdefghijklmnopqrstuvwxyz0123456\"}",
	    "\"template\" is longer than 32 bytes" },
	/* the number is checked before the text */
	{ MESSAGE, "{\"to\": \"abc\", \"text\": \"\"}",
	    "\"to\": contains a letter" },

	/* POST /broadcasts */
	{ BROADCAST, "{\"to\": {\"msisdns\": [\"0912000001\", \"12ab\"]}, "
	    "\"text\": \"x\"}", "\"to.msisdns\": item 2 is not a phone number" },
	{ BROADCAST, "{\"text\": \"x\"}", "\"to\": one of {\"group\"}, "
	    "{\"msisdns\"}, {\"cases_status\"}" },
	{ BROADCAST, "{\"to\": {\"group\": \"a\", \"cases_status\": \"ready\"}, "
	    "\"text\": \"x\"}", "\"to\": one of {\"group\"}, {\"msisdns\"}, "
	    "{\"cases_status\"}" },
	{ BROADCAST, "{\"to\": \"Thôn 1\", \"text\": \"x\"}", "\"to\": one of "
	    "{\"group\"}, {\"msisdns\"}, {\"cases_status\"}" },
	{ BROADCAST, "{\"to\": {\"group\": 1}, \"text\": \"x\"}",
	    "\"to.group\" must be a string" },
	{ BROADCAST, "{\"to\": {\"cases_status\": null}, \"text\": \"x\"}",
	    "\"to.cases_status\" must be a string" },
	{ BROADCAST, "{\"to\": {\"msisdns\": []}, \"text\": \"x\"}",
	    "\"to.msisdns\": 1 to 2000 numbers" },
	{ BROADCAST, "{\"to\": {\"numbers\": [\"0912000001\"]}, \"text\": \"x\"}",
	    "\"to.msisdns\": 1 to 2000 numbers" },
	{ BROADCAST, "{\"to\": {\"msisdns\": [1]}, \"text\": \"x\"}",
	    "\"to.msisdns\": item 1 is not a phone number" },
	{ BROADCAST, "{\"to\": {\"group\": \"a\"}, \"text\": \"x\", "
	    "\"at\": \"tomorrow\"}",
	    "\"at\": a time like 2025-12-01T08:00:00+07:00" },
	{ BROADCAST, "{\"to\": {\"group\": \"a\"}, \"text\": \"x\", "
	    "\"at\": \"2025-12-01T08:00:00+0700\"}",
	    "\"at\": a time like 2025-12-01T08:00:00+07:00" },
	{ BROADCAST, "{\"to\": {\"group\": \"a\"}, \"text\": \"x\", "
	    "\"at\": \"2025-12-01T08:00:00 \"}",
	    "\"at\": a time like 2025-12-01T08:00:00+07:00" },
	{ BROADCAST, "{\"to\": {\"group\": \"a\"}, \"text\": \"x\", "
	    "\"at\": 1764550800}", "\"at\" must be a string" },
	{ BROADCAST, "{\"to\": {\"group\": \"a\"}, \"text\": \"x\", "
	    "\"dry_run\": 1}", "\"dry_run\" must be true or false" },
	{ BROADCAST, "{\"to\": {\"group\": \"a\"}, \"template\": \"t\", "
	    "\"vars\": \"x\"}", "\"vars\" must be an object of strings" },
	{ BROADCAST, "{\"to\": {\"group\": \"a\"}, \"text\": \"x\", "
	    "\"when\": \"now\"}", "unknown field \"when\"" },
	{ BROADCAST, "{\"to\": {\"group\": \"a\"}, \"text\": 1}",
	    "\"text\" must be a string" },
};

static void
test_bad(void)
{
	char	err[256];
	size_t	i;
	int	rc;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		rc = run(bad[i].e, bad[i].body, err, sizeof(err));
		CHECK(rc == -1, "%s: rc %d", bad[i].body, rc);
		CHECK(strcmp(err, bad[i].want) == 0,
		    "%s: got \"%s\", want \"%s\"", bad[i].body, err, bad[i].want);
	}
}

static void
test_load(void)
{
	char	err[256], *big;
	json_t	*o;

	big = malloc(ADMIN_BODY_MAX + 2);
	memset(big, ' ', ADMIN_BODY_MAX + 1);
	big[0] = '{';
	big[ADMIN_BODY_MAX - 1] = '}';
	CHECK_INT(admin_body_load(big, ADMIN_BODY_MAX, &o, err, sizeof(err)),
	    0);
	json_decref(o);
	CHECK_INT(admin_body_load(big, ADMIN_BODY_MAX + 1, &o, err,
	    sizeof(err)), ADMIN_BODY_TOO_LARGE);
	CHECK_STR(err, "request body larger than 64 KiB");
	CHECK(o == NULL, "no object");
	free(big);
	/* not NUL-terminated: the length counts */
	CHECK_INT(admin_body_load("{}garbage", 2, &o, err, sizeof(err)), 0);
	json_decref(o);
	/* a short err buffer still holds a terminated start */
	CHECK_INT(admin_body_load("", 0, &o, err, 8), -1);
	CHECK_STR(err, "missing");
}

static void
test_case_new(void)
{
	char	err[256];

	CHECK_INT(run(CASE_NEW, "{\"procedure\": \"ks\", \"msisdn\": "
	    "\"0912000001\", \"name\": \"Nguye\xcc\x82\xcc\x83n Văn A\", "
	    "\"notify\": true}", err, sizeof(err)), 0);
	CHECK_STR(cn.proc->code, "KS");
	CHECK_STR(cn.msisdn, "84912000001");
	CHECK_STR(cn.name, "Nguyễn Văn A");		/* composed */
	CHECK(cn.code == NULL && cn.due == NULL && cn.status == NULL,
	    "defaults");
	CHECK_INT(cn.notify, 1);

	CHECK_INT(run(CASE_NEW, "{\"code\": \"000.00.20.H12-230609-0001\", "
	    "\"procedure\": \"HN\", \"msisdn\": \"+84912000003\", \"due\": "
	    "\"2030-01-15\", \"status\": \"processing\", \"name\": null, "
	    "\"notify\": null}", err, sizeof(err)), 0);
	CHECK_STR(cn.code, "000.00.20.H12-230609-0001");
	CHECK_STR(cn.proc->code, "HN");
	CHECK_STR(cn.msisdn, "84912000003");
	CHECK_STR(cn.name, "");
	CHECK_STR(cn.due, "2030-01-15");
	CHECK_INT(cn.status->code, 4);
	CHECK_INT(cn.notify, 0);

	/* another office's code in our letters is still foreign */
	CHECK_INT(run(CASE_NEW, "{\"code\": \"MC-1\", \"procedure\": \"KS\", "
	    "\"msisdn\": \"912000004\"}", err, sizeof(err)), 0);
	CHECK_STR(cn.msisdn, "84912000004");
}

static void
test_case_patch(void)
{
	char	err[256];

	CHECK_INT(run(CASE_PATCH, "{\"status\": \"need_more\", \"note\": "
	    "\"Mang theo CCCD bản chính\"}", err, sizeof(err)), 0);
	CHECK_STR(cp.status->name, "need_more");
	CHECK_INT(cp.status->code, 5);
	CHECK_STR(cp.note, "Mang theo CCCD bản chính");
	CHECK(cp.due == NULL, "no due");
	CHECK_INT(run(CASE_PATCH, "{\"status\": \"returned\", \"due\": "
	    "\"2024-02-29\", \"note\": null}", err, sizeof(err)), 0);
	CHECK_INT(cp.status->code, 10);
	CHECK_STR(cp.due, "2024-02-29");
	CHECK(cp.note == NULL, "no note");
}

static void
test_contact(void)
{
	char	err[256];

	CHECK_INT(run(CONTACT, "{\"msisdn\": \"0912000020\", \"name\": \"Lan\", "
	    "\"groups\": [\"Thôn 1\", \"Thôn 2\"]}", err, sizeof(err)), 0);
	CHECK_STR(ct.msisdn, "84912000020");
	CHECK_INT(ct.has_name, 1);
	CHECK_STR(ct.name, "Lan");
	CHECK_INT(ct.has_groups, 1);
	CHECK_INT(ct.ngroups, 2);
	CHECK_STR(ct.groups[0], "Thôn 1");
	CHECK_STR(ct.groups[1], "Thôn 2");

	CHECK_INT(run(CONTACT, "{\"msisdn\": \"912000022\", \"groups\": "
	    "[\"Tho\\u0302n 1\"]}", err, sizeof(err)), 0);
	CHECK_STR(ct.msisdn, "84912000022");
	CHECK_INT(ct.has_name, 0);
	CHECK_STR(ct.groups[0], "Thôn 1");

	/* [] empties the groups, null leaves them */
	CHECK_INT(run(CONTACT, "{\"msisdn\": \"0912000020\", \"groups\": []}",
	    err, sizeof(err)), 0);
	CHECK(ct.has_groups == 1 && ct.ngroups == 0, "emptied");
	CHECK_INT(run(CONTACT, "{\"msisdn\": \"0912000020\", \"name\": \"\", "
	    "\"groups\": null}", err, sizeof(err)), 0);
	CHECK(ct.has_groups == 0 && ct.has_name == 1 && ct.name[0] == '\0',
	    "kept groups, empty name");
}

static void
test_message(void)
{
	char	err[256];

	CHECK_INT(run(MESSAGE, "{\"to\": \"0912000010\", \"text\": \"Xin chào, "
	    "lịch tiếp dân thay đổi\"}", err, sizeof(err)), 0);
	CHECK_STR(msg.to, "84912000010");
	CHECK_STR(msg.text, "Xin chào, lịch tiếp dân thay đổi");
	CHECK(msg.template == NULL && msg.nvars == 0, "text only");

	CHECK_INT(run(MESSAGE, "{\"to\": \"84912000012\", \"template\": "
	    "\"status_changed\", \"vars\": {\"code\": \"X1\", \"status\": "
	    "\"đang xử lý\", \"note\": \"ghi chú\"}}", err, sizeof(err)), 0);
	CHECK(msg.text == NULL, "no text");
	CHECK_STR(msg.template, "status_changed");
	CHECK_INT(msg.nvars, 3);
	CHECK_STR(msg.keys[0], "code");
	CHECK_STR(msg.vals[0], "X1");
	CHECK_STR(msg.keys[1], "status");
	CHECK_STR(msg.vals[1], "đang xử lý");
	CHECK_STR(msg.keys[2], "note");
	CHECK_STR(msg.vals[2], "ghi chú");

	CHECK_INT(run(MESSAGE, "{\"to\": \"+84912000011\", \"template\": "
	    "\"help\"}", err, sizeof(err)), 0);
	CHECK_STR(msg.template, "help");
	CHECK_INT(msg.nvars, 0);
}

static void
test_preview(void)
{
	char	err[256];

	CHECK_INT(run(PREVIEW, "{\"text\": \"Mời ông bà đến nhận\"}", err,
	    sizeof(err)), 0);
	CHECK_STR(pv.m.text, "Mời ông bà đến nhận");
	CHECK(pv.code == NULL && pv.m.template == NULL, "text only");
	CHECK_INT(run(PREVIEW, "{\"template\": \"feedback_received\", "
	    "\"vars\": {\"code\": \"MC1\"}}", err, sizeof(err)), 0);
	CHECK_STR(pv.m.template, "feedback_received");
	CHECK_INT(pv.m.nvars, 1);
	CHECK_STR(pv.m.vals[0], "MC1");
	CHECK_INT(run(PREVIEW, "{\"case\": \"mc 2600017\", \"status\": "
	    "\"need_more\", \"note\": \"CCCD\"}", err, sizeof(err)), 0);
	CHECK_STR(pv.code, "mc 2600017");
	CHECK_INT(pv.status->code, 5);
	CHECK_STR(pv.note, "CCCD");
	CHECK_INT(run(PREVIEW, "{\"case\": \"MC1\", \"status\": \"ready\"}",
	    err, sizeof(err)), 0);
	CHECK(pv.note == NULL, "no note");
}

static void
test_broadcast(void)
{
	char	err[256];

	CHECK_INT(run(BROADCAST, "{\"to\": {\"group\": \"Thôn Đông\"}, "
	    "\"text\": \"Kính mời {{name}} lúc {{gio}}\", \"vars\": "
	    "{\"gio\": \"19h\"}, \"dry_run\": true}", err, sizeof(err)), 0);
	CHECK_STR(bc.group, "Thôn Đông");
	CHECK(bc.cases_status == NULL && bc.nmsisdns == 0, "a group");
	CHECK_STR(bc.text, "Kính mời {{name}} lúc {{gio}}");
	CHECK(bc.vars != NULL && json_object_size(bc.vars) == 1, "vars");
	CHECK(bc.at == 0 && bc.at_local == 0, "now");
	CHECK_INT(bc.dry_run, 1);

	CHECK_INT(run(BROADCAST, "{\"to\": {\"msisdns\": [\"0912000001\", "
	    "\"+84912000001\", \"0912000004\"]}, \"text\": \"Lịch tiêm\", "
	    "\"at\": \"2025-12-01T08:00:00+07:00\"}", err, sizeof(err)), 0);
	CHECK_INT(bc.nmsisdns, 3);
	CHECK_STR(bc.msisdns[0], "84912000001");
	CHECK_STR(bc.msisdns[1], "84912000001");	/* broadcast.c dedups */
	CHECK_STR(bc.msisdns[2], "84912000004");
	CHECK_INT(bc.at, 1764550800000LL);		/* 01:00Z */
	CHECK_INT(bc.at_local, 0);
	CHECK(bc.group == NULL && bc.vars == NULL, "a list");

	CHECK_INT(run(BROADCAST, "{\"to\": {\"cases_status\": \"ready\"}, "
	    "\"template\": \"hop\", \"at\": \"2025-12-01T01:00Z\"}", err,
	    sizeof(err)), 0);
	CHECK_STR(bc.cases_status, "ready");
	CHECK_STR(bc.template, "hop");
	CHECK_INT(bc.at, 1764550800000LL);
	CHECK_INT(bc.at_local, 0);
	CHECK_INT(run(BROADCAST, "{\"to\": {\"group\": \"a\"}, \"text\": \"x\", "
	    "\"at\": \"2025-12-01T08:00:00-01:30\"}", err, sizeof(err)), 0);
	CHECK_INT(bc.at, 1764581400000LL);		/* 09:30Z */

	/* no offset: the wall clock, placed by the caller */
	CHECK_INT(run(BROADCAST, "{\"to\": {\"group\": \"a\"}, \"text\": \"x\", "
	    "\"at\": \"2025-12-01T08:00\"}", err, sizeof(err)), 0);
	CHECK_INT(bc.at, 1764576000000LL);		/* 08:00 as if Z */
	CHECK_INT(bc.at_local, 1);

	/* the rest is broadcast.c's to refuse */
	CHECK_INT(run(BROADCAST, "{\"to\": {\"cases_status\": \"nope\"}, "
	    "\"text\": \"a\", \"template\": \"b\"}", err, sizeof(err)), 0);
}

/* A list at the limit, and one over it. */
static void
test_broadcast_many(void)
{
	char	err[256], *body;
	size_t	n, i, len;

	body = malloc(ADMIN_BODY_MAX);
	for (n = ADMIN_BROADCAST_MAX; n <= ADMIN_BROADCAST_MAX + 1; n++) {
		len = (size_t)snprintf(body, ADMIN_BODY_MAX,
		    "{\"to\": {\"msisdns\": [");
		for (i = 0; i < n; i++)
			len += (size_t)snprintf(body + len, ADMIN_BODY_MAX - len,
			    "%s\"09%08zu\"", i ? "," : "", i);
		snprintf(body + len, ADMIN_BODY_MAX - len, "]}, \"text\": \"x\"}");
		if (n == ADMIN_BROADCAST_MAX) {
			CHECK_INT(run(BROADCAST, body, err, sizeof(err)), 0);
			CHECK_INT(bc.nmsisdns, n);
			CHECK_STR(bc.msisdns[n - 1], "84900001999");
		} else {
			CHECK_INT(run(BROADCAST, body, err, sizeof(err)), -1);
			CHECK_STR(err, "\"to.msisdns\": 1 to 2000 numbers");
		}
	}
	free(body);
}

/* A reason cut by its buffer still ends on a whole character. */
static void
test_cut(void)
{
	char	body[512], err[256];
	size_t	n, i;

	n = (size_t)snprintf(body, sizeof(body), "{\"a");
	for (i = 0; i < 100; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n, "ễ");
	snprintf(body + n, sizeof(body) - n, "\": 1}");
	/* 16 bytes, then 79 of the 3-byte characters fit, not the 80th */
	CHECK_INT(run(CONTACT, body, err, sizeof(err)), -1);
	CHECK_INT(strlen(err), 16 + 79 * 3);
	CHECK(strncmp(err, "unknown field \"aễ", 19) == 0, "%s", err);
	CHECK_STR(err + strlen(err) - 3, "ễ");
	CHECK_INT(run(CONTACT, body, err, 17), -1);
	CHECK_STR(err, "unknown field \"a");
	CHECK_INT(run(CONTACT, body, err, 18), -1);
	CHECK_STR(err, "unknown field \"a");
	CHECK_INT(run(CONTACT, body, err, 20), -1);
	CHECK_STR(err, "unknown field \"aễ");
}

static void
test_query(void)
{
	const struct case_status	*st;
	char				 err[256];

	CHECK_INT(admin_body_status("need_fee", &st, err, sizeof(err)), 0);
	CHECK_INT(st->code, 6);
	CHECK_INT(admin_body_status("READY", &st, err, sizeof(err)), -1);
	CHECK(st == NULL, "no status");
	CHECK_STR(err, "invalid status \"READY\" (one of received, rejected, "
	    "processing, need_more, need_fee, withdrawn, suspended, ready, "
	    "returned)");
	CHECK_INT(admin_body_date("date", NULL, err, sizeof(err)), 0);
	CHECK_INT(admin_body_date("date", "2099-01-01", err, sizeof(err)), 0);
	CHECK_INT(admin_body_date("date", "tomorrow", err, sizeof(err)), -1);
	CHECK_STR(err, "\"date\" must be a date YYYY-MM-DD");
}

int
main(void)
{
	static const char list[] =
	    "KS | Đăng ký khai sinh | Miễn lệ phí | 1 | Tờ khai\n"
	    "HN | Xác nhận tình trạng hôn nhân | 5.000 đồng | 3 | CCCD\n";
	char	err[256];

	if (procedures_parse("procedures.list", list, &procs, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	test_bad();
	test_load();
	test_case_new();
	test_case_patch();
	test_contact();
	test_message();
	test_preview();
	test_broadcast();
	test_broadcast_many();
	test_cut();
	test_query();
	json_decref(doc);
	return check_report("admin_body");
}
