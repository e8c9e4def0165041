// The account's e-mails, in the customer's language, each ending with the shop's contact block
// (src/orders/mail-shop.ts). Links carry a single-use token; a password is never in a mail.
import { messagesFor, type Locale } from '../i18n/locale.ts';
import type { OutgoingMail } from '../mail/mailer.ts';
import { escapeHtml } from '../mail/escape-html.ts';
import { contactLines, mailLogoHtml, type MailShop } from '../orders/mail-shop.ts';


function mail(to: string, subject: string, paragraphs: string[], shop: MailShop, locale: Locale, link?: string): OutgoingMail {
  const footer = contactLines(locale, shop);
  const lines = [...paragraphs, ...(link ? ['', link] : []), '', ...footer];
  const html = [
    ...(shop.logoUrl ? [mailLogoHtml(shop)] : []),
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    ...(link ? [`<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>`] : []),
    `<p>${footer.map(escapeHtml).join('<br>')}</p>`,
  ].join('\n');
  return { to, subject, text: lines.join('\n'), html };
}

export type AccountMailKind =
  | { kind: 'verify'; link: string; validHours: number }
  | { kind: 'existing'; resetLink: string }
  | { kind: 'reset'; link: string; validMinutes: number }
  | { kind: 'changeEmail'; link: string; validHours: number }
  | { kind: 'changed'; what: 'password' | 'email' | 'emailRequested' | 'totpOn' | 'totpOff' | 'totpReset' | 'recoveryCodesRenewed' | 'passkey' | 'passkeyRemoved' | 'deleted' | 'disabled'; email?: string }
  | { kind: 'changed'; what: 'recoveryCodeUsed'; remaining: number };

export function accountMail(to: string, name: string, locale: Locale, shop: MailShop, m: AccountMailKind): OutgoingMail {
  const t = messagesFor(locale).account.mail;
  const hello = t.greeting(name);
  switch (m.kind) {
    case 'verify': return mail(to, t.verifySubject(shop.shopName), [hello, t.verifyBody(m.validHours), t.ignore], shop, locale, m.link);
    case 'existing': return mail(to, t.existingSubject(shop.shopName), [hello, t.existingBody, t.ignore], shop, locale, m.resetLink);
    case 'reset': return mail(to, t.resetSubject(shop.shopName), [hello, t.resetBody(m.validMinutes), t.ignore], shop, locale, m.link);
    case 'changeEmail': return mail(to, t.changeEmailSubject(shop.shopName), [hello, t.changeEmailBody(m.validHours), t.ignore], shop, locale, m.link);
    case 'changed': {
      const what = m.what === 'password' ? t.changedPassword
        : m.what === 'email' ? t.changedEmail(('email' in m ? m.email : undefined) ?? '')
        : m.what === 'emailRequested' ? t.changedEmailRequested(('email' in m ? m.email : undefined) ?? '')
        : m.what === 'totpOn' ? t.changedTotp(true)
        : m.what === 'totpOff' ? t.changedTotp(false)
        : m.what === 'totpReset' ? t.changedTotpReset
        : m.what === 'recoveryCodeUsed' ? t.changedRecoveryCode(m.remaining)
        : m.what === 'recoveryCodesRenewed' ? t.changedRecoveryCodesRenewed
        : m.what === 'passkey' ? t.changedPasskey
        : m.what === 'passkeyRemoved' ? t.changedPasskeyRemoved
        : m.what === 'deleted' ? t.changedDeleted
        : t.changedDisabled;
      return mail(to, t.changedSubject(shop.shopName), [hello, what, t.notYou], shop, locale);
    }
  }
}
