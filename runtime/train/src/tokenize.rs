//! The WordPiece tokenizer, trained with exactly the settings of `models/train/train.py`:
//! NFKC, lower case, every digit mapped to `0`, BERT pre-tokenizer, 8,000 entries, minimum
//! frequency 3, `[PAD]` and `[UNK]` as the only special tokens, truncation at 256 tokens.

use tokenizers::decoders::wordpiece::WordPiece as WordPieceDecoder;
use tokenizers::models::TrainerWrapper;
use tokenizers::models::wordpiece::{WordPiece, WordPieceTrainer};
use tokenizers::normalizers::{Lowercase, NFKC, Replace, Sequence};
use tokenizers::pre_tokenizers::bert::BertPreTokenizer;
use tokenizers::{AddedToken, Tokenizer, TruncationParams};

use crate::error::{Error, Result};

/// Truncation length, as for the bundled models.
pub const MAX_LENGTH: usize = 256;

fn err(e: impl std::fmt::Display) -> Error {
    Error::Tokenizer(e.to_string())
}

/// Trains a tokenizer on `texts` with at most `vocab_size` entries.
pub fn train(texts: &[String], vocab_size: usize) -> Result<Tokenizer> {
    let model = WordPiece::builder()
        .unk_token("[UNK]".into())
        .max_input_chars_per_word(40)
        .build()
        .map_err(err)?;
    let mut tok = Tokenizer::new(model);
    // Digits collapse to 0: order and invoice numbers are random, their shape is what matters.
    tok.with_normalizer(Some(Sequence::new(vec![
        NFKC.into(),
        Lowercase.into(),
        Replace::new(
            tokenizers::normalizers::replace::ReplacePattern::Regex(r"\d".into()),
            "0",
        )
        .map_err(err)?
        .into(),
    ])))
    .map_err(err)?;
    tok.with_pre_tokenizer(Some(BertPreTokenizer));
    tok.with_decoder(Some(WordPieceDecoder::default()));
    let mut trainer: TrainerWrapper = WordPieceTrainer::builder()
        .vocab_size(vocab_size)
        .min_frequency(3)
        .special_tokens(vec![
            AddedToken::from("[PAD]", true),
            AddedToken::from("[UNK]", true),
        ])
        .show_progress(false)
        .build()
        .into();
    tok.train(&mut trainer, texts.iter()).map_err(err)?;
    tok.with_truncation(Some(TruncationParams {
        max_length: MAX_LENGTH,
        ..TruncationParams::default()
    }))
    .map_err(err)?;
    Ok(tok)
}

/// Loads a tokenizer from a model directory's `tokenizer.json` (e.g. a bundled model's, for
/// transfer) and truncates at [`MAX_LENGTH`] like a trained one, so that the written model
/// reads what it was fitted on.
pub fn load(path: &std::path::Path) -> Result<Tokenizer> {
    let mut tok = Tokenizer::from_file(path)
        .map_err(|e| Error::Tokenizer(format!("{}: {e}", path.display())))?;
    tok.with_truncation(Some(TruncationParams {
        max_length: MAX_LENGTH,
        ..TruncationParams::default()
    }))
    .map_err(err)?;
    Ok(tok)
}

/// Texts encoded per `encode_batch` call: an `Encoding` also holds token strings, offsets
/// and the truncated overflow, many times the size of its ids, so only this many exist at
/// once (the batch is still split over all cores).
const ENCODE_CHUNK: usize = 2048;

/// Token ids of each text (truncated like at inference).
pub fn encode(tok: &Tokenizer, texts: &[String]) -> Result<Vec<Vec<u32>>> {
    let mut ids = Vec::with_capacity(texts.len());
    for chunk in texts.chunks(ENCODE_CHUNK) {
        let refs: Vec<&str> = chunk.iter().map(String::as_str).collect();
        let encodings = tok.encode_batch(refs, false).map_err(err)?;
        ids.extend(encodings.into_iter().map(|e| e.get_ids().to_vec()));
    }
    Ok(ids)
}
