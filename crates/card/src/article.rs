//! The article data model and its reader: schema.org `NewsArticle` JSON-LD (SPEC section 3),
//! as news sites publish it — a single object, an array of nodes, or a `@graph` whose nodes
//! refer to each other by `@id`. Every problem is reported with its field path; text stays
//! text; only http(s) URLs survive.

use std::fmt;

use crate::json::Json;
use crate::text;
use crate::url::{self, UrlProblem};

/// Types the card accepts: `Article` and every subtype schema.org defines (SPEC section 3):
/// blogs publish `BlogPosting`, agencies `Report`, and so on.
const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "BackgroundNewsArticle",
    "OpinionNewsArticle",
    "ReviewNewsArticle",
    "AskPublicNewsArticle",
    "AdvertiserContentArticle",
    "Report",
    "SatiricalArticle",
    "ScholarlyArticle",
    "MedicalScholarlyArticle",
    "SocialMediaPosting",
    "BlogPosting",
    "LiveBlogPosting",
    "DiscussionForumPosting",
    "TechArticle",
    "APIReference",
];

// Bounds on what the card shows, so a hostile document cannot make it enormous.
const MAX_HEADLINE: usize = 300;
const MAX_SHORT_TEXT: usize = 600;
const MAX_NAME: usize = 120;
const MAX_PEOPLE: usize = 20;
const EXCERPT_TARGET: usize = 320;
const EXCERPT_MAX_PARAGRAPHS: usize = 3;

static NULL: Json = Json::Null;

#[derive(Debug, Clone, PartialEq, Default, Hash)]
pub struct Article {
    pub headline: String,
    /// `alternativeHeadline`, else `description`.
    pub standfirst: Option<String>,
    pub url: Option<String>,
    pub authors: Vec<Party>,
    pub published: Option<Date>,
    pub modified: Option<Date>,
    pub dateline: Option<String>,
    pub image: Option<Image>,
    /// The first paragraphs of `articleBody`.
    pub excerpt: Vec<String>,
    pub contributors: Vec<Party>,
    pub publisher: Option<Publisher>,
    /// `inLanguage`, a BCP 47 tag.
    pub language: Option<String>,
}

impl Article {
    /// Applies `f` to every URL the article holds (links, photo, logo).
    pub fn map_urls(&mut self, f: impl Fn(&str) -> String) {
        let apply = |u: &mut Option<String>| {
            if let Some(url) = u {
                *url = f(url);
            }
        };
        apply(&mut self.url);
        for party in self.authors.iter_mut().chain(self.contributors.iter_mut()) {
            apply(&mut party.url);
        }
        if let Some(image) = &mut self.image {
            image.url = f(&image.url);
        }
        if let Some(logo) = self.publisher.as_mut().and_then(|p| p.logo.as_mut()) {
            logo.url = f(&logo.url);
        }
    }
}

/// A person or organisation named in the byline or the contributors line.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Party {
    pub name: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Image {
    pub url: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub caption: Option<String>,
    /// `creditText`, else the name of `copyrightHolder`.
    pub credit: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Publisher {
    pub name: Option<String>,
    pub logo: Option<Image>,
}

/// An ISO 8601 date or date-time as written in the data, with its calendar date as the
/// publisher wrote it (the publisher's own time zone), so every reader sees the same day.
/// A date given only as a month (`2021-03`) or a year (`2021`) has `day` (and `month`) 0,
/// and is shown as precisely as it was given.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Date {
    pub iso: String,
    pub year: i32,
    /// 1 to 12; 0 when only the year is known.
    pub month: u8,
    /// 1 to 31; 0 when only the month or the year is known.
    pub day: u8,
}

/// One thing wrong with the data, at a field path like `image[0].url`.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub path: String,
    pub kind: ProblemKind,
    /// Decided where the problem is found, by what it costs: `true` when the card cannot be
    /// shown (no article, no usable headline), `false` for a value that is dropped.
    pub fatal: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ProblemKind {
    /// No node of an article type in the document.
    NoArticle,
    NotAnArticle {
        found: String,
    },
    Missing,
    Empty,
    WrongType {
        expected: &'static str,
        found: &'static str,
    },
    NotHttpUrl,
    RelativeUrlWithoutBase,
    NotADate,
    NotAPositiveNumber,
    NotALanguageTag,
    /// `{"@id": …}` naming no node of the document.
    UnresolvedReference,
}

