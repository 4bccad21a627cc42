import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { Plan } from "../plan.ts";

/** How long an emailed sign-in link works. */
export const SIGN_IN_LINK_MS = 15 * 60 * 1000;
/** A session ends after a working day without a request. */
export const SESSION_IDLE_MS = 9 * 60 * 60 * 1000;
/** Sign-in requests one address may make in SIGN_IN_WINDOW_MS before it is refused for a while. */
export const MAX_SIGN_IN_REQUESTS = 5;
export const SIGN_IN_WINDOW_MS = 60 * 60 * 1000;

/** The session cookie's name; the cookie holds the session id and its signature, nothing else. */
export const SESSION_COOKIE = "pdca_session";

function mac(key: string, message: string): string {
  return createHmac("sha256", key).update(message, "utf8").digest("base64url");
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The cookie value of a session: its id and a signature under the session key, so a forged id is refused unread. */
export function signSession(sessionKey: string, sessionId: string): string {
  return `${sessionId}.${mac(sessionKey, `session|${sessionId}`)}`;
}

/** The session id a cookie value carries, if its signature holds. */
export function verifySession(sessionKey: string, cookieValue: string | undefined): string | undefined {
  const [sessionId, signature, ...rest] = (cookieValue ?? "").split(".");
  if (!sessionId || !signature || rest.length > 0 || !/^[A-Za-z0-9_-]{43}$/.test(sessionId)) return undefined;
  return sameText(signature, mac(sessionKey, `session|${sessionId}`)) ? sessionId : undefined;
}

/** The token every form of a session carries: derived from the session, so another site cannot know it. */
export function csrfToken(sessionKey: string, sessionId: string): string {
  return mac(sessionKey, `csrf|${sessionId}`);
}

/** Whether a posted CSRF token belongs to this session. */
export function validCsrf(sessionKey: string, sessionId: string, posted: unknown): boolean {
  return typeof posted === "string" && sameText(posted, csrfToken(sessionKey, sessionId));
}

/** The hash under which an address's sign-in requests are counted: the table need not hold every address typed. */
export function addressKey(email: string): string {
  return createHash("sha256").update(normalizeAddress(email), "utf8").digest("hex");
}

/** An address as compared: trimmed, lower-cased (mail systems treat the domain, and in practice the name, so). */
export function normalizeAddress(email: string): string {
  return email.trim().toLowerCase();
}

/** Who may sign in to the console: a secretariat contact of any plan, or an operator named at deploy time. */
export function mayUseConsole(email: string, plans: readonly Plan[], operators: readonly string[]): boolean {
  const address = normalizeAddress(email);
  return (
    operators.some((operator) => normalizeAddress(operator) === address) ||
    plans.some((plan) => plan.secretariat.contacts.some((contact) => normalizeAddress(contact.email) === address))
  );
}

/**
 * The plans a signed-in member works on: an operator sees every plan; a secretariat contact, the plans whose
 * secretariat names them (another plan's rounds and approvers are not theirs to see or decide).
 */
export function visiblePlans<P extends Plan>(email: string, plans: readonly P[], operators: readonly string[]): P[] {
  const address = normalizeAddress(email);
  if (operators.some((operator) => normalizeAddress(operator) === address)) return [...plans];
  return plans.filter((plan) =>
    plan.secretariat.contacts.some((contact) => normalizeAddress(contact.email) === address),
  );
}

/** Whether a session is still alive at `now`: not signed out, and used within the idle time. */
export function sessionAlive(session: { lastSeenAt: string; endedAt?: string }, now: Date): boolean {
  return !session.endedAt && now.getTime() - Date.parse(session.lastSeenAt) <= SESSION_IDLE_MS;
}

/** Reads a cookie by name from a Cookie header (or API Gateway's cookies list). */
export function readCookie(cookies: readonly string[] | string | undefined, name: string): string | undefined {
  const all = Array.isArray(cookies) ? cookies : String(cookies ?? "").split(";");
  for (const cookie of all) {
    const [key, ...value] = cookie.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}

/** The year's page in the console (the place a mail sends the secretariat to act on a draft). */
export function consoleYearUrl(publicBaseUrl: string, planId: string, fiscalYear: number): string {
  return `${publicBaseUrl.replace(/\/$/, "")}/console/plans/${encodeURIComponent(planId)}/years/${fiscalYear}`;
}
