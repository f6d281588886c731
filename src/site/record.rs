//! The site's record: every correction and retraction of every article, newest first, as
//! `/corrections/` and its feeds list them.

use crate::content::Article;
use crate::date::PublishDate;

/// One entry of the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Notice {
    /// The article, by its index in `Site::articles`.
    pub article: usize,
    pub what: What,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// The article's correction of this index in `Article::corrections`, as written.
    Correction(usize),
    Retraction,
}

impl Notice {
    /// When it was made, and what it says.
    pub fn of(self, articles: &[Article]) -> (&PublishDate, &str) {
        let a = &articles[self.article];
        match (self.what, &a.retracted) {
            (What::Correction(n), _) => (&a.corrections[n].date, &a.corrections[n].text),
            (What::Retraction, Some(r)) => (&r.date, &r.reason),
            // `notices` makes a retraction's entry only for a retracted article.
            (What::Retraction, None) => (&a.date, ""),
        }
    }

    /// What tells it apart from the article's other notices in feed ids: corrections are
    /// numbered from 1 in the order the article lists them, so that one added at the end
    /// leaves the others' ids alone.
    pub fn id(self) -> String {
        match self.what {
            What::Correction(n) => format!("correction-{}", n + 1),
            What::Retraction => "retraction".into(),
        }
    }

    /// The `id` of the element of the article's page that shows it (see the theme's
    /// article.html and retraction.html).
    pub fn fragment(self) -> &'static str {
        match self.what {
            What::Correction(_) => "article_corrections",
            What::Retraction => "retraction",
        }
    }
}

/// Every notice of `articles` (newest first), newest first; on the same date, the newer
/// article's first, and an article's retraction before its corrections, its later-listed
/// corrections before its earlier ones, so that the order never depends on anything else.
pub fn notices(articles: &[Article]) -> Vec<Notice> {
    let mut all: Vec<Notice> = (articles.iter().enumerate())
        .flat_map(|(article, a)| {
            let corrections = (0..a.corrections.len()).map(What::Correction);
            let retraction = a.retracted.as_ref().map(|_| What::Retraction);
            (corrections.chain(retraction)).map(move |what| Notice { article, what })
        })
        .collect();
    let rank = |n: &Notice| match n.what {
        What::Retraction => usize::MAX,
        What::Correction(i) => i,
    };
    all.sort_by(|x, y| {
        let (dx, dy) = (x.of(articles).0, y.of(articles).0);
        (dy.cmp(dx))
            .then(x.article.cmp(&y.article))
            .then(rank(y).cmp(&rank(x)))
    });
    all
}
