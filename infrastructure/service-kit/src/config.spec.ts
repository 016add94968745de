import { describe, expect, it } from '@jest/globals';
import { accessTokenConfig } from './access-token.js';
import { ConfigurationError, commonConfig, loadConfig, seedsDemoData } from './config.js';

const shape = { ...commonConfig, ...accessTokenConfig };
const ownSecrets = {
  JWT_SECRET: 'a-production-secret-of-at-least-32-characters',
  INTERNAL_SERVICE_TOKEN: 'a-production-internal-token',
};

describe('development secrets', () => {
  it('are accepted by a local demo (not production, demo data seeded)', () => {
    expect(loadConfig(shape, {}).JWT_SECRET).toMatch(/^dev-only/);
    expect(loadConfig(shape, { SEED_DEMO_DATA: 'true' }).JWT_SECRET).toMatch(/^dev-only/);
  });

  it.each([
    [{ NODE_ENV: 'production' }, /NODE_ENV=production/],
    [{ SEED_DEMO_DATA: 'false' }, /SEED_DEMO_DATA is off/],
    [{ NODE_ENV: 'production', SEED_DEMO_DATA: 'true' }, /NODE_ENV=production/],
  ])('are refused with %j, naming the variables', (env, why) => {
    expect(() => loadConfig(shape, env)).toThrow(ConfigurationError);
    expect(() => loadConfig(shape, env)).toThrow(why);
    expect(() => loadConfig(shape, env)).toThrow(/JWT_SECRET: is the public development default/);
    expect(() => loadConfig(shape, env)).toThrow(/INTERNAL_SERVICE_TOKEN: is the public/);
  });

  it('do not stand in the way of secrets of your own', () => {
    expect(loadConfig(shape, { NODE_ENV: 'production', ...ownSecrets }).JWT_SECRET).toBe(
      ownSecrets.JWT_SECRET,
    );
  });
});

describe('demo seeding', () => {
  it('is on by default, and off by default in production', () => {
    expect(seedsDemoData({})).toBe(true);
    expect(seedsDemoData({ NODE_ENV: 'production' })).toBe(false);
  });

  it('follows SEED_DEMO_DATA when it is set', () => {
    expect(seedsDemoData({ NODE_ENV: 'production', SEED_DEMO_DATA: 'true' })).toBe(true);
    expect(seedsDemoData({ SEED_DEMO_DATA: 'off' })).toBe(false);
  });
});
