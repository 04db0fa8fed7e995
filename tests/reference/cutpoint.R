# Reference values for src/cutpoint (tests/cutpoint_vs_r.rs).
#
# Run from the repository root:   Rscript tests/reference/cutpoint.R
# Produced with R 4.2.2, survival 3.5-3, maxstat 0.7-25 (exactRankTests 0.8-35 for the scores).
#
# Writes, under tests/reference/:
#   cutpoint_data.csv     the data sets (dataset, time, event, marker), complete cases only
#   cutpoint_maxstat.csv  maxstat.test(Surv(time, event) ~ marker, smethod = "LogRank",
#                         pmethod = "Lau92" / "Lau94", minprop, maxprop): statistic, cutpoint, p
#   cutpoint_profile.csv  every evaluated split: maxstat's standardized statistic (mt$stats),
#                         survdiff's chi-square, observed and expected events of the low group
#   cutpoint_xtile.csv    survdiff's 3-group chi-square for every pair of splits (two data sets)
#   cutpoint_lausen.csv   pLausen92 / pLausen94 on a grid of b (including b < 1)
#   cutpoint_fixed.csv    a fixed cutoff: group sizes, KM medians, survdiff chi-square and p
#
# Numbers are written with sprintf("%.17g") so that nothing is lost; NA as "NA".
suppressPackageStartupMessages({
  library(survival)
  library(maxstat)
})

f17 <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))
out <- function(df, name) {
  for (j in seq_along(df)) if (is.numeric(df[[j]])) df[[j]] <- f17(df[[j]])
  write.table(df, file.path("tests", "reference", name), sep = ",", quote = FALSE,
              row.names = FALSE)
}

data_sets <- local({
  keep <- function(time, event, marker) {
    ok <- complete.cases(time, event, marker)
    data.frame(time = time[ok], event = event[ok], marker = marker[ok])
  }
  list(
    lung_age = keep(lung$time, as.integer(lung$status == 2), lung$age),
    lung_wt_loss = keep(lung$time, as.integer(lung$status == 2), lung$wt.loss),
    lung_ph_karno = keep(lung$time, as.integer(lung$status == 2), lung$ph.karno),
    ovarian_age = keep(ovarian$futime, as.integer(ovarian$fustat), ovarian$age)
  )
})

out(do.call(rbind, lapply(names(data_sets), function(nm)
  cbind(dataset = nm, data_sets[[nm]]))), "cutpoint_data.csv")

props <- list(c(0.1, 0.9), c(0.25, 0.75), c(0.05, 0.6))

maxstat_rows <- list()
profile_rows <- list()
for (nm in names(data_sets)) {
  d <- data_sets[[nm]]
  for (pr in props) {
    for (pm in c("Lau92", "Lau94")) {
      mt <- maxstat.test(Surv(time, event) ~ marker, data = d, smethod = "LogRank",
                         pmethod = pm, minprop = pr[1], maxprop = pr[2])
      maxstat_rows[[length(maxstat_rows) + 1]] <- data.frame(
        dataset = nm, minprop = pr[1], maxprop = pr[2], pmethod = pm,
        statistic = unname(mt$statistic), cutpoint = unname(mt$estimate),
        p_value = mt$p.value, n_cuts = length(mt$cuts))
    }
    # The profile: maxstat's statistic and survdiff's chi-square at every evaluated cut.
    for (k in seq_along(mt$cuts)) {
      cut <- mt$cuts[k]
      low <- d$marker <= cut
      sd <- survdiff(Surv(time, event) ~ low, data = d)
      # Group order in survdiff: FALSE (high) first, TRUE (low) second.
      profile_rows[[length(profile_rows) + 1]] <- data.frame(
        dataset = nm, minprop = pr[1], maxprop = pr[2], cut = cut, n_low = sum(low),
        maxstat_statistic = mt$stats[k], chisq = sd$chisq,
        observed_low = sd$obs[2], expected_low = sd$exp[2])
    }
  }
}
out(do.call(rbind, maxstat_rows), "cutpoint_maxstat.csv")
out(do.call(rbind, profile_rows), "cutpoint_profile.csv")

