//! src/cutpoint against R: tests/reference/cutpoint.R (R 4.2.2, survival 3.5-3, maxstat 0.7-25)
//! wrote the CSVs read here.
mod common;
use common::{assert_close, Table};
use ecvkit::cutpoint::{
    lausen92_p, lausen94_p, scan_cutpoints, xtile_cell_index, xtile_cells, xtile_grid,
    CutpointData, CutpointOptions, CutpointRow, CutpointScan, CutpointScratch, GroupOrdering,
    ScratchLen, XtileCell,
};

/// Same algorithm and formulas as R: 1e-9 relative.
const REL: f64 = 1e-9;

struct Cohort {
    marker: Vec<f64>,
    time: Vec<f64>,
    event: Vec<u8>,
}

fn cohort(name: &str) -> Cohort {
    let t = Table::load("cutpoint_data.csv").filter("dataset", name);
    assert!(t.len() > 0, "no data set {name}");
    Cohort {
        marker: t.f64_col("marker"),
        time: t.f64_col("time"),
        event: t.f64_col("event").iter().map(|&e| e as u8).collect(),
    }
}

impl Cohort {
    fn data(&self) -> CutpointData<'_> {
        CutpointData {
            marker: &self.marker,
            time: &self.time,
            event: &self.event,
        }
    }

    fn scan(&self, options: &CutpointOptions) -> (CutpointScan, Vec<CutpointRow>) {
        let n = self.marker.len();
        let need = ScratchLen::for_scan(n);
        let (mut reals, mut indices) = (vec![0.0; need.reals], vec![0u32; need.indices]);
        let mut profile = vec![CutpointRow::default(); options.max_cuts(n)];
        let scan = scan_cutpoints(
            self.data(),
            options,
            Some(&mut profile),
            CutpointScratch {
                reals: &mut reals,
                indices: &mut indices,
            },
        )
        .expect("scan");
        profile.truncate(scan.cuts);
        (scan, profile)
    }
}

fn options(min_prop: f64, max_prop: f64) -> CutpointOptions {
    CutpointOptions {
        min_prop,
        max_prop,
        ..CutpointOptions::default()
    }
}

#[test]
fn maxstat_statistic_cutpoint_and_lausen_p_match_r() {
    let t = Table::load("cutpoint_maxstat.csv");
    let mut worst = 0.0f64;
    for r in 0..t.len() {
        let name = t.str(r, "dataset");
        let o = options(t.f64(r, "minprop"), t.f64(r, "maxprop"));
        let (scan, _) = cohort(name).scan(&o);
        let what = format!(
            "{name} {:?} {}",
            (o.min_prop, o.max_prop),
            t.str(r, "pmethod")
        );
        assert_eq!(scan.cuts, t.f64(r, "n_cuts") as usize, "{what}: cuts");
        assert_eq!(
            scan.maxstat.cutpoint,
            t.f64(r, "cutpoint"),
            "{what}: cutpoint"
        );
        let stat = t.f64(r, "statistic");
        assert_close(
            scan.maxstat.statistic,
            stat,
            REL,
            0.0,
            &format!("{what}: M"),
        );
        let p = match t.str(r, "pmethod") {
            "Lau92" => scan.maxstat.p_lausen92,
            _ => scan.maxstat.p_lausen94,
        };
        assert_close(p, t.f64(r, "p_value"), REL, 0.0, &format!("{what}: p"));
        worst = worst
            .max(((scan.maxstat.statistic - stat) / stat).abs())
            .max(((p - t.f64(r, "p_value")) / t.f64(r, "p_value")).abs());
    }
    eprintln!("maxstat: worst relative difference {worst:e}");
}

