#![cfg(feature = "capi")]
//! The README's table "input class × C function family → status" (issue 9, item 5).
//!
//! Every cell comes from a call: one valid call per family (the first row, which must give
//! `ECV_OK`), changed in exactly one respect per row, made through the C ABI from Rust. The
//! status printed is its C name, checked against `include/ecvkit.h`. A cell is "—" only where
//! the function has no way to express the row (no capacity argument, no hematocrit, ...).
//!
//! The table is also a test: every output and scratch buffer lies between canary bytes that must
//! stay untouched; on any status other than `ECV_OK` every output must be byte-for-byte what it
//! was before the call (except the few outputs a function documents writing on that status,
//! listed in the notes under the table); inputs must never change.
//!
//! Regenerate the README block with:
//! `ECVKIT_UPDATE_README=1 cargo test --features capi --test status_table`

use std::collections::HashMap;
use std::ffi::c_void;
use std::fmt::Debug;
use std::marker::PhantomData;
use std::mem::{align_of, size_of, size_of_val};
use std::path::PathBuf;
use std::ptr::{null, null_mut};

use ecvkit::cox::{CoxDiagnostic, CoxFit};
use ecvkit::cutpoint::{CutpointRow, CutpointScan};
use ecvkit::ecv::{Ecv, EcvMapSummary, EcvOptions, PhaseValues, QualityFlags};
use ecvkit::ffi::cox::{
    ecv_cox_fit, ecv_cox_index_scratch_len, ecv_cox_options_default, ecv_cox_values_scratch_len,
};
use ecvkit::ffi::cutpoint::{
    ecv_cutpoint_max_rows, ecv_cutpoint_options_default, ecv_cutpoint_rows_needed,
    ecv_cutpoint_scan, ecv_cutpoint_scratch_len,
};
use ecvkit::ffi::ecv::{
    ecv_ct, ecv_ct_map, ecv_map_options_default, ecv_options_default, EcvHematocrit,
};
use ecvkit::ffi::image::ecv_image_packed;
use ecvkit::ffi::roi::{
    ecv_roi_circle, ecv_roi_options_default, ecv_roi_scratch_len, ecv_roi_stats,
};
use ecvkit::ffi::stats::{
    ecv_icc, ecv_icc_options_default, ecv_rank_scratch_indices_needed,
    ecv_rank_scratch_values_needed, ecv_spearman, ecv_spearman_options_default,
    ecv_wilcoxon_options_default, ecv_wilcoxon_rank_sum,
};
use ecvkit::ffi::survival::{
    ecv_km_estimate, ecv_km_options_default, ecv_km_rows_needed, ecv_logrank,
    ecv_logrank_options_default, ecv_survival_scratch_len,
};
use ecvkit::image::{PixelSpacing, StoredType};
use ecvkit::roi::{RoiStats, Units, ValueWindow};
use ecvkit::stats::IccTable;
use ecvkit::survival::{KmRow, KmSummary, LogRankTest};
use ecvkit::Status;

// ---------------------------------------------------------------------------------------------
// Input classes (rows)

/// One row of the table: how the valid call of every family is changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Case {
    Valid,
    NullOptions,
    NullInput,
    NullResult,
    ZeroLength,
    LengthsDisagree,
    NanInData,
    InfInData,
    CapacityTooSmall,
    ScratchTooSmall,
    UnknownEnum,
    OptionOutOfRange,
    ResultOverInput,
    ArrayOverInput,
    Misaligned,
    SizeOverflow,
    HematocritPercent,
    HematocritZero,
    HematocritNegative,
    BloodEnhancementZero,
    RoiOutsideImage,
    EventNotBinary,
    AllCensored,
    NegativeTime,
    SingleGroup,
    ConstantData,
    OneObservation,
}

/// The rows in table order: the case, its label in the table, and how it was made (the notes).
const ROWS: &[(Case, &str, &str)] = &[
    (
        Case::Valid,
        "valid input",
        "the valid call: small data sets (8 subjects; 6 pixels; a 6 × 6 `float` image with a \
         circle ROI; 5 + 4 observations for Wilcoxon), options from the `*_default()` function, \
         every buffer at the size the function documents",
    ),
    (
        Case::NullOptions,
        "NULL options",
        "every options pointer NULL (the functions then use the defaults)",
    ),
    (
        Case::NullInput,
        "NULL input array",
        "the first data pointer NULL with its length unchanged: `unenhanced`, the `ecv_image` \
         pointer, `time`, `marker`, `x`, `ratings`",
    ),
    (
        Case::NullResult,
        "NULL result pointer",
        "the result pointer NULL: `out`, `summary` (map, Kaplan-Meier), `test`, `result`",
    ),
    (
        Case::ZeroLength,
        "zero length",
        "`n` = 0 (pointers still valid); the image's `width` = 0; `subjects` = 0; \
         `n_x` = `n_y` = 0",
    ),
    (
        Case::LengthsDisagree,
        "lengths disagree",
        "the image's `data_len_bytes` one pixel short of width × height (the other functions \
         take one length for all their arrays)",
    ),
    (
        Case::NanInData,
        "NaN in the data",
        "one NaN in the first data array: tissue equilibrium HU, an unenhanced pixel, a pixel \
         inside the ROI, a time (Kaplan-Meier, log-rank), a covariate (Cox), a marker, an `x`, \
         a rating",
    ),
    (
        Case::InfInData,
        "+inf in the data",
        "as the NaN row, with +inf",
    ),
    (
        Case::CapacityTooSmall,
        "output capacity too small",
        "`out_capacity` = `n_pixels` − 1; `rows_capacity` and `profile_capacity` one below the \
         rows needed; `groups_capacity` = 1 for 2 groups",
    ),
    (
        Case::ScratchTooSmall,
        "scratch too small",
        "one element below the documented scratch length: `scratch_len`, `index_scratch_len` \
         (Cox), `reals_len` (cutpoint), `scratch_values_len`",
    ),
    (
        Case::UnknownEnum,
        "enum value 0xFFFFFFFF",
        "one `uint32_t` enum field set to 0xFFFFFFFF: the hematocrit's `origin`, the ROI's \
         `kind`, `conf_type`, `time_matching` (log-rank), `ties`, `method` (Spearman), \
         `alternative` (Wilcoxon)",
    ),
    (
        Case::OptionOutOfRange,
        "option out of range",
        "`min_blood_delta_hu` = −10 (a negative threshold); plausible ECV range [1, 0]; value \
         window [100, 0]; `conf_level` = 1.5; ρ = −1; `max_prop` = 1.5",
    ),
    (
        Case::ResultOverInput,
        "result struct over an input",
        "the result pointer of the NULL-result row laid over the first input (over `*options` \
         for `ecv_ct`, over the pixel data for `ecv_roi_stats`)",
    ),
    (
        Case::ArrayOverInput,
        "output array or scratch over an input",
        "an output array or a scratch laid over the first input: the map's `out`, the ROI \
         `scratch`, `rows`, `observed`, `values_scratch`, `profile`, `scratch_values`",
    ),
    (
        Case::Misaligned,
        "misaligned pointer",
        "the first data array one byte off its alignment (the pixel data for the image; `out` \
         for `ecv_ct`, which takes no array)",
    ),
    (
        Case::SizeOverflow,
        "rows × columns overflows `size_t`",
        "`n_columns` (Cox) or `raters` (ICC) = `SIZE_MAX`, so that n × columns overflows",
    ),
    (
        Case::HematocritPercent,
        "hematocrit 40.0 (a percent)",
        "`hematocrit.fraction` = 40.0",
    ),
    (
        Case::HematocritZero,
        "hematocrit 0",
        "`hematocrit.fraction` = 0",
    ),
    (
        Case::HematocritNegative,
        "hematocrit −0.1",
        "`hematocrit.fraction` = −0.1",
    ),
    (
        Case::BloodEnhancementZero,
        "blood enhancement zero",
        "blood equilibrium HU = blood unenhanced HU",
    ),
    (
        Case::RoiOutsideImage,
        "ROI wholly outside the image",
        "the circle's centre moved to (100, 100) on the 6 × 6 image",
    ),
    (Case::EventNotBinary, "event indicator 2", "`event[0]` = 2"),
    (Case::AllCensored, "all censored", "every `event` = 0"),
    (Case::NegativeTime, "negative time", "`time[0]` = −1"),
    (
        Case::SingleGroup,
        "a single group",
        "every `group` label 0 of 2 groups (log-rank); `n_y` = 0 (Wilcoxon)",
    ),
    (
        Case::ConstantData,
        "constant covariate / marker / sample",
        "every value equal: the covariate (Cox), the marker, `x` (Spearman), every rating, \
         every `x` and `y` (Wilcoxon), every pixel",
    ),
    (
        Case::OneObservation,
        "too few: one observation",
        "`n` = 1 (one pixel, one subject); `subjects` = 1; `n_x` = `n_y` = 1; a circle of \
         radius 0.4 around one pixel centre",
    ),
];

