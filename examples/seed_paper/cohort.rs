//! The cohort CSV: its documented columns, and a reader that names the line and the column of
//! every problem (a missing column, a value that is not a number, an event that is not 0/1, a
//! negative time) instead of guessing.
//!
//! # Columns (header on line 1, comma-separated, one patient per line, any column order)
//!
//! Required:
//!
//! | column | meaning |
//! | --- | --- |
//! | `id` | patient identifier (text) |
//! | `hematocrit` | fraction in (0, 1), e.g. 0.41 (a percent such as 41 is refused by ecvkit) |
//! | `tumor_hu_unenhanced`, `tumor_hu_equilibrium` | tumor CT values (HU) on each phase |
//! | `liver_hu_unenhanced`, `liver_hu_equilibrium` | liver CT values (HU; the mean of the liver ROIs) |
//! | `aorta_hu_unenhanced`, `aorta_hu_equilibrium` | abdominal aorta at the same level (HU) |
//! | `pfs_months`, `pfs_event` | progression-free survival: time ≥ 0, event 1 = progression or death, 0 = censored |
//! | `os_months`, `os_event` | overall survival: time ≥ 0, event 1 = death, 0 = censored |
//!
//! Optional:
//!
//! | column | meaning |
//! | --- | --- |
//! | `cohort` | `training` or `validation` (default: every patient is in the training cohort) |
//! | clinical covariates | any of [`COVARIATES`] (`age`, `sex_male`, `bmi`, `hbv`, ...): those present enter Table 1 and the Cox models; 0/1 columns must hold 0 or 1 |
//! | `tumor_radius_mm`, `noise_sd_hu`, `phantom_seed` | all three present: the pipeline draws a synthetic CT phantom per patient from the HU columns and measures it with two simulated readers (the shipped synthetic cohort). Absent: the HU columns are taken as the readers' averaged measurements and the reader-agreement step is skipped. |
//!
//! Other columns are ignored. Empty lines are skipped. Cells are not quoted.

use std::fmt;

/// A problem in the CSV, with the 1-based line it is on (line 1 is the header).
#[derive(Debug, Clone, PartialEq)]
pub struct CsvError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong, naming the column.
    pub message: String,
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for CsvError {}

/// Which cohort a patient belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CohortName {
    /// Where the cutoffs and models are estimated (the paper's 151 patients).
    Training,
    /// Where the training cutoffs are applied (the paper's 60 patients).
    Validation,
}

/// How a covariate's column becomes a model column.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CovariateKind {
    /// A 0/1 column: `reference` is the label of 0, `level` of 1.
    Binary {
        /// Label of the value 0 (the reference level).
        reference: &'static str,
        /// Label of the value 1.
        level: &'static str,
    },
    /// A continuous column, entered as is (HR per unit).
    Continuous {
        /// How Table 1 summarises it.
        summary: Summary,
    },
    /// A continuous column dichotomised: 1 when the value is ≥ the threshold (the paper's age).
    AtLeast {
        /// The threshold.
        threshold: f64,
        /// Label of "below".
        reference: &'static str,
        /// Label of "at least".
        level: &'static str,
    },
}

/// How Table 1 summarises a continuous covariate (and which test compares the groups).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Summary {
    /// Mean (SD), Student's t test (the paper's BMI).
    MeanSd,
    /// Median (IQR), Wilcoxon rank-sum test.
    MedianIqr,
}

/// A clinical covariate the pipeline knows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Covariate {
    /// The CSV column.
    pub column: &'static str,
    /// The row label in the tables (the paper's wording).
    pub label: &'static str,
    /// How the column enters the tables and models.
    pub kind: CovariateKind,
}

const fn binary(
    column: &'static str,
    label: &'static str,
    r: &'static str,
    l: &'static str,
) -> Covariate {
    Covariate {
        column,
        label,
        kind: CovariateKind::Binary {
            reference: r,
            level: l,
        },
    }
}

const fn continuous(column: &'static str, label: &'static str, summary: Summary) -> Covariate {
    Covariate {
        column,
        label,
        kind: CovariateKind::Continuous { summary },
    }
}

/// The clinical covariates, in the order of the paper's Tables 1–3.
pub const COVARIATES: [Covariate; 16] = [
    Covariate {
        column: "age",
        label: "Age (years)",
        kind: CovariateKind::AtLeast {
            threshold: 60.0,
            reference: "< 60",
            level: ">= 60",
        },
    },
    binary("sex_male", "Sex", "Female", "Male"),
    continuous("bmi", "BMI (kg/m2)", Summary::MeanSd),
    binary("hbv", "HBV infection", "No", "Yes"),
    binary("ici_pdl1", "Types of ICIs", "PD-1", "PD-L1"),
    binary("tki", "Combined with TKIs", "No", "Yes"),
    continuous(
        "tumor_diameter_cm",
        "Tumor maximum diameter (cm)",
        Summary::MedianIqr,
    ),
    binary("tumor_number_gt3", "Tumor number", "<= 3", "> 3"),
    binary("pvtt", "PVTT", "No", "Yes"),
    binary("lymph_node", "Lymph node metastasis", "No", "Yes"),
    binary("bclc_c", "BCLC stage", "B", "C"),
    binary("child_pugh_b", "Child-Pugh", "A", "B"),
    binary("ecog_ge1", "ECOG PS", "0", ">= 1"),
    continuous("nlr", "NLR", Summary::MedianIqr),
    continuous("plr", "PLR", Summary::MedianIqr),
    binary("afp_ge400", "AFP (ng/mL)", "< 400", ">= 400"),
];

