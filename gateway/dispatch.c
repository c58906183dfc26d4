/*
 * What a citizen's message asks for, and the reply. Each command is a row:
 * the words that name it (matched on the folded text) and the function that
 * acts and answers. Everything a handler writes goes into the open
 * savepoint, so the reply and the effect commit together or not at all.
 */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "motcua.h"
#include "text.h"

struct command {
	const char	*name;
	const char	*words;	/* folded keywords, '|'-separated */
	int		(*run)(struct gw *, const struct inbound *, const char *arg);
};

static int
reply(struct gw *gw, const struct inbound *in, const char *tpl,
    const char *const *keys, const char *const *vals, size_t n)
{
	char	text[TEXT_MAX];

	if (replies_render(gw->replies, tpl, keys, vals, n, text,
	    sizeof(text)) == -1)
		return -1;
	return outbox_queue(gw, in->msisdn, text, "reply", OUT_PRIO_REPLY,
	    in->id) == -1 ? -1 : 0;
}

static int
cmd_help(struct gw *gw, const struct inbound *in, const char *arg)
{
	(void)arg;
	return reply(gw, in, "help", NULL, NULL, 0);
}

static int
cmd_unknown(struct gw *gw, const struct inbound *in, const char *arg)
{
	static const char *const keys[] = { "suggestion" };
	const char	*vals[] = { "" };

	(void)arg;
	return reply(gw, in, "unknown", keys, vals, 1);
}

static const struct command commands[] = {
	{ "help", "hd|help|?|huong dan", cmd_help },
};

/* The text after a leading keyword, or NULL when it does not start so. */
static const char *
match_words(const char *words, const char *folded)
{
	const char	*w = words;
	size_t		 len;

	while (*w) {
		len = strcspn(w, "|");
		if (strncmp(folded, w, len) == 0 &&
		    (folded[len] == '\0' || folded[len] == ' '))
			return folded[len] ? folded + len + 1 : folded + len;
		w += len + (w[len] == '|');
	}
	return NULL;
}

int
dispatch_sms(struct gw *gw, const struct inbound *in)
{
	char		 folded[TEXT_MAX];
	const char	*arg;
	size_t		 i;

	if (strcmp(in->kind, "sms") != 0) {
		log_info("msisdn=%s in=%lld USSD is not served yet", in->msisdn,
		    (long long)in->id);
		return 0;
	}
	if (text_fold(in->text, folded, sizeof(folded)) == -1)
		folded[0] = '\0';
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if ((arg = match_words(commands[i].words, folded)) != NULL) {
			log_info("msisdn=%s in=%lld action=%s", in->msisdn,
			    (long long)in->id, commands[i].name);
			return commands[i].run(gw, in, arg);
		}
	}
	log_info("msisdn=%s in=%lld action=unknown", in->msisdn,
	    (long long)in->id);
	return cmd_unknown(gw, in, folded);
}
