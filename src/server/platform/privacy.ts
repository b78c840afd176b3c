/**
 * Text that leaves the system (the open interface, exported files). A report's description is the
 * reporter's own words and often carries a phone number or an identity number "so they can call me
 * back"; what leaves masks them (PIPL: identity numbers and whereabouts are sensitive). The case
 * keeps the original for the staff who may read it.
 */
const ID_NUMBER = /(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[0-9Xx])(?![0-9A-Za-z])/g;
const MOBILE = /(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)/g;
const LANDLINE = /(?<!\d)(0\d{2,3}-?)\d{4}(\d{3,4})(?!\d)/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

export function maskPersonalData(text: string): string {
  return text
    .replace(ID_NUMBER, (_m, head: string, tail: string) => `${head}********${tail}`)
    .replace(EMAIL, '[email]')
    .replace(MOBILE, (_m, head: string, tail: string) => `${head}****${tail}`)
    .replace(LANDLINE, (_m, head: string, tail: string) => `${head}****${tail}`);
}
