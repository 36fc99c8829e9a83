# localvpc — the only build entry point.  `make help` lists the targets.
PREFIX   ?= /usr/local
BUILD    ?= build
CC       ?= cc
V        ?= 0
Q        := $(if $(filter 1,$(V)),,@)

PKGS     := libmicrohttpd sqlite3 libcrypto libmnl libnftables json-c
CMOCKA   := cmocka
WARN     := -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wcast-qual -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wvla
CFLAGS   ?= -O2 -g
override CFLAGS += -std=c17 -D_GNU_SOURCE $(WARN) -fstack-protector-strong -Isrc -I$(BUILD)/gen \
            $(shell pkg-config --cflags $(PKGS))
override CPPFLAGS += -D_FORTIFY_SOURCE=2 -MMD -MP
override LDLIBS += $(shell pkg-config --libs $(PKGS))

SRCS     := $(wildcard src/*/*.c)
LIB_SRCS := $(filter-out src/cli/%,$(SRCS))
CLI_SRCS := $(wildcard src/cli/*.c) src/main.c
OBJS     = $(patsubst src/%.c,$(OBJDIR)/%.o,$(LIB_SRCS))
UNIT     := $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))

OBJDIR   := $(BUILD)/obj
GEN      := $(BUILD)/gen/schema.h $(BUILD)/gen/boot_sh.h

.PHONY: all test unit api asan fuzz check bench install clean help net
all: $(BUILD)/localvpc $(BUILD)/localvpc-init

help:
	@echo "make            build build/localvpc"
	@echo "make test       unit + api tests (api needs root-free loopback; net needs root)"
	@echo "make asan       unit tests under AddressSanitizer + UndefinedBehaviorSanitizer"
	@echo "make fuzz       run each fuzz target for FUZZ_SECONDS (default 10)"
	@echo "make check      include-layer check and banned functions"

$(BUILD)/gen/schema.h: src/store/schema.sql
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  GEN     $@")
	$(Q)sed 's/\\/\\\\/g; s/"/\\"/g; s/^/"/; s/$$/\\n"/' $< > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/boot_sh.h: src/runtime/boot.sh
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  GEN     $@")
	$(Q)sed 's/\\/\\\\/g; s/"/\\"/g; s/^/"/; s/$$/\\n"/' $< > $@.tmp && mv $@.tmp $@

$(OBJDIR)/%.o: src/%.c $(GEN)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/localvpc: $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRCS) $(CLI_SRCS))
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LDLIBS)

# PID 1 of every instance: static, because it runs inside the image.
$(BUILD)/localvpc-init: $(wildcard src/runtime/init/*.c)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC      $@ (static)")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -static -o $@ $(filter %.c,$^)

# Unit tests: each tests/unit/test_x.c links against every non-CLI object.
$(BUILD)/unit/%: tests/unit/%.c $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(shell pkg-config --cflags $(CMOCKA)) -o $@ $(filter %.c %.o,$^) \
		$(LDLIBS) $(shell pkg-config --libs $(CMOCKA))

# Benchmark tools that link the library (bench/run builds and runs them).
$(BUILD)/bench/%: bench/tools/%.c $(patsubst src/%.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $(filter %.c %.o,$^) $(LDLIBS)

unit: $(addprefix $(BUILD)/unit/,$(UNIT))
	$(Q)tests/run-unit $(BUILD)/unit $(UNIT)

api: $(BUILD)/localvpc
	$(Q)LOCALVPC_BIN=$(abspath $(BUILD)/localvpc) /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/api

net: all
	$(Q)tests/run-net

test: check unit api net

asan:
	$(Q)$(MAKE) --no-print-directory BUILD=build/asan CC=clang \
		CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		LDFLAGS="-fsanitize=address,undefined" unit

FUZZ_SECONDS ?= 10
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
fuzz:
	$(Q)tests/run-fuzz "$(FUZZ_SECONDS)" $(FUZZ_TARGETS)

check:
	$(Q)scripts/check-layers
	$(Q)scripts/check-banned

bench: all $(BUILD)/bench/analyze_bench
	$(Q)bench/run

install: $(BUILD)/localvpc $(BUILD)/localvpc-init
	install -D -m 0755 $(BUILD)/localvpc $(DESTDIR)$(PREFIX)/bin/localvpc
	install -D -m 0755 $(BUILD)/localvpc-init $(DESTDIR)$(PREFIX)/bin/localvpc-init

clean:
	rm -rf build

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