/// An enum value no C enum of ecvkit defines.
const GARBAGE: u32 = 0xFFFF_FFFF;

// ---------------------------------------------------------------------------------------------
// Buffers with canaries

/// The byte every output and canary starts as.
const SENTINEL: u8 = 0xA5;
/// Canary bytes before a buffer (8, so that the buffer is 8-byte aligned unless misaligned).
const LEAD: usize = 8;
/// Canary bytes after a buffer (and after the room an overlaid result may use).
const TAIL: usize = 16;

/// A buffer of the caller: `count` elements (`len` bytes) at `start` inside a `u64` storage
/// filled with [`SENTINEL`] around it, and a snapshot of every byte to compare with after the
/// call; `extent` ≥ `len` bytes from `start` are the buffer and the room a result laid over it
/// may use, the canaries lie outside them.
struct Buf {
    storage: Vec<u64>,
    start: usize,
    len: usize,
    extent: usize,
    count: usize,
    snapshot: Vec<u8>,
}

impl Buf {
    /// `count` elements of `T`, the first `values.len()` of them set to `values`, the rest
    /// [`SENTINEL`]; one byte off `T`'s alignment when `misaligned`; with at least `room` bytes
    /// after the start (for a result laid over the buffer).
    fn new<T: Copy>(values: &[T], count: usize, misaligned: bool, room: usize) -> Buf {
        assert!(align_of::<T>() <= 8 && values.len() <= count);
        let start = LEAD + usize::from(misaligned);
        let len = count * size_of::<T>();
        let extent = len.max(room);
        let total = start + extent + TAIL;
        let mut storage = vec![u64::from_ne_bytes([SENTINEL; 8]); total.div_ceil(8)];
        // SAFETY: the storage holds `total` ≥ start + size_of_val(values) bytes; plain data.
        unsafe {
            std::ptr::copy_nonoverlapping(
                values.as_ptr().cast::<u8>(),
                storage.as_mut_ptr().cast::<u8>().add(start),
                size_of_val(values),
            );
        }
        let mut buf = Buf {
            storage,
            start,
            len,
            extent,
            count,
            snapshot: Vec::new(),
        };
        buf.snapshot = buf.bytes().to_vec();
        buf
    }

    /// An input holding `values`.
    fn input<T: Copy>(values: &[T]) -> Buf {
        Buf::new(values, values.len(), false, 0)
    }

    /// An output of `count` elements of `T`, every byte [`SENTINEL`].
    fn output<T: Copy>(count: usize) -> Buf {
        Buf::new::<T>(&[], count, false, 0)
    }

    /// A scratch of the `len` elements of `T` the function documents, one element short in
    /// the scratch row.
    fn scratch<T: Copy>(case: Case, len: usize) -> Buf {
        Buf::output::<T>(one_short(case, Case::ScratchTooSmall, len))
    }

    /// The buffer's first element.
    fn ptr<T>(&mut self) -> *mut T {
        // SAFETY: `start` lies inside the storage. `as_mut_ptr` creates no reference, so earlier
        // pointers into the same storage stay valid.
        unsafe { self.storage.as_mut_ptr().byte_add(self.start).cast() }
    }

    /// The buffer's first element, for a `const` parameter.
    fn cptr<T>(&mut self) -> *const T {
        self.ptr::<T>().cast_const()
    }

    /// The buffer's first element, as the call left it.
    fn first<T: Copy>(&self) -> T {
        assert!(size_of::<T>() <= self.len);
        // SAFETY: `len` ≥ size_of::<T>() initialised bytes from `start`; plain data.
        unsafe {
            self.bytes()
                .as_ptr()
                .add(self.start)
                .cast::<T>()
                .read_unaligned()
        }
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: the storage's own bytes, every one initialised.
        unsafe {
            std::slice::from_raw_parts(self.storage.as_ptr().cast::<u8>(), self.storage.len() * 8)
        }
    }

    /// Every byte, the buffer and its surroundings, as before the call.
    fn unchanged(&self) -> bool {
        self.bytes() == self.snapshot.as_slice()
    }

    /// The bytes before and after the buffer (and its room) as before the call.
    fn canaries_intact(&self) -> bool {
        let (b, s, end) = (self.bytes(), &self.snapshot, self.start + self.extent);
        b[..self.start] == s[..self.start] && b[end..] == s[end..]
    }
}

/// What the calls found besides their statuses: broken contracts (the test fails on any, after
/// printing the table) and checked remarks on surprising `ECV_OK`s (printed under the table).
#[derive(Default)]
struct Log {
    problems: Vec<String>,
    remarks: Vec<String>,
}

impl Log {
    fn problem(&mut self, function: &str, case: Case, status: Status, what: &str) {
        let status = c_name(status);
        let message = format!("{function} / {case:?} ({status}): {what}");
        self.problems.push(message);
    }

    fn remark(&mut self, text: &str) {
        if !self.remarks.iter().any(|r| r == text) {
            self.remarks.push(text.into());
        }
    }
}

/// A cell: the status, and on `ECV_OK` the result struct as `Debug` prints it (to compare rows
/// that must give the valid call's result).
struct Outcome {
    status: Status,
    result: Option<String>,
}

