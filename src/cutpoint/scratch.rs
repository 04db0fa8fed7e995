//! The caller-lent scratch of the cutpoint functions: one `f64` buffer and one `u32` buffer,
//! carved into the working arrays each function documents.

use crate::Status;

/// Scratch lent by the caller: `reals` (f64) and `indices` (u32). Contents on entry are ignored
/// and on return are unspecified. The sizes each function needs are given by
/// [`ScratchLen::for_scan`] and [`ScratchLen::for_xtile`] (and by the C functions
/// `ecv_cutpoint_scratch_len` / `ecv_xtile_scratch_len`).
#[derive(Debug)]
pub struct CutpointScratch<'a> {
    /// Floating-point scratch.
    pub reals: &'a mut [f64],
    /// Index scratch.
    pub indices: &'a mut [u32],
}

/// How much scratch a function needs, in elements of each buffer.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScratchLen {
    /// Elements of `f64` scratch (`CutpointScratch::reals`).
    pub reals: usize,
    /// Elements of `u32` scratch (`CutpointScratch::indices`).
    pub indices: usize,
}

impl ScratchLen {
    /// Scratch of [`scan_cutpoints`](super::scan_cutpoints) and
    /// [`count_cuts`](super::count_cuts) for n subjects: 5n + 4 reals (scores, and four arrays
    /// over the event times: Nelson–Aalen prefix, two variance prefixes, one Fenwick tree) and
    /// 6n + 1 indices (two orders, sort scratch, event-time rank per subject, permutation, one
    /// Fenwick tree of counts). Saturates instead of overflowing.
    pub const fn for_scan(n: usize) -> ScratchLen {
        ScratchLen {
            reals: n.saturating_mul(5).saturating_add(4),
            indices: n.saturating_mul(6).saturating_add(1),
        }
    }

    /// Scratch of [`xtile_grid`](super::xtile_grid) for n subjects: the scan's, plus 8 reals
    /// per cut (≤ n cuts) for the low and high groups' log-rank terms and n + 1 reals for the
    /// cross-covariance sweep; n indices for the cut positions and n + 1 for a histogram of
    /// event-time ranks. Saturates instead of overflowing.
    pub const fn for_xtile(n: usize) -> ScratchLen {
        let scan = ScratchLen::for_scan(n);
        ScratchLen {
            reals: scan
                .reals
                .saturating_add(n.saturating_mul(9))
                .saturating_add(1),
            indices: scan
                .indices
                .saturating_add(n.saturating_mul(2))
                .saturating_add(1),
        }
    }
}

/// Splits the first `len` elements off `buf` (which keeps the rest).
pub(crate) fn take<'a, T>(buf: &mut &'a mut [T], len: usize) -> Result<&'a mut [T], Status> {
    let whole = core::mem::take(buf);
    let (head, rest) = whole
        .split_at_mut_checked(len)
        .ok_or(Status::ScratchTooSmall)?;
    *buf = rest;
    Ok(head)
}
