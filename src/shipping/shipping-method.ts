// A shipping method as the shop uses it: names, carrier, tracking link, fee table, free-shipping
// threshold, the delivery dates and time slots a customer may ask for.
export interface ShippingFeeRow {
  sizeClass: number;
  /** A region code (regions.ts) or a prefecture's Japanese name, which overrides its region. */
  area: string;
  /** JPY, tax-inclusive: shipping is a standard-rate (10%) service. */
  fee: number;
}

export interface ShippingMethod {
  id: number;
  nameJa: string;
  nameEn: string;
  carrier: string;
  /** `https://…{tracking}`; null: the carrier's own page from src/orders/carriers.ts. */
  trackingUrlTemplate: string | null;
  freeOver: number | null;
  dateSelectable: boolean;
  /** The earliest date a customer may choose, in days after today (shop time), and the latest. */
  dateMinDays: number;
  dateMaxDays: number;
  timeSlots: string[];
  enabled: boolean;
  position: number;
  fees: ShippingFeeRow[];
}

/** The size classes a method has fees for, smallest first. */
export function sizeClassesOf(method: Pick<ShippingMethod, 'fees'>): number[] {
  return [...new Set(method.fees.map((f) => f.sizeClass))].sort((a, b) => a - b);
}