/// The outcome of a call whose result struct is at `result`.
fn outcome<R: Debug>(status: Status, result: *const R) -> Outcome {
    let result = (status == Status::Ok).then(|| {
        // SAFETY: on ECV_OK the function wrote one R at `result` (non-NULL, inside a live
        // buffer: a NULL or misaligned result pointer never gives ECV_OK).
        format!("{:?}", unsafe { result.read_unaligned() })
    });
    Outcome { status, result }
}

/// The cell being made: the family's C function, the row, and the log its checks write to.
struct Cell<'a> {
    function: &'static str,
    case: Case,
    log: &'a mut Log,
}

impl Cell<'_> {
    /// The checks of the call that returned `status`.
    fn check(&mut self, status: Status) -> Check<'_> {
        Check {
            function: self.function,
            case: self.case,
            status,
            log: self.log,
        }
    }
}

/// The checks of one call, recorded in the log.
struct Check<'a> {
    function: &'static str,
    case: Case,
    status: Status,
    log: &'a mut Log,
}

impl Check<'_> {
    fn fail(&mut self, what: String) {
        self.log
            .problem(self.function, self.case, self.status, &what);
    }

    /// An input: never modified.
    fn input(&mut self, name: &str, buf: &Buf) -> &mut Self {
        if !buf.unchanged() {
            self.fail(format!("input `{name}` was modified"));
        }
        self
    }

    /// The input the overlay rows lay the result or an output array over: an input, except
    /// that on `ECV_OK` in those rows the function wrote there, as asked (and nowhere else).
    fn overlaid(&mut self, name: &str, buf: &Buf) -> &mut Self {
        let overlay_row = matches!(self.case, Case::ResultOverInput | Case::ArrayOverInput);
        if !(overlay_row && self.status == Status::Ok) {
            self.input(name, buf);
        } else if !buf.canaries_intact() {
            self.fail(format!("bytes written outside input `{name}` and its room"));
        }
        self
    }

    /// A scratch buffer: its contents may change, its canaries may not.
    fn scratch(&mut self, name: &str, buf: &Buf) -> &mut Self {
        if !buf.canaries_intact() {
            self.fail(format!("bytes written outside scratch `{name}`"));
        }
        self
    }

    /// An output: canaries intact always; untouched unless the status is `ECV_OK` or one of
    /// `documented`, the statuses on which the function documents writing it.
    fn output(&mut self, name: &str, buf: &Buf, documented: &[Status]) -> &mut Self {
        if !buf.canaries_intact() {
            self.fail(format!("bytes written outside output `{name}`"));
        }
        let allowed = self.status == Status::Ok || documented.contains(&self.status);
        if !allowed && !buf.unchanged() {
            self.fail(format!("output `{name}` was written on a failure"));
        }
        self
    }

    /// `*rows_needed`: an output the function documents writing on `ECV_BUFFER_TOO_SMALL`, and
    /// then it must hold `expected`, the rows the data need.
    fn rows_needed(&mut self, buf: &Buf, expected: usize) -> &mut Self {
        self.output("rows_needed", buf, &[Status::BufferTooSmall]);
        let reported = buf.first::<usize>();
        if self.status == Status::BufferTooSmall && reported != expected {
            self.fail(format!("rows_needed = {reported}, expected {expected}"));
        }
        self
    }
}

// ---------------------------------------------------------------------------------------------
// The rows every family makes alike: pointers and sizes

/// The rows made by the pointers alone (see [`Frame`]), and the valid call.
fn pointer_row(case: Case) -> bool {
    matches!(
        case,
        Case::Valid
            | Case::NullOptions
            | Case::NullInput
            | Case::NullResult
            | Case::ResultOverInput
            | Case::ArrayOverInput
            | Case::Misaligned
    )
}

/// `ptr`, or NULL in the row `null_in`.
fn or_null<T>(case: Case, null_in: Case, ptr: *const T) -> *const T {
    if case == null_in {
        null()
    } else {
        ptr
    }
}

/// The result struct: NULL in the NULL-result row, over `under` (the first input) in the
/// result-over-input row.
fn result_ptr<R>(case: Case, result: &mut Buf, under: &mut Buf) -> *mut R {
    match case {
        Case::NullResult => null_mut(),
        Case::ResultOverInput => under.ptr(),
        _ => result.ptr(),
    }
}

/// Room for a result of type `R` laid over an input, in the row that does so.
fn room<R>(case: Case) -> usize {
    if case == Case::ResultOverInput {
        size_of::<R>()
    } else {
        0
    }
}

/// `len`, or one below it in the row `short_in` (the capacity and scratch rows).
fn one_short(case: Case, short_in: Case, len: usize) -> usize {
    if case == short_in {
        len - 1
    } else {
        len
    }
}

/// A size the library reports for the valid data through `query`'s out-parameter.
fn asked(query: impl FnOnce(&mut usize) -> Status) -> usize {
    let mut needed = 0;
    assert_eq!(query(&mut needed), Status::Ok);
    needed
}

/// The value the NaN and +inf rows put into the data.
fn non_finite(case: Case) -> f64 {
    if case == Case::NanInData {
        f64::NAN
    } else {
        f64::INFINITY
    }
}

/// The buffers every family with a data array has, and the pointers the rows give the function
/// through them: the first data array (NULL in the NULL-input row, one byte off its alignment
/// in the misaligned row, and the input the overlay rows lay the result or an output array
/// over), the options (NULL in the NULL-options row) and the result struct `R` (NULL in the
/// NULL-result row).
struct Frame<'a, R> {
    cell: Cell<'a>,
    first_name: &'static str,
    first: Buf,
    options: Buf,
    result_name: &'static str,
    result: Buf,
    result_type: PhantomData<R>,
}

impl<'a, R: Copy + Debug> Frame<'a, R> {
    /// The buffers of the cell: `first` named `first_name`, one options struct, the result
    /// named `result_name`; `array` is the output array or scratch the array-over-input row
    /// lays over the first array (`None`: the function has none).
    fn new<T: Copy, O: Copy>(
        cell: Cell<'a>,
        (first_name, first): (&'static str, &[T]),
        options: O,
        result_name: &'static str,
        array: Option<&Buf>,
    ) -> Self {
        let case = cell.case;
        let array_room = match array {
            Some(array) if case == Case::ArrayOverInput => array.len,
            _ => 0,
        };
        let room = room::<R>(case).max(array_room);
        Frame {
            cell,
            first_name,
            first: Buf::new(first, first.len(), case == Case::Misaligned, room),
            options: Buf::input(&[options]),
            result_name,
            result: Buf::output::<R>(1),
            result_type: PhantomData,
        }
    }

    fn first_ptr<T>(&mut self) -> *const T {
        or_null(self.cell.case, Case::NullInput, self.first.cptr())
    }

    fn options_ptr<O>(&mut self) -> *const O {
        or_null(self.cell.case, Case::NullOptions, self.options.cptr())
    }

    /// `array`, or the first array in the array-over-input row.
    fn array_ptr<T>(&mut self, array: &mut Buf) -> *mut T {
        if self.cell.case == Case::ArrayOverInput {
            self.first.ptr()
        } else {
            array.ptr()
        }
    }

    fn result_ptr(&mut self) -> *mut R {
        result_ptr(self.cell.case, &mut self.result, &mut self.first)
    }

    /// The checks of the call, the first array, the options and the result done.
    fn check(&mut self, status: Status) -> Check<'_> {
        let mut check = self.cell.check(status);
        check
            .overlaid(self.first_name, &self.first)
            .input("options", &self.options)
            .output(self.result_name, &self.result, &[]);
        check
    }

