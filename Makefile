# The workbook engine.  `make` builds out/bin/workbook and the library; `make check` runs the
# unit and end-to-end tests in the normal build, again under ASan+UBSan, and end-to-end
# builds under valgrind; `make catalogue` builds every shipped course edition into out/.
.SUFFIXES:

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
LIBDIR   = $(PREFIX)/lib
INCDIR   = $(PREFIX)/include
DATADIR  = $(PREFIX)/share/workbook
MANDIR   = $(PREFIX)/share/man/man1
COMPDIR  = $(PREFIX)/share/bash-completion/completions

CC      ?= cc
PKGS     = libxml-2.0 libxslt pangocairo cairo-pdf cairo-svg cairo-png librsvg-2.0 gdk-pixbuf-2.0 glib-2.0 libqpdf fontconfig zlib \
           libsoup-3.0 gio-2.0
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhyphen -lm
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)

OPT     ?= -O2
CFLAGS  ?= -g
WARN     = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(OPT) $(CFLAGS) $(WARN) -Iinclude -Isrc $(PKG_CFLAGS) \
             -DWB_DATADIR='"$(DATADIR)"'

# The build flavour: out/ for the normal build, out/asan/ for the sanitizer build.
BUILD   ?= out
SAN     ?=
ALL_CFLAGS += $(SAN)
LDFLAGS_ALL = $(SAN) $(LDFLAGS)

# Every source file below src/ is part of the library but for the command line's.
LIB_SRC = $(sort $(filter-out src/cli/%,$(wildcard src/*.c src/*/*.c)))
CLI_SRC = src/cli/main.c
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ = $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_TESTS = $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))
E2E_TESTS  = $(patsubst tests/e2e/%.c,%,$(wildcard tests/e2e/test_*.c))
TEST_BINS  = $(UNIT_TESTS:%=$(BUILD)/tests/%) $(E2E_TESTS:%=$(BUILD)/tests/%)

# The system's hyphenation dictionaries, prepared once (closed under substrings and loaded by
# libhyphen, whose automaton is written out) into $(BUILD)/hyphen, where the programs of the
# build tree find them; installed beside the styles.  The engine uses one only when the
# SHA-256 it records is that of the installed dictionary (see src/format/hyphenate.h).
HYPHEN_DIR  ?= /usr/share/hyphen
HYPHEN_DICS  = $(wildcard $(HYPHEN_DIR)/hyph_*.dic)
HYPHEN_OBJ   = $(BUILD)/obj/src/format/hyphen.o $(BUILD)/obj/src/format/hyph-patterns.o $(BUILD)/obj/src/format/hyph-prepared.o
HYPHEN_TOOL  = $(BUILD)/bin/hyphen-prepare
HYPHEN_STAMP = $(BUILD)/obj/hyphen.stamp

all: $(BUILD)/bin/workbook $(BUILD)/lib/libworkbook.a $(HYPHEN_STAMP)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/lib/libworkbook.a: $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

$(BUILD)/bin/workbook: $(CLI_OBJ) $(BUILD)/lib/libworkbook.a
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $(CLI_OBJ) $(BUILD)/lib/libworkbook.a $(PKG_LIBS)

# Only the hyphenation module: the tool is not remade, nor are the dictionaries, when another
# part of the library changes.
$(HYPHEN_TOOL): $(BUILD)/obj/tools/hyphen-prepare.o $(HYPHEN_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS)

$(HYPHEN_STAMP): $(HYPHEN_TOOL) $(HYPHEN_DICS)
	rm -rf $(BUILD)/hyphen
	$(HYPHEN_TOOL) $(HYPHEN_DIR) $(BUILD)/hyphen
	@touch $@

