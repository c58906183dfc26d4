/* Phone numbers as citizens, clerks, spreadsheets and SMSCs write them. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "msisdn.h"

static const struct {
	const char	*in;
	const char	*cc;
	const char	*want;
} good[] = {
	/* the four contract forms */
	{ "0912345678",		"84",	"84912345678" },
	{ "84912345678",	"84",	"84912345678" },
	{ "+84912345678",	"84",	"84912345678" },
	{ "0084912345678",	"84",	"84912345678" },
	/* separators as people type them */
	{ "0912 345 678",	"84",	"84912345678" },
	{ "0912.345.678",	"84",	"84912345678" },
	{ "0912-345-678",	"84",	"84912345678" },
	{ "(+84) 912 345 678",	"84",	"84912345678" },
	{ " +84 912-345-678 ",	"84",	"84912345678" },
	{ "0912\t345678",	"84",	"84912345678" },
	{ "+84 (0) 912 345 678", "84",	"84912345678" },
	{ "00 84 (0)912345678",	"84",	"84912345678" },
	/* every carrier family */
	{ "0321234567",		"84",	"84321234567" },	/* Viettel */
	{ "0561234567",		"84",	"84561234567" },	/* Vietnamobile */
	{ "0701234567",		"84",	"84701234567" },	/* MobiFone */
	{ "0881234567",		"84",	"84881234567" },	/* VinaPhone */
	{ "0997123456",		"84",	"84997123456" },	/* Gmobile */
	/* legacy 11-digit numbers, 0-form and 84-form, every table row */
	{ "01201234567",	"84",	"84701234567" },
	{ "01211234567",	"84",	"84791234567" },
	{ "01221234567",	"84",	"84771234567" },
	{ "01261234567",	"84",	"84761234567" },
	{ "01281234567",	"84",	"84781234567" },
	{ "01231234567",	"84",	"84831234567" },
	{ "01241234567",	"84",	"84841234567" },
	{ "01251234567",	"84",	"84851234567" },
	{ "01271234567",	"84",	"84811234567" },
	{ "01291234567",	"84",	"84821234567" },
	{ "01621234567",	"84",	"84321234567" },
	{ "01631234567",	"84",	"84331234567" },
	{ "01641234567",	"84",	"84341234567" },
	{ "01651234567",	"84",	"84351234567" },
	{ "01661234567",	"84",	"84361234567" },
	{ "01671234567",	"84",	"84371234567" },
	{ "01688123456",	"84",	"84388123456" },
	{ "01691234567",	"84",	"84391234567" },
	{ "01861234567",	"84",	"84561234567" },
	{ "01881234567",	"84",	"84581234567" },
	{ "01991234567",	"84",	"84591234567" },
	{ "841688123456",	"84",	"84388123456" },
	{ "+84 168 812 3456",	"84",	"84388123456" },
	{ "0084 1688 123 456",	"84",	"84388123456" },
	/* a spreadsheet ate the leading 0 */
	{ "912345678",		"84",	"84912345678" },
	{ "849123456",		"84",	"84849123456" },
	{ "1688123456",		"84",	"84388123456" },
	/* defaults and foreign numbers, stored generically */
	{ "0912345678",		NULL,	"84912345678" },
	{ "0912345678",		"",	"84912345678" },
	{ "+33 6 12 34 56 78",	"84",	"33612345678" },
	{ "0033612345678",	"84",	"33612345678" },
	{ "+1 (415) 555-0100",	"84",	"14155550100" },
	{ "06 12 34 56 78",	"33",	"33612345678" },
	{ "+85512345678",	"84",	"85512345678" },	/* Cambodia */
};

static const struct {
	const char	*in;
	const char	*cc;
	const char	*err;
} bad[] = {
	{ "",			"84",	"empty" },
	{ " .-() ",		"84",	"empty" },
	{ "+",			"84",	"empty" },
	{ "0912abc678",		"84",	"contains a letter" },
	{ "TC MC2500429",	"84",	"contains a letter" },
	{ "0912#345678",	"84",	"invalid character" },
	{ "0912/345678",	"84",	"invalid character" },
	{ "0912\xc2\xa0" "345678", "84",	"invalid character" },
	{ "84+912345678",	"84",	"misplaced '+'" },
	{ "++84912345678",	"84",	"misplaced '+'" },
	{ "+0912345678",	"84",	"no country code after the international prefix" },
	{ "00",			"84",	"no country code after the international prefix" },
	{ "091234567",		"84",	"too short" },
	{ "09123456789",	"84",	"too long" },
	{ "849123456789",	"84",	"too long" },
	{ "0243825123",		"84",	"not a Vietnamese mobile number" },
	{ "02438251234",	"84",	"not a Vietnamese mobile number" },
	{ "+84 28 3829 1234",	"84",	"not a Vietnamese mobile number" },
	{ "84",			"84",	"too short" },
	{ "0612345678",		"84",	"not a Vietnamese mobile number" },
	{ "01301234567",	"84",	"unknown legacy 11-digit prefix" },
	{ "1234567",		"84",	"too short" },
	{ "8077",		"84",	"too short" },	/* short code */
	{ "+1234567890123456",	"84",	"too long" },
	{ "1234567890123456789012345678901234", "84", "too long" },
	{ "0912345678",		"084",	"invalid country code" },
	{ "0912345678",		"8x",	"invalid country code" },
	{ "0912345678",		"8444",	"invalid country code" },
};

