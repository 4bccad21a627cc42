/**
 * What each function's bundle carries, measured the way the stack bundles it (infra/bundling.ts), for the bundle
 * benchmark and the size test: the bundle's bytes, the SDK's floor under every handler (and under those that use S3),
 * and the largest inputs by package or project module, read from esbuild's metafile.
 */
import { join } from "node:path";
import { type BuildOptions, build, type Metafile } from "esbuild";
import { type CatalogEntry, catalog, type FunctionName } from "../functions/catalog.ts";
import { sharedEsbuildOptions } from "./bundling.ts";

/** What a function may carry above the SDK's floor. */
export const ALLOWANCE_BYTES = 200 * 1024;

/**
 * What the console may carry above its clients' floor: it is one function for every page of the secretariat (sign-in,
 * dashboard, plans, rounds and their actions, years, approvals, audit), and its plan page shows the rounds' dates on
 * business days, so it carries the holiday tables (~56 KB) that only the round's own functions need otherwise.
 * Measured at 281 KB above the floor when set.
 */
export const CONSOLE_ALLOWANCE_BYTES = 320 * 1024;

/**
 * Functions exempt from the allowance, and why: two render charts with vega, which alone is over 1 MB; the answer
 * file's function reads and writes workbooks with exceljs and CP932 CSV with iconv-lite (about 1.6 MB together),
 * which is why it is a function of its own rather than part of the form's; receiveReply reads the same files and
 * parses MIME (mailparser): 3.0 MB bundled, 2.5 MB over the floor with a bare S3 client (iconv-lite 483 KB, exceljs
 * 252 KB, libmime 175 KB, readable-stream 169 KB), measured 2026-11-25. It runs once per received reply, called
 * asynchronously, so its cold start is no person's wait. The three that mail the request and its reminders attach
 * the prefilled workbook, made with exceljs and sent as raw MIME by nodemailer's composer (about 1.2 MB more;
 * exceljs is loaded on first use, so a cold start that mails nothing does not pay for it).
 */
export const HEAVY_FUNCTIONS: ReadonlySet<FunctionName> = new Set([
  "renderDraftReport",
  "publishReport",
  "answerFileHttp",
  "receiveReply",
  "sendRequest",
  "actOnMoment",
  "remindNow",
]);

/**
 * The floor no handler can go under with the SDK inside: a bare DynamoDB client sending one GetItem (credentials,
 * signing, HTTP, the JSON protocol).
 */
const FLOOR_SOURCE = `import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
const client = new DynamoDBClient({});
export const handler = () => client.send(new GetItemCommand({ TableName: "t", Key: {} }));
`;

/**
 * The same floor with a bare S3 client beside it, for the functions that touch the report bucket. The S3 client
 * alone weighs ~143 KB: its operation schemas carry computed keys (HTTP traits), which esbuild cannot prove
 * side-effect free, so every S3 operation's schema is bundled, used or not (aws/aws-sdk-js-v3#7607, fixed in the
 * code generator by smithy-lang/smithy-typescript#1889, not yet released; measured here, the fix would drop ~57 KB).
 */
const FLOOR_WITH_S3_SOURCE = `${FLOOR_SOURCE}import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
const s3 = new S3Client({});
export const read = () => s3.send(new GetObjectCommand({ Bucket: "b", Key: "k" }));
`;

/** Whether a function's floor includes the S3 client: it touches the report bucket or the site's. */
export function usesS3(name: FunctionName): boolean {
  const access: CatalogEntry["access"] = catalog[name].access;
  return access.bucket !== undefined || access.site !== undefined || access.inboundMail !== undefined;
}

/** A bare client of each other service a function may call, sending one command, as the floors are built. */
const CLIENT_SOURCES = {
  ses: `import { SendEmailCommand, SESClient } from "@aws-sdk/client-ses";
export const mail = () => new SESClient({}).send(new SendEmailCommand({}));
`,
  sfn: `import { SendTaskSuccessCommand, SFNClient } from "@aws-sdk/client-sfn";
export const resume = () => new SFNClient({}).send(new SendTaskSuccessCommand({ taskToken: "t", output: "{}" }));
`,
  secretsManager: `import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
export const secret = () => new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: "s" }));
`,
} as const;

