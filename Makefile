# streamkit: builds bin/stream-* from src/, the shared code in src/lib.
# make            build every tool
# make deps       install the Debian packages the build and tests need
# make demo       the seed example on bundled data
# make check      every test; ends with "N passed, N failed"
# make check-san  the same under AddressSanitizer + UBSan
# make check-windows N=20000 [SEED=1]  stream-window against its reference model
# make fuzz       each libFuzzer harness of tests/fuzz for FUZZ_SECONDS
# make bench      the benchmark against mawk, gawk, Miller, datamash, jq
# make bench-memory  peak RSS of 1M and 5M groups of sketches
# make install    PREFIX=/usr/local DESTDIR=

VERSION   = 0.1.0
PREFIX   ?= /usr/local
BINDIR    = $(PREFIX)/bin
MANDIR    = $(PREFIX)/share/man
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  = $(PREFIX)/share/zsh/site-functions
CC       ?= cc
OPT      ?= -O2 -g
CFLAGS   ?=
SAN      ?=
BUILD    ?= build
BIN      ?= bin
GNULIB   ?= /usr/share/gnulib
HAVE_SYS_CDEFS_H ?= 1

WARN      = -Wall -Wextra -Werror
ALLCFLAGS = -std=gnu11 $(OPT) $(WARN) $(SAN) -DSK_VERSION='"$(VERSION)"' \
            -I$(BUILD)/gnulib -I$(BUILD)/gen -Isrc/lib $(CFLAGS)
LDLIBS    = -lcsv -lpcre2-8 -lxxhash -lz -lzstd -lbz2 -llzma -lm -lpthread

