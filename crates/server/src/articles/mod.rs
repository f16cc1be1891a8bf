//! What the server serves to draw cards: the files (the site, the built script, the
//! stories), the server-rendered card and oEmbed, and articles read from the publishers'
//! own pages (`import`, `--source`).

pub mod assets;
pub mod charset;
pub mod embed;
pub mod import;
pub mod sources;

#[cfg(test)]
mod tests;
