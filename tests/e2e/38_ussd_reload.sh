#!/bin/bash
# menu.conf reloads with the other texts on SIGHUP: a session open across
# the reload goes on where it was, with the new texts (here also receipt =
# no: no SMS after its case); a menu with a screen too long for one USSD
# page is refused with file:line and the old menu stays; `motcuad -t` says
# the same and exits 1.
. "$(dirname "$0")/lib.sh"
cp -r "$ROOT/templates/vi" "$WORK/tpl"
C1=$(case_code 1)
LONG='text = Bộ phận một cửa UBND xã Vĩnh Hòa, huyện Phong Điền, tỉnh Thừa Thiên Huế, tiếp nhận và trả kết quả giải quyết thủ tục hành chính cho công dân'

sim_script() {
	cat <<S
wait_bind 10
ussd 0912000001 *8077#
expect_ussd 0912000001 ^Bo phan mot cua
ussd 0912000001 2
expect_ussd 0912000001 ^Chon thu tuc:\n
exec sed -i -e 's/^text = Chọn thủ tục:/text = Chọn một thủ tục:/' -e 's/^receipt = yes/receipt = no/' $WORK/tpl/menu.conf && kill -HUP \$(cat $WORK/motcuad.pid)
wait 0.5
ussd 0912000001 1
expect_ussd 0912000001 ^Dang ky khai sinh\nNhap noi dung
ussd 0912000001 0
expect_ussd 0912000001 ^Chon mot thu tuc:\n1 Dang ky khai sinh
ussd 0912000001 1
expect_ussd 0912000001 ^Dang ky khai sinh\nNhap noi dung
ussd 0912000001 Nguyen Van An
expect_ussd 0912000001 ^Gui yeu cau
ussd 0912000001 1
expect_ussd_end 0912000001 ma ho so $C1,
expect_none 0912000001 1.5
exec sed -i 's/^text = Bộ phận một cửa UBND xã\$/$LONG/' $WORK/tpl/menu.conf && kill -HUP \$(cat $WORK/motcuad.pid)
wait 0.5
ussd 0912000002 *8077#
expect_ussd 0912000002 ^Bo phan mot cua UBND xa\n1 Tra cuu ho so
ussd 0912000002 2
expect_ussd 0912000002 ^Chon mot thu tuc:
S
}
sim_script >"$WORK/script"
start_sim
write_config
sed -i "s|^templates = .*|templates = $WORK/tpl|" "$WORK/motcua.conf"
start_daemon
wait_sim 30
stop_daemon
[ "$(sql "select channel from cases where code = '$C1'")" = ussd ] || fail "no case"
[ "$(sql "select count(*) from outbound where kind <> 'ussd'")" = 0 ] ||
	fail "a receipt with receipt = no"
line=$(grep -n '^text = Bộ phận một cửa UBND xã Vĩnh Hòa' "$WORK/tpl/menu.conf" | cut -d: -f1)
main=$(grep -n '^\[main\]' "$WORK/tpl/menu.conf" | cut -d: -f1)
[ -n "$line" ] || fail "the test did not break the menu"
grep -q "reload refused, keeping the old texts: $WORK/tpl/menu.conf:$main: screen \[main\] does not fit one USSD page" \
    "$WORK/motcuad.log" || fail "refused reload not logged with file:line"
out=$("$BIN/motcuad" -t -c "$WORK/motcua.conf" 2>&1) && fail "-t accepted a screen too long"
case $out in
"$WORK/tpl/menu.conf:$main: screen [main] does not fit one USSD page: "*) ;;
*) fail "-t said: $out" ;;
esac
echo "ok $NAME"