impl Problem {
    /// Warnings are dropped values; the card still renders without them. Only a document
    /// without an article, or an article without a usable headline, cannot be shown: real
    /// JSON-LD is full of half-filled fields, and one of them must not cost the whole card.
    pub fn is_warning(&self) -> bool {
        !self.fatal
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "(document)"
        } else {
            &self.path
        };
        write!(f, "{path}: ")?;
        match &self.kind {
            ProblemKind::NoArticle => write!(
                f,
                "no NewsArticle (or Article) found; expected a JSON-LD object with \"@type\": \"NewsArticle\""
            ),
            ProblemKind::NotAnArticle { found } => {
                write!(f, "\"{found}\" is not a NewsArticle or Article")
            }
            ProblemKind::Missing => write!(f, "missing (required)"),
            ProblemKind::Empty => write!(f, "empty (required)"),
            ProblemKind::WrongType { expected, found } => {
                write!(f, "expected {expected}, found {found}")
            }
            ProblemKind::NotHttpUrl => write!(f, "not an http(s) URL (dropped)"),
            ProblemKind::RelativeUrlWithoutBase => {
                write!(f, "relative URL with no base URL to resolve it against (dropped)")
            }
            ProblemKind::NotADate => write!(f, "not an ISO 8601 date like 2021-03-05T18:00:00Z"),
            ProblemKind::NotAPositiveNumber => write!(f, "not a positive whole number"),
            ProblemKind::NotALanguageTag => write!(f, "not a language tag like \"en\" or \"he-IL\""),
            ProblemKind::UnresolvedReference => {
                write!(f, "an @id that names no node of this document (dropped)")
            }
        }
    }
}

/// The card's data, with the values that were dropped (such as a `javascript:` URL).
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub article: Article,
    pub warnings: Vec<Problem>,
}

/// Reads an article from a JSON-LD document. `base` is the URL the document came from (the
/// page's own URL for inline data): relative URLs resolve against it.
///
/// Fails with every problem found (warnings included) when one of them is not a warning.
pub fn parse(doc: &Json, base: Option<&str>) -> Result<Parsed, Vec<Problem>> {
    let mut reader = Reader {
        nodes: Vec::new(),
        base,
        problems: Vec::new(),
    };
    let article = reader.document(doc);
    let Reader { problems, .. } = reader;
    match article {
        Some(article) if problems.iter().all(Problem::is_warning) => Ok(Parsed {
            article,
            warnings: problems,
        }),
        _ => Err(problems),
    }
}

/// Reads an article from JSON-LD text, as the element, `mount()` and every server-side
/// renderer take it: the article and the values it dropped, or every problem, each with its
/// field path (`(document): not valid JSON: …` when it is not JSON at all).
pub fn read_text(text: &str, base: Option<&str>) -> Result<(Article, Vec<String>), Vec<String>> {
    let strings = |problems: &[Problem]| problems.iter().map(ToString::to_string).collect();
    let json = Json::parse(text).map_err(|e| vec![format!("(document): not valid JSON: {e}")])?;
    let parsed = parse_with_base(&json, base).map_err(|problems| strings(&problems))?;
    Ok((parsed.article, strings(&parsed.warnings)))
}

/// Like [`parse`], and `base` may also be root-relative (`/articles/story.json`, how a
/// snippet often names its data): relative URLs then become root-relative ones, which the
/// page showing the card resolves against its own origin.
pub fn parse_with_base(doc: &Json, base: Option<&str>) -> Result<Parsed, Vec<Problem>> {
    // https: a protocol-relative URL (`//cdn.example/a.jpg`) comes out https, as it does
    // with no base at all, not http.
    const STAND_IN: &str = "https://root-relative.invalid";
    let Some(root_relative) = base.filter(|b| b.starts_with('/') && !b.starts_with("//")) else {
        return parse(doc, base);
    };
    let mut parsed = parse(doc, Some(&format!("{STAND_IN}{root_relative}")))?;
    parsed
        .article
        .map_urls(|u| u.strip_prefix(STAND_IN).unwrap_or(u).to_owned());
    Ok(parsed)
}

struct Reader<'a> {
    /// Nodes of an array or `@graph` document, for `@id` references.
    nodes: Vec<&'a Json>,
    base: Option<&'a str>,
    problems: Vec<Problem>,
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

