//! The seed paper's published figures (Fu et al., "Prognostic impact of extracellular volume
//! fraction derived from equilibrium contrast-enhanced CT in HCC patients receiving immune
//! checkpoint inhibitors", Sci Rep 2025), printed beside ecvkit's results for orientation only:
//! they come from 211 real patients, ecvkit's from the synthetic cohort.

/// Table 1 by covariate column: (total, lower tumor ECV, higher tumor ECV, P) as printed, for
/// the level 1 row of a binary covariate ("≥ 60", "Male", ...) or the summary of a continuous one.
pub fn table1(column: &str) -> Option<[&'static str; 4]> {
    Some(match column {
        "age" => ["63 (41.7%)", "31 (50%)", "32 (36%)", "0.085"],
        "sex_male" => ["129 (85.4%)", "56 (90.3%)", "73 (82%)", "0.155"],
        "bmi" => ["23 (3.1)", "22.7 (3.2)", "23.1 (3.1)", "0.418"],
        "hbv" => ["63 (41.7%)", "30 (48.4%)", "33 (37.1%)", "0.166"],
        "ici_pdl1" => ["10 (6.6%)", "4 (6.5%)", "6 (6.7%)", "1.000"],
        "tki" => ["83 (55%)", "37 (59.7%)", "46 (51.7%)", "0.332"],
        "tumor_diameter_cm" => [
            "6.6 (3.7, 10.5)",
            "7.9 (4.2, 11.5)",
            "6.6 (3.5, 10.2)",
            "0.341",
        ],
        "tumor_number_gt3" => ["25 (16.6%)", "10 (16.1%)", "15 (16.9%)", "0.906"],
        "pvtt" => ["41 (27.2%)", "20 (32.3%)", "21 (23.6%)", "0.239"],
        "lymph_node" => ["35 (23.2%)", "15 (24.2%)", "20 (22.5%)", "0.805"],
        "bclc_c" => ["86 (57%)", "39 (62.9%)", "47 (52.8%)", "0.218"],
        "child_pugh_b" => ["17 (11.3%)", "6 (9.7%)", "11 (12.4%)", "0.608"],
        "ecog_ge1" => ["36 (23.8%)", "19 (30.6%)", "17 (19.1%)", "0.101"],
        "nlr" => [
            "2.4 (1.7, 3.5)",
            "2.3 (1.6, 3.5)",
            "2.6 (1.8, 3.3)",
            "0.409",
        ],
        "plr" => [
            "121.3 (93.2, 161)",
            "118.5 (84.1, 158.8)",
            "125 (97.6, 161.2)",
            "0.401",
        ],
        "afp_ge400" => ["55 (36.4%)", "23 (37.1%)", "32 (36%)", "0.886"],
        _ => return None,
    })
}

