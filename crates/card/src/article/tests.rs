use super::*;

const FIXTURE: &str = include_str!("../../../../articles/myanmar-diplomat.json");
const BASE: &str = "https://news.example/articles/myanmar-diplomat.json";

fn json(s: &str) -> Json {
    Json::parse(s).unwrap_or_else(|e| panic!("test JSON does not parse: {e}\n{s}"))
}

fn ok(s: &str) -> Parsed {
    parse(&json(s), Some(BASE)).unwrap_or_else(|p| panic!("unexpected problems: {p:?}"))
}

fn errors(s: &str) -> Vec<String> {
    match parse(&json(s), Some(BASE)) {
        Ok(p) => panic!("expected errors, parsed {:?}", p.article),
        Err(p) => p.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn reads_the_seed_story() {
    let Parsed { article, warnings } = ok(FIXTURE);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        article.headline,
        "Diplomat at Myanmar Embassy in TLV resigns following Junta's crackdown"
    );
    assert!(article
        .standfirst
        .as_deref()
        .is_some_and(|s| s.starts_with("Kaung Htet noted")));
    assert_eq!(
        article.url.as_deref(),
        Some("https://news.example/international/myanmar-diplomat-tlv-resigns")
    );
    assert_eq!(article.authors[0].name, "Jerusalem Post Staff");
    let published = article.published.as_ref().map(|d| (d.year, d.month, d.day));
    assert_eq!(published, Some((2021, 3, 6)));
    assert_eq!(article.dateline.as_deref(), Some("TEL AVIV"));
    let image = article.image.as_ref().expect("hero image");
    assert_eq!(
        image.url,
        "https://news.example/articles/myanmar-funeral.svg"
    );
    assert_eq!((image.width, image.height), (Some(1200), Some(675)));
    assert!(image
        .caption
        .as_deref()
        .is_some_and(|c| c.contains("three-finger salute")));
    assert_eq!(image.credit.as_deref(), Some("STRINGER/ REUTERS"));
    let names: Vec<_> = article.contributors.iter().map(|p| &p.name[..]).collect();
    assert_eq!(names, ["Idan Zonshine", "Reuters"]);
    assert!(article.excerpt[0].starts_with("Second Secretary at the Myanmar Embassy"));
    assert!(
        (2..=3).contains(&article.excerpt.len()),
        "{:?}",
        article.excerpt
    );
    let publisher = article.publisher.as_ref().expect("publisher");
    assert_eq!(publisher.name.as_deref(), Some("The Jerusalem Post"));
    assert_eq!(
        publisher.logo.as_ref().map(|l| &l.url[..]),
        Some("https://news.example/articles/publisher-logo.svg")
    );
    assert_eq!(article.language.as_deref(), Some("en"));
}

#[test]
fn accepts_every_listed_shape() {
    let a = ok(r#"{"@type":"Article","headline":"H",
        "author":"Jane Doe",
        "contributor":{"@type":"Person","name":"Ann","url":"/people/ann"},
        "image":"https://img.example/p.jpg",
        "publisher":"Daily"}"#)
    .article;
    assert_eq!(
        a.authors,
        vec![Party {
            name: "Jane Doe".into(),
            url: None
        }]
    );
    assert_eq!(
        a.contributors[0].url.as_deref(),
        Some("https://news.example/people/ann")
    );
    assert_eq!(
        a.image.map(|i| i.url).as_deref(),
        Some("https://img.example/p.jpg")
    );
    assert_eq!(a.publisher.and_then(|p| p.name).as_deref(), Some("Daily"));

    let a = ok(r#"{"@type":["ReportageNewsArticle"],"headline":"H",
        "author":[{"@type":"Person","name":"A"},"B",{"@type":"Organization","name":"C"}],
        "image":["https://img.example/1.jpg","https://img.example/2.jpg"],
        "description":"From description"}"#)
    .article;
    let names: Vec<_> = a.authors.iter().map(|p| &p.name[..]).collect();
    assert_eq!(names, ["A", "B", "C"]);
    assert_eq!(
        a.image.map(|i| i.url).as_deref(),
        Some("https://img.example/1.jpg")
    );
    assert_eq!(a.standfirst.as_deref(), Some("From description"));

    let a = ok(r#"{"@type":"NewsArticle","headline":"H",
        "image":{"@type":"ImageObject","contentUrl":"p.jpg","width":"800.0 px",
                 "height":{"@type":"QuantitativeValue","value":450},
                 "copyrightHolder":{"@type":"Organization","name":"Agency"}}}"#)
    .article;
    let image = a.image.expect("image");
    assert_eq!(image.url, "https://news.example/articles/p.jpg");
    assert_eq!((image.width, image.height), (Some(800), Some(450)));
    assert_eq!(image.credit.as_deref(), Some("Agency"));
}

#[test]
fn finds_the_article_in_a_graph_and_follows_references() {
    // The shape WordPress SEO plugins publish.
    let a = ok(r##"{"@context":"https://schema.org","@graph":[
        {"@type":"WebSite","@id":"https://news.example/#website","name":"News"},
        {"@type":"ImageObject","@id":"https://news.example/#primaryimage",
         "url":"https://news.example/p.jpg","caption":"A caption"},
        {"@type":"Person","@id":"https://news.example/#/person/1","name":"Reporter One"},
        {"@type":["Article","NewsArticle"],"headline":"In a graph",
         "author":{"@id":"https://news.example/#/person/1"},
         "image":{"@id":"https://news.example/#primaryimage"},
         "publisher":{"@id":"https://news.example/#org"}},
        {"@type":"Organization","@id":"https://news.example/#org","name":"News Org"}
    ]}"##)
    .article;
    assert_eq!(a.headline, "In a graph");
    assert_eq!(a.authors[0].name, "Reporter One");
    assert_eq!(
        a.image.and_then(|i| i.caption).as_deref(),
        Some("A caption")
    );
    assert_eq!(
        a.publisher.and_then(|p| p.name).as_deref(),
        Some("News Org")
    );

    // A top-level array of nodes, with full-IRI types.
    let a = ok(r#"[{"@type":"BreadcrumbList"},
                   {"@type":"https://schema.org/NewsArticle","headline":"In an array"}]"#)
    .article;
    assert_eq!(a.headline, "In an array");
}

