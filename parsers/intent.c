/*
 * intent.c decides what a citizen's SMS asks for. The office's keywords
 * file names the commands (PCRE2 on the folded text); this file owns the
 * judgement around them, because the costly mistakes are actions taken on
 * words that only look like commands once diacritics are gone: "Pa ơi",
 * "Huy đây", "gửi lời cảm ơn", "đã nộp hồ sơ rồi". So:
 *
 *  1. The message is folded once, keeping for every folded byte the place
 *     in the NFC text it came from, so request texts are handed back in
 *     the citizen's own words.
 *  2. A forwarded office text (ctx->signatures) is help, full stop.
 *  3. Keyword rules run on the whole message; each intent has a check
 *     that accepts, redirects (NOP KS without text -> the KS sheet) or
 *     passes to the next rule. A typed command wins over the words: NOP
 *     or a request verb with a procedure code and request data is a case
 *     even when it also asks something, under the code typed. Opt-out and
 *     opt-in sentences (phrase rules, found anywhere) are judged on their
 *     clause, since "ngừng cấp nước" and "anh Dũng nhắn tin" fold alike.
 *  4. A mistyped command word gets unknown + suggestion.
 *  5. With a salutation stripped ("Kính gửi UBND xã, ...", "Cho hỏi ...")
 *     the rules run again, then the plain-words readers: a case code,
 *     a request letter, a complaint, a schedule question.
 *  6. Anything else: help, or unknown for what is not Vietnamese at all.
 *
 * Word lists are folded phrases separated by '|'.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <utf8proc.h>

#include "casecode.h"
#include "intent.h"
#include "str.h"
#include "text.h"

#define MSG_MAX		4096	/* bytes of a message we read */
#define WORDS_MAX	512
#define NAME_WORDS	24	/* words of a procedure name we compare */
#define SIG_MIN		12	/* shorter signatures would match citizens */
#define SIG_USE		40	/* compare this much of a signature */
#define SIG_ANYWHERE	24	/* shorter ones only open a message */
#define MATCH_LIMIT	100000	/* an office pattern cannot stall the loop */
#define PHRASE_WORDS	60	/* longer letters are about more than that */
#define NONE		((size_t)-1)

/*
 * How a rule's match is judged. A command is the keyword opening the
 * message; a verb is a request verb ("xin", "đề nghị") that acts only
 * with a procedure code right after it; a phrase is a sentence found
 * anywhere ("đừng nhắn tin cho số này nữa"), judged on its clause.
 */
enum rule_mode {
	MODE_COMMAND = 0,
	MODE_VERB,
	MODE_PHRASE,
};

struct rule {
	enum intent_kind	 kind;
	enum rule_mode		 mode;
	pcre2_code		*re;
	int			 arg;	/* number of (?<arg>...), 0 if none */
};

struct intent_rules {
	struct rule		*rule;
	size_t			 n, cap;
	pcre2_match_data	*md;
	pcre2_match_context	*mctx;
};

struct word {
	uint16_t	s, n;	/* offset and length in the folded text */
};

/* The message: NFC text, its folded key, and where each key byte began. */
struct msg {
	char		orig[MSG_MAX];
	char		f[MSG_MAX];
	uint16_t	at[MSG_MAX];
	size_t		n;
	struct word	w[WORDS_MAX];
	size_t		nw;
};

/* One classification in progress. */
struct cls {
	const struct intent_rules	*rules;
	const struct intent_ctx		*ctx;
	struct intent			*out;
	size_t				 vw;	/* first word of the view */
	int				 noaction;	/* "Fwd:": never act */
	int				 asked;	/* "cho hỏi" was stripped */
	struct msg			 m;
};

/*
 * Where a rule matched: the keyword's first word, the argument, the first
 * word after the match, and how the rule is judged.
 */
struct hit {
	size_t		kw, a, aoff, end;
	enum rule_mode	mode;
};

typedef int (*check_fn)(struct cls *, const struct hit *);

static const char *const kind_names[] = {
	[INTENT_UNKNOWN] = "unknown",	[INTENT_HELP] = "help",
	[INTENT_STATUS] = "status",	[INTENT_SUBMIT] = "submit",
	[INTENT_FEEDBACK] = "feedback",	[INTENT_PROCEDURES] = "procedures",
	[INTENT_PROCEDURE] = "procedure", [INTENT_SCHEDULE] = "schedule",
	[INTENT_OPTOUT] = "optout",	[INTENT_OPTIN] = "optin",
	[INTENT_RATING] = "rating",
};
#define NKINDS	(sizeof(kind_names) / sizeof(kind_names[0]))

/* The keywords file's names for the rules that are not commands. */
static const struct {
	const char		*name;
	enum intent_kind	 kind;
	enum rule_mode		 mode;
} mode_names[] = {
	{ "submit_verb", INTENT_SUBMIT, MODE_VERB },
	{ "optout_phrase", INTENT_OPTOUT, MODE_PHRASE },
	{ "optin_phrase", INTENT_OPTIN, MODE_PHRASE },
};
#define NMODES	(sizeof(mode_names) / sizeof(mode_names[0]))

/* ---- Vocabulary (folded) ---- */

/* Asking about a case that already exists. */
static const char STATUS_ASK[] =
    "xong chua|da xong|xong roi|xong het chua|den dau|toi dau|the nao roi|"
    "sao roi|ra sao roi|ra sao|tinh hinh|co ket qua|ket qua chua|co chua|"
    "duoc chua|nhan duoc chua|lay duoc chua|lay chua|khi nao lay|"
    "bao gio lay|khi nao co|bao gio co|khi nao xong|bao gio xong|"
    "khi nao duoc|bao gio duoc|xu ly chua|xu ly den|dang xu ly|duyet chua|"
    "da duyet|tien do|tre hen|tre han|qua han|lau qua|lau vay|chua thay|"
    "chua xong|chua co ket qua|chua nhan duoc";
/* What a status question is about, when no code is given. */
static const char STATUS_TOPIC[] =
    "ho so|hs|giay|ket qua|don|yeu cau|ma ho so|trich luc|ban sao|nop|"
    "da nop";
/* What may follow TC without naming a code: "tra cứu hồ sơ của tôi". */
static const char STATUS_REST[] =
    "ho so|hs|ma|ma ho so|ma so|so|cua|toi|em|minh|cua toi|cua em|giup|"
    "dum|gium|nhe|nha|a|voi|cho|cho toi|cho em|di|ah|ak|oi";
/* Cancelling or withdrawing: nothing we do by SMS. */
static const char NEG_CONTEXT[] =
    "huy ho so|huy bo|huy yeu cau|huy don|huy ma|rut ho so|rut don|"
    "rut yeu cau|xoa ho so|bo ho so|khong lam nua|khong can nua|muon huy|"
    "xin huy|de nghi huy|can huy|muon rut|xin rut";
/* The same, right before a code: "hủy MC2500429" (with its accent:
 * "Huy MC2500429" is as likely the citizen's name). */
static const char NEG_VERB[] = "huy|rut|xoa|huyr";
static const char *const NEG_VERB_VI[] = {
	"hủy", "huỷ", "rút", "xóa", "xoá", "huyr", NULL
};
static const char QUESTION[] =
    "cho hoi|xin hoi|hoi chut|can gi|can nhung gi|can nhung giay|"
    "giay to gi|nhung gi|gom gi|bao nhieu|bao lau|may ngay|nhu the nao|"
    "the nao|lam sao|ra sao|cho nao|khi nao|bao gio|luc nao|"
    "duoc khong|dc khong|duoc ko|dc ko|phai khong|co phai|co duoc|co can|"
    "la gi|gi vay|gi a|mat bao|het bao|sao vay|tai sao|vi sao|muon biet|"
    "hoi ve|the nao a|khong biet|ko biet|chua biet|k biet";
/*
 * Last words that make a question. Not "hả", "nhỉ" (the names Hà, Nhi);
 * written with diacritics they must be these spellings, so "sửa chữa"
 * does not end in "chưa".
 */
static const char QUESTION_END[] = "khong|ko|k|hong|hok|chua|sao|gi|nao";
static const char *const QUESTION_END_VI[] = {
	"không", "hông", "chưa", "sao", "gì", "nào", NULL
};
static const char HOWTO[] =
    "lam sao|the nao|nhu the nao|bang cach nao|cach nao|cach|"
    "cu phap|soan tin|soan|huong dan|la gi";
static const char INFO_WORDS[] =
    "le phi|phi|giay to|can mang|mang gi|mang theo|can gi|nhung gi|thu tuc|"
    "bao lau|may ngay|gom|quy trinh|dieu kien|mau|to khai|huong dan|cach|"
    "bao nhieu|tien";
/*
 * A request verb before a procedure name in a letter. Not "cần", "làm":
 * "tôi cần chứng thực ..." asks how as often as it asks for it.
 */
static const char REQUEST[] =
    "xin|muon|de nghi|nho|giup|lam giup|lam ho|yeu cau|mong|dang ky cho|"
    "nop|gui|dk|dki|dang ky|dang ki|cap|xin cap";
/* A need, not a request: answered with the procedure's sheet. */
static const char NEED[] = "can|can lam|phai lam|dinh lam|sap lam|muon biet";
/* Words that undo a request or a complaint just after them. */
static const char NEGATE[] = "khong|ko|k|chua|da|dung|khoi|chang";
static const char FEEDBACK_VERBS[] =
    "phan anh|kien nghi|khieu nai|to cao|gop y|phan nan|to giac";
/* Who may come right before a feedback verb ("tôi xin phản ánh"). */
static const char FEEDBACK_LEAD[] =
    "toi|em|chau|con|minh|chung toi|xin|muon|can|gui|de|nay|dan|tri|mong|se|"
    "va|kinh|lai|tiep|nay xin|vui long|xin duoc";
/*
 * A complaint without the word "phản ánh": "đường thôn 3 ngập, đề nghị xã
 * khắc phục". It takes all three: asking someone in charge to fix
 * something, and a CIVIC topic.
 */
static const char ASK_FIX[] = "de nghi|kien nghi|mong|yeu cau|xin";
static const char IN_CHARGE[] =
    "xa|ubnd|ubnd xa|chinh quyen|cac cap|lanh dao|co quan chuc nang|"
    "can bo|cong an|dia phuong|thon";
static const char FIX[] =
    "sua|sua chua|xu ly|khac phuc|giai quyet|kiem tra|xem xet|can thiep|"
    "don|thu gom|lap|nao vet|thay|dep|cham dut|ngan chan|xu phat";
/* Skipped between a feedback verb and the complaint itself. */
static const char FEEDBACK_SKIP[] = "ve viec|ve|viec|la|rang|voi|len|nhu sau";
/* The verb used as a noun ("phản ánh của tôi ..."): not a new complaint. */
static const char FEEDBACK_NOUN[] =
    "cua|nay|nao|thi|gi|roi|duoc|da duoc|da giai quyet|hom truoc|lan truoc|"
    "truoc";
/* Never a complaint right after "PA" ("Pa ơi", "pa nhé"). */
static const char VOCATIVE[] = "oi|ui|oii|uii|a|ah|ne|yeu|nho|khoe|day";
/* Family talk after a lowercase "pa". */
static const char FAMILY[] =
    "con|me|ma|bo|ba|em|anh|chi|chau|ong|noi|ngoai|vo|chong|ve|an|di|da|"
    "dang|co|khong|ko|lam|om|ngu|dau|gui|mua|nho|thuong|oi";
/* Even after a capital "PA": family talk, not a complaint ("PA mẹ ốm"). */
static const char FAMILY_STRONG[] =
    "me|ma|bo|vo|chong|oi|ui|ve|an|ngu|om|nho|thuong|yeu|di|dang o";
/* Done already: a request told about, not made ("gửi KS hôm qua rồi"). */
static const char PAST[] =
    "da nop|da gui|da dang ky|da lam|da xin|nop roi|gui roi|lam roi|"
    "dang ky roi|hom qua roi|roi ma|roi nhung|xong roi|lau roi|tu hom";
