import { replyAddress, replyToken } from "../../domain/inbound/reply-address.ts";
import { hashLinkToken } from "../../domain/link-token.ts";
import type { SecretValue } from "./secrets.ts";
import type { InboundStore, ReplyAddressSubject } from "./table/inbound.ts";

/**
 * The reply addresses of requests (domain/inbound/reply-address.ts), derived from the link key like the form links:
 * the request and every reminder carry the same address, the raw token exists only in the mail, and the table keeps
 * its hash, bound before the mail goes so a reply always finds its request.
 */
export class ReplyAddresses {
  constructor(
    private readonly linkKey: SecretValue,
    private readonly inboundDomain: string,
    private readonly store: Pick<InboundStore, "bindReplyAddress">,
  ) {}

  /** The request's reply address, bound in the table (binding again is a no-op). */
  async addressFor(subject: ReplyAddressSubject): Promise<string> {
    const token = replyToken(await this.linkKey.get(), subject);
    await this.store.bindReplyAddress(subject, hashLinkToken(token));
    return replyAddress(token, this.inboundDomain);
  }
}
