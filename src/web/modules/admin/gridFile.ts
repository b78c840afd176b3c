export interface GridFile {
  name: string;
  size: number;
  featureCount: number;
  /** Sent to the server as it is: the server validates every feature and reports each problem. */
  collection: { type: string; features: unknown[] };
}

export type ParsedGridFile = { ok: true; collection: GridFile['collection'] } | { ok: false; reason: 'not_json' | 'not_collection' };

/**
 * Only what the browser can tell at once: is it JSON, and is it a FeatureCollection. Whether each
 * feature is a valid grid is the server's call, so the rules live in one place.
 */
export function parseGridFile(text: string): ParsedGridFile {
  let value: unknown;
  try {
    // a UTF-8 byte-order mark, as some GIS tools write, is not JSON
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { ok: false, reason: 'not_json' };
  }
  const fc = value as { type?: unknown; features?: unknown } | null;
  if (!fc || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) return { ok: false, reason: 'not_collection' };
  return { ok: true, collection: fc as GridFile['collection'] };
}

export async function readGridFile(file: File): Promise<{ ok: true; file: GridFile } | { ok: false; reason: 'not_json' | 'not_collection' }> {
  const parsed = parseGridFile(await file.text());
  if (!parsed.ok) return parsed;
  return { ok: true, file: { name: file.name, size: file.size, featureCount: parsed.collection.features.length, collection: parsed.collection } };
}
