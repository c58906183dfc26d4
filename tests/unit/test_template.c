/* Reply templates as staff write them, and as editors save them. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "template.h"

static const char *const status_vars[] = {
	"code", "status", "procedure", "due", "late", NULL
};
static const char *const none[] = { NULL };

static const char status_txt[] =
    "Ho so {{code}} ({{ procedure }}): {{status}}.\n"
    "Hen tra {{due}}{{late}}. Hoi them: soan HD gui 8077\n";

static void
test_status(void)
{
	const char *const keys[] = {
		"code", "status", "procedure", "due", "late", "extra"
	};
	const char *const vals[] = {
		"MC2500429", "dang xu ly", "KS", "12/06/2025", "", "ignored"
	};
	const char	 want[] =
	    "Ho so MC2500429 (KS): dang xu ly.\n"
	    "Hen tra 12/06/2025. Hoi them: soan HD gui 8077";
	struct template	*t;
	char		 out[320], err[200] = "";
	int		 n;

	t = template_parse("status.txt", status_txt, status_vars, err,
	    sizeof err);
	CHECK(t != NULL, "%s", err);
	if (t == NULL)
		return;
	n = template_render(t, keys, vals, 6, out, sizeof out);
	CHECK_STR(out, want);
	CHECK_INT(n, strlen(want));
	/* exactly enough room, then one byte short */
	CHECK_INT(template_render(t, keys, vals, 6, out, strlen(want) + 1), n);
	CHECK_INT(template_render(t, keys, vals, 6, out, strlen(want)), -1);
	CHECK_STR(out, "");
	CHECK_INT(template_render(t, keys, vals, 6, out, 0), -1);
	template_free(t);
}

static void
test_vietnamese(void)
{
	const char *const keys[] = { "code", "status" };
	const char *const vals[] = { "MC2500429", "đã có kết quả" };
	struct template	*t;
	char		 out[200], err[200] = "";

	t = template_parse("status.txt",
	    "Hồ sơ {{code}}: {{status}}. Mời ông/bà đến nhận.\n",
	    status_vars, err, sizeof err);
	CHECK(t != NULL, "%s", err);
	if (t == NULL)
		return;
	CHECK(template_render(t, keys, vals, 2, out, sizeof out) > 0, "render");
	CHECK_STR(out, "Hồ sơ MC2500429: đã có kết quả. Mời ông/bà đến nhận.");
	template_free(t);
}

static void
test_missing_and_null(void)
{
	const char *const keys[] = { "code", "status", NULL };
	const char *const vals[] = { "MC2500429", NULL, "x" };
	struct template	*t;
	char		 out[100];

	t = template_parse("s", "[{{code}}|{{status}}|{{due}}]", status_vars,
	    NULL, 0);
	CHECK(t != NULL, "parse");
	if (t == NULL)
		return;
	CHECK_INT(template_render(t, keys, vals, 3, out, sizeof out), 13);
	CHECK_STR(out, "[MC2500429||]");
	CHECK_INT(template_render(t, NULL, NULL, 0, out, sizeof out), 4);
	CHECK_STR(out, "[||]");
	template_free(t);
}

static void
test_vars(void)
{
	struct template		*t;
	const char *const	*v;
	size_t			 n = 99;

	t = template_parse("s", "{{due}} {{ code }} {{due}}{{\tcode\t}} {{late}}",
	    status_vars, NULL, 0);
	CHECK(t != NULL, "parse");
	if (t == NULL)
		return;
	v = template_vars(t, &n);
	CHECK_INT(n, 3);
	CHECK_STR(v[0], "due");
	CHECK_STR(v[1], "code");
	CHECK_STR(v[2], "late");
	CHECK(v[3] == NULL, "not NULL-terminated");
	template_free(t);

	t = template_parse("help.txt", "Soan HD gui 8077\n", none, NULL, 0);
	CHECK(t != NULL, "parse");
	if (t == NULL)
		return;
	v = template_vars(t, NULL);
	CHECK(v != NULL && v[0] == NULL, "vars of a plain text");
	template_free(t);
}

