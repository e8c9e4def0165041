// The gateway's one error catalog: every error it returns has a stable code, an HTTP
// status and a title. Merchant API errors go out as RFC 9457 problem+json.
import type { FastifyReply } from 'fastify';

export const PAYGATE_ERRORS = {
  SIGNATURE_MISSING: { status: 401, title: 'Request signature headers are missing or malformed' },
  UNKNOWN_MERCHANT: { status: 401, title: 'Unknown merchant' },
  BAD_SIGNATURE: { status: 401, title: 'Request signature does not match' },
  STALE_TIMESTAMP: { status: 401, title: 'Request timestamp is outside the accepted window (±5 minutes)' },
  REPLAYED_REQUEST: { status: 401, title: 'This request nonce was already used' },
  INVALID_REQUEST: { status: 400, title: 'Request body or parameters are invalid' },
  URL_ORIGIN_NOT_ALLOWED: { status: 422, title: 'URL origin is not registered for this merchant' },
  PAYMENT_NOT_FOUND: { status: 404, title: 'Payment not found' },
  PAYMENT_NOT_CANCELLABLE: { status: 409, title: 'A captured payment cannot be cancelled; refund it' },
  PAYMENT_NOT_REFUNDABLE: { status: 409, title: 'Only a captured payment can be refunded' },
  REFUND_EXCEEDS_CAPTURED: { status: 409, title: 'Refund would exceed the captured amount' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No such endpoint' },
  INTERNAL: { status: 500, title: 'Internal gateway error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type PaygateErrorCode = keyof typeof PAYGATE_ERRORS;

export function problemDocument(code: PaygateErrorCode, detail?: string, extra?: Record<string, unknown>) {
  const e = PAYGATE_ERRORS[code];
  return {
    type: `urn:mamori:paygate:problem:${code.toLowerCase().replaceAll('_', '-')}`,
    title: e.title,
    status: e.status,
    code: `MAMORI_PAYGATE_${code}`,
    ...(detail ? { detail } : {}),
    ...extra,
  };
}

export function sendProblem(reply: FastifyReply, code: PaygateErrorCode, detail?: string, extra?: Record<string, unknown>): FastifyReply {
  return reply.code(PAYGATE_ERRORS[code].status).type('application/problem+json').send(problemDocument(code, detail, extra));
}