#[test]
fn profile_matches_maxstat_stats_and_survdiff_at_every_cut() {
    let t = Table::load("cutpoint_profile.csv");
    let mut worst = (0.0f64, 0.0f64);
    for name in t.distinct("dataset") {
        let d = t.filter("dataset", &name);
        let c = cohort(&name);
        for (lo, hi) in [(0.1, 0.9), (0.25, 0.75), (0.05, 0.6)] {
            let rows: Vec<usize> = (0..d.len())
                .filter(|&r| d.f64(r, "minprop") == lo && d.f64(r, "maxprop") == hi)
                .collect();
            let (scan, profile) = c.scan(&options(lo, hi));
            assert_eq!(profile.len(), rows.len(), "{name} {lo} {hi}");
            let mut best_chisq = (f64::NEG_INFINITY, f64::NAN);
            for (row, &r) in profile.iter().zip(&rows) {
                let what = format!("{name} ({lo}, {hi}) cut {}", row.cutpoint);
                assert_eq!(row.cutpoint, d.f64(r, "cut"), "{what}");
                assert_eq!(row.n_low, d.f64(r, "n_low") as usize, "{what}");
                assert_eq!(row.n_low + row.n_high, c.marker.len());
                let m = d.f64(r, "maxstat_statistic");
                assert_close(
                    row.standardized_statistic,
                    m,
                    REL,
                    0.0,
                    &format!("{what} M"),
                );
                // χ² near 0 is a difference of near-equal O and E: relative to the scale 1.
                let x = d.f64(r, "chisq");
                assert_close(row.chisq, x, REL, 1.0, &format!("{what} chisq"));
                assert_eq!(row.observed_low, d.f64(r, "observed_low"), "{what} O");
                let e = d.f64(r, "expected_low");
                assert_close(row.expected_low, e, REL, 0.0, &format!("{what} E"));
                worst.0 = worst.0.max(((row.standardized_statistic - m) / m).abs());
                worst.1 = worst.1.max((row.chisq - x).abs() / x.max(1.0));
                if x > best_chisq.0 {
                    best_chisq = (x, row.cutpoint);
                }
            }
            assert_eq!(
                scan.logrank.cutpoint, best_chisq.1,
                "{name}: chi-square best"
            );
            assert_close(scan.logrank.statistic, best_chisq.0, REL, 0.0, "best chisq");
        }
    }
    eprintln!(
        "profile: worst relative difference M {:e}, chisq {:e}",
        worst.0, worst.1
    );
}

#[test]
fn lausen_p_values_match_r_on_a_grid() {
    let t = Table::load("cutpoint_lausen.csv");
    let mut worst = 0.0f64;
    for r in 0..t.len() {
        let (b, lo, hi, n) = (
            t.f64(r, "b"),
            t.f64(r, "minprop"),
            t.f64(r, "maxprop"),
            t.f64(r, "n") as usize,
        );
        let what = format!("b {b} props ({lo}, {hi}) n {n}");
        let p92 = lausen92_p(b, lo, hi);
        let p94 = lausen94_p(b, n, lo, hi);
        assert_close(p92, t.f64(r, "lau92"), REL, 0.0, &format!("{what} Lau92"));
        assert_close(p94, t.f64(r, "lau94"), REL, 0.0, &format!("{what} Lau94"));
        worst = worst
            .max(((p92 - t.f64(r, "lau92")) / t.f64(r, "lau92")).abs())
            .max(((p94 - t.f64(r, "lau94")) / t.f64(r, "lau94")).abs());
    }
    eprintln!("Lausen grid: worst relative difference {worst:e}");
}

