/**
 * Which pieces of a webfont a document needs. A Japanese font is split into subsets by Unicode range (the way
 * @fontsource/noto-sans-jp ships Noto Sans JP: about 120 pieces of a few dozen KB each); a printed report embeds
 * only the pieces that hold a character of its text, so no system font is needed and nothing unused is carried.
 */

/** An inclusive range of code points. */
export type CodePointRange = readonly [first: number, last: number];

/**
 * A CSS `unicode-range` value ("U+25ee8,U+26ff6-26ff8,U+4??") as inclusive code point ranges; a `?` stands for any
 * hex digit, as CSS defines it.
 */
export function parseUnicodeRange(value: string): CodePointRange[] {
  const ranges: CodePointRange[] = [];
  for (const part of value.split(",")) {
    const match = /^\s*U\+([0-9a-f?]{1,6})(?:-([0-9a-f]{1,6}))?\s*$/i.exec(part);
    if (!match?.[1]) continue;
    const [, start, end] = match;
    if (start.includes("?"))
      ranges.push([parseInt(start.replaceAll("?", "0"), 16), parseInt(start.replaceAll("?", "f"), 16)]);
    else ranges.push([parseInt(start, 16), parseInt(end ?? start, 16)]);
  }
  return ranges;
}

/**
 * The subsets to embed for `text`: for each of its characters, the first subset in the order given that holds it
 * (a font's pieces overlap: Noto Sans JP's kana and Latin letters appear in more than one), so every character is
 * covered once and a piece that covers nothing new is left out. Returned in the order given. Pass the whole
 * document: markup adds only ASCII, and attribute text (a chart's description) is read out and printed too.
 */
export function subsetsForText(text: string, subsets: Readonly<Record<string, string>>): string[] {
  const names = Object.keys(subsets);
  // Which piece each code point comes from; a font covers some tens of thousands, so a map is small and quick.
  const owner = new Map<number, number>();
  names.forEach((name, index) => {
    for (const [first, last] of parseUnicodeRange(subsets[name] ?? ""))
      for (let codePoint = first; codePoint <= last; codePoint++)
        if (!owner.has(codePoint)) owner.set(codePoint, index);
  });
  const needed = new Set<number>();
  for (const character of text) {
    const index = owner.get(character.codePointAt(0) ?? 0);
    if (index !== undefined) needed.add(index);
  }
  return names.filter((_, index) => needed.has(index));
}

/** One piece of a font to embed: its weight, its range, and the WOFF2 file as base64. */
export interface EmbeddedFace {
  weight: number;
  unicodeRange: string;
  woff2Base64: string;
}

/**
 * `@font-face` rules that carry each piece in a data: URL, under `family`. Each keeps its `unicode-range`, so the
 * browser takes every character from the piece that holds it.
 */
export function fontFaceRules(family: string, faces: readonly EmbeddedFace[]): string {
  const name = JSON.stringify(family);
  return faces
    .map(
      (face) =>
        `@font-face{font-family:${name};font-style:normal;font-weight:${face.weight};font-display:block;src:url(data:font/woff2;base64,${face.woff2Base64}) format("woff2");unicode-range:${face.unicodeRange}}`,
    )
    .join("\n");
}
