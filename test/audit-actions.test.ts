import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en, zh } from '../src/web/modules/admin/locale.js';
import { actionKey } from '../src/web/modules/admin/format.js';

/**
 * Every action the server writes to the audit log has words in both languages of the audit screen:
 * the actions are read from the server's source (`action: '…'` with a dotted name, the audit's
 * naming), so a new one without words fails here instead of showing its code to the reader.
 */
function serverFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return serverFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && !e.name.endsWith('.testing.ts') ? [path] : [];
  });
}

const actions = new Set<string>();
const targets = new Set<string>();
for (const file of serverFiles(new URL('../src/server', import.meta.url).pathname)) {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!/\baction: /.test(line)) continue;
    for (const m of line.matchAll(/'([a-z_]+(?:\.[a-z_]+)+)'/g)) actions.add(m[1]!);
    for (const m of line.matchAll(/targetType: '([a-z_]+)'/g)) targets.add(m[1]!);
  }
}

describe('the audit screen\'s words', () => {
  it('finds the audit\'s actions in the server', () => {
    for (const a of ['auth.login', 'auth.account_locked', 'user.disable', 'user.enable', 'evaluation.weights']) expect(actions, a).toContain(a);
  });
  for (const action of [...actions].sort()) {
    it(`names ${action} in Chinese and in English`, () => {
      const key = actionKey(action);
      expect((zh.audit.actions as Record<string, string>)[key], `zh ${key}`).toBeTruthy();
      expect((en.audit.actions as Record<string, string>)[key], `en ${key}`).toBeTruthy();
    });
  }
  it('finds the audit\'s targets in the server', () => {
    for (const t of ['user', 'api_key', 'team', 'case']) expect(targets, t).toContain(t);
  });
  for (const target of [...targets].sort()) {
    it(`names the target ${target} in Chinese and in English`, () => {
      expect((zh.audit.targets as Record<string, string>)[target], `zh ${target}`).toBeTruthy();
      expect((en.audit.targets as Record<string, string>)[target], `en ${target}`).toBeTruthy();
    });
  }
});
