//! The C ABI (feature `capi`), declared in `include/ecvkit.h`.
//!
//! One file per core module. Each function: null / length / finite checks → build the core's
//! types → call the core → write the outputs → return an `ecv_status`. Nothing is computed here,
//! and nothing is written through an output pointer unless the status is `ECV_OK`.
//!
//! Conventions: buffers are (pointer, `size_t` length) pairs; `(NULL, 0)` is an empty
//! slice, `(NULL, n > 0)` is `ECV_NULL_POINTER`; enum values arriving from C are `uint32_t` and are
//! converted with `TryFrom` (an unknown value is `ECV_INVALID_ENUM_VALUE`); options structs come
//! with an `*_default()` function; output arrays and scratch buffers must not overlap an input or
//! each other (`ECV_BUFFERS_OVERLAP`). A single result struct is written last, after every input
//! has been read: laying one over an input is not detected (tests/status_table.rs shows it) and
//! only overwrites that input. Padding bytes inside result structs are unspecified, as in any C
//! struct: compare results field by field, not with `memcmp` (valgrind flags the latter).
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

/// A C buffer's byte range, for overlap checks on the raw pointers before any slice exists: a
/// `&mut` slice over memory that a live `&` slice also covers is undefined behaviour even when
/// nothing is written (Miri's Stacked Borrows rejected the earlier check, which built both slices
/// first and compared them after).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    start: usize,
    end: usize,
}

impl Span {
    /// The bytes of `len` values of `T` at `ptr` (empty for NULL or a zero length).
    pub(crate) fn of<T>(ptr: *const T, len: usize) -> Span {
        if ptr.is_null() {
            return Span { start: 0, end: 0 };
        }
        let start = ptr as usize;
        let bytes = len.saturating_mul(core::mem::size_of::<T>());
        Span {
            start,
            end: start.saturating_add(bytes),
        }
    }

    /// `true` when both are non-empty and share a byte.
    fn overlaps(self, other: Span) -> bool {
        self.start < self.end
            && other.start < other.end
            && self.start < other.end
            && other.start < self.end
    }
}

/// `true` when a buffer the function writes (an output or scratch) overlaps a buffer it reads or
/// another one it writes. Inputs may overlap each other.
pub(crate) fn aliased(writable: &[Span], readable: &[Span]) -> bool {
    writable.iter().enumerate().any(|(i, w)| {
        readable.iter().any(|r| w.overlaps(*r))
            || writable.iter().skip(i + 1).any(|v| w.overlaps(*v))
    })
}

/// Turns a core result into the status a C function returns.
pub(crate) fn status_of(result: Result<(), Status>) -> Status {
    match result {
        Ok(()) => Status::Ok,
        Err(status) => status,
    }
}

#[cfg(test)]
mod tests {
    //! An output or scratch buffer laid over an input, one call per family. Each must be refused
    //! with `ECV_BUFFERS_OVERLAP` before any `&mut` slice exists: these run under Miri (`make
    //! miri`), whose Stacked Borrows check rejected the first version, which built the slices
    //! and compared them after.
    use super::*;
    use crate::ffi::{cox, cutpoint, image, roi, survival};
    use core::ptr::{null, null_mut};

    const TIME: [f64; 6] = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    const EVENT: [u8; 6] = [1, 0, 1, 1, 0, 1];

    #[test]
    fn span_and_aliased() {
        let a = [0u32; 4];
        let p = a.as_ptr();
        // SAFETY: offsets inside `a`.
        let (whole, tail) = (Span::of(p, 4), Span::of(unsafe { p.add(2) }, 2));
        assert!(whole.overlaps(tail) && tail.overlaps(whole));
        assert!(
            !Span::of(p, 2).overlaps(tail),
            "adjacent ranges do not overlap"
        );
        assert!(!Span::of(null::<u32>(), 9).overlaps(whole), "NULL is empty");
        assert!(!Span::of(p, 0).overlaps(whole), "a zero length is empty");
        assert!(aliased(&[tail], &[whole]));
        assert!(
            aliased(&[tail, whole], &[]),
            "two writable buffers may not overlap"
        );
        assert!(
            !aliased(&[], &[tail, whole]),
            "inputs may overlap each other"
        );
    }

