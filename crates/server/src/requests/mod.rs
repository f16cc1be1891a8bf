//! What every request and answer shares: who is asking (behind proxies), the headers that
//! are policy, and the server's own small pages.

pub mod client_ip;
pub mod headers;
pub mod pages;
