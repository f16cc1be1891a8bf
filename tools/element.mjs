// Makes, from the element's one declaration (crates/card/src/element.json), what the
// JavaScript side needs of it: the option lists and the height estimate's numbers
// (www/src/options.js), the TypeScript types of the options, attributes and properties
// (www/src/options.d.ts), the Custom Elements Manifest (www/custom-elements.json, which
// editors, Storybook and docs tools read), and the tables of the docs between their
// <!-- element:… --> markers. The Rust side is made by crates/card/build.rs.
//
//   node tools/element.mjs           write them
//   node tools/element.mjs --check   exit 1, naming them, when one differs (make test)
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const REPO = resolve(import.meta.dirname, "..");
const element = JSON.parse(readFileSync(join(REPO, "crates/card/src/element.json"), "utf8"));
const MADE = "Made by tools/element.mjs from crates/card/src/element.json: change that, not this.";
const options = element.attributes.filter((a) => a.option !== false);
const quote = (s) => JSON.stringify(s);
/** The TypeScript type of an attribute's value. */
const tsType = (a) => (a.values ? a.values.map(quote).join(" | ") : "string");

function optionsJs() {
  // The script derives each property from its attribute's name, in fewer bytes than a list.
  for (const a of element.attributes) {
    const camel = a.name.replace(/-./g, (m) => m[1].toUpperCase());
    if (a.property !== camel) throw new Error(`element.json: ${a.name}'s property must be ${camel}`);
  }
  // Single constants: the bundler writes their values in where they are used.
  const constant = (layout, key) => `export const ${layout.toUpperCase()}_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()} = ${element.height[layout][key]};`;
  const heights = ["full", "compact"].flatMap((layout) => Object.keys(element.height[layout]).map((key) => constant(layout, key)));
  return `// ${MADE}

const camel = (name) => name.replace(/-./g, (m) => m[1].toUpperCase());
const ATTRIBUTES = [${element.attributes.map((a) => quote(a.name)).join(", ")}];

/** attribute → property, for each of the card's options (SPEC section 2). */
export const OPTIONS = Object.fromEntries(
  ATTRIBUTES.filter((a) => ![${element.attributes.filter((a) => a.option === false).map((a) => quote(a.name)).join(", ")}].includes(a)).map((a) => [a, camel(a)]),
);

/** [attribute, property] of the properties the element defines (\`lang\` is HTMLElement's own). */
export const PROPERTIES = ATTRIBUTES.filter((a) => ![${element.attributes.filter((a) => a.inherited).map((a) => quote(a.name)).join(", ")}].includes(a)).map((a) => [a, camel(a)]);

/** The numbers of the card's height estimate (crates/card's \`options::estimated_height\`). */
${heights.join("\n")}
`;
}

function optionsDts() {
  const doc = (a) => `  /** \`${a.name}\`: ${a.description}. Default: ${a.default.replace(/`/g, "")}. */`;
  return `// ${MADE}

/** The card's options, by their property names (as mount() and <ArticleEmbed> take them). */
export interface CardOptions {
${options.map((a) => `${doc(a)}\n  ${a.property}?: ${tsType(a)};`).join("\n")}
}

/** The element's attributes, by their names (as HTML and JSX write them). */
export interface CardAttributes {
${element.attributes.map((a) => `${doc(a)}\n  ${quote(a.name)}?: ${tsType(a)};`).join("\n")}
}

/**
 * The element's properties, each reflecting its attribute (\`null\` when absent; setting
 * \`null\` removes it). An unknown value of an enumerated one falls back to the default.
 */
export interface CardProperties {
${element.attributes
  .filter((a) => !a.inherited)
  .map((a) => `${doc(a)}\n  ${a.property}: ${a.values ? `${tsType(a)} | (string & {})` : "string"} | null;`)
  .join("\n")}
}
`;
}

function manifest() {
  const declaration = {
    kind: "class",
    name: "ArticleEmbedElement",
    tagName: element.name,
    customElement: true,
    description: element.description,
    attributes: element.attributes.map((a) => ({
      name: a.name,
      type: { text: tsType(a) },
      default: a.default,
      description: a.description,
      ...(a.inherited ? { inheritedFrom: { name: a.inherited } } : { fieldName: a.property }),
    })),
    members: element.attributes
      .filter((a) => !a.inherited)
      .map((a) => ({
        kind: "field",
        name: a.property,
        type: { text: `${tsType(a)} | null` },
        description: a.description,
        attribute: a.name,
        reflects: true,
      })),
    events: element.events.map((e) => ({ name: e.name, type: { text: `CustomEvent<${e.detail}>` }, description: e.description })),
    cssParts: element.parts,
    cssProperties: element.cssProperties,
    slots: element.slots,
  };
  return `${JSON.stringify(
    {
      schemaVersion: "2.1.0",
      readme: "README.md",
      modules: [
        {
          kind: "javascript-module",
          path: "src/element.js",
          declarations: [declaration],
          exports: [
            { kind: "js", name: "ArticleEmbedElement", declaration: { name: "ArticleEmbedElement", module: "src/element.js" } },
            { kind: "custom-element-definition", name: element.name, declaration: { name: "ArticleEmbedElement", module: "src/element.js" } },
          ],
        },
      ],
    },
    null,
    2,
  )}\n`;
}

const tables = {
  attributes: () =>
    `| attribute | meaning | default |\n|---|---|---|\n${element.attributes
      .map((a) => `| \`${a.name}\` | ${a.description} | ${a.default.startsWith("`") || a.default.includes(" ") || a.default === "none" ? a.default : `\`${a.default}\``} |`)
      .join("\n")}`,
  parts: () => `| part | is |\n|---|---|\n${element.parts.map((p) => `| \`${p.name}\` | ${p.description} |`).join("\n")}`,
  "css-properties": () =>
    `| property | default | sets |\n|---|---|---|\n${element.cssProperties.map((p) => `| \`${p.name}\` | ${p.default} | ${p.description} |`).join("\n")}`,
  events: () =>
    `| event | \`detail\` | when |\n|---|---|---|\n${element.events.map((e) => `| \`${e.name}\` | \`${e.detail}\` | ${e.description} |`).join("\n")}`,
};

/** `text` with each <!-- element:NAME --> … <!-- /element:NAME --> filled anew. */
function fillDocs(text) {
  return text.replace(/<!-- element:([a-z-]+) -->\n[\s\S]*?\n<!-- \/element:\1 -->/g, (whole, name) => {
    if (!tables[name]) throw new Error(`no table "${name}" to fill`);
    return `<!-- element:${name} -->\n${tables[name]()}\n<!-- /element:${name} -->`;
  });
}

const files = {
  "www/src/options.js": optionsJs(),
  "www/src/options.d.ts": optionsDts(),
  "www/custom-elements.json": manifest(),
};
for (const doc of ["README.md", "docs/publishers.md"]) {
  const path = join(REPO, doc);
  if (existsSync(path)) files[doc] = fillDocs(readFileSync(path, "utf8"));
}

const check = process.argv.includes("--check");
const stale = [];
for (const [file, content] of Object.entries(files)) {
  const path = join(REPO, file);
  const current = existsSync(path) ? readFileSync(path, "utf8") : null;
  if (current === content) continue;
  if (check) stale.push(file);
  else {
    writeFileSync(path, content);
    console.log(`tools/element.mjs: wrote ${file}`);
  }
}
if (stale.length) {
  console.error(`tools/element.mjs: not what crates/card/src/element.json makes: ${stale.join(", ")} (run node tools/element.mjs)`);
  process.exit(1);
}
