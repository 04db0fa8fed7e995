//! The seed paper's statistical pipeline (Fu et al., Sci Rep 2025), every step an ecvkit call:
//!
//! 1. ECV per patient: the readers' HU averaged per structure and phase, then
//!    ECV = (1 − Hct) · ΔHU_tissue / ΔHU_aorta (`roi::structure_ecv_from_readers`).
//! 2. Reader agreement: ICC(A,1) of the two readers' HU per structure and phase (`stats::icc`,
//!    psych's ICC2), training cohort.
//! 3. Spearman's ρ between tumor and liver ECV (`stats::spearman`), training cohort.
//! 4. Optimal cutoffs of tumor and liver ECV on OS (`cutpoint::scan_cutpoints`: maxstat's
//!    log-rank statistic with Lausen–Schumacher p; survdiff's χ² per cut; the X-tile grid).
//! 5. Per cohort, with the training cutoffs: Kaplan-Meier medians and log-rank per group for PFS
//!    and OS (`cutpoint::apply_cutoff`), Table 1 (`stats::t_test`, `wilcoxon_rank_sum`,
//!    `chi_square` / `fisher_exact_2x2`), the univariable screen at P < 0.1 and the
//!    multivariable Cox model (`cox::univariable_screen`), and the subgroup hazard ratios of the
//!    tumor ECV group with the interaction p (`cox::subgroup_effects`).
//!
//! This module is shared by `examples/seed_paper.rs` and `tests/seed_paper_vs_r.rs`, so the test
//! checks the code the example runs. [`Results::key_values`] flattens every number the R
//! reference (`tests/reference/seed_paper.R`) recomputes.

use crate::cohort::{Cohort, CohortName, Covariate, CovariateKind, Outcome, Patient, Summary};
use crate::measure::PatientMeasurement;
use ecvkit::cox::{
    scratch_sizes, subgroup_effects, univariable_screen, CoxData, CoxOptions, CoxScratch,
    ScreenOptions, ScreenResult, SubgroupResult,
};
use ecvkit::cutpoint::{
    apply_cutoff, scan_cutpoints, xtile_cells, xtile_grid, CutpointData, CutpointOptions,
    CutpointRow, CutpointScan, CutpointScratch, FixedCutoff, FixedCutoffScratch,
    FixedCutoffScratchLen, ScratchLen, XtileCell, XtileSummary,
};
use ecvkit::ecv::{EcvOptions, Hematocrit, QualityFlags};
use ecvkit::roi::{
    structure_ecv_from_readers, MeasurementOptions, ReaderMeasurement, StructureEcv,
};
use ecvkit::stats::{
    chi_square, fisher_exact_2x2, icc, mean_sd, median_iqr, spearman, t_test, wilcoxon_rank_sum,
    ContingencyTable, Continuity, IccForm, IccOptions, IccType, MeanSd, MedianIqr, RankScratch,
    RatingMatrix, SpearmanOptions, SpearmanTest, TTestOptions, WilcoxonOptions,
};
use ecvkit::survival::{km_scratch_len, KaplanMeier, KmOptions, KmRow, MedianSurvival};
use ecvkit::Status;

/// A pipeline failure, naming the step.
#[derive(Debug, Clone, PartialEq)]
pub struct StepError {
    /// The step.
    pub step: String,
    /// ecvkit's status.
    pub status: Status,
}

impl std::fmt::Display for StepError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.step, self.status)
    }
}

fn at(step: impl Into<String>) -> impl FnOnce(Status) -> StepError {
    let step = step.into();
    move |status| StepError { step, status }
}

/// The survival endpoints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// Progression-free survival.
    Pfs,
    /// Overall survival.
    Os,
}

impl Endpoint {
    /// Both, in the paper's order.
    pub const BOTH: [Endpoint; 2] = [Endpoint::Pfs, Endpoint::Os];

    /// "pfs" / "os".
    pub fn key(self) -> &'static str {
        match self {
            Endpoint::Pfs => "pfs",
            Endpoint::Os => "os",
        }
    }

    /// "PFS" / "OS".
    pub fn name(self) -> &'static str {
        match self {
            Endpoint::Pfs => "PFS",
            Endpoint::Os => "OS",
        }
    }

    fn of(self, p: &Patient) -> Outcome {
        match self {
            Endpoint::Pfs => p.pfs,
            Endpoint::Os => p.os,
        }
    }
}

/// The ECV markers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    /// Tumor ECV.
    Tumor,
    /// Liver ECV.
    Liver,
}

impl Marker {
    /// Both.
    pub const BOTH: [Marker; 2] = [Marker::Tumor, Marker::Liver];

