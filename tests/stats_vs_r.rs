//! ecvkit's statistics against R: tests/reference/stats.R wrote the CSVs read here
//! (`Rscript tests/reference/stats.R`; R 4.2.2, survival 3.5-3, psych 2.2.9).
//!
//! Tolerance: 1e-9 relative everywhere (the algorithms are R's), with a floor of 1e-14 so that
//! values that are zero up to rounding (a t of 1e-17) do not demand agreement beyond double
//! precision. Run with `--nocapture` to see the largest relative difference of each group.

mod common;

use common::{assert_close, Table};
use ecvkit::stats::{
    chi_square, fisher_exact_2x2, icc, mean_sd, median_iqr, pearson, quantile_type7, spearman,
    t_test, wilcoxon_rank_sum, Alternative, ContingencyTable, Continuity, IccOptions, IccType,
    PearsonOptions, RankScratch, RatingMatrix, SpearmanOptions, SpearmanPValue, TTestOptions,
    TTestVariance, WilcoxonMethod, WilcoxonOptions, WilcoxonPValue,
};
use std::collections::BTreeMap;

const REL: f64 = 1e-9;
const FLOOR: f64 = 1e-14;

/// Largest relative difference seen per quantity, printed at the end of each test.
#[derive(Default)]
struct Agreement(BTreeMap<&'static str, f64>);

impl Agreement {
    fn check(&mut self, what: &'static str, got: f64, want: f64, context: &str) {
        assert_close(got, want, REL, FLOOR, &format!("{context}: {what}"));
        if want.is_finite() {
            let rel = (got - want).abs() / want.abs().max(FLOOR);
            let e = self.0.entry(what).or_insert(0.0);
            *e = e.max(rel);
        }
    }

    fn report(&self, name: &str) {
        let worst = self.0.values().copied().fold(0.0, f64::max);
        println!("{name}: max relative difference {worst:.2e}");
        for (k, v) in &self.0 {
            println!("  {k:>14}: {v:.2e}");
        }
    }
}

fn alternative(s: &str) -> Alternative {
    match s {
        "two.sided" => Alternative::TwoSided,
        "less" => Alternative::Less,
        "greater" => Alternative::Greater,
        other => panic!("unknown alternative {other}"),
    }
}

/// The columns `a` and `b` of the rows of `case`.
fn columns(t: &Table, case: &str, a: &str, b: &str) -> (Vec<f64>, Vec<f64>) {
    let rows = t.filter("case", case);
    (rows.f64_col(a), rows.f64_col(b))
}

struct Scratch {
    values: Vec<f64>,
    indices: Vec<u32>,
}

impl Scratch {
    fn new(n: usize) -> Self {
        Scratch {
            values: vec![0.0; RankScratch::values_needed(n)],
            indices: vec![0; RankScratch::indices_needed(n)],
        }
    }
    fn lend(&mut self) -> RankScratch<'_> {
        RankScratch {
            values: &mut self.values,
            indices: &mut self.indices,
        }
    }
}

#[test]
fn correlation_matches_cor_test() {
    let pairs = Table::load("stats_pairs.csv");
    let reference = Table::load("stats_correlation.csv");
    let mut agree = Agreement::default();
    let mut routes = BTreeMap::new();
    for row in 0..reference.len() {
        let case = reference.str(row, "case");
        let method = reference.str(row, "method");
        let alt = alternative(reference.str(row, "alternative"));
        let (x, y) = columns(&pairs, case, "x", "y");
        assert_eq!(x.len() as f64, reference.f64(row, "n"), "{case}");
        let ctx = format!("{case} {method} {}", reference.str(row, "alternative"));
        if method == "spearman" {
            let mut s = Scratch::new(x.len());
            let options = SpearmanOptions {
                alternative: alt,
                ..Default::default()
            };
            let t = spearman(&x, &y, &options, &mut s.lend()).unwrap();
            let route = match t.p_method {
                SpearmanPValue::Exact => "exact",
                SpearmanPValue::Edgeworth => "edgeworth",
                SpearmanPValue::TApproximation => "t",
            };
            assert_eq!(route, reference.str(row, "route"), "{ctx}");
            *routes.entry(route).or_insert(0) += 1;
            agree.check("rho", t.rho, reference.f64(row, "estimate"), &ctx);
            // S is (n³ − n)(1 − ρ): its relative error is ρ's magnified where ρ ≈ 1; compare
            // it on the scale of its maximum (n³ − n)/3.
            let n = x.len() as f64;
            let s_max = (n * n * n - n) / 3.0;
            assert_close(t.s, reference.f64(row, "statistic"), REL, s_max, &ctx);
            agree.check("spearman p", t.p_value, reference.f64(row, "p"), &ctx);
        } else {
            let options = PearsonOptions {
                alternative: alt,
                conf_level: 0.95,
            };
            let t = pearson(&x, &y, &options).unwrap();
            agree.check("r", t.r, reference.f64(row, "estimate"), &ctx);
            agree.check("pearson t", t.t, reference.f64(row, "statistic"), &ctx);
            agree.check("df", t.df, reference.f64(row, "df"), &ctx);
            agree.check("pearson p", t.p_value, reference.f64(row, "p"), &ctx);
            agree.check("ci", t.conf_low, reference.f64(row, "ci_lo"), &ctx);
            agree.check("ci", t.conf_high, reference.f64(row, "ci_hi"), &ctx);
        }
    }
    assert!(
        routes.len() == 3,
        "every Spearman route is covered: {routes:?}"
    );
    agree.report("cor.test");
}

