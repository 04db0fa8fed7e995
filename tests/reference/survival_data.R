# The survival data sets shared by survival_km.R and survival_logrank.R (sourced by both; also
# writes tests/reference/survival_data.csv, the inputs the Rust tests read).
#
# Run from the repository root:  Rscript tests/reference/survival_km.R
#                                Rscript tests/reference/survival_logrank.R
# Made with R 4.2.2 Patched (2022-11-10 r83330) and survival 3.5-3.
#
# Columns: dataset, time, event (1 = event, 0 = censored), group (a two-level comparison, coded
# 0, 1), group_k (a K-level one, coded 0..K-1), stratum (coded 0..S-1).
suppressPackageStartupMessages(library(survival))

fmt <- function(x) {
  out <- sprintf("%.17g", x)
  out[is.na(x) & !is.nan(x)] <- "NA"
  out[is.nan(x)] <- "NA"
  out
}

make_sets <- function() {
  sets <- list()
  # lung: NCCTG advanced lung cancer (status 1 = censored, 2 = dead). The one subject with an
  # unknown ph.ecog is left out so that every grouping is defined.
  l <- lung[!is.na(lung$ph.ecog), ]
  sets$lung <- data.frame(time = l$time, event = l$status - 1, group = l$sex - 1,
                          group_k = l$ph.ecog, stratum = l$ph.ecog)
  # veteran: VA lung cancer trial; trt 1/2, celltype 4 levels.
  v <- veteran
  sets$veteran <- data.frame(time = v$time, event = v$status, group = v$trt - 1,
                             group_k = as.integer(v$celltype) - 1,
                             stratum = as.integer(v$celltype) - 1)
  # ovarian: rx 1/2, ecog.ps 1/2, resid.ds 1/2.
  o <- ovarian
  sets$ovarian <- data.frame(time = o$futime, event = o$fustat, group = o$rx - 1,
                             group_k = o$ecog.ps - 1, stratum = o$resid.ds - 1)
  # aml: maintained vs not; one stratum.
  a <- aml
  sets$aml <- data.frame(time = a$time, event = a$status, group = as.integer(a$x) - 1,
                         group_k = as.integer(a$x) - 1, stratum = 0)
  # tied: synthetic, heavily tied (whole months 0..30, about 17 subjects per time), with a
  # fifth of the times moved by a relative 1e-12 either way and two zeros by an absolute 1e-9,
  # the floating-point noise R's timefix merges into one time (whose value is the smallest);
  # five groups whose labels are in scrambled order.
  set.seed(20240607)
  n <- 500
  time <- as.numeric(sample(0:30, n, replace = TRUE))
  noisy <- sample(n, n / 5)
  time[noisy] <- time[noisy] * (1 + sample(c(-1, 1), length(noisy), TRUE) * 1e-12)
  time[which(time == 0)[1:2]] <- 1e-9
  sets$tied <- data.frame(time = time, event = rbinom(n, 1, 0.65),
                          group = rbinom(n, 1, 0.5), group_k = sample(c(3, 0, 4, 1, 2), n, TRUE),
                          stratum = sample(0:2, n, TRUE))
  # half: eight deaths at 1..8, so S(4) = 0.5 exactly and the curve drops at 5: median
  # (4 + 5) / 2 = 4.5; each `group` curve also sits at 0.5 (t = 3 and t = 4).
  sets$half <- data.frame(time = 1:8, event = 1, group = rep(0:1, 4), group_k = rep(0:1, 4),
                          stratum = 0)
  sets
}

survival_sets <- make_sets()

write_survival_data <- function(path = "tests/reference/survival_data.csv") {
  rows <- do.call(rbind, lapply(names(survival_sets), function(name) {
    d <- survival_sets[[name]]
    data.frame(dataset = name, time = fmt(d$time), event = d$event, group = d$group,
               group_k = d$group_k, stratum = d$stratum)
  }))
  write.csv(rows, path, row.names = FALSE, quote = FALSE)
}
