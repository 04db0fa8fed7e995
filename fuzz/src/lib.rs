//! What every ecvkit fuzz target shares: a decoder from the fuzzer's bytes to the values a C
//! caller could pass (lengths, doubles of every class, survival times with ties, events that are
//! not 0/1, enum values as arbitrary `uint32_t`), buffers with canary bytes on both sides, and the
//! statuses each C function documents, read from its doc comment in `src/ffi/` so that the
//! check cannot drift from the documentation.
//!
//! The invariants each target checks after every call:
//! - the status is one of `Status::ALL` and one the function documents ([`check_status`]);
//! - the canary bytes around every output and scratch buffer are untouched ([`Guarded`]);
//! - on any status other than `ECV_OK`, every output is untouched (scratch may change);
//! - the inputs are unchanged (they are `const` in C);
//! - on `ECV_OK`, the results are finite where the function says so (NaN only where it means NA).
//!
//! A hang is caught by libFuzzer's `-timeout`; the per-call work is bounded by the inputs' sizes
//! and by the caller's own iteration options, which the targets keep small (see each target).

use ecvkit::Status;
use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

/// Reads the fuzzer's bytes front to back; once they run out every read gives 0.
pub struct Bytes<'a> {
    data: &'a [u8],
    pos: usize,
}

/// Values that break numerical code: NaN, infinities, signed zeros, subnormals, the extremes.
pub const SPECIAL_F64: [f64; 20] = [
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    0.0,
    -0.0,
    5e-324,
    -5e-324,
    f64::MIN_POSITIVE / 3.0,
    f64::MAX,
    f64::MIN,
    1e300,
    -1e300,
    1e-300,
    1.0,
    -1.0,
    0.5,
    f64::EPSILON,
    1e15,
    42.0,
    f64::MIN_POSITIVE,
];

