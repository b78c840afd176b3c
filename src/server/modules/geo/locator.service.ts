import type { Db } from '../../platform/db.js';
import { getSetting, setSetting } from '../../platform/settings.js';
import { GridLocator, PastOutlineIndex } from './geometry/index.js';
import { allGridShapes, pastGridShapes } from './grids.repo.js';

export interface Location {
  gridCode: string;
  gridName: string;
  communityCode: string;
  streetCode: string;
  districtCode: string;
}

const VERSION_KEY = 'grids_version';
/** How often a node checks whether another node changed the grids. */
const RECHECK_MS = 5_000;

/**
 * Point → grid for the whole district, from an in-memory static index (flatbush + exact
 * point-in-polygon) built from the grid polygons in the database. It is rebuilt when grids change:
 * at once on the node that changed them, and within a few seconds on the others (a version stamp
 * in `settings`). For a past moment (a historical import) it also knows the outlines that have
 * ended since: grids a redraw retired, and earlier outlines of grids reshaped (`locateManyAt`).
 */
export class LocatorService {
  private locator: GridLocator | null = null;
  private past = new PastOutlineIndex([]);
  /** The grids' names while those outlines held, in the index's order. */
  private pastNames: string[] = [];
  private names: string[] = [];
  private codes: string[] = [];
  private version: string | null = null;
  private checkedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(private readonly db: Db, private readonly now: () => number = Date.now) {}

  async load(): Promise<void> {
    const [rows, past] = await Promise.all([allGridShapes(this.db), pastGridShapes(this.db)]);
    const version = await getSetting(this.db, VERSION_KEY);
    this.locator = new GridLocator(rows.map((r) => ({ code: r.code, polygon: JSON.parse(r.geometry!) })));
    this.past = new PastOutlineIndex(past.map((r) => ({ code: r.code, polygon: JSON.parse(r.geometry), endedAt: r.endedAt })));
    this.pastNames = past.map((r) => r.name);
    this.codes = rows.map((r) => r.code);
    this.names = rows.map((r) => r.name);
    this.version = version;
    this.checkedAt = this.now();
  }

  /** Call after changing grids, inside or after the changing transaction. */
  static async bumpVersion(db: Db | Parameters<typeof setSetting>[0], now: number): Promise<void> {
    await setSetting(db, VERSION_KEY, String(now) + ':' + Math.random().toString(36).slice(2, 8), now);
  }

  private async fresh(): Promise<GridLocator> {
    if (this.locator && this.now() - this.checkedAt < RECHECK_MS) return this.locator;
    this.loading ??= (async () => {
      const v = await getSetting(this.db, VERSION_KEY);
      if (!this.locator || v !== this.version) await this.load();
      this.checkedAt = this.now();
    })().finally(() => (this.loading = null));
    await this.loading;
    return this.locator!;
  }

  async reload(): Promise<void> {
    await this.load();
  }

  get gridCount(): number {
    return this.codes.length;
  }

  private at(i: number): Location | null {
    return i < 0 ? null : locationOf(this.codes[i], this.names[i]);
  }

  async locate(lon: number, lat: number): Promise<Location | null> {
    return this.at((await this.fresh()).locate(lon, lat));
  }

  async locateMany(points: readonly (readonly [number, number])[]): Promise<(Location | null)[]> {
    const loc = await this.fresh();
    return points.map(([lon, lat]) => this.at(loc.locate(lon, lat)));
  }

  /**
   * The grid each point lay in at its moment (`times`, ms): the grid whose outline then held it,
   * if that outline has ended since (retired by a redraw, or reshaped), else the grid that holds it now.
   */
  async locateManyAt(points: readonly (readonly [number, number])[], times: readonly number[]): Promise<(Location | null)[]> {
    const loc = await this.fresh();
    const past = this.past;
    const names = this.pastNames;
    return points.map(([lon, lat], k) => {
      const before = past.locateAt(lon, lat, times[k]);
      return before < 0 ? this.at(loc.locate(lon, lat)) : locationOf(past.codeOf(before), names[before]);
    });
  }
}

function locationOf(code: string, name: string): Location {
  return { gridCode: code, gridName: name, communityCode: code.slice(0, 12), streetCode: code.slice(0, 9), districtCode: code.slice(0, 6) };
}
