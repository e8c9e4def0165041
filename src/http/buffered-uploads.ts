// Multipart for a form with one optional file (incident evidence, compliance attestations): the
// file is buffered up to one byte over its cap, so an oversized one is recognised and answered
// with a field message rather than cut silently, and reaches the handler as `UploadedFile`.
import type { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';

export interface UploadedFile { filename: string; mimetype: string; bytes: Buffer }

export async function registerBufferedUpload(app: FastifyInstance, limits: { maxBytes: number; fields: number; fieldSize: number; parts: number }): Promise<void> {
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    throwFileSizeLimit: false,
    limits: { fileSize: limits.maxBytes + 1, files: 1, fields: limits.fields, fieldSize: limits.fieldSize, parts: limits.parts },
    async onFile(part) {
      const bytes = await part.toBuffer();
      (part as unknown as { value: UploadedFile }).value = { filename: part.filename, mimetype: part.mimetype, bytes };
    },
  });
}
