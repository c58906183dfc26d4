/*
 * The admin API's request bodies, checked field by field in the order the
 * API has always answered, so a body with two faults gets the same 400 as
 * before. Each check writes its reason and returns -1; the first fault
 * wins. Only jansson allocates (the loaded object, the caller's); every
 * value kept is borrowed from that object or copied into the caller's
 * struct.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "admin_body.h"
#include "calendar.h"
#include "casecode.h"
#include "text.h"

/* One body being checked, and where its fault goes. */
struct ab {
	json_t	*o;
	char	*err;
	size_t	 errlen;
};

/* Bytes in the UTF-8 character at s, or 0 if none starts there. */
static size_t
ab_utf8_len(const unsigned char *s)
{
	unsigned	cp;
	size_t		n, i;

	if (*s < 0x80)
		return 1;
	if ((*s & 0xE0) == 0xC0)
		n = 2, cp = *s & 0x1F;
	else if ((*s & 0xF0) == 0xE0)
		n = 3, cp = *s & 0x0F;
	else if ((*s & 0xF8) == 0xF0)
		n = 4, cp = *s & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && cp < 0x10000) || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n;
}

/*
 * The reason goes out as a JSON string, which must be UTF-8: a character
 * cut at the end by the buffer goes, other stray bytes (jansson quotes
 * the bytes near a fault as they came) become '?'.
 */
static void
ab_utf8_fix(char *s)
{
	unsigned char	*p = (unsigned char *)s;
	size_t		 n, i;

	while (*p) {
		if ((n = ab_utf8_len(p)) != 0) {
			p += n;
			continue;
		}
		for (i = 1; p[i] && (p[i] & 0xC0) == 0x80; i++)
			;
		if (p[i] == '\0' && *p >= 0xC0) {
			*p = '\0';		/* cut by the buffer */
			break;
		}
		*p++ = '?';
	}
}

static int __attribute__((format(printf, 2, 3)))
ab_why(struct ab *b, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(b->err, b->errlen, fmt, ap);
	va_end(ap);
	if (b->errlen > 0)
		ab_utf8_fix(b->err);
	return -1;
}

/* Every key of the body must be one of known (NULL-terminated). */
static int
ab_fields(struct ab *b, const char *const *known)
{
	const char	*key;
	json_t		*v;
	size_t		 i;

	json_object_foreach(b->o, key, v) {
		for (i = 0; known[i]; i++)
			if (strcmp(known[i], key) == 0)
				break;
		if (known[i] == NULL)
			return ab_why(b, "unknown field \"%s\"", key);
	}
	return 0;
}

/* A string field of at most max bytes; *out NULL when absent (or null). */
static int
ab_str(struct ab *b, const char *key, int required, size_t max,
    const char **out)
{
	json_t	*v = json_object_get(b->o, key);

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return required ? ab_why(b, "missing field \"%s\"", key) : 0;
	if (!json_is_string(v))
		return ab_why(b, "\"%s\" must be a string", key);
	if (json_string_length(v) > max)
		return ab_why(b, "\"%s\" is longer than %zu bytes", key, max);
	*out = json_string_value(v);
	return 0;
}

static int
ab_bool(struct ab *b, const char *key, int *out)
{
	json_t	*v = json_object_get(b->o, key);

	*out = 0;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return ab_why(b, "\"%s\" must be true or false", key);
	*out = json_is_true(v);
	return 0;
}

static int
ab_msisdn(struct ab *b, const struct admin_body_ctx *ctx, const char *key,
    const char *in, char out[MSISDN_MAX])
{
	const char	*errstr = "not a phone number";

	if (msisdn_normalize(in, ctx->country_code, out, MSISDN_MAX,
	    &errstr) == -1)
		return ab_why(b, "\"%s\": %s", key, errstr);
	return 0;
}

