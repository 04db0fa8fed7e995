# Reference values for ecvkit's Cox proportional hazards (tests/cox_vs_r.rs).
#
# Run from the repository root:   Rscript tests/reference/cox.R
# Written with R 4.2.2 Patched (2022-11-10 r83330), survival 3.5-3.
#
# For each model it writes the data the model was fitted on (tests/reference/cox_data_<model>.csv:
# time, event, stratum, weight, then the model columns in order) and R's numbers:
#   cox_coefficients.csv  one row per model, ties method and term: coef, se, HR, CI, z, p, var row
#   cox_tests.csv         one row per model and ties method: loglik, the three tests, iterations,
#                         concordance counts, C and its SE, and R's warning if any
#   cox_screen.csv        univariable screen (P < 0.1) and multivariable model on lung
#   cox_subgroup.csv      group effect per subgroup level and the interaction tests on lung
# Numbers with sprintf("%.17g") so that nothing is lost; NA as "NA".
suppressPackageStartupMessages(library(survival))

out <- function(name) file.path("tests", "reference", name)
num <- function(x) ifelse(is.na(x), "NA", sprintf("%.17g", x))

write_table <- function(df, file) {
  for (j in seq_along(df)) if (is.numeric(df[[j]])) df[[j]] <- num(df[[j]])
  write.csv(df, out(file), row.names = FALSE, quote = TRUE, na = "NA")
}

# ---- datasets -------------------------------------------------------------------------------
lung_cc <- na.omit(survival::lung[, c("time", "status", "age", "sex", "ph.ecog")])
vet <- survival::veteran
ov <- survival::ovarian

set.seed(20240611)
n_ties <- 300
ties <- data.frame(
  time = sample(1:8, n_ties, replace = TRUE),           # 8 distinct times: heavy ties
  event = rbinom(n_ties, 1, 0.7),
  x1 = round(rnorm(n_ties), 2),
  x2 = rbinom(n_ties, 1, 0.4),
  x3 = sample(0:2, n_ties, replace = TRUE),
  stratum = sample(1:3, n_ties, replace = TRUE),
  weight = round(runif(n_ties, 0.5, 2), 3)
)

models <- list(
  lung = list(
    data = data.frame(time = lung_cc$time, event = lung_cc$status - 1, stratum = 0, weight = 1,
                      age = lung_cc$age, sex = lung_cc$sex, ph.ecog = lung_cc$ph.ecog),
    formula = Surv(time, event) ~ age + sex + ph.ecog, weighted = FALSE),
  lung_strata = list(
    data = data.frame(time = lung_cc$time, event = lung_cc$status - 1, stratum = lung_cc$sex,
                      weight = 1, age = lung_cc$age, ph.ecog = lung_cc$ph.ecog),
    formula = Surv(time, event) ~ age + ph.ecog + strata(stratum), weighted = FALSE),
  veteran = list(
    data = data.frame(time = vet$time, event = vet$status, stratum = 0, weight = 1,
                      trt = vet$trt, karno = vet$karno,
                      smallcell = as.numeric(vet$celltype == "smallcell"),
                      adeno = as.numeric(vet$celltype == "adeno"),
                      large = as.numeric(vet$celltype == "large")),
    formula = Surv(time, event) ~ trt + karno + smallcell + adeno + large, weighted = FALSE),
  ovarian = list(
    data = data.frame(time = ov$futime, event = ov$fustat, stratum = 0, weight = 1,
                      age = ov$age, resid.ds = ov$resid.ds, rx = ov$rx, ecog.ps = ov$ecog.ps),
    formula = Surv(time, event) ~ age + resid.ds + rx + ecog.ps, weighted = FALSE),
  ties = list(
    data = data.frame(time = ties$time, event = ties$event, stratum = 0, weight = 1,
                      x1 = ties$x1, x2 = ties$x2, x3 = ties$x3),
    formula = Surv(time, event) ~ x1 + x2 + x3, weighted = FALSE),
  ties_weighted_strata = list(
    data = data.frame(time = ties$time, event = ties$event, stratum = ties$stratum,
                      weight = ties$weight, x1 = ties$x1, x2 = ties$x2, x3 = ties$x3),
    formula = Surv(time, event) ~ x1 + x2 + x3 + strata(stratum), weighted = TRUE)
)

