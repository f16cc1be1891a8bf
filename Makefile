# article-embed tasks (SPEC section 7). Public tasks:
#
#   make dist   build dist/article-embed.js + its wasm, the npm package and the WordPress
#               plugin's zip; print sizes
#   make demo   build what is missing and serve the demo at http://127.0.0.1:8080
#   make fuzz   fuzz the article reader for FUZZ_SECONDS (60)
#   make bench  benchmarks (not tests): the card four ways side by side (what a host
#               page feels), where the wasm's bytes go, the npm package's server renderer,
#               the signup endpoint under load;
#               results in bench/results/
#   make test   every test: native, in-browser (wasm-bindgen-test), end-to-end (Chromium;
#               the shared suite also in Firefox ESR and WebKitGTK), the packed npm
#               package in fresh Vite, Next.js and Astro apps and on a CDN-like server,
#               Debian's WordPress with and without the plugin
#
# Each installs what a fresh machine lacks and skips what is there.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := dist

WASM_BINDGEN_VERSION := 0.2.130
WASM_TARGET := wasm32-unknown-unknown
CARGO_BIN := $(HOME)/.cargo/bin
export PATH := $(CARGO_BIN):$(PATH)
export CHROMEDRIVER := /usr/bin/chromedriver

# Cargo knows what each build depends on: its targets run cargo every time (a fresh build
# is a no-op that leaves the output's timestamp alone), and what follows them goes by
# those timestamps.
WASM := target/$(WASM_TARGET)/release/article_embed_web.wasm
PKG := www/pkg/article-embed.js
# The wasm of article-embed/server (the card rendered in Node): Yew's server renderer,
# never in the browser's wasm.
NODE_WASM := target/$(WASM_TARGET)/node-ssr/article_embed_node.wasm
SERVER_PKG := www/pkg-server/article-embed-server.js
DIST_JS := dist/article-embed.js
JS_SOURCES := $(shell find www/src -type f)
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
TARBALL := dist/article-embed-$(VERSION).tgz
# The server binary. A dev build: quick to compile and ample for the demo and the tests.
BIN := target/debug/article-embed
DEMO_ARTICLES := build/demo/articles
DEMO_STORY := $(DEMO_ARTICLES)/myanmar-diplomat.json

.PHONY: FORCE dist demo test test-native test-postgres test-outages test-browser test-e2e test-npm test-wordpress bench fuzz lint setup setup-rust setup-browser setup-engines setup-wordpress setup-node clean

WORDPRESS_ZIP := build/article-embed-wordpress.zip

dist: $(DIST_JS) $(TARBALL) $(WORDPRESS_ZIP)
	@echo "what a reader downloads for one card:"
	@node tools/sizes.mjs --budget $(DIST_JS) $$(ls dist/article-embed-*.js | grep -v -e frame -e resizer) dist/article-embed-*.wasm
	@echo "and for a card in another language than English, its words:"
	@node tools/sizes.mjs dist/article-embed-*.json
	@echo "iframe mode:"
	@node tools/sizes.mjs dist/article-embed-frame.js dist/article-embed-resizer.js
	@echo "the script from the npm package on a CDN, once this version is published:"
	@node tools/cdn-tag.mjs

# The server keeps its signups and mail in ./article-embed-data (never served); the
# confirmation mail of a signup on the demo page is the newest file in its mail/ folder.
demo: dist $(BIN) dist/ssr.html $(DEMO_STORY)
	$(BIN) serve --addr 127.0.0.1:8080 --articles $(DEMO_ARTICLES)

test: test-native test-postgres test-outages test-browser test-e2e test-npm test-wordpress

test-native:
	node tools/element.mjs --check
	node tools/words.mjs --check
	cargo test --workspace --exclude article-embed-web --exclude article-embed-node --all-targets

# The server through storage outages: its data directory on a tmpfs filled to the brim, its
# PostgreSQL (a cluster of the test's own, from Debian's packages) stopped and started.
test-outages:
	tools/postgres.sh >/dev/null
	cargo test -p article-embed --test outages -- --ignored --test-threads 1

# The server on a real PostgreSQL (installed and started by tools/postgres.sh).
test-postgres:
	ARTICLE_EMBED_TEST_POSTGRES=$$(tools/postgres.sh) cargo test -p article-embed-server --test postgres -- --ignored

test-browser: setup-rust setup-browser
	cargo test --target $(WASM_TARGET) -p article-embed-web --test web

# The end-to-end tests; engines.test.mjs runs in Chromium, Firefox ESR and WebKitGTK,
# cluster.test.mjs runs three servers on the real PostgreSQL.
test-e2e: dist $(BIN) dist/ssr.html $(DEMO_STORY) setup-browser setup-engines
	ARTICLE_EMBED_TEST_POSTGRES=$$(tools/postgres.sh) node --test --test-concurrency=1 --test-timeout=300000 tests/e2e/