static int
ab_status(struct ab *b, const char *name, const struct case_status **out)
{
	if ((*out = case_status_by_name(name)) == NULL)
		return ab_why(b, "invalid status \"%s\" (one of received, "
		    "rejected, processing, need_more, need_fee, withdrawn, "
		    "suspended, ready, returned)", name);
	return 0;
}

static int
ab_date(struct ab *b, const char *key, const char *in)
{
	struct cal_date	d;

	if (in && cal_parse(in, &d) == -1)
		return ab_why(b, "\"%s\" must be a date YYYY-MM-DD", key);
	return 0;
}

/* A name as people type it: composed (NFC), no control characters. */
static int
ab_text(struct ab *b, const char *key, const char *in, char *out, size_t cap)
{
	const char	*p;

	for (p = in; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return ab_why(b, "\"%s\" has a control character", key);
	if (text_nfc(in, out, cap) == -1)
		return ab_why(b, "\"%s\" is too long", key);
	return 0;
}

/* ---- POST /cases ---- */

/* An imported code: any format but this office's own. */
static int
ab_import_code(struct ab *b, const struct admin_body_ctx *ctx,
    const char *code)
{
	char	canon[CASECODE_MAX + 32];

	if (ab_text(b, "code", code, canon, sizeof(canon)) == -1)
		return -1;
	if (casecode_canon(code, canon, sizeof(canon)) <= 0)
		return ab_why(b, "\"code\" is empty");
	if (casecode_check(canon, ctx->code_prefix) != CASECODE_FOREIGN)
		return ab_why(b, "\"code\" has the form of this office's own "
		    "codes: leave it out and one is made");
	return 0;
}

int
admin_body_case_new(json_t *body, const struct admin_body_ctx *ctx,
    struct admin_case_new *out, char *err, size_t errlen)
{
	static const char *const known[] = { "code", "procedure", "msisdn",
	    "name", "due", "status", "notify", NULL };
	struct ab	 b = { body, err, errlen };
	const char	*proc, *msisdn, *name, *status;

	memset(out, 0, sizeof(*out));
	if (ab_fields(&b, known) == -1 ||
	    ab_str(&b, "code", 0, ADMIN_CODE_MAX, &out->code) == -1 ||
	    ab_str(&b, "procedure", 1, ADMIN_PROC_MAX, &proc) == -1 ||
	    ab_str(&b, "msisdn", 1, ADMIN_NUMBER_MAX, &msisdn) == -1 ||
	    ab_str(&b, "name", 0, ADMIN_NAME_MAX, &name) == -1 ||
	    ab_str(&b, "due", 0, ADMIN_DATE_MAX, &out->due) == -1 ||
	    ab_str(&b, "status", 0, ADMIN_STATUS_MAX, &status) == -1 ||
	    ab_bool(&b, "notify", &out->notify) == -1)
		return -1;
	if ((out->proc = procedures_find(ctx->procs, proc)) == NULL)
		return ab_why(&b, "unknown procedure \"%s\" (GET /procedures "
		    "lists them)", proc);
	if (ab_msisdn(&b, ctx, "msisdn", msisdn, out->msisdn) == -1 ||
	    ab_date(&b, "due", out->due) == -1 ||
	    (status && ab_status(&b, status, &out->status) == -1) ||
	    (out->code && ab_import_code(&b, ctx, out->code) == -1) ||
	    (name && ab_text(&b, "name", name, out->name,
	    sizeof(out->name)) == -1))
		return -1;
	return 0;
}

/* ---- PATCH /cases/CODE ---- */

int
admin_body_case_patch(json_t *body, struct admin_case_patch *out, char *err,
    size_t errlen)
{
	static const char *const known[] = { "status", "note", "due", NULL };
	struct ab	 b = { body, err, errlen };
	const char	*status;

	memset(out, 0, sizeof(*out));
	if (ab_fields(&b, known) == -1 ||
	    ab_str(&b, "status", 1, ADMIN_STATUS_MAX, &status) == -1 ||
	    ab_str(&b, "note", 0, ADMIN_NOTE_MAX, &out->note) == -1 ||
	    ab_str(&b, "due", 0, ADMIN_DATE_MAX, &out->due) == -1 ||
	    ab_date(&b, "due", out->due) == -1 ||
	    ab_status(&b, status, &out->status) == -1)
		return -1;
	return 0;
}

/* ---- POST /contacts ---- */

static int
ab_groups(struct ab *b, struct admin_contact *out)
{
	json_t	*a = json_object_get(b->o, "groups"), *v;
	size_t	 i;

	if (a == NULL || json_is_null(a))
		return 0;
	if (!json_is_array(a))
		return ab_why(b, "\"groups\" must be an array of names");
	if (json_array_size(a) > ADMIN_GROUPS_MAX)
		return ab_why(b, "\"groups\": at most %d", ADMIN_GROUPS_MAX);
	out->has_groups = 1;
	json_array_foreach(a, i, v) {
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    json_string_length(v) > ADMIN_GROUP_MAX)
			return ab_why(b, "\"groups\": names of 1 to %d bytes",
			    ADMIN_GROUP_MAX);
		if (ab_text(b, "groups", json_string_value(v),
		    out->groups[i], sizeof(out->groups[i])) == -1)
			return -1;
		out->ngroups++;
	}
	return 0;
}