    /// "tumor" / "liver".
    pub fn key(self) -> &'static str {
        match self {
            Marker::Tumor => "tumor",
            Marker::Liver => "liver",
        }
    }
}

/// A patient's two ECVs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PatientEcv {
    /// Tumor ECV with the HU behind it.
    pub tumor: StructureEcv,
    /// Liver ECV.
    pub liver: StructureEcv,
}

impl PatientEcv {
    /// The marker's ECV fraction.
    pub fn fraction(&self, m: Marker) -> f64 {
        match m {
            Marker::Tumor => self.tumor.ecv.fraction,
            Marker::Liver => self.liver.ecv.fraction,
        }
    }

    /// Union of both structures' quality flags.
    pub fn flags(&self) -> QualityFlags {
        self.tumor.ecv.flags.union(self.liver.ecv.flags)
    }
}

/// Step 1: ECV per patient from the readers' averaged HU.
pub fn patient_ecvs(
    cohort: &Cohort,
    measurements: &[PatientMeasurement],
) -> Result<Vec<PatientEcv>, String> {
    let options = MeasurementOptions {
        ecv: EcvOptions::default(),
        ..MeasurementOptions::default()
    };
    cohort
        .patients
        .iter()
        .zip(measurements)
        .map(|(p, m)| {
            let fail =
                |what: &str, s: Status| format!("line {}: patient {}: {what}: {s}", p.line, p.id);
            let hct = Hematocrit::measured(p.hematocrit).map_err(|s| fail("hematocrit", s))?;
            let tumor: Vec<ReaderMeasurement> = m.readers.iter().map(|r| r.tumor).collect();
            let liver: Vec<ReaderMeasurement> = m.readers.iter().map(|r| r.liver).collect();
            Ok(PatientEcv {
                tumor: structure_ecv_from_readers(&tumor, hct, &options)
                    .map_err(|s| fail("tumor ECV", s))?,
                liver: structure_ecv_from_readers(&liver, hct, &options)
                    .map_err(|s| fail("liver ECV", s))?,
            })
        })
        .collect()
}

/// One ICC row: a structure on a phase.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IccRow {
    /// "tumor", "liver", "aorta".
    pub structure: &'static str,
    /// "unenhanced", "equilibrium".
    pub phase: &'static str,
    /// ICC(A,1) = psych's ICC2 with its 95 % CI and F test.
    pub form: IccForm,
}

/// Step 2: ICC(A,1) of the readers' HU for tumor, liver and aorta on both phases.
pub fn reader_agreement(
    indices: &[usize],
    measurements: &[PatientMeasurement],
) -> Result<Vec<IccRow>, StepError> {
    let readers = measurements.first().map_or(0, |m| m.readers.len());
    if readers < 2 {
        return Ok(Vec::new());
    }
    type Pick = fn(&crate::measure::ReaderHu) -> f64;
    let rows: [(&'static str, &'static str, Pick); 6] = [
        ("tumor", "unenhanced", |r| r.tumor.unenhanced.tissue_hu),
        ("tumor", "equilibrium", |r| r.tumor.equilibrium.tissue_hu),
        ("liver", "unenhanced", |r| r.liver.unenhanced.tissue_hu),
        ("liver", "equilibrium", |r| r.liver.equilibrium.tissue_hu),
        ("aorta", "unenhanced", |r| r.tumor.unenhanced.aorta_hu),
        ("aorta", "equilibrium", |r| r.tumor.equilibrium.aorta_hu),
    ];
    rows.iter()
        .map(|&(structure, phase, pick)| {
            let values: Vec<f64> = indices
                .iter()
                .flat_map(|&i| measurements[i].readers.iter().map(pick))
                .collect();
            let matrix = RatingMatrix::new(&values, indices.len(), readers)
                .map_err(at(format!("ICC {structure} {phase}")))?;
            let table = icc(matrix, &IccOptions::default())
                .map_err(at(format!("ICC {structure} {phase}")))?;
            Ok(IccRow {
                structure,
                phase,
                form: table.get(IccType::Icc2),
            })
        })
        .collect()
}

/// Step 3: Spearman's ρ of tumor vs liver ECV.
pub fn tumor_liver_spearman(
    ecv: &[PatientEcv],
    indices: &[usize],
) -> Result<SpearmanTest, StepError> {
    let x: Vec<f64> = indices
        .iter()
        .map(|&i| ecv[i].fraction(Marker::Tumor))
        .collect();
    let y: Vec<f64> = indices
        .iter()
        .map(|&i| ecv[i].fraction(Marker::Liver))
        .collect();
    let n = x.len();
    let mut v = vec![0.0; RankScratch::values_needed(n)];
    let mut k = vec![0u32; RankScratch::indices_needed(n)];
    spearman(
        &x,
        &y,
        &SpearmanOptions::default(),
        &mut RankScratch {
            values: &mut v,
            indices: &mut k,
        },
    )
    .map_err(at("Spearman tumor vs liver ECV"))
}

