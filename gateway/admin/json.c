/*
 * The JSON values the admin API's answers share: strings that stay valid
 * UTF-8 whatever the store holds, times in ISO 8601 with the local offset,
 * and what the request-body checks (parsers/admin_body.c) look up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <jansson.h>

#include "admin_body.h"
#include "log.h"
#include "office/office.h"
#include "admin/admin_int.h"
#include "text.h"

/* ---- JSON values ---- */

/* A JSON string; bytes that are not UTF-8 (a cut name) become U+FFFD. */
json_t *
admin_jstr(const char *s)
{
	char	 fixed[TEXT_MAX];
	json_t	*j;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	if (text_nfc(s, fixed, sizeof(fixed)) == -1)
		return json_string("");
	return json_string(fixed);
}

void
admin_set(json_t *o, const char *key, json_t *v)
{
	if (json_object_set_new(o, key, v ? v : json_null()) == -1)
		fatalx("admin: out of memory");
}

int
admin_utf8_ok(const char *s)
{
	json_t	*j = json_string(s);

	json_decref(j);
	return j != NULL;
}

/* ISO 8601 with the local offset: 2025-11-26T09:15:00+07:00. */
static void
admin_time(int64_t ms, char out[32])
{
	time_t		t = (time_t)(ms / 1000);
	struct tm	tm;
	char		z[8];

	localtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(z, sizeof(z), "%z", &tm);
	snprintf(out + 19, 32 - 19, "%.3s:%.2s", z, z + 3);
}

json_t *
admin_jtime(int64_t ms)
{
	char	out[32];

	if (ms <= 0)
		return json_null();
	admin_time(ms, out);
	return json_string(out);
}

/* ---- request fields (parsers/admin_body.c checks them) ---- */

/* What the body checks look up, from the running configuration. */
const struct admin_body_ctx *
admin_ctx(struct admin_req *r, struct admin_body_ctx *ctx)
{
	ctx->country_code = office_config(r->of)->country_code;
	ctx->code_prefix = office_config(r->of)->code_prefix;
	ctx->procs = replies_procedures(office_replies(r->of));
	return ctx;
}

/* A list's limit= (default ADMIN_LIST_DEFAULT); 0, or a 400's why. */
int
admin_list_limit(struct admin_req *r, const char *v, int *limit)
{
	char	*end;
	long	 n;

	*limit = ADMIN_LIST_DEFAULT;
	if (v == NULL)
		return 0;
	n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || n < 1 || n > ADMIN_LIST_MAX)
		return admin_why(r, "limit: a number from 1 to %d",
		    ADMIN_LIST_MAX);
	*limit = (int)n;
	return 0;
}