# The packed tarball in fresh apps: Vite + TypeScript; Vite SSR + React 19 with the server
# renderer; Next.js made by create-next-app; Astro (on Node 22 from the npm registry where
# the machine's Node is older); unpacked on a CDN-like server. All from the npm registry.
test-npm: dist $(BIN) setup-browser
	node --test --test-timeout=600000 tests/npm/

# Debian's WordPress (Apache, mod_php, its own MariaDB) on one origin, article-embed serve on
# another: the plugin, discovery without it, Authors and Administrators (tests/wordpress/).
test-wordpress: dist $(BIN) $(DEMO_STORY) setup-browser setup-wordpress
	node --test --test-timeout=900000 tests/wordpress/

# twiggy (for the wasm size breakdown) is installed on first use, pinned.
bench: dist $(BIN) setup-browser
	node bench/run.mjs
	node bench/server-render.mjs
	command -v twiggy >/dev/null || cargo install twiggy --version 0.8.0 --locked
	node tools/wasm-breakdown.mjs
	cargo build --profile server -p article-embed
	node bench/mobile.mjs --bin target/server/article-embed
	node bench/languages.mjs --bin target/server/article-embed
	node bench/pow.mjs --bin target/server/article-embed
	node bench/signup-load.mjs --bin target/server/article-embed
	node bench/signup-load.mjs --bin target/server/article-embed --processes 3 --postgres $$(tools/postgres.sh)

# Coverage-guided fuzzing of the article reader (libFuzzer through cargo-fuzz), for a
# bounded time; not part of make test. cargo-fuzz needs nightly flags: RUSTC_BOOTSTRAP
# lets the one stable toolchain of these machines accept them.
FUZZ_SECONDS ?= 60
fuzz:
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
	RUSTC_BOOTSTRAP=1 cargo fuzz run parse --fuzz-dir fuzz -- -max_total_time=$(FUZZ_SECONDS)

lint:
	cargo fmt --check
	cargo clippy --workspace --exclude article-embed-web --exclude article-embed-node --all-targets -- -D warnings
	cargo clippy --target $(WASM_TARGET) -p article-embed-node --all-targets -- -D warnings
	# Alone: with the node crate, features unify and the card would hold every language.
	cargo clippy --target $(WASM_TARGET) -p article-embed-web --all-targets -- -D warnings

# --- build -----------------------------------------------------------------------------

# `cargo build` of a ["cdylib", "rlib"] crate does not apply LTO across the cdylib as fully
# as building the cdylib alone: asking for it alone saves ~9 KB of brotli.
# std is rebuilt for the card with panics that abort on the spot (no message formatting,
# no file paths, no panic hook): -12.9 KB brotli. The card never panics on outside data;
# if it ever did, it would trap either way. Every function of every crate may be inlined
# across crates (-Zcross-crate-inline-threshold=always): -3.4 KB brotli, measured when the
# card became a crate of its own (crates/card), which had cost +0.7 KB. The flags are
# unstable, hence RUSTC_BOOTSTRAP on the pinned stable toolchain (docs/architecture.md, "Sizes and speed").
$(WASM): FORCE | setup-rust
	RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zcross-crate-inline-threshold=always" \
	  cargo rustc -p article-embed-web --release --target $(WASM_TARGET) --lib --crate-type cdylib -Z build-std=std,panic_abort

# wasm-opt from npm's binaryen 132 (Debian's 108 breaks wasm-bindgen's externref table):
# measured -1.1 KB brotli on top of opt-level "z" + LTO.
# tools/short-names.mjs then renames the wasm's imports and exports, in it and its glue:
# -3.7 KB brotli in the wasm, -1.4 KB in the glue (measured).
$(PKG): $(WASM) tools/short-names.mjs | setup-rust setup-node
	wasm-bindgen --target web --out-dir www/pkg --out-name article-embed \
	  --remove-name-section --remove-producers-section $(WASM)
	node_modules/binaryen/bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
	  --enable-reference-types --enable-sign-ext --enable-mutable-globals \
	  www/pkg/article-embed_bg.wasm -o www/pkg/article-embed_bg.wasm
	node tools/short-names.mjs www/pkg/article-embed.js www/pkg/article-embed_bg.wasm

# The snippet's renderer for the npm package's server side (crates/node), in a profile of
# its own so that neither build overwrites the other's artifacts.
$(NODE_WASM): FORCE | setup-rust
	cargo build -p article-embed-node --profile node-ssr --target $(WASM_TARGET)

# The renderer's wasm goes inside a JS module and the glue becomes a function
# (tools/server-glue.mjs): every bundler keeps it working, and a render does no I/O.
$(SERVER_PKG): $(NODE_WASM) tools/server-glue.mjs | setup-rust
	rm -rf www/pkg-server
	wasm-bindgen --target web --out-dir www/pkg-server --out-name article-embed-server \
	  --remove-name-section --remove-producers-section $(NODE_WASM)
	node tools/server-glue.mjs www/pkg-server

