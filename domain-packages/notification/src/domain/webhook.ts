import { DomainError } from '@simple-securities/shared-kernel';

/** Long enough for any real incoming-webhook URL (Discord's are about 120 characters). */
export const WEBHOOK_URL_MAX_LENGTH = 2048;

/** Where a user's new notifications are pushed, and whether they are. One per user. */
export interface NotificationWebhook {
  readonly userId: string;
  readonly url: string;
  readonly enabled: boolean;
  readonly updatedAt: Date;
}

export interface WebhookUrlRules {
  /** Plain http is accepted (local development and tests); otherwise https only. */
  readonly allowInsecure: boolean;
  /**
   * Whether the URL's host (brackets of an IPv6 address removed) may be pushed to; a
   * host that is an address can be judged now, a name only when a push resolves it.
   */
  readonly isAllowedHost: (host: string) => boolean;
}

/**
 * A webhook URL the push channel may try: absolute, https (http only when allowed),
 * without credentials, and to a host the rules allow.
 */
export const checkWebhookUrl = (url: string, rules: WebhookUrlRules): URL => {
  if (url.length > WEBHOOK_URL_MAX_LENGTH)
    throw new DomainError(
      'BAD_USER_INPUT',
      `A webhook URL has at most ${WEBHOOK_URL_MAX_LENGTH} characters.`,
    );
  if (!URL.canParse(url))
    throw new DomainError('BAD_USER_INPUT', 'The webhook URL is not an absolute URL.');
  const parsed = new URL(url);
  const schemes = rules.allowInsecure ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(parsed.protocol))
    throw new DomainError(
      'BAD_USER_INPUT',
      rules.allowInsecure
        ? 'A webhook URL must start with https:// or http://.'
        : 'A webhook URL must start with https://.',
    );
  if (parsed.username || parsed.password)
    throw new DomainError(
      'BAD_USER_INPUT',
      'A webhook URL must not carry a user name or password.',
    );
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!rules.isAllowedHost(host))
    throw new DomainError('BAD_USER_INPUT', `${host} is not a public address.`);
  return parsed;
};
