import { gunzipSync, gzipSync } from 'node:zlib';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  PutCommand,
  paginateQuery,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Participant } from '../../cohorts/cohort.ts';
import { suppressionHash } from '../../email/suppression.ts';
import { emptyReviewSettings } from '../../matching/match-draft.ts';
import type { PersonalDataStore } from '../../ports.ts';
import type { CohortReportData } from '../../report/cohort-report.ts';
import { normalizeEmail } from '../../validation/fields.ts';
import { freeingAnIntakePlace, holdsIntakePlace } from './intake-places.ts';
import { keys, tableDesign } from './table-design.ts';
import { batchDeleteAll, queryAll, queryPrefix, whenConditionHolds } from './table-helpers.ts';

/** Compressed archive bytes per item: well under DynamoDB's 400 KB item limit. */
const archivePartBytes = 300_000;

type Item = Record<string, unknown> & { pk: string; sk: string };
type Key = { pk: string; sk: string };

/**
 * Retention and erasure on the Tandem table. What is personal is decided here, by key, because
 * only the table knows every item it holds: the purge keeps an allow-list (the cohort, its
 * archive, the count of match drafts, the organizers' ledger entries) and deletes everything
 * else of the cohort, so an item type added later is purged without a change here.
 */
export class DynamoDbPersonalData implements PersonalDataStore {
  readonly #db: DynamoDBDocumentClient;
  readonly #table: string;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.#db = db;
    this.#table = tableName;
  }

  async saveArchive(cohortId: string, archive: CohortReportData): Promise<boolean> {
    const bytes = gzipSync(JSON.stringify(archive));
    const parts = Math.max(1, Math.ceil(bytes.length / archivePartBytes));
    try {
      await this.#db.send(
        new TransactWriteCommand({
          TransactItems: Array.from({ length: parts }, (_, index) => ({
            Put: {
              TableName: this.#table,
              Item: {
                ...keys.archivePart(cohortId, index + 1),
                type: 'archive',
                parts,
                data: bytes.subarray(index * archivePartBytes, (index + 1) * archivePartBytes),
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          })),
        }),
      );
      return true;
    } catch (error) {
      // Kept before: an archive is written once, before anything is deleted.
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }

  async getArchive(cohortId: string): Promise<CohortReportData | undefined> {
    const items = await queryPrefix(this.#db, this.#table, keys.cohortPk(cohortId), keys.archivePrefix);
    if (items.length === 0) return undefined;
    const bytes = Buffer.concat(items.map((item) => item.data as Uint8Array));
    return JSON.parse(gunzipSync(bytes).toString('utf8')) as CohortReportData;
  }

  async purgeCohort(cohortId: string): Promise<{ deleted: number }> {
    let deleted = 0;
    // Reply keys and change links live in their own partitions: the index lists every one, even
    // a second key a racing worker left without a pointer, or the link of a change made since.
    const listed = await this.#listedOutside(cohortId);
    await batchDeleteAll(this.#db, this.#table, listed.map(keyOf));
    deleted += listed.length;
    for await (const items of this.#partition(cohortId)) {
      // What lives outside the partition goes first, while the items pointing to it still exist.
      const outside = items.flatMap(pointedTo);
      const doomed = items.filter((item) => !keptByPurge(item)).map(keyOf);
      await batchDeleteAll(this.#db, this.#table, outside);
      await batchDeleteAll(this.#db, this.#table, doomed);
      deleted += outside.length + doomed.length;
    }
    // The review keeps its count of drafts and which was approved, not whom it pinned or forbade.
    await whenConditionHolds(
      this.#db.send(
        new UpdateCommand({
          TableName: this.#table,
          Key: keys.matchReview(cohortId),
          UpdateExpression: 'SET settings = :empty',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':empty': emptyReviewSettings() },
        }),
      ),
    );
    return { deleted };
  }

  async erasePerson(
    cohortId: string,
    person: { email: string; name?: string; participantId?: string },
    replacement: { email: string; name: string },
  ): Promise<{ deleted: number; redacted: number }> {
    const email = normalizeEmail(person.email);
    const participant = keys.participant(cohortId, email);
    // Their own items: their answers, rematch requests (by `email`), pointers, ledger entries,
    // the copies of their dead letters.
    const theirs = (item: Item) =>
      item.email === email ||
      (person.participantId !== undefined &&
        [keys.replyKeyPrefix, keys.sendPrefix, keys.deadLetterPrefix, keys.resendCopyPrefix].some((prefix) =>
          item.sk.startsWith(`${prefix}${person.participantId}#`),
        )) ||
      // A key that names them cannot be rewritten: the item goes.
      `${item.pk}\n${item.sk}`.toLowerCase().includes(email);
    const redact = redactor([
      [email, replacement.email],
      ...(person.name && person.name.trim().length >= 3
        ? [[person.name.trim(), replacement.name] as [string, string]]
        : []),
    ]);
    const listed = (await this.#listedOutside(cohortId)).filter((item) => item.email === email);
    await batchDeleteAll(this.#db, this.#table, listed.map(keyOf));
    let deleted = listed.length;
    let redacted = 0;
    let participantItem: Item | undefined;
    for await (const items of this.#partition(cohortId)) {
      // The participant item goes last: a rerun after a crash still finds their id in it.
      participantItem ??= items.find((item) => item.sk === participant.sk);
      const doomed = items.filter((item) => item.sk !== participant.sk && theirs(item));
      const outside = doomed.flatMap(pointedTo);
      await batchDeleteAll(this.#db, this.#table, outside);
      await batchDeleteAll(this.#db, this.#table, doomed.map(keyOf));
      deleted += outside.length + doomed.length;
      for (const item of items) {
        if (item === participantItem || doomed.includes(item)) continue;
        const { pk, sk, ...rest } = item;
        const changed = redact(rest);
        if (changed === rest) continue;
        await this.#db.send(
          new PutCommand({ TableName: this.#table, Item: { ...(changed as object), pk, sk } }),
        );
        redacted++;
      }
    }
    if (participantItem) {
      // An applicant from the form who never confirmed frees their place in the intake's count,
      // once: the mark on their item (deleted next) tells a rerun it was freed.
      const applicant = participantItem as Item & Participant & { intakePlaceFreed?: boolean };
      if (holdsIntakePlace(applicant) && !applicant.intakePlaceFreed) {
        await freeingAnIntakePlace(this.#db, this.#table, applicant, [
          {
            Update: {
              TableName: this.#table,
              Key: participant,
              UpdateExpression: 'SET intakePlaceFreed = :true',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(intakePlaceFreed)',
              ExpressionAttributeValues: { ':true': true },
            },
          },
        ]);
      }
      await batchDeleteAll(this.#db, this.#table, pointedTo(participantItem));
      await batchDeleteAll(this.#db, this.#table, [participant]);
      deleted += 2;
    }
    return { deleted, redacted };
  }

  async suppress(email: string, at: Date): Promise<void> {
    await this.#db.send(
      new PutCommand({
        TableName: this.#table,
        Item: { ...keys.suppression(suppressionHash(email)), type: 'suppression', at: at.toISOString() },
      }),
    );
  }

  /** The cohort's partition, a page at a time (a large cohort holds tens of thousands of items). */
  async *#partition(cohortId: string): AsyncGenerator<Item[]> {
    for await (const page of paginateQuery(
      { client: this.#db },
      {
        TableName: this.#table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.cohortPk(cohortId) },
        ConsistentRead: true,
      },
    )) {
      yield (page.Items ?? []) as Item[];
    }
  }

  /** The cohort's items outside its partition that the index lists: reply keys, change links. */
  async #listedOutside(cohortId: string): Promise<Item[]> {
    const listings = [keys.replyKeyListing(cohortId, ''), keys.changeLinkListing(cohortId, '')];
    const lists = await Promise.all(
      listings.map(
        async ({ gsi1pk }) =>
          (await queryAll(this.#db, {
            TableName: this.#table,
            IndexName: tableDesign.indexes[0].indexName,
            KeyConditionExpression: 'gsi1pk = :pk',
            ExpressionAttributeValues: { ':pk': gsi1pk },
            ProjectionExpression: 'pk, sk, email',
          })) as Item[],
      ),
    );
    return lists.flat();
  }
}

const keyOf = ({ pk, sk }: Item): Key => ({ pk, sk });

/** Items of the cohort's partition that hold nothing personal and outlive the purge. */
function keptByPurge({ sk }: Item): boolean {
  return (
    sk === 'COHORT' ||
    sk === keys.matchReview('').sk ||
    sk.startsWith(keys.archivePrefix) ||
    // The organizers' messages (digests, the report): a restarted workflow never sends them again.
    sk.startsWith(`${keys.sendPrefix}organizer-`)
  );
}

/** The items outside the partition this one points to: a reply key, a link token. */
function pointedTo(item: Item): Key[] {
  if (item.sk.startsWith('REPLYTO#') && typeof item.key === 'string') return [keys.replyKey(item.key)];
  if (item.sk.startsWith(keys.participantPrefix) && typeof item.linkToken === 'string')
    return [keys.link(item.linkToken)];
  return [];
}

/**
 * A function that replaces every occurrence of each needle (any case) in every string of a
 * value, map keys included; it returns the value itself when nothing changed.
 */
function redactor(replacements: [needle: string, replacement: string][]) {
  const patterns = replacements.map(
    ([needle, replacement]) =>
      [new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), replacement] as const,
  );
  const inText = (text: string) =>
    patterns.reduce((result, [pattern, replacement]) => result.replace(pattern, replacement), text);
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const replaced = inText(value);
      return replaced === value ? value : replaced;
    }
    if (Array.isArray(value)) {
      const mapped = value.map(walk);
      return mapped.some((entry, i) => entry !== value[i]) ? mapped : value;
    }
    if (value instanceof Set) {
      const mapped = [...value].map(walk);
      return mapped.some((entry, i) => entry !== [...value][i]) ? new Set(mapped) : value;
    }
    if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
      let changed = false;
      const entries = Object.entries(value).map(([key, entry]) => {
        const [newKey, newEntry] = [inText(key), walk(entry)];
        if (newKey !== key || newEntry !== entry) changed = true;
        return [newKey, newEntry];
      });
      return changed ? Object.fromEntries(entries) : value;
    }
    return value;
  };
  return walk;
}
