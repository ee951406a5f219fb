//! How well a set of parameters predicts the reviews: log loss and
//! RMSE(bins) as the `fsrs` crate (and the srs-benchmark) compute them, and
//! AUC from each item's predicted probability of recall.

use std::collections::HashMap;

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
pub fn evaluate(
    parameters: &[f32],
    items: &[FSRSItem],
    card_ids: &[i64],
) -> Result<Metrics, OptimizeError> {
    let fsrs = FSRS::new(parameters)?;
    let evaluation = fsrs.evaluate_with_card_ids(items.to_vec(), card_ids.to_vec(), |_| true)?;
    let predictions = predictions(&fsrs, parameters, items, card_ids);
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
///
/// A card's items are prefixes of one history, so each card's memory
/// states are computed once, along its longest item, and every item reads
/// the state before its target from there: linear in the reviews, not in
/// the sum of the histories. An item that is not a prefix of its card's
/// longest one is computed on its own.
pub fn predictions(
    fsrs: &FSRS,
    parameters: &[f32],
    items: &[FSRSItem],
    card_ids: &[i64],
) -> Vec<f32> {
    let decay = parameters
        .get(20)
        .copied()
        .unwrap_or(fsrs::FSRS6_DEFAULT_DECAY);
    let mut longest: HashMap<i64, usize> = HashMap::new();
    for (i, card) in card_ids.iter().enumerate() {
        let entry = longest.entry(*card).or_insert(i);
        if items[i].reviews.len() > items[*entry].reviews.len() {
            *entry = i;
        }
    }
    let states: HashMap<i64, Vec<MemoryState>> = longest
        .iter()
        .filter_map(|(card, &i)| {
            let states = fsrs.historical_memory_states(items[i].clone(), None).ok()?;
            Some((*card, states))
        })
        .collect();
    let fallback = MemoryState {
        stability: 1.0,
        difficulty: 5.0,
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let Some((target, history)) = item.reviews.split_last() else {
                return 0.5;
            };
            let longest_item = card_ids.get(i).and_then(|card| longest.get(card));
            let is_prefix =
                longest_item.is_some_and(|&l| items[l].reviews.starts_with(&item.reviews));
            let from_card = card_ids
                .get(i)
                .and_then(|card| states.get(card))
                .and_then(|states| states.get(history.len().checked_sub(1)?))
                .filter(|_| is_prefix);
            let state = match from_card {
                Some(state) => *state,
                None => fsrs
                    .memory_state(
                        FSRSItem {
                            reviews: history.to_vec(),
                        },
                        None,
                    )
                    .unwrap_or(fallback),
            };
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
    fn predictions_along_a_card_match_predictions_item_by_item() {
        use fsrs::FSRSReview;
        let review = |rating, delta_t| FSRSReview { rating, delta_t };
        let full = [
            review(3, 0),
            review(3, 0),
            review(3, 2),
            review(1, 5),
            review(3, 1),
            review(4, 3),
        ];
        let items: Vec<FSRSItem> = [3, 4, 5, 6]
            .iter()
            .map(|&n| FSRSItem {
                reviews: full[..n].to_vec(),
            })
            .chain([FSRSItem {
                reviews: vec![review(2, 0), review(3, 4)],
            }])
            .collect();
        let parameters = fsrs::DEFAULT_PARAMETERS.to_vec();
        let fsrs = FSRS::new(&parameters).unwrap();
        let along = predictions(&fsrs, &parameters, &items, &[7, 7, 7, 7, 8]);
        let one_by_one: Vec<f32> = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                predictions(&fsrs, &parameters, std::slice::from_ref(item), &[i as i64])[0]
            })
            .collect();
        assert_eq!(along, one_by_one);
        // And against the crate's own state for one history.
        let state = fsrs
            .memory_state(
                FSRSItem {
                    reviews: full[..5].to_vec(),
                },
                None,
            )
            .unwrap();
        let expected = fsrs::current_retrievability(state, 3.0, parameters[20]);
        assert_eq!(along[3], expected);
    }

    #[test]
    fn auc_is_one_for_a_perfect_ranking_and_a_half_for_ties() {
        assert_eq!(
            auc(&[0.1, 0.2, 0.8, 0.9], &[false, false, true, true]),
            Some(1.0)
        );
        assert_eq!(
            auc(&[0.9, 0.8, 0.2, 0.1], &[false, false, true, true]),
            Some(0.0)
        );
        assert_eq!(
            auc(&[0.5, 0.5, 0.5, 0.5], &[false, true, false, true]),
            Some(0.5)
        );
        // One positive above one of two negatives.
        assert_eq!(auc(&[0.1, 0.5, 0.9], &[false, true, false]), Some(0.5));
        assert_eq!(auc(&[0.3, 0.4], &[true, true]), None);
    }
}
