//! What the server keeps is its operator's alone: the data directory and the mail folder
//! are made owner-only (0700), the database and each mail file owner-only (0600), whatever
//! the umask of the shell that started it (`.eml` files hold live confirmation links).

use std::path::Path;

/// Creates `dir` if need be and makes it owner-only.
pub fn dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    set_mode(dir, 0o700)
}

/// Makes the file owner-only; a file that does not exist is left so.
pub fn file(path: &Path) -> std::io::Result<()> {
    match set_mode(path, 0o600) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) -> std::io::Result<()> {
    Ok(())
}
