# R's coxph time on the data of benches/cox.rs, for the bench's closing note.
#
# Run from the repository root:   Rscript tests/reference/cox_timing.R [reps]
# Written with R 4.2.2 Patched (2022-11-10 r83330), survival 3.5-3.
#
# The data are the bench's deterministic Weyl sequences: subject i = 1 … n, covariate j uniform
# on (-1, 1) as 2 frac(i frac(sqrt(prime_j))) - 1, log hazard 0.5 x1 - 0.3 x2, time in whole
# days ceiling(365 (-log u) exp(-eta)) with u = frac(i frac(sqrt(101))), event when
# frac(i frac(sqrt(103))) < 0.7. The IEEE products are the same in R and Rust; log/exp may
# differ in the last bit, which can move a rare day boundary: same data for timing purposes.
# Writes tests/reference/cox_timing.csv: n, p, median elapsed seconds of `reps` runs (default 3;
# 1 for n = 1e6), the log-likelihood (to check it is the bench's model) and the iterations.
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
reps <- if (length(args)) as.integer(args[1]) else 3L

weyl <- function(i, a) { x <- i * a; x - floor(x) }
irr <- function(k) { s <- sqrt(k); s - floor(s) }
primes <- c(2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71)

bench_data <- function(n, p) {
  i <- seq_len(n)
  x <- sapply(primes[seq_len(p)], function(q) 2 * weyl(i, irr(q)) - 1)
  colnames(x) <- paste0("x", seq_len(p))
  eta <- 0.5 * x[, 1] - 0.3 * x[, 2]
  u <- weyl(i, irr(101))
  d <- data.frame(time = ceiling(365 * -log(u) * exp(-eta)),
                  event = as.numeric(weyl(i, irr(103)) < 0.7))
  cbind(d, x)
}

rows <- list()
for (p in c(5, 20)) {
  for (n in c(1e3, 1e4, 1e5, 1e6)) {
    d <- bench_data(n, p)
    f <- as.formula(paste("Surv(time, event) ~", paste0("x", seq_len(p), collapse = " + ")))
    r <- if (n >= 1e6) 1L else reps
    secs <- numeric(r)
    for (k in seq_len(r)) {
      gc()
      secs[k] <- system.time(fit <- coxph(f, data = d, ties = "efron"))[["elapsed"]]
    }
    cat(sprintf("p = %d, n = %g: %.3f s (median of %d), loglik %.10g, iter %d\n", p, n,
                median(secs), r, fit$loglik[2], fit$iter))
    rows[[length(rows) + 1]] <- data.frame(n = n, p = p, seconds = median(secs), reps = r,
                                           loglik = sprintf("%.17g", fit$loglik[2]),
                                           iter = fit$iter)
  }
}
write.csv(do.call(rbind, rows), file.path("tests", "reference", "cox_timing.csv"),
          row.names = FALSE)
