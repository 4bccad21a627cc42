/**
 * The report's stylesheet: a plain page on screen and a clean A4 document when printed from the browser. Printing
 * drops every background (ink), keeps table rows, figures and headings with what follows them, and repeats table
 * heads on each page. Page numbers use @page margin boxes, which Chromium ignores and other engines honour.
 */
export const REPORT_STYLE = `
:root{color-scheme:light;font-family:"Noto Sans CJK JP","Hiragino Sans","Yu Gothic",sans-serif;line-height:1.7;color:#1a1a1a}
body{margin:0;background:#f4f5f7}
main{max-width:60rem;margin:0 auto;padding:2rem 2.5rem 3rem;background:#fff;box-sizing:border-box}
header.report-head{border-bottom:3px solid #1d4f91;padding-bottom:.75rem;margin-bottom:1.25rem}
h1{font-size:1.45rem;line-height:1.45;margin:.25rem 0 .75rem}
h2{font-size:1.2rem;margin:2.25rem 0 .75rem;padding-bottom:.2rem;border-bottom:2px solid #1d4f91}
h3{font-size:1.02rem;margin:1.5rem 0 .5rem}
.doc-mark{display:inline-block;border:2px solid #1a1a1a;padding:0 .6rem;font-weight:bold;letter-spacing:.1em}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:0}
.meta dt{color:#444}.meta dd{margin:0}
.draft-note{border:1px solid #8a6d00;padding:.5rem .75rem;margin:1rem 0}
nav.toc ol{margin:.25rem 0;padding-left:0;list-style:none;columns:2}
table{border-collapse:collapse;margin:.75rem 0 1.25rem;font-size:.92rem;min-width:50%}
caption{caption-side:top;text-align:left;font-weight:bold;padding:.25rem 0}
th,td{border:1px solid #b7bdc5;padding:.3rem .6rem;text-align:left;vertical-align:top}
thead th{background:#eef1f5;font-weight:bold;vertical-align:bottom}
tbody th{font-weight:normal}
th[scope=rowgroup]{font-weight:bold;background:#f7f8fa}
.num{text-align:right;font-variant-numeric:tabular-nums}
td.num{white-space:nowrap}
tbody th[scope=row]{min-width:7em}
.status{text-align:center;white-space:nowrap}
.s-achieved,.a-on-time{color:#1b5e20}
.s-nearly,.a-late{color:#7a4f00}
.s-not-achieved,.a-missing{color:#a4161a;font-weight:bold}
.s-no-target,.s-reference,.p-ahead,.p-on-target,.p-behind{color:#555}
.empty{color:#555}
figure{margin:1rem 0 1.5rem}
figcaption{font-weight:bold;margin-bottom:.25rem}
figure svg{max-width:100%;height:auto;display:block}
.figure-note{font-size:.85rem;color:#444;margin:.25rem 0 0}
ol.findings li,ul.plain li{margin:.25rem 0}
.formula{border-left:3px solid #b7bdc5;padding:.25rem .75rem;margin:.5rem 0}
.placeholder{color:#555}
nav.site-nav ol{list-style:none;margin:0 0 1rem;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1.5rem;font-size:.95rem}
.publication{border-left:4px solid #1d4f91;background:#f4f7fb;padding:.5rem 1rem;margin:0 0 1.25rem}
.publication p{margin:.25rem 0}
footer.report-foot{margin-top:2.5rem;border-top:1px solid #b7bdc5;padding-top:.5rem;font-size:.9rem;color:#444}
@page{size:A4;margin:18mm 15mm;
  @bottom-center{content:counter(page) " / " counter(pages);font-size:9pt}
}
@media print{
  :root{font-size:10pt;line-height:1.55}
  *{print-color-adjust:economy;-webkit-print-color-adjust:economy}
  body{background:none}
  main{max-width:none;padding:0}
  nav.toc,.downloads,nav.site-nav,.publication{display:none}
  a{color:inherit;text-decoration:none}
  a[href]::after{content:none}
  thead th,th[scope=rowgroup]{background:none}
  thead{display:table-header-group}
  h1,h2,h3,caption,figcaption{break-after:avoid;page-break-after:avoid}
  h2,h3{break-inside:avoid}
  tr,figure,li,.formula,.draft-note{break-inside:avoid;page-break-inside:avoid}
  table{font-size:9pt}
  p{orphans:3;widows:3}
}
`;
