//! A fixture for the raw HTML policy: an article whose body tries every way a Markdown body can
//! carry a script.
#![allow(dead_code)]

use crate::common::Site;

/// The article's page in the built site.
pub const PAGE: &str = "2026/03/14/hostile/index.html";

/// Every form of a link that runs code which a browser accepts; the `pwned` numbers tell which
/// one ran, in the browser test.
pub const HOSTILE: &str = r#"Links: [plain](javascript:void(document.body.dataset.pwned=1))
[upper](JaVaScRiPt:void(document.body.dataset.pwned=2))
[tab](jav&#x09;ascript:void(document.body.dataset.pwned=3))
[newline](java&#10;script:void(document.body.dataset.pwned=4))
[spaced](< &#x1;javascript:void(document.body.dataset.pwned=5)>)
[percent](%6Aavascript:void(document.body.dataset.pwned=6))
[vb](vbscript:msgbox(1))
[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
[ref][evil]
<javascript:void(document.body.dataset.pwned=7)>

![chart alt](data:image/svg+xml;base64,PHN2Zy8+) ![js alt](javascript:alert(1))
[![logo alt](javascript:alert(1))](https://example.org/logo)

Safe: [home](/) [report](https://example.org/report) [desk](mailto:desk@example.org)

<a href="javascript:void(document.body.dataset.pwned=8)">raw link</a>
<img src="x" onerror="document.body.dataset.pwned=9">

## Briefing {onclick=document.body.dataset.pwned=10}

[evil]: javascript:void(document.body.dataset.pwned=11)
"#;

/// A site with one article whose body is `HOSTILE`, and `markdown.raw_html` set to `raw_html`.
pub fn hostile_site(raw_html: bool) -> Site {
    let site = Site::new();
    site.write(
        "gazette.yaml",
        format!("base_url: https://example.org/\nmarkdown:\n  raw_html: {raw_html}\n"),
    );
    site.article(
        "world",
        "hostile",
        "title: Hostile\ndate: 2026-03-14\nauthor: wirebot",
        HOSTILE,
    );
    site
}