static void
test_normalise(void)
{
	static const struct {
		const char	*in;
		const char	*want;
	} t[] = {
		{ "Xin chao\n", "Xin chao" },
		{ "Xin chao", "Xin chao" },
		{ "Xin chao\n\n", "Xin chao\n" },		/* only one */
		{ "dong 1\r\ndong 2\r\n", "dong 1\ndong 2" },	/* Notepad */
		{ "\xef\xbb\xbfXin chao\r\n", "Xin chao" },	/* BOM */
		{ "a\rb", "a\rb" },
		{ "\n", "" },
		{ "", "" },
		{ "a } b }} c {x} {", "a } b }} c {x} {" },
		{ "{ {code}}", "{ {code}}" },
	};
	struct template	*tp;
	char		 out[100], err[200];
	size_t		 i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		err[0] = '\0';
		tp = template_parse("x.txt", t[i].in, none, err, sizeof err);
		CHECK(tp != NULL, "\"%s\": %s", t[i].in, err);
		if (tp == NULL)
			continue;
		CHECK_INT(template_render(tp, NULL, NULL, 0, out, sizeof out),
		    strlen(t[i].want));
		CHECK_STR(out, t[i].want);
		template_free(tp);
	}
}

static void
test_errors(void)
{
	static const struct {
		const char		*name;
		const char		*text;
		const char *const	*allowed;
		const char		*want;
	} t[] = {
		{ "status.txt", "Ho so {{code}}\n{{foo}}\n", status_vars,
		    "status.txt:2: unknown placeholder {{foo}} "
		    "(known: code, status, procedure, due, late)" },
		{ "status.txt", "Ho so {{ Code }}\n", status_vars,
		    "status.txt:1: unknown placeholder {{Code}} "
		    "(known: code, status, procedure, due, late)" },
		{ "help.txt", "Soan HD\nTra cuu: TC {{code}}\n", none,
		    "help.txt:2: unknown placeholder {{code}} "
		    "(this template takes none)" },
		{ "status.txt", "a\nb\nHo so {{code\n}}\n", status_vars,
		    "status.txt:3: unterminated {{" },
		{ "status.txt", "Ho so {{code}} {{", status_vars,
		    "status.txt:1: unterminated {{" },
		{ "status.txt", "Ho so {{code}", status_vars,
		    "status.txt:1: unterminated {{" },
		{ "status.txt", "a\r\nb\r\n{{x\r\n", status_vars,
		    "status.txt:3: unterminated {{" },
		{ "status.txt", "Ho so {{}}", status_vars,
		    "status.txt:1: empty placeholder {{}}" },
		{ "status.txt", "Ho so {{ \t }}", status_vars,
		    "status.txt:1: empty placeholder {{}}" },
		{ "status.txt", "Hồ sơ {{mã}}", status_vars,
		    "status.txt:1: invalid placeholder {{mã}}" },
		{ "status.txt", "{{1code}}", status_vars,
		    "status.txt:1: invalid placeholder {{1code}}" },
		{ "status.txt", "{{code status}}", status_vars,
		    "status.txt:1: invalid placeholder {{code status}}" },
		{ "status.txt", "{{{code}}}", status_vars,
		    "status.txt:1: invalid placeholder {{{code}}" },
		{ "status.txt", "{{code-2}}", status_vars,
		    "status.txt:1: invalid placeholder {{code-2}}" },
		/* a file saved as Windows-1258: 0xE0 is "à" there */
		{ "status.txt", "Ho so\nda c\xf3 k\xea\x74 qu\xe0\n", status_vars,
		    "status.txt:2: not valid UTF-8 (save the file as UTF-8)" },
		{ "x.txt", "overlong \xc0\xaf", none,
		    "x.txt:1: not valid UTF-8 (save the file as UTF-8)" },
		{ "x.txt", "surrogate \xed\xa0\x80", none,
		    "x.txt:1: not valid UTF-8 (save the file as UTF-8)" },
		{ "x.txt", "too big \xf4\x90\x80\x80", none,
		    "x.txt:1: not valid UTF-8 (save the file as UTF-8)" },
		{ "x.txt", "cut \xe1\xbb", none,
		    "x.txt:1: not valid UTF-8 (save the file as UTF-8)" },
		{ NULL, "{{foo}}", none,
		    "template:1: unknown placeholder {{foo}} "
		    "(this template takes none)" },
	};
	struct template	*tp;
	char		 err[200];
	size_t		 i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		strcpy(err, "unset");
		tp = template_parse(t[i].name, t[i].text, t[i].allowed, err,
		    sizeof err);
		CHECK(tp == NULL, "\"%s\" parsed", t[i].text);
		template_free(tp);
		CHECK_STR(err, t[i].want);
	}
}

