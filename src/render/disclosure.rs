//! How far AI wrote a page's text and whether a person reviewed it, in the values of the W3C AI
//! Content Disclosure Community Group's report ("AI Content Disclosure for HTML", Draft
//! Community Group Report, 21 September 2026), and the IPTC digital source type that goes with
//! each in JSON-LD. docs/src/feeds-and-metadata.md says why each value is used where.

use serde::Serialize;

use crate::site::Site;

/// One of the report's disclosure values, serialized as the report spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Disclosure {
    /// No generative AI was involved: what a correction or a note an editor wrote is.
    HumanOnly,
    /// AI was involved and a person reviewed the text before publication: an article with
    /// `reviewed_by`.
    AiAssisted,
    /// AI was involved and the text was published without human review.
    AiAutonomous,
}

/// IPTC NewsCodes, digital source type: text made by a model trained on data.
pub const TRAINED_ALGORITHMIC_MEDIA: &str =
    "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";
/// IPTC NewsCodes, digital source type: such text combined with, or edited by, a person's work.
pub const COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA: &str =
    "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia";

impl Disclosure {
    /// What article `i` says of its text: none on a site that does not disclose AI
    /// (`ai_disclosure: false`, a site written by people).
    pub fn of_article(site: &Site, i: usize) -> Option<Self> {
        if !site.settings.ai_disclosure {
            return None;
        }
        match site.reviewer_of(i) {
            Some(_) => Some(Disclosure::AiAssisted),
            None => Some(Disclosure::AiAutonomous),
        }
    }

    /// The IPTC digital source type of AI text so made, for JSON-LD's `digitalSourceType`
    /// (an article's, never `human-only`: a correction has no JSON-LD type of its own).
    pub fn digital_source_type(self) -> Option<&'static str> {
        match self {
            Disclosure::HumanOnly => None,
            Disclosure::AiAssisted => Some(COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA),
            Disclosure::AiAutonomous => Some(TRAINED_ALGORITHMIC_MEDIA),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_spelled_as_the_report_spells_them() {
        let spelled = |d: Disclosure| serde_json::to_value(d).unwrap();
        assert_eq!(spelled(Disclosure::HumanOnly), "human-only");
        assert_eq!(spelled(Disclosure::AiAssisted), "ai-assisted");
        assert_eq!(spelled(Disclosure::AiAutonomous), "ai-autonomous");
    }
}
