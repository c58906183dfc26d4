/*
 * admin_body: the JSON bodies the admin API takes (CONTRACT.md "Admin
 * API"), checked without the HTTP server or the store, so that a unit test
 * or a fuzzer can hand them bytes. gateway/admin/admin.c calls these and nothing
 * else to check a body.
 *
 * Two steps, in the order the server answers: admin_body_load turns the
 * raw bytes into a JSON object; after the request's other headers are
 * checked, one function per endpoint checks its fields and fills a plain
 * struct. Either step returns -1 with the reason in err: the text the API
 * answers as {"error": ...}, always UTF-8 (a stray byte quoted from the
 * body becomes '?', a character the buffer cuts is dropped).
 *
 * Memory: the object admin_body_load makes is the caller's, to free with
 * json_decref. The `const char *` and `const json_t *` fields below are
 * borrowed from it (NULL when the field was absent or null) and live as
 * long as it does; struct procedure and struct case_status pointers point
 * into ctx->procs and the status table. Arrays are copies: normalised
 * numbers and names in NFC. Nothing here allocates but jansson's loader.
 */
#ifndef ADMIN_BODY_H
#define ADMIN_BODY_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "casestatus.h"
#include "msisdn.h"
#include "procedures.h"

#define ADMIN_BODY_MAX		(64 * 1024)	/* larger: 413 */
#define ADMIN_BODY_TOO_LARGE	(-2)		/* admin_body_load's 413 */

/* Longest values, in bytes, before any normalisation. */
#define ADMIN_CODE_MAX		39	/* case_create's buffers */
#define ADMIN_PROC_MAX		16
#define ADMIN_NUMBER_MAX	32	/* a phone number as typed */
#define ADMIN_NAME_MAX		127
#define ADMIN_DATE_MAX		10
#define ADMIN_STATUS_MAX	16
#define ADMIN_NOTE_MAX		500
#define ADMIN_GROUP_MAX		64
#define ADMIN_GROUPS_MAX	32	/* groups of one contact */
#define ADMIN_TEXT_MAX		4095	/* TEXT_MAX - 1 */
#define ADMIN_TEMPLATE_MAX	32
#define ADMIN_VARS_MAX		16
#define ADMIN_AT_MAX		32
#define ADMIN_BROADCAST_MAX	2000	/* numbers in one msisdns list */

/* What the checks look up: plain data, read only. */
struct admin_body_ctx {
	const char		*country_code;	/* [sms] country_code */
	const char		*code_prefix;	/* [office] code_prefix */
	const struct procedures	*procs;		/* the office's procedures */
};

/* POST /cases */
struct admin_case_new {
	const char		 *code;		/* an imported code, or NULL */
	const struct procedure	 *proc;
	char			  msisdn[MSISDN_MAX];
	char			  name[ADMIN_NAME_MAX + 1];	/* "" if none */
	const char		 *due;		/* YYYY-MM-DD, or NULL */
	const struct case_status *status;	/* NULL: received */
	int			  notify;
};

/* PATCH /cases/CODE */
struct admin_case_patch {
	const struct case_status *status;
	const char		 *note;		/* or NULL */
	const char		 *due;		/* YYYY-MM-DD, or NULL */
};

/* POST /contacts */
struct admin_contact {
	char	msisdn[MSISDN_MAX];
	int	has_name;			/* else the old name stays */
	char	name[ADMIN_NAME_MAX + 1];
	int	has_groups;			/* given: they replace the old */
	size_t	ngroups;
	char	groups[ADMIN_GROUPS_MAX][ADMIN_GROUP_MAX + 1];
};

/*
 * POST /messages: text, or a template to render with vars. The caller
 * renders and, when that fails, answers ADMIN_UNKNOWN_TEMPLATE.
 */
struct admin_message {
	char		 to[MSISDN_MAX];
	const char	*text;
	const char	*template;
	size_t		 nvars;
	const char	*keys[ADMIN_VARS_MAX];
	const char	*vals[ADMIN_VARS_MAX];
};
#define ADMIN_UNKNOWN_TEMPLATE \
	"unknown template \"%s\" (or the text would be too long)"

/* POST /preview: m (text or template), or code with status and note. */
struct admin_preview {
	struct admin_message	 m;		/* m.to unused */
	const char		*code;
	const struct case_status *status;
	const char		*note;
};

/*
 * POST /broadcasts. Exactly one of group, cases_status and msisdns
 * (nmsisdns > 0). gateway/office/broadcast.c checks the rest: that the group,
 * the status and the template exist, text or template, vars' values.
 */
struct admin_broadcast {
	const char	*group;
	const char	*cases_status;
	size_t		 nmsisdns;
	char		 msisdns[ADMIN_BROADCAST_MAX][MSISDN_MAX];
	const char	*text;
	const char	*template;
	const json_t	*vars;		/* an object, or NULL */
	/*
	 * When to start, unix ms; 0: now. A time given without an offset is
	 * the office's wall clock: at_local is set and at holds that clock
	 * read as UTC, for the caller to place in its time zone.
	 */
	int64_t		 at;
	int		 at_local;
	int		 dry_run;
};

/* The body as a JSON object: 0, -1, or ADMIN_BODY_TOO_LARGE. */
int	admin_body_load(const void *buf, size_t len, json_t **out, char *err,
	    size_t errlen);

/* The endpoints' fields: 0 with out filled, or -1. */
int	admin_body_case_new(json_t *body, const struct admin_body_ctx *,
	    struct admin_case_new *out, char *err, size_t errlen);
int	admin_body_case_patch(json_t *body, struct admin_case_patch *out,
	    char *err, size_t errlen);
int	admin_body_contact(json_t *body, const struct admin_body_ctx *,
	    struct admin_contact *out, char *err, size_t errlen);
int	admin_body_message(json_t *body, const struct admin_body_ctx *,
	    struct admin_message *out, char *err, size_t errlen);
int	admin_body_preview(json_t *body, struct admin_preview *out,
	    char *err, size_t errlen);
int	admin_body_broadcast(json_t *body, const struct admin_body_ctx *,
	    struct admin_broadcast *out, char *err, size_t errlen);

/* The checks query strings share: a status name, a date YYYY-MM-DD. */
int	admin_body_status(const char *name, const struct case_status **out,
	    char *err, size_t errlen);
int	admin_body_date(const char *key, const char *in, char *err,
	    size_t errlen);

#endif
