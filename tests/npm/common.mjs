// Shared by the npm package's tests: the packed tarball, scratch apps, the app's own server
// process, and what a page shows of its card.
import assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { openPage, waitForState } from "../e2e/helpers.mjs";

export const run = promisify(execFile);
export const REPO = resolve(import.meta.dirname, "../..");
export const VERSION = readFileSync(join(REPO, "Cargo.toml"), "utf8").match(/^version\s*=\s*"([^"]+)"/m)[1];
export const TARBALL = join(REPO, "dist", `article-embed-${VERSION}.tgz`);
export const SEED_HEADLINE = "Diplomat at Myanmar Embassy in TLV resigns following Junta's crackdown";
export const STORY_URL = "https://news.example/international/myanmar-diplomat-tlv-resigns";

/** A scratch folder for an app, removed after the test. */
export function scratch(t, name) {
  assert.ok(existsSync(TARBALL), `${TARBALL} is missing: run make dist`);
  const dir = mkdtempSync(join(tmpdir(), `article-embed-${name}-`));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The demo story as `public/story.json` of an app, with its photo and logo beside it. */
export function copyStory(publicDir) {
  cpSync(join(REPO, "articles/myanmar-diplomat.json"), join(publicDir, "story.json"));
  for (const file of ["myanmar-funeral.svg", "publisher-logo.svg"]) cpSync(join(REPO, "articles", file), join(publicDir, file));
}

/**
 * Starts an app's server (`command args` in `cwd`) and resolves once `url` answers; `t.after`
 * stops it and everything it started. Its output is kept for the failure message.
 */
export async function startApp(t, command, args, { cwd, env = {}, url, timeout = 120_000 }) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const stop = () => {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  };
  t.after(stop);
  const deadline = Date.now() + timeout;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command} ${args.join(" ")} exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(url);
      if (response.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      stop();
      throw new Error(`${command} ${args.join(" ")} did not answer ${url} within ${timeout / 1000} s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { child, output: () => output, stop };
}

/** The card's state, headline and form action on a page (its first <article-embed>). */
export function card(page) {
  return page.evaluate(() => {
    const element = document.querySelector("article-embed");
    const root = element?.shadowRoot;
    return {
      state: element?.getAttribute("state") ?? null,
      headline: root?.querySelector("[part=headline]")?.textContent ?? null,
      credit: root?.querySelector("[part=credit]")?.textContent ?? null,
      photo: root?.querySelector("[part=image]")?.naturalWidth > 0,
      action: root?.querySelector("form")?.getAttribute("action") ?? null,
      link: root?.querySelector("[part~=link]")?.textContent ?? null,
    };
  });
}

/** Keeps the server's headline node on window, to tell a card taken over from one drawn again. */
export const KEEP_SERVER_HEADLINE = () => {
  document.addEventListener("DOMContentLoaded", () => {
    window.__serverHeadline = document.querySelector("article-embed")?.shadowRoot?.querySelector("[part=headline]") ?? null;
  });
};

/** Whether the card's headline is still the node the HTML parser made. */
export function keptServerNodes(page) {
  return page.evaluate(
    () =>
      window.__serverHeadline instanceof Node &&
      window.__serverHeadline.isConnected &&
      window.__serverHeadline === document.querySelector("article-embed").shadowRoot.querySelector("[part=headline]"),
  );
}

/** Console warnings and errors, and page errors, as one list of lines. */
export function complaints({ console: messages, errors }) {
  return [...messages.filter((m) => m.type === "warning" || m.type === "error").map((m) => `${m.type}: ${m.text}`), ...errors.map((e) => `pageerror: ${e.message}`)];
}

/**
 * Asserts that the package README's "Frameworks" section (www/README.md, what npm shows)
 * shows each file as it is: the recipes are the tested code.
 */
export function assertRecipesInReadme(files) {
  const readme = readFileSync(join(REPO, "www/README.md"), "utf8");
  const start = readme.indexOf("\n## Frameworks\n");
  const next = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, next < 0 ? undefined : next);
  assert.ok(start >= 0, 'the package README has no "## Frameworks" section');
  for (const file of files) {
    const text = readFileSync(join(REPO, file), "utf8").trimEnd();
    assert.ok(section.includes(`\n${text}\n\`\`\``), `the package README's Frameworks section does not show ${file} as it is`);
  }
}

/** Asserts that `url` is rendered for each request: two GETs show two "rendered at <ms>" stamps. */
export async function assertRenderedPerRequest(url) {
  const stamp = async () => (await (await fetch(url)).text()).match(/rendered at (\d+)/)?.[1];
  const first = await stamp();
  assert.ok(first, `${url} shows no "rendered at" stamp`);
  await new Promise((r) => setTimeout(r, 5));
  assert.notEqual(await stamp(), first, `${url} was served from a cache`);
}

/**
 * Clicks `button`, which turns the card dark through the framework's state, and asserts the
 * element got it as a property (its setter called), not only as an attribute.
 */
export async function assertThemeSetAsProperty(page, button) {
  await page.evaluate(() => {
    const proto = customElements.get("article-embed").prototype;
    const own = Object.getOwnPropertyDescriptor(proto, "theme");
    Object.defineProperty(proto, "theme", {
      ...own,
      set(value) {
        window.__themeProperty = value;
        own.set.call(this, value);
      },
    });
  });
  await page.click(button);
  await page.waitForFunction(() => document.querySelector("article-embed").shadowRoot.querySelector("[part=card]").classList.contains("theme-dark"));
  assert.equal(await page.evaluate(() => window.__themeProperty), "dark", "set as a property, not an attribute");
  assert.equal(await page.evaluate(() => document.querySelector("article-embed").getAttribute("theme")), "dark");
}

/**
 * Opens `url` and asserts its card: ready, with the seed story's headline, credit and loaded
 * photo; a server-rendered one taken over (its nodes kept); not one console warning or error.
 */
export async function assertCardOnPage(context, url, { serverRendered, link, timeout = 60_000 }) {
  const opened = await openPage(context, url);
  const { page } = opened;
  await waitForState(page, "article-embed", "ready", timeout);
  const shown = await card(page);
  assert.equal(shown.headline, SEED_HEADLINE);
  if (link) assert.match(shown.link, link, "the card's words in its language");
  assert.equal(shown.credit, "STRINGER/ REUTERS");
  await page.waitForFunction(() => document.querySelector("article-embed").shadowRoot.querySelector("[part=image]")?.complete);
  assert.equal((await card(page)).photo, true, "the photo loaded");
  if (serverRendered) assert.equal(await keptServerNodes(page), true, "the server's card was taken over, not drawn again");
  // A moment for late reports (React logs hydration mismatches after its commit).
  await page.waitForTimeout(300);
  assert.deepEqual(complaints(opened), []);
  await page.close();
}
