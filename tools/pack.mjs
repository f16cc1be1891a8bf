// Packs the npm package (www/) into dist/, with the crate's version: Cargo.toml is the one
// place the version is written.
//   node tools/pack.mjs
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const version = readFileSync("Cargo.toml", "utf8").match(/^version\s*=\s*"([^"]+)"/m)?.[1];
if (!version) throw new Error("no version in Cargo.toml");
const manifestPath = "www/package.json";
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
if (manifest.version !== version) {
  manifest.version = version;
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`www/package.json: version set to ${version} from Cargo.toml`);
}
// The one-file script of the snippet, with its hashed glue, wasm and words, for a <script src> from
// a CDN that serves npm packages (the package's unpkg and jsdelivr fields name it).
const loader = readFileSync("dist/article-embed.js", "utf8");
const beside = [...new Set([...loader.matchAll(/"\.\/(article-embed-[0-9a-f]{16}\.(?:js|wasm))"/g)].map((m) => m[1]))];
if (beside.length !== 2) throw new Error(`dist/article-embed.js should name its hashed glue and wasm, found ${beside.join(", ")}`);
// The glue names the words of the other languages.
const glue = readFileSync(join("dist", beside.find((f) => f.endsWith(".js"))), "utf8");
const words = glue.match(/"\.\/(article-embed-[0-9a-f]{16}\.json)"/)?.[1];
if (!words) throw new Error("the glue should name its hashed words");
beside.push(words);
rmSync("www/dist", { recursive: true, force: true });
mkdirSync("www/dist");
for (const file of ["article-embed.js", ...beside]) copyFileSync(join("dist", file), join("www/dist", file));

const out = execFileSync("npm", ["pack", "--json", "--pack-destination", "../dist"], { cwd: "www", encoding: "utf8" });
const [packed] = JSON.parse(out);
console.log(`dist/${packed.filename}: ${packed.size.toLocaleString("en-US")} bytes packed, ${packed.unpackedSize.toLocaleString("en-US")} unpacked, ${packed.entryCount} files:`);
for (const file of packed.files) console.log(`  ${file.path} (${file.size.toLocaleString("en-US")})`);
