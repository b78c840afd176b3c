import { findSubCategory, type CategoryTree } from '../../../shared/cases/index.js';
import type { Actor } from '../../platform/access.js';
import type { AppContext } from '../../platform/http.js';
import { getSetting } from '../../platform/settings.js';
import { caseReference, fileReport } from '../cases/cases.service.js';
import type { IncomingPhoto } from '../cases/photos.js';
import {
  CONDITION_ATTRIBUTE, FIXED_WHEN_ATTRIBUTE, findPublicService, publicServiceCodes, publicServices, serviceDefinitionNode, serviceNode,
  type Locale,
} from './catalogue.js';
import { badRequest, notFound } from './errors.js';
import { w3c, type Document } from './format.js';
import {
  catalogueChangedAt, districtCodes, districtName, findPublicCase, listPublicCases, numberByTrackingCode,
} from './open311.repo.js';
import {
  attributesOf, commaList, dateWindow, many, one, paging, position, type Fields,
} from './params.js';
import { requestNode, type ServiceName } from './present.js';
import { reporterName } from './privacy.js';
import { PUBLIC_NOTES } from './status.js';

/**
 * The GeoReport v2 use cases: discovery, the service list and definitions, reporting a request
 * and reading requests back. Reporting goes through the cases service (fileReport), so a request
 * is a case like any other: its number is the service_request_id, its tracking code the token.
 */
export const SPECIFICATION = 'http://wiki.open311.org/GeoReport_v2';
export const JURISDICTION_SETTING = 'open311.jurisdiction_id';
export const CONTACT_SETTING = 'open311.contact';
const SERVICE_REQUEST_ID = /^\d{6,40}$/;
const PHONE = /^[0-9+\- ]{5,20}$/;

async function tree(ctx: AppContext): Promise<CategoryTree> {
  return (await caseReference(ctx).current()).tree;
}

function namesOf(t: CategoryTree, locale: Locale): ServiceName {
  return (code) => {
    const sub = findSubCategory(t, code);
    return sub ? (locale === 'zh' ? sub.name_zh : sub.name_en) : null;
  };
}

/** The jurisdiction_id values this endpoint answers to: the district's code, and a configured id if any. */
export async function jurisdictionIds(ctx: AppContext): Promise<string[]> {
  const configured = await getSetting(ctx.db, JURISDICTION_SETTING);
  return [...(await districtCodes(ctx.db)), ...(configured ? [configured] : [])];
}

/** One jurisdiction is served, so jurisdiction_id may be left out; one that is sent must be ours. */
export async function checkJurisdiction(ctx: AppContext, fields: Fields): Promise<void> {
  const given = one(fields, 'jurisdiction_id');
  if (given === undefined) return;
  const ids = await jurisdictionIds(ctx);
  if (!ids.includes(given)) throw notFound(`jurisdiction_id ${given} was not found; this endpoint serves ${ids.join(', ') || 'no jurisdiction yet'}.`);
}

export async function discovery(ctx: AppContext, baseUrl: string, locale: Locale): Promise<Document> {
  const changed = w3c((await catalogueChangedAt(ctx.db)) ?? ctx.clock.now());
  const district = await districtName(ctx.db);
  const contact = (await getSetting(ctx.db, CONTACT_SETTING))
    ?? (locale === 'zh' ? `${district ?? ''}网格化服务管理平台；市民服务热线 12345` : `${district ?? 'District'} grid service platform; citizens' hotline 12345`);
  return {
    root: 'discovery',
    value: {
      changeset: changed,
      contact,
      key_service: locale === 'zh'
        ? '接入系统的 api_key 由平台管理员在“系统管理 → 接口密钥”中签发。'
        : 'Client systems get their api_key from the platform administrator (Administration → API keys).',
      endpoints: [{ specification: SPECIFICATION, url: baseUrl, changeset: changed, type: 'production', formats: ['text/xml', 'application/json'] }],
    },
  };
}

export async function serviceList(ctx: AppContext, locale: Locale): Promise<Document> {
  return { root: 'services', value: publicServices(await tree(ctx)).map((s) => serviceNode(s, locale)) };
}

export async function serviceDefinition(ctx: AppContext, code: string, locale: Locale): Promise<Document> {
  const s = findPublicService(await tree(ctx), code);
  if (!s) throw notFound(`service_code ${code} was not found.`);
  return { root: 'service_definition', value: serviceDefinitionNode(s, locale) };
}

export interface PostedRequest {
  fields: Fields;
  photos: IncomingPhoto[];
  idempotencyKey: string | null;
}

/**
 * POST requests: a case reported by the client system as source `api`, in the key's jurisdiction,
 * waiting for 核实 like every public report. The filing condition the reporter picked rides along
 * as a hint; the reporter's name and phone are kept on the case for staff only (e-mail addresses
 * are not kept: OneGrid calls reporters back by phone); media_url is noted for the staff, not fetched.
 */