static void
test_good(void)
{
	char		 out[MSISDN_MAX];
	const char	*err;
	size_t		 i;
	int		 n;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		err = "unset";
		n = msisdn_normalize(good[i].in, good[i].cc, out, sizeof out,
		    &err);
		CHECK(n >= 0, "\"%s\": %s", good[i].in, err ? err : "?");
		if (n < 0)
			continue;
		CHECK_STR(out, good[i].want);
		CHECK_INT(n, strlen(good[i].want));
		CHECK(err == NULL, "\"%s\": errstr left set", good[i].in);
	}
}

static void
test_bad(void)
{
	char		 out[MSISDN_MAX];
	const char	*err;
	size_t		 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err = NULL;
		CHECK_INT(msisdn_normalize(bad[i].in, bad[i].cc, out,
		    sizeof out, &err), -1);
		CHECK(err != NULL && strcmp(err, bad[i].err) == 0,
		    "\"%s\": got \"%s\", want \"%s\"", bad[i].in,
		    err ? err : "(null)", bad[i].err);
	}
}

static void
test_buffers(void)
{
	char		 out[MSISDN_MAX];
	const char	*err;

	/* exactly enough room, then one byte short */
	CHECK_INT(msisdn_normalize("0912345678", "84", out, 12, &err), 11);
	CHECK_STR(out, "84912345678");
	CHECK_INT(msisdn_normalize("0912345678", "84", out, 11, &err), -1);
	CHECK_STR(err, "output buffer too small");
	CHECK_INT(msisdn_normalize("0912345678", "84", out, 0, NULL), -1);
	/* errstr is optional */
	CHECK_INT(msisdn_normalize("x", "84", out, sizeof out, NULL), -1);
}

static void
test_national(void)
{
	char	out[MSISDN_MAX];

	CHECK_INT(msisdn_national("84912345678", out, sizeof out), 10);
	CHECK_STR(out, "0912345678");
	CHECK_INT(msisdn_national("84388123456", out, 11), 10);
	CHECK_STR(out, "0388123456");
	CHECK_INT(msisdn_national("84912345678", out, 10), -1);
	CHECK_INT(msisdn_national("33612345678", out, sizeof out), -1);
	CHECK_INT(msisdn_national("+84912345678", out, sizeof out), -1);
	CHECK_INT(msisdn_national("84", out, sizeof out), -1);
	CHECK_INT(msisdn_national("8491234x678", out, sizeof out), -1);
}

static void
test_round_trip(void)
{
	char		 intl[MSISDN_MAX], nat[MSISDN_MAX], again[MSISDN_MAX];
	const char	*err;

	CHECK(msisdn_normalize("+84 168 812 3456", "84", intl, sizeof intl,
	    &err) > 0, "normalize");
	CHECK(msisdn_national(intl, nat, sizeof nat) > 0, "national");
	CHECK(msisdn_normalize(nat, "84", again, sizeof again, &err) > 0,
	    "normalize again");
	CHECK_STR(again, intl);
}

static void
test_short_codes(void)
{
	static const struct {
		const char	*in;
		int		 want;
	} t[] = {
		{ "8077", 1 }, { "777", 1 }, { "198", 1 }, { "123456", 1 },
		{ "12", 0 }, { "1234567", 0 }, { "", 0 }, { "*8077#", 0 },
		{ "80 77", 0 }, { "+8077", 0 }, { "VIETTEL", 0 },
		{ "84912345678", 0 },
	};
	size_t	i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		CHECK(msisdn_is_short_code(t[i].in) == t[i].want,
		    "\"%s\": want %d", t[i].in, t[i].want);
	CHECK_INT(msisdn_is_short_code(NULL), 0);
}

int
main(void)
{
	test_good();
	test_bad();
	test_buffers();
	test_national();
	test_round_trip();
	test_short_codes();
	return check_report("msisdn");
}
