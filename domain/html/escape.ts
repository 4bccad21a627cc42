/** Escapes text for HTML element content and quoted attribute values. Text is stored as typed and escaped here. */
export function escapeHtml(value: unknown): string {
  return String(value ?? "")
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** A complete Japanese page; `body` must already be escaped. The forms' stylesheet unless another is given. */
export function page(title: string, body: string, style: string = STYLE): string {
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export const STYLE = `
:root{color-scheme:light;font-family:"Noto Sans CJK JP","Hiragino Sans","Yu Gothic",sans-serif;line-height:1.6;color:#1a1a1a}
body{margin:0;background:#f4f5f7}
main{max-width:60rem;margin:0 auto;padding:1.5rem;background:#fff;min-height:100vh;box-sizing:border-box}
h1{font-size:1.4rem;margin:0 0 .5rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem;border-bottom:2px solid #1d4f91;padding-bottom:.2rem}
.meta{color:#444;margin:0 0 1rem}
fieldset{border:1px solid #c8ccd2;border-radius:6px;margin:0 0 1rem;padding:.75rem 1rem}
legend{font-weight:bold;padding:0 .25rem}
label{display:block;font-weight:600;margin:.5rem 0 .15rem}
.en{font-weight:normal;color:#555;font-size:.85em;margin-left:.4em}
input[type=text],input[type=number],select,textarea{width:100%;box-sizing:border-box;padding:.4rem;border:1px solid #8a9099;border-radius:4px;font:inherit}
textarea{min-height:5rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:0 1rem}
.checks label{display:inline-block;font-weight:normal;margin-right:1rem}
[aria-invalid=true]{border:2px solid #b00020;background:#fff6f6}
.field-error{color:#b00020;margin:.15rem 0 0;font-size:.95em}
.error-summary{border:3px solid #b00020;padding:.75rem 1rem;margin:0 0 1rem;border-radius:6px}
.error-summary h2{border:0;color:#b00020;margin:0 0 .5rem}
.error-summary a{color:#b00020}
.hint{color:#555;font-size:.9em;margin:.1rem 0}
button{font:inherit;font-weight:bold;padding:.6rem 1.5rem;background:#1d4f91;color:#fff;border:0;border-radius:4px;cursor:pointer}
button.secondary{background:#fff;color:#1d4f91;border:2px solid #1d4f91}
.nothing{border:1px solid #c8ccd2;border-radius:6px;padding:.25rem 1rem .75rem;margin:0 0 1rem;background:#f8f9fb}
.nothing h2{border:0;margin:.5rem 0 .25rem}
ul.diff{list-style:none;padding-left:0}ul.diff li{padding:.1rem .4rem}
ins{text-decoration:none;background:#e6f4ea;display:block}del{background:#fde8e8;display:block}
.mark{font-weight:bold;margin-right:.3em}
.receipt{font-size:1.3rem;font-weight:bold;border:2px solid #1d4f91;padding:.5rem 1rem;display:inline-block}
table{border-collapse:collapse}th,td{border:1px solid #c8ccd2;padding:.3rem .6rem;text-align:left}
`;