    fn outcome(&mut self, status: Status) -> Outcome {
        outcome(status, self.result_ptr())
    }

    /// In the NaN and +inf rows an `ECV_OK` means the function took the non-finite pixel as
    /// data: `remark` is made when `counted_once` confirms it on the result, a problem
    /// otherwise.
    fn confirm_pixel_counted(
        &mut self,
        status: Status,
        counted_once: fn(&R) -> bool,
        remark: &str,
    ) {
        if status != Status::Ok || !matches!(self.cell.case, Case::NanInData | Case::InfInData) {
            return;
        }
        // SAFETY: on ECV_OK the function wrote one R there.
        if counted_once(&unsafe { self.result_ptr().read_unaligned() }) {
            self.cell.log.remark(remark);
        } else {
            let what = "the non-finite pixel was not counted";
            self.cell.check(status).fail(what.into());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Families (columns)

/// The call of a family in one cell (`None`: the function cannot express the row).
type Run = fn(Cell) -> Option<Outcome>;

/// A family of C functions: its column header, the function called, and its call per row.
struct Family {
    header: &'static str,
    function: &'static str,
    run: Run,
}

const fn family(header: &'static str, function: &'static str, run: Run) -> Family {
    Family {
        header,
        function,
        run,
    }
}

const FAMILIES: &[Family] = &[
    family("ECV", "ecv_ct", ecv_scalar),
    family("ECV map", "ecv_ct_map", ecv_map),
    family("image / ROI", "ecv_roi_stats", roi),
    family("Kaplan-Meier", "ecv_km_estimate", kaplan_meier),
    family("log-rank", "ecv_logrank", logrank),
    family("Cox", "ecv_cox_fit", cox),
    family("cutpoint", "ecv_cutpoint_scan", cutpoint),
    family("Spearman", "ecv_spearman", spearman),
    family("ICC", "ecv_icc", icc),
    family("Wilcoxon", "ecv_wilcoxon_rank_sum", wilcoxon),
];

const TISSUE: PhaseValues = PhaseValues {
    unenhanced: 40.0,
    equilibrium: 116.96,
};
const BLOOD: PhaseValues = PhaseValues {
    unenhanced: 42.0,
    equilibrium: 162.0,
};
const HEMATOCRIT: EcvHematocrit = EcvHematocrit {
    fraction: 0.4,
    origin: 0,
};

/// The rows [`hematocrit_and_blood`] makes.
fn hematocrit_row(case: Case) -> bool {
    matches!(
        case,
        Case::UnknownEnum
            | Case::HematocritPercent
            | Case::HematocritZero
            | Case::HematocritNegative
            | Case::BloodEnhancementZero
    )
}

/// The hematocrit and blood of the rows about them (for the two ECV functions).
fn hematocrit_and_blood(case: Case) -> (EcvHematocrit, PhaseValues) {
    let (mut hct, mut blood) = (HEMATOCRIT, BLOOD);
    match case {
        Case::HematocritPercent => hct.fraction = 40.0,
        Case::HematocritZero => hct.fraction = 0.0,
        Case::HematocritNegative => hct.fraction = -0.1,
        Case::UnknownEnum => hct.origin = GARBAGE,
        Case::BloodEnhancementZero => blood.equilibrium = blood.unenhanced,
        _ => {}
    }
    (hct, blood)
}

/// The remark on a negative `min_blood_delta_hu`, confirmed by two more calls of `ecv_ct` with
/// `options`: blood enhanced by 5 HU (flagged under the default threshold of 10) is not
/// flagged, blood that lost 2 HU is refused. `Err`: what the calls gave instead.
fn negative_threshold_confirmed(options: *const EcvOptions) -> Result<(), String> {
    let with_blood = |equilibrium| {
        let blood = PhaseValues {
            equilibrium,
            ..BLOOD
        };
        let mut out = Ecv {
            fraction: 0.0,
            flags: QualityFlags::default(),
        };
        // SAFETY: the caller's valid options; a valid output.
        let status = unsafe { ecv_ct(TISSUE, blood, HEMATOCRIT, options, &mut out) };
        (
            status,
            out.flags.contains(QualityFlags::LOW_BLOOD_ENHANCEMENT),
        )
    };
    let weak = with_blood(BLOOD.unenhanced + 5.0);
    let lost = with_blood(BLOOD.unenhanced - 2.0).0;
    if weak == (Status::Ok, false) && lost == Status::BloodEnhancementNegative {
        Ok(())
    } else {
        Err(format!(
            "blood +5 HU gave {weak:?}, blood -2 HU gave {lost:?}"
        ))
    }
}

fn ecv_scalar(mut cell: Cell) -> Option<Outcome> {
    let case = cell.case;
    let mut tissue = TISSUE;
    let mut options = ecv_options_default();
    match case {
        Case::NanInData | Case::InfInData => tissue.equilibrium = non_finite(case),
        Case::OptionOutOfRange => options.min_blood_delta_hu = -10.0,
        // No data array, no output array: the options are the one input, and `out` the pointer
        // the misaligned row moves.
        Case::NullInput | Case::ArrayOverInput => return None,
        c if !pointer_row(c) && !hematocrit_row(c) => return None,
        _ => {}
    }
    let (hct, blood) = hematocrit_and_blood(case);
    let mut opts = Buf::new(&[options], 1, false, room::<Ecv>(case));
    let mut out = Buf::new::<Ecv>(&[], 1, case == Case::Misaligned, 0);
    let out_ptr = result_ptr(case, &mut out, &mut opts);
    let options_ptr = or_null(case, Case::NullOptions, opts.cptr());
    // SAFETY: every pointer is NULL or points into a live buffer of the size the call needs.
    let status = unsafe { ecv_ct(tissue, blood, hct, options_ptr, out_ptr) };
    cell.check(status)
        .overlaid("options", &opts)
        .output("out", &out, &[]);
    if case == Case::OptionOutOfRange && status == Status::Ok {
        match negative_threshold_confirmed(options_ptr) {
            Ok(()) => cell.log.remark(
                "`ecv_ct`, a negative `min_blood_delta_hu`: a threshold of 0 or below only means \
                 that `ECV_FLAG_LOW_BLOOD_ENHANCEMENT` is never raised; blood that lost \
                 attenuation is refused on its own (`ECV_BLOOD_ENHANCEMENT_NEGATIVE`)",
            ),
            Err(what) => cell.check(status).fail(what),
        }
    }
    Some(outcome(status, out_ptr))
}

fn ecv_map(cell: Cell) -> Option<Outcome> {
    let case = cell.case;
    let mut unenhanced = vec![40.0f32, 42.0, 38.0, 45.0, 41.0, 39.0];
    let equilibrium = [100.0f32, 110.0, 95.0, 120.0, 105.0, 98.0];
    let mut n = unenhanced.len();
    let mut map_options = ecv_map_options_default();
    match case {
        Case::ZeroLength => n = 0,
        Case::NanInData | Case::InfInData => unenhanced[1] = non_finite(case) as f32,
        Case::OptionOutOfRange => {
            map_options.plausible_min = 1.0;
            map_options.plausible_max = 0.0;
        }
        Case::OneObservation => n = 1,
        Case::CapacityTooSmall => {}
        c if !pointer_row(c) && !hematocrit_row(c) => return None,
        _ => {}
    }
    let (hct, blood) = hematocrit_and_blood(case);
    let capacity = one_short(case, Case::CapacityTooSmall, unenhanced.len());
    let mut out = Buf::output::<f32>(capacity);
    let mut eq = Buf::input(&equilibrium);
    let mut map_opts = Buf::input(&[map_options]);
    let mut frame = Frame::<EcvMapSummary>::new(
        cell,
        ("unenhanced", &unenhanced),
        ecv_options_default(),
        "summary",
        Some(&out),
    );
    // SAFETY: as in `ecv_scalar`.
    let status = unsafe {
        ecv_ct_map(
            frame.first_ptr(),
            eq.cptr(),
            null(),
            n,
            blood,
            hct,
            frame.options_ptr(),
            or_null(case, Case::NullOptions, map_opts.cptr()),
            frame.array_ptr(&mut out),
            out.count,
            frame.result_ptr(),
        )
    };
    frame
        .check(status)
        .input("equilibrium", &eq)
        .input("map_options", &map_opts)
        .output("out", &out, &[]);
    frame.confirm_pixel_counted(
        status,
        |s| s.invalid_pixels == 1,
        "`ecv_ct_map`, NaN or +inf in the data: a non-finite pixel is data, not an error; it \
         gets `fill` in the map and is counted in `invalid_pixels`",
    );
    Some(frame.outcome(status))
}

fn roi(cell: Cell) -> Option<Outcome> {
    let case = cell.case;
    const SIDE: u32 = 6;
    let mut pixels: Vec<f32> = (0..SIDE * SIDE).map(|i| 40.0 + (i % 7) as f32).collect();
    let (mut cx, mut cy, mut radius) = (2.5, 2.5, 1.6);
    let mut options = ecv_roi_options_default();
    let inside = (2 * SIDE + 2) as usize;
    match case {
        Case::NanInData | Case::InfInData => pixels[inside] = non_finite(case) as f32,
        Case::OptionOutOfRange => options.window = ValueWindow { lo: 100.0, hi: 0.0 },
        Case::RoiOutsideImage => (cx, cy) = (100.0, 100.0),
        Case::ConstantData => pixels.fill(50.0),
        Case::OneObservation => (cx, cy, radius) = (2.0, 2.0, 0.4),
        // Made below, on the image descriptor, the scratch and the shape.
        Case::ZeroLength | Case::LengthsDisagree | Case::ScratchTooSmall | Case::UnknownEnum => {}
        c if !pointer_row(c) => return None,
        _ => {}
    }
    let spacing = PixelSpacing {
        row_mm: 0.8,
        col_mm: 0.8,
    };
    let f32_type = StoredType::F32 as u32;
    let units = Units::Pixels as u32;

    // The scratch the valid call needs.
    let scratch_len = {
        let mut valid = Buf::input(&pixels);
        let image = ecv_image_packed(f32_type, valid.cptr::<c_void>(), SIDE, SIDE, spacing);
        let shape = ecv_roi_circle(units, 2.5, 2.5, 1.6);
        // SAFETY: valid descriptor, shape and output.
        asked(|needed| unsafe { ecv_roi_scratch_len(&image, &shape, needed) })
    };
    let mut scratch = Buf::scratch::<f64>(case, scratch_len);
    let mut frame =
        Frame::<RoiStats>::new(cell, ("pixels", &pixels), options, "out", Some(&scratch));
    // The NULL-input row nulls the descriptor, the other rows change the pixel data.
    let mut image = ecv_image_packed(f32_type, frame.first.cptr::<c_void>(), SIDE, SIDE, spacing);
    match case {
        Case::ZeroLength => image.width = 0,
        Case::LengthsDisagree => image.data_len_bytes -= size_of::<f32>(),
        _ => {}
    }
    let mut shape = ecv_roi_circle(units, cx, cy, radius);
    if case == Case::UnknownEnum {
        shape.kind = GARBAGE;
    }
    // SAFETY: as in `ecv_scalar`; the descriptor never claims more bytes than `data` holds.
    let status = unsafe {
        ecv_roi_stats(
            or_null(case, Case::NullInput, &raw const image),
            &shape,
            frame.options_ptr(),
            frame.array_ptr(&mut scratch),
            scratch.count,
            frame.result_ptr(),
        )
    };
    frame.check(status).scratch("scratch", &scratch);
    frame.confirm_pixel_counted(
        status,
        |s| s.summary.non_finite_pixels == 1,
        "`ecv_roi_stats`, NaN or +inf in the data: a non-finite `float` pixel is left out of \
         the statistics and counted in `non_finite_pixels`",
    );
    Some(frame.outcome(status))
}

/// Survival data of every survival family: 8 subjects, one tied time, censoring in between.
const TIME: [f64; 8] = [5.0, 8.0, 12.0, 12.0, 20.0, 25.0, 31.0, 40.0];
const EVENT: [u8; 8] = [1, 0, 1, 1, 0, 1, 0, 1];
const GROUP: [u32; 8] = [0, 1, 0, 1, 0, 1, 0, 1];
const MARKER: [f64; 8] = [0.5, 1.2, 0.3, 2.0, 1.1, 0.7, 1.5, 0.9];

/// Time, event (an input buffer) and n of the survival families, changed by the rows about
/// them (zero length, event indicator, censoring, negative time, one subject); the data of every
/// other row.
fn survival_data(case: Case) -> (Vec<f64>, Buf, usize) {
    let (mut time, mut event, mut n) = (TIME.to_vec(), EVENT.to_vec(), TIME.len());
    match case {
        Case::ZeroLength => n = 0,
        Case::EventNotBinary => event[0] = 2,
        Case::AllCensored => event.fill(0),
        Case::NegativeTime => time[0] = -1.0,
        Case::OneObservation => n = 1,
        _ => {}
    }
    (time, Buf::input(&event), n)
}

/// The rows every survival function can express from its time and event alone.
fn survival_row(case: Case) -> bool {
    pointer_row(case)
        || matches!(
            case,
            Case::ZeroLength
                | Case::ScratchTooSmall
                | Case::UnknownEnum
                | Case::OptionOutOfRange
                | Case::EventNotBinary
                | Case::AllCensored
                | Case::NegativeTime
                | Case::OneObservation
        )
}

/// The Kaplan-Meier rows the valid data need.
fn km_rows_needed() -> usize {
    let mut scratch = vec![0u64; ecv_survival_scratch_len(TIME.len())];
    // SAFETY: valid arrays of the lengths given.
    asked(|needed| unsafe {
        ecv_km_rows_needed(
            TIME.as_ptr(),
            EVENT.as_ptr(),
            TIME.len(),
            0,
            scratch.as_mut_ptr(),
            scratch.len(),
            needed,
        )
    })
}

fn kaplan_meier(cell: Cell) -> Option<Outcome> {
    let case = cell.case;
    let (mut time, mut e, n) = survival_data(case);
    let mut options = ecv_km_options_default();
    match case {
        Case::NanInData | Case::InfInData => time[2] = non_finite(case),
        Case::UnknownEnum => options.conf_type = GARBAGE,
        Case::OptionOutOfRange => options.conf_level = 1.5,
        Case::CapacityTooSmall => {}
        c if !survival_row(c) => return None,
        _ => {}
    }
    let needed = km_rows_needed();
    let mut scratch = Buf::scratch::<u64>(case, ecv_survival_scratch_len(TIME.len()));
    let mut rows = Buf::output::<KmRow>(one_short(case, Case::CapacityTooSmall, needed));
    let mut rows_needed = Buf::output::<usize>(1);
    let mut frame = Frame::<KmSummary>::new(cell, ("time", &time), options, "summary", Some(&rows));
    // SAFETY: as in `ecv_scalar`.
    let status = unsafe {
        ecv_km_estimate(
            frame.first_ptr(),
            e.cptr(),
            n,
            frame.options_ptr(),
            scratch.ptr(),
            scratch.count,
            frame.array_ptr(&mut rows),
            rows.count,
            rows_needed.ptr(),
            frame.result_ptr(),
        )
    };
    frame
        .check(status)
        .input("event", &e)
        .scratch("scratch", &scratch)
        .output("rows", &rows, &[])
        .rows_needed(&rows_needed, needed);
    Some(frame.outcome(status))
}

fn logrank(cell: Cell) -> Option<Outcome> {
    let case = cell.case;
    let (mut time, mut e, n) = survival_data(case);
    let mut group = GROUP.to_vec();
    let mut options = ecv_logrank_options_default();
    match case {
        Case::NanInData | Case::InfInData => time[2] = non_finite(case),
        Case::SingleGroup => group.fill(0),
        Case::UnknownEnum => options.time_matching = GARBAGE,
        Case::OptionOutOfRange => options.rho = -1.0,
        Case::CapacityTooSmall => {}
        c if !survival_row(c) => return None,
        _ => {}
    }
    let n_groups = 2usize;
    let groups_capacity = one_short(case, Case::CapacityTooSmall, n_groups);
    let mut scratch = Buf::scratch::<u64>(case, ecv_survival_scratch_len(TIME.len()));
    let mut observed = Buf::output::<f64>(groups_capacity);
    let mut expected = Buf::output::<f64>(groups_capacity);
    let mut variance = Buf::output::<f64>(n_groups * n_groups);
    let mut g = Buf::input(&group);
    let mut frame =
        Frame::<LogRankTest>::new(cell, ("time", &time), options, "test", Some(&observed));
    // SAFETY: as in `ecv_scalar`.
    let status = unsafe {
        ecv_logrank(
            frame.first_ptr(),
            e.cptr(),
            g.cptr(),
            n,
            n_groups,
            null(),
            frame.options_ptr(),
            scratch.ptr(),
            scratch.count,
            frame.array_ptr(&mut observed),
            expected.ptr(),
            groups_capacity,
            variance.ptr(),
            variance.count,
            frame.result_ptr(),
        )
    };
    frame
        .check(status)
        .input("event", &e)
        .input("group", &g)
        .scratch("scratch", &scratch)
        .output("observed", &observed, &[])
        .output("expected", &expected, &[])
        .output("variance", &variance, &[]);
    Some(frame.outcome(status))
}

fn cox(cell: Cell) -> Option<Outcome> {
    let case = cell.case;
    let (time, mut e, n) = survival_data(case);
    let mut covariate = MARKER.to_vec();
    let mut n_columns = 1usize;
    let mut options = ecv_cox_options_default();
    match case {
        Case::NanInData | Case::InfInData => covariate[3] = non_finite(case),
        Case::ConstantData => covariate.fill(1.0),
        Case::SizeOverflow => n_columns = usize::MAX,
        Case::UnknownEnum => options.ties = GARBAGE,
        Case::OptionOutOfRange => options.conf_level = 1.5,
        c if !survival_row(c) => return None,
        _ => {}
    }
    let index_len = ecv_cox_index_scratch_len(TIME.len());
    let mut index = Buf::scratch::<u32>(case, index_len);
    let mut values = Buf::output::<f64>(ecv_cox_values_scratch_len(TIME.len(), 1));
    let mut diagnostic = Buf::output::<CoxDiagnostic>(1);
    let mut x = Buf::input(&covariate);
    let mut frame = Frame::<CoxFit>::new(cell, ("time", &time), options, "out", Some(&values));
    // SAFETY: as in `ecv_scalar`; with n_columns = SIZE_MAX the function must refuse the
    // overflowing size before building any slice.
    let status = unsafe {
        ecv_cox_fit(
            frame.first_ptr(),
            e.cptr(),
            n,
            x.cptr(),
            n_columns,
            null(),
            null(),
            frame.options_ptr(),
            index.ptr(),
            index.count,
            frame.array_ptr(&mut values),
            values.count,
            frame.result_ptr(),
            diagnostic.ptr(),
        )
    };
    // Documented: the diagnostic says why on these four failures.
    let diagnosed = [
        Status::CoxMonotoneLikelihood,
        Status::CoxCollinear,
        Status::CoxNotConverged,
        Status::CoxLikelihoodBelowStart,
    ];
    frame
        .check(status)
        .input("event", &e)
        .input("covariates", &x)
        .scratch("index_scratch", &index)
        .scratch("values_scratch", &values)
        .output("diagnostic", &diagnostic, &diagnosed);
    Some(frame.outcome(status))
}

/// The rows of the cutpoint scan the valid marker needs.
fn cutpoint_rows_needed(indices_len: usize) -> usize {
    let mut indices = vec![0u32; indices_len];
    // SAFETY: valid arrays of the lengths given.
    asked(|needed| unsafe {
        ecv_cutpoint_rows_needed(
            MARKER.as_ptr(),
            MARKER.len(),
            null(),
            indices.as_mut_ptr(),
            indices.len(),
            needed,
        )
    })
}

fn cutpoint(cell: Cell) -> Option<Outcome> {
    let case = cell.case;
    let (time, mut e, n) = survival_data(case);
    let mut marker = MARKER.to_vec();
    let mut options = ecv_cutpoint_options_default();
    match case {
        Case::NanInData | Case::InfInData => marker[2] = non_finite(case),
        Case::ConstantData => marker.fill(1.0),
        Case::OptionOutOfRange => options.max_prop = 1.5,
        Case::CapacityTooSmall => {}
        // The scan's options hold no enum.
        Case::UnknownEnum => return None,
        c if !survival_row(c) => return None,
        _ => {}
    }
    let lens = ecv_cutpoint_scratch_len(MARKER.len());
    let needed = cutpoint_rows_needed(lens.indices);
    let capacity = if case == Case::CapacityTooSmall {
        needed - 1
    } else {
        // SAFETY: NULL options: the defaults.
        unsafe { ecv_cutpoint_max_rows(MARKER.len(), null()) }
    };
    let mut reals = Buf::scratch::<f64>(case, lens.reals);
    let mut indices = Buf::output::<u32>(lens.indices);
    let mut profile = Buf::output::<CutpointRow>(capacity);
    let mut rows_needed = Buf::output::<usize>(1);
    let mut t = Buf::input(&time);
    let mut frame =
        Frame::<CutpointScan>::new(cell, ("marker", &marker), options, "result", Some(&profile));
    // SAFETY: as in `ecv_scalar`.
    let status = unsafe {
        ecv_cutpoint_scan(
            frame.first_ptr(),
            t.cptr(),
            e.cptr(),
            n,
            frame.options_ptr(),
            reals.ptr(),
            reals.count,
            indices.ptr(),
            indices.count,
            frame.array_ptr(&mut profile),
            profile.count,
            rows_needed.ptr(),
            frame.result_ptr(),
        )
    };
    frame
        .check(status)
        .input("time", &t)
        .input("event", &e)
        .scratch("reals", &reals)
        .scratch("indices", &indices)
        .output("profile", &profile, &[])
        .rows_needed(&rows_needed, needed);
    Some(frame.outcome(status))
}

/// The rows the correlation and group-comparison functions share.
fn stats_row(case: Case) -> bool {
    pointer_row(case)
        || matches!(
            case,
            Case::ZeroLength
                | Case::NanInData
                | Case::InfInData
                | Case::ScratchTooSmall
                | Case::UnknownEnum
                | Case::ConstantData
                | Case::OneObservation
        )
}

/// The pointers a rank-based test (Spearman, Wilcoxon) is called with.
struct RankArgs<O, R> {
    x: *const f64,
    y: *const f64,
    options: *const O,
    values: *mut f64,
    n_values: usize,
    indices: *mut u32,
    n_indices: usize,
    out: *mut R,
}

/// A rank-based test of `x` (the first array) and `y`: its buffers, with rank scratch for
/// `ranked` values (`scratch_values` one element short in the scratch row, and the array the
/// array-over-input row lays over `x`), the call made by `call`, and its checks.
fn rank_test<O: Copy, R: Copy + Debug>(
    cell: Cell,
    (x, y): (&[f64], &[f64]),
    ranked: usize,
    options: O,
    call: impl FnOnce(RankArgs<O, R>) -> Status,
) -> Option<Outcome> {
    let mut values = Buf::scratch::<f64>(cell.case, ecv_rank_scratch_values_needed(ranked));
    let mut indices = Buf::output::<u32>(ecv_rank_scratch_indices_needed(ranked));
    let mut yb = Buf::input(y);
    let mut frame = Frame::<R>::new(cell, ("x", x), options, "out", Some(&values));
    let status = call(RankArgs {
        x: frame.first_ptr(),
        y: yb.cptr(),
        options: frame.options_ptr(),
        values: frame.array_ptr(&mut values),
        n_values: values.count,
        indices: indices.ptr(),
        n_indices: indices.count,
        out: frame.result_ptr(),
    });
    frame
        .check(status)
        .input("y", &yb)
        .scratch("scratch_values", &values)
        .scratch("scratch_indices", &indices);
    Some(frame.outcome(status))
}

fn spearman(cell: Cell) -> Option<Outcome> {
    let case = cell.case;
    let mut x = vec![1.2, 3.4, 2.2, 5.1, 4.4, 0.7, 2.9, 3.8];
    let y = [2.0, 3.1, 2.5, 4.8, 3.9, 1.1, 3.5, 3.0];
    let mut n = x.len();
    let mut options = ecv_spearman_options_default();
    match case {
        Case::ZeroLength => n = 0,
        Case::NanInData | Case::InfInData => x[2] = non_finite(case),
        Case::UnknownEnum => options.method = GARBAGE,
        Case::ConstantData => x.fill(2.0),
        Case::OneObservation => n = 1,
        c if !stats_row(c) => return None,
        _ => {}
    }
    // SAFETY: as in `ecv_scalar`.
    rank_test(cell, (&x, &y), x.len(), options, |a| unsafe {
        ecv_spearman(
            a.x,
            a.y,
            n,
            a.options,
            a.values,
            a.n_values,
            a.indices,
            a.n_indices,
            a.out,
        )
    })
}

fn icc(cell: Cell) -> Option<Outcome> {
    let case = cell.case;
    // 8 subjects × 2 raters, row-major.
    let mut ratings = vec![
        3.1, 3.3, 4.0, 4.4, 2.2, 2.0, 5.1, 4.8, 3.6, 3.9, 2.8, 3.0, 4.5, 4.1, 3.3, 3.2,
    ];
    let (mut subjects, mut raters) = (8usize, 2usize);
    let mut options = ecv_icc_options_default();
    match case {
        Case::ZeroLength => subjects = 0,
        Case::NanInData | Case::InfInData => ratings[3] = non_finite(case),
        Case::OptionOutOfRange => options.conf_level = 1.5,
        Case::SizeOverflow => raters = usize::MAX,
        Case::ConstantData => ratings.fill(3.0),
        Case::OneObservation => subjects = 1,
        // No output array, no scratch.
        Case::ArrayOverInput => return None,
        c if !pointer_row(c) => return None,
        _ => {}
    }
    let mut frame = Frame::<IccTable>::new(cell, ("ratings", &ratings), options, "out", None);
    // SAFETY: as in `ecv_scalar`; with raters = SIZE_MAX the function must refuse the
    // overflowing size before building any slice.
    let status = unsafe {
        ecv_icc(
            frame.first_ptr(),
            subjects,
            raters,
            frame.options_ptr(),
            frame.result_ptr(),
        )
    };
    frame.check(status);
    Some(frame.outcome(status))
}

fn wilcoxon(cell: Cell) -> Option<Outcome> {
    let case = cell.case;
    let mut x = vec![3.1, 4.2, 2.8, 5.0, 3.9];
    let mut y = vec![2.0, 2.6, 1.9, 3.3];
    let (mut n_x, mut n_y) = (x.len(), y.len());
    let mut options = ecv_wilcoxon_options_default();
    match case {
        Case::ZeroLength => (n_x, n_y) = (0, 0),
        Case::NanInData | Case::InfInData => x[1] = non_finite(case),
        Case::UnknownEnum => options.alternative = GARBAGE,
        Case::SingleGroup => n_y = 0,
        Case::ConstantData => x.iter_mut().chain(y.iter_mut()).for_each(|v| *v = 3.0),
        Case::OneObservation => (n_x, n_y) = (1, 1),
        c if !stats_row(c) => return None,
        _ => {}
    }
    // SAFETY: as in `ecv_scalar`.
    rank_test(cell, (&x, &y), x.len() + y.len(), options, |a| unsafe {
        ecv_wilcoxon_rank_sum(
            a.x,
            n_x,
            a.y,
            n_y,
            a.options,
            a.values,
            a.n_values,
            a.indices,
            a.n_indices,
            a.out,
        )
    })
}

// ---------------------------------------------------------------------------------------------
// Names, rendering, README

/// The C name of a status: the Rust variant in SCREAMING_SNAKE_CASE after `ECV_`
/// (`T1NotPositive` → `ECV_T1_NOT_POSITIVE`).
fn c_name(status: Status) -> String {
    let mut name = String::from("ECV");
    for c in format!("{status:?}").chars() {
        if c.is_ascii_uppercase() {
            name.push('_');
        }
        name.push(c.to_ascii_uppercase());
    }
    name
}

/// The `ecv_status` values the checked-in header declares: name → value.
fn header_statuses() -> HashMap<String, u32> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("include/ecvkit.h");
    let header = std::fs::read_to_string(path).expect("read include/ecvkit.h");
    let body = header
        .split("enum ecv_status\n")
        .nth(1)
        .and_then(|rest| rest.split("};").next())
        .expect("the ecv_status enum in include/ecvkit.h");
    body.lines()
        .filter_map(|line| {
            let (name, value) = line.trim().trim_end_matches(',').split_once(" = ")?;
            Some((name.to_string(), value.parse().ok()?))
        })
        .collect()
}

/// Every status's C name is declared in the header with the same value.
#[test]
fn status_c_names_match_the_header() {
    let declared = header_statuses();
    assert_eq!(declared.len(), Status::ALL.len(), "{declared:?}");
    for &s in Status::ALL {
        assert_eq!(declared.get(&c_name(s)), Some(&(s as u32)), "{s:?}");
    }
}

const BEGIN: &str = "<!-- status-table:begin -->";
const END: &str = "<!-- status-table:end -->";

/// The block between the README markers: the table, how each row was made, and the remarks.
fn render(cells: &[Vec<Option<Status>>], remarks: &[String]) -> String {
    let mut s = String::new();
    s.push_str("| input class |");
    for f in FAMILIES {
        s.push_str(&format!(" {} |", f.header));
    }
    s.push_str("\n| --- |");
    s.push_str(&" --- |".repeat(FAMILIES.len()));
    s.push_str("\n| *C function called* |");
    for f in FAMILIES {
        s.push_str(&format!(" `{}` |", f.function));
    }
    for ((_, label, _), row) in ROWS.iter().zip(cells) {
        s.push_str(&format!("\n| {label} |"));
        for cell in row {
            match cell {
                Some(status) => s.push_str(&format!(" `{}` |", c_name(*status))),
                None => s.push_str(" — |"),
            }
        }
    }
    s.push_str(
        "\n\n\"—\": the function has no argument that can express the row. Every cell is one \
         call, the valid call changed in one respect:\n\n",
    );
    for (_, label, how) in ROWS {
        s.push_str(&format!("- *{label}*: {how}.\n"));
    }
    s.push_str(
        "\nIn every cell the canary bytes around each output and scratch buffer stayed \
         untouched, the inputs were not modified, and, when the status is not `ECV_OK`, every \
         output was left byte for byte as it was, except what the functions document writing \
         on a failure: `*rows_needed` on `ECV_BUFFER_TOO_SMALL` (`ecv_km_estimate`, \
         `ecv_cutpoint_scan`: the capacity to call again with, checked) and `*diagnostic` on \
         `ECV_COX_COLLINEAR`, `ECV_COX_MONOTONE_LIKELIHOOD`, `ECV_COX_NOT_CONVERGED` and \
         `ECV_COX_LIKELIHOOD_BELOW_START` (`ecv_cox_fit`: which covariate, after how many \
         iterations). With NULL options every result equals the valid \
         call's.\n",
    );
    if !remarks.is_empty() {
        s.push_str("\nWhat some `ECV_OK` cells mean (each checked by the test):\n\n");
        for r in remarks {
            s.push_str(&format!("- {r}.\n"));
        }
    }
    s
}

/// The README with its status-table block replaced by `block`.
fn replace_block(readme: &str, block: &str) -> String {
    let (head, rest) = readme
        .split_once(BEGIN)
        .expect("README.md has no <!-- status-table:begin --> marker");
    let (_, tail) = rest
        .split_once(END)
        .expect("README.md has no <!-- status-table:end --> marker");
    format!("{head}{BEGIN}\n{block}{END}{tail}")
}

/// The row of `case` in `ROWS`.
fn row_of(case: Case) -> usize {
    ROWS.iter()
        .position(|&(c, _, _)| c == case)
        .expect("every case has a row")
}

#[test]
fn readme_status_table_matches_the_library() {
    let mut log = Log::default();
    let cells: Vec<Vec<Option<Outcome>>> = ROWS
        .iter()
        .map(|&(case, _, _)| {
            FAMILIES
                .iter()
                .map(|f| {
                    (f.run)(Cell {
                        function: f.function,
                        case,
                        log: &mut log,
                    })
                })
                .collect()
        })
        .collect();

    // The valid call must succeed in every family, or the other rows say nothing.
    assert_eq!(ROWS[0].0, Case::Valid);
    let valid = &cells[0];
    assert!(
        valid
            .iter()
            .all(|c| c.as_ref().is_some_and(|o| o.status == Status::Ok)),
        "the valid call failed somewhere"
    );
    // NULL options give the defaults' results; a result laid over an input that comes back
    // ECV_OK must be the valid call's result (every input read before the result was written).
    let mut overwritten = Vec::new();
    for (f, family) in FAMILIES.iter().enumerate() {
        let expected = &valid[f].as_ref().and_then(|o| o.result.clone());
        for case in [Case::NullOptions, Case::ResultOverInput] {
            let Some(o) = &cells[row_of(case)][f] else {
                continue;
            };
            if o.status == Status::Ok && &o.result != expected {
                let what = format!("result {:?}, the valid call gave {expected:?}", o.result);
                log.problem(family.function, case, o.status, &what);
            } else if o.status == Status::Ok && case == Case::ResultOverInput {
                overwritten.push(format!("`{}`", family.function));
            }
        }
    }
    if !overwritten.is_empty() {
        log.remark(&format!(
            "result struct over an input, `ECV_OK` ({}): the function read every input before \
             it wrote the result, which equals the valid call's result and overwrites the input",
            overwritten.join(", ")
        ));
    }
    let statuses: Vec<Vec<Option<Status>>> = cells
        .iter()
        .map(|row| row.iter().map(|c| c.as_ref().map(|o| o.status)).collect())
        .collect();
    // Every printed name is one a C programmer can write.
    let declared = header_statuses();
    for status in statuses.iter().flatten().flatten() {
        assert!(declared.contains_key(&c_name(*status)), "{status:?}");
    }

    let block = render(&statuses, &log.remarks);
    println!("{block}");
    assert!(
        log.problems.is_empty(),
        "buffers or results against the contract:\n{}",
        log.problems.join("\n")
    );

    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).expect("read README.md");
    let updated = replace_block(&readme, &block);
    if std::env::var_os("ECVKIT_UPDATE_README").is_some() {
        std::fs::write(&path, &updated).expect("write README.md");
        return;
    }
    assert!(
        readme == updated,
        "The status table in README.md is out of date with the library.\n\
         Regenerate it with:  ECVKIT_UPDATE_README=1 cargo test --features capi --test status_table"
    );
}
