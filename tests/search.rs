//! The search syntax: every documented term, negation, `or`, parentheses,
//! case and accents, bad queries with their message and column; and
//! properties (negation is the complement, `or` the union, `and` the
//! intersection, any text parses or errors without a panic).

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use proptest::prelude::*;
use recall::deck::CardKey;
use recall::schedule::State;
use recall::search::{Facts, Query, fold, parse};

fn card(front: &str, back: &str) -> Facts {
    Facts {
        key: "aws-api-gateway/some-card".parse::<CardKey>().unwrap(),
        deck_id: "aws-api-gateway".into(),
        deck_name: fold("AWS API Gateway").into(),
        text: format!("{}\n{}", fold(front), fold(back)),
        tags: vec!["security".into(), "endpoints".into()],
        state: State::Review,
        due: None,
        due_days: Some(3),
        is_due: false,
        interval_days: Some(12.0),
        stability: Some(11.5),
        difficulty: Some(6.2),
        retrievability: Some(0.75),
        reviews: 9,
        lapses: 4,
        suspended: false,
        buried: false,
        leech: false,
        marked: false,
        rated_days_ago: Some(2),
    }
}

fn sample() -> Facts {
    card(
        "How do you secure an Édge endpoint?",
        "Use a Lambda authorizer or Cognito.",
    )
}

fn matches(query: &str, facts: &Facts) -> bool {
    parse(query)
        .unwrap_or_else(|e| panic!("{query}: {e}"))
        .matches(facts)
}

#[test]
fn words_match_front_or_back_ignoring_case_and_accents() {
    let facts = sample();
    for yes in [
        "",
        "secure",
        "SECURE",
        "edge",
        "édge",
        "EDGE lambda",
        "cognito",
        "\"an edge endpoint\"",
        "\"lambda   AUTHORIZER\"",
        "end", // a word matches inside words, as in Anki
    ] {
        assert!(matches(yes, &facts), "{yes:?} should match");
    }
    for no in ["secure dynamo", "\"edge an\"", "xyz", "\"endpoint use\""] {
        assert!(!matches(no, &facts), "{no:?} should not match");
    }
}

#[test]
fn deck_and_tag_match_with_wildcards() {
    let facts = sample();
    for yes in [
        "deck:aws-api-gateway",
        "deck:aws*",
        "deck:*gateway",
        "DECK:AWS*",
        "deck:\"aws api gateway\"", // the deck's name works too
        "tag:security",
        "tag:end*",
        "tag:*",
    ] {
        assert!(matches(yes, &facts), "{yes:?} should match");
    }
    for no in ["deck:aws", "deck:other*", "tag:secur", "tag:network"] {
        assert!(!matches(no, &facts), "{no:?} should not match");
    }
}

#[test]
fn is_terms_follow_state_and_flags() {
    let mut facts = sample();
    assert!(matches("is:review", &facts));
    assert!(!matches("is:new", &facts));
    assert!(!matches("is:learn", &facts));
    facts.state = State::Relearning;
    // Relearning counts as both, as in Anki.
    assert!(matches("is:learn", &facts) && matches("is:review", &facts));
    facts.state = State::New;
    assert!(matches("is:new", &facts));
    for (term, set) in [
        (
            "is:due",
            (|f: &mut Facts| f.is_due = true) as fn(&mut Facts),
        ),
        ("is:suspended", |f| f.suspended = true),
        ("is:buried", |f| f.buried = true),
        ("is:leech", |f| f.leech = true),
        ("is:marked", |f| f.marked = true),
    ] {
        let mut facts = sample();
        assert!(!matches(term, &facts), "{term} before");
        set(&mut facts);
        assert!(matches(term, &facts), "{term} after");
    }
}

#[test]
fn prop_terms_compare_numbers() {
    let facts = sample(); // ivl 12, due in 3, lapses 4, reps 9, r 0.75, s 11.5, d 6.2
    for yes in [
        "prop:ivl>=10",
        "prop:ivl=12",
        "prop:ivl<=12",
        "prop:lapses>3",
        "prop:due<4",
        "prop:due=3",
        "prop:due!=2",
        "prop:r<0.8",
        "prop:reps>8",
        "prop:s>11",
        "prop:d<7",
        "PROP:IVL>1",
    ] {
        assert!(matches(yes, &facts), "{yes:?} should match");
    }
    for no in ["prop:ivl>12", "prop:lapses>4", "prop:due<2", "prop:r>=0.8"] {
        assert!(!matches(no, &facts), "{no:?} should not match");
    }
    // A new card has no interval: no prop:ivl comparison matches it.
    let mut new = sample();
    new.interval_days = None;
    assert!(!matches("prop:ivl>=0", &new) && !matches("prop:ivl<1", &new));
}