/// Step 4's result for one marker.
#[derive(Clone, Debug, PartialEq)]
pub struct CutpointResult {
    /// The marker.
    pub marker: Marker,
    /// maxstat's and survdiff's best splits with their p-values.
    pub scan: CutpointScan,
    /// Every admissible split (the X-tile curve).
    pub profile: Vec<CutpointRow>,
    /// The X-tile three-group grid's best division.
    pub xtile: XtileSummary,
}

impl CutpointResult {
    /// The cutoff used for the groups: maxstat's (Lower = ECV ≤ cutoff).
    pub fn cutoff(&self) -> f64 {
        self.scan.maxstat.cutpoint
    }
}

/// Step 4: the optimal cutoff of a marker on OS, maxstat's rule (minprop 0.1, maxprop 0.9).
pub fn optimal_cutoff(
    cohort: &Cohort,
    ecv: &[PatientEcv],
    indices: &[usize],
    marker: Marker,
) -> Result<CutpointResult, StepError> {
    let step = format!("cutoff of {} ECV", marker.key());
    let x: Vec<f64> = indices.iter().map(|&i| ecv[i].fraction(marker)).collect();
    let time: Vec<f64> = indices
        .iter()
        .map(|&i| cohort.patients[i].os.time)
        .collect();
    let event: Vec<u8> = indices
        .iter()
        .map(|&i| cohort.patients[i].os.event)
        .collect();
    let data = CutpointData {
        marker: &x,
        time: &time,
        event: &event,
    };
    let options = CutpointOptions::default();
    let n = x.len();
    let need = ScratchLen::for_scan(n);
    let (mut reals, mut idx) = (vec![0.0; need.reals], vec![0u32; need.indices]);
    let mut profile = vec![CutpointRow::default(); options.max_cuts(n)];
    let scan = scan_cutpoints(
        data,
        &options,
        Some(&mut profile),
        CutpointScratch {
            reals: &mut reals,
            indices: &mut idx,
        },
    )
    .map_err(at(step.clone()))?;
    profile.truncate(scan.cuts);
    let need = ScratchLen::for_xtile(n);
    let (mut reals, mut idx) = (vec![0.0; need.reals], vec![0u32; need.indices]);
    let mut grid = vec![XtileCell::default(); xtile_cells(scan.cuts)];
    let xtile = xtile_grid(
        data,
        &options,
        &mut grid,
        CutpointScratch {
            reals: &mut reals,
            indices: &mut idx,
        },
    )
    .map_err(at(format!("X-tile grid of {} ECV", marker.key())))?;
    Ok(CutpointResult {
        marker,
        scan,
        profile,
        xtile,
    })
}

/// A Kaplan-Meier curve for a plot.
#[derive(Clone, Debug, PartialEq)]
pub struct KmCurve {
    /// Legend label.
    pub label: String,
    /// One row per distinct time.
    pub rows: Vec<KmRow>,
    /// Median and its CI.
    pub median: MedianSurvival,
    /// Numbers at risk at [`AT_RISK_TIMES`].
    pub at_risk: Vec<usize>,
}

/// Times (months) of the numbers-at-risk table under the KM plots.
pub const AT_RISK_TIMES: [f64; 7] = [0.0, 6.0, 12.0, 18.0, 24.0, 30.0, 36.0];

fn km_curve(label: String, outcomes: &[Outcome]) -> Result<KmCurve, Status> {
    let time: Vec<f64> = outcomes.iter().map(|o| o.time).collect();
    let event: Vec<u8> = outcomes.iter().map(|o| o.event).collect();
    let mut scratch = vec![0u64; km_scratch_len(time.len())];
    let km = KaplanMeier::new(&time, &event, &KmOptions::default(), &mut scratch)?;
    let mut at_risk = vec![0usize; AT_RISK_TIMES.len()];
    km.numbers_at_risk(&AT_RISK_TIMES, &mut at_risk)?;
    Ok(KmCurve {
        label,
        rows: km.rows().collect(),
        median: km.median(),
        at_risk,
    })
}

