// Packs the npm package (www/) into dist/, with the crate's version: Cargo.toml is the one
// place the version is written.
//   node tools/pack.mjs
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

const version = readFileSync("Cargo.toml", "utf8").match(/^version\s*=\s*"([^"]+)"/m)?.[1];
if (!version) throw new Error("no version in Cargo.toml");
const manifestPath = "www/package.json";
const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
if (manifest.version !== version) {
  manifest.version = version;
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`www/package.json: version set to ${version} from Cargo.toml`);
}
const out = execFileSync("npm", ["pack", "--json", "--pack-destination", "../dist"], { cwd: "www", encoding: "utf8" });
const [packed] = JSON.parse(out);
console.log(`dist/${packed.filename}: ${packed.size.toLocaleString("en-US")} bytes packed, ${packed.unpackedSize.toLocaleString("en-US")} unpacked, ${packed.entryCount} files:`);
for (const file of packed.files) console.log(`  ${file.path} (${file.size.toLocaleString("en-US")})`);
