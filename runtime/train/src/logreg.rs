//! Multinomial logistic regression with an L2 penalty and sample weights, fitted by L-BFGS.
//!
//! Objective (scikit-learn's `LogisticRegression(C)` with `sample_weight`, divided by
//! `C · Σw`): the weighted mean cross-entropy `Σ wᵢ ℓᵢ / Σ w` plus `λ/2 · ‖W‖²` with
//! `λ = 1 / (C · Σw)`; the bias is not penalised. With every weight 1 this is the mean loss
//! with `λ = 1 / (C · n)`, as before weights existed. L-BFGS keeps the last [`MEMORY`] steps,
//! takes the two-loop direction and a backtracking (Armijo) line search; it stops when the
//! objective improves by less than `tol` relatively, or after `max_iter` steps.
//!
//! No gradient-norm stop: scikit-learn's (largest entry ≤ 1e-4) was measured and dropped. The
//! mean loss's gradient shrinks like 1/n, so from 10k tickets on a warm start from the
//! previous C already met it and whole C values of the grid were never fitted.
//!
//! # Speed
//!
//! An evaluation is two sparse products: logits `Z = XW` (rows split over threads by their
//! non-zeros) and the gradient `Xᵀ R` with `R` the weighted residuals. The second uses a
//! column-major copy of `X` built once per fit, so each thread owns a range of gradient rows:
//! no per-thread gradient copies. The line search evaluates the loss only; the gradient is
//! computed once a step is accepted. The L-BFGS vector work (the two-loop recursion over
//! `labels × (vocab + buckets)` parameters, half the time of a fit when measured on one
//! thread) runs over threads in fixed blocks (`par.rs`), each dot product fused into
//! the update before it. Every sum runs in the same order whatever the number of threads, so
//! a fit is deterministic and gives the same model on any machine. Everything is `f64`.

use std::collections::VecDeque;

use crate::features::Rows;
use crate::par::{self, seq_dot};

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
            .map(|d| {
                let mut z = vec![0.0; self.labels];
                row_logits(x, d, &self.weights, &self.bias, &mut z);
                z
            })
            .collect()
    }
}

/// `z = b + Σ v · W[c]` over the entries of row `d`.
fn row_logits(x: &Rows, d: usize, w: &[f64], b: &[f64], z: &mut [f64]) {
    let k = b.len();
    z.copy_from_slice(b);
    for (c, v) in x.row(d) {
        let v = f64::from(v);
        for (zj, wj) in z.iter_mut().zip(&w[c * k..c * k + k]) {
            *zj += v * wj;
        }
    }
}

/// Fitting knobs.
#[derive(Debug, Clone, Copy)]
pub struct Fit {
    /// L2 strength λ (`1 / (C · Σw)`).
    pub lambda: f64,
    /// Most L-BFGS iterations.
    pub max_iter: usize,
    /// Relative improvement below which it stops.
    pub tol: f64,
    /// Threads for the objective (0: as many as the machine has).
    pub threads: usize,
}

/// How a fit ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outcome {
    /// L-BFGS iterations taken.
    pub iterations: usize,
    /// Loss evaluations (line-search trials included).
    pub evaluations: usize,
}

/// Boundaries splitting `ptr`'s rows into `parts` ranges of about equal non-zeros.
fn split(ptr: &[usize], parts: usize) -> Vec<usize> {
    let rows = ptr.len() - 1;
    let nnz = ptr[rows];
    let mut cuts: Vec<usize> = (0..=parts)
        .map(|t| ptr.partition_point(|&p| p < nnz * t / parts).min(rows))
        .collect();
    cuts[0] = 0;
    cuts[parts] = rows;
    cuts.dedup();
    cuts
}

/// The data of one fit and its scratch space.
struct Problem<'a> {
    x: &'a Rows,
    /// `x` column-major: row `f` lists the documents that have feature `f`.
    xt: Rows,
    y: &'a [usize],
    /// Sample weights divided by their sum.
    w: Vec<f64>,
    k: usize,
    lambda: f64,
    threads: usize,
    row_cuts: Vec<usize>,
    col_cuts: Vec<usize>,
    /// Weighted residuals `wᵢ (pᵢ − yᵢ)` of the last loss evaluation, `[n, k]`.
    resid: Vec<f64>,
    /// Weighted loss per row of the last evaluation.
    losses: Vec<f64>,
}