/// One row of Table 1.
#[derive(Clone, Debug, PartialEq)]
pub enum Table1Row {
    /// A binary (or dichotomised) covariate: counts per level and group.
    Counts {
        /// The covariate.
        covariate: Covariate,
        /// [level][all, lower, higher] counts (level 0 = reference).
        counts: [[usize; 3]; 2],
        /// χ² (uncorrected, SPSS's "Pearson chi-square"), or Fisher's exact test when an
        /// expected count is below 5.
        test: &'static str,
        /// Its p.
        p_value: f64,
    },
    /// Mean (SD), t test.
    MeanSd {
        /// The covariate.
        covariate: Covariate,
        /// [all, lower, higher].
        summaries: [MeanSd; 3],
        /// Welch's t test p.
        p_value: f64,
    },
    /// Median (IQR), Wilcoxon rank-sum test.
    MedianIqr {
        /// The covariate.
        covariate: Covariate,
        /// [all, lower, higher].
        summaries: [MedianIqr; 3],
        /// Wilcoxon p (normal approximation with continuity correction when ties or n ≥ 50).
        p_value: f64,
    },
}

fn table1(
    cohort: &Cohort,
    indices: &[usize],
    higher: &[bool],
) -> Result<Vec<Table1Row>, StepError> {
    let mut rows = Vec::new();
    for (j, c) in cohort.covariates.iter().enumerate() {
        let step = format!("Table 1: {}", c.column);
        let all: Vec<f64> = indices
            .iter()
            .map(|&i| cohort.patients[i].covariates[j])
            .collect();
        let lower: Vec<f64> = all
            .iter()
            .zip(higher)
            .filter(|(_, h)| !**h)
            .map(|(v, _)| *v)
            .collect();
        let upper: Vec<f64> = all
            .iter()
            .zip(higher)
            .filter(|(_, h)| **h)
            .map(|(v, _)| *v)
            .collect();
        let row = match c.kind {
            CovariateKind::Binary { .. } | CovariateKind::AtLeast { .. } => {
                let count = |v: &[f64], level: f64| v.iter().filter(|&&x| x == level).count();
                let counts =
                    [0.0, 1.0].map(|l| [count(&all, l), count(&lower, l), count(&upper, l)]);
                // rows = level, columns = group
                let table = [
                    counts[0][1] as f64,
                    counts[0][2] as f64,
                    counts[1][1] as f64,
                    counts[1][2] as f64,
                ];
                let t = ContingencyTable::new(&table, 2, 2).map_err(at(step.clone()))?;
                let chi = chi_square(t, Continuity::Uncorrected);
                let (test, p_value) = match chi {
                    Ok(chi) if chi.min_expected >= 5.0 => ("chi-square", chi.p_value),
                    Ok(_) => (
                        "Fisher",
                        fisher_exact_2x2(t).map_err(at(step.clone()))?.p_two_sided,
                    ),
                    Err(Status::ZeroMarginal) => ("-", f64::NAN),
                    Err(s) => return Err(StepError { step, status: s }),
                };
                Table1Row::Counts {
                    covariate: *c,
                    counts,
                    test,
                    p_value,
                }
            }
            CovariateKind::Continuous {
                summary: Summary::MeanSd,
            } => {
                let s = |v: &[f64]| mean_sd(v).map_err(at(step.clone()));
                Table1Row::MeanSd {
                    covariate: *c,
                    summaries: [s(&all)?, s(&lower)?, s(&upper)?],
                    p_value: t_test(&lower, &upper, &TTestOptions::default())
                        .map_err(at(step.clone()))?
                        .p_value,
                }
            }
            CovariateKind::Continuous {
                summary: Summary::MedianIqr,
            } => {
                let mut scratch = vec![0.0; all.len()];
                let mut s = |v: &[f64]| median_iqr(v, &mut scratch).map_err(at(step.clone()));
                let summaries = [s(&all)?, s(&lower)?, s(&upper)?];
                let n = all.len();
                let mut v = vec![0.0; RankScratch::values_needed(n)];
                let mut k = vec![0u32; RankScratch::indices_needed(n)];
                let w = wilcoxon_rank_sum(
                    &lower,
                    &upper,
                    &WilcoxonOptions::default(),
                    &mut RankScratch {
                        values: &mut v,
                        indices: &mut k,
                    },
                )
                .map_err(at(step.clone()))?;
                Table1Row::MedianIqr {
                    covariate: *c,
                    summaries,
                    p_value: w.p_value,
                }
            }
        };
        rows.push(row);
    }
    Ok(rows)
}