# X-tile: 3-group survdiff chi-square for every pair of cuts (low <= c1 < middle <= c2 < high),
# cuts = the maxstat cuts at minprop 0.1, maxprop 0.9. Pairs whose middle group is smaller than
# max(1, floor(N * 0.1)) are not written (ecvkit marks them NaN).
xtile_rows <- list()
for (nm in c("ovarian_age", "lung_age")) {
  d <- data_sets[[nm]]
  N <- nrow(d)
  mt <- maxstat.test(Surv(time, event) ~ marker, data = d, smethod = "LogRank",
                     pmethod = "Lau92", minprop = 0.1, maxprop = 0.9)
  cuts <- mt$cuts
  g <- max(1, floor(N * 0.1))
  for (a in seq_along(cuts)) for (b in seq_along(cuts)) if (a < b) {
    grp <- ifelse(d$marker <= cuts[a], 1L, ifelse(d$marker <= cuts[b], 2L, 3L))
    n_mid <- sum(grp == 2L)
    if (n_mid < g) next
    sd <- survdiff(Surv(time, event) ~ grp, data = d)
    xtile_rows[[length(xtile_rows) + 1]] <- data.frame(
      dataset = nm, low_cut = cuts[a], high_cut = cuts[b], n_low = sum(grp == 1L),
      n_mid = n_mid, n_high = sum(grp == 3L), chisq = sd$chisq,
      oe_low = sd$obs[1] / sd$exp[1], oe_mid = sd$obs[2] / sd$exp[2],
      oe_high = sd$obs[3] / sd$exp[3])
  }
}
out(do.call(rbind, xtile_rows), "cutpoint_xtile.csv")

# Lausen-Schumacher p-values on a grid of b (Lau94 with the full range m = floor(N minprop) ..
# floor(N maxprop), which is what pLausen94 does when m is not given).
lausen_rows <- list()
for (b in c(0.5, 0.999, 1, 1.2, 1.5, 2, 2.5, 3, 3.5, 4, 5, 6)) {
  for (pr in props) {
    for (N in c(26, 228, 1000)) {
      lausen_rows[[length(lausen_rows) + 1]] <- data.frame(
        b = b, minprop = pr[1], maxprop = pr[2], n = N,
        lau92 = maxstat:::pLausen92(b, pr[1], pr[2]),
        lau94 = maxstat:::pLausen94(b, N, pr[1], pr[2]))
    }
  }
}
out(do.call(rbind, lausen_rows), "cutpoint_lausen.csv")

# A fixed cutoff applied to a cohort: low = marker <= cutoff.
fixed_rows <- list()
for (case in list(list("lung_age", 60), list("lung_age", 70), list("ovarian_age", 56.43),
                  list("lung_wt_loss", 10))) {
  nm <- case[[1]]
  cutoff <- case[[2]]
  d <- data_sets[[nm]]
  d$low <- d$marker <= cutoff
  sd <- survdiff(Surv(time, event) ~ low, data = d)
  fit <- survfit(Surv(time, event) ~ low, data = d)
  tab <- summary(fit)$table # rows: low=FALSE, low=TRUE
  fixed_rows[[length(fixed_rows) + 1]] <- data.frame(
    dataset = nm, cutoff = cutoff, n_low = sum(d$low), n_high = sum(!d$low),
    events_low = sum(d$event[d$low]), events_high = sum(d$event[!d$low]),
    median_low = tab[2, "median"], median_high = tab[1, "median"],
    median_low_lcl = tab[2, "0.95LCL"], median_low_ucl = tab[2, "0.95UCL"],
    median_high_lcl = tab[1, "0.95LCL"], median_high_ucl = tab[1, "0.95UCL"],
    expected_low = sd$exp[2], chisq = sd$chisq, p_value = sd$pvalue)
}
out(do.call(rbind, fixed_rows), "cutpoint_fixed.csv")
