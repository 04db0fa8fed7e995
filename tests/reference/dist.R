# Reference values for ecvkit::dist (tests/dist_vs_r.rs).
#
# Run from the repository root:  Rscript tests/reference/dist.R
# Writes tests/reference/dist.csv with columns fn,a,b,c,value: the ecvkit function name, its
# arguments in ecvkit's order (unused ones NA) and R's value, every number as sprintf("%.17g") so
# that nothing is lost (NA, Inf and -Inf as R spells them).
# Produced with R 4.2.2 (base stats only: pnorm, qnorm, dnorm, pchisq, pgamma, pt, qt, pf, qf,
# pbeta, lgamma, lbeta).
#
# The grid covers ordinary and extreme arguments: tails down to about 1e-300 (normal_sf(37),
# chisq_sf(1380, 1)), small (0.1) and large (to 1e6 for t, 1e8 for chi-square, shapes to 1e10
# for the incomplete gamma) degrees of freedom, non-integer degrees of freedom, p near 0 and 1.

num <- function(x) ifelse(is.na(x), "NA", ifelse(is.infinite(x), ifelse(x > 0, "Inf", "-Inf"),
                                              sprintf("%.17g", x)))
rows <- list()
add <- function(fn, a, b = NA, c = NA, value) {
  rows[[length(rows) + 1]] <<- data.frame(fn = fn, a = num(a), b = num(b), c = num(c),
                                          value = num(value), stringsAsFactors = FALSE)
}

# Normal.
xs <- c(0, 1e-300, 1e-10, 0.1, 0.5, 0.6744, 0.675, 1, 1.5, 2, 3, 4, 5, 5.6, 5.7, 6, 8, 10, 15,
        20, 25, 30, 35, 37, 37.5)
for (x in sort(unique(c(-xs, xs)))) {
  add("normal_pdf", x, value = dnorm(x))
  add("normal_cdf", x, value = pnorm(x))
  add("normal_sf", x, value = pnorm(x, lower.tail = FALSE))
}
ps <- c(0, 1e-300, 1e-200, 1e-100, 1e-50, 1e-20, 1e-10, 1e-5, 1e-3, 0.01, 0.025, 0.05, 0.075, 0.1,
        0.2, 0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9, 0.925, 0.95, 0.975, 0.99, 0.999,
        1 - 1e-5, 1 - 1e-10, 1 - 1e-15, 1)
for (p in ps) add("normal_quantile", p, value = qnorm(p))

# Incomplete gamma: P(a, x) = pgamma(x, a).
for (a in c(1e-3, 0.01, 0.1, 0.5, 0.9, 1, 1.5, 2.5, 5, 7.9, 8, 10, 30, 100, 1e3, 1e4, 1e5, 1e6,
           1e8, 1e10)) {
  x <- c(1e-10, 1e-3, 0.1, 0.5, 1, 2, 50, 100, 700, a * c(0.5, 0.9, 1, 1.1, 2),
         a + (-6:6) * sqrt(a))
  for (x in sort(unique(x[x > 0]))) {
    add("gamma_p", a, x, value = pgamma(x, a))
    add("gamma_q", a, x, value = pgamma(x, a, lower.tail = FALSE))
  }
}

# Chi-square (the log-rank and Wald p-values): pchisq(x, df).
for (df in c(0.1, 0.5, 1, 1.5, 2, 3, 4.7, 10, 30, 100, 1000, 1e4, 1e5, 2e6, 1e8)) {
  x <- c(1e-10, 1e-3, 0.1, 0.5, 1, 2, 3.84, 5, 10, 20, 50, 100, 200, 500, 1000, 1200, 1380,
         df * c(0.5, 0.9, 1, 1.1, 2))
  for (x in sort(unique(x))) {
    add("chisq_cdf", x, df, value = pchisq(x, df))
    add("chisq_sf", x, df, value = pchisq(x, df, lower.tail = FALSE))
  }
}