/// Tables 2 (PFS) and 3 (OS): (univariable HR (CI), P, multivariable HR (CI), P) by model
/// column; "" where the paper has no multivariable entry.
pub fn cox(endpoint: &str, column: &str) -> Option<[&'static str; 4]> {
    Some(match (endpoint, column) {
        ("pfs", "age") => [
            "0.719 (0.490-1.055)",
            "0.092",
            "0.716 (0.477-1.077)",
            "0.109",
        ],
        ("pfs", "sex_male") => ["0.963 (0.566-1.641)", "0.891", "", ""],
        ("pfs", "bmi") => ["0.973 (0.914-1.036)", "0.394", "", ""],
        ("pfs", "hbv") => ["0.872 (0.598-1.272)", "0.477", "", ""],
        ("pfs", "ici_pdl1") => ["0.625 (0.296-1.321)", "0.218", "", ""],
        ("pfs", "tki") => ["1.182 (0.812-1.722)", "0.383", "", ""],
        ("pfs", "tumor_diameter_cm") => [
            "1.044 (0.999-1.090)",
            "0.054",
            "1.010 (0.961-1.062)",
            "0.691",
        ],
        ("pfs", "tumor_number_gt3") => ["1.353 (0.839-2.181)", "0.215", "", ""],
        ("pfs", "pvtt") => [
            "1.692 (1.143-2.504)",
            "0.009",
            "1.247 (0.773-2.013)",
            "0.365",
        ],
        ("pfs", "lymph_node") => ["1.234 (0.808-1.884)", "0.331", "", ""],
        ("pfs", "bclc_c") => [
            "1.998 (1.357-2.944)",
            "<0.001",
            "1.694 (1.055-2.719)",
            "0.029",
        ],
        ("pfs", "child_pugh_b") => ["0.987 (0.537-1.813)", "0.965", "", ""],
        ("pfs", "ecog_ge1") => ["1.207 (0.782-1.864)", "0.396", "", ""],
        ("pfs", "nlr") => [
            "1.088 (1.000-1.183)",
            "0.049",
            "1.091 (0.983-1.211)",
            "0.101",
        ],
        ("pfs", "plr") => [
            "1.003 (1.001-1.004)",
            "0.005",
            "1.001 (0.999-1.003)",
            "0.385",
        ],
        ("pfs", "afp_ge400") => ["1.291 (0.881-1.891)", "0.190", "", ""],
        ("pfs", "liver_ecv_higher") => ["1.198 (0.823-1.744)", "0.346", "", ""],
        ("pfs", "tumor_ecv_higher") => [
            "0.502 (0.340-0.742)",
            "<0.001",
            "0.471 (0.314-0.709)",
            "<0.001",
        ],
        ("os", "age") => ["0.816 (0.519-1.283)", "0.378", "", ""],
        ("os", "sex_male") => [
            "1.883 (0.899-3.943)",
            "0.093",
            "1.776 (0.820-3.846)",
            "0.145",
        ],
        ("os", "bmi") => ["0.977 (0.906-1.053)", "0.538", "", ""],
        ("os", "hbv") => ["0.832 (0.529-1.309)", "0.426", "", ""],
        ("os", "ici_pdl1") => ["0.702 (0.303-1.623)", "0.407", "", ""],
        ("os", "tki") => ["1.001 (0.648-1.546)", "0.998", "", ""],
        ("os", "tumor_diameter_cm") => [
            "1.085 (1.031-1.142)",
            "0.002",
            "1.027 (0.965-1.093)",
            "0.406",
        ],
        ("os", "tumor_number_gt3") => ["0.832 (0.478-1.448)", "0.516", "", ""],
        ("os", "pvtt") => [
            "1.771 (1.142-2.746)",
            "0.011",
            "1.341 (0.826-2.177)",
            "0.236",
        ],
        ("os", "lymph_node") => ["1.203 (0.741-1.952)", "0.455", "", ""],
        ("os", "bclc_c") => [
            "2.348 (1.458-3.782)",
            "<0.001",
            "1.809 (1.062-3.083)",
            "0.029",
        ],
        ("os", "child_pugh_b") => ["1.563 (0.802-3.044)", "0.190", "", ""],
        ("os", "ecog_ge1") => ["1.358 (0.766-2.408)", "0.295", "", ""],
        ("os", "nlr") => [
            "1.119 (1.001-1.252)",
            "0.049",
            "1.117 (0.972-1.283)",
            "0.118",
        ],
        ("os", "plr") => ["1.002 (1.000-1.004)", "0.106", "", ""],
        ("os", "afp_ge400") => [
            "2.562 (1.632-4.023)",
            "<0.001",
            "2.064 (1.253-3.399)",
            "0.004",
        ],
        ("os", "liver_ecv_higher") => ["1.080 (0.700-1.666)", "0.728", "", ""],
        ("os", "tumor_ecv_higher") => [
            "0.382 (0.235-0.621)",
            "<0.001",
            "0.384 (0.235-0.628)",
            "<0.001",
        ],
        _ => return None,
    })
}

