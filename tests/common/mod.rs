//! Helpers shared by the integration tests: reading the R reference tables under
//! `tests/reference/` (CSV written by the committed R scripts) and comparing to a relative
//! tolerance.
#![allow(dead_code)]

use std::path::PathBuf;

/// A CSV table: a header row and string cells. R scripts write numbers with `sprintf("%.17g")`
/// so that nothing is lost; `NA`, `Inf` and `-Inf` are R's spellings.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// The path of a file under `tests/reference/`.
pub fn reference_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/reference")
        .join(name)
}

fn split_csv_line(line: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => cells.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    cells.push(cell);
    cells
}

impl Table {
    /// Loads `tests/reference/<name>`; panics with the path if it is missing.
    pub fn load(name: &str) -> Table {
        let path = reference_path(name);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let mut lines = text.lines().filter(|l| !l.trim().is_empty());
        let header = split_csv_line(lines.next().expect("empty CSV"));
        let rows: Vec<Vec<String>> = lines.map(split_csv_line).collect();
        for (i, r) in rows.iter().enumerate() {
            assert_eq!(
                r.len(),
                header.len(),
                "{name}: row {} has {} cells",
                i + 2,
                r.len()
            );
        }
        Table { header, rows }
    }

    /// The index of a column; panics with the column name if absent.
    pub fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name:?} in {:?}", self.header))
    }

    /// A cell as text.
    pub fn str(&self, row: usize, name: &str) -> &str {
        &self.rows[row][self.col(name)]
    }

    /// A cell as f64 (`NA` → NaN, `Inf`/`-Inf` → ±∞).
    pub fn f64(&self, row: usize, name: &str) -> f64 {
        parse_r_number(self.str(row, name))
    }

    /// A whole column as f64.
    pub fn f64_col(&self, name: &str) -> Vec<f64> {
        (0..self.rows.len()).map(|r| self.f64(r, name)).collect()
    }

    /// The rows whose column `name` equals `value`, as a new table.
    pub fn filter(&self, name: &str, value: &str) -> Table {
        let c = self.col(name);
        Table {
            header: self.header.clone(),
            rows: self
                .rows
                .iter()
                .filter(|r| r[c] == value)
                .cloned()
                .collect(),
        }
    }

    /// The distinct values of a column, in order of first appearance.
    pub fn distinct(&self, name: &str) -> Vec<String> {
        let c = self.col(name);
        let mut seen: Vec<String> = Vec::new();
        for r in &self.rows {
            if !seen.contains(&r[c]) {
                seen.push(r[c].clone());
            }
        }
        seen
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }
}

/// Parses R's text for a number.
pub fn parse_r_number(s: &str) -> f64 {
    match s.trim() {
        "NA" | "NaN" | "" => f64::NAN,
        "Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        t => t.parse().unwrap_or_else(|_| panic!("not a number: {t:?}")),
    }
}

/// Asserts |actual − expected| ≤ rel · max(|expected|, floor), treating NaN = NaN (R's NA) and
/// equal infinities as agreement. `floor` keeps values near zero from demanding absolute
/// agreement beyond double precision; pass 0 for a purely relative check.
pub fn assert_close(actual: f64, expected: f64, rel: f64, floor: f64, what: &str) {
    if expected.is_nan() {
        assert!(actual.is_nan(), "{what}: expected NA, got {actual}");
        return;
    }
    if expected.is_infinite() {
        assert_eq!(actual, expected, "{what}");
        return;
    }
    let scale = expected.abs().max(floor);
    assert!(
        (actual - expected).abs() <= rel * scale,
        "{what}: got {actual:e}, R gives {expected:e} (relative difference {:e}, tolerance {rel:e})",
        (actual - expected).abs() / scale
    );
}
