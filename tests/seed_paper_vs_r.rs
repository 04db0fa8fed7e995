//! The seed-paper pipeline (`examples/seed_paper/`) checked end to end:
//!
//! - the phantom geometry: every reader ROI lies wholly inside its structure;
//! - the ROI step on the shipped cohort reproduces `examples/data/measurements.csv` byte for byte
//!   (so the R reference's inputs are provably the pipeline's);
//! - every statistic of the pipeline on the shipped data — ICC, Spearman, maxstat cutoffs,
//!   Kaplan-Meier medians and log-rank per group, Table 1 tests, univariable and multivariable
//!   Cox, subgroup HRs and interaction p, in the training and validation cohorts — against
//!   `tests/reference/seed_paper.csv`, written by `tests/reference/seed_paper.R` (R's survival,
//!   maxstat, psych and stats on the same two CSVs), to 1e-9 relative.
//!
//! The modules are the example's own files, included by path: the test checks the code the
//! example runs.

#[allow(dead_code)] // shared by the example and its tests; each uses a part
#[path = "../examples/seed_paper/cohort.rs"]
mod cohort;
#[allow(dead_code)] // shared by the example and its tests; each uses a part
#[path = "../examples/seed_paper/measure.rs"]
mod measure;
#[allow(dead_code)] // shared by the example and its tests; each uses a part
#[path = "../examples/seed_paper/paper.rs"]
mod paper;
#[allow(dead_code)] // shared by the example and its tests; each uses a part
#[path = "../examples/seed_paper/phantom.rs"]
mod phantom;
#[allow(dead_code)] // shared by the example and its tests; each uses a part
#[path = "../examples/seed_paper/pipeline.rs"]
mod pipeline;
#[allow(dead_code)] // shared by the example and its tests; each uses a part
#[path = "../examples/seed_paper/report.rs"]
mod report;
#[allow(dead_code)] // shared by the example and its tests; each uses a part
#[path = "../examples/seed_paper/svg.rs"]
mod svg;

mod common;
use common::{assert_close, Table};
use std::collections::BTreeMap;

