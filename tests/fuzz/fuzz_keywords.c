/*
 * intent_rules_load on any text: the keywords file is edited by office
 * staff and reloaded on SIGHUP, so a bad file must be an error message,
 * never a crash, a leak or a pattern that stalls the loop. A file that
 * loads is tried on a few messages.
 */
#include "fuzz.h"

#include "intent.h"

static const char *const messages[] = {
	"TC MC2500429",
	"Nộp KS Nguyễn Văn An, sinh ngày 12/3/2025, cha Nguyễn Văn Bình",
	"pa duong lien thon bi ngap nuoc may ngay nay",
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!",
	"",
};

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	struct intent_rules	*r;
	struct intent		*o = malloc(sizeof(*o));
	char			*text = fuzz_cstr(d, size), err[256];
	size_t			 i;

	FUZZ_CHECK(o != NULL);
	r = intent_rules_load("keywords.conf", text, err, sizeof(err));
	if (r == NULL) {
		/* "keywords.conf:LINE: why" or "keywords.conf: why" */
		FUZZ_CHECK(strncmp(err, "keywords.conf:", 14) == 0);
		goto out;
	}
	for (i = 0; i < sizeof(messages) / sizeof(messages[0]); i++) {
		FUZZ_CHECK(intent_classify(r, NULL, messages[i], o) == 0);
		FUZZ_CHECK(o->kind >= INTENT_UNKNOWN &&
		    o->kind <= INTENT_RATING);
		FUZZ_TERMINATED(o->arg);
	}
	intent_rules_free(r);
out:
	free(text);
	free(o);
	return 0;
}