static const char PAST_START[] =
    "roi|hom qua|hom kia|hom truoc|tuan truoc|thang truoc|lau roi|tu hom|"
    "da|xong";
/* What complaints are about, so "pa duong ngap" counts. */
#define CIVIC_TOPIC \
    "duong|dien|nuoc|ngap|rac|o nhiem|bui|khoi|mui|on ao|tieng on|karaoke|" \
    "loa|hong|xuong cap|lun|ho ga|cong|muong|cau|den|chieu sang|cay|" \
    "lan chiem|xay dung|trai phep|vi pham|dat|trat tu|an ninh|trom|" \
    "danh nhau|thai do|nhung nhieu|gay kho|benh|dich|chay|sat lo|" \
    "nguy hiem|tai nan|hang xom|chan nuoi|nuoc thai|rac thai|mat dien|" \
    "cup dien|mat nuoc|o ga|tac|vo|ngo|xe tai|toc do"
static const char CIVIC[] = CIVIC_TOPIC "|can bo|cham tre|tre han|qua han|"
    "giai quyet|thon|xom|ap|khu pho|to dan pho|ubnd|xa|chinh quyen";
static const char CIVIC_ONLY[] = CIVIC_TOPIC;
static const char SCHEDULE_ASK[] =
    "lich tiep|lich lam viec|gio lam viec|gio hanh chinh|lam viec tu|"
    "lam viec vao|lam viec may gio|may gio lam|may gio mo|co lam viec|"
    "lam viec khong|mo cua|gio mo cua|nghi trua|tiep dan|tiep cong dan|"
    "lam viec thu|lam viec chu nhat|lam viec ngay|gio tiep";
/* "mấy giờ xã làm việc": a when-question about opening. */
static const char WHEN[] =
    "may gio|gio nao|luc nao|thu may|ngay nao|thu bay|thu 7|chu nhat|"
    "cuoi tuan|sang thu|chieu thu|hom nay|ngay mai|ngay le|dip tet|tet";
static const char OPENING[] =
    "lam viec|mo cua|tiep dan|tiep cong dan|truc|nghi le|nghi tet|"
    "lam khong|co lam|lam gio";
/* All LICH may be followed by ("lịch tiêm chủng" is not ours). */
static const char SCHEDULE_ARG[] =
    "tiep|dan|cong dan|lam viec|cong tac|hanh chinh|mot cua|truc|lam|"
    "nghi|le|tet|xa|ubnd|phuong|cua|cua xa|bo phan|tuan|thu|nay|sau|"
    "hom nay|ngay mai|sang|chieu|gio|a|nhe|nha|the nao|sao|ra sao|ntn|"
    "2|3|4|5|6|7|chu nhat|bay|hai|ba|tu|nam";
static const char PROCS_ASK[] =
    "nhung thu tuc|thu tuc nao|danh sach thu tuc|cac thu tuc|thu tuc gi|"
    "lam duoc gi|lam duoc nhung gi|dich vu nao|nhung dich vu";
/* Politeness that carries no meaning at either end of an argument. */
static const char FILLER[] =
    "a|nhe|nha|nhen|voi|giup|giup toi|giup em|giup chau|cho toi|cho em|"
    "cua toi|cua em|di|ah|ak|ad|oi|ne|nhe a|nha a|gium|dum|ho|cam on|"
    "xin cam on|camon|thanks|tks";
/* After TUCHOI/STOP/HUY: words that keep it a plain opt-out. */
static const char OPTOUT_WITH[] =
    "tin|tin nhan|nhan tin|nhan|tn|sms|thong bao|tb|quang cao|qc|dich vu|"
    "dv|dang ky|dk|het|tat ca|all|nua|a|nhe|nha|giup|giup toi|di|ngay|"
    "tu nay|tu xa|tu so nay|tu ubnd|cua xa|nay|so nay|spam|bao|tin bao";
static const char OPTIN_WITH[] =
    "tin|tin nhan|nhan tin|nhan|tn|sms|thong bao|tb|lai|nhan lai|a|nhe|nha|"
    "giup|di|tiep|so nay";
/* Only what comes before a procedure after NOP/GUI. */
static const char SUBMIT_LEAD[] =
    "ho so|hs|don|yeu cau|thu tuc|tt|to khai|xin|de nghi|giay|lam|cap|"
    "dang ky|dk";
/* Words of a procedure name too common to identify one on their own. */
static const char GENERIC[] =
    "dang|ky|cap|xac|nhan|lai|giay|to|ban|sao|lam|xin|cho|va|cua|tu|ho|so|"
    "thu|tuc|don|tinh|trang|chung|moi|the";
/* Openings of a letter, followed by the addressee. */
static const char SALUTE[] =
    "kinh gui|kinh chao|xin chao|chao|gui|thua|em chao|chau chao|toi chao|"
    "con chao|dear|hello|hi|alo|a lo|allo|vang";
static const char ADDRESSEE[] =
    "ubnd xa|ubnd phuong|ubnd|uy ban nhan dan xa|uy ban nhan dan|uy ban|"
    "bo phan mot cua|bo phan tiep nhan|mot cua|can bo xa|can bo|"
    "cac anh chi|anh chi|cac anh|cac chi|anh|chi|em|ong|ba|co|chu|bac|ad|"
    "admin|quy co quan|quy|lanh dao|xa|phuong|moi nguoi|mn|ca nha|oi|a|nhe";
static const char ASKING[] =
    "cho hoi chut|cho em hoi|cho toi hoi|cho chau hoi|cho minh hoi|"
    "cho con hoi|cho hoi|xin hoi|em hoi|toi hoi|hoi chut|em muon hoi|"
    "toi muon hoi";
/* The speaker before a command: "Em gửi KS ...", "tôi xin nộp ...". */
static const char SUBJECT[] =
    "em xin|toi xin|chau xin|minh xin|toi muon|em muon|chau muon|em|toi|"
    "chau|minh|tui|chung toi|xin|muon|xin phep";
static const char FORWARD[] = "fwd|fw|chuyen tiep|tin chuyen tiep";
/*
 * Around an opt-out or opt-in sentence (optout_phrase, optin_phrase in
 * the keywords file). Right before it, words that turn it around: "không
 * muốn dừng nhận tin", "đừng hủy nhận tin", "để ngừng nhận tin soạn ...".
 */
static const char PHRASE_NOT_BEFORE[] =
    "khong|ko|k|kg|khg|chang|chua|da|dung|khoi|dung co|khong muon|ko muon|"
    "k muon|khong can|ko can|khong phai|de|thi|neu|khi|cach|vua|van|sao|"
    "tai sao|vi sao|lam sao|muon biet|chi|moi";
/* After it, up to the end of its clause: only who, whence and politeness. */
static const char PHRASE_TAIL[] =
    "nua|cho toi|cho em|cho minh|cho chau|cho so nay|cho so cua toi|"
    "den so nay|vao so nay|toi|em|minh|so nay|so dien thoai nay|nay|"
    "cua xa|tu xa|cua ubnd|cua ubnd xa|tu ubnd|tu ubnd xa|xa|ubnd|"
    "ubnd xa|tong dai|tong dai nay|nhe|nha|a|giup|giup toi|giup em|voi|di|"
    "ah|ak|oi|ngay|luon|het|tat ca|lai|tro lai|tiep|duoc khong|dc khong|"
    "duoc ko|dc ko|duoc k|dc k|duoc hong|cam on|xin cam on|nhan|tin|"
    "tin nhan|thong bao|quang cao|sms|ve|tu nay|tu gio|tu nay ve sau|"
    "tu bay gio|hoai|mai|phien|qua|nhieu qua|lam|dum|gium|ho|nhe a|nha a|"
    "vay|the|xin|lam on|vui long|ca|cac|moi|bat ky|nao|gi|bao|tb|dinh ky|"
    "hang ngay|hang thang|thuong xuyen|tu so nay|tu so|tu dau so nay|"
    "tu tong dai|tu ubnd|"
    /* Telex left unconverted: "nuwax", "nhawns", "tooi". */
    "nuwa|nuwax|nwa|nwax|nhawn|nhawns|tin nhawns|tooi|cho tooi|xax|cuar xax";
/* A capitalised stop word after these is a name: "anh Dũng nhắn tin". */
static const char TITLE[] =
    "anh|chi|em|ong|ba|co|chu|bac|thang|con|be|ban|cau|di|thim|mo|duong|"
    "o|a|gap|voi|va|cung";
/* A question that asks politely for it is a request: "... được không?". */
static const char POLITE[] =
    "duoc khong|dc khong|duoc ko|dc ko|duoc k|dc k|duoc hong|duoc kg|"
    "co the|giup|gium|dum|lam on|vui long";
static const char HOWWHY[] =
    "lam sao|the nao|nhu the nao|cach nao|cach|tai sao|vi sao|sao|o dau|"
    "bao gio|khi nao|co phai|phai khong|la gi|bao nhieu|muon biet";
/*
 * Folded words of those sentences that other words fold to as well, and
 * how they are spelled when meant: "dùng tin nhắn", "Dũng nhắn tin",
 * "chán tin nhắn" are not "dừng", "đừng", "chặn". Unmarked is accepted.
 */
static const struct {
	const char	*folded, *marked;
} spellings[] = {
	{ "dung", "đừng|dừng" },	{ "ngung", "ngừng|ngưng" },
	{ "thoi", "thôi" },		{ "khoi", "khỏi" },
	{ "huy", "hủy|huỷ" },		{ "tat", "tắt" },
	{ "chan", "chặn" },		{ "nhan", "nhận|nhắn" },
	{ "gui", "gửi" },		{ "tin", "" },
	{ "lai", "lại" },		{ "muon", "muốn" },
	{ "bat", "bật" },		{ "mo", "mở" },
	{ "nua", "nữa" },		{ "khong", "không" },
	{ "thong", "thông" },		{ "bao", "báo" },
	{ "tiep", "tiếp" },		{ "tuc", "tục" },
};
/* The word before a procedure code typed in lowercase: "lệ phí ks". */
static const char PROC_CONTEXT[] =
    "lam|phi|nop|gui|xin|tt|tuc|hs|so|ky|ki|dk|cap|mau|khai|ve";
/* Request data: who it is for ("cho cháu Lê Văn Nam"). */
static const char KIN[] =
    "con|chau|be|bo|me|cha|ong|ba|vo|chong|anh|chi|em|cu|ten|ho ten";
/* When something was done; after "sinh", "mất" it is the event's date. */
static const char PAST_TIME[] =
    "hom qua|hom kia|hom truoc|tuan truoc|thang truoc|lan truoc|tu hom|"
    "tuan roi|thang roi|may hom nay|may hom truoc";
static const char EVENT[] = "sinh|mat|qua doi|tu tran|chet|ra doi";
/* How long or how much: a question about a procedure, not about a case. */
static const char DURATION[] =
    "bao lau|may ngay|bao nhieu ngay|mat bao lau|het bao lau|lau khong|"
    "bao lau thi|trong bao lau|bao nhieu|le phi|phi|bao gio xong|"
    "khi nao xong|bao gio thi xong|khi nao thi xong|bao gio co|khi nao co";
/* Whose: "khai sinh của con tôi xong chưa" asks about a case. */
static const char OWNED[] =
    "cua toi|cua em|cua minh|cua chau|cua con|con toi|con em|nha toi|"
    "nha em|cua gia dinh";
/* Short words that are not mistyped commands: no suggestion for them. */
static const char NOT_CMD[] =
    "ok|oke|okay|okie|oki|ad|admin|dc|ko|k|kg|khg|hk|hok|ck|vk|ny|mn|mk|bn|"
    "sdt|tks|thks|ty|hj|hix|hic|nv|cv|ubnd|cccd|cmnd|ks|kt|bs|ct|hn|tb|ds|"
    "vs|bt|bh|hi|hu|uh|um|hm|hmm|zalo|fb|sms|tn|vn|tp|qh|stt|dt|dd|fwd|fw";
