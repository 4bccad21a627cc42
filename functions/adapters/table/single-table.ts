import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
  type UpdateCommandInput,
} from "@aws-sdk/lib-dynamodb";
import { keys, LINK_INDEX } from "../../../domain/keys.ts";

/** An item's primary key, as domain/keys.ts builds it. */
export interface ItemKey {
  pk: string;
  sk: string;
}

/** A key prefix to Query: one partition, the items whose sort key begins with `skPrefix`. */
export interface KeyPrefix {
  pk: string;
  skPrefix: string;
}

/** Whether a write failed only because its condition did not hold (alone, or inside a transaction). */
export function isConditionFailure(error: unknown): boolean {
  return (
    (error instanceof Error && error.name === "ConditionalCheckFailedException") ||
    (error instanceof TransactionCanceledException &&
      (error.CancellationReasons ?? []).some((reason) => reason.Code === "ConditionalCheckFailed"))
  );
}

/** Drops the table's own attributes (keys, index keys, item type), leaving what the domain knows. */
export function strip<T extends object>(item: Record<string, unknown> | undefined): T | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _gsi1pk, type: _type, ...rest } = item;
  return rest as T;
}

/**
 * The single table and the few ways every store reads and writes it: consistent Gets, Queries by key prefix (never
 * a Scan), and conditional writes that report whether their condition held instead of throwing.
 */
export class SingleTable {
  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly name: string,
  ) {}

  /** One item by key, read consistently (what a person just wrote must be seen). */
  async get(key: ItemKey): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.name, Key: key, ConsistentRead: true }));
    return Item;
  }

  /** Every item of a Query, all pages. */
  async queryAll(input: Omit<QueryCommandInput, "TableName">): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(new QueryCommand({ ...input, TableName: this.name, ExclusiveStartKey }));
      items.push(...(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return items;
  }

  /** Every item under a key prefix, in sort-key order. `consistent` where a decision depends on the result. */
  queryPrefix(prefix: KeyPrefix, options: { consistent?: boolean } = {}): Promise<Record<string, unknown>[]> {
    return this.queryAll({
      KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
      ExpressionAttributeValues: { ":pk": prefix.pk, ":prefix": prefix.skPrefix },
      ConsistentRead: options.consistent,
    });
  }

  /**
   * Visits the items under a key prefix one Query page at a time, so a caller that keeps only what it needs holds
   * one page in memory however large the partition.
   */
  async forEachUnder(
    prefix: KeyPrefix,
    visit: (item: Record<string, unknown>) => void | Promise<void>,
    pageSize: number,
  ): Promise<number> {
    let itemsRead = 0;
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.name,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
          ExpressionAttributeValues: { ":pk": prefix.pk, ":prefix": prefix.skPrefix },
          Limit: pageSize,
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) {
        itemsRead++;
        await visit(item);
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return itemsRead;
  }

  /**
   * The item of `type` a link token's hash opens, through the link index. Links of every kind share the index; a
   * form link never opens a report, nor the other way round.
   */
  async findByLinkHash(linkHash: string, type: string): Promise<Record<string, unknown> | undefined> {
    const items = await this.queryAll({
      IndexName: LINK_INDEX,
      KeyConditionExpression: "gsi1pk = :link",
      ExpressionAttributeValues: { ":link": keys.linkIndex(linkHash) },
    });
    return items.find((item) => item.type === type);
  }

  /** Puts an item unconditionally (a plan definition, replaced as a whole). */
  async put(item: Record<string, unknown>): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.name, Item: item }));
  }

  /** Puts an item only if its key is free; false when it existed (the caller decides whether that is fine). */
  async putIfAbsent(item: Record<string, unknown>): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({ TableName: this.name, Item: item, ConditionExpression: "attribute_not_exists(pk)" }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Sets `values` on an existing item, once: only while `once` has no value yet, so a retried step keeps the first
   * write (the time a summary went out, a version's approval). False when it had been set.
   */
  setOnce(key: ItemKey, values: Record<string, unknown>, once: string): Promise<boolean> {
    const names = Object.fromEntries(Object.keys(values).map((name, index) => [`#v${index}`, name]));
    return this.updateIf({
      Key: key,
      UpdateExpression: `SET ${Object.keys(names)
        .map((alias, index) => `${alias} = :v${index}`)
        .join(", ")}`,
      ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(#once)",
      ExpressionAttributeNames: { ...names, "#once": once },
      ExpressionAttributeValues: Object.fromEntries(Object.values(values).map((value, index) => [`:v${index}`, value])),
    });
  }

  /** A conditional update; false when its condition did not hold, so nothing changed. */
  async updateIf(input: Omit<UpdateCommandInput, "TableName">): Promise<boolean> {
    try {
      await this.client.send(new UpdateCommand({ ...input, TableName: this.name }));
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}