#[test]
fn rated_counts_study_days_back_from_today() {
    let mut facts = sample();
    facts.rated_days_ago = Some(0);
    assert!(matches("rated:1", &facts));
    facts.rated_days_ago = Some(2);
    assert!(!matches("rated:2", &facts));
    assert!(matches("rated:3", &facts));
    facts.rated_days_ago = None;
    assert!(!matches("rated:365", &facts));
}

#[test]
fn negation_or_and_parentheses() {
    let facts = sample();
    assert!(!matches("-secure", &facts));
    assert!(matches("-tag:network", &facts));
    assert!(matches("dynamo or cognito", &facts));
    assert!(matches("dynamo OR cognito", &facts));
    assert!(!matches("dynamo or kinesis", &facts));
    // and binds tighter than or
    assert!(matches("dynamo kinesis or secure", &facts));
    assert!(!matches("dynamo (kinesis or secure)", &facts));
    assert!(matches("-(dynamo or kinesis)", &facts));
    assert!(matches("tag:security (is:new or prop:lapses>3)", &facts));
    assert_eq!(parse("  ").unwrap(), Query::All);
}

#[test]
fn bad_queries_point_at_the_bad_term() {
    let cases = [
        ("secure prop:ivl>>3", 8, "prop:ivl>>3", "not a number"),
        ("is:fresh", 1, "is:fresh", "unknown `is:`"),
        ("prop:size>3", 1, "prop:size>3", "unknown property `size`"),
        ("prop:ivl", 1, "prop:ivl", "needs a comparison"),
        ("tag:", 1, "tag:", "needs a value"),
        ("rated:0", 1, "rated:0", "from 1"),
        ("front:lambda", 1, "front:lambda", "unknown search `front:`"),
        ("a \"open phrase", 3, "\"open phrase", "not closed"),
        ("or a", 1, "or", "before it"),
        ("a or", 3, "or", "after it"),
        ("a or or b", 3, "or", "after it"),
        ("(a b", 1, "(", "not closed"),
        ("a b)", 4, ")", "closes nothing"),
        ("()", 1, "(", "empty parentheses"),
        ("\"\"", 1, "\"\"", "empty phrase"),
    ];
    for (query, column, term, message) in cases {
        let error = parse(query).expect_err(query);
        assert_eq!(error.column, column, "{query}: {error}");
        assert_eq!(error.term, term, "{query}: {error}");
        assert!(error.message.contains(message), "{query}: {error}");
        assert!(error.width >= 1);
    }
}

/// A small query language over a few words and terms, for properties.
fn query_text() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        Just("secure".to_owned()),
        Just("cognito".to_owned()),
        Just("dynamo".to_owned()),
        Just("tag:security".to_owned()),
        Just("deck:aws*".to_owned()),
        Just("is:review".to_owned()),
        Just("is:new".to_owned()),
        Just("prop:ivl>=10".to_owned()),
        Just("prop:r<0.5".to_owned()),
        Just("rated:1".to_owned()),
    ];
    atom.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(|q| format!("-({q})")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a}) ({b})")),
            (inner.clone(), inner).prop_map(|(a, b)| format!("({a}) or ({b})")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn negation_and_or_follow_logic(a in query_text(), b in query_text(), lapses in 0u32..10, new in any::<bool>()) {
        let mut facts = sample();
        facts.lapses = lapses;
        if new {
            facts.state = State::New;
            facts.interval_days = None;
            facts.retrievability = None;
        }
        let m = |q: &str| matches(q, &facts);
        prop_assert_eq!(m(&format!("-({a})")), !m(&a));
        prop_assert_eq!(m(&format!("({a}) or ({b})")), m(&a) || m(&b));
        prop_assert_eq!(m(&format!("({a}) ({b})")), m(&a) && m(&b));
    }

    #[test]
    fn any_text_parses_or_fails_with_a_column_inside_it(text in "\\PC{0,30}") {
        if let Err(error) = parse(&text) {
            prop_assert!(error.column >= 1);
            prop_assert!(error.column <= text.chars().count().max(1));
            prop_assert!(!error.message.is_empty());
        }
    }

    #[test]
    fn a_word_of_the_text_always_finds_it(front in "[a-zA-Zéèà ]{1,30}", pick in any::<prop::sample::Index>()) {
        let words: Vec<&str> = front.split_whitespace().collect();
        prop_assume!(!words.is_empty());
        let word = words[pick.index(words.len())];
        let facts = card(&front, "");
        let upper = word.to_uppercase();
        prop_assert!(matches(&upper, &facts), "{} in {}", upper, front);
    }
}
