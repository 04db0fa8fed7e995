//! Survival curves and group comparisons, agreeing with R's `survival` package to 1e-9.
//!
//! - [`KaplanMeier`] / [`kaplan_meier`]: the product-limit estimate with Greenwood's variance,
//!   R's `plain`, `log` (default) and `log-log` bands, the median and its CI by `print.survfit`'s
//!   rule, survival at a time, the restricted mean up to τ, and numbers at risk
//!   (`survfit`, `summary.survfit`).
//! - [`log_rank`]: K-group log-rank and Fleming–Harrington tests, stratified or not (`survdiff`).
//!
//! Conventions: a subject is a time (finite, ≥ 0) and an event
//! indicator (`u8`: 1 = event, 0 = censored). At a tied time, events happen before censorings
//! (a subject censored at t is in the risk set at t). Times are tied as R ties them
//! ([`TimeMatching::RTimefix`], R's `timefix = TRUE`) unless the caller asks for exact matching.
//!
//! Nothing allocates and nothing sorts the caller's arrays: every function copies (time, event,
//! group) pairs into caller scratch of 4n `u64` ([`km_scratch_len`], [`logrank_scratch_len`]) with the crate's
//! panic-free radix sort ([`crate::sort::sort_pairs_by`]). A [`SortedSurvival`] can be shared by a Kaplan-Meier
//! fit and an unstratified log-rank test ([`log_rank_sorted`]) to sort once.

mod kaplan_meier;
mod logrank;
mod risk_set;

/// The distribution functions this module needs.
mod dist {
    pub(crate) use crate::dist::{chisq_sf, normal_quantile};
}

pub use kaplan_meier::{
    kaplan_meier, km_rows_needed, km_scratch_len, ConfType, KaplanMeier, KmOptions, KmPoint, KmRow,
    KmRows, KmSummary, MedianSurvival, RestrictedMean,
};
pub use logrank::{
    log_rank, log_rank_sorted, logrank_scratch_len, Groups, LogRankOptions, LogRankOutput,
    LogRankTest, MAX_GROUPS,
};
pub use risk_set::{sorted_scratch_len, SortedSurvival, SurvivalData, TimeMatching};
