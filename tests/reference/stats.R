# Reference values for tests/stats_vs_r.rs: correlation (cor.test), ICC (psych::ICC with
# lmer = FALSE), two-sample tests (t.test, wilcox.test), contingency tables (chisq.test,
# fisher.test) and quantiles (quantile type 7), on public data (survival's lung and veteran,
# the Shrout & Fleiss 1979 6 x 4 example) and on deterministic permutations.
#
# Run from the repository root:   Rscript tests/reference/stats.R
# Written with R 4.2.2, survival 3.5-3, psych 2.2.9. Numbers are printed with %.17g (nothing is
# lost); NA is "NA".
#
# Outputs (all under tests/reference/):
#   stats_pairs.csv        case, x, y                  inputs of the correlation cases
#   stats_correlation.csv  one row per case, method and alternative
#   stats_icc_data.csv     case, subject, rater, value inputs of the ICC cases (long format)
#   stats_icc.csv          psych::ICC's six rows per case
#   stats_samples.csv      case, group ("x"/"y"), value inputs of the two-sample cases
#   stats_two_sample.csv   t.test / wilcox.test per case, test and alternative
#   stats_tables.csv       case, nrow, ncol, counts (row-major, ";"-separated)
#   stats_chisq.csv        chisq.test with and without correction per table
#   stats_fisher.csv       fisher.test (2 x 2) p per alternative
#   stats_quantile.csv     quantile(type = 7) of each "x" sample at several probabilities

suppressPackageStartupMessages({
  library(survival)
  library(psych)
})

out <- function(name) file.path("tests", "reference", name)
num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", as.numeric(x)))

write_rows <- function(df, name) {
  for (j in seq_along(df)) if (is.numeric(df[[j]])) df[[j]] <- num(df[[j]])
  write.table(df, out(name), sep = ",", quote = FALSE, row.names = FALSE)
}

alternatives <- c("two.sided", "less", "greater")

## ---------------------------------------------------------------- correlation
pairs <- list()
add_pair <- function(case, x, y) {
  ok <- complete.cases(x, y)
  pairs[[case]] <<- data.frame(x = x[ok], y = y[ok])
}
add_pair("lung_age_mealcal", lung$age, lung$meal.cal)
add_pair("lung_phkarno_patkarno", lung$ph.karno, lung$pat.karno)
add_pair("lung_age_wtloss", lung$age, lung$wt.loss)
add_pair("lung_time_age", lung$time, lung$age)
add_pair("veteran_karno_time", veteran$karno, veteran$time)
add_pair("veteran_age_diagtime", veteran$age, veteran$diagtime)
add_pair("ties_n5", c(1, 2, 2, 3, 5), c(2, 1, 4, 4, 3))
# No ties: exact enumeration for n <= 9, Edgeworth series for 10 <= n <= 1290, t beyond.
set.seed(20240607)
for (n in 2:9) for (i in 1:4) add_pair(sprintf("perm_n%d_%d", n, i), 1:n, sample(n))
add_pair("perm_n5_identity", 1:5, 1:5)
add_pair("perm_n6_reversed", 1:6, 6:1)
for (n in c(10, 12, 20, 50, 137, 500, 1290, 1291)) {
  for (i in 1:2) add_pair(sprintf("perm_n%d_%d", n, i), (1:n) / 7, sample(n) + 0.5)
}
# A weakly correlated no-ties case with a moderate p (the seed paper's rho = 0.203, n = 150).
add_pair("weak_n150", 1:150, (1:150) + 170 * sin(1:150) * 1.01)

pair_rows <- do.call(rbind, lapply(names(pairs), function(k) data.frame(case = k, pairs[[k]])))
write_rows(pair_rows, "stats_pairs.csv")

cor_rows <- list()
for (k in names(pairs)) {
  d <- pairs[[k]]
  n <- nrow(d)
  for (alt in alternatives) {
    s <- suppressWarnings(cor.test(d$x, d$y, method = "spearman", alternative = alt))
    ties <- min(length(unique(d$x)), length(unique(d$y))) < n
    route <- if (ties || n > 1290) "t" else if (n <= 9) "exact" else "edgeworth"
    cor_rows[[length(cor_rows) + 1]] <- data.frame(
      case = k, method = "spearman", alternative = alt, n = n, estimate = unname(s$estimate),
      statistic = unname(s$statistic), df = NA, p = s$p.value, ci_lo = NA, ci_hi = NA,
      route = route)
    if (n >= 3) {
      p <- cor.test(d$x, d$y, method = "pearson", alternative = alt)
      ci <- if (is.null(p$conf.int)) c(NA, NA) else as.numeric(p$conf.int)
      cor_rows[[length(cor_rows) + 1]] <- data.frame(
        case = k, method = "pearson", alternative = alt, n = n, estimate = unname(p$estimate),
        statistic = unname(p$statistic), df = unname(p$parameter), p = p$p.value,
        ci_lo = ci[1], ci_hi = ci[2], route = "t")
    }
  }
}
write_rows(do.call(rbind, cor_rows), "stats_correlation.csv")

