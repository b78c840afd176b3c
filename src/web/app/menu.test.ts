import { describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../shared/permissions.js';
import { activeMenuKey, descriptionOf, MENU, visibleMenu } from './menu.js';

describe('menu table', () => {
  it('shows an entry only to users holding its permission', () => {
    expect(visibleMenu(() => false).map((e) => e.key)).toEqual(MENU.filter((e) => e.permission === null).map((e) => e.key));
    expect(visibleMenu((p) => p === 'divisions.read').map((e) => e.key)).toContain('divisions');
    expect(visibleMenu(() => true)).toHaveLength(MENU.length);
  });

  it('shows the historical import only to those whose permission covers the whole district', () => {
    const street = (p: string, reach?: 'district') => p === 'evaluation.configure' && reach !== 'district';
    expect(visibleMenu(street).map((e) => e.key)).not.toContain('admin-import');
    expect(visibleMenu((p) => p === 'evaluation.configure').map((e) => e.key)).toContain('admin-import');
  });

  it('names keys, paths and permissions that exist', () => {
    const keys = new Set(PERMISSIONS.map((p) => p.key));
    expect(new Set(MENU.map((e) => e.key)).size).toBe(MENU.length);
    expect(new Set(MENU.map((e) => e.path)).size).toBe(MENU.length);
    for (const entry of MENU) {
      expect(entry.path.startsWith('/')).toBe(true);
      if (entry.permission) expect(keys.has(entry.permission), entry.key).toBe(true);
    }
  });

  it('describes a page by what the reader may do there', () => {
    const team = MENU.find((e) => e.key === 'team')!;
    expect(descriptionOf(team, () => true)).toBe('team.navDescription');
    expect(descriptionOf(team, (p) => p === 'team.read')).toBe('team.navDescriptionRead');
    const keys = new Set(PERMISSIONS.map((p) => p.key));
    for (const entry of MENU) if (entry.readOnly) expect(keys.has(entry.readOnly.unless), entry.key).toBe(true);
  });

  it('lights the entry whose path is the longest prefix of the location', () => {
    expect(activeMenuKey('/', MENU)).toBe('home');
    expect(activeMenuKey('/divisions', MENU)).toBe('divisions');
    expect(activeMenuKey('/divisions/110112001', MENU)).toBe('divisions');
    expect(activeMenuKey('/divisionsx', MENU)).toBeUndefined();
    expect(activeMenuKey('/nowhere', MENU)).toBeUndefined();
  });
});