/// The Cox model columns: the clinical covariates present, then the liver and tumor ECV groups.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelColumn {
    /// Key ("age", ..., "liver_ecv_higher", "tumor_ecv_higher").
    pub key: String,
    /// Table label.
    pub label: String,
    /// Reference level label ("" for continuous).
    pub reference: String,
    /// Level label (the HR's level; "" for continuous).
    pub level: String,
}

fn model_columns(cohort: &Cohort) -> Vec<ModelColumn> {
    let mut cols: Vec<ModelColumn> = cohort
        .covariates
        .iter()
        .map(|c| {
            let (reference, level) = match c.kind {
                CovariateKind::Binary { reference, level }
                | CovariateKind::AtLeast {
                    reference, level, ..
                } => (reference, level),
                CovariateKind::Continuous { .. } => ("", ""),
            };
            ModelColumn {
                key: c.column.to_string(),
                label: c.label.to_string(),
                reference: reference.to_string(),
                level: level.to_string(),
            }
        })
        .collect();
    for m in [Marker::Liver, Marker::Tumor] {
        let name = if m == Marker::Tumor { "tumor" } else { "liver" };
        cols.push(ModelColumn {
            key: format!("{name}_ecv_higher"),
            label: format!("{}{} ECV group", name[..1].to_uppercase(), &name[1..]),
            reference: format!("Lower {name} ECV"),
            level: format!("Higher {name} ECV"),
        });
    }
    cols
}

/// One subgroup variable's forest rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Subgroup {
    /// The model column that defines the subgroups.
    pub column: ModelColumn,
    /// ecvkit's result: overall, per level (0 then 1), and the interaction test.
    pub result: SubgroupResult,
}

/// Everything computed on one cohort with given cutoffs.
#[derive(Clone, Debug, PartialEq)]
pub struct CohortAnalysis {
    /// Which cohort.
    pub name: CohortName,
    /// Patients (indices into the cohort).
    pub indices: Vec<usize>,
    /// Per patient (same order as `indices`): tumor ECV above the cutoff.
    pub tumor_higher: Vec<bool>,
    /// Per patient: liver ECV above the cutoff.
    pub liver_higher: Vec<bool>,
    /// The tumor and liver cutoffs applied.
    pub cutoffs: [f64; 2],
    /// Median survival of all patients, [PFS, OS].
    pub overall: [MedianSurvival; 2],
    /// [marker][endpoint]: groups, medians, log-rank.
    pub groups: [[FixedCutoff; 2]; 2],
    /// KM curves of the tumor ECV groups, [endpoint][lower, higher].
    pub curves: [[KmCurve; 2]; 2],
    /// Table 1 by tumor ECV group.
    pub table1: Vec<Table1Row>,
    /// The model columns.
    pub columns: Vec<ModelColumn>,
    /// Univariable screen and multivariable model, [PFS, OS].
    pub cox: [ScreenResult; 2],
    /// Subgroup analyses of the tumor ECV group, [PFS, OS].
    pub subgroups: [Vec<Subgroup>; 2],
}