impl<'a> Bytes<'a> {
    /// A reader over `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Bytes { data, pos: 0 }
    }

    /// The next byte (0 when exhausted).
    pub fn u8(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos = self.pos.saturating_add(1);
        b
    }

    /// Two bytes, little-endian.
    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }

    /// Four bytes, little-endian.
    pub fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }

    /// Eight bytes, little-endian.
    pub fn u64(&mut self) -> u64 {
        (u64::from(self.u32())) | (u64::from(self.u32()) << 32)
    }

    /// A value in 0..n (0 when n = 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            self.u16() as usize % n
        }
    }

    /// One bit.
    pub fn bool(&mut self) -> bool {
        self.u8() & 1 == 1
    }

    /// `true` once in `k` (roughly), for rare choices; `false` once the bytes run out, so that a
    /// short input takes the usual paths.
    pub fn one_in(&mut self, k: u8) -> bool {
        k > 1 && self.u8() % k == 1
    }

    /// A double of any class: a special value, a small integer (ties), a fraction, or raw bits.
    pub fn f64(&mut self) -> f64 {
        let tag = self.u8();
        match tag {
            0..=39 => SPECIAL_F64[tag as usize % SPECIAL_F64.len()],
            40..=159 => f64::from(self.u8()) - 64.0,
            160..=223 => f64::from(self.u16() as i16) / 256.0,
            _ => f64::from_bits(self.u64()),
        }
    }

    /// A double that is usually an ordinary value and sometimes any class (for options).
    pub fn f64_or(&mut self, usual: f64) -> f64 {
        if self.one_in(4) {
            self.f64()
        } else {
            usual
        }
    }

    /// An enum value as C passes it: usually one of the `valid` values 0..valid, sometimes any
    /// `uint32_t`.
    pub fn enum_u32(&mut self, valid: u32) -> u32 {
        if self.one_in(8) {
            self.u32()
        } else {
            u32::from(self.u8()) % valid.max(1)
        }
    }

    /// `n` doubles in one of several styles: bytes (heavy ties), any class per value, a seeded
    /// stream with a few special values injected (cheap large inputs), signed fixed point.
    pub fn f64s(&mut self, n: usize) -> Vec<f64> {
        match self.u8() % 4 {
            0 => (0..n).map(|_| f64::from(self.u8())).collect(),
            1 => (0..n).map(|_| self.f64()).collect(),
            2 => {
                let mut rng = SplitMix(self.u64());
                let scale = [1.0, 100.0, 1e-3, 1e6][self.below(4)];
                let grid = self.bool();
                let mut v: Vec<f64> = (0..n)
                    .map(|_| {
                        let u = rng.unit() * scale;
                        if grid {
                            (u * 8.0).floor() / 8.0
                        } else {
                            u
                        }
                    })
                    .collect();
                self.inject(&mut v);
                v
            }
            _ => (0..n).map(|_| f64::from(self.u16() as i16) / 8.0).collect(),
        }
    }

    /// Survival times: mostly non-negative with ties, sometimes negative or not finite.
    pub fn times(&mut self, n: usize) -> Vec<f64> {
        match self.u8() % 4 {
            0 => (0..n).map(|_| f64::from(self.u8() % 16)).collect(),
            1 => (0..n).map(|_| self.f64()).collect(),
            2 => {
                let mut rng = SplitMix(self.u64());
                let ties = self.bool();
                let mut v: Vec<f64> = (0..n)
                    .map(|_| {
                        let t = rng.unit() * 60.0;
                        if ties {
                            t.floor()
                        } else {
                            t
                        }
                    })
                    .collect();
                self.inject(&mut v);
                v
            }
            _ => (0..n).map(|_| f64::from(self.u16()) / 16.0).collect(),
        }
    }

    /// Event indicators: random 0/1, all censored, all events, or raw bytes (not 0/1).
    pub fn events(&mut self, n: usize) -> Vec<u8> {
        match self.u8() % 6 {
            0 => vec![0; n],
            1 => vec![1; n],
            2 => (0..n).map(|_| self.u8()).collect(),
            3 => {
                let mut rng = SplitMix(self.u64());
                let mut v: Vec<u8> = (0..n).map(|_| u8::from(rng.unit() < 0.6)).collect();
                if self.one_in(4) && n > 0 {
                    let i = self.below(n);
                    v[i] = self.u8();
                }
                v
            }
            _ => (0..n).map(|_| self.u8() & 1).collect(),
        }
    }

    /// Replaces a few values by special ones (NaN, ±inf, subnormal, huge).
    fn inject(&mut self, v: &mut [f64]) {
        for _ in 0..self.u8() % 4 {
            if v.is_empty() {
                return;
            }
            let i = self.below(v.len());
            v[i] = SPECIAL_F64[self.below(SPECIAL_F64.len())];
        }
    }

    /// A length: usually small, sometimes up to `max`.
    pub fn len(&mut self, small: usize, max: usize) -> usize {
        if self.one_in(8) {
            self.below(max + 1)
        } else {
            self.below(small + 1)
        }
    }

    /// A capacity for an output of `needed` elements: 0, one short, exact, a little more, or
    /// much more than needed (a real buffer of that size: "huge" within what the fuzzer can
    /// allocate).
    pub fn capacity(&mut self, needed: usize) -> usize {
        match self.u8() % 8 {
            0..=2 => needed,
            3 => 0,
            4 => needed.saturating_sub(1),
            5 => needed + 1 + self.below(8),
            6 => needed + self.below(512),
            _ => self.below(needed + 2),
        }
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): a seeded stream for cheap large inputs.
pub struct SplitMix(pub u64);

impl SplitMix {
    /// The next 64 bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A double in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Bytes on each side of a guarded buffer.
pub const GUARD: usize = 64;
/// The canary byte.
pub const CANARY: u8 = 0xA5;

/// A caller buffer with `GUARD` canary bytes on each side, itself filled with canary bytes (or
/// with given values), optionally misaligned by one byte.
pub struct Guarded {
    storage: Vec<u64>,
    start: usize,
    bytes: usize,
    before: Vec<u8>,
}

impl Guarded {
    /// Room for `len` values of `T`, filled with canary bytes.
    pub fn new<T>(len: usize, misaligned: bool) -> Self {
        let bytes = len * std::mem::size_of::<T>();
        let start = GUARD + usize::from(misaligned);
        let words = (start + bytes + GUARD).div_ceil(8);
        let mut g = Guarded {
            storage: vec![u64::from_ne_bytes([CANARY; 8]); words],
            start,
            bytes,
            before: Vec::new(),
        };
        g.snapshot();
        g
    }

