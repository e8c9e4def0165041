export const CART_COOKIE = 'cart';
/** `<orderId>.<accessToken>` of the customer's latest order, scoped to /orders. */
export const ORDER_ACCESS_COOKIE = 'order_access';