impl<'a> Problem<'a> {
    fn new(model: &Model, x: &'a Rows, y: &'a [usize], weights: &[f64], opts: Fit) -> Self {
        let threads = if opts.threads == 0 {
            std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
        } else {
            opts.threads
        };
        let total: f64 = weights.iter().sum();
        let xt = x.transpose(model.width);
        Self {
            row_cuts: split(&x.ptr, threads),
            col_cuts: split(&xt.ptr, threads),
            x,
            xt,
            y,
            w: weights.iter().map(|v| v / total).collect(),
            k: model.labels,
            lambda: opts.lambda,
            threads,
            resid: vec![0.0; x.len() * model.labels],
            losses: vec![0.0; x.len()],
        }
    }

    /// Objective at `params` (weights then bias); keeps the residuals for [`Self::grad`].
    fn loss(&mut self, params: &[f64]) -> f64 {
        let k = self.k;
        let (wts, b) = params.split_at(params.len() - k);
        let (x, y, w) = (self.x, self.y, &self.w);
        std::thread::scope(|s| {
            let mut resid = self.resid.as_mut_slice();
            let mut losses = self.losses.as_mut_slice();
            for r in self.row_cuts.windows(2) {
                let (lo, hi) = (r[0], r[1]);
                let (rr, rest) = std::mem::take(&mut resid).split_at_mut((hi - lo) * k);
                resid = rest;
                let (ll, rest) = std::mem::take(&mut losses).split_at_mut(hi - lo);
                losses = rest;
                s.spawn(move || {
                    for (i, (z, l)) in rr.chunks_mut(k).zip(ll.iter_mut()).enumerate() {
                        let d = lo + i;
                        row_logits(x, d, wts, b, z);
                        let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                        let zy = z[y[d]];
                        let mut sum = 0.0;
                        for v in z.iter_mut() {
                            *v = (*v - max).exp();
                            sum += *v;
                        }
                        *l = w[d] * (sum.ln() + max - zy);
                        for v in z.iter_mut() {
                            *v = w[d] * *v / sum;
                        }
                        z[y[d]] -= w[d];
                    }
                });
            }
        });
        let data: f64 = self.losses.iter().sum();
        data + 0.5 * self.lambda * par::dot(self.threads, wts, wts)
    }

    /// Gradient at the `params` of the last [`Self::loss`] call.
    fn grad(&self, params: &[f64], g: &mut [f64]) {
        let k = self.k;
        let nw = params.len() - k;
        let (gw, gb) = g.split_at_mut(nw);
        let (resid, xt, lambda) = (&self.resid, &self.xt, self.lambda);
        std::thread::scope(|s| {
            let mut rest = gw;
            for r in self.col_cuts.windows(2) {
                let (lo, hi) = (r[0], r[1]);
                let (mine, tail) = std::mem::take(&mut rest).split_at_mut((hi - lo) * k);
                rest = tail;
                let wts = &params[lo * k..hi * k];
                s.spawn(move || {
                    for (i, (gf, wf)) in mine.chunks_mut(k).zip(wts.chunks(k)).enumerate() {
                        for (gj, wj) in gf.iter_mut().zip(wf) {
                            *gj = lambda * wj;
                        }
                        for (d, v) in xt.row(lo + i) {
                            let v = f64::from(v);
                            for (gj, rj) in gf.iter_mut().zip(&resid[d * k..d * k + k]) {
                                *gj += v * rj;
                            }
                        }
                    }
                });
            }
            debug_assert!(rest.is_empty(), "the cuts cover every feature");
        });
        gb.iter_mut().for_each(|v| *v = 0.0);
        for r in resid.chunks(k) {
            for (gj, rj) in gb.iter_mut().zip(r) {
                *gj += rj;
            }
        }
    }
}

/// One L-BFGS curvature pair.
struct Pair {
    /// Step `x₊ − x`.
    s: Vec<f64>,
    /// Gradient change `g₊ − g`.
    y: Vec<f64>,
    /// `1 / (s · y)`.
    rho: f64,
}

