/* The USSD menu file: a good menu, each error with its line, page fit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "menu.h"

static struct menu	m;	/* large: static, like the daemon's bundle */

static int
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static const char good[] =
    "# a comment\n"
    "receipt = no\n"
    "back = 0 Quay lại\n"
    "hint = Sai lựa chọn.\n"
    "expired = Het phien; bam *8077# de bat dau lai.\n"
    "\n"
    "[main]\n"
    "text = Một cửa\n"
    "1 = Tra cứu -> lookup\n"
    "2 = Nộp -> procedure\n"
    "4 = Lịch -> schedule\n"
    "[lookup]\n"
    "text = Nhập mã:\n"
    "input = code -> @status\n"
    "[procedure]\n"
    "text = Chọn thủ tục:\n"
    "list = procedures -> request\n"
    "[request]\n"
    "text = {{procedure}}\n"
    "text = Nhập nội dung:\n"
    "input = request -> confirm\n"
    "[confirm]\n"
    "text = Gửi \"{{ request }}\"?\n"
    "1 = Đồng ý -> @submit\n"
    "2 = Hủy -> main\n"
    "[schedule]\n"
    "template = schedule\n";

static void
test_good(void)
{
	char	err[256] = "";
	int	sch;

	CHECK(menu_parse("menu.conf", good, &m, err, sizeof(err)) == 0, "%s",
	    err);
	CHECK_INT(m.n, 6);
	CHECK_INT(m.receipt, 0);
	CHECK_STR(m.back, "0 Quay lại");
	CHECK_STR(m.hint, "Sai lựa chọn.");
	CHECK_STR(m.expired, "Het phien; bam *8077# de bat dau lai.");
	CHECK(m.busy[0] != '\0', "busy keeps its default");
	CHECK_STR(m.screen[0].name, "main");
	CHECK_INT(m.screen[0].line, 7);
	CHECK_INT(m.screen[0].kind, MENU_CHOOSE);
	CHECK_STR(m.screen[0].choice[1].label, "Nộp");
	CHECK_INT(m.screen[0].choice[1].to.run, MENU_GO);
	CHECK_INT(m.screen[0].choice[1].to.screen, menu_find(&m, "procedure"));
	CHECK(m.screen[0].choice[2].label[0] == '\0', "key 3 is unused");
	CHECK_INT(m.screen[1].kind, MENU_INPUT);
	CHECK_INT(m.screen[1].var, MENU_VAR_CODE);
	CHECK_INT(m.screen[1].next.run, MENU_STATUS);
	CHECK_INT(m.screen[2].kind, MENU_LIST);
	CHECK_INT(m.screen[2].next.screen, 3);
	CHECK_INT(m.screen[3].var, MENU_VAR_REQUEST);
	CHECK_STR(m.screen[3].text, "{{procedure}}\nNhập nội dung:");
	CHECK_INT(m.screen[4].choice[0].to.run, MENU_SUBMIT);
	CHECK_INT(m.screen[4].choice[1].to.screen, 0);
	sch = menu_find(&m, "schedule");
	CHECK_INT(sch, 5);
	CHECK_INT(m.screen[sch].kind, MENU_FINAL);
	CHECK_STR(m.screen[sch].tmpl, "schedule");
	CHECK_INT(menu_find(&m, "nope"), -1);
	/* A byte order mark and CRLF line ends, as Notepad saves. */
	CHECK(menu_parse("menu.conf", "\xEF\xBB\xBF[main]\r\ntext = A\r\n", &m,
	    err, sizeof(err)) == 0, "%s", err);
	CHECK_STR(m.screen[0].text, "A");
}

