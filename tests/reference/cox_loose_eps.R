# Reference values for the fuzz regression cox_eps_46_stops_below_the_start
# (tests/fuzz_regressions.rs, issue 21): R's coxph on the cox fuzz target's input with a loose
# convergence tolerance stops one Newton step past the maximum, below the null log-likelihood,
# and calls it converged; with the default eps it reaches the maximum.
#
# Run from the repository root:   Rscript tests/reference/cox_loose_eps.R
# Written with R 4.2.2 Patched (2022-11-10 r83330), survival 3.5-3.
# Output: tests/reference/cox_loose_eps_data.csv (time, event, x)
#         tests/reference/cox_loose_eps.csv (one row per eps: coef, se, loglik at 0 and at the
#         end, iterations, likelihood-ratio statistic), numbers with sprintf("%.17g").
suppressPackageStartupMessages(library(survival))

out <- function(name) file.path("tests", "reference", name)
num <- function(x) sprintf("%.17g", x)

# The input, decoded from the fuzz target's bytes: n = 32, the selected column is 0 everywhere
# but row 22 (an event at t = 10.2599); rows 23-25 and 31-32 are censored.
time <- c(30.590956070792544, 10.609390190771391, 46.64085613380259, 2.2250738585072014e-308,
          32.62767225244428, 40.03532386562973, 10.670482849476851, 50.914006759345014,
          33.23485673053762, 57.311067299000776, 16.9711540304379, 23.00707319632209,
          42.42143642126211, 24.094865922432955, 56.57831672777539, 4.432197410105568,
          21.593861776873155, 17.367429341180394, 45.857049261663356, 2.220446049250313e-16,
          50.165152090262964, 10.25994600823447, 4.290526466209688, 23.765743135749982,
          10.455381822044243, 24.61188055285662, 42.06420788699416, 3.409863801819617,
          33.43536683410935, 35.87657202457587, 42.99113042053722, 41.23571049594377)
event <- c(rep(1, 22), 0, 0, 0, rep(1, 5), 0, 0)
x <- rep(0, 32)
x[22] <- 1
write.csv(data.frame(time = num(time), event = event, x = num(x)), out("cox_loose_eps_data.csv"),
          row.names = FALSE, quote = TRUE)

rows <- lapply(c(46, 0.5, 1e-9), function(eps) {
  f <- suppressWarnings(coxph(Surv(time, event) ~ x, control = coxph.control(eps = eps)))
  data.frame(eps = num(eps), coef = num(coef(f)), se = num(sqrt(f$var[1, 1])),
             loglik_null = num(f$loglik[1]), loglik = num(f$loglik[2]), iter = f$iter,
             lr = num(2 * diff(f$loglik)))
})
write.csv(do.call(rbind, rows), out("cox_loose_eps.csv"), row.names = FALSE, quote = TRUE)

# The subgroup interaction test (issue 21, found by a search over small random data sets): with
# eps = 0.05 the model with the group x subgroup product stops below the maximum of the model
# without it, which it nests, so the likelihood-ratio statistic of the interaction is negative.
# Output: tests/reference/cox_loose_eps_subgroup_data.csv (time, event, group, sub) and
#         tests/reference/cox_loose_eps_subgroup.csv (per eps: both log-likelihoods, LR).
sub_data <- data.frame(
  time = c(2, 4, 7, 5, 7, 6, 8, 5, 8, 7, 5, 3, 3, 4, 8, 5, 1, 1, 1, 9, 4, 3, 7, 6, 4, 3, 5),
  event = c(0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 0, 1, 0),
  group = c(0, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0),
  sub = c(0, 1, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0))
write.csv(sub_data, out("cox_loose_eps_subgroup_data.csv"), row.names = FALSE, quote = TRUE)
rows <- lapply(c(0.05, 1e-9), function(eps) {
  control <- coxph.control(eps = eps)
  reduced <- coxph(Surv(time, event) ~ group + factor(sub), data = sub_data, control = control)
  full <- coxph(Surv(time, event) ~ group * factor(sub), data = sub_data, control = control)
  data.frame(eps = num(eps), loglik_reduced = num(reduced$loglik[2]),
             loglik_full = num(full$loglik[2]), lr = num(2 * (full$loglik[2] - reduced$loglik[2])))
})
write.csv(do.call(rbind, rows), out("cox_loose_eps_subgroup.csv"), row.names = FALSE, quote = TRUE)