# Times with floating-point noise (a third of them off by ~1e-10 relative): coxph's default
# timefix = TRUE ties them again, as ecvkit's TimeMatching::RTimefix does.
noisy <- models$ties$data
noisy$time <- noisy$time * (1 + ifelse(seq_len(n_ties) %% 3 == 0, 1e-10, 0)) / 7 * 7
models$timefix <- list(data = noisy, formula = Surv(time, event) ~ x1 + x2 + x3,
                       weighted = FALSE)

# Failure cases: R warns (monotone) or returns NA (collinear); ecvkit returns a status.
lung_mono <- models$lung$data
# A group of 12 subjects, all censored: its coefficient runs off to -infinity.
censored <- which(lung_mono$event == 0)
lung_mono$no_event_group <- as.numeric(seq_len(nrow(lung_mono)) %in% censored[1:12])
models$monotone <- list(
  data = lung_mono[, c("time", "event", "stratum", "weight", "age", "no_event_group")],
  formula = Surv(time, event) ~ age + no_event_group, weighted = FALSE)
lung_col <- models$lung$data
lung_col$age_months <- lung_col$age * 12 + 6
models$collinear <- list(
  data = lung_col[, c("time", "event", "stratum", "weight", "age", "sex", "age_months")],
  formula = Surv(time, event) ~ age + sex + age_months, weighted = FALSE)

coef_rows <- list()
test_rows <- list()
for (name in names(models)) {
  m <- models[[name]]
  write_table(m$data, paste0("cox_data_", name, ".csv"))
  for (ties_method in c("efron", "breslow")) {
    warn <- ""
    fit <- withCallingHandlers(
      # robust = FALSE: with non-integer weights coxph defaults to the robust (sandwich)
      # variance; ecvkit gives the model-based one (R's fit$naive.var), so ask R for that.
      if (m$weighted) coxph(m$formula, data = m$data, weights = weight, ties = ties_method,
                            robust = FALSE)
      else coxph(m$formula, data = m$data, ties = ties_method),
      warning = function(w) { warn <<- conditionMessage(w); invokeRestart("muffleWarning") })
    b <- coef(fit)
    v <- vcov(fit)
    se <- sqrt(diag(v))
    z <- qnorm(0.975)
    for (k in seq_along(b)) {
      row <- data.frame(model = name, ties = ties_method, term = names(b)[k], index = k - 1,
                        coef = b[k], se = se[k], hr = exp(b[k]),
                        lower = exp(b[k] - z * se[k]), upper = exp(b[k] + z * se[k]),
                        z = b[k] / se[k], p = 2 * pnorm(-abs(b[k] / se[k])))
      for (l in 0:5) row[[paste0("var", l)]] <- if (l < length(b)) v[k, l + 1] else NA
      coef_rows[[length(coef_rows) + 1]] <- row[, c("model", "ties", "term", "index", "coef", "se",
        "hr", "lower", "upper", "z", "p", paste0("var", 0:5))]
    }
    s <- summary(fit)
    cc <- fit$concordance
    test_rows[[length(test_rows) + 1]] <- data.frame(
      model = name, ties = ties_method, n = fit$n, nevent = fit$nevent, iter = fit$iter,
      loglik0 = fit$loglik[1], loglik1 = fit$loglik[2],
      lr = s$logtest["test"], lr_df = s$logtest["df"], lr_p = s$logtest["pvalue"],
      # summary() rounds the Wald statistic to 2 decimals: use the fit's own values.
      wald = fit$wald.test, wald_df = s$waldtest["df"],
      wald_p = pchisq(fit$wald.test, s$waldtest["df"], lower.tail = FALSE),
      score = fit$score, score_df = s$sctest["df"],
      score_p = pchisq(fit$score, s$sctest["df"], lower.tail = FALSE),
      concordant = cc["concordant"], discordant = cc["discordant"], tied_x = cc["tied.x"],
      tied_y = cc["tied.y"], tied_xy = cc["tied.xy"], concordance = cc["concordance"],
      concordance_se = cc["std"], na_coef = paste(which(is.na(b)) - 1, collapse = " "),
      warning = warn)
  }
}
write_table(do.call(rbind, coef_rows), "cox_coefficients.csv")
write_table(do.call(rbind, test_rows), "cox_tests.csv")

