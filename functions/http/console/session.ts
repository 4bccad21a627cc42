import { createHash, randomBytes } from "node:crypto";
import type { APIGatewayProxyEventV2 } from "aws-lambda";
import {
  csrfToken,
  readCookie,
  SESSION_COOKIE,
  SESSION_IDLE_MS,
  sessionAlive,
  signSession,
  validCsrf,
  verifySession,
} from "../../../domain/console/session.ts";
import type { ConsoleViewer } from "../../../domain/html/console/layout.ts";
import type { SecretValue } from "../../adapters/secrets.ts";
import type { ConsoleStore } from "../../adapters/table/console.ts";

/** Who is signed in on a request, with what identifies the session server-side. */
export interface SignedIn extends ConsoleViewer {
  sessionId: string;
  sessionHash: string;
}

function hashOf(sessionId: string): string {
  return createHash("sha256").update(sessionId, "utf8").digest("hex");
}

/** The cookie of a session, as the console sets it: never readable by script, sent only over HTTPS, same site only. */
export function sessionCookie(value: string, maxAgeSeconds: number): string {
  return `${SESSION_COOKIE}=${value}; Path=/console; HttpOnly; Secure; SameSite=Strict; Max-Age=${maxAgeSeconds}`;
}

/**
 * Console sessions: a random 256-bit id in a cookie signed with the session key (Secrets Manager), the table keeping
 * only the id's hash, the address and when it was last used; a session idle for a working day, or signed out, opens
 * nothing. Every state-changing request carries a CSRF token derived from the session.
 */
export class ConsoleSessions {
  constructor(
    private readonly sessionKey: SecretValue,
    private readonly store: ConsoleStore,
  ) {}

  /** Starts a session for `email`; returns the Set-Cookie value. */
  async start(email: string, now: Date): Promise<string> {
    const sessionId = randomBytes(32).toString("base64url");
    await this.store.createSession(hashOf(sessionId), {
      email,
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
    });
    return sessionCookie(signSession(await this.sessionKey.get(), sessionId), Math.round(SESSION_IDLE_MS / 1000));
  }

  /** The signed-in viewer of a request, if its cookie is genuine and its session alive; keeps the session alive. */
  async viewerOf(event: APIGatewayProxyEventV2, now: Date): Promise<SignedIn | undefined> {
    const key = await this.sessionKey.get();
    const sessionId = verifySession(key, readCookie(event.cookies ?? event.headers?.cookie, SESSION_COOKIE));
    if (!sessionId) return undefined;
    const sessionHash = hashOf(sessionId);
    const session = await this.store.findSession(sessionHash);
    if (!session || !sessionAlive(session, now)) return undefined;
    if (!(await this.store.touchSession(sessionHash, now))) return undefined;
    return { email: session.email, csrf: csrfToken(key, sessionId), sessionId, sessionHash };
  }

  /** Whether a posted form carries this session's CSRF token. */
  async csrfHolds(viewer: SignedIn, posted: unknown): Promise<boolean> {
    return validCsrf(await this.sessionKey.get(), viewer.sessionId, posted);
  }

  /** Ends a session on the server; returns the Set-Cookie value that clears the browser's copy. */
  async end(viewer: SignedIn, now: Date): Promise<string> {
    await this.store.endSession(viewer.sessionHash, now);
    return sessionCookie("", 0);
  }
}
