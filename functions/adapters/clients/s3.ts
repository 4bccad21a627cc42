import { S3Client } from "@aws-sdk/client-s3";

/**
 * The S3 client shared by a container's adapters (endpoint from AWS_ENDPOINT_URL_S3 where set). Path-style
 * addressing, which S3 still serves, so the same client reaches a local S3 server on 127.0.0.1.
 */
export const s3Client = new S3Client({ forcePathStyle: true });
