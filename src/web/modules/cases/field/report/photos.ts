import type { OutboxPhoto } from '../offline/model.js';

/**
 * A phone camera's photo is 3–8 MB; on a weak network in the street that is minutes per photo. The
 * photo is scaled to at most 2,048 pixels on its long side (enough to read a manhole cover's
 * stamp) and kept as JPEG, turned upright first. Small photos in a format the server takes pass
 * unchanged.
 */
export const MAX_EDGE_PX = 2048;
const PASS_BYTES = 1_200_000;
const SERVER_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);

export function targetSize(width: number, height: number, maxEdge = MAX_EDGE_PX): { width: number; height: number } {
  const long = Math.max(width, height);
  if (long <= maxEdge) return { width, height };
  const k = maxEdge / long;
  return { width: Math.round(width * k), height: Math.round(height * k) };
}

export async function preparePhoto(file: File): Promise<OutboxPhoto> {
  const name = file.name || `photo-${Date.now()}.jpg`;
  if (file.size <= PASS_BYTES && SERVER_TYPES.has(file.type)) return { blob: file, name };
  try {
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    const size = targetSize(bitmap.width, bitmap.height);
    const canvas = document.createElement('canvas');
    canvas.width = size.width;
    canvas.height = size.height;
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0, size.width, size.height);
    bitmap.close();
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
    if (!blob) return { blob: file, name };
    return { blob, name: name.replace(/\.[^.]+$/, '') + '.jpg' };
  } catch {
    // a format this browser cannot draw: send it as it is and let the server judge
    return { blob: file, name };
  }
}
