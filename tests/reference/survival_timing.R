# R's time for the work of benches/survival.rs, for the closing note of issue 4 (item 7).
#
# Run from the repository root:  Rscript tests/reference/survival_timing.R
# Made with R 4.2.2 Patched (2022-11-10 r83330) and survival 3.5-3.
# Writes tests/reference/survival_timing.csv: seconds per call (median of the repetitions) of
#   survfit    survfit(Surv(time, event) ~ 1) and its median (summary(fit)$table), as ecvkit_km
#   survdiff   survdiff(Surv(time, event) ~ group), as ecvkit_logrank
#   sort       sort(time), R's own floor
# on the bench's cohort: exponential times with mean 365 rounded to whole days, 70 % events,
# two groups. Timings depend on the machine and its load: compare ratios, not seconds.
suppressPackageStartupMessages(library(survival))

set.seed(1)
time_it <- function(f, reps) {
  median(vapply(seq_len(reps), function(i) system.time(f())[["elapsed"]], numeric(1)))
}
out <- list()
for (n in c(1e3, 1e5, 1e6)) {
  d <- data.frame(time = round(rexp(n, 1 / 365)), event = rbinom(n, 1, 0.7),
                  group = rbinom(n, 1, 0.5))
  reps <- if (n <= 1e3) 200 else if (n <= 1e5) 10 else 3
  per <- if (n <= 1e3) 50 else 1  # small n: time 50 calls at once (system.time is coarse)
  km <- function() for (i in seq_len(per)) {
    fit <- survfit(Surv(time, event) ~ 1, data = d)
    summary(fit)$table
  }
  lr <- function() for (i in seq_len(per)) survdiff(Surv(time, event) ~ group, data = d)
  srt <- function() for (i in seq_len(per)) sort(d$time)
  out[[length(out) + 1]] <- data.frame(
    n = n, survfit = sprintf("%.6g", time_it(km, reps) / per),
    survdiff = sprintf("%.6g", time_it(lr, reps) / per),
    sort = sprintf("%.6g", time_it(srt, reps) / per))
}
res <- do.call(rbind, out)
print(res)
write.csv(res, "tests/reference/survival_timing.csv", row.names = FALSE, quote = FALSE)
