# Log-rank and Fleming-Harrington references (survdiff) for tests/survival_vs_r.rs.
#
# Run from the repository root:  Rscript tests/reference/survival_logrank.R
# Made with R 4.2.2 Patched (2022-11-10 r83330) and survival 3.5-3.
# Writes tests/reference/survival_data.csv (inputs, as survival_km.R does) and
# tests/reference/survival_logrank.csv in long form: one line per number, columns
#   dataset, test (which grouping: group, group_k, group_strata), rho, quantity (chisq, df, p,
#   observed, expected, variance), i, j (group indices, 0-based; -1 where not used), value.
# Observed and expected are summed over strata, as print.survdiff shows them.
source("tests/reference/survival_data.R")
write_survival_data()

out <- list()
add <- function(dataset, test, rho, quantity, i, j, value) {
  out[[length(out) + 1]] <<- data.frame(dataset = dataset, test = test, rho = fmt(rho),
                                        quantity = quantity, i = i, j = j, value = fmt(value))
}

tests <- list(
  group = Surv(time, event) ~ factor(group),
  group_k = Surv(time, event) ~ factor(group_k),
  group_strata = Surv(time, event) ~ factor(group) + strata(stratum)
)
for (name in names(survival_sets)) {
  d <- survival_sets[[name]]
  for (test in names(tests)) {
    if (test == "group_strata" && length(unique(d$stratum)) < 2) next
    for (rho in c(0, 0.5, 1)) {
      fit <- survdiff(tests[[test]], data = d, rho = rho)
      obs <- if (is.matrix(fit$obs)) rowSums(fit$obs) else fit$obs
      ex <- if (is.matrix(fit$exp)) rowSums(fit$exp) else fit$exp
      k <- length(obs)
      add(name, test, rho, "chisq", -1, -1, fit$chisq)
      add(name, test, rho, "df", -1, -1, sum(ex > 0) - 1)
      add(name, test, rho, "p", -1, -1, fit$pvalue)
      add(name, test, rho, "observed", 0:(k - 1), -1, obs)
      add(name, test, rho, "expected", 0:(k - 1), -1, ex)
      add(name, test, rho, "variance", rep(0:(k - 1), times = k), rep(0:(k - 1), each = k),
          as.vector(fit$var))
    }
  }
}
write.csv(do.call(rbind, out), "tests/reference/survival_logrank.csv", row.names = FALSE,
          quote = FALSE)
