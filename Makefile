# Sluice - one plain Makefile with automatic header dependencies.
#   make            build src/sluice-server (and tools)
#   make run        install deps, build, run on 127.0.0.1:6379
#   make test       install deps, build, every test (with CI=true also make asan)
#   make compat-spawned  Redis's AOF test units in spawned mode (run-spawned.sh)
#   make bench      side-by-side benchmarks against redis-server 7.0.15
#   make asan       build and run the tests under ASan + UBSan
#   make valgrind   run the integration tests under valgrind memcheck
#   make clean

CC ?= gcc
OPT ?= -O2
SAN ?=
CFLAGS_BASE = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -g $(OPT) $(SAN) -MMD -MP
CFLAGS += $(CFLAGS_BASE)
# The server links statically (jemalloc included): an idle server then maps
# no shared libc/libstdc++ pages and stays well under 3 MB resident.
# Lua 5.1 with cjson and bitop, all static archives from Debian (script.c).
LUA_CFLAGS = -I/usr/include/lua5.1
LUA_LIBS = -llua5.1-cjson -llua5.1-bitop -llua5.1
LDLIBS_SERVER = $(LUA_LIBS) $(if $(SAN),,-static -ljemalloc) -lm -lpthread -ldl
BUILD ?= build

SRV_SRC = $(wildcard src/*.c src/net/*.c src/ds/*.c src/cmd/*.c src/lua/*.c)
SRV_OBJ = $(SRV_SRC:%.c=$(BUILD)/%.o)
DS_SRC = $(wildcard src/ds/*.c) src/net/resp.c
DS_OBJ = $(DS_SRC:%.c=$(BUILD)/%.o)

UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
INTEG_SRC = $(wildcard tests/integration/test_*.c)
INTEG_COMMON = $(filter-out $(INTEG_SRC),$(wildcard tests/integration/*.c))
INTEG_BIN = $(INTEG_SRC:tests/integration/%.c=$(BUILD)/tests/integration/%)

SERVER = src/sluice-server
TOOLS = $(patsubst src/tools/%.c,src/%,$(wildcard src/tools/*.c))

.PHONY: all deps run test unit integration compat compat-spawned frameworks bench asan clean \
	install fuzz valgrind

all: $(SERVER) $(TOOLS)

$(SERVER): $(SRV_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS_SERVER)

src/sluice-%: src/tools/sluice-%.c
	$(CC) $(CFLAGS) -o $@ $< -lhiredis -lm

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LUA_CFLAGS) -c -o $@ $<

$(BUILD)/tests/unit/%: tests/unit/%.c $(DS_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isrc -o $@ $< $(DS_OBJ) -lcriterion -lm

$(BUILD)/tests/integration/%: tests/integration/%.c $(INTEG_COMMON)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/integration -o $@ $< $(INTEG_COMMON) -lcriterion -lhiredis -lm

deps:
	@bash deps/install.sh

run: deps all
	./$(SERVER) --port 6379 --bind "127.0.0.1 -::1"

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t --jobs 1; done

integration: all $(INTEG_BIN)
	@set -e; for t in $(INTEG_BIN); do echo "== $$t"; SLUICE_SERVER=$(CURDIR)/$(SERVER) $$t --jobs 1; done

compat: all
	@bash redis-compat/run.sh --server $(CURDIR)/$(SERVER)

# The suite's own spawned mode (unit/aofrw, integration/aof*): see redis-compat/README.md.
compat-spawned: all
	@bash redis-compat/run-spawned.sh --server $(CURDIR)/$(SERVER)

# Celery, RQ, Sidekiq and BullMQ workers against a spawned server (issue 8).
frameworks: all
	@bash tests/frameworks/run.sh --server $(CURDIR)/$(SERVER)

test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory unit integration
	@$(MAKE) --no-print-directory fuzz-replay diff-quick
	@$(MAKE) --no-print-directory compat
	@$(MAKE) --no-print-directory compat-spawned
	@$(MAKE) --no-print-directory frameworks
	@if [ "$(CI)" = true ]; then $(MAKE) --no-print-directory asan; fi

# Every side-by-side benchmark (about 30 minutes; BENCH_QUICK=1 for a short
# pass).  Each script also runs on its own: see its header.
BENCH_SCRIPTS ?= run stream_mem mq brpop_pool fanout aof frameworks
bench: deps all
	@set -e; for b in $(BENCH_SCRIPTS); do echo "==== tests/bench/$$b.sh"; \
		BENCH_ALL=1 bash tests/bench/$$b.sh; echo; done

asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan OPT=-O1 \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
		SERVER_OUT=src/sluice-server-asan asan-inner

# Every process (test workers, spawned servers) writes its sanitizer
# reports to $(ASAN_REPORTS)/; any report fails the run, whatever the exit
# status of the process that wrote it (Criterion workers, SIGTERMed servers).
ASAN_REPORTS = $(CURDIR)/build-asan/reports
asan-inner: export ASAN_OPTIONS = log_path=$(ASAN_REPORTS)/asan:detect_leaks=1
asan-inner: export UBSAN_OPTIONS = log_path=$(ASAN_REPORTS)/ubsan:print_stacktrace=1
asan-inner: $(SRV_OBJ) $(UNIT_BIN) $(INTEG_BIN)
	$(CC) $(CFLAGS) -o src/sluice-server-asan $(SRV_OBJ) $(LDLIBS_SERVER)
	@rm -rf $(ASAN_REPORTS); mkdir -p $(ASAN_REPORTS)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t --jobs 1; done
	@set -e; for t in $(INTEG_BIN); do echo "== $$t"; \
		SLUICE_SERVER=$(CURDIR)/src/sluice-server-asan $$t --jobs 1; done
	@NOT_REQUIRED=$(CURDIR)/redis-compat/needs-jemalloc.txt \
		bash redis-compat/run.sh --server $(CURDIR)/src/sluice-server-asan
	@if [ -n "$$(ls -A $(ASAN_REPORTS))" ]; then \
		echo "asan: sanitizer reports in $(ASAN_REPORTS):"; \
		head -40 $(ASAN_REPORTS)/*; exit 1; \
	else echo "asan: no sanitizer reports"; fi

# The integration tests with the server under valgrind memcheck (issue 7):
# src/sluice-server-vg is built in build-vg/ with glibc malloc; fails on an
# invalid access or definitely/indirectly lost memory (VG_JOBS=N in parallel).
valgrind: deps
	@bash tests/valgrind/run.sh

# ---- hardening: differential tests (tests/diff) and fuzzing (tests/fuzz) ----
#   make diff [SEEDS=1-200 COUNT=5000 JOBS=2]  random commands vs redis-server
#   make diff-quick      the fixed seeds `make test` runs (~4,000 commands)
#   make fuzz [FUZZ_TIME=60 FUZZ_TARGETS="resp aof"]  libFuzzer (clang, build-fuzz/)
#   make fuzz-replay     replay tests/fuzz/corpus/<target>/ with gcc (in `make test`)
FUZZ_TARGETS ?= resp streamid config aof
FUZZ_TIME ?= 60
FUZZ_COMMON = tests/fuzz/exit_trap.c
FUZZ_OBJ = $(filter-out $(BUILD)/src/main.o,$(SRV_OBJ))
FUZZ_LD = -Wl,--wrap=exit -Wl,--wrap=chdir $(LUA_LIBS) -lm -lpthread -ldl
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -MMD -MP -fno-omit-frame-pointer \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
SEEDS ?= 1-200
COUNT ?= 5000
JOBS ?= 2

.PHONY: diff diff-quick fuzz-replay fuzz-bins

$(BUILD)/tests/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(FUZZ_COMMON) $(FUZZ_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isrc -Itests/fuzz -o $@ $< tests/fuzz/replay.c $(FUZZ_COMMON) \
		$(FUZZ_OBJ) $(FUZZ_LD)

$(BUILD)/tests/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_COMMON) $(FUZZ_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=fuzzer -Isrc -Itests/fuzz -o $@ $< $(FUZZ_COMMON) \
		$(FUZZ_OBJ) $(FUZZ_LD)

fuzz-replay: $(FUZZ_TARGETS:%=$(BUILD)/tests/fuzz/replay_%)
	@set -e; for t in $(FUZZ_TARGETS); do \
		$(BUILD)/tests/fuzz/replay_$$t tests/fuzz/corpus/$$t; done

diff-quick: all
	@SEEDS="1-6" COUNT=700 bash tests/diff/run.sh -q

diff: all
	@SEEDS="$(SEEDS)" COUNT=$(COUNT) JOBS=$(JOBS) bash tests/diff/run.sh

fuzz:
	@bash deps/install.sh --fuzz -q
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang CFLAGS="$(FUZZ_CFLAGS)" \
		fuzz-bins
	@FUZZ_TIME=$(FUZZ_TIME) bash tests/fuzz/run.sh $(FUZZ_TARGETS)

fuzz-bins: $(FUZZ_TARGETS:%=$(BUILD)/tests/fuzz/fuzz_%)

install: all
	install -m 755 $(SERVER) /usr/local/bin/sluice-server

clean:
	rm -rf build build-asan build-fuzz build-vg $(SERVER) src/sluice-server-asan src/sluice-server-vg $(TOOLS)

-include $(SRV_OBJ:.o=.d) $(DS_OBJ:.o=.d)
