/**
 * ICAO 9303 machine-readable zone: DG1 decoding (TD3 passports, TD1 cards), check digits, dates.
 */
import { malformed } from './errors.js';

/** The fields of a machine-readable zone. Dates are `YYMMDD` as printed. */
export interface Mrz {
  format: 'TD1' | 'TD3';
  documentCode: string;
  issuingState: string;
  documentNumber: string;
  nationality: string;
  dateOfBirth: string;
  sex: string;
  dateOfExpiry: string;
  /** Primary and secondary identifiers as printed (`SURNAME<<GIVEN<NAMES`), fillers trimmed. */
  name: string;
}

/** The ICAO 9303 check digit of a field (weights 7, 3, 1; `<` is 0, A-Z are 10-35). */
export function mrzCheckDigit(field: string): number {
  const weights = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < field.length; i++) {
    const c = field.charCodeAt(i);
    let v: number;
    if (c >= 48 && c <= 57) v = c - 48;
    else if (c >= 65 && c <= 90) v = c - 55;
    else if (c === 60) v = 0;
    else return malformed('MRZ', `invalid character ${JSON.stringify(field[i])}`);
    sum += v * weights[i % 3]!;
  }
  return sum % 10;
}

function check(field: string, digit: string | undefined, what: string): void {
  if (digit === undefined || String(mrzCheckDigit(field)) !== digit)
    malformed('MRZ', `check digit of ${what}`);
}

const trim = (s: string): string => s.replace(/<+$/, '');

/** Decodes DG1 (`61 L 5F1F L <MRZ>`) and verifies every check digit. */
export function decodeDg1(dg1: Uint8Array): Mrz {
  if (dg1.length < 5 || dg1[0] !== 0x61) malformed('DG1', 'expected tag 0x61');
  const [outerLen, p] = length(dg1, 1);
  if (p + outerLen !== dg1.length) malformed('DG1', 'length does not match');
  if (dg1[p] !== 0x5f || dg1[p + 1] !== 0x1f) malformed('DG1', 'expected tag 5F1F');
  const [len, q] = length(dg1, p + 2);
  if (q + len !== dg1.length) malformed('DG1', 'MRZ length does not match');
  let text = '';
  for (let i = q; i < q + len; i++) text += String.fromCharCode(dg1[i]!);
  return decodeMrz(text);
}

function length(b: Uint8Array, at: number): [number, number] {
  const first = b[at];
  if (first === undefined) return malformed('DG1', 'truncated');
  if (first < 0x80) return [first, at + 1];
  if (first === 0x81 && b[at + 1] !== undefined) return [b[at + 1]!, at + 2];
  return malformed('DG1', 'bad length');
}

/** Decodes MRZ text (88 characters: TD3; 90: TD1) and verifies its check digits. */
export function decodeMrz(text: string): Mrz {
  if (!/^[0-9A-Z<]*$/.test(text)) malformed('MRZ', 'characters outside 0-9 A-Z <');
  if (text.length === 88) {
    const l1 = text.slice(0, 44);
    const l2 = text.slice(44);
    check(l2.slice(0, 9), l2[9], 'document number');
    check(l2.slice(13, 19), l2[19], 'date of birth');
    check(l2.slice(21, 27), l2[27], 'date of expiry');
    if (l2[42] !== '<' || /[^<]/.test(l2.slice(28, 42))) check(l2.slice(28, 42), l2[42], 'personal number');
    check(l2.slice(0, 10) + l2.slice(13, 20) + l2.slice(21, 43), l2[43], 'composite');
    return done({
      format: 'TD3',
      documentCode: trim(l1.slice(0, 2)),
      issuingState: trim(l1.slice(2, 5)),
      name: trim(l1.slice(5)),
      documentNumber: trim(l2.slice(0, 9)),
      nationality: trim(l2.slice(10, 13)),
      dateOfBirth: l2.slice(13, 19),
      sex: l2[20]!,
      dateOfExpiry: l2.slice(21, 27),
    });
  }
  if (text.length === 90) {
    const l1 = text.slice(0, 30);
    const l2 = text.slice(30, 60);
    const l3 = text.slice(60);
    check(l1.slice(5, 14), l1[14], 'document number');
    check(l2.slice(0, 6), l2[6], 'date of birth');
    check(l2.slice(8, 14), l2[14], 'date of expiry');
    check(l1.slice(5) + l2.slice(0, 7) + l2.slice(8, 15) + l2.slice(18, 29), l2[29], 'composite');
    return done({
      format: 'TD1',
      documentCode: trim(l1.slice(0, 2)),
      issuingState: trim(l1.slice(2, 5)),
      documentNumber: trim(l1.slice(5, 14)),
      dateOfBirth: l2.slice(0, 6),
      sex: l2[7]!,
      dateOfExpiry: l2.slice(8, 14),
      nationality: trim(l2.slice(15, 18)),
      name: trim(l3),
    });
  }
  return malformed('MRZ', `expected 88 (TD3) or 90 (TD1) characters, got ${text.length}`);
}

function done(m: Mrz): Mrz {
  if (!/^\d{6}$/.test(m.dateOfBirth)) malformed('MRZ', 'date of birth is not YYMMDD');
  if (!/^\d{6}$/.test(m.dateOfExpiry)) malformed('MRZ', 'date of expiry is not YYMMDD');
  if (m.documentNumber.length === 0) malformed('MRZ', 'empty document number');
  return m;
}

/** A `YYMMDD` date as UTC midnight (ms). `pivotYear`: two-digit years above it are 19YY. */
export function mrzDate(yymmdd: string, pivotYear: number): number {
  const yy = Number(yymmdd.slice(0, 2));
  const mm = Number(yymmdd.slice(2, 4));
  const dd = Number(yymmdd.slice(4, 6));
  if (mm < 1 || mm > 12 || dd < 1 || dd > 31) malformed('MRZ', `invalid date ${yymmdd}`);
  const year = yy > pivotYear % 100 ? 1900 + yy : 2000 + yy;
  const t = Date.UTC(year, mm - 1, dd);
  if (new Date(t).getUTCDate() !== dd) malformed('MRZ', `invalid date ${yymmdd}`);
  return t;
}

/** Age in whole years at `now` (ms) for a birth date (UTC midnight ms). */
export function ageAt(birth: number, now: number): number {
  const b = new Date(birth);
  const n = new Date(now);
  let age = n.getUTCFullYear() - b.getUTCFullYear();
  if (
    n.getUTCMonth() < b.getUTCMonth() ||
    (n.getUTCMonth() === b.getUTCMonth() && n.getUTCDate() < b.getUTCDate())
  )
    age--;
  return age;
}