fn types(node: &Json) -> Vec<&str> {
    match node.get("@type") {
        Some(Json::String(t)) => vec![t.as_str()],
        Some(Json::Array(ts)) => ts.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    }
}

fn is_article(node: &Json) -> bool {
    types(node).iter().any(|t| {
        // Full IRIs ("https://schema.org/NewsArticle") and prefixed names ("schema:Article").
        let local = t.rsplit(['/', ':', '#']).next().unwrap_or(t);
        ARTICLE_TYPES.contains(&local)
    })
}

impl<'a> Reader<'a> {
    fn problem(&mut self, path: String, kind: ProblemKind) {
        self.problems.push(Problem {
            path,
            kind,
            fatal: false,
        });
    }

    /// The problems found since the `since`-th cost the whole card.
    fn fatal_since(&mut self, since: usize) {
        for problem in self.problems.iter_mut().skip(since) {
            problem.fatal = true;
        }
    }

    fn wrong_type(&mut self, path: String, expected: &'static str, found: &Json) {
        self.problem(
            path,
            ProblemKind::WrongType {
                expected,
                found: found.kind(),
            },
        );
    }

    fn document(&mut self, doc: &'a Json) -> Option<Article> {
        let before = self.problems.len();
        let article = self.find_article(doc);
        if article.is_none() {
            self.fatal_since(before);
        }
        article
    }

    fn find_article(&mut self, doc: &'a Json) -> Option<Article> {
        let (nodes, prefix): (Vec<&'a Json>, &str) = match doc {
            Json::Object(_) => match doc.get("@graph") {
                Some(Json::Array(graph)) => (graph.iter().collect(), "@graph"),
                Some(other) => {
                    self.wrong_type("@graph".into(), "an array of nodes", other);
                    return None;
                }
                None => (vec![doc], ""),
            },
            Json::Array(items) => (items.iter().collect(), ""),
            other => {
                self.wrong_type(String::new(), "a JSON-LD object", other);
                return None;
            }
        };
        self.nodes = nodes;
        let single = matches!(doc, Json::Object(_)) && prefix.is_empty();
        let found = self
            .nodes
            .iter()
            .enumerate()
            .find(|(_, n)| is_article(n))
            .map(|(i, n)| (i, *n));
        let (node, path) = match found {
            Some((_, node)) if single => (node, String::new()),
            Some((i, node)) => (node, index(prefix, i)),
            // A lone object without any @type is taken as an article: developers calling
            // mount() often pass a plain object.
            None if single && doc.get("@type").is_none() => (doc, String::new()),
            None if single => {
                let found = types(doc).join(", ");
                self.problem("@type".into(), ProblemKind::NotAnArticle { found });
                return None;
            }
            None => {
                self.problem(prefix.to_owned(), ProblemKind::NoArticle);
                return None;
            }
        };
        if !matches!(node, Json::Object(_)) {
            self.wrong_type(path, "an object", node);
            return None;
        }
        Some(self.article(node, &path))
    }

    fn article(&mut self, node: &'a Json, path: &str) -> Article {
        let headline_path = child(path, "headline");
        let before = self.problems.len();
        let headline = match node.get("headline") {
            None | Some(Json::Null) => {
                self.problem(headline_path, ProblemKind::Missing);
                String::new()
            }
            Some(v) => {
                let before = self.problems.len();
                let headline = self.text(v, &headline_path, MAX_HEADLINE);
                // No new problem means the value was there but blank.
                if headline.is_none() && self.problems.len() == before {
                    self.problem(headline_path, ProblemKind::Empty);
                }
                headline.unwrap_or_default()
            }
        };
        // Whatever made the headline unusable (missing, blank, a number, `[42]`,
        // `{"@value": 5}`) costs the card: it cannot be shown without one.
        if headline.is_empty() {
            self.fatal_since(before);
        }
        let standfirst = self
            .field_text(node, path, "alternativeHeadline", MAX_SHORT_TEXT)
            .or_else(|| self.field_text(node, path, "description", MAX_SHORT_TEXT))
            .filter(|s| *s != headline);
        let body = self.field_text_raw(node, path, "articleBody");
        Article {
            headline,
            standfirst,
            url: self.field_url(node, path, "url"),
            authors: self.field_parties(node, path, "author"),
            published: self.field_date(node, path, "datePublished"),
            modified: self.field_date(node, path, "dateModified"),
            dateline: self.field_text(node, path, "dateline", MAX_NAME),
            image: node
                .get("image")
                .and_then(|v| self.image(v, &child(path, "image"))),
            excerpt: body.map(|b| excerpt(&b)).unwrap_or_default(),
            contributors: self.field_parties(node, path, "contributor"),
            publisher: node
                .get("publisher")
                .and_then(|v| self.publisher(v, &child(path, "publisher"))),
            language: node
                .get("inLanguage")
                .and_then(|v| self.language(v, &child(path, "inLanguage"))),
        }
    }

