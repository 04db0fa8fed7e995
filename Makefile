# The project's two commands (README.md):
#   make demo   the main job: the seed paper end to end on the shipped synthetic cohort
#               (tables to stdout, figures to out/), then the Fig. 1 and PACS-plugin examples
#               in Rust and C
#   make test   every test: formatting, lints, Rust unit/property/reference tests, rustdoc, the
#               bare-metal build, the C package (header, ABI contract, install + consumers), the C and C++ tests under sanitizers and valgrind, the dlopen test, the
#               no-panic proof, a smoke run of every fuzz target, the core's tests under Miri
# Both install what a fresh machine lacks. .ci/run calls `make test`.

SHELL := /bin/bash
CARGO ?= cargo
BARE_METAL_TARGET := thumbv7em-none-eabihf

.PHONY: demo test setup fmt clippy rust-tests bare-metal c-tests proof \
        nightly-setup fuzz-build fuzz-smoke fuzz-long fuzz-rotate fuzz-cmin miri miri-lib miri-properties
.PHONY: package-setup install uninstall doc c-package

demo: setup
	$(CARGO) run --quiet --release --example seed_paper
	@echo
	$(CARGO) run --quiet --release --example fig1
	$(MAKE) --no-print-directory -C ffi-tests lib
	mkdir -p ffi-tests/build
	$(CC) -std=c99 -Wall -Wextra -Wpedantic -Werror -Iinclude examples/c/fig1.c \
	  target/release/libecvkit.a -lm -o ffi-tests/build/fig1_c
	./ffi-tests/build/fig1_c
	@echo
	$(CC) -std=c99 -Wall -Wextra -Wpedantic -Werror -Iinclude examples/c/pacs_plugin.c \
	  target/release/libecvkit.a -lm -o ffi-tests/build/pacs_plugin
	./ffi-tests/build/pacs_plugin

test: setup fmt clippy rust-tests doc bare-metal c-tests c-package proof fuzz-smoke miri
	@echo "make test: all checks passed"

# What a fresh machine may lack: rustfmt, clippy, the bare-metal standard library, a C compiler.
setup: package-setup
	@command -v $(CARGO) >/dev/null || { echo "cargo is required (https://rustup.rs)"; exit 1; }
	@command -v cc >/dev/null && command -v c++ >/dev/null || { \
	  echo "installing a C/C++ compiler"; apt-get update -qq && apt-get install -y -qq gcc g++ make; }
	@command -v valgrind >/dev/null || { \
	  echo "installing valgrind"; apt-get update -qq && apt-get install -y -qq valgrind; }
	@rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
	@rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
	@rustup target list --installed 2>/dev/null | grep -q '^$(BARE_METAL_TARGET)$$' || \
	  rustup target add $(BARE_METAL_TARGET)

fmt:
	$(CARGO) fmt --check

clippy:
	$(CARGO) clippy --quiet --all-targets --features capi -- -D warnings

rust-tests:
	$(CARGO) test --features capi

# Proof that nothing pulls in std: the library builds for a bare-metal target.
bare-metal:
	$(CARGO) build --quiet --lib --release --target $(BARE_METAL_TARGET)
	$(CARGO) build --quiet --lib --release --target $(BARE_METAL_TARGET) --features capi

c-tests:
	$(MAKE) --no-print-directory -C ffi-tests test

proof:
	$(MAKE) --no-print-directory -C ffi-tests proof

# ---- The C package (issue 13): install, uninstall, API docs, the package's tests ------------

# `make install PREFIX=/opt/ecvkit` (default /usr/local; DESTDIR for staging) installs
#   include/ecvkit.h, lib/libecvkit.a, lib/libecvkit.so.X.Y.Z (SONAME libecvkit.so.X) with the
#   links libecvkit.so.X and libecvkit.so, lib/pkgconfig/ecvkit.pc,
#   lib/cmake/ecvkit/ecvkitConfig.cmake and ecvkitConfigVersion.cmake (ecvkit::ecvkit, ecvkit::ecvkit_static).
# Cargo.toml's version is the one version of all of them.
PREFIX  ?= /usr/local
DESTDIR ?=
PKG_VERSION := $(shell sed -n 's/^version = "\([^"]*\)"/\1/p' Cargo.toml | head -n 1)
PKG_MAJOR   := $(firstword $(subst ., ,$(PKG_VERSION)))
LIBDIR_I    := $(DESTDIR)$(PREFIX)/lib
PKG_SUBST   := sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(PKG_VERSION)|g' -e 's|@MAJOR@|$(PKG_MAJOR)|g'

