/**
 * The one zod instance of the api, extended with `.openapi()` so that a schema gives the type,
 * the runtime check and the OpenAPI entry at once. Import `z` from here in api code.
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export { z };
