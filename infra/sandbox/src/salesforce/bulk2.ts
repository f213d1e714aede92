/**
 * Bulk API 2.0 ingest jobs: create (Open) → upload CSV → PATCH UploadComplete → InProgress →
 * JobComplete, with successfulResults / failedResults / unprocessedrecords as CSV. Processing runs on
 * a timer (`processingDelayMs`) so clients really poll.
 */
import { type Express, type Request } from 'express';
import { parseCsv, toCsv } from '../core/csv';
import { type SfContext, NOT_FOUND, apiVersion, sfError, sfRoute } from './http';
import { sfDateTime } from './soql';
import { type SfValue } from './store';
import { RecordWriteError, prepareWrite, recordForId } from './values';

export type BulkOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';
export type BulkState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

export interface SfBulkJob {
  id: string;
  object: string;
  operation: BulkOperation;
  externalIdFieldName?: string;
  lineEnding: 'LF' | 'CRLF';
  columnDelimiter: string;
  apiVersion: number;
  state: BulkState;
  createdById: string;
  createdDate: number;
  systemModstamp: number;
  csv: string[];
  header: string[];
  successful: string[][];
  failed: string[][];
  unprocessed: string[][];
  errorMessage?: string;
  numberRecordsProcessed: number;
  numberRecordsFailed: number;
  totalProcessingTime: number;
}

const DELIMITERS: Record<string, string> = {
  COMMA: ',',
  TAB: '\t',
  PIPE: '|',
  SEMICOLON: ';',
  CARET: '^',
  BACKQUOTE: '`',
};
const OPERATIONS: BulkOperation[] = ['insert', 'update', 'upsert', 'delete', 'hardDelete'];

export interface BulkOptions {
  /** How long after UploadComplete the job moves to InProgress, then to JobComplete. */
  processingDelayMs: number;
}

export function jobInfo(job: SfBulkJob): Record<string, unknown> {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: sfDateTime(job.createdDate),
    systemModstamp: sfDateTime(job.systemModstamp),
    state: job.state,
    ...(job.externalIdFieldName ? { externalIdFieldName: job.externalIdFieldName } : {}),
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: job.apiVersion,
    jobType: 'V2Ingest',
    contentUrl: `services/data/v${job.apiVersion.toFixed(1)}/jobs/ingest/${job.id}/batches`,
    lineEnding: job.lineEnding,
    columnDelimiter: Object.entries(DELIMITERS).find(([, v]) => v === job.columnDelimiter)?.[0] ?? 'COMMA',
    numberRecordsProcessed: job.numberRecordsProcessed,
    numberRecordsFailed: job.numberRecordsFailed,
    retries: 0,
    totalProcessingTime: job.totalProcessingTime,
    apiActiveProcessingTime: job.totalProcessingTime,
    apexProcessingTime: 0,
    ...(job.errorMessage ? { errorMessage: job.errorMessage } : {}),
  };
}

