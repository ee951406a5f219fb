//! How well a set of parameters predicts the reviews: log loss and
//! RMSE(bins) as the `fsrs` crate (and the srs-benchmark) compute them, and
//! AUC from each item's predicted probability of recall.

use fsrs::{FSRS, FSRSItem, MemoryState};

use super::OptimizeError;

/// The three figures for one set of parameters.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Metrics {
    /// Mean cross-entropy of the predictions (weighted by recency, as the
    /// crate does); lower is better.
    pub log_loss: f64,
    /// Root mean square gap between predicted and actual recall over bins
    /// of similar reviews; lower is better.
    pub rmse_bins: f64,
    /// Probability that a recalled review got a higher prediction than a
    /// forgotten one; 0.5 is chance, higher is better. `None` when every
    /// target was recalled (or every one forgotten).
    pub auc: Option<f64>,
}

/// `parameters` judged on `items` (`card_ids` aligned with them).
pub fn evaluate(parameters: &[f32], items: &[FSRSItem], card_ids: &[i64]) -> Result<Metrics, OptimizeError> {
    let fsrs = FSRS::new(parameters)?;
    let evaluation =
        fsrs.evaluate_with_card_ids(items.to_vec(), card_ids.to_vec(), |_| true)?;
    let predictions = predictions(&fsrs, parameters, items);
    let labels: Vec<bool> = items.iter().map(recalled).collect();
    Ok(Metrics {
        log_loss: f64::from(evaluation.log_loss),
        rmse_bins: f64::from(evaluation.rmse_bins),
        auc: auc(&predictions, &labels),
    })
}

/// Whether the item's target review was a pass (Hard, Good or Easy).
pub fn recalled(item: &FSRSItem) -> bool {
    item.reviews.last().is_some_and(|r| r.rating > 1)
}

/// Each item's predicted probability of recall at its target review.
pub fn predictions(fsrs: &FSRS, parameters: &[f32], items: &[FSRSItem]) -> Vec<f32> {
    let decay = parameters.get(20).copied().unwrap_or(fsrs::FSRS6_DEFAULT_DECAY);
    items
        .iter()
        .map(|item| {
            let Some((target, history)) = item.reviews.split_last() else {
                return 0.5;
            };
            let state = fsrs
                .memory_state(
                    FSRSItem {
                        reviews: history.to_vec(),
                    },
                    None,
                )
                .unwrap_or(MemoryState {
                    stability: 1.0,
                    difficulty: 5.0,
                });
            fsrs::current_retrievability(state, target.delta_t as f32, decay)
        })
        .collect()
}

/// The area under the ROC curve (Mann-Whitney: ties count half).
pub fn auc(predictions: &[f32], labels: &[bool]) -> Option<f64> {
    let positives = labels.iter().filter(|&&l| l).count();
    let negatives = labels.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    let mut order: Vec<usize> = (0..predictions.len()).collect();
    order.sort_by(|&a, &b| predictions[a].total_cmp(&predictions[b]));
    // Average ranks (1-based) over runs of equal predictions.
    let mut rank_sum = 0.0;
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && predictions[order[end]] == predictions[order[start]] {
            end += 1;
        }
        let average = (start + 1 + end) as f64 / 2.0;
        let run_positives = order[start..end].iter().filter(|&&i| labels[i]).count();
        rank_sum += average * run_positives as f64;
        start = end;
    }
    let p = positives as f64;
    Some((rank_sum - p * (p + 1.0) / 2.0) / (p * negatives as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_is_one_for_a_perfect_ranking_and_a_half_for_ties() {
        assert_eq!(auc(&[0.1, 0.2, 0.8, 0.9], &[false, false, true, true]), Some(1.0));
        assert_eq!(auc(&[0.9, 0.8, 0.2, 0.1], &[false, false, true, true]), Some(0.0));
        assert_eq!(auc(&[0.5, 0.5, 0.5, 0.5], &[false, true, false, true]), Some(0.5));
        // One positive above one of two negatives.
        assert_eq!(auc(&[0.1, 0.5, 0.9], &[false, true, false]), Some(0.5));
        assert_eq!(auc(&[0.3, 0.4], &[true, true]), None);
    }
}