int
admin_body_contact(json_t *body, const struct admin_body_ctx *ctx,
    struct admin_contact *out, char *err, size_t errlen)
{
	static const char *const known[] = { "msisdn", "name", "groups", NULL };
	struct ab	 b = { body, err, errlen };
	const char	*msisdn, *name;

	memset(out, 0, sizeof(*out));
	if (ab_fields(&b, known) == -1 ||
	    ab_str(&b, "msisdn", 1, ADMIN_NUMBER_MAX, &msisdn) == -1 ||
	    ab_str(&b, "name", 0, ADMIN_NAME_MAX, &name) == -1 ||
	    ab_msisdn(&b, ctx, "msisdn", msisdn, out->msisdn) == -1 ||
	    (name && ab_text(&b, "name", name, out->name,
	    sizeof(out->name)) == -1) ||
	    ab_groups(&b, out) == -1)
		return -1;
	out->has_name = name != NULL;
	return 0;
}

/* ---- POST /messages ---- */

/* A template's name and vars (an object of strings). */
static int
ab_template(struct ab *b, json_t *vars, struct admin_message *out)
{
	const char	*k;
	json_t		*v;

	if (vars && !json_is_object(vars))
		return ab_why(b, "\"vars\" must be an object of strings");
	if (vars && json_object_size(vars) > ADMIN_VARS_MAX)
		return ab_why(b, "\"vars\": at most %d", ADMIN_VARS_MAX);
	if (vars) {
		json_object_foreach(vars, k, v) {
			if (!json_is_string(v))
				return ab_why(b, "\"vars\": \"%s\" must be a "
				    "string", k);
			out->keys[out->nvars] = k;
			out->vals[out->nvars++] = json_string_value(v);
		}
	}
	if (strspn(out->template, "abcdefghijklmnopqrstuvwxyz0123456789_") !=
	    strlen(out->template))
		return ab_why(b, ADMIN_UNKNOWN_TEMPLATE, out->template);
	return 0;
}

int
admin_body_message(json_t *body, const struct admin_body_ctx *ctx,
    struct admin_message *out, char *err, size_t errlen)
{
	static const char *const known[] = { "to", "text", "template", "vars",
	    NULL };
	struct ab	 b = { body, err, errlen };
	const char	*to;
	json_t		*vars = json_object_get(body, "vars");

