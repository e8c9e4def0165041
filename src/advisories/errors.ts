/** A malformed advisory input: names the file and the record so the merchant can find it. */
export class AdvisoryInputError extends Error {
  constructor(
    readonly file: string,
    readonly record: string | undefined,
    detail: string,
  ) {
    super(`${file}${record ? ` (record ${record})` : ''}: ${detail}`);
    this.name = 'AdvisoryInputError';
  }
}