fn read(path: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

fn shipped_cohort() -> cohort::Cohort {
    cohort::parse(&read("examples/data/cohort.csv")).expect("the shipped cohort parses")
}

#[test]
fn reader_rois_lie_inside_their_structures() {
    let cohort = shipped_cohort();
    let step = phantom::SPACING_MM;
    let mut checked = 0usize;
    for p in &cohort.patients {
        let spec = p.phantom.expect("the shipped cohort has phantoms");
        for reader in 0..phantom::READERS {
            let rois = phantom::reader_rois(&spec, reader);
            for phase in phantom::Phase::BOTH {
                let r = rois.phase(phase);
                let mut circles = vec![
                    (r.tumor, phantom::Structure::Tumor),
                    (r.aorta, phantom::Structure::Aorta),
                ];
                circles.extend(r.liver.iter().map(|c| (*c, phantom::Structure::Liver)));
                for (c, want) in circles {
                    let (c0, c1) = (
                        ((c.cx - c.r) / step).floor() as i64,
                        ((c.cx + c.r) / step).ceil() as i64,
                    );
                    let (r0, r1) = (
                        ((c.cy - c.r) / step).floor() as i64,
                        ((c.cy + c.r) / step).ceil() as i64,
                    );
                    for row in r0..=r1 {
                        for col in c0..=c1 {
                            let (x, y) = (col as f64 * step, row as f64 * step);
                            if (x - c.cx).powi(2) + (y - c.cy).powi(2) <= c.r * c.r {
                                let got = phantom::structure_at(x, y, spec.tumor_radius_mm);
                                assert_eq!(got, want, "patient {} reader {reader} {phase:?}: ROI {c:?} pixel ({col}, {row})", p.id);
                                checked += 1;
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(checked > 100_000, "only {checked} ROI pixels checked");
}

#[test]
fn roi_step_reproduces_the_shipped_measurement_table() {
    let cohort = shipped_cohort();
    let measured = measure::measure_cohort(&cohort, |_, _| {}).expect("every ROI measures");
    let ours = measure::measurements_csv(&measured);
    let shipped = read("examples/data/measurements.csv");
    if ours != shipped {
        let first = ours
            .lines()
            .zip(shipped.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b);
        panic!(
            "the ROI step no longer reproduces examples/data/measurements.csv (first difference: {first:?}); \
             if the change is intended: cargo run --release --example seed_paper -- \
             --write-measurements examples/data/measurements.csv, then Rscript tests/reference/seed_paper.R"
        );
    }
    // and the parser reads back what the writer wrote
    let parsed = measure::parse_measurements_csv(&shipped).unwrap();
    assert!(
        measure::measurements_csv(&parsed) == shipped,
        "parse ∘ write is not the identity"
    );
}

#[test]
fn pipeline_statistics_match_r() {
    let cohort = shipped_cohort();
    let measurements =
        measure::parse_measurements_csv(&read("examples/data/measurements.csv")).unwrap();
    let ids: Vec<&str> = cohort.patients.iter().map(|p| p.id.as_str()).collect();
    let measured_ids: Vec<&str> = measurements.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, measured_ids);
    let results = pipeline::run(&cohort, &measurements, |_| {}).expect("the pipeline runs");
    let ours: BTreeMap<String, f64> = results.key_values().into_iter().collect();

    let r = Table::load("seed_paper.csv");
    let mut worst = (0.0f64, String::new());
    let mut compared = 0usize;
    for row in 0..r.len() {
        let key = r.str(row, "key").to_string();
        let expected = r.f64(row, "value");
        let actual = *ours
            .get(&key)
            .unwrap_or_else(|| panic!("R computed {key}, the pipeline did not"));
        // Same algorithms as R throughout (survfit, survdiff, coxph, maxstat, psych, cor.test,
        // t/wilcox/chisq/fisher): 1e-9 relative, NA = NaN where a fit fails on both sides.
        assert_close(actual, expected, 1e-9, 0.0, &key);
        if expected.is_finite() && expected != 0.0 {
            let d = (actual - expected).abs() / expected.abs();
            if d > worst.0 {
                worst = (d, key.clone());
            }
        }
        compared += 1;
    }
    assert_eq!(
        compared,
        ours.len(),
        "the pipeline computed values R did not check"
    );
    assert!(compared > 1000, "only {compared} values compared");
    eprintln!(
        "{compared} values agree with R; largest relative difference {:e} ({})",
        worst.0, worst.1
    );
}

/// Every `<` of an SVG opens a tag (a bare "<0.001" once broke the forest plot), tags balance,
/// and the report names both sources of every figure it prints.
#[test]
fn figures_are_well_formed_and_the_report_labels_its_sources() {
    let cohort = shipped_cohort();
    let measurements =
        measure::parse_measurements_csv(&read("examples/data/measurements.csv")).unwrap();
    let r = pipeline::run(&cohort, &measurements, |_| {}).unwrap();
    let t = &r.training;
    let figures = [
        svg::kaplan_meier(
            "OS",
            "Overall survival",
            &t.curves[1],
            t.groups[0][1].test.p_value,
        ),
        svg::kaplan_meier("PFS", "PFS", &t.curves[0], t.groups[0][0].test.p_value),
        svg::forest("OS", &t.subgroups[1][0].result.overall, &t.subgroups[1]),
    ];
    for f in &figures {
        assert!(f.starts_with("<svg ") && f.trim_end().ends_with("</svg>"));
        let bytes = f.as_bytes();
        for (i, _) in f.match_indices('<') {
            let next = bytes.get(i + 1).copied().unwrap_or(b' ');
            assert!(
                next.is_ascii_alphabetic() || next == b'/',
                "bare '<' at byte {i}: {}",
                &f[i..(i + 20).min(f.len())]
            );
        }
        for tag in ["text", "line", "path", "rect", "polyline"] {
            let open = f.matches(&format!("<{tag} ")).count();
            let closed =
                f.matches(&format!("</{tag}>")).count() + f.matches("/>").count().min(open);
            assert!(closed >= open, "unbalanced <{tag}>");
        }
        assert_eq!(f.matches("<text").count(), f.matches("</text>").count());
    }
    // The forest plot has one row per subgroup level plus headers and the overall row.
    let levels: usize = t.subgroups[1]
        .iter()
        .map(|s| s.result.n_levels as usize)
        .sum();
    assert!(
        figures[2].matches("<rect x=").count() >= levels,
        "a marker per estimable level"
    );
    let text = report::render(&cohort, &r, "the shipped cohort");
    for needle in [
        "ecvkit on synthetic data",
        "paper (real patients)",
        "Table 1.",
        "Table 2.",
        "Table 3.",
        "Validation cohort",
    ] {
        assert!(text.contains(needle), "the report lacks {needle:?}");
    }
}