/// `q = H g` by the two-loop recursion over `hist` (oldest first) with `H₀ = gamma · I`;
/// each dot product is taken in the same pass as the update before it.
fn direction(threads: usize, hist: &VecDeque<Pair>, gamma: f64, g: &[f64], q: &mut [f64]) {
    let sum = |v: Vec<f64>| v.iter().sum::<f64>();
    let m = hist.len();
    let mut alpha = vec![0.0; m];
    let newest = hist.back().map(|p| p.s.as_slice());
    let mut sq = sum(par::blocks(threads, q, |o, b| {
        b.copy_from_slice(&g[o..o + b.len()]);
        newest.map_or(0.0, |s| seq_dot(&s[o..o + b.len()], b))
    }));
    for i in (0..m).rev() {
        alpha[i] = hist[i].rho * sq;
        let (a, y) = (alpha[i], &hist[i].y);
        let next = i.checked_sub(1).map(|j| hist[j].s.as_slice());
        sq = sum(par::blocks(threads, q, |o, b| {
            for (qj, yj) in b.iter_mut().zip(&y[o..]) {
                *qj -= a * yj;
            }
            next.map_or(0.0, |s| seq_dot(&s[o..o + b.len()], b))
        }));
    }
    let oldest = hist.front().map(|p| p.y.as_slice());
    let mut yq = sum(par::blocks(threads, q, |o, b| {
        b.iter_mut().for_each(|v| *v *= gamma);
        oldest.map_or(0.0, |y| seq_dot(&y[o..o + b.len()], b))
    }));
    for i in 0..m {
        let coef = alpha[i] - hist[i].rho * yq;
        let s = &hist[i].s;
        let next = hist.get(i + 1).map(|p| p.y.as_slice());
        yq = sum(par::blocks(threads, q, |o, b| {
            for (qj, sj) in b.iter_mut().zip(&s[o..]) {
                *qj += coef * sj;
            }
            next.map_or(0.0, |y| seq_dot(&y[o..o + b.len()], b))
        }));
    }
}

