//! `article-embed serve` through storage outages, as an operator meets them: its data
//! directory on a small tmpfs filled to the brim, and its PostgreSQL stopped and started
//! again. Nothing answered 202 is lost, every failure is a 503 with `Retry-After`,
//! `/healthz` says why while it lasts, and the server mends by itself once the cause is
//! gone (no restart). They need what a test machine of this project has (root to mount a
//! tmpfs, Debian's PostgreSQL), so they are `#[ignore]`d here and run by `make test`
//! (`make test-outages`).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

struct Reply {
    status: u16,
    head: String,
    body: String,
}

/// One HTTP/1.1 request on a connection of its own.
fn request(port: u16, method: &str, path: &str, body: Option<&str>) -> Option<Reply> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .ok()?;
    let body = body.unwrap_or("");
    let text = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(text.as_bytes()).ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    let (head, body) = answer.split_once("\r\n\r\n")?;
    let status = head.split_whitespace().nth(1)?.parse().ok()?;
    Some(Reply {
        status,
        head: head.to_ascii_lowercase(),
        body: body.to_owned(),
    })
}

fn signup(port: u16, email: &str) -> Reply {
    let body = serde_json::json!({
        "email": email, "newsletter": "The Jerusalem Post Newsletter", "consent": true,
        "locale": "en"
    })
    .to_string();
    request(port, "POST", "/api/subscribe", Some(&body)).expect("an answer")
}

