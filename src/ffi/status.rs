//! `ecv_status_str` and `ecv_version`.

use crate::Status;
use core::ffi::c_char;

/// A static, NUL-terminated English description of a status value, for logs and dialogs.
/// An unknown value gives "unknown ecv_status value". Never NULL; do not free.
#[no_mangle]
pub extern "C" fn ecv_status_str(status: u32) -> *const c_char {
    Status::ALL
        .iter()
        .find(|s| **s as u32 == status)
        .map_or(c"unknown ecv_status value".as_ptr(), |s| {
            s.description().as_ptr()
        })
}

/// The library version as a static, NUL-terminated string "MAJOR.MINOR.PATCH" (the header's
/// `ECVKIT_VERSION_*` macros give the version the caller compiled against).
///
/// The run-time ABI check: the library a program loaded speaks the ABI of the header it was
/// compiled with when the major version here equals `ECVKIT_VERSION_MAJOR` (one major version
/// is one ABI and one SONAME) and the minor version here is at least `ECVKIT_VERSION_MINOR` (a
/// newer minor version only adds functions, structs, constants and status values).
#[no_mangle]
pub extern "C" fn ecv_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}
