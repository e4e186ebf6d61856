#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""ansi2png: draw a terminal screen, as `tmux capture-pane -e -p -N` prints
it (text with SGR sequences), onto a PNG, one monospace cell per column.

    ansi2png.py [--cols N] [--rows N] [--cursor X,Y] [--title TEXT]
                [--font-size PX] SCREEN.ans OUT.png

Handles the SGR attributes a terminal program uses: bold, dim, italic,
underline, reverse, the 8/16 colours, 256 colours and true colour. Wide
characters take two cells. Needs Pillow (Debian: python3-pil) and DejaVu
Sans Mono (Debian: fonts-dejavu-core).
"""

import argparse
import re
import sys
import unicodedata

from PIL import Image, ImageDraw, ImageFont

FONT_DIRS = ["/usr/share/fonts/truetype/dejavu/", "/usr/share/fonts/dejavu/"]
FONTS = {
    (False, False): "DejaVuSansMono.ttf",
    (True, False): "DejaVuSansMono-Bold.ttf",
    (False, True): "DejaVuSansMono-Oblique.ttf",
    (True, True): "DejaVuSansMono-BoldOblique.ttf",
}

# A dark theme that reads on a projector and on a white page alike.
BG = (0x1d, 0x20, 0x26)
FG = (0xd4, 0xd7, 0xdd)
PALETTE = [
    (0x2e, 0x32, 0x3b), (0xe0, 0x6c, 0x75), (0x8f, 0xd0, 0x6e), (0xe5, 0xc0, 0x7b),
    (0x61, 0xaf, 0xef), (0xc6, 0x78, 0xdd), (0x56, 0xb6, 0xc2), (0xd4, 0xd7, 0xdd),
    (0x5c, 0x63, 0x70), (0xff, 0x7b, 0x86), (0xa8, 0xe8, 0x86), (0xff, 0xd5, 0x8f),
    (0x7e, 0xc4, 0xff), (0xde, 0x92, 0xf2), (0x6e, 0xd0, 0xdc), (0xff, 0xff, 0xff),
]
FRAME = (0x2b, 0x2f, 0x37)
TITLE_FG = (0x9d, 0xa5, 0xb4)


def colour_256(n):
    if n < 16:
        return PALETTE[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return (steps[n // 36], steps[(n // 6) % 6], steps[n % 6])
    g = 8 + (n - 232) * 10
    return (g, g, g)


class Attr:
    def __init__(self):
        self.reset()

    def reset(self):
        self.fg = None
        self.bg = None
        self.bold = self.dim = self.italic = self.underline = self.reverse = False

    def copy(self):
        a = Attr()
        a.__dict__.update(self.__dict__)
        return a

    def apply(self, params):
        ps = [int(p) if p else 0 for p in re.split("[;:]", params)] if params else [0]
        i = 0
        while i < len(ps):
            p = ps[i]
            if p == 0:
                self.reset()
            elif p == 1:
                self.bold = True
            elif p == 2:
                self.dim = True
            elif p == 3:
                self.italic = True
            elif p == 4:
                self.underline = True
            elif p == 7:
                self.reverse = True
            elif p == 22:
                self.bold = self.dim = False
            elif p == 23:
                self.italic = False
            elif p == 24:
                self.underline = False
            elif p == 27:
                self.reverse = False
            elif 30 <= p <= 37:
                self.fg = PALETTE[p - 30]
            elif 40 <= p <= 47:
                self.bg = PALETTE[p - 40]
            elif 90 <= p <= 97:
                self.fg = PALETTE[p - 90 + 8]
            elif 100 <= p <= 107:
                self.bg = PALETTE[p - 100 + 8]
            elif p == 39:
                self.fg = None
            elif p == 49:
                self.bg = None
            elif p in (38, 48) and i + 1 < len(ps):
                if ps[i + 1] == 5 and i + 2 < len(ps):
                    c = colour_256(ps[i + 2])
                    i += 2
                elif ps[i + 1] == 2 and i + 4 < len(ps):
                    c = tuple(ps[i + 2:i + 5])
                    i += 4
                else:
                    c = None
                    i += 1
                if p == 38:
                    self.fg = c
                else:
                    self.bg = c
            i += 1

    def colours(self):
        fg = self.fg or FG
        bg = self.bg or BG
        if self.bold and self.fg in PALETTE[:8]:
            fg = PALETTE[PALETTE.index(self.fg) + 8]
        if self.reverse:
            fg, bg = bg, fg
        if self.dim:
            fg = tuple((f * 55 + b * 45) // 100 for f, b in zip(fg, bg))
        return fg, bg


SEQ = re.compile(r"\x1b\[([0-9;:?]*)([A-Za-z])|\x1b[()][0-9A-Za-z]|\x1b.")


def parse(text, cols, rows):
    """The screen as rows of (char, Attr) cells; None after a wide char.
    Attributes carry over from one line to the next, as tmux writes them."""
    screen = []
    attr = Attr()

    def put(row, chunk):
        for ch in chunk:
            if unicodedata.combining(ch) and row:
                j = len(row) - 1 if row[-1] else len(row) - 2
                row[j] = (row[j][0] + ch, row[j][1])
                continue
            row.append((ch, attr.copy()))
            if unicodedata.east_asian_width(ch) in ("W", "F"):
                row.append(None)

    for line in text.split("\n")[:rows]:
        row = []
        pos = 0
        for m in SEQ.finditer(line):
            put(row, line[pos:m.start()])
            pos = m.end()
            if m.group(2) == "m":
                attr.apply(m.group(1))
        put(row, line[pos:])
        screen.append(row[:cols])
    while len(screen) < rows:
        screen.append([])
    return screen


def font_path(name):
    import os
    for d in FONT_DIRS:
        if os.path.exists(d + name):
            return d + name
    sys.exit("ansi2png: no %s (Debian: apt-get install fonts-dejavu-core)" % name)


def render(screen, cols, rows, cursor, title, size):
    fonts = {k: ImageFont.truetype(font_path(v), size) for k, v in FONTS.items()}
    regular = fonts[(False, False)]
    cw = round(regular.getlength("M"))
    ascent, descent = regular.getmetrics()
    ch = round((ascent + descent) * 1.12)
    pad, bar = 18, 34 if title else 0
    width, height = cols * cw + 2 * pad, rows * ch + 2 * pad + bar
    img = Image.new("RGB", (width, height), FRAME)
    d = ImageDraw.Draw(img)
    d.rounded_rectangle([0, 0, width - 1, height - 1], radius=10, fill=FRAME)
    d.rectangle([pad // 2, bar + pad // 2, width - pad // 2, height - pad // 2], fill=BG)
    if title:
        for i, c in enumerate([(0xff, 0x5f, 0x57), (0xfe, 0xbc, 0x2e), (0x28, 0xc8, 0x40)]):
            x = 18 + i * 20
            d.ellipse([x, 11, x + 12, 23], fill=c)
        tf = ImageFont.truetype(font_path(FONTS[(False, False)]), size - 2)
        tw = d.textlength(title, font=tf)
        d.text(((width - tw) / 2, 9), title, font=tf, fill=TITLE_FG)
    top = pad + bar
    for y, row in enumerate(screen):
        for x, cell in enumerate(row):
            if cell is None:
                continue
            c, a = cell
            fg, bg = a.colours()
            wide = x + 1 < len(row) and row[x + 1] is None
            x0, y0 = pad + x * cw, top + y * ch
            x1 = x0 + cw * (2 if wide else 1)
            if bg != BG:
                d.rectangle([x0, y0, x1 - 1, y0 + ch - 1], fill=bg)
            if c != " ":
                f = fonts[(a.bold, a.italic)]
                d.text((x0, y0 + (ch - ascent - descent) // 2), c, font=f, fill=fg)
            if a.underline:
                d.line([x0, y0 + ch - 2, x1 - 1, y0 + ch - 2], fill=fg)
    if cursor:
        cx, cy = cursor
        x0, y0 = pad + cx * cw, top + cy * ch
        d.rectangle([x0, y0, x0 + cw - 1, y0 + ch - 1], fill=FG)
        if cy < len(screen) and cx < len(screen[cy]) and screen[cy][cx]:
            c = screen[cy][cx][0]
            if c != " ":
                d.text((x0, y0 + (ch - ascent - descent) // 2), c, font=regular, fill=BG)
    return img


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("screen")
    ap.add_argument("out")
    ap.add_argument("--cols", type=int, default=100)
    ap.add_argument("--rows", type=int, default=30)
    ap.add_argument("--cursor", help="X,Y from 0, where the cursor block goes")
    ap.add_argument("--title", default="")
    ap.add_argument("--font-size", type=int, default=16)
    o = ap.parse_args()
    with open(o.screen, encoding="utf-8", errors="replace") as f:
        text = f.read()
    cursor = tuple(int(v) for v in o.cursor.split(",")) if o.cursor else None
    img = render(parse(text, o.cols, o.rows), o.cols, o.rows, cursor, o.title, o.font_size)
    img.save(o.out, optimize=True)


if __name__ == "__main__":
    main()
