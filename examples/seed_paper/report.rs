//! The printed report: tables laid out like the seed paper's, with the paper's published figures
//! beside ecvkit's, each clearly labelled.

use crate::cohort::{Cohort, CohortName, CovariateKind};
use crate::paper;
use crate::pipeline::{CohortAnalysis, Endpoint, Marker, Results, Table1Row};
use ecvkit::cox::ScreenResult;
use ecvkit::cutpoint::GroupOrdering;
use ecvkit::Status;
use std::fmt::Write;

const OURS: &str = "ecvkit on synthetic data";
const PAPER: &str = "paper (real patients)";

/// P as a table prints it.
pub fn p_text(p: f64) -> String {
    if p.is_nan() {
        "NA".into()
    } else if p < 0.001 {
        "<0.001".into()
    } else {
        format!("{p:.3}")
    }
}

/// "P = 0.012" or "P < 0.001", as the paper writes it (the `P {}` format of the tables).
fn p_clause(p: f64) -> String {
    let t = p_text(p);
    match t.strip_prefix('<') {
        Some(rest) => format!("< {rest}"),
        None => format!("= {t}"),
    }
}

fn num(x: f64, digits: usize) -> String {
    if x.is_nan() {
        "NA".into()
    } else {
        format!("{x:.digits$}")
    }
}

/// "0.502 (0.340-0.742)".
pub fn hr_text(hr: f64, lo: f64, hi: f64) -> String {
    if hr.is_nan() {
        "not estimable".into()
    } else {
        format!("{hr:.3} ({lo:.3}-{hi:.3})")
    }
}

fn pct(k: usize, n: usize) -> String {
    if n == 0 {
        format!("{k}")
    } else {
        format!("{k} ({:.1}%)", 100.0 * k as f64 / n as f64)
    }
}

fn heading(out: &mut String, title: &str) {
    let _ = writeln!(out, "\n{title}\n{}", "=".repeat(title.chars().count()));
}

/// The whole report.
pub fn render(cohort: &Cohort, results: &Results, source: &str) -> String {
    let mut out = String::new();
    let t = &results.training;
    let _ = writeln!(
        out,
        "ecvkit {} — the seed paper (Fu et al., Sci Rep 2025) end to end on {source}",
        ecvkit::VERSION
    );
    let _ = writeln!(
        out,
        "Columns \"{OURS}\" are computed now; columns \"{PAPER}\" are the published figures, for orientation only."
    );
    let n_val = results.validation.as_ref().map_or(0, |v| v.indices.len());
    let _ = writeln!(
        out,
        "Patients: {} training + {} validation{}",
        t.indices.len(),
        n_val,
        if cohort.has_phantoms() {
            "; ROIs measured by two simulated readers on synthetic CT phantoms"
        } else {
            "; HU taken from the CSV (one reading per patient)"
        }
    );
    let flagged = results.ecv.iter().filter(|e| !e.flags().is_empty()).count();
    let _ = writeln!(
        out,
        "ECV results with a quality flag: {flagged} of {}",
        results.ecv.len()
    );

    agreement(&mut out, results);
    cutoffs(&mut out, results);
    table1(&mut out, cohort, t);
    survival(&mut out, t, "training");
    for (k, e) in Endpoint::BOTH.iter().enumerate() {
        cox_table(&mut out, t, &t.cox[k], *e);
    }
    subgroups(&mut out, t);
    if let Some(v) = &results.validation {
        validation(&mut out, v);
    }
    out
}

fn agreement(out: &mut String, r: &Results) {
    heading(out, "Reader agreement and correlation (training cohort)");
    if r.icc.is_empty() {
        let _ = writeln!(out, "(one reading per patient: no inter-reader ICC)");
    } else {
        let _ = writeln!(out, "{:<24} {:<28} {}", "CT values, ICC(A,1)", OURS, PAPER);
        for row in &r.icc {
            let f = &row.form;
            let _ = writeln!(
                out,
                "{:<24} {:<28} {}",
                format!("{} {}", row.structure, row.phase),
                format!("{:.3} ({:.3}-{:.3})", f.icc, f.lower, f.upper),
                paper::icc(row.structure, row.phase)
            );
        }
        let _ = writeln!(
            out,
            "(the phantom has tumor and liver on one slice: one aorta ROI serves both)"
        );
    }
    let s = &r.spearman;
    let _ = writeln!(
        out,
        "Spearman tumor vs liver ECV: {:<28} {}",
        format!("rho = {:.3}, P {}", s.rho, p_clause(s.p_value)),
        paper::SPEARMAN
    );
}