/// Step 5 on one cohort.
pub fn analyse_cohort(
    cohort: &Cohort,
    ecv: &[PatientEcv],
    name: CohortName,
    cutoffs: [f64; 2],
) -> Result<CohortAnalysis, StepError> {
    let indices: Vec<usize> = (0..cohort.patients.len())
        .filter(|&i| cohort.patients[i].cohort == name)
        .collect();
    let n = indices.len();
    let higher = |m: Marker, cut: f64| -> Vec<bool> {
        indices.iter().map(|&i| ecv[i].fraction(m) > cut).collect()
    };
    let tumor_higher = higher(Marker::Tumor, cutoffs[0]);
    let liver_higher = higher(Marker::Liver, cutoffs[1]);
    let outcomes = |e: Endpoint| -> Vec<Outcome> {
        indices.iter().map(|&i| e.of(&cohort.patients[i])).collect()
    };

    let overall = Endpoint::BOTH.map(|e| {
        km_curve(String::new(), &outcomes(e))
            .map(|c| c.median)
            .map_err(at(format!("KM of all patients, {}", e.name())))
    });
    let [o_pfs, o_os] = overall;
    let overall = [o_pfs?, o_os?];

    let fixed = |m: Marker, e: Endpoint| -> Result<FixedCutoff, StepError> {
        let x: Vec<f64> = indices.iter().map(|&i| ecv[i].fraction(m)).collect();
        let o = outcomes(e);
        let time: Vec<f64> = o.iter().map(|o| o.time).collect();
        let event: Vec<u8> = o.iter().map(|o| o.event).collect();
        let need = FixedCutoffScratchLen::for_subjects(n);
        let (mut t, mut ev, mut ix, mut so) = (
            vec![0.0; need.times],
            vec![0u8; need.events],
            vec![0u32; need.indices],
            vec![0u64; need.sort],
        );
        apply_cutoff(
            CutpointData {
                marker: &x,
                time: &time,
                event: &event,
            },
            cutoffs[if m == Marker::Tumor { 0 } else { 1 }],
            &KmOptions::default(),
            FixedCutoffScratch {
                times: &mut t,
                events: &mut ev,
                indices: &mut ix,
                sort: &mut so,
            },
        )
        .map_err(at(format!("{} ECV groups, {}", m.key(), e.name())))
    };
    let groups = [
        [
            fixed(Marker::Tumor, Endpoint::Pfs)?,
            fixed(Marker::Tumor, Endpoint::Os)?,
        ],
        [
            fixed(Marker::Liver, Endpoint::Pfs)?,
            fixed(Marker::Liver, Endpoint::Os)?,
        ],
    ];

    let curve = |e: Endpoint, high: bool| -> Result<KmCurve, StepError> {
        let o: Vec<Outcome> = outcomes(e)
            .into_iter()
            .zip(&tumor_higher)
            .filter(|(_, h)| **h == high)
            .map(|(o, _)| o)
            .collect();
        let label = if high {
            "Higher tumor ECV"
        } else {
            "Lower tumor ECV"
        };
        km_curve(label.to_string(), &o).map_err(at(format!("KM {label}, {}", e.name())))
    };
    let curves = [
        [curve(Endpoint::Pfs, false)?, curve(Endpoint::Pfs, true)?],
        [curve(Endpoint::Os, false)?, curve(Endpoint::Os, true)?],
    ];

    let table1 = table1(cohort, &indices, &tumor_higher)?;

    let columns = model_columns(cohort);
    let p = columns.len();
    let mut x = Vec::with_capacity(n * p);
    for (k, &i) in indices.iter().enumerate() {
        x.extend_from_slice(&cohort.patients[i].covariates);
        x.push(f64::from(u8::from(liver_higher[k])));
        x.push(f64::from(u8::from(tumor_higher[k])));
    }
    let sizes = scratch_sizes(n, p.max(31)).map_err(at("Cox scratch"))?;
    let (mut si, mut sv) = (vec![0u32; sizes.index], vec![0.0; sizes.values]);
    let mut scratch = CoxScratch {
        index: &mut si,
        values: &mut sv,
    };
    let mut cox = Vec::new();
    let mut subgroups = Vec::new();
    for e in Endpoint::BOTH {
        let o = outcomes(e);
        let time: Vec<f64> = o.iter().map(|o| o.time).collect();
        let event: Vec<u8> = o.iter().map(|o| o.event).collect();
        let data = CoxData::new(&time, &event, &x, p).map_err(at("Cox data"))?;
        let mut selected = vec![0u8; p];
        cox.push(
            univariable_screen(
                &data,
                &ScreenOptions::default(),
                &mut selected,
                &mut scratch,
            )
            .map_err(at(format!("Cox screen, {}", e.name())))?,
        );
        let tumor_col = p - 1;
        let mut rows = Vec::new();
        for (j, c) in columns.iter().enumerate().take(p - 1) {
            if c.level.is_empty() {
                continue; // continuous: no subgroups
            }
            let result =
                subgroup_effects(&data, tumor_col, j, &CoxOptions::default(), &mut scratch)
                    .map_err(at(format!("subgroups by {}, {}", c.key, e.name())))?;
            rows.push(Subgroup {
                column: c.clone(),
                result,
            });
        }
        subgroups.push(rows);
    }
    let [cox_pfs, cox_os]: [ScreenResult; 2] = cox.try_into().map_err(|_| StepError {
        step: "Cox".into(),
        status: Status::EmptyInput,
    })?;
    let mut subgroups = subgroups.into_iter();
    let (sub_pfs, sub_os) = (
        subgroups.next().unwrap_or_default(),
        subgroups.next().unwrap_or_default(),
    );
    Ok(CohortAnalysis {
        name,
        indices,
        tumor_higher,
        liver_higher,
        cutoffs,
        overall,
        groups,
        curves,
        table1,
        columns,
        cox: [cox_pfs, cox_os],
        subgroups: [sub_pfs, sub_os],
    })
}