/* Greetings and thanks: a message of only these is help. */
static const char CHATTER[] =
    "alo|allo|a|lo|chao|xin|hello|helo|hi|hey|ok|oke|okay|okie|oki|vang|da|"
    "u|uh|um|ah|ak|cam|on|camon|thank|thanks|thankyou|you|tks|thks|ty|nhieu|"
    "nhe|nha|nhen|anh|chi|em|ban|ong|ba|co|chu|bac|ad|admin|xa|ubnd|can|bo|"
    "oi|vay|roi|duoc|dc|tot|good|bye|tam|biet|gui|loi|chuc|suc|khoe|ngay|"
    "moi|nguoi|mn|ca|ha|hihi|haha|hehe|kinh|quy|vi|cac|ro|hieu|r|oh|"
    "vui|lam|sang|chieu|toi|buoi|tuan";

/* Command words for suggestions, in tie-break order. */
static const struct {
	const char	*word, *shown;
} commands[] = {
	{ "tc", "TC" },		{ "nop", "NOP" },	{ "hd", "HD" },
	{ "tt", "TT" },		{ "lich", "LICH" },	{ "tracuu", "TRACUU" },
	{ "hs", "HS" },		{ "pa", "PA" },		{ "gui", "GUI" },
	{ "help", "HELP" },	{ "dk", "DK" },		{ "tuchoi", "TUCHOI" },
	{ "stop", "STOP" },	{ "huy", "HUY" },
};
#define NCOMMANDS	(sizeof(commands) / sizeof(commands[0]))

static int	is_syllable(const char *, size_t);
static int	spelled(const struct cls *, size_t, const char *const *);
static int	orig_lower_marked(const struct cls *, size_t);
static int	check_status(struct cls *, const struct hit *);
static int	check_submit(struct cls *, const struct hit *);
static int	check_feedback(struct cls *, const struct hit *);
static int	check_procedure(struct cls *, const struct hit *);
static int	check_accept(struct cls *, const struct hit *);
static int	check_schedule(struct cls *, const struct hit *);
static int	check_optout(struct cls *, const struct hit *);
static int	check_optin(struct cls *, const struct hit *);
static int	check_rating(struct cls *, const struct hit *);
static int	check_phrase(struct cls *, const struct hit *);

static const check_fn checks[] = {
	[INTENT_UNKNOWN] = NULL,		[INTENT_HELP] = check_accept,
	[INTENT_STATUS] = check_status,		[INTENT_SUBMIT] = check_submit,
	[INTENT_FEEDBACK] = check_feedback,
	[INTENT_PROCEDURES] = check_accept,
	[INTENT_PROCEDURE] = check_procedure,
	[INTENT_SCHEDULE] = check_schedule,	[INTENT_OPTOUT] = check_optout,
	[INTENT_OPTIN] = check_optin,		[INTENT_RATING] = check_rating,
};

/* ---- Small character helpers ---- */

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_alpha(int c)
{
	return c >= 'a' && c <= 'z';
}

static int
is_alnum(int c)
{
	return is_digit(c) || is_alpha(c);
}

static int
to_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* ---- Loading the keywords file ---- */

const char *
intent_name(enum intent_kind k)
{
	return (size_t)k < NKINDS ? kind_names[k] : "unknown";
}

int
intent_is_action(enum intent_kind k)
{
	return k == INTENT_SUBMIT || k == INTENT_FEEDBACK ||
	    k == INTENT_OPTOUT || k == INTENT_OPTIN;
}

static int
kind_by_name(const char *s, size_t n, enum rule_mode *mode)
{
	size_t	i;

	*mode = MODE_COMMAND;
	for (i = 1; i < NKINDS; i++)
		if (strlen(kind_names[i]) == n &&
		    memcmp(kind_names[i], s, n) == 0)
			return (int)i;
	for (i = 0; i < NMODES; i++)
		if (strlen(mode_names[i].name) == n &&
		    memcmp(mode_names[i].name, s, n) == 0) {
			*mode = mode_names[i].mode;
			return (int)mode_names[i].kind;
		}
	return -1;
}

static int
rules_add(struct intent_rules *r, enum intent_kind kind, enum rule_mode mode,
    pcre2_code *re)
{
	struct rule	*nr;
	size_t		 cap;
	int		 arg;

	if (r->n == r->cap) {
		cap = r->cap ? r->cap * 2 : 16;
		if ((nr = realloc(r->rule, cap * sizeof(*nr))) == NULL)
			return -1;
		r->rule = nr;
		r->cap = cap;
	}
	arg = pcre2_substring_number_from_name(re, (PCRE2_SPTR)"arg");
	r->rule[r->n].kind = kind;
	r->rule[r->n].mode = mode;
	r->rule[r->n].re = re;
	r->rule[r->n].arg = arg > 0 ? arg : 0;
	r->n++;
	return 0;
}

/* 1 if re matches the empty message: such a rule would catch everything. */
static int
matches_empty(pcre2_code *re)
{
	pcre2_match_data	*md;
	int			 rc;

	if ((md = pcre2_match_data_create_from_pattern(re, NULL)) == NULL)
		return 0;
	rc = pcre2_match(re, (PCRE2_SPTR)"", 0, 0, 0, md, NULL);
	pcre2_match_data_free(md);
	return rc >= 0;
}

/* Compiles one pattern; NULL with the reason in why. */
static pcre2_code *
compile(const char *pat, size_t n, char *why, size_t whylen)
{
	PCRE2_UCHAR	 msg[160];
	PCRE2_SIZE	 off;
	pcre2_code	*re;
	size_t		 i;
	int		 rc;

	for (i = 0; i < n; i++)
		if ((unsigned char)pat[i] >= 0x80) {
			snprintf(why, whylen, "pattern is not ASCII: rules "
			    "match the folded text, write it without "
			    "diacritics");
			return NULL;
		}
	re = pcre2_compile((PCRE2_SPTR)pat, n, PCRE2_CASELESS, &rc, &off, NULL);
	if (re == NULL) {
		pcre2_get_error_message(rc, msg, sizeof(msg));
		snprintf(why, whylen, "bad pattern at offset %zu: %s",
		    (size_t)off, (char *)msg);
		return NULL;
	}
	/* JIT is a speed-up only: without it pcre2_match interprets. */
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	if (matches_empty(re)) {
		pcre2_code_free(re);
		snprintf(why, whylen, "pattern matches an empty message");
		return NULL;
	}
	return re;
}

