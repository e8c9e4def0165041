// Generates the TypeScript types of the Store API from its OpenAPI document with openapi-typescript,
// for headless storefronts and for the typed-client test. `npm run openapi:types` rewrites
// src/store-api/store-api-types.generated.ts; a test fails when the committed file is stale.
import openapiTS, { astToString } from 'openapi-typescript';
import { buildOpenApiDocument } from './openapi.ts';

export const GENERATED_TYPES_FILE = new URL('./store-api-types.generated.ts', import.meta.url);

export async function storeApiTypesSource(): Promise<string> {
  // The document is built in memory: openapi-typescript resolves nothing over the network.
  const ast = await openapiTS(buildOpenApiDocument('http://127.0.0.1:3000') as never);
  return `// Generated from the Store API's OpenAPI document by src/store-api/store-api-types.ts: do not edit.\n/* eslint-disable */\n${astToString(ast)}`;
}
