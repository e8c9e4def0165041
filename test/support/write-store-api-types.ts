// Rewrites the Store API's generated types (src/store-api/store-api-types.generated.ts).
import { writeFileSync } from 'node:fs';
import { GENERATED_TYPES_FILE, storeApiTypesSource } from './store-api-types-source.ts';

writeFileSync(GENERATED_TYPES_FILE, await storeApiTypesSource());
console.log(`wrote ${GENERATED_TYPES_FILE.pathname}`);