	memset(out, 0, sizeof(*out));
	if (ab_fields(&b, known) == -1 ||
	    ab_str(&b, "to", 1, ADMIN_NUMBER_MAX, &to) == -1 ||
	    ab_msisdn(&b, ctx, "to", to, out->to) == -1 ||
	    ab_str(&b, "text", 0, ADMIN_TEXT_MAX, &out->text) == -1 ||
	    ab_str(&b, "template", 0, ADMIN_TEMPLATE_MAX, &out->template) == -1)
		return -1;
	if ((out->text == NULL) == (out->template == NULL))
		return ab_why(&b, "give either \"text\" or \"template\"");
	if (out->text && vars)
		return ab_why(&b, "\"vars\" goes with \"template\"");
	if (out->text && out->text[0] == '\0')
		return ab_why(&b, "\"text\" is empty");
	if (out->template)
		return ab_template(&b, vars, out);
	return 0;
}

/* ---- POST /preview ---- */

/* One of {text}, {template, vars?}, {case, status, note?}. */
int
admin_body_preview(json_t *body, struct admin_preview *out, char *err,
    size_t errlen)
{
	static const char *const known[] = { "text", "template", "vars",
	    "case", "status", "note", NULL };
	struct ab	 b = { body, err, errlen };
	const char	*status = NULL;
	json_t		*vars = json_object_get(body, "vars");

	memset(out, 0, sizeof(*out));
	if (ab_fields(&b, known) == -1 ||
	    ab_str(&b, "text", 0, ADMIN_TEXT_MAX, &out->m.text) == -1 ||
	    ab_str(&b, "template", 0, ADMIN_TEMPLATE_MAX,
	    &out->m.template) == -1 ||
	    ab_str(&b, "case", 0, ADMIN_CODE_MAX, &out->code) == -1 ||
	    ab_str(&b, "status", 0, ADMIN_STATUS_MAX, &status) == -1 ||
	    ab_str(&b, "note", 0, ADMIN_NOTE_MAX, &out->note) == -1)
		return -1;
	if ((out->m.text != NULL) + (out->m.template != NULL) +
	    (out->code != NULL) != 1)
		return ab_why(&b, "give one of \"text\", \"template\" or "
		    "\"case\"");
	if (out->code)
		return status == NULL ? ab_why(&b, "\"status\" is required "
		    "with \"case\"") : ab_status(&b, status, &out->status);
	if (status || out->note)
		return ab_why(&b, "\"status\" and \"note\" go with \"case\"");
	if (out->m.text && out->m.text[0] == '\0')
		return ab_why(&b, "\"text\" is empty");
	if (out->m.text && vars)
		return ab_why(&b, "\"vars\" goes with \"template\"");
	if (out->m.template)
		return ab_template(&b, vars, &out->m);
	return 0;
}

/* ---- POST /broadcasts ---- */

/* "to": exactly one of group, msisdns, cases_status. */
static int
ab_broadcast_to(struct ab *b, const struct admin_body_ctx *ctx,
    struct admin_broadcast *out)
{
	json_t	*to = json_object_get(b->o, "to"), *v;
	size_t	 i;

	if (!json_is_object(to) || json_object_size(to) != 1)
		return ab_why(b, "\"to\": one of {\"group\"}, {\"msisdns\"}, "
		    "{\"cases_status\"}");
	if ((v = json_object_get(to, "group")) != NULL) {
		if (!json_is_string(v))
			return ab_why(b, "\"to.group\" must be a string");
		out->group = json_string_value(v);
		return 0;
	}
	if ((v = json_object_get(to, "cases_status")) != NULL) {
		if (!json_is_string(v))
			return ab_why(b, "\"to.cases_status\" must be a string");
		out->cases_status = json_string_value(v);
		return 0;
	}
	v = json_object_get(to, "msisdns");
	if (!json_is_array(v) || json_array_size(v) == 0 ||
	    json_array_size(v) > ADMIN_BROADCAST_MAX)
		return ab_why(b, "\"to.msisdns\": 1 to %d numbers",
		    ADMIN_BROADCAST_MAX);
	for (i = 0; i < json_array_size(v); i++) {
		if (!json_is_string(json_array_get(v, i)) ||
		    msisdn_normalize(json_string_value(json_array_get(v, i)),
		    ctx->country_code, out->msisdns[i], MSISDN_MAX, NULL) == -1)
			return ab_why(b, "\"to.msisdns\": item %zu is not a "
			    "phone number", i + 1);
	}
	out->nmsisdns = i;
	return 0;
}

