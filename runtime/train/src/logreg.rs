//! Multinomial logistic regression with an L2 penalty and sample weights, fitted by L-BFGS.
//!
//! Objective (scikit-learn's `LogisticRegression(C)` with `sample_weight`, divided by
//! `C · Σw`): the weighted mean cross-entropy `Σ wᵢ ℓᵢ / Σ w` plus `λ/2 · ‖W‖²` with
//! `λ = 1 / (C · Σw)`; the bias is not penalised. With every weight 1 this is the mean loss
//! with `λ = 1 / (C · n)`. L-BFGS keeps the last [`MEMORY`] steps, takes the two-loop
//! direction and a backtracking (Armijo) line search; it stops when the largest gradient
//! entry is at most `gtol` (scikit-learn's `tol`, 1e-4, is the same test on the same
//! objective), when the objective improves by less than `tol` relatively, or after
//! `max_iter` steps.
//!
//! # Speed
//!
//! An evaluation is two sparse products: logits `Z = XW` (rows split over threads by their
//! non-zeros) and the gradient `Xᵀ R` with `R` the weighted residuals. The second uses a
//! column-major copy of `X` built once per fit, so each thread owns a range of gradient rows:
//! no per-thread gradient copies, and every sum runs in the same order whatever the number
//! of threads, so a fit is deterministic and gives the same model on any machine. The line
//! search evaluates the loss only; the gradient is computed once a step is accepted.
//! Everything is `f64`.

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
    /// Largest gradient entry at or below which it stops.
    pub gtol: f64,
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
    /// Largest gradient entry at the end.
    pub grad_max: f64,
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
        data + 0.5 * self.lambda * dot(wts, wts)
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

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn max_abs(a: &[f64]) -> f64 {
    a.iter().fold(0.0, |m, v| m.max(v.abs()))
}

/// Fits `model` (its current weights are the starting point, for warm starts) to `x`, `y`
/// with one weight per row.
pub fn fit(model: &mut Model, x: &Rows, y: &[usize], weights: &[f64], opts: Fit) -> Outcome {
    let nw = model.width * model.labels;
    let mut prob = Problem::new(model, x, y, weights, opts);
    let mut p: Vec<f64> = model.weights.iter().chain(&model.bias).copied().collect();
    let mut g = vec![0.0; p.len()];
    let mut f = prob.loss(&p);
    prob.grad(&p, &mut g);
    let mut out = Outcome {
        iterations: 0,
        evaluations: 1,
        grad_max: max_abs(&g),
    };
    let mut s_hist: Vec<Vec<f64>> = Vec::new();
    let mut y_hist: Vec<Vec<f64>> = Vec::new();
    let mut g_new = vec![0.0; p.len()];
    let mut trial = vec![0.0; p.len()];
    let mut q = vec![0.0; p.len()];
    while out.iterations < opts.max_iter && out.grad_max > opts.gtol {
        out.iterations += 1;
        // Two-loop recursion: q = H g; the direction is -q.
        q.copy_from_slice(&g);
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
        let slope = -dot(&q, &g);
        if slope >= 0.0 {
            // Not a descent direction (numerical trouble): restart from steepest descent.
            s_hist.clear();
            y_hist.clear();
            continue;
        }
        let mut step = 1.0;
        let f_new = loop {
            trial
                .iter_mut()
                .zip(&p)
                .zip(&q)
                .for_each(|((t, pi), qi)| *t = pi - step * qi);
            let fv = prob.loss(&trial);
            out.evaluations += 1;
            if fv <= f + 1e-4 * step * slope || step < 1e-10 {
                break fv;
            }
            step *= 0.5;
        };
        prob.grad(&trial, &mut g_new);
        // Reuse the oldest pair's buffers once the memory is full.
        let (mut s, mut yv) = if s_hist.len() == MEMORY {
            (s_hist.remove(0), y_hist.remove(0))
        } else {
            (vec![0.0; p.len()], vec![0.0; p.len()])
        };
        s.iter_mut()
            .zip(trial.iter().zip(&p))
            .for_each(|(si, (a, b))| *si = a - b);
        yv.iter_mut()
            .zip(g_new.iter().zip(&g))
            .for_each(|(yi, (a, b))| *yi = a - b);
        if dot(&s, &yv) > 1e-12 {
            s_hist.push(s);
            y_hist.push(yv);
        }
        let improved = f - f_new;
        std::mem::swap(&mut p, &mut trial);
        std::mem::swap(&mut g, &mut g_new);
        f = f_new;
        out.grad_max = max_abs(&g);
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
            gtol: 1e-8,
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
