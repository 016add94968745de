import { describe, expect, it } from '@jest/globals';
import { isMarketOpen, marketStatus, NEW_YORK_STOCK_SESSIONS as nyse } from './trading-calendar.js';

const at = (iso: string) => new Date(iso);

describe('trading calendar (New York regular session, 09:30–16:00 local)', () => {
  it('is open during a winter weekday session, closing at 16:00 EST = 21:00 UTC', () => {
    const status = marketStatus(nyse, at('2026-01-14T15:00:00Z')); // Wednesday 10:00 EST
    expect(status.state).toBe('OPEN');
    expect(status.nextClose).toEqual(at('2026-01-14T21:00:00Z'));
    expect(status.nextOpen).toEqual(at('2026-01-15T14:30:00Z'));
  });

  it('follows daylight saving time: in summer the session is 13:30–20:00 UTC', () => {
    expect(marketStatus(nyse, at('2026-07-15T13:29:00Z')).state).toBe('CLOSED');
    const open = marketStatus(nyse, at('2026-07-15T13:30:00Z'));
    expect(open.state).toBe('OPEN');
    expect(open.nextClose).toEqual(at('2026-07-15T20:00:00Z'));
  });

  it('before the open it is closed and opens the same day', () => {
    const status = marketStatus(nyse, at('2026-01-14T14:29:59Z')); // 09:29:59 EST
    expect(status).toEqual({
      state: 'CLOSED',
      nextOpen: at('2026-01-14T14:30:00Z'),
      nextClose: at('2026-01-14T21:00:00Z'),
    });
  });

  it('closes at 16:00 sharp and reopens the next weekday', () => {
    expect(isMarketOpen(nyse, at('2026-01-14T20:59:59Z'))).toBe(true);
    const status = marketStatus(nyse, at('2026-01-14T21:00:00Z'));
    expect(status.state).toBe('CLOSED');
    expect(status.nextOpen).toEqual(at('2026-01-15T14:30:00Z'));
  });

  it('is closed over the weekend and opens on Monday', () => {
    // Friday after the close, Saturday, Sunday: next open is Monday 09:30 EST.
    for (const moment of ['2026-01-16T22:00:00Z', '2026-01-17T16:00:00Z', '2026-01-18T23:59:00Z']) {
      const status = marketStatus(nyse, at(moment));
      expect(status.state).toBe('CLOSED');
      expect(status.nextOpen).toEqual(at('2026-01-20T14:30:00Z')); // Monday 19th is MLK day
    }
  });

  it('skips full-day holidays', () => {
    // Thanksgiving 2026 is Thursday 26 November.
    const status = marketStatus(nyse, at('2026-11-26T16:00:00Z'));
    expect(status.state).toBe('CLOSED');
    expect(status.nextOpen).toEqual(at('2026-11-27T14:30:00Z'));
  });

  it('finds the open across the spring-forward weekend (offset changes from -5 to -4)', () => {
    // DST starts Sunday 8 March 2026 at 02:00 local.
    const status = marketStatus(nyse, at('2026-03-06T22:00:00Z')); // Friday after the close (EST)
    expect(status.nextOpen).toEqual(at('2026-03-09T13:30:00Z')); // Monday 09:30 EDT
    expect(status.nextClose).toEqual(at('2026-03-09T20:00:00Z'));
  });

  it('finds the open across the fall-back weekend (offset changes from -4 to -5)', () => {
    // DST ends Sunday 1 November 2026.
    const status = marketStatus(nyse, at('2026-10-30T21:00:00Z')); // Friday 17:00 EDT
    expect(status.nextOpen).toEqual(at('2026-11-02T14:30:00Z')); // Monday 09:30 EST
  });

  it('uses the local date, not the UTC date, near midnight', () => {
    // 01:00 UTC Saturday is still Friday 20:00 in New York: closed, next open Monday.
    const status = marketStatus(nyse, at('2026-01-17T01:00:00Z'));
    expect(status.state).toBe('CLOSED');
    expect(status.nextOpen).toEqual(at('2026-01-20T14:30:00Z'));
  });

  describe('early closes at 13:00 local', () => {
    // Friday 27 November 2026, the day after Thanksgiving.
    it('closes the session at 13:00 EST = 18:00 UTC instead of 16:00', () => {
      const status = marketStatus(nyse, at('2026-11-27T17:59:00Z'));
      expect(status.state).toBe('OPEN');
      expect(status.nextClose).toEqual(at('2026-11-27T18:00:00Z'));
      expect(isMarketOpen(nyse, at('2026-11-27T18:00:00Z'))).toBe(false);
    });

    it('after the early close, the next session is the following Monday, a full one', () => {
      expect(marketStatus(nyse, at('2026-11-27T19:00:00Z'))).toEqual({
        state: 'CLOSED',
        nextOpen: at('2026-11-30T14:30:00Z'),
        nextClose: at('2026-11-30T21:00:00Z'),
      });
    });

    it('announces the shortened session ahead: on the eve of Thanksgiving the next close is 13:00 on Friday', () => {
      expect(marketStatus(nyse, at('2026-11-25T22:00:00Z'))).toEqual({
        state: 'CLOSED',
        nextOpen: at('2026-11-27T14:30:00Z'),
        nextClose: at('2026-11-27T18:00:00Z'),
      });
    });

    it('closes early on Christmas Eve: 24 December 2026 at 13:00 EST', () => {
      expect(marketStatus(nyse, at('2026-12-24T15:00:00Z')).nextClose).toEqual(
        at('2026-12-24T18:00:00Z'),
      );
    });
  });
});
