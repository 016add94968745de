/**
 * When an exchange trades: one regular session a day on weekdays, in the
 * exchange's own time zone, minus full-day holidays, ending early on the
 * exchange's shortened days. Daylight saving time is
 * handled by asking `Intl` for the zone's offset at each instant, so a session
 * that opens at 09:30 in New York opens at 14:30 UTC in winter and 13:30 UTC in
 * summer.
 */
export interface TradingCalendar {
  /** IANA zone, e.g. `America/New_York`. */
  readonly timeZone: string;
  /** Local wall-clock times, `HH:MM`; the session is [open, close). */
  readonly sessionOpen: string;
  readonly sessionClose: string;
  /** Local dates (`YYYY-MM-DD`) with no session. */
  readonly holidays: readonly string[];
  /** Local dates whose session closes early, with that close (`HH:MM`). */
  readonly earlyCloses: Readonly<Record<string, string>>;
}

export type MarketState = 'OPEN' | 'CLOSED';

export interface MarketStatus {
  readonly state: MarketState;
  /** When the next session opens (the current one's open is in the past). */
  readonly nextOpen: Date;
  /** When the current session closes, or the next one when closed. */
  readonly nextClose: Date;
}

/** NYSE and Nasdaq regular hours, full-day closures and 13:00 early closes, as the NYSE publishes them. */
export const NEW_YORK_STOCK_SESSIONS: TradingCalendar = {
  timeZone: 'America/New_York',
  sessionOpen: '09:30',
  sessionClose: '16:00',
  holidays: [
    '2025-01-01',
    '2025-01-09',
    '2025-01-20',
    '2025-02-17',
    '2025-04-18',
    '2025-05-26',
    '2025-06-19',
    '2025-07-04',
    '2025-09-01',
    '2025-11-27',
    '2025-12-25',
    '2026-01-01',
    '2026-01-19',
    '2026-02-16',
    '2026-04-03',
    '2026-05-25',
    '2026-06-19',
    '2026-07-03',
    '2026-09-07',
    '2026-11-26',
    '2026-12-25',
    '2027-01-01',
    '2027-01-18',
    '2027-02-15',
    '2027-03-26',
    '2027-05-31',
    '2027-06-18',
    '2027-07-05',
    '2027-09-06',
    '2027-11-25',
    '2027-12-24',
  ],
  earlyCloses: {
    '2025-07-03': '13:00',
    '2025-11-28': '13:00',
    '2025-12-24': '13:00',
    '2026-11-27': '13:00',
    '2026-12-24': '13:00',
    '2027-11-26': '13:00',
  },
};

/** A calendar date without a zone. */
interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

interface LocalDateTime extends LocalDate {
  readonly minutesOfDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
};

const wallClock = (at: Date, timeZone: string) => {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(at)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
};

/** How far the zone's wall clock is ahead of UTC at this instant, in milliseconds. */
const zoneOffset = (at: Date, timeZone: string): number => {
  const local = wallClock(at, timeZone);
  const asIfUtc = Date.UTC(
    local.year,
    local.month - 1,
    local.day,
    local.hour,
    local.minute,
    local.second,
  );
  return asIfUtc - Math.floor(at.getTime() / 1000) * 1000;
};

const localDateTime = (at: Date, timeZone: string): LocalDateTime => {
  const local = wallClock(at, timeZone);
  return {
    year: local.year,
    month: local.month,
    day: local.day,
    minutesOfDay: local.hour * 60 + local.minute,
  };
};

/** The instant a local wall-clock time happens in the zone. */
const instantOf = (date: LocalDate, minutesOfDay: number, timeZone: string): Date => {
  const asIfUtc = Date.UTC(date.year, date.month - 1, date.day, 0, minutesOfDay);
  const firstGuess = asIfUtc - zoneOffset(new Date(asIfUtc), timeZone);
  // Near a DST switch the offset at the guess can differ from the offset at the answer.
  return new Date(asIfUtc - zoneOffset(new Date(firstGuess), timeZone));
};

const minutesOf = (hhmm: string): number => {
  const [hours, minutes] = hhmm.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
};

const addDays = (date: LocalDate, days: number): LocalDate => {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
  };
};

const isoDate = (date: LocalDate): string =>
  `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;

const hasSession = (calendar: TradingCalendar, date: LocalDate): boolean => {
  const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !calendar.holidays.includes(isoDate(date));
};

/** A session day follows within a week even around the longest holiday runs. */
const nextSessionDay = (calendar: TradingCalendar, after: LocalDate): LocalDate => {
  for (let days = 1; days <= 14; days += 1) {
    const candidate = addDays(after, days);
    if (hasSession(calendar, candidate)) return candidate;
  }
  throw new Error(
    `The calendar in ${calendar.timeZone} has no session in the two weeks after ${isoDate(after)}.`,
  );
};

export const marketStatus = (calendar: TradingCalendar, at: Date): MarketStatus => {
  const open = minutesOf(calendar.sessionOpen);
  const closeOn = (date: LocalDate) =>
    minutesOf(calendar.earlyCloses[isoDate(date)] ?? calendar.sessionClose);
  const now = localDateTime(at, calendar.timeZone);
  const session = (date: LocalDate) => ({
    open: instantOf(date, open, calendar.timeZone),
    close: instantOf(date, closeOn(date), calendar.timeZone),
  });

  if (hasSession(calendar, now)) {
    if (now.minutesOfDay < open) {
      const today = session(now);
      return { state: 'CLOSED', nextOpen: today.open, nextClose: today.close };
    }
    if (now.minutesOfDay < closeOn(now)) {
      return {
        state: 'OPEN',
        nextOpen: session(nextSessionDay(calendar, now)).open,
        nextClose: session(now).close,
      };
    }
  }
  const next = session(nextSessionDay(calendar, now));
  return { state: 'CLOSED', nextOpen: next.open, nextClose: next.close };
};

export const isMarketOpen = (calendar: TradingCalendar, at: Date): boolean =>
  marketStatus(calendar, at).state === 'OPEN';