/// The HU of one structure on both phases.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PhasePair {
    /// Unenhanced HU.
    pub unenhanced: f64,
    /// Equilibrium HU.
    pub equilibrium: f64,
}

/// A patient's CT values: the phantom's truth, or a user's measurements.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CtValues {
    /// Tumor.
    pub tumor: PhasePair,
    /// Liver parenchyma.
    pub liver: PhasePair,
    /// Abdominal aorta at the same level.
    pub aorta: PhasePair,
}

/// What a synthetic phantom is drawn from (besides the HU).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PhantomSpec {
    /// Tumor disk radius, mm.
    pub tumor_radius_mm: f64,
    /// SD of the Gaussian pixel noise, HU.
    pub noise_sd_hu: f64,
    /// Seed of the noise and of the readers' ROI placement.
    pub seed: u64,
}

/// A survival outcome.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outcome {
    /// Months, ≥ 0.
    pub time: f64,
    /// 1 = event, 0 = censored.
    pub event: u8,
}

/// One patient (one CSV line).
#[derive(Clone, Debug, PartialEq)]
pub struct Patient {
    /// The CSV line (1-based).
    pub line: usize,
    /// Identifier.
    pub id: String,
    /// Training or validation.
    pub cohort: CohortName,
    /// Hematocrit as given (fraction expected).
    pub hematocrit: f64,
    /// CT values.
    pub ct: CtValues,
    /// Phantom parameters, when the CSV has them.
    pub phantom: Option<PhantomSpec>,
    /// Model values of the covariates present (aligned with [`Cohort::covariates`]).
    pub covariates: Vec<f64>,
    /// Raw values of the covariates present (age in years, not dichotomised).
    pub raw_covariates: Vec<f64>,
    /// Progression-free survival.
    pub pfs: Outcome,
    /// Overall survival.
    pub os: Outcome,
}

/// A parsed cohort.
#[derive(Clone, Debug, PartialEq)]
pub struct Cohort {
    /// The covariates present in the CSV, in [`COVARIATES`] order.
    pub covariates: Vec<Covariate>,
    /// The patients, in file order.
    pub patients: Vec<Patient>,
}

impl Cohort {
    /// Whether every patient has phantom parameters (then the ROI step runs).
    pub fn has_phantoms(&self) -> bool {
        self.patients.iter().all(|p| p.phantom.is_some())
    }
}

/// The required columns.
pub const REQUIRED: [&str; 12] = [
    "id",
    "hematocrit",
    "tumor_hu_unenhanced",
    "tumor_hu_equilibrium",
    "liver_hu_unenhanced",
    "liver_hu_equilibrium",
    "aorta_hu_unenhanced",
    "aorta_hu_equilibrium",
    "pfs_months",
    "pfs_event",
    "os_months",
    "os_event",
];

const PHANTOM_COLUMNS: [&str; 3] = ["tumor_radius_mm", "noise_sd_hu", "phantom_seed"];

struct Row<'a> {
    line: usize,
    cells: Vec<&'a str>,
}

impl Row<'_> {
    fn err(&self, message: String) -> CsvError {
        CsvError {
            line: self.line,
            message,
        }
    }

    fn text(&self, index: usize, column: &str) -> Result<&str, CsvError> {
        self.cells.get(index).copied().ok_or_else(|| {
            self.err(format!(
                "column '{column}' is missing on this line (too few cells)"
            ))
        })
    }

    fn number(&self, index: usize, column: &str) -> Result<f64, CsvError> {
        let text = self.text(index, column)?;
        if text.is_empty() {
            return Err(self.err(format!("column '{column}': empty cell, a number is needed")));
        }
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(self.err(format!("column '{column}': '{text}' is not a number"))),
        }
    }

    fn binary(&self, index: usize, column: &str) -> Result<u8, CsvError> {
        let v = self.number(index, column)?;
        if v == 0.0 {
            Ok(0)
        } else if v == 1.0 {
            Ok(1)
        } else {
            let text = self.text(index, column)?;
            Err(self.err(format!(
                "column '{column}': expected 0 or 1, found '{text}'"
            )))
        }
    }

    fn time(&self, index: usize, column: &str) -> Result<f64, CsvError> {
        let v = self.number(index, column)?;
        if v < 0.0 {
            Err(self.err(format!("column '{column}': negative time {v}")))
        } else {
            Ok(v)
        }
    }

    fn outcome(&self, columns: &Columns, time: &str, event: &str) -> Result<Outcome, CsvError> {
        Ok(Outcome {
            time: self.time(columns.index(time), time)?,
            event: self.binary(columns.index(event), event)?,
        })
    }
}

