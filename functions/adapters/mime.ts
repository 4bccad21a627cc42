import MailComposer from "nodemailer/lib/mail-composer/index.js";
import type { ComposeMime } from "./mailer.ts";

/**
 * A message as raw MIME, written by nodemailer's MailComposer (headers encoded for Japanese, the text and each
 * attachment in base64), for SES's SendRawEmail.
 */
export const composeMime: ComposeMime = (message) =>
  new MailComposer({
    from: message.from,
    to: message.to,
    cc: message.cc?.length ? message.cc : undefined,
    replyTo: message.replyTo,
    subject: message.subject,
    text: message.text,
    textEncoding: "base64",
    attachments: (message.attachments ?? []).map((attachment) => ({
      filename: attachment.fileName,
      contentType: attachment.contentType,
      content: Buffer.from(attachment.content),
    })),
  })
    .compile()
    .build();
