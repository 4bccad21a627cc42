import busboy from "busboy";

/** One uploaded file, as far as it was read: `truncated` when it was larger than the limit. */
export interface UploadedFile {
  fileName: string;
  contentType: string;
  bytes: Uint8Array;
  truncated: boolean;
}

/** A multipart/form-data body's text fields and its one file, if any. */
export interface MultipartForm {
  fields: Record<string, string>;
  file?: UploadedFile;
}

/**
 * Reads a multipart/form-data body (already whole in memory: API Gateway hands it over at once) with busboy: one
 * file at most, read up to `maxFileBytes` (a larger one comes back truncated, to be refused by size), a few short
 * fields; anything past those limits is dropped, and a body busboy cannot read is an error for the caller to show.
 */
export function readMultipart(
  body: Buffer,
  contentType: string,
  limits: { fileField: string; maxFileBytes: number },
): Promise<MultipartForm> {
  return new Promise((resolve, reject) => {
    const form: MultipartForm = { fields: {} };
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { "content-type": contentType },
        limits: { files: 1, fields: 10, fieldSize: 1024, parts: 12, fileSize: limits.maxFileBytes },
        defParamCharset: "utf8",
      });
    } catch (error) {
      reject(error);
      return;
    }
    parser.on("field", (name, value) => {
      form.fields[name] = value;
    });
    parser.on("file", (name, stream, info) => {
      if (name !== limits.fileField) {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        form.file = {
          fileName: info.filename ?? "",
          contentType: info.mimeType ?? "",
          bytes: new Uint8Array(Buffer.concat(chunks)),
          truncated: (stream as unknown as { truncated?: boolean }).truncated === true,
        };
      });
    });
    parser.on("error", reject);
    parser.on("close", () => resolve(form));
    parser.end(body);
  });
}
