/** What the functions write to their log while a test acts: stdout and stderr captured, one JSON object a line. */
import { vi } from 'vitest';

/** The JSON lines written to stdout and stderr while `act` runs (its promise awaited, if it returns one). */
export async function jsonLinesWritten(act: () => unknown): Promise<Array<Record<string, unknown>>> {
  const written: string[] = [];
  const capture = (chunk: string | Uint8Array) => (written.push(String(chunk)), true);
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    await act();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return written.flatMap((chunk) => chunk.split('\n').filter(Boolean)).map((line) => JSON.parse(line) as Record<string, unknown>);
}
