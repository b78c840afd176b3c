/**
 * A small RFC 4180 reader: quoted fields with doubled quotes and line breaks inside, CRLF or LF,
 * a UTF-8 byte-order mark skipped. Yields each record with its line number (1-based, of its first
 * line) so the validation report can point at the row in the file.
 */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export function* readCsv(text: string): Generator<CsvRecord> {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let field = '';
    let done = false;
    while (!done) {
      if (i < n && text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) throw new CsvError(start, 'a quoted field is not closed');
          const ch = text[i]!;
          if (ch === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === '\n') line++;
          field += ch;
          i++;
        }
      }
      while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') field += text[i++];
      if (i >= n) done = true;
      else if (text[i] === ',') i++;
      else {
        if (text[i] === '\r') i++;
        if (text[i] === '\n') i++;
        line++;
        done = true;
      }
      fields.push(field);
      field = '';
    }
    // a blank line is not a record
    if (!(fields.length === 1 && fields[0] === '')) yield { line: start, fields };
  }
}

/** A file that cannot be read: its message names the line; `reason` says what is wrong without it (a report names the line itself). */
export class CsvError extends Error {
  constructor(readonly line: number, readonly reason: string) {
    super(`line ${line}: ${reason}`);
  }
}
