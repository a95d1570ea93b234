/**
 * The two CSV exports, a page at a time: API Gateway + Lambda answer with one whole body, so the
 * handler returns at most EXPORT_PAGE_BYTES and, when more rows follow, a `Link: <…&cursor=…>;
 * rel="next"` header (and `x-next-cursor`). The local runtime, a host like API Gateway, follows the
 * cursor and streams the pages to the client one after another (local/http-server.ts).
 */
import { exportPage, exportResponses, exportScores, responsesHeader, scoresHeader, type CsvChunk } from '#surveys/use-cases/export-csv.ts';
import { responseExport, scoreReader } from '#functions/shared/deps.ts';
import type { HttpResult } from '#functions/shared/http.ts';
import { logger } from '#functions/shared/logger.ts';
import { parseQuery, responsesExportQuery, scoresExportQuery } from '#functions/read-api/queries.ts';

/** Lambda's synchronous answer is limited to 6 MB: a page stops at the first cursor past 5 MB. */
export const EXPORT_PAGE_BYTES = 5 * 1024 * 1024;

export const EXPORT_PATHS = { '/api/export/scores': 'scores', '/api/export/responses': 'responses' } as const;

interface PreparedExport {
  filename: string;
  header: string;
  chunks: AsyncGenerator<CsvChunk>;
  personalData: boolean;
}

function prepareExport(path: keyof typeof EXPORT_PATHS, query: Record<string, string | undefined> | undefined): PreparedExport {
  if (path === '/api/export/scores') {
    const q = parseQuery(scoresExportQuery, query);
    return {
      filename: `ankieta-scores-${q.from}-${q.to}.csv`,
      header: scoresHeader(),
      chunks: exportScores({ fromDay: q.from, toDay: q.to, metric: q.metric, segment: q.segment, cursor: q.cursor }, scoreReader()),
      personalData: false,
    };
  }
  const q = parseQuery(responsesExportQuery, query);
  return {
    filename: `ankieta-responses-${q.from}-${q.to}.csv`,
    header: responsesHeader(q.includePersonalData),
    chunks: exportResponses({ fromDay: q.from, toDay: q.to, metric: q.metric, includePersonalData: q.includePersonalData, cursor: q.cursor }, responseExport()),
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

/** One page of the export, with the link to the next one. */
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
