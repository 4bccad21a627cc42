import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";

/** One file of a report version. */
export interface StoredFile {
  path: string;
  contentType: string;
  body: string;
}

/** Report and review files in the report bucket, one prefix per plan, fiscal year and version. */
export class ReportStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  /** Writes every file of a version under its prefix. */
  async putFiles(prefix: string, files: readonly StoredFile[]): Promise<void> {
    for (const file of files)
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: `${prefix}${file.path}`,
          Body: file.body,
          ContentType: file.contentType,
        }),
      );
  }

  /** A file's body and type, or undefined when it does not exist. */
  async getFile(key: string): Promise<{ body: string; contentType: string } | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        body: (await object.Body?.transformToString("utf-8")) ?? "",
        contentType: object.ContentType ?? "application/octet-stream",
      };
    } catch (error) {
      if (error instanceof NoSuchKey || (error as Error).name === "NoSuchKey") return undefined;
      throw error;
    }
  }
}
