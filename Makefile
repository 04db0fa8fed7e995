# The project's two commands (README.md):
#   make demo   the main job: the seed paper end to end on the shipped synthetic cohort
#               (tables to stdout, figures to out/), then the Fig. 1 and PACS-plugin examples
#               in Rust and C
#   make test   every test: formatting, lints, Rust unit/property/reference tests, rustdoc, the
#               MSRV build and unit tests, the bare-metal builds and their no-panic proofs, the C
#               package (header, ABI contract, install + consumers), the C and C++ tests under
#               sanitizers and valgrind, the dlopen test, the no-panic proof, the C tests on
#               aarch64 Linux under qemu and on i686 Linux, a smoke run of every fuzz target, the
#               core's tests under Miri
# Both install what a fresh machine lacks. .ci/run calls `make test`.

SHELL := /bin/bash
CARGO ?= cargo

.PHONY: demo test setup fmt clippy rust-tests c-tests proof \
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

test: setup fmt clippy rust-tests doc msrv bare-metal bare-metal-proof c-tests c-package proof \
      cross-aarch64 cross-i686 fuzz-smoke miri
	@echo "make test: all checks passed"

# What a fresh machine may lack: rustfmt, clippy, a C compiler, valgrind, pkg-config and CMake
# (package-setup); the MSRV toolchain, the targets, the cross compiler and qemu: toolchains-setup
# below; fuzzing and Miri: nightly-setup.
setup: package-setup
	@command -v $(CARGO) >/dev/null || { echo "cargo is required (https://rustup.rs)"; exit 1; }
	@command -v cc >/dev/null && command -v c++ >/dev/null || { \
	  echo "installing a C/C++ compiler"; apt-get update -qq && apt-get install -y -qq gcc g++ make; }
	@command -v valgrind >/dev/null || { \
	  echo "installing valgrind"; apt-get update -qq && apt-get install -y -qq valgrind; }
	@rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
	@rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy

fmt:
	$(CARGO) fmt --check

clippy:
	$(CARGO) clippy --quiet --all-targets --features capi -- -D warnings

rust-tests:
	$(CARGO) test --features capi

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

# ---- Toolchains and targets (issue 20): the MSRV, bare metal, aarch64 and i686 Linux -----------
# README "Toolchains and targets" says what each step proves and why.

.PHONY: toolchains-setup msrv-setup bare-metal-setup cross-aarch64-setup msrv bare-metal \
        bare-metal-proof cross-aarch64 cross-i686-setup cross-i686

# The MSRV is Cargo.toml's rust-version, read from there: the check builds with exactly the
# toolchain the manifest declares.
MSRV := $(shell sed -n 's/^rust-version = "\(.*\)"$$/\1/p' Cargo.toml)
# The bare-metal targets Ferrocene qualifies `core` for (32-bit Cortex-M4F/M7, 64-bit Arm).
BARE_METAL_TARGETS := thumbv7em-none-eabihf aarch64-unknown-none
# The Linux targets whose C libraries are cross-built and tested: 64-bit Arm under qemu (the
# default of ffi-tests/Makefile's cross-test), and 32-bit x86, run natively.
CROSS_TARGET := aarch64-unknown-linux-gnu
I686_TARGET := i686-unknown-linux-gnu
# rust-lld, the linker rustc itself uses for both bare-metal targets (shipped with rustup).
RUST_LLD = $(shell rustc --print sysroot)/lib/rustlib/$(shell rustc -vV | sed -n 's/^host: //p')/bin/rust-lld
# Its own target directory, so that the MSRV build never invalidates the stable build's cache.
MSRV_CARGO := $(CARGO) +$(MSRV)
MSRV_FLAGS := --locked --target-dir target/msrv

toolchains-setup: msrv-setup bare-metal-setup cross-aarch64-setup cross-i686-setup

msrv-setup:
	@rustup toolchain list | grep -q '^$(MSRV)-' || rustup toolchain install $(MSRV) --profile minimal
	@for t in $(BARE_METAL_TARGETS); do \
	  rustup +$(MSRV) target list --installed 2>/dev/null | grep -qx $$t || \
	    rustup target add --toolchain $(MSRV) $$t; \
	done

bare-metal-setup:
	@for t in $(BARE_METAL_TARGETS); do \
	  rustup target list --installed 2>/dev/null | grep -qx $$t || rustup target add $$t; \
	done

cross-aarch64-setup:
	@rustup target list --installed 2>/dev/null | grep -qx $(CROSS_TARGET) || \
	  rustup target add $(CROSS_TARGET)
	@command -v aarch64-linux-gnu-gcc >/dev/null && command -v aarch64-linux-gnu-g++ >/dev/null && \
	  command -v qemu-aarch64 >/dev/null || { \
	  echo "installing the aarch64 cross compilers and qemu-user"; apt-get update -qq && \
	  apt-get install -y -qq gcc-aarch64-linux-gnu g++-aarch64-linux-gnu qemu-user; }

