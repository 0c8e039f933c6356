//! Deterministic data-parallel loops over long `f64` vectors (the L-BFGS state).
//!
//! A vector is cut into fixed [`BLOCK`]-sized blocks whatever the number of threads; each
//! block is computed sequentially and block results come back in block order, so sums built
//! from them are the same to the last bit on one thread or many. Threads are scoped and
//! spawned per call: a call walks megabytes, the spawn costs microseconds.

use std::ops::Range;

/// Entries per block.
pub const BLOCK: usize = 1 << 14;

/// Calls `f(start, block)` on consecutive blocks of `v`, split over `threads`; returns each
/// block's result in block order.
pub fn blocks<T, F>(threads: usize, v: &mut [f64], f: F) -> Vec<T>
where
    T: Send + Copy + Default,
    F: Fn(usize, &mut [f64]) -> T + Sync,
{
    let nb = v.len().div_ceil(BLOCK);
    let mut out = vec![T::default(); nb];
    let per = nb.div_ceil(threads.max(1)).max(1);
    let run = |first: usize, vs: &mut [f64], os: &mut [T]| {
        for (i, (b, o)) in vs.chunks_mut(BLOCK).zip(os.iter_mut()).enumerate() {
            *o = f((first + i) * BLOCK, b);
        }
    };
    if threads <= 1 || nb <= 1 {
        run(0, v, &mut out);
        return out;
    }
    std::thread::scope(|s| {
        let mut parts = v
            .chunks_mut(per * BLOCK)
            .zip(out.chunks_mut(per))
            .enumerate();
        let (_, (v0, o0)) = parts.next().expect("at least one block");
        for (t, (vs, os)) in parts {
            let run = &run;
            s.spawn(move || run(t * per, vs, os));
        }
        run(0, v0, o0);
    });
    out
}

/// Calls `f(range)` on consecutive block ranges of `0..len`, split over `threads`; returns
/// each block's result in block order.
pub fn ranges<T, F>(threads: usize, len: usize, f: F) -> Vec<T>
where
    T: Send + Copy + Default,
    F: Fn(Range<usize>) -> T + Sync,
{
    let nb = len.div_ceil(BLOCK);
    let mut out = vec![T::default(); nb];
    let per = nb.div_ceil(threads.max(1)).max(1);
    let run = |first: usize, os: &mut [T]| {
        for (i, o) in os.iter_mut().enumerate() {
            let a = (first + i) * BLOCK;
            *o = f(a..(a + BLOCK).min(len));
        }
    };
    if threads <= 1 || nb <= 1 {
        run(0, &mut out);
        return out;
    }
    std::thread::scope(|s| {
        let mut parts = out.chunks_mut(per).enumerate();
        let (_, o0) = parts.next().expect("at least one block");
        for (t, os) in parts {
            let run = &run;
            s.spawn(move || run(t * per, os));
        }
        run(0, o0);
    });
    out
}

/// `a · b`.
pub fn dot(threads: usize, a: &[f64], b: &[f64]) -> f64 {
    ranges(threads, a.len(), |r| seq_dot(&a[r.clone()], &b[r]))
        .iter()
        .sum()
}

/// `a · b` on one thread (within a block).
pub fn seq_dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_do_not_depend_on_threads() {
        let a: Vec<f64> = (0..100_000).map(|i| (f64::from(i) * 0.37).sin()).collect();
        let b: Vec<f64> = (0..100_000).map(|i| (f64::from(i) * 0.11).cos()).collect();
        let one = dot(1, &a, &b);
        let plain: f64 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((one - plain).abs() < 1e-9, "{one} vs {plain}");
        for t in [2, 3, 7] {
            assert_eq!(dot(t, &a, &b).to_bits(), one.to_bits(), "{t} threads");
            let mut v = a.clone();
            let sums = blocks(t, &mut v, |start, blk| {
                blk.iter_mut().for_each(|x| *x *= 2.0);
                start as f64 + seq_dot(blk, blk)
            });
            assert_eq!(sums.len(), a.len().div_ceil(BLOCK));
            assert!(v.iter().zip(&a).all(|(x, y)| *x == 2.0 * y));
            let mut w = a.clone();
            assert_eq!(
                sums,
                blocks(1, &mut w, |start, blk| {
                    blk.iter_mut().for_each(|x| *x *= 2.0);
                    start as f64 + seq_dot(blk, blk)
                })
            );
        }
    }
}