#[test]
fn a_headline_of_the_wrong_type_inside_an_array_or_a_value_object_costs_the_card() {
    // Found deeper than `headline` itself: the severity is the headline's, not the path's.
    assert_eq!(
        errors(r#"{"@type":"NewsArticle","headline":[42]}"#),
        ["headline[0]: expected text, found a number"]
    );
    assert_eq!(
        errors(r#"{"@type":"NewsArticle","headline":{"@value":5}}"#),
        ["headline.@value: expected text, found a number"]
    );
    assert_eq!(
        errors(r#"{"@graph":[{"@type":"NewsArticle","headline":[{"@value":5}]}]}"#),
        ["@graph[0].headline[0].@value: expected text, found a number"]
    );
    // The same kind of problem in another field only drops that field.
    let parsed = ok(r#"{"@type":"NewsArticle","headline":"H","description":[42]}"#);
    assert_eq!(parsed.article.standfirst, None);
    assert_eq!(
        parsed
            .warnings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["description[0]: expected text, found a number"]
    );
}

#[test]
fn errors_name_the_field_path() {
    assert_eq!(
        errors(r#"{"@type":"NewsArticle"}"#),
        ["headline: missing (required)"]
    );
    assert_eq!(
        errors(r#"{"@type":"NewsArticle","headline":"  \n "}"#),
        ["headline: empty (required)"]
    );
    assert_eq!(
        errors(r#"{"@type":"NewsArticle","headline":42}"#),
        ["headline: expected text, found a number"]
    );
    assert_eq!(
        errors(r#"{"@graph":[{"@type":"WebPage"},{"@type":"NewsArticle","headline":{"a":1}}]}"#),
        ["@graph[1].headline: expected text, found an object"]
    );
    assert_eq!(
        errors(r#"{"@type":"Recipe","headline":"Soup"}"#),
        ["@type: \"Recipe\" is not a NewsArticle or Article"]
    );
    assert_eq!(
        errors(r#"{"@graph":[{"@type":"WebPage"}]}"#)[0],
        "@graph: no NewsArticle (or Article) found; expected a JSON-LD object with \"@type\": \"NewsArticle\""
    );
    assert_eq!(
        errors(r#""just a string""#),
        ["(document): expected a JSON-LD object, found text"]
    );
    // Everything but the headline is optional: bad fields are dropped, each named.
    let lenient = ok(
        r#"{"@type":"NewsArticle","headline":"H","author":[{"@type":"Person"}, 7],
            "image":[{"@type":"ImageObject","width":-3,"url":"p.jpg"}],
            "datePublished":"yesterday","dateModified":"2021-02-30",
            "inLanguage":"not a tag!","contributor":true,"publisher":[1]}"#,
    );
    assert_eq!(lenient.article.headline, "H");
    assert!(lenient.article.authors.is_empty() && lenient.article.published.is_none());
    assert_eq!(
        lenient
            .article
            .image
            .as_ref()
            .map(|i| (i.url.as_str(), i.width)),
        Some(("https://news.example/articles/p.jpg", None)),
        "the photo stays without its bad width"
    );
    let all: Vec<String> = lenient.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        all,
        [
            "author[0].name: missing (required)",
            "author[1]: expected a Person, an Organization or a name, found a number",
            "datePublished: not an ISO 8601 date like 2021-03-05T18:00:00Z",
            "dateModified: not an ISO 8601 date like 2021-03-05T18:00:00Z",
            "image[0].width: not a positive whole number",
            "contributor: expected a Person, an Organization or a name, found a boolean",
            "publisher[0]: expected an Organization or a name, found a number",
            "inLanguage: not a language tag like \"en\" or \"he-IL\"",
        ]
    );
}

#[test]
fn javascript_and_other_schemes_are_dropped_from_every_url_field() {
    for bad in [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "java\\nscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:x",
    ] {
        let doc = format!(
            r#"{{"@type":"NewsArticle","headline":"H","url":"{bad}",
                "author":{{"@type":"Person","name":"A","url":"{bad}"}},
                "contributor":[{{"@type":"Person","name":"C","url":"{bad}"}}],
                "image":[{{"@type":"ImageObject","url":"{bad}"}}],
                "publisher":{{"@type":"Organization","name":"P","logo":"{bad}"}}}}"#
        );
        let parsed = ok(&doc);
        let a = &parsed.article;
        assert_eq!(a.url, None, "{bad}");
        assert_eq!(a.authors[0].url, None);
        assert_eq!(a.contributors[0].url, None);
        assert_eq!(a.image, None);
        assert_eq!(a.publisher.as_ref().and_then(|p| p.logo.as_ref()), None);
        let warned: Vec<_> = parsed.warnings.iter().map(|w| &w.path[..]).collect();
        assert_eq!(
            warned,
            [
                "url",
                "author.url",
                "image[0].url",
                "contributor[0].url",
                "publisher.logo"
            ]
        );
        assert!(parsed
            .warnings
            .iter()
            .all(|w| w.kind == ProblemKind::NotHttpUrl));
        assert_eq!(
            parsed.warnings[2].to_string(),
            "image[0].url: not an http(s) URL (dropped)"
        );
    }
}

#[test]
fn relative_urls_need_a_base() {
    let doc = json(r#"{"@type":"NewsArticle","headline":"H","url":"/story"}"#);
    let parsed = parse(&doc, None).expect("a relative URL alone is not fatal");
    assert_eq!(parsed.article.url, None);
    assert_eq!(parsed.warnings[0].kind, ProblemKind::RelativeUrlWithoutBase);
    let parsed = parse(&doc, Some("https://news.example/a/b.json")).expect("parses");
    assert_eq!(
        parsed.article.url.as_deref(),
        Some("https://news.example/story")
    );
}

#[test]
fn markup_in_every_text_field_stays_text() {
    let evil = r#"<img src=x onerror=alert(1)><script>alert(2)</script>&lt;b&gt;"#;
    let doc = serde_json::json!({
        "@type": "NewsArticle",
        "headline": evil, "alternativeHeadline": format!("Standfirst {evil}"), "dateline": evil,
        "author": evil, "contributor": [{"@type": "Person", "name": evil}],
        "image": {"url": "p.jpg", "caption": evil, "creditText": evil},
        "articleBody": evil, "publisher": {"name": evil}
    });
    let doc = json(&doc.to_string());
    let a = parse(&doc, Some(BASE)).expect("parses").article;
    let image = a.image.expect("image");
    let publisher_name = a.publisher.and_then(|p| p.name);
    for field in [
        Some(&a.headline),
        a.standfirst
            .as_ref()
            .and_then(|s| s.strip_prefix("Standfirst "))
            .map(String::from)
            .as_ref(),
        a.dateline.as_ref(),
        Some(&a.authors[0].name),
        Some(&a.contributors[0].name),
        image.caption.as_ref(),
        image.credit.as_ref(),
        Some(&a.excerpt[0]),
        publisher_name.as_ref(),
    ] {
        // The same characters, the references content systems leave decoded once (SPEC
        // section 3): still text, which the renderer escapes (text nodes).
        assert_eq!(
            field.map(String::as_str),
            Some(evil.replace("&lt;b&gt;", "<b>").as_str())
        );
    }
}

#[test]
fn huge_strings_are_bounded_and_not_split_inside_a_character() {
    let huge = "ဗမာ ".repeat(200_000);
    let doc = serde_json::json!({
        "@type": "NewsArticle", "headline": huge, "description": huge,
        "articleBody": format!("{huge}\n\n{huge}"), "author": huge,
        "image": {"url": "p.jpg", "caption": huge}
    });
    let doc = json(&doc.to_string());
    let a = parse(&doc, Some(BASE)).expect("parses").article;
    assert!(a.headline.chars().count() <= MAX_HEADLINE);
    assert!(a.headline.ends_with('…'));
    assert!(a
        .standfirst
        .is_some_and(|s| s.chars().count() <= MAX_SHORT_TEXT));
    assert!(a.excerpt.iter().map(|p| p.chars().count()).sum::<usize>() <= 2 * MAX_SHORT_TEXT);
    assert!(a.authors[0].name.chars().count() <= MAX_NAME);
    let many: Vec<_> = (0..10_000).map(|i| format!("Author {i}")).collect();
    let doc = json(&serde_json::json!({"headline": "H", "author": many}).to_string());
    assert_eq!(
        parse(&doc, None).expect("parses").article.authors.len(),
        MAX_PEOPLE
    );
}

#[test]
fn empty_optional_fields_are_absent_not_errors() {
    let a = ok(
        r#"{"@type":"NewsArticle","headline":"H","description":"","dateline":" ",
        "author":[],"image":[],"articleBody":"","datePublished":"","url":""}"#,
    )
    .article;
    assert_eq!(
        a,
        Article {
            headline: "H".into(),
            ..Article::default()
        }
    );
}

#[test]
fn language_value_objects_and_standfirst_fallbacks() {
    let a = ok(r#"{"headline":{"@value":"Titre","@language":"fr"},
        "description":"Titre","inLanguage":{"@type":"Language","alternateName":"fr-CA"}}"#)
    .article;
    assert_eq!(a.headline, "Titre");
    // A description that only repeats the headline is not a standfirst.
    assert_eq!(a.standfirst, None);
    assert_eq!(a.language.as_deref(), Some("fr-CA"));
}

#[test]
fn what_real_sites_publish_is_shown_without_the_bad_fields() {
    let parsed = ok(r##"{"@context":"https://schema.org","@graph":[
        {"@type":"NewsArticle","headline":"Partial","datePublished":"2021-03",
         "dateModified":"2021","author":{"@id":"https://news.example/#/schema/person/1"},
         "image":{"@type":"ImageObject","url":"p.jpg","width":"auto","height":"100%"}}]}"##);
    let a = &parsed.article;
    assert_eq!(a.headline, "Partial");
    let published = a.published.as_ref().map(|d| (d.year, d.month, d.day));
    assert_eq!(
        published,
        Some((2021, 3, 0)),
        "a month, as precise as given"
    );
    let modified = a.modified.as_ref().map(|d| (d.year, d.month, d.day));
    assert_eq!(modified, Some((2021, 0, 0)));
    assert!(
        a.authors.is_empty(),
        "an @id that resolves nowhere is dropped"
    );
    assert!(a
        .image
        .as_ref()
        .is_some_and(|i| i.width.is_none() && i.height.is_none()));
    let warnings: Vec<String> = parsed.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            "@graph[0].author: an @id that names no node of this document (dropped)",
            "@graph[0].image.width: not a positive whole number",
            "@graph[0].image.height: not a positive whole number",
        ]
    );
}

#[test]
fn what_content_systems_write() {
    // A Yoast-style page: a BlogPosting, typographic references in the text, a
    // protocol-relative image, an author given as an @id of no node.
    let parsed = parse(
        &json(
            r#"{"@context":"https://schema.org","@graph":[
            {"@type":"WebPage","@id":"https://blog.example/p/#webpage","name":"x"},
            {"@type":"BlogPosting","headline":"The &#8220;final&#8221; word &amp; more",
             "description":"Caf&#233; &hellip; &amp;#8220;once&amp;#8221;",
             "author":{"@id":"https://blog.example/#/schema/person/nobody"},
             "image":"//cdn.example/hero.jpg",
             "articleBody":"First&nbsp;paragraph &mdash; here."}]}"#,
        ),
        None,
    )
    .unwrap_or_else(|p| panic!("{p:?}"));
    let a = &parsed.article;
    assert_eq!(a.headline, "The “final” word & more");
    assert_eq!(a.standfirst.as_deref(), Some("Café … &#8220;once&#8221;"));
    assert_eq!(
        a.image.as_ref().map(|i| i.url.as_str()),
        Some("https://cdn.example/hero.jpg")
    );
    // (A no-break space is whitespace, collapsed as any other.)
    assert_eq!(a.excerpt, ["First paragraph — here."]);
    assert!(a.authors.is_empty());
    let warnings: Vec<String> = parsed.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["@graph[1].author: an @id that names no node of this document (dropped)"]
    );
    for t in [
        "Report",
        "BlogPosting",
        "LiveBlogPosting",
        "ScholarlyArticle",
        "TechArticle",
    ] {
        let doc = format!(r#"{{"@type":"{t}","headline":"H"}}"#);
        assert_eq!(ok(&doc).article.headline, "H", "{t}");
    }
}

#[test]
fn dates() {
    for good in [
        "2021-03-05",
        "2021-03-05T18:00",
        "2021-03-05T18:00:00Z",
        "2021-03-05T18:00:00.123+02:00",
        "2021-03-05T18:00:00-0500",
        "2024-02-29T00:00:00+05",
        "2021-03",
        "2021",
    ] {
        assert!(parse_date(good).is_some(), "{good}");
    }
    for partial in ["2021-00", "2021-13", "2021/03", "202", "21-03", "2021-3"] {
        assert!(parse_date(partial).is_none(), "{partial}");
    }
    for bad in [
        "2021-3-5",
        "2021-02-29",
        "2021-13-01",
        "2021-03-05T25:00",
        "2021-03-05T18:00:00X",
        "2021-03-05T18:00:00.Z",
        "March 5, 2021",
        "",
        "２０２１-03-05",
    ] {
        assert!(parse_date(bad).is_none(), "{bad}");
    }
    let d = parse_date("2021-03-06T00:30:00+02:00").expect("date");
    assert_eq!((d.year, d.month, d.day), (2021, 3, 6));
}

#[test]
fn a_root_relative_base_keeps_relative_urls_root_relative() {
    let doc = json(
        r#"{"@type":"NewsArticle","headline":"H","url":"story.html",
            "image":{"url":"photo.jpg"},
            "author":{"name":"A","url":"//people.example/a"},
            "publisher":{"name":"P","logo":"https://cdn.example/logo.svg"}}"#,
    );
    let article = parse_with_base(&doc, Some("/articles/story.json"))
        .unwrap_or_else(|p| panic!("{p:?}"))
        .article;
    assert_eq!(article.url.as_deref(), Some("/articles/story.html"));
    assert_eq!(
        article.image.map(|i| i.url).as_deref(),
        Some("/articles/photo.jpg")
    );
    // Protocol-relative: https, never http (pages are https; http would be mixed content).
    assert_eq!(
        article.authors.first().and_then(|a| a.url.as_deref()),
        Some("https://people.example/a")
    );
    assert_eq!(
        article
            .publisher
            .and_then(|p| p.logo)
            .map(|l| l.url)
            .as_deref(),
        Some("https://cdn.example/logo.svg")
    );
    // An absolute base is an ordinary base.
    let absolute = parse_with_base(&doc, Some("https://news.example/articles/story.json"))
        .unwrap_or_else(|p| panic!("{p:?}"))
        .article;
    assert_eq!(
        absolute.image.map(|i| i.url).as_deref(),
        Some("https://news.example/articles/photo.jpg")
    );
}
