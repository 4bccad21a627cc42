import { escapeHtml, page, STYLE } from "../escape.ts";

/** The console's additions to the pages' style: its header, the sections waiting for a decision, changed cells. */
const CONSOLE_STYLE = `${STYLE}
main{max-width:72rem}
.console-header{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;border-bottom:1px solid #c8ccd2;margin:0 0 1rem;padding:0 0 .5rem}
.console-title{font-weight:bold;margin:0}
.console-nav{list-style:none;display:flex;gap:1rem;margin:0;padding:0}
.sign-out{margin-left:auto;display:flex;align-items:center;gap:.5rem}.sign-out button{padding:.3rem .8rem}
.waiting{border:3px solid #a15c00;border-radius:6px;padding:.25rem 1rem .75rem;margin:0 0 1rem;background:#fff8ec}
.waiting h2{border:0;margin:.5rem 0}
.big{font-size:1.1rem}
td.changed{background:#fff3b0;font-weight:bold}
td.num,th.num{text-align:right}
.nowrap{white-space:nowrap}
.actions{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-end}.actions form{margin:0}
table{margin:0 0 1rem}caption{text-align:left;font-weight:bold;padding:.3rem 0}
`;

/** Who is signed in, and the token every form of the session carries. */
export interface ConsoleViewer {
  email: string;
  csrf: string;
}

/** A hidden field carrying the session's CSRF token; every state-changing form has one. */
export function csrfField(viewer: ConsoleViewer): string {
  return `<input type="hidden" name="csrf" value="${escapeHtml(viewer.csrf)}">`;
}

const NAV = [
  { href: "/console", label: "ダッシュボード" },
  { href: "/console/audit", label: "監査ログ" },
];

/**
 * A page of the secretariat's console: the navigation, who is signed in and the sign-out button (a POST, with the
 * session's CSRF token), then the page. Server-rendered and usable without JavaScript, like every page here.
 */
export function consolePage(title: string, viewer: ConsoleViewer, body: string): string {
  const nav = NAV.map((item) => `<li><a href="${item.href}">${escapeHtml(item.label)}</a></li>`).join("");
  return page(
    `${title}｜事務局コンソール`,
    `<header class="console-header"><p class="console-title">事務局コンソール<span class="en">Secretariat console</span></p>
<nav aria-label="コンソール"><ul class="console-nav">${nav}</ul></nav>
<form method="post" action="/console/sign-out" class="sign-out">${csrfField(viewer)}<span>${escapeHtml(viewer.email)}</span> <button type="submit" class="secondary">サインアウト</button></form></header>
<h1>${escapeHtml(title)}</h1>
${body}`,
    CONSOLE_STYLE,
  );
}

/** A page outside a session (signing in): no navigation. */
export function publicConsolePage(title: string, body: string): string {
  return page(
    `${title}｜事務局コンソール`,
    `<p class="console-title">事務局コンソール<span class="en">Secretariat console</span></p>
<h1>${escapeHtml(title)}</h1>
${body}`,
    CONSOLE_STYLE,
  );
}