static void
test_render(void)
{
	static const char *const items[] = { "Đăng ký khai sinh", "Khai tử" };
	struct menu_vals	v;
	char			out[512], err[256] = "";

	CHECK(menu_parse("menu.conf", good, &m, err, sizeof(err)) == 0, "%s",
	    err);
	memset(&v, 0, sizeof(v));
	CHECK(menu_render(&m, 0, &v, out, sizeof(out)) > 0, "render main");
	CHECK_STR(out, "Mot cua\n1 Tra cuu\n2 Nop\n4 Lich");
	v.hint = 1;
	menu_render(&m, 0, &v, out, sizeof(out));
	CHECK_STR(out, "Sai lua chon.\nMot cua\n1 Tra cuu\n2 Nop\n4 Lich");
	v.hint = 0;
	v.back = 1;
	v.items = items;
	v.nitems = 2;
	menu_render(&m, 2, &v, out, sizeof(out));
	CHECK_STR(out, "Chon thu tuc:\n1 Dang ky khai sinh\n2 Khai tu\n"
	    "0 Quay lai");
	v.procedure = "Đăng ký khai sinh";
	menu_render(&m, 3, &v, out, sizeof(out));
	CHECK_STR(out, "Dang ky khai sinh\nNhap noi dung:\n0 Quay lai");
	/* A long typed request is echoed cut, so the screen still fits. */
	v.request = "Nguyễn Văn An sinh ngày 01/10/2025 con ông Bình, thôn Đông";
	menu_render(&m, 4, &v, out, sizeof(out));
	CHECK_STR(out, "Gui \"Nguyen Van An sinh ngay 01/10/2025 con...\"?\n"
	    "1 Dong y\n2 Huy\n0 Quay lai");
	/* What a citizen types goes out as GSM 03.38, on one line, cut. */
	v.request = "`x`\nyz";
	menu_render(&m, 4, &v, out, sizeof(out));
	CHECK(starts(out, "Gui \"?x? yz\"?\n"), "got %s", out);
	v.request = "[[[[[[[[[[[[[[[[[[[[[[[[[";	/* 25, two septets each */
	menu_render(&m, 4, &v, out, sizeof(out));
	CHECK(starts(out, "Gui \"[[[[[[[[[[[[[[[[[[[[...\"?\n"), "got %s", out);
	/* A final screen never shows the hint or the back line. */
	v.hint = 1;
	menu_set_text(&m, 5, "Thứ Hai đến thứ Sáu");
	menu_render(&m, 5, &v, out, sizeof(out));
	CHECK_STR(out, "Thu Hai den thu Sau");
	CHECK_INT(menu_render(&m, 6, &v, out, sizeof(out)), -1);
	CHECK_INT(menu_render(&m, 0, &v, out, 8), -1);
}

/* A list longer than a page: as many as fit, "9" for the rest, "0" back. */
static void
test_pages(void)
{
	static const char *const procs[] = {
		"Đăng ký khai sinh", "Đăng ký khai tử",
		"Xác nhận tình trạng hôn nhân", "Cấp bản sao trích lục hộ tịch",
		"Chứng thực bản sao từ bản chính", "Đăng ký kết hôn",
		"Đăng ký thường trú", "Xác nhận cư trú", "Cấp giấy phép xây dựng",
		"Đăng ký giám hộ"
	};
	struct menu_vals	v;
	char			out[512], err[256] = "";
	int			used, limit, seen = 0, pages = 0;

	CHECK(menu_parse("menu.conf", good, &m, err, sizeof(err)) == 0, "%s",
	    err);
	memset(&v, 0, sizeof(v));
	v.items = procs;
	v.nitems = 10;
	v.back = v.hint = 1;
	do {
		CHECK(menu_render(&m, 2, &v, out, sizeof(out)) > 0, "page %d",
		    pages);
		CHECK(menu_page_fits(out, &used, &limit), "page %d: %d of %d: "
		    "%s", pages, used, limit, out);
		CHECK(v.shown >= 1 && v.shown <= 8, "%d shown", v.shown);
		CHECK((strstr(out, "\n9 Xem them\n0 Quay lai") != NULL) ==
		    v.more, "more line %d: %s", v.more, out);
		seen += v.shown;
		v.first += v.shown;
		pages++;
	} while (v.more && pages < 10);
	CHECK_INT(seen, 10);
	CHECK(pages >= 2, "%d pages", pages);
	/* The first page, exactly: as many as fit. */
	v.first = 0;
	v.hint = 0;
	menu_render(&m, 2, &v, out, sizeof(out));
	CHECK_STR(out, "Chon thu tuc:\n1 Dang ky khai sinh\n2 Dang ky khai tu\n"
	    "3 Xac nhan tinh trang hon nhan\n4 Cap ban sao trich luc ho tich\n"
	    "5 Chung thuc ban sao tu ban chinh\n9 Xem them\n0 Quay lai");
	CHECK_INT(v.shown, 5);	/* a sixth would make 183 */
	/* A page past the end (the list shrank in a reload) starts over. */
	v.first = 12;
	menu_render(&m, 2, &v, out, sizeof(out));
	CHECK_INT(v.first, 0);
}

struct bad {
	const char	*text;
	const char	*want;		/* the start of the error */
};