## ---------------------------------------------------------------- ICC
# Shrout & Fleiss (1979), Psychol Bull 86:420, Table 2: 6 targets rated by 4 judges.
sf <- matrix(c(9, 2, 5, 8,
               6, 1, 3, 2,
               8, 4, 6, 8,
               7, 1, 2, 6,
              10, 5, 6, 9,
               6, 2, 4, 7), ncol = 4, byrow = TRUE)
icc_sets <- list(
  shrout_fleiss = sf,
  lung_karno = as.matrix(na.omit(lung[, c("ph.karno", "pat.karno")])),
  lung_karno_first30 = as.matrix(na.omit(lung[, c("ph.karno", "pat.karno")]))[1:30, ],
  veteran_three = as.matrix(veteran[1:40, c("karno", "age", "diagtime")]),
  two_by_two = matrix(c(1, 2, 3, 5), 2)
)
icc_data <- list()
icc_rows <- list()
for (k in names(icc_sets)) {
  m <- icc_sets[[k]]
  icc_data[[k]] <- data.frame(case = k, subject = rep(seq_len(nrow(m)), ncol(m)),
                              rater = rep(seq_len(ncol(m)), each = nrow(m)), value = as.vector(m))
  for (alpha in c(0.05, 0.1)) {
    r <- suppressMessages(ICC(m, lmer = FALSE, alpha = alpha))$results
    icc_rows[[length(icc_rows) + 1]] <- data.frame(
      case = k, alpha = alpha, type = r$type, icc = r$ICC, F = r$F, df1 = r$df1, df2 = r$df2,
      p = r$p, lower = r$`lower bound`, upper = r$`upper bound`)
  }
}
write_rows(do.call(rbind, icc_data), "stats_icc_data.csv")
write_rows(do.call(rbind, icc_rows), "stats_icc.csv")

## ---------------------------------------------------------------- two samples
samples <- list()
add_samples <- function(case, x, y) {
  samples[[case]] <<- list(x = x[!is.na(x)], y = y[!is.na(y)])
}
add_samples("lung_age_by_sex", lung$age[lung$sex == 1], lung$age[lung$sex == 2])
add_samples("lung_wtloss_by_sex", lung$wt.loss[lung$sex == 1], lung$wt.loss[lung$sex == 2])
add_samples("lung_mealcal_by_status", lung$meal.cal[lung$status == 1],
            lung$meal.cal[lung$status == 2])
add_samples("veteran_karno_by_trt", veteran$karno[veteran$trt == 1], veteran$karno[veteran$trt == 2])
add_samples("veteran_time_by_trt", veteran$time[veteran$trt == 1], veteran$time[veteran$trt == 2])
add_samples("veteran_time_large_vs_adeno", veteran$time[veteran$celltype == "large"],
            veteran$time[veteran$celltype == "adeno"])
# No ties, both groups < 50: wilcox.test's exact distribution.
add_samples("lung_time_inst1_vs_inst12", unique(lung$time[lung$inst %in% 1])[1:12],
            unique(lung$time[lung$inst %in% 12])[1:9])
add_samples("small_exact_3_4", c(1.5, 3.2, 7.7), c(2.1, 4.4, 5.0, 9.3))
add_samples("small_exact_1_5", c(4.2), c(1.1, 2.2, 3.3, 5.5, 6.6))
add_samples("separated_8_7", c(11, 12, 13, 14, 15, 16, 17, 18), c(1, 2, 3, 4, 5, 6, 7))
add_samples("exact_49_49", (1:49) * 1.01, (1:49) + 0.5 + sin(1:49))
add_samples("normal_50_10", (1:50) * 1.01, (1:10) * 3.3 + 0.05)
add_samples("student_n1_vs_3", c(5), c(1, 2, 4))