#[test]
fn icc_matches_psych() {
    let data = Table::load("stats_icc_data.csv");
    let reference = Table::load("stats_icc.csv");
    let mut agree = Agreement::default();
    for case in reference.distinct("case") {
        let d = data.filter("case", &case);
        let subjects = d.f64_col("subject").iter().fold(0.0, |a: f64, &b| a.max(b)) as usize;
        let raters = d.f64_col("rater").iter().fold(0.0, |a: f64, &b| a.max(b)) as usize;
        let mut m = vec![f64::NAN; subjects * raters];
        for r in 0..d.len() {
            let i = d.f64(r, "subject") as usize - 1;
            let j = d.f64(r, "rater") as usize - 1;
            m[i * raters + j] = d.f64(r, "value");
        }
        let rows = reference.filter("case", &case);
        for alpha in rows.distinct("alpha") {
            let set = rows.filter("alpha", &alpha);
            let options = IccOptions {
                conf_level: 1.0 - common::parse_r_number(&alpha),
            };
            let table = icc(RatingMatrix::new(&m, subjects, raters).unwrap(), &options).unwrap();
            for r in 0..set.len() {
                let kind = match set.str(r, "type") {
                    "ICC1" => IccType::Icc1,
                    "ICC2" => IccType::Icc2,
                    "ICC3" => IccType::Icc3,
                    "ICC1k" => IccType::Icc1k,
                    "ICC2k" => IccType::Icc2k,
                    "ICC3k" => IccType::Icc3k,
                    other => panic!("{other}"),
                };
                let f = table.get(kind);
                let ctx = format!("{case} alpha={alpha} {kind:?}");
                agree.check("icc", f.icc, set.f64(r, "icc"), &ctx);
                agree.check("F", f.f, set.f64(r, "F"), &ctx);
                agree.check("df", f.df1, set.f64(r, "df1"), &ctx);
                agree.check("df", f.df2, set.f64(r, "df2"), &ctx);
                agree.check("p", f.p_value, set.f64(r, "p"), &ctx);
                agree.check("bounds", f.lower, set.f64(r, "lower"), &ctx);
                agree.check("bounds", f.upper, set.f64(r, "upper"), &ctx);
            }
        }
    }
    agree.report("psych::ICC");
}