struct Columns<'a> {
    header: Vec<&'a str>,
}

impl Columns<'_> {
    fn find(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| *h == name)
    }

    /// Only for columns checked present.
    fn index(&self, name: &str) -> usize {
        self.find(name).unwrap_or(usize::MAX)
    }
}

/// Parses the cohort CSV text.
pub fn parse(text: &str) -> Result<Cohort, CsvError> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty());
    let (header_line, header) = lines.next().ok_or(CsvError {
        line: 1,
        message: "the file is empty: a header line is needed".into(),
    })?;
    let columns = Columns {
        header: header.split(',').map(str::trim).collect(),
    };
    for name in REQUIRED {
        if columns.find(name).is_none() {
            return Err(CsvError {
                line: header_line,
                message: format!(
                    "missing column '{name}' in the header (required: {})",
                    REQUIRED.join(", ")
                ),
            });
        }
    }
    let phantom_present: Vec<bool> = PHANTOM_COLUMNS
        .iter()
        .map(|c| columns.find(c).is_some())
        .collect();
    let with_phantoms = phantom_present.iter().all(|&p| p);
    let covariates: Vec<Covariate> = COVARIATES
        .iter()
        .copied()
        .filter(|c| columns.find(c.column).is_some())
        .collect();
    let cohort_column = columns.find("cohort");

    let mut patients = Vec::new();
    for (line, text) in lines {
        let row = Row {
            line,
            cells: text.split(',').map(str::trim).collect(),
        };
        if row.cells.len() != columns.header.len() {
            return Err(row.err(format!(
                "{} cells, but the header has {} columns",
                row.cells.len(),
                columns.header.len()
            )));
        }
        let num = |name: &str| row.number(columns.index(name), name);
        let pair = |structure: &str| -> Result<PhasePair, CsvError> {
            Ok(PhasePair {
                unenhanced: num(&format!("{structure}_hu_unenhanced"))?,
                equilibrium: num(&format!("{structure}_hu_equilibrium"))?,
            })
        };
        let cohort = match cohort_column {
            None => CohortName::Training,
            Some(i) => match row.text(i, "cohort")? {
                "training" => CohortName::Training,
                "validation" => CohortName::Validation,
                other => {
                    return Err(row.err(format!(
                        "column 'cohort': expected 'training' or 'validation', found '{other}'"
                    )))
                }
            },
        };
        let phantom = if with_phantoms {
            let seed_text = row.text(columns.index("phantom_seed"), "phantom_seed")?;
            let seed = seed_text.parse::<u64>().map_err(|_| {
                row.err(format!(
                    "column 'phantom_seed': '{seed_text}' is not a whole number ≥ 0"
                ))
            })?;
            let radius = num("tumor_radius_mm")?;
            let noise = num("noise_sd_hu")?;
            if radius <= 0.0 || noise < 0.0 {
                return Err(row.err(
                    "columns 'tumor_radius_mm' / 'noise_sd_hu': the radius must be > 0 and the noise ≥ 0".into(),
                ));
            }
            Some(PhantomSpec {
                tumor_radius_mm: radius,
                noise_sd_hu: noise,
                seed,
            })
        } else {
            None
        };
        let mut values = Vec::with_capacity(covariates.len());
        let mut raw = Vec::with_capacity(covariates.len());
        for c in &covariates {
            let i = columns.index(c.column);
            let (model, original) = match c.kind {
                CovariateKind::Binary { .. } => {
                    let v = f64::from(row.binary(i, c.column)?);
                    (v, v)
                }
                CovariateKind::Continuous { .. } => {
                    let v = row.number(i, c.column)?;
                    (v, v)
                }
                CovariateKind::AtLeast { threshold, .. } => {
                    let v = row.number(i, c.column)?;
                    (f64::from(u8::from(v >= threshold)), v)
                }
            };
            values.push(model);
            raw.push(original);
        }
        patients.push(Patient {
            line,
            id: row.text(columns.index("id"), "id")?.to_string(),
            cohort,
            hematocrit: num("hematocrit")?,
            ct: CtValues {
                tumor: pair("tumor")?,
                liver: pair("liver")?,
                aorta: pair("aorta")?,
            },
            phantom,
            covariates: values,
            raw_covariates: raw,
            pfs: row.outcome(&columns, "pfs_months", "pfs_event")?,
            os: row.outcome(&columns, "os_months", "os_event")?,
        });
    }
    if patients.is_empty() {
        return Err(CsvError {
            line: header_line,
            message: "no patient lines after the header".into(),
        });
    }
    Ok(Cohort {
        covariates,
        patients,
    })
}