fn cutoffs(out: &mut String, r: &Results) {
    heading(out, "Optimal cutoffs on overall survival (training cohort)");
    for c in &r.cutpoints {
        let m = &c.scan.maxstat;
        let l = &c.scan.logrank;
        let _ = writeln!(
            out,
            "{} ECV",
            if c.marker == Marker::Tumor {
                "Tumor"
            } else {
                "Liver"
            }
        );
        let _ = writeln!(
            out,
            "  {OURS}: {:.1} % ({} lower / {} higher); maxstat M = {:.3}, P(Lausen 94) = {}, unadjusted {}",
            100.0 * m.cutpoint,
            m.n_low,
            m.n_high,
            m.statistic,
            p_text(m.p_lausen94),
            p_text(m.p_unadjusted)
        );
        let _ = writeln!(
            out,
            "  X-tile view: largest log-rank chi2 {:.2} at {:.1} %; best consistent 3-group division {}",
            l.statistic,
            100.0 * l.cutpoint,
            if c.xtile.best_index < c.xtile.cells {
                let b = &c.xtile.best;
                format!(
                    "{:.1} % / {:.1} % ({} / {} / {} patients, chi2 {:.2}, hazard {} with ECV)",
                    100.0 * b.low_cut,
                    100.0 * b.high_cut,
                    b.n_low,
                    b.n_mid,
                    b.n_high,
                    b.chisq,
                    if b.ordering == GroupOrdering::HazardDecreasing { "falling" } else { "rising" }
                )
            } else {
                "none".into()
            }
        );
        let _ = writeln!(
            out,
            "  {PAPER}: {} (X-tile on OS)",
            paper::cutoff(c.marker.key())
        );
    }
}

fn table1(out: &mut String, cohort: &Cohort, a: &CohortAnalysis) {
    heading(
        out,
        "Table 1. Baseline characteristics by tumor ECV group (training cohort)",
    );
    let n_low = a.tumor_higher.iter().filter(|h| !**h).count();
    let n_high = a.tumor_higher.len() - n_low;
    let _ = writeln!(
        out,
        "{:<42} | {:<21} {:<21} {:<21} {:<7} | {}",
        "",
        format!("Total (n = {})", a.indices.len()),
        format!("Lower (n = {n_low})"),
        format!("Higher (n = {n_high})"),
        "P",
        PAPER
    );
    let _ = writeln!(out, "{:<42} | {:<73} |", "", OURS);
    let _ = cohort;
    for row in &a.table1 {
        match row {
            Table1Row::Counts {
                covariate,
                counts,
                test,
                p_value,
            } => {
                let (reference, level) = match covariate.kind {
                    CovariateKind::Binary { reference, level }
                    | CovariateKind::AtLeast {
                        reference, level, ..
                    } => (reference, level),
                    CovariateKind::Continuous { .. } => ("", ""),
                };
                let _ = writeln!(
                    out,
                    "{:<42} | {:<65} {:<7} |",
                    format!("{}, n (%)", covariate.label),
                    format!("({test})"),
                    p_text(*p_value)
                );
                let totals = [a.indices.len(), n_low, n_high];
                for (lv, name) in [(0usize, reference), (1, level)] {
                    let cells: Vec<String> =
                        (0..3).map(|g| pct(counts[lv][g], totals[g])).collect();
                    let paper_cells = if lv == 1 {
                        paper::table1(covariate.column).map_or(String::new(), |p| {
                            format!("{} | {} | {} | P {}", p[0], p[1], p[2], p[3])
                        })
                    } else {
                        String::new()
                    };
                    let _ = writeln!(
                        out,
                        "  {:<40} | {:<21} {:<21} {:<21} {:<7} | {}",
                        name, cells[0], cells[1], cells[2], "", paper_cells
                    );
                }
            }
            Table1Row::MeanSd {
                covariate,
                summaries,
                p_value,
            } => {
                let c: Vec<String> = summaries
                    .iter()
                    .map(|s| format!("{:.1} ({:.1})", s.mean, s.sd))
                    .collect();
                let p = paper::table1(covariate.column).map_or(String::new(), |p| {
                    format!("{} | {} | {} | P {}", p[0], p[1], p[2], p[3])
                });
                let _ = writeln!(
                    out,
                    "{:<42} | {:<21} {:<21} {:<21} {:<7} | {}",
                    format!("{}, mean (SD)", covariate.label),
                    c[0],
                    c[1],
                    c[2],
                    p_text(*p_value),
                    p
                );
            }
            Table1Row::MedianIqr {
                covariate,
                summaries,
                p_value,
            } => {
                let c: Vec<String> = summaries
                    .iter()
                    .map(|s| format!("{:.1} ({:.1}, {:.1})", s.median, s.q1, s.q3))
                    .collect();
                let p = paper::table1(covariate.column).map_or(String::new(), |p| {
                    format!("{} | {} | {} | P {}", p[0], p[1], p[2], p[3])
                });
                let _ = writeln!(
                    out,
                    "{:<42} | {:<21} {:<21} {:<21} {:<7} | {}",
                    format!("{}, median (IQR)", covariate.label),
                    c[0],
                    c[1],
                    c[2],
                    p_text(*p_value),
                    p
                );
            }
        }
    }
    let _ = writeln!(
        out,
        "(t: Welch; rank-sum: Wilcoxon; counts: Pearson chi-square, Fisher's exact test when an expected count is < 5)"
    );
}

