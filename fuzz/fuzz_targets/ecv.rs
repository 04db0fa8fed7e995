//! ECV through the C ABI: `ecv_ct`, `ecv_dect`, `ecv_mri`, `ecv_hematocrit_from_blood_hu`,
//! `ecv_hematocrit_from_t1` (synthetic hematocrit) and the pixelwise `ecv_ct_map`, with HU, T1,
//! iodine and hematocrit values of every class (NaN, ±inf, subnormal, 42 for a percent, huge),
//! unknown origins, NULL and misaligned pointers, short and huge map buffers, overlapping
//! buffers; and `ecv_status_str` on any `uint32_t` (the input's first four bytes).
#![no_main]

use ecvkit::ecv::{
    BloodHuHematocritModel, Ecv, EcvMapOptions, EcvMapSummary, EcvOptions, PhaseValues,
    QualityFlags, T1HematocritModel, T1Values,
};
use ecvkit::ffi::ecv::{
    ecv_ct, ecv_ct_map, ecv_dect, ecv_hematocrit_from_blood_hu, ecv_hematocrit_from_t1, ecv_mri,
    ecv_t1_hematocrit_model_reiter_2024_3t_molli, EcvHematocrit,
};
use ecvkit::ffi::status::ecv_status_str;
use ecvkit::Status;
use ecvkit_fuzz::{check_status, finite, guarded_one, Bytes, Guarded, Input};
use libfuzzer_sys::fuzz_target;
use std::ptr::{null, null_mut};

fuzz_target!(|data: &[u8]| run(data));

/// Every flag bit the library defines.
const ALL_FLAGS: u32 = 63;

fn hu(b: &mut Bytes) -> f64 {
    if b.one_in(4) {
        b.f64()
    } else {
        f64::from(b.u16() as i16) / 4.0
    }
}

fn hematocrit(b: &mut Bytes) -> EcvHematocrit {
    let fraction = match b.u8() % 6 {
        0 => b.f64(),
        1 => f64::from(b.u8() % 101),
        _ => f64::from(b.u8()) / 255.0,
    };
    EcvHematocrit {
        fraction,
        origin: b.enum_u32(2),
    }
}

fn ecv_options(b: &mut Bytes) -> Option<EcvOptions> {
    if b.bool() {
        return None;
    }
    let d = EcvOptions::default();
    Some(EcvOptions {
        min_blood_delta_hu: b.f64_or(d.min_blood_delta_hu),
        min_blood_iodine_mg_per_ml: b.f64_or(d.min_blood_iodine_mg_per_ml),
        min_blood_delta_r1_per_s: b.f64_or(d.min_blood_delta_r1_per_s),
    })
}

fn ptr_of<T>(o: &Option<T>) -> *const T {
    o.as_ref().map_or(null(), |o| o as *const T)
}

/// The ECV result's invariants on `ECV_OK`.
fn check_ecv(function: &str, s: Status, out: &mut Guarded, hct: EcvHematocrit) {
    check_status(function, s);
    out.check_guards(function);
    if s == Status::Ok {
        let e: Ecv = out.get(0);
        finite("ECV", e.fraction);
        assert_eq!(e.flags.0 & !ALL_FLAGS, 0, "unknown flag bits");
        assert!((0.0..1.0).contains(&hct.fraction) && hct.fraction > 0.0);
        assert_eq!(
            e.flags.contains(QualityFlags::NEGATIVE_ECV),
            e.fraction < 0.0
        );
        assert_eq!(
            e.flags.contains(QualityFlags::ECV_ABOVE_ONE),
            e.fraction > 1.0
        );
    } else {
        out.check_unchanged(function);
    }
}

/// `ecv_status_str` on any value a C caller could pass: never NULL, a non-empty UTF-8 sentence,
/// "unknown ecv_status value" exactly for the values `Status::ALL` does not list.
fn status_str(data: &[u8]) {
    let mut bytes = [0u8; 4];
    for (d, s) in bytes.iter_mut().zip(data) {
        *d = *s;
    }
    let value = u32::from_le_bytes(bytes);
    let p = ecv_status_str(value);
    assert!(!p.is_null(), "ecv_status_str({value}) is NULL");
    // SAFETY: the library returns a static NUL-terminated string.
    let text = unsafe { std::ffi::CStr::from_ptr(p) }
        .to_str()
        .expect("UTF-8");
    assert!(!text.is_empty());
    let known = Status::ALL.iter().any(|s| *s as u32 == value);
    assert_eq!(
        known,
        text != "unknown ecv_status value",
        "ecv_status_str({value}) = {text}"
    );
}

