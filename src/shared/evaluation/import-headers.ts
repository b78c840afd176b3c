/**
 * The fields of a historical import (历史数据导入) and the names a CSV's columns give them, in every
 * language of the interface: a file's header is in the language of the system it comes from, not the
 * reader's. The admin screen guesses each column's field from them when a file is chosen, and
 * `onegrid import cases` for the columns its `--map` leaves out, so both read a header alike.
 */
export const IMPORT_FIELDS = [
  'external_id', 'reported_at', 'category', 'status', 'department', 'lon', 'lat', 'grid', 'address', 'description', 'source',
  'dispatched_at', 'handled_at', 'closed_at', 'reporter_name',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export interface ImportFieldNames {
  /** Each field's name on the import screen. */
  labels: Record<ImportField, string>;
  /** Column names other systems use, `|`-separated, guessed as the field. */
  synonyms: Partial<Record<ImportField, string>>;
}

export const IMPORT_FIELD_NAMES: { zh: ImportFieldNames; en: ImportFieldNames } = {
  zh: {
    labels: {
      external_id: '原系统编号', reported_at: '上报时间', category: '问题类别', status: '状态', department: '处置部门',
      lon: '经度', lat: '纬度', grid: '网格编码', address: '地址', description: '问题描述', source: '来源',
      dispatched_at: '派遣时间', handled_at: '处置时间', closed_at: '办结时间', reporter_name: '上报人',
    },
    synonyms: {
      external_id: '编号|原编号|案件编号|原系统编号|工单号', reported_at: '上报时间|受理时间|发现时间|登记时间', category: '问题类别|类别|案件类别|小类|问题类型',
      status: '状态|案件状态|办理状态', department: '处置部门|责任部门|承办部门|办理部门', lon: '经度', lat: '纬度', grid: '网格|网格编码|所属网格|网格编号',
      address: '地址|位置|发生地点', description: '描述|问题描述|内容|案件描述', source: '来源|案件来源|上报渠道', dispatched_at: '派遣时间|派单时间',
      handled_at: '处置时间|反馈时间|处置完成时间', closed_at: '办结时间|结案时间|结单时间', reporter_name: '上报人|反映人',
    },
  },
  en: {
    labels: {
      external_id: 'Number in the other system', reported_at: 'Reported at', category: 'Category', status: 'Status', department: 'Department',
      lon: 'Longitude', lat: 'Latitude', grid: 'Grid code', address: 'Address', description: 'Description', source: 'Source',
      dispatched_at: 'Dispatched at', handled_at: 'Handled at', closed_at: 'Closed at', reporter_name: 'Reporter',
    },
    synonyms: {
      external_id: 'number|id|case number|ticket', reported_at: 'reported|reported at|received|date', category: 'category|type',
      status: 'status|state', department: 'department|dept|handler', lon: 'longitude|lng|x', lat: 'latitude|y', grid: 'grid|grid code',
      address: 'address|location', description: 'description|details|content', source: 'source|channel', dispatched_at: 'dispatched|dispatched at',
      handled_at: 'handled|handled at', closed_at: 'closed|closed at', reporter_name: 'reporter',
    },
  },
};

/** A column named like a field (its key, its label, or a name other systems use for it) maps to it by default. */
export function guessField(column: string, labels: Record<ImportField, string>, synonyms: Partial<Record<ImportField, string>> = {}): ImportField | undefined {
  const c = column.trim().toLowerCase();
  return IMPORT_FIELDS.find((f) => f === c || (labels[f] ?? '').toLowerCase() === c || (synonyms[f] ?? '').toLowerCase().split('|').includes(c));
}

/** The field a column is named like, in any language (Chinese first). */
export function guessFieldInAnyLanguage(column: string): ImportField | undefined {
  for (const v of [IMPORT_FIELD_NAMES.zh, IMPORT_FIELD_NAMES.en]) {
    const field = guessField(column, v.labels, v.synonyms);
    if (field) return field;
  }
  return undefined;
}

/**
 * A `column=field` pair taken apart (the last `=` splits it, so a column's name may hold one), or
 * null when it is not one: no column before the `=`, or no field of the import after it. The
 * command line refuses such a pair as a bad argument, the import as a mapping problem.
 */
export function splitMapPair(pair: string): { column: string; field: ImportField } | null {
  const eq = pair.lastIndexOf('=');
  const column = pair.slice(0, eq).trim();
  const field = pair.slice(eq + 1).trim();
  if (eq <= 0 || !column || !(IMPORT_FIELDS as readonly string[]).includes(field)) return null;
  return { column, field: field as ImportField };
}

/**
 * `column=field` pairs for the columns of a header named like a field, leaving out the columns and
 * the fields the given pairs name already: what the admin screen proposes for a file, for the
 * command line to do the same. Of two columns named like one field, the first in the file has it.
 */
export function guessedPairs(header: readonly string[], given: readonly string[] = []): string[] {
  const columns = new Set<string>();
  const fields = new Set<string>();
  for (const pair of given) {
    const eq = pair.lastIndexOf('=');
    if (eq <= 0) continue;
    columns.add(pair.slice(0, eq).trim());
    fields.add(pair.slice(eq + 1).trim());
  }
  const out: string[] = [];
  for (const raw of header) {
    const column = raw.trim();
    if (!column || columns.has(column)) continue;
    const field = guessFieldInAnyLanguage(column);
    if (!field || fields.has(field)) continue;
    fields.add(field);
    columns.add(column);
    out.push(`${column}=${field}`);
  }
  return out;
}
