# The project's two commands (README.md):
#   make demo   the main job: the seed paper end to end on the shipped synthetic cohort
#               (tables to stdout, figures to out/), then the Fig. 1 and PACS-plugin examples
#               in Rust and C
#   make test   every test: formatting, lints, Rust unit/property/reference tests, the bare-metal
#               build, the C and C++ tests under sanitizers, the dlopen test, the no-panic proof
# Both install what a fresh machine lacks. .ci/run calls `make test`.

CARGO ?= cargo
BARE_METAL_TARGET := thumbv7em-none-eabihf

.PHONY: demo test setup fmt clippy rust-tests bare-metal c-tests proof

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

test: setup fmt clippy rust-tests bare-metal c-tests proof
	@echo "make test: all checks passed"

# What a fresh machine may lack: rustfmt, clippy, the bare-metal standard library, a C compiler.
setup:
	@command -v $(CARGO) >/dev/null || { echo "cargo is required (https://rustup.rs)"; exit 1; }
	@command -v cc >/dev/null && command -v c++ >/dev/null || { \
	  echo "installing a C/C++ compiler"; apt-get update -qq && apt-get install -y -qq gcc g++ make; }
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
