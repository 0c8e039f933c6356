//! The bag of features, exactly as `models/train/bagmodel.py` computes it and as the ONNX
//! graph does: subword unigram counts and hashed subword bigram counts (row
//! `vocab + (a · 1000003 + b) mod buckets`), each multiplied by its smoothed IDF
//! (`ln((1 + n) / (1 + df)) + 1`, scikit-learn's formula), the sum divided by
//! `max(sqrt(Σ count · idf²), 1e-6)`.

/// The bigram hash multiplier, shared with the graph.
pub const BIGRAM_PRIME: i64 = 1_000_003;

/// Sparse rows (CSR): document `d` has columns `cols[ptr[d]..ptr[d + 1]]` with `vals`.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    /// Row starts, one more than there are rows.
    pub ptr: Vec<usize>,
    /// Column of each entry.
    pub cols: Vec<u32>,
    /// Value of each entry.
    pub vals: Vec<f32>,
}

impl Rows {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.ptr.len().saturating_sub(1)
    }

    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Entries of row `d`.
    pub fn row(&self, d: usize) -> impl Iterator<Item = (usize, f32)> + '_ {
        let (a, b) = (self.ptr[d], self.ptr[d + 1]);
        self.cols[a..b]
            .iter()
            .zip(&self.vals[a..b])
            .map(|(&c, &v)| (c as usize, v))
    }

    /// The same matrix column-major for `width` columns: row `c` of the result lists
    /// (document, value) of column `c`, documents ascending.
    pub fn transpose(&self, width: usize) -> Rows {
        let mut ptr = vec![0usize; width + 1];
        for &c in &self.cols {
            ptr[c as usize + 1] += 1;
        }
        for i in 0..width {
            ptr[i + 1] += ptr[i];
        }
        let mut next = ptr[..width].to_vec();
        let mut cols = vec![0u32; self.cols.len()];
        let mut vals = vec![0f32; self.vals.len()];
        for d in 0..self.len() {
            for k in self.ptr[d]..self.ptr[d + 1] {
                let c = self.cols[k] as usize;
                cols[next[c]] = d as u32;
                vals[next[c]] = self.vals[k];
                next[c] += 1;
            }
        }
        Rows { ptr, cols, vals }
    }

    /// The rows at `idx`, in that order.
    pub fn select(&self, idx: &[usize]) -> Rows {
        let mut out = Rows {
            ptr: vec![0],
            ..Rows::default()
        };
        for &d in idx {
            let (a, b) = (self.ptr[d], self.ptr[d + 1]);
            out.cols.extend_from_slice(&self.cols[a..b]);
            out.vals.extend_from_slice(&self.vals[a..b]);
            out.ptr.push(out.cols.len());
        }
        out
    }
}

/// Row of the weight table for the bigram (a, b).
pub fn bigram_row(a: u32, b: u32, vocab: usize, buckets: usize) -> usize {
    vocab + ((i64::from(a) * BIGRAM_PRIME + i64::from(b)) % buckets as i64) as usize
}

/// Counts of unigram and bigram rows per document (duplicates merged, columns sorted).
pub fn counts(ids: &[Vec<u32>], vocab: usize, buckets: usize) -> Rows {
    let mut out = Rows {
        ptr: vec![0],
        ..Rows::default()
    };
    let mut cols: Vec<u32> = Vec::new();
    for doc in ids {
        cols.clear();
        cols.extend(doc.iter().copied());
        cols.extend(
            doc.windows(2)
                .map(|w| bigram_row(w[0], w[1], vocab, buckets) as u32),
        );
        cols.sort_unstable();
        let mut i = 0;
        while i < cols.len() {
            let mut j = i;
            while j < cols.len() && cols[j] == cols[i] {
                j += 1;
            }
            out.cols.push(cols[i]);
            out.vals.push((j - i) as f32);
            i = j;
        }
        out.ptr.push(out.cols.len());
    }
    out
}

/// Smoothed IDF of every row (`width` = vocab + buckets).
pub fn idf(counts: &Rows, width: usize) -> Vec<f32> {
    let mut df = vec![0u32; width];
    for &c in &counts.cols {
        df[c as usize] += 1;
    }
    let n = counts.len() as f64;
    df.iter()
        .map(|&d| (((1.0 + n) / (1.0 + f64::from(d))).ln() + 1.0) as f32)
        .collect()
}

/// What the graph computes before the linear layer, in place of the counts.
pub fn features(mut rows: Rows, idf: &[f32]) -> Rows {
    for d in 0..rows.len() {
        let (a, b) = (rows.ptr[d], rows.ptr[d + 1]);
        let sq: f64 = (a..b)
            .map(|k| f64::from(rows.vals[k]) * f64::from(idf[rows.cols[k] as usize]).powi(2))
            .sum();
        let norm = sq.sqrt().max(1e-6);
        for k in a..b {
            rows.vals[k] =
                (f64::from(rows.vals[k]) * f64::from(idf[rows.cols[k] as usize]) / norm) as f32;
        }
    }
    rows
}