static const struct bad bads[] = {
	{ "", "menu.conf:0: no screens" },
	{ "bogus = 1\n[main]\ntext = x\n", "menu.conf:1: unknown setting" },
	{ "receipt = maybe\n[main]\ntext = x\n",
	    "menu.conf:1: receipt must be yes or no" },
	{ "[main\n", "menu.conf:1: expected [screen]" },
	{ "[Main]\ntext = x\n", "menu.conf:1: bad screen name \"Main\"" },
	{ "[main]\ntext = x\n[main]\ntext = y\n",
	    "menu.conf:3: screen [main] defined twice" },
	{ "[main]\ntext = x\nfoo = bar\n", "menu.conf:3: unknown key \"foo\"" },
	{ "[main]\ntext = x\n0 = A -> main\n",
	    "menu.conf:3: unknown key \"0\"" },
	{ "[main]\nno equals sign\n", "menu.conf:2: expected key = value" },
	{ "[main]\ntext = x\n1 = A\n",
	    "menu.conf:3: expected \"... -> screen\"" },
	{ "[main]\ntext = x\n1 = -> main\n",
	    "menu.conf:3: choice 1 has no label" },
	{ "[main]\ntext = x\n1 = A -> nowhere\n",
	    "menu.conf:3: no screen [nowhere]" },
	{ "[main]\ntext = x\n\n\n1 = A -> @frob\n",
	    "menu.conf:5: unknown action @frob" },
	{ "[main]\ntext = x\n1 = A -> main\n1 = B -> main\n",
	    "menu.conf:4: choice 1 given twice" },
	{ "[main]\ntext = x\ninput = code -> main\n1 = A -> main\n",
	    "menu.conf:4: screen [main] already has an input" },
	{ "[main]\ntext = x\n1 = A -> main\nlist = procedures -> main\n",
	    "menu.conf:4: screen [main] already has numbered choices" },
	{ "[main]\ntext = x\ninput = name -> main\n",
	    "menu.conf:3: unknown input \"name\"" },
	{ "[main]\ntext = x\nlist = people -> main\n",
	    "menu.conf:3: unknown list \"people\"" },
	{ "[main]\ntext = Xin chào {{name}}\n",
	    "menu.conf:2: unknown placeholder {{name}}" },
	{ "[main]\ntext = {{code\n", "menu.conf:2: \"{{\" without \"}}\"" },
	{ "[main]\ntext = x\ntemplate = schedule\n",
	    "menu.conf:3: screen [main] already has a text" },
	{ "[main]\ntemplate = Schedule\n",
	    "menu.conf:2: bad template name" },
	{ "[main]\n1 = A -> b\n[b]\ntext = x\n",
	    "menu.conf:1: screen [main] has no text" },
};

static void
test_errors(void)
{
	char	err[256];
	size_t	i;

	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		err[0] = '\0';
		CHECK(menu_parse("menu.conf", bads[i].text, &m, err,
		    sizeof(err)) == -1, "case %zu parsed", i);
		CHECK(strncmp(err, bads[i].want, strlen(bads[i].want)) == 0,
		    "case %zu: got \"%s\", want \"%s...\"", i, err,
		    bads[i].want);
	}
}

static char *
repeat(char *buf, int c, int n)
{
	memset(buf, c, (size_t)n);
	buf[n] = '\0';
	return buf;
}

/* Parses "[main]\ntext = <n times c>\n" plus tail. */
static int
parse_long(int c, int n, const char *tail, char *err, size_t errlen)
{
	char	text[1024], fill[512];

	snprintf(text, sizeof(text), "[main]\ntext = %s\n%s", repeat(fill, c,
	    n), tail);
	return menu_parse("menu.conf", text, &m, err, errlen);
}

