/*
 * The admin API's request bodies: admin_body_load, then one endpoint's
 * checks, as gateway/admin/admin.c calls them, with the office's real
 * procedures (templates/vi). Byte 0 picks the endpoint (POST /cases,
 * PATCH /cases/CODE, POST /contacts, POST /messages, POST /broadcasts);
 * the rest is the body, at its exact size. A body is checked twice, from
 * two loads, and must come out the same.
 */
#include "fuzz.h"

#include "admin_body.h"
#include "calendar.h"
#include "procedures.h"

enum ep { CASE_NEW, CASE_PATCH, CONTACT, MESSAGE, BROADCAST, NEP };

union out {
	struct admin_case_new	cn;
	struct admin_case_patch	cp;
	struct admin_contact	ct;
	struct admin_message	msg;
	struct admin_broadcast	bc;
};

static struct procedures	procs;
static struct admin_body_ctx	ctx = { "84", "MC", &procs };

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	*pl, err[512];

	(void)argc;
	pl = fuzz_slurp_template((*argv)[0], "procedures.list");
	if (procedures_parse("procedures.list", pl, &procs, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "fuzz_admin: %s\n", err);
		exit(1);
	}
	free(pl);
	return 0;
}

/* A canonical number: 8-15 digits, and itself again once written "+". */
static void
check_msisdn(const char *n)
{
	char	plus[MSISDN_MAX + 1], again[MSISDN_MAX];
	size_t	len = strnlen(n, MSISDN_MAX);

	FUZZ_CHECK(len >= 8 && len <= 15);
	FUZZ_CHECK(strspn(n, "0123456789") == len && n[0] != '0');
	snprintf(plus, sizeof(plus), "+%s", n);
	FUZZ_CHECK(msisdn_normalize(plus, ctx.country_code, again,
	    sizeof(again), NULL) == (int)len && strcmp(again, n) == 0);
}

/* NULL, or a string of at most max bytes. */
static void
check_opt(const char *s, size_t max)
{
	FUZZ_CHECK(s == NULL || strlen(s) <= max);
}

/* A name once checked: composed UTF-8 without control characters. */
static void
check_name(const char *s)
{
	const char	*p;

	FUZZ_CHECK(fuzz_utf8_valid(s));
	for (p = s; *p; p++)
		FUZZ_CHECK((unsigned char)*p >= 0x20 && *p != 0x7f);
}

static void
check_date(const char *s)
{
	struct cal_date	d;

	FUZZ_CHECK(s == NULL || cal_parse(s, &d) == 0);
}

static void
check_case_new(const struct admin_case_new *o)
{
	FUZZ_CHECK(o->proc >= procs.p && o->proc < procs.p + procs.n);
	check_msisdn(o->msisdn);
	FUZZ_TERMINATED(o->name);
	check_name(o->name);
	check_opt(o->code, ADMIN_CODE_MAX);
	if (o->code)
		check_name(o->code);
	check_opt(o->due, ADMIN_DATE_MAX);
	check_date(o->due);
	FUZZ_CHECK(o->status == NULL ||
	    case_status_by_name(o->status->name) == o->status);
	FUZZ_CHECK(o->notify == 0 || o->notify == 1);
}

static void
check_case_patch(const struct admin_case_patch *o)
{
	FUZZ_CHECK(o->status != NULL &&
	    case_status_by_name(o->status->name) == o->status);
	check_opt(o->note, ADMIN_NOTE_MAX);
	check_opt(o->due, ADMIN_DATE_MAX);
	check_date(o->due);
}

static void
check_contact(const struct admin_contact *o)
{
	size_t	i;

	check_msisdn(o->msisdn);
	FUZZ_CHECK(o->has_name == 0 || o->has_name == 1);
	FUZZ_TERMINATED(o->name);
	check_name(o->name);
	FUZZ_CHECK(o->has_name || o->name[0] == '\0');
	FUZZ_CHECK(o->has_groups == 0 || o->has_groups == 1);
	FUZZ_CHECK(o->ngroups <= ADMIN_GROUPS_MAX);
	FUZZ_CHECK(o->has_groups || o->ngroups == 0);
	for (i = 0; i < o->ngroups; i++) {
		FUZZ_TERMINATED(o->groups[i]);
		FUZZ_CHECK(o->groups[i][0] != '\0');
		check_name(o->groups[i]);
	}
}

