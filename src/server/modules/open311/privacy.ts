/** A reporter's name as the case keeps it (first and last name from the client), or none. */
export function reporterName(first: string | undefined, last: string | undefined): string | undefined {
  const parts = [last, first].map((p) => p?.trim()).filter((p): p is string => !!p);
  if (!parts.length) return undefined;
  // Chinese names are written family name first; Latin names keep the client's order
  const joined = parts.every((p) => /^[\p{Script=Han}·]+$/u.test(p)) ? parts.join('') : [first, last].filter(Boolean).join(' ').trim();
  return joined.slice(0, 40);
}
