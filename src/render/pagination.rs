//! How a list of articles is split into pages so that publishing an article changes few of them.
//!
//! A list's first URL (`/`, `/tags/x/`) shows its newest `paginate_by` articles. The numbered
//! pages are counted from the oldest: `/page/1/` holds the oldest `paginate_by` articles,
//! `/page/2/` the next, and the newest numbered page is the only one not yet full. A new article
//! therefore changes the first URL and the newest numbered page; a page that has a newer page
//! after it never changes again, and a `/page/N/` link keeps showing the same articles.
//! Nothing on a numbered page may depend on the length of the list (no "page 3 of 7").

use std::hash::Hash;

use serde::Serialize;

use crate::url::{BaseUrl, UrlPath};

/// One page of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListPage {
    /// The list's own URL: its newest articles.
    Latest,
    /// `/page/N/` below the list's URL, N counted from 1 for the oldest articles.
    Numbered(usize),
}

impl ListPage {
    /// The pages of a list of `len` articles: its first URL, and numbered pages once the list
    /// no longer fits on it.
    pub fn all(len: usize, per_page: usize) -> impl Iterator<Item = ListPage> {
        let numbered = if len > per_page {
            len.div_ceil(per_page)
        } else {
            0
        };
        std::iter::once(ListPage::Latest).chain((1..=numbered).map(ListPage::Numbered))
    }

    /// Where this page of the list at `first` goes.
    pub fn path(self, first: UrlPath) -> UrlPath {
        match self {
            ListPage::Latest => first,
            ListPage::Numbered(n) => first.page(n),
        }
    }

    /// The entries of `list` (newest first) this page shows, newest first.
    pub fn shown<T>(self, list: &[T], per_page: usize) -> &[T] {
        let len = list.len();
        match self {
            ListPage::Latest => &list[..len.min(per_page)],
            ListPage::Numbered(n) => {
                // Counted from the oldest, the page holds `from..to`; the list is newest first.
                let from = ((n - 1) * per_page).min(len);
                let to = (n * per_page).min(len);
                &list[len - to..len - from]
            }
        }
    }
}

/// Links between the pages of a list. Lists are newest first, so `prev_url` (`rel=prev`) is
/// newer and `next_url` (`rel=next`) older. It says nothing of how many pages there are, which
/// would change the numbered pages each time the list grows.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct Paginator {
    /// N on `/page/N/`; 0 on the list's first URL.
    pub number: usize,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    /// The list's first URL, with its newest articles.
    pub first_url: String,
    /// `/page/1/`, with the oldest articles; the first URL when the list fits on it.
    pub last_url: String,
}

impl Paginator {
    /// The links of `page` of the list at `first` of `len` articles.
    pub fn new(
        first: &UrlPath,
        page: ListPage,
        len: usize,
        per_page: usize,
        base: &BaseUrl,
    ) -> Self {
        let url = |page: ListPage| page.path(first.clone()).url(base);
        let newest = if len > per_page {
            len.div_ceil(per_page)
        } else {
            0
        };
        let (number, newer, older) = match page {
            // The older page holds the article just before the oldest one shown here.
            ListPage::Latest => (
                0,
                None,
                (newest > 0).then(|| (len - per_page - 1) / per_page + 1),
            ),
            ListPage::Numbered(n) => (n, (n < newest).then_some(n + 1), (n > 1).then(|| n - 1)),
        };
        Self {
            number,
            prev_url: newer.map(|n| url(ListPage::Numbered(n))),
            next_url: older.map(|n| url(ListPage::Numbered(n))),
            first_url: url(ListPage::Latest),
            last_url: url(if newest > 0 {
                ListPage::Numbered(1)
            } else {
                ListPage::Latest
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(list_len: usize, per_page: usize) -> Vec<Vec<usize>> {
        let list: Vec<usize> = (0..list_len).rev().collect();
        ListPage::all(list_len, per_page)
            .map(|page| page.shown(&list, per_page).to_vec())
            .collect()
    }

    #[test]
    fn numbered_pages_count_from_the_oldest() {
        // Articles numbered by age, 0 the oldest; lists are newest first.
        assert_eq!(numbers(5, 2), [vec![4, 3], vec![1, 0], vec![3, 2], vec![4]]);
        assert_eq!(numbers(4, 2), [vec![3, 2], vec![1, 0], vec![3, 2]]);
        assert_eq!(numbers(2, 2), [vec![1, 0]]);
        assert_eq!(numbers(0, 2), [Vec::<usize>::new()]);
    }

    #[test]
    fn a_new_article_leaves_full_pages_alone() {
        let before = numbers(7, 3);
        let after = numbers(8, 3);
        // The first URL and the newest numbered page change; /page/1/ and /page/2/ do not.
        assert_eq!(before[1..3], after[1..3]);
        assert_ne!(before[0], after[0]);
    }

    #[test]
    fn links_go_newer_and_older() {
        let base = BaseUrl::parse("/").unwrap();
        let first = UrlPath::root();
        let latest = Paginator::new(&first, ListPage::Latest, 7, 3, &base);
        assert_eq!(
            (latest.prev_url, latest.next_url.as_deref()),
            (None, Some("/page/2/"))
        );
        assert_eq!(latest.last_url, "/page/1/");
        let middle = Paginator::new(&first, ListPage::Numbered(2), 7, 3, &base);
        assert_eq!(middle.prev_url.as_deref(), Some("/page/3/"));
        assert_eq!(middle.next_url.as_deref(), Some("/page/1/"));
        let newest = Paginator::new(&first, ListPage::Numbered(3), 7, 3, &base);
        assert_eq!(newest.prev_url, None);
        let short = Paginator::new(&first, ListPage::Latest, 3, 3, &base);
        assert_eq!((short.next_url, short.last_url.as_str()), (None, "/"));
    }
}
