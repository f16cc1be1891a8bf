"""Builds the WordPress plugin's zip, as WordPress's own plugin upload takes it:
build/article-embed-wordpress.zip holds article-embed/ (integrations/wordpress/article-embed)
with languages/article-embed.pot, the template of its translatable strings, written from
the PHP and JS sources' __(), esc_html__() and esc_attr__() calls.

    python3 tools/wordpress-plugin.py
"""

import pathlib
import re
import sys
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PLUGIN = ROOT / "integrations/wordpress/article-embed"
OUT = ROOT / "build/article-embed-wordpress.zip"
DOMAIN = "article-embed"
# A call of a translation function with a literal and the plugin's text domain.
CALL = re.compile(
    r"""\b(?:__|_e|esc_html__|esc_attr__|esc_html_e|esc_attr_e)\(\s*'((?:[^'\\]|\\.)*)'\s*,\s*'"""
    + re.escape(DOMAIN)
    + r"""'\s*\)"""
)


def strings():
    found = {}
    for path in sorted(PLUGIN.rglob("*")):
        if path.suffix not in (".php", ".js"):
            continue
        text = path.read_text(encoding="utf-8")
        for match in CALL.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            message = match.group(1).replace("\\'", "'")
            found.setdefault(message, []).append(f"{path.relative_to(PLUGIN)}:{line}")
    return found


def pot(found):
    def quoted(s):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    version = re.search(r"Version:\s*(\S+)", (PLUGIN / "article-embed.php").read_text()).group(1)
    out = [
        "# Translation template of the Article card plugin.",
        'msgid ""',
        'msgstr ""',
        f'"Project-Id-Version: Article card {version}\\n"',
        '"MIME-Version: 1.0\\n"',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Content-Transfer-Encoding: 8bit\\n"',
        f'"X-Domain: {DOMAIN}\\n"',
        "",
    ]
    for message, places in found.items():
        out.append("#: " + " ".join(places))
        out.append(f"msgid {quoted(message)}")
        out.append('msgstr ""')
        out.append("")
    return "\n".join(out)


def main():
    found = strings()
    if not found:
        sys.exit("tools/wordpress-plugin.py: no translatable strings found")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(OUT, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(PLUGIN.rglob("*")):
            if path.is_file():
                z.write(path, f"article-embed/{path.relative_to(PLUGIN)}")
        z.writestr(f"article-embed/languages/{DOMAIN}.pot", pot(found))
    print(f"{OUT.relative_to(ROOT)}: {OUT.stat().st_size:,} bytes, {len(found)} translatable strings")


if __name__ == "__main__":
    main()
