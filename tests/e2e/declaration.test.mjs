// The element's one declaration (crates/card/src/element.json) and the JavaScript made or
// written from it: the made files are what it makes, the element's height estimate gives
// its examples, and the element has every attribute it declares as a property.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";

const REPO = resolve(import.meta.dirname, "../..");
const element = JSON.parse(readFileSync(join(REPO, "crates/card/src/element.json"), "utf8"));

test("the made files are what the declaration makes", () => {
  assert.doesNotThrow(() => execFileSync(process.execPath, [join(REPO, "tools/element.mjs"), "--check"], { cwd: REPO, stdio: "pipe" }));
});

test("the element's height estimate gives the declared examples", async () => {
  const { estimatedHeight } = await import(join(REPO, "www/src/element.js"));
  for (const e of element.height.examples) assert.equal(estimatedHeight(e.width, e.layout, e.form), e.height, JSON.stringify(e));
});

test("the element observes every declared attribute; its prototype has every declared property", async () => {
  // Outside a browser the class is made on a stand-in base; its attributes and accessors are its own.
  const { ArticleEmbedElement } = await import(join(REPO, "www/src/element.js"));
  assert.deepEqual([...ArticleEmbedElement.observedAttributes].sort(), element.attributes.map((a) => a.name).sort());
  for (const a of element.attributes.filter((a) => !a.inherited)) {
    assert.ok(Object.getOwnPropertyDescriptor(ArticleEmbedElement.prototype, a.property)?.set, `${a.property}`);
  }
});

test("the Custom Elements Manifest names the element, its attributes, events, parts, properties and slot", () => {
  const manifest = JSON.parse(readFileSync(join(REPO, "www/custom-elements.json"), "utf8"));
  const pkg = JSON.parse(readFileSync(join(REPO, "www/package.json"), "utf8"));
  assert.equal(pkg.customElements, "custom-elements.json");
  assert.ok(pkg.files.includes("custom-elements.json"));
  const [declaration] = manifest.modules[0].declarations;
  assert.equal(declaration.tagName, "article-embed");
  assert.deepEqual(declaration.attributes.map((a) => a.name), element.attributes.map((a) => a.name));
  assert.deepEqual(declaration.events.map((e) => e.name), ["article-embed:ready", "article-embed:error", "article-embed:subscribe"]);
  assert.equal(declaration.cssParts.length, element.parts.length);
  assert.ok(declaration.cssProperties.some((p) => p.name === "--article-embed-accent"));
  assert.equal(declaration.slots.length, 1);
});
