// Who moves an order: a back-office account (with the address it acted from), a background
// job of the shop, or the customer. Every order transition takes one and writes it into the
// audit entry it records in the same transaction.
export type OrderActor =
  | { kind: 'admin'; id: number; ip?: string }
  | { kind: 'system'; name: string }
  | { kind: 'customer'; ip?: string };

/** The audit log's actor string: 'admin:12', 'system:expiry', 'customer'. */
export function actorLabel(actor: OrderActor): string {
  return actor.kind === 'admin' ? `admin:${actor.id}` : actor.kind === 'system' ? `system:${actor.name}` : 'customer';
}

export function actorIp(actor: OrderActor): string | undefined {
  return actor.kind === 'system' ? undefined : actor.ip;
}