/* One line [s, e): a rule, a comment or nothing. 0, or -1 with why set. */
static int
load_line(struct intent_rules *r, const char *s, const char *e, char *why,
    size_t whylen)
{
	const char	*k;
	pcre2_code	*re;
	enum rule_mode	 mode;
	int		 kind;

	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	if (s == e || *s == '#')
		return 0;
	for (k = s; k < e && *k != ' ' && *k != '\t'; k++)
		;
	if ((kind = kind_by_name(s, (size_t)(k - s), &mode)) < 0) {
		snprintf(why, whylen, "unknown intent \"%.*s\" (status, "
		    "submit, submit_verb, feedback, procedure, procedures, "
		    "schedule, help, optout, optout_phrase, optin, "
		    "optin_phrase, rating)", (int)(k - s), s);
		return -1;
	}
	while (k < e && (*k == ' ' || *k == '\t'))
		k++;
	if (k == e) {
		snprintf(why, whylen, "missing pattern after \"%.*s\"",
		    (int)(k - s), s);
		return -1;
	}
	if ((re = compile(k, (size_t)(e - k), why, whylen)) == NULL)
		return -1;
	if (rules_add(r, kind, mode, re) == -1) {
		pcre2_code_free(re);
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	return 0;
}

/* One match data sized for the rule with the most groups. */
static int
rules_finish(struct intent_rules *r)
{
	uint32_t	top, groups;
	size_t		i;

	for (top = 0, i = 0; i < r->n; i++) {
		pcre2_pattern_info(r->rule[i].re, PCRE2_INFO_CAPTURECOUNT,
		    &groups);
		if (groups > top)
			top = groups;
	}
	if ((r->md = pcre2_match_data_create(top + 1, NULL)) == NULL ||
	    (r->mctx = pcre2_match_context_create(NULL)) == NULL)
		return -1;
	pcre2_set_match_limit(r->mctx, MATCH_LIMIT);
	return 0;
}

struct intent_rules *
intent_rules_load(const char *name, const char *text, char *err,
    size_t errlen)
{
	struct intent_rules	*r;
	const char		*s, *e;
	char			 why[256];
	int			 line = 0;

	if (name == NULL)
		name = "keywords.txt";
	if (text == NULL || (r = calloc(1, sizeof(*r))) == NULL) {
		snprintf(err, errlen, "%s: %s", name,
		    text == NULL ? "no text" : "out of memory");
		return NULL;
	}
	for (s = text; *s != '\0'; s = *e != '\0' ? e + 1 : e) {
		e = s + strcspn(s, "\n");
		line++;
		if (load_line(r, s, e, why, sizeof(why)) == -1) {
			snprintf(err, errlen, "%s:%d: %s", name, line, why);
			intent_rules_free(r);
			return NULL;
		}
	}
	if (r->n == 0 || rules_finish(r) == -1) {
		snprintf(err, errlen, "%s: %s", name,
		    r->n == 0 ? "no rules" : "out of memory");
		intent_rules_free(r);
		return NULL;
	}
	return r;
}

void
intent_rules_free(struct intent_rules *r)
{
	size_t	i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		pcre2_code_free(r->rule[i].re);
	free(r->rule);
	pcre2_match_data_free(r->md);
	pcre2_match_context_free(r->mctx);
	free(r);
}

/* ---- Folding with a map back to the original ---- */

/* Bytes of the UTF-8 sequence at s (valid after text_nfc), at least 1. */
static size_t
cp_len(const char *s)
{
	unsigned char	c = (unsigned char)*s;
	size_t		n, i;

	n = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	for (i = 1; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			return i;
	return n;
}

/*
 * What one code point folds to, asking text_fold itself so the key is
 * exactly the one every other module builds: "x" + cp + "x" comes back as
 * "x x" for a separator, else the piece sits between the two x's.
 * Returns -1 for a separator, else the piece's length (0: a mark).
 */
static int
fold_piece_slow(const char *s, size_t n, char *piece, size_t cap)
{
	char	probe[8], out[32];
	int	len;

	probe[0] = 'x';
	memcpy(probe + 1, s, n);
	probe[n + 1] = 'x';
	probe[n + 2] = '\0';
	if ((len = text_fold(probe, out, sizeof(out))) < 2)
		return -1;
	if (strcmp(out, "x x") == 0)
		return -1;
	len -= 2;
	if ((size_t)len >= cap)
		len = (int)cap - 1;
	memcpy(piece, out + 1, (size_t)len);
	piece[len] = '\0';
	return len;
}

/*
 * The same, remembered for ASCII, which is most of every message: each
 * answer still comes from text_fold, once per character per process.
 */
static int
fold_piece(const char *s, size_t n, char *piece, size_t cap)
{
	static signed char	 known[128];	/* 0: not yet; else len + 2 */
	static char		 pieces[128][16];
	unsigned char		 ch = (unsigned char)s[0];
	int			 len;

	if (n != 1 || ch >= 0x80 || cap < sizeof(pieces[0]))
		return fold_piece_slow(s, n, piece, cap);
	if (known[ch] == 0) {
		len = fold_piece_slow(s, n, pieces[ch], sizeof(pieces[0]));
		known[ch] = (signed char)(len + 2);
	}
	memcpy(piece, pieces[ch], sizeof(pieces[0]));
	return known[ch] - 2;
}

static void
key_add(struct msg *m, const char *piece, size_t len, size_t from)
{
	size_t	i;

	for (i = 0; i < len && m->n + 1 < MSG_MAX; i++) {
		m->f[m->n] = piece[i];
		m->at[m->n++] = (uint16_t)from;
	}
}

static void
msg_words(struct msg *m)
{
	size_t	i = 0, s;

	m->nw = 0;
	while (i < m->n && m->nw < WORDS_MAX) {
		while (i < m->n && !is_alnum((unsigned char)m->f[i]))
			i++;
		for (s = i; i < m->n && is_alnum((unsigned char)m->f[i]); i++)
			;
		if (i > s) {
			m->w[m->nw].s = (uint16_t)s;
			m->w[m->nw++].n = (uint16_t)(i - s);
		}
	}
}

static void
msg_prepare(struct msg *m, const char *text)
{
	char	piece[16];
	size_t	i, len;
	int	k, pending = 0;

	/* An overlong text keeps a valid prefix: enough to classify. */
	if (text_nfc(text, m->orig, sizeof(m->orig)) < 0 && m->orig[0] == '\0')
		str_copy(m->orig, text, sizeof(m->orig));
	m->n = 0;
	for (i = 0; m->orig[i] != '\0'; i += len) {
		len = cp_len(m->orig + i);
		k = fold_piece(m->orig + i, len, piece, sizeof(piece));
		if (k < 0) {
			pending = m->n > 0;
			continue;
		}
		if (k > 0 && pending)
			key_add(m, " ", 1, i);
		if (k > 0)
			pending = 0;
		key_add(m, piece, (size_t)k, i);
	}
	m->f[m->n] = '\0';
	msg_words(m);
}

/* ---- Words and phrases ---- */

static const char *
wp(const struct cls *c, size_t i)
{
	return c->m.f + c->m.w[i].s;
}

static size_t
wn(const struct cls *c, size_t i)
{
	return c->m.w[i].n;
}

static int
word_is(const struct cls *c, size_t i, const char *s)
{
	return i < c->m.nw && strlen(s) == wn(c, i) &&
	    memcmp(wp(c, i), s, wn(c, i)) == 0;
}

static int
word_letters(const struct cls *c, size_t i)
{
	size_t	k;

	for (k = 0; k < wn(c, i); k++)
		if (!is_alpha((unsigned char)wp(c, i)[k]))
			return 0;
	return 1;
}

static int
word_has_digit(const struct cls *c, size_t i)
{
	size_t	k;

	for (k = 0; k < wn(c, i); k++)
		if (is_digit((unsigned char)wp(c, i)[k]))
			return 1;
	return 0;
}

/* Words of phrase ph[0..len) matched from word i on, or 0. */
static size_t
phrase_at(const struct cls *c, size_t i, const char *ph, size_t len)
{
	size_t	k = 0, p = 0, wl;

	while (p < len) {
		wl = strcspn(ph + p, " |");
		if (wl > len - p)
			wl = len - p;
		if (i + k >= c->m.nw || wn(c, i + k) != wl ||
		    memcmp(wp(c, i + k), ph + p, wl) != 0)
			return 0;
		k++;
		p += wl;
		while (p < len && ph[p] == ' ')
			p++;
	}
	return k;
}

/* Words of the longest phrase of list matched at word i, or 0. */
static size_t
list_at(const struct cls *c, size_t i, const char *list)
{
	size_t	len, k, best = 0;

	while (*list != '\0') {
		len = strcspn(list, "|");
		if ((k = phrase_at(c, i, list, len)) > best)
			best = k;
		list += len + (list[len] == '|');
	}
	return best;
}

/* First word in [from, to) where a phrase of list starts, or NONE. */
static size_t
list_find(const struct cls *c, size_t from, size_t to, const char *list,
    size_t *len)
{
	size_t	i, k;

	if (to > c->m.nw)
		to = c->m.nw;
	for (i = from; i < to; i++)
		if ((k = list_at(c, i, list)) > 0) {
			if (len != NULL)
				*len = k;
			return i;
		}
	return NONE;
}

/* The first word at or after i that list does not cover. */
static size_t
skip_list(const struct cls *c, size_t i, const char *list)
{
	size_t	k;

	while (i < c->m.nw && (k = list_at(c, i, list)) > 0)
		i += k;
	return i;
}

/* 1 if the words [i, nw) are all covered by phrases of list. */
static int
rest_in(const struct cls *c, size_t i, const char *list)
{
	return skip_list(c, i, list) >= c->m.nw;
}

/* 1 if every word before folded offset off is covered by list. */
static int
rest_before_in(const struct cls *c, size_t off, const char *list)
{
	size_t	i = 0, k;

	while (i < c->m.nw && c->m.w[i].s < off) {
		if ((k = list_at(c, i, list)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

/* Meaningful words and letters from word i on (FILLER not counted). */
static int
substantive(const struct cls *c, size_t i, size_t minw, size_t minl)
{
	size_t	words = 0, letters = 0, k;

	while (i < c->m.nw) {
		if ((k = list_at(c, i, FILLER)) > 0) {
			i += k;
			continue;
		}
		words++;
		letters += wn(c, i++);
	}
	return words >= minw && letters >= minl;
}

/*
 * "ở đâu" (where?) from word i on. It folds like "ở đầu" (at the end of:
 * "ở đầu ngõ 15"), so without accents only at the end of a clause.
 */
static int
asks_where(const struct cls *c, size_t i)
{
	static const char		 tail[] =
	    "a|vay|the|nhi|nhe|ha|nha|ah|ak|z|day|ta";
	static const char *const	 dau[] = { "đâu", NULL };

	for (; (i = list_find(c, i, c->m.nw, "o dau", NULL)) != NONE; i++) {
		if (!spelled(c, i + 1, dau))
			continue;
		if (orig_lower_marked(c, i + 1) || i + 2 >= c->m.nw ||
		    rest_in(c, i + 2, tail) ||
		    c->m.f[c->m.w[i + 1].s + 3] == '?')
			return 1;
	}
	return 0;
}

/* A question from word i on: '?', a question phrase, or its last word. */
static int
is_question(const struct cls *c, size_t i)
{
	size_t	from = i < c->m.nw ? c->m.w[i].s : c->m.n;

	if (c->asked || asks_where(c, i))
		return 1;
	if (memchr(c->m.f + from, '?', c->m.n - from) != NULL)
		return 1;
	if (list_find(c, i, c->m.nw, QUESTION, NULL) != NONE)
		return 1;
	return c->m.nw > i && list_at(c, c->m.nw - 1, QUESTION_END) == 1 &&
	    spelled(c, c->m.nw - 1, QUESTION_END_VI);
}

/* "làm sao để phản ánh ...", "phản ánh ở đâu": how to, not a complaint. */
static int
asks_how(const struct cls *c, size_t i)
{
	return asks_where(c, i) || (is_question(c, i) &&
	    list_find(c, i, c->m.nw, HOWTO, NULL) != NONE);
}

/* 1 if words from i on tell of something done ("... hôm qua rồi"). */
static int
past_tense(const struct cls *c, size_t i)
{
	if (i >= c->m.nw)
		return 0;
	return list_at(c, i, PAST_START) > 0 ||
	    list_find(c, i, c->m.nw, PAST, NULL) != NONE ||
	    word_is(c, c->m.nw - 1, "roi");
}

/* The first word starting at folded offset off or later. */
static size_t
word_at_off(const struct cls *c, size_t off)
{
	size_t	i;

	for (i = 0; i < c->m.nw; i++)
		if (c->m.w[i].s >= off)
			return i;
	return c->m.nw;
}

/* Where word i is in the original text: [*s, *e), its marks included. */
static void
orig_span(const struct cls *c, size_t i, const uint8_t **s, const uint8_t **e)
{
	utf8proc_int32_t	cp;
	utf8proc_ssize_t	n;
	const uint8_t		*p;

	*s = (const uint8_t *)c->m.orig + c->m.at[c->m.w[i].s];
	p = (const uint8_t *)c->m.orig + c->m.at[c->m.w[i].s + wn(c, i) - 1];
	p += cp_len((const char *)p);
	while (*p != '\0' && (n = utf8proc_iterate(p, -1, &cp)) > 0 &&
	    utf8proc_category(cp) == UTF8PROC_CATEGORY_MN)
		p += n;
	*e = p;
}

/* 1 if the original spelling of word i is in capitals ("PA", not "Pa"). */
static int
word_upper(const struct cls *c, size_t i)
{
	const uint8_t		*p, *e;
	utf8proc_int32_t	 cp;
	utf8proc_ssize_t	 n;

	orig_span(c, i, &p, &e);
	for (; p < e && (n = utf8proc_iterate(p, e - p, &cp)) > 0; p += n)
		if (utf8proc_islower(cp))
			return 0;
	return 1;
}

/* The original byte right after word i ("PA:" gives ':'), or NUL. */
static char
orig_after(const struct cls *c, size_t i)
{
	const uint8_t	*s, *e;

	orig_span(c, i, &s, &e);
	return (char)*e;
}

/*
 * Word i as the citizen wrote it, lowercased with its diacritics, into
 * out; 1 if it has any (non-ASCII) letter, 0 if plain ASCII.
 */
static int
orig_lower(const struct cls *c, size_t i, char *out, size_t cap)
{
	const uint8_t		*p, *e;
	utf8proc_int32_t	 cp;
	utf8proc_ssize_t	 n;
	size_t			 len = 0;
	int			 marked = 0;

	orig_span(c, i, &p, &e);
	while (p < e && (n = utf8proc_iterate(p, e - p, &cp)) > 0) {
		marked |= cp >= 0x80;
		if (len + 4 >= cap)
			break;
		len += (size_t)utf8proc_encode_char(utf8proc_tolower(cp),
		    (utf8proc_uint8_t *)out + len);
		p += n;
	}
	out[len] = '\0';
	return marked;
}

/* 1 if word i was written with diacritics. */
static int
orig_lower_marked(const struct cls *c, size_t i)
{
	char	w[64];

	return orig_lower(c, i, w, sizeof(w));
}

/* 1 if word i is written as one of words, or without diacritics. */
static int
spelled(const struct cls *c, size_t i, const char *const *words)
{
	char	w[64];

	if (!orig_lower(c, i, w, sizeof(w)))
		return 1;
	for (; *words != NULL; words++)
		if (strcmp(w, *words) == 0)
			return 1;
	return 0;
}

/* ---- Clauses ---- */

/* 1 if a clause mark (, . ; ! ? newline) stands between words j-1 and j. */
static int
clause_break(const struct cls *c, size_t j)
{
	const uint8_t	*s, *e, *p;

	if (j == 0 || j >= c->m.nw)
		return 1;
	orig_span(c, j - 1, &s, &e);
	for (p = e; p < (const uint8_t *)c->m.orig + c->m.at[c->m.w[j].s];
	    p++)
		if (strchr(",.;!?\n", *p) != NULL)
			return 1;
	return 0;
}

static size_t
clause_start(const struct cls *c, size_t i)
{
	while (i > 0 && !clause_break(c, i))
		i--;
	return i;
}

/* The first word after the clause of word i (nw at the end). */
static size_t
clause_end(const struct cls *c, size_t i)
{
	for (i++; i < c->m.nw && !clause_break(c, i); i++)
		;
	return i < c->m.nw ? i : c->m.nw;
}

/* 1 if the clause [s, e) asks something: '?', a question phrase or end. */
static int
clause_question(const struct cls *c, size_t s, size_t e)
{
	const uint8_t	*a, *b, *z;

	orig_span(c, s, &a, &b);
	if (e < c->m.nw)
		z = (const uint8_t *)c->m.orig + c->m.at[c->m.w[e].s];
	else
		z = (const uint8_t *)c->m.orig + strlen(c->m.orig);
	if (memchr(a, '?', (size_t)(z - a)) != NULL ||
	    list_find(c, s, e, QUESTION, NULL) != NONE)
		return 1;
	return e > s && list_at(c, e - 1, QUESTION_END) == 1 &&
	    spelled(c, e - 1, QUESTION_END_VI);
}

/* 1 if word i starts with a capital letter as the citizen wrote it. */
static int
orig_capital(const struct cls *c, size_t i)
{
	const uint8_t		*p, *e;
	utf8proc_int32_t	 cp;

	orig_span(c, i, &p, &e);
	return utf8proc_iterate(p, e - p, &cp) > 0 && utf8proc_isupper(cp);
}

/* ---- Output ---- */

static int
emit(struct cls *c, enum intent_kind kind, int score)
{
	c->out->kind = kind;
	c->out->score = score;
	return 1;
}

static void
set_arg(struct cls *c, const char *s)
{
	str_copy(c->out->arg, s, sizeof(c->out->arg));
}

/* The citizen's own text from word i to the end, trimmed. */
static void
set_arg_words(struct cls *c, size_t i)
{
	const char	*s;
	size_t		 n, cap = sizeof(c->out->arg) - 1;

	c->out->arg[0] = '\0';
	if (i >= c->m.nw)
		return;
	s = c->m.orig + c->m.at[c->m.w[i].s];
	/* Keep an opening quote or bracket the citizen put before it. */
	while (s > c->m.orig && (s[-1] == '(' || s[-1] == '"' || s[-1] == '\''))
		s--;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n' ||
	    s[n - 1] == '\r' || s[n - 1] == '\t'))
		n--;
	if (n > cap) {
		n = cap;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
		c->out->flags |= INTENT_F_TRUNCATED;
	}
	memcpy(c->out->arg, s, n);
	c->out->arg[n] = '\0';
}

static void
set_proc(struct cls *c, size_t p)
{
	str_copy(c->out->proc, c->ctx->procs[p].code, sizeof(c->out->proc));
}

static int
emit_procedure(struct cls *c, size_t p, int score)
{
	set_proc(c, p);
	set_arg(c, c->out->proc);
	return emit(c, INTENT_PROCEDURE, score);
}

/* ---- Case codes in the text ---- */

static size_t
prefix_lower(const struct cls *c, char *out, size_t cap)
{
	const char	*p = c->ctx->code_prefix;
	size_t		 n = 0;

	for (; p != NULL && *p != '\0' && n + 1 < cap; p++) {
		if (!is_alpha(to_lower((unsigned char)*p)))
			return 0;
		out[n++] = (char)to_lower((unsigned char)*p);
	}
	out[n] = '\0';
	return n;
}

/* "tcmc2500429": a status keyword glued to the code. */
static int
glued_keyword(const struct cls *c, size_t p)
{
	static const char *const kw[] = { "tc", "hs", "tracuu", "mhs", "ma" };
	const char	*f = c->m.f;
	size_t		 s = p, i;

	while (s > 0 && is_alpha((unsigned char)f[s - 1]))
		s--;
	if (s > 0 && is_digit((unsigned char)f[s - 1]))
		return 0;
	for (i = 0; i < sizeof(kw) / sizeof(kw[0]); i++)
		if (strlen(kw[i]) == p - s && memcmp(f + s, kw[i], p - s) == 0)
			return 1;
	return 0;
}

/* Our code at folded offset p ("mc 250 0429"): its end, or 0. */
static size_t
ours_at(const struct cls *c, size_t p, char *out, size_t cap)
{
	const char	*f = c->m.f;
	char		 pfx[16];
	size_t		 plen, q, nd = 0;

	if ((plen = prefix_lower(c, pfx, sizeof(pfx))) == 0 ||
	    strncmp(f + p, pfx, plen) != 0)
		return 0;
	if (p > 0 && is_alnum((unsigned char)f[p - 1]) && !glued_keyword(c, p))
		return 0;
	q = p + plen;
	if (f[q] == ' ')
		q++;
	str_copy(out, c->ctx->code_prefix, cap);
	/* Digit groups join while the code is still short ("250 0429"). */
	while (q < c->m.n && nd < 12) {
		if (f[q] == ' ' && nd > 0 && nd < 7 &&
		    is_digit((unsigned char)f[q + 1]))
			q++;
		if (!is_digit((unsigned char)f[q]))
			break;
		if (strlen(out) + 1 < cap)
			strncat(out, f + q, 1);
		q++;
		nd++;
	}
	if (nd < 5 || is_alnum((unsigned char)f[q]))
		return 0;
	return casecode_canon(out, out, cap) < 0 ? 0 : q;
}

/* shape: d digit, l letter, ' ' an optional space. End offset or 0. */
static size_t
shape_at(const struct cls *c, size_t p, const char *shape)
{
	const char	*f = c->m.f;

	if (p > 0 && is_alnum((unsigned char)f[p - 1]))
		return 0;
	for (; *shape != '\0'; shape++) {
		if (*shape == ' ') {
			p += f[p] == ' ';
			continue;
		}
		if (*shape == 'd' ? !is_digit((unsigned char)f[p]) :
		    !is_alpha((unsigned char)f[p]))
			return 0;
		p++;
	}
	return is_alnum((unsigned char)f[p]) ? 0 : p;
}

/* A national code, or its short form when unit_code allows one. */
static size_t
national_at(const struct cls *c, size_t p, char *out, size_t cap)
{
	char	raw[64], tmp[64];
	size_t	e;
	int	isshort = 0;

	if ((e = shape_at(c, p, "ddd dd dd ldd dddddd dddd")) == 0) {
		if ((e = shape_at(c, p, "dddddd dddd")) == 0)
			return 0;
		isshort = 1;
	}
	str_copyn(raw, sizeof(raw), c->m.f + p, e - p);
	if (isshort && casecode_expand_short(raw, c->ctx->unit_code, tmp,
	    sizeof(tmp)) != 1)
		return 0;
	return casecode_canon(raw, out, cap) < 0 ? 0 : e;
}

/* The first case code from word i on, canonical in out: its folded
 * offset, or NONE. */
static size_t
code_pos(const struct cls *c, size_t i, char *out, size_t cap)
{
	size_t	p;

	if (i >= c->m.nw)
		return NONE;
	for (p = c->m.w[i].s; p < c->m.n; p++)
		if (ours_at(c, p, out, cap) > 0 ||
		    national_at(c, p, out, cap) > 0)
			return p;
	return NONE;
}

static int
find_code(const struct cls *c, size_t i, char *out, size_t cap)
{
	return code_pos(c, i, out, cap) != NONE;
}

/* 1 if word j directly follows word j-1 with a single separator. */
static int
adjacent(const struct cls *c, size_t j)
{
	return c->m.w[j].s == c->m.w[j - 1].s + c->m.w[j - 1].n + 1 &&
	    c->m.f[c->m.w[j].s - 1] == ' ';
}

/*
 * After TC, whatever looks like a code of any format ("ABC-123",
 * "2500429"): a short letters word, then adjacent words with digits.
 * 7-8 bare digits are ours without the prefix. 1 and the canonical code
 * in out, or 0.
 */
static int
codeish_at(const struct cls *c, size_t i, char *out, size_t cap)
{
	char	raw[48];
	size_t	k = i, len = 0;

	if (i >= c->m.nw)
		return 0;
	/* "lớp 5" is no code: the letters must not be a Vietnamese word. */
	if (word_letters(c, k) && wn(c, k) <= 8 && k + 1 < c->m.nw &&
	    !is_syllable(wp(c, k), wn(c, k)) &&
	    word_has_digit(c, k + 1) && adjacent(c, k + 1)) {
		memcpy(raw, wp(c, k), wn(c, k));
		len = wn(c, k++);
	}
	if (!word_has_digit(c, k))
		return 0;
	for (; k < c->m.nw && word_has_digit(c, k) &&
	    (k == i || adjacent(c, k)); k++) {
		if (len + wn(c, k) >= sizeof(raw))
			break;
		memcpy(raw + len, wp(c, k), wn(c, k));
		len += wn(c, k);
	}
	raw[len] = '\0';
	if (len < 4)
		return 0;
	if (len >= 7 && len <= 8 && strspn(raw, "0123456789") == len &&
	    c->ctx->code_prefix != NULL)
		snprintf(out, cap, "%s%s", c->ctx->code_prefix, raw);
	else
		str_copy(out, raw, cap);
	return casecode_canon(out, out, cap) >= 0;
}

/* ---- Procedures ---- */

struct phrase {
	const char	*w[NAME_WORDS];
	size_t		 n[NAME_WORDS];
	size_t		 nw;
};

static void
phrase_split(char *s, struct phrase *ph)
{
	char	*tok, *save = NULL;

	ph->nw = 0;
	for (tok = strtok_r(s, " ", &save); tok != NULL && ph->nw < NAME_WORDS;
	    tok = strtok_r(NULL, " ", &save)) {
		ph->w[ph->nw] = tok;
		ph->n[ph->nw++] = strlen(tok);
	}
}

/* Words shared from message word i and phrase word j on. */
static size_t
run_len(const struct cls *c, size_t i, const struct phrase *ph, size_t j)
{
	size_t	k = 0;

	while (i + k < c->m.nw && j + k < ph->nw &&
	    wn(c, i + k) == ph->n[j + k] &&
	    memcmp(wp(c, i + k), ph->w[j + k], ph->n[j + k]) == 0)
		k++;
	return k;
}

/* 1 if one of the phrase words [j, j+k) names something on its own. */
static int
run_specific(const struct phrase *ph, size_t j, size_t k)
{
	const char	*g;
	size_t		 len;
	int		 generic;

	for (; k > 0; j++, k--) {
		generic = 0;
		for (g = GENERIC; *g != '\0'; g += len + (g[len] == '|')) {
			len = strcspn(g, "|");
			if (len == ph->n[j] && memcmp(g, ph->w[j], len) == 0)
				generic = 1;
		}
		if (!generic)
			return 1;
	}
	return 0;
}

/* How well one name or alias matches the message. */
struct proc_hit {
	size_t	p, ps, pe;	/* procedure; its longest run, words [ps, pe) */
	size_t	score;		/* words covered by all its runs */
	int	specific;	/* a run names something on its own */
};

/*
 * The runs of one name or alias in message words [from, to), left to
 * right: 2 shared words or more (a whole alias). "chứng thực 5 bản sao"
 * covers 4 words of CT's name, 2 of BS's.
 */
static void
proc_phrase(const struct cls *c, const char *text, int alias, size_t from,
    size_t to, struct proc_hit *h)
{
	struct phrase	ph;
	char		buf[256];
	size_t		i, j, k, best, bj, need;

	h->score = 0;
	h->specific = 0;
	if (text_fold(text, buf, sizeof(buf)) < 0)
		return;
	phrase_split(buf, &ph);
	need = alias ? ph.nw : ph.nw < 2 ? ph.nw : 2;
	for (i = from; i < to && ph.nw > 0; i += best > 0 ? best : 1) {
		for (best = bj = 0, j = 0; j < (alias ? 1 : ph.nw); j++)
			if ((k = run_len(c, i, &ph, j)) > best) {
				best = k;
				bj = j;
			}
		if (best < need) {
			best = 0;
			continue;
		}
		if (best > h->pe - h->ps || h->score == 0) {
			h->ps = i;
			h->pe = i + best;
		}
		h->score += best;
		h->specific |= alias || run_specific(&ph, bj, best);
	}
}

/* The better of a procedure's name and aliases. */
static void
proc_score(const struct cls *c, size_t p, size_t from, size_t to,
    struct proc_hit *h)
{
	const struct intent_proc	*pr = &c->ctx->procs[p];
	struct proc_hit			 a = { p, 0, 0, 0, 0 };
	char				 al[256], *tok, *save = NULL;

	*h = a;
	if (pr->name != NULL)
		proc_phrase(c, pr->name, 0, from, to, h);
	if (pr->aliases == NULL)
		return;
	str_copy(al, pr->aliases, sizeof(al));
	for (tok = strtok_r(al, "|", &save); tok != NULL;
	    tok = strtok_r(NULL, "|", &save)) {
		proc_phrase(c, tok, 1, from, to, &a);
		if (a.score > h->score)
			*h = a;
	}
}

/*
 * The procedure a message names in words [from, to): the one whose name
 * covers most words. A tie names none, and so does a win by generic
 * words only ("bản sao giấy khai sinh" is no clearer for KS than for BS).
 * Returns the index or NONE; *ps, *pe get its longest run.
 */
static size_t
proc_find(const struct cls *c, size_t from, size_t to, size_t *ps,
    size_t *pe)
{
	struct proc_hit	best = { NONE, 0, 0, 0, 0 }, h;
	size_t		p;
	int		tie = 0;

	if (to > c->m.nw)
		to = c->m.nw;
	for (p = 0; p < c->ctx->nprocs; p++) {
		if (c->ctx->procs[p].code == NULL)
			continue;
		proc_score(c, p, from, to, &h);
		if (h.score == 0 || h.score < best.score)
			continue;
		tie = h.score == best.score;
		if (!tie)
			best = h;
	}
	if (best.p == NONE || tie || !best.specific)
		return NONE;
	*ps = best.ps;
	*pe = best.pe;
	return best.p;
}

/* The procedure whose code word i is ("KS", "ks"), or NONE. */
static size_t
proc_code_at(const struct cls *c, size_t i)
{
	const char	*code;
	size_t		 p, k;

	if (i >= c->m.nw)
		return NONE;
	for (p = 0; p < c->ctx->nprocs; p++) {
		code = c->ctx->procs[p].code;
		if (code == NULL || strlen(code) != wn(c, i))
			continue;
		for (k = 0; k < wn(c, i); k++)
			if (to_lower((unsigned char)code[k]) != wp(c, i)[k])
				break;
		if (k == wn(c, i))
			return p;
	}
	return NONE;
}

/*
 * A procedure code the citizen typed as one, in [from, to): in capitals
 * ("phí làm HN"), or in lowercase after a word about paperwork ("lệ phí
 * ks"), since "ks", "bs", "hn" are also everyday abbreviations. A code
 * typed wins over any procedure the words name. Index or NONE, *at its
 * word.
 */
static size_t
proc_typed(const struct cls *c, size_t from, size_t to, size_t *at)
{
	size_t	i, p;

	if (to > c->m.nw)
		to = c->m.nw;
	for (i = from; i < to; i++) {
		if ((p = proc_code_at(c, i)) == NONE)
			continue;
		if ((wn(c, i) >= 2 && word_upper(c, i)) || (i > 0 &&
		    !is_syllable(wp(c, i), wn(c, i)) &&
		    list_at(c, i - 1, PROC_CONTEXT) == 1)) {
			*at = i;
			return p;
		}
	}
	return NONE;
}

/* The procedure a message refers to: a typed code, else by its name. */
static size_t
proc_ref(const struct cls *c, size_t from, size_t to, size_t *ps, size_t *pe)
{
	size_t	p;

	if ((p = proc_typed(c, from, to, ps)) != NONE) {
		*pe = *ps + 1;
		return p;
	}
	return proc_find(c, from, to, ps, pe);
}

/* ---- Vietnamese words and near misses ---- */

/* 1 if w could be one Vietnamese syllable written without diacritics. */
static int
is_syllable(const char *w, size_t n)
{
	static const char *const onset[] = { "ngh", "ng", "nh", "ch", "gh",
	    "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "g", "h", "k",
	    "l", "m", "n", "p", "r", "s", "t", "v", "x", "" };
	static const char *const coda[] = { "ch", "ng", "nh", "c", "m", "n",
	    "p", "t", "" };
	size_t	i, j, o, v;

	for (i = 0; i < sizeof(onset) / sizeof(onset[0]); i++) {
		o = strlen(onset[i]);
		if (o > n || memcmp(w, onset[i], o) != 0)
			continue;
		for (v = o; v < n && strchr("aeiouy", w[v]) != NULL; v++)
			;
		if (v == o || v - o > 3)
			continue;
		for (j = 0; j < sizeof(coda) / sizeof(coda[0]); j++)
			if (strlen(coda[j]) == n - v &&
			    memcmp(w + v, coda[j], n - v) == 0)
				return 1;
	}
	return 0;
}

/* Edit distance with adjacent swaps (optimal string alignment). */
static size_t
osa(const char *a, size_t n, const char *b, size_t m)
{
	size_t	d[17][17], i, j, x;

	if (n > 16 || m > 16)
		return 99;
	for (i = 0; i <= n; i++)
		d[i][0] = i;
	for (j = 0; j <= m; j++)
		d[0][j] = j;
	for (i = 1; i <= n; i++)
		for (j = 1; j <= m; j++) {
			x = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < x)
				x = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < x)
				x = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < x)
				x = d[i - 2][j - 2] + 1;
			d[i][j] = x;
		}
	return d[n][m];
}

/* The command word w mistypes, or NULL (an exact command is no typo). */
static const char *
suggest(const char *w, size_t n)
{
	size_t	i, d, best = 99, limit, cl;
	const char *shown = NULL;

	for (i = 0; i < NCOMMANDS; i++) {
		cl = strlen(commands[i].word);
		d = osa(w, n, commands[i].word, cl);
		if (d == 0)
			return NULL;
		/* 1 for a word of 2-3 letters (and for 2-letter commands:
		 * two edits turn "thuc" into "tc"), else 2. */
		limit = n <= 3 || cl <= 2 ? 1 : 2;
		if (d <= limit && d < best) {
			best = d;
			shown = commands[i].shown;
		}
	}
	return shown;
}

/* ---- Keyword rules and their checks ---- */

static int
check_accept(struct cls *c, const struct hit *h)
{
	(void)h;
	return emit(c, c->out->kind, 100);
}

static int
check_status(struct cls *c, const struct hit *h)
{
	char	code[CASECODE_MAX * 4];
	size_t	p, ps, pe;

	if (find_code(c, h->a, code, sizeof(code)) ||
	    codeish_at(c, h->a, code, sizeof(code))) {
		set_arg(c, code);
		return emit(c, INTENT_STATUS, 100);
	}
	if (rest_in(c, h->a, FILLER) || rest_in(c, h->a, STATUS_REST))
		return emit(c, INTENT_STATUS, 80);
	if (list_find(c, h->a, c->m.nw, NEG_CONTEXT, NULL) != NONE)
		return 0;
	if (list_find(c, h->a, c->m.nw, STATUS_ASK, NULL) != NONE)
		return emit(c, INTENT_STATUS, 70);
	p = proc_find(c, h->a, c->m.nw, &ps, &pe);
	if (p != NONE && (is_question(c, h->a) ||
	    list_find(c, h->a, c->m.nw, INFO_WORDS, NULL) != NONE))
		return emit_procedure(c, p, 70);
	return 0;
}

/* The procedure right after NOP/GUI (past SUBMIT_LEAD); *end its end. */
static size_t
submit_proc(const struct cls *c, size_t a, size_t *end)
{
	size_t	i, p, ps, pe;

	i = skip_list(c, a, SUBMIT_LEAD);
	if ((p = proc_code_at(c, a)) != NONE) {
		*end = a + 1;
		return p;
	}
	if ((p = proc_code_at(c, i)) != NONE) {
		*end = i + 1;
		return p;
	}
	p = proc_find(c, a, a + 6, &ps, &pe);
	if (p == NONE || ps > i + 1 || skip_list(c, a, SUBMIT_LEAD) < ps)
		return NONE;
	*end = pe;
	return p;
}

/*
 * After a request verb ("Đề nghị KS ...", "Xin cấp BS ..."), only a code
 * typed as one: the verb alone asks for nothing ("xin lỗi", "đề nghị xã").
 */
static size_t
verb_proc(const struct cls *c, size_t a, size_t *end)
{
	size_t	i = skip_list(c, a, SUBMIT_LEAD), at, p;

	if ((p = proc_typed(c, a, a + 1, &at)) == NONE &&
	    (p = proc_typed(c, i, i + 1, &at)) == NONE &&
	    ((p = proc_code_at(c, i)) == NONE || is_syllable(wp(c, i),
	    wn(c, i))))
		return NONE;
	*end = (p == proc_code_at(c, a) ? a : i) + 1;
	return p;
}

/* A two-letter word that is no Vietnamese: a procedure code we lack. */
static int
looks_proc_code(const struct cls *c, size_t i)
{
	return i < c->m.nw && word_letters(c, i) && wn(c, i) >= 2 &&
	    wn(c, i) <= 3 && word_upper(c, i) &&
	    !is_syllable(wp(c, i), wn(c, i)) &&
	    list_at(c, i, SUBMIT_LEAD) == 0 && list_at(c, i, NOT_CMD) == 0;
}

/* Where the question in clause [s, e) begins; e when it asks nothing. */
static size_t
question_start(const struct cls *c, size_t s, size_t e)
{
	size_t	j;

	for (j = s; j < e; j++)
		if (list_at(c, j, QUESTION) > 0 || list_at(c, j, STATUS_ASK) >
		    0 || list_at(c, j, "o dau") > 0)
			return j;
	if (e > s && list_at(c, e - 1, QUESTION_END) == 1 &&
	    spelled(c, e - 1, QUESTION_END_VI))
		return e - 1;
	return e;
}

/* 1 if word j of clause [s, ...) is data: a date, a name, whom it is for. */
static int
data_word(const struct cls *c, size_t s, size_t j, size_t q)
{
	return word_has_digit(c, j) || (j > s && orig_capital(c, j) &&
	    word_letters(c, j)) || (list_at(c, j, KIN) > 0 && j + 1 < q &&
	    list_at(c, j + 1, FILLER) == 0);
}

/*
 * 1 if the text from word i on, its questions left out, is a request:
 * a few words with a date, a name or whom it is for. "NOP KS Lê Văn Nam,
 * sinh 02/11/2026. Cần mang giấy tờ gì?" is; "NOP KS cần mang gì" is not.
 */
static int
request_data(const struct cls *c, size_t i)
{
	size_t	s, e, q, j, words = 0, letters = 0;
	int	data = 0;

	for (s = i; s < c->m.nw; s = e) {
		e = clause_end(c, s);
		q = question_start(c, s, e);
		for (j = s; j < q; j++) {
			if (list_at(c, j, FILLER) > 0)
				continue;
			words++;
			letters += wn(c, j);
			data |= data_word(c, s, j, q);
		}
	}
	return data && words >= 3 && letters >= 8;
}

/* "... tuần trước, khi nào xong": told of as done, not "sinh hôm qua". */
static int
told_before(const struct cls *c, size_t i)
{
	size_t	j;

	for (; (j = list_find(c, i, c->m.nw, PAST_TIME, NULL)) != NONE;
	    i = j + 1)
		if (list_find(c, j > 3 ? j - 3 : 0, j, EVENT, NULL) == NONE)
			return 1;
	return 0;
}

/*
 * Done already ("NOP KS rồi mà ..."): with request data, only a text that
 * opens so; "mẹ cháu đã nộp giấy chứng sinh rồi" is part of the request.
 */
static int
submit_past(const struct cls *c, size_t end, int data)
{
	if (!data)
		return past_tense(c, end);
	return end < c->m.nw && list_at(c, end, PAST_START) > 0;
}

/*
 * NOP/GUI (or a request verb) and a procedure we have. The command wins
 * over the words: a request with data is a case even when it asks
 * something too ("..., cần mang giấy tờ gì?") and whatever procedure its
 * text names. Without data, a question gets the sheet.
 */
static int
submit_known(struct cls *c, size_t p, size_t end)
{
	int	data = request_data(c, end);

	/* "nộp hồ sơ khai tử tuần trước, có kết quả chưa": about a case. */
	if (submit_past(c, end, data) ||
	    (list_find(c, end, c->m.nw, STATUS_ASK, NULL) != NONE &&
	    (!data || told_before(c, end))))
		return 0;
	if (!data && is_question(c, end))
		return emit_procedure(c, p, 90);
	/* A name at least: "NOP KS cho con" leaves staff nothing to do. */
	if (!substantive(c, end, 3, 8)) {
		c->out->flags |= INTENT_F_HOWTO;
		return emit_procedure(c, p, 90);
	}
	set_proc(c, p);
	set_arg_words(c, end);
	return emit(c, INTENT_SUBMIT, 100);
}

static int
check_submit(struct cls *c, const struct hit *h)
{
	size_t	p, end;

	if (c->noaction)
		return 0;
	if (h->mode == MODE_VERB)
		return (p = verb_proc(c, h->a, &end)) == NONE ? 0 :
		    submit_known(c, p, end);
	if ((p = submit_proc(c, h->a, &end)) != NONE)
		return submit_known(c, p, end);
	if (!looks_proc_code(c, h->a) || !substantive(c, h->a + 1, 3, 8) ||
	    is_question(c, h->a) || past_tense(c, h->a + 1))
		return 0;
	/* The unknown code stays in arg: the reply names it. */
	set_arg_words(c, h->a);
	return emit(c, INTENT_SUBMIT, 60);
}

static int
check_feedback(struct cls *c, const struct hit *h)
{
	size_t	a = skip_list(c, h->a, FEEDBACK_SKIP), words = c->m.nw - a;
	int	pa = word_is(c, h->kw, "pa"), strong, civic;
	char	sep;

	if (c->noaction || a >= c->m.nw || list_at(c, a, VOCATIVE) > 0 ||
	    list_at(c, a, FEEDBACK_NOUN) > 0)
		return 0;
	if (asks_how(c, a))
		return 0;
	/* Two words only when they name a civic matter: "PA mất điện". */
	civic = list_find(c, a, c->m.nw, CIVIC, NULL) != NONE;
	if (!substantive(c, a, civic ? 2 : 3, civic ? 6 : 10))
		return 0;
	/* "Pa" written as a word, not a command: needs to read as one. */
	sep = orig_after(c, h->kw);
	strong = !pa || word_upper(c, h->kw) ||
	    (sep != '\0' && strchr(":-,.", sep) != NULL);
	if (pa && list_at(c, a, FAMILY_STRONG) > 0)
		return 0;
	/* A lowercase "pa" needs what complaints are about, or a long text
	 * that does not open like family talk. */
	if (!strong && !civic && (list_at(c, a, FAMILY) > 0 || words < 5))
		return 0;
	set_arg_words(c, a);
	return emit(c, INTENT_FEEDBACK, strong ? 100 : 80);
}

static int
check_procedure(struct cls *c, const struct hit *h)
{
	char	code[CASECODE_MAX * 4];
	size_t	p, ps, pe;

	if (rest_in(c, h->a, FILLER))
		return emit(c, INTENT_PROCEDURES, 100);
	if (find_code(c, h->a, code, sizeof(code))) {
		set_arg(c, code);
		return emit(c, INTENT_STATUS, 90);
	}
	if ((p = proc_code_at(c, h->a)) != NONE ||
	    (p = proc_find(c, h->a, c->m.nw, &ps, &pe)) != NONE)
		return emit_procedure(c, p, 100);
	if (c->m.nw - h->a <= 3)
		return emit(c, INTENT_PROCEDURES, 70);
	return 0;
}

static int
check_schedule(struct cls *c, const struct hit *h)
{
	if (rest_in(c, h->a, FILLER) || rest_in(c, h->a, SCHEDULE_ARG))
		return emit(c, INTENT_SCHEDULE, 100);
	return 0;
}

/*
 * The whole message must be the word and its companions: "STOP", "Hủy
 * nhận tin", "tôi từ chối nhận tin nhắn". A lead ("tôi", "xin") or a
 * spelled-out verb needs a companion: "tôi muốn hủy" alone is unclear.
 */
static int
opt_check(struct cls *c, const struct hit *h, const char *with,
    enum intent_kind kind)
{
	static const char	lead[] = "toi|em|xin|muon|dang|ddang";

	if (c->noaction || c->vw != 0 || h->kw != 0 || c->m.nw > 10 ||
	    memchr(c->m.f, '?', c->m.n) != NULL || !rest_in(c, h->a, with))
		return 0;
	if (list_at(c, 0, lead) > 0 && h->a >= c->m.nw)
		return 0;
	return emit(c, kind, 100);
}

static int
check_optout(struct cls *c, const struct hit *h)
{
	return opt_check(c, h, OPTOUT_WITH, INTENT_OPTOUT);
}

static int
check_optin(struct cls *c, const struct hit *h)
{
	size_t	p;

	/* "DK KS": đăng ký khai sinh, abbreviated. */
	if ((p = proc_code_at(c, h->a)) != NONE)
		return emit_procedure(c, p, 60);
	return opt_check(c, h, OPTIN_WITH, INTENT_OPTIN);
}

static int
check_rating(struct cls *c, const struct hit *h)
{
	if (c->vw != 0 || h->a >= c->m.nw)
		return 0;
	str_copyn(c->out->arg, sizeof(c->out->arg), wp(c, h->a), wn(c, h->a));
	return emit(c, INTENT_RATING, 100);
}

/* ---- Opt-out and opt-in in a sentence ---- */

/* 1 unless word i is written with marks that make it another word. */
static int
spelled_as_meant(const struct cls *c, size_t i)
{
	char		 w[64];
	const char	*m;
	size_t		 k, len;

	if (!orig_lower(c, i, w, sizeof(w)))
		return 1;
	for (k = 0; k < sizeof(spellings) / sizeof(spellings[0]); k++) {
		if (!word_is(c, i, spellings[k].folded))
			continue;
		for (m = spellings[k].marked; *m != '\0'; m += len + !!m[len]) {
			len = strcspn(m, "|");
			if (len == strlen(w) && memcmp(m, w, len) == 0)
				return 1;
		}
		return 0;
	}
	return 1;
}

/* 1 if the words right before word kw (in its clause) turn it around. */
static int
phrase_negated(const struct cls *c, size_t s, size_t kw)
{
	size_t	j;

	for (j = kw > 2 ? kw - 2 : 0; j < kw; j++)
		if (j >= s && list_at(c, j, PHRASE_NOT_BEFORE) == kw - j)
			return 1;
	return 0;
}

/* 1 if the clause [s, e) asks how or why, not politely for the thing. */
static int
phrase_asks(const struct cls *c, size_t s, size_t e)
{
	if (!clause_question(c, s, e))
		return 0;
	return list_find(c, s, e, POLITE, NULL) == NONE ||
	    list_find(c, s, e, HOWWHY, NULL) != NONE;
}

/*
 * An opt-out or opt-in said in a sentence. The pattern found it; it acts
 * only when its clause is about this number's messages and nothing else:
 * not turned around, not a name, not a how-to question, and nothing after
 * it in the clause but who, whence and politeness ("... cho số này nữa").
 */
static int
check_phrase(struct cls *c, const struct hit *h)
{
	char	code[CASECODE_MAX * 4];
	size_t	s, e, i;

	if (c->noaction || c->vw != 0 || h->kw >= c->m.nw ||
	    c->m.nw > PHRASE_WORDS || list_at(c, 0, FORWARD) > 0 ||
	    find_code(c, 0, code, sizeof(code)))
		return 0;
	s = clause_start(c, h->kw);
	e = clause_end(c, h->kw);
	if (h->end > e || phrase_negated(c, s, h->kw) ||
	    phrase_asks(c, s, e) || skip_list(c, h->end, PHRASE_TAIL) < e)
		return 0;
	if (h->kw > s && orig_capital(c, h->kw) &&
	    list_at(c, h->kw - 1, TITLE) == 1)
		return 0;
	for (i = h->kw; i < h->end; i++)
		if (!spelled_as_meant(c, i))
			return 0;
	return emit(c, c->out->kind, 90);
}

/* Tries every rule on the text from word vw on; 1 once one is accepted. */
static int
run_rules(struct cls *c)
{
	const struct intent_rules	*r = c->rules;
	PCRE2_SIZE			*ov;
	struct hit			 h;
	size_t				 i, off;
	int				 rc;

	off = c->vw == 0 ? 0 : c->m.w[c->vw].s;
	ov = pcre2_get_ovector_pointer(r->md);
	for (i = 0; i < r->n; i++) {
		rc = pcre2_match(r->rule[i].re, (PCRE2_SPTR)c->m.f + off,
		    c->m.n - off, 0, 0, r->md, r->mctx);
		if (rc < 0)
			continue;
		h.mode = r->rule[i].mode;
		h.kw = h.mode == MODE_PHRASE ? word_at_off(c, off + ov[0]) :
		    c->vw;
		h.end = word_at_off(c, off + ov[1]);
		h.aoff = off + ov[1];
		if (r->rule[i].arg > 0 && rc > r->rule[i].arg &&
		    ov[2 * r->rule[i].arg] != PCRE2_UNSET)
			h.aoff = off + ov[2 * r->rule[i].arg];
		h.a = word_at_off(c, h.aoff);
		c->out->kind = r->rule[i].kind;
		if (h.mode == MODE_PHRASE ? check_phrase(c, &h) :
		    checks[r->rule[i].kind](c, &h))
			return 1;
		c->out->flags &= ~INTENT_F_HOWTO;
		c->out->arg[0] = c->out->proc[0] = '\0';
	}
	c->out->kind = INTENT_HELP;
	return 0;
}

/* ---- Before and between the rules ---- */

/*
 * 1 if the message holds one of the office's own texts. A short opening
 * ("Không tìm thấy hồ sơ") counts only where the message starts (after
 * "Fwd:"): a citizen may write those words; a long one counts anywhere.
 */
static int
forwarded(const struct cls *c)
{
	const char	*at, *sig;
	char		 buf[256];
	size_t		 i, n;

	for (i = 0; i < c->ctx->nsignatures; i++) {
		/* A signature cut at 255 bytes still identifies its text. */
		if ((sig = c->ctx->signatures[i]) == NULL)
			continue;
		if (!c->ctx->signatures_folded) {
			text_fold(sig, buf, sizeof(buf));
			sig = buf;
		}
		n = strcspn(sig, "{");
		while (n > 0 && sig[n - 1] == ' ')
			n--;
		if (n < SIG_MIN)
			continue;
		if (n > SIG_USE)
			n = SIG_USE;
		if ((at = memmem(c->m.f, c->m.n, sig, n)) == NULL)
			continue;
		if (n >= SIG_ANYWHERE ||
		    rest_before_in(c, (size_t)(at - c->m.f), FORWARD))
			return 1;
	}
	return 0;
}

/* A procedure code as the first word ("KS", "Ks?"): its sheet. */
static int
first_word_proc(struct cls *c)
{
	char	code[CASECODE_MAX * 4];
	size_t	p;

	if ((p = proc_code_at(c, 0)) == NONE ||
	    (c->m.nw > 2 && !word_upper(c, 0)) ||
	    find_code(c, 0, code, sizeof(code)))
		return 0;
	return emit_procedure(c, p, 60);
}

/* "TX MC2500429", "NPO", "lick": unknown with the command meant. */
static int
near_miss(struct cls *c)
{
	char		 code[CASECODE_MAX * 4];
	const char	*s;

	if (c->m.nw == 0 || !word_letters(c, 0) || wn(c, 0) < 2 ||
	    wn(c, 0) > 10 || list_at(c, 0, NOT_CMD) > 0 ||
	    rest_in(c, 0, CHATTER) ||
	    ours_at(c, c->m.w[0].s, code, sizeof(code)) > 0)
		return 0;
	/* A real word is a typo only alone and long enough: "hep", not "da". */
	if (is_syllable(wp(c, 0), wn(c, 0)) && (c->m.nw > 1 || wn(c, 0) < 3))
		return 0;
	if ((s = suggest(wp(c, 0), wn(c, 0))) == NULL)
		return 0;
	str_copy(c->out->suggestion, s, sizeof(c->out->suggestion));
	return emit(c, INTENT_UNKNOWN, 20);
}

/* After a salutation verb: to the first clause mark, else the addressee. */
static size_t
skip_salutation(const struct cls *c, size_t i)
{
	size_t	lim = i + 10 < c->m.nw ? i + 10 : c->m.nw, from, to, k;

	from = c->m.at[c->m.w[i].s];
	to = lim < c->m.nw ? c->m.at[c->m.w[lim].s] : strlen(c->m.orig);
	for (k = from; k < to; k++)
		if (strchr(",.:;!\n", c->m.orig[k]) != NULL)
			break;
	if (k < to) {
		for (; i < c->m.nw && c->m.at[c->m.w[i].s] < k; i++)
			;
		return i;
	}
	return skip_list(c, i, ADDRESSEE);
}

/* "dạ" opens a reply; "đã" (folded the same) means "already". */
static int
is_da_particle(const struct cls *c, size_t i)
{
	const char	*o = c->m.orig + c->m.at[c->m.w[i].s];

	return word_is(c, i, "da") && (o[0] == 'd' || o[0] == 'D') &&
	    strncmp(o + 1, "\xe1\xba\xa1", 3) == 0;	/* ạ */
}

/*
 * Moves the view one step past a greeting, "Fwd:", "cho hỏi" or the
 * speaker ("Em gửi KS ..."); 0 when there is nothing more to strip.
 */
static int
strip_step(struct cls *c)
{
	size_t	i = c->vw, k;

	if (i >= c->m.nw)
		return 0;
	if ((k = list_at(c, i, FORWARD)) > 0) {
		c->noaction = 1;
		c->out->flags |= INTENT_F_FORWARDED;
		i += k;
	} else if ((k = list_at(c, i, SALUTE)) > 0 && i + k < c->m.nw)
		i = skip_salutation(c, i + k);
	else if (is_da_particle(c, i))
		i++;
	else if ((k = list_at(c, i, ASKING)) > 0) {
		c->asked = 1;
		i += k;
	} else if ((k = list_at(c, i, SUBJECT)) > 0 && i + k < c->m.nw)
		i += k;
	else if (i + 1 < c->m.nw && list_at(c, i, ADDRESSEE) == 1 &&
	    word_is(c, i + 1, "oi"))
		i += 2;
	if (i == c->vw)
		return 0;
	c->vw = i;
	return 1;
}

/* ---- Plain words ---- */

/* "tôi muốn phản ánh đường ngập nước ở thôn 3". */
static int
feedback_letter(struct cls *c)
{
	size_t	v, k, a, to = c->vw + 6;

	if (c->noaction ||
	    (v = list_find(c, c->vw, to, FEEDBACK_VERBS, &k)) == NONE)
		return 0;
	if (v > c->vw && (list_at(c, v - 1, FEEDBACK_LEAD) == 0 ||
	    (v > 1 && list_at(c, v - 2, NEGATE) > 0)))
		return 0;
	a = skip_list(c, v + k, FEEDBACK_SKIP);
	if (a >= c->m.nw || list_at(c, a, FEEDBACK_NOUN) > 0 ||
	    asks_how(c, a) || !substantive(c, a, 3, 10))
		return 0;
	set_arg_words(c, a);
	return emit(c, INTENT_FEEDBACK, 80);
}

/* A code anywhere ("cho hỏi hồ sơ MC2500429 xong chưa"): status. */
static int
code_anywhere(struct cls *c)
{
	char	code[CASECODE_MAX * 4];
	size_t	at, w;

	if (c->m.nw == 1 && word_has_digit(c, 0) &&
	    strspn(wp(c, 0), "0123456789") == wn(c, 0) && wn(c, 0) >= 7 &&
	    wn(c, 0) <= 8 && codeish_at(c, 0, code, sizeof(code))) {
		set_arg(c, code);
		return emit(c, INTENT_STATUS, 60);
	}
	if ((at = code_pos(c, 0, code, sizeof(code))) == NONE)
		return 0;
	w = word_at_off(c, at);
	if (list_find(c, 0, c->m.nw, NEG_CONTEXT, NULL) != NONE ||
	    (w > 0 && list_at(c, w - 1, NEG_VERB) > 0 &&
	    orig_lower_marked(c, w - 1) && spelled(c, w - 1, NEG_VERB_VI)))
		return emit(c, INTENT_HELP, 50);
	set_arg(c, code);
	return emit(c, INTENT_STATUS, 90);
}

/* 1 if the procedure at word ps is asked for: a request verb before it. */
static int
requested(const struct cls *c, size_t ps)
{
	/* The verb may sit in the stripped subject: "em muốn | làm ...". */
	size_t	from = ps > 4 ? ps - 4 : 0, m, k;

	if (ps == c->vw)
		return 1;
	if ((m = list_find(c, from, ps, REQUEST, &k)) == NONE)
		return 0;
	return m == 0 || list_at(c, m - 1, NEGATE) == 0;
}

/* "Kính gửi UBND xã, tôi xin đăng ký khai sinh cho con tên ...". */
static int
submit_letter(struct cls *c)
{
	size_t	p, ps, pe;

	if ((p = proc_ref(c, c->vw, c->m.nw, &ps, &pe)) == NONE ||
	    (ps > 0 && list_at(c, ps - 1, NEGATE) > 0))
		return 0;
	if (!requested(c, ps)) {
		if (ps == 0 || list_find(c, ps > 3 ? ps - 3 : 0, ps, NEED,
		    NULL) == NONE || list_find(c, 0, ps, NEGATE, NULL) != NONE)
			return 0;
		c->out->flags |= INTENT_F_HOWTO;
		return emit_procedure(c, p, 60);
	}
	if (list_find(c, c->vw, c->m.nw, STATUS_ASK, NULL) != NONE ||
	    list_find(c, 0, c->m.nw, NEG_CONTEXT, NULL) != NONE ||
	    past_tense(c, pe))
		return 0;
	if (is_question(c, c->vw))
		return emit_procedure(c, p, 70);
	if (!substantive(c, pe, 3, 10)) {
		c->out->flags |= INTENT_F_HOWTO;
		return emit_procedure(c, p, 70);
	}
	if (c->noaction)
		return 0;
	set_proc(c, p);
	set_arg_words(c, pe);
	return emit(c, INTENT_SUBMIT, 80);
}

/* "hồ sơ của tôi đến đâu rồi": status without a code. */
static int
status_ask(struct cls *c)
{
	size_t	ps, pe;

	if (list_find(c, 0, c->m.nw, STATUS_ASK, NULL) == NONE)
		return 0;
	if (list_find(c, 0, c->m.nw, STATUS_TOPIC, NULL) != NONE)
		return emit(c, INTENT_STATUS, 60);
	if (proc_ref(c, 0, c->m.nw, &ps, &pe) == NONE)
		return 0;
	/* "khai tử bao giờ xong": how long it takes, unless it is theirs. */
	if (list_find(c, 0, c->m.nw, DURATION, NULL) != NONE &&
	    list_find(c, 0, c->m.nw, OWNED, NULL) == NONE && !past_tense(c, 0)
	    && !told_before(c, 0))
		return 0;
	return emit(c, INTENT_STATUS, 60);
}

/* "đăng ký khai tử cần giấy tờ gì": that procedure's sheet. */
static int
proc_question(struct cls *c)
{
	size_t	p, ps, pe;

	if ((p = proc_ref(c, 0, c->m.nw, &ps, &pe)) == NONE)
		return 0;
	if (!is_question(c, 0) &&
	    list_find(c, 0, c->m.nw, INFO_WORDS, NULL) == NONE)
		return 0;
	return emit_procedure(c, p, 70);
}

static int
plain_lists(struct cls *c)
{
	if (list_find(c, 0, c->m.nw, PROCS_ASK, NULL) != NONE)
		return emit(c, INTENT_PROCEDURES, 60);
	if (list_find(c, 0, c->m.nw, SCHEDULE_ASK, NULL) != NONE ||
	    (list_find(c, 0, c->m.nw, WHEN, NULL) != NONE &&
	    list_find(c, 0, c->m.nw, OPENING, NULL) != NONE))
		return emit(c, INTENT_SCHEDULE, 60);
	return 0;
}

/* "Đèn đường thôn 2 hỏng cả tháng, đề nghị xã sửa": the whole text. */
static int
implicit_feedback(struct cls *c)
{
	size_t	v, k, ps, pe;

	if (c->noaction ||
	    (v = list_find(c, c->vw, c->m.nw, ASK_FIX, &k)) == NONE ||
	    (v > 0 && list_at(c, v - 1, NEGATE) > 0) ||
	    list_find(c, v + k, v + k + 3, IN_CHARGE, NULL) == NONE ||
	    list_find(c, v + k, v + k + 6, FIX, NULL) == NONE ||
	    list_find(c, c->vw, c->m.nw, CIVIC_ONLY, NULL) == NONE ||
	    list_find(c, 0, c->m.nw, "ho so|hs", NULL) != NONE ||
	    proc_find(c, c->vw, c->m.nw, &ps, &pe) != NONE ||
	    is_question(c, c->vw) || !substantive(c, c->vw, 5, 20))
		return 0;
	set_arg_words(c, c->vw);
	return emit(c, INTENT_FEEDBACK, 60);
}

static int
understand(struct cls *c)
{
	return feedback_letter(c) || code_anywhere(c) || submit_letter(c) ||
	    status_ask(c) || proc_question(c) || plain_lists(c) ||
	    implicit_feedback(c);
}

/* 1 if word i is one of the command words exactly. */
static int
is_command(const struct cls *c, size_t i)
{
	size_t	k;

	for (k = 0; k < NCOMMANDS; k++)
		if (word_is(c, i, commands[k].word))
			return 1;
	return 0;
}

/*
 * Not understood: help, or unknown for one or two words that are no
 * Vietnamese ("xyz"). A command word used otherwise ("đk xe") is help.
 */
static void
fallback(struct cls *c)
{
	if (!c->noaction && c->m.nw > 0 && c->m.nw <= 2 &&
	    word_letters(c, 0) && !is_syllable(wp(c, 0), wn(c, 0)) &&
	    list_at(c, 0, NOT_CMD) == 0 && !is_command(c, 0) &&
	    !rest_in(c, 0, CHATTER)) {
		emit(c, INTENT_UNKNOWN, 10);
		return;
	}
	emit(c, INTENT_HELP, rest_in(c, 0, CHATTER) ? 60 : 30);
}

static void
classify(struct cls *c)
{
	if (c->m.n == 0) {
		emit(c, INTENT_HELP, 50);
		return;
	}
	if (forwarded(c)) {
		c->out->flags |= INTENT_F_FORWARDED;
		emit(c, INTENT_HELP, 90);
		return;
	}
	if (run_rules(c) || first_word_proc(c) || near_miss(c))
		return;
	/* Each stripped layer may reveal a command: "Chào anh, Em gửi KS". */
	while (strip_step(c))
		if (c->vw < c->m.nw && run_rules(c))
			return;
	if (understand(c))
		return;
	fallback(c);
}

int
intent_classify(const struct intent_rules *rules, const struct intent_ctx *ctx,
    const char *nfc_text, struct intent *out)
{
	static const struct intent_ctx	 none;
	struct cls			*c, cbuf;

	if (out == NULL)
		return -1;
	out->arg[0] = out->proc[0] = out->suggestion[0] = '\0';
	out->score = 0;
	out->flags = 0;
	out->kind = INTENT_HELP;
	if (rules == NULL || nfc_text == NULL)
		return -1;
	c = &cbuf;
	c->rules = rules;
	c->ctx = ctx != NULL ? ctx : &none;
	c->out = out;
	c->vw = 0;
	c->noaction = c->asked = 0;
	msg_prepare(&c->m, nfc_text);
	classify(c);
	return 0;
}
