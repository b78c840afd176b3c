import { formatLimit, type LimitUnit, type State } from '../../../shared/cases/index.js';
import type { Locale } from './catalogue.js';
import { w3c, type Node } from './format.js';
import type { PublicCaseRow, PublicEventRow } from './open311.repo.js';
import { maskPersonalData } from '../../platform/privacy.js';
import { PUBLIC_NOTES, STATUS_OF_STATE, specStatus } from './status.js';

/**
 * A case and its changes in GeoReport v2 terms: public fields only. What is left out on purpose:
 * the reporter (name, phone, tracking code), staff names, comments and reasons, the grid worker
 * and internal ids. The description is the reporter's own text with phone and identity numbers
 * masked.
 */
export type ServiceName = (code: string) => string | null;

function noteOf(state: State, mergedInto: string | null, locale: Locale): string {
  const note = PUBLIC_NOTES[state][locale];
  if (state !== 'merged' || !mergedInto) return note;
  return locale === 'zh' ? `${note}（${mergedInto}）` : `${note} (${mergedInto})`;
}

export function serviceCodeOf(row: Pick<PublicCaseRow, 'filing_category_code' | 'category_code'>): string {
  return row.filing_category_code ?? row.category_code ?? '';
}

function agencyOf(row: PublicCaseRow, locale: Locale): string | null {
  if (row.holder_kind === 'department') return (locale === 'en' && row.department_name_en) || row.department_name;
  if (row.holder_kind === 'community') return row.holder_division_name;
  return null;
}

function noticeOf(row: PublicCaseRow, locale: Locale): string | null {
  if (row.filing_limit_amount === null || row.filing_limit_unit === null) return null;
  const limit = formatLimit({ amount: row.filing_limit_amount, unit: row.filing_limit_unit as LimitUnit }, locale);
  return locale === 'zh' ? `按规定时限处置：${limit}` : `To be handled within ${limit}`;
}

export function requestNode(row: PublicCaseRow, serviceName: ServiceName, locale: Locale): Node {
  const state = row.state as State;
  const code = serviceCodeOf(row);
  return {
    service_request_id: row.number,
    status: specStatus(state),
    status_notes: noteOf(state, row.merged_into_number, locale),
    service_name: serviceName(code) ?? code,
    service_code: code,
    description: maskPersonalData(row.description),
    agency_responsible: agencyOf(row, locale),
    service_notice: noticeOf(row, locale),
    requested_datetime: w3c(row.created_at),
    updated_datetime: w3c(row.updated_at),
    // the due time of the handling step is when the body must have fixed it
    expected_datetime: row.step === 'handle' && row.due_at !== null ? w3c(row.due_at) : null,
    address: row.address ? maskPersonalData(row.address) : null,
    address_id: null,
    zipcode: null,
    lat: row.lat,
    long: row.lon,
    media_url: null,
  };
}

export function updateNode(e: PublicEventRow, locale: Locale): Node {
  const state = e.to_state as State;
  return {
    update_id: String(e.id),
    service_request_id: e.number,
    status: STATUS_OF_STATE[state],
    updated_datetime: w3c(e.at),
    description: noteOf(state, e.merged_into_number, locale),
    media_url: '',
    external_status_code: state,
  };
}