    /// Room for `values.len()` values of `T`, initialised with them (for output buffers whose
    /// element type has invalid bit patterns, or for buffers shared by an input and an output).
    pub fn with<T: Copy>(values: &[T], misaligned: bool) -> Self {
        let mut g = Self::new::<T>(values.len(), misaligned);
        let p = g.ptr::<T>();
        for (i, v) in values.iter().enumerate() {
            // SAFETY: the interior has room for values.len() Ts; unaligned writes are allowed.
            unsafe { p.add(i).write_unaligned(*v) };
        }
        g.snapshot();
        g
    }

    /// The buffer's first element, as C receives it.
    pub fn ptr<T>(&mut self) -> *mut T {
        // SAFETY: start < storage size in bytes.
        unsafe {
            self.storage
                .as_mut_ptr()
                .cast::<u8>()
                .add(self.start)
                .cast::<T>()
        }
    }

    /// The buffer's first element as a const pointer.
    pub fn cptr<T>(&mut self) -> *const T {
        self.ptr::<T>()
    }

    /// A pointer `offset_bytes` into the buffer (for overlapping buffers).
    pub fn ptr_at<T>(&mut self, offset_bytes: usize) -> *mut T {
        let offset = offset_bytes.min(self.bytes);
        // SAFETY: within the storage (start + bytes + GUARD bytes).
        unsafe {
            self.storage
                .as_mut_ptr()
                .cast::<u8>()
                .add(self.start + offset)
                .cast::<T>()
        }
    }

    /// All bytes of the storage.
    fn all(&self) -> &[u8] {
        // SAFETY: the storage is initialised u64s, viewed as bytes.
        unsafe {
            std::slice::from_raw_parts(self.storage.as_ptr().cast::<u8>(), self.storage.len() * 8)
        }
    }

    /// Records the current bytes (done by the constructors; call again after a successful call
    /// to compare the next one).
    pub fn snapshot(&mut self) {
        self.before = self.all().to_vec();
    }

    /// Panics unless the canary bytes before and after the buffer are untouched.
    pub fn check_guards(&self, what: &str) {
        let now = self.all();
        let end = self.start + self.bytes;
        assert!(
            now[..self.start] == self.before[..self.start],
            "{what}: bytes before the buffer were written"
        );
        assert!(
            now[end..] == self.before[end..],
            "{what}: bytes after the buffer (capacity {} bytes) were written",
            self.bytes
        );
    }

    /// Panics unless the whole buffer, canaries included, is untouched.
    pub fn check_unchanged(&self, what: &str) {
        self.check_guards(what);
        assert!(
            self.all() == &self.before[..],
            "{what}: written although the status was not ECV_OK"
        );
    }

    /// Panics unless the bytes from `from_bytes` to the end of the buffer (and the canaries)
    /// are untouched: for outputs written only in part (rows beyond the count written).
    pub fn check_unchanged_from(&self, from_bytes: usize, what: &str) {
        self.check_guards(what);
        let from = self.start + from_bytes.min(self.bytes);
        assert!(
            self.all()[from..] == self.before[from..],
            "{what}: written beyond the {from_bytes} bytes the result needs"
        );
    }

    /// Element `i` (after a successful call wrote it).
    pub fn get<T: Copy>(&mut self, i: usize) -> T {
        assert!((i + 1) * std::mem::size_of::<T>() <= self.bytes);
        // SAFETY: in bounds (asserted); unaligned read allowed.
        unsafe { self.ptr::<T>().add(i).read_unaligned() }
    }
}

/// One output value with canaries around it: `Guarded` for a single `T`, initialised with a
/// valid value so that reading it back is defined.
pub fn guarded_one<T: Copy>(initial: T) -> Guarded {
    Guarded::with(&[initial], false)
}

/// An input buffer exactly as long as its contents (AddressSanitizer catches any read past it),
/// optionally placed one byte off alignment.
pub struct Input<T: Copy> {
    exact: Vec<T>,
    shifted: Option<Vec<u8>>,
    /// The values.
    pub values: Vec<T>,
}

impl<T: Copy> Input<T> {
    /// The values in their own allocation.
    pub fn new(values: Vec<T>, misaligned: bool) -> Self {
        let shifted = misaligned.then(|| {
            let size = std::mem::size_of_val(&values[..]);
            let mut b = vec![0u8; size + 1];
            // SAFETY: b has size + 1 bytes; copying the values' bytes to offset 1.
            unsafe {
                std::ptr::copy_nonoverlapping(
                    values.as_ptr().cast::<u8>(),
                    b.as_mut_ptr().add(1),
                    size,
                )
            };
            b
        });
        Input {
            exact: values.clone(),
            shifted,
            values,
        }
    }