fn months(x: f64) -> String {
    num(x, 1)
}

fn survival(out: &mut String, a: &CohortAnalysis, cohort: &str) {
    heading(
        out,
        &format!(
            "Survival by ECV group ({cohort} cohort): Kaplan-Meier medians (months) and log-rank"
        ),
    );
    for (e, m) in Endpoint::BOTH.iter().zip(&a.overall) {
        let _ = writeln!(
            out,
            "All patients, median {}: {:<28} {PAPER}: {}",
            e.name(),
            format!(
                "{} ({}-{})",
                months(m.median),
                months(m.lower),
                months(m.upper)
            ),
            paper::overall(cohort, e.key())
        );
    }
    let _ = writeln!(out, "{:<20} {:<4} | {:<48} | {}", "groups", "", OURS, PAPER);
    for (mk, per) in Marker::BOTH.iter().zip(&a.groups) {
        for (e, f) in Endpoint::BOTH.iter().zip(per) {
            let ours = format!(
                "{} vs {} (n {} / {}), chi2 {:.2}, P {}",
                months(f.low.median.median),
                months(f.high.median.median),
                f.low.n,
                f.high.n,
                f.test.chisq,
                p_clause(f.test.p_value)
            );
            let _ = writeln!(
                out,
                "{:<20} {:<4} | {:<48} | {}",
                format!("Lower vs higher {}", mk.key()),
                e.name(),
                ours,
                paper::medians(cohort, mk.key(), e.key())
            );
        }
    }
}

fn cox_table(out: &mut String, a: &CohortAnalysis, s: &ScreenResult, e: Endpoint) {
    let number = if e == Endpoint::Pfs { 2 } else { 3 };
    heading(
        out,
        &format!(
            "Table {number}. Univariable and multivariable Cox analyses for {} (training cohort)",
            e.name()
        ),
    );
    let _ = writeln!(
        out,
        "{:<30} | {:<21} {:<7} {:<21} {:<7} | {}",
        "", "univariable HR (CI)", "P", "multivariable HR", "P", PAPER
    );
    let _ = writeln!(out, "{:<30} | {:<59} |", "", OURS);
    let mut m = 0usize;
    for (j, col) in a.columns.iter().enumerate() {
        let u = &s.univariable[j];
        let uni = if u.status == Status::Ok {
            (
                hr_text(u.hazard_ratio, u.hr_lower, u.hr_upper),
                p_text(u.p_value),
            )
        } else {
            (format!("({})", short_status(u.status)), String::new())
        };
        let multi = if u.selected == 1 {
            let f = &s.multivariable;
            let r = if s.multivariable_status == Status::Ok {
                (
                    hr_text(f.hazard_ratios[m], f.hr_lower[m], f.hr_upper[m]),
                    p_text(f.p_values[m]),
                )
            } else {
                (
                    format!("({})", short_status(s.multivariable_status)),
                    String::new(),
                )
            };
            m += 1;
            r
        } else {
            (String::new(), String::new())
        };
        let p = paper::cox(e.key(), &col.key).map_or(String::new(), |p| {
            if p[2].is_empty() {
                format!("{} P {}", p[0], p[1])
            } else {
                format!("{} P {} | {} P {}", p[0], p[1], p[2], p[3])
            }
        });
        let label = if col.level.is_empty() {
            col.label.clone()
        } else {
            format!("{}: {} vs {}", col.label, col.level, col.reference)
        };
        let _ = writeln!(
            out,
            "{:<30} | {:<21} {:<7} {:<21} {:<7} | {}",
            truncate(&label, 30),
            uni.0,
            uni.1,
            multi.0,
            multi.1,
            p
        );
    }
    let _ = writeln!(
        out,
        "(univariable Wald P < 0.1 enters the multivariable model: {} of {} columns; Efron ties as R's coxph)",
        s.n_selected, s.n_columns
    );
}