#[test]
fn two_sample_tests_match_t_test_and_wilcox_test() {
    let samples = Table::load("stats_samples.csv");
    let reference = Table::load("stats_two_sample.csv");
    let mut agree = Agreement::default();
    for row in 0..reference.len() {
        let case = reference.str(row, "case");
        let test = reference.str(row, "test");
        let alt = alternative(reference.str(row, "alternative"));
        let rows = samples.filter("case", case);
        let x = rows.filter("group", "x").f64_col("value");
        let y = rows.filter("group", "y").f64_col("value");
        let ctx = format!("{case} {test} {}", reference.str(row, "alternative"));
        match test {
            "welch" | "student" => {
                let options = TTestOptions {
                    alternative: alt,
                    variance: if test == "welch" {
                        TTestVariance::Welch
                    } else {
                        TTestVariance::Pooled
                    },
                    ..Default::default()
                };
                let t = t_test(&x, &y, &options).unwrap();
                agree.check("t", t.t, reference.f64(row, "statistic"), &ctx);
                agree.check("t df", t.df, reference.f64(row, "df"), &ctx);
                agree.check("t p", t.p_value, reference.f64(row, "p"), &ctx);
                agree.check("t ci", t.conf_low, reference.f64(row, "ci_lo"), &ctx);
                agree.check("t ci", t.conf_high, reference.f64(row, "ci_hi"), &ctx);
                agree.check("t stderr", t.stderr, reference.f64(row, "stderr"), &ctx);
            }
            _ => {
                let options = WilcoxonOptions {
                    alternative: alt,
                    continuity: if test == "wilcoxon_nocorrect" {
                        Continuity::Uncorrected
                    } else {
                        Continuity::Corrected
                    },
                    method: if test == "wilcoxon_normal" {
                        WilcoxonMethod::NormalApproximation
                    } else {
                        WilcoxonMethod::Auto
                    },
                    mu: 0.0,
                };
                let mut s = Scratch::new(x.len() + y.len());
                let t = wilcoxon_rank_sum(&x, &y, &options, &mut s.lend()).unwrap();
                let route = match t.p_method {
                    WilcoxonPValue::Exact => "exact",
                    WilcoxonPValue::NormalApproximation => "normal",
                };
                assert_eq!(route, reference.str(row, "route"), "{ctx}");
                agree.check("W", t.w, reference.f64(row, "statistic"), &ctx);
                let what = if route == "exact" {
                    "exact p"
                } else {
                    "normal p"
                };
                agree.check(what, t.p_value, reference.f64(row, "p"), &ctx);
            }
        }
    }
    agree.report("t.test / wilcox.test");
}

#[test]
fn tables_match_chisq_test_and_fisher_test() {
    let tables = Table::load("stats_tables.csv");
    let chisq = Table::load("stats_chisq.csv");
    let fisher = Table::load("stats_fisher.csv");
    let mut agree = Agreement::default();
    for row in 0..tables.len() {
        let case = tables.str(row, "case");
        let nr = tables.f64(row, "nrow") as usize;
        let nc = tables.f64(row, "ncol") as usize;
        let counts: Vec<f64> = tables
            .str(row, "counts")
            .split(';')
            .map(common::parse_r_number)
            .collect();
        let table = ContingencyTable::new(&counts, nr, nc).unwrap();
        let refs = chisq.filter("case", case);
        for r in 0..refs.len() {
            let continuity = if refs.str(r, "correct") == "TRUE" {
                Continuity::Corrected
            } else {
                Continuity::Uncorrected
            };
            let t = chi_square(table, continuity).unwrap();
            let ctx = format!("{case} correct={}", refs.str(r, "correct"));
            agree.check("X2", t.statistic, refs.f64(r, "statistic"), &ctx);
            agree.check("X2 df", t.df, refs.f64(r, "df"), &ctx);
            agree.check("X2 p", t.p_value, refs.f64(r, "p"), &ctx);
            agree.check("min E", t.min_expected, refs.f64(r, "min_expected"), &ctx);
        }
        let refs = fisher.filter("case", case);
        if nr == 2 && nc == 2 {
            assert_eq!(refs.len(), 3, "{case}");
            let t = fisher_exact_2x2(table).unwrap();
            for r in 0..refs.len() {
                let alt = refs.str(r, "alternative");
                let got = match alternative(alt) {
                    Alternative::TwoSided => t.p_two_sided,
                    Alternative::Less => t.p_less,
                    Alternative::Greater => t.p_greater,
                };
                agree.check("fisher p", got, refs.f64(r, "p"), &format!("{case} {alt}"));
            }
        }
    }
    agree.report("chisq.test / fisher.test");
}

#[test]
fn quantiles_match_quantile_type_7() {
    let samples = Table::load("stats_samples.csv");
    let reference = Table::load("stats_quantile.csv");
    let mut agree = Agreement::default();
    for case in reference.distinct("case") {
        let x = samples
            .filter("case", &case)
            .filter("group", "x")
            .f64_col("value");
        let refs = reference.filter("case", &case);
        let probs = refs.f64_col("prob");
        let mut out = vec![0.0; probs.len()];
        let mut scratch = vec![0.0; x.len()];
        quantile_type7(&x, &probs, &mut out, &mut scratch).unwrap();
        for (r, q) in out.iter().enumerate() {
            agree.check("quantile", *q, refs.f64(r, "value"), &case);
        }
        let m = median_iqr(&x, &mut scratch).unwrap();
        agree.check("median", m.median, refs.f64(0, "median"), &case);
        agree.check("IQR", m.iqr, refs.f64(0, "iqr"), &case);
        assert!(mean_sd(&x).unwrap().mean.is_finite());
    }
    agree.report("quantile");
}
