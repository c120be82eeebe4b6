# CatLog Pages build. Driven by ./build.sh; usable directly with `make`.
#   make                 -> build/catlog            (-O2)
#   make SAN=1           -> build/asan/catlog       (ASan + UBSan), plus unit test binaries
CC      ?= cc
PKGS    := libcjson libcurl libcmark openssl zlib
PG_INC  := $(shell pg_config --includedir 2>/dev/null)
WARN    := -std=c11 -Wall -Wextra -Werror -D_DEFAULT_SOURCE -D_GNU_SOURCE
INCS    := -Igenerator -I$(PG_INC) $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS    := -lpq $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm

ifeq ($(SAN),1)
OUT     := build/asan
OPT     := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
else
OUT     := build
OPT     := -O2 -g
endif

CFLAGS  := $(WARN) $(OPT) $(INCS) -MMD -MP

SRCS     := $(shell find generator -name '*.c' | sort)
LIB_SRCS := $(filter-out generator/main.c,$(SRCS))
EMBED_OBJ := $(OUT)/obj/generator/db/migrations_embedded.o
OBJS     := $(SRCS:%.c=$(OUT)/obj/%.o) $(EMBED_OBJ)
LIB_OBJS := $(LIB_SRCS:%.c=$(OUT)/obj/%.o) $(EMBED_OBJ)
SQL      := $(sort $(wildcard generator/db/sql/*.sql))

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(OUT)/tests/%)

.PHONY: all tests clean
all: $(OUT)/catlog
tests: $(OUT)/catlog $(UNIT_BINS)

$(OUT)/catlog: $(OBJS)
	$(CC) $(CFLAGS) -o $@ $^ $(LIBS)

$(OUT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# Migrations are embedded into the binary: one generated C file holding every sql/NNN_*.sql.
$(EMBED_OBJ): $(OUT)/gen/migrations_embedded.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<
$(OUT)/gen/migrations_embedded.c: $(SQL) tools/embed_sql.sh
	@mkdir -p $(dir $@)
	sh tools/embed_sql.sh $(SQL) > $@.tmp && mv $@.tmp $@

$(OUT)/tests/%: tests/unit/%.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(LIB_OBJS) $(LIBS) -lcmocka

clean:
	rm -rf build

-include $(shell find $(OUT)/obj -name '*.d' 2>/dev/null)
