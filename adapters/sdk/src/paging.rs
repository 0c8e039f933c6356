//! Scans that page through a window keyed on a timestamp (`updated_at ≥ since`, oldest
//! first) and, when the system will not page deeper, start a new window at the newest
//! timestamp returned. The new window reads the tickets of that timestamp again; [`Tail`]
//! remembers which were returned so that none is returned twice.

use serde::{Deserialize, Serialize};

/// The newest timestamp returned so far and the ids returned with it. It travels in the
/// cursor; `#[serde(flatten)]` keeps its fields `tail` and `tail_ids` at the cursor's top level.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tail {
    /// The newest timestamp (in whatever unit the adapter keys on: seconds, milliseconds).
    #[serde(rename = "tail")]
    pub at: Option<i64>,
    /// The ids returned with exactly that timestamp.
    #[serde(rename = "tail_ids")]
    pub ids: Vec<u64>,
}

impl Tail {
    /// Takes one page (in timestamp order): returns the items not returned yet and remembers
    /// the newest timestamp with its ids. `key` gives an item's id and timestamp; an item
    /// without both is always returned.
    pub fn take<T>(&mut self, items: Vec<T>, key: impl Fn(&T) -> Option<(u64, i64)>) -> Vec<T> {
        let mut fresh = Vec::with_capacity(items.len());
        for item in items {
            if let Some((id, at)) = key(&item) {
                if Some(at) == self.at {
                    if self.ids.contains(&id) {
                        continue;
                    }
                    self.ids.push(id);
                } else if self.at.is_none_or(|t| at > t) {
                    self.at = Some(at);
                    self.ids = vec![id];
                }
            }
            fresh.push(item);
        }
        fresh
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn take(tail: &mut Tail, items: &[(u64, i64)]) -> Vec<u64> {
        tail.take(items.to_vec(), |&(id, at)| Some((id, at)))
            .into_iter()
            .map(|(id, _)| id)
            .collect()
    }

    #[test]
    fn a_new_window_skips_what_the_last_one_returned_at_its_newest_timestamp() {
        let mut tail = Tail::default();
        assert_eq!(take(&mut tail, &[(1, 10), (2, 20), (3, 20)]), [1, 2, 3]);
        assert_eq!((tail.at, tail.ids.clone()), (Some(20), vec![2, 3]));
        // The next window starts at 20 and reads 2 and 3 again.
        assert_eq!(
            take(&mut tail, &[(2, 20), (3, 20), (4, 20), (5, 30)]),
            [4, 5]
        );
        assert_eq!((tail.at, tail.ids.clone()), (Some(30), vec![5]));
        // Items without an id or a timestamp are returned and change nothing.
        let kept = tail.take(vec![None, Some((6, 40))], |x| *x);
        assert_eq!(kept, [None, Some((6, 40))]);
        assert_eq!(tail.at, Some(40));
    }

    #[test]
    fn flattened_fields_keep_their_cursor_names() {
        #[derive(Serialize, Deserialize, PartialEq, Debug)]
        struct Scan {
            since: i64,
            #[serde(flatten)]
            tail: Tail,
        }
        let s = Scan {
            since: 3,
            tail: Tail {
                at: Some(5),
                ids: vec![1, 2],
            },
        };
        let text = crate::cursor::encode(&s);
        assert_eq!(text, r#"{"since":3,"tail":5,"tail_ids":[1,2]}"#);
        assert_eq!(crate::cursor::decode::<Scan>(&text).unwrap(), s);
    }
}
