/**
 * Members written by staff: one at a time, or in bulk from a CSV export. A bulk import checks every
 * row first and writes nothing when one row is wrong (per-row report); a re-run of the same file
 * counts the members already there instead of failing, so an interrupted import can be retried.
 */
import { randomBytes } from 'node:crypto';
import { parse } from 'csv-parse';
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { MemberDoc, Models } from '../../domain/models';
import { LANGUAGES, type Language } from '../../domain/types';
import { ConflictError, NotFoundError, ValidationError, type FieldProblem } from '../../domain/errors';

export interface MemberInput {
  id?: string;
  name: string;
  email: string;
  language: Language;
  country: string;
  officeId?: string;
}

/** A fresh opaque member id: never derived from the name or the address. */
export function newMemberId(): string {
  return `m_${randomBytes(8).toString('hex')}`;
}

export const emailKey = (email: string) => email.trim().toLowerCase();

/** Creates one member; an address already registered conflicts. */
export async function createMember(models: Models, input: MemberInput): Promise<MemberDoc> {
  if (input.officeId) {
    const office = await models.Office.findById(input.officeId).lean();
    if (!office) throw new NotFoundError('office', input.officeId);
    if (office.country !== input.country) {
      throw new ValidationError('the office is in another country', [
        { path: 'body.officeId', message: `office ${input.officeId} is in ${office.country}, not ${input.country}` },
      ]);
    }
  }
  try {
    const doc = await models.Member.create({
      _id: input.id ?? newMemberId(),
      name: input.name.trim(),
      email: input.email.trim(),
      emailKey: emailKey(input.email),
      language: input.language,
      country: input.country,
      officeId: input.officeId,
    });
    return doc.toObject();
  } catch (err) {
    if ((err as { code?: number }).code === 11000) {
      throw new ConflictError('a member with this id or email address already exists');
    }
    throw err;
  }
}

/** Reads a member or throws NotFoundError. */
export async function requireMember(models: Models, memberId: string): Promise<MemberDoc> {
  const member = await models.Member.findById(memberId).lean();
  if (!member) throw new NotFoundError('member', memberId);
  return member;
}

/** Members, filtered by office or country, by id, paged. */
export async function listMembers(
  models: Models,
  filter: { officeId?: string; country?: string; limit: number; offset: number },
): Promise<{ total: number; items: MemberDoc[] }> {
  const query: Record<string, unknown> = {};
  if (filter.officeId) query.officeId = filter.officeId;
  if (filter.country) query.country = filter.country;
  const [total, items] = await Promise.all([
    models.Member.countDocuments(query),
    models.Member.find(query).sort({ _id: 1 }).skip(filter.offset).limit(filter.limit).lean(),
  ]);
  return { total, items };
}

// ---------------------------------------------------------------------------------------------
// Bulk import
// ---------------------------------------------------------------------------------------------

const rowSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - only')
    .optional(),
  name: z.string().trim().min(1, 'required').max(200),
  email: z.email('not an email address').max(254),
  language: z.enum(LANGUAGES, 'one of nl, fr, en'),
  country: z.string().regex(/^[A-Z]{2}$/, 'a country code such as BE'),
  office: z.string().optional(),
});

export const MEMBER_CSV_COLUMNS = ['name', 'email', 'language', 'country', 'office', 'id'] as const;
export const MAX_IMPORT_ROWS = 200_000;
const BATCH = 5_000;

export interface ImportProgress {
  stage: 'validating' | 'writing';
  done: number;
  total: number;
}

export interface ImportReport {
  rows: number;
  created: number;
  /** Rows whose address is already registered (a re-run of the same file). */
  existing: number;
  createdIds: string[];
}

/**
 * Imports members from CSV text: header row with name, email, language, country, and optionally
 * office (office id or city) and id; `,` or `;` separated. Throws ValidationError listing every
 * bad row (`rows.<line>.<column>`) before writing anything.
 */