/// Fits `model` (its current weights are the starting point, for warm starts) to `x`, `y`
/// with one weight per row.
pub fn fit(model: &mut Model, x: &Rows, y: &[usize], weights: &[f64], opts: Fit) -> Outcome {
    let nw = model.width * model.labels;
    let mut prob = Problem::new(model, x, y, weights, opts);
    let threads = prob.threads;
    let mut p: Vec<f64> = model.weights.iter().chain(&model.bias).copied().collect();
    let mut g = vec![0.0; p.len()];
    let mut f = prob.loss(&p);
    prob.grad(&p, &mut g);
    let mut out = Outcome {
        iterations: 0,
        evaluations: 1,
    };
    let mut hist: VecDeque<Pair> = VecDeque::with_capacity(MEMORY);
    let mut gamma = 1.0;
    let mut g_new = vec![0.0; p.len()];
    let mut trial = vec![0.0; p.len()];
    let mut q = vec![0.0; p.len()];
    while out.iterations < opts.max_iter {
        out.iterations += 1;
        if hist.is_empty() {
            gamma = 1.0 / par::dot(threads, &g, &g).sqrt().max(1e-12);
        }
        // The direction is -q.
        direction(threads, &hist, gamma, &g, &mut q);
        let slope = -par::dot(threads, &q, &g);
        if slope >= 0.0 {
            // Not a descent direction (numerical trouble): restart from steepest descent.
            hist.clear();
            continue;
        }
        let mut step = 1.0;
        let f_new = loop {
            par::blocks(threads, &mut trial, |o, b| {
                for ((t, pi), qi) in b.iter_mut().zip(&p[o..]).zip(&q[o..]) {
                    *t = pi - step * qi;
                }
            });
            let fv = prob.loss(&trial);
            out.evaluations += 1;
            if fv <= f + 1e-4 * step * slope || step < 1e-10 {
                break fv;
            }
            step *= 0.5;
        };
        prob.grad(&trial, &mut g_new);
        // Reuse the oldest pair's buffers once the memory is full.
        let mut pair = if hist.len() == MEMORY {
            hist.pop_front().expect("memory is full")
        } else {
            Pair {
                s: vec![0.0; p.len()],
                y: vec![0.0; p.len()],
                rho: 0.0,
            }
        };
        par::blocks(threads, &mut pair.s, |o, b| {
            for ((si, a), c) in b.iter_mut().zip(&trial[o..]).zip(&p[o..]) {
                *si = a - c;
            }
        });
        let s = &pair.s;
        let dots: Vec<(f64, f64)> = par::blocks(threads, &mut pair.y, |o, b| {
            for ((yi, a), c) in b.iter_mut().zip(&g_new[o..]).zip(&g[o..]) {
                *yi = a - c;
            }
            (seq_dot(&s[o..o + b.len()], b), seq_dot(b, b))
        });
        let (sy, yy) = dots
            .iter()
            .fold((0.0, 0.0), |(a, b), (c, d)| (a + c, b + d));
        if sy > 1e-12 {
            pair.rho = 1.0 / sy;
            gamma = sy / yy;
            hist.push_back(pair);
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
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows with the given (column, value) entries.
    fn rows(docs: &[&[(u32, f32)]]) -> Rows {
        let mut r = Rows {
            ptr: vec![0],
            ..Rows::default()
        };
        for doc in docs {
            for &(c, v) in *doc {
                r.cols.push(c);
                r.vals.push(v);
            }
            r.ptr.push(r.cols.len());
        }
        r
    }

    fn opts(lambda: f64, threads: usize) -> Fit {
        Fit {
            lambda,
            max_iter: 200,
            tol: 1e-12,
            threads,
        }
    }

    /// Three tickets say label 0 and two say label 1 with the same (only) feature: unweighted
    /// the model predicts 0; weighting the two label-1 tickets ×3 flips it to 1.
    #[test]
    fn weights_decide_a_tie_break() {
        let same: &[(u32, f32)] = &[(0, 1.0)];
        let x = rows(&[same, same, same, same, same]);
        let y = [0, 0, 0, 1, 1];
        let predict = |weights: &[f64]| {
            let mut m = Model::zeros(1, 2);
            fit(&mut m, &x, &y, weights, opts(0.1, 1));
            let z = &m.logits(&rows(&[same]))[0];
            usize::from(z[1] > z[0])
        };
        assert_eq!(predict(&[1.0; 5]), 0);
        assert_eq!(predict(&[1.0, 1.0, 1.0, 3.0, 3.0]), 1);
    }

    /// A weight of 2 is the same objective as the ticket given twice.
    #[test]
    fn weight_two_equals_a_duplicate() {
        let a: &[(u32, f32)] = &[(0, 1.0), (2, 0.5)];
        let b: &[(u32, f32)] = &[(1, 1.0), (2, 0.5)];
        let c: &[(u32, f32)] = &[(2, 1.0)];
        let mut once = Model::zeros(3, 2);
        fit(
            &mut once,
            &rows(&[a, b, c]),
            &[0, 1, 1],
            &[1.0, 1.0, 2.0],
            opts(0.05, 1),
        );
        let mut twice = Model::zeros(3, 2);
        fit(
            &mut twice,
            &rows(&[a, b, c, c]),
            &[0, 1, 1, 1],
            &[1.0; 4],
            opts(0.05, 1),
        );
        for (u, v) in once.weights.iter().zip(&twice.weights) {
            assert!((u - v).abs() < 1e-6, "{u} vs {v}");
        }
    }

    /// The split over threads changes nothing: the same model to the last bit.
    #[test]
    fn threads_do_not_change_the_model() {
        let docs: Vec<Vec<(u32, f32)>> = (0..40u32)
            .map(|i| vec![(i % 7, 1.0), (7 + i % 5, 0.5), (12 + i % 3, 0.25)])
            .collect();
        let refs: Vec<&[(u32, f32)]> = docs.iter().map(Vec::as_slice).collect();
        let x = rows(&refs);
        let y: Vec<usize> = (0..40).map(|i| (i % 3) as usize).collect();
        let w: Vec<f64> = (0..40).map(|i| 1.0 + f64::from(i % 4)).collect();
        let mut one = Model::zeros(16, 3);
        let a = fit(&mut one, &x, &y, &w, opts(0.01, 1));
        let mut three = Model::zeros(16, 3);
        let b = fit(&mut three, &x, &y, &w, opts(0.01, 3));
        assert_eq!(a, b);
        assert_eq!(one.weights, three.weights);
        assert_eq!(one.bias, three.bias);
    }
}
