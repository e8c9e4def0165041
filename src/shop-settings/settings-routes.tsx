// /admin/settings (owner only, route-access.ts): the shop settings form. The form is checked whole
// before anything is stored; only then is a new logo scanned and written, and the row and its audit
// entry go in one transaction (save-shop-settings.ts). A refused form stores nothing.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { adminViewContext, sendAdminPage, signedInAccount } from '../admin/admin-view-context.ts';
import { verifyAdminCsrf } from '../admin/admin-guard.tsx';
import { registerBufferedUpload, type UploadedFile } from '../http/buffered-uploads.ts';
import { detectImageType } from '../admin/product-images.ts';
import { currentShopProfile, storedShopSettings, type ShopProfile } from './shop-profile.ts';
import { parseShopSettingsForm, settingsFormValues, inFormOrder, type SettingsFieldError, type SettingsFormValues } from './shop-settings-form.ts';
import type { ShopSettingsRow } from './shop-settings-tables.ts';
import { LOGO_MAX_BYTES, storeShopLogo } from './shop-logo.ts';
import { saveShopSettings } from './save-shop-settings.ts';
import { settingsMessages } from './settings-messages.ts';
import { ShopSettingsPage } from './settings-page.tsx';

/** What the form shows before any edit: the profile as customers see it now. */
export function settingsFormValuesOf(profile: ShopProfile, row: ShopSettingsRow | undefined): SettingsFormValues {
  return {
    shopName: profile.shopName,
    companyName: profile.companyName ?? '',
    representative: profile.representative ?? '',
    postalCode: profile.postalCode ?? '',
    address: profile.address ?? '',
    phone: profile.phone ?? '',
    email: profile.email ?? '',
    hours: profile.hours ?? '',
    invoiceRegistrant: row?.invoice_registrant ?? 'corporation',
    invoiceRegistrationNumber: profile.invoiceRegistrationNumber ?? '',
    timeZone: profile.timeZone,
    taxDisplay: profile.taxDisplay,
    bankTransferAccount: profile.bankTransferAccount ?? '',
    removeLogo: '',
  };
}

export async function shopSettingsRoutes(app: FastifyInstance) {
  const shop = app.shop;
  // Multipart for the logo, buffered one byte over its cap so an oversized file gets a field
  // message; the text fields come as plain values beside it.
  await registerBufferedUpload(app, { maxBytes: LOGO_MAX_BYTES, fields: 24, fieldSize: 4000, parts: 26 });

  async function page(request: FastifyRequest, reply: FastifyReply, values: SettingsFormValues | undefined, errors: SettingsFieldError[], status = 200, notice?: string) {
    const ctx = adminViewContext(request, reply);
    const [profile, row] = await Promise.all([currentShopProfile(shop), storedShopSettings(shop.db.db)]);
    const sm = settingsMessages(ctx.locale);
    return sendAdminPage(reply, { ...ctx, shopName: profile.shopName }, sm.title, (
      <ShopSettingsPage ctx={ctx} values={values ?? settingsFormValuesOf(profile, row)} errors={errors} logoPath={profile.logoPath} notice={notice} />
    ), status);
  }

  app.get('/settings', async (request, reply) => {
    const saved = (request.query as Record<string, unknown> | undefined)?.done === 'saved';
    return page(request, reply, undefined, [], 200, saved ? settingsMessages(request.locale).saved : undefined);
  });

  app.post('/settings', { config: { csrfAfterBody: true }, preValidation: verifyAdminCsrf }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = settingsFormValues(body);
    const file = body.logo as UploadedFile | undefined;
    const upload = file && Buffer.isBuffer(file.bytes) && file.bytes.length > 0 ? file.bytes : undefined;
    const parsed = parseShopSettingsForm(values);
    if (!parsed.ok) {
      // What can be told about the logo without scanning it is told now, beside the other fields.
      const errors = [...parsed.errors];
      if (upload && upload.length > LOGO_MAX_BYTES) errors.push({ field: 'logo', code: 'logoTooLarge' });
      else if (upload && !detectImageType(upload)) errors.push({ field: 'logo', code: 'logoType' });
      return page(request, reply, withoutRefusedCardNumbers(values, errors), inFormOrder(errors), 400);
    }
    const account = signedInAccount(request);
    const by = { actor: `admin:${account.id}`, ip: request.ip, at: shop.clock() };
    let logo: string | null | undefined = values.removeLogo === 'on' ? null : undefined;
    if (upload) {
      const stored = await storeShopLogo(shop, shop.config.mediaDir, upload, { target: 'shop_settings:logo', actor: by.actor, ip: by.ip });
      if (!stored.ok) {
        const status = stored.error === 'logoTooLarge' ? 413 : stored.error === 'logoScanUnavailable' ? 503 : stored.error === 'logoMalware' ? 422 : 400;
        return page(request, reply, values, [{ field: 'logo', code: stored.error }], status);
      }
      logo = stored.path;
    }
    await saveShopSettings(shop, parsed.value, logo, by);
    return reply.code(303).redirect('/admin/settings?done=saved');
  });
}

/** A card number typed into a field is not sent back in the re-rendered form. */
function withoutRefusedCardNumbers(values: SettingsFormValues, errors: SettingsFieldError[]): SettingsFormValues {
  const out = { ...values };
  for (const e of errors) if (e.code === 'cardNumber' && e.field !== 'logo') out[e.field] = '';
  return out;
}