# What the package tests need besides a C compiler: pkg-config and CMake.
package-setup:
	@command -v pkg-config >/dev/null && command -v cmake >/dev/null || { \
	  echo "installing pkg-config and cmake"; apt-get update -qq && apt-get install -y -qq pkg-config cmake; }

install:
	$(MAKE) --no-print-directory -C ffi-tests lib
	install -d $(DESTDIR)$(PREFIX)/include $(LIBDIR_I)/pkgconfig $(LIBDIR_I)/cmake/ecvkit
	install -m 644 include/ecvkit.h $(DESTDIR)$(PREFIX)/include/ecvkit.h
	install -m 644 target/release/libecvkit.a $(LIBDIR_I)/libecvkit.a
	install -m 755 target/release/libecvkit.so $(LIBDIR_I)/libecvkit.so.$(PKG_VERSION)
	ln -sfn libecvkit.so.$(PKG_VERSION) $(LIBDIR_I)/libecvkit.so.$(PKG_MAJOR)
	ln -sfn libecvkit.so.$(PKG_MAJOR) $(LIBDIR_I)/libecvkit.so
	$(PKG_SUBST) pkg/ecvkit.pc.in > $(LIBDIR_I)/pkgconfig/ecvkit.pc
	$(PKG_SUBST) pkg/ecvkitConfig.cmake.in > $(LIBDIR_I)/cmake/ecvkit/ecvkitConfig.cmake
	$(PKG_SUBST) pkg/ecvkitConfigVersion.cmake.in > $(LIBDIR_I)/cmake/ecvkit/ecvkitConfigVersion.cmake
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ] && command -v ldconfig >/dev/null; then ldconfig; fi

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/include/ecvkit.h $(LIBDIR_I)/libecvkit.a \
	  $(LIBDIR_I)/libecvkit.so.$(PKG_VERSION) $(LIBDIR_I)/libecvkit.so.$(PKG_MAJOR) $(LIBDIR_I)/libecvkit.so \
	  $(LIBDIR_I)/pkgconfig/ecvkit.pc $(LIBDIR_I)/cmake/ecvkit/ecvkitConfig.cmake \
	  $(LIBDIR_I)/cmake/ecvkit/ecvkitConfigVersion.cmake
	-rmdir $(LIBDIR_I)/cmake/ecvkit 2>/dev/null

# The API docs, with every rustdoc warning (a broken intra-doc link, ...) an error.
doc:
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --quiet --no-deps --features capi

# Header macros in five language modes, the ABI contract, the installed tree and its
# consumers (pkg-config, CMake, rpath), the README's C snippets (ffi-tests/Makefile).
c-package: package-setup
	$(MAKE) --no-print-directory -C ffi-tests package

# ---- Reliability (issue 9): fuzzing and Miri, both on the nightly toolchain -----------------

# One cargo-fuzz target per family of C functions (fuzz/fuzz_targets/, invariants in fuzz/src/lib.rs).
FUZZ_TARGETS := ecv roi km logrank cox cutpoint stats
# Smoke run in `make test`: every committed corpus input once, then new inputs up to this many
# executions per target, from a fixed seed, so that CI's run is the run checked here (a time
# limit would make the number of inputs, and so what is found, depend on the machine).
FUZZ_SMOKE_RUNS ?= 20000
FUZZ_SMOKE_SEED ?= 1
# Long run (`make fuzz-long`): executions per target; 7 x 1.5e6 > 1e7 in all.
FUZZ_RUNS ?= 1500000
FUZZ_FLAGS := -timeout=10 -rss_limit_mb=4096 -print_final_stats=1
FUZZ_WORK := $(CURDIR)/target/fuzz-work