/// Everything the pipeline computes.
#[derive(Clone, Debug, PartialEq)]
pub struct Results {
    /// Per patient, in cohort order.
    pub ecv: Vec<PatientEcv>,
    /// Reader agreement (empty without two readers).
    pub icc: Vec<IccRow>,
    /// Tumor vs liver ECV.
    pub spearman: SpearmanTest,
    /// Cutoffs on OS, [tumor, liver].
    pub cutpoints: [CutpointResult; 2],
    /// The training cohort.
    pub training: CohortAnalysis,
    /// The validation cohort with the training cutoffs (when the CSV has one).
    pub validation: Option<CohortAnalysis>,
}

/// Runs steps 1–5. `progress(step)` names each step as it starts.
pub fn run(
    cohort: &Cohort,
    measurements: &[PatientMeasurement],
    mut progress: impl FnMut(&str),
) -> Result<Results, String> {
    progress("ECV per patient");
    let ecv = patient_ecvs(cohort, measurements)?;
    let training: Vec<usize> = (0..cohort.patients.len())
        .filter(|&i| cohort.patients[i].cohort == CohortName::Training)
        .collect();
    progress("reader agreement (ICC)");
    let icc = reader_agreement(&training, measurements).map_err(|e| e.to_string())?;
    progress("Spearman correlation");
    let spearman = tumor_liver_spearman(&ecv, &training).map_err(|e| e.to_string())?;
    progress("optimal cutoffs on OS (maxstat scan, X-tile grid)");
    let tumor_cut =
        optimal_cutoff(cohort, &ecv, &training, Marker::Tumor).map_err(|e| e.to_string())?;
    let liver_cut =
        optimal_cutoff(cohort, &ecv, &training, Marker::Liver).map_err(|e| e.to_string())?;
    let cutoffs = [tumor_cut.cutoff(), liver_cut.cutoff()];
    progress("training cohort: Kaplan-Meier, log-rank, Table 1, Cox, subgroups");
    let train =
        analyse_cohort(cohort, &ecv, CohortName::Training, cutoffs).map_err(|e| e.to_string())?;
    let validation = if cohort
        .patients
        .iter()
        .any(|p| p.cohort == CohortName::Validation)
    {
        progress("validation cohort with the training cutoffs");
        Some(
            analyse_cohort(cohort, &ecv, CohortName::Validation, cutoffs)
                .map_err(|e| e.to_string())?,
        )
    } else {
        None
    };
    Ok(Results {
        ecv,
        icc,
        spearman,
        cutpoints: [tumor_cut, liver_cut],
        training: train,
        validation,
    })
}

