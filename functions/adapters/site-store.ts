import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import type { SiteFile } from "../../domain/site/files.ts";

/**
 * The published site in its bucket: every file under the site's prefix (what the CDN serves as its root), with the
 * content type and caching its path calls for.
 */
export class SiteStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    /** The key prefix the CDN serves from, ending with "/". */
    private readonly prefix: string,
  ) {}

  /** Writes the files in the order given (a page last, after what it links to). */
  async putFiles(files: readonly SiteFile[]): Promise<void> {
    for (const file of files)
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: `${this.prefix}${file.path}`,
          Body: file.body,
          ContentType: file.contentType,
          CacheControl: file.cacheControl,
        }),
      );
  }
}
