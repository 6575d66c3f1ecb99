//! Page numbers for lists paginated in the database.

/// Where a list is, and how to link to its neighbours.
pub struct Pagination {
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
    /// The query string of the list without `page` (search, filters).
    pub base_query: String,
}

impl Pagination {
    /// `page` counts from 1; anything smaller is the first page.
    pub fn new(page: Option<i64>, per_page: i64, base_query: String) -> Pagination {
        Pagination {
            // Clamped so that no page number can overflow the offset.
            page: page.unwrap_or(1).clamp(1, 1_000_000),
            per_page,
            total: 0,
            base_query,
        }
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.per_page
    }

    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }

    pub fn first_shown(&self) -> i64 {
        if self.total == 0 {
            0
        } else {
            self.offset() + 1
        }
    }

    pub fn last_shown(&self) -> i64 {
        (self.offset() + self.per_page).min(self.total)
    }

    fn link(&self, page: i64) -> String {
        if self.base_query.is_empty() {
            format!("?page={page}")
        } else {
            format!("?{}&page={page}", self.base_query)
        }
    }

    pub fn previous(&self) -> Option<String> {
        (self.page > 1).then(|| self.link(self.page - 1))
    }

    pub fn next(&self) -> Option<String> {
        (self.page < self.pages()).then(|| self.link(self.page + 1))
    }
}

/// A query string from non-empty pairs, form-encoded.
pub fn query_string(pairs: &[(&str, &str)]) -> String {
    let kept: Vec<(&str, &str)> = pairs
        .iter()
        .copied()
        .filter(|(_, v)| !v.is_empty())
        .collect();
    serde_urlencoded::to_string(kept).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_link_to_their_neighbours_and_keep_the_filters() {
        let mut pagination =
            Pagination::new(Some(2), 25, query_string(&[("q", "ada"), ("space", "")]));
        pagination.total = 61;
        assert_eq!((pagination.offset(), pagination.pages()), (25, 3));
        assert_eq!(
            (pagination.first_shown(), pagination.last_shown()),
            (26, 50)
        );
        assert_eq!(pagination.previous().as_deref(), Some("?q=ada&page=1"));
        assert_eq!(pagination.next().as_deref(), Some("?q=ada&page=3"));

        let mut first = Pagination::new(Some(-4), 25, String::new());
        first.total = 0;
        assert_eq!(
            (first.page, first.pages(), first.first_shown()),
            (1, 1, 0),
            "nonsense pages clamp to the first"
        );
        assert_eq!((first.previous(), first.next()), (None, None));
        let far = Pagination::new(Some(i64::MAX), 25, String::new());
        assert_eq!(far.offset(), 24_999_975, "no overflow");
    }
}
