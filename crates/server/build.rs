//! sqlx::migrate! embeds the migrations: a new file there must rebuild the crate (sqlx's
//! advice), which cargo does not know without this.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
