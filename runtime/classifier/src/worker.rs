//! Async front of a [`Classifier`]: inference runs on a dedicated thread so that it never
//! blocks the async executor, and requests that arrive while a forward pass is running are
//! merged into the next batch (one pass for many callers is much cheaper than many passes).

use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::{mpsc, oneshot};

use crate::classifier::{Classifier, ClassifierOptions};
use crate::error::{Error, Result};
use crate::predict::Prediction;

/// Requests waiting beyond this make callers wait in `send`, which bounds memory under load.
const QUEUE_DEPTH: usize = 1024;

struct Job {
    texts: Vec<String>,
    reply: oneshot::Sender<Result<Vec<Prediction>>>,
}

/// A cloneable handle to a classifier running on its own thread.
#[derive(Clone)]
pub struct AsyncClassifier {
    classifier: Arc<Classifier>,
    jobs: mpsc::Sender<Job>,
}

impl AsyncClassifier {
    /// Starts the worker thread for an already loaded classifier. The thread ends when the
    /// last handle is dropped.
    pub fn new(classifier: Classifier) -> Self {
        let classifier = Arc::new(classifier);
        let (jobs, rx) = mpsc::channel(QUEUE_DEPTH);
        let worker = Arc::clone(&classifier);
        std::thread::Builder::new()
            .name("triage-classify".into())
            .spawn(move || serve(&worker, rx))
            .expect("spawning a thread only fails when the OS is out of resources");
        Self { classifier, jobs }
    }

    /// Loads a model directory without blocking the executor, then starts the worker.
    pub async fn load(dir: impl Into<PathBuf>, options: ClassifierOptions) -> Result<Self> {
        let dir = dir.into();
        let classifier = tokio::task::spawn_blocking(move || Classifier::load(dir, options))
            .await
            .map_err(|e| Error::Inference(format!("loading task failed: {e}")))??;
        Ok(Self::new(classifier))
    }

    /// The underlying classifier (labels, options; synchronous calls are allowed too).
    pub fn classifier(&self) -> &Classifier {
        &self.classifier
    }

    /// Classifies one text.
    pub async fn classify(&self, text: impl Into<String>) -> Result<Prediction> {
        let mut out = self.classify_batch(vec![text.into()]).await?;
        out.pop().ok_or(Error::WorkerStopped)
    }

    /// Classifies texts; one prediction per text, in input order.
    pub async fn classify_batch(&self, texts: Vec<String>) -> Result<Vec<Prediction>> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job { texts, reply })
            .await
            .map_err(|_| Error::WorkerStopped)?;
        answer.await.map_err(|_| Error::WorkerStopped)?
    }
}

fn serve(classifier: &Classifier, mut rx: mpsc::Receiver<Job>) {
    let max_batch = classifier.options().max_batch.max(1);
    while let Some(first) = rx.blocking_recv() {
        let mut pending = first.texts.len();
        let mut jobs = vec![first];
        while pending < max_batch {
            match rx.try_recv() {
                Ok(job) => {
                    pending += job.texts.len();
                    jobs.push(job);
                }
                Err(_) => break,
            }
        }
        let texts: Vec<&str> = jobs
            .iter()
            .flat_map(|j| j.texts.iter().map(String::as_str))
            .collect();
        match classifier.classify_batch(&texts) {
            Ok(predictions) => {
                let mut predictions = predictions.into_iter();
                for job in jobs {
                    let mine = predictions.by_ref().take(job.texts.len()).collect();
                    // The caller may have given up waiting; that is not our error.
                    let _ = job.reply.send(Ok(mine));
                }
            }
            Err(e) => {
                let message = e.to_string();
                tracing::warn!(error = %message, texts = texts.len(), "classification failed");
                for job in jobs {
                    let _ = job.reply.send(Err(Error::Inference(message.clone())));
                }
            }
        }
    }
}
