#!/bin/bash
# Issue 11 against the real daemon: a typed command wins over the words,
# and a citizen who asks in words to stop (or to resume) is heard.
#  - NOP KS with a request that also asks a question opens a KS case, sent
#    as one SMS and as a long message in 5 UDH parts out of order;
#  - "Đề nghị"/"Xin" + a code opens the case under the typed code even when
#    the text names another procedure;
#  - opt-out sentences (with and without diacritics) opt the number out
#    in the optout table, a resume sentence opts it back in;
#  - sentences about stopping something else opt nobody out;
#  - fee and time questions about one procedure get its sheet.
. "$(dirname "$0")/lib.sh"
C1=$(case_code 1) C2=$(case_code 2) C3=$(case_code 3) C4=$(case_code 4)
# Dates inside request texts are the citizen's words, not parsed: today's.
BORN=$(date +%d/%m/%Y)

sim_script() {
	cat <<S
wait_bind 10
send 0912000101 NOP KS Đăng ký khai sinh cho cháu Lê Văn Nam, sinh $BORN. Cần mang theo giấy tờ gì ạ?
expect 0912000101 ^Đã nhận yêu cầu Đăng ký khai sinh, mã hồ sơ $C1, hẹn trả
send_parts 0912000102 2,5,1,4,3 NOP KS Kính gửi bộ phận một cửa UBND xã, tôi là Trần Văn Hùng ở thôn Đông, xin đăng ký khai sinh cho con trai là Trần Minh Quân, sinh ngày $BORN tại trạm y tế xã, mẹ cháu là Nguyễn Thị Thu. Xin hỏi tôi cần mang theo những giấy tờ gì và bao giờ thì lấy được giấy khai sinh ạ? Xin cảm ơn cán bộ.
expect 0912000102 ^Đã nhận yêu cầu Đăng ký khai sinh, mã hồ sơ $C2, hẹn trả
send 0912000103 Đề nghị KS cho cháu Lê Thị Hoa sinh $BORN, mẹ cháu cần xác nhận tình trạng hôn nhân
expect 0912000103 ^Đã nhận yêu cầu Đăng ký khai sinh, mã hồ sơ $C3, hẹn trả
send 0912000104 Xin HN cho tôi là Phạm Thị Mai sinh năm 1995, để đăng ký khai sinh cho con
expect 0912000104 ^Đã nhận yêu cầu Xác nhận tình trạng hôn nhân, mã hồ sơ $C4, hẹn trả
send 0912000111 xin đừng nhắn tin cho số này nữa
expect 0912000111 ^Đã ngừng gửi tin
send 0912000112 tu nay khong nhan tin cua xa
expect 0912000112 ^Đã ngừng gửi tin
send 0912000113 khỏi gửi thông báo cho tôi
expect 0912000113 ^Đã ngừng gửi tin
send 0912000113 cho tôi nhận tin lại
expect 0912000113 ^Đã đăng ký nhận lại
send 0912000121 đề nghị xã cho ngừng thi công ban đêm
expect 0912000121 ^Tra cứu hồ sơ: TC
send 0912000122 mất nước, ngừng cấp nước 3 ngày rồi
expect 0912000122 ^Tra cứu hồ sơ: TC
send 0912000131 phí làm HN hết bao nhiêu
expect 0912000131 ^HN Xác nhận tình trạng hôn nhân\. Lệ phí: 5\.000 đồng
send 0912000132 HN bao lâu thì xong
expect 0912000132 ^HN Xác nhận tình trạng hôn nhân\. Lệ phí: .* Thời hạn: 3 ngày
wait 0.5
expect_nodup
S
}
e2e_run
want() { [ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"; }
want "cases" "$(sql "select count(*) from cases")" 4
want "NOP KS with a question" \
    "$(sql "select procedure || ' ' || msisdn from cases where code = '$C1'")" \
    "KS 84912000101"
want "long NOP KS in 5 parts" \
    "$(sql "select procedure || ' ' || msisdn from cases where code = '$C2'")" \
    "KS 84912000102"
case $(sql "select request from cases where code = '$C2'") in
*"Trần Văn Hùng"*"Xin cảm ơn cán bộ."*) ;; *) fail "5-part request not joined" ;;
esac
want "Đề nghị KS naming HN" \
    "$(sql "select procedure from cases where code = '$C3'")" KS
want "Xin HN naming KS" "$(sql "select procedure from cases where code = '$C4'")" HN
for n in 84912000111 84912000112; do
	want "opt-out $n" "$(sql "select opted_out from optout where msisdn = '$n'")" 1
done
want "opt-out then resume" \
    "$(sql "select opted_out from optout where msisdn = '84912000113'")" 0
want "stop-something-else opted out" \
    "$(sql "select count(*) from optout where msisdn in ('84912000121', '84912000122')")" 0
echo "ok $NAME: cases, opt-outs and sheets as asked"