static void
test_too_long(void)
{
	static const char *const procs[] = {
		"Đăng ký khai sinh", "Đăng ký khai tử",
		"Xác nhận tình trạng hôn nhân", "Cấp bản sao trích lục hộ tịch",
		"Chứng thực bản sao từ bản chính", "Đăng ký kết hôn",
		"Đăng ký thường trú", "Xác nhận cư trú", "Cấp giấy phép xây dựng"
	};
	const char	*procs2[2] = { NULL, "Khai tu" };
	char		 err[256] = "", text[MENU_TEXT_MAX + 8];

	/* A final screen: exactly one page passes, one more does not. */
	CHECK(parse_long('a', 182, "", err, sizeof(err)) == 0, "%s", err);
	CHECK(parse_long('a', 183, "", err, sizeof(err)) == -1, "183 fits");
	CHECK(starts(err, "menu.conf:1: screen [main] does not fit one USSD "
	    "page: 183 of 182"), "got %s", err);
	/* Vietnamese counts once folded: "ệ" is one plain 'e'. */
	snprintf(text, sizeof(text), "[main]\ntext = %s\n", "ệệệệệệệệệệ");
	CHECK(menu_parse("menu.conf", text, &m, err, sizeof(err)) == 0, "%s",
	    err);
	/* GSM escapes count twice: 92 brackets are 184 septets. */
	CHECK(parse_long('[', 92, "", err, sizeof(err)) == -1, "[ x 92 fits");
	/* Not GSM 03.38 even folded (a backtick): the UCS-2 page, 80. */
	CHECK(parse_long('`', 80, "", err, sizeof(err)) == 0, "%s", err);
	CHECK(parse_long('`', 81, "", err, sizeof(err)) == -1, "` x 81 fits");
	CHECK(strstr(err, "81 of 80") != NULL, "got %s", err);
	/*
	 * Choices count, and so do the hint (22 + newline) and the back line
	 * (11, as main is a target): 141 + 6 + 23 + 11 = 181 fits, 143 not.
	 */
	CHECK(parse_long('a', 141, "1 = Mot -> main\n", err, sizeof(err)) == 0,
	    "%s", err);
	CHECK(parse_long('a', 143, "1 = Mot -> main\n", err, sizeof(err)) == -1,
	    "hint and back not counted");
	CHECK(strstr(err, "183 of 182") != NULL, "got %s", err);
	/* A variable counts at its longest: the request echo is 43. */
	CHECK(parse_long('a', 150, "input = request -> @submit\n[x]\n"
	    "text = {{request}}\n", err, sizeof(err)) == 0, "%s", err);
	CHECK(parse_long('a', 130, "input = request -> x\n[x]\ntext = a\n"
	    "text = {{request}}\ntext = {{procedure}}\n1 = OK -> @submit\n",
	    err, sizeof(err)) == 0, "%s", err);
	snprintf(text, sizeof(text), "[main]\ntext = a\ninput = code -> x\n"
	    "[x]\ntext = %s {{request}}\n1 = OK -> @submit\n",
	    repeat((char[256]){ 0 }, 'b', 110));
	CHECK(menu_parse("menu.conf", text, &m, err, sizeof(err)) == -1,
	    "request not counted");
	CHECK(starts(err, "menu.conf:4: screen [x] does not fit"),
	    "got %s", err);
	/* A list screen is checked again with the office's procedures. */
	CHECK(menu_parse("menu.conf", good, &m, err, sizeof(err)) == 0, "%s",
	    err);
	CHECK(menu_check(&m, "menu.conf", procs[2], procs, 5, err,
	    sizeof(err)) == 0, "%s", err);
	/* More procedures page; one name too long for any page does not. */
	CHECK(menu_check(&m, "menu.conf", procs[2], procs, 9, err,
	    sizeof(err)) == 0, "%s", err);
	procs2[0] = repeat((char[256]){ 0 }, 'p', 150);	/* shown cut to 40 */
	CHECK(menu_check(&m, "menu.conf", NULL, procs2, 2, err,
	    sizeof(err)) == 0, "%s", err);
	snprintf(text, sizeof(text), "[main]\ntext = a\n1 = b -> list\n"
	    "[list]\ntext = %s\nlist = procedures -> main\n",
	    repeat((char[256]){ 0 }, 'l', 120));
	CHECK(menu_parse("menu.conf", text, &m, err, sizeof(err)) == 0, "%s",
	    err);
	CHECK(menu_check(&m, "menu.conf", NULL, procs2, 2, err,
	    sizeof(err)) == -1, "120 + a procedure fit");
	CHECK(starts(err, "menu.conf:4: screen [list] does not fit one USSD "
	    "page: 211 of 182"), "got %s", err);	/* 23+120+46+11+11 */
	CHECK(strstr(err, "and a procedure)") != NULL, "got %s", err);
	CHECK(menu_parse("menu.conf", good, &m, err, sizeof(err)) == 0, "%s",
	    err);
	/* A template's text is checked once the caller has set it. */
	menu_set_text(&m, 5, repeat(text, 'c', 200));
	CHECK(menu_check(&m, "menu.conf", NULL, procs, 2, err, sizeof(err)) ==
	    -1, "200 fits");
	CHECK(starts(err, "menu.conf:26: screen [schedule]"), "got %s",
	    err);
	CHECK_INT(menu_set_text(&m, 5, repeat(text, 'c', MENU_TEXT_MAX)), -1);
	/* The session texts are checked where they are set. */
	snprintf(text, sizeof(text), "\n\nbusy = %s\n[main]\ntext = a\n",
	    repeat((char[256]){ 0 }, 'd', 190));
	CHECK(menu_parse("menu.conf", text, &m, err, sizeof(err)) == -1,
	    "busy fits");
	CHECK(starts(err, "menu.conf:3: text longer than one USSD page"),
	    "got %s", err);
}

/* The shipped menus parse (make check runs from the top folder). */
static void
test_shipped(void)
{
	static const char *const files[] = { "templates/vi/menu.conf",
	    "templates/en/menu.conf" };
	char	text[16384], err[256] = "";
	size_t	i, n;
	FILE	*f;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if ((f = fopen(files[i], "r")) == NULL)
			continue;
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
		text[n] = '\0';
		CHECK(menu_parse(files[i], text, &m, err, sizeof(err)) == 0,
		    "%s", err);
		CHECK(m.n >= 8 && m.receipt == 1, "%s: %d screens", files[i],
		    m.n);
	}
}

int
main(void)
{
	test_good();
	test_render();
	test_pages();
	test_errors();
	test_too_long();
	test_shipped();
	return check_report("test_menu");
}
