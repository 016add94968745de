import { describe, expect, it } from '@jest/globals';
import { checkWebhookUrl, type WebhookUrlRules } from './webhook.js';

const production: WebhookUrlRules = {
  allowInsecure: false,
  isAllowedHost: (host) => host !== '10.0.0.1',
};
const development: WebhookUrlRules = { allowInsecure: true, isAllowedHost: () => true };

describe('a webhook URL', () => {
  it('is accepted with https and a public host', () => {
    expect(checkWebhookUrl('https://discord.com/api/webhooks/1/abc', production).href).toBe(
      'https://discord.com/api/webhooks/1/abc',
    );
  });

  it('needs https unless plain http is allowed', () => {
    expect(() => checkWebhookUrl('http://example.com/hook', production)).toThrow(
      'must start with https://',
    );
    expect(checkWebhookUrl('http://127.0.0.1:8080/hook', development).host).toBe('127.0.0.1:8080');
  });

  it('is refused when it is not an absolute URL, or another scheme', () => {
    expect(() => checkWebhookUrl('/hook', production)).toThrow('not an absolute URL');
    expect(() => checkWebhookUrl('ftp://example.com/hook', development)).toThrow(
      'https:// or http://',
    );
  });

  it('is refused with credentials in it', () => {
    expect(() => checkWebhookUrl('https://user:secret@example.com/hook', production)).toThrow(
      'user name or password',
    );
  });

  it('is refused when its host is an address the rules do not allow', () => {
    expect(() => checkWebhookUrl('https://10.0.0.1/hook', production)).toThrow(
      '10.0.0.1 is not a public address',
    );
  });

  it('is refused when longer than 2,048 characters', () => {
    const long = `https://example.com/${'a'.repeat(2_048)}`;
    expect(() => checkWebhookUrl(long, production)).toThrow('at most 2048 characters');
  });
});
