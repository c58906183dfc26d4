/*
 * parsers/intent.c against the default keywords file: real citizen
 * messages (intent_cases.h), the keywords file's error messages, and the
 * edges of the API. Run from the repository root, or pass the keywords
 * file as argv[1].
 *
 * Two counts matter separately: wrong actions (a message that must not
 * act, classified submit/feedback/optout/optin) must be 0; other
 * misclassifications are reported and fail the test too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "check.h"
#include "intent.h"
#include "procedures.h"
#include "text.h"
#include "intent_cases.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Filled from the procedures.list beside the keywords, as the daemon does. */
static struct procedures	plist;
static struct intent_proc	procs[PROC_MAX];

/*
 * The fixed starts of the office's texts, as the daemon passes them (each
 * templates/vi reply up to its first placeholder), and a broadcast.
 */
static const char *const signatures[] = {
	"Tra cứu hồ sơ: TC <mã hồ sơ>. Nộp yêu cầu: NOP",
	"Tin nhắn chưa đúng cú pháp. ",
	"Đã ngừng gửi tin thông báo đến số này",
	"Đã đăng ký nhận lại tin thông báo. Soạn TUCHOI",
	"Đã nhận yêu cầu ",
	"Đã nhận phản ánh, mã ",
	"Tiếp công dân tại Bộ phận một cửa",
	"Không tìm thấy hồ sơ ",
	"Không có thủ tục \"",
	"Thủ tục nhận qua tin nhắn",
	"Có phải bạn muốn soạn ",
	"Ông/bà đã tra cứu mã sai nhiều lần, vui lòng",
	"UBND xã Vĩnh Hòa thông báo",
	"Hồ sơ ",	/* too short to identify: ignored */
};

static struct intent_ctx ctx = {
	"MC", "000.00.20.H12", procs, 0, signatures, NELEM(signatures), 0,
};