impl Results {
    /// Every number the R reference recomputes, as (key, value); NaN where ecvkit reports a
    /// failed fit (R's NA).
    pub fn key_values(&self) -> Vec<(String, f64)> {
        let mut kv: Vec<(String, f64)> = Vec::new();
        let mut put = |k: String, v: f64| kv.push((k, v));
        for r in &self.icc {
            let k = format!("icc.{}.{}", r.structure, r.phase);
            put(format!("{k}.icc"), r.form.icc);
            put(format!("{k}.lower"), r.form.lower);
            put(format!("{k}.upper"), r.form.upper);
            put(format!("{k}.f"), r.form.f);
            put(format!("{k}.p"), r.form.p_value);
        }
        put("spearman.rho".into(), self.spearman.rho);
        put("spearman.p".into(), self.spearman.p_value);
        for c in &self.cutpoints {
            let k = format!("cut.{}", c.marker.key());
            put(format!("{k}.maxstat.cutpoint"), c.scan.maxstat.cutpoint);
            put(format!("{k}.maxstat.statistic"), c.scan.maxstat.statistic);
            put(format!("{k}.maxstat.p_lau92"), c.scan.maxstat.p_lausen92);
            put(format!("{k}.maxstat.p_lau94"), c.scan.maxstat.p_lausen94);
            put(format!("{k}.maxstat.n_low"), c.scan.maxstat.n_low as f64);
            put(format!("{k}.logrank.cutpoint"), c.scan.logrank.cutpoint);
            put(format!("{k}.logrank.chisq"), c.scan.logrank.statistic);
        }
        for a in std::iter::once(&self.training).chain(self.validation.as_ref()) {
            let c = match a.name {
                CohortName::Training => "training",
                CohortName::Validation => "validation",
            };
            for (e, m) in Endpoint::BOTH.iter().zip(&a.overall) {
                let k = format!("{c}.km.{}.all", e.key());
                put(format!("{k}.median"), m.median);
                put(format!("{k}.lower"), m.lower);
                put(format!("{k}.upper"), m.upper);
            }
            for (mk, per) in Marker::BOTH.iter().zip(&a.groups) {
                for (e, f) in Endpoint::BOTH.iter().zip(per) {
                    let k = format!("{c}.{}.{}", mk.key(), e.key());
                    for (g, s) in [("low", &f.low), ("high", &f.high)] {
                        put(format!("{k}.{g}.n"), s.n as f64);
                        put(format!("{k}.{g}.events"), s.events as f64);
                        put(format!("{k}.{g}.median"), s.median.median);
                        put(format!("{k}.{g}.lower"), s.median.lower);
                        put(format!("{k}.{g}.upper"), s.median.upper);
                        put(format!("{k}.{g}.expected"), s.expected);
                    }
                    put(format!("{k}.chisq"), f.test.chisq);
                    put(format!("{k}.p"), f.test.p_value);
                }
            }
            for row in &a.table1 {
                let (key, p) = match row {
                    Table1Row::Counts {
                        covariate, p_value, ..
                    }
                    | Table1Row::MeanSd {
                        covariate, p_value, ..
                    }
                    | Table1Row::MedianIqr {
                        covariate, p_value, ..
                    } => (covariate.column, *p_value),
                };
                put(format!("{c}.table1.{key}.p"), p);
                match row {
                    Table1Row::MeanSd { summaries, .. } => {
                        for (g, s) in ["all", "low", "high"].iter().zip(summaries) {
                            put(format!("{c}.table1.{key}.{g}.mean"), s.mean);
                            put(format!("{c}.table1.{key}.{g}.sd"), s.sd);
                        }
                    }
                    Table1Row::MedianIqr { summaries, .. } => {
                        for (g, s) in ["all", "low", "high"].iter().zip(summaries) {
                            put(format!("{c}.table1.{key}.{g}.median"), s.median);
                            put(format!("{c}.table1.{key}.{g}.q1"), s.q1);
                            put(format!("{c}.table1.{key}.{g}.q3"), s.q3);
                        }
                    }
                    Table1Row::Counts { counts, .. } => {
                        for (g, k) in ["all", "low", "high"]
                            .iter()
                            .enumerate()
                            .map(|(i, g)| (g, i))
                        {
                            put(format!("{c}.table1.{key}.{g}.n1"), counts[1][k] as f64);
                        }
                    }
                }
            }
            for (e, screen) in Endpoint::BOTH.iter().zip(&a.cox) {
                let k = format!("{c}.cox.{}", e.key());
                let mut m = 0usize;
                for (j, col) in a.columns.iter().enumerate() {
                    let u = &screen.univariable[j];
                    let ok = u.status == Status::Ok;
                    let v = |x: f64| if ok { x } else { f64::NAN };
                    put(format!("{k}.uni.{}.hr", col.key), v(u.hazard_ratio));
                    put(format!("{k}.uni.{}.lower", col.key), v(u.hr_lower));
                    put(format!("{k}.uni.{}.upper", col.key), v(u.hr_upper));
                    put(format!("{k}.uni.{}.p", col.key), v(u.p_value));
                    if u.selected == 1 {
                        let f = &screen.multivariable;
                        let ok = screen.multivariable_status == Status::Ok;
                        let v = |x: f64| if ok { x } else { f64::NAN };
                        put(format!("{k}.multi.{}.hr", col.key), v(f.hazard_ratios[m]));
                        put(format!("{k}.multi.{}.lower", col.key), v(f.hr_lower[m]));
                        put(format!("{k}.multi.{}.upper", col.key), v(f.hr_upper[m]));
                        put(format!("{k}.multi.{}.p", col.key), v(f.p_values[m]));
                        m += 1;
                    }
                }
                put(format!("{k}.multi.n_selected"), screen.n_selected as f64);
            }
            for (e, subs) in Endpoint::BOTH.iter().zip(&a.subgroups) {
                for s in subs {
                    let k = format!("{c}.subgroup.{}.{}", e.key(), s.column.key);
                    for level in s.result.levels.iter().take(s.result.n_levels as usize) {
                        let ok = level.status == Status::Ok;
                        let v = |x: f64| if ok { x } else { f64::NAN };
                        let l = format!("{k}.level{}", level.level);
                        put(format!("{l}.n"), if ok { level.n as f64 } else { f64::NAN });
                        put(format!("{l}.hr"), v(level.hazard_ratio));
                        put(format!("{l}.lower"), v(level.hr_lower));
                        put(format!("{l}.upper"), v(level.hr_upper));
                        put(format!("{l}.p"), v(level.p_value));
                    }
                    let ok = s.result.interaction_status == Status::Ok;
                    put(
                        format!("{k}.interaction_p"),
                        if ok {
                            s.result.interaction_wald.p_value
                        } else {
                            f64::NAN
                        },
                    );
                }
            }
        }
        kv
    }
}