/**
 * The floor of a function that calls many services (the console: table, bucket, mail, workflows, secrets): the
 * floor with S3 and a bare client of each other service its catalog access names. What it carries above that is
 * its own, and is held to the same allowance.
 */
export function bundleClientsFloor(projectRoot: string, name: FunctionName): Promise<Bundle> {
  const access: CatalogEntry["access"] = catalog[name].access;
  const sources = [
    access.bucket ? FLOOR_WITH_S3_SOURCE : FLOOR_SOURCE,
    access.mail ? CLIENT_SOURCES.ses : "",
    access.workflowCallback || access.startsWorkflows?.length ? CLIENT_SOURCES.sfn : "",
    access.linkKey || access.sessionKey ? CLIENT_SOURCES.secretsManager : "",
  ];
  const stdin = { contents: sources.join(""), resolveDir: projectRoot, loader: "ts" as const };
  return bundle({ stdin, write: false, outfile: `${name}-floor.mjs` });
}

/** One bundle: its size, esbuild's account of what went into it, and its text when it was not written to a file. */
export interface Bundle {
  bytes: number;
  metafile: Metafile;
  text?: string;
}

async function bundle(options: BuildOptions): Promise<Bundle> {
  const result = await build({ ...sharedEsbuildOptions, ...options, metafile: true, logLevel: "error" });
  const [output] = Object.values(result.metafile.outputs);
  if (!output) throw new Error("esbuild wrote no output");
  return { bytes: output.bytes, metafile: result.metafile, text: result.outputFiles?.[0]?.text };
}

/** A catalog function bundled as the stack bundles it; to `outfile` when given, else in memory. */
export function bundleFunction(projectRoot: string, name: FunctionName, outfile?: string): Promise<Bundle> {
  const entryPoints = [join(projectRoot, catalog[name].entry)];
  return bundle(outfile ? { entryPoints, outfile } : { entryPoints, write: false, outfile: `${name}.mjs` });
}

/** The SDK's floor (see FLOOR_SOURCE), or with `s3` the floor with the S3 client, bundled with the same options. */
export function bundleSdkFloor(projectRoot: string, options: { s3?: boolean; outfile?: string } = {}): Promise<Bundle> {
  const contents = options.s3 ? FLOOR_WITH_S3_SOURCE : FLOOR_SOURCE;
  const stdin = { contents, resolveDir: projectRoot, loader: "ts" as const };
  const { outfile } = options;
  return bundle(outfile ? { stdin, outfile } : { stdin, write: false, outfile: "sdk-floor.mjs" });
}

/** An input's owner: its package (`@aws-sdk/client-s3`, `zod`) or, for the project's own code, its path. */
export function inputOwner(path: string): string {
  const inPackage = path.match(/.*node_modules\/((?:@[^/]+\/)?[^/]+)/);
  return inPackage?.[1] ?? path.replace(/^(\.\.\/)+/, "");
}

function bytesByOwner(metafile: Metafile): Map<string, number> {
  const byOwner = new Map<string, number>();
  for (const output of Object.values(metafile.outputs))
    for (const [path, input] of Object.entries(output.inputs)) {
      const owner = inputOwner(path);
      byOwner.set(owner, (byOwner.get(owner) ?? 0) + input.bytesInOutput);
    }
  return byOwner;
}

/**
 * The `count` largest owners of a bundle's bytes above the floor's (what the floor already carries of the same
 * package is not counted), largest first: where a function's weight over the bare SDK comes from.
 */
export function largestAboveFloor(
  metafile: Metafile,
  floor: Metafile,
  count: number,
): { owner: string; bytes: number }[] {
  const floorBytes = bytesByOwner(floor);
  return [...bytesByOwner(metafile)]
    .map(([owner, bytes]) => ({ owner, bytes: bytes - (floorBytes.get(owner) ?? 0) }))
    .filter((input) => input.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, count);
}
