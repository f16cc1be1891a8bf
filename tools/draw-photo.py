"""Draws the demo story's photo (articles/myanmar-funeral.svg): a crowd in silhouette
raising the three-finger salute against an evening sky. Deterministic, so the file only
changes when this script does.

    python3 tools/draw-photo.py > articles/myanmar-funeral.svg
"""
import random

W, H = 1200, 675
rng = random.Random(2021_03_05)
out = []
add = out.append
add(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}">')
add('<title>Mourners raise the three-finger salute at a funeral in Yangon</title>')
add('<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">'
    '<stop offset="0" stop-color="#27344f"/><stop offset=".55" stop-color="#8a5a55"/>'
    '<stop offset="1" stop-color="#e2a66b"/></linearGradient>'
    '<radialGradient id="sun" cx=".72" cy=".62" r=".35"><stop offset="0" stop-color="#ffe2a8" stop-opacity=".9"/>'
    '<stop offset="1" stop-color="#ffe2a8" stop-opacity="0"/></radialGradient></defs>')
add(f'<rect width="{W}" height="{H}" fill="url(#sky)"/><rect width="{W}" height="{H}" fill="url(#sun)"/>')
# Distant buildings and a pagoda spire.
x = 0
path = [f"M0 {H}"]
while x < W:
    w = rng.randint(40, 110)
    h = rng.randint(330, 430)
    path.append(f"L{x} {h}L{x + w} {h}")
    x += w
path.append(f"L{W} {H}Z")
add(f'<path d="{"".join(path)}" fill="#3b3344" opacity=".55"/>')
add('<path d="M842 430 L858 300 L862 250 L866 300 L882 430Z M848 380h28v8h-28z" fill="#3b3344" opacity=".6"/>')


def person(cx, base, scale, shade, salute):
    s = scale
    head_r = 15 * s
    head_y = base - 95 * s
    body = (f'M{cx - 38 * s:.1f} {base:.1f}'
            f'C{cx - 36 * s:.1f} {base - 55 * s:.1f} {cx - 26 * s:.1f} {base - 72 * s:.1f} {cx:.1f} {base - 74 * s:.1f}'
            f'C{cx + 26 * s:.1f} {base - 72 * s:.1f} {cx + 36 * s:.1f} {base - 55 * s:.1f} {cx + 38 * s:.1f} {base:.1f}Z')
    parts = [f'<path d="{body}"/>', f'<circle cx="{cx:.1f}" cy="{head_y:.1f}" r="{head_r:.1f}"/>']
    if salute:
        side = rng.choice([-1, 1])
        sx = cx + side * 26 * s
        top = base - 170 * s
        arm = (f'M{sx - 7 * s:.1f} {base - 60 * s:.1f}L{sx - 6 * s:.1f} {top + 30 * s:.1f}'
               f'L{sx + 6 * s:.1f} {top + 30 * s:.1f}L{sx + 7 * s:.1f} {base - 60 * s:.1f}Z')
        parts.append(f'<path d="{arm}"/>')
        # Palm and three raised fingers.
        parts.append(f'<rect x="{sx - 9 * s:.1f}" y="{top + 14 * s:.1f}" width="{18 * s:.1f}" height="{20 * s:.1f}" rx="{5 * s:.1f}"/>')
        for k in (-1, 0, 1):
            fx = sx + k * 5.5 * s
            parts.append(f'<rect x="{fx - 2.4 * s:.1f}" y="{top - (4 if k == 0 else 0) * s:.1f}" '
                         f'width="{4.8 * s:.1f}" height="{22 * s:.1f}" rx="{2.4 * s:.1f}"/>')
    add(f'<g fill="{shade}">{"".join(parts)}</g>')


rows = [(470, 0.85, "#2a2230", 0.35), (560, 1.05, "#1f1924", 0.45), (675, 1.35, "#141017", 0.5)]
for base, scale, shade, p in rows:
    cx = rng.uniform(-20, 30)
    while cx < W + 40:
        person(cx, base + rng.uniform(-10, 10), scale * rng.uniform(0.9, 1.1), shade, rng.random() < p)
        cx += 62 * scale * rng.uniform(0.8, 1.2)
add('</svg>')
print("\n".join(out))
