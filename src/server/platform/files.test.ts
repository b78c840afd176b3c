import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { filePath, inspectPhoto, MAX_PHOTO_BYTES } from './files.js';

const dir = mkdtempSync(join(tmpdir(), 'onegrid-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const jpeg = () => sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a7' } }).jpeg().toBuffer();

describe('photo inspection', () => {
  it('accepts a JPEG by its content and names it by hash', async () => {
    const p = await inspectPhoto(await jpeg());
    expect(p.mime).toBe('image/jpeg');
    expect([p.width, p.height]).toEqual([64, 48]);
    expect(p.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(filePath(dir, p.sha256)).toContain(`${p.sha256.slice(0, 2)}/${p.sha256.slice(2, 4)}/`);
  });
  it('refuses a renamed executable, text, an empty file and SVG', async () => {
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]), Buffer.alloc(200)]);
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');
    for (const b of [elf, Buffer.from('just text'), Buffer.alloc(0), svg]) {
      await expect(inspectPhoto(b)).rejects.toMatchObject({ code: 'unsupported_media_type' });
    }
  });
  it('refuses a photo over the size limit', async () => {
    await expect(inspectPhoto(Buffer.alloc(MAX_PHOTO_BYTES + 1))).rejects.toMatchObject({ code: 'payload_too_large' });
    expect(existsSync(join(dir, 'files'))).toBe(false);
  });
});
