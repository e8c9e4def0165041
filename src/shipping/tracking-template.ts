// Tracking links from a method's template: `https://…{tracking}`, the number substituted URL-encoded.
// Only https, only a template that really has the placeholder: the link goes into customers' mail.
import { findCarrier, trackingUrl as carrierTrackingUrl } from '../orders/carriers.ts';

export const TRACKING_PLACEHOLDER = '{tracking}';

export function isValidTrackingTemplate(template: string): boolean {
  if (template.length > 500 || !template.includes(TRACKING_PLACEHOLDER)) return false;
  try {
    const url = new URL(template.replaceAll(TRACKING_PLACEHOLDER, '0'));
    return url.protocol === 'https:' && url.hostname.length > 0 && !url.username && !url.password;
  } catch {
    return false;
  }
}

/** The carrier's page from src/orders/carriers.ts as a template, if the carrier is one it knows. */
export function carrierTemplate(carrier: string): string | undefined {
  return findCarrier(carrier)?.trackingUrl.replace('{number}', TRACKING_PLACEHOLDER);
}

/** The link for a number; undefined when the number is not a plain code or there is no template. */
export function trackingLink(template: string | null | undefined, carrier: string, trackingNumber: string): string | undefined {
  if (!template) return carrierTrackingUrl(carrier, trackingNumber);
  if (!/^[A-Za-z0-9-]{1,40}$/.test(trackingNumber) || !isValidTrackingTemplate(template)) return undefined;
  return template.replaceAll(TRACKING_PLACEHOLDER, encodeURIComponent(trackingNumber.replace(/-/g, '')));
}
