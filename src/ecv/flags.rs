//! Quality flags carried by ECV results: a doubtful result is flagged, never silently clamped;
//! hard errors are kept for inputs that make the number meaningless.

/// A set of quality flags (bit set). Flags never stop a computation; hard errors are [`Status`]
/// values. In C these are the `ECV_FLAG_*` macros.
///
/// [`Status`]: crate::Status
#[repr(transparent)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct QualityFlags(pub u32);

/// cbindgen:ignore
// (C callers use the ECV_FLAG_* macros of src/ffi/ecv.rs, tested equal to these.)
impl QualityFlags {
    /// No flag set.
    pub const NONE: QualityFlags = QualityFlags(0);
    /// Blood enhancement below the caller's minimum (default 10 HU on CT; no published
    /// threshold exists, so the default is conservative). Exactly zero is an error instead.
    pub const LOW_BLOOD_ENHANCEMENT: QualityFlags = QualityFlags(1 << 0);
    /// Tissue enhancement is negative, so ECV < 0.
    pub const NEGATIVE_ECV: QualityFlags = QualityFlags(1 << 1);
    /// ECV above 1 (100 %).
    pub const ECV_ABOVE_ONE: QualityFlags = QualityFlags(1 << 2);
    /// Hematocrit outside the physiological range 0.15–0.65.
    pub const HEMATOCRIT_NON_PHYSIOLOGICAL: QualityFlags = QualityFlags(1 << 3);
    /// The hematocrit was estimated by a synthetic-hematocrit model, not measured in blood.
    pub const SYNTHETIC_HEMATOCRIT: QualityFlags = QualityFlags(1 << 4);
    /// An ROI behind this value had fewer pixels than the caller's minimum.
    pub const FEW_PIXELS: QualityFlags = QualityFlags(1 << 5);

    /// The raw bits.
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// `true` when no flag is set.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// `true` when every flag of `other` is set in `self`.
    pub const fn contains(self, other: QualityFlags) -> bool {
        self.0 & other.0 == other.0
    }

    /// The union of both sets.
    pub const fn union(self, other: QualityFlags) -> QualityFlags {
        QualityFlags(self.0 | other.0)
    }

    /// `self` without the flags of `other`.
    pub const fn without(self, other: QualityFlags) -> QualityFlags {
        QualityFlags(self.0 & !other.0)
    }

    /// `self` with `flag` added when `condition` holds.
    pub const fn with_if(self, flag: QualityFlags, condition: bool) -> QualityFlags {
        if condition {
            self.union(flag)
        } else {
            self
        }
    }
}