nightly-setup:
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@rustup +nightly component list --installed 2>/dev/null | grep -q '^miri' && \
	  rustup +nightly component list --installed 2>/dev/null | grep -q '^rust-src' || \
	  rustup +nightly component add miri rust-src
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --locked

fuzz-build: nightly-setup
	cd fuzz && $(CARGO) +nightly fuzz build -O

# New inputs go to a scratch directory first on the command line, so the committed corpus is
# only read; libFuzzer exits non-zero on a crash, a broken invariant, a leak or a timeout.
fuzz-smoke: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
	  rm -rf $(FUZZ_WORK)/smoke/$$t; mkdir -p $(FUZZ_WORK)/smoke/$$t; \
	  echo "== fuzz smoke: $$t (corpus fuzz/corpus/$$t, then new inputs: $(FUZZ_SMOKE_RUNS) runs in all)"; \
	  (cd fuzz && $(CARGO) +nightly fuzz run -O $$t $(FUZZ_WORK)/smoke/$$t corpus/$$t -- \
	    $(FUZZ_FLAGS) -runs=$(FUZZ_SMOKE_RUNS) -seed=$(FUZZ_SMOKE_SEED) > $(FUZZ_WORK)/smoke/$$t.log 2>&1) || \
	    { grep -B2 -A12 -E 'panicked|ERROR' $(FUZZ_WORK)/smoke/$$t.log | head -60; \
	      tail -25 $(FUZZ_WORK)/smoke/$$t.log; exit 1; }; \
	  grep -E 'stat::number_of_executed_units|stat::average_exec_per_sec' $(FUZZ_WORK)/smoke/$$t.log; \
	done

# The documented long run: FUZZ_RUNS executions of every target, from its committed corpus;
# logs under target/fuzz-work/long/, new inputs under target/fuzz-work/long/<target>/.
fuzz-long: fuzz-build
	@set -e; mkdir -p $(FUZZ_WORK)/long; for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_WORK)/long/$$t; \
	  echo "== fuzz long: $$t, $(FUZZ_RUNS) executions"; \
	  (cd fuzz && $(CARGO) +nightly fuzz run -O $$t $(FUZZ_WORK)/long/$$t corpus/$$t -- \
	    $(FUZZ_FLAGS) -runs=$(FUZZ_RUNS) > $(FUZZ_WORK)/long/$$t.log 2>&1) || \
	    { tail -40 $(FUZZ_WORK)/long/$$t.log; exit 1; }; \
	  grep -E 'stat::number_of_executed_units|stat::average_exec_per_sec' $(FUZZ_WORK)/long/$$t.log; \
	done

# The rotated run (`make fuzz-rotate`): the long run's budget, FUZZ_RUNS executions of every
# target, from a seed that changes every day (FUZZ_ROTATE_SEED, default the date as YYYYMMDD), so
# that successive runs explore new inputs while any one run can be repeated exactly with the seed
# it prints. Unlike the smoke run it does not stop at the first failing target: every target
# runs, then the summary lists executions per target and each failure with the command that
# reproduces it. `make -j2 fuzz-rotate` runs two targets at a time. Logs and new inputs go under
# target/fuzz-work/rotate/; crash inputs under fuzz/artifacts/<target>/.
FUZZ_ROTATE_SEED ?= $(shell date +%Y%m%d)
FUZZ_ROTATE := $(FUZZ_WORK)/rotate

fuzz-rotate: $(addprefix fuzz-rotate-,$(FUZZ_TARGETS))
	@total=0; failed=0; for t in $(FUZZ_TARGETS); do \
	  runs=$$(grep -o 'stat::number_of_executed_units: *[0-9]*' $(FUZZ_ROTATE)/$$t.log | grep -o '[0-9]*$$'); \
	  status=$$(cat $(FUZZ_ROTATE)/$$t.status); total=$$((total + $${runs:-0})); \
	  printf 'fuzz rotate: %-9s seed %s  %9s executions  %s\n' $$t $(FUZZ_ROTATE_SEED) "$${runs:-?}" "$$status"; \
	  [ "$$status" = ok ] || failed=$$((failed + 1)); \
	done; echo "fuzz rotate: $$total executions in all, $$failed target(s) failed"; \
	[ $$failed -eq 0 ] || { echo "repeat a failure: make fuzz-rotate-<target> FUZZ_ROTATE_SEED=$(FUZZ_ROTATE_SEED) FUZZ_RUNS=$(FUZZ_RUNS)"; exit 1; }