LIBSRC   := $(sort $(wildcard src/lib/*.c))
LIBOBJ   := $(LIBSRC:src/lib/%.c=$(BUILD)/lib/%.o)
TOOLSRC  := $(sort $(wildcard src/stream-*.c))
TOOLS    := $(TOOLSRC:src/%.c=$(BIN)/%)
GLOBJ     = $(BUILD)/gnulib/getopt.o $(BUILD)/gnulib/getopt1.o
# Each object's header dependencies, written by the compiler (-MMD).
DEPS      = $(LIBOBJ:.o=.d) $(TOOLSRC:src/%.c=$(BUILD)/%.d)

# Debian packages: build, tests (peers for differential tests; sshd and
# mosquitto, which tests/distributed.bats starts on 127.0.0.1), bench.
DEB_PKGS  = gcc make libc6-dev libcsv-dev gnulib libpcre2-dev libxxhash-dev \
            zlib1g-dev libzstd-dev libbz2-dev liblzma-dev \
            gzip zstd bzip2 xz-utils \
            bats bats-assert bats-support mawk gawk miller datamash jq time \
            man-db bsdextrautils mandoc parallel zsh musl-tools python3 \
            openssh-server openssh-client mosquitto mosquitto-clients

MANSRC   := $(sort $(wildcard man/*.1.in man/*.7.in))
MANPAGES := $(MANSRC:man/%.in=$(BUILD)/man/%)
MANINC   := $(wildcard man/*.inc)
COMPLETIONS = $(BUILD)/completion/streamkit.bash $(BUILD)/completion/_streamkit

.PRECIOUS: %/.dir
.SECONDARY:
.PHONY: all deps demo check check-san check-windows fuzz fuzz-build bench bench-memory install clean

all: $(TOOLS) $(MANPAGES) $(COMPLETIONS)

# The lists of the library's tables (functions, aggregates, formats) for
# the man pages, the completion and their test: a program linked with the
# library prints them, so none is copied by hand (man/lists.c).
$(BUILD)/sk-lists: man/lists.c $(LIBOBJ) $(GLOBJ)
	$(CC) $(ALLCFLAGS) $< $(LIBOBJ) $(GLOBJ) $(LDLIBS) -o $@

# Shell completion: the function names come from the function table, the
# rest from the tools' own --help at completion time.
$(BUILD)/completion/streamkit.bash: completion/streamkit.bash.in $(BUILD)/sk-lists | $(BUILD)/completion/.dir
	fns=$$($(BUILD)/sk-lists functions | tr '\n' ' '); \
	  test -n "$$fns" && sed -e "s/@FUNCTIONS@/$$fns/" $< > $@.t && mv $@.t $@
$(BUILD)/completion/_streamkit: completion/_streamkit.in $(BUILD)/completion/streamkit.bash
	sed -e '/^@BASH@$$/{r $(BUILD)/completion/streamkit.bash' -e 'd;}' $< > $@.t && mv $@.t $@

# Man pages: the shared sections (common options, formats, time syntax)
# are written once in man/*.inc and put into each page here. The common
# options get the format lists of the table (sk-lists man).
$(BUILD)/man/common-options.inc: man/common-options.inc $(BUILD)/sk-lists | $(BUILD)/man/.dir
	$(BUILD)/sk-lists man < $< > $@.t && mv $@.t $@

$(BUILD)/man/%: man/%.in $(MANINC) $(BUILD)/man/common-options.inc $(BUILD)/sk-lists | $(BUILD)/man/.dir
	sed -e 's/@VERSION@/$(VERSION)/g' \
	    -e '/^@COMMON_OPTIONS@$$/{r $(BUILD)/man/common-options.inc' -e 'd;}' \
	    -e '/^@PROGRAM_OPTIONS@$$/{r man/program-options.inc' -e 'd;}' \
	    -e '/^@JOBS@$$/{r man/jobs.inc' -e 'd;}' \
	    -e '/^@JOBS_ENV@$$/{r man/jobs-env.inc' -e 'd;}' \
	    -e '/^@FORMATS@$$/{r man/formats-text.inc' -e 'r man/formats.inc' -e 'r man/compressed.inc' -e 'd;}' \
	    -e '/^@TIME_FORMATS@$$/{r man/time.inc' -e 'd;}' \
	    $< | $(BUILD)/sk-lists man > $@.t && mv $@.t $@

# getopt_long from gnulib's getopt-gnu module, generated from the installed
# gnulib package the way gnulib's own Makefile snippet does, with the
# rpl_ prefix so it never mixes with libc's getopt.
GLSRC = $(GNULIB)/lib
$(BUILD)/gnulib/getopt.h: | $(BUILD)/gnulib/.dir
	@test -f $(GLSRC)/getopt.in.h || { echo "gnulib not found in $(GNULIB): run 'make deps'" >&2; exit 1; }
	cp $(GLSRC)/getopt.c $(GLSRC)/getopt1.c $(GLSRC)/getopt_int.h \
	   $(GLSRC)/getopt-core.h $(GLSRC)/getopt-ext.h $(GLSRC)/getopt-pfx-core.h \
	   $(GLSRC)/getopt-pfx-ext.h $(GLSRC)/gettext.h $(BUILD)/gnulib/
	sed -e 's/@HAVE_SYS_CDEFS_H@/$(HAVE_SYS_CDEFS_H)/' $(GLSRC)/getopt-cdefs.in.h > $(BUILD)/gnulib/getopt-cdefs.h
	printf '#define __GETOPT_PREFIX rpl_\n#define _GL_UNUSED __attribute__((__unused__))\n' > $(BUILD)/gnulib/config.h
	sed -e 's/@GUARD_PREFIX@/GL_SK/g' -e 's/@HAVE_GETOPT_H@/0/g' \
	    -e 's/@PRAGMA_SYSTEM_HEADER@//' -e 's/@PRAGMA_COLUMNS@//' \
	    -e 's/@INCLUDE_NEXT@ @NEXT_GETOPT_H@//' \
	    -e '/definition of _GL_ARG_NONNULL/r $(GLSRC)/arg-nonnull.h' \
	    $(GLSRC)/getopt.in.h > $@.t
	@! grep -n '@[A-Z_]*@' $(BUILD)/gnulib/getopt-cdefs.h $@.t || \
	  { echo "gnulib: a placeholder above is not replaced (a newer gnulib?)" >&2; rm -f $@.t; exit 1; }
	mv $@.t $@

# The --help text of the common options, from the lines '.\" help' of
# their man page text, as C strings for sk_tool.c.
$(BUILD)/gen/usage_common.h: man/common-options.inc | $(BUILD)/gen/.dir
	{ echo '/* Made by the Makefile from $<: edit that. */'; \
	  echo 'static const char *const usage_lines[] = {'; \
	  sed -n -e '/^\.\\" help /!d' -e 's///' -e 's/[\\"]/\\&/g' -e 's/.*/	"&",/p' $<; \
	  echo '	NULL,'; echo '};'; \
	  echo 'static const struct usage_note { const char *name, *note; } usage_notes[] = {'; \
	  sed -n -e '/^\.\\" help-note /!d' -e 's///' -e 's/[\\"]/\\&/g' \
	    -e 's/^\([^ ]*\) \(.*\)/	{ "\1", "\2" },/p' $<; \
	  echo '	{ NULL, NULL },'; echo '};'; } > $@.t && mv $@.t $@
