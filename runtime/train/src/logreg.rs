//! Multinomial logistic regression with an L2 penalty, fitted by L-BFGS.
//!
//! Objective (scikit-learn's `LogisticRegression(C)` divided by `C · n`): mean cross-entropy
//! plus `λ/2 · ‖W‖²` with `λ = 1 / (C · n)`; the bias is not penalised. L-BFGS keeps the last
//! [`MEMORY`] steps, takes the two-loop direction and a backtracking (Armijo) line search; it
//! stops when the objective improves by less than `tol` relatively or after `max_iter` steps.
//! Everything is `f64` and single-threaded, so a run is deterministic.

use crate::features::Rows;

/// L-BFGS history length.
const MEMORY: usize = 10;

/// Weights `[features, labels]` row-major, and one bias per label.
#[derive(Debug, Clone)]
pub struct Model {
    /// Number of feature rows.
    pub width: usize,
    /// Number of labels.
    pub labels: usize,
    /// `weights[f * labels + k]`.
    pub weights: Vec<f64>,
    /// Per label.
    pub bias: Vec<f64>,
}

impl Model {
    /// All zeros.
    pub fn zeros(width: usize, labels: usize) -> Self {
        Self {
            width,
            labels,
            weights: vec![0.0; width * labels],
            bias: vec![0.0; labels],
        }
    }

    /// Logits of every row.
    pub fn logits(&self, x: &Rows) -> Vec<Vec<f64>> {
        (0..x.len())
            .map(|d| self.row_logits(x, d, &self.weights, &self.bias))
            .collect()
    }

    fn row_logits(&self, x: &Rows, d: usize, w: &[f64], b: &[f64]) -> Vec<f64> {
        let k = self.labels;
        let mut z = b.to_vec();
        for (c, v) in x.row(d) {
            let v = f64::from(v);
            for (zj, wj) in z.iter_mut().zip(&w[c * k..c * k + k]) {
                *zj += v * wj;
            }
        }
        z
    }
}

/// Fitting knobs.
#[derive(Debug, Clone, Copy)]
pub struct Fit {
    /// L2 strength λ.
    pub lambda: f64,
    /// Most L-BFGS iterations.
    pub max_iter: usize,
    /// Relative improvement below which it stops.
    pub tol: f64,
}

/// Objective and gradient at `params` (weights then bias).
fn objective(
    model: &Model,
    x: &Rows,
    y: &[usize],
    lambda: f64,
    params: &[f64],
    grad: &mut [f64],
) -> f64 {
    let k = model.labels;
    let nw = model.width * k;
    let (w, b) = params.split_at(nw);
    grad.iter_mut().for_each(|g| *g = 0.0);
    let n = x.len() as f64;
    let mut loss = 0.0;
    for d in 0..x.len() {
        let z = model.row_logits(x, d, w, b);
        let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let exps: Vec<f64> = z.iter().map(|v| (v - max).exp()).collect();
        let sum: f64 = exps.iter().sum();
        loss += sum.ln() + max - z[y[d]];
        let resid: Vec<f64> = exps
            .iter()
            .enumerate()
            .map(|(j, e)| (e / sum - if j == y[d] { 1.0 } else { 0.0 }) / n)
            .collect();
        for (c, v) in x.row(d) {
            let v = f64::from(v);
            for (g, r) in grad[c * k..c * k + k].iter_mut().zip(&resid) {
                *g += v * r;
            }
        }
        for (g, r) in grad[nw..].iter_mut().zip(&resid) {
            *g += r;
        }
    }
    let mut reg = 0.0;
    for (g, wv) in grad[..nw].iter_mut().zip(w) {
        *g += lambda * wv;
        reg += wv * wv;
    }
    loss / n + 0.5 * lambda * reg
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Fits `model` (its current weights are the starting point, for warm starts) to `x`, `y`;
/// returns the iterations taken.
pub fn fit(model: &mut Model, x: &Rows, y: &[usize], opts: Fit) -> usize {
    let nw = model.width * model.labels;
    let mut p: Vec<f64> = model.weights.iter().chain(&model.bias).copied().collect();
    let mut g = vec![0.0; p.len()];
    let mut f = objective(model, x, y, opts.lambda, &p, &mut g);
    let mut s_hist: Vec<Vec<f64>> = Vec::new();
    let mut y_hist: Vec<Vec<f64>> = Vec::new();
    let mut g_new = vec![0.0; p.len()];
    let mut iterations = 0;
    for _ in 0..opts.max_iter {
        iterations += 1;
        // Two-loop recursion: direction = -H g.
        let mut q = g.clone();
        let mut alphas = Vec::with_capacity(s_hist.len());
        for (s, yv) in s_hist.iter().zip(&y_hist).rev() {
            let rho = 1.0 / dot(yv, s);
            let a = rho * dot(s, &q);
            q.iter_mut().zip(yv).for_each(|(qi, yi)| *qi -= a * yi);
            alphas.push((a, rho));
        }
        let gamma = match (s_hist.last(), y_hist.last()) {
            (Some(s), Some(yv)) => dot(s, yv) / dot(yv, yv),
            _ => 1.0 / dot(&g, &g).sqrt().max(1e-12),
        };
        q.iter_mut().for_each(|v| *v *= gamma);
        for ((s, yv), (a, rho)) in s_hist.iter().zip(&y_hist).zip(alphas.into_iter().rev()) {
            let bta = rho * dot(yv, &q);
            q.iter_mut()
                .zip(s)
                .for_each(|(qi, si)| *qi += (a - bta) * si);
        }
        let dir: Vec<f64> = q.iter().map(|v| -v).collect();
        let slope = dot(&dir, &g);
        if slope >= 0.0 {
            // Not a descent direction (numerical trouble): restart from steepest descent.
            s_hist.clear();
            y_hist.clear();
            continue;
        }
        let mut step = 1.0;
        let mut trial = vec![0.0; p.len()];
        let f_new = loop {
            trial
                .iter_mut()
                .zip(&p)
                .zip(&dir)
                .for_each(|((t, pi), di)| *t = pi + step * di);
            let fv = objective(model, x, y, opts.lambda, &trial, &mut g_new);
            if fv <= f + 1e-4 * step * slope || step < 1e-10 {
                break fv;
            }
            step *= 0.5;
        };
        let s: Vec<f64> = trial.iter().zip(&p).map(|(a, b)| a - b).collect();
        let yv: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
        if dot(&s, &yv) > 1e-12 {
            if s_hist.len() == MEMORY {
                s_hist.remove(0);
                y_hist.remove(0);
            }
            s_hist.push(s);
            y_hist.push(yv);
        }
        let improved = f - f_new;
        std::mem::swap(&mut p, &mut trial);
        std::mem::swap(&mut g, &mut g_new);
        f = f_new;
        if improved.abs() <= opts.tol * f.abs().max(1e-12) {
            break;
        }
    }
    model.weights.copy_from_slice(&p[..nw]);
    model.bias.copy_from_slice(&p[nw..]);
    iterations
}