fuzz-rotate-%: fuzz-build
	@mkdir -p $(FUZZ_ROTATE)/$*
	@echo "== fuzz rotate: $*, seed $(FUZZ_ROTATE_SEED), $(FUZZ_RUNS) executions"
	@if (cd fuzz && $(CARGO) +nightly fuzz run -O $* $(FUZZ_ROTATE)/$* corpus/$* -- \
	    $(FUZZ_FLAGS) -runs=$(FUZZ_RUNS) -seed=$(FUZZ_ROTATE_SEED) > $(FUZZ_ROTATE)/$*.log 2>&1); \
	then echo ok > $(FUZZ_ROTATE)/$*.status; \
	else echo "FAILED (log: $(FUZZ_ROTATE)/$*.log)" > $(FUZZ_ROTATE)/$*.status; \
	  grep -B2 -A12 -E 'panicked|ERROR' $(FUZZ_ROTATE)/$*.log | head -40; fi

# Minimises each committed corpus together with what the long and rotated runs found
# (libFuzzer -merge=1).
fuzz-cmin: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
	  rm -rf $(FUZZ_WORK)/cmin/$$t; mkdir -p $(FUZZ_WORK)/cmin/$$t $(FUZZ_WORK)/long/$$t $(FUZZ_ROTATE)/$$t; \
	  (cd fuzz && $(CARGO) +nightly fuzz run -O $$t $(FUZZ_WORK)/cmin/$$t corpus/$$t $(FUZZ_WORK)/long/$$t \
	    $(FUZZ_ROTATE)/$$t -- \
	    -merge=1 -timeout=10 -rss_limit_mb=4096 2>&1 | tail -1); \
	  rm -rf fuzz/corpus/$$t; mv $(FUZZ_WORK)/cmin/$$t fuzz/corpus/$$t; \
	  echo "$$t: $$(ls fuzz/corpus/$$t | wc -l) inputs, $$(cat fuzz/corpus/$$t/* | wc -c) bytes"; \
	done

# Miri (undefined behaviour, Stacked Borrows, out-of-bounds, uninitialised reads) on the core's
# unit and property tests and the C ABI's Rust-side tests. Under Miri: proptest runs
# MIRI_PROPTEST_CASES cases per property, tests too heavy to interpret are #[cfg_attr(miri, ignore)]
# (each is also run natively by `make rust-tests`), and libm takes its portable code paths
# (its x86 sqrt is inline assembly, which Miri cannot interpret).
MIRI_PROPTEST_CASES ?= 2
# A fixed proptest seed: CI's Miri run interprets exactly the cases checked before landing.
MIRI_ENV := MIRIFLAGS="-Zmiri-disable-isolation" PROPTEST_CASES=$(MIRI_PROPTEST_CASES) \
            PROPTEST_RNG_SEED=1
MIRI_FEATURES := capi,libm/force-soft-floats
# Two halves, each a single-threaded interpreter: `make miri` runs them side by side (-j2), each
# with its own target directory so that neither waits for the other's build lock.
MIRI_PROPERTY_TESTS := --test survival_properties --test stats_properties --test roi_properties \
                       --test cox_properties --test cutpoint_properties --test fuzz_regressions

miri: nightly-setup
	$(MAKE) --no-print-directory -j2 --output-sync=target miri-lib miri-properties

miri-lib:
	$(MIRI_ENV) $(CARGO) +nightly miri test --quiet --features $(MIRI_FEATURES) --lib

miri-properties:
	$(MIRI_ENV) $(CARGO) +nightly miri test --quiet --features $(MIRI_FEATURES) \
	  --target-dir target/miri-properties $(MIRI_PROPERTY_TESTS)
