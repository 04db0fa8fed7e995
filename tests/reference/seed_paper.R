# Independent R computation of the seed-paper pipeline on the shipped data, for
# tests/seed_paper_vs_r.rs.
#
# Run from the repository root:  Rscript tests/reference/seed_paper.R
# Writes tests/reference/seed_paper.csv (key,value; numbers as sprintf("%.17g"), NA as "NA").
# Written with R 4.2.2, survival 3.5-3, maxstat 0.7-25, psych 2.2.9.
#
# Inputs: examples/data/cohort.csv (clinical data, hematocrit, survival) and
# examples/data/measurements.csv (the per-reader ROI means the example's ROI step measured on its
# synthetic CT phantoms; tests/seed_paper_vs_r.rs checks the ROI step reproduces that file bit for
# bit). Everything below is plain R: reader averages, ECV, psych::ICC, cor.test, maxstat.test,
# survfit, survdiff, chisq.test/fisher.test/t.test/wilcox.test, coxph.
suppressPackageStartupMessages({
  library(survival)
  library(maxstat)
  library(psych)
})

cohort <- read.csv("examples/data/cohort.csv", stringsAsFactors = FALSE)
meas <- read.csv("examples/data/measurements.csv")

out_key <- character(0)
out_val <- numeric(0)
put <- function(k, v) {
  out_key <<- c(out_key, k)
  out_val <<- c(out_val, as.numeric(v))
}

# --- ECV from the readers' averaged HU (the paper: readers averaged, then the formula) ---------
hu_cols <- c("tumor_hu_unenhanced", "tumor_hu_equilibrium", "liver_hu_unenhanced",
             "liver_hu_equilibrium", "aorta_hu_unenhanced", "aorta_hu_equilibrium")
avg <- aggregate(meas[, hu_cols], by = list(id = meas$id), FUN = mean)
avg <- avg[match(cohort$id, avg$id), ]
d_blood <- avg$aorta_hu_equilibrium - avg$aorta_hu_unenhanced
cohort$tumor_ecv <- (1 - cohort$hematocrit) *
  (avg$tumor_hu_equilibrium - avg$tumor_hu_unenhanced) / d_blood
cohort$liver_ecv <- (1 - cohort$hematocrit) *
  (avg$liver_hu_equilibrium - avg$liver_hu_unenhanced) / d_blood
train <- cohort[cohort$cohort == "training", ]
valid <- cohort[cohort$cohort == "validation", ]

# --- ICC(A,1) = psych's ICC2, training cohort ---------------------------------------------------
train_ids <- train$id
for (s in c("tumor", "liver", "aorta")) {
  for (ph in c("unenhanced", "equilibrium")) {
    col <- paste0(s, "_hu_", ph)
    r1 <- meas[meas$reader == 1, ]
    r2 <- meas[meas$reader == 2, ]
    x <- cbind(r1[match(train_ids, r1$id), col], r2[match(train_ids, r2$id), col])
    res <- psych::ICC(x, lmer = FALSE)$results
    row <- res[res$type == "ICC2", ]
    k <- paste("icc", s, ph, sep = ".")
    put(paste0(k, ".icc"), row$ICC)
    put(paste0(k, ".lower"), row$`lower bound`)
    put(paste0(k, ".upper"), row$`upper bound`)
    put(paste0(k, ".f"), row$F)
    put(paste0(k, ".p"), row$p)
  }
}

# --- Spearman -----------------------------------------------------------------------------------
ct <- cor.test(train$tumor_ecv, train$liver_ecv, method = "spearman")
put("spearman.rho", ct$estimate)
put("spearman.p", ct$p.value)

# --- Cutoffs on OS ------------------------------------------------------------------------------
cutoff <- c()
for (m in c("tumor", "liver")) {
  x <- train[[paste0(m, "_ecv")]]
  f <- Surv(train$os_months, train$os_event) ~ x
  d <- data.frame(x = x, os_months = train$os_months, os_event = train$os_event)
  m92 <- maxstat.test(Surv(os_months, os_event) ~ x, data = d, smethod = "LogRank",
                      pmethod = "Lau92", minprop = 0.1, maxprop = 0.9)
  m94 <- maxstat.test(Surv(os_months, os_event) ~ x, data = d, smethod = "LogRank",
                      pmethod = "Lau94", minprop = 0.1, maxprop = 0.9)
  k <- paste0("cut.", m)
  put(paste0(k, ".maxstat.cutpoint"), m94$estimate)
  put(paste0(k, ".maxstat.statistic"), m94$statistic)
  put(paste0(k, ".maxstat.p_lau92"), m92$p.value)
  put(paste0(k, ".maxstat.p_lau94"), m94$p.value)
  put(paste0(k, ".maxstat.n_low"), sum(x <= m94$estimate))
  chisq <- sapply(m94$cuts, function(c) survdiff(Surv(os_months, os_event) ~ I(x <= c), data = d)$chisq)
  best <- which(chisq == max(chisq))[1]
  put(paste0(k, ".logrank.cutpoint"), m94$cuts[best])
  put(paste0(k, ".logrank.chisq"), chisq[best])
  cutoff[m] <- m94$estimate
}

