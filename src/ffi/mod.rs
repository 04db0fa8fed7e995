//! The C ABI (feature `capi`), declared in `include/ecvkit.h`.