    /// JSON-LD allows any property to hold several values: the card uses the first.
    fn one<'v>(&self, v: &'v Json) -> (&'v Json, Option<usize>) {
        match v {
            Json::Array(items) => match items.first() {
                Some(first) => (first, Some(0)),
                None => (&NULL, None),
            },
            _ => (v, None),
        }
    }

    /// Follows `{"@id": …}` references to the node of the same document that has that id.
    fn deref(&self, v: &'a Json) -> &'a Json {
        let Json::Object(entries) = v else { return v };
        let Some(id) = v.get("@id").and_then(Json::as_str) else {
            return v;
        };
        if entries.iter().any(|(k, _)| !k.starts_with('@')) {
            return v;
        }
        self.nodes
            .iter()
            .copied()
            .find(|n| !std::ptr::eq(*n, v) && n.get("@id").and_then(Json::as_str) == Some(id))
            .unwrap_or(v)
    }

    /// Plain text, whitespace-collapsed and bounded: a string, a JSON-LD value object
    /// (`{"@value": …}`) or the first of an array of them. `None` when absent or empty.
    fn text(&mut self, v: &Json, path: &str, max: usize) -> Option<String> {
        self.text_raw(v, path).and_then(|s| plain(&s, max))
    }

    fn text_raw(&mut self, v: &Json, path: &str) -> Option<String> {
        let (v, i) = self.one(v);
        let path = i.map_or_else(|| path.to_owned(), |i| index(path, i));
        match v {
            Json::Null => None,
            Json::String(s) => Some(s.clone()),
            Json::Object(_) if v.get("@value").is_some() => {
                let value = v.get("@value").unwrap_or(&NULL);
                self.text_raw(value, &child(&path, "@value"))
            }
            other => {
                self.wrong_type(path, "text", other);
                None
            }
        }
    }

    fn field_text(&mut self, node: &Json, path: &str, key: &str, max: usize) -> Option<String> {
        let v = node.get(key)?;
        self.text(v, &child(path, key), max)
    }

    fn field_text_raw(&mut self, node: &Json, path: &str, key: &str) -> Option<String> {
        let v = node.get(key)?;
        self.text_raw(v, &child(path, key))
    }

    fn url(&mut self, v: &Json, path: &str) -> Option<String> {
        let raw = self.text_raw(v, path)?;
        match url::resolve(&raw, self.base) {
            Ok(u) => Some(u),
            Err(UrlProblem::Empty) => None,
            Err(UrlProblem::NotHttp) => {
                self.problem(path.to_owned(), ProblemKind::NotHttpUrl);
                None
            }
            Err(UrlProblem::NoBase) => {
                self.problem(path.to_owned(), ProblemKind::RelativeUrlWithoutBase);
                None
            }
        }
    }

    fn field_url(&mut self, node: &Json, path: &str, key: &str) -> Option<String> {
        let v = node.get(key)?;
        self.url(v, &child(path, key))
    }

    fn field_date(&mut self, node: &Json, path: &str, key: &str) -> Option<Date> {
        let v = node.get(key)?;
        let path = child(path, key);
        let raw = self.text_raw(v, &path)?;
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return None;
        }
        let date = parse_date(trimmed);
        if date.is_none() {
            self.problem(path, ProblemKind::NotADate);
        }
        date
    }

    /// A Person/Organization, a plain name, or an array of them.
    fn field_parties(&mut self, node: &'a Json, path: &str, key: &str) -> Vec<Party> {
        let Some(v) = node.get(key) else {
            return Vec::new();
        };
        let path = child(path, key);
        match v {
            Json::Array(items) => items
                .iter()
                .take(MAX_PEOPLE)
                .enumerate()
                .filter_map(|(i, item)| self.party(item, &index(&path, i)))
                .collect(),
            single => self.party(single, &path).into_iter().collect(),
        }
    }

    fn party(&mut self, v: &'a Json, path: &str) -> Option<Party> {
        match self.deref(v) {
            Json::Null => None,
            Json::String(name) => short_name(name).map(|name| Party { name, url: None }),
            obj @ Json::Object(entries) if entries.iter().all(|(k, _)| k.starts_with('@')) => {
                // A bare reference (`{"@id": …}`) that deref could not follow.
                let kind = if obj.get("@id").is_some() {
                    ProblemKind::UnresolvedReference
                } else {
                    ProblemKind::Missing
                };
                let at = if kind == ProblemKind::Missing {
                    child(path, "name")
                } else {
                    path.to_owned()
                };
                self.problem(at, kind);
                None
            }
            obj @ Json::Object(_) => {
                let name_path = child(path, "name");
                let name = match obj.get("name") {
                    Some(n) => self.text(n, &name_path, MAX_NAME),
                    None => {
                        self.problem(name_path, ProblemKind::Missing);
                        None
                    }
                }?;
                let url = self.field_url(obj, path, "url");
                Some(Party { name, url })
            }
            other => {
                self.wrong_type(
                    path.to_owned(),
                    "a Person, an Organization or a name",
                    other,
                );
                None
            }
        }
    }

    /// An ImageObject, a URL, or an array of them (the first is the hero).
    fn image(&mut self, v: &'a Json, path: &str) -> Option<Image> {
        let (v, i) = self.one(v);
        let path = i.map_or_else(|| path.to_owned(), |i| index(path, i));
        match self.deref(v) {
            Json::Null => None,
            s @ Json::String(_) => self.url(s, &path).map(|url| Image {
                url,
                width: None,
                height: None,
                caption: None,
                credit: None,
            }),
            obj @ Json::Object(_) => {
                let url_key = if obj.get("url").is_some() {
                    "url"
                } else {
                    "contentUrl"
                };
                let url = match obj.get(url_key) {
                    Some(u) => self.url(u, &child(&path, url_key)),
                    None => {
                        self.problem(child(&path, "url"), ProblemKind::Missing);
                        None
                    }
                };
                let width = self.dimension(obj, &path, "width");
                let height = self.dimension(obj, &path, "height");
                let caption = self.field_text(obj, &path, "caption", MAX_SHORT_TEXT);
                let credit = self
                    .field_text(obj, &path, "creditText", MAX_NAME)
                    .or_else(|| {
                        let holder = obj.get("copyrightHolder")?;
                        self.party(holder, &child(&path, "copyrightHolder"))
                            .map(|p| p.name)
                    });
                Some(Image {
                    url: url?,
                    width,
                    height,
                    caption,
                    credit,
                })
            }
            other => {
                self.wrong_type(path, "an ImageObject or a URL", other);
                None
            }
        }
    }

    /// A number, a numeric string ("1200", "1200 px") or a QuantitativeValue.
    fn dimension(&mut self, obj: &Json, path: &str, key: &str) -> Option<u32> {
        let v = obj.get(key)?;
        let path = child(path, key);
        let value = match v {
            Json::Object(_) => v.get("value").unwrap_or(&NULL),
            _ => v,
        };
        let n = match value {
            Json::Null => return None,
            Json::Number(n) => Some(*n),
            Json::String(s) => whole_number(s.trim().trim_end_matches("px").trim()),
            _ => None,
        };
        match n {
            Some(n) if (1.0..=100_000.0).contains(&n) => Some(n.round() as u32),
            _ => {
                self.problem(path, ProblemKind::NotAPositiveNumber);
                None
            }
        }
    }

    fn publisher(&mut self, v: &'a Json, path: &str) -> Option<Publisher> {
        let (v, i) = self.one(v);
        let path = i.map_or_else(|| path.to_owned(), |i| index(path, i));
        match self.deref(v) {
            Json::Null => None,
            Json::String(name) => Some(Publisher {
                name: short_name(name),
                logo: None,
            }),
            obj @ Json::Object(_) => Some(Publisher {
                name: self.field_text(obj, &path, "name", MAX_NAME),
                logo: obj
                    .get("logo")
                    .and_then(|l| self.image(l, &child(&path, "logo"))),
            }),
            other => {
                self.wrong_type(path, "an Organization or a name", other);
                None
            }
        }
    }

    fn language(&mut self, v: &Json, path: &str) -> Option<String> {
        let (v, i) = self.one(v);
        let path = i.map_or_else(|| path.to_owned(), |i| index(path, i));
        // schema.org also allows a Language object; its alternateName holds the tag.
        let (v, path) = match v {
            Json::Object(_) if v.get("@value").is_none() => (
                v.get("alternateName").unwrap_or(&NULL),
                child(&path, "alternateName"),
            ),
            _ => (v, path),
        };
        let tag = self.text(v, &path, 64)?;
        if is_language_tag(&tag) {
            Some(tag)
        } else {
            self.problem(path, ProblemKind::NotALanguageTag);
            None
        }
    }
}