fn run(data: &[u8]) {
    status_str(data);
    let mut b = Bytes::new(data);
    let blank = Ecv {
        fraction: -12345.0,
        flags: QualityFlags(0xdead),
    };

    // Scalar ECV, CT.
    let tissue = PhaseValues {
        unenhanced: hu(&mut b),
        equilibrium: hu(&mut b),
    };
    let blood = PhaseValues {
        unenhanced: hu(&mut b),
        equilibrium: hu(&mut b),
    };
    let hct = hematocrit(&mut b);
    let opts = ecv_options(&mut b);
    let mut out = guarded_one(blank);
    let null_out = b.one_in(32);
    // SAFETY: `out` is NULL or one writable ecv_result; options NULL or valid.
    let s = unsafe {
        ecv_ct(
            tissue,
            blood,
            hct,
            ptr_of(&opts),
            if null_out { null_mut() } else { out.ptr() },
        )
    };
    check_ecv("ecv_ct", s, &mut out, hct);

    // Dual-energy CT.
    let (ti, bi) = (hu(&mut b) / 16.0, hu(&mut b) / 16.0);
    let mut out = guarded_one(blank);
    // SAFETY: as above.
    let s = unsafe { ecv_dect(ti, bi, hct, ptr_of(&opts), out.ptr()) };
    check_ecv("ecv_dect", s, &mut out, hct);

    // MRI.
    let t1 = |b: &mut Bytes| {
        if b.one_in(4) {
            b.f64()
        } else {
            f64::from(b.u16() % 2000)
        }
    };
    let tissue_t1 = T1Values {
        native_ms: t1(&mut b),
        post_ms: t1(&mut b),
    };
    let blood_t1 = T1Values {
        native_ms: t1(&mut b),
        post_ms: t1(&mut b),
    };
    let mut out = guarded_one(blank);
    // SAFETY: as above.
    let s = unsafe { ecv_mri(tissue_t1, blood_t1, hct, ptr_of(&opts), out.ptr()) };
    check_ecv("ecv_mri", s, &mut out, hct);

    // Synthetic hematocrit.
    let model = BloodHuHematocritModel {
        slope: b.f64_or(0.0017),
        intercept: b.f64_or(0.35),
    };
    let blank_hct = EcvHematocrit {
        fraction: -3.0,
        origin: 77,
    };
    let mut h = guarded_one(blank_hct);
    let blood_hu = hu(&mut b);
    // SAFETY: `h` is one writable ecv_hematocrit.
    let s = unsafe { ecv_hematocrit_from_blood_hu(model, blood_hu, h.ptr()) };
    check_hematocrit("ecv_hematocrit_from_blood_hu", s, &mut h);
    let model = if b.bool() {
        ecv_t1_hematocrit_model_reiter_2024_3t_molli()
    } else {
        T1HematocritModel {
            a_native: b.f64_or(1355.52),
            b: b.f64_or(-0.31),
            c_post: b.f64_or(0.0),
        }
    };
    let mut h = guarded_one(blank_hct);
    let (native, post) = (t1(&mut b), t1(&mut b));
    // SAFETY: as above.
    let s = unsafe { ecv_hematocrit_from_t1(model, native, post, h.ptr()) };
    check_hematocrit("ecv_hematocrit_from_t1", s, &mut h);

    map(&mut b, blood, hct, &opts);
}

fn check_hematocrit(function: &str, s: Status, h: &mut Guarded) {
    check_status(function, s);
    if s == Status::Ok {
        let v: EcvHematocrit = h.get(0);
        assert!(
            v.fraction > 0.0 && v.fraction < 1.0,
            "hematocrit {}",
            v.fraction
        );
        assert_eq!(v.origin, 1, "a synthetic hematocrit must say so");
        h.check_guards(function);
    } else {
        h.check_unchanged(function);
    }
}