# --- Per cohort ---------------------------------------------------------------------------------
binary <- c("sex_male", "hbv", "ici_pdl1", "tki", "tumor_number_gt3", "pvtt", "lymph_node",
            "bclc_c", "child_pugh_b", "ecog_ge1", "afp_ge400")
columns <- c("age", "sex_male", "bmi", "hbv", "ici_pdl1", "tki", "tumor_diameter_cm",
             "tumor_number_gt3", "pvtt", "lymph_node", "bclc_c", "child_pugh_b", "ecog_ge1",
             "nlr", "plr", "afp_ge400", "liver_ecv_higher", "tumor_ecv_higher")
median_iqr_cols <- c("tumor_diameter_cm", "nlr", "plr")

# A Cox fit, or NULL where ecvkit reports a failed fit (R only warns: monotone likelihood,
# no convergence).
safe_cox <- function(formula, data) {
  tryCatch(coxph(formula, data = data), warning = function(w) NULL)
}

km_median <- function(fit) {
  t <- summary(fit)$table
  c(t[["median"]], t[["0.95LCL"]], t[["0.95UCL"]])
}

analyse <- function(name, d) {
  d$age_model <- as.numeric(d$age >= 60)
  d$tumor_ecv_higher <- as.numeric(d$tumor_ecv > cutoff[["tumor"]])
  d$liver_ecv_higher <- as.numeric(d$liver_ecv > cutoff[["liver"]])
  model <- d
  model$age <- model$age_model
  for (e in c("pfs", "os")) {
    S <- Surv(d[[paste0(e, "_months")]], d[[paste0(e, "_event")]])
    k <- paste(name, "km", e, "all", sep = ".")
    v <- km_median(survfit(S ~ 1))
    put(paste0(k, ".median"), v[1]); put(paste0(k, ".lower"), v[2]); put(paste0(k, ".upper"), v[3])
    for (m in c("tumor", "liver")) {
      low <- d[[paste0(m, "_ecv")]] <= cutoff[[m]]
      k <- paste(name, m, e, sep = ".")
      sd <- survdiff(S ~ low)
      for (g in c("low", "high")) {
        sel <- if (g == "low") low else !low
        fit <- survfit(S[sel] ~ 1)
        v <- km_median(fit)
        put(paste0(k, ".", g, ".n"), sum(sel))
        put(paste0(k, ".", g, ".events"), sum(d[[paste0(e, "_event")]][sel]))
        put(paste0(k, ".", g, ".median"), v[1])
        put(paste0(k, ".", g, ".lower"), v[2])
        put(paste0(k, ".", g, ".upper"), v[3])
        # survdiff orders the groups FALSE (high), TRUE (low)
        put(paste0(k, ".", g, ".expected"), sd$exp[if (g == "low") 2 else 1])
      }
      put(paste0(k, ".chisq"), sd$chisq)
      put(paste0(k, ".p"), pchisq(sd$chisq, 1, lower.tail = FALSE))
    }
  }
  # Table 1 by tumor ECV group
  low <- d$tumor_ecv_higher == 0
  for (col in columns[1:16]) {
    k <- paste(name, "table1", col, sep = ".")
    x <- model[[col]]
    if (col == "bmi") {
      for (g in c("all", "low", "high")) {
        v <- if (g == "all") x else if (g == "low") x[low] else x[!low]
        put(paste0(k, ".", g, ".mean"), mean(v)); put(paste0(k, ".", g, ".sd"), sd(v))
      }
      put(paste0(k, ".p"), t.test(x[low], x[!low])$p.value)
    } else if (col %in% median_iqr_cols) {
      for (g in c("all", "low", "high")) {
        v <- if (g == "all") x else if (g == "low") x[low] else x[!low]
        q <- quantile(v, c(0.25, 0.5, 0.75), type = 7, names = FALSE)
        put(paste0(k, ".", g, ".median"), q[2]); put(paste0(k, ".", g, ".q1"), q[1])
        put(paste0(k, ".", g, ".q3"), q[3])
      }
      put(paste0(k, ".p"), wilcox.test(x[low], x[!low])$p.value)
    } else {
      put(paste0(k, ".all.n1"), sum(x == 1)); put(paste0(k, ".low.n1"), sum(x[low] == 1))
      put(paste0(k, ".high.n1"), sum(x[!low] == 1))
      tab <- matrix(c(sum(x[low] == 0), sum(x[!low] == 0), sum(x[low] == 1), sum(x[!low] == 1)),
                    2, byrow = TRUE)
      if (any(rowSums(tab) == 0) || any(colSums(tab) == 0)) {
        p <- NA
      } else {
        expected <- outer(rowSums(tab), colSums(tab)) / sum(tab)
        p <- if (min(expected) >= 5) chisq.test(tab, correct = FALSE)$p.value else fisher.test(tab)$p.value
      }
      put(paste0(k, ".p"), p)
    }
  }
  # Cox: univariable screen at P < 0.1, multivariable on the selected columns
  for (e in c("pfs", "os")) {
    S <- Surv(d[[paste0(e, "_months")]], d[[paste0(e, "_event")]])
    model$S <- S
    k <- paste(name, "cox", e, sep = ".")
    selected <- c()
    for (col in columns) {
      fit <- safe_cox(as.formula(paste("S ~", col)), model)
      kk <- paste0(k, ".uni.", col)
      if (is.null(fit)) {
        for (f in c("hr", "lower", "upper", "p")) put(paste0(kk, ".", f), NA)
        next
      }
      s <- summary(fit)
      put(paste0(kk, ".hr"), s$conf.int[1, 1]); put(paste0(kk, ".lower"), s$conf.int[1, 3])
      put(paste0(kk, ".upper"), s$conf.int[1, 4]); put(paste0(kk, ".p"), s$coefficients[1, 5])
      if (s$coefficients[1, 5] < 0.1) selected <- c(selected, col)
    }
    if (length(selected) > 0) {
      fit <- safe_cox(as.formula(paste("S ~", paste(selected, collapse = " + "))), model)
      for (i in seq_along(selected)) {
        kk <- paste0(k, ".multi.", selected[i])
        if (is.null(fit)) {
          for (f in c("hr", "lower", "upper", "p")) put(paste0(kk, ".", f), NA)
        } else {
          s <- summary(fit)
          put(paste0(kk, ".hr"), s$conf.int[i, 1]); put(paste0(kk, ".lower"), s$conf.int[i, 3])
          put(paste0(kk, ".upper"), s$conf.int[i, 4]); put(paste0(kk, ".p"), s$coefficients[i, 5])
        }
      }
    }
    put(paste0(k, ".multi.n_selected"), length(selected))
  }
  # Subgroups: HR of the tumor ECV group within each level of each binary column, and the
  # Wald p of the product term of Surv ~ group * factor(subgroup)
  for (e in c("pfs", "os")) {
    S <- Surv(d[[paste0(e, "_months")]], d[[paste0(e, "_event")]])
    model$S <- S
    for (col in c("age", binary, "liver_ecv_higher")) {
      k <- paste(name, "subgroup", e, col, sep = ".")
      for (l in sort(unique(model[[col]]))) {
        kk <- paste0(k, ".level", l)
        fit <- safe_cox(S ~ tumor_ecv_higher, model[model[[col]] == l, ])
        if (is.null(fit)) {
          for (f in c("n", "hr", "lower", "upper", "p")) put(paste0(kk, ".", f), NA)
          next
        }
        s <- summary(fit)
        put(paste0(kk, ".n"), fit$n)
        put(paste0(kk, ".hr"), s$conf.int[1, 1]); put(paste0(kk, ".lower"), s$conf.int[1, 3])
        put(paste0(kk, ".upper"), s$conf.int[1, 4]); put(paste0(kk, ".p"), s$coefficients[1, 5])
      }
      model$sub <- factor(model[[col]])
      fit <- safe_cox(S ~ tumor_ecv_higher * sub, model)
      p <- if (is.null(fit)) NA else {
        co <- summary(fit)$coefficients
        co[grep(":", rownames(co)), 5][1]
      }
      put(paste0(k, ".interaction_p"), p)
    }
  }
}

analyse("training", train)
analyse("validation", valid)

fmt <- ifelse(is.na(out_val), "NA", sprintf("%.17g", out_val))
writeLines(c("key,value", paste(out_key, fmt, sep = ",")), "tests/reference/seed_paper.csv")
cat("wrote tests/reference/seed_paper.csv:", length(out_key), "values\n")
