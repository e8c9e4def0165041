import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { losableTransaction } from '../db/losable-transaction.ts';
import { reusableQuery } from '../db/reusable-query.ts';

export const MAX_LINE_QUANTITY = 99;

export interface CartLine {
  id: number;
  variantId: number;
  quantity: number;
  sku: string;
  productSlug: string;
  productNameJa: string;
  productNameEn: string;
  variantNameJa: string;
  variantNameEn: string;
  unitPrice: number;
  taxRate: number;
  lineTotal: number;
  stock: number;
  imagePath: string | null;
  /** The product's parcel size class, for the shipping fee table (src/shipping/). */
  sizeClass: number;
}

export interface Cart { id: string; lines: CartLine[] }

export type CartError = 'CART_NOT_FOUND' | 'VARIANT_NOT_FOUND' | 'CART_ITEM_NOT_FOUND' | 'INSUFFICIENT_STOCK' | 'ORDER_LIMIT';
export type CartResult<T> = { ok: true; value: T } | { ok: false; error: CartError; available?: number };

/**
 * What one order may hold (src/config ORDER_MAX_UNITS_PER_VARIANT, ORDER_MAX_LINES): a cart is
 * an anonymous reservation request, so it is bounded here and again at checkout.
 */
export interface CartLimits { maxUnitsPerVariant: number; maxLines: number }
const UNLIMITED: CartLimits = { maxUnitsPerVariant: MAX_LINE_QUANTITY, maxLines: Number.MAX_SAFE_INTEGER };

export async function createCart(db: Kysely<Database>, now: Date): Promise<string> {
  const id = randomUUID();
  const ts = now.toISOString();
  // Cart writes are the one kind a power cut may lose (src/db/losable-transaction.ts says why).
  await losableTransaction(db, (trx) => trx.insertInto('carts').values({ id, created_at: ts, updated_at: ts }).execute());
  return id;
}

export async function cartExists(db: Kysely<Database>, cartId: string): Promise<boolean> {
  return !!(await db.selectFrom('carts').where('id', '=', cartId).select('id').executeTakeFirst());
}

export async function getCart(db: Kysely<Database>, cartId: string): Promise<Cart | undefined> {
  if (!(await cartExists(db, cartId))) return undefined;
  return cartOf(db, cartId);
}

// The cart path's statements are built once (src/db/reusable-query.ts says why).
const cartLines = reusableQuery((db: Kysely<Database>, p: { cartId: string }) => db
  .selectFrom('cart_items as ci')
  .innerJoin('variants as v', 'v.id', 'ci.variant_id')
  .innerJoin('products as p', 'p.id', 'v.product_id')
  .where('ci.cart_id', '=', p.cartId)
  .select([
    'ci.id', 'ci.variant_id', 'ci.quantity', 'v.sku', 'v.name_ja as variant_name_ja', 'v.name_en as variant_name_en', 'v.price', 'v.stock',
    'p.slug', 'p.name_ja', 'p.name_en', 'p.tax_rate', 'p.size_class',
  ])
  .select((eb) => eb.selectFrom('product_images as i').whereRef('i.product_id', '=', 'p.id').orderBy('i.position').orderBy('i.id').limit(1).select('i.path').as('image_path'))
  .orderBy('ci.id'));

/** The lines of a cart known to exist (just written to): the one read of getCart. */
export async function cartOf(db: Kysely<Database>, cartId: string): Promise<Cart> {
  const { rows } = await cartLines(db, { cartId });
  return {
    id: cartId,
    lines: rows.map((r) => ({
      id: r.id,
      variantId: r.variant_id,
      quantity: r.quantity,
      sku: r.sku,
      productSlug: r.slug,
      productNameJa: r.name_ja,
      productNameEn: r.name_en,
      variantNameJa: r.variant_name_ja,
      variantNameEn: r.variant_name_en,
      unitPrice: r.price,
      taxRate: r.tax_rate,
      lineTotal: r.price * r.quantity,
      stock: r.stock,
      imagePath: r.image_path,
      sizeClass: r.size_class,
    })),
  };
}

const touchCart = reusableQuery((db: Kysely<Database>, p: { cartId: string; now: string }) => db.updateTable('carts').set({ updated_at: p.now }).where('id', '=', p.cartId));

async function touch(db: Kysely<Database>, cartId: string, now: Date) {
  await touchCart(db, { cartId, now: now.toISOString() });
}

/** Everything addCartItem's checks need, in one read. */
const addItemState = reusableQuery((db: Kysely<Database>, p: { cartId: string; variantId: number; now: string }) => db
  .selectFrom('carts as c')
  .where('c.id', '=', p.cartId)
  .select((eb) => [
    eb.selectFrom('variants as v').innerJoin('products as p', 'p.id', 'v.product_id').where('v.id', '=', p.variantId).where('p.status', '=', 'active')
      // A draft or a not-yet-due product cannot be bought by guessing its variant id.
      .where('p.publication', '=', 'published').where((w) => w.or([w('p.publish_at', 'is', null), w('p.publish_at', '<=', p.now)]))
      .select('v.stock').as('stock'),
    eb.selectFrom('cart_items').where('cart_id', '=', p.cartId).where('variant_id', '=', p.variantId).select('id').as('existing_id'),
    eb.selectFrom('cart_items').where('cart_id', '=', p.cartId).where('variant_id', '=', p.variantId).select('quantity').as('existing_quantity'),
    eb.selectFrom('cart_items').where('cart_id', '=', p.cartId).select((e) => e.fn.countAll<number>().as('n')).as('lines'),
  ]));
