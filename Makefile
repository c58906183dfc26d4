# motcua — plain make, pkg-config, nothing generated.
#
#   make            bin/motcuad, bin/motcua, bin/smsc-sim
#   make test       install missing Debian packages, then unit + end-to-end
#                   tests, once normally and once under ASan+UBSan
#   make demo       daemon + simulator in the foreground: type as a phone would
#   make bench      load figures (not part of make test)

PKGS     := libsmpp34 libevent libpcre2-8 sqlite3 jansson inih libutf8proc
PKGS     += libsodium
DEB_PKGS := build-essential pkg-config libsmpp34-dev libevent-dev libpcre2-dev \
            libsqlite3-dev libjansson-dev libinih-dev libutf8proc-dev sqlite3 curl \
            clang libclang-rt-14-dev libfaketime tzdata
# HTTPS for the admin door: libevent's OpenSSL bufferevents
PKGS     += libevent_openssl openssl
DEB_PKGS += libssl-dev
# the console's browser tests (tests/browser/)
DEB_PKGS += chromium
DEB_PKGS += chromium-driver
DEB_PKGS += python3-selenium
DEB_PKGS += libsodium-dev

O        ?= build
BIN      ?= bin
SAN      ?=
OPT      ?= -O2
CC       ?= cc
# the appointment slip's QR code (gateway/admin/console.c)
PKGS     += libqrencode
DEB_PKGS += libqrencode-dev

CFLAGS   := $(OPT) -g -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror \
            -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Iinclude \
            $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# gateway/ and its tools see the rooms' headers; parsers/ do not, and are
# compiled with parsers/pure.h forced in, which poisons the names of the
# event loop, the database and sockets: including their headers fails.
GW_CFLAGS     := -Igateway
PARSER_CFLAGS := -include parsers/pure.h
LDLIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -lpthread
ifneq ($(SAN),)
CFLAGS   += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS  += -fsanitize=address,undefined
endif

PARSER_SRCS := $(wildcard parsers/*.c)
ROOMS       := smpp store office admin
DAEMON_SRCS := $(wildcard gateway/*.c) $(foreach r,$(ROOMS),$(wildcard gateway/$(r)/*.c))
TOOL_SRCS   := $(wildcard gateway/tool/*.c) gateway/log.c
SIM_SRCS    := $(wildcard tests/sim/*.c) gateway/smpp/smpp_pdu.c gateway/log.c
UNIT_SRCS   := $(wildcard tests/unit/test_*.c)

obj = $(patsubst %.c,$(O)/%.o,$(1))
PARSERS_A := $(O)/libparsers.a
UNIT_BINS := $(patsubst tests/unit/%.c,$(O)/tests/%,$(UNIT_SRCS))

all: layering $(BIN)/motcuad $(BIN)/motcua $(BIN)/smsc-sim $(UNIT_BINS)

$(O)/parsers/%.o: parsers/%.c
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(CFLAGS) $(PARSER_CFLAGS) -MMD -MP -c -o $@ $<

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(CFLAGS) $(GW_CFLAGS) -MMD -MP -c -o $@ $<

$(PARSERS_A): $(call obj,$(PARSER_SRCS))
	@rm -f $@
	@ar rcs $@ $^

$(BIN)/motcuad: $(call obj,$(DAEMON_SRCS)) $(PARSERS_A)
	@mkdir -p $(dir $@)
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BIN)/motcua: $(call obj,$(TOOL_SRCS)) $(PARSERS_A)
	@mkdir -p $(dir $@)
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BIN)/smsc-sim: $(call obj,$(SIM_SRCS)) $(PARSERS_A)
	@mkdir -p $(dir $@)
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Unit tests link only the pure parsers; the PDU adapter's test adds it.
$(O)/tests/test_smpp_pdu: $(O)/gateway/smpp/smpp_pdu.o $(O)/gateway/log.o
$(O)/tests/%: $(O)/tests/unit/%.o $(PARSERS_A)
	@mkdir -p $(dir $@)
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The console's files are embedded by ui.c's .incbin: editing one
# rebuilds it.
$(O)/gateway/admin/ui.o: $(wildcard gateway/admin/ui/*)

# Each room calls only downward (tests/layering.sh reads the #include
# lines); parsers/ purity is also the compiler's (PARSER_CFLAGS).
layering:
	@tests/layering.sh

deps:
	@missing=""; for p in $(DEB_PKGS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' \
	    || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	    echo "installing:$$missing"; \
	    SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	    $$SUDO apt-get update -qq >/dev/null && \
	    DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	        --no-install-recommends $$missing >/dev/null; fi

check: all
	@tests/run.sh $(BIN) $(O)/tests | tee $(O)/check.out; \
	    tail -n 1 $(O)/check.out | grep -q ' 0 failed$$'

# Both builds and a short fuzz run of every target always run; the last
# line adds them up for CI (a fuzz target counts as one test).
test: deps
	@rc=0; \
	$(MAKE) --no-print-directory check || rc=1; \
	$(MAKE) --no-print-directory check SAN=1 O=build/asan \
	    BIN=build/asan/bin OPT=-O1 || rc=1; \
	$(MAKE) --no-print-directory fuzz-smoke >build/fuzz-smoke.out 2>&1; \
	st=$$?; cat build/fuzz-smoke.out; [ $$st = 0 ] || rc=1; \
	fp=$$(grep -c '^ok ' build/fuzz-smoke.out); \
	ff=$$(grep -c '^CRASH ' build/fuzz-smoke.out); \
	[ $$st = 0 ] || [ $$ff -gt 0 ] || ff=1; \
	tail -q -n 1 build/check.out build/asan/check.out | awk -v fp=$$fp \
	    -v ff=$$ff '{ p += $$1; f += $$3 } END { printf \
	    "total: %d passed, %d failed\n", p + fp, f + ff }'; \
	exit $$rc

demo: deps
	@$(MAKE) --no-print-directory all
	@tests/demo.sh $(BIN)

bench: deps
	@$(MAKE) --no-print-directory all
	@tests/bench.sh $(BIN)

PREFIX  ?= /usr/local
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/motcua
	install -m 755 $(BIN)/motcuad $(BIN)/motcua $(DESTDIR)$(PREFIX)/bin/
	cp -r templates $(DESTDIR)$(PREFIX)/share/motcua/
	install -m 644 gateway/motcuad.service $(DESTDIR)$(PREFIX)/share/motcua/

clean:
	rm -rf build bin

.PHONY: all layering deps check test demo bench install clean
.SECONDARY:
-include $(shell find $(O) -name '*.d' 2>/dev/null)

# Fuzzing: clang + libFuzzer, ASan + UBSan (tests/fuzz/run.sh builds into
# build/fuzz/). fuzz runs every target FUZZ_SECONDS and keeps what it finds
# in build/fuzz/corpus/; fuzz-smoke runs each FUZZ_SMOKE_SECONDS from the
# seeds only and fails on a crash.
FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_SECONDS ?= 10

fuzz:
	@tests/fuzz/run.sh $(FUZZ_SECONDS)

fuzz-smoke:
	@tests/fuzz/run.sh -smoke $(FUZZ_SMOKE_SECONDS)

.PHONY: fuzz fuzz-smoke
