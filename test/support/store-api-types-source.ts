// Generates the TypeScript types of the Store API from its OpenAPI document with openapi-typescript,
// for headless storefronts and for the typed-client test. A development tool (openapi-typescript is a
// devDependency), so it lives with the test support, outside what production loads. `npm run openapi:types` rewrites
// src/store-api/store-api-types.generated.ts; a test fails when the committed file is stale.
import openapiTS, { astToString } from 'openapi-typescript';
import { buildOpenApiDocument } from '../../src/store-api/openapi.ts';

export const GENERATED_TYPES_FILE = new URL('../../src/store-api/store-api-types.generated.ts', import.meta.url);

export async function storeApiTypesSource(): Promise<string> {
  // The document is built in memory: openapi-typescript resolves nothing over the network.
  const ast = await openapiTS(buildOpenApiDocument('http://127.0.0.1:3000') as never);
  return `// Generated from the Store API's OpenAPI document by test/support/store-api-types-source.ts: do not edit.\n/* eslint-disable */\n${astToString(ast)}`;
}
