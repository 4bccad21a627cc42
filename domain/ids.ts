import * as z from "zod/mini";

/** An id that can name a key segment and a folder: plan, institution, field and indicator ids. */
export const idSchema = z.string().check(
  z.minLength(1),
  z.maxLength(64),
  z.refine((value) => /^[a-z0-9][a-z0-9-]*$/.test(value), {
    params: { ja: "は英小文字・数字・ハイフンで書いてください", en: "must be a-z, 0-9 and -" },
  }),
);