/// Asks `check` every 200 ms until it says yes, for at most `within`.
fn eventually(within: Duration, mut check: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < within {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    false
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let port = free_port();
        let child = Command::new(env!("CARGO_BIN_EXE_article-embed"))
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .args(["--articles", &format!("{REPO}/articles")])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve starts");
        let server = Server { child, port };
        assert!(
            eventually(Duration::from_secs(20), || {
                request(port, "GET", "/livez", None).is_some_and(|r| r.status == 200)
            }),
            "serve did not come up"
        );
        server
    }

    /// SIGTERM, and the wait for the process to end.
    fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn export(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_article-embed"))
        .args(["signups", "export"])
        .args(args)
        .output()
        .expect("export runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// A tmpfs of `size` mounted at `dir` for the test's life.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Tmpfs {
        std::fs::create_dir_all(dir).expect("mount point");
        let sudo: &[&str] = if is_root() { &[] } else { &["sudo", "-n"] };
        let mut command = Command::new(sudo.first().copied().unwrap_or("mount"));
        if !sudo.is_empty() {
            command.args(&sudo[1..]).arg("mount");
        }
        let status = command
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .status()
            .expect("mount runs");
        assert!(
            status.success(),
            "mounting a tmpfs needs root (or sudo without a password)"
        );
        Tmpfs(dir.to_owned())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let sudo = !is_root();
        let mut command = Command::new(if sudo { "sudo" } else { "umount" });
        if sudo {
            command.args(["-n", "umount"]);
        }
        let _ = command.arg(&self.0).status();
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Fills the file system of `dir` to the last byte.
fn fill(dir: &Path) -> PathBuf {
    let path = dir.join("filler");
    let mut file = std::fs::File::create(&path).expect("filler");
    let block = vec![0u8; 4096];
    while file.write_all(&block).is_ok() {}
    let _ = file.sync_all();
    let byte = [0u8; 1];
    while file.write_all(&byte).is_ok() {}
    path
}

#[test]
#[ignore = "mounts a tmpfs: run by make test (make test-outages)"]
fn a_full_disk_loses_no_acknowledged_signup_and_mends_by_itself() {
    let root = std::env::temp_dir().join(format!("article-embed-full-{}", std::process::id()));
    let disk = Tmpfs::mount(&root, "3m");
    let data = root.join("data");
    let data_arg = data.display().to_string();
    let dist = root.join("no-dist").display().to_string();
    let server = Server::start(&["--data-dir", &data_arg, "--dist", &dist]);
    let port = server.port;
    let mut acknowledged = Vec::new();
    for n in 0..3 {
        let email = format!("before{n}@example.org");
        assert_eq!(signup(port, &email).status, 202);
        acknowledged.push(email);
    }

    let filler = fill(&disk.0);
    let mut refused = 0;
    for n in 0..12 {
        let email = format!("full{n}@example.org");
        let reply = signup(port, &email);
        match reply.status {
            202 => acknowledged.push(email),
            503 => {
                refused += 1;
                assert!(reply.head.contains("retry-after:"), "{}", reply.head);
            }
            other => panic!("{other}: {}", reply.body),
        }
    }
    assert!(
        refused > 0,
        "the disk was full, yet every signup was stored"
    );
    let health = request(port, "GET", "/healthz", None).expect("healthz");
    assert_eq!(health.status, 503, "{}", health.body);
    assert!(
        health.body.contains("full"),
        "the cause is named: {}",
        health.body
    );
    assert_eq!(
        request(port, "GET", "/livez", None).map(|r| r.status),
        Some(200),
        "alive all the same"
    );

    // Space again: the same process takes signups (no connection left holding a lock).
    std::fs::remove_file(&filler).expect("space again");
    assert!(
        eventually(Duration::from_secs(10), || signup(
            port,
            "after@example.org"
        )
        .status
            == 202),
        "the server did not mend by itself"
    );
    acknowledged.push("after@example.org".to_owned());
    assert!(eventually(Duration::from_secs(10), || {
        request(port, "GET", "/healthz", None).is_some_and(|r| r.status == 200)
    }));

    // Restarted: everything it acknowledged is there.
    server.stop();
    let csv = export(&["--data-dir", &data_arg]);
    for email in &acknowledged {
        assert!(
            csv.contains(email.as_str()),
            "{email} was answered 202 and lost:\n{csv}"
        );
    }
    drop(disk);
}

/// A PostgreSQL cluster of the test's own, on a port of its own, that it can stop.
struct Postgres {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    as_postgres: bool,
}

impl Postgres {
    fn new() -> Postgres {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .expect("Debian's PostgreSQL (make test installs it)")
            .filter_map(Result::ok)
            .map(|e| e.path().join("bin"))
            .find(|b| b.join("initdb").exists())
            .expect("initdb");
        let dir = std::env::temp_dir().join(format!("article-embed-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        let as_postgres = is_root();
        let pg = Postgres {
            bin,
            dir,
            port: free_port(),
            as_postgres,
        };
        if as_postgres {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&pg.dir)
                .status()
                .expect("chown");
            assert!(status.success());
        }
        pg.run(&format!(
            "{} -D {}/data -A trust -U postgres >/dev/null",
            pg.bin.join("initdb").display(),
            pg.dir.display()
        ));
        pg.ctl("start");
        pg
    }

    fn run(&self, shell: &str) {
        let status = if self.as_postgres {
            Command::new("su").args(["postgres", "-c", shell]).status()
        } else {
            Command::new("sh").args(["-c", shell]).status()
        }
        .expect("runs");
        assert!(status.success(), "{shell}");
    }

    fn ctl(&self, action: &str) {
        let wait = if action == "start" {
            "-w"
        } else {
            "-m fast -w"
        };
        self.run(&format!(
            "{} -D {dir}/data -l {dir}/log {wait} -o '-p {} -k {dir} -c listen_addresses=127.0.0.1' {action} >/dev/null",
            self.bin.join("pg_ctl").display(),
            self.port,
            dir = self.dir.display(),
        ));
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = std::panic::catch_unwind(|| self.ctl("stop"));
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
#[ignore = "runs a PostgreSQL cluster: run by make test (make test-outages)"]
fn postgresql_stopped_and_started_again_loses_nothing() {
    let pg = Postgres::new();
    let data = std::env::temp_dir().join(format!("article-embed-pg-data-{}", std::process::id()));
    let data_arg = data.display().to_string();
    let url = pg.url();
    let server = Server::start(&["--db", &url, "--data-dir", &data_arg]);
    let port = server.port;
    assert_eq!(signup(port, "first@example.org").status, 202);

    pg.ctl("stop");
    let reply = signup(port, "during@example.org");
    assert_eq!(reply.status, 503, "{}", reply.body);
    assert!(reply.head.contains("retry-after:"), "{}", reply.head);
    let health = request(port, "GET", "/healthz", None).expect("healthz");
    assert_eq!(health.status, 503, "{}", health.body);
    assert!(health.body.contains("cause"), "{}", health.body);

    pg.ctl("start");
    assert!(
        eventually(Duration::from_secs(15), || signup(
            port,
            "again@example.org"
        )
        .status
            == 202),
        "the server did not reconnect by itself"
    );
    assert!(eventually(Duration::from_secs(10), || {
        request(port, "GET", "/healthz", None).is_some_and(|r| r.status == 200)
    }));
    server.stop();
    let csv = export(&["--db", &url]);
    assert!(
        csv.contains("first@example.org") && csv.contains("again@example.org"),
        "{csv}"
    );
    let _ = std::fs::remove_dir_all(&data);
}
