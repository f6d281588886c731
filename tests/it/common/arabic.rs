//! A fixture for right-to-left pages: a small site in Arabic whose article has a long title, a
//! timeline table, a code block, sources and tags in Latin script beside Arabic ones.
#![allow(dead_code)]

use crate::common::Site;

/// The article's page in the built site.
pub const ARTICLE: &str = "2026/03/14/port-strike-ends/index.html";

/// An old URL of the article: its redirect page.
pub const ALIAS: &str = "2026/03/14/velmora-strike-over/index.html";

/// The article: a sample about an invented event, written for this fixture. Its first paragraph
/// is short enough to fit on one line of a phone, so that where its line starts shows how the
/// paragraph is aligned.
const BODY: &str = "*مقال تجريبي عن حدث مختلق.*

عاد عمال ميناء فيلمورا إلى العمل صباح السبت بعد أن صوّت أعضاء النقابة لصالح اتفاق جديد للأجور، \
منهين إضرابًا بدأ في السادس من مارس وترك عشرات السفن تنتظر في عرض البحر. وقالت النقابة إن 71% \
من المصوّتين أيّدوا الاتفاق، الذي كتبت عنه وكالة Example Wire أولًا.

## كيف جرى الإضراب

| التاريخ | الحدث |
|---|---|
| 6 مارس | نحو 1400 عامل يتوقفون عن العمل في الساعة 06:00 |
| 10 مارس | أول اجتماع منذ بدء الإضراب؛ 19 سفينة تنتظر |
| 14 مارس | إعلان النتيجة واستئناف العمل في الوردية الصباحية |

## رسالة الميناء الآلية

نشرت سلطة الميناء رسالتها الآلية كما هي، ومنها الرمز `RESUMED (06:00)`:

```text
PORT-VELMORA: RESUMED 06:00 (berths 1-4); queue: 19 ships
```

- تُعطى الأولوية للسفن التي تحمل الغذاء والدواء.
- تعمل المحطات ورديات إضافية أيام الأحد.
";

/// The site, with `language` in its gazette.yaml (`ar` for the right-to-left site; another
/// language gives the same pages laid out left to right, to show that a measure can fail).
pub fn arabic_site(language: &str) -> Site {
    let site = Site::new();
    site.write(
        "gazette.yaml",
        format!(
            "title: \"موجز ألدمارك\"\n\
             description: \"موقع تجريبي: موجزات أخبار عن أحداث مختلقة.\"\n\
             language: {language}\n\
             paginate_by: 2\n\
             search: {{ enabled: true }}\n\
             sections:\n  world: {{ title: \"العالم\" }}\n  business: {{ title: \"الاقتصاد\" }}\n"
        ),
    );
    site.article(
        "world",
        "port-strike-ends",
        "title: \"انتهاء إضراب عمال ميناء فيلمورا بعد تسعة أيام من التوقف وعودة السفن إلى الأرصفة\"\n\
         date: 2026-03-14\n\
         author: wirebot\n\
         tags: [\"شحن\", \"عمل\", \"Velmora 2026\"]\n\
         aliases: [/2026/03/14/velmora-strike-over/]\n\
         summary: \"وافق عمال الميناء على زيادة في الأجور بنسبة 6%.\"\n\
         sources:\n\
         \x20 - { title: \"Dockers vote to return\", publisher: \"Example Wire\", url: \"https://example.org/wire/dockers-vote\" }\n\
         \x20 - { title: \"العمال يصوّتون على العودة (تحليل)\", publisher: \"صحيفة ميناء فيلمورا\", url: \"https://example.com/harbour-gazette/vote\" }\n\
         extra: { sample: true }",
        BODY,
    );
    site.article(
        "world",
        "talks-resume",
        "title: \"استئناف المحادثات في ميناء فيلمورا\"\ndate: 2026-03-10\nauthor: wirebot\ntags: [\"شحن\"]\nextra: { sample: true }",
        "*مقال تجريبي عن حدث مختلق.*\n\nالتقى الطرفان للمرة الأولى منذ بدء الإضراب.",
    );
    site.article(
        "business",
        "freight-rates-ease",
        "title: \"تراجع أسعار الشحن بعد انتهاء الإضراب\"\ndate: 2026-03-20\nupdated: 2026-03-21\nauthor: wirebot\ntags: [\"شحن\"]\nextra: { sample: true }",
        "*مقال تجريبي عن حدث مختلق.*\n\nانخفضت أسعار الشحن في المنطقة بعد عودة العمل إلى الميناء.",
    );
    site
}
