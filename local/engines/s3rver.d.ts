// s3rver ships no types; only what local/engines/s3.ts uses is declared.
declare module "s3rver" {
  export default class S3rver {
    constructor(options: { port: number; address: string; directory: string; silent?: boolean });
    run(): Promise<unknown>;
    close(): Promise<unknown>;
  }
}
