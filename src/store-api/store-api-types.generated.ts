// Generated from the Store API's OpenAPI document by test/support/store-api-types-source.ts: do not edit.
/* eslint-disable */
export interface paths {
    "/api/store/products": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List products */
        get: operations["listProducts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/categories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The categories, in the shop's order */
        get: operations["listCategories"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/products/{slug}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One product */
        get: operations["getProduct"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/carts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a cart */
        post: operations["createCart"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/carts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a cart */
        get: operations["getCart"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/carts/{id}/items": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a variant to the cart */
        post: operations["addCartItem"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/carts/{id}/items/{itemId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a line */
        delete: operations["removeCartItem"];
        options?: never;
        head?: never;
        /** Change a line quantity */
        patch: operations["setCartItemQuantity"];
        trace?: never;
    };
    "/api/store/carts/{id}/checkout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Place an order from the cart; stock is reserved until payment or expiry
         * @description A guest checkout by default. With a customer's bearer token the order also joins that account's history (GET /api/store/customers/me/orders); a token that is not valid is refused with 401, never taken for a guest.
         */
        post: operations["checkoutCart"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/orders/{orderId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Order status for its customer */
        get: operations["getOrder"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/customers/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in to a customer account: a bearer token for the customer routes
         * @description The same sign-in as the account page: a wrong password, an unknown e-mail and a disabled account get the same 401, after the same growing delay; repeated failures lock the e-mail from this address for a while (429). An account whose e-mail is not yet verified, or that signs in with a second factor, gets no token.
         */
        post: operations["createCustomerToken"];
        /** Sign out: the token presented stops working */
        delete: operations["revokeCustomerToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/customers/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in customer */
        get: operations["getCustomerProfile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/customers/me/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in customer's orders, newest first */
        get: operations["listCustomerOrders"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/customers/me/orders/{orderNumber}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One of the signed-in customer's orders */
        get: operations["getCustomerOrder"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/shipping-methods": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Shipping methods with their fee, delivery dates and time slots for a cart and prefecture */
        get: operations["listShippingMethods"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness and database check */
        get: operations["checkHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/store/postal-codes/{code}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prefecture, city and town of a Japanese postal code (Japan Post KEN_ALL) */
        get: operations["lookupPostalCode"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listProducts: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                /** @description search in Japanese or English: every word must be found in a name, reading (読み), category or description; full-width and half-width, katakana and hiragana, and long-vowel marks match alike; exact name matches first */
                q?: string;
                lang?: "ja" | "en";
                /** @description a category slug (GET /api/store/categories) */
                category?: string;
                sort?: "recommended" | "new" | "price-asc" | "price-desc" | "popular";
                availability?: "any" | "in-stock";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of products */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        products: {
                            id: number;
                            slug: string;
                            name: string;
                            description: string;
                            taxRate: 8 | 10;
                            variants: {
                                id: number;
                                sku: string;
                                name: string;
                                /** @description JPY, tax-inclusive */
                                price: number;
                                /** @description available stock: exact with STOREFRONT_STOCK_DISPLAY=exact; by default capped at the low-stock threshold + 1 (0 = sold out, up to the threshold = that few left, above = plenty) */
                                stock: number;
                                /**
                                 * @description stock as a level (additive)
                                 * @enum {string}
                                 */
                                availability: "in_stock" | "low" | "sold_out";
                            }[];
                            images: {
                                url: string;
                                alt: string;
                            }[];
                            /** @description the category the product is in (additive) */
                            category: {
                                id: number;
                                slug: string;
                                name: string;
                            };
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid query (an unknown sort or availability included) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
        };
    };
    listCategories: {
        parameters: {
            query?: {
                lang?: "ja" | "en";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every category */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        categories: {
                            id: number;
                            slug: string;
                            name: string;
                        }[];
                    };
                };
            };
        };
    };
    getProduct: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description product slug */
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The product */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: number;
                        slug: string;
                        name: string;
                        description: string;
                        taxRate: 8 | 10;
                        variants: {
                            id: number;
                            sku: string;
                            name: string;
                            /** @description JPY, tax-inclusive */
                            price: number;
                            /** @description available stock: exact with STOREFRONT_STOCK_DISPLAY=exact; by default capped at the low-stock threshold + 1 (0 = sold out, up to the threshold = that few left, above = plenty) */
                            stock: number;
                            /**
                             * @description stock as a level (additive)
                             * @enum {string}
                             */
                            availability: "in_stock" | "low" | "sold_out";
                        }[];
                        images: {
                            url: string;
                            alt: string;
                        }[];
                        /** @description the category the product is in (additive) */
                        category: {
                            id: number;
                            slug: string;
                            name: string;
                        };
                    };
                };
            };
            /** @description No such product */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
        };
    };
    createCart: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new, empty cart */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        items: {
                            id: number;
                            variantId: number;
                            sku: string;
                            productName: string;
                            variantName: string;
                            unitPrice: number;
                            quantity: number;
                            taxRate: number;
                            lineTotal: number;
                        }[];
                        totals: {
                            itemsTotal: number;
                            shippingFee: number;
                            total: number;
                            taxBreakdown: {
                                rate: number;
                                /** @description after any coupon discount */
                                taxableTotal: number;
                                tax: number;
                                /** @description Additive (issue 18): the part of the coupon discount at this rate */
                                discount?: number;
                            }[];
                            /** @description Additive (issue 18): coupon discount in JPY, already taken off total; 0 without a coupon */
                            discountTotal?: number;
                        };
                    };
                };
            };
            /** @description Too many carts from this address (MAMORI_ERR_RATE_LIMITED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
        };
    };
    getCart: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description cart id */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The cart */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        items: {
                            id: number;
                            variantId: number;
                            sku: string;
                            productName: string;
                            variantName: string;
                            unitPrice: number;
                            quantity: number;
                            taxRate: number;
                            lineTotal: number;
                        }[];
                        totals: {
                            itemsTotal: number;
                            shippingFee: number;
                            total: number;
                            taxBreakdown: {
                                rate: number;
                                /** @description after any coupon discount */
                                taxableTotal: number;
                                tax: number;
                                /** @description Additive (issue 18): the part of the coupon discount at this rate */
                                discount?: number;
                            }[];
                            /** @description Additive (issue 18): coupon discount in JPY, already taken off total; 0 without a coupon */
                            discountTotal?: number;
                        };
                    };
                };
            };
            /** @description No such cart */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
        };
    };
    addCartItem: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description cart id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    variantId: number;
                    quantity: number;
                };
            };
        };
        responses: {
            /** @description The updated cart */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        items: {
                            id: number;
                            variantId: number;
                            sku: string;
                            productName: string;
                            variantName: string;
                            unitPrice: number;
                            quantity: number;
                            taxRate: number;
                            lineTotal: number;
                        }[];
                        totals: {
                            itemsTotal: number;
                            shippingFee: number;
                            total: number;
                            taxBreakdown: {
                                rate: number;
                                /** @description after any coupon discount */
                                taxableTotal: number;
                                tax: number;
                                /** @description Additive (issue 18): the part of the coupon discount at this rate */
                                discount?: number;
                            }[];
                            /** @description Additive (issue 18): coupon discount in JPY, already taken off total; 0 without a coupon */
                            discountTotal?: number;
                        };
                    };
                };
            };
            /** @description Invalid body */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
            /** @description No such cart or variant */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
            /** @description Not enough stock, or over the per-order limit (MAMORI_ERR_ORDER_LIMIT) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
            /** @description Not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
        };
    };
    removeCartItem: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description cart id */
                id: string;
                /** @description cart item id */
                itemId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The updated cart */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        items: {
                            id: number;
                            variantId: number;
                            sku: string;
                            productName: string;
                            variantName: string;
                            unitPrice: number;
                            quantity: number;
                            taxRate: number;
                            lineTotal: number;
                        }[];
                        totals: {
                            itemsTotal: number;
                            shippingFee: number;
                            total: number;
                            taxBreakdown: {
                                rate: number;
                                /** @description after any coupon discount */
                                taxableTotal: number;
                                tax: number;
                                /** @description Additive (issue 18): the part of the coupon discount at this rate */
                                discount?: number;
                            }[];
                            /** @description Additive (issue 18): coupon discount in JPY, already taken off total; 0 without a coupon */
                            discountTotal?: number;
                        };
                    };
                };
            };
            /** @description No such cart or item */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
        };
    };
    setCartItemQuantity: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description cart id */
                id: string;
                /** @description cart item id */
                itemId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    quantity: number;
                };
            };
        };
        responses: {
            /** @description The updated cart */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        items: {
                            id: number;
                            variantId: number;
                            sku: string;
                            productName: string;
                            variantName: string;
                            unitPrice: number;
                            quantity: number;
                            taxRate: number;
                            lineTotal: number;
                        }[];
                        totals: {
                            itemsTotal: number;
                            shippingFee: number;
                            total: number;
                            taxBreakdown: {
                                rate: number;
                                /** @description after any coupon discount */
                                taxableTotal: number;
                                tax: number;
                                /** @description Additive (issue 18): the part of the coupon discount at this rate */
                                discount?: number;
                            }[];
                            /** @description Additive (issue 18): coupon discount in JPY, already taken off total; 0 without a coupon */
                            discountTotal?: number;
                        };
                    };
                };
            };
            /** @description Invalid body */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
            /** @description No such cart or item */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
            /** @description Not enough stock, or over the per-order limit (MAMORI_ERR_ORDER_LIMIT) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
        };
    };
    checkoutCart: {
        parameters: {
            query?: never;
            header?: {
                /** @description the order's language when the body has no `locale` (ja or en; default ja) */
                "Accept-Language"?: string;
            };
            path: {
                /** @description cart id */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email: string;
                    /** @description The customer's full name. Required unless familyName and givenName are sent; when they are, it is ignored and the order's name is "familyName givenName". */
                    name?: string;
                    phone: string;
                    shippingAddress: {
                        /**
                         * @description ISO 3166-1 alpha-2; JP requires postalCode and prefecture
                         * @default JP
                         */
                        country?: string;
                        postalCode?: string;
                        /** @description Japanese or English name, e.g. 東京都 or Tokyo */
                        prefecture?: string;
                        city: string;
                        line1: string;
                        line2?: string;
                    };
                    /**
                     * @description Language of the order: its e-mails and the gateway's page. Absent: from the Accept-Language header (then Japanese).
                     * @enum {string}
                     */
                    locale?: "ja" | "en";
                    /** @description Where the customer's browser goes after the gateway, with `orderId` and `payment` (paymentReceived, paymentDeclined, …) added to its query. Must be on an origin listed in STORE_API_RETURN_ORIGINS, else 422 MAMORI_ERR_RETURN_URL_NOT_ALLOWED. Absent: the shop's own order page. */
                    returnUrl?: string;
                    /** @description Additive (issue 17). Absent: the shop's first enabled method that can carry the cart, no date or time. A disabled method, a date outside the window or a slot not offered: 422 MAMORI_ERR_DELIVERY_NOT_AVAILABLE with the field named. */
                    delivery?: {
                        /** @description a shipping method id from GET /api/store/shipping-methods */
                        methodId: number;
                        /** @description YYYY-MM-DD in the shop's time zone, one of the method's `dates`; absent: no preference */
                        date?: string;
                        /** @description one of the method's `timeSlots` codes (am, 14-16, …); absent: no preference */
                        timeSlot?: string;
                    };
                    /**
                     * @description How the customer pays. Absent: card (the gateway's hosted page, as before). A method the shop has not switched on, or that cannot take this total (cash on delivery above its fee table), is refused with 422 MAMORI_ERR_PAYMENT_METHOD_UNAVAILABLE.
                     * @enum {string}
                     */
                    paymentMethod?: "card" | "bank_transfer" | "cod" | "konbini";
                    /**
                     * @description With paymentMethod konbini, required: the convenience-store chain the customer will pay at (the number is issued for it). Missing: 422 MAMORI_ERR_KONBINI_STORE_REQUIRED. Other methods ignore it.
                     * @enum {string}
                     */
                    konbiniStore?: "seven-eleven" | "familymart" | "lawson" | "ministop" | "seicomart";
                    /** @description 姓. With givenName, replaces `name` (both or neither; at most 50 characters each). */
                    familyName?: string;
                    /** @description 名. See familyName. */
                    givenName?: string;
                    /** @description セイ (フリガナ), optional: katakana; hiragana and half-width katakana are converted, anything else is refused. Both kana or neither. */
                    familyNameKana?: string;
                    /** @description メイ (フリガナ). See familyNameKana. */
                    givenNameKana?: string;
                    /** @description A coupon code (case and full-width/half-width do not matter). Its discount comes off the goods before tax. Refused with 422: MAMORI_ERR_COUPON_NOT_FOUND, MAMORI_ERR_COUPON_EXPIRED (outside its validity period), MAMORI_ERR_COUPON_MINIMUM_NOT_MET, MAMORI_ERR_COUPON_LIMIT_REACHED (overall or for this customer). No order is placed then. */
                    couponCode?: string;
                };
            };
        };
        responses: {
            /** @description The order and where to pay it */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        orderId: string;
                        orderNumber: string;
                        accessToken: string;
                        /** @description Card: the gateway's hosted page to send the customer to. Other methods: null (see instructions). */
                        paymentUrl: string | null;
                        /** @enum {string} */
                        paymentMethod?: "card" | "bank_transfer" | "cod" | "konbini";
                        /** @description JPY, tax-inclusive, with any payment fee */
                        total?: number;
                        instructions?: ({
                            /** @constant */
                            method: "bank_transfer";
                            amount: number;
                            /** @description ISO 8601 UTC: the order expires unpaid after it */
                            deadline: string;
                            /** @description The shop's bank account, lines as the merchant wrote them; null until set */
                            account: string | null;
                            note: string;
                        } | {
                            /** @constant */
                            method: "cod";
                            /** @description collected by the carrier, fee included */
                            amount: number;
                            /** @description 代引手数料, tax-inclusive at 10% */
                            fee: number;
                        } | {
                            /** @constant */
                            method: "konbini";
                            amount: number;
                            /** @description the chain the number is for; null when the gateway did not say */
                            store: ("seven-eleven" | "familymart" | "lawson" | "ministop" | "seicomart") | null;
                            /** @description given at the store; null if the gateway could not issue one */
                            paymentNumber: string | null;
                            /** @description 確認番号, asked for beside the number at the chains that use one; null at the others */
                            confirmationNumber: string | null;
                            deadline: string | null;
                        }) | null;
                        /** @description with couponCode only: JPY taken off by the coupon; total is after it */
                        discountTotal?: number;
                        /** @description with couponCode only: the coupon applied, normalised */
                        couponCode?: string | null;
                    };
                };
            };
            /** @description Invalid customer details (fields listed) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
            /** @description No bearer token, or one that is malformed, expired or revoked (MAMORI_ERR_INVALID_BEARER_TOKEN) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
            /** @description No such cart */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
            /** @description Cart empty, stock changed, or over the per-order limit of units or lines */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
            /** @description returnUrl is not on an allowed origin (MAMORI_ERR_RETURN_URL_NOT_ALLOWED), the delivery choice is not offered (MAMORI_ERR_DELIVERY_NOT_AVAILABLE), paymentMethod is not offered for this order (MAMORI_ERR_PAYMENT_METHOD_UNAVAILABLE), konbini without konbiniStore (MAMORI_ERR_KONBINI_STORE_REQUIRED), or couponCode is refused (MAMORI_ERR_COUPON_NOT_FOUND, MAMORI_ERR_COUPON_EXPIRED, MAMORI_ERR_COUPON_MINIMUM_NOT_MET, MAMORI_ERR_COUPON_LIMIT_REACHED) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
            /** @description Too many unpaid orders from this address or for this e-mail (MAMORI_ERR_TOO_MANY_PENDING_ORDERS) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
        };
    };
    getOrder: {
        parameters: {
            query: {
                /** @description the accessToken returned at checkout */
                token: string;
            };
            header?: never;
            path: {
                /** @description order id */
                orderId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The order */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        orderNumber: string;
                        /** @enum {string} */
                        status: "pending_payment" | "paid" | "fulfilled" | "cancelled" | "expired" | "payment_review";
                        total: number;
                        itemsTotal: number;
                        shippingFee: number;
                        taxBreakdown: {
                            rate: number;
                            /** @description after any coupon discount */
                            taxableTotal: number;
                            tax: number;
                            /** @description Additive (issue 18): the part of the coupon discount at this rate */
                            discount?: number;
                        }[];
                        /** @description Additive (issue 18): coupon discount in JPY, already taken off total */
                        discountTotal?: number;
                        /** @description Additive (issue 18): the coupon applied; null without one */
                        couponCode?: string | null;
                        items: {
                            sku: string;
                            productName: string;
                            variantName: string;
                            unitPrice: number;
                            quantity: number;
                            taxRate: number;
                            lineTotal: number;
                        }[];
                        /** @description Additive (issue 17): the delivery choice; null for an order placed before shipping methods */
                        delivery?: {
                            methodId: number | null;
                            method: string;
                            date: string | null;
                            timeSlot: string | null;
                            /** @description JPY, tax-inclusive (10%) */
                            fee: number;
                        } | null;
                    };
                };
            };
            /** @description No such order, or wrong token */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
        };
    };
    createCustomerToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the account's e-mail address */
                    email: string;
                    password: string;
                };
            };
        };
        responses: {
            /** @description The token (only its hash is kept) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Send as `Authorization: Bearer <token>`. Shown once: the shop keeps only its SHA-256. */
                        token: string;
                        /** @constant */
                        tokenType: "Bearer";
                        /** @description ISO 8601; fixed at issue (CUSTOMER_API_TOKEN_DAYS, 30 by default), not extended by use. A password change or reset, a disabled or deleted account ends it sooner. */
                        expiresAt: string;
                    };
                };
            };
            /** @description Invalid body */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
            /** @description Wrong e-mail or password (MAMORI_ERR_INVALID_CREDENTIALS), e-mail not verified yet (MAMORI_ERR_EMAIL_NOT_VERIFIED), or a second factor is required (MAMORI_ERR_SECOND_FACTOR_REQUIRED) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
            /** @description Not JSON */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
            /** @description Too many failed sign-ins for this e-mail from this address (MAMORI_ERR_SIGN_IN_LOCKED), or too many requests (MAMORI_ERR_RATE_LIMITED) */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
        };
    };
    revokeCustomerToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description No bearer token, or one that is malformed, expired or revoked (MAMORI_ERR_INVALID_BEARER_TOKEN) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
        };
    };
    getCustomerProfile: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The account */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        email: string;
                        name: string;
                        /** @enum {string} */
                        locale: "ja" | "en";
                        twoStepVerification: boolean;
                        createdAt: string;
                    };
                };
            };
            /** @description No bearer token, or one that is malformed, expired or revoked (MAMORI_ERR_INVALID_BEARER_TOKEN) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
        };
    };
    listCustomerOrders: {
        parameters: {
            query?: {
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of orders */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description newest first */
                        orders: {
                            orderNumber: string;
                            placedAt: string;
                            /** @enum {string} */
                            status: "pending_payment" | "paid" | "fulfilled" | "cancelled" | "expired" | "payment_review";
                            /** @description JPY, tax-inclusive */
                            total: number;
                        }[];
                        nextCursor: string | null;
                    };
                };
            };
            /** @description Invalid limit or cursor */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
            /** @description No bearer token, or one that is malformed, expired or revoked (MAMORI_ERR_INVALID_BEARER_TOKEN) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
        };
    };
    getCustomerOrder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the order number, e.g. MA-7K2Q-9XJ4 */
                orderNumber: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The order */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        orderNumber: string;
                        /** @enum {string} */
                        status: "pending_payment" | "paid" | "fulfilled" | "cancelled" | "expired" | "payment_review";
                        total: number;
                        itemsTotal: number;
                        shippingFee: number;
                        taxBreakdown: {
                            rate: number;
                            /** @description after any coupon discount */
                            taxableTotal: number;
                            tax: number;
                            /** @description Additive (issue 18): the part of the coupon discount at this rate */
                            discount?: number;
                        }[];
                        /** @description Additive (issue 18): coupon discount in JPY, already taken off total */
                        discountTotal?: number;
                        /** @description Additive (issue 18): the coupon applied; null without one */
                        couponCode?: string | null;
                        items: {
                            sku: string;
                            productName: string;
                            variantName: string;
                            unitPrice: number;
                            quantity: number;
                            taxRate: number;
                            lineTotal: number;
                        }[];
                        /** @description Additive (issue 17): the delivery choice; null for an order placed before shipping methods */
                        delivery?: {
                            methodId: number | null;
                            method: string;
                            date: string | null;
                            timeSlot: string | null;
                            /** @description JPY, tax-inclusive (10%) */
                            fee: number;
                        } | null;
                    };
                };
            };
            /** @description No bearer token, or one that is malformed, expired or revoked (MAMORI_ERR_INVALID_BEARER_TOKEN) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
            /** @description No such order among this customer's (another customer's order included) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
        };
    };
    listShippingMethods: {
        parameters: {
            query?: {
                /** @description the cart the fee is computed for (size classes and total); absent: an empty cart */
                cartId?: string;
                /** @description destination prefecture, Japanese or English name; absent: the lowest fee of each table */
                prefecture?: string;
                lang?: "ja" | "en";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The enabled methods in display order */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        methods: {
                            id: number;
                            name: string;
                            carrier: string;
                            /** @description JPY, tax-inclusive, for the cart and prefecture given; null: this method cannot carry the cart */
                            fee: number | null;
                            freeOver: number | null;
                            /** @description YYYY-MM-DD, shop time zone; empty: no date choice */
                            dates: string[];
                            timeSlots: {
                                code: string;
                                label: string;
                            }[];
                        }[];
                    };
                };
            };
            /** @description Invalid query */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
        };
    };
    checkHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The database answers */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description The database does not answer */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    lookupPostalCode: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description 7 digits; 100-0001, full-width digits and 〒 are accepted */
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The address the code belongs to */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description 7 digits */
                        postalCode: string;
                        /** @description e.g. 東京都 (the value checkout takes) */
                        prefecture: string;
                        /** @description e.g. Tokyo */
                        prefectureEn: string;
                        /** @description 市区町村, e.g. 千代田区 */
                        city: string;
                        /** @description 町域, e.g. 千代田; empty when the code covers a whole city */
                        town: string;
                    };
                };
            };
            /** @description Not a 7-digit postal code */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
            /** @description No address for this code (MAMORI_ERR_POSTAL_CODE_NOT_FOUND) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": {
                        type: string;
                        title: string;
                        status: number;
                        code: string;
                        detail?: string;
                        instance?: string;
                        errors?: {
                            field: string;
                            message: string;
                        }[];
                    };
                };
            };
        };
    };
}
