//! The seed-paper example's user input: `cargo run --example seed_paper -- --csv FILE`. The CSV
//! reader (`examples/seed_paper/cohort.rs`, included by path so the test checks the example's own
//! code) must name the line and the column of every problem, and a user's CSV without phantom
//! columns (measured HU instead) must run through the whole pipeline.

#[allow(dead_code)] // shared by the example and its tests; each uses a part
#[path = "../examples/seed_paper/cohort.rs"]
mod cohort;
#[allow(dead_code)] // shared by the example and its tests; each uses a part
#[path = "../examples/seed_paper/measure.rs"]
mod measure;
#[allow(dead_code)] // shared by the example and its tests; each uses a part
#[path = "../examples/seed_paper/phantom.rs"]
mod phantom;
#[allow(dead_code)] // shared by the example and its tests; each uses a part
#[path = "../examples/seed_paper/pipeline.rs"]
mod pipeline;

const HEADER: &str = "id,hematocrit,tumor_hu_unenhanced,tumor_hu_equilibrium,liver_hu_unenhanced,\
liver_hu_equilibrium,aorta_hu_unenhanced,aorta_hu_equilibrium,pfs_months,pfs_event,os_months,os_event,bmi";

fn csv(rows: &[&str]) -> String {
    let mut s = String::from(HEADER);
    for r in rows {
        s.push('\n');
        s.push_str(r);
    }
    s.push('\n');
    s
}

const GOOD: &str = "p1,0.40,38,85,55,100,40,160,6.2,1,12.5,1,23.1";

fn error_of(text: &str) -> cohort::CsvError {
    match cohort::parse(text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e,
    }
}

#[test]
fn a_valid_minimal_csv_parses() {
    let c = cohort::parse(&csv(&[
        GOOD,
        "p2,0.38,40,90,52,98,41,150,3.0,0,20.0,0,25.0",
    ]))
    .unwrap();
    assert_eq!(c.patients.len(), 2);
    assert!(!c.has_phantoms());
    assert_eq!(c.covariates.len(), 1);
    assert_eq!(c.covariates[0].column, "bmi");
    assert_eq!(c.patients[1].cohort, cohort::CohortName::Training);
    assert_eq!(c.patients[1].line, 3);
    assert_eq!(
        c.patients[0].os,
        cohort::Outcome {
            time: 12.5,
            event: 1
        }
    );
}

#[test]
fn a_missing_column_is_named_on_line_1() {
    let text = csv(&[GOOD]).replace(",os_event,", ",os_status,");
    let e = error_of(&text);
    assert_eq!(e.line, 1);
    assert!(e.message.starts_with("missing column 'os_event'"), "{e}");
    assert!(
        e.to_string()
            .starts_with("line 1: missing column 'os_event'"),
        "{e}"
    );
}

#[test]
fn a_non_numeric_value_names_line_and_column() {
    let e = error_of(&csv(&[
        GOOD,
        GOOD,
        "p3,0.40,38,85,55,100,40,160,6.2,1,12.5,1,abc",
    ]));
    assert_eq!(e.line, 4);
    assert_eq!(e.message, "column 'bmi': 'abc' is not a number");
    let e = error_of(&csv(&["p1,0.40,38,85,55,,40,160,6.2,1,12.5,1,23.1"]));
    assert_eq!(e.line, 2);
    assert_eq!(
        e.message,
        "column 'liver_hu_equilibrium': empty cell, a number is needed"
    );
}

#[test]
fn an_event_not_0_or_1_is_refused() {
    let e = error_of(&csv(&[
        GOOD,
        "p2,0.40,38,85,55,100,40,160,6.2,1,12.5,2,23.1",
    ]));
    assert_eq!(e.line, 3);
    assert_eq!(e.message, "column 'os_event': expected 0 or 1, found '2'");
    let e = error_of(&csv(&["p2,0.40,38,85,55,100,40,160,6.2,0.5,12.5,1,23.1"]));
    assert_eq!(
        e.message,
        "column 'pfs_event': expected 0 or 1, found '0.5'"
    );
}

#[test]
fn a_negative_time_is_refused() {
    let e = error_of(&csv(&[
        GOOD,
        "p2,0.40,38,85,55,100,40,160,-1.5,1,12.5,1,23.1",
    ]));
    assert_eq!(e.line, 3);
    assert_eq!(e.message, "column 'pfs_months': negative time -1.5");
}

#[test]
fn line_numbers_count_blank_lines_and_bad_rows_are_named() {
    let text = format!(
        "{HEADER}\n{GOOD}\n\n{}\n",
        "p2,0.40,38,85,55,100,40,160,6.2,1,-3,1,23.1"
    );
    let e = error_of(&text);
    assert_eq!(e.line, 4, "{e}");
    assert_eq!(e.message, "column 'os_months': negative time -3");
    let e = error_of(&csv(&[GOOD, "p2,0.40,38"]));
    assert_eq!(e.line, 3);
    assert!(
        e.message.contains("3 cells, but the header has 13 columns"),
        "{e}"
    );
    let e = error_of(&format!("{HEADER},cohort\n{GOOD},test\n"));
    assert_eq!(
        e.message,
        "column 'cohort': expected 'training' or 'validation', found 'test'"
    );
    let e = error_of(&format!("{HEADER}\n"));
    assert!(e.message.contains("no patient lines"), "{e}");
}

#[test]
fn a_users_csv_of_measured_hu_runs_the_whole_pipeline() {
    // The shipped cohort without its phantom columns: the HU columns become the measurements.
    let shipped = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/data/cohort.csv"
    ))
    .unwrap();
    let mut lines = shipped.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let keep: Vec<usize> = (0..header.len())
        .filter(|&i| !["tumor_radius_mm", "noise_sd_hu", "phantom_seed"].contains(&header[i]))
        .collect();
    let project = |l: &str| {
        let cells: Vec<&str> = l.split(',').collect();
        keep.iter().map(|&i| cells[i]).collect::<Vec<_>>().join(",")
    };
    let mut text = project(&header.join(","));
    for l in lines {
        text.push('\n');
        text.push_str(&project(l));
    }
    let c = cohort::parse(&text).unwrap();
    assert!(!c.has_phantoms());
    let m = measure::measure_cohort(&c, |_, _| {}).unwrap();
    assert!(m.iter().all(|p| p.readers.len() == 1));
    let r = pipeline::run(&c, &m, |_| {}).unwrap();
    assert!(r.icc.is_empty(), "one reading per patient: no ICC");
    assert_eq!(r.training.indices.len(), 151);
    assert_eq!(r.validation.as_ref().map(|v| v.indices.len()), Some(60));
    // The CSV's HU are the phantom truth: its tumor ECV is the generator's true ECV (to its
    // 0.1 HU rounding).
    for (p, e) in c.patients.iter().zip(&r.ecv) {
        let truth: f64 = shipped
            .lines()
            .nth(p.line - 1)
            .unwrap()
            .split(',')
            .nth(header.iter().position(|h| *h == "true_tumor_ecv").unwrap())
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            (e.tumor.ecv.fraction - truth).abs() < 0.005,
            "patient {}: {} vs {truth}",
            p.id,
            e.tumor.ecv.fraction
        );
    }
}
