// /admin/settings/payments (owner only, route-access.ts; CSRF by the admin plugin's hook): the
// merchant switches methods on and off and sets their terms. The save is one transaction with its
// audit entry (savePaymentSettings); a refused save re-renders the form with field messages.
import type { FastifyInstance } from 'fastify';
import { adminViewContext, sendAdminPage, signedInAccount } from '../admin/admin-view-context.ts';
import { supportsKonbini } from '../payments/payment-provider.ts';
import { announceShopProfileChange, currentShopProfile } from '../shop-settings/shop-profile.ts';
import { paymentMethodMessages } from './payment-method-messages.ts';
import { loadPaymentSettings, savePaymentSettings } from './payment-settings.ts';
import { formFieldOf, parsePaymentSettingsForm, paymentSettingsFormValues, type PaymentSettingsFormErrors } from './payment-settings-form.ts';
import { PaymentSettingsPage } from './views/payment-settings-page.tsx';

export async function paymentSettingsRoutes(app: FastifyInstance) {
  const shop = app.shop;

  app.get('/settings/payments', async (request, reply) => {
    const ctx = adminViewContext(request, reply);
    const m = paymentMethodMessages(ctx.locale).admin;
    const [settings, profile] = await Promise.all([loadPaymentSettings(shop.db.db), currentShopProfile(shop)]);
    const saved = (request.query as Record<string, unknown> | undefined)?.done === 'saved';
    return sendAdminPage(reply, ctx, m.title, <PaymentSettingsPage ctx={ctx} values={paymentSettingsFormValues(settings, profile.bankTransferAccount)} errors={{}}
      notice={saved ? m.saved : undefined} konbiniSupported={supportsKonbini(shop.payments)} />);
  });

  app.post('/settings/payments', async (request, reply) => {
    const ctx = adminViewContext(request, reply);
    const m = paymentMethodMessages(ctx.locale).admin;
    const konbiniSupported = supportsKonbini(shop.payments);
    const form = parsePaymentSettingsForm(request.body);
    const refuse = (errors: PaymentSettingsFormErrors) =>
      sendAdminPage(reply, ctx, m.title, <PaymentSettingsPage ctx={ctx} values={form.values} errors={errors} konbiniSupported={konbiniSupported} />, 400);
    if (!form.ok) return refuse(form.errors);
    const account = signedInAccount(request);
    const r = await savePaymentSettings(shop.db.db, form.settings, {
      actor: `admin:${account.id}`, ip: request.ip, now: shop.clock(), konbiniSupported, bankTransferAccount: form.bankTransferAccount,
    });
    if (!r.ok) return refuse(Object.fromEntries(r.errors.map((e) => [formFieldOf(e.field), e.code])));
    // Mails and order pages of every instance read the account from the shop profile.
    await announceShopProfileChange(shop.db).catch((err: unknown) => request.log.warn({ err }, 'shop profile change could not be announced; other instances follow within the cache TTL'));
    return reply.code(303).redirect('/admin/settings/payments?done=saved');
  });
}