    /// The pointer C receives (NULL for an empty input when `null_when_empty`).
    pub fn ptr(&self) -> *const T {
        match &self.shifted {
            // SAFETY: offset 1 inside the allocation.
            Some(b) => unsafe { b.as_ptr().add(1).cast::<T>() },
            None => self.exact.as_ptr(),
        }
    }

    /// NULL, or the pointer.
    pub fn ptr_or_null(&self, null: bool) -> *const T {
        if null {
            std::ptr::null()
        } else {
            self.ptr()
        }
    }

    /// Panics if the callee wrote to its `const` input.
    pub fn check_unchanged(&self, what: &str)
    where
        T: PartialEq + std::fmt::Debug,
    {
        let same = |a: &[T]| {
            a.len() == self.values.len() && a.iter().zip(&self.values).all(|(x, y)| bytes_eq(x, y))
        };
        assert!(same(&self.exact), "{what}: a const input was modified");
        if let Some(b) = &self.shifted {
            let size = std::mem::size_of_val(&self.values[..]);
            // SAFETY: b holds size + 1 bytes.
            let orig =
                unsafe { std::slice::from_raw_parts(self.values.as_ptr().cast::<u8>(), size) };
            assert!(&b[1..] == orig, "{what}: a const input was modified");
        }
    }
}

/// Byte equality (NaN payloads included).
fn bytes_eq<T>(a: &T, b: &T) -> bool {
    let size = std::mem::size_of::<T>();
    // SAFETY: both are valid Ts of `size` bytes; the types used here have no padding.
    unsafe {
        std::slice::from_raw_parts((a as *const T).cast::<u8>(), size)
            == std::slice::from_raw_parts((b as *const T).cast::<u8>(), size)
    }
}

/// The C library's sources, whose doc comments list each function's statuses.
const FFI_SOURCES: [&str; 9] = [
    include_str!("../../src/ffi/cox.rs"),
    include_str!("../../src/ffi/cutpoint.rs"),
    include_str!("../../src/ffi/ecv.rs"),
    include_str!("../../src/ffi/image.rs"),
    include_str!("../../src/ffi/mod.rs"),
    include_str!("../../src/ffi/roi.rs"),
    include_str!("../../src/ffi/stats.rs"),
    include_str!("../../src/ffi/status.rs"),
    include_str!("../../src/ffi/survival.rs"),
];

/// `NullPointer` → `NULL_POINTER`, `T1NotPositive` → `T1_NOT_POSITIVE` (the header's names
/// without the `ECV_` prefix).
pub fn c_name(status: Status) -> String {
    let debug = format!("{status:?}");
    let mut out = String::new();
    for (i, ch) in debug.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(ch.to_ascii_uppercase());
    }
    out
}

/// The doc comment just above `fn <name>(` in the C library's sources.
fn doc_of(name: &str) -> Option<String> {
    let needle = format!("fn {name}(");
    for src in FFI_SOURCES {
        let lines: Vec<&str> = src.lines().collect();
        if let Some(at) = lines.iter().position(|l| {
            l.contains(&needle) && l.contains("extern \"C\"") && l.trim_start().starts_with("pub")
        }) {
            let mut doc = Vec::new();
            for l in lines[..at].iter().rev() {
                let t = l.trim_start();
                if let Some(text) = t.strip_prefix("///") {
                    doc.push(text.to_string());
                } else if t.starts_with("#[") {
                    continue;
                } else {
                    break;
                }
            }
            doc.reverse();
            return Some(doc.join("\n"));
        }
    }
    None
}

