// Makes, from the widget's words (crates/card/src/words.json), the file the browser fetches
// when a card is in a language other than English (www/src/words.json): the browser's wasm
// holds English only (crates/card/src/i18n.rs). Each table is a list of its phrases, the
// names sorted and the months in place, the order crates/card/build.rs reads them in.
//
//   node tools/words.mjs           write it
//   node tools/words.mjs --check   exit 1 when it differs (make test)
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const REPO = resolve(import.meta.dirname, "..");
const OUT = join(REPO, "www/src/words.json");
const tables = JSON.parse(readFileSync(join(REPO, "crates/card/src/words.json"), "utf8"));
const lists = {};
for (const [tag, table] of Object.entries(tables).sort(([a], [b]) => (a < b ? -1 : 1))) {
  if (tag === "en") continue;
  lists[tag] = Object.keys(table)
    .sort()
    .flatMap((name) => table[name]);
}
// One line per language: the file is fetched whole, and a diff shows which changed.
const made = `{\n${Object.entries(lists)
  .map(([tag, list]) => `${JSON.stringify(tag)}:${JSON.stringify(list)}`)
  .join(",\n")}\n}\n`;

if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(OUT, "utf8");
  } catch {}
  if (current !== made) {
    console.error("www/src/words.json differs from crates/card/src/words.json: run node tools/words.mjs");
    process.exit(1);
  }
} else {
  writeFileSync(OUT, made);
}