fn short_status(s: Status) -> String {
    let text = s.to_string();
    truncate(&text, 20)
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('~');
        t
    }
}

fn subgroups(out: &mut String, a: &CohortAnalysis) {
    heading(
        out,
        "Subgroup analysis of OS: higher vs lower tumor ECV within each subgroup (training cohort)",
    );
    let _ = writeln!(
        out,
        "{:<36} {:>4} | {:<21} {:<7} {:<11} | {}",
        "subgroup", "n", "HR (95% CI)", "P", "interact. P", PAPER
    );
    for s in &a.subgroups[1] {
        let r = &s.result;
        for (k, level) in r.levels.iter().take(r.n_levels as usize).enumerate() {
            let name = if level.level == 0.0 {
                &s.column.reference
            } else {
                &s.column.level
            };
            let (hr, p) = if level.status == Status::Ok {
                (
                    hr_text(level.hazard_ratio, level.hr_lower, level.hr_upper),
                    p_text(level.p_value),
                )
            } else {
                (format!("({})", short_status(level.status)), String::new())
            };
            let interaction = if k == 0 {
                if r.interaction_status == Status::Ok {
                    p_text(r.interaction_wald.p_value)
                } else {
                    "NA".into()
                }
            } else {
                String::new()
            };
            let mut paper_text = paper::subgroup_os(&s.column.key, level.level as u8).to_string();
            if k == 0 && !paper::interaction_os(&s.column.key).is_empty() {
                paper_text = format!("interaction P {}", paper::interaction_os(&s.column.key));
            }
            let _ = writeln!(
                out,
                "{:<36} {:>4} | {:<21} {:<7} {:<11} | {}",
                truncate(&format!("{}: {}", s.column.label, name), 36),
                level.n,
                hr,
                p,
                interaction,
                paper_text
            );
        }
    }
    let _ = writeln!(
        out,
        "(interaction P: Wald test of the product term in Surv ~ group * subgroup)"
    );
}

fn validation(out: &mut String, v: &CohortAnalysis) {
    heading(out, "Validation cohort with the training cutoffs");
    for (mk, f) in Marker::BOTH.iter().zip(&v.groups) {
        let _ = writeln!(
            out,
            "{} ECV > {:.1} %: {} lower / {} higher   {PAPER}: {}",
            if *mk == Marker::Tumor {
                "Tumor"
            } else {
                "Liver"
            },
            100.0 * v.cutoffs[if *mk == Marker::Tumor { 0 } else { 1 }],
            f[0].low.n,
            f[0].high.n,
            paper::validation_groups(mk.key())
        );
    }
    survival(out, v, "validation");
    let tumor_col = v.columns.len() - 1;
    for (k, e) in Endpoint::BOTH.iter().enumerate() {
        let s = &v.cox[k];
        let ours = if s.univariable[tumor_col].selected == 1 && s.multivariable_status == Status::Ok
        {
            let m = s
                .univariable
                .iter()
                .take(tumor_col)
                .filter(|u| u.selected == 1)
                .count();
            let f = &s.multivariable;
            format!(
                "{}, P {} (multivariable, {} columns)",
                hr_text(f.hazard_ratios[m], f.hr_lower[m], f.hr_upper[m]),
                p_clause(f.p_values[m]),
                s.n_selected
            )
        } else {
            let u = &s.univariable[tumor_col];
            format!(
                "{}, P {} (univariable{})",
                hr_text(u.hazard_ratio, u.hr_lower, u.hr_upper),
                p_clause(u.p_value),
                if s.multivariable_status == Status::Ok {
                    String::new()
                } else {
                    format!("; multivariable: {}", short_status(s.multivariable_status))
                }
            )
        };
        let _ = writeln!(
            out,
            "Higher tumor ECV, {}: HR {ours}   {PAPER}: {}",
            e.name(),
            paper::validation_tumor_hr(e.key())
        );
    }
    let _ = CohortName::Validation;
}