export async function postRequest(ctx: AppContext, actor: Actor, posted: PostedRequest, locale: Locale): Promise<Document> {
  const { fields } = posted;
  const code = one(fields, 'service_code')!;
  const t = await tree(ctx);
  const service = findPublicService(t, code);
  if (!service) throw notFound(`service_code ${code} was not found.`);

  const attributes = attributesOf(fields);
  const unknown = Object.keys(attributes).filter((a) => a !== CONDITION_ATTRIBUTE && a !== FIXED_WHEN_ATTRIBUTE);
  if (unknown.length) throw badRequest(...unknown.map((a) => `attribute[${a}] is not an attribute of service ${code}.`));
  const condition = attributes[CONDITION_ATTRIBUTE];
  if (condition !== undefined && !service.sub.filing_conditions.some((f) => f.code === condition)) {
    throw badRequest(`attribute[${CONDITION_ATTRIBUTE}]: ${condition} is not one of the values of service ${code}.`);
  }

  const at = position(fields);
  const address = one(fields, 'address_string');
  if (!at && posted.photos.length === 0) {
    throw badRequest(address || one(fields, 'address_id')
      ? 'OneGrid places every request in its grid by lat and long: send them with the address (an address alone cannot be located).'
      : 'A location is required: lat and long (and address_string if you have one).');
  }
  const phone = one(fields, 'phone');
  if (phone !== undefined && !PHONE.test(phone)) throw badRequest('phone may hold digits, spaces, + and - only (5 to 20).');
  const mediaUrls = many(fields, 'media_url');
  const badUrl = mediaUrls.find((u) => !/^https?:\/\/\S+$/i.test(u));
  if (badUrl !== undefined) throw badRequest(`media_url ${badUrl.slice(0, 100)} is not an http(s) URL.`);
  const description = one(fields, 'description') ?? `${service.sub.name_zh}${condition ? `：${service.sub.filing_conditions.find((f) => f.code === condition)!.text_zh}` : ''}`;
  if (description.length > 2000) throw badRequest('description may be at most 2,000 characters.');
  if (address !== undefined && address.length > 200) throw badRequest('address_string may be at most 200 characters.');

  const out = await fileReport(ctx, actor, {
    action: 'report',
    source: 'api',
    category_code: code,
    condition_code: condition,
    lon: at?.lon,
    lat: at?.lat,
    address,
    description,
    reporter_name: reporterName(one(fields, 'first_name'), one(fields, 'last_name')),
    reporter_phone: phone,
    comment: mediaUrls.length ? `Open311 media_url: ${mediaUrls.join(' ')}`.slice(0, 2000) : undefined,
  }, posted.photos, { idempotencyKey: posted.idempotencyKey, idempotencyCaller: `api_key:${actor.id}` },
  async (filed) => ({ number: filed.row.number, token: filed.row.tracking_code, state: filed.row.state }));

  const { number, token, state } = out.body;
  return {
    root: 'service_requests',
    value: [{ service_request_id: number, token, service_notice: PUBLIC_NOTES[state as keyof typeof PUBLIC_NOTES][locale], account_id: null }],
  };
}

/** GET tokens/{token}: the tracking code a report was answered with, back to its service_request_id. */
export async function tokenLookup(ctx: AppContext, token: string): Promise<Document> {
  const normal = token.trim().toUpperCase();
  const number = /^[A-Z2-9]{10}$/.test(normal) ? await numberByTrackingCode(ctx.db, publicServiceCodes(await tree(ctx)), normal) : null;
  if (!number) throw notFound(`token ${token} was not found.`);
  return { root: 'service_requests', value: [{ service_request_id: number, token: normal }] };
}

const STATUS_VALUES = new Set(['open', 'closed']);

/** GET requests: service_request_id overrides every other argument; else the filters over a window of at most 90 days. */
export async function listRequests(ctx: AppContext, fields: Fields, locale: Locale): Promise<Document> {
  const t = await tree(ctx);
  const codes = publicServiceCodes(t);
  const numbers = commaList(fields, 'service_request_id', (v) => SERVICE_REQUEST_ID.test(v));
  let rows;
  if (numbers) {
    rows = await listPublicCases(ctx.db, { codes, numbers, offset: 0, limit: numbers.length });
  } else {
    const serviceCodes = commaList(fields, 'service_code', (v) => /^\d{5}$/.test(v));
    const status = commaList(fields, 'status', (v) => STATUS_VALUES.has(v)) as ('open' | 'closed')[] | undefined;
    const { from, to } = dateWindow(fields, ctx.clock.now());
    const { page, pageSize } = paging(fields);
    rows = await listPublicCases(ctx.db, { codes, serviceCodes, status, from, to, offset: (page - 1) * pageSize, limit: pageSize });
  }
  const name = namesOf(t, locale);
  return { root: 'service_requests', value: rows.map((r) => requestNode(r, name, locale)) };
}

export async function getRequest(ctx: AppContext, id: string, locale: Locale): Promise<Document> {
  const t = await tree(ctx);
  const row = SERVICE_REQUEST_ID.test(id) ? await findPublicCase(ctx.db, publicServiceCodes(t), id) : null;
  if (!row) throw notFound(`service_request_id ${id} was not found.`);
  return { root: 'service_requests', value: [requestNode(row, namesOf(t, locale), locale)] };
}