static char *
read_file(const char *path)
{
	FILE	*f;
	char	*buf;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	if (n < 0 || (buf = malloc((size_t)n + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	buf[fread(buf, 1, (size_t)n, f)] = '\0';
	fclose(f);
	return buf;
}

/* One message; 1 if it matched, with *wrong set for a wrong action. */
static int
run_case(const struct intent_rules *r, const struct icase *k, int *wrong)
{
	static struct intent	 out;
	char			*nfd = NULL;
	const char		*text = k->text;
	int			 ok;

	if (k->nfd) {
		nfd = (char *)utf8proc_NFD((const utf8proc_uint8_t *)k->text);
		text = nfd;
	}
	CHECK_INT(intent_classify(r, &ctx, text, &out), 0);
	free(nfd);
	*wrong = intent_is_action(out.kind) && out.kind != k->kind;
	ok = out.kind == k->kind &&
	    (k->arg == NULL || strcmp(out.arg, k->arg) == 0) &&
	    (k->proc == NULL || strcmp(out.proc, k->proc) == 0) &&
	    (k->kind != INTENT_UNKNOWN ||
	    strcmp(out.suggestion, k->suggestion) == 0);
	CHECK(ok, "\"%s\"%s: got %s arg \"%s\" proc \"%s\" suggestion \"%s\", "
	    "want %s arg \"%s\" proc \"%s\"", k->text, k->nfd ? " (NFD)" : "",
	    intent_name(out.kind), out.arg, out.proc, out.suggestion,
	    intent_name(k->kind), k->arg ? k->arg : "*",
	    k->proc ? k->proc : "*");
	return ok;
}

static void
test_messages(const struct intent_rules *r)
{
	size_t	i, bad = 0, wrong = 0;
	int	w;

	for (i = 0; i < NELEM(icases); i++) {
		if (!run_case(r, &icases[i], &w))
			bad++;
		wrong += w;
	}
	printf("intent: %zu messages, %zu wrong actions, %zu other "
	    "misclassifications\n", NELEM(icases), wrong, bad - wrong);
	CHECK(NELEM(icases) >= 120, "only %zu messages", NELEM(icases));
	CHECK_INT(wrong, 0);
}

/* Loads text and expects an error starting with want. */
static void
load_fails(const char *text, const char *want)
{
	struct intent_rules	*r;
	char			 err[512] = "";

	r = intent_rules_load("kw.txt", text, err, sizeof(err));
	CHECK(r == NULL, "\"%s\" loaded", text);
	intent_rules_free(r);
	CHECK(strncmp(err, want, strlen(want)) == 0,
	    "got \"%s\", want \"%s...\"", err, want);
}

static void
test_load_errors(void)
{
	struct intent_rules	*r;
	struct intent		 out;
	char			 err[256];

	load_fails("stauts ^tc\\b", "kw.txt:1: unknown intent \"stauts\"");
	load_fails("# c\n\nstatus ^(tc\n",
	    "kw.txt:3: bad pattern at offset 4: ");
	load_fails("status ^tra cứu\\b", "kw.txt:1: pattern is not ASCII");
	load_fails("status .*", "kw.txt:1: pattern matches an empty message");
	load_fails("help ^hd$\nstatus", "kw.txt:2: missing pattern");
	load_fails("# only comments\n\n", "kw.txt: no rules");
	load_fails("", "kw.txt: no rules");
	r = intent_rules_load("kw.txt", NULL, err, sizeof(err));
	CHECK(r == NULL, "NULL text loaded");

	/* CRLF, tabs and a rule without an arg group. */
	r = intent_rules_load("kw.txt", "\t# x\r\nschedule\t^lich$\r\n"
	    "status ^xem\\b\\s*(?<arg>.*)$\r\n", err, sizeof(err));
	CHECK(r != NULL, "%s", err);
	CHECK_INT(intent_classify(r, &ctx, "LỊCH", &out), 0);
	CHECK_INT(out.kind, INTENT_SCHEDULE);
	CHECK_INT(intent_classify(r, &ctx, "xem mc-2500429", &out), 0);
	CHECK_INT(out.kind, INTENT_STATUS);
	CHECK_STR(out.arg, "MC2500429");
	intent_rules_free(r);
}

static void
test_api(const struct intent_rules *r)
{
	static struct intent	out;
	static const char	word[] = "Nguyễn ";
	static char		long_text[6000];
	size_t			i;

	CHECK_INT(intent_classify(NULL, &ctx, "TC MC2500429", &out), -1);
	CHECK_INT(out.kind, INTENT_HELP);
	CHECK_INT(intent_classify(r, &ctx, NULL, &out), -1);
	CHECK_INT(intent_classify(r, &ctx, "x", NULL), -1);
	/* No context: no prefix, no procedures, still no crash. */
	CHECK_INT(intent_classify(r, NULL, "NOP KS Nguyen Van A sinh 1/1",
	    &out), 0);
	CHECK(!intent_is_action(out.kind), "acted without procedures: %s",
	    intent_name(out.kind));
	CHECK_STR(intent_name(INTENT_OPTOUT), "optout");
	CHECK_STR(intent_name(99), "unknown");
	CHECK_INT(intent_is_action(INTENT_STATUS), 0);
	CHECK_INT(intent_is_action(INTENT_FEEDBACK), 1);

	/* A very long letter: classified, request text cut on a character. */
	strcpy(long_text, "NOP KS ");
	for (i = strlen(long_text); i + sizeof(word) < sizeof(long_text);
	    i += sizeof(word) - 1)
		memcpy(long_text + i, word, sizeof(word) - 1);
	long_text[i] = '\0';
	CHECK_INT(intent_classify(r, &ctx, long_text, &out), 0);
	CHECK_INT(out.kind, INTENT_SUBMIT);
	CHECK(strlen(out.arg) < INTENT_ARG_MAX &&
	    utf8proc_decompose((const utf8proc_uint8_t *)out.arg, 0, NULL, 0,
	    0) >= 0, "arg of %zu bytes", strlen(out.arg));
	CHECK(out.flags & INTENT_F_TRUNCATED, "flags %u", out.flags);

	/* Flags the caller answers on. */
	intent_classify(r, &ctx, "NOP KS", &out);
	CHECK(out.flags & INTENT_F_HOWTO, "NOP KS flags %u", out.flags);
	intent_classify(r, &ctx, "UBND xã Vĩnh Hòa thông báo: họp dân", &out);
	CHECK(out.flags & INTENT_F_FORWARDED, "broadcast flags %u", out.flags);
	/* A short national code needs unit_code to be seen in plain words. */
	{
		struct intent_ctx	nounit = ctx;

		nounit.unit_code = "";
		intent_classify(r, &nounit, "230609-0001 xong chua", &out);
		CHECK(out.kind != INTENT_STATUS || out.arg[0] == '\0',
		    "got %s %s", intent_name(out.kind), out.arg);
		intent_classify(r, &nounit, "TC 230609-0001", &out);
		CHECK_STR(out.arg, "2306090001");
	}
}

/*
 * The daemon folds its signatures once and says so: every message must be
 * read the same as when intent.c folds them itself.
 */
static void
test_prefolded(const struct intent_rules *r)
{
	static char		 folded[NELEM(signatures)][256];
	const char		*sig[NELEM(signatures)];
	struct intent_ctx	 c2 = ctx;
	static struct intent	 a, b;
	size_t			 i, same = 0;

	for (i = 0; i < NELEM(signatures); i++) {
		text_fold(signatures[i], folded[i], sizeof(folded[i]));
		sig[i] = folded[i];
	}
	c2.signatures = sig;
	c2.signatures_folded = 1;
	for (i = 0; i < NELEM(icases); i++) {
		intent_classify(r, &ctx, icases[i].text, &a);
		intent_classify(r, &c2, icases[i].text, &b);
		same += a.kind == b.kind && a.flags == b.flags &&
		    strcmp(a.arg, b.arg) == 0;
	}
	CHECK_INT(same, NELEM(icases));
}

/* The procedures, other names included, as gateway/office/replies.c loads them. */
static int
load_procs(const char *keywords)
{
	char	path[512], err[256], *text, *slash;
	int	i;

	snprintf(path, sizeof(path), "%s", keywords);
	slash = strrchr(path, '/');
	snprintf(slash ? slash + 1 : path, sizeof(path) - (size_t)(slash ?
	    slash + 1 - path : 0), "procedures.list");
	if ((text = read_file(path)) == NULL ||
	    procedures_parse(path, text, &plist, err, sizeof(err)) == -1) {
		fprintf(stderr, "test_intent: %s\n", text ? err : path);
		free(text);
		return -1;
	}
	free(text);
	for (i = 0; i < plist.n; i++) {
		procs[i].code = plist.p[i].code;
		procs[i].name = plist.p[i].name;
		procs[i].aliases = plist.p[i].aliases[0] ? plist.p[i].aliases :
		    NULL;
	}
	ctx.nprocs = (size_t)plist.n;
	return 0;
}

int
main(int argc, char **argv)
{
	const char		*path = argc > 1 ? argv[1] :
				    "templates/vi/keywords.conf";
	struct intent_rules	*r;
	char			*text, err[256];

	if ((text = read_file(path)) == NULL) {
		fprintf(stderr, "test_intent: cannot read %s (run from the "
		    "repository root or pass the keywords file)\n", path);
		return 1;
	}
	r = intent_rules_load(path, text, err, sizeof(err));
	free(text);
	if (load_procs(path) == -1)
		return 1;
	CHECK(r != NULL, "%s", err);
	if (r == NULL)
		return check_report("intent");
	test_messages(r);
	test_prefolded(r);
	test_load_errors();
	test_api(r);
	intent_rules_free(r);
	return check_report("intent");
}