cross-i686-setup:
	@rustup target list --installed 2>/dev/null | grep -qx $(I686_TARGET) || rustup target add $(I686_TARGET)
	@dpkg -s gcc-multilib g++-multilib >/dev/null 2>&1 || { \
	  echo "installing the 32-bit C and C++ libraries"; apt-get update -qq && \
	  apt-get install -y -qq gcc-multilib g++-multilib; }

# The MSRV, with exactly that toolchain and the committed Cargo.lock: the library (as a Rust
# user gets it), the static and shared C libraries (linked as `make -C ffi-tests lib` links
# them), the C ABI for both bare-metal targets, and the core's unit tests (`--lib`, with the C
# ABI's Rust-side tests). The integration tests, benches and examples are not in the MSRV
# promise: they run on stable only (rust-tests).
msrv: msrv-setup
	@echo "== MSRV: Rust $(MSRV) (Cargo.toml rust-version)"
	$(MSRV_CARGO) build --quiet --lib --release $(MSRV_FLAGS)
	$(MSRV_CARGO) rustc --quiet --lib --release $(MSRV_FLAGS) --features capi,panic-handler \
	  --crate-type staticlib
	$(MSRV_CARGO) rustc --quiet --lib --release $(MSRV_FLAGS) --features capi,panic-handler \
	  --crate-type cdylib -- -C link-arg=-Wl,-z,defs -C link-arg=-lc
	@set -e; for t in $(BARE_METAL_TARGETS); do \
	  echo "$(MSRV_CARGO) build --lib --release --features capi --target $$t"; \
	  $(MSRV_CARGO) build --quiet --lib --release $(MSRV_FLAGS) --features capi --target $$t; \
	done
	$(MSRV_CARGO) test --quiet --lib --features capi $(MSRV_FLAGS)

# Nothing pulls in std or an allocator: the library builds for both bare-metal targets, with and
# without the C ABI.
bare-metal: bare-metal-setup
	@set -e; for t in $(BARE_METAL_TARGETS); do \
	  echo "== bare metal: $$t"; \
	  $(CARGO) build --quiet --lib --release --target $$t; \
	  $(CARGO) build --quiet --lib --release --target $$t --features capi; \
	done

# The no-panic link proof on bare metal, where there is no shared library to link with -z defs
# (ffi-tests/Makefile `proof`). The static library is built with the `no-panic-proof` handler
# (it calls a symbol defined nowhere), then rust-lld links a firmware image from it alone:
# --undefined-glob makes every exported `ecv_*` function a root, --no-gc-sections keeps every
# section of what that pulls in, and an executable link refuses any undefined symbol. So the
# image links only if, after this target's optimisation and LTO, no code reachable from the C
# ABI keeps a panic path, and only if the archive needs nothing from outside (no libc, no libm:
# memcpy and the soft-float helpers come from compiler_builtins). A deliberate `table[i]` in an
# exported function makes both links fail ("undefined symbol:
# ecvkit_has_a_panic_path_see_ffi_tests_makefile", referenced by rust_begin_unwind).
bare-metal-proof: bare-metal-setup
	@set -e; for t in $(BARE_METAL_TARGETS); do \
	  dir=target/no-panic-proof/$$t/release; \
	  $(CARGO) rustc --quiet --lib --release --features capi,no-panic-proof --crate-type staticlib \
	    --target $$t --target-dir target/no-panic-proof; \
	  $(RUST_LLD) -flavor gnu --no-gc-sections --entry=ecv_status_str --undefined-glob='ecv_*' \
	    -o $$dir/no-panic-proof.elf $$dir/libecvkit.a; \
	  echo "no-panic proof ($$t): $$(nm $$dir/no-panic-proof.elf | grep -c ' T ecv_') C functions" \
	    "linked with an unlinkable panic handler: no panic path"; \
	done

# The static and shared C libraries cross-built for aarch64 Linux and the C tests run under
# qemu-aarch64 (ffi-tests/Makefile `cross-test`).
cross-aarch64: cross-aarch64-setup
	$(MAKE) --no-print-directory -C ffi-tests cross-test

# 32-bit pointers and size_t at run time (the thumbv7em build only compiles and links them): the
# core's unit tests and the C tests on i686 Linux, run natively. The C programs use SSE2
# arithmetic, as Rust's i686 target does: with the x87 (FLT_EVAL_METHOD 2) a test's own
# `o.conf_level == 0.95` compares against 0.95 in 80-bit precision and fails, whatever the library
# returned.
cross-i686: cross-i686-setup
	$(CARGO) test --quiet --lib --features capi --target $(I686_TARGET)
	$(MAKE) --no-print-directory -C ffi-tests cross-test CROSS_TARGET=$(I686_TARGET) \
	  CROSS_CC="cc -m32 -msse2 -mfpmath=sse" CROSS_CXX="c++ -m32 -msse2 -mfpmath=sse" \
	  CROSS_LINKER=cc CROSS_RUN=

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
