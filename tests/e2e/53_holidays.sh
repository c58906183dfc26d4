#!/bin/bash
# holidays.list: the five days after today are holidays. A case made at
# the counter and one a citizen submits by SMS, both for a 1-working-day
# procedure, are due on the first weekday after them, and the citizen is
# told that date.
# date-sensitive: also run at pinned dates (tests/run.sh)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/admin_lib.sh"

TEMPLATES=$WORK/tpl
cp -r "$TEMPLATES_SRC" "$TEMPLATES"
echo "$(date -d '+1 day' +%F)..$(date -d '+5 day' +%F) Nghỉ lễ (thử)" \
    >>"$TEMPLATES/holidays.list"
DUE=$(workdays 1)
[[ "$DUE" > "$(date -d '+5 day' +%F)" ]] || fail "due $DUE falls in the holidays"
DUE_VN=$(date -d "$DUE" +%d/%m/%Y)

sim_script() {
	cat <<S
wait_bind 10
send 0912000001 NOP KS Nguyen Van An, sinh ngay 01/10/2025
expect 0912000001 Đã nhận yêu cầu Đăng ký khai sinh, mã hồ sơ .*hẹn trả $DUE_VN
exec sh $WORK/await.sh end
S
}
write_awaits
admin_up
call POST /cases '{"procedure": "KS", "msisdn": "0912000002"}'
want 201 "\"due\":\"$DUE\""
touch "$WORK/end"
admin_down
same "select count(*) from cases where due = '$DUE'" 2
echo "ok $NAME"
