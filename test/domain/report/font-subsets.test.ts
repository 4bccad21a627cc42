import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fontFaceRules, parseUnicodeRange, subsetsForText } from "../../../domain/report/font-subsets.ts";

// The real ranges of the font the PDF embeds: about 120 Japanese subsets and the Latin ones.
const fontDir = dirname(createRequire(import.meta.url).resolve("@fontsource/noto-sans-jp/package.json"));
const ranges = JSON.parse(readFileSync(join(fontDir, "unicode.json"), "utf8")) as Record<string, string>;

const parsed = Object.entries(ranges).map(([name, range]) => [name, parseUnicodeRange(range)] as const);
const holds = (name: string, codePoint: number) =>
  parsed.some(
    ([subset, list]) => subset === name && list.some(([first, last]) => codePoint >= first && codePoint <= last),
  );
const codePointsOf = (text: string) => [...text].map((character) => character.codePointAt(0) ?? 0);

describe("font subsets", () => {
  it("reads CSS unicode-range values, single points, ranges and wildcards", () => {
    expect(parseUnicodeRange("U+25ee8,U+26ff6-26ff8, U+4??")).toEqual([
      [0x25ee8, 0x25ee8],
      [0x26ff6, 0x26ff8],
      [0x400, 0x4ff],
    ]);
    expect(parseUnicodeRange("")).toEqual([]);
  });

  it("picks only the subsets a text needs: Latin for ASCII, a few pieces for a Japanese sentence", () => {
    // Noto Sans JP's pieces overlap: its Japanese pieces hold ASCII too, and the first that holds a character wins.
    expect(subsetsForText("Report", ranges)).toEqual(["[118]"]);
    expect(subsetsForText("Ǻ", ranges)).toEqual(["latin-ext"]);
    const sentence = subsetsForText("北海道「北のものづくり」連携支援計画 点検評価報告書", ranges);
    expect(sentence.length).toBeGreaterThan(1);
    expect(sentence.length).toBeLessThan(15);
    expect(subsetsForText("", ranges)).toEqual([]);
  });

  it("covers every character the font has, with no piece that adds none, on any text", () => {
    // Japanese, Latin and symbols mixed, as a report has them.
    const character = fc.oneof(
      fc.integer({ min: 0x20, max: 0x7e }),
      fc.integer({ min: 0x3000, max: 0x30ff }),
      fc.integer({ min: 0x4e00, max: 0x9fff }),
      fc.integer({ min: 0xff01, max: 0xff5e }),
    );
    fc.assert(
      fc.property(fc.array(character, { maxLength: 40 }), (codePoints) => {
        const text = String.fromCodePoint(...codePoints);
        const chosen = subsetsForText(text, ranges);
        for (const codePoint of codePointsOf(text))
          if (parsed.some(([name]) => holds(name, codePoint)))
            expect(chosen.some((name) => holds(name, codePoint))).toBe(true);
        // Each chosen piece is the first of the font's list to hold one of the text's characters.
        for (const name of chosen)
          expect(
            codePointsOf(text).some((codePoint) => parsed.find(([subset]) => holds(subset, codePoint))?.[0] === name),
          ).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it("writes one @font-face per piece, under the family the report asks for, with its range kept", () => {
    const css = fontFaceRules("Noto Sans CJK JP", [
      { weight: 400, unicodeRange: "U+0-7f", woff2Base64: "AAAA" },
      { weight: 700, unicodeRange: "U+0-7f", woff2Base64: "BBBB" },
    ]);
    expect(css.split("\n")).toEqual([
      '@font-face{font-family:"Noto Sans CJK JP";font-style:normal;font-weight:400;font-display:block;src:url(data:font/woff2;base64,AAAA) format("woff2");unicode-range:U+0-7f}',
      '@font-face{font-family:"Noto Sans CJK JP";font-style:normal;font-weight:700;font-display:block;src:url(data:font/woff2;base64,BBBB) format("woff2");unicode-range:U+0-7f}',
    ]);
  });
});
