//! The log-rank / Fleming–Harrington test through the C ABI (`ecv_logrank`): K groups (any
//! `size_t`, labels any `uint32_t`), optional strata, ρ of any class, NaN / ±inf / negative /
//! tied times, events not 0/1 or all censored, short scratch and outputs, NULLs, misaligned and
//! overlapping buffers.
#![no_main]

use ecvkit::ffi::survival::{ecv_logrank, ecv_survival_scratch_len, EcvLogRankOptions};
use ecvkit::survival::LogRankTest;
use ecvkit::Status;
use ecvkit_fuzz::{check_status, finite, guarded_one, probability, Bytes, Guarded, Input};
use libfuzzer_sys::fuzz_target;
use std::ptr::{null, null_mut};

fuzz_target!(|data: &[u8]| run(data));

fn run(data: &[u8]) {
    let mut b = Bytes::new(data);
    let n = b.len(40, 3000);
    let time = Input::new(b.times(n), b.one_in(64));
    let event = Input::new(b.events(n), false);
    let n_groups = if b.one_in(16) {
        b.u64() as usize
    } else {
        b.below(6) + usize::from(b.one_in(8)) * b.below(40)
    };
    let label_range = (n_groups.min(40) as u32).saturating_add(u32::from(b.one_in(8)));
    let labels: Vec<u32> = (0..n)
        .map(|_| {
            if b.one_in(64) {
                b.u32()
            } else {
                u32::from(b.u8()) % label_range.max(1)
            }
        })
        .collect();
    let group = Input::new(labels, b.one_in(64));
    let strata = if b.bool() {
        let k = u32::from(b.u8() % 4) + 1;
        Some(Input::new(
            (0..n)
                .map(|_| {
                    if b.one_in(32) {
                        b.u32()
                    } else {
                        u32::from(b.u8()) % k
                    }
                })
                .collect(),
            false,
        ))
    } else {
        None
    };
    let opts = if b.one_in(3) {
        None
    } else {
        let rho = [0.0, 1.0, 0.5, 2.0][b.below(4)];
        Some(EcvLogRankOptions {
            rho: b.f64_or(rho),
            time_matching: b.enum_u32(2),
        })
    };
    let k = n_groups.min(40);
    let scratch_len = b.capacity(ecv_survival_scratch_len(n));
    let mut scratch = Guarded::new::<u64>(scratch_len, b.one_in(64));
    let groups_capacity = b.capacity(k);
    let variance_capacity = b.capacity(k * k);
    let mut observed = Guarded::new::<f64>(groups_capacity, b.one_in(64));
    let mut expected = Guarded::new::<f64>(groups_capacity, false);
    let mut variance = Guarded::new::<f64>(variance_capacity, false);
    let mut test = guarded_one(LogRankTest::default());
    let null_out = b.one_in(64);
    if ecvkit_fuzz::verbose() {
        eprintln!(
            "n = {n}, K = {n_groups}\ntime = {:?}\nevent = {:?}\ngroup = {:?}\nstrata = {:?}\noptions = {opts:?}",
            time.values,
            event.values,
            group.values,
            strata.as_ref().map(|s| &s.values)
        );
    }
    // SAFETY: every pointer is NULL or valid for the length passed with it.
    let s = unsafe {
        ecv_logrank(
            time.ptr_or_null(b.one_in(64)),
            event.ptr(),
            group.ptr(),
            n,
            n_groups,
            strata.as_ref().map_or(null(), |s| s.ptr()),
            opts.as_ref().map_or(null(), |o| o as *const _),
            scratch.ptr(),
            scratch_len,
            if null_out { null_mut() } else { observed.ptr() },
            expected.ptr(),
            groups_capacity,
            variance.ptr(),
            variance_capacity,
            test.ptr(),
        )
    };
    check_status("ecv_logrank", s);
    scratch.check_guards("ecv_logrank scratch");
    if s == Status::Ok {
        assert!((2..=32).contains(&n_groups));
        let t: LogRankTest = test.get(0);
        finite("chisq", t.chisq);
        assert!(t.chisq >= 0.0, "chisq {}", t.chisq);
        // df = groups with E > 0, minus 1; 0 is R's answer too when no time has two groups at
        // risk (documented: then p = 1).
        assert!(t.df < n_groups, "df {}", t.df);
        probability("p", t.p_value);
        if t.df == 0 {
            assert!(
                t.chisq == 0.0 && t.p_value == 1.0,
                "df 0 with chisq {}",
                t.chisq
            );
        }
        assert!(t.strata >= 1 && t.strata <= n);
        let (mut so, mut se) = (0.0, 0.0);
        for g in 0..n_groups {
            let (o, e): (f64, f64) = (observed.get(g), expected.get(g));
            finite("observed", o);
            finite("expected", e);
            assert!(o >= 0.0 && e >= 0.0, "O = {o}, E = {e}");
            so += o;
            se += e;
            for h in 0..n_groups {
                let v: f64 = variance.get(g * n_groups + h);
                finite("variance", v);
                let vt: f64 = variance.get(h * n_groups + g);
                assert!(
                    (v - vt).abs() <= 1e-9 * (v.abs() + vt.abs()) + 1e-300,
                    "V not symmetric"
                );
            }
        }
        assert!(
            (so - se).abs() <= 1e-9 * so.max(1.0),
            "ΣO = {so} ≠ ΣE = {se}"
        );
        observed.check_unchanged_from(n_groups * 8, "ecv_logrank observed");
        expected.check_unchanged_from(n_groups * 8, "ecv_logrank expected");
        variance.check_unchanged_from(n_groups * n_groups * 8, "ecv_logrank variance");
        test.check_guards("ecv_logrank test");
    } else {
        observed.check_unchanged("ecv_logrank observed");
        expected.check_unchanged("ecv_logrank expected");
        variance.check_unchanged("ecv_logrank variance");
        test.check_unchanged("ecv_logrank test");
    }

    // Overlap: an output placed over the group labels must be refused, labels intact.
    if n > 0 && b.one_in(16) {
        // Room after the labels so that the output placed inside is valid for its length.
        let mut room = group.values.clone();
        room.resize(n + 2 * k + 2, 0);
        let mut shared = Guarded::with(&room, false);
        let mut t2 = guarded_one(LogRankTest::default());
        let mut e2 = Guarded::new::<f64>(k, false);
        let mut v2 = Guarded::new::<f64>(k * k, false);
        let mut scratch2 = Guarded::new::<u64>(ecv_survival_scratch_len(n), false);
        let offset = b.below(n) * 4 & !7;
        // SAFETY: every range lies inside its own buffer; the overlap is what is tested.
        let s = unsafe {
            ecv_logrank(
                time.ptr(),
                event.ptr(),
                shared.cptr(),
                n,
                n_groups,
                null(),
                null(),
                scratch2.ptr(),
                ecv_survival_scratch_len(n),
                shared.ptr_at::<f64>(offset),
                e2.ptr(),
                k,
                v2.ptr(),
                k * k,
                t2.ptr(),
            )
        };
        check_status("ecv_logrank", s);
        assert_ne!(s, Status::Ok);
        shared.check_unchanged("labels under an output");
        t2.check_unchanged("ecv_logrank test");
    }

    time.check_unchanged("time");
    event.check_unchanged("event");
    group.check_unchanged("group");
    if let Some(st) = &strata {
        st.check_unchanged("strata");
    }
}
