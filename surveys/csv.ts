/**
 * CSV (RFC 4180) both ways: lines for the exports, and a streaming parser for history imports.
 * Text cells that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first) are
 * prefixed with an apostrophe (OWASP "CSV injection"): comments come from customers. A spreadsheet
 * whose list separator is ";" (most of Europe) or tab splits a cell there, so every piece after such
 * a separator is defused the same way, and a cell holding any separator is quoted.
 * https://owasp.org/www-community/attacks/CSV_Injection
 */

export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
/** A formula character at the start of a piece, after any separator a spreadsheet may split on (and blanks). */
const FORMULA_AFTER_SEPARATOR = /([,;\t][ ]*)([=+\-@])/g;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const defused = value.replace(FORMULA_AFTER_SEPARATOR, "$1'$2");
  const text = FORMULA_START.test(defused) ? `'${defused}` : defused;
  return /[",;\t\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record, CRLF-terminated. */
export function csvLine(values: readonly CsvValue[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

/**
 * Incremental parser: feed text chunks as they are read, get the complete records so far. Quoted
 * fields may hold commas, quotes ("") and line breaks; LF and CRLF both end a record; a leading
 * byte-order mark is dropped. Empty lines are skipped.
 */
export class CsvParser {
  private field = '';
  private record: string[] = [];
  private quoted = false;
  /** Inside quotes, a quote was just seen: either an escaped quote or the closing one. */
  private quoteSeen = false;
  private started = false;
  private fieldStarted = false;

  push(chunk: string): string[][] {
    const out: string[][] = [];
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (this.quoted) {
        if (this.quoteSeen) {
          this.quoteSeen = false;
          if (c === '"') {
            this.field += '"';
            continue;
          }
          this.quoted = false; // the closing quote; c is handled below as outside quotes
        } else if (c === '"') {
          this.quoteSeen = true;
          continue;
        } else {
          this.field += c;
          continue;
        }
      }
      if (c === '"' && !this.fieldStarted) {
        this.quoted = true;
        this.fieldStarted = true;
      } else if (c === ',') {
        this.endField();
      } else if (c === '\n') {
        this.endRecord(out);
      } else if (c === '\r') {
        if (text[i + 1] !== '\n' && i + 1 < text.length) this.endRecord(out); // a lone CR ends a record too
      } else {
        this.field += c;
        this.fieldStarted = true;
      }
    }
    return out;
  }

  /** The last record, when the input does not end with a line break. */
  end(): string[][] {
    const out: string[][] = [];
    if (this.quoteSeen) {
      this.quoteSeen = false;
      this.quoted = false;
    }
    if (this.fieldStarted || this.record.length) this.endRecord(out);
    return out;
  }

  private endField(): void {
    this.record.push(this.field);
    this.field = '';
    this.fieldStarted = false;
  }

  private endRecord(out: string[][]): void {
    this.endField();
    if (!(this.record.length === 1 && this.record[0] === '')) out.push(this.record);
    this.record = [];
  }
}

/** Parses a whole CSV text (tests, small files). */
export function parseCsv(text: string): string[][] {
  const parser = new CsvParser();
  return [...parser.push(text), ...parser.end()];
}