sample_rows <- do.call(rbind, lapply(names(samples), function(k) rbind(
  data.frame(case = k, group = "x", value = samples[[k]]$x),
  data.frame(case = k, group = "y", value = samples[[k]]$y))))
write_rows(sample_rows, "stats_samples.csv")

two_rows <- list()
add_two <- function(case, test, alt, h, route) {
  ci <- if (is.null(h$conf.int)) c(NA, NA) else as.numeric(h$conf.int)
  two_rows[[length(two_rows) + 1]] <<- data.frame(
    case = case, test = test, alternative = alt, statistic = unname(h$statistic),
    df = if (is.null(h$parameter)) NA else unname(h$parameter), p = h$p.value,
    ci_lo = ci[1], ci_hi = ci[2],
    stderr = if (is.null(h$stderr)) NA else h$stderr, route = route)
}
for (k in names(samples)) {
  x <- samples[[k]]$x
  y <- samples[[k]]$y
  for (alt in alternatives) {
    if (length(x) >= 2 && length(y) >= 2) add_two(k, "welch", alt, t.test(x, y, alternative = alt), "t")
    add_two(k, "student", alt, t.test(x, y, alternative = alt, var.equal = TRUE), "t")
    ties <- length(unique(c(x, y))) < length(x) + length(y)
    route <- if (!ties && length(x) < 50 && length(y) < 50) "exact" else "normal"
    add_two(k, "wilcoxon", alt, suppressWarnings(wilcox.test(x, y, alternative = alt)), route)
    add_two(k, "wilcoxon_nocorrect", alt,
            suppressWarnings(wilcox.test(x, y, alternative = alt, correct = FALSE)), route)
    add_two(k, "wilcoxon_normal", alt,
            suppressWarnings(wilcox.test(x, y, alternative = alt, exact = FALSE)), "normal")
  }
}
write_rows(do.call(rbind, two_rows), "stats_two_sample.csv")

## ---------------------------------------------------------------- tables
tables <- list(
  lung_sex_status = table(lung$sex, lung$status),
  lung_sex_ecog = table(lung$sex, lung$ph.ecog),
  veteran_celltype_trt = table(veteran$celltype, veteran$trt),
  veteran_prior_trt = table(veteran$prior, veteran$trt),
  veteran_status_trt = table(veteran$status, veteran$trt),
  tea_tasting = matrix(c(3, 1, 1, 3), 2),
  small_yates_cap = matrix(c(5, 5, 5, 6), 2),
  zero_cell = matrix(c(0, 5, 7, 2), 2),
  lopsided = matrix(c(12, 0, 1, 9), 2),
  large_2x2 = matrix(c(412, 388, 290, 510), 2),
  three_by_three = matrix(c(10, 4, 7, 3, 12, 5, 6, 2, 15), 3)
)
table_rows <- list()
chisq_rows <- list()
fisher_rows <- list()
for (k in names(tables)) {
  m <- unclass(as.matrix(tables[[k]]))
  table_rows[[k]] <- data.frame(case = k, nrow = nrow(m), ncol = ncol(m),
                                counts = paste(sprintf("%.17g", as.vector(t(m))), collapse = ";"))
  for (correct in c(TRUE, FALSE)) {
    h <- suppressWarnings(chisq.test(m, correct = correct))
    chisq_rows[[length(chisq_rows) + 1]] <- data.frame(
      case = k, correct = correct, statistic = unname(h$statistic), df = unname(h$parameter),
      p = h$p.value, min_expected = min(h$expected))
  }
  if (all(dim(m) == 2)) {
    for (alt in alternatives) {
      h <- fisher.test(m, alternative = alt)
      fisher_rows[[length(fisher_rows) + 1]] <- data.frame(case = k, alternative = alt, p = h$p.value)
    }
  }
}
write_rows(do.call(rbind, table_rows), "stats_tables.csv")
write_rows(do.call(rbind, chisq_rows), "stats_chisq.csv")
write_rows(do.call(rbind, fisher_rows), "stats_fisher.csv")

## ---------------------------------------------------------------- quantiles
probs <- c(0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975, 1)
q_rows <- list()
for (k in names(samples)) {
  x <- samples[[k]]$x
  q <- quantile(x, probs, type = 7, names = FALSE)
  q_rows[[k]] <- data.frame(case = k, prob = probs, value = q, median = median(x), iqr = IQR(x))
}
write_rows(do.call(rbind, q_rows), "stats_quantile.csv")
