#!/bin/bash
# Bind, then HD (and HELP, ?) answered with help.txt; anything else with
# unknown.txt; all three spellings of the number are one citizen.
. "$(dirname "$0")/lib.sh"

sim_script() {
	cat <<'S'
wait_bind 10
send 0912345678 HD
expect 84912345678 Tra cứu hồ sơ: TC
send +84912345679 help
expect 84912345679 NOP <thủ tục>
send 84912345670 ?
expect 84912345670 Hướng dẫn: HD
send 0912345671 asdfgh qwerty
expect 84912345671 chưa đúng cú pháp
expect_nodup
S
}
e2e_run
