#!/bin/bash
# Long messages in the other two shapes (SAR TLVs out of order with a part
# sent twice; one message_payload) each make one case; a 2-part reply goes
# as 2 joined parts; more than 5 failed look-ups an hour from one number
# get the look-up limit instead of an answer about the code, across a
# kill -9 and restart too. The kill waits until the replies so far are on
# record as sent: one killed before it read a submit_sm_resp is rightly
# sent again, which expect_nodup would count.
. "$(dirname "$0")/lib.sh"
C1=$(case_code 1) C2=$(case_code 2)

sim_script() {
	cat <<S
wait_bind 10
send_sar 0912000011 2,1,2,3 NOP KT Toi la Pham Van Hung, xin dang ky khai tu cho cha toi la ong Pham Van Long, mat ngay 20/11/2026 tai nha rieng o thon Dong, xa Vinh Hoa. Giay bao tu do tram y te xa cap. Xin cam on can bo mot cua.
expect 0912000011 Đã nhận yêu cầu Đăng ký khai tử, mã hồ sơ $C1
send_payload 0912000012 NOP BS Nguyen Thi Mai, xin cap ban sao trich luc khai sinh cua con la Tran Minh Khoa, sinh nam 2019, 2 ban, de nop ho so nhap hoc lop 1.
expect 0912000012 Đã nhận yêu cầu Cấp bản sao trích lục hộ tịch, mã hồ sơ $C2
expect_parts 0912000012 2
send 0912000013 TC MC9990001
expect 0912000013 Không tìm thấy|chữ số bị gõ nhầm
send 0912000013 TC MC9990002
expect 0912000013 Không tìm thấy|chữ số bị gõ nhầm
send 0912000013 TC MC9990003
expect 0912000013 Không tìm thấy|chữ số bị gõ nhầm
send 0912000013 TC MC9990004
expect 0912000013 Không tìm thấy|chữ số bị gõ nhầm
send 0912000013 TC MC9990005
expect 0912000013 Không tìm thấy|chữ số bị gõ nhầm
exec sh $WORK/settled.sh
exec sh $WORK/restart.sh
send 0912000013 TC $C1
expect 0912000013 tra cứu mã sai nhiều lần
send 0912000014 TC $C1
expect 0912000014 ^Hồ sơ $C1 \(Đăng ký khai tử\)
expect_nodup
S
}
e2e_run
[ "$(sql "select count(*) from cases")" = 2 ] || fail "want 2 cases"
case $(sql "select request from cases where code = '$C1'") in
*"Pham Van Hung"*"can bo mot cua."*) ;; *) fail "SAR parts not joined in order" ;;
esac
