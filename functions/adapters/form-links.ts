import { type FormLinkSubject, formLinkToken } from "../../domain/link-token.ts";
import type { SecretValue } from "./secrets.ts";

/**
 * Personal form links, derived from the link key (domain/link-token.ts): the request, every reminder and every
 * overdue notice carry the same link, and the raw token exists only in the mail.
 */
export class FormLinks {
  constructor(
    private readonly linkKey: SecretValue,
    private readonly publicBaseUrl: string,
  ) {}

  /** The raw token of a request's link. */
  async token(subject: FormLinkSubject): Promise<string> {
    return formLinkToken(await this.linkKey.get(), subject);
  }

  /** The link itself. */
  async url(subject: FormLinkSubject): Promise<string> {
    return `${this.publicBaseUrl.replace(/\/$/, "")}/forms/${await this.token(subject)}`;
  }
}
