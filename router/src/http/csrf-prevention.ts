import type { RequestHandler } from 'express';

/** Headers a browser sends cross-origin only after a CORS preflight the router never grants. */
export const PREFLIGHT_HEADERS = ['apollo-require-preflight', 'x-apollo-operation-name'] as const;

const CSRF_PREVENTED = 'CSRF_PREVENTED';

/** The request content types a browser may send cross-origin without a preflight. */
const SIMPLE_CONTENT_TYPES = new Set([
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'text/plain',
]);

const essenceOf = (contentType: string) =>
  (contentType.split(';', 1)[0] ?? '').trim().toLowerCase();

/**
 * Whether a browser could have sent this request from another site without
 * asking first: a GET, or a POST with a simple content type and none of the
 * preflight headers. Such a request would run with the victim's cookies or
 * network position, so the router refuses it before reading its body.
 */
export const couldBeCrossSiteForgery = (headers: Readonly<Record<string, unknown>>): boolean => {
  const contentType = headers['content-type'];
  if (typeof contentType === 'string' && !SIMPLE_CONTENT_TYPES.has(essenceOf(contentType))) {
    return false;
  }
  return !PREFLIGHT_HEADERS.some((name) => {
    const value = headers[name];
    return typeof value === 'string' && value.length > 0;
  });
};

/**
 * CSRF prevention in the style of Apollo Server's, answered with a stable code
 * (CSRF_PREVENTED, HTTP 400). A browser opening `/graphql` itself still gets
 * the landing page.
 */
export const csrfPrevention =
  (onRefused: (code: string) => void): RequestHandler =>
  (req, res, next) => {
    const mayRunAnOperation = req.method === 'GET' || req.method === 'POST';
    if (!mayRunAnOperation || !couldBeCrossSiteForgery(req.headers)) return next();
    // Without a query string a GET runs nothing (the landing page, or a 400): no need to refuse it.
    if (req.method === 'GET' && !req.originalUrl.includes('?')) return next();
    onRefused(CSRF_PREVENTED);
    res.status(400).json({
      errors: [
        {
          message: `This request has been blocked as a possible cross-site request forgery (CSRF). Send it with the header "Content-Type: application/json", or with a non-empty "${PREFLIGHT_HEADERS[0]}" or "${PREFLIGHT_HEADERS[1]}" header.`,
          extensions: { code: CSRF_PREVENTED },
        },
      ],
    });
  };