#[test]
fn xtile_grid_matches_three_group_survdiff() {
    let t = Table::load("cutpoint_xtile.csv");
    let mut worst = 0.0f64;
    for name in t.distinct("dataset") {
        let d = t.filter("dataset", &name);
        let c = cohort(&name);
        let n = c.marker.len();
        let o = CutpointOptions::default();
        let need = ScratchLen::for_xtile(n);
        let (mut reals, mut indices) = (vec![0.0; need.reals], vec![0u32; need.indices]);
        let mut grid = vec![XtileCell::default(); xtile_cells(o.max_cuts(n))];
        let summary = xtile_grid(
            c.data(),
            &o,
            &mut grid,
            CutpointScratch {
                reals: &mut reals,
                indices: &mut indices,
            },
        )
        .expect("xtile");
        let (_, profile) = c.scan(&o);
        assert_eq!(summary.cuts, profile.len());
        assert_eq!(summary.cells, xtile_cells(profile.len()));
        let cut_index = |x: f64| profile.iter().position(|r| r.cutpoint == x).unwrap();
        let mut seen = 0;
        for r in 0..d.len() {
            let (a, b) = (
                cut_index(d.f64(r, "low_cut")),
                cut_index(d.f64(r, "high_cut")),
            );
            let cell = grid[xtile_cell_index(summary.cuts, a, b).unwrap()];
            let what = format!("{name} cells ({a}, {b})");
            assert_eq!(cell.low_cut, d.f64(r, "low_cut"), "{what}");
            assert_eq!(cell.high_cut, d.f64(r, "high_cut"), "{what}");
            assert_eq!(
                (cell.n_low, cell.n_mid, cell.n_high),
                (
                    d.f64(r, "n_low") as usize,
                    d.f64(r, "n_mid") as usize,
                    d.f64(r, "n_high") as usize
                ),
                "{what}"
            );
            let x = d.f64(r, "chisq");
            assert_close(cell.chisq, x, REL, 1.0, &format!("{what} chisq"));
            worst = worst.max((cell.chisq - x).abs() / x.max(1.0));
            for (ours, col) in [
                (cell.observed_expected_low, "oe_low"),
                (cell.observed_expected_mid, "oe_mid"),
                (cell.observed_expected_high, "oe_high"),
            ] {
                assert_close(ours, d.f64(r, col), REL, 1.0, &format!("{what} {col}"));
            }
            seen += 1;
        }
        // Every cell R skipped (middle group too small) is NaN here; the rest were compared.
        let with_chisq = grid[..summary.cells]
            .iter()
            .filter(|c| !c.chisq.is_nan())
            .count();
        assert_eq!(with_chisq, seen, "{name}");
        // The best cell is the largest chi-square among consistently ordered cells.
        let best = grid[..summary.cells]
            .iter()
            .filter(|c| c.ordering != GroupOrdering::Inconsistent && !c.chisq.is_nan())
            .map(|c| c.chisq)
            .fold(f64::NEG_INFINITY, f64::max);
        assert_eq!(summary.best.chisq, best, "{name}");
        eprintln!(
            "{name}: best X-tile division {} / {} (chi-square {:.3}, {:?})",
            summary.best.low_cut, summary.best.high_cut, summary.best.chisq, summary.best.ordering
        );
    }
    eprintln!("X-tile: worst relative difference {worst:e}");
}

#[test]
fn fixed_cutoff_matches_survfit_medians_and_survdiff() {
    use ecvkit::cutpoint::{apply_cutoff, FixedCutoffScratch, FixedCutoffScratchLen};
    use ecvkit::survival::KmOptions;
    let t = Table::load("cutpoint_fixed.csv");
    for r in 0..t.len() {
        let name = t.str(r, "dataset");
        let c = cohort(name);
        let cutoff = t.f64(r, "cutoff");
        let need = FixedCutoffScratchLen::for_subjects(c.marker.len());
        let (mut times, mut events, mut indices, mut sort) = (
            vec![0.0; need.times],
            vec![0u8; need.events],
            vec![0u32; need.indices],
            vec![0u64; need.sort],
        );
        let f = apply_cutoff(
            c.data(),
            cutoff,
            &KmOptions::default(),
            FixedCutoffScratch {
                times: &mut times,
                events: &mut events,
                indices: &mut indices,
                sort: &mut sort,
            },
        )
        .expect("fixed cutoff");
        let what = format!("{name} cutoff {cutoff}");
        assert_eq!(f.low.n, t.f64(r, "n_low") as usize, "{what}");
        assert_eq!(f.high.n, t.f64(r, "n_high") as usize, "{what}");
        assert_eq!(f.low.events, t.f64(r, "events_low") as usize, "{what}");
        assert_eq!(f.high.events, t.f64(r, "events_high") as usize, "{what}");
        for (ours, col) in [
            (f.low.median.median, "median_low"),
            (f.high.median.median, "median_high"),
            (f.low.median.lower, "median_low_lcl"),
            (f.low.median.upper, "median_low_ucl"),
            (f.high.median.lower, "median_high_lcl"),
            (f.high.median.upper, "median_high_ucl"),
            (f.low.expected, "expected_low"),
            (f.test.chisq, "chisq"),
            (f.test.p_value, "p_value"),
        ] {
            assert_close(ours, t.f64(r, col), REL, 0.0, &format!("{what} {col}"));
        }
    }
}
