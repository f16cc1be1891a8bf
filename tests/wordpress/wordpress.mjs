// Debian's WordPress for the tests, as a newsroom runs it: Apache with mod_php serving
// /usr/share/wordpress, a MariaDB of its own, the Twenty Twenty-Three theme, plain
// permalinks (?p=N). Everything it writes (database, wp-content, logs) lives in a scratch
// folder; Debian's per-site configuration file is the one thing written outside it
// (/etc/wordpress/config-<name>.php, which Debian's wp-config.php reads), and removed after.
//
// Apache, MariaDB and WordPress come from Debian's packages (make setup-wordpress).
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { chmodSync, chownSync, cpSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "../e2e/helpers.mjs";

const run = promisify(execFile);
const WORDPRESS = "/usr/share/wordpress";
const MODULES = "/usr/lib/apache2/modules";

/** Waits until `probe` resolves truthy, or fails naming `what` with `log()`. */
async function until(what, probe, log, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} did not come up:\n${log()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Starts a server in a process group of its own, its output to `log`; `t.after` kills the
 * whole group (Apache's workers too, which would otherwise outlive it holding its pipes).
 */
function daemon(t, command, args, log) {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
  child.stdout.on("data", log);
  child.stderr.on("data", log);
  t.after(() => {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  });
  return child;
}

/** Runs PHP code (after `<?php`) inside WordPress, as its command line would; returns its output. */
export async function php(site, code) {
  const file = join(site.dir, `run-${Math.random().toString(36).slice(2)}.php`);
  writeFileSync(
    file,
    `<?php
$_SERVER['WORDPRESS_CONFIG'] = ${JSON.stringify(site.name)};
$_SERVER['HTTP_HOST'] = ${JSON.stringify(new URL(site.url).host)};
${code}`,
  );
  try {
    const { stdout } = await run("php", [file], { cwd: site.dir, timeout: 60_000 });
    return stdout;
  } finally {
    rmSync(file, { force: true });
  }
}

/**
 * Starts MariaDB and Apache with WordPress installed on `host`: an Administrator and an
 * Author, each with an application password (what the block editor's REST calls and the
 * tests use), and a must-use plugin that lets WordPress's HTTP client reach `allowPorts`
 * on this machine's loopback (test-only: WordPress refuses private addresses and ports
 * other than 80, 443 and 8080). `t.after` stops everything.
 */
export async function startWordPress(t, dir, { host = "localhost", allowPorts = [] } = {}) {
  // Apache's www-data must reach the folder (the socket, wp-content) through its parents.
  for (let up = dir; up !== "/"; up = dirname(up)) chmodSync(up, statSync(up).mode | 0o711);
  const name = `article-embed-test-${process.pid}`;
  const port = await freePort();
  const site = { dir, name, url: `http://${host}:${port}` };
  const content = join(dir, "wp-content");
  const db = join(dir, "db");
  const socket = join(dir, "mysql.sock");
  mkdirSync(join(content, "plugins"), { recursive: true });
  mkdirSync(join(content, "mu-plugins"));
  mkdirSync(join(content, "uploads"));
  mkdirSync(join(content, "themes"));
  symlinkSync(join(WORDPRESS, "wp-content/themes/twentytwentythree"), join(content, "themes/twentytwentythree"));
  writeFileSync(
    join(content, "mu-plugins/test-loopback.php"),
    `<?php
// Test only: the publisher's server runs on this machine's loopback, on ports of its own.
add_filter( 'http_request_host_is_external', '__return_true' );
add_filter( 'http_allowed_safe_ports', function ( $ports ) { return array_merge( $ports, ${JSON.stringify(allowPorts)} ); } );
`,
  );

  // MariaDB, private to the test.
  await run("mariadb-install-db", ["--no-defaults", `--datadir=${db}`, "--auth-root-authentication-method=normal", "--skip-test-db", "--user=root"], { timeout: 120_000 });
  let dbLog = "";
  const mariadb = daemon(t, "mariadbd", ["--no-defaults", `--datadir=${db}`, `--socket=${socket}`, "--skip-networking", "--user=root", `--pid-file=${join(dir, "mariadb.pid")}`], (d) => (dbLog += d));
  await until("MariaDB", async () => (await run("mariadb", ["--no-defaults", `--socket=${socket}`, "-uroot", "-e", "SELECT 1"])).stdout.includes("1"), () => dbLog);
  await run("mariadb", ["--no-defaults", `--socket=${socket}`, "-uroot", "-e", "CREATE DATABASE wordpress; CREATE USER 'wordpress'@'localhost' IDENTIFIED BY 'wordpress'; GRANT ALL ON wordpress.* TO 'wordpress'@'localhost';"]);

  // Debian's wp-config.php reads /etc/wordpress/config-<WORDPRESS_CONFIG>.php.
  const config = `/etc/wordpress/config-${name}.php`;
  writeFileSync(
    config,
    `<?php
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wordpress' );
define( 'DB_PASSWORD', 'wordpress' );
define( 'DB_HOST', 'localhost:${socket}' );
define( 'WP_CONTENT_DIR', '${content}' );
define( 'WP_CONTENT_URL', '${site.url}/wp-content' );
define( 'WP_HOME', '${site.url}' );
define( 'WP_SITEURL', '${site.url}' );
// Application passwords over plain http (the test has no TLS).
define( 'WP_ENVIRONMENT_TYPE', 'local' );
// Plugins are installed by the test's own PHP, not through FTP credentials.
define( 'FS_METHOD', 'direct' );
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'WP_ACCESSIBLE_HOSTS', '127.0.0.1,localhost' );
`,
  );
  t.after(() => rmSync(config, { force: true }));

  const install = JSON.parse(
    await php(
      site,
      `define( 'WP_INSTALLING', true );
require '${WORDPRESS}/wp-load.php';
require ABSPATH . 'wp-admin/includes/upgrade.php';
wp_install( 'Test newsroom', 'editor', 'editor@example.org', true, '', 'editor-password-1' );
switch_theme( 'twentytwentythree' );
$author = wp_insert_user( array( 'user_login' => 'writer', 'user_pass' => 'writer-password-1', 'user_email' => 'writer@example.org', 'role' => 'author' ) );
$admin  = get_user_by( 'login', 'editor' )->ID;
list( $author_password ) = WP_Application_Passwords::create_new_application_password( $author, array( 'name' => 'tests' ) );
list( $admin_password )  = WP_Application_Passwords::create_new_application_password( $admin, array( 'name' => 'tests' ) );
echo wp_json_encode( array( 'author' => array( 'writer', $author_password ), 'admin' => array( 'editor', $admin_password ) ) );`,
    ),
  );
  // Apache runs as www-data: WordPress's folders are its own, and it reaches the socket.
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir)) if (entry !== "db") chownRecursive(join(dir, entry));

  // Apache with mod_php, as Debian's packages come, on a port of its own.
  const apacheConf = join(dir, "apache.conf");
  writeFileSync(
    apacheConf,
    `ServerRoot /etc/apache2
Listen ${host === "localhost" ? "127.0.0.1" : host}:${port}
ServerName ${host}
PidFile ${join(dir, "apache.pid")}
Mutex file:${dir}
DefaultRuntimeDir ${dir}
LoadModule mpm_prefork_module ${MODULES}/mod_mpm_prefork.so
LoadModule authz_core_module ${MODULES}/mod_authz_core.so
LoadModule dir_module ${MODULES}/mod_dir.so
LoadModule mime_module ${MODULES}/mod_mime.so
LoadModule alias_module ${MODULES}/mod_alias.so
LoadModule env_module ${MODULES}/mod_env.so
LoadModule php_module ${MODULES}/libphp8.2.so
User www-data
Group www-data
ErrorLog ${join(dir, "apache-error.log")}
TypesConfig /etc/mime.types
StartServers 4
DocumentRoot ${WORDPRESS}
Alias /wp-content ${content}
DirectoryIndex index.php
SetEnv WORDPRESS_CONFIG ${name}
<Directory ${WORDPRESS}>
  Options FollowSymLinks
  AllowOverride None
  Require all granted
</Directory>
<Directory ${content}>
  Options FollowSymLinks
  Require all granted
</Directory>
<FilesMatch "\\.php$">
  SetHandler application/x-httpd-php
</FilesMatch>
`,
  );
  let webLog = "";
  daemon(t, "apache2", ["-f", apacheConf, "-DFOREGROUND"], (d) => (webLog += d));
  let answer = "";
  await until(
    "Apache",
    async () => {
      const response = await fetch(`${site.url}/`);
      const text = await response.text();
      answer = `${response.status}: ${text.slice(Math.max(0, text.indexOf("<body")), text.indexOf("<body") + 2000)}`;
      return response.ok;
    },
    () => `${webLog}\n${answer}`,
  );

  return {
    ...site,
    log: () => webLog,
    /** A REST call as `who` ("author" or "admin"); resolves to the JSON answer. */
    async rest(who, route, { method = "GET", body, query = "" } = {}) {
      const [user, password] = install[who];
      const response = await fetch(`${site.url}/?rest_route=${encodeURIComponent(route)}${query && `&${query}`}`, {
        method,
        headers: {
          Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`,
          ...(body ? { "Content-Type": "application/json" } : {}),
        },
        body: body && JSON.stringify(body),
      });
      const json = await response.json();
      assert.ok(response.ok, `${method} ${route} as ${who}: ${response.status} ${JSON.stringify(json)}`);
      return json;
    },
    /** Publishes a post as `who` with `content` (as the block editor saves it); resolves to its URL. */
    async publish(who, title, content) {
      const post = await this.rest(who, "/wp/v2/posts", { method: "POST", body: { title, content, status: "publish" } });
      return { id: post.id, url: post.link, saved: (await this.rest(who, `/wp/v2/posts/${post.id}`, { query: "context=edit" })).content.raw };
    },
  };
}

/** www-data, Apache's user on Debian. */
function chownRecursive(path) {
  chownSync(path, 33, 33);
  for (const entry of readdirSafe(path)) chownRecursive(join(path, entry));
}

function readdirSafe(path) {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}

/** Installs a plugin's zip as WordPress's plugin upload does (Plugin_Upgrader), and activates it. */
export async function installPlugin(site, zip, slug) {
  const copy = join(site.dir, "upload.zip");
  cpSync(zip, copy);
  const out = await php(
    site,
    `require '${WORDPRESS}/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/file.php';
require_once ABSPATH . 'wp-admin/includes/misc.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
require_once ABSPATH . 'wp-admin/includes/class-wp-upgrader.php';
$upgrader = new Plugin_Upgrader( new Automatic_Upgrader_Skin() );
$installed = $upgrader->install( ${JSON.stringify(copy)} );
$activated = activate_plugin( ${JSON.stringify(slug)} );
echo wp_json_encode( array( 'installed' => true === $installed, 'activated' => null === $activated, 'messages' => $upgrader->skin->get_upgrade_messages() ) );`,
  );
  chownRecursive(join(site.dir, "wp-content/plugins"));
  return JSON.parse(out.slice(out.indexOf("{")));
}
