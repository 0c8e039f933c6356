//! Query strings, `page`/`per_page` validation and the `link: <…>; rel="next"` header.
//!
//! Freshdesk pages from 1, answers a bare array, and signals "there is more" only through the
//! `link` header, whose URL keeps the caller's other parameters: adapters follow it verbatim.

use url::form_urlencoded;

use super::api_error::{ApiError, FieldError};

/// Decoded query parameters, in order.
#[derive(Debug, Clone, Default)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    pub fn parse(raw: Option<&str>) -> Self {
        Self(
            raw.map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
                .unwrap_or_default(),
        )
    }

    /// The last value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// `invalid_field` errors for keys outside `allowed`.
    pub fn reject_unknown(&self, allowed: &[&str]) -> Result<(), ApiError> {
        let errors: Vec<FieldError> = self
            .0
            .iter()
            .filter(|(k, _)| !allowed.contains(&k.as_str()))
            .map(|(k, _)| FieldError::unexpected(k.clone()))
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(errors))
        }
    }

    /// The query string with `page` set to `page`.
    pub fn with_page(&self, page: u32) -> String {
        let mut ser = form_urlencoded::Serializer::new(String::new());
        let mut replaced = false;
        for (k, v) in &self.0 {
            if k == "page" {
                if !replaced {
                    ser.append_pair(k, &page.to_string());
                    replaced = true;
                }
            } else {
                ser.append_pair(k, v);
            }
        }
        if !replaced {
            ser.append_pair("page", &page.to_string());
        }
        ser.finish()
    }
}

/// A validated page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageReq {
    pub page: u32,
    pub per_page: u32,
}

impl PageReq {
    /// Index of the first item of this page.
    pub fn offset(&self) -> usize {
        (self.page as usize - 1) * self.per_page as usize
    }

    /// This page of `items` in `cmp` order, and whether more follow. Selects before it sorts,
    /// so a page costs O(n) plus sorting one page, not sorting the whole backlog.
    pub fn select<'a, T, F>(&self, items: &'a mut [T], cmp: F) -> (&'a [T], bool)
    where
        F: Fn(&T, &T) -> std::cmp::Ordering,
    {
        let len = items.len();
        let start = self.offset().min(len);
        let end = (start + self.per_page as usize).min(len);
        if end < len {
            items.select_nth_unstable_by(end, &cmp);
        }
        let head = &mut items[..end];
        if start > 0 && start < end {
            head.select_nth_unstable_by(start, &cmp);
        }
        head[start..].sort_unstable_by(&cmp);
        (&items[start..end], end < len)
    }

    /// This page's slice of `items`, and whether more follow.
    pub fn slice<'a, T>(&self, items: &'a [T]) -> (&'a [T], bool) {
        let start = self.offset().min(items.len());
        let end = (start + self.per_page as usize).min(items.len());
        (&items[start..end], end < items.len())
    }
}

fn positive(params: &Params, key: &str) -> Result<Option<u32>, ApiError> {
    match params.get(key) {
        None => Ok(None),
        Some(v) => match v.parse::<u32>() {
            Ok(n) if n >= 1 => Ok(Some(n)),
            _ => Err(ApiError::field(FieldError::invalid(
                key,
                "It should be a Positive Integer",
            ))),
        },
    }
}

/// `page` (from 1, at most `max_page`) and `per_page` (default 30, at most 100).
pub fn page_request(params: &Params, max_page: Option<u32>) -> Result<PageReq, ApiError> {
    let page = positive(params, "page")?.unwrap_or(1);
    let per_page = positive(params, "per_page")?.unwrap_or(30);
    if per_page > 100 {
        return Err(ApiError::field(FieldError::invalid(
            "per_page",
            "It should be a Positive Integer less than or equal to 100",
        )));
    }
    if let Some(max) = max_page
        && page > max
    {
        return Err(ApiError::field(FieldError::invalid(
            "page",
            format!(
                "You cannot access tickets beyond the {max}th page. Please provide a smaller page number."
            ),
        )));
    }
    Ok(PageReq { page, per_page })
}

/// The `link` header value pointing at the next page.
pub fn next_link(base_url: &str, path: &str, params: &Params, next_page: u32) -> String {
    format!(
        "<{base_url}{path}?{}>; rel=\"next\"",
        params.with_page(next_page)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_keeps_params_and_replaces_page() {
        let p = Params::parse(Some(
            "updated_since=2024-01-01T00%3A00%3A00Z&page=2&per_page=100",
        ));
        assert_eq!(
            next_link("http://h", "/api/v2/tickets", &p, 3),
            "<http://h/api/v2/tickets?updated_since=2024-01-01T00%3A00%3A00Z&page=3&per_page=100>; rel=\"next\""
        );
        let q = Params::parse(None);
        assert_eq!(q.with_page(2), "page=2");
    }

    #[test]
    fn select_matches_full_sort() {
        let mut items: Vec<u32> = (0..1000).map(|i| (i * 7919) % 1000).collect();
        let mut sorted = items.clone();
        sorted.sort_unstable();
        for (page, per_page) in [(1, 30), (2, 30), (34, 30), (10, 100), (11, 100)] {
            let req = PageReq { page, per_page };
            let (want, want_more) = req.slice(&sorted);
            let (got, more) = req.select(&mut items, |a, b| a.cmp(b));
            assert_eq!((got, more), (want, want_more), "{page}/{per_page}");
        }
    }

    #[test]
    fn page_cap_message() {
        let p = Params::parse(Some("page=301"));
        let ApiError::Validation(e) = page_request(&p, Some(300)).unwrap_err() else {
            panic!()
        };
        assert_eq!(
            e[0].message,
            "You cannot access tickets beyond the 300th page. Please provide a smaller page number."
        );
    }
}