$(BUILD)/lib/sk_tool.o: $(BUILD)/gen/usage_common.h

$(BUILD)/gnulib/%.o: $(BUILD)/gnulib/getopt.h
	$(CC) -std=gnu11 $(OPT) $(SAN) -DHAVE_CONFIG_H -I$(BUILD)/gnulib -c $(BUILD)/gnulib/$*.c -o $@

$(BUILD)/lib/%.o: src/lib/%.c $(BUILD)/gnulib/getopt.h | $(BUILD)/lib/.dir
	$(CC) $(ALLCFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/%.o: src/%.c $(BUILD)/gnulib/getopt.h | $(BUILD)/lib/.dir
	$(CC) $(ALLCFLAGS) -MMD -MP -c $< -o $@

-include $(DEPS)

$(BUILD)/libstreamkit.a: $(LIBOBJ) $(GLOBJ)
	rm -f $@ && ar rcs $@ $^

$(BIN)/%: $(BUILD)/%.o $(LIBOBJ) $(GLOBJ) | $(BIN)/.dir
	$(CC) $(OPT) $(SAN) $< $(LIBOBJ) $(GLOBJ) $(LDLIBS) -o $@

%/.dir:
	mkdir -p $* && touch $@

deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "deps: all packages present"; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "deps: installing$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else echo "deps: run as root: apt-get install -y$$missing"; exit 1; fi

# The seed example: each client's share of the traffic in an access log.
# The bundled log has one truncated line, which the tool reports and skips
# (exit status 1); anything worse fails the demo.
DEMO_LOG = ../shared/data/access/apache_combined_10k.log
DEMO_IN  = $(if $(wildcard $(DEMO_LOG)),$(DEMO_LOG),tests/data/access_sample.log)
demo: deps all
	@echo '$$ stream-agg -i clf -g host '"'"'sum(bytes) as bytes, share(bytes) as share'"'"' --sort -share --top 10 -o table < $(DEMO_IN)'
	@$(BIN)/stream-agg -i clf -g host 'sum(bytes) as bytes, share(bytes) as share' \
	  --sort -share --top 10 -o table < $(DEMO_IN); st=$$?; [ $$st -le 1 ]

check: deps all
	@BIN=$(abspath $(BIN)) BUILD=$(abspath $(BUILD)) LDLIBS='$(LDLIBS)' tests/run

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer, in
# its own build tree.
check-san: deps
	$(MAKE) BUILD=build-san BIN=build-san/bin OPT='-O1 -g -fno-omit-frame-pointer' \
	  SAN='-fsanitize=address,undefined -fno-sanitize-recover=all' all
	@BIN=$(abspath build-san/bin) BUILD=$(abspath build-san) LDLIBS='$(LDLIBS)' \
	  SAN_FLAGS='-fsanitize=address,undefined' ASAN_OPTIONS=detect_leaks=1 tests/run

# stream-window against the reference model in tests/windows on N seeded
# random streams and options (make check runs 500 of them), then --state
# over N/10 of them cut into runs against one run (make check: 300).
N    ?= 20000
SEED ?= 1
check-windows: all
	@python3 tests/windows/check.py -n $(N) -s $(SEED) --bin $(abspath $(BIN))
	@python3 tests/windows/state.py -n $$(( $(N) / 10 )) -s $(SEED) --bin $(abspath $(BIN))

# Fuzzing (tests/fuzz/README.md): libFuzzer harnesses built with clang
# against the library built with the same flags in its own tree, each run
# for FUZZ_SECONDS on a corpus seeded from the tests. A crash stops the
# run and leaves its input in build-fuzz/crash/HARNESS/.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 30
FUZZ_ARGS    ?=
FUZZ         ?= $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_SAN      = -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all
FUZZ_OPT      = -O1 -g -fno-omit-frame-pointer
FUZZ_LDFLAGS := $(shell cat tests/fuzz/ldflags)

fuzz-build: deps all
	@command -v $(FUZZ_CC) >/dev/null || { echo "make fuzz needs clang (libFuzzer): apt-get install -y clang" >&2; exit 1; }
	$(MAKE) CC=$(FUZZ_CC) BUILD=build-fuzz BIN=build-fuzz/bin OPT='$(FUZZ_OPT)' \
	  SAN='$(FUZZ_SAN) -fsanitize=fuzzer-no-link' build-fuzz/libstreamkit.a
	@mkdir -p build-fuzz/fuzz
	@for h in $(FUZZ); do \
	  echo "$(FUZZ_CC) ... tests/fuzz/fuzz_$$h.c -o build-fuzz/fuzz/$$h"; \
	  $(FUZZ_CC) -std=gnu11 $(FUZZ_OPT) $(WARN) $(FUZZ_SAN) -fsanitize=fuzzer \
	    -Isrc/lib -Ibuild-fuzz/gnulib tests/fuzz/fuzz_$$h.c tests/fuzz/common.c \
	    build-fuzz/libstreamkit.a $(FUZZ_LDFLAGS) $(LDLIBS) -o build-fuzz/fuzz/$$h || exit 1; \
	done

fuzz: fuzz-build
	@for h in $(FUZZ); do \
	  c=build-fuzz/corpus/$$h; mkdir -p $$c build-fuzz/crash/$$h; \
	  [ -n "$$(ls $$c)" ] || BIN=$(abspath $(BIN)) tests/fuzz/seed $$h $$c || exit 1; \
	  d=; [ -f tests/fuzz/$$h.dict ] && d=-dict=tests/fuzz/$$h.dict; \
	  r=; [ -d tests/fuzz/regress/$$h ] && r=tests/fuzz/regress/$$h; \
	  echo "fuzz: $$h for $(FUZZ_SECONDS)s"; \
	  build-fuzz/fuzz/$$h -max_total_time=$(FUZZ_SECONDS) -timeout=20 \
	    -rss_limit_mb=2048 -max_len=65536 -close_fd_mask=2 -print_final_stats=1 \
	    $$d \
	    -artifact_prefix=build-fuzz/crash/$$h/ $(FUZZ_ARGS) $$c $$r \
	    2>build-fuzz/$$h.log; st=$$?; \
	  grep -E '^#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::average_exec_per_sec' build-fuzz/$$h.log; \
	  if [ $$st -ne 0 ]; then \
	    echo "fuzz: $$h found a crash (build-fuzz/$$h.log); its input is in build-fuzz/crash/$$h/:"; \
	    ls build-fuzz/crash/$$h; exit 1; fi; \
	done

# make static: fully static tools in build-static/bin, with musl-gcc (Debian's
# musl-tools) and the static libraries of the Debian -dev packages above.
# Those are built for glibc with _FORTIFY_SOURCE; the few glibc-only calls
# that brings (__memcpy_chk and the like) are in src/static/glibc_compat.c.
# Only the listed headers are put on the include path, so no glibc header
# mixes with musl's.
SBUILD      = build-static
STATIC_LIBS = csv pcre2-8 xxhash z zstd bz2 lzma
STATIC_HDRS = csv.h pcre2.h xxhash.h zlib.h zconf.h zstd.h zstd_errors.h bzlib.h lzma.h lzma
MULTIARCH  := $(shell gcc -print-multiarch 2>/dev/null)
STATIC_LIBDIR ?= /usr/lib/$(MULTIARCH)
STATIC_TOOLS = $(TOOLSRC:src/%.c=$(SBUILD)/bin/%)
static:
	@command -v musl-gcc >/dev/null || { echo "make static needs musl-gcc: apt-get install musl-tools" >&2; exit 1; }
	@mkdir -p $(SBUILD)/include $(SBUILD)/lib
	@for h in $(STATIC_HDRS); do ln -sfn /usr/include/$$h $(SBUILD)/include/$$h; done
	@for l in $(STATIC_LIBS); do test -f $(STATIC_LIBDIR)/lib$$l.a || { echo "no $(STATIC_LIBDIR)/lib$$l.a: run 'make deps'" >&2; exit 1; }; \
	  ln -sf $(STATIC_LIBDIR)/lib$$l.a $(SBUILD)/lib/; done
	musl-gcc -O2 -Wall -Wextra -Werror -c src/static/glibc_compat.c -o $(SBUILD)/glibc_compat.o
	$(MAKE) BUILD=$(SBUILD) BIN=$(SBUILD)/bin CC=musl-gcc HAVE_SYS_CDEFS_H=0 OPT=-O2 \
	  CFLAGS='-isystem $(SBUILD)/include' \
	  LDLIBS='-static -s $(SBUILD)/glibc_compat.o -L$(SBUILD)/lib $(LDLIBS)' \
	  $(STATIC_TOOLS) $(MANSRC:man/%.in=$(SBUILD)/man/%)

# The static tools run where there is nothing else: in an empty chroot
# (no libc, no /dev, no /etc) each tool reads the bundled log and gives
# what the dynamic build gives. Needs root for chroot(8).
check-static: all static
	@BIN=$(abspath $(BIN)) SBIN=$(abspath $(SBUILD)/bin) LOG=$(abspath $(DEMO_IN)) tests/static.sh

bench: deps all
	@BIN=$(abspath $(BIN)) bench/run

# Peak memory of many small groups (the sketches start small): 1M and 5M
# groups, approx_distinct within 2 GiB. A few minutes and ~300 MB of data.
bench-memory: all
	@BIN=$(abspath $(BIN)) bench/memory

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7
	install -m 755 $(TOOLS) $(DESTDIR)$(BINDIR)/
	for m in $(filter %.1,$(MANPAGES)); do install -m 644 $$m $(DESTDIR)$(MANDIR)/man1/; done
	for m in $(filter %.7,$(MANPAGES)); do install -m 644 $$m $(DESTDIR)$(MANDIR)/man7/; done
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 644 $(BUILD)/completion/streamkit.bash $(DESTDIR)$(BASHCOMPDIR)/stream-filter
	for t in $(filter-out stream-filter,$(notdir $(TOOLS))); do ln -sf stream-filter $(DESTDIR)$(BASHCOMPDIR)/$$t; done
	install -m 644 $(BUILD)/completion/_streamkit $(DESTDIR)$(ZSHCOMPDIR)/_streamkit

clean:
	rm -rf $(BUILD) build-san build-fuzz $(SBUILD) $(BIN)