static void
check_message(const struct admin_message *o)
{
	size_t	i;

	check_msisdn(o->to);
	FUZZ_CHECK((o->text == NULL) != (o->template == NULL));
	check_opt(o->text, ADMIN_TEXT_MAX);
	FUZZ_CHECK(o->text == NULL || (o->text[0] != '\0' && o->nvars == 0));
	check_opt(o->template, ADMIN_TEMPLATE_MAX);
	FUZZ_CHECK(o->template == NULL || strspn(o->template,
	    "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(o->template));
	FUZZ_CHECK(o->nvars <= ADMIN_VARS_MAX);
	for (i = 0; i < o->nvars; i++)
		FUZZ_CHECK(o->keys[i] != NULL && o->vals[i] != NULL);
}

static void
check_broadcast(const struct admin_broadcast *o)
{
	size_t	i;

	FUZZ_CHECK((o->group != NULL) + (o->cases_status != NULL) +
	    (o->nmsisdns > 0) == 1);
	FUZZ_CHECK(o->nmsisdns <= ADMIN_BROADCAST_MAX);
	for (i = 0; i < o->nmsisdns; i++) {
		FUZZ_TERMINATED(o->msisdns[i]);
		check_msisdn(o->msisdns[i]);
	}
	check_opt(o->text, ADMIN_TEXT_MAX);
	check_opt(o->template, ADMIN_TEMPLATE_MAX);
	FUZZ_CHECK(o->vars == NULL || json_is_object(o->vars));
	FUZZ_CHECK(o->at_local == 0 || o->at_local == 1);
	FUZZ_CHECK(o->at % 1000 == 0);
	FUZZ_CHECK(o->dry_run == 0 || o->dry_run == 1);
}

/* Both NULL, or the same string. */
static int
same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static void
check_same(enum ep e, const union out *a, const union out *b)
{
	size_t	i;

	switch (e) {
	case CASE_NEW:
		FUZZ_CHECK(same(a->cn.code, b->cn.code) &&
		    a->cn.proc == b->cn.proc &&
		    strcmp(a->cn.msisdn, b->cn.msisdn) == 0 &&
		    strcmp(a->cn.name, b->cn.name) == 0 &&
		    same(a->cn.due, b->cn.due) &&
		    a->cn.status == b->cn.status &&
		    a->cn.notify == b->cn.notify);
		break;
	case CASE_PATCH:
		FUZZ_CHECK(a->cp.status == b->cp.status &&
		    same(a->cp.note, b->cp.note) && same(a->cp.due, b->cp.due));
		break;
	case CONTACT:
		FUZZ_CHECK(strcmp(a->ct.msisdn, b->ct.msisdn) == 0 &&
		    a->ct.has_name == b->ct.has_name &&
		    strcmp(a->ct.name, b->ct.name) == 0 &&
		    a->ct.has_groups == b->ct.has_groups &&
		    a->ct.ngroups == b->ct.ngroups);
		for (i = 0; i < a->ct.ngroups; i++)
			FUZZ_CHECK(strcmp(a->ct.groups[i], b->ct.groups[i]) == 0);
		break;
	case MESSAGE:
		FUZZ_CHECK(strcmp(a->msg.to, b->msg.to) == 0 &&
		    same(a->msg.text, b->msg.text) &&
		    same(a->msg.template, b->msg.template) &&
		    a->msg.nvars == b->msg.nvars);
		for (i = 0; i < a->msg.nvars; i++)
			FUZZ_CHECK(strcmp(a->msg.keys[i], b->msg.keys[i]) == 0 &&
			    strcmp(a->msg.vals[i], b->msg.vals[i]) == 0);
		break;
	case BROADCAST:
		FUZZ_CHECK(same(a->bc.group, b->bc.group) &&
		    same(a->bc.cases_status, b->bc.cases_status) &&
		    a->bc.nmsisdns == b->bc.nmsisdns &&
		    same(a->bc.text, b->bc.text) &&
		    same(a->bc.template, b->bc.template) &&
		    (a->bc.vars == NULL) == (b->bc.vars == NULL) &&
		    (a->bc.vars == NULL || json_equal((json_t *)a->bc.vars,
		    (json_t *)b->bc.vars)) &&
		    a->bc.at == b->bc.at && a->bc.at_local == b->bc.at_local &&
		    a->bc.dry_run == b->bc.dry_run);
		for (i = 0; i < a->bc.nmsisdns; i++)
			FUZZ_CHECK(strcmp(a->bc.msisdns[i],
			    b->bc.msisdns[i]) == 0);
		break;
	case NEP:
		break;
	}
}

/* Loads the body and checks it as endpoint e; *doc is the caller's. */
static int
run(enum ep e, const uint8_t *body, size_t n, json_t **doc, union out *o,
    char *err, size_t errlen)
{
	int	rc;

	memset(err, 0xAA, errlen);
	if ((rc = admin_body_load(body, n, doc, err, errlen)) != 0) {
		FUZZ_CHECK(*doc == NULL);
		FUZZ_CHECK(rc == (n > ADMIN_BODY_MAX ? ADMIN_BODY_TOO_LARGE :
		    -1));
		return rc;
	}
	FUZZ_CHECK(json_is_object(*doc) && n <= ADMIN_BODY_MAX);
	memset(o, 0xAA, sizeof(*o));
	switch (e) {
	case CASE_NEW:
		return admin_body_case_new(*doc, &ctx, &o->cn, err, errlen);
	case CASE_PATCH:
		return admin_body_case_patch(*doc, &o->cp, err, errlen);
	case CONTACT:
		return admin_body_contact(*doc, &ctx, &o->ct, err, errlen);
	case MESSAGE:
		return admin_body_message(*doc, &ctx, &o->msg, err, errlen);
	case BROADCAST:
		return admin_body_broadcast(*doc, &ctx, &o->bc, err, errlen);
	case NEP:
		break;
	}
	return -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
	union out	*o1, *o2;
	json_t		*doc1 = NULL, *doc2 = NULL;
	uint8_t		*body;
	char		 err1[256], err2[256];
	enum ep		 e;
	int		 rc1, rc2;

	if (size < 1)
		return 0;
	e = (enum ep)(d[0] % NEP);
	body = fuzz_dup(d + 1, size - 1);
	FUZZ_CHECK((o1 = malloc(sizeof(*o1))) != NULL);
	FUZZ_CHECK((o2 = malloc(sizeof(*o2))) != NULL);
	rc1 = run(e, body, size - 1, &doc1, o1, err1, sizeof(err1));
	rc2 = run(e, body, size - 1, &doc2, o2, err2, sizeof(err2));
	FUZZ_CHECK(rc1 == rc2);
	if (rc1 == 0) {
		switch (e) {
		case CASE_NEW:
			check_case_new(&o1->cn);
			break;
		case CASE_PATCH:
			check_case_patch(&o1->cp);
			break;
		case CONTACT:
			check_contact(&o1->ct);
			break;
		case MESSAGE:
			check_message(&o1->msg);
			break;
		case BROADCAST:
			check_broadcast(&o1->bc);
			break;
		case NEP:
			break;
		}
		check_same(e, o1, o2);
	} else {
		FUZZ_CHECK(rc1 == -1 || rc1 == ADMIN_BODY_TOO_LARGE);
		FUZZ_TERMINATED(err1);
		FUZZ_CHECK(err1[0] != '\0');
		/* it goes out as a JSON string */
		FUZZ_CHECK(fuzz_utf8_valid(err1));
		FUZZ_CHECK(strcmp(err1, err2) == 0);
	}
	json_decref(doc1);
	json_decref(doc2);
	free(o1);
	free(o2);
	free(body);
	return 0;
}
