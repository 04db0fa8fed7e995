# Kaplan-Meier references for tests/survival_vs_r.rs.
#
# Run from the repository root:  Rscript tests/reference/survival_km.R
# Made with R 4.2.2 Patched (2022-11-10 r83330) and survival 3.5-3.
# Writes tests/reference/survival_data.csv (inputs) and, for every data set of survival_data.R,
# its whole curve and each `group` level's curve, under conf.type plain, log and log-log at 95 %
# (and log at 90 %):
#   survival_km_rows.csv     every row of survfit: time, n.risk, n.event, n.censor, surv,
#                            std.err (of -log S), lower, upper
#   survival_km_summary.csv  n, events, median and its CI (print.survfit), restricted mean to tau
#                            and its SE (print(fit, rmean = tau))
#   survival_km_at.csv       summary(fit, times, extend = TRUE): n.risk, surv, std.err (of S),
#                            lower, upper at a grid of times
source("tests/reference/survival_data.R")
write_survival_data()

taus <- c(lung = 500, veteran = 200, ovarian = 800, aml = 30, tied = 20, half = 6.5)
bands <- list(c("plain", 0.95), c("log", 0.95), c("log-log", 0.95), c("log", 0.90))

rows_out <- list()
summary_out <- list()
at_out <- list()
for (name in names(survival_sets)) {
  d <- survival_sets[[name]]
  curves <- list(all = rep(TRUE, nrow(d)))
  for (g in sort(unique(d$group))) curves[[paste0("g", g)]] <- d$group == g
  for (curve in names(curves)) {
    dd <- d[curves[[curve]], ]
    grid <- sort(unique(c(0, quantile(dd$time, c(0.1, 0.33, 0.5, 0.8), names = FALSE),
                          dd$time[1], max(dd$time), max(dd$time) + 1)))
    for (b in bands) {
      ct <- b[1]
      level <- as.numeric(b[2])
      fit <- survfit(Surv(time, event) ~ 1, data = dd, conf.type = ct, conf.int = level)
      rows_out[[length(rows_out) + 1]] <- data.frame(
        dataset = name, curve = curve, conf_type = ct, conf_level = fmt(level),
        row = seq_along(fit$time) - 1, time = fmt(fit$time), n_risk = fit$n.risk,
        n_event = fit$n.event, n_censor = fit$n.censor, surv = fmt(fit$surv),
        std_err = fmt(fit$std.err), lower = fmt(fit$lower), upper = fmt(fit$upper))
      tab <- summary(fit, rmean = taus[[name]])$table
      summary_out[[length(summary_out) + 1]] <- data.frame(
        dataset = name, curve = curve, conf_type = ct, conf_level = fmt(level),
        n = tab[["records"]], events = tab[["events"]], median = fmt(tab[["median"]]),
        median_lower = fmt(tab[[paste0(level, "LCL")]]),
        median_upper = fmt(tab[[paste0(level, "UCL")]]),
        tau = fmt(taus[[name]]), rmean = fmt(tab[["rmean"]]), rmean_se = fmt(tab[["se(rmean)"]]))
      s <- summary(fit, times = grid, extend = TRUE)
      at_out[[length(at_out) + 1]] <- data.frame(
        dataset = name, curve = curve, conf_type = ct, conf_level = fmt(level),
        t = fmt(grid), n_risk = s$n.risk, surv = fmt(s$surv), std_err_surv = fmt(s$std.err),
        lower = fmt(s$lower), upper = fmt(s$upper))
    }
  }
}
write.csv(do.call(rbind, rows_out), "tests/reference/survival_km_rows.csv", row.names = FALSE,
          quote = FALSE)
write.csv(do.call(rbind, summary_out), "tests/reference/survival_km_summary.csv",
          row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, at_out), "tests/reference/survival_km_at.csv", row.names = FALSE,
          quote = FALSE)
