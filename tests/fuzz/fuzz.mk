# The fuzz targets, built with clang and libFuzzer into build/fuzz/.
# Called by tests/fuzz/run.sh (make fuzz, make fuzz-smoke) from the
# repository root:  make -f tests/fuzz/fuzz.mk [-j2]
#
# Parsers and the PDU adapter are compiled with coverage and ASan+UBSan
# (-fsanitize=fuzzer-no-link); each target links only what it tests.

FO       ?= build/fuzz
CLANG    ?= clang
FSAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
FCFLAGS  := -g -O1 -fno-omit-frame-pointer -std=c11 -D_GNU_SOURCE -Wall \
            -Wextra -Iinclude -Igateway -I/usr/include/libsmpp34 $(FSAN)
FLIBS    := -lpcre2-8 -lutf8proc -linih

TARGETS  := $(patsubst tests/fuzz/%.c,$(FO)/%,$(wildcard tests/fuzz/fuzz_*.c))
PARSERS  := $(patsubst %.c,$(FO)/obj/%.o,$(filter-out parsers/admin_body.c,\
            $(wildcard parsers/*.c)))
ADAPTER  := $(FO)/obj/gateway/smpp/smpp_pdu.o $(FO)/obj/gateway/log.o

all: $(TARGETS)

$(FO)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "CC (fuzz) $<"
	@$(CLANG) $(FCFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FO)/fuzz_pdu: $(ADAPTER)
$(FO)/fuzz_pdu: XLIBS := -lsmpp34
# The one parser that needs jansson, linked only where it is fuzzed.
$(FO)/fuzz_admin: $(FO)/obj/parsers/admin_body.o
$(FO)/fuzz_admin: XLIBS := -ljansson
$(FO)/fuzz_%: $(FO)/obj/tests/fuzz/fuzz_%.o $(PARSERS)
	@echo "LD (fuzz) $@"
	@$(CLANG) $(FCFLAGS) -fsanitize=fuzzer -o $@ $^ $(FLIBS) $(XLIBS)

# Seed PDUs, packed by the adapter itself (no fuzzer, no sanitizers).
$(FO)/gen_pdu_seeds: tests/fuzz/gen_pdu_seeds.c gateway/smpp/smpp_pdu.c \
    gateway/log.c parsers/frame.c parsers/pdu.c parsers/text.c parsers/gsm7.c
	@mkdir -p $(dir $@)
	@$(CLANG) -g -std=c11 -D_GNU_SOURCE -Iinclude -Igateway -I/usr/include/libsmpp34 \
	    -o $@ $^ -lsmpp34 -lutf8proc

seeds: $(FO)/gen_pdu_seeds
	@$(FO)/gen_pdu_seeds tests/fuzz/corpus/fuzz_pdu

.PHONY: all seeds
.SECONDARY:
-include $(shell find $(FO)/obj -name '*.d' 2>/dev/null)