/// "1200" or "1200.0" as a number: integer parsing only, which keeps the float parser (some
/// KB of wasm) out of the build.
fn whole_number(s: &str) -> Option<f64> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() || !frac.chars().all(|c| c == '0') {
        return None;
    }
    int.parse::<u32>().ok().map(f64::from)
}

fn short_name(name: &str) -> Option<String> {
    plain(name, MAX_NAME)
}

/// Text as the card shows it: references decoded once, markup and spacing cleaned, at
/// most `max` characters; `None` when nothing is left.
fn plain(s: &str, max: usize) -> Option<String> {
    Some(text::truncate(
        &text::clean(&text::decode_references(s)),
        max,
    ))
    .filter(|s| !s.is_empty())
}

fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split(['-', '_']);
    let first_ok = parts
        .next()
        .is_some_and(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    first_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The first paragraphs of the body, enough to read as an excerpt.
fn excerpt(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut total = 0;
    for paragraph in text::paragraphs(&text::decode_references(body)) {
        if total >= EXCERPT_TARGET || out.len() == EXCERPT_MAX_PARAGRAPHS {
            break;
        }
        let p = text::truncate(&paragraph, MAX_SHORT_TEXT);
        total += p.chars().count();
        out.push(p);
    }
    out
}

/// Reads `YYYY-MM-DD`, optionally followed by `THH:MM[:SS[.fff]]` and `Z` or `±HH:MM`; or
/// a date as imprecise as `YYYY-MM` or `YYYY`.
pub fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    let number = |r: std::ops::Range<usize>| {
        b.get(r)
            .filter(|p| p.iter().all(u8::is_ascii_digit))
            .map(|p| p.iter().fold(0i32, |n, d| n * 10 + i32::from(d - b'0')))
    };
    if b.len() == 4 || b.len() == 7 {
        let year = number(0..4)?;
        let month = if b.len() == 7 {
            if b.get(4) != Some(&b'-') {
                return None;
            }
            u8::try_from(number(5..7)?)
                .ok()
                .filter(|m| (1..=12).contains(m))?
        } else {
            0
        };
        return Some(Date {
            iso: s.to_owned(),
            year,
            month,
            day: 0,
        });
    }
    parse_full_date(s)
}

