import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';

/**
 * Streamed exports (CSV and XLSX) of any table: rows are pulled from an async source one page at a
 * time and written as the client reads, so a million rows cost the memory of one page, not of the
 * file. CSV starts with a UTF-8 byte-order mark so spreadsheet programs read the Chinese right.
 */
export type Cell = string | number | null | undefined;

export interface ExportColumn<T> {
  header: string;
  value: (row: T) => Cell;
  width?: number;
}

export const EXPORT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  // quote what needs it; a leading = + - @ is neutralised so a cell is never run as a formula, and so
  // is a leading tab or carriage return, which spreadsheet programs skip before reading the formula
  const safe = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvStream<T>(columns: readonly ExportColumn<T>[], rows: AsyncIterable<T>): Readable {
  async function* lines() {
    yield '\uFEFF' + columns.map((c) => csvCell(c.header)).join(',') + '\r\n';
    let chunk = '';
    for await (const row of rows) {
      chunk += columns.map((c) => csvCell(c.value(row))).join(',') + '\r\n';
      if (chunk.length > 64 * 1024) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  return Readable.from(lines(), { objectMode: false });
}

/** An XLSX workbook with one sheet, written row by row (exceljs streaming writer). */
export function xlsxStream<T>(sheetName: string, columns: readonly ExportColumn<T>[], rows: AsyncIterable<T>): Readable {
  const out = new PassThrough({ highWaterMark: 256 * 1024 });
  // no styles and no shared strings: each row is written once and forgotten (styles cost a third of the time)
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31));
  sheet.columns = columns.map((c, i) => ({ header: c.header, key: String(i), width: c.width ?? Math.min(40, Math.max(10, c.header.length * 2)) }));
  sheet.getRow(1).commit();
  void (async () => {
    try {
      let n = 0;
      for await (const row of rows) {
        sheet.addRow(columns.map((c) => c.value(row) ?? null)).commit();
        // let the reader catch up: the zip writer would otherwise buffer the whole sheet
        if (++n % 500 === 0 && out.writableNeedDrain) await once(out, 'drain');
      }
      sheet.commit();
      await workbook.commit();
    } catch (err) {
      out.destroy(err as Error);
    }
  })();
  return out;
}

export function exportFileName(base: string, format: 'csv' | 'xlsx'): string {
  return `${base.replace(/[^\w.-]+/g, '_')}.${format}`;
}

/** Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266). */
export function contentDisposition(fileName: string, display: string): string {
  return `attachment; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(display)}`;
}
