//! Confidence that means something: temperature scaling fitted on validation and expected
//! calibration error (per-label precision thresholds are in [`crate::precision`]).

/// Softmax of `logits / t`.
pub fn probs(logits: &[f64], t: f64) -> Vec<f64> {
    let max = logits.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e: Vec<f64> = logits.iter().map(|l| ((l - max) / t).exp()).collect();
    let s: f64 = e.iter().sum();
    e.into_iter().map(|v| v / s).collect()
}

fn nll(logits: &[Vec<f64>], y: &[usize], t: f64) -> f64 {
    logits
        .iter()
        .zip(y)
        .map(|(l, &c)| -probs(l, t)[c].max(1e-300).ln())
        .sum::<f64>()
        / logits.len().max(1) as f64
}

/// The temperature minimising validation log-loss: golden-section search over `ln t` in
/// [ln 0.05, ln 20] (the loss is unimodal in t).
pub fn fit_temperature(logits: &[Vec<f64>], y: &[usize]) -> f64 {
    let (mut a, mut b) = (0.05f64.ln(), 20f64.ln());
    let r = (5f64.sqrt() - 1.0) / 2.0;
    let f = |u: f64| nll(logits, y, u.exp());
    let (mut c, mut d) = (b - r * (b - a), a + r * (b - a));
    let (mut fc, mut fd) = (f(c), f(d));
    for _ in 0..60 {
        if fc < fd {
            b = d;
            d = c;
            fd = fc;
            c = b - r * (b - a);
            fc = f(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + r * (b - a);
            fd = f(d);
        }
    }
    ((a + b) / 2.0).exp()
}

/// Best label and its confidence at temperature `t`.
pub fn top(logits: &[f64], t: f64) -> (usize, f64) {
    let p = probs(logits, t);
    let mut best = 0;
    for (i, v) in p.iter().enumerate() {
        if *v > p[best] {
            best = i;
        }
    }
    (best, p[best])
}

/// Expected calibration error of the top label over `bins` equal-width confidence bins.
pub fn ece(logits: &[Vec<f64>], y: &[usize], t: f64, bins: usize) -> f64 {
    let mut conf = vec![0.0; bins];
    let mut right = vec![0.0; bins];
    let mut n = vec![0usize; bins];
    for (l, &c) in logits.iter().zip(y) {
        let (best, p) = top(l, t);
        let b = ((p * bins as f64) as usize).min(bins - 1);
        conf[b] += p;
        right[b] += if best == c { 1.0 } else { 0.0 };
        n[b] += 1;
    }
    let total = logits.len().max(1) as f64;
    (0..bins)
        .filter(|&b| n[b] > 0)
        .map(|b| (conf[b] - right[b]).abs() / total)
        .sum()
}