    #[test]
    fn km_rows_over_the_times() {
        let mut buf = [0.0f64; 64];
        buf[..6].copy_from_slice(&TIME);
        let rows = buf.as_mut_ptr().cast::<crate::survival::KmRow>();
        let mut scratch = [0u64; 24];
        let (mut needed, mut summary) = (0usize, crate::survival::KmSummary::default());
        // SAFETY: every range lies inside a live buffer; the overlap is what is tested.
        let s = unsafe {
            survival::ecv_km_estimate(
                buf.as_ptr(),
                EVENT.as_ptr(),
                6,
                null(),
                scratch.as_mut_ptr(),
                24,
                rows,
                5,
                &mut needed,
                &mut summary,
            )
        };
        assert_eq!(s, Status::BuffersOverlap);
        assert_eq!(buf[..6], TIME);
    }

    #[test]
    fn logrank_observed_over_the_labels() {
        let mut labels = [0u32, 1, 0, 1, 0, 1, 0, 0];
        let mut scratch = [0u64; 24];
        let (mut e, mut v) = ([0.0; 2], [0.0; 4]);
        let mut test = crate::survival::LogRankTest::default();
        let observed = labels.as_mut_ptr().cast::<f64>();
        // SAFETY: as above.
        let s = unsafe {
            survival::ecv_logrank(
                TIME.as_ptr(),
                EVENT.as_ptr(),
                labels.as_ptr(),
                6,
                2,
                null(),
                null(),
                scratch.as_mut_ptr(),
                24,
                observed,
                e.as_mut_ptr(),
                2,
                v.as_mut_ptr(),
                4,
                &mut test,
            )
        };
        assert_eq!(s, Status::BuffersOverlap);
        assert_eq!(labels, [0, 1, 0, 1, 0, 1, 0, 0]);
    }

    #[test]
    fn cox_scratch_over_the_covariates() {
        let mut x = [0.5f64; 6 + 42];
        let mut index = [0u32; 24];
        let mut out = core::mem::MaybeUninit::<crate::cox::CoxFit>::uninit();
        // SAFETY: as above.
        let s = unsafe {
            cox::ecv_cox_fit(
                TIME.as_ptr(),
                EVENT.as_ptr(),
                6,
                x.as_ptr(),
                1,
                null(),
                null(),
                null(),
                index.as_mut_ptr(),
                24,
                x.as_mut_ptr().add(3),
                42,
                out.as_mut_ptr(),
                null_mut(),
            )
        };
        assert_eq!(s, Status::BuffersOverlap);
        assert!(x.iter().all(|&v| v == 0.5));
    }

    #[test]
    fn cutpoint_times_over_the_marker() {
        let mut marker = [0.2f64, 0.3, 0.1, 0.5, 0.4, 0.6];
        let (mut events, mut indices, mut sort) = ([0u8; 6], [0u32; 6], [0u64; 24]);
        let mut result = crate::cutpoint::FixedCutoff::default();
        let times = marker.as_mut_ptr();
        // SAFETY: as above.
        let s = unsafe {
            cutpoint::ecv_cutpoint_apply(
                marker.as_ptr(),
                TIME.as_ptr(),
                EVENT.as_ptr(),
                6,
                0.35,
                null(),
                times,
                6,
                events.as_mut_ptr(),
                6,
                indices.as_mut_ptr(),
                6,
                sort.as_mut_ptr(),
                24,
                &mut result,
            )
        };
        assert_eq!(s, Status::BuffersOverlap);
        assert_eq!(marker, [0.2, 0.3, 0.1, 0.5, 0.4, 0.6]);
    }

    #[test]
    fn roi_scratch_over_the_pixels() {
        let mut pixels = [7.0f32; 16];
        // One raw pointer for both uses (a second borrow of `pixels` would invalidate the first).
        let base = pixels.as_mut_ptr();
        let spacing = crate::image::PixelSpacing {
            row_mm: 1.0,
            col_mm: 1.0,
        };
        let img = image::ecv_image_packed(6, base.cast_const().cast(), 4, 4, spacing);
        let shape = roi::ecv_roi_circle(0, 1.5, 1.5, 1.0);
        let mut out = core::mem::MaybeUninit::<crate::roi::RoiStats>::uninit();
        // SAFETY: as above (the f32 pixels are lent as f64 scratch over their first half).
        let s = unsafe {
            roi::ecv_roi_stats(
                &img,
                &shape,
                null(),
                base.cast::<f64>(),
                8,
                out.as_mut_ptr(),
            )
        };
        assert_eq!(s, Status::BuffersOverlap);
        assert_eq!(pixels, [7.0; 16]);
    }
}
