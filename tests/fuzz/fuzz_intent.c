/*
 * intent_classify on a citizen's message, with the office's real keywords
 * and procedures (templates/vi, read once from the repository root, or
 * from ../../ of the binary, i.e. build/fuzz/) and the daemon's context.
 * The message goes in as it arrives and after text_nfc, as the daemon
 * passes it; a NULL context is tried too.
 */
#include "fuzz.h"

#include "casecode.h"
#include "intent.h"
#include "procedures.h"
#include "text.h"

static struct intent_rules	*rules;
static struct procedures	 procs;
static struct intent_proc	 iprocs[PROC_MAX];
static struct intent_ctx	 ctx;

/* The fixed starts of the office's texts (see tests/unit/test_intent.c). */
static const char *const signatures[] = {
	"Tra cứu hồ sơ: TC <mã hồ sơ>. Nộp yêu cầu: NOP ",
	"Tin nhắn chưa đúng cú pháp. ",
	"Đã ngừng gửi tin thông báo đến số này. Soạn DK để nhận lại.",
	"Đã đăng ký nhận lại tin thông báo. Soạn TUCHOI để ngừng.",
	"Đã nhận yêu cầu ",
	"Đã nhận phản ánh, mã ",
	"Tiếp công dân tại Bộ phận một cửa: thứ Hai đến thứ Sáu",
	"Không tìm thấy hồ sơ ",
	"Không có thủ tục \"",
	"Thủ tục nhận qua tin nhắn: ",
	"Có phải bạn muốn soạn ",
	"Ông/bà đã tra cứu mã sai nhiều lần. Vui lòng thử lại sau 1 giờ",
	"UBND xã Vĩnh Hòa thông báo",
	"Hồ sơ ",
};

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	*kw, *pl, err[512];
	int	 i;

	(void)argc;
	kw = fuzz_slurp_template((*argv)[0], "keywords.conf");
	pl = fuzz_slurp_template((*argv)[0], "procedures.list");
	if ((rules = intent_rules_load("keywords.conf", kw, err,
	    sizeof(err))) == NULL ||
	    procedures_parse("procedures.list", pl, &procs, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "fuzz_intent: %s\n", err);
		exit(1);
	}
	for (i = 0; i < procs.n; i++) {
		iprocs[i].code = procs.p[i].code;
		iprocs[i].name = procs.p[i].name;
		iprocs[i].aliases = procs.p[i].aliases[0] ?
		    procs.p[i].aliases : NULL;
	}
	ctx.code_prefix = "MC";
	ctx.unit_code = "000.00.20.H12";
	ctx.procs = iprocs;
	ctx.nprocs = (size_t)procs.n;
	ctx.signatures = signatures;
	ctx.nsignatures = sizeof(signatures) / sizeof(signatures[0]);
	free(kw);
	free(pl);
	return 0;
}

static void
check(const struct intent *o, const struct intent_ctx *c)
{
	char	canon[INTENT_ARG_MAX];
	size_t	i;

	FUZZ_CHECK(o->kind >= INTENT_UNKNOWN && o->kind <= INTENT_RATING);
	FUZZ_CHECK(strcmp(intent_name(o->kind), "unknown") != 0 ||
	    o->kind == INTENT_UNKNOWN);
	FUZZ_TERMINATED(o->arg);
	FUZZ_TERMINATED(o->proc);
	FUZZ_TERMINATED(o->suggestion);
	FUZZ_CHECK(o->score >= 0 && o->score <= 100);
	/* arg goes into the store and into replies: whole characters. */
	FUZZ_CHECK(fuzz_utf8_valid(o->arg));
	/* A forwarded office text never acts. */
	if (o->flags & INTENT_F_FORWARDED)
		FUZZ_CHECK(!intent_is_action(o->kind));
	switch (o->kind) {
	case INTENT_STATUS:
		FUZZ_CHECK(casecode_canon(o->arg, canon, sizeof(canon)) >= 0);
		FUZZ_CHECK(strcmp(canon, o->arg) == 0);
		break;
	case INTENT_RATING:
		FUZZ_CHECK(o->arg[0] >= '1' && o->arg[0] <= '5' &&
		    o->arg[1] == '\0');
		break;
	case INTENT_PROCEDURE:
	case INTENT_SUBMIT:
		/* A procedure named is one of the office's. */
		if (o->proc[0] == '\0') {
			FUZZ_CHECK(o->kind == INTENT_SUBMIT);
			break;
		}
		FUZZ_CHECK(c != NULL);
		for (i = 0; i < c->nprocs; i++)
			if (strcmp(c->procs[i].code, o->proc) == 0)
				break;
		FUZZ_CHECK(i < c->nprocs);
		break;
	default:
		break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	struct intent	*o = malloc(sizeof(*o));
	char		*s = fuzz_cstr(d, size), *nfc = malloc(4 * 4096 + 1);

	FUZZ_CHECK(o != NULL && nfc != NULL);
	FUZZ_CHECK(intent_classify(rules, &ctx, s, o) == 0);
	check(o, &ctx);
	if (text_nfc(s, nfc, 4 * 4096 + 1) >= 0) {
		FUZZ_CHECK(intent_classify(rules, &ctx, nfc, o) == 0);
		check(o, &ctx);
	}
	FUZZ_CHECK(intent_classify(rules, NULL, s, o) == 0);
	check(o, NULL);
	free(nfc);
	free(s);
	free(o);
	return 0;
}
