import i18next, { type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { en, zh } from '../locale.js';
import { beijingDate, dueText, formatDuration, formatFullTime, formatTime } from './format.js';
import { parseCaseChanged } from './live.js';
import { splitBeforeAfter } from './PhotoViewer.js';
import { actionLabel, byTime, eventColor, LIGHT_COLORS, STATE_COLORS } from './labels.js';

let tZh: TFunction;
let tEn: TFunction;

beforeAll(async () => {
  const make = async (lng: string) => {
    const i = i18next.createInstance();
    await i.init({ lng, resources: { zh: { translation: { cases: zh } }, en: { translation: { cases: en } } }, interpolation: { escapeValue: false } });
    return i.t.bind(i) as TFunction;
  };
  tZh = await make('zh');
  tEn = await make('en');
});

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('durations and due times', () => {
  it('keeps the two most significant units and drops minutes once days count', () => {
    expect(formatDuration(3 * HOUR + 20 * MIN, tZh)).toBe('3小时20分');
    expect(formatDuration(3 * HOUR + 20 * MIN, tEn)).toBe('3 h 20 min');
    expect(formatDuration(DAY + 2 * HOUR + 59 * MIN, tZh)).toBe('1天2小时');
    expect(formatDuration(2 * DAY + 5 * MIN, tEn)).toBe('2 d');
    expect(formatDuration(30_000, tZh)).toBe('不到1分钟');
    expect(formatDuration(-(45 * MIN), tEn)).toBe('45 min');
  });

  it('says whether the due time has passed', () => {
    const now = Date.UTC(2026, 10, 30, 2, 0);
    expect(dueText(null, now, tZh)).toBeNull();
    expect(dueText(now + 2 * HOUR, now, tZh)).toEqual({ text: '剩余 2小时', overdue: false });
    expect(dueText(now - DAY - HOUR, now, tEn)).toEqual({ text: '1 d 1 h overdue', overdue: true });
  });

  it('writes times in Beijing time, with the year only when it is not this year', () => {
    const at = Date.UTC(2026, 10, 29, 16, 30); // 00:30 on 30 November in Beijing
    expect(formatTime(at, Date.UTC(2026, 0, 1))).toBe('11-30 00:30');
    expect(formatTime(at, Date.UTC(2027, 5, 1))).toBe('2026-11-30 00:30');
    expect(formatFullTime(at)).toBe('2026-11-30 00:30');
    expect(beijingDate(at)).toBe('2026-11-30');
  });
});

describe('live messages', () => {
  it('reads a case.changed message and drops malformed ones', () => {
    expect(parseCaseChanged('{"id":7,"number":"11011220261130000001","action":"dispatch","state":"dispatched","version":3,"at":5}')).toEqual({
      id: 7, number: '11011220261130000001', action: 'dispatch', state: 'dispatched', version: 3, at: 5,
    });
    expect(parseCaseChanged('{"id":"7"}')).toBeNull();
    expect(parseCaseChanged('not json')).toBeNull();
  });
});

describe('before and after photos', () => {
  it('puts reported photos before and the latest handling round first after', () => {
    const photos = [
      { sha256: 'a', kind: 'report', eventSeq: 1 },
      { sha256: 'b', kind: 'feedback', eventSeq: 4 },
      { sha256: 'c', kind: 'check', eventSeq: 5 },
      { sha256: 'd', kind: 'feedback', eventSeq: 7 },
      { sha256: 'e', kind: 'before', eventSeq: 1 },
    ];
    const { before, after } = splitBeforeAfter(photos);
    expect(before.map((p) => p.sha256)).toEqual(['a', 'e']);
    expect(after.map((p) => p.sha256)).toEqual(['d', 'c', 'b']);
  });
});

describe('words copied from the shared tables', () => {
  it('match LIMIT_UNIT_LABELS and PLATFORM_LEVEL_LABELS', async () => {
    const { LIMIT_UNIT_LABELS, PLATFORM_LEVEL_LABELS } = await import('../../../../shared/cases/limits.js');
    const shared = await import('./locale.js');
    for (const [unit, label] of Object.entries(LIMIT_UNIT_LABELS)) {
      expect(shared.zh.limitUnits[unit as keyof typeof shared.zh.limitUnits]).toBe(label.zh);
      expect(shared.en.limitUnits[unit as keyof typeof shared.en.limitUnits]).toBe(label.en);
    }
    for (const [level, label] of Object.entries(PLATFORM_LEVEL_LABELS)) {
      expect(shared.zh.levels[level as keyof typeof shared.zh.levels]).toBe(label.zh);
      expect(shared.en.levels[level as keyof typeof shared.en.levels]).toBe(label.en);
    }
  });
});

describe('history entries', () => {
  it('name and colour the supervision cards, and read in the order things happened', () => {
    expect(actionLabel('yellow_card', 'zh-CN')).toBe('黄牌预警');
    expect(actionLabel('red_card', 'en')).toBe('Red card (overdue)');
    expect(actionLabel('dispatch', 'zh-CN')).toBe('派遣');
    expect(eventColor({ action: 'red_card', to: 'dispatched' })).toBe(LIGHT_COLORS.red);
    expect(eventColor({ action: 'yellow_card', to: 'dispatched' })).toBe(LIGHT_COLORS.yellow);
    expect(eventColor({ action: 'dispatch', to: 'dispatched' })).toBe(STATE_COLORS.dispatched);
    // a card recorded on upgrade is numbered after later actions but sorts by its own time
    const events = [{ seq: 4, at: 300 }, { seq: 6, at: 150 }, { seq: 5, at: 300 }, { seq: 1, at: 100 }];
    expect([...events].sort(byTime).map((e) => e.seq)).toEqual([1, 6, 4, 5]);
  });
});