/// ICC(95 % CI) by structure and phase (the paper's aorta: tumor plane; liver plane in
/// brackets).
pub fn icc(structure: &str, phase: &str) -> &'static str {
    match (structure, phase) {
        ("tumor", "unenhanced") => "0.91 (0.88-0.94)",
        ("tumor", "equilibrium") => "0.97 (0.96-0.98)",
        ("liver", "unenhanced") => "0.96 (0.95-0.97)",
        ("liver", "equilibrium") => "0.99 (0.98-0.99)",
        ("aorta", "unenhanced") => "0.91 (0.87-0.93) [0.90 (0.86-0.93)]",
        ("aorta", "equilibrium") => "0.98 (0.97-0.98) [0.99 (0.98-0.99)]",
        _ => "",
    }
}

/// Spearman's ρ of tumor vs liver ECV and its P.
pub const SPEARMAN: &str = "rho = 0.203, P = 0.012";

/// Cutoffs (percent) and group sizes (lower / higher), training cohort.
pub fn cutoff(marker: &str) -> &'static str {
    match marker {
        "tumor" => "27.2 % (62 lower / 89 higher)",
        _ => "29.0 % (73 lower / 78 higher)",
    }
}

/// Median survival (months) of the groups, lower vs higher, and the log-rank P:
/// (cohort, marker, endpoint).
pub fn medians(cohort: &str, marker: &str, endpoint: &str) -> &'static str {
    match (cohort, marker, endpoint) {
        ("training", "tumor", "pfs") => "5.6 vs 7.6, P < 0.001",
        ("training", "tumor", "os") => "10.5 vs 15.5, P < 0.001",
        ("training", "liver", "pfs") => "6.9 vs 6.0, P = 0.346",
        ("training", "liver", "os") => "12.6 vs 13.1, P = 0.729",
        ("validation", "tumor", "pfs") => "5.4 vs 10.9, P = 0.025",
        ("validation", "tumor", "os") => "11.5 vs 14.3, P = 0.023",
        ("validation", "liver", "pfs") => "7.7 vs 8.2, P = 0.552",
        ("validation", "liver", "os") => "11.5 vs 13.7, P = 0.110",
        _ => "",
    }
}

/// Median survival of all patients: (cohort, endpoint).
pub fn overall(cohort: &str, endpoint: &str) -> &'static str {
    match (cohort, endpoint) {
        ("training", "pfs") => "6.4 (5.7-8.5)",
        ("training", "os") => "12.9 (12.3-15.8)",
        ("validation", "pfs") => "8.2",
        ("validation", "os") => "12.8",
        _ => "",
    }
}

/// Validation cohort: group sizes with the training cutoffs.
pub fn validation_groups(marker: &str) -> &'static str {
    match marker {
        "tumor" => "27 lower / 33 higher",
        _ => "33 lower / 27 higher",
    }
}

/// Validation cohort: multivariable HR of the higher tumor ECV group.
pub fn validation_tumor_hr(endpoint: &str) -> &'static str {
    match endpoint {
        "pfs" => "0.32 (0.15-0.68), P = 0.003",
        _ => "0.35 (0.14-0.85), P = 0.020",
    }
}

/// OS subgroups the paper quotes (Fig. 5 and text): HR (CI) of higher vs lower tumor ECV in the
/// subgroup, or the interaction P. Keyed by (model column, level).
pub fn subgroup_os(column: &str, level: u8) -> &'static str {
    match (column, level) {
        ("tumor_number_gt3", 1) => "HR 0.42 (0.17-1.06)",
        ("ecog_ge1", 1) => "HR 0.49 (0.22-1.08)",
        ("liver_ecv_higher", 0) => "HR 0.59 (0.33-1.04)",
        _ => "",
    }
}

/// OS interaction P values the paper reports.
pub fn interaction_os(column: &str) -> &'static str {
    match column {
        "sex_male" => "0.014",
        "pvtt" => "0.021",
        _ => "",
    }
}
