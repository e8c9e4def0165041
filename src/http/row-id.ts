import { z } from 'zod';

// Row ids are 32-bit `integer` columns on PostgreSQL: a larger number in a query is an overflow
// error there (a 500), while SQLite simply finds nothing. Bounding every id at the edge keeps both
// databases answering "not found" the same way.
export const MAX_ROW_ID = 2 ** 31 - 1;

/** An id from a form field or URL parameter (a string coerced to a number). */
export const RowIdParam = z.coerce.number().int().positive().max(MAX_ROW_ID);

/** An id in a JSON body (already a number). */
export const RowIdJson = z.number().int().positive().max(MAX_ROW_ID);