TEST_LINK = $(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -Itests $(LDFLAGS_ALL) -o $@ $< tests/unit/support.c \
	    $(BUILD)/lib/libworkbook.a $(PKG_LIBS) $(CHECK_LIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/support.c $(BUILD)/lib/libworkbook.a
	@mkdir -p $(dir $@)
	$(TEST_LINK)

$(BUILD)/tests/%: tests/e2e/%.c tests/unit/support.c $(BUILD)/lib/libworkbook.a
	@mkdir -p $(dir $@)
	$(TEST_LINK)

# test_hyphen checks the prepared dictionaries of the build it belongs to
$(BUILD)/tests/test_hyphen: $(HYPHEN_STAMP)

# The preview's script and style become C strings (src/preview/assets.c includes them).
PREVIEW_ASSETS = src/preview/assets/app.js src/preview/assets/app.css
$(BUILD)/gen/preview-assets.inc: $(PREVIEW_ASSETS) Makefile
	@mkdir -p $(dir $@)
	{ for f in $(PREVIEW_ASSETS); do \
	    n=$$(basename $$f | tr . _); \
	    echo "const char pv_$$n[] ="; \
	    sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $$f; \
	    echo ";"; \
	  done; } > $@.tmp && mv $@.tmp $@
$(BUILD)/obj/src/preview/assets.o: $(BUILD)/gen/preview-assets.inc
$(BUILD)/obj/src/preview/assets.o: ALL_CFLAGS += -I$(BUILD)/gen

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(BUILD)/obj/tools/hyphen-prepare.d

# ---------------------------------------------------------------- tests

# Runs every unit test and the end-to-end suite with the binaries of $(BUILD).
test-run: all $(TEST_BINS)
	@tests/run-tests.sh $(BUILD) $(UNIT_TESTS) $(E2E_TESTS)

check: deps-check-test
	$(MAKE) layers
	$(MAKE) test-run
	$(MAKE) check-asan
	$(MAKE) valgrind

check-asan:
	$(MAKE) BUILD=out/asan OPT=-O1 SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" test-run

# Every call goes down a layer and no files call each other (README, "Architecture").
layers: all
	tools/check-layers.sh $(BUILD)/obj

valgrind: all
	tests/e2e/valgrind.sh out

# Every expectation of tests/fo/*.expect fails on some broken copy of its file (tests/fo/MUTANTS.txt).
fo-mutants: all $(BUILD)/tests/test_fo_corpus
	tools/fo-mutants.sh $(BUILD)

# Every tests/fo file with Apache FOP (when installed) and the engine: page counts and text.
compare: all
	tools/compare.sh -j $$(nproc)

# Apache FOP's own example documents (Debian's fop-doc, fetched with apt-get download into
# out/fop-examples, not installed) with FOP and the engine, as make compare does.
compare-examples: all
	@mkdir -p $(BUILD)/fop-examples
	@[ -d $(BUILD)/fop-examples/usr/share/doc/fop/examples ] || \
	    { cd $(BUILD)/fop-examples && apt-get download fop-doc && dpkg-deb -x fop-doc_*.deb . && rm -f fop-doc_*.deb; }
	tools/compare.sh -j $$(nproc) -o $(BUILD)/compare-examples $$(find $(BUILD)/fop-examples -name '*.fo' | sort)

# ---------------------------------------------------------------- speed

# The engine beside a bare pango+cairo program, Apache FOP and Typst on the same documents,
# and every shipped edition timed (tests/bench/README.md).  FOP and Typst are used when
# installed; `make bench-deps` installs them.  Nothing here is part of `all` or `check`.
BARE_PKGS = pangocairo cairo-pdf glib-2.0

$(BUILD)/bench/bare: tests/bench/bare.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_GNU_SOURCE $(OPT) $(CFLAGS) $(WARN) $(shell pkg-config --cflags $(BARE_PKGS)) $(LDFLAGS_ALL) \
	    -o $@ $< $(shell pkg-config --libs $(BARE_PKGS)) -lhyphen -lm

bench: all $(BUILD)/bench/bare $(BUILD)/tests/test_preview
	tests/bench/run.sh $(BUILD)

bench-deps:
	tests/bench/run.sh --deps $(BUILD)

# ---------------------------------------------------------------- fuzzing

# libFuzzer targets (tests/fuzz): the course loader, the formatter, the property parser, with
# the library built by clang for them in out/fuzz.  `make fuzz FUZZ_SECONDS=N` runs each for
# N seconds (default 60); a crash, a leak or a hang fails (tests/fuzz/run.sh).  Needs clang
# and libclang-rt-14-dev (tools/deps.sh --fuzz).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= load format properties catalogue
FUZZ_CC      ?= clang
FUZZ_SAN      = -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/targets.c $(BUILD)/lib/libworkbook.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer $(LDFLAGS_ALL) -o $@ $< tests/fuzz/targets.c $(BUILD)/lib/libworkbook.a $(PKG_LIBS)

fuzz-build:
	@tools/deps.sh --fuzz
	$(MAKE) BUILD=out/fuzz CC=$(FUZZ_CC) OPT=-O1 SAN="$(FUZZ_SAN)" $(FUZZ_TARGETS:%=out/fuzz/fuzz/fuzz_%)

fuzz: fuzz-build
	tests/fuzz/run.sh out/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# ---------------------------------------------------------------- the catalogue

# Every edition courses/catalogue.xml lists, built only when its inputs changed (README,
# "Batches"); tools/build-catalogue.sh is the old shell loop, kept as a fallback.
catalogue: deps-check
	$(MAKE) all
	out/bin/workbook batch courses/catalogue.xml --out out

# The packages to build and run (make catalogue), and those to test besides (make check).
deps-check:
	@tools/deps.sh --check

deps-check-test:
	@tools/deps.sh --check-test

# ---------------------------------------------------------------- install

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR)/workbook $(DESTDIR)$(DATADIR)/styles/strings \
	    $(DESTDIR)$(DATADIR)/hyphen
	cp out/bin/workbook $(DESTDIR)$(BINDIR)/workbook
	cp out/lib/libworkbook.a $(DESTDIR)$(LIBDIR)/libworkbook.a
	cp include/workbook.h $(DESTDIR)$(INCDIR)/workbook.h
	cp include/workbook/*.h $(DESTDIR)$(INCDIR)/workbook/
	mkdir -p $(DESTDIR)$(LIBDIR)/pkgconfig
	printf 'prefix=%s\nlibdir=%s\nincludedir=%s\n\nName: workbook\nDescription: training-course workbooks from XML through XSL-FO to PDF\nVersion: 0.1\nRequires: %s\nLibs: -L$${libdir} -lworkbook -lhyphen -lm\nCflags: -I$${includedir}\n' \
	    '$(PREFIX)' '$(LIBDIR)' '$(INCDIR)' '$(PKGS)' > $(DESTDIR)$(LIBDIR)/pkgconfig/workbook.pc
	cp styles/*.xsl styles/*.rng styles/*.rnc $(DESTDIR)$(DATADIR)/styles/
	-cp styles/*.xml $(DESTDIR)$(DATADIR)/styles/ 2>/dev/null
	-cp styles/strings/*.xml $(DESTDIR)$(DATADIR)/styles/strings/ 2>/dev/null
	for f in out/hyphen/*.dic; do if [ -f "$$f" ]; then cp "$$f" $(DESTDIR)$(DATADIR)/hyphen/ || exit 1; fi; done
	mkdir -p $(DESTDIR)$(MANDIR) $(DESTDIR)$(COMPDIR)
	cp doc/workbook.1 $(DESTDIR)$(MANDIR)/workbook.1
	cp tools/workbook.bash-completion $(DESTDIR)$(COMPDIR)/workbook

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/workbook $(DESTDIR)$(LIBDIR)/libworkbook.a $(DESTDIR)$(INCDIR)/workbook.h
	rm -f $(DESTDIR)$(LIBDIR)/pkgconfig/workbook.pc
	rm -f $(DESTDIR)$(MANDIR)/workbook.1 $(DESTDIR)$(COMPDIR)/workbook
	rm -rf $(DESTDIR)$(INCDIR)/workbook $(DESTDIR)$(DATADIR)

clean:
	rm -rf out

.PHONY: all check check-asan test-run layers valgrind fo-mutants compare compare-examples bench bench-deps fuzz fuzz-build catalogue deps-check deps-check-test install uninstall clean