static void
test_small_err_buffer(void)
{
	char	err[12];

	memset(err, 'x', sizeof err);
	CHECK(template_parse("status.txt", "{{foo}}", status_vars, err,
	    sizeof err) == NULL, "parsed");
	CHECK_STR(err, "status.txt:");
	memset(err, 'x', sizeof err);
	CHECK(template_parse("s", "{{foo}}", status_vars, err, sizeof err) ==
	    NULL, "parsed");
	CHECK_STR(err, "s:1: unknow");
	CHECK(template_parse("s", "{{foo}}", status_vars, err, 0) == NULL,
	    "parsed");
	CHECK(template_parse("s", "{{foo}}", status_vars, NULL, 99) == NULL,
	    "parsed");
}

static void
test_any_vars(void)
{
	const char *const keys[] = { "name", "date" };
	const char *const vals[] = { "Nguyễn Văn An", "15/6" };
	struct template	*t;
	char		 out[120];

	/* broadcast templates: variables known only when one is sent */
	t = template_parse("nhac_lich.txt",
	    "Kinh gui {{name}}: moi den UBND xa ngay {{ date }}.\n", NULL,
	    NULL, 0);
	CHECK(t != NULL, "parse");
	if (t == NULL)
		return;
	CHECK(template_render(t, keys, vals, 2, out, sizeof out) > 0, "render");
	CHECK_STR(out, "Kinh gui Nguyễn Văn An: moi den UBND xa ngay 15/6.");
	template_free(t);
	CHECK(template_parse("x", "{{bad name}}", NULL, NULL, 0) == NULL,
	    "syntax still checked");
}

static void
test_worst_case(void)
{
	const char *const keys[] = { "code", "status" };
	const size_t	  max[] = { 24, 40 };
	struct template	 *t;

	/* literal: "Hồ sơ " 6 + ": " 2 + " (" 2 + ")" 1 = 11 characters */
	t = template_parse("s", "Hồ sơ {{code}}: {{status}} ({{code}})\n",
	    status_vars, NULL, 0);
	CHECK(t != NULL, "parse");
	if (t == NULL)
		return;
	CHECK_INT(template_worst_case(t, keys, max, 2, 0), 11 + 24 + 40 + 24);
	CHECK_INT(template_worst_case(t, keys, max, 1, 30), 11 + 24 + 30 + 24);
	CHECK_INT(template_worst_case(t, NULL, NULL, 0, 10), 11 + 30);
	template_free(t);

	/* decomposed (NFD) text counts its combining marks: UCS-2 sends them */
	t = template_parse("s", "Ho\xcc\x82\xcc\x80 so\xcc\x9b", none, NULL, 0);
	CHECK(t != NULL, "parse");
	if (t == NULL)
		return;
	CHECK_INT(template_worst_case(t, NULL, NULL, 0, 0), 8);
	template_free(t);
	template_free(NULL);
}

/* No text of its own: a blank SMS when its variables are empty. */
static void
test_blank(void)
{
	static const struct { const char *text; int blank; } cases[] = {
		{ "", 1 }, { "\n", 1 }, { " \t\r\n \n", 1 }, { "{{code}}", 1 },
		{ " {{code}}\n{{status}} ", 1 }, { "HD", 0 }, { "{{code}}.", 0 },
		{ "\xef\xbb\xbf\r\n", 1 }, { "\xc4\x90", 0 },
	};
	struct template	*t;
	char		 err[200];
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t = template_parse("t.txt", cases[i].text, status_vars, err,
		    sizeof err);
		CHECK(t != NULL, "%s", err);
		if (t == NULL)
			continue;
		CHECK_INT(template_blank(t), cases[i].blank);
		template_free(t);
	}
}

int
main(void)
{
	test_blank();
	test_status();
	test_vietnamese();
	test_missing_and_null();
	test_vars();
	test_normalise();
	test_errors();
	test_small_err_buffer();
	test_any_vars();
	test_worst_case();
	return check_report("template");
}
