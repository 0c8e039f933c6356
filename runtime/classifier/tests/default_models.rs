//! The committed default models load and classify sensibly, in batches and one by one.

mod common;

use triage_classifier::{AsyncClassifier, Classifier, ClassifierOptions};

const QUEUES: [&str; 10] = [
    "Technical Support",
    "Product Support",
    "Customer Service",
    "IT Support",
    "Billing and Payments",
    "Returns and Exchanges",
    "Service Outages and Maintenance",
    "Sales and Pre-Sales",
    "Human Resources",
    "General Inquiry",
];

fn load(name: &str) -> Classifier {
    Classifier::load(common::model(name), ClassifierOptions::default())
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn queue_model_has_the_fixed_labels() {
    assert_eq!(load("queue").labels(), QUEUES);
    assert_eq!(
        load("priority").labels(),
        ["low", "medium", "high", "urgent"]
    );
}

#[test]
fn queue_model_recognises_obvious_tickets() {
    let c = load("queue");
    let cases = [
        (
            "Invoice charged twice\n\nHello, you charged my credit card twice for the March invoice. Please refund the duplicate payment.",
            "Billing and Payments",
        ),
        (
            "Rücksendung\n\nIch möchte die Schuhe zurückschicken, sie sind zu klein. Bitte senden Sie mir ein Retourenetikett.",
            "Returns and Exchanges",
        ),
        (
            "Urlaubsantrag\n\nHallo, ich möchte vom 3. bis 14. Juli Urlaub nehmen. Viele Grüße",
            "Human Resources",
        ),
        (
            "Quote for 200 licences\n\nWe are evaluating your product and would like a price offer for 200 users and a demo.",
            "Sales and Pre-Sales",
        ),
    ];
    let texts: Vec<&str> = cases.iter().map(|(t, _)| *t).collect();
    let got = c.classify_batch(&texts).unwrap();
    for ((text, want), p) in cases.iter().zip(&got) {
        assert_eq!(&p.label, want, "{text:?} → {p:?}");
        assert!(p.confidence > 0.0 && p.confidence <= 1.0);
        assert_eq!(p.top.len(), 3);
        assert_eq!(p.top[0].label, p.label);
    }
}

#[test]
fn batching_and_padding_do_not_change_results() {
    let c = load("priority");
    let long = "the whole platform is down ".repeat(200);
    let texts = [
        "URGENT: production is down, nobody can work!",
        "",
        "no rush, just a small question when you have time",
        long.as_str(),
        "x",
    ];
    let batched = c.logits_batch(&texts).unwrap();
    for (t, row) in texts.iter().zip(&batched) {
        let single = c.logits_batch(&[t]).unwrap().remove(0);
        let diff = row
            .iter()
            .zip(&single)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        // Reductions over differently shaped tensors round differently; nothing more.
        assert!(
            diff < 1e-4,
            "{t:?}: batched and single logits differ by {diff}"
        );
    }
}

#[test]
fn small_max_batch_splits_without_reordering() {
    let opts = ClassifierOptions {
        max_batch: 2,
        ..ClassifierOptions::default()
    };
    let c = Classifier::load(common::model("queue"), opts).unwrap_or_else(|e| panic!("{e}"));
    let texts = [
        "refund my payment please, the invoice is wrong",
        "my laptop password expired and the VPN does not connect",
        "I would like to return the jacket, wrong size",
        "Is your service down? Nobody can log in since 8am",
        "Bewerbung als Entwicklerin",
    ];
    let batched = c.classify_batch(&texts).unwrap();
    for (t, p) in texts.iter().zip(&batched) {
        let single = c.classify(t).unwrap();
        assert_eq!(single.label, p.label, "{t:?}");
        assert!((single.confidence - p.confidence).abs() < 1e-5, "{t:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn async_wrapper_matches_the_sync_classifier() {
    let svc = AsyncClassifier::load(common::model("queue"), ClassifierOptions::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let texts: Vec<String> = (0..40)
        .map(|i| format!("ticket {i}: the invoice {i} shows a wrong amount"))
        .collect();
    let handles: Vec<_> = texts
        .iter()
        .cloned()
        .map(|t| {
            let svc = svc.clone();
            tokio::spawn(async move { svc.classify(t).await })
        })
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let want = svc.classifier().classify_batch(&refs).unwrap();
    for (h, w) in handles.into_iter().zip(want) {
        let got = h.await.unwrap().unwrap();
        assert_eq!(got.label, w.label);
        assert!((got.confidence - w.confidence).abs() < 1e-5);
    }
    assert!(svc.classify_batch(Vec::new()).await.unwrap().is_empty());
}