# What the JavaScript side takes from the element's one declaration (tools/element.mjs).
ELEMENT_MADE := www/src/options.js www/src/options.d.ts www/custom-elements.json
$(ELEMENT_MADE): crates/card/src/element.json tools/element.mjs
	node tools/element.mjs

# The words of every language but English, which the browser's wasm does not hold: fetched
# when a card needs them (tools/words.mjs).
www/src/words.json: crates/card/src/words.json tools/words.mjs
	node tools/words.mjs

# The script of the snippet is a small loader; the wasm glue is a chunk beside it, imported
# only when a card needs it. Glue and wasm get content-hashed names (tools/hash-dist.mjs),
# so servers can cache them for good while the loader keeps its stable name.
$(DIST_JS): $(PKG) $(JS_SOURCES) $(ELEMENT_MADE) www/src/words.json tools/hash-dist.mjs | setup-node
	mkdir -p dist
	rm -f dist/article-embed-*.js
	node_modules/.bin/esbuild article-embed=www/src/snippet.js \
	  article-embed-frame=www/src/frame.js article-embed-resizer=www/src/resizer.js \
	  --bundle --splitting --format=esm --minify --target=es2022 --legal-comments=none \
	  --log-level=warning --outdir=dist --entry-names=[name] --chunk-names=article-embed-[hash]
	node tools/hash-dist.mjs

$(BIN): FORCE
	cargo build -p article-embed

# The demo's articles: the seed story imported from its page (articles/myanmar-diplomat.html,
# the publisher's page saved as a file), as a publisher would with `article-embed import`;
# the other languages, the photo and the logo as they are. The root-relative --base keeps
# the photo's URL relative to whichever server serves the folder.
$(DEMO_STORY): $(BIN) $(wildcard articles/*)
	rm -rf $(DEMO_ARTICLES)
	mkdir -p $(DEMO_ARTICLES)
	cp $(filter-out articles/myanmar-diplomat.json,$(wildcard articles/*)) $(DEMO_ARTICLES)/
	$(BIN) import articles/myanmar-diplomat.html --base /articles/myanmar-diplomat.html \
	  --articles $(DEMO_ARTICLES)

# A demo page of ten server-rendered cards, from `article-embed snippet`.
dist/ssr.html: $(BIN) tools/ssr-page.mjs $(DEMO_STORY)
	node tools/ssr-page.mjs $(BIN) $(DEMO_STORY)

$(TARBALL): $(PKG) $(SERVER_PKG) $(DIST_JS) $(JS_SOURCES) $(ELEMENT_MADE) tools/pack.mjs www/package.json www/README.md Cargo.toml
	mkdir -p dist
	rm -f dist/article-embed-*.tgz
	node tools/pack.mjs

# The WordPress plugin, as WordPress's plugin upload takes it, with its strings' template.
$(WORDPRESS_ZIP): $(shell find integrations/wordpress -type f) tools/wordpress-plugin.py
	python3 tools/wordpress-plugin.py

# --- what a fresh machine lacks ----------------------------------------------------------

setup: setup-rust setup-browser setup-engines setup-wordpress setup-node

setup-rust:
	@rustup target list --installed | grep -qx $(WASM_TARGET) || rustup target add $(WASM_TARGET)
	@rustup component list --installed | grep -q '^rust-src' || rustup component add rust-src
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (a few minutes, once)"; \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi

# Noto fonts: the language tests need real Burmese, Hebrew and Arabic glyphs.
setup-browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans Myanmar"; then \
	  echo "installing Debian's chromium, chromium-driver and fonts-noto-core"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-core; \
	fi

# Firefox ESR and WebKitGTK (Safari's engine, driven by WebKitWebDriver under Xvfb), from
# Debian's packages: browsers downloaded by test tools do not install here.
setup-engines:
	@if [ ! -x /usr/bin/firefox-esr ] || [ ! -x /usr/bin/WebKitWebDriver ] || ! command -v xvfb-run >/dev/null; then \
	  echo "installing Debian's firefox-esr, webkit2gtk-driver and xvfb"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends webkit2gtk-driver xvfb xauth; \
	fi

# WordPress 6.1 as Debian packages it, with Apache and mod_php, and MariaDB for its database.
setup-wordpress:
	@if [ ! -f /usr/share/wordpress/wp-settings.php ] || ! command -v mariadbd >/dev/null || [ ! -f /usr/lib/apache2/modules/libphp8.2.so ]; then \
	  echo "installing Debian's wordpress, apache2, libapache2-mod-php, mariadb-server"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wordpress apache2 libapache2-mod-php \
	    mariadb-server php-mysql php-curl php-xml php-mbstring; \
	fi

setup-node: node_modules/.package-lock.json

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

clean:
	rm -rf dist build www/pkg www/pkg-server www/dist node_modules
	cargo clean