const setLineQuantity = reusableQuery((db: Kysely<Database>, p: { itemId: number; quantity: number }) => db.updateTable('cart_items').set({ quantity: p.quantity }).where('id', '=', p.itemId));
const insertLine = reusableQuery((db: Kysely<Database>, p: { cartId: string; variantId: number; quantity: number }) => db
  .insertInto('cart_items').values({ cart_id: p.cartId, variant_id: p.variantId, quantity: p.quantity }).returning('id'));

/**
 * Adds a variant (or more of it). Stock is only checked here; it is reserved at checkout.
 * Three statements in one transaction: one read of everything the checks need (the cart, the
 * variant's stock, the line already there, the number of lines), the write, the cart's touch.
 */
export async function addCartItem(db: Kysely<Database>, cartId: string, variantId: number, quantity: number, now: Date, limits: CartLimits = UNLIMITED): Promise<CartResult<{ itemId: number }>> {
  return losableTransaction(db, async (trx) => {
    const state = (await addItemState(trx, { cartId, variantId, now: now.toISOString() })).rows[0];
    if (!state) return { ok: false, error: 'CART_NOT_FOUND' } as const;
    if (state.stock === null || state.stock === undefined) return { ok: false, error: 'VARIANT_NOT_FOUND' } as const;
    const stock = Number(state.stock);
    const existingId = state.existing_id === null || state.existing_id === undefined ? undefined : Number(state.existing_id);
    const wanted = Number(state.existing_quantity ?? 0) + quantity;
    if (wanted > stock || wanted > MAX_LINE_QUANTITY) {
      return { ok: false, error: 'INSUFFICIENT_STOCK', available: Math.min(stock, MAX_LINE_QUANTITY) } as const;
    }
    if (wanted > limits.maxUnitsPerVariant) return { ok: false, error: 'ORDER_LIMIT', available: limits.maxUnitsPerVariant } as const;
    if (existingId === undefined && Number(state.lines ?? 0) >= limits.maxLines) return { ok: false, error: 'ORDER_LIMIT', available: 0 } as const;
    let itemId: number;
    if (existingId !== undefined) {
      await setLineQuantity(trx, { itemId: existingId, quantity: wanted });
      itemId = existingId;
    } else {
      const row = (await insertLine(trx, { cartId, variantId, quantity })).rows[0];
      if (!row) throw new Error('cart line insert returned no id');
      itemId = row.id;
    }
    await touch(trx, cartId, now);
    return { ok: true, value: { itemId } } as const;
  });
}

export async function setCartItemQuantity(db: Kysely<Database>, cartId: string, itemId: number, quantity: number, now: Date, limits: CartLimits = UNLIMITED): Promise<CartResult<null>> {
  return losableTransaction(db, async (trx) => {
    if (!(await cartExists(trx, cartId))) return { ok: false, error: 'CART_NOT_FOUND' } as const;
    const item = await trx
      .selectFrom('cart_items as ci')
      .innerJoin('variants as v', 'v.id', 'ci.variant_id')
      .where('ci.id', '=', itemId)
      .where('ci.cart_id', '=', cartId)
      .select(['ci.id', 'v.stock'])
      .executeTakeFirst();
    if (!item) return { ok: false, error: 'CART_ITEM_NOT_FOUND' } as const;
    if (quantity > item.stock) return { ok: false, error: 'INSUFFICIENT_STOCK', available: item.stock } as const;
    if (quantity > limits.maxUnitsPerVariant) return { ok: false, error: 'ORDER_LIMIT', available: limits.maxUnitsPerVariant } as const;
    await trx.updateTable('cart_items').set({ quantity }).where('id', '=', itemId).execute();
    await touch(trx, cartId, now);
    return { ok: true, value: null } as const;
  });
}

export async function removeCartItem(db: Kysely<Database>, cartId: string, itemId: number, now: Date): Promise<CartResult<null>> {
  return losableTransaction(db, async (trx) => {
    if (!(await cartExists(trx, cartId))) return { ok: false, error: 'CART_NOT_FOUND' } as const;
    const r = await trx.deleteFrom('cart_items').where('id', '=', itemId).where('cart_id', '=', cartId).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) return { ok: false, error: 'CART_ITEM_NOT_FOUND' } as const;
    await touch(trx, cartId, now);
    return { ok: true, value: null } as const;
  });
}

export function cartItemCount(cart: Cart | undefined): number {
  return cart ? cart.lines.reduce((n, l) => n + l.quantity, 0) : 0;
}