# Student t: pt(t, df), qt(p, df).
tdf <- c(0.1, 0.5, 1, 1.5, 2, 2.7, 3, 5, 10, 16.3, 30, 100, 1000, 1e4, 1e5, 3.9e5, 5e5, 1e6, Inf)
ts <- c(0, 1e-10, 0.1, 0.5, 1, 1.5, 2, 2.5, 3, 5, 10, 20, 50, 100, 1e3, 1e5, 1e10, 1e50, 1e100,
        1e149)
tps <- c(1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.01, 0.025, 0.05, 0.1, 0.25, 0.3, 0.4, 0.49,
         0.5, 0.51, 0.6, 0.75, 0.9, 0.95, 0.975, 0.99, 0.999, 1 - 1e-10, 1 - 1e-15)
for (df in tdf) {
  for (t in sort(unique(c(-ts, ts)))) {
    add("t_cdf", t, df, value = pt(t, df))
    add("t_sf", t, df, value = pt(t, df, lower.tail = FALSE))
  }
  for (p in tps) add("t_quantile", p, df, value = qt(p, df))
}

# F: pf(f, df1, df2), qf(p, df1, df2).
fdf <- c(0.5, 1, 2, 3.3, 5, 10, 30, 100, 1e3, 1e5, Inf)
fs <- c(1e-100, 1e-10, 1e-3, 0.1, 0.5, 0.9, 1, 1.1, 2, 3, 5, 10, 30, 100, 1e3, 1e10, 1e50)
fps <- c(1e-100, 1e-10, 1e-5, 0.001, 0.025, 0.05, 0.1, 0.5, 0.9, 0.95, 0.975, 0.999, 1 - 1e-10)
for (d1 in fdf) for (d2 in fdf) {
  for (f in fs) {
    add("f_cdf", f, d1, d2, value = pf(f, d1, d2))
    add("f_sf", f, d1, d2, value = pf(f, d1, d2, lower.tail = FALSE))
  }
  if (is.finite(d1) && is.finite(d2)) for (p in fps) add("f_quantile", p, d1, d2, value = qf(p, d1, d2))
}
# Where R's qf switches to a chi-square approximation (a df above 4e5): compared loosely.
for (p in c(0.025, 0.5, 0.975)) for (d in list(c(3, 1e6), c(1e6, 3))) {
  add("f_quantile_r_approx", p, d[1], d[2], value = qf(p, d[1], d[2]))
}

# Incomplete beta: I_x(a, b) = pbeta(x, a, b).
ab <- c(0.05, 0.5, 1, 2, 5, 7.9, 8, 8.5, 20, 100, 1e3, 1e4, 1e5)
for (a in ab) for (b in ab) {
  m <- a / (a + b)
  s <- sqrt(a * b / ((a + b)^2 * (a + b + 1)))
  x <- c(1e-300, 1e-100, 1e-10, 1e-3, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.999, 1 - 1e-10,
         m + (-4:4) * s)
  for (x in sort(unique(x[x > 0 & x < 1]))) add("beta_inc", a, b, x, value = pbeta(x, a, b))
}

# ln Gamma (away from its zeros at 1 and 2, where R's lgamma is only absolutely accurate) and
# ln Beta.
for (x in c(1e-300, 1e-10, 0.1, 0.5, 1.5, 2.5, 3.7, 10, 50.5, 100.2, 171.3, 1e3, 1e5, 1e10, 1e100,
            1e300, -0.5, -1.5, -10.3)) add("ln_gamma", x, value = lgamma(x))
for (a in c(1e-10, 0.3, 1, 2.5, 9.5, 10, 30, 1e3, 1e6)) for (b in c(0.3, 1, 2.5, 9.5, 10, 30, 1e3, 1e6)) {
  add("ln_beta", a, b, value = lbeta(a, b))
}

out <- do.call(rbind, rows)
write.csv(out, "tests/reference/dist.csv", row.names = FALSE, quote = FALSE)
cat(sprintf("wrote %d rows to tests/reference/dist.csv (%s)\n", nrow(out), R.version.string))
