import { type SESClient, SendEmailCommand } from "@aws-sdk/client-ses";
import type { MailMessage } from "../../domain/mail.ts";

/**
 * Sends the domain's plain-text messages through SES, in UTF-8 so Japanese subjects and bodies survive. With a
 * configuration set (on AWS), SES reports each bounce and complaint, with the message's tags, to the platform
 * (functions/record-mail-feedback.ts).
 */
export class Mailer {
  constructor(
    private readonly client: SESClient,
    private readonly from: string,
    private readonly configurationSet?: string,
  ) {}

  /**
   * Sends one message, leaving out the addresses in `skip` (they bounced or complained this round); returns SES's
   * message id, or undefined when no recipient was left to send to.
   */
  async send(message: MailMessage, options: { skip?: readonly string[] } = {}): Promise<string | undefined> {
    const skipped = new Set((options.skip ?? []).map((address) => address.toLowerCase()));
    const keep = (addresses: readonly string[] = []) =>
      addresses.filter((address) => !skipped.has(address.toLowerCase()));
    const to = keep(message.to);
    if (to.length === 0) return undefined;
    const cc = keep(message.cc);
    const result = await this.client.send(
      new SendEmailCommand({
        Source: this.from,
        Destination: { ToAddresses: to, ...(cc.length ? { CcAddresses: cc } : {}) },
        ReplyToAddresses: message.replyTo,
        Message: {
          Subject: { Data: message.subject, Charset: "UTF-8" },
          Body: { Text: { Data: message.text, Charset: "UTF-8" } },
        },
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
        ...(message.tags ? { Tags: Object.entries(message.tags).map(([Name, Value]) => ({ Name, Value })) } : {}),
      }),
    );
    return result.MessageId ?? "";
  }
}
