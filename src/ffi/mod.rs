//! The C ABI (feature `capi`), declared in `include/ecvkit.h`.
//!
//! One file per core module. Each function: null / length / finite checks → build the core's
//! types → call the core → write the outputs → return an `ecv_status`. Nothing is computed here,
//! and nothing is written through an output pointer unless the status is `ECV_OK`.
//!
//! Conventions (style.md): buffers are (pointer, `size_t` length) pairs; `(NULL, 0)` is an empty
//! slice, `(NULL, n > 0)` is `ECV_NULL_POINTER`; enum values arriving from C are `uint32_t` and are
//! converted with `TryFrom` (an unknown value is `ECV_INVALID_ENUM_VALUE`); options structs come
//! with an `*_default()` function; output pointers must not overlap inputs
//! (`ECV_BUFFERS_OVERLAP`).
//!
//! Every function that takes a pointer returns `ECV_MISALIGNED_POINTER` when a non-NULL pointer
//! is not aligned for its element type (before reading or writing through any pointer); the
//! per-function status lists do not repeat it.

pub mod cox;
pub mod cutpoint;
pub mod ecv;
pub mod image;
pub mod roi;
pub mod stats;
pub mod status;
pub mod survival;

use crate::Status;

/// Builds a shared slice from a C (pointer, length) pair.
///
/// `(NULL, 0)` gives an empty slice (never `from_raw_parts(NULL, 0)`, which is undefined
/// behaviour); `(NULL, n > 0)` gives `Err(NullPointer)`.
///
/// # Safety
/// When `ptr` is not null it must point to `len` initialised, properly aligned values of `T`
/// that stay valid and unmodified for `'a`.
pub(crate) unsafe fn input_slice<'a, T>(ptr: *const T, len: usize) -> Result<&'a [T], Status> {
    if ptr.is_null() {
        return if len == 0 {
            Ok(&[])
        } else {
            Err(Status::NullPointer)
        };
    }
    if !ptr.is_aligned() {
        return Err(Status::MisalignedPointer);
    }
    // SAFETY: non-null and aligned (checked); the caller guarantees len valid values.
    Ok(unsafe { core::slice::from_raw_parts(ptr, len) })
}

/// Builds a mutable slice from a C (pointer, length) pair, with the rules of [`input_slice`].
///
/// # Safety
/// When `ptr` is not null it must point to `len` properly aligned values of `T`, writable and not
/// accessed through any other pointer for `'a`.
pub(crate) unsafe fn output_slice<'a, T>(ptr: *mut T, len: usize) -> Result<&'a mut [T], Status> {
    if ptr.is_null() {
        return if len == 0 {
            Ok(&mut [])
        } else {
            Err(Status::NullPointer)
        };
    }
    if !ptr.is_aligned() {
        return Err(Status::MisalignedPointer);
    }
    // SAFETY: non-null and aligned (checked); the caller guarantees exclusive access.
    Ok(unsafe { core::slice::from_raw_parts_mut(ptr, len) })
}

/// Reads an optional options struct: NULL gives the defaults.
///
/// # Safety
/// When not null, `ptr` must point to a valid, aligned `T`.
pub(crate) unsafe fn read_or_default<T: Copy + Default>(ptr: *const T) -> Result<T, Status> {
    if !ptr.is_aligned() {
        return Err(Status::MisalignedPointer);
    }
    // SAFETY: the caller guarantees a valid T when non-null; as_ref checks null.
    Ok(unsafe { ptr.as_ref() }.copied().unwrap_or_default())
}

/// Checks an output pointer before any work, so that a NULL output is reported without computing.
pub(crate) fn require_output<T>(ptr: *mut T) -> Result<(), Status> {
    if ptr.is_null() {
        Err(Status::NullPointer)
    } else if !ptr.is_aligned() {
        Err(Status::MisalignedPointer)
    } else {
        Ok(())
    }
}

/// Writes one output value (after [`require_output`] succeeded).
///
/// # Safety
/// `ptr` must be valid for a write of `T` (checked non-null by [`require_output`]).
pub(crate) unsafe fn write_output<T>(ptr: *mut T, value: T) -> Result<(), Status> {
    require_output(ptr)?;
    // SAFETY: non-null and aligned (checked); the caller guarantees it is writable.
    unsafe { ptr.write(value) };
    Ok(())
}

/// `true` when the byte ranges of two buffers overlap (an output must not alias an input).
pub(crate) fn overlaps<A, B>(a: &[A], b: &[B]) -> bool {
    let (a0, a1) = (
        a.as_ptr() as usize,
        a.as_ptr() as usize + core::mem::size_of_val(a),
    );
    let (b0, b1) = (
        b.as_ptr() as usize,
        b.as_ptr() as usize + core::mem::size_of_val(b),
    );
    a0 < b1 && b0 < a1 && !a.is_empty() && !b.is_empty()
}

/// Turns a core result into the status a C function returns.
pub(crate) fn status_of(result: Result<(), Status>) -> Status {
    match result {
        Ok(()) => Status::Ok,
        Err(status) => status,
    }
}
