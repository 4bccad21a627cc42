import { createHash, randomBytes } from "node:crypto";
import { signInMail } from "../../../domain/console/mail.ts";
import {
  addressKey,
  MAX_SIGN_IN_REQUESTS,
  mayUseConsole,
  normalizeAddress,
  SIGN_IN_LINK_MS,
  SIGN_IN_WINDOW_MS,
} from "../../../domain/console/session.ts";
import {
  renderSignInConfirmPage,
  renderSignInLinkUnavailablePage,
  renderSignInPage,
  renderSignInRefusedPage,
  renderSignInSentPage,
} from "../../../domain/html/console/sign-in.ts";
import { isWellFormedLinkToken } from "../../../domain/link-token.ts";
import { type HttpResponse, htmlResponse } from "../responses.ts";
import type { ConsoleContext } from "./context.ts";

function hashOf(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A redirect after a POST (303, so the browser follows with a GET), with a cookie to set if any. */
export function redirect(location: string, cookie?: string): HttpResponse {
  return {
    statusCode: 303,
    headers: { location, "cache-control": "no-store", "referrer-policy": "no-referrer" },
    cookies: cookie ? [cookie] : undefined,
    body: "",
  };
}

/**
 * POST of the sign-in page: counts the request for the address (too many in an hour are refused, for any address,
 * so the refusal reveals nothing), and mails a single-use 15-minute link only to an address that may use the
 * console. The page after it is the same for a known and an unknown address.
 */
export async function requestSignIn(context: ConsoleContext, email: string, now: Date): Promise<HttpResponse> {
  const address = normalizeAddress(email);
  if (!/^[^@\s]+@[^@\s]+$/.test(address) || address.length > 254)
    return htmlResponse(
      400,
      renderSignInPage({ email, message: "メールアドレスを正しく入力してください。 / Enter a valid email address." }),
    );
  const windowStart = new Date(Math.floor(now.getTime() / SIGN_IN_WINDOW_MS) * SIGN_IN_WINDOW_MS);
  const count = await context.table.console.countSignInRequest(addressKey(address), windowStart);
  if (count > MAX_SIGN_IN_REQUESTS)
    return htmlResponse(429, renderSignInRefusedPage(new Date(windowStart.getTime() + SIGN_IN_WINDOW_MS)));
  const plans = await context.table.plans.listPlans();
  if (mayUseConsole(address, plans, context.operators)) {
    const token = randomBytes(32).toString("base64url");
    const expiresAt = new Date(now.getTime() + SIGN_IN_LINK_MS);
    await context.table.console.putSignInLink(hashOf(token), { email: address, expiresAt: expiresAt.toISOString() });
    await context.mailer.send(
      signInMail({
        email: address,
        url: `${context.publicBaseUrl.replace(/\/$/, "")}/console/sign-in/${token}`,
        expiresAt,
      }),
    );
  }
  return htmlResponse(200, renderSignInSentPage());
}

/** GET of the emailed link: a button only, since a mail scanner opening it must not sign anyone in. */
export async function confirmSignIn(context: ConsoleContext, token: string, now: Date): Promise<HttpResponse> {
  const link = isWellFormedLinkToken(token) ? await context.table.console.findSignInLink(hashOf(token)) : undefined;
  if (!link || link.usedAt || Date.parse(link.expiresAt) < now.getTime())
    return htmlResponse(404, renderSignInLinkUnavailablePage());
  return htmlResponse(200, renderSignInConfirmPage(token));
}

/** POST of the emailed link's button: uses the link once, starts a session and records it. */
export async function completeSignIn(context: ConsoleContext, token: string, now: Date): Promise<HttpResponse> {
  if (!isWellFormedLinkToken(token)) return htmlResponse(404, renderSignInLinkUnavailablePage());
  const hash = hashOf(token);
  const link = await context.table.console.findSignInLink(hash);
  if (!link || !(await context.table.console.useSignInLink(hash, now)))
    return htmlResponse(404, renderSignInLinkUnavailablePage());
  const cookie = await context.sessions.start(link.email, now);
  await context.table.console.audit(
    {
      at: now.toISOString(),
      actor: `secretariat:${link.email}`,
      channel: "console",
      action: "sign-in",
      target: "console",
    },
    context.newId(),
  );
  return redirect("/console", cookie);
}