export function registerBulk2(
  app: Express,
  ctx: SfContext,
  jobs: Map<string, SfBulkJob>,
  options: BulkOptions,
): { stop(): void } {
  const { store } = ctx;
  const timers = new Set<NodeJS.Timeout>();
  const later = (fn: () => void, ms: number): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const jobOf = (req: Request): SfBulkJob => {
    const job = jobs.get(String(req.params.jobId ?? ''));
    if (!job) throw NOT_FOUND();
    return job;
  };

  /** Rows applied between yields to the event loop: a big job must not stall the emulator's other requests. */
  const ROWS_PER_TURN = 500;

  const process = async (job: SfBulkJob): Promise<void> => {
    const started = Date.now();
    const def = store.object(job.object);
    const rows = job.csv.flatMap((chunk) => parseCsv(chunk, job.columnDelimiter));
    const header = rows.shift() ?? [];
    // each uploaded chunk repeats the header; drop repeats
    const data = rows.filter((r) => r.join('\u0000') !== header.join('\u0000'));
    job.header = header;
    if (!def) {
      job.state = 'Failed';
      job.errorMessage = `InvalidEntity : sObject type '${job.object}' is not supported.`;
      return;
    }
    const unknown = header.find((h) => !store.field(def, h));
    if (unknown) {
      job.state = 'Failed';
      job.errorMessage = `InvalidBatch : Field name not found : ${unknown}`;
      job.unprocessed = data;
      return;
    }
    for (const [n, row] of data.entries()) {
      if (n > 0 && n % ROWS_PER_TURN === 0) await new Promise((r) => setImmediate(r));
      if (job.state !== 'InProgress') return;
      const input: Record<string, unknown> = {};
      header.forEach((h, i) => (input[h] = row[i] ?? ''));
      try {
        const { id, created } = applyRow(job, def.name, input);
        job.successful.push([id, String(created), ...row]);
      } catch (err) {
        if (err instanceof RecordWriteError) {
          const id = String(input.Id ?? input.id ?? '');
          const msg = err.errors
            .map((e) => `${e.statusCode}:${e.message}:${e.fields.join(',')} --`)
            .join(' ');
          job.failed.push([id, msg, ...row]);
        } else if (err instanceof Error && 'errors' in err) {
          const first = (err as { errors: Array<{ errorCode: string; message: string }> }).errors[0];
          job.failed.push([String(input.Id ?? ''), `${first?.errorCode}:${first?.message}: --`, ...row]);
        } else {
          throw err;
        }
      }
      job.numberRecordsProcessed++;
    }
    job.numberRecordsFailed = job.failed.length;
    job.totalProcessingTime = Date.now() - started;
    job.state = 'JobComplete';
    job.systemModstamp = store.now();
  };

  const applyRow = (
    job: SfBulkJob,
    type: string,
    input: Record<string, unknown>,
  ): { id: string; created: boolean } => {
    const def = store.object(type);
    if (!def) throw new Error('unknown object');
    const idOf = (): unknown => input.Id ?? input.id ?? input.ID;
    switch (job.operation) {
      case 'insert': {
        const values = prepareWrite(store, def, input, { mode: 'create', csv: true });
        return { id: store.insert(def.name, values, { userId: job.createdById }).id, created: true };
      }
      case 'update': {
        const record = recordForId(store, idOf(), def.name);
        const values = prepareWrite(store, def, input, { mode: 'update', csv: true });
        store.update(def.name, record.id, values, { userId: job.createdById });
        ctx.counters?.recordWrite(def.name, record.id);
        return { id: record.id, created: false };
      }
      case 'upsert': {
        const ext = store.field(def, job.externalIdFieldName ?? 'Id');
        const key = ext
          ? (input[ext.name] ??
            Object.entries(input).find(([k]) => k.toLowerCase() === ext.name.toLowerCase())?.[1])
          : undefined;
        const existing =
          ext && key !== undefined && key !== ''
            ? ext.name === 'Id'
              ? store.get(def.name, String(key))
              : store
                  .all(def.name)
                  .find((r) => String(r.fields[ext.name] ?? '').toLowerCase() === String(key).toLowerCase())
            : undefined;
        if (existing) {
          const values = prepareWrite(store, def, input, { mode: 'update', csv: true });
          delete (values as Record<string, SfValue>)[ext?.name ?? 'Id'];
          store.update(def.name, existing.id, values, { userId: job.createdById });
          return { id: existing.id, created: false };
        }
        const { Id: _id, ...rest } = input;
        const values = prepareWrite(store, def, rest, { mode: 'create', csv: true });
        return { id: store.insert(def.name, values, { userId: job.createdById }).id, created: true };
      }
      case 'delete':
      case 'hardDelete': {
        const record = recordForId(store, idOf(), def.name);
        store.delete(def.name, record.id);
        return { id: record.id, created: false };
      }
    }
  };

  sfRoute(app, ctx, 'post', '/services/data/:version/jobs/ingest', (req, res, session) => {
    const version = Number(apiVersion(req));
    const b = (req.body ?? {}) as Record<string, unknown>;
    const object = String(b.object ?? '');
    const operation = String(b.operation ?? '') as BulkOperation;
    if (!store.object(object))
      throw sfError(400, 'INVALIDENTITY', `sObject type '${object}' is not supported`);
    if (!OPERATIONS.includes(operation)) throw sfError(400, 'INVALIDJOB', `Invalid operation: ${operation}`);
    if (operation === 'upsert' && !b.externalIdFieldName) {
      throw sfError(
        400,
        'INVALIDJOB',
        'External ID was blank for upsert. An External ID field name is required.',
      );
    }
    if (b.contentType !== undefined && b.contentType !== 'CSV')
      throw sfError(400, 'INVALIDJOB', 'contentType must be CSV');
    const delimiterName = String(b.columnDelimiter ?? 'COMMA');
    const delimiter = DELIMITERS[delimiterName];
    if (!delimiter) throw sfError(400, 'INVALIDJOB', `Invalid column delimiter: ${delimiterName}`);
    const now = store.now();
    const job: SfBulkJob = {
      id: store.nextId('750'),
      object: store.object(object)?.name ?? object,
      operation,
      ...(b.externalIdFieldName ? { externalIdFieldName: String(b.externalIdFieldName) } : {}),
      lineEnding: b.lineEnding === 'CRLF' ? 'CRLF' : 'LF',
      columnDelimiter: delimiter,
      apiVersion: version,
      state: 'Open',
      createdById: session.userId,
      createdDate: now,
      systemModstamp: now,
      csv: [],
      header: [],
      successful: [],
      failed: [],
      unprocessed: [],
      numberRecordsProcessed: 0,
      numberRecordsFailed: 0,
      totalProcessingTime: 0,
    };
    jobs.set(job.id, job);
    res.status(200).json(jobInfo(job));
  });

  sfRoute(app, ctx, 'get', '/services/data/:version/jobs/ingest', (req, res) => {
    apiVersion(req);
    res.json({ done: true, records: [...jobs.values()].map(jobInfo), nextRecordsUrl: null });
  });

  sfRoute(app, ctx, 'put', '/services/data/:version/jobs/ingest/:jobId/batches', (req, res) => {
    apiVersion(req);
    const job = jobOf(req);
    if (job.state !== 'Open')
      throw sfError(
        409,
        'INCORRECTSTATE',
        `Job is in ${job.state} state; data can only be uploaded to an Open job`,
      );
    const body = typeof req.body === 'string' ? req.body : '';
    if (!body.trim()) throw sfError(400, 'INVALIDBATCH', 'Empty CSV data');
    job.csv.push(body);
    res.status(201).end();
  });

  sfRoute(app, ctx, 'patch', '/services/data/:version/jobs/ingest/:jobId', (req, res) => {
    apiVersion(req);
    const job = jobOf(req);
    const state = String(((req.body ?? {}) as Record<string, unknown>).state ?? '');
    if (state === 'UploadComplete') {
      if (job.state !== 'Open') throw sfError(409, 'INCORRECTSTATE', `Job ${job.id} is not Open`);
      job.state = 'UploadComplete';
      job.systemModstamp = store.now();
      later(() => {
        if (job.state !== 'UploadComplete') return;
        job.state = 'InProgress';
        later(() => {
          if (job.state !== 'InProgress') return;
          process(job).catch((err: unknown) => {
            job.state = 'Failed';
            job.errorMessage = err instanceof Error ? err.message : String(err);
          });
        }, options.processingDelayMs);
      }, options.processingDelayMs);
    } else if (state === 'Aborted') {
      if (job.state === 'JobComplete' || job.state === 'Failed') {
        throw sfError(409, 'INCORRECTSTATE', `Job ${job.id} has already finished`);
      }
      job.state = 'Aborted';
      job.systemModstamp = store.now();
    } else {
      throw sfError(400, 'INVALIDJOBSTATE', `Invalid state: ${state}`);
    }
    res.status(200).json(jobInfo(job));
  });

  sfRoute(app, ctx, 'get', '/services/data/:version/jobs/ingest/:jobId', (req, res) => {
    apiVersion(req);
    res.json(jobInfo(jobOf(req)));
  });

  const resultCsv = (kind: 'successfulResults' | 'failedResults' | 'unprocessedrecords') =>
    sfRoute(app, ctx, 'get', `/services/data/:version/jobs/ingest/:jobId/${kind}`, (req, res) => {
      apiVersion(req);
      const job = jobOf(req);
      const eol = job.lineEnding === 'CRLF' ? '\r\n' : '\n';
      let csv: string;
      if (kind === 'successfulResults')
        csv = toCsv(['sf__Id', 'sf__Created', ...job.header], job.successful, eol);
      else if (kind === 'failedResults') csv = toCsv(['sf__Id', 'sf__Error', ...job.header], job.failed, eol);
      else csv = toCsv(job.header, job.unprocessed, eol);
      res.status(200).type('text/csv').send(csv);
    });
  resultCsv('successfulResults');
  resultCsv('failedResults');
  resultCsv('unprocessedrecords');

  sfRoute(app, ctx, 'delete', '/services/data/:version/jobs/ingest/:jobId', (req, res) => {
    apiVersion(req);
    const job = jobOf(req);
    if (job.state === 'UploadComplete' || job.state === 'InProgress') {
      throw sfError(409, 'INCORRECTSTATE', 'A job that is processing cannot be deleted');
    }
    jobs.delete(job.id);
    res.status(204).end();
  });

  return {
    stop: () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}