/// `ecv_ct_map` on decoded images.
fn map(b: &mut Bytes, blood: PhaseValues, hct: EcvHematocrit, opts: &Option<EcvOptions>) {
    let n = b.len(64, 4096);
    let image = |b: &mut Bytes| -> Vec<f32> {
        match b.u8() % 3 {
            0 => (0..n).map(|_| b.f64() as f32).collect(),
            1 => (0..n).map(|_| f32::from(b.u16() as i16) / 8.0).collect(),
            _ => {
                let base = f32::from(b.u8());
                (0..n).map(|i| base + (i % 7) as f32).collect()
            }
        }
    };
    let unenhanced = Input::new(image(b), b.one_in(64));
    let equilibrium = Input::new(image(b), false);
    let mask = b
        .bool()
        .then(|| Input::new((0..n).map(|_| b.u8() % 3).collect::<Vec<u8>>(), false));
    let map_options = if b.bool() {
        None
    } else {
        let d = EcvMapOptions::default();
        Some(EcvMapOptions {
            fill: if b.one_in(4) { b.f64() as f32 } else { d.fill },
            plausible_min: b.f64_or(d.plausible_min),
            plausible_max: b.f64_or(d.plausible_max),
        })
    };
    let capacity = b.capacity(n);
    let mut out = Guarded::new::<f32>(capacity, b.one_in(64));
    let mut summary = guarded_one(EcvMapSummary {
        invalid_pixels: usize::MAX,
        masked_pixels: usize::MAX,
        factor_per_hu: -1.0,
        flags: QualityFlags(0xdead),
    });
    let null_input = b.one_in(64);
    if ecvkit_fuzz::verbose() {
        eprintln!(
            "n = {n}\nunenhanced = {:?}\nequilibrium = {:?}\nmask = {:?}\nblood = {blood:?}\nhct = {hct:?}\noptions = {opts:?}\nmap_options = {map_options:?}\ncapacity = {capacity}",
            unenhanced.values,
            equilibrium.values,
            mask.as_ref().map(|m| &m.values)
        );
    }
    // SAFETY: every pointer is NULL or valid for the length passed with it.
    let s = unsafe {
        ecv_ct_map(
            unenhanced.ptr_or_null(null_input),
            equilibrium.ptr(),
            mask.as_ref().map_or(null(), |m| m.ptr()),
            n,
            blood,
            hct,
            ptr_of(opts),
            ptr_of(&map_options),
            out.ptr(),
            capacity,
            summary.ptr(),
        )
    };
    check_status("ecv_ct_map", s);
    if s == Status::Ok {
        let sum: EcvMapSummary = summary.get(0);
        let mo = map_options.unwrap_or_default();
        finite("factor_per_hu", sum.factor_per_hu);
        assert_eq!(sum.flags.0 & !ALL_FLAGS, 0);
        let mut filled = 0usize;
        let mut masked = 0usize;
        for i in 0..n {
            let v: f32 = out.get(i);
            let outside = mask.as_ref().is_some_and(|m| m.values[i] == 0);
            masked += usize::from(outside);
            if v.to_bits() == mo.fill.to_bits() && (outside || !kept(v, &mo)) {
                filled += 1;
                continue;
            }
            if outside {
                panic!("pixel {i} outside the mask not filled: {v}");
            }
            if v.to_bits() == mo.fill.to_bits() {
                // a kept value equal to the fill value
                continue;
            }
            assert!(v.is_finite(), "pixel {i} = {v} written as a kept value");
            assert!(
                kept(v, &mo),
                "pixel {i} = {v} outside [{}, {}]",
                mo.plausible_min,
                mo.plausible_max
            );
        }
        assert_eq!(sum.masked_pixels, masked);
        assert!(sum.invalid_pixels + sum.masked_pixels <= n);
        assert!(filled >= sum.masked_pixels);
        out.check_unchanged_from(n * 4, "ecv_ct_map out");
        summary.check_guards("ecv_ct_map summary");
    } else {
        out.check_unchanged("ecv_ct_map out");
        summary.check_unchanged("ecv_ct_map summary");
    }
    unenhanced.check_unchanged("unenhanced");
    equilibrium.check_unchanged("equilibrium");

    // Overlap: the map written over the unenhanced image must be refused, image intact.
    if n > 0 && b.one_in(16) {
        let mut room = unenhanced.values.clone();
        room.resize(2 * n, 0.0);
        let mut shared = Guarded::with(&room, false);
        let offset = b.below(n) * 4;
        let mut summary = guarded_one(EcvMapSummary::default());
        // SAFETY: both ranges lie inside `shared`; the overlap is what is tested.
        let s = unsafe {
            ecv_ct_map(
                shared.cptr(),
                equilibrium.ptr(),
                null(),
                n,
                blood,
                hct,
                null(),
                null(),
                shared.ptr_at::<f32>(offset),
                n,
                summary.ptr(),
            )
        };
        check_status("ecv_ct_map", s);
        assert_ne!(s, Status::Ok);
        shared.check_unchanged("image under the map");
        summary.check_unchanged("ecv_ct_map summary");
    }
}

/// A value the map keeps: within the plausible range (compared in f32, as stored).
fn kept(v: f32, o: &EcvMapOptions) -> bool {
    v.is_finite()
        && f64::from(v) >= o.plausible_min as f32 as f64
        && f64::from(v) <= o.plausible_max as f32 as f64
}
