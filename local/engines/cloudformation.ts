import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { escapeHtml } from "../../domain/html/escape.ts";
import { LOCAL_ACCOUNT, LOCAL_REGION } from "../template.ts";
import type { RunningEngine } from "./dynamodb.ts";

/** A stack as the local CloudFormation stand-in describes it: its name and its outputs, resolved. */
export interface LocalStackOutputs {
  stackName: string;
  outputs: Record<string, string>;
}

const NAMESPACE = "http://cloudformation.amazonaws.com/doc/2010-05-15/";

/**
 * A local stand-in for CloudFormation's DescribeStacks, which has no local engine here: the local stack is the
 * deployed stacks' double, so it describes them as a deploy left them (status CREATE_COMPLETE, the template's
 * outputs resolved to the local resources), in the service's own query protocol (XML), so that a tool reading a
 * deployed stack's outputs — `pdca --target aws` — can be pointed at it through AWS_ENDPOINT_URL_CLOUDFORMATION.
 */
export async function startCloudFormationLocal(options: {
  stacks: readonly LocalStackOutputs[];
  port?: number;
}): Promise<RunningEngine> {
  const stackXml = (stack: LocalStackOutputs) =>
    `<member><StackName>${escapeHtml(stack.stackName)}</StackName><StackId>arn:aws:cloudformation:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stack/${escapeHtml(stack.stackName)}/local</StackId><StackStatus>CREATE_COMPLETE</StackStatus><CreationTime>${new Date(0).toISOString()}</CreationTime><Outputs>${Object.entries(
      stack.outputs,
    )
      .map(
        ([key, value]) =>
          `<member><OutputKey>${escapeHtml(key)}</OutputKey><OutputValue>${escapeHtml(value)}</OutputValue></member>`,
      )
      .join("")}</Outputs></member>`;
  const reply = (response: ServerResponse, status: number, xml: string) => {
    response.writeHead(status, { "content-type": "text/xml" });
    response.end(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
  };
  const serve = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
    const action = form.get("Action");
    const error = (code: string, message: string) =>
      reply(
        response,
        400,
        `<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeHtml(message)}</Message></Error><RequestId>local</RequestId></ErrorResponse>`,
      );
    if (action !== "DescribeStacks")
      return error("InvalidAction", `The local CloudFormation answers DescribeStacks only, not ${action}`);
    const name = form.get("StackName");
    const stacks = name ? options.stacks.filter((stack) => stack.stackName === name) : options.stacks;
    if (name && stacks.length === 0) return error("ValidationError", `Stack with id ${name} does not exist`);
    reply(
      response,
      200,
      `<DescribeStacksResponse xmlns="${NAMESPACE}"><DescribeStacksResult><Stacks>${stacks.map(stackXml).join("")}</Stacks></DescribeStacksResult><ResponseMetadata><RequestId>local</RequestId></ResponseMetadata></DescribeStacksResponse>`,
    );
  };
  const server = createServer((request, response) => void serve(request, response));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
