/**
 * The two CSV exports, parsed and wired once for both ways of answering:
 * - on AWS (API Gateway + Lambda answer with one whole body) the handler returns a page of at most
 *   EXPORT_PAGE_BYTES and, when more rows follow, a `Link: <…&cursor=…>; rel="next"` header;
 * - locally the runtime streams every row to the socket as DynamoDB pages come in (streamExport).
 */
import type { ServerResponse } from 'node:http';
import { exportPage, exportResponses, exportScores, responsesHeader, scoresHeader, type CsvChunk } from '#surveys/use-cases/export-csv.ts';
import { DynamoResponseExport } from '../adapters/dynamodb/response-export.ts';
import { ScoreBucketReader } from '../adapters/dynamodb/score-buckets.ts';
import { dynamoDocumentClient } from '../shared/clients.ts';
import { env } from '../shared/env.ts';
import { errorResult, type HttpResult } from '../shared/http.ts';
import { logger } from '../shared/powertools.ts';
import { parseQuery, responsesExportQuery, scoresExportQuery } from './queries.ts';

/** Lambda's synchronous answer is limited to 6 MB: a page stops at the first cursor past 5 MB. */
export const EXPORT_PAGE_BYTES = 5 * 1024 * 1024;

export const EXPORT_PATHS = { '/api/export/scores': 'scores', '/api/export/responses': 'responses' } as const;

interface PreparedExport {
  filename: string;
  header: string;
  chunks: AsyncGenerator<CsvChunk>;
  personalData: boolean;
}

export function prepareExport(path: keyof typeof EXPORT_PATHS, query: Record<string, string | undefined> | undefined): PreparedExport {
  const db = dynamoDocumentClient();
  const { tableName } = env();
  if (path === '/api/export/scores') {
    const q = parseQuery(scoresExportQuery, query);
    return {
      filename: `ankieta-scores-${q.from}-${q.to}.csv`,
      header: scoresHeader(),
      chunks: exportScores({ fromDay: q.from, toDay: q.to, metric: q.metric, segment: q.segment, cursor: q.cursor }, new ScoreBucketReader(db, tableName)),
      personalData: false,
    };
  }
  const q = parseQuery(responsesExportQuery, query);
  return {
    filename: `ankieta-responses-${q.from}-${q.to}.csv`,
    header: responsesHeader(q.includePersonalData),
    chunks: exportResponses(
      { fromDay: q.from, toDay: q.to, metric: q.metric, includePersonalData: q.includePersonalData, cursor: q.cursor },
      new DynamoResponseExport(db, tableName),
    ),
    personalData: q.includePersonalData,
  };
}

function csvHeaders(filename: string): Record<string, string> {
  return {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
}

/** AWS: one page of the export, with the link to the next one. */
export async function exportPageResult(
  path: keyof typeof EXPORT_PATHS,
  rawPath: string,
  query: Record<string, string | undefined> | undefined,
  maxBytes = EXPORT_PAGE_BYTES,
): Promise<HttpResult> {
  const prepared = prepareExport(path, query);
  const page = await exportPage(prepared.header, prepared.chunks, maxBytes);
  logger.info('export page', { export: EXPORT_PATHS[path], rows: page.rows, personalData: prepared.personalData, more: Boolean(page.next) });
  const headers = csvHeaders(prepared.filename);
  if (page.next) {
    const params = new URLSearchParams(Object.entries(query ?? {}).filter((e): e is [string, string] => e[1] !== undefined && e[0] !== 'cursor'));
    params.set('cursor', page.next);
    Object.assign(headers, { link: `<${rawPath}?${params}>; rel="next"`, 'x-next-cursor': page.next });
  }
  return { statusCode: 200, headers, body: page.body };
}

/** Local runtime: the whole export, each row written as soon as it is read. */
export async function streamExport(path: keyof typeof EXPORT_PATHS, query: Record<string, string>, res: ServerResponse): Promise<void> {
  let prepared: PreparedExport;
  try {
    prepared = prepareExport(path, query);
  } catch (error) {
    const result = errorResult(error);
    res.writeHead(result.statusCode ?? 500, result.headers as Record<string, string>);
    res.end(result.body);
    return;
  }
  res.writeHead(200, csvHeaders(prepared.filename));
  res.write(prepared.header);
  try {
    for await (const { line } of prepared.chunks) {
      if (!res.write(line)) await new Promise((resolve) => res.once('drain', resolve)); // the client reads slower than DynamoDB answers
    }
  } catch (error) {
    logger.error('export failed midway', { error: error as Error });
    res.destroy(); // the client sees a cut transfer, never a silently short file
    return;
  }
  res.end();
}
