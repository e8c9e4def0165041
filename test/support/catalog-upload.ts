// The product CSV upload form (/admin/products/import) as a browser posts it: multipart, with the CSRF field.
import type { TestShop } from './test-shop.ts';
import type { signIn } from './admin-test-client.ts';

export async function uploadCsv(shop: TestShop, b: Awaited<ReturnType<typeof signIn>>, csrf: string, file: Buffer, mode: 'dry-run' | 'import') {
  const boundary = '----mamori-test-boundary';
  const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const payload = Buffer.concat([
    Buffer.from(part('_csrf', csrf) + part('encoding', 'auto') + part('mode', mode)),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="products.csv"\r\nContent-Type: text/csv\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const cookie = [...b.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  return shop.app.inject({ method: 'POST', url: '/admin/products/import', headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload });
}