export async function importMembersCsv(
  models: Models,
  csv: string,
  onProgress: (progress: ImportProgress) => void = () => undefined,
): Promise<ImportReport> {
  const records: Record<string, string>[] = [];
  const problems: FieldProblem[] = [];
  try {
    const parser = Readable.from([csv]).pipe(
      parse({
        bom: true,
        columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
        delimiter: [',', ';'],
        skip_empty_lines: true,
        trim: true,
        relax_column_count: false,
        max_record_size: 10_000,
      }),
    );
    for await (const record of parser) {
      records.push(record as Record<string, string>);
      if (records.length > MAX_IMPORT_ROWS) {
        throw new ValidationError(`at most ${MAX_IMPORT_ROWS} rows per import`, [
          { path: 'body', message: `more than ${MAX_IMPORT_ROWS} rows` },
        ]);
      }
    }
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    const e = err as { code?: string; lines?: number; message?: string };
    throw new ValidationError('the CSV cannot be read', [
      { path: e.lines ? `rows.${e.lines}` : 'body', message: csvMessage(e.code) },
    ]);
  }
  if (records.length === 0) {
    throw new ValidationError('the CSV has no rows', [{ path: 'body', message: 'a header row and at least one member' }]);
  }
  const header = Object.keys(records[0]);
  for (const column of ['name', 'email', 'language', 'country']) {
    if (!header.includes(column)) problems.push({ path: `columns.${column}`, message: 'missing column' });
  }
  for (const column of header) {
    if (!(MEMBER_CSV_COLUMNS as readonly string[]).includes(column)) {
      problems.push({ path: `columns.${column}`, message: `unknown column (expected ${MEMBER_CSV_COLUMNS.join(', ')})` });
    }
  }
  if (problems.length) throw new ValidationError('the CSV header is wrong', problems);

  const offices = await models.Office.find({}).lean();
  const officeByKey = new Map<string, { id: string; country: string }>();
  for (const o of offices) {
    officeByKey.set(o._id.toLowerCase(), { id: o._id, country: o.country });
    officeByKey.set(`${o.country}:${o.city.toLowerCase()}`, { id: o._id, country: o.country });
  }

  const seenEmails = new Map<string, number>();
  const seenIds = new Map<string, number>();
  const valid: (MemberInput & { line: number })[] = [];
  records.forEach((record, index) => {
    const line = index + 2; // line 1 is the header
    const cleaned = Object.fromEntries(Object.entries(record).filter(([, v]) => v !== ''));
    const parsed = rowSchema.safeParse(cleaned, {
      error: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'required' : undefined),
    });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        problems.push({ path: `rows.${line}.${issue.path.join('.') || 'row'}`, message: issue.message });
      }
      return;
    }
    const row = parsed.data;
    const key = emailKey(row.email);
    const earlier = seenEmails.get(key);
    if (earlier) problems.push({ path: `rows.${line}.email`, message: `same address as line ${earlier}` });
    else seenEmails.set(key, line);
    if (row.id) {
      const earlierId = seenIds.get(row.id);
      if (earlierId) problems.push({ path: `rows.${line}.id`, message: `same id as line ${earlierId}` });
      else seenIds.set(row.id, line);
    }
    let officeId: string | undefined;
    if (row.office) {
      const office =
        officeByKey.get(row.office.toLowerCase()) ?? officeByKey.get(`${row.country}:${row.office.toLowerCase()}`);
      if (!office) {
        problems.push({ path: `rows.${line}.office`, message: `unknown office ${row.office}` });
        return;
      }
      if (office.country !== row.country) {
        problems.push({ path: `rows.${line}.office`, message: `office ${office.id} is in ${office.country}` });
        return;
      }
      officeId = office.id;
    }
    valid.push({ line, id: row.id, name: row.name, email: row.email, language: row.language, country: row.country, officeId });
    if ((index + 1) % 10_000 === 0) onProgress({ stage: 'validating', done: index + 1, total: records.length });
  });
  if (problems.length) {
    throw new ValidationError(`${new Set(problems.map((p) => p.path.split('.')[1])).size} row(s) are wrong; nothing was imported`, problems.slice(0, 1000));
  }
  onProgress({ stage: 'validating', done: records.length, total: records.length });

  // Addresses already registered: counted as existing (a re-run), unless the id says otherwise.
  const existing = new Map<string, string>();
  const keys = [...seenEmails.keys()];
  for (let i = 0; i < keys.length; i += BATCH) {
    const found = await models.Member.find({ emailKey: { $in: keys.slice(i, i + BATCH) } }, { _id: 1, emailKey: 1 }).lean();
    for (const m of found) existing.set(m.emailKey, m._id);
  }
  const conflicts: FieldProblem[] = [];
  const ids = valid.filter((v) => v.id).map((v) => v.id as string);
  const takenIds = new Map<string, string>();
  for (let i = 0; i < ids.length; i += BATCH) {
    const found = await models.Member.find({ _id: { $in: ids.slice(i, i + BATCH) } }, { _id: 1, emailKey: 1 }).lean();
    for (const m of found) takenIds.set(m._id, m.emailKey);
  }
  for (const row of valid) {
    const owner = row.id ? takenIds.get(row.id) : undefined;
    if (row.id && owner && owner !== emailKey(row.email)) {
      conflicts.push({ path: `rows.${row.line}.id`, message: `id ${row.id} belongs to another member` });
    }
    const current = existing.get(emailKey(row.email));
    if (row.id && current && current !== row.id) {
      conflicts.push({ path: `rows.${row.line}.email`, message: `address registered under member ${current}` });
    }
  }
  if (conflicts.length) throw new ValidationError(`${conflicts.length} row(s) conflict with stored members; nothing was imported`, conflicts.slice(0, 1000));

  const now = new Date();
  const toInsert = valid
    .filter((row) => !existing.has(emailKey(row.email)))
    .map((row) => ({
      _id: row.id ?? newMemberId(),
      name: row.name,
      email: row.email,
      emailKey: emailKey(row.email),
      language: row.language,
      country: row.country,
      officeId: row.officeId,
      createdAt: now,
      updatedAt: now,
    }));
  const inserted: string[] = [];
  try {
    for (let i = 0; i < toInsert.length; i += BATCH) {
      const batch = toInsert.slice(i, i + BATCH);
      await models.Member.insertMany(batch, { ordered: false, lean: true });
      inserted.push(...batch.map((m) => m._id));
      onProgress({ stage: 'writing', done: Math.min(i + BATCH, toInsert.length), total: toInsert.length });
    }
  } catch (err) {
    // No transactions on FerretDB: undo this import's own inserts so nothing stays half-imported.
    const writtenInFailedBatch = ((err as { insertedDocs?: { _id: string }[] }).insertedDocs ?? []).map((d) => d._id);
    const undo = [...inserted, ...writtenInFailedBatch];
    for (let i = 0; i < undo.length; i += BATCH) {
      await models.Member.deleteMany({ _id: { $in: undo.slice(i, i + BATCH) } }).catch(() => undefined);
    }
    if ((err as { code?: number }).code === 11000) {
      throw new ConflictError('another import or a new member took one of these addresses meanwhile; nothing was imported, retry');
    }
    throw err;
  }
  return { rows: records.length, created: inserted.length, existing: valid.length - toInsert.length, createdIds: inserted };
}

function csvMessage(code: string | undefined): string {
  switch (code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
    case 'CSV_RECORD_INCONSISTENT_COLUMNS':
      return 'this row has a different number of columns than the header';
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted value is not closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'a quote appears inside an unquoted value';
    case 'CSV_MAX_RECORD_SIZE':
      return 'this row is too long';
    default:
      return 'not readable as CSV';
  }
}