# ---- the paper's workflow on lung ----------------------------------------------------------
screen_cols <- c("age", "sex", "ph.ecog", "ph.karno", "pat.karno", "wt.loss", "meal.cal")
lung_screen <- na.omit(survival::lung[, c("time", "status", screen_cols)])
screen_data <- data.frame(time = lung_screen$time, event = lung_screen$status - 1, stratum = 0,
                          weight = 1, lung_screen[, screen_cols])
write_table(screen_data, "cox_data_screen.csv")
rows <- list()
kept <- character(0)
for (k in seq_along(screen_cols)) {
  f <- coxph(as.formula(paste("Surv(time, event) ~", screen_cols[k])), data = screen_data)
  b <- coef(f); se <- sqrt(diag(vcov(f))); p <- 2 * pnorm(-abs(b / se))
  if (p < 0.1) kept <- c(kept, screen_cols[k])
  rows[[k]] <- data.frame(stage = "univariable", term = screen_cols[k], index = k - 1, coef = b,
                          se = se, hr = exp(b), lower = exp(b - qnorm(0.975) * se),
                          upper = exp(b + qnorm(0.975) * se), p = p, selected = as.numeric(p < 0.1))
}
f <- coxph(as.formula(paste("Surv(time, event) ~", paste(kept, collapse = " + "))),
           data = screen_data)
b <- coef(f); se <- sqrt(diag(vcov(f))); p <- 2 * pnorm(-abs(b / se))
for (k in seq_along(b)) {
  rows[[length(rows) + 1]] <- data.frame(stage = "multivariable", term = names(b)[k],
    index = k - 1, coef = b[k], se = se[k], hr = exp(b[k]), lower = exp(b[k] - qnorm(0.975) * se[k]),
    upper = exp(b[k] + qnorm(0.975) * se[k]), p = p[k], selected = 1)
}
write_table(do.call(rbind, rows), "cox_screen.csv")

# Subgroup: group = ph.ecog >= 1, subgroup = sex (1 male, 2 female), on the lung data above.
sub_data <- data.frame(time = lung_cc$time, event = lung_cc$status - 1, stratum = 0, weight = 1,
                       group = as.numeric(lung_cc$ph.ecog >= 1), sex = lung_cc$sex,
                       agegroup = as.numeric(lung_cc$age >= 70) + as.numeric(lung_cc$age >= 60))
write_table(sub_data, "cox_data_subgroup.csv")
rows <- list()
for (sub in c("sex", "agegroup")) {
  one <- function(d, level) {
    f <- coxph(Surv(time, event) ~ group, data = d)
    b <- coef(f); se <- sqrt(diag(vcov(f)))
    data.frame(subgroup = sub, level = level, n = f$n, nevent = f$nevent, coef = b, se = se,
               hr = exp(b), lower = exp(b - qnorm(0.975) * se), upper = exp(b + qnorm(0.975) * se),
               p = 2 * pnorm(-abs(b / se)), wald = NA, wald_df = NA, wald_p = NA, lr = NA,
               lr_df = NA, lr_p = NA)
  }
  rows[[length(rows) + 1]] <- one(sub_data, NA)
  for (level in sort(unique(sub_data[[sub]]))) {
    rows[[length(rows) + 1]] <- one(sub_data[sub_data[[sub]] == level, ], level)
  }
  sub_data$f <- factor(sub_data[[sub]])
  reduced <- coxph(Surv(time, event) ~ group + f, data = sub_data)
  full <- coxph(Surv(time, event) ~ group + f + group:f, data = sub_data)
  prod <- grep(":", names(coef(full)))
  w <- survival:::coxph.wtest(vcov(full)[prod, prod, drop = FALSE], coef(full)[prod])
  lr <- anova(reduced, full)
  rows[[length(rows) + 1]] <- data.frame(subgroup = sub, level = NA, n = NA, nevent = NA,
    coef = NA, se = NA, hr = NA, lower = NA, upper = NA, p = NA,
    wald = unname(w$test), wald_df = length(prod),
    wald_p = unname(pchisq(w$test, length(prod), lower.tail = FALSE)),
    lr = lr$Chisq[2], lr_df = lr$Df[2], lr_p = lr[["Pr(>|Chi|)"]][2])
}
write_table(do.call(rbind, rows), "cox_subgroup.csv")
cat("wrote tests/reference/cox_*.csv\n")