/// Tokens of `text` that look like `prefix` + [A-Za-z0-9_]+.
fn tokens<'t>(text: &'t str, prefix: &str) -> Vec<&'t str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(prefix) {
        let tail = &rest[i..];
        let end = tail
            .char_indices()
            .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(tail.len(), |(j, _)| j);
        out.push(&tail[..end]);
        rest = &tail[end..];
    }
    out
}

/// The statuses documented for C function `name`: every `ECV_<STATUS>` in its doc comment, and
/// those of every `ecv_*` function it refers to ("those of `ecv_km_rows_needed`"), plus `ECV_OK`.
pub fn documented(name: &str) -> BTreeSet<u32> {
    static CACHE: OnceLock<std::sync::Mutex<HashMap<String, BTreeSet<u32>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(s) = cache.lock().unwrap().get(name) {
        return s.clone();
    }
    let by_name: HashMap<String, Status> = Status::ALL.iter().map(|&s| (c_name(s), s)).collect();
    let mut set = BTreeSet::from([Status::Ok as u32]);
    let mut seen = BTreeSet::new();
    let mut todo = vec![name.to_string()];
    while let Some(f) = todo.pop() {
        if !seen.insert(f.clone()) {
            continue;
        }
        let doc = doc_of(&f).unwrap_or_else(|| panic!("no doc comment found for {f}"));
        for t in tokens(&doc, "ECV_") {
            if let Some(s) = by_name.get(&t["ECV_".len()..]) {
                set.insert(*s as u32);
            }
        }
        for t in tokens(&doc, "ecv_") {
            if doc_of(t).is_some() {
                todo.push(t.to_string());
            }
        }
    }
    cache.lock().unwrap().insert(name.to_string(), set.clone());
    set
}

/// Statuses that `src/ffi/mod.rs` documents once for every function that takes a pointer.
fn universal() -> BTreeSet<u32> {
    let module_doc: String = FFI_SOURCES[4]
        .lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .collect::<Vec<_>>()
        .join("\n");
    let sentence = "Every function that takes a pointer returns `ECV_MISALIGNED_POINTER`";
    assert!(
        module_doc.contains(sentence),
        "src/ffi/mod.rs no longer documents ECV_MISALIGNED_POINTER for every function"
    );
    BTreeSet::from([Status::MisalignedPointer as u32])
}

/// Panics unless `status` is a defined value and one that `function`'s documentation lists
/// (its own doc comment, the functions it refers to, and the module-wide `ECV_MISALIGNED_POINTER`).
pub fn check_status(function: &str, status: Status) {
    if universal().contains(&(status as u32)) {
        return;
    }
    let value = status as u32;
    assert!(
        Status::ALL.iter().any(|&s| s as u32 == value),
        "{function}: status {value} is not in Status::ALL"
    );
    assert!(
        documented(function).contains(&value),
        "{function} returned ECV_{} ({value}), which its documentation does not list",
        c_name(status)
    );
}

/// `true` when `ECVKIT_FUZZ_VERBOSE` is set: targets then print the decoded inputs (for turning
/// a crash into a regression test).
pub fn verbose() -> bool {
    static V: OnceLock<bool> = OnceLock::new();
    *V.get_or_init(|| std::env::var_os("ECVKIT_FUZZ_VERBOSE").is_some())
}

/// Panics unless `x` is finite.
#[track_caller]
pub fn finite(what: &str, x: f64) {
    assert!(x.is_finite(), "{what} = {x} on ECV_OK");
}

/// Panics unless `x` is finite or NaN (R's NA), never ±inf.
#[track_caller]
pub fn finite_or_na(what: &str, x: f64) {
    assert!(!x.is_infinite(), "{what} = {x} on ECV_OK");
}

/// Panics unless `p` is a probability in [0, 1].
#[track_caller]
pub fn probability(what: &str, p: f64) {
    assert!(
        (0.0..=1.0).contains(&p),
        "{what} = {p} on ECV_OK, not in [0, 1]"
    );
}

/// Panics unless `p` is a probability in [0, 1] or NaN (NA).
#[track_caller]
pub fn probability_or_na(what: &str, p: f64) {
    assert!(
        p.is_nan() || (0.0..=1.0).contains(&p),
        "{what} = {p} on ECV_OK, not in [0, 1]"
    );
}