/*
 * "at": ISO 8601 with an offset (2025-12-01T08:00:00+07:00, or Z), or
 * without one: the office's wall clock, left to the caller's time zone.
 */
static int
ab_broadcast_at(struct ab *b, const char *s, struct admin_broadcast *out)
{
	struct tm	 tm;
	const char	*end;
	int		 sign, hh, mm;

	if (s == NULL)
		return 0;
	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL &&
	    (end = strptime(s, "%Y-%m-%dT%H:%M", &tm)) == NULL)
		return ab_why(b, "\"at\": a time like 2025-12-01T08:00:00+07:00");
	if (*end == '\0') {
		out->at = (int64_t)timegm(&tm) * 1000;
		out->at_local = 1;
		return 0;
	}
	sign = *end == '-' ? -1 : 1;
	if (strcmp(end, "Z") == 0)
		hh = mm = 0;
	else if ((*end != '+' && *end != '-') ||
	    sscanf(end + 1, "%2d:%2d", &hh, &mm) != 2 || strlen(end) != 6)
		return ab_why(b, "\"at\": a time like 2025-12-01T08:00:00+07:00");
	out->at = ((int64_t)timegm(&tm) - sign * (hh * 3600 + mm * 60)) * 1000;
	return 0;
}

int
admin_body_broadcast(json_t *body, const struct admin_body_ctx *ctx,
    struct admin_broadcast *out, char *err, size_t errlen)
{
	static const char *const known[] = { "to", "text", "template", "vars",
	    "at", "dry_run", NULL };
	struct ab	 b = { body, err, errlen };
	const char	*at;
	json_t		*vars = json_object_get(body, "vars");

	memset(out, 0, sizeof(*out));
	if (ab_fields(&b, known) == -1 ||
	    ab_broadcast_to(&b, ctx, out) == -1 ||
	    ab_str(&b, "text", 0, ADMIN_TEXT_MAX, &out->text) == -1 ||
	    ab_str(&b, "template", 0, ADMIN_TEMPLATE_MAX, &out->template) == -1 ||
	    ab_str(&b, "at", 0, ADMIN_AT_MAX, &at) == -1 ||
	    ab_broadcast_at(&b, at, out) == -1 ||
	    ab_bool(&b, "dry_run", &out->dry_run) == -1)
		return -1;
	if (vars && !json_is_object(vars))
		return ab_why(&b, "\"vars\" must be an object of strings");
	out->vars = vars;
	return 0;
}

/* ---- the body itself, and what query strings share ---- */

int
admin_body_load(const void *buf, size_t len, json_t **out, char *err,
    size_t errlen)
{
	struct ab	 b = { NULL, err, errlen };
	json_error_t	 e;

	*out = NULL;
	if (len > ADMIN_BODY_MAX) {
		ab_why(&b, "request body larger than 64 KiB");
		return ADMIN_BODY_TOO_LARGE;
	}
	if (len == 0)
		return ab_why(&b, "missing JSON body");
	if ((b.o = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &e)) == NULL)
		return ab_why(&b, "bad JSON: %s (line %d, column %d)", e.text,
		    e.line, e.column);
	if (!json_is_object(b.o)) {
		json_decref(b.o);
		return ab_why(&b, "expected a JSON object");
	}
	*out = b.o;
	return 0;
}

int
admin_body_status(const char *name, const struct case_status **out,
    char *err, size_t errlen)
{
	struct ab	b = { NULL, err, errlen };

	return ab_status(&b, name, out);
}

int
admin_body_date(const char *key, const char *in, char *err, size_t errlen)
{
	struct ab	b = { NULL, err, errlen };

	return ab_date(&b, key, in);
}
