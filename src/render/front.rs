//! What the front page shows above its list of the latest stories: the lead story, the top
//! stories after it and a block per section, chosen by the editors' levers (`featured:` in
//! front matter, `front_page` in gazette.yaml).

use crate::site::Site;

/// The stories of the front page, as indexes into `Site::articles` (newest first).
#[derive(Debug)]
pub(super) struct FrontPage {
    /// The newest featured article, else the newest article; none on an empty site.
    pub lead: Option<usize>,
    /// The newest articles after the lead, `front_page.top` of them.
    pub top: Vec<usize>,
    /// Each block, by its section's index in `Taxonomy::sections`: the section's newest
    /// articles that neither lead nor top shows, `front_page.stories` of them. A section with
    /// none left gets no block.
    pub sections: Vec<(usize, Vec<usize>)>,
}

impl FrontPage {
    pub fn of(site: &Site) -> Self {
        let config = &site.settings.front_page;
        let t = &site.taxonomy;
        let listed = &t.listed;
        let newest = listed.first().copied();
        let featured = listed.iter().copied().find(|&i| site.articles[i].featured);
        let lead = featured.or(newest);
        let top: Vec<usize> = (listed.iter().copied())
            .filter(|&i| Some(i) != lead)
            .take(config.top)
            .collect();
        let chosen: Vec<usize> = match &config.sections {
            None => (0..t.sections.len()).collect(),
            // By folder name, as gazette.yaml's `sections` names them; a folder whose articles
            // are all drafts has no section.
            Some(folders) => (folders.iter())
                .filter_map(|folder| (t.sections.iter()).position(|s| s.folder == *folder))
                .collect(),
        };
        let shown_above = |i: &usize| Some(*i) == lead || top.contains(i);
        let sections = (chosen.into_iter())
            .map(|s| {
                let articles = &t.sections[s].articles;
                let left = articles.iter().copied().filter(|i| !shown_above(i));
                (s, left.take(config.stories).collect::<Vec<_>>())
            })
            .filter(|(_, articles)| !articles.is_empty())
            .collect();
        Self {
            lead,
            top,
            sections,
        }
    }
}
