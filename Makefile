# CatLog Pages build. Driven by ./build.sh; usable directly with `make`.
#   make                 -> build/catlog            (-O2)
#   make SAN=1           -> build/asan/catlog       (ASan + UBSan), plus unit test binaries
CC      ?= cc
PKGS    := libcjson libcurl libcmark openssl zlib yaml-0.1 libzstd
VERSION := $(shell cat VERSION)
PG_INC  := $(shell pg_config --includedir 2>/dev/null)
WARN    := -std=c11 -Wall -Wextra -Werror -D_DEFAULT_SOURCE -D_GNU_SOURCE -DCATLOG_VERSION='"$(VERSION)"'
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

# make install: PREFIX (default /usr/local) and DESTDIR as usual. The installed tree finds its
# data as ../share/catlog next to the binary, so it can be moved.
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share/catlog
MANDIR     ?= $(PREFIX)/share/man/man1
UNITDIR    ?= $(PREFIX)/lib/systemd/system
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
STATEDIR   ?= $(if $(filter /usr,$(PREFIX)),/var/lib/catlog,$(PREFIX)/var/lib/catlog)
MERMAID    := node_modules/mermaid/dist/mermaid.min.js
UNITS      := catlog-nightly.service catlog-nightly.timer catlog-watch.service
SUBST      = sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@DATADIR@|$(DATADIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
                 -e 's|@STATEDIR@|$(STATEDIR)|g' -e 's|@VERSION@|$(VERSION)|g'

.PHONY: all tests clean install uninstall
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

install: all
	install -D -m 755 $(OUT)/catlog $(DESTDIR)$(BINDIR)/catlog
	rm -rf $(DESTDIR)$(DATADIR)
	mkdir -p $(DESTDIR)$(DATADIR)
	cp -R templates assets content $(DESTDIR)$(DATADIR)/
	install -D -m 644 tools/mermaid-render.mjs $(DESTDIR)$(DATADIR)/tools/mermaid-render.mjs
	@if [ -f $(MERMAID) ]; then install -D -m 644 $(MERMAID) $(DESTDIR)$(DATADIR)/vendor/mermaid.min.js; \
	 else echo "warning: $(MERMAID) missing (run ./build.sh): the docs' diagrams will show as text" >&2; fi
	mkdir -p $(DESTDIR)$(MANDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(DATADIR)/examples
	$(SUBST) deploy/man/catlog.1.in > $(DESTDIR)$(MANDIR)/catlog.1
	for u in $(UNITS); do $(SUBST) deploy/systemd/$$u.in > $(DESTDIR)$(UNITDIR)/$$u; done
	$(SUBST) deploy/cron/catlog.crontab.in > $(DESTDIR)$(DATADIR)/examples/catlog.crontab
	$(SUBST) deploy/env.example > $(DESTDIR)$(DATADIR)/examples/env

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/catlog $(DESTDIR)$(MANDIR)/catlog.1
	for u in $(UNITS); do rm -f $(DESTDIR)$(UNITDIR)/$$u; done
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build

-include $(shell find $(OUT)/obj -name '*.d' 2>/dev/null)

# the version is compiled into core/version.c only
$(OUT)/obj/generator/core/version.o: VERSION