fn parse_full_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(r)?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        part.iter().try_fold(0u32, |n, d| {
            n.checked_mul(10)?.checked_add(u32::from(d - b'0'))
        })
    };
    let year = digits(0..4)?;
    let month = digits(5..7)?;
    let day = digits(8..10)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    if b.len() > 10 {
        if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
            return None;
        }
        let hour = digits(11..13)?;
        let minute = digits(14..16)?;
        if b.get(13) != Some(&b':') || hour > 23 || minute > 59 {
            return None;
        }
        let mut i = 16;
        if b.get(i) == Some(&b':') {
            if digits(i + 1..i + 3)? > 60 {
                return None;
            }
            i += 3;
            if b.get(i) == Some(&b'.') {
                i += 1;
                let start = i;
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
                if i == start {
                    return None;
                }
            }
        }
        match b.get(i) {
            None => {}
            Some(b'Z' | b'z') if i + 1 == b.len() => {}
            Some(b'+' | b'-') => {
                let oh = digits(i + 1..i + 3)?;
                let om = match b.len() - i {
                    6 if b.get(i + 3) == Some(&b':') => digits(i + 4..i + 6)?,
                    5 => digits(i + 3..i + 5)?,
                    3 => 0,
                    _ => return None,
                };
                if oh > 23 || om > 59 {
                    return None;
                }
            }
            _ => return None,
        }
    }
    Some(Date {
        iso: s.to_owned(),
        year: year as i32,
        month: month as u8,
        day: day as u8,
    })
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests;
