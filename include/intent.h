/*
 * intent: what a citizen's SMS asks for.
 *
 * Two layers. The office's keywords file (templates/<lang>/keywords.txt,
 * format documented at its top) says which words name which command: one
 * PCRE2 pattern per line, matched against the folded text (text_fold:
 * lowercase ASCII, no diacritics, separators as single spaces). The code
 * here says when a command is safe to act on: submit, feedback, opt-out
 * and opt-in ("actions") need their full shape, never fire on a forwarded
 * office broadcast, and anything unclear becomes INTENT_HELP. Messages
 * without a keyword are read in plain words too (a case code in a
 * question, a polite letter asking for a procedure, "tôi muốn phản ánh").
 *
 * Pure and I/O-free: the caller reads the keywords file and passes its
 * text. intent_rules_load allocates (PCRE2 code, JIT, one match data);
 * intent_classify does not allocate and writes into *out. A rule set's
 * match data is shared: classify with one rule set from one thread at a
 * time (the daemon's event loop).
 */
#ifndef INTENT_H
#define INTENT_H

#include <stddef.h>

#define INTENT_ARG_MAX		2048	/* longer request texts are cut */
#define INTENT_PROC_MAX		8	/* procedure codes: 1-7 chars + NUL */
#define INTENT_SUGGEST_MAX	16

enum intent_kind {
	INTENT_UNKNOWN = 0,	/* suggestion: nearest command, or "" */
	INTENT_HELP,		/* also: anything unclear, salutations */
	INTENT_STATUS,		/* arg: canonical case code, "" if none given */
	INTENT_SUBMIT,		/* proc + arg: request text (original words) */
	INTENT_FEEDBACK,	/* arg: the complaint (original words) */
	INTENT_PROCEDURES,	/* list them */
	INTENT_PROCEDURE,	/* proc (and arg): one procedure's sheet */
	INTENT_SCHEDULE,
	INTENT_OPTOUT,
	INTENT_OPTIN,
	INTENT_RATING,		/* arg "1".."5"; is one due? the caller knows */
};

/* out->flags */
#define INTENT_F_FORWARDED	0x01	/* an office text sent back (or Fwd:) */
#define INTENT_F_HOWTO		0x02	/* a submit without request text: the
					   caller may answer submit_howto */
#define INTENT_F_TRUNCATED	0x04	/* arg was cut at INTENT_ARG_MAX */

struct intent {
	enum intent_kind kind;
	/*
	 * STATUS: the code, casecode_canon'd ("MC2500429", a national code or
	 * its short form as typed; 7-8 bare digits get code_prefix in front);
	 * "" when the citizen named no code (caller: their own cases, or help).
	 * SUBMIT, FEEDBACK: the request in the citizen's own NFC text, keyword
	 * and procedure removed. PROCEDURE: the procedure code. RATING: the
	 * digit. Otherwise "".
	 */
	char		arg[INTENT_ARG_MAX];
	/*
	 * SUBMIT, PROCEDURE: a code from ctx->procs. A SUBMIT with proc ""
	 * named a procedure code we do not have (arg then starts with that
	 * word): answer unknown_procedure;
	 * nothing can be created without one.
	 */
	char		proc[INTENT_PROC_MAX];
	char		suggestion[INTENT_SUGGEST_MAX];	/* "TC", "NOP", ... */
	int		score;		/* confidence 0-100, for logs */
	unsigned	flags;
};

/* One of the office's procedures, as the classifier sees it. */
struct intent_proc {
	const char	*code;		/* "KS" */
	const char	*name;		/* "Đăng ký khai sinh", folded or not */
	const char	*aliases;	/* optional, '|'-separated phrases */
};

struct intent_ctx {
	const char			*code_prefix;	/* "MC"; NULL or "" */
	const char			*unit_code;	/* "000.00.20.H12" */
	const struct intent_proc	*procs;
	size_t				 nprocs;
	/*
	 * The fixed start of each office text citizens receive (broadcasts,
	 * replies), up to its first {{placeholder}}, folded or not: a message
	 * holding one is a forwarded office text, answered with help. Under
	 * 12 folded characters a signature is ignored; under 24 it counts
	 * only at the start of a message (after "Fwd:"), since a citizen may
	 * write "không tìm thấy hồ sơ" too. The first 40 are compared.
	 */
	const char *const		*signatures;
	size_t				 nsignatures;
	int				 signatures_folded;	/* by text_fold
					   already: not folded per message */
};

struct intent_rules;

/*
 * Compiles a keywords file. name is used in messages only. Returns NULL
 * with "name:LINE: message" (or "name: message") in err on any error.
 */
struct intent_rules *intent_rules_load(const char *name, const char *text,
	    char *err, size_t errlen);
void	intent_rules_free(struct intent_rules *);

/*
 * Classifies one message (UTF-8; NFC expected, NFD tolerated; read up to
 * 4096 bytes). Always fills *out; returns 0, or -1 (and INTENT_HELP) when
 * rules, text or out is NULL. A NULL ctx means no prefix, no procedures.
 */
int	intent_classify(const struct intent_rules *, const struct intent_ctx *,
	    const char *nfc_text, struct intent *out);

/* "status", "submit", ... as in the keywords file; "unknown" for 0. */
const char *intent_name(enum intent_kind);
/* 1 for the kinds that change something: submit, feedback, optout, optin. */
int	intent_is_action(enum intent_kind);

#endif
